"""The orders REST API: filters, query budget, per-shop authorization, problem actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from orders.models import Memo, MemoFlag, OrderItem, ProblemState
from orders.states import OrderState
from tests.factories import at, make_buyer, make_order, make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _client(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client


def _with_details(order, now):
    OrderItem.objects.create(order=order, line_key="1", title="T恤", price="49.00", quantity=1)
    Memo.objects.create(order=order, reason="加急", work_number="2001", created_at=now)


def test_orders_list_filters_by_state_buyer_and_dates(api, shop, staff):
    buyer = make_buyer(shop, nick="小鹿乱撞的猫")
    paid = make_order(shop, buyer=buyer, ordered_at=at(2026, 11, 20, 9, 0))
    make_order(shop, state=OrderState.SHIPPED, ordered_at=at(2026, 11, 22, 9, 0))
    make_order(shop, buyer=buyer, ordered_at=at(2026, 11, 1, 9, 0))
    client = api(staff[Role.PRE_SALE])
    ids = lambda q: {row["id"] for row in client.get(f"/api/v1/orders/?{q}").data["results"]}  # noqa: E731
    assert len(ids("")) == 3
    assert ids("state=paid&date_from=2026-11-15") == {paid.pk}
    assert ids("buyer=小鹿&date_from=2026-11-15") == {paid.pk}
    assert client.get("/api/v1/orders/?state=nonsense").status_code == 400


def test_orders_list_never_shows_another_shops_orders(api, shop, other_shop):
    make_order(other_shop)
    mine = make_order(shop)
    client = api(make_user(shop, Role.PRE_SALE))
    assert [r["id"] for r in client.get("/api/v1/orders/").data["results"]] == [mine.pk]
    assert client.get("/api/v1/orders/?shop=shop-b").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/orders/?page_size=100", "/api/v1/problems/?page_size=100"]
)
def test_list_query_count_does_not_grow_with_rows(
    api, shop, staff, now, path, django_assert_num_queries
):
    client = api(staff[Role.IN_SALE])

    def fill(n):
        for _ in range(n):
            order = make_order(shop)
            _with_details(order, now)
            make_problem(shop, now, order=order, assignee=staff[Role.IN_SALE])

    fill(10)
    client.get(path)  # warm-up: the first request also loads what every later one reuses
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(path).data["results"]) == 10
    fill(90)
    with django_assert_num_queries(len(small)):
        assert len(client.get(path).data["results"]) == 100


def test_order_detail_has_items_memos_problems_and_history(api, shop, staff, now):
    order = make_order(shop)
    _with_details(order, now)
    make_problem(shop, now, order=order)
    data = api(staff[Role.PRE_SALE]).get(f"/api/v1/orders/{order.pk}/").data
    assert data["order_id"] == order.order_id
    assert data["memos"][0]["reason"] == "加急" and data["memos"][0]["work_number"] == "2001"
    assert (
        data["items"][0]["title"] == "T恤" and data["problems"][0]["category"] == "address_change"
    )
    assert data["state_changes"] == []


def test_foreign_objects_are_404_in_the_api(api, shop, other_shop, now):
    problem = make_problem(shop, now)
    client = api(make_user(other_shop, Role.MANAGER))
    assert client.get(f"/api/v1/orders/{problem.order.pk}/").status_code == 404
    assert client.post(f"/api/v1/problems/{problem.pk}/claim/").status_code == 404
    assert (
        client.post(f"/api/v1/problems/{problem.pk}/transition/", {"action": "contact"}).status_code
        == 404
    )
    assert client.post(f"/api/v1/problems/{problem.pk}/memos/", {"reason": "x"}).status_code == 404
    assert client.get("/api/v1/problems/").data["results"] == []


def test_pre_sale_agents_cannot_list_or_work_problems(api, shop, staff, now):
    problem = make_problem(shop, now)
    client = api(staff[Role.PRE_SALE])
    assert client.get("/api/v1/problems/").status_code == 403
    assert client.post(f"/api/v1/problems/{problem.pk}/claim/").status_code == 404
    assert client.post("/api/v1/problems/claim-next/", {}).status_code == 403


def test_claim_transition_and_memo_through_the_api(api, shop, staff, now):
    agent = staff[Role.IN_SALE]
    problem = make_problem(shop, now)
    client = api(agent)
    data = client.post(f"/api/v1/problems/{problem.pk}/claim/").data
    assert data["assignee"] == {"id": agent.pk, "label": agent.label}
    other = api(make_user(shop, Role.IN_SALE))
    conflict = other.post(f"/api/v1/problems/{problem.pk}/claim/")
    assert conflict.status_code == 409 and agent.label in conflict.data["detail"]
    memo = client.post(
        f"/api/v1/problems/{problem.pk}/memos/", {"reason": "已电话联系", "flag": "yellow"}
    )
    assert memo.status_code == 201
    assert (memo.data["flag"], memo.data["work_number"]) == (MemoFlag.YELLOW, agent.work_number)
    bad = client.post(f"/api/v1/problems/{problem.pk}/transition/", {"action": "resolve"})
    assert bad.status_code == 400 and "处理结果" in bad.data["detail"]
    done = client.post(
        f"/api/v1/problems/{problem.pk}/transition/", {"action": "resolve", "reason": "已改好"}
    )
    assert done.status_code == 200 and done.data["state"] == ProblemState.RESOLVED
    again = client.post(f"/api/v1/problems/{problem.pk}/transition/", {"action": "contact"})
    assert again.status_code == 409


def test_claim_next_through_the_api(api, shop, staff, now):
    client = api(staff[Role.IN_SALE])
    problem = make_problem(shop, now)
    assert client.post("/api/v1/problems/claim-next/", {}).data["id"] == problem.pk
    assert client.post("/api/v1/problems/claim-next/", {}).status_code == 204


def test_the_api_is_documented_and_linked_from_the_root(api, staff):
    client = api(staff[Role.IN_SALE])
    root = client.get("/api/v1/").data
    assert root["orders"].endswith("/api/v1/orders/") and root["problems"].endswith(
        "/api/v1/problems/"
    )
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in [
        "/api/v1/orders/",
        "/api/v1/orders/{id}/",
        "/api/v1/problems/",
        "/api/v1/problems/{id}/claim/",
        "/api/v1/problems/{id}/transition/",
        "/api/v1/problems/{id}/memos/",
        "/api/v1/problems/claim-next/",
    ]:
        assert path in schema["paths"], path
