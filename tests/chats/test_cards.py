"""The order card (issue 22): after payment the agent confirms receiver and address with
our own wording, read from the order, checked by the etiquette checker; it renders on the
buyer's web chat and travels to a bridge in the outbox JSON."""

import json

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.cards import order_card_send, order_card_text
from chats.errors import ChatError
from chats.models import ChannelKind, Message, OutboxMessage
from chats.scripting import check_draft
from chats.senders import WebhookSender
from orders.models import OrderItem
from orders.states import OrderState
from tests.factories import make_order

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


def paid_order(shop, buyer, **fields):
    fields.setdefault("receiver_name", "王小丽")
    fields.setdefault("address", "浙江省杭州市西湖区文三路 90 号")
    order = make_order(shop, buyer=buyer, order_id="3811223344556677", **fields)
    OrderItem.objects.create(
        order=order, line_key="1", title="羊毛混纺大衣 驼色 M", price="199.00", quantity=1
    )
    return order


def test_the_order_card_reaches_the_web_chat_buyer_with_the_orders_own_facts(shop, staff, now):
    channel = make_channel(shop)
    conversation = make_conversation(shop, now=now, channel=channel)
    order = paid_order(shop, conversation.buyer)
    text = order_card_text(order)
    assert check_draft(text, buyer=conversation.buyer, order=order) == []
    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    pane = agent.get(reverse("chats:conversation", args=[conversation.pk])).content.decode()
    assert 'data-testid="order-card-send"' in pane
    response = agent.post(reverse("chats:order_card", args=[conversation.pk]), {"order": order.pk})
    assert response.status_code == 302
    message = Message.objects.get(card__isnull=False)
    assert message.card == {
        "type": "order",
        "order_id": "3811223344556677",
        "items": [{"title": "羊毛混纺大衣 驼色 M", "quantity": 1, "price": "199.00"}],
        "amount": "199.00",
        "receiver": "王小丽",
        "address": "浙江省杭州市西湖区文三路 90 号",
    }
    assert "王小丽" in message.text and "文三路 90 号" in message.text

    html = render_to_string(
        "chats/buyer_chat.html#messages",
        {"shop": shop, "chat_messages": [message], "last_id": message.pk},
    )
    assert 'data-testid="order-card"' in html and "王小丽" in html and "3811223344556677" in html


def test_the_card_travels_to_a_bridge_in_the_outbox_json(shop, staff, now):
    bridge = make_channel(shop, ChannelKind.BRIDGE)
    conversation = make_conversation(shop, now=now, channel=bridge)
    order = paid_order(shop, conversation.buyer)
    order_card_send(actor=staff[Role.PRE_SALE], conversation=conversation, order=order, now=now)
    row = OutboxMessage.objects.get()
    body = json.loads(WebhookSender(bridge).payload(row))
    assert body["card"]["type"] == "order" and body["card"]["receiver"] == "王小丽"
    assert body["text"] == order_card_text(order)


@pytest.mark.parametrize("state", [OrderState.WAITING_PAYMENT, OrderState.SHIPPED])
def test_only_a_paid_unshipped_order_gets_a_card(shop, staff, now, state):
    conversation = make_conversation(shop, now=now)
    order = paid_order(shop, conversation.buyer, state=state)
    with pytest.raises(ChatError):
        order_card_send(actor=staff[Role.PRE_SALE], conversation=conversation, order=order, now=now)
    assert not Message.objects.filter(card__isnull=False).exists()


def test_another_buyers_order_is_refused(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    stranger = make_conversation(shop, now=now).buyer
    order = paid_order(shop, stranger)
    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    response = agent.post(reverse("chats:order_card", args=[conversation.pk]), {"order": order.pk})
    assert response.status_code == 400
    assert not Message.objects.filter(card__isnull=False).exists()
