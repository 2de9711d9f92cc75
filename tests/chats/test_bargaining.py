"""The bargaining ladder: 抹零 within the shop's limits, a discount request beyond them,
the supervisors' answer posted into the conversation; all audited."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.roles import Role
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from approvals.services import approval_decide
from audit.models import AuditEvent
from chats.errors import ChatError
from chats.models import ConcessionKind, Message, Sender
from chats.services import concession_offer
from tests.factories import at, make_buyer, make_order

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
