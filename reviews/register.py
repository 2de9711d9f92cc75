"""The review register (中差评登记表) as an XLSX workbook."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.spreadsheets.writing import PlatformId, write_xlsx

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
    """One sheet, one row per review, through the one formula-safe writer."""
    rows = (
        [
            review.shop.name,
            PlatformId(review.platform_order_id),
            review.buyer.nick,
            str(review.get_rating_display()),
            review.text,
            review.dsr_description,
            review.dsr_service,
            review.dsr_logistics,
            _local(review.reviewed_at),
            str(review.get_state_display()),
            review.assignee.label if review.assignee else "",
            _("是") if review.is_extortion else "",
            review.extortion_note,
        ]
        for review in reviews
    )
    return write_xlsx([str(title) for title in HEADER], rows, sheet=_("中差评登记"))
