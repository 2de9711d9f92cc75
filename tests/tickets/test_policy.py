"""Each policy rule refuses through the services, naming itself."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus, Notification
from approvals.services import approval_decide
from orders.states import OrderState
from tests.factories import make_buyer, make_order
from tests.tickets.factories import image_upload, make_ticket, received_order
from tickets.errors import PolicyRefused, TransitionNotAllowed
from tickets.models import ReturnReason
from tickets.photos import photo_add
from tickets.policy import approval_limit, receipt_time
from tickets.services import ticket_act, ticket_create
from tickets.states import Action, TicketState, TicketType, actions_for

pytestmark = pytest.mark.django_db
A = Action


@contextmanager
def refused(rule):
    """The action is refused by ``rule``, with a message that says it in words (no code)."""
    with pytest.raises(PolicyRefused) as caught:
        yield caught
    assert caught.value.rule == rule and rule not in str(caught.value)


def _walk(agent, ticket, now, *steps):
    for action, extra in steps:
        ticket = ticket_act(actor=agent, ticket=ticket, action=action, now=now, **extra)
    return ticket


def test_no_reason_return_after_the_window_is_refused(shop, agent, now):
    order = received_order(shop, now, days_ago=8)
    ticket = make_ticket(
        shop, TicketType.RETURN_REFUND, now, actor=agent, order=order, reason=ReturnReason.NO_REASON
    )
    with refused("return_window"):
        ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REQUESTED


def test_no_reason_return_on_the_last_day_is_accepted(shop, agent, now):
    order = received_order(shop, now, days_ago=7)
    ticket = make_ticket(
        shop, TicketType.RETURN_REFUND, now, actor=agent, order=order, reason=ReturnReason.SIZE
    )
    assert ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now).state == "approved"


def test_a_faulty_item_may_be_returned_after_the_window(shop, agent, now):
    order = received_order(shop, now, days_ago=20)
    ticket = make_ticket(
        shop, TicketType.RETURN_REFUND, now, actor=agent, order=order, reason=ReturnReason.QUALITY
    )
    assert ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now).state == "approved"


def test_receipt_without_a_confirmation_is_the_estimated_arrival(shop, now):
    zhejiang = make_order(shop, shipped_at=now - timedelta(days=9), province="浙江省")
    xinjiang = make_order(shop, shipped_at=now - timedelta(days=9), province="新疆维吾尔自治区")
    unshipped = make_order(shop)
    assert receipt_time(zhejiang, shop) == now - timedelta(days=6)
    assert receipt_time(xinjiang, shop) == now - timedelta(days=2)
    assert receipt_time(unshipped, shop) is None


def test_estimated_receipt_too_long_ago_is_refused(shop, agent, now):
    order = make_order(
        shop, state=OrderState.SHIPPED, shipped_at=now - timedelta(days=12), province="浙江省"
    )
    ticket = make_ticket(
        shop, TicketType.EXCHANGE, now, actor=agent, order=order, reason=ReturnReason.NO_REASON
    )
    with refused("return_window"):
        ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)


def test_worn_or_washed_goods_are_not_returnable(shop, agent, now):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent, worn_or_washed=True)
    with refused("not_resellable"):
        ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)


def test_exchange_replacement_ships_only_after_the_return_arrived(shop, agent, now):
    ticket = make_ticket(shop, TicketType.EXCHANGE, now, actor=agent)
    ticket = _walk(agent, ticket, now, (A.APPROVE, {}))
    with refused("exchange_return_first"):
        ticket_act(actor=agent, ticket=ticket, action=A.RESHIP, now=now)
    ticket = _walk(agent, ticket, now, (A.AWAIT_RETURN, {"tracking_number": "SF1"}))
    with refused("exchange_return_first"):
        ticket_act(actor=agent, ticket=ticket, action=A.RESHIP, now=now)


def test_price_difference_is_refunded_only_after_receipt(shop, agent, now):
    order = make_order(shop, state=OrderState.SHIPPED, shipped_at=now - timedelta(days=1))
    ticket = make_ticket(shop, TicketType.PRICE_DIFFERENCE, now, actor=agent, order=order)
    ticket = _walk(agent, ticket, now, (A.APPROVE, {}))
    with refused("price_difference_after_receipt"):
        ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="15", now=now)
    order.state, order.received_at = OrderState.FINISHED, now
    order.save()
    assert ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="15", now=now).state == (
        "refunded"
    )


@pytest.mark.parametrize(
    "ticket_type", [TicketType.DAMAGED, TicketType.MISSING_ITEM, TicketType.WRONG_ITEM]
)
def test_photo_required_before_approval(ticket_type, shop, agent, now):
    ticket = make_ticket(shop, ticket_type, now, actor=agent)
    with refused("photo_required"):
        ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)
    photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    assert ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now).state == "approved"


def test_order_required_except_for_invoice_and_platform_dispute(shop, agent, now):
    buyer = make_buyer(shop)
    with refused("order_required"):
        ticket_create(actor=agent, shop=shop, type=TicketType.DAMAGED, buyer=buyer, now=now)
    for kind in (TicketType.INVOICE, TicketType.PLATFORM_DISPUTE):
        assert ticket_create(actor=agent, shop=shop, type=kind, buyer=buyer, now=now).order is None


def test_refusal_needs_a_reason_and_return_needs_a_tracking_number(shop, agent, now):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    with refused("reason_required"):
        ticket_act(actor=agent, ticket=ticket, action=A.REFUSE, now=now)
    ticket = _walk(agent, ticket, now, (A.APPROVE, {}))
    with refused("tracking_required"):
        ticket_act(actor=agent, ticket=ticket, action=A.AWAIT_RETURN, now=now)


def test_refusing_records_the_reason_and_ends_the_ticket(shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket = ticket_act(
        actor=agent, ticket=ticket, action=A.REFUSE, reason="商品已签收使用", now=now
    )
    assert ticket.state == TicketState.REFUSED and ticket.refusal_reason == "商品已签收使用"
    assert ticket.sla_due_at is None


def test_a_step_outside_the_table_is_refused_with_the_state_named(shop, agent, now):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    with pytest.raises(TransitionNotAllowed, match="待处理"):
        ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="10", now=now)


def test_only_supervisors_reopen(shop, staff, agent, supervisor, now):
    ticket = make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    ticket = _walk(agent, ticket, now, (A.ISSUE_INVOICE, {}), (A.CLOSE, {}))
    assert A.REOPEN not in actions_for(ticket.type, ticket.state, Role.AFTER_SALE)
    with pytest.raises(TransitionNotAllowed):
        ticket_act(actor=agent, ticket=ticket, action=A.REOPEN, now=now)
    ticket = ticket_act(actor=supervisor, ticket=ticket, action=A.REOPEN, now=now)
    assert ticket.state == TicketState.REQUESTED and ticket.closed_at is None
    assert ticket.sla_due_at is not None


@pytest.mark.parametrize("role", [Role.PRE_SALE, Role.IN_SALE])
def test_agents_outside_after_sale_cannot_work_tickets(role, shop, staff, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    with pytest.raises(PermissionDenied):
        ticket_act(actor=staff[role], ticket=ticket, action=A.APPROVE, now=now)


def test_another_shops_agent_cannot_work_the_ticket(shop, other_shop, agent, now):
    from tests.factories import make_user

    stranger = make_user(other_shop, Role.MANAGER)
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    with pytest.raises(PermissionDenied):
        ticket_act(actor=stranger, ticket=ticket, action=A.APPROVE, now=now)


# --- approval_limit ---------------------------------------------------------------------


def _received_return(shop, agent, now):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    return _walk(
        agent,
        ticket,
        now,
        (A.APPROVE, {}),
        (A.AWAIT_RETURN, {"tracking_number": "YT1"}),
        (A.RECEIVE, {}),
    )


def test_limits_by_role_with_managers_unlimited(shop):
    assert approval_limit(shop, Role.AFTER_SALE) == Decimal("100.00")
    assert approval_limit(shop, Role.SUPERVISOR) == Decimal("2000.00")
    assert approval_limit(shop, Role.MANAGER) is None
    assert approval_limit(shop, Role.PRE_SALE) == Decimal("0")


def test_refund_above_the_limit_waits_for_a_supervisor(shop, agent, supervisor, now):
    ticket = _received_return(shop, agent, now)
    ticket = ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="150", now=now)
    assert ticket.state == TicketState.AWAITING_APPROVAL and ticket.refund_amount == 0
    request = ApprovalRequest.objects.get()
    assert (request.kind, request.amount, request.subject_type) == (
        ApprovalKind.REFUND,
        Decimal("150.00"),
        "tickets.ticket",
    )
    assert "超出免审批额度" in request.reason and "approval_limit" not in request.reason

    approval_decide(
        actor=supervisor, request=request, approve=True, reason="同意", now=now + timedelta(hours=1)
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REFUNDED and ticket.refund_amount == Decimal("150.00")
    assert ticket.pending_action == {}
    assert Notification.objects.filter(user=agent, text__contains="已批准").exists()


def test_a_refused_compensation_returns_the_ticket_unchanged(shop, agent, supervisor, now):
    ticket = make_ticket(shop, TicketType.DAMAGED, now, actor=agent, signed_intact=True)
    photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    ticket = _walk(agent, ticket, now, (A.APPROVE, {}))
    ticket = ticket_act(actor=agent, ticket=ticket, action=A.COMPENSATE, amount="300", now=now)
    request = ApprovalRequest.objects.get(kind=ApprovalKind.COMPENSATION)
    approval_decide(actor=supervisor, request=request, approve=False, reason="先补发", now=now)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.APPROVED and ticket.compensation_amount == 0
    assert request.__class__.objects.get().status == ApprovalStatus.REFUSED


def test_a_supervisor_pays_within_their_own_limit_at_once(shop, agent, supervisor, now):
    ticket = _received_return(shop, agent, now)
    ticket = ticket_act(actor=supervisor, ticket=ticket, action=A.REFUND, amount="150", now=now)
    assert ticket.state == TicketState.REFUNDED and not ApprovalRequest.objects.exists()


def test_a_held_ticket_takes_no_other_step(shop, agent, now):
    ticket = _received_return(shop, agent, now)
    ticket = ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="150", now=now)
    with pytest.raises(TransitionNotAllowed):
        ticket_act(actor=agent, ticket=ticket, action=A.CLOSE, now=now)
