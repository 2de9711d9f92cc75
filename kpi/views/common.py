"""What the KPI views share: the shop a page is about."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.selectors import shops_for

SHOP_FIELDS = ("id", "team_id", "code", "name", "platform", "is_active", "conversion_window_hours")
"""What the KPI pages and today's figures read of a shop (kpi.sources.chats needs the
conversion window). A manager's switcher lists every shop of the team, and the other
settings (about twenty columns) cost the dashboard a millisecond per request unread."""


def shop_choice(request, action: str):
    """The shops where the user may do ``action`` and the one chosen with ?shop=CODE.
    No such shop at all: 403; a code that is not one of them: 404."""
    shops = list(shops_for(request.user, action).only(*SHOP_FIELDS))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop") or request.POST.get("shop")
    if not code:
        return shops, shops[0]
    for shop in shops:
        if shop.code == code:
            return shops, shop
    raise Http404
