"""Login, throttling, deactivation: personal accounts whose access ends at once."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from accounts.services import user_deactivate
from audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_deactivation_ends_sessions_and_tokens_at_once(client, staff, shop, now):
    agent, manager = staff[Role.PRE_SALE], staff[Role.MANAGER]
    client.force_login(agent)
    token = Token.objects.create(user=agent)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1

    user_deactivate(actor=manager, user=agent, shop=shop, now=now)

    assert Session.objects.count() == 0
    assert not Token.objects.filter(pk=token.pk).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url
    api = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 401
    event = AuditEvent.objects.get(verb="user.deactivated")
    assert event.changes == {"is_active": [True, False]} and event.actor == manager


def test_deactivation_through_the_admin_also_ends_sessions_with_an_audit_event(client, staff, rf):
    from types import SimpleNamespace

    from django.contrib.admin.sites import site

    from accounts.models import User

    agent, manager = staff[Role.IN_SALE], staff[Role.MANAGER]
    client.force_login(agent)
    token = Token.objects.create(user=agent)
    agent.is_active = False
    request = rf.post("/admin/")
    request.user = manager
    site._registry[User].save_model(
        request, agent, SimpleNamespace(changed_data=["is_active"]), change=True
    )
    assert Session.objects.count() == 0
    assert not Token.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(verb="user.access_revoked")
    assert event.actor == manager and event.changes["api_tokens"] == [1, 0]


def test_api_token_rotation_replaces_the_key_and_is_audited(client, staff):
    agent = staff[Role.PRE_SALE]
    old = Token.objects.create(user=agent)
    client.force_login(agent)
    assert client.post(reverse("accounts:api_token")).status_code == 200
    new = Token.objects.get(user=agent)
    assert new.key != old.key
    event = AuditEvent.objects.get(verb="user.api_token_rotated")
    assert event.actor == agent and event.changes == {"replaced": [True, True]}


def test_only_a_manager_may_deactivate(staff, shop, now):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_deactivate(actor=staff[Role.SUPERVISOR], user=staff[Role.PRE_SALE], shop=shop, now=now)
    staff[Role.PRE_SALE].refresh_from_db()
    assert staff[Role.PRE_SALE].is_active


def test_manager_deactivates_from_the_staff_page(login, staff, shop):
    client = login(staff[Role.MANAGER])
    agent = staff[Role.AFTER_SALE]
    url = reverse("accounts:staff_deactivate", args=[shop.code, agent.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    agent.refresh_from_db()
    assert not agent.is_active


def test_manager_cannot_deactivate_staff_of_a_foreign_shop(login, staff, other_shop):
    from tests.factories import make_user

    foreigner = make_user(other_shop, Role.PRE_SALE)
    client = login(staff[Role.MANAGER])
    url = reverse("accounts:staff_deactivate", args=[other_shop.code, foreigner.pk])
    assert client.post(url).status_code == 404
    foreigner.refresh_from_db()
    assert foreigner.is_active


def test_wrong_password_gets_a_generic_message(client, staff):
    response = client.post(
        reverse("login"), {"username": staff[Role.PRE_SALE].username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    assert "用户名或密码不正确" in unknown.content.decode()


def test_login_is_throttled_after_repeated_failures(client, staff, settings):
    username = staff[Role.PRE_SALE].username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_redirects_only_to_this_site(client, staff):
    response = client.post(
        reverse("login") + "?next=https://evil.example.com/",
        {
            "username": staff[Role.PRE_SALE].username,
            "password": PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
