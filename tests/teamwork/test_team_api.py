"""The teamwork API: tags, routing rules and webhook endpoints, with their refusals."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from teamwork.models import TagLink, WebhookEndpoint
from teamwork.routing import agent_group_save, routing_rule_create
from teamwork.tags import tag_create
from tests.factories import make_user
from tests.tickets.factories import make_ticket
from tickets.models import TicketType

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def vip(shop, staff, now):
    return tag_create(
        actor=staff[Role.SUPERVISOR], shop=shop, name="VIP", colour="#7a3cff", now=now
    )


def test_tags_are_listed_and_created_by_supervisors_only(shop, other_shop, staff, vip):
    agent = api(staff[Role.AFTER_SALE])
    listed = agent.get("/api/v1/tags/", {"shop": shop.code}).json()
    assert listed == [{"id": vip.pk, "name": "VIP", "colour": "#7a3cff", "description": ""}]
    refused = agent.post("/api/v1/tags/", {"shop": shop.code, "name": "大码", "colour": "#1664ff"})
    assert refused.status_code == 404  # a shop the caller may not act in, like an unknown one
    boss = api(staff[Role.SUPERVISOR])
    created = boss.post(
        "/api/v1/tags/", {"shop": shop.code, "name": "大码", "colour": "#1664ff"}, format="json"
    )
    assert created.status_code == 201 and created.json()["name"] == "大码"
    taken = boss.post("/api/v1/tags/", {"shop": shop.code, "name": "大码", "colour": "#1664ff"})
    assert taken.status_code == 400 and "已存在" in taken.json()["detail"]
    assert boss.get("/api/v1/tags/", {"shop": other_shop.code}).status_code == 404


def test_a_ticket_is_tagged_and_untagged_through_the_api(shop, other_shop, staff, vip, now):
    ticket = make_ticket(shop, TicketType.INVOICE, now)
    agent = api(staff[Role.AFTER_SALE])
    url = f"/api/v1/tags/on/ticket/{ticket.pk}/"
    added = agent.post(url, {"tag": vip.pk}, format="json")
    assert added.status_code == 200 and [t["name"] for t in added.json()] == ["VIP"]
    assert agent.get(url).json()[0]["id"] == vip.pk
    assert agent.delete(f"{url}{vip.pk}/").status_code == 204
    assert not TagLink.objects.exists()
    assert AuditEvent.objects.filter(verb__in=["tag.added", "tag.removed"]).count() == 2
    foreign = make_ticket(other_shop, TicketType.INVOICE, now)
    assert agent.post(f"/api/v1/tags/on/ticket/{foreign.pk}/", {"tag": vip.pk}).status_code == 404
    foreign_tag = tag_create(
        actor=make_user(other_shop, Role.SUPERVISOR),
        shop=other_shop,
        name="外店",
        colour="#1664ff",
        now=now,
    )
    assert agent.post(url, {"tag": foreign_tag.pk}).status_code == 404
    assert api(staff[Role.PRE_SALE]).post(url, {"tag": vip.pk}).status_code in (403, 404)
    assert not TagLink.objects.exists()


def test_routing_rules_are_listed_in_order_and_tested(shop, staff, now):
    boss = staff[Role.SUPERVISOR]
    agent = make_user(shop, Role.PRE_SALE)
    group = agent_group_save(actor=boss, shop=shop, name="大码专席", members=[agent], now=now)
    routing_rule_create(
        actor=boss, shop=shop, data={"group": group, "name": "大码", "keywords": "大码"}, now=now
    )
    routing_rule_create(
        actor=boss, shop=shop, data={"group": group, "name": "裤子", "keywords": "裤"}, now=now
    )
    client = api(boss)
    rules = client.get("/api/v1/routing/rules/", {"shop": shop.code}).json()
    assert [(r["position"], r["name"], r["group"]) for r in rules] == [
        (1, "大码", "大码专席"),
        (2, "裤子", "大码专席"),
    ]
    taken = client.post("/api/v1/routing/test/", {"shop": shop.code, "text": "大码裤子有吗"})
    assert taken.json()["rule"]["name"] == "大码"
    untaken = client.post("/api/v1/routing/test/", {"shop": shop.code, "text": "发货了吗"})
    assert untaken.json() == {"rule": None}
    assert api(agent).get("/api/v1/routing/rules/", {"shop": shop.code}).status_code == 404
    assert api(agent).get("/api/v1/routing/rules/").status_code == 403


def test_webhook_endpoints_register_with_the_secret_once(shop, other_shop, staff, monkeypatch):
    monkeypatch.delenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", raising=False)
    manager = api(staff[Role.MANAGER])
    created = manager.post(
        "/api/v1/webhooks/",
        {"shop": shop.code, "url": "http://93.184.216.34/in", "events": ["ticket.created"]},
        format="json",
    )
    assert created.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert created.json()["secret"] == endpoint.secret
    listed = manager.get("/api/v1/webhooks/", {"shop": shop.code}).json()
    assert listed == [
        {
            "id": endpoint.pk,
            "url": "http://93.184.216.34/in",
            "events": ["ticket.created"],
            "is_active": True,
            "created_at": listed[0]["created_at"],
        }
    ]
    private = manager.post(
        "/api/v1/webhooks/",
        {"shop": shop.code, "url": "http://10.0.0.8/in", "events": ["ticket.created"]},
        format="json",
    )
    assert private.status_code == 400 and "内网" in private.json()["detail"]
    unknown = manager.post(
        "/api/v1/webhooks/",
        {"shop": shop.code, "url": "http://93.184.216.34/in", "events": ["ticket.deleted"]},
        format="json",
    )
    assert unknown.status_code == 400 and "events" in unknown.json()
    assert manager.get("/api/v1/webhooks/deliveries/", {"shop": shop.code}).json() == []
    assert api(staff[Role.SUPERVISOR]).get("/api/v1/webhooks/").status_code == 403
    assert manager.get("/api/v1/webhooks/", {"shop": other_shop.code}).status_code == 404
    assert WebhookEndpoint.objects.count() == 1


def test_a_body_that_is_not_an_object_is_refused_not_a_server_error(shop, staff):
    boss = api(staff[Role.SUPERVISOR])
    answer = boss.post("/api/v1/routing/test/", 168782511446, format="json")
    assert answer.status_code == 400
