from datetime import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from audit.services import audit

from .errors import StaffChangeRefused
from .models import Membership, Shop, User, UserSession
from .permissions import can_manage_account, can_manage_membership, require
from .roles import Role


@transaction.atomic
def access_revoke(*, actor: User | None, user: User, now: datetime) -> None:
    """End every session and API token of ``user`` now (a deactivated account, whichever
    page deactivated it: the staff page or the admin). Django and DRF already refuse an
    inactive user's session and token; deleting them makes the end visible and final."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    sessions, _deleted = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    tokens, _deleted = Token.objects.filter(user=user).delete()
    audit(
        actor,
        "user.access_revoked",
        user,
        changes={"sessions": [sessions, 0], "api_tokens": [tokens, 0]},
        now=now,
    )


@transaction.atomic
def api_token_rotate(*, actor: User, now: datetime) -> Token:
    """Replace the person's own API token: the old key stops working at once."""
    replaced = Token.objects.filter(user=actor).delete()[0] > 0
    token = Token.objects.create(user=actor)
    audit(actor, "user.api_token_rotated", actor, changes={"replaced": [replaced, True]}, now=now)
    return token


def _require_account_authority(actor: User, user: User, shop: Shop) -> User:
    """The staff page's shop must be one ``actor`` manages and ``user`` works in; the
    account change itself needs authority over every shop of ``user``
    (``can_manage_account``). Returns ``user`` locked."""
    require(actor, "staff.manage", shop)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.memberships.filter(shop=shop).exists():
        raise User.DoesNotExist(_("该员工不属于此店铺。"))
    if user.pk == actor.pk:
        raise StaffChangeRefused(_("不能停用或恢复自己的账号。"))
    if user.is_superuser and not actor.is_superuser:
        raise StaffChangeRefused(_("只有超级管理员可以更改超级管理员的账号。"))
    if not can_manage_account(actor, user):
        raise StaffChangeRefused(
            _("%(name)s 还在您不管理的店铺工作，您无法停用或恢复整个账号；可以把 TA 移出本店。")
            % {"name": user.label}
        )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, shop: Shop, now: datetime) -> User:
    """End a person's access to every shop at once: sessions, tokens, everything.
    Needs authority over every shop they work in."""
    user = _require_account_authority(actor, user, shop)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit(
            actor,
            "user.deactivated",
            user,
            shop=shop,
            changes={"is_active": [True, False]},
            now=now,
        )
        access_revoke(actor=actor, user=user, now=now)
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, shop: Shop, now: datetime) -> User:
    """Give a deactivated person their account back (they log in again; old sessions
    and tokens stay gone). The same authority as deactivating."""
    user = _require_account_authority(actor, user, shop)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit(
            actor,
            "user.reactivated",
            user,
            shop=shop,
            changes={"is_active": [False, True]},
            now=now,
        )
    return user


@transaction.atomic
def membership_end(*, actor: User, user: User, shop: Shop, now: datetime) -> None:
    """A shop's manager takes a person off that shop; the account and the person's
    other shops are untouched."""
    require(actor, "staff.manage", shop)
    membership = Membership.objects.select_for_update().filter(user=user, shop=shop).first()
    if membership is None:
        raise User.DoesNotExist(_("该员工不属于此店铺。"))
    if not can_manage_membership(actor, user, shop):
        raise StaffChangeRefused(
            _("不能把自己移出店铺。")
            if user.pk == actor.pk
            else _("只有超级管理员可以更改超级管理员的账号。")
        )
    role = membership.role
    membership.delete()
    audit(actor, "membership.ended", user, shop=shop, changes={"role": [role, None]}, now=now)


@transaction.atomic
def membership_set_role(
    *, actor: User, user: User, shop: Shop, role: Role, now: datetime
) -> Membership:
    require(actor, "staff.manage", shop)
    if user.is_superuser and not actor.is_superuser:
        raise StaffChangeRefused(_("只有超级管理员可以更改超级管理员的账号。"))
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
