"""Every route × every role × own shop vs foreign shop × anonymous, with the expected answer.

A route that is not in ROUTES fails ``test_every_route_is_in_the_matrix``: adding a page or
an endpoint means saying here who may reach it. Expectations derive from the permission
module's action table, so the matrix and the rules cannot drift apart.

The table lives in ``matrix_routes/<app>.py``; a key is a URL name, or ``name#variant``
for another method or form of the same URL (a page read by everyone whose POST needs
another action). Objects the routes act on are built lazily by ``Context.obj`` (see
``matrix_routes/base.py``). The routes no staff session authorizes (the buyers' chat
page, the signed channel endpoint) are proven in ``test_public_routes.py``.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.permissions import ACTIONS
from accounts.roles import Role
from audit.models import AuditEvent

from .matrix_routes import ROUTES, Context, Route

ALLOWED = {200, 201, 204}
REFUSED = {403, 404}

STAFF_ROUTES = sorted(n for n, r in ROUTES.items() if not r.channel_signed)

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


def _url_name(key: str) -> str:
    """ROUTES keys are URL names, or "name#variant" for another method or form of it."""
    return key.partition("#")[0]


def test_every_route_is_in_the_matrix():
    missing = sorted(_route_names(get_resolver().url_patterns) - {_url_name(k) for k in ROUTES})
    assert not missing, f"add these routes to the authorization matrix: {missing}"


@pytest.fixture
def ctx(shop, other_shop, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"  # ticket photos, import files
    return Context(shop, other_shop, staff)


def _prepare(route: Route, name: str, ctx, shop) -> tuple[str, dict]:
    """The URL and data for ``shop``; builds the objects they name (before any count)."""
    kwargs = route.kwargs(ctx, shop) if route.kwargs else None
    data = route.data(ctx, shop) if callable(route.data) else route.data
    return reverse(_url_name(name), kwargs=kwargs), data


def _request(client: Client, route: Route, name: str, ctx, shop):
    url, data = _prepare(route, name, ctx, shop)
    return getattr(client, route.method)(url, data)


def _expect_allowed(role: Role, route: Route) -> bool:
    return route.public or route.any_member or role in ACTIONS[route.action]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ROUTES)
def test_each_role_in_own_shop(name, ctx, client):
    """One test per route; the roles are tried in turn and every wrong answer is reported.

    An allowed role may also get the route's ``also_ok`` statuses (a validation error or a
    conflict is an answer to someone who may act); a refused role gets 403/404 and must not
    have changed anything (no audit event written)."""
    route = ROUTES[name]
    wrong = []
    for role in Role:
        client.force_login(ctx.staff[role])
        allowed = _expect_allowed(role, route)
        url, data = _prepare(route, name, ctx, ctx.shop)
        events = AuditEvent.objects.count()
        status = getattr(client, route.method)(url, data).status_code
        expected = ALLOWED | {302} | route.also_ok if allowed else REFUSED
        if status not in expected:
            wrong.append(f"{role.value}: {status}")
        elif not allowed and AuditEvent.objects.count() != events:
            wrong.append(f"{role.value}: refused with {status} but an audit event was written")
    assert not wrong, f"{name}: {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.shop_scoped))
def test_foreign_shop_object_is_404_even_for_a_manager(name, ctx, client):
    """A foreign object (or shop code) is a 404, or the route's ``foreign_status`` for a
    create naming the shop in its body; either way nothing is written."""
    route = ROUTES[name]
    client.force_login(ctx.staff[Role.MANAGER])
    url, data = _prepare(route, name, ctx, ctx.other_shop)
    events = AuditEvent.objects.count()
    response = getattr(client, route.method)(url, data)
    assert response.status_code in route.foreign_status
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if not (r.public or r.channel_signed))
)
def test_anonymous_is_sent_to_login_or_refused(name, ctx, client):
    route = ROUTES[name]
    response = _request(client, route, name, ctx, ctx.shop)
    if _prepare(route, name, ctx, ctx.shop)[0].startswith("/api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if r.method == "post" and not r.channel_signed)
)
def test_post_without_csrf_token_is_refused(name, ctx):
    """(The signed channel endpoint is CSRF-exempt by design: its HMAC signature is the
    proof of origin, see test_public_routes.py.)"""
    route = ROUTES[name]
    client = Client(enforce_csrf_checks=True)
    client.force_login(ctx.staff[Role.MANAGER])
    assert _request(client, route, name, ctx, ctx.shop).status_code == 403
