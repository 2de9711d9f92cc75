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
from tickets.models import SlaBreach, Ticket
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
    for n in range(3):
        make_order(shop, paid_at=at(2026, 11, 22, 10, n))
    counts = compute_day(shop, SUNDAY)
    agent_figures = derive(counts.agents[agent.pk], shop=False)
    assert agent_figures["tickets_resolved"] == 2
    assert agent_figures["sla_kept_rate"] == 0.5
    figures = derive(counts.shop, shop=True)
    assert figures["refund_amount"] == Decimal("40.00")  # tickets opened that day
    assert figures["after_sale_cost"] == Decimal("45.00")
    orders = figures["orders"]
    assert figures["after_sale_rate"] == pytest.approx(1 / orders)
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


def test_reminders_come_from_outreach_with_its_attribution(shop):
    agent = make_user(shop, Role.PRE_SALE)
    for n, (credited, succeeded) in enumerate([(agent, True), (agent, False), (None, True)]):
        Reminder.objects.create(
            shop=shop,
            order=make_order(shop, state="waiting_payment"),
            agent=credited,
            sent_at=at(2026, 11, 22, 11, n),
            succeeded=succeeded,
        )
    counts = compute_day(shop, SUNDAY)
    shop_figures = derive(counts.shop, shop=True)
    assert shop_figures["reminders_sent"] == 3
    assert shop_figures["reminder_success_rate"] == pytest.approx(2 / 3)
    agent_figures = derive(counts.agents[agent.pk], shop=False)
    assert agent_figures["reminders_sent"] == 2 and agent_figures["reminder_success_rate"] == 0.5
