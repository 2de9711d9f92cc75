"""SLA breaches: found by the ``sla_breaches`` job, escalated to the supervisors' inbox and
kept as rows (SlaBreach) for KPIs. The unique (ticket, due_at) constraint makes a second
run — or a second beat firing at the same time — a no-op for deadlines already recorded."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from approvals.services import notify
from audit.services import audit

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


def sla_breaches_record(*, shop: Shop | None, now: datetime) -> dict:
    escalated, skipped = 0, 0
    for ticket in overdue_tickets(shop=shop, now=now):
        kind = (
            SlaBreach.Kind.FIRST_REPLY
            if ticket.type in SIMPLE_TYPES or ticket.first_replied_at is None
            else SlaBreach.Kind.FOLLOW_UP
        )
        try:
            with transaction.atomic():
                breach = SlaBreach.objects.create(
                    shop=ticket.shop,
                    ticket=ticket,
                    kind=kind,
                    due_at=ticket.sla_due_at,
                    detected_at=now,
                    assignee=ticket.assignee,
                )
                TicketEvent.objects.create(
                    ticket=ticket,
                    kind=TicketEvent.Kind.SLA_BREACH,
                    text=breach.get_kind_display(),
                    created_at=now,
                )
                audit(
                    None,
                    "ticket.sla_breached",
                    ticket,
                    changes={"sla_due_at": [ticket.sla_due_at.isoformat(), None]},
                    now=now,
                )
                if ticket.assignee_id:
                    notify(
                        user=ticket.assignee,
                        shop=ticket.shop,
                        text=_("工单 %(ticket)s 已超过处理时限，已提交主管。") % {"ticket": ticket},
                        link=f"/tickets/{ticket.pk}/",
                        now=now,
                    )
        except IntegrityError:
            skipped += 1
            continue
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
