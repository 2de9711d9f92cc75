"""Conversations, messages and outbox rows with their figures set by hand, so each KPI test
knows its answer."""

from datetime import datetime

from chats.models import Channel, ChannelKind, Conversation, Message, OutboxMessage, Queue
from tests.factories import make_buyer


def make_channel(shop) -> Channel:
    return Channel.objects.get_or_create(
        shop=shop, name="网页聊天", defaults={"kind": ChannelKind.WEBCHAT}
    )[0]


def make_conversation(shop, *, created_at: datetime, buyer=None, assignee=None, **fields):
    fields.setdefault("queue", Queue.PRE_SALE)
    fields.setdefault("buyer_message_count", 1)
    fields.setdefault("agent_message_count", 1 if assignee else 0)
    return Conversation.objects.create(
        shop=shop,
        channel=make_channel(shop),
        buyer=buyer or make_buyer(shop),
        assignee=assignee,
        created_at=created_at,
        last_message_at=created_at,
        **fields,
    )


def make_message(conversation, *, sender: str, text: str, sent_at: datetime, author=None):
    return Message.objects.create(
        conversation=conversation,
        sender=sender,
        author=author,
        text=text,
        channel=conversation.channel,
        sent_at=sent_at,
    )


def make_outbox(shop, *, kind: str, buyer, sent_at: datetime | None, order=None, conversation=None):
    n = OutboxMessage.objects.count() + 1
    return OutboxMessage.objects.create(
        shop=shop,
        kind=kind,
        key=f"test-{kind}-{n}",
        buyer=buyer,
        order=order,
        conversation=conversation,
        text="您好",
        status="sent" if sent_at else "pending",
        created_at=sent_at or shop_now(),
        next_attempt_at=sent_at or shop_now(),
        sent_at=sent_at,
    )


def shop_now():
    from tests.factories import at

    return at(2026, 11, 23, 10, 30)
