"""Who may do what, to which shop's objects. Nothing else in the helpdesk decides access.

Every action is granted to a set of roles; a user holds one role per shop (Membership).
``can(user, action, obj)`` answers for one object (anything with a ``shop_id``, or a Shop);
``restrict(queryset, user, action)`` filters a queryset to the shops where the user may do
the action, so selectors hand views only rows the user may see.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .roles import Role, at_least

ALL_ROLES = at_least(Role.PRE_SALE)
IN_SALE_UP = at_least(Role.IN_SALE)
AFTER_SALE_UP = at_least(Role.AFTER_SALE)
REVIEWS_UP = at_least(Role.REVIEW_SPECIALIST)
SUPERVISORS = at_least(Role.SUPERVISOR)
MANAGERS = at_least(Role.MANAGER)

ACTIONS: dict[str, frozenset[Role]] = {
    # accounts and audit
    "shop.view": ALL_ROLES,
    "shop.manage": MANAGERS,
    "staff.manage": MANAGERS,
    "audit.view": SUPERVISORS,
    # orders, buyers and in-sale problems
    "orders.view": ALL_ROLES,
    "orders.import": IN_SALE_UP,
    "buyers.view": ALL_ROLES,
    "buyers.edit": ALL_ROLES,
    "problems.view": IN_SALE_UP,
    "problems.work": IN_SALE_UP,
    "stock.manage": IN_SALE_UP,
    "problems.open": ALL_ROLES,
    "problems.supervise": SUPERVISORS,
    "buyers.flag": IN_SALE_UP,
    # pre-sale chats and channels
    "chats.work": ALL_ROLES,
    "chats.supervise": SUPERVISORS,
    "channels.manage": MANAGERS,
    # reply scripts
    "scripts.use": ALL_ROLES,
    "scripts.edit": SUPERVISORS,
    # product catalogue and image library (what agents send besides words)
    "catalogue.manage": SUPERVISORS,
    # knowledge base (问答知识库) and suggested replies
    "knowledge.view": ALL_ROLES,
    "knowledge.edit": SUPERVISORS,
    # after-sale tickets, reviews and approvals
    "tickets.view": AFTER_SALE_UP,
    "tickets.work": AFTER_SALE_UP,
    "reviews.view": REVIEWS_UP,
    "reviews.work": REVIEWS_UP,
    "approvals.decide": SUPERVISORS,
    # scheduled messaging
    "outreach.view": SUPERVISORS,
    "jobs.manage": MANAGERS,
    # KPIs, quality review, handover
    "kpi.own": ALL_ROLES,
    "kpi.team": SUPERVISORS,
    "kpi.dashboard": SUPERVISORS,
    "kpi.dsr": SUPERVISORS,
    "qa.review": SUPERVISORS,
    "handover.use": ALL_ROLES,
    # team collaboration: tags, routing rules, outbound webhooks
    "tags.use": ALL_ROLES,
    "tags.manage": SUPERVISORS,
    "routing.manage": SUPERVISORS,
    "webhooks.manage": MANAGERS,
}


def roles_by_shop(user) -> dict[int, str]:
    """The user's role in each shop, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_roles_by_shop", None)
    if cached is None:
        cached = dict(user.memberships.filter(shop__is_active=True).values_list("shop_id", "role"))
        user._roles_by_shop = cached
    return cached


def _roles_for(action: str) -> frozenset[Role]:
    try:
        return ACTIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None


def _shop_id_of(obj) -> int | None:
    from .models import Shop

    if isinstance(obj, Shop):
        return obj.pk
    return getattr(obj, "shop_id", None)


def shop_ids_for(user, action: str) -> list[int]:
    roles = _roles_for(action)
    return sorted(shop_id for shop_id, role in roles_by_shop(user).items() if role in roles)


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a Shop or anything with a shop)? With no
    object: in at least one shop."""
    if obj is None:
        return bool(shop_ids_for(user, action))
    role = roles_by_shop(user).get(_shop_id_of(obj))
    return role is not None and role in _roles_for(action)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("没有权限执行此操作（%(action)s）。") % {"action": action})


def restrict(queryset: QuerySet, user, action: str, shop_field: str = "shop") -> QuerySet:
    """Only the rows of shops where ``user`` may do ``action``."""
    return queryset.filter(**{f"{shop_field}__in": shop_ids_for(user, action)})


def can_manage_account(actor, user, shop_ids: set[int] | None = None) -> bool:
    """May ``actor`` deactivate or reactivate ``user``'s whole account?

    A shop's manager may end a person's membership in that shop; the account itself is
    the person's access to every shop they work in, so switching it off or on needs
    ``staff.manage`` in each of those shops (inactive shops included: nobody manages
    those, so only a superuser can). Nobody but a superuser touches a superuser, and a
    superuser may act on any account (the admin already lets them). Nobody acts on their
    own account here. ``shop_ids``: the shops ``user`` works in, when the caller read them
    already for a whole list."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    if shop_ids is None:
        shop_ids = set(user.memberships.values_list("shop_id", flat=True))
    return bool(shop_ids) and shop_ids <= set(shop_ids_for(actor, "staff.manage"))


def can_manage_membership(actor, user, shop) -> bool:
    """May ``actor`` end or change ``user``'s membership of ``shop``? Its manager may,
    except for their own membership and a superuser's (a superuser may)."""
    if actor.pk == user.pk or not can(actor, "staff.manage", shop):
        return False
    return actor.is_superuser or not user.is_superuser
