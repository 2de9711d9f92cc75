from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.errors import DomainError

from . import notes, selectors, webhooks
from .forms import WebhookEndpointForm


def _webhooks_url(shop) -> str:
    return f"{reverse('teamwork:webhooks')}?shop={shop.code}"


@login_required
def webhook_settings(request):
    """Managers: a shop's webhook endpoints, a form to add one, and the delivery log."""
    shops = list(shops_for(request.user, "webhooks.manage"))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop") or request.POST.get("shop")
    shop = access_shop(request.user, code, "webhooks.manage") if code else shops[0]
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.webhook_endpoint_create(
                actor=request.user,
                shop=shop,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, _("已添加接收地址 %(url)s。") % {"url": endpoint.url})
            return redirect(_webhooks_url(shop))
    context = {
        "shops": shops,
        "shop": shop,
        "form": form,
        "endpoints": selectors.webhook_endpoints_for(request.user, shop),
        "deliveries": selectors.webhook_deliveries_for(request.user, shop),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "teamwork/webhooks.html", context, status=status)


@login_required
@require_POST
def webhook_test(request, pk):
    endpoint = selectors.access_webhook_endpoint(request.user, pk)
    webhooks.webhook_send_test(actor=request.user, endpoint=endpoint, now=clock.now())
    messages.success(request, _("测试事件已排队发送，结果见下方发送记录。"))
    return redirect(_webhooks_url(endpoint.shop))


@login_required
@require_POST
def webhook_active(request, pk):
    endpoint = selectors.access_webhook_endpoint(request.user, pk)
    webhooks.webhook_endpoint_set_active(
        actor=request.user,
        endpoint=endpoint,
        active=request.POST.get("active") == "1",
        now=clock.now(),
    )
    return redirect(_webhooks_url(endpoint.shop))


@login_required
def note_panel(request, kind, pk):
    """GET: the notes panel of an object; POST: add a note (htmx swaps the panel, a
    plain form goes back to the object's page)."""
    target = notes.access_note_target(request.user, kind, pk)
    error = None
    if request.method == "POST":
        try:
            notes.note_add(
                actor=request.user,
                target=target,
                body=request.POST.get("body", ""),
                now=clock.now(),
            )
        except DomainError as refused:
            error = str(refused)
            if not request.htmx:
                messages.error(request, error)
        if not request.htmx:
            return redirect(notes.target_url(kind, pk))
    context = {"request": request, "target": target, "note_error": error}
    return render(request, "teamwork/_notes_swap.html", context)
