from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.permissions import can
from accounts.selectors import audit_events_visible_to, shop_actors, shops_for
from helpdesk.capped import CappedPaginator

from .forms import AuditFilterForm
from .labels import present


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
    page = CappedPaginator(events, 50).get_page(request.GET.get("page"))
    template = "audit/list.html#rows" if request.htmx else "audit/list.html"
    return render(request, template, {"form": form, "page": page, "rows": present(page)})
