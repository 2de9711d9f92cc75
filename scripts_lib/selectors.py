"""Reads of the script library, always scoped to what the user may see.

A shop's own scripts are seen by that shop's staff; team-wide scripts by the staff of any
shop of the team. For one shop, a team-wide script is hidden when the shop has its own
script with the same shortcut code (the shop's own script takes its place).
"""

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from accounts.models import Shop
from accounts.permissions import shop_ids_for

from .models import ReplyScript, ReplyScriptVersion, ScriptUsage, category_rank_expression
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


def access_script(user, pk: int, action: str = "scripts.use") -> ReplyScript:
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
    """Active scripts of ``shop`` matching ``query`` (see ``matching``), in conversation order."""
    return matching(scripts_visible_to(user, shop=shop).filter(is_active=True), query)


def matching(scripts: QuerySet[ReplyScript], query: str) -> QuerySet[ReplyScript]:
    """``/code`` matches shortcut codes by prefix; other text matches the title or body
    (Chinese) or, when it is plain letters, the title's pinyin initials (cftx: 催付提醒)."""
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


def editable_scope_ids(user) -> tuple[set[int], set[int]]:
    """(shop ids, team ids) where the user may edit scripts: one query, so a list can mark
    each row editable without asking per row."""
    shop_ids = set(shop_ids_for(user, "scripts.edit"))
    team_ids = set(Shop.objects.filter(pk__in=shop_ids).values_list("team_id", flat=True))
    return shop_ids, team_ids


def category_counts(scripts: QuerySet[ReplyScript]) -> dict[str, int]:
    rows = scripts.order_by().values_list("category").annotate(n=Count("pk"))
    return dict(rows)


def usage_by_agent(user) -> QuerySet:
    """Uses per agent over the scripts the user may edit (supervisors see their teams)."""
    visible = scripts_visible_to(user, action="scripts.edit").values("pk")
    return (
        ScriptUsage.objects.filter(script__in=visible)
        .values("agent", "agent__display_name", "agent__username", "agent__work_number")
        .annotate(uses=Sum("count"), scripts=Count("script"), last_used_at=Max("last_used_at"))
        .order_by("-uses", "agent")
    )


def usage_by_script(user) -> QuerySet[ReplyScript]:
    """The scripts the user may edit, most used first, with how many agents used each."""
    return (
        scripts_visible_to(user, action="scripts.edit")
        .annotate(agents=Count("usages"))
        .order_by("-use_count", "pk")
    )


def versions_of(script: ReplyScript) -> QuerySet[ReplyScriptVersion]:
    return script.versions.select_related("author").order_by("-number")
