"""SQL and NUL characters in query-string filters: every list page and list API of the
helpdesk answers a normal page (or 400/404), never a server error, and never shows
another shop's rows. Each request carries every filter name the views read at once."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from orders.models import ProblemCategory
from tests.chats.factories import make_conversation
from tests.factories import make_buyer, make_order, make_user
from tests.orders.factories import make_problem
from tests.reviews.factories import make_review
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db

FOREIGN_NICK = "别家买家xyz"
PAYLOADS = ["' OR 1=1--", "shop-b' OR '1'='1", "1; DROP TABLE orders_order;--", "a\x00b"]
FILTERS = [
    "q", "state", "shop", "category", "view", "sort", "dir", "order", "page", "size",
    "date", "period", "days", "after", "buyer", "assignee", "rating", "format", "selected",
]  # fmt: skip
PAGES = [
    "orders:list", "orders:problems", "orders:stock", "orders:digest", "tickets:queue",
    "tickets:inbox", "chats:workspace", "chats:queue", "chats:alerts", "reviews:list",
    "reviews:register", "scripts_lib:list", "scripts_lib:usage", "kpi:dashboard",
    "kpi:agents", "kpi:mine", "kpi:qa_queue", "outreach:outbox", "outreach:jobs",
]  # fmt: skip
APIS = [
    "/api/v1/orders/", "/api/v1/problems/", "/api/v1/tickets/", "/api/v1/reviews/",
    "/api/v1/conversations/", "/api/v1/scripts/", "/api/v1/kpi/report/", "/api/v1/shops/",
]  # fmt: skip


@pytest.fixture
def foreign_rows(other_shop, now):
    """Shop B's rows under one buyer nick that must never show in shop A's answers."""
    buyer = make_buyer(other_shop, nick=FOREIGN_NICK)
    order = make_order(other_shop, buyer=buyer)
    make_problem(other_shop, now, category=ProblemCategory.ADDRESS_CHANGE, order=order)
    make_review(other_shop, buyer=buyer, order=order)
    make_ticket(other_shop, TicketType.REFUND_ONLY, now, actor=make_user(other_shop, Role.MANAGER))
    make_conversation(other_shop, now=now, buyer=buyer)


def hostile_queries(payload: str) -> list[str]:
    """Every filter at once, then the shop, search and state filters alone (so that no
    other filter's validation answers first)."""
    alone = [{name: payload} for name in ("shop", "q", "state")]
    return ["?" + urlencode(query) for query in [dict.fromkeys(FILTERS, payload), *alone]]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pages_answer_hostile_filters_without_error_or_foreign_rows(
    login, staff, foreign_rows, payload
):
    client = login(staff[Role.MANAGER])
    for name in PAGES:
        for query in hostile_queries(payload):
            response = client.get(reverse(name) + query)
            assert response.status_code in (200, 400, 404), (name, query, response.status_code)
            assert FOREIGN_NICK not in response.content.decode(errors="replace"), (name, query)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_apis_answer_hostile_filters_without_error_or_foreign_rows(
    client, staff, foreign_rows, payload
):
    token = Token.objects.create(user=staff[Role.MANAGER])
    for url in APIS:
        for query in hostile_queries(payload):
            response = client.get(url + query, HTTP_AUTHORIZATION=f"Token {token.key}")
            assert response.status_code in (200, 400, 404), (url, query, response.status_code)
            assert FOREIGN_NICK not in response.content.decode(errors="replace"), (url, query)


def test_a_nul_character_is_refused_before_it_reaches_the_database(login, staff):
    client = login(staff[Role.MANAGER])
    assert client.get(reverse("orders:problems") + "?shop=%00").status_code == 400
    form = "status=on%00line"
    response = client.post(
        reverse("chats:presence"), form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
