"""The dashboard of an owner of several shops: all of them together first, then each."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from kpi.days import local_day
from kpi.models import ShopDay
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db


def _yesterday(shop, **counters):
    today = local_day(timezone.now())
    return ShopDay.objects.create(
        shop=shop, day=today - timedelta(days=1), computed_at=timezone.now(), **counters
    )


@pytest.fixture
def owner_of_two(team, shop):
    second = make_shop(team, code="shop-a2", name="A二店")
    owner = make_user(shop, Role.MANAGER, username="owner2")
    Membership.objects.create(user=owner, shop=second, role=Role.MANAGER)
    _yesterday(
        shop,
        orders=10,
        sales=Decimal("1000.00"),
        inquiry_count=20,
        paying_count=5,
        orders_30d=100,
        refunded_30d=10,
        after_sale_30d=12,
    )
    _yesterday(
        second,
        orders=30,
        sales=Decimal("500.00"),
        inquiry_count=5,
        paying_count=5,
        orders_30d=20,
        refunded_30d=10,
        after_sale_30d=18,
    )
    return owner, second


def _values(rows) -> dict:
    return {row["key"]: row["values"] for row in rows}


def test_owner_of_two_shops_sees_the_sums_first_then_each_shop(login, shop, owner_of_two):
    owner, second = owner_of_two
    response = login(owner).get(reverse("kpi:dashboard"))
    assert response.status_code == 200
    combined = _values(response.context["combined"]["rows"])
    # yesterday's column: rates of the summed counts, not averages of the shops' rates
    assert combined["orders"][1] == "40" and combined["sales"][1] == "¥1,500.00"
    assert combined["inquiry_conversion"][1] == "40.0%"  # 10 / 25, not (25 % + 100 %) / 2
    assert combined["refund_rate"][1] == "16.7%"  # 20 / 120, not (10 % + 50 %) / 2
    assert combined["after_sale_rate"][1] == "25.0%"  # 30 / 120
    each = response.context["each"]
    assert [entry["shop"] for entry in each] == [shop, second]
    assert _values(each[0]["rows"])["inquiry_conversion"][1] == "25.0%"
    assert _values(each[1]["rows"])["refund_rate"][1] == "50.0%"
    html = response.content.decode()
    assert html.index('data-testid="kpi-combined"') < html.index('data-shop="shop-a"')
    assert html.index('data-shop="shop-a"') < html.index('data-shop="shop-a2"')
    assert f'href="/kpi/?shop={second.code}"' in html


def test_a_chosen_shop_shows_that_shops_dashboard(login, shop, owner_of_two):
    owner, second = owner_of_two
    response = login(owner).get(reverse("kpi:dashboard"), {"shop": second.code})
    assert response.status_code == 200 and response.context["shop"] == second
    assert "combined" not in response.context


def test_the_overview_shows_only_the_users_shops(login, shop, owner_of_two, other_shop):
    owner, _second = owner_of_two
    _yesterday(other_shop, orders=999)
    response = login(owner).get(reverse("kpi:dashboard"))
    assert [entry["shop"].code for entry in response.context["each"]] == ["shop-a", "shop-a2"]
    assert _values(response.context["combined"]["rows"])["orders"][1] == "40"
    assert login(owner).get(reverse("kpi:dashboard"), {"shop": "shop-b"}).status_code == 404


def test_the_overview_reads_its_rows_in_one_query_whatever_the_number_of_shops(
    login, team, shop, owner_of_two, django_assert_num_queries
):
    owner, _second = owner_of_two
    client = login(owner)
    client.get(reverse("kpi:dashboard"))  # today's figures into their cache
    with django_assert_num_queries(5):
        client.get(reverse("kpi:dashboard"))
    third = make_shop(team, code="shop-a3")
    Membership.objects.create(user=owner, shop=third, role=Role.MANAGER)
    _yesterday(third, orders=1)
    client.get(reverse("kpi:dashboard"))
    with django_assert_num_queries(5):
        response = client.get(reverse("kpi:dashboard"))
    assert len(response.context["each"]) == 3
    cache.clear()
