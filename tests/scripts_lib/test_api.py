import pytest

from accounts.roles import Role

from .factories import make_script

pytestmark = pytest.mark.django_db


def test_api_lists_the_shops_effective_library(login, staff, team, shop, other_shop):
    make_script(team, None, code="hy", body="团队版")
    make_script(team, shop, code="hy", body="本店版")
    make_script(team, None, code="cf", category="payment_reminder", title="催付提醒")
    make_script(other_shop.team, other_shop, code="zz")
    client = login(staff[Role.PRE_SALE])
    response = client.get("/api/v1/scripts/", {"shop": shop.code})
    assert [(r["code"], r["body"], r["shop"]) for r in response.json()["results"]] == [
        ("hy", "本店版", "shop-a"),
        ("cf", "您好，{buyer_nick}", None),
    ]
    assert client.get("/api/v1/scripts/", {"q": "cftx"}).json()["count"] == 1
    assert client.get("/api/v1/scripts/", {"shop": other_shop.code}).status_code == 404


def test_api_check_returns_findings(login, staff):
    client = login(staff[Role.PRE_SALE])
    response = client.post(
        "/api/v1/scripts/check/", {"text": "嗯"}, content_type="application/json"
    )
    assert response.json() == [
        {
            "rule": "bare_particle",
            "start": 0,
            "end": 1,
            "message": response.json()[0]["message"],
            "suggestion": "好的，亲，已经帮您记下了",
        }
    ]


def test_api_needs_a_login(client):
    assert client.get("/api/v1/scripts/").status_code in (401, 403)
