"""The review register (中差评登记表) as an XLSX workbook."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from .models import Review

REGISTER_LIMIT = 20_000
HEADER = [
    gettext_lazy("店铺"),
    gettext_lazy("订单编号"),
    gettext_lazy("买家"),
    gettext_lazy("评价"),
    gettext_lazy("评价内容"),
    gettext_lazy("描述相符"),
    gettext_lazy("服务态度"),
    gettext_lazy("物流服务"),
    gettext_lazy("评价时间"),
    gettext_lazy("状态"),
    gettext_lazy("处理人"),
    gettext_lazy("差评要挟"),
    gettext_lazy("要挟说明"),
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def register_workbook(reviews) -> bytes:
    """One sheet, one row per review; cells are written as values, never formulas."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("中差评登记"))
    sheet.append([str(title) for title in HEADER])
    review: Review
    for review in reviews:
        sheet.append(
            [
                review.shop.name,
                review.platform_order_id,
                _cell(review.buyer.nick),
                str(review.get_rating_display()),
                _cell(review.text),
                review.dsr_description,
                review.dsr_service,
                review.dsr_logistics,
                _local(review.reviewed_at),
                str(review.get_state_display()),
                review.assignee.label if review.assignee else "",
                _("是") if review.is_extortion else "",
                _cell(review.extortion_note),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Buyer-written text starting with = + - @ would be a formula in Excel: quote it."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
