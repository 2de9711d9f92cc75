"""Changes to tickets. Each service: permission → lock → validate (state machine, policy)
→ change → timeline event → audit. Views, the API, the refund import and the jobs call
these and nothing else."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import can, require, roles_by_shop
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from approvals.services import approval_request, notify, on_decided
from audit.services import audit
from chats.errors import InvalidMessage
from chats.services import buyer_message_send
from chats.services.direct import checked_text
from orders.models import Buyer, Order
from teamwork.events import ticket_event

from . import policy, sla
from .complaint import STEP_CODES
from .errors import PolicyRefused, TicketError
from .models import ReturnReason, Ticket, TicketEvent
from .states import (
    CLAIM_TYPES,
    MONEY_ACTIONS,
    TERMINAL_STATES,
    Action,
    TicketState,
    TicketType,
    hold,
    release,
    transition,
)

OUTCOME_STATES = frozenset(
    {
        TicketState.REFUNDED,
        TicketState.RESHIPPED,
        TicketState.COMPENSATED,
        TicketState.ISSUED,
        TicketState.RESOLVED,
    }
)


def _role(user: User, shop_id: int) -> str | None:
    return roles_by_shop(user).get(shop_id)


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_related("shop", "order", "buyer")
        .select_for_update(of=("self",))
        .get(pk=ticket.pk)
    )


def _event(ticket, kind, actor, now, *, text="", from_state="", to_state=""):
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


def _answered(ticket: Ticket, now: datetime) -> None:
    """The buyer heard from the shop: the current SLA deadline is met."""
    if ticket.first_replied_at is None:
        ticket.first_replied_at = now
    ticket.last_followup_at = now
    ticket.sla_due_at = sla.next_due(ticket, now=now)


def buyer_file(*, shop: Shop, nick: str) -> Buyer:
    """The shop's buyer file for ``nick``, opened if this is the buyer's first contact."""
    buyer, _created = Buyer.objects.get_or_create(shop=shop, nick=nick.strip()[:64])
    return buyer


@transaction.atomic
def ticket_create(
    *,
    actor: User | None,
    shop: Shop,
    type: TicketType,
    buyer: Buyer,
    now: datetime,
    order: Order | None = None,
    reason: str = ReturnReason.OTHER,
    description: str = "",
    worn_or_washed: bool = False,
    signed_intact: bool | None = None,
    assignee: User | None = None,
    costs: dict | None = None,
    platform_fields: dict | None = None,
) -> Ticket:
    """Open a ticket. ``actor`` None is the system (the refund import)."""
    if actor is not None:
        require(actor, "tickets.work", shop)
    type = TicketType(type)
    if buyer.shop_id != shop.pk or (order is not None and order.shop_id != shop.pk):
        raise TicketError(_("买家或订单不属于该店铺。"))
    policy.check_order_present(type, order)
    if order is not None and order.buyer_id and order.buyer_id != buyer.pk:
        raise TicketError(_("订单的买家与所选买家不一致。"))
    if assignee is None and actor is not None:
        assignee = actor
    ticket = Ticket(
        shop=shop,
        type=type,
        buyer=buyer,
        order=order,
        reason=ReturnReason(reason),
        description=description,
        worn_or_washed=worn_or_washed,
        signed_intact=signed_intact if type in CLAIM_TYPES else None,
        assignee=assignee,
        created_by=actor,
        created_at=now,
        updated_at=now,
        sla_due_at=sla.due_after(shop, type, now),
        **(costs or {}),
        **(platform_fields or {}),
    )
    ticket.save()
    _event(ticket, TicketEvent.Kind.CREATED, actor, now, text=description, to_state=ticket.state)
    audit(actor, "ticket.created", ticket, changes={"type": [None, type]}, now=now)
    ticket_event("ticket.created", ticket, now=now)
    return ticket


@transaction.atomic
def ticket_open(
    *, actor: User, shop: Shop, type: TicketType, buyer_nick: str, now: datetime, **fields
) -> Ticket:
    """Open a ticket for a buyer named by nick (their buyer file is opened if new)."""
    require(actor, "tickets.work", shop)
    buyer = buyer_file(shop=shop, nick=buyer_nick)
    return ticket_create(actor=actor, shop=shop, type=type, buyer=buyer, now=now, **fields)


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
    ticket = _lock(ticket)
    action = Action(action)
    role = _role(actor, ticket.shop_id)
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
        _answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    _event(
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
        why = _("超出免审批额度 ¥%(limit)s（规则：approval_limit）") % {"limit": limit}
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
    _answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    _event(
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
        transition(ticket, action, role=_role(decider, ticket.shop_id))
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
    _event(
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


@transaction.atomic
def ticket_reply(
    *, actor: User, ticket: Ticket, text: str, now: datetime, internal: bool = False
) -> TicketEvent:
    """Reply to the buyer (meets the SLA deadline) or write an internal note. A reply is
    sent: it passes the etiquette check and goes into the buyer's conversation with the
    shop, through the outbox (chats.services.buyer_message_send); the event keeps a copy."""
    require(actor, "tickets.work", ticket)
    ticket = _lock(ticket)
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
        _answered(ticket, now)
    ticket.updated_at = now
    ticket.save()
    kind = TicketEvent.Kind.NOTE if internal else TicketEvent.Kind.REPLY
    event = _event(ticket, kind, actor, now, text=text)
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
    ticket = _lock(ticket)
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
    ticket = _lock(ticket)
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
    ticket = _lock(ticket)
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
    ticket = _lock(ticket)
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
    ticket = _lock(ticket)
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
    _event(ticket, TicketEvent.Kind.ESCALATION, actor, now, text=reason)
    audit(actor, "ticket.escalated", ticket, changes={"escalation_reason": [None, reason]}, now=now)
    return ticket


@transaction.atomic
def escalation_handle(*, actor: User, ticket: Ticket, note: str, now: datetime) -> Ticket:
    """A supervisor took the escalation: it leaves the inbox; the agent is told."""
    require(actor, "approvals.decide", ticket)
    ticket = _lock(ticket)
    if not ticket.escalated_at or ticket.escalation_handled_at:
        raise TicketError(_("该升级已处理。"))
    ticket.escalation_handled_at = now
    ticket.updated_at = now
    ticket.save()
    _event(ticket, TicketEvent.Kind.ESCALATION, actor, now, text=note or _("主管已处理升级"))
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
