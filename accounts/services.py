from datetime import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from rest_framework.authtoken.models import Token

from audit.services import audit

from .models import Membership, Shop, User, UserSession
from .permissions import require
from .roles import Role


def revoke_access(user: User) -> None:
    """End every session and API token of ``user`` now."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()


@transaction.atomic
def user_deactivate(*, actor: User, user: User, shop: Shop, now: datetime) -> User:
    """A manager ends a staff member's access at once: sessions, tokens, everything."""
    require(actor, "staff.manage", shop)
    if not user.memberships.filter(shop=shop).exists():
        raise User.DoesNotExist("该员工不属于此店铺。")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit(actor, "user.deactivated", user, shop=shop, changes={"is_active": [True, False]}, now=now)
    return user


@transaction.atomic
def membership_set_role(
    *, actor: User, user: User, shop: Shop, role: Role, now: datetime
) -> Membership:
    require(actor, "staff.manage", shop)
    membership, created = Membership.objects.get_or_create(
        user=user, shop=shop, defaults={"role": role}
    )
    before = None if created else membership.role
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit(
        actor,
        "membership.role_set",
        user,
        shop=shop,
        changes={"role": [before, str(role)]},
        now=now,
    )
    return membership


@transaction.atomic
def shop_update_settings(*, actor: User, shop: Shop, values: dict, now: datetime) -> Shop:
    """Apply validated settings (a ShopSettingsForm's cleaned_data) and audit what changed."""
    require(actor, "shop.manage", shop)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    changes = {}
    for field, value in values.items():
        before = getattr(shop, field)
        if before != value:
            changes[field] = [before, value]
            setattr(shop, field, value)
    if changes:
        shop.save(update_fields=list(changes))
        audit(actor, "shop.settings_changed", shop, shop=shop, changes=changes, now=now)
    return shop


@transaction.atomic
def user_set_language(*, actor: User, language: str, now: datetime) -> User:
    """Remember the interface language the person chose, for every computer they use."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    before = actor.language
    if before != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
        audit(actor, "user.language_set", actor, changes={"language": [before, language]}, now=now)
    return actor
