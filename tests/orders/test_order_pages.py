"""The orders list and the order page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from orders.models import Memo, MemoFlag
from orders.states import OrderState
from tests.factories import at, make_buyer, make_order, make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db


def test_orders_list_filters(login, shop, staff):
    buyer = make_buyer(shop, nick="糖糖不吃糖")
    wanted = make_order(shop, buyer=buyer, ordered_at=at(2026, 11, 20, 9, 0))
    make_order(shop, state=OrderState.SHIPPED, ordered_at=at(2026, 11, 20, 9, 0))
    make_order(shop, buyer=buyer, ordered_at=at(2026, 10, 1, 9, 0))
    client = login(staff[Role.PRE_SALE])
    response = client.get("/orders/?buyer=糖糖&state=paid&date_from=2026-11-01&date_to=2026-11-22")
    assert [o.pk for o in response.context["page"]] == [wanted.pk]
    partial = client.get("/orders/?buyer=糖糖", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="order-rows"' in partial and "<html" not in partial


def test_orders_list_query_count_does_not_grow(login, shop, staff, django_assert_num_queries):
    client = login(staff[Role.PRE_SALE])
    for _ in range(5):
        make_order(shop)
    with CaptureQueriesContext(connection) as small:
        client.get("/orders/")
    for _ in range(45):
        make_order(shop)
    with django_assert_num_queries(len(small)):
        assert len(client.get("/orders/").context["page"]) == 50


def test_order_page_shows_memos_problems_and_writes_a_memo(login, shop, staff, now):
    problem = make_problem(shop, now)
    order = problem.order
    Memo.objects.create(order=order, reason="仓库请先别发", work_number="2001", created_at=now)
    client = login(staff[Role.IN_SALE])
    body = client.get(f"/orders/{order.pk}/").content.decode()
    assert "仓库请先别发" in body and "改地址" in body
    client.post(f"/orders/{order.pk}/memo/", {"text": "买家要求加急", "flag": "yellow"})
    memo = Memo.objects.filter(order=order).first()
    assert (memo.reason, memo.flag, memo.work_number) == (
        "买家要求加急",
        MemoFlag.YELLOW,
        staff[Role.IN_SALE].work_number,
    )


def test_pre_sale_cannot_write_memos_and_strangers_get_404(login, shop, other_shop, staff):
    order = make_order(shop)
    assert (
        login(staff[Role.PRE_SALE])
        .post(f"/orders/{order.pk}/memo/", {"text": "x", "flag": "red"})
        .status_code
        == 403
    )
    stranger = login(make_user(other_shop, Role.MANAGER))
    assert stranger.get(f"/orders/{order.pk}/").status_code == 404
    assert (
        stranger.post(f"/orders/{order.pk}/memo/", {"text": "x", "flag": "red"}).status_code == 404
    )
    assert not Memo.objects.exists()
