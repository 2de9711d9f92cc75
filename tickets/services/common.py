"""What every ticket service shares: the actor's role, the locked row, the timeline event
and the SLA clock restarted by an answer to the buyer."""

from datetime import datetime

from accounts.models import User
from accounts.permissions import roles_by_shop
from teamwork.events import ticket_event

from .. import sla
from ..models import Ticket, TicketEvent


def actor_role(user: User, shop_id: int) -> str | None:
    return roles_by_shop(user).get(shop_id)


def locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_related("shop", "order", "buyer")
        .select_for_update(of=("self",))
        .get(pk=ticket.pk)
    )


def timeline_event(ticket, kind, actor, now, *, text="", from_state="", to_state=""):
    if from_state and from_state != to_state:
        ticket_event("ticket.state_changed", ticket, now=now, previous_state=from_state)
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor,
        text=text,
        from_state=from_state,
        to_state=to_state,
        created_at=now,
    )


def mark_answered(ticket: Ticket, now: datetime) -> None:
    """The buyer heard from the shop: the current SLA deadline is met."""
    if ticket.first_replied_at is None:
        ticket.first_replied_at = now
    ticket.last_followup_at = now
    ticket.sla_due_at = sla.next_due(ticket, now=now)
