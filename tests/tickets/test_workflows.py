"""Every ticket type's happy path, walked through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from tests.factories import at
from tests.tickets.factories import image_upload, make_ticket
from tickets import sla
from tickets.errors import TicketError
from tickets.photos import photo_add
from tickets.services import ticket_act, ticket_reply
from tickets.states import CLAIM_TYPES, TRANSITIONS, Action, TicketState, TicketType

pytestmark = pytest.mark.django_db

A = Action
HAPPY_PATHS = {
    TicketType.RETURN_REFUND: [
        (A.APPROVE, {}),
        (A.AWAIT_RETURN, {"tracking_number": "YT1234567890", "courier": "圆通"}),
        (A.RECEIVE, {}),
        (A.REFUND, {"amount": "89.00"}),
        (A.CLOSE, {}),
    ],
    TicketType.REFUND_ONLY: [(A.APPROVE, {}), (A.REFUND, {"amount": "49.00"}), (A.CLOSE, {})],
    TicketType.EXCHANGE: [
        (A.APPROVE, {}),
        (A.AWAIT_RETURN, {"tracking_number": "SF100200300"}),
        (A.RECEIVE, {}),
        (A.RESHIP, {"tracking_number": "SF900800700"}),
        (A.CLOSE, {}),
    ],
    TicketType.DAMAGED: [(A.APPROVE, {}), (A.COMPENSATE, {"amount": "30"}), (A.CLOSE, {})],
    TicketType.MISSING_ITEM: [
        (A.APPROVE, {}),
        (A.RESHIP, {"tracking_number": "ZT5550001"}),
        (A.CLOSE, {}),
    ],
    TicketType.WRONG_ITEM: [
        (A.APPROVE, {}),
        (A.AWAIT_RETURN, {"tracking_number": "YD777"}),
        (A.RECEIVE, {}),
        (A.RESHIP, {"tracking_number": "YD778"}),
        (A.CLOSE, {}),
    ],
    TicketType.QUALITY: [
        (A.APPROVE, {}),
        (A.AWAIT_RETURN, {"tracking_number": "JD001"}),
        (A.RECEIVE, {}),
        (A.REFUND, {"amount": "99.00"}),
        (A.CLOSE, {}),
    ],
    TicketType.PRICE_DIFFERENCE: [(A.APPROVE, {}), (A.REFUND, {"amount": "20"}), (A.CLOSE, {})],
    TicketType.INVOICE: [(A.ISSUE_INVOICE, {}), (A.CLOSE, {})],
    TicketType.LOGISTICS_DISPUTE: [(A.INVESTIGATE, {}), (A.RESOLVE, {}), (A.CLOSE, {})],
    TicketType.PLATFORM_DISPUTE: [
        (A.INVESTIGATE, {}),
        (A.COMPENSATE, {"amount": "50"}),
        (A.CLOSE, {}),
    ],
}


def test_every_type_has_a_happy_path_and_a_table():
    assert set(HAPPY_PATHS) == set(TicketType) == set(TRANSITIONS)


@pytest.mark.parametrize("ticket_type", list(TicketType))
def test_happy_path_from_request_to_closed(ticket_type, shop, agent, supervisor, now):
    claim = {"signed_intact": False} if ticket_type in CLAIM_TYPES else {}
    ticket = make_ticket(
        shop, ticket_type, now, actor=agent, with_order=ticket_type != TicketType.INVOICE, **claim
    )
    # a payout on a damage/shortage claim is a supervisor's decision (test_claims.py)
    walker = supervisor if claim else agent
    if ticket_type in (TicketType.DAMAGED, TicketType.MISSING_ITEM, TicketType.WRONG_ITEM):
        photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    moment = now
    for action, extra in HAPPY_PATHS[ticket_type]:
        moment += timedelta(hours=1)
        ticket = ticket_act(actor=walker, ticket=ticket, action=action, now=moment, **extra)
    assert ticket.state == TicketState.CLOSED
    assert ticket.closed_at == moment and ticket.resolved_by == agent
    assert ticket.sla_due_at is None
    verbs = set(AuditEvent.objects.filter(object_id=str(ticket.pk)).values_list("verb", flat=True))
    assert "ticket.created" in verbs and "ticket.close" in verbs
    assert ticket.events.count() >= len(HAPPY_PATHS[ticket_type]) + 1


def test_refund_and_compensation_amounts_are_recorded_as_costs(shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)
    ticket = ticket_act(actor=agent, ticket=ticket, action=A.REFUND, amount="49.90", now=now)
    assert ticket.refund_amount == Decimal("49.90") and ticket.total_cost == Decimal("49.90")


def test_return_details_are_kept(shop, agent, now):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action=A.APPROVE, now=now)
    ticket = ticket_act(
        actor=agent,
        ticket=ticket,
        action=A.AWAIT_RETURN,
        tracking_number=" YT99 ",
        courier="圆通",
        now=now,
    )
    assert (ticket.return_tracking_number, ticket.return_courier) == ("YT99", "圆通")
    ticket = ticket_act(actor=agent, ticket=ticket, action=A.RECEIVE, now=now + timedelta(days=2))
    assert ticket.return_received_at == now + timedelta(days=2)


def test_a_simple_ticket_meets_its_sla_with_the_first_reply(shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    # Monday 10:30 + 24 clock hours -> Tuesday 10:30
    assert ticket.sla_due_at == at(2026, 11, 24, 10, 30)
    ticket_reply(actor=agent, ticket=ticket, text="亲，已收到您的申请，正在为您核实。", now=now)
    ticket.refresh_from_db()
    assert ticket.first_replied_at == now and ticket.sla_due_at is None


def test_a_late_evening_ticket_is_due_in_clock_hours_by_default(shop, agent):
    late = at(2026, 11, 23, 23, 30)
    simple = make_ticket(shop, TicketType.REFUND_ONLY, late, actor=agent)
    complex_ = make_ticket(shop, TicketType.QUALITY, late, actor=agent)
    assert simple.sla_due_at == late + timedelta(hours=24)
    assert complex_.sla_due_at == late + timedelta(hours=48)
    assert sla.seconds_left(simple, now=late) == 24 * 3600
    assert sla.clock_label(shop) == "按自然小时计"


def test_a_shop_may_count_business_hours_only(shop, agent):
    shop.sla_business_hours_only = True
    shop.save()
    late = at(2026, 11, 23, 23, 30)
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, late, actor=agent)
    # 09:00-23:00: nothing counts until Tuesday 09:00, then 14 h + 10 h Wednesday -> 19:00
    assert ticket.sla_due_at == at(2026, 11, 25, 19, 0)
    assert sla.seconds_left(ticket, now=late) == 24 * 3600
    assert sla.clock_label(shop) == "只计营业时间 09:00–23:00"


def test_a_complex_ticket_gets_a_new_follow_up_deadline_after_each_reply(shop, agent, now):
    ticket = make_ticket(shop, TicketType.QUALITY, now, actor=agent)
    first_due = ticket.sla_due_at
    later = now + timedelta(hours=5)
    ticket_reply(actor=agent, ticket=ticket, text="已联系仓库核查批次。", now=later)
    ticket.refresh_from_db()
    assert ticket.sla_due_at > first_due and ticket.last_followup_at == later


def test_an_internal_note_does_not_count_as_a_reply(shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_reply(actor=agent, ticket=ticket, text="买家情绪较大", internal=True, now=now)
    ticket.refresh_from_db()
    assert ticket.first_replied_at is None and ticket.sla_due_at is not None


def test_a_reply_to_the_buyer_goes_into_their_conversation(shop, agent, now):
    from chats.models import ChannelKind, Message, OutboxMessage, Sender
    from tests.chats.factories import make_channel, make_conversation

    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    channel = make_channel(shop, ChannelKind.BRIDGE)
    conversation = make_conversation(shop, now=now, channel=channel, buyer=ticket.buyer)
    ticket_reply(actor=agent, ticket=ticket, text="您好，已收到您的申请，正在为您核实。", now=now)
    sent = Message.objects.get(conversation=conversation, sender=Sender.AGENT)
    assert sent.text == "您好，已收到您的申请，正在为您核实。" and sent.author == agent
    assert OutboxMessage.objects.get().conversation == conversation
    ticket_reply(actor=agent, ticket=ticket, text="仓库核对中", now=now, internal=True)
    assert Message.objects.filter(sender=Sender.AGENT).count() == 1


def test_a_reply_the_etiquette_checker_refuses_sends_nothing(shop, agent, now):
    from chats.models import Message, OutboxMessage
    from tests.chats.factories import make_conversation

    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    make_conversation(shop, now=now, buyer=ticket.buyer)
    with pytest.raises(TicketError, match="请先修改再发送"):
        ticket_reply(actor=agent, ticket=ticket, text="我不知道，你自己问快递", now=now)
    ticket.refresh_from_db()
    assert ticket.first_replied_at is None
    assert not Message.objects.filter(sender="agent").exists()
    assert not OutboxMessage.objects.exists()


def test_a_buyer_without_a_conversation_is_reached_through_the_outbox_once(shop, agent, now):
    from chats.models import OutboxMessage

    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    event = ticket_reply(actor=agent, ticket=ticket, text="您好，退款已提交。", now=now)
    row = OutboxMessage.objects.get()
    assert row.key == f"ticket-reply:{event.pk}" and row.buyer == ticket.buyer
