from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from approvals.models import Notification
from audit.models import AuditEvent
from tests.factories import at
from tests.tickets.factories import make_ticket
from tickets.breaches import breach_handle, sla_breaches_record
from tickets.models import SlaBreach
from tickets.selectors import sla_breaches_per_day, tickets_resolved_per_agent
from tickets.services import ticket_act, ticket_reply
from tickets.states import Action, TicketType

pytestmark = pytest.mark.django_db


def test_a_breach_escalates_once_even_when_the_job_runs_twice(shop, agent, now):
    late = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    make_ticket(shop, TicketType.QUALITY, now, actor=agent)  # 48 h: not due yet
    after = at(2026, 11, 24, 11, 0)  # the 24-hour deadline was Tuesday 10:30
    assert sla_breaches_record(shop=None, now=after) == {"escalated": 1, "skipped": 0}
    assert sla_breaches_record(shop=None, now=after + timedelta(minutes=10)) == {
        "escalated": 0,
        "skipped": 0,
    }
    breach = SlaBreach.objects.get()
    assert breach.ticket == late and breach.kind == SlaBreach.Kind.FIRST_REPLY
    assert breach.assignee == agent and breach.due_at == at(2026, 11, 24, 10, 30)
    assert AuditEvent.objects.filter(verb="ticket.sla_breached").count() == 1
    assert Notification.objects.filter(user=agent).count() == 1


def test_the_database_refuses_a_second_breach_for_the_same_deadline(shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    SlaBreach.objects.create(
        shop=shop, ticket=ticket, kind="first_reply", due_at=ticket.sla_due_at, detected_at=now
    )
    with pytest.raises(IntegrityError):
        SlaBreach.objects.create(
            shop=shop, ticket=ticket, kind="first_reply", due_at=ticket.sla_due_at, detected_at=now
        )


def test_run_job_command_reports_the_escalations(shop, agent, now, capsys):
    make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    call_command("run_job", "sla_breaches", "--at", "2026-11-25T10:00:00+08:00", "--json")
    call_command("run_job", "sla_breaches", "--at", "2026-11-25T10:00:00+08:00", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert '"escalated": 1' in lines[0] and '"escalated": 0' in lines[1]
    assert SlaBreach.objects.count() == 1


def test_replied_and_closed_tickets_do_not_breach(shop, agent, now):
    answered = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_reply(actor=agent, ticket=answered, text="已收到，马上处理", now=now)
    closed = make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    ticket_act(actor=agent, ticket=closed, action=Action.REFUSE, reason="重复申请", now=now)
    assert sla_breaches_record(shop=shop, now=now + timedelta(days=5))["escalated"] == 0


def test_a_complex_ticket_breaches_each_missed_follow_up(shop, agent, now):
    ticket = make_ticket(shop, TicketType.LOGISTICS_DISPUTE, now, actor=agent)
    first = ticket.sla_due_at
    sla_breaches_record(shop=shop, now=first + timedelta(minutes=1))
    ticket_reply(
        actor=agent, ticket=ticket, text="已向快递公司发起查件", now=first + timedelta(hours=1)
    )
    ticket.refresh_from_db()
    sla_breaches_record(shop=shop, now=ticket.sla_due_at + timedelta(minutes=1))
    kinds = list(SlaBreach.objects.order_by("due_at").values_list("kind", flat=True))
    assert kinds == ["first_reply", "follow_up"]


def test_handling_a_breach_keeps_the_row_for_kpis(shop, agent, supervisor, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    sla_breaches_record(shop=shop, now=now + timedelta(days=3))
    breach = breach_handle(actor=supervisor, breach=SlaBreach.objects.get(), now=now)
    assert breach.handled_by == supervisor
    ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)
    ticket_act(actor=agent, ticket=ticket, action=Action.REFUND, amount="10", now=now)
    ticket_act(actor=agent, ticket=ticket, action=Action.CLOSE, now=now)
    day = now.date()
    rows = tickets_resolved_per_agent(start=day, end=day, shop_ids=[shop.pk])
    assert rows == [
        {"shop_id": shop.pk, "user_id": agent.pk, "day": day, "resolved": 1, "sla_kept": 0}
    ]
    breaches = sla_breaches_per_day(start=day, end=day + timedelta(days=3))
    assert breaches[0]["breaches"] == 1 and breaches[0]["user_id"] == agent.pk


def test_a_concurrent_run_that_recorded_some_breaches_is_skipped_row_by_row(
    shop, agent, now, monkeypatch
):
    from tickets import breaches

    first = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    later = now + timedelta(days=3)
    stale = list(breaches.overdue_tickets(shop=shop, now=later))
    # Another run records the first ticket between our read and our write.
    SlaBreach.objects.create(
        shop=shop, ticket=first, kind="first_reply", due_at=first.sla_due_at, detected_at=later
    )
    monkeypatch.setattr(breaches, "overdue_tickets", lambda **kwargs: stale)
    assert sla_breaches_record(shop=shop, now=later) == {"escalated": 1, "skipped": 1}
    assert SlaBreach.objects.count() == 2
