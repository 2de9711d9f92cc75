import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import make_user
from tests.tickets.factories import make_ticket, received_order
from tickets.models import Ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _client(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client


def test_list_is_scoped_to_the_callers_shops(shop, other_shop, agent, now, api):
    mine = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    make_ticket(other_shop, TicketType.REFUND_ONLY, now)
    body = api(agent).get("/api/v1/tickets/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["shop"] == "shop-a" and body["results"][0]["sla_seconds_left"] > 0


def test_list_query_count_is_fixed(shop, agent, now, api, django_assert_num_queries):
    client = api(agent)
    for _ in range(3):
        make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    with django_assert_num_queries(2):
        client.get("/api/v1/tickets/?state=open")
    for _ in range(30):
        make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    with django_assert_num_queries(2):
        client.get("/api/v1/tickets/?state=open")


def test_detail_of_another_shops_ticket_is_a_404(shop, other_shop, now, api):
    foreign = make_ticket(other_shop, TicketType.REFUND_ONLY, now)
    assert (
        api(make_user(shop, Role.MANAGER)).get(f"/api/v1/tickets/{foreign.pk}/").status_code == 404
    )


def test_pre_sale_agent_sees_nothing(shop, staff, agent, now, api):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    client = api(staff[Role.PRE_SALE])
    # Refused like the queue page (it used to answer an empty list).
    assert client.get("/api/v1/tickets/").status_code == 403
    assert client.post("/api/v1/tickets/", {"shop": shop.code}).status_code == 403
    assert (
        client.post(f"/api/v1/tickets/{ticket.pk}/actions/", {"action": "approve"}).status_code
        == 404
    )


def test_actions_follow_the_state_machine_and_name_the_rule(shop, agent, now, api):
    ticket = make_ticket(shop, TicketType.DAMAGED, now, actor=agent)
    client = api(agent)
    refused = client.post(f"/api/v1/tickets/{ticket.pk}/actions/", {"action": "approve"})
    assert refused.status_code == 400 and refused.json()["rule"] == "photo_required"
    assert "photo_required" not in refused.json()["detail"]
    other = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ok = client.post(f"/api/v1/tickets/{other.pk}/actions/", {"action": "approve"})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    held = client.post(
        f"/api/v1/tickets/{other.pk}/actions/", {"action": "refund", "amount": "300.00"}
    )
    assert held.json()["state"] == "awaiting_approval"
    assert held.json()["pending_action"]["amount"] == "300.00"


def test_create_through_the_api(shop, agent, now, api):
    order = received_order(shop, now)
    response = api(agent).post(
        "/api/v1/tickets/",
        {"shop": "shop-a", "type": "exchange", "order_id": order.order_id, "reason": "size"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().buyer == order.buyer
    assert response.json()["events"][0]["kind"] == "created"


def test_create_in_another_shop_is_refused(shop, other_shop, agent, api):
    response = api(agent).post(
        "/api/v1/tickets/", {"shop": "shop-b", "type": "invoice", "buyer_nick": "x"}, format="json"
    )
    assert response.status_code == 403


def test_api_root_and_schema_list_tickets(agent, api):
    client = api(agent)
    assert "tickets" in client.get("/api/v1/").json()
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/tickets/{id}/actions/" in schema


@pytest.mark.parametrize("code", ["shop-b", "no-such-shop"])
def test_listing_a_shop_the_caller_does_not_work_is_a_404_like_the_orders_api(
    shop, other_shop, agent, now, api, code
):
    make_ticket(other_shop, TicketType.REFUND_ONLY, now)
    assert api(agent).get("/api/v1/tickets/", {"shop": code}).status_code == 404
    assert api(agent).get("/api/v1/tickets/", {"shop": "shop-a"}).status_code == 200
