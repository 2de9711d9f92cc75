"""The sources wired from sibling apps: tickets, reviews and outreach's reminders."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from kpi.compute import compute_day
from kpi.figures import derive
from outreach.models import Reminder
from reviews.models import Rating, ReviewState, ReviewTransition
from tests.factories import at, make_order, make_user
from tests.reviews.factories import make_review
from tickets.models import SlaBreach, Ticket, TicketEvent
from tickets.states import TicketState, TicketType

pytestmark = pytest.mark.django_db
SUNDAY = date(2026, 11, 22)


def _ticket(shop, *, opened, closed=None, resolved_by=None, **costs):
    from tests.tickets.factories import make_ticket

    ticket = make_ticket(shop, TicketType.REFUND_ONLY, opened)
    Ticket.objects.filter(pk=ticket.pk).update(
        state=TicketState.CLOSED if closed else ticket.state,
        closed_at=closed,
        resolved_by=resolved_by,
        **costs,
    )
    return ticket


def test_tickets_resolved_sla_kept_refunds_and_after_sale_rate(shop):
    agent = make_user(shop, Role.AFTER_SALE)
    paid = [make_order(shop, paid_at=at(2026, 11, 22, 10, n)) for n in range(3)]
    kept = _ticket(
        shop,
        opened=at(2026, 11, 22, 9, 0),
        closed=at(2026, 11, 22, 15, 0),
        resolved_by=agent,
        refund_amount=Decimal("40.00"),
        compensation_amount=Decimal("5.00"),
    )
    breached = _ticket(
        shop,
        opened=at(2026, 11, 21, 9, 0),
        closed=at(2026, 11, 22, 23, 0),
        resolved_by=agent,
        refund_amount=Decimal("99.00"),
    )
    SlaBreach.objects.create(
        shop=shop,
        ticket=breached,
        kind="first_reply",
        due_at=at(2026, 11, 21, 12, 0),
        detected_at=at(2026, 11, 21, 12, 5),
    )
    Ticket.objects.filter(pk=breached.pk).update(order=paid[0])
    TicketEvent.objects.create(
        ticket=breached, kind="transition", to_state="refunded", created_at=at(2026, 11, 22, 14)
    )
    counts = compute_day(shop, SUNDAY)
    agent_figures = derive(counts.agents[agent.pk], shop=False)
    assert agent_figures["tickets_resolved"] == 2
    assert agent_figures["sla_kept_rate"] == 0.5
    figures = derive(counts.shop, shop=True)
    assert figures["refund_amount"] == Decimal("99.00")  # refunds completed that day
    assert figures["after_sale_cost"] == Decimal("45.00")  # tickets opened that day
    assert figures["after_sale_tickets"] == 1
    # of the 3 orders paid in the 30 days, one has a ticket and was refunded; the orders of
    # the tickets' own factory were never paid, so they are not in the population
    assert figures["after_sale_rate"] == pytest.approx(1 / 3)
    assert figures["refund_rate"] == pytest.approx(1 / 3)
    assert kept.pk


def test_new_negative_reviews_and_revisions_won(shop):
    specialist = make_user(shop, Role.REVIEW_SPECIALIST)
    make_review(shop, reviewed_at=at(2026, 11, 22, 9, 0))
    make_review(shop, rating=Rating.NEUTRAL, reviewed_at=at(2026, 11, 22, 23, 59))
    old = make_review(shop, reviewed_at=at(2026, 11, 20, 9, 0))
    make_review(shop, reviewed_at=at(2026, 11, 23, 0, 1))
    ReviewTransition.objects.create(
        review=old,
        action="revise",
        from_state=ReviewState.NEW,
        to_state=ReviewState.REVISED,
        actor=specialist,
        created_at=at(2026, 11, 22, 16, 0),
    )
    counts = compute_day(shop, SUNDAY)
    assert counts.shop["new_negative_reviews"] == 2
    assert counts.shop["reviews_revised"] == 1
    assert derive(counts.agents[specialist.pk], shop=False)["reviews_revised"] == 1


def test_reminders_succeed_by_the_orders_payment_time_with_outreachs_attribution(shop):
    """Success is read from the order's payment time, whatever the reminder job settled:
    paid within 24 hours after the reminder, even after midnight or while the job is paused."""
    agent = make_user(shop, Role.PRE_SALE)
    cases = [
        (agent, at(2026, 11, 22, 23, 30), at(2026, 11, 23, 1, 0)),  # after midnight
        (agent, at(2026, 11, 22, 11, 0), None),  # never paid
        (None, at(2026, 11, 22, 11, 1), at(2026, 11, 22, 12, 0)),
        (agent, at(2026, 11, 22, 8, 0), at(2026, 11, 23, 8, 1)),  # 24 h and a minute later
        (agent, at(2026, 11, 22, 9, 0), at(2026, 11, 22, 8, 0)),  # paid before the reminder
    ]
    for credited, sent_at, paid_at in cases:
        Reminder.objects.create(
            shop=shop,
            order=make_order(shop, state="waiting_payment", paid_at=paid_at),
            agent=credited,
            sent_at=sent_at,
            succeeded=False,  # the reminder job has not settled anything
        )
    counts = compute_day(shop, SUNDAY)
    shop_figures = derive(counts.shop, shop=True)
    assert shop_figures["reminders_sent"] == 5
    assert shop_figures["reminder_success_rate"] == pytest.approx(2 / 5)
    agent_figures = derive(counts.agents[agent.pk], shop=False)
    assert agent_figures["reminders_sent"] == 4
    assert agent_figures["reminder_success_rate"] == pytest.approx(1 / 4)
