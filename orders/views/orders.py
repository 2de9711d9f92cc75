from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import shops_for
from helpdesk import clock
from helpdesk.errors import DomainError

from ..forms import MemoForm, OpenProblemForm, OrderFilterForm
from ..models import ORDER_PAGES
from ..selectors import access_order, access_order_detail, orders_visible_to
from ..services import order_memo_add

PAGE_SIZE = 50


@login_required
def order_list(request):
    if not can(request.user, "orders.view"):
        raise PermissionDenied
    shops = list(shops_for(request.user, "orders.view"))
    form = OrderFilterForm(request.GET or None, shops=shops)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = orders_visible_to(
        request.user,
        shop_id=filters.get("shop"),
        state=filters.get("state", ""),
        buyer=filters.get("buyer", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = ORDER_PAGES.page_for(request.GET, orders, PAGE_SIZE)
    template = "orders/list.html#rows" if request.htmx else "orders/list.html"
    return render(request, template, {"form": form, "page": page}, status=page.status)


@login_required
def order_detail(request, pk):
    order = access_order_detail(request.user, pk)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "memo_form": MemoForm(),
            "open_form": OpenProblemForm(),
            "can_work": can(request.user, "problems.work", order),
        },
    )


@login_required
@require_POST
def order_memo(request, pk):
    order = access_order(request.user, pk)
    if not can(request.user, "problems.work", order):
        raise PermissionDenied
    form = MemoForm(request.POST)
    if form.is_valid():
        try:
            order_memo_add(
                actor=request.user,
                order=order,
                reason=form.cleaned_data["text"],
                flag=form.cleaned_data["flag"],
                now=clock.now(),
            )
        except DomainError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("orders:detail", pk=order.pk)
