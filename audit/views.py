from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.permissions import can
from accounts.selectors import audit_events_visible_to, shop_actors, shops_for

from .forms import AuditFilterForm
from .labels import present
from .models import AUDIT_PAGES

PAGE_SIZE = 50


@login_required
def audit_list(request):
    if not can(request.user, "audit.view"):
        raise PermissionDenied
    shops = list(shops_for(request.user, "audit.view"))
    actors = shop_actors(shops)
    form = AuditFilterForm(request.GET or None, shops=shops, actors=actors)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_visible_to(
        request.user,
        shop_id=filters.get("shop"),
        verb=filters.get("verb", ""),
        actor_id=filters.get("actor"),
        day=filters.get("day"),
    )
    page = AUDIT_PAGES.page_for(request.GET, events, PAGE_SIZE)
    template = "audit/list.html#rows" if request.htmx else "audit/list.html"
    context = {"form": form, "page": page, "rows": present(page)}
    return render(request, template, context, status=page.status)
