"""The bargaining ladder: 抹零 within the shop's limits, a discount request beyond them,
the supervisors' answer posted into the conversation; all audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.roles import Role
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from approvals.services import approval_decide
from audit.models import AuditEvent
from chats.errors import ChatError
from chats.models import ConcessionKind, Message, Sender
from chats.services import concession_offer
from tests.factories import at, make_buyer, make_order, make_shop

from .factories import make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(shop, staff, now):
    buyer = make_buyer(shop)
    order = make_order(shop, buyer, state="waiting_payment", total_amount=Decimal("500.00"))
    agent = staff[Role.PRE_SALE]
    conversation = make_conversation(shop, now=now, buyer=buyer, assignee=agent, state="active")
    return conversation, order, agent


def offer(setup, amount, now, reason=""):
    conversation, order, agent = setup
    return concession_offer(
        actor=agent,
        conversation=conversation,
        order=order,
        amount=Decimal(amount),
        reason=reason,
        now=now,
    )


def test_erase_within_one_percent_is_the_agents_own_call(setup, now):
    made = offer(setup, "5.00", now)
    assert made.kind == ConcessionKind.ERASE and made.approval is None
    assert AuditEvent.objects.filter(verb="conversation.erased").count() == 1
    note = Message.objects.get(sender=Sender.SYSTEM)
    assert note.is_internal and "抹零 ¥5.00" in note.text


def test_more_than_the_limit_becomes_a_discount_request(setup, now):
    with pytest.raises(ChatError):
        offer(setup, "5.01", now)  # no reason given
    made = offer(setup, "5.01", now, reason="老顾客，一次买两件")
    request = made.approval
    assert made.kind == ConcessionKind.DISCOUNT_REQUEST
    assert request.kind == ApprovalKind.DISCOUNT and request.status == ApprovalStatus.PENDING
    assert request.subject_type == "chats.conversation"
    assert request.subject_id == str(setup[0].pk)


def test_the_fourth_erase_of_the_day_needs_approval_and_the_count_resets_next_day(shop, setup, now):
    for _ in range(3):
        assert offer(setup, "1.00", now).kind == ConcessionKind.ERASE
    assert offer(setup, "1.00", now, reason="再抹一次").kind == ConcessionKind.DISCOUNT_REQUEST
    tomorrow = at(2026, 11, 24, 0, 5)
    assert offer(setup, "1.00", tomorrow).kind == ConcessionKind.ERASE


def test_day_is_the_shanghai_day(setup):
    late = at(2026, 11, 23, 23, 50)
    for _ in range(3):
        offer(setup, "1.00", late)
    # 00:10 in Shanghai is still the previous day in UTC: the count has reset anyway.
    assert offer(setup, "1.00", late + timedelta(minutes=20)).kind == ConcessionKind.ERASE


def test_supervisors_answer_is_posted_into_the_conversation(setup, staff, now):
    made = offer(setup, "50.00", now, reason="买家要求包邮加优惠")
    approval_decide(
        actor=staff[Role.SUPERVISOR],
        request=made.approval,
        approve=False,
        reason="可以改送小样",
        now=now,
    )
    answer = Message.objects.filter(conversation=setup[0], sender=Sender.SYSTEM).last()
    assert answer.is_internal and "已拒绝" in answer.text and "可以改送小样" in answer.text
    assert AuditEvent.objects.filter(verb="conversation.discount_decided").count() == 1
    assert ApprovalRequest.objects.get().status == ApprovalStatus.REFUSED


def test_the_log_speaks_the_language_of_whoever_acted(setup, staff, now):
    with translation.override("en"):
        offer(setup, "5.00", now)
        made = offer(setup, "50.00", now, reason="two items")
        approval_decide(
            actor=staff[Role.SUPERVISOR], request=made.approval, approve=True, reason="", now=now
        )
    notes = Message.objects.filter(conversation=setup[0], sender=Sender.SYSTEM).order_by("pk")
    agent, supervisor, order = setup[2].label, staff[Role.SUPERVISOR].label, setup[1].order_id
    assert [note.text for note in notes] == [
        f"{agent} erased ¥5.00 of small change from order {order}.",
        f"{agent} asked for a ¥50.00 discount on order {order} (above the erase limit);"
        " waiting for a supervisor.",
        f"Supervisor {supervisor} approved the ¥50.00 discount request.",
    ]
    assert made.approval.reason == f"Order {order} (above the erase limit): two items"
    assert AuditEvent.objects.filter(verb="conversation.discount_requested").get().changes == {
        "discount": [None, "50.00"]
    }


def test_only_the_buyers_own_order_can_be_discounted(shop, setup, now):
    conversation, _order, agent = setup
    with pytest.raises(ChatError):
        concession_offer(
            actor=agent,
            conversation=conversation,
            order=make_order(shop),
            amount=Decimal("1.00"),
            reason="",
            now=now,
        )


def test_concession_page_flow(login, setup, now):
    from django.urls import reverse

    conversation, order, agent = setup
    client = login(agent)
    url = reverse("chats:concession", args=[conversation.pk])
    response = client.post(url, {"order": order.pk, "amount": "3.00"})
    assert response.status_code == 302
    response = client.post(url, {"order": order.pk, "amount": "80", "reason": "团购"})
    assert ApprovalRequest.objects.count() == 1


def test_the_daily_erase_allowance_is_the_agents_across_all_their_shops(shop, setup, now):
    from accounts.models import Membership

    _conversation, _order, agent = setup
    second_shop = make_shop(shop.team, code="shop-a2", name="A二店")
    Membership.objects.create(user=agent, shop=second_shop, role=Role.PRE_SALE)
    for _ in range(2):
        assert offer(setup, "1.00", now).kind == ConcessionKind.ERASE
    buyer = make_buyer(second_shop)
    elsewhere = make_conversation(second_shop, now=now, buyer=buyer, assignee=agent, state="active")
    other_order = make_order(second_shop, buyer, total_amount=Decimal("500.00"))
    third = concession_offer(
        actor=agent,
        conversation=elsewhere,
        order=other_order,
        amount=Decimal("1"),
        reason="",
        now=now,
    )
    assert third.kind == ConcessionKind.ERASE
    with pytest.raises(ChatError):
        concession_offer(
            actor=agent,
            conversation=elsewhere,
            order=other_order,
            amount=Decimal("1"),
            reason="",
            now=now,
        )


def close(conversation, agent, now):
    from chats.services import conversation_close

    conversation_close(actor=agent, conversation=conversation, outcome="no_sale", now=now)


def test_an_answer_after_the_chat_closed_reopens_it_for_the_agent(setup, staff, now):
    from approvals.models import Notification
    from chats.models import ConversationState

    made = offer(setup, "50.00", now, reason="买家要求优惠")
    conversation, _order, agent = setup
    close(conversation, agent, now)
    later = now + timedelta(minutes=40)
    approval_decide(
        actor=staff[Role.SUPERVISOR], request=made.approval, approve=True, reason="", now=later
    )
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.ACTIVE and conversation.assignee == agent
    assert conversation.closed_at is None
    answer = Message.objects.filter(conversation=conversation, sender=Sender.SYSTEM).last()
    assert "已批准" in answer.text and answer.is_internal
    link = Notification.objects.get(user=agent, text__contains="请告知买家").link
    assert link.endswith(f"/{conversation.pk}/")


def test_an_answer_after_close_goes_to_the_buyers_newer_open_chat(setup, staff, now):
    from chats.models import ConversationState

    made = offer(setup, "50.00", now, reason="买家要求优惠")
    conversation, _order, agent = setup
    close(conversation, agent, now)
    newer = make_conversation(
        conversation.shop, now=now, buyer=conversation.buyer, channel=conversation.channel
    )
    approval_decide(
        actor=staff[Role.SUPERVISOR], request=made.approval, approve=False, reason="", now=now
    )
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.CLOSED
    answer = Message.objects.filter(conversation=newer, sender=Sender.SYSTEM).get()
    assert "已拒绝" in answer.text
