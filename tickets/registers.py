"""The after-sale registers (破损登记, 退换货登记) as filterable pages with XLSX export.
Each register is a list of columns: (heading, function of a ticket row)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can
from accounts.selectors import shops_for
from helpdesk.spreadsheets.writing import XLSX_CONTENT_TYPE, write_xlsx

from .forms import RegisterFilterForm
from .selectors import DAMAGE_TYPES, RETURN_EXCHANGE_TYPES, register_rows


def _when(value) -> str:
    return localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class Register:
    slug: str
    title: str
    types: tuple
    columns: list[tuple[str, Callable]]


COMMON_START = [
    (_("登记时间"), lambda t: _when(t.created_at)),
    (_("店铺"), lambda t: t.shop.name),
    (_("工单号"), lambda t: t.pk),
    (_("订单编号"), lambda t: t.order.order_id if t.order else ""),
    (_("买家"), lambda t: t.buyer.nick),
    (_("商品"), lambda t: t.order.item_title if t.order else ""),
]
COMMON_END = [
    (_("状态"), lambda t: t.get_state_display()),
    (_("退款金额"), lambda t: t.refund_amount),
    (_("补偿金额"), lambda t: t.compensation_amount),
    (_("补发邮费"), lambda t: t.reshipping_postage),
    (_("退货邮费"), lambda t: t.return_postage),
    (_("处理人"), lambda t: t.assignee.label if t.assignee else ""),
]

REGISTERS = {
    "damage": Register(
        "damage",
        _("破损登记"),
        DAMAGE_TYPES,
        [
            *COMMON_START,
            (_("发货快递"), lambda t: t.order.courier if t.order else ""),
            (_("发货单号"), lambda t: t.order.tracking_number if t.order else ""),
            (_("破损情况"), lambda t: t.description),
            (_("照片数"), lambda t: t.photo_count),
            (_("补发单号"), lambda t: t.reship_tracking_number),
            *COMMON_END,
        ],
    ),
    "returns": Register(
        "returns",
        _("退换货登记"),
        RETURN_EXCHANGE_TYPES,
        [
            *COMMON_START,
            (_("类型"), lambda t: t.get_type_display()),
            (_("原因"), lambda t: t.get_reason_display()),
            (_("退货快递"), lambda t: t.return_courier),
            (_("退货单号"), lambda t: t.return_tracking_number),
            (_("收到退货"), lambda t: _when(t.return_received_at)),
            (_("换货发出单号"), lambda t: t.reship_tracking_number),
            (_("退款单编号"), lambda t: t.platform_refund_id),
            *COMMON_END,
        ],
    ),
}


def xlsx_response(register: Register, tickets) -> HttpResponse:
    rows = (
        [func(ticket) for _h, func in register.columns]
        for ticket in tickets.iterator(chunk_size=500)
    )
    data = write_xlsx(
        [str(heading) for heading, _f in register.columns], rows, sheet=str(register.title)
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="register-{register.slug}.xlsx"'
    return response


@login_required
def register_view(request, slug):
    register = REGISTERS.get(slug)
    if register is None:
        raise Http404
    if not can(request.user, "tickets.view"):
        raise PermissionDenied
    shops = list(shops_for(request.user, "tickets.view"))
    form = RegisterFilterForm(request.GET or None, shops=shops)
    filters = form.cleaned_data if form.is_valid() else {}
    tickets = register_rows(
        request.user,
        types=register.types,
        shop_id=filters.get("shop"),
        start=filters.get("start"),
        end=filters.get("end"),
        state=filters.get("state", ""),
    ).annotate(photo_count=Count("photos"))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(register, tickets)
    page = Paginator(tickets, 100).get_page(request.GET.get("page"))
    rows = [[func(t) for _h, func in register.columns] + [t.pk] for t in page]
    export_query = request.GET.copy()
    export_query["format"] = "xlsx"
    export_query.pop("page", None)
    return render(
        request,
        "tickets/register.html",
        {
            "register": register,
            "registers": REGISTERS.values(),
            "form": form,
            "page": page,
            "headings": [h for h, _f in register.columns],
            "rows": rows,
            "export_query": export_query.urlencode(),
        },
    )
