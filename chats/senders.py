"""Senders deliver an outbox row to the buyer.

- WebhookSender: a bridged buyer; POSTs the row to the channel's webhook, signed like the
  inbound endpoint, with the outbox id as the idempotency key so the bridge drops a retry
  it already handled. Any failure raises DeliveryError and the outbox retries with backoff.
- WebchatSender: a web-chat buyer; the Message row is the delivery (the buyer's page polls
  it), so a reply needs nothing more and other kinds are written into the conversation.
- ConsoleSender: the embedded default for buyers with no channel; it only logs.
"""

import base64
import json
import logging
import urllib.error
import urllib.request

from helpdesk import clock
from helpdesk.signatures import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

from .models import (
    ChannelKind,
    Conversation,
    Message,
    MessageImage,
    OutboxKind,
    OutboxMessage,
    Sender,
)

logger = logging.getLogger("helpdesk.outbox")
WEBHOOK_TIMEOUT_SECONDS = 10


class ConsoleSender:
    def send(self, message: OutboxMessage) -> None:
        logger.info("outbox %s to %s: %s", message.key, message.buyer_id, message.text)


def delivery_images(message: OutboxMessage) -> list[dict]:
    """The images of the message the row delivers, inline (standard Base64, as the
    inbound endpoint takes them): the bridge needs no way back into the helpdesk."""
    if message.message_id is None:
        return []
    images = []
    for image in MessageImage.objects.filter(message_id=message.message_id):
        with image.file.open("rb") as handle:
            data = handle.read()
        images.append(
            {
                "filename": f"{image.pk.hex}.{image.extension}",
                "content_type": image.content_type,
                "width": image.width,
                "height": image.height,
                "content_base64": base64.b64encode(data).decode("ascii"),
            }
        )
    return images


class WebhookSender:
    def __init__(self, channel):
        self.channel = channel

    def payload(self, message: OutboxMessage) -> bytes:
        return json.dumps(
            {
                "outbox_id": message.pk,
                "kind": message.kind,
                "conversation_id": message.conversation_id,
                "buyer_nick": message.buyer.nick,
                "text": message.text,
                "card": message.card,
                "images": delivery_images(message),
                "created_at": message.created_at.isoformat(),
            },
            ensure_ascii=False,
        ).encode()

    def send(self, message: OutboxMessage) -> None:
        from .outbox import DeliveryError

        body = self.payload(message)
        timestamp = str(int(clock.now().timestamp()))
        request = urllib.request.Request(
            self.channel.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(self.channel.secret, timestamp, body),
                IDEMPOTENCY_HEADER: str(message.pk),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"webhook answered {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(f"webhook unreachable: {error}") from error
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook answered {status}")


class WebchatSender:
    def __init__(self, conversation: Conversation):
        self.conversation = conversation

    def send(self, message: OutboxMessage) -> None:
        if message.kind == OutboxKind.REPLY:
            return
        Message.objects.get_or_create(
            channel_id=self.conversation.channel_id,
            external_id=f"outbox:{message.pk}",
            defaults={
                "conversation": self.conversation,
                "sender": Sender.SYSTEM,
                "text": message.text,
                "sent_at": message.created_at,
            },
        )


def _conversation_for(message: OutboxMessage) -> Conversation | None:
    if message.conversation_id:
        return Conversation.objects.select_related("channel").get(pk=message.conversation_id)
    # Scheduled messages (reminders, follow-ups) reach a bridged buyer through the
    # channel of their latest bridged conversation.
    return (
        Conversation.objects.select_related("channel")
        .filter(buyer_id=message.buyer_id, channel__kind=ChannelKind.BRIDGE)
        .order_by("-last_message_at")
        .first()
    )


def sender_for(message: OutboxMessage):
    conversation = _conversation_for(message)
    if conversation is None:
        return ConsoleSender()
    channel = conversation.channel
    if channel.kind == ChannelKind.BRIDGE and channel.webhook_url:
        return WebhookSender(channel)
    if channel.kind == ChannelKind.WEBCHAT:
        return WebchatSender(conversation)
    return ConsoleSender()
