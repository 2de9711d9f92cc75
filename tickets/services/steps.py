"""Steps of a ticket's state machine (tickets/states.py) under the shop's policy, and the
supervisors' decision on a step held for approval."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from approvals.services import approval_request, on_decided
from audit.services import audit

from .. import policy, sla
from ..errors import PolicyRefused
from ..models import Ticket, TicketEvent
from ..states import (
    CLAIM_TYPES,
    MONEY_ACTIONS,
    TERMINAL_STATES,
    Action,
    TicketState,
    hold,
    release,
    transition,
)
from .common import actor_role, locked, mark_answered, timeline_event


def _apply_step_facts(
    ticket: Ticket, action: str, *, actor, now, amount, reason, tracking, courier
):
    """Record what a step carries (tracking number, amount, refusal reason)."""
    if action == Action.AWAIT_RETURN:
        if not tracking:
            raise PolicyRefused("tracking_required", _("请填写买家提供的退货物流单号。"))
        ticket.return_tracking_number = tracking
        ticket.return_courier = courier
    elif action == Action.RECEIVE:
        ticket.return_received_at = now
    elif action == Action.RESHIP:
        ticket.reship_tracking_number = tracking
    elif action in MONEY_ACTIONS:
        field = MONEY_ACTIONS[action]
        setattr(ticket, field, getattr(ticket, field) + amount)
    elif action == Action.REFUSE:
        ticket.refusal_reason = reason
    if action in (Action.CLOSE, Action.REFUSE):
        ticket.closed_at = now
        ticket.resolved_by = ticket.assignee or actor
    if action == Action.REOPEN:
        ticket.closed_at = None
        ticket.resolved_by = None
        ticket.refusal_reason = ""


def _money(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError):
        value = Decimal("0")
    if value <= 0:
        raise PolicyRefused("amount_required", _("请填写大于 0 的金额。"))
    return value


@transaction.atomic
def ticket_act(
    *,
    actor: User,
    ticket: Ticket,
    action: str,
    now: datetime,
    amount: Decimal | str | None = None,
    reason: str = "",
    tracking_number: str = "",
    courier: str = "",
) -> Ticket:
    """Take one step of the ticket's state machine, under the shop's policy.

    A refund or compensation above the actor's limit does not happen: the ticket waits in
    ``awaiting_approval`` and a supervisor's decision continues it (``_on_approval``)."""
    require(actor, "tickets.work", ticket)
    ticket = locked(ticket)
    action = Action(action)
    role = actor_role(actor, ticket.shop_id)
    reason = reason.strip()
    if action == Action.REFUSE and not reason:
        raise PolicyRefused("reason_required", _("拒绝时请写明理由，买家会看到。"))
    policy.check_before(ticket, action, now=now, photo_count=ticket.photos.count())
    before = ticket.state
    value = _money(amount) if action in MONEY_ACTIONS else Decimal("0")
    if action in MONEY_ACTIONS:
        policy.check_claim_payout(ticket)
    if action in MONEY_ACTIONS and (
        policy.needs_approval(ticket.shop, role, value) or policy.claim_needs_approval(ticket, role)
    ):
        return _hold_for_approval(
            ticket, action, actor=actor, role=role, amount=value, reason=reason, now=now
        )
    transition(ticket, action, role=role)
    _apply_step_facts(
        ticket,
        action,
        actor=actor,
        now=now,
        amount=value,
        reason=reason,
        tracking=tracking_number.strip(),
        courier=courier.strip(),
    )
    if ticket.state in TERMINAL_STATES:
        ticket.sla_due_at = None
    elif action == Action.REOPEN:
        ticket.sla_due_at = sla.due_after(ticket.shop, ticket.type, now)
    else:
        mark_answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    timeline_event(
        ticket,
        TicketEvent.Kind.TRANSITION,
        actor,
        now,
        text=reason or (f"¥{value}" if value else tracking_number),
        from_state=before,
        to_state=ticket.state,
    )
    audit(actor, f"ticket.{action}", ticket, changes={"state": [before, ticket.state]}, now=now)
    return ticket


def _hold_for_approval(ticket, action, *, actor, role, amount, reason, now) -> Ticket:
    before = ticket.state
    kind = ApprovalKind.REFUND if action == Action.REFUND else ApprovalKind.COMPENSATION
    limit = policy.approval_limit(ticket.shop, role)
    if ticket.type in CLAIM_TYPES:
        fact = _("签收时外包装完好") if ticket.signed_intact else _("签收时已发现包装破损")
        why = _("破损/少件赔付须主管审批（%(fact)s）") % {"fact": fact}
    else:
        why = _("超出免审批额度 ¥%(limit)s") % {"limit": limit}
    request = approval_request(
        actor=actor,
        shop=ticket.shop,
        kind=kind,
        amount=amount,
        reason=f"{reason}（{why}）" if reason else why,
        subject=ticket,
        now=now,
    )
    hold(ticket, action, role=role, amount=amount, approval_id=request.pk)
    mark_answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    timeline_event(
        ticket,
        TicketEvent.Kind.APPROVAL,
        actor,
        now,
        text=(
            _("%(kind)s ¥%(amount)s 为破损/少件赔付，已提交主管审批。")
            if ticket.type in CLAIM_TYPES
            else _("%(kind)s ¥%(amount)s 超出额度，已提交主管审批。")
        )
        % {"kind": kind.label, "amount": amount},
        from_state=before,
        to_state=ticket.state,
    )
    audit(
        actor,
        "ticket.held_for_approval",
        ticket,
        changes={"state": [before, ticket.state]},
        now=now,
    )
    return ticket


@on_decided("tickets.ticket")
def _on_approval(request: ApprovalRequest) -> None:
    """A supervisor decided a held refund/compensation: complete it or hand it back."""
    ticket = (
        Ticket.objects.select_related("shop")
        .select_for_update(of=("self",))
        .get(pk=int(request.subject_id))
    )
    held = ticket.pending_action
    if ticket.state != TicketState.AWAITING_APPROVAL or held.get("approval_id") != request.pk:
        return
    now = request.decided_at
    decider = request.decided_by
    release(ticket)
    before = TicketState.AWAITING_APPROVAL
    if request.status == ApprovalStatus.APPROVED:
        action = Action(held["action"])
        transition(ticket, action, role=actor_role(decider, ticket.shop_id))
        _apply_step_facts(
            ticket,
            action,
            actor=decider,
            now=now,
            amount=Decimal(held["amount"]),
            reason="",
            tracking="",
            courier="",
        )
    ticket.updated_at = now
    ticket.save()
    timeline_event(
        ticket,
        TicketEvent.Kind.APPROVAL,
        decider,
        now,
        text=f"{request.get_status_display()}：{request.decision_reason}",
        from_state=before,
        to_state=ticket.state,
    )
    audit(
        decider,
        "ticket.approval_applied",
        ticket,
        changes={"state": [before, ticket.state]},
        now=now,
    )
