"""Chat factories: channels, conversations with messages, signed inbound requests."""

import json
import time

from chats.models import Channel, ChannelKind, Conversation, ConversationState, Message, Sender
from helpdesk.signatures import signature
from tests.factories import make_buyer


def make_channel(shop, kind=ChannelKind.WEBCHAT, **fields) -> Channel:
    fields.setdefault("name", "网页咨询" if kind == ChannelKind.WEBCHAT else "旺旺桥")
    if kind == ChannelKind.BRIDGE:
        fields.setdefault("webhook_url", "http://bridge.example.com/hook")
    return Channel.objects.create(shop=shop, kind=kind, **fields)


def make_conversation(shop, *, now, channel=None, buyer=None, messages=1, **fields):
    channel = channel or make_channel(shop)
    buyer = buyer or make_buyer(shop)
    fields.setdefault("state", ConversationState.QUEUED)
    conversation = Conversation.objects.create(
        shop=shop,
        channel=channel,
        buyer=buyer,
        created_at=now,
        last_message_at=now,
        last_buyer_message_at=now,
        awaiting_reply_since=now,
        buyer_message_count=messages,
        last_message_preview=f"在吗？第{messages - 1}条" if messages else "",
        **fields,
    )
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            channel=channel,
            sender=Sender.BUYER,
            text=f"在吗？第{i}条",
            sent_at=now,
        )
        for i in range(messages)
    )
    return conversation


def signed_post(client, channel, payload, *, timestamp=None, secret=None, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        f"/api/v1/channels/{channel.pk}/messages",
        data=body,
        content_type="application/json",
        HTTP_X_HELPDESK_TIMESTAMP=timestamp,
        HTTP_X_HELPDESK_SIGNATURE=signature(secret or channel.secret, timestamp, body),
    )
