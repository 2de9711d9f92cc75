"""The buyer file (客户档案) and the SKU stock page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import shops_for
from chats.services.stock import sku_set_stock
from helpdesk import clock
from helpdesk.errors import DomainError

from ..forms import BuyerFlagsForm, BuyerNotesForm, StockForm, StockWishForm
from ..selectors import (
    access_buyer_file,
    access_sku,
    buyer_wish_skus,
    orders_visible_to,
    skus_visible_to,
)
from ..services import buyer_update, stock_wish_add

BUYER_ORDERS_SHOWN = 50


@login_required
def buyer_file(request, pk):
    buyer = access_buyer_file(request.user, pk)
    may_edit = can(request.user, "buyers.edit", buyer)
    may_flag = can(request.user, "buyers.flag", buyer)
    notes_form = BuyerNotesForm(instance=buyer)
    flags_form = BuyerFlagsForm(instance=buyer)
    if request.method == "POST":
        part = request.POST.get("part")
        form_class, allowed = {
            "notes": (BuyerNotesForm, may_edit),
            "flags": (BuyerFlagsForm, may_flag),
        }.get(part, (None, False))
        if not allowed:
            raise PermissionDenied
        form = form_class(request.POST)
        if form.is_valid():
            try:
                buyer_update(
                    actor=request.user, buyer=buyer, values=form.cleaned_data, now=clock.now()
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("客户档案已保存。"))
                return redirect("orders:buyer", pk=buyer.pk)
        if part == "notes":
            notes_form = form
        else:
            flags_form = form
    orders = orders_visible_to(request.user).filter(buyer=buyer)[:BUYER_ORDERS_SHOWN]
    return render(
        request,
        "orders/buyer.html",
        {
            "buyer": buyer,
            "orders": orders,
            "notes_form": notes_form,
            "flags_form": flags_form,
            "wish_form": StockWishForm(skus=buyer_wish_skus(buyer)) if may_edit else None,
            "may_edit": may_edit,
            "may_flag": may_flag,
        },
    )


@login_required
@require_POST
def buyer_wish_add(request, pk):
    buyer = access_buyer_file(request.user, pk)
    if not can(request.user, "buyers.edit", buyer):
        raise PermissionDenied
    form = StockWishForm(request.POST, skus=buyer_wish_skus(buyer))
    if form.is_valid():
        sku = buyer_wish_skus(buyer).get(pk=form.cleaned_data["sku"])
        _wish, created = stock_wish_add(actor=request.user, buyer=buyer, sku=sku, now=clock.now())
        if created:
            messages.success(request, _("已登记到货通知。"))
        else:
            messages.info(request, _("该商品已登记过到货通知。"))
    else:
        messages.error(request, _("请选择本店的商品。"))
    return redirect("orders:buyer", pk=buyer.pk)


@login_required
def stock(request):
    if not can(request.user, "stock.manage"):
        raise PermissionDenied
    shops = list(shops_for(request.user, "stock.manage"))
    skus = skus_visible_to(request.user)
    shop_code = request.GET.get("shop", "")
    if shop_code:
        skus = skus.filter(shop__code=shop_code)
    query = request.GET.get("q", "").strip()
    if query:
        skus = skus.filter(Q(code__istartswith=query) | Q(title__icontains=query))
    page = Paginator(skus, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/stock.html",
        {"page": page, "shops": shops, "shop_code": shop_code, "q": query},
    )


@login_required
@require_POST
def stock_set(request, pk):
    sku = access_sku(request.user, pk)
    form = StockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("库存须为不小于 0 的整数。"))
    else:
        _sku, notified = sku_set_stock(
            actor=request.user, sku=sku, stock=form.cleaned_data["stock"], now=clock.now()
        )
        text = _("%(sku)s 库存已更新为 %(n)s。") % {"sku": sku, "n": form.cleaned_data["stock"]}
        if notified:
            text += _("已给 %(count)s 位买家发送到货通知。") % {"count": notified}
        messages.success(request, text)
    back = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(f"{reverse('orders:stock')}?{back}" if back else reverse("orders:stock"))
