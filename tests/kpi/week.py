"""A generated week of raw activity (Monday 2026-11-16 to Sunday 2026-11-22, Shanghai) in
three shops, for checking the rollup against a plain recomputation (test_recomputation).

- shop A: busy every day, with orders and refunds in the ten days before the week (the
  rolling 30-day window reaches back) and one refund of an order paid 40 days before;
- shop B: busy, but no order at all on Wednesday;
- shop C: three orders on Thursday to Saturday, every one refunded; nothing before.
Agent x works in A and B; y in A; z in B; s resolves tickets and r revises reviews in both.
Edge cases made on purpose: chats at 23:58 and 00:01, a payment at 00:20 after a chat
and a reminder the evening before, a reminder paid 24 hours and a minute later."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from accounts.models import Membership
from accounts.roles import Role
from chats.models import Outcome, Queue
from kpi.days import day_bounds
from kpi.models import QaKind, QaReview, QaState
from orders.models import Problem, ProblemCategory
from outreach.models import Reminder
from reviews.models import Rating, ReviewState, ReviewTransition
from tests.factories import at, make_buyer, make_order, make_shop, make_user
from tests.reviews.factories import make_review
from tickets.models import SlaBreach, Ticket, TicketEvent
from tickets.states import TicketState, TicketType

from .factories import make_conversation, make_outbox

MONDAY = date(2026, 11, 16)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
AFTER = at(2026, 11, 23, 2, 0)
"""When the nightly rollup runs: Monday 02:00, after the last payments of the week."""


@dataclass
class Week:
    shops: dict
    agents: dict
    notes: dict = field(default_factory=dict)


def _moment(rng: random.Random, day: date) -> datetime:
    return day_bounds(day)[0] + timedelta(seconds=rng.randint(0, 86_399))


def _conversation(rng, shop, day, buyers, agents, *, when=None, **fields):
    assignee = rng.choice([*agents, None])
    buyer_messages = rng.randint(0, 6)
    agent_messages = rng.randint(0, 5) if assignee else 0
    responses = min(buyer_messages, agent_messages)
    values = {
        "queue": rng.choice([Queue.PRE_SALE, Queue.PRE_SALE, Queue.PRE_SALE, Queue.IN_SALE]),
        "buyer_message_count": buyer_messages,
        "agent_message_count": agent_messages,
        "response_count": responses,
        "responses_within_3min": rng.randint(0, responses),
        "response_seconds_total": responses * rng.randint(5, 400),
        "first_response_seconds": rng.randint(3, 400) if agent_messages else None,
        "outcome": rng.choice(["", "", Outcome.NO_SALE, Outcome.SPAM, Outcome.NOT_SALE_QUESTION]),
        "csat_rating": rng.choice([None, None, 3, 4, 5]),
        "assignee": assignee,
        **fields,
    }
    return make_conversation(
        shop, created_at=when or _moment(rng, day), buyer=rng.choice(buyers), **values
    )


def _ticket(rng, shop, order, opened, resolver, *, refund_after=None):
    """A ticket of ``order``, unless it would open after the rollup ran (no future rows)."""
    if opened >= AFTER:
        return None
    state = rng.choice([TicketState.REQUESTED, TicketState.CLOSED, TicketState.REFUSED])
    closed = (
        opened + timedelta(hours=rng.randint(1, 40)) if state != TicketState.REQUESTED else None
    )
    closed = closed if closed is None or closed < AFTER else None
    state = state if closed or state == TicketState.REQUESTED else TicketState.REQUESTED
    ticket = Ticket.objects.create(
        shop=shop,
        type=rng.choice([TicketType.REFUND_ONLY, TicketType.RETURN_REFUND, TicketType.DAMAGED]),
        state=state,
        buyer=order.buyer,
        order=order,
        created_at=opened,
        updated_at=opened,
        closed_at=closed,
        resolved_by=resolver if state == TicketState.CLOSED and rng.random() < 0.8 else None,
        refund_amount=Decimal(rng.randint(0, 20_000)) / 100,
        compensation_amount=Decimal(rng.choice([0, 0, 500, 1000])) / 100,
        reshipping_postage=Decimal(rng.choice([0, 800])) / 100,
        return_postage=Decimal(rng.choice([0, 1200])) / 100,
    )
    if refund_after is not None and opened + refund_after < AFTER:
        TicketEvent.objects.create(
            ticket=ticket,
            kind=TicketEvent.Kind.TRANSITION,
            from_state=TicketState.APPROVED,
            to_state=TicketState.REFUNDED,
            created_at=opened + refund_after,
        )
    if closed and rng.random() < 0.3:
        SlaBreach.objects.create(
            shop=shop, ticket=ticket, kind="first_reply", due_at=opened, detected_at=opened
        )
    return ticket


def _orders(rng, shop, day, buyers, count) -> list:
    orders = []
    for _ in range(count):
        paid = rng.random() < 0.8
        moment = _moment(rng, day)
        orders.append(
            make_order(
                shop,
                rng.choice(buyers),
                state="paid" if paid else "waiting_payment",
                ordered_at=moment - timedelta(minutes=rng.randint(1, 90)),
                paid_at=moment if paid else None,
                total_amount=Decimal(rng.randint(990, 59_900)) / 100,
            )
        )
    return orders


def _busy_day(rng, week, shop, day, agents, *, orders_today: int):
    buyers = week.notes["buyers"][shop.code]
    resolver, specialist, supervisor = (week.agents[k] for k in ("s", "r", "sup"))
    conversations = [
        _conversation(rng, shop, day, buyers, agents) for _ in range(rng.randint(4, 9))
    ]
    conversations.append(
        _conversation(
            rng, shop, day, buyers, agents, when=day_bounds(day)[1] - timedelta(minutes=2)
        )
    )
    conversations.append(
        _conversation(
            rng, shop, day, buyers, agents, when=day_bounds(day)[0] + timedelta(minutes=1)
        )
    )
    orders = _orders(rng, shop, day, buyers, orders_today)
    for order in orders:
        if rng.random() < 0.4:
            sent = (order.paid_at or order.ordered_at) - timedelta(hours=rng.choice([1, 3, 23, 30]))
            Reminder.objects.create(
                shop=shop,
                order=order,
                agent=rng.choice([*agents, None]),
                sent_at=sent,
                succeeded=rng.random() < 0.5,  # what the job settled: the rollup ignores it
            )
        if order.paid_at and rng.random() < 0.35:
            opened = order.paid_at + timedelta(hours=rng.randint(2, 60))
            refund = timedelta(hours=rng.randint(1, 50)) if rng.random() < 0.6 else None
            _ticket(rng, shop, order, opened, resolver, refund_after=refund)
    for _ in range(rng.randint(0, 3)):
        opened = _moment(rng, day)
        Problem.objects.create(
            shop=shop,
            order=make_order(shop),
            category=rng.choice(
                [
                    ProblemCategory.ADDRESS_CHANGE,
                    ProblemCategory.OUT_OF_STOCK,
                    ProblemCategory.COD_CONFIRM,
                ]
            ),
            opened_at=opened,
            due_at=opened,
        )
    for _ in range(rng.randint(0, 2)):
        review = make_review(
            shop,
            rating=rng.choice([Rating.NEGATIVE, Rating.NEUTRAL]),
            reviewed_at=_moment(rng, day),
        )
        revised = review.reviewed_at + timedelta(hours=rng.randint(1, 30))
        if rng.random() < 0.5 and revised < AFTER:
            ReviewTransition.objects.create(
                review=review,
                action="revise",
                from_state=ReviewState.NEW,
                to_state=ReviewState.REVISED,
                actor=specialist,
                created_at=revised,
            )
    for _ in range(rng.randint(0, 3)):
        make_outbox(
            shop,
            kind="delivery_followup",
            buyer=rng.choice(buyers),
            sent_at=rng.choice([None, _moment(rng, day)]),
        )
    served = [c for c in conversations if c.assignee_id]
    if served and rng.random() < 0.6:
        reviewed = rng.choice(served)
        QaReview.objects.create(
            shop=shop,
            agent=reviewed.assignee,
            conversation=reviewed,
            kind=QaKind.SAMPLE,
            week="2026-W47",
            state=QaState.SCORED,
            total=Decimal(rng.randint(500, 1000)) / 10,
            created_at=_moment(rng, day),
            scored_at=_moment(rng, day),
            reviewer=supervisor,
        )


def _before_the_week(rng, week, shop):
    """Orders and refunds of the ten days before the week, and a refund during the week of
    an order paid 40 days before (outside every rolling window of the week)."""
    buyers = week.notes["buyers"][shop.code]
    for n in range(1, 11):
        for order in _orders(rng, shop, MONDAY - timedelta(days=n), buyers, rng.randint(1, 4)):
            if order.paid_at and rng.random() < 0.5:
                opened = order.paid_at + timedelta(hours=rng.randint(2, 200))
                _ticket(rng, shop, order, opened, week.agents["s"], refund_after=timedelta(hours=5))
    old = make_order(shop, rng.choice(buyers), paid_at=at(2026, 10, 7, 10, 0))
    _ticket(
        rng, shop, old, at(2026, 11, 18, 9, 0), week.agents["s"], refund_after=timedelta(hours=1)
    )
    # the edges of Monday's 30-day window (18 October to 16 November): one in, one out
    for paid_at in (at(2026, 10, 17, 23, 0), at(2026, 10, 18, 0, 30)):
        order = make_order(shop, rng.choice(buyers), paid_at=paid_at)
        _ticket(
            rng, shop, order, paid_at + timedelta(hours=1), None, refund_after=timedelta(hours=2)
        )
    # refunded on Saturday 14 November, reopened, refunded again on Tuesday: counts once, then
    twice = _ticket(
        rng,
        shop,
        make_order(shop, rng.choice(buyers), paid_at=at(2026, 11, 13, 10, 0)),
        at(2026, 11, 14, 9, 0),
        None,
        refund_after=timedelta(hours=1),
    )
    TicketEvent.objects.create(
        ticket=twice,
        kind=TicketEvent.Kind.TRANSITION,
        from_state=TicketState.APPROVED,
        to_state=TicketState.REFUNDED,
        created_at=at(2026, 11, 17, 15, 0),
    )


def _midnight_payment(week, shop):
    """Buyer chats with x at 23:50 on Sunday and is reminded at 23:55; pays at 00:20 Monday.
    Another is reminded on Saturday 10:00 and pays Sunday 10:01 (24 h and a minute)."""
    x = week.agents["x"]
    buyer = make_buyer(shop, nick="午夜买家")
    make_conversation(
        shop,
        created_at=at(2026, 11, 22, 23, 50),
        buyer=buyer,
        assignee=x,
        buyer_message_count=3,
        agent_message_count=2,
        response_count=2,
        responses_within_3min=2,
        response_seconds_total=40,
        first_response_seconds=8,
    )
    order = make_order(
        shop,
        buyer,
        ordered_at=at(2026, 11, 22, 23, 52),
        paid_at=at(2026, 11, 23, 0, 20),
        total_amount=Decimal("128.00"),
    )
    Reminder.objects.create(shop=shop, order=order, agent=x, sent_at=at(2026, 11, 22, 23, 55))
    late = make_order(
        shop,
        make_buyer(shop),
        ordered_at=at(2026, 11, 21, 9, 0),
        paid_at=at(2026, 11, 22, 10, 1),
        total_amount=Decimal("59.00"),
    )
    Reminder.objects.create(shop=shop, order=late, agent=x, sent_at=at(2026, 11, 21, 10, 0))
    week.notes["midnight_order"] = order


def _all_refunded(rng, week, shop):
    for day in WEEK[3:6]:
        order = make_order(
            shop,
            make_buyer(shop),
            paid_at=day_bounds(day)[0] + timedelta(hours=11),
            total_amount=Decimal("88.00"),
        )
        _ticket(
            rng,
            shop,
            order,
            order.paid_at + timedelta(hours=2),
            week.agents["s"],
            refund_after=timedelta(hours=3),
        )


def generate_week(team, shop_a, seed: int = 2026) -> Week:
    rng = random.Random(seed)
    shop_b = make_shop(team, code="shop-b2", name="B2店")
    shop_c = make_shop(team, code="shop-c", name="C店")
    x = make_user(shop_a, Role.PRE_SALE, username="wx", work_number="7001")
    Membership.objects.create(user=x, shop=shop_b, role=Role.PRE_SALE)
    agents = {
        "x": x,
        "y": make_user(shop_a, Role.PRE_SALE, username="wy", work_number="7002"),
        "z": make_user(shop_b, Role.IN_SALE, username="wz", work_number="7003"),
        "s": make_user(shop_a, Role.AFTER_SALE, username="ws", work_number="7004"),
        "r": make_user(shop_a, Role.REVIEW_SPECIALIST, username="wr", work_number="7005"),
        "sup": make_user(shop_a, Role.SUPERVISOR, username="wsup", work_number="7006"),
    }
    for key in ("s", "r"):
        Membership.objects.create(user=agents[key], shop=shop_b, role=Role.AFTER_SALE)
    week = Week(shops={"a": shop_a, "b": shop_b, "c": shop_c}, agents=agents)
    week.notes["buyers"] = {
        shop.code: [make_buyer(shop) for _ in range(25)] for shop in (shop_a, shop_b)
    }
    _before_the_week(rng, week, shop_a)
    for day in WEEK:
        _busy_day(rng, week, shop_a, day, [x, agents["y"]], orders_today=rng.randint(3, 8))
        no_orders = day == WEEK[2]
        _busy_day(
            rng,
            week,
            shop_b,
            day,
            [x, agents["z"]],
            orders_today=0 if no_orders else rng.randint(2, 6),
        )
    _midnight_payment(week, shop_a)
    _all_refunded(rng, week, shop_c)
    return week
