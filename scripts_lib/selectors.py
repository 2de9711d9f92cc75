"""Reads of the script library, always scoped to what the user may see.

A shop's own scripts are seen by that shop's staff; team-wide scripts by the staff of any
shop of the team. For one shop, a team-wide script is hidden when the shop has its own
script with the same shortcut code (the shop's own script takes its place).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Shop
from accounts.permissions import shop_ids_for

from .models import ReplyScript, category_rank_expression
from .search import search_key


def _visible_q(shop_ids: list[int]) -> Q:
    team_ids = Shop.objects.filter(pk__in=shop_ids).values("team_id")
    return Q(shop_id__in=shop_ids) | Q(shop__isnull=True, team_id__in=team_ids)


def scripts_visible_to(
    user, *, action: str = "scripts.use", shop: Shop | None = None, category: str | None = None
) -> QuerySet[ReplyScript]:
    """Scripts the user may ``action``, in conversation order. With ``shop``: what that
    shop's staff work with (its own scripts and the team-wide ones it does not override)."""
    shop_ids = shop_ids_for(user, action)
    scripts = ReplyScript.objects.filter(_visible_q(shop_ids))
    if shop is not None:
        if shop.pk not in shop_ids:
            return ReplyScript.objects.none()
        scripts = _for_shop(scripts, shop)
    if category:
        scripts = scripts.filter(category=category)
    return scripts.select_related("shop", "created_by").order_by(
        category_rank_expression(), "position", "shop_id", "pk"
    )


def _for_shop(scripts: QuerySet, shop: Shop) -> QuerySet:
    overridden = ReplyScript.objects.filter(shop=shop, code=OuterRef("code"))
    return scripts.filter(Q(shop=shop) | Q(shop__isnull=True, team_id=shop.team_id)).exclude(
        Q(shop__isnull=True) & Exists(overridden)
    )


def script_or_404(user, pk: int, action: str = "scripts.use") -> ReplyScript:
    """A script the user may ``action``; a foreign and an unknown one are both a 404."""
    try:
        return scripts_visible_to(user, action=action).get(pk=pk)
    except ReplyScript.DoesNotExist:
        raise Http404 from None


def script_for(*, shop: Shop, category: str, code: str | None = None) -> ReplyScript | None:
    """The active script a shop uses for ``category`` (and ``code`` when given): the shop's
    own first, else the team-wide one. For jobs and automatic replies (no user)."""
    scripts = ReplyScript.objects.filter(
        Q(shop=shop) | Q(shop__isnull=True, team_id=shop.team_id),
        category=category,
        is_active=True,
    )
    if code is not None:
        scripts = scripts.filter(code=code)
    # nulls last: the shop's own script (shop_id set) before the team-wide one
    return scripts.order_by("shop_id", "position", "pk").first()


def search_scripts(*, user, shop: Shop, query: str) -> QuerySet[ReplyScript]:
    """Active scripts of ``shop`` matching ``query``: ``/code`` matches shortcut codes by
    prefix; other text matches title or body (Chinese) or the title's pinyin initials."""
    scripts = scripts_visible_to(user, shop=shop).filter(is_active=True)
    query = (query or "").strip()
    if not query:
        return scripts
    if query.startswith("/"):
        return scripts.filter(code__istartswith=query[1:].strip())
    key = search_key(query)
    match = Q(title__icontains=query) | Q(body__icontains=query) | Q(code__iexact=query)
    if key:
        match |= Q(title_initials__contains=key)
    return scripts.filter(match)
