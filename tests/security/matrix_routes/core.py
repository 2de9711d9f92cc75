"""Accounts, audit, the API's own pages and the reply-script library."""

from .base import Route, pk_of, shop_code, shop_member, shop_query

script_pk = pk_of("script")


def text_to_check(ctx, shop):
    return {"text": "亲，这个肯定没问题", "shop": shop.code}


ROUTES: dict[str, Route] = {
    "home": Route(any_member=True),
    # The push stream of the pages (server-sent events): asking for a shop the user has
    # no role in is refused (tests/security/test_live_subscriptions.py: events too).
    "live:events": Route(
        any_member=True,
        data=lambda ctx, shop: {"shop": shop.pk},
        shop_scoped=True,
        foreign_status=frozenset({403}),
    ),
    "healthz": Route(public=True),
    "login": Route(public=True),
    "logout": Route(public=True, method="post"),
    "set_language": Route(public=True, method="post", data={"language": "en"}),
    "accounts:api_token": Route(any_member=True),
    "accounts:api_token#replace": Route(any_member=True, method="post"),
    "accounts:shop_settings": Route("shop.view", shop_code, shop_scoped=True),
    # Every member reads the settings; saving them is the manager's (an empty form: 200).
    "accounts:shop_settings#save": Route("shop.manage", shop_code, method="post", shop_scoped=True),
    "accounts:shop_staff": Route("staff.manage", shop_code, shop_scoped=True),
    "accounts:staff_deactivate": Route(
        "staff.manage", shop_member, method="post", shop_scoped=True
    ),
    # The victim works in shop A only, so its manager may switch the whole account.
    "accounts:staff_reactivate": Route(
        "staff.manage", shop_member, method="post", shop_scoped=True
    ),
    "accounts:staff_remove": Route("staff.manage", shop_member, method="post", shop_scoped=True),
    "audit:list": Route("audit.view"),
    "api-root": Route(any_member=True),
    "api-schema": Route(any_member=True),
    "api-docs": Route(any_member=True),
    "api-me": Route(any_member=True),
    "api-shops": Route(any_member=True),
    "scripts_lib:list": Route("scripts.use"),
    "scripts_lib:create": Route("scripts.edit"),
    "scripts_lib:edit": Route("scripts.edit", script_pk, shop_scoped=True),
    "scripts_lib:edit#save": Route("scripts.edit", script_pk, method="post", shop_scoped=True),
    "scripts_lib:versions": Route("scripts.use", script_pk, shop_scoped=True),
    "scripts_lib:use": Route("scripts.use", script_pk, method="post", shop_scoped=True),
    "scripts_lib:usage": Route("scripts.edit"),
    "scripts_lib:export": Route("scripts.use"),
    "scripts_lib:import": Route("scripts.edit"),
    "scripts_lib:pick": Route("scripts.use", data=shop_query),
    "scripts_lib:check": Route("scripts.use", method="post", data=text_to_check),
    "api-scripts": Route("scripts.use"),
    "api-scripts-check": Route("scripts.use", method="post", data=text_to_check),
}
