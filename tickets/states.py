"""The after-sale ticket types and one explicit state machine per type.

``TRANSITIONS[ticket_type][(state, action)] = Step(to, roles)``: the only way a ticket's
state changes is ``transition()``, which looks the step up here. Policy rules that depend
on the ticket's facts (photos, receipt time, limits) live in tickets/policy.py and run in
the services before the transition.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, at_least

from .errors import TransitionNotAllowed


class TicketType(models.TextChoices):
    RETURN_REFUND = "return_refund", _("退货退款")
    REFUND_ONLY = "refund_only", _("仅退款")
    EXCHANGE = "exchange", _("换货")
    DAMAGED = "damaged", _("破损")
    MISSING_ITEM = "missing_item", _("少件/漏发")
    WRONG_ITEM = "wrong_item", _("错发")
    QUALITY = "quality", _("质量问题")
    PRICE_DIFFERENCE = "price_difference", _("补差价")
    INVOICE = "invoice", _("发票")
    LOGISTICS_DISPUTE = "logistics_dispute", _("物流纠纷")
    PLATFORM_DISPUTE = "platform_dispute", _("维权/投诉")


class TicketState(models.TextChoices):
    REQUESTED = "requested", _("待处理")
    APPROVED = "approved", _("已同意")
    AWAITING_RETURN = "awaiting_return", _("待买家退货")
    RECEIVED = "received", _("已收到退货")
    INVESTIGATING = "investigating", _("核实中")
    AWAITING_APPROVAL = "awaiting_approval", _("待主管审批")
    REFUNDED = "refunded", _("已退款")
    RESHIPPED = "reshipped", _("已补发/换新")
    COMPENSATED = "compensated", _("已补偿")
    ISSUED = "issued", _("已开票")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")
    REFUSED = "refused", _("已拒绝")


class Action(models.TextChoices):
    APPROVE = "approve", _("同意")
    AWAIT_RETURN = "await_return", _("登记退货单号")
    RECEIVE = "receive", _("确认收到退货")
    INVESTIGATE = "investigate", _("开始核实")
    REFUND = "refund", _("退款")
    RESHIP = "reship", _("补发/发出换新")
    COMPENSATE = "compensate", _("补偿")
    ISSUE_INVOICE = "issue_invoice", _("开具发票")
    RESOLVE = "resolve", _("标记已解决")
    CLOSE = "close", _("关闭")
    REFUSE = "refuse", _("拒绝")
    REOPEN = "reopen", _("重新打开")


# Simple types get a first reply within Shop.simple_reply_hours; the others are complex
# complaints followed up every Shop.complex_followup_hours (DOMAIN.md, 24 h / 48 h).
SIMPLE_TYPES = frozenset(
    {
        TicketType.RETURN_REFUND,
        TicketType.REFUND_ONLY,
        TicketType.EXCHANGE,
        TicketType.PRICE_DIFFERENCE,
        TicketType.INVOICE,
    }
)
ORDER_OPTIONAL_TYPES = frozenset({TicketType.INVOICE, TicketType.PLATFORM_DISPUTE})
PHOTO_TYPES = frozenset({TicketType.DAMAGED, TicketType.MISSING_ITEM, TicketType.WRONG_ITEM})
# Claims against what the buyer signed for: their payouts need a supervisor (policy).
CLAIM_TYPES = frozenset({TicketType.DAMAGED, TicketType.MISSING_ITEM})
TERMINAL_STATES = frozenset({TicketState.CLOSED, TicketState.REFUSED})
OPEN_STATES = frozenset(TicketState) - TERMINAL_STATES
# Actions that pay the buyer: above the actor's limit they become an approval request.
MONEY_ACTIONS = {Action.REFUND: "refund_amount", Action.COMPENSATE: "compensation_amount"}

AGENTS = at_least(Role.AFTER_SALE)
SUPERVISORS = at_least(Role.SUPERVISOR)


@dataclass(frozen=True)
class Step:
    to: TicketState
    roles: frozenset[Role] = AGENTS


S, A = TicketState, Action


def _machine(*steps: tuple[TicketState, Action, TicketState], refusable=(S.REQUESTED,)):
    """A type's table: its own steps plus refusal, closing and reopening, which every
    type shares."""
    table = {(frm, action): Step(to) for frm, action, to in steps}
    for state in refusable:
        table[(state, A.REFUSE)] = Step(S.REFUSED)
    for state in {to for _frm, _a, to in steps} - {S.CLOSED, S.AWAITING_APPROVAL}:
        if state in {S.REFUNDED, S.RESHIPPED, S.COMPENSATED, S.ISSUED, S.RESOLVED}:
            table[(state, A.CLOSE)] = Step(S.CLOSED)
    table[(S.CLOSED, A.REOPEN)] = Step(S.REQUESTED, SUPERVISORS)
    table[(S.REFUSED, A.REOPEN)] = Step(S.REQUESTED, SUPERVISORS)
    return table


_RETURN_THEN = (
    (S.REQUESTED, A.APPROVE, S.APPROVED),
    (S.APPROVED, A.AWAIT_RETURN, S.AWAITING_RETURN),
    (S.AWAITING_RETURN, A.RECEIVE, S.RECEIVED),
)

TRANSITIONS: dict[TicketType, dict[tuple[TicketState, Action], Step]] = {
    TicketType.RETURN_REFUND: _machine(
        *_RETURN_THEN,
        (S.RECEIVED, A.REFUND, S.REFUNDED),
        refusable=(S.REQUESTED, S.RECEIVED),
    ),
    TicketType.REFUND_ONLY: _machine(
        (S.REQUESTED, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.REFUND, S.REFUNDED),
    ),
    # The replacement ships only after the returned item arrived: RESHIP leaves RECEIVED only.
    TicketType.EXCHANGE: _machine(
        *_RETURN_THEN,
        (S.RECEIVED, A.RESHIP, S.RESHIPPED),
        (S.RECEIVED, A.REFUND, S.REFUNDED),
        refusable=(S.REQUESTED, S.RECEIVED),
    ),
    TicketType.DAMAGED: _machine(
        (S.REQUESTED, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.REFUND, S.REFUNDED),
        (S.APPROVED, A.RESHIP, S.RESHIPPED),
        (S.APPROVED, A.COMPENSATE, S.COMPENSATED),
    ),
    TicketType.MISSING_ITEM: _machine(
        (S.REQUESTED, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.RESHIP, S.RESHIPPED),
        (S.APPROVED, A.REFUND, S.REFUNDED),
    ),
    TicketType.WRONG_ITEM: _machine(
        *_RETURN_THEN,
        (S.APPROVED, A.RESHIP, S.RESHIPPED),
        (S.RECEIVED, A.RESHIP, S.RESHIPPED),
        (S.RECEIVED, A.REFUND, S.REFUNDED),
    ),
    TicketType.QUALITY: _machine(
        *_RETURN_THEN,
        (S.APPROVED, A.COMPENSATE, S.COMPENSATED),
        (S.RECEIVED, A.REFUND, S.REFUNDED),
        (S.RECEIVED, A.RESHIP, S.RESHIPPED),
    ),
    TicketType.PRICE_DIFFERENCE: _machine(
        (S.REQUESTED, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.REFUND, S.REFUNDED),
    ),
    TicketType.INVOICE: _machine(
        (S.REQUESTED, A.ISSUE_INVOICE, S.ISSUED),
    ),
    TicketType.LOGISTICS_DISPUTE: _machine(
        (S.REQUESTED, A.INVESTIGATE, S.INVESTIGATING),
        (S.INVESTIGATING, A.RESHIP, S.RESHIPPED),
        (S.INVESTIGATING, A.REFUND, S.REFUNDED),
        (S.INVESTIGATING, A.COMPENSATE, S.COMPENSATED),
        (S.INVESTIGATING, A.RESOLVE, S.RESOLVED),
        refusable=(S.REQUESTED, S.INVESTIGATING),
    ),
    TicketType.PLATFORM_DISPUTE: _machine(
        (S.REQUESTED, A.INVESTIGATE, S.INVESTIGATING),
        (S.INVESTIGATING, A.REFUND, S.REFUNDED),
        (S.INVESTIGATING, A.COMPENSATE, S.COMPENSATED),
        (S.INVESTIGATING, A.RESOLVE, S.RESOLVED),
        refusable=(S.REQUESTED, S.INVESTIGATING),
    ),
}


def step_for(ticket_type: str, state: str, action: str) -> Step | None:
    return TRANSITIONS[TicketType(ticket_type)].get((TicketState(state), Action(action)))


def actions_for(ticket_type: str, state: str, role: str | None) -> list[Action]:
    """The actions a member with ``role`` may take on a ticket in ``state``, in table order."""
    if role is None:
        return []
    return [
        action
        for (frm, action), step in TRANSITIONS[TicketType(ticket_type)].items()
        if frm == state and role in step.roles
    ]


def transition(ticket, action: str, *, role: str | None) -> TicketState:
    """Move ``ticket`` (unsaved) along its table; the caller saves and audits."""
    try:
        step = step_for(ticket.type, ticket.state, action)
    except ValueError:
        step = None
    if step is None:
        raise TransitionNotAllowed(
            gettext("工单当前状态为「%(state)s」，无法执行「%(action)s」。")
            % {
                "state": TicketState(ticket.state).label,
                "action": Action(action).label if action in Action.values else action,
            }
        )
    if role not in step.roles:
        raise TransitionNotAllowed(gettext("你的角色无权执行此操作。"))
    ticket.state = step.to
    return step.to


# ``awaiting_approval`` is a hold, not a step of any table: a refund or compensation above
# the actor's limit (policy ``approval_limit``) parks the ticket there with the held step in
# ``Ticket.pending_action``. The supervisor's decision either completes that step (through
# ``transition()``, from the state it was held in) or returns the ticket to that state.


def hold(ticket, action: str, *, role: str | None, amount, approval_id: int) -> None:
    step = step_for(ticket.type, ticket.state, action)
    if step is None or role not in step.roles:
        transition(ticket, action, role=role)  # raises the usual refusal
    ticket.pending_action = {
        "action": str(action),
        "amount": str(amount),
        "from_state": str(ticket.state),
        "approval_id": approval_id,
    }
    ticket.state = TicketState.AWAITING_APPROVAL


def release(ticket) -> dict:
    """Put a held ticket back where it was; returns what was held."""
    held = ticket.pending_action
    ticket.state = held["from_state"]
    ticket.pending_action = {}
    return held
