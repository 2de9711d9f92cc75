"""Every route × every role × own shop vs foreign shop × anonymous, with the expected answer.

A route that is not in ROUTES fails ``test_every_route_is_in_the_matrix``: adding a page or
an endpoint means saying here who may reach it. Expectations derive from the permission
module's action table, so the matrix and the rules cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.permissions import ACTIONS
from accounts.roles import Role
from tests.factories import make_user

ALLOWED = {200, 204}
REFUSED = {403, 404}


@dataclass(frozen=True)
class Route:
    """How to reach a route and who may.

    ``action``: the permission action guarding it (None with ``public`` or ``any_member``).
    ``kwargs(ctx, shop)``: URL arguments for an object of ``shop``; with a shop-scoped route
    the matrix also tries the foreign shop's object, which must be a 404.
    ``data``: the query or form data, a dict or ``data(ctx, shop)``.
    """

    action: str | None = None
    kwargs: Callable | None = None
    method: str = "get"
    public: bool = False
    any_member: bool = False
    shop_scoped: bool = False
    data: dict | Callable = field(default_factory=dict)


def shop_code(ctx, shop):
    return {"code": shop.code}


def shop_member(ctx, shop):
    return {"code": shop.code, "user_id": ctx.member_of[shop.pk].pk}


def shop_query(ctx, shop):
    return {"shop": shop.code}


def script_pk(ctx, shop):
    return {"pk": ctx.script_of[shop.pk].pk}


def text_to_check(ctx, shop):
    return {"text": "亲，这个肯定没问题", "shop": shop.code}


ROUTES: dict[str, Route] = {
    "home": Route(any_member=True),
    "healthz": Route(public=True),
    "login": Route(public=True),
    "logout": Route(public=True, method="post"),
    "set_language": Route(public=True, method="post", data={"language": "en"}),
    "accounts:api_token": Route(any_member=True),
    "accounts:shop_settings": Route("shop.view", shop_code, shop_scoped=True),
    "accounts:shop_staff": Route("staff.manage", shop_code, shop_scoped=True),
    "accounts:staff_deactivate": Route(
        "staff.manage", shop_member, method="post", shop_scoped=True
    ),
    "audit:list": Route("audit.view"),
    "api-root": Route(any_member=True),
    "api-schema": Route(any_member=True),
    "api-docs": Route(any_member=True),
    "api-me": Route(any_member=True),
    "api-shops": Route(any_member=True),
    "scripts_lib:list": Route("scripts.use"),
    "scripts_lib:create": Route("scripts.edit"),
    "scripts_lib:edit": Route("scripts.edit", script_pk, shop_scoped=True),
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

IGNORED_NAMESPACES = {"admin"}


def _route_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in IGNORED_NAMESPACES:
                names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix():
    missing = sorted(_route_names(get_resolver().url_patterns) - set(ROUTES))
    assert not missing, f"add these routes to the authorization matrix: {missing}"


def _script(shop):
    from django.utils import timezone

    from scripts_lib.services import ScriptData, script_create

    data = ScriptData(category="greeting", title="问候", code="hi", body="{buyer_nick}您好")
    return script_create(actor=None, team=shop.team, shop=shop, data=data, now=timezone.now())


class Context:
    def __init__(self, shop, other_shop, staff):
        self.shop, self.other_shop, self.staff = shop, other_shop, staff
        victim = make_user(shop, Role.PRE_SALE, username="victim_a")
        foreign_victim = make_user(other_shop, Role.PRE_SALE, username="victim_b")
        self.member_of = {shop.pk: victim, other_shop.pk: foreign_victim}
        self.script_of = {s.pk: _script(s) for s in (shop, other_shop)}


@pytest.fixture
def ctx(shop, other_shop, staff):
    return Context(shop, other_shop, staff)


def _request(client: Client, route: Route, name: str, ctx, shop):
    kwargs = route.kwargs(ctx, shop) if route.kwargs else None
    data = route.data(ctx, shop) if callable(route.data) else route.data
    return getattr(client, route.method)(reverse(name, kwargs=kwargs), data)


def _expect_allowed(role: Role, route: Route) -> bool:
    return route.public or route.any_member or role in ACTIONS[route.action]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_in_own_shop(name, ctx, client):
    """One test per route; the roles are tried in turn and every wrong answer is reported."""
    route = ROUTES[name]
    wrong = []
    for role in Role:
        client.force_login(ctx.staff[role])
        status = _request(client, route, name, ctx, ctx.shop).status_code
        expected = ALLOWED | {302} if _expect_allowed(role, route) else REFUSED
        if status not in expected:
            wrong.append(f"{role.value}: {status}")
    assert not wrong, f"{name}: {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.shop_scoped))
def test_foreign_shop_object_is_404_even_for_a_manager(name, ctx, client):
    route = ROUTES[name]
    client.force_login(ctx.staff[Role.MANAGER])
    response = _request(client, route, name, ctx, ctx.other_shop)
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if not r.public))
def test_anonymous_is_sent_to_login_or_refused(name, ctx, client):
    route = ROUTES[name]
    response = _request(client, route, name, ctx, ctx.shop)
    kwargs = route.kwargs(ctx, ctx.shop) if route.kwargs else None
    if reverse(name, kwargs=kwargs).startswith("/api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.method == "post"))
def test_post_without_csrf_token_is_refused(name, ctx):
    route = ROUTES[name]
    client = Client(enforce_csrf_checks=True)
    client.force_login(ctx.staff[Role.MANAGER])
    assert _request(client, route, name, ctx, ctx.shop).status_code == 403
