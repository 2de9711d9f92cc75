"""SLA breaches: found by the ``sla_breaches`` job, escalated to the supervisors' inbox and
kept as rows (SlaBreach) for KPIs. The unique (ticket, due_at) constraint makes a second
run — or a second beat firing at the same time — a no-op for deadlines already recorded."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from approvals.models import Notification
from audit.services import audit
from live.events import publish

from .models import SlaBreach, Ticket, TicketEvent
from .states import SIMPLE_TYPES, TERMINAL_STATES


def overdue_tickets(*, shop: Shop | None, now: datetime):
    already = SlaBreach.objects.filter(ticket=OuterRef("pk"), due_at=OuterRef("sla_due_at"))
    tickets = (
        Ticket.objects.filter(sla_due_at__lt=now)
        .exclude(state__in=TERMINAL_STATES)
        .exclude(Exists(already))
        .select_related("shop", "assignee")
        .order_by("sla_due_at")
    )
    return tickets.filter(shop=shop) if shop is not None else tickets


def _kind(ticket: Ticket) -> str:
    if ticket.type in SIMPLE_TYPES or ticket.first_replied_at is None:
        return SlaBreach.Kind.FIRST_REPLY
    return SlaBreach.Kind.FOLLOW_UP


def _escalate(tickets: list[Ticket], now: datetime) -> None:
    """Record the breaches of ``tickets`` in a few statements (bulk inserts)."""
    breaches = SlaBreach.objects.bulk_create(
        SlaBreach(
            shop_id=t.shop_id,
            ticket=t,
            kind=_kind(t),
            due_at=t.sla_due_at,
            detected_at=now,
            assignee_id=t.assignee_id,
        )
        for t in tickets
    )
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=b.ticket,
            kind=TicketEvent.Kind.SLA_BREACH,
            text=b.get_kind_display(),
            created_at=now,
        )
        for b in breaches
    )
    Notification.objects.bulk_create(
        Notification(
            user_id=t.assignee_id,
            shop_id=t.shop_id,
            text=_("工单 %(ticket)s 已超过处理时限，已提交主管。") % {"ticket": t},
            link=f"/tickets/{t.pk}/",
            created_at=now,
        )
        for t in tickets
        if t.assignee_id
    )
    for user_id in {t.assignee_id for t in tickets if t.assignee_id}:
        publish("notification", user_id=user_id)
    for t in tickets:
        audit(
            None,
            "ticket.sla_breached",
            t,
            changes={"sla_due_at": [t.sla_due_at.isoformat(), None]},
            now=now,
        )


def sla_breaches_record(*, shop: Shop | None, now: datetime) -> dict:
    """Escalate every open ticket past its deadline, once per deadline. All at once in
    one transaction; if a concurrent run recorded some meanwhile (the unique constraint
    refuses the batch), ticket by ticket, skipping those."""
    tickets = list(overdue_tickets(shop=shop, now=now))
    if not tickets:
        return {"escalated": 0, "skipped": 0}
    try:
        with transaction.atomic():
            _escalate(tickets, now)
        return {"escalated": len(tickets), "skipped": 0}
    except IntegrityError:
        pass
    escalated, skipped = 0, 0
    for ticket in tickets:
        try:
            with transaction.atomic():
                _escalate([ticket], now)
        except IntegrityError:
            skipped += 1
        else:
            escalated += 1
    return {"escalated": escalated, "skipped": skipped}


@transaction.atomic
def breach_handle(*, actor: User, breach: SlaBreach, now: datetime) -> SlaBreach:
    """A supervisor saw the breach and dealt with it: it leaves the inbox (the row stays
    for KPIs)."""
    require(actor, "approvals.decide", breach)
    breach = SlaBreach.objects.select_for_update().get(pk=breach.pk)
    if breach.handled_at is None:
        breach.handled_at = now
        breach.handled_by = actor
        breach.save(update_fields=["handled_at", "handled_by"])
        audit(actor, "ticket.sla_breach_handled", breach.ticket, now=now)
    return breach
