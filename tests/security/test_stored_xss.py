"""Stored XSS: a buyer nick, an order's buyer message, a ticket's description and an
uploaded file's name that hold markup are shown escaped on every page that shows them.
Chat messages and nicks (tests/chats/test_pages.py) and review texts
(tests/reviews/test_pages.py, test_evidence.py) have their own tests.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.models import ImportKind, ImportRun, ImportStatus, ProblemCategory
from tests.factories import make_buyer, make_order
from tests.orders.factories import make_problem
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    "attribute": ('"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
}


def assert_escaped(body: str, raw: str, escaped: str, where: str) -> None:
    assert raw not in body, f"{where} shows it raw"
    assert escaped in body, f"{where} does not show it at all"


@pytest.mark.parametrize("kind", PAYLOADS)
def test_buyer_nick_and_texts_are_escaped_on_order_problem_and_ticket_pages(
    login, shop, staff, now, kind
):
    raw, escaped = PAYLOADS[kind]
    buyer = make_buyer(shop, nick=raw)
    order = make_order(shop, buyer=buyer, buyer_message=raw)
    problem = make_problem(shop, now, category=ProblemCategory.MESSAGE_UNMET, order=order)
    ticket = make_ticket(
        shop, TicketType.REFUND_ONLY, now, actor=staff[Role.AFTER_SALE], order=order
    )
    client = login(staff[Role.MANAGER])
    for url in [
        reverse("orders:list"),
        reverse("orders:detail", args=[order.pk]),
        reverse("orders:buyer", args=[buyer.pk]),
        reverse("orders:problems"),
        reverse("orders:problems") + f"?selected={problem.pk}",
        reverse("tickets:queue"),
        reverse("tickets:detail", args=[ticket.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), raw, escaped, url)


@pytest.mark.parametrize("kind", PAYLOADS)
def test_uploaded_file_name_is_escaped_on_the_import_pages(login, shop, staff, kind):
    raw, escaped = PAYLOADS[kind]
    run = ImportRun.objects.create(
        shop=shop,
        kind=ImportKind.ORDERS,
        file_name=f"{raw}.csv",
        stored_path="imports/x.csv",
        status=ImportStatus.FAILED,
        created_by=staff[Role.IN_SALE],
        created_at=timezone.now(),
        report={"fatal": raw},
    )
    client = login(staff[Role.IN_SALE])
    for url in [reverse("orders:import"), reverse("orders:import_run", args=[run.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), raw, escaped, url)
