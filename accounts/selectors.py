from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent

from .models import Membership, Shop, User
from .permissions import can_manage_account, can_manage_membership, restrict


def shops_for(user: User, action: str = "shop.view") -> QuerySet[Shop]:
    return restrict(Shop.objects.filter(is_active=True), user, action, shop_field="pk")


def shop_for(user: User, code: str, action: str = "shop.view") -> Shop:
    """The shop with ``code`` if the user may do ``action`` there; Shop.DoesNotExist
    otherwise, so an unknown and a foreign shop look the same (404)."""
    return shops_for(user, action).get(code=code)


def staff_of(user: User, shop: Shop) -> QuerySet[Membership]:
    return restrict(Membership.objects.filter(shop=shop), user, "staff.manage").select_related(
        "user"
    )


def staff_page_rows(user: User, shop: Shop) -> list[dict]:
    """The shop's members for its staff page, each with what ``user`` may do to them:
    end the membership, and deactivate or reactivate the whole account (which needs
    authority over every shop the member works in). Two queries, whatever the size."""
    members = list(staff_of(user, shop).order_by("user__work_number", "user__username"))
    shops_of: dict[int, set[int]] = {}
    for user_id, shop_id in Membership.objects.filter(
        user__in=[m.user_id for m in members]
    ).values_list("user_id", "shop_id"):
        shops_of.setdefault(user_id, set()).add(shop_id)
    return [
        {
            "membership": member,
            "may_remove": can_manage_membership(user, member.user, shop),
            "may_switch_account": can_manage_account(
                user, member.user, shop_ids=shops_of.get(member.user_id, set())
            ),
            "other_shops": len(shops_of.get(member.user_id, set()) - {shop.pk}),
        }
        for member in members
    ]


def access_shop(user: User, code: str, action: str = "shop.view") -> Shop:
    """For views: an unknown shop and a shop the user may not act in are both a 404."""
    try:
        return shop_for(user, code, action)
    except Shop.DoesNotExist:
        raise Http404 from None


def access_member(user: User, code: str, member_id: int) -> tuple[Shop, User]:
    """A member of a shop whose staff ``user`` manages; anything else is a 404."""
    shop = access_shop(user, code, "staff.manage")
    return shop, get_object_or_404(User, pk=member_id, memberships__shop=shop)


def api_token_of(user: User) -> Token | None:
    """The person's own API token, if they have made one."""
    return Token.objects.filter(user=user).first()


def shop_actors(shops) -> QuerySet[User]:
    """People working in any of ``shops`` (the audit log's actor filter)."""
    return User.objects.filter(memberships__shop__in=shops).distinct().order_by("work_number")


def shop_from_query(user: User, code: str | None, action: str) -> Shop:
    """For list APIs taking ``?shop=CODE``: that shop (404 for one the user may not act
    in, like an unknown one), or without a code the user's first shop for ``action``
    (PermissionDenied when they have none)."""
    if code:
        return access_shop(user, code, action)
    shop = shops_for(user, action).first()
    if shop is None:
        raise PermissionDenied
    return shop


def audit_events_visible_to(
    user: User,
    *,
    shop_id: int | None = None,
    verb: str = "",
    actor_id: int | None = None,
    object_type: str = "",
    day: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail of the shops where the user may read it, filtered as the log page asks."""
    events = restrict(AuditEvent.objects.all(), user, "audit.view").select_related("actor", "shop")
    if shop_id:
        events = events.filter(shop_id=shop_id)
    if verb:
        events = events.filter(verb__startswith=verb)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if day:
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day, time.max))
        events = events.filter(created_at__range=(start, end))
    return events
