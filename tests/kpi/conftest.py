"""A hand-made day (Sunday 2026-11-22, Shanghai) in shop A whose figures are known."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from accounts.roles import Role
from chats.models import Outcome, Queue
from kpi.models import QaKind, QaReview, QaState
from orders.models import Problem, ProblemCategory
from outreach.models import Reminder
from tests.factories import at, make_buyer, make_order, make_user

from .factories import make_conversation, make_outbox


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class Day:
    shop: object
    x: object
    y: object
    conversations: dict


@pytest.fixture
def day(shop, staff):
    """Agent X (work number 9001) and agent Y (9002) on 2026-11-22.

    X: b1 (reminded, then paid 300 an hour later), b2 (chat at 23:59, paid 100 next morning: inside the
    24 h window), b4 (spam: served, not an inquiry), b5 (paid 26 h later: outside the
    window); b3 chats with X at 00:01 on the 23rd, so not on the 22nd.
    Y: one in-sale chat never answered (every rate a zero division).
    """
    x = make_user(shop, Role.PRE_SALE, username="x", work_number="9001", display_name="小X")
    y = make_user(shop, Role.IN_SALE, username="y", work_number="9002", display_name="小Y")
    b1, b2, b3, b4, b5, b6, b7 = (make_buyer(shop, nick=f"b{n}") for n in range(1, 8))
    c = {}
    c[1] = make_conversation(
        shop,
        created_at=at(2026, 11, 22, 10, 0),
        buyer=b1,
        assignee=x,
        first_response_seconds=5,
        response_seconds_total=60,
        response_count=3,
        responses_within_3min=3,
        buyer_message_count=4,
        agent_message_count=2,
        csat_rating=5,
        outcome=Outcome.PAID,
    )
    c[2] = make_conversation(
        shop,
        created_at=at(2026, 11, 22, 23, 59),
        buyer=b2,
        assignee=x,
        first_response_seconds=15,
        response_seconds_total=200,
        response_count=2,
        responses_within_3min=1,
        buyer_message_count=2,
        agent_message_count=2,
    )
    c[3] = make_conversation(
        shop,
        created_at=at(2026, 11, 23, 0, 1),
        buyer=b3,
        assignee=x,
        first_response_seconds=100,
        response_seconds_total=100,
        response_count=1,
        responses_within_3min=1,
        buyer_message_count=1,
        agent_message_count=1,
    )
    c[4] = make_conversation(
        shop,
        created_at=at(2026, 11, 22, 12, 0),
        buyer=b4,
        assignee=x,
        first_response_seconds=20,
        response_seconds_total=20,
        response_count=1,
        responses_within_3min=1,
        buyer_message_count=1,
        agent_message_count=1,
        outcome=Outcome.SPAM,
    )
    c[5] = make_conversation(
        shop,
        created_at=at(2026, 11, 22, 14, 0),
        buyer=b5,
        assignee=x,
        first_response_seconds=40,
        response_seconds_total=40,
        response_count=1,
        responses_within_3min=1,
        buyer_message_count=1,
        agent_message_count=1,
    )
    c[6] = make_conversation(
        shop,
        created_at=at(2026, 11, 22, 15, 0),
        buyer=b6,
        assignee=y,
        queue=Queue.IN_SALE,
        buyer_message_count=1,
        agent_message_count=0,
    )
    o1 = make_order(shop, b1, total_amount=Decimal("300.00"), paid_at=at(2026, 11, 22, 11, 0))
    make_order(shop, b2, total_amount=Decimal("100.00"), paid_at=at(2026, 11, 23, 9, 0))
    make_order(shop, b5, total_amount=Decimal("80.00"), paid_at=at(2026, 11, 23, 16, 0))
    make_order(shop, b7, total_amount=Decimal("50.00"), paid_at=at(2026, 11, 22, 23, 30))
    unpaid = make_order(shop, b6, state="waiting_payment", total_amount=Decimal("20.00"))
    for category, opened in [
        (ProblemCategory.ADDRESS_CHANGE, at(2026, 11, 22, 9, 0)),
        (ProblemCategory.ADDRESS_CHANGE, at(2026, 11, 22, 10, 0)),
        (ProblemCategory.OUT_OF_STOCK, at(2026, 11, 22, 11, 0)),
        (ProblemCategory.OUT_OF_STOCK, at(2026, 11, 23, 0, 30)),
    ]:
        Problem.objects.create(
            shop=shop, order=make_order(shop), category=category, opened_at=opened, due_at=opened
        )
    Reminder.objects.create(
        shop=shop, order=o1, agent=x, sent_at=at(2026, 11, 22, 10, 30), succeeded=True
    )
    Reminder.objects.create(shop=shop, order=unpaid, sent_at=at(2026, 11, 22, 16, 0))
    make_outbox(shop, kind="delivery_followup", buyer=b7, sent_at=at(2026, 11, 22, 18, 0))
    make_outbox(shop, kind="delivery_followup", buyer=b5, sent_at=None)
    QaReview.objects.create(
        shop=shop,
        agent=x,
        conversation=c[1],
        kind=QaKind.SAMPLE,
        week="2026-W47",
        state=QaState.SCORED,
        total=Decimal("80"),
        created_at=at(2026, 11, 22, 9, 0),
        scored_at=at(2026, 11, 22, 17, 0),
        reviewer=staff[Role.SUPERVISOR],
    )
    return Day(shop=shop, x=x, y=y, conversations=c)
