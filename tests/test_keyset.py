"""Keyset pagination (helpdesk/keyset.py) on the lists whose depth grows without end: the
audit log, orders (page and API), reviews (list, register and API) and the outbox's sent
messages. Walking the pages shows every row once, in order, ties on the timestamp
included; a cursor that was edited or made for another list is refused; filters and the
user's shops hold on every page; a deep page runs the queries of the first."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from django.core import signing
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.roles import Role
from audit.models import AUDIT_PAGES, AuditEvent
from chats.models import OutboxStatus
from helpdesk.keyset import OLDER, BadCursor
from orders.models import ORDER_PAGES, Order
from reviews.models import Review
from tests.factories import make_order, make_shop, make_user
from tests.outreach.test_pages import outbox_row
from tests.reviews.factories import make_review

pytestmark = pytest.mark.django_db


def events(shop, now, count: int, *, same_time_every: int = 7) -> None:
    """``count`` events; runs of ``same_time_every`` share one timestamp (ties)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            shop=shop,
            verb="ticket.created" if n % 3 else "review.contacted",
            object_type="ticket",
            object_id=str(n),
            object_repr=f"#{n}",
            created_at=now - timedelta(minutes=n // same_time_every),
        )
        for n in range(count)
    )


def walk(client, url: str, key: str = "page") -> list:
    """Every page from the newest, following "older" links: the rows of each page."""
    pages = []
    response = client.get(url)
    while True:
        assert response.status_code == 200
        page = response.context[key]
        pages.append([row.pk for row in page])
        if not page.older_query:
            return pages
        response = client.get(f"{url.partition('?')[0]}?{page.older_query}")


def expected(queryset) -> list[int]:
    return list(queryset.order_by("-created_at", "-pk").values_list("pk", flat=True))


def test_walking_the_audit_log_shows_every_event_once_in_order_with_ties(login, staff, shop, now):
    events(shop, now, 123)
    pages = walk(login(staff[Role.SUPERVISOR]), "/audit/")
    assert [len(page) for page in pages] == [50, 50, 23]
    assert [pk for page in pages for pk in page] == expected(AuditEvent.objects.all())


def test_walking_back_newer_gives_the_same_pages(login, staff, shop, now):
    events(shop, now, 123)
    client = login(staff[Role.SUPERVISOR])
    forward = walk(client, "/audit/")
    response = client.get("/audit/")
    for _ in range(2):
        response = client.get(f"/audit/?{response.context['page'].older_query}")
    backward = [[row.pk for row in response.context["page"]]]
    while response.context["page"].newer_query:
        response = client.get(f"/audit/?{response.context['page'].newer_query}")
        backward.insert(0, [row.pk for row in response.context["page"]])
    assert backward == forward
    assert response.context["page"].newest_query is None


def test_filters_are_kept_on_every_page(login, staff, shop, now):
    events(shop, now, 200)
    client = login(staff[Role.SUPERVISOR])
    first = client.get("/audit/", {"verb": "review", "shop": shop.pk})
    older = first.context["page"].older_query
    assert parse_qs(older)["verb"] == ["review"] and parse_qs(older)["shop"] == [str(shop.pk)]
    pages = walk(client, f"/audit/?verb=review&shop={shop.pk}")
    assert [pk for page in pages for pk in page] == expected(
        AuditEvent.objects.filter(verb__startswith="review")
    )


def test_a_cursor_shows_only_the_users_shops(login, staff, shop, other_shop, now):
    events(shop, now, 60)
    events(other_shop, now, 60)
    client = login(staff[Role.SUPERVISOR])
    pages = walk(client, "/audit/")
    assert [pk for page in pages for pk in page] == expected(AuditEvent.objects.filter(shop=shop))
    # a cursor taken from a row of another shop only says where to start
    foreign = AuditEvent.objects.filter(shop=other_shop).order_by("-created_at", "-pk")[10]
    response = client.get("/audit/", {"cursor": AUDIT_PAGES.cursor(foreign, OLDER)})
    assert {row.shop_id for row in response.context["page"]} == {shop.pk}


def test_only_supervisors_reach_the_audit_log_with_or_without_a_cursor(login, staff, shop, now):
    events(shop, now, 60)
    cursor = AUDIT_PAGES.cursor(AuditEvent.objects.first(), OLDER)
    assert login(staff[Role.PRE_SALE]).get("/audit/", {"cursor": cursor}).status_code == 403


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "",
        signing.dumps(["o", "2026-11-23T10:00:00+08:00", 5], salt="helpdesk.keyset.orders"),
        signing.dumps(["x", "2026-11-23T10:00:00+08:00", 5], salt="helpdesk.keyset.audit"),
        signing.dumps(["o", "2026-11-23T10:00:00", 5], salt="helpdesk.keyset.audit"),
        signing.dumps(["o", "yesterday", 5], salt="helpdesk.keyset.audit"),
        signing.dumps(["o", "2026-11-23T10:00:00+08:00", "5"], salt="helpdesk.keyset.audit"),
        signing.dumps({"o": 1}, salt="helpdesk.keyset.audit"),
    ],
)
def test_a_bad_cursor_shows_the_newest_page_with_a_message_and_status_400(
    login, staff, shop, now, cursor
):
    events(shop, now, 60)
    response = login(staff[Role.SUPERVISOR]).get("/audit/", {"cursor": cursor})
    newest = [row.pk for row in response.context["page"]]
    assert newest == expected(AuditEvent.objects.all())[:50]
    if cursor:  # an empty cursor is no cursor
        assert response.status_code == 400
        assert "翻页位置无效" in response.content.decode()


