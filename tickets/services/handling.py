"""Working a ticket besides its steps: replies and notes, facts and costs, the
complaint-handling checklist, assignment and escalation to the supervisors."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require
from approvals.services import notify
from audit.services import audit
from chats.errors import InvalidMessage
from chats.services import buyer_message_send
from chats.services.direct import checked_text

from ..complaint import STEP_CODES
from ..errors import PolicyRefused, TicketError
from ..models import Ticket, TicketEvent
from ..states import (
    CLAIM_TYPES,
    TERMINAL_STATES,
)
from .common import locked, mark_answered, timeline_event


@transaction.atomic
def ticket_reply(
    *, actor: User, ticket: Ticket, text: str, now: datetime, internal: bool = False
) -> TicketEvent:
    """Reply to the buyer (meets the SLA deadline) or write an internal note. A reply is
    sent: it passes the etiquette check and goes into the buyer's conversation with the
    shop, through the outbox (chats.services.buyer_message_send); the event keeps a copy."""
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    text = text.strip()
    if not text:
        raise TicketError(_("内容不能为空。"))
    if not internal:
        if ticket.state in TERMINAL_STATES:
            raise TicketError(_("工单已结束，如需继续处理请先重新打开。"))
        try:
            text = checked_text(text, buyer=ticket.buyer, order=ticket.order)
        except InvalidMessage as refused:
            raise TicketError(str(refused)) from None
        mark_answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    kind = TicketEvent.Kind.NOTE if internal else TicketEvent.Kind.REPLY
    event = timeline_event(ticket, kind, actor, now, text=text)
    if not internal:
        buyer_message_send(
            actor=actor,
            shop=ticket.shop,
            buyer=ticket.buyer,
            text=text,
            now=now,
            key=f"ticket-reply:{event.pk}",
            order=ticket.order,
        )
    audit(actor, f"ticket.{kind}", ticket, now=now)
    return event


@transaction.atomic
def ticket_record_signed_intact(
    *, actor: User, ticket: Ticket, signed_intact: bool, now: datetime
) -> Ticket:
    """Record whether the buyer signed for the parcel intact (damage/shortage claims)."""
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    if ticket.type not in CLAIM_TYPES:
        raise TicketError(_("只有破损和少件工单需要记录签收时的包装情况。"))
    before = ticket.signed_intact
    ticket.signed_intact = signed_intact
    ticket.updated_at = now
    ticket.save(update_fields=["signed_intact", "updated_at"])
    audit(
        actor,
        "ticket.signed_intact_recorded",
        ticket,
        changes={"signed_intact": [before, signed_intact]},
        now=now,
    )
    return ticket


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, assignee: User | None, now: datetime) -> Ticket:
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    if assignee is not None and not can(assignee, "tickets.work", ticket):
        raise TicketError(_("只能指派给本店的售后客服或主管。"))
    before = ticket.assignee_id
    ticket.assignee = assignee
    ticket.updated_at = now
    ticket.save(update_fields=["assignee", "updated_at"])
    audit(
        actor,
        "ticket.assigned",
        ticket,
        changes={"assignee": [before, getattr(assignee, "pk", None)]},
        now=now,
    )
    return ticket


@transaction.atomic
def ticket_set_costs(*, actor: User, ticket: Ticket, now: datetime, **costs: Decimal) -> Ticket:
    """Record postage (reshipping, return) the shop paid. Refunds and compensation are
    recorded by their steps, so their approval rules cannot be bypassed here."""
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    allowed = {"reshipping_postage", "return_postage"}
    changes = {}
    for field, value in costs.items():
        if field not in allowed:
            raise TicketError(_("该费用由处理步骤记录，不能直接修改。"))
        value = Decimal(str(value or 0)).quantize(Decimal("0.01"))
        if value < 0:
            raise TicketError(_("金额不能为负数。"))
        if getattr(ticket, field) != value:
            changes[field] = [str(getattr(ticket, field)), str(value)]
            setattr(ticket, field, value)
    if changes:
        ticket.updated_at = now
        ticket.save()
        audit(actor, "ticket.costs_changed", ticket, changes=changes, now=now)
    return ticket


@transaction.atomic
def ticket_tick_step(
    *, actor: User, ticket: Ticket, step: str, done: bool, now: datetime
) -> Ticket:
    """Tick (or untick) one of the six complaint-handling steps."""
    require(actor, "tickets.work", ticket)
    if step not in STEP_CODES:
        raise TicketError(_("未知的处理步骤。"))
    ticket = locked(ticket)
    steps = dict(ticket.complaint_steps)
    if done:
        steps[step] = {"by": actor.label, "at": now.isoformat()}
    else:
        steps.pop(step, None)
    ticket.complaint_steps = steps
    ticket.updated_at = now
    ticket.save(update_fields=["complaint_steps", "updated_at"])
    audit(actor, "ticket.step_ticked", ticket, changes={step: [not done, done]}, now=now)
    return ticket


@transaction.atomic
def ticket_escalate(*, actor: User, ticket: Ticket, reason: str, now: datetime) -> Ticket:
    """Ask the supervisors to look at this ticket (it shows in their inbox)."""
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    reason = reason.strip()
    if not reason:
        raise PolicyRefused("reason_required", _("请写明升级原因。"))
    if ticket.escalated_at and not ticket.escalation_handled_at:
        raise TicketError(_("该工单已在主管待办中。"))
    ticket.escalated_at = now
    ticket.escalation_reason = reason[:300]
    ticket.escalation_handled_at = None
    ticket.updated_at = now
    ticket.save()
    timeline_event(ticket, TicketEvent.Kind.ESCALATION, actor, now, text=reason)
    audit(actor, "ticket.escalated", ticket, changes={"escalation_reason": [None, reason]}, now=now)
    return ticket


@transaction.atomic
def escalation_handle(*, actor: User, ticket: Ticket, note: str, now: datetime) -> Ticket:
    """A supervisor took the escalation: it leaves the inbox; the agent is told."""
    require(actor, "approvals.decide", ticket)
    ticket = locked(ticket)
    if not ticket.escalated_at or ticket.escalation_handled_at:
        raise TicketError(_("该升级已处理。"))
    ticket.escalation_handled_at = now
    ticket.updated_at = now
    ticket.save()
    timeline_event(
        ticket, TicketEvent.Kind.ESCALATION, actor, now, text=note or _("主管已处理升级")
    )
    audit(actor, "ticket.escalation_handled", ticket, now=now)
    if ticket.assignee_id and ticket.assignee_id != actor.pk:
        notify(
            user=ticket.assignee,
            shop=ticket.shop,
            text=_("工单 %(ticket)s 的升级已由主管处理：%(note)s")
            % {"ticket": ticket, "note": note},
            link=f"/tickets/{ticket.pk}/",
            now=now,
        )
    return ticket
