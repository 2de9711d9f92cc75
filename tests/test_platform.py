"""Settings, security headers, health, API root: the parts every page relies on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent


def _start_in_production(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.update({"DJANGO_DEBUG": "0", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "helpdesk.settings"},
        capture_output=True,
        text=True,
    )


def test_production_start_fails_naming_the_missing_secret():
    result = _start_in_production()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_start_fails_naming_the_missing_database():
    result = _start_in_production(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="helpdesk.example.com"
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_csp_without_inline_script(login, staff):
    response = login(staff[Role.PRE_SALE]).get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    assert "<script>" not in body and " onclick=" not in body


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "database": True,
        "broker": True,
        "push": True,
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from helpdesk import health

    monkeypatch.setattr(health, "broker_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_the_push_layer_is_down(client, monkeypatch):
    from live.broker import broker

    monkeypatch.setattr(broker(), "ping", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["push"] is False


@pytest.mark.django_db
def test_api_needs_login_and_accepts_tokens(client, staff):
    from rest_framework.authtoken.models import Token

    assert client.get("/api/v1/").status_code in (401, 403)
    token = Token.objects.create(user=staff[Role.IN_SALE])
    response = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "schema" in response.json()


@pytest.mark.django_db
def test_openapi_schema_is_served(login, staff):
    response = login(staff[Role.PRE_SALE]).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


@pytest.mark.django_db
def test_english_is_one_switch_away(login, staff):
    client = login(staff[Role.PRE_SALE])
    assert "退出" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_shops_api_lists_only_the_callers_shops_with_role(login, staff, shop, other_shop):
    response = login(staff[Role.IN_SALE]).get("/api/v1/shops/")
    assert response.status_code == 200
    assert response.json() == [
        {"code": "shop-a", "name": "A店", "platform": "taobao", "role": "in_sale"}
    ]


@pytest.mark.django_db
def test_shop_action_permission_refuses_roles_without_the_action(rf, staff, shop, other_shop):
    from accounts.api import ShopAction
    from tests.factories import make_order

    view = type("View", (), {"shop_action": "problems.work"})()
    request = rf.get("/")
    request.user = staff[Role.PRE_SALE]
    assert not ShopAction().has_permission(request, view)
    request.user = staff[Role.IN_SALE]
    assert ShopAction().has_permission(request, view)
    assert ShopAction().has_object_permission(request, view, make_order(shop))
    assert not ShopAction().has_object_permission(request, view, make_order(other_shop))


@pytest.mark.django_db
def test_error_pages_speak_the_product(login, staff):
    response = login(staff[Role.PRE_SALE]).get("/audit/")
    assert response.status_code == 403 and "没有权限" in response.content.decode()
    response = login(staff[Role.PRE_SALE]).get("/accounts/shops/nope/")
    assert response.status_code == 404 and "找不到页面" in response.content.decode()