def test_an_edited_cursor_is_refused():
    good = AUDIT_PAGES.cursor(
        AuditEvent(pk=9, created_at=datetime(2026, 11, 23, 2, tzinfo=UTC)), OLDER
    )
    assert AUDIT_PAGES.position(good)[2] == 9
    with pytest.raises(BadCursor):
        AUDIT_PAGES.position(good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    with pytest.raises(BadCursor):
        ORDER_PAGES.position(good)


def test_a_deep_audit_page_runs_the_first_pages_queries_at_two_sizes(
    login, staff, shop, now, django_assert_num_queries
):
    client = login(staff[Role.SUPERVISOR])
    client.get("/audit/")
    for size in (120, 400):
        AuditEvent.objects.all().delete()
        events(shop, now, size)
        deep = AuditEvent.objects.order_by("-created_at", "-pk")[size - 60]
        with django_assert_num_queries(7):  # the first page's pin (tests/pins)
            response = client.get("/audit/", {"cursor": AUDIT_PAGES.cursor(deep, OLDER)})
        assert len(response.context["page"]) == 50


# --- orders: the page, the API, and orders without a creation time -----------------------


def orders(shop, now, count: int) -> None:
    for n in range(count):
        make_order(shop, ordered_at=None if n % 10 == 9 else now - timedelta(hours=n // 4))


def expected_orders(queryset) -> list[int]:
    return [
        order.pk
        for order in sorted(
            queryset, key=lambda o: (o.ordered_at is not None, o.ordered_at, o.pk), reverse=True
        )
    ]


def test_walking_the_orders_list_reaches_orders_without_a_time_last(login, staff, shop, now):
    orders(shop, now, 112)
    pages = walk(login(staff[Role.PRE_SALE]), "/orders/")
    assert [len(page) for page in pages] == [50, 50, 12]
    walked = [pk for page in pages for pk in page]
    assert walked == expected_orders(Order.objects.all())
    assert Order.objects.get(pk=walked[-1]).ordered_at is None


def test_walking_the_orders_api_by_its_next_links_shows_every_order_once(shop, staff, now):
    orders(shop, now, 57)
    client = APIClient()
    client.force_authenticate(staff[Role.IN_SALE])
    url, walked, sizes = "/api/v1/orders/?page_size=20&state=paid", [], []
    while url:
        body = client.get(url).json()
        sizes.append(len(body["results"]))
        walked += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sizes == [20, 20, 17] and "count" not in body
    assert walked == expected_orders(Order.objects.filter(state="paid"))
    back = client.get(body["previous"]).json()
    assert [row["id"] for row in back["results"]] == walked[20:40]


def test_a_user_of_two_shops_walks_the_orders_of_both_in_one_order(shop, now):
    second = make_shop(shop.team, code="shop-a2", name="A二店")
    user = make_user(shop, Role.SUPERVISOR)
    Membership.objects.create(user=user, shop=second, role=Role.SUPERVISOR)
    orders(shop, now, 30)
    orders(second, now - timedelta(minutes=30), 30)
    client = APIClient()
    client.force_authenticate(user)
    url, walked = "/api/v1/orders/?page_size=25", []
    while url:
        body = client.get(url).json()
        walked += [row["id"] for row in body["results"]]
        url = body["next"]
    assert walked == expected_orders(Order.objects.all())


def test_the_orders_api_refuses_a_bad_cursor_with_400(shop, staff, now):
    orders(shop, now, 3)
    client = APIClient()
    client.force_authenticate(staff[Role.IN_SALE])
    response = client.get("/api/v1/orders/", {"cursor": "x" * 40})
    assert response.status_code == 400 and "cursor" in response.json()


# --- reviews and the outbox ----------------------------------------------------------------


def test_walking_the_review_register_with_a_filter(login, staff, shop, now):
    for n in range(70):
        make_review(shop, rating="neutral" if n % 2 else "negative", reviewed_at=now)
    pages = walk(login(staff[Role.REVIEW_SPECIALIST]), "/reviews/register/?rating=neutral")
    walked = [pk for page in pages for pk in page]
    assert walked == list(
        Review.objects.filter(rating="neutral").order_by("-pk").values_list("pk", flat=True)
    )
    assert len(walked) == 35 and len(pages) == 1
    pages = walk(login(staff[Role.REVIEW_SPECIALIST]), "/reviews/")
    assert sorted(pk for page in pages for pk in page) == sorted(
        Review.objects.values_list("pk", flat=True)
    )


def test_the_outbox_pages_its_sent_messages(login, staff, shop, now):
    for n in range(55):
        outbox_row(shop, now - timedelta(minutes=n % 5), n=n)
    outbox_row(shop, now, status=OutboxStatus.FAILED, n=99)
    pages = walk(login(staff[Role.SUPERVISOR]), f"/outreach/?shop={shop.code}")
    assert [len(page) for page in pages] == [50, 5]
    response = login(staff[Role.SUPERVISOR]).get(f"/outreach/?shop={shop.code}")
    assert parse_qs(response.context["page"].older_query)["shop"] == [shop.code]
