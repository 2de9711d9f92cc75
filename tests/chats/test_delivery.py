"""Replies to a bridged buyer leave through the channel's webhook: signed like the inbound
endpoint, the outbox id as idempotency key, retried with backoff, never sent twice."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from accounts.roles import Role
from chats.models import ChannelKind, Message, OutboxMessage, OutboxStatus, Sender
from chats.outbox import outbox_deliver, outbox_enqueue
from chats.services import conversation_reply
from helpdesk.signatures import signature

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


class Bridge:
    """A tiny webhook receiver that records requests and answers with ``status``."""

    def __init__(self):
        self.requests = []
        self.status = 200
        bridge = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                bridge.requests.append((dict(self.headers), body))
                self.send_response(bridge.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def bridge():
    receiver = Bridge()
    yield receiver
    receiver.server.shutdown()


def test_webhook_gets_a_signed_reply_with_an_idempotency_key(shop, staff, now, bridge):
    channel = make_channel(shop, ChannelKind.BRIDGE, webhook_url=bridge.url)
    conversation = make_conversation(shop, now=now, channel=channel)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    row = OutboxMessage.objects.get()
    outbox_deliver(message_id=row.pk, now=now)
    outbox_deliver(message_id=row.pk, now=now)
    assert len(bridge.requests) == 1
    headers, body = bridge.requests[0]
    assert headers["Idempotency-Key"] == str(row.pk)
    expected = signature(channel.secret, headers["X-Helpdesk-Timestamp"], body)
    assert headers["X-Helpdesk-Signature"] == expected
    assert json.loads(body)["text"] == "您好"
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT


def test_a_failing_webhook_is_retried_with_backoff(shop, staff, now, bridge):
    bridge.status = 503
    channel = make_channel(shop, ChannelKind.BRIDGE, webhook_url=bridge.url)
    conversation = make_conversation(shop, now=now, channel=channel)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    row = OutboxMessage.objects.get()
    outbox_deliver(message_id=row.pk, now=now)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == now + timedelta(seconds=30)
    outbox_deliver(message_id=row.pk, now=now + timedelta(seconds=10))
    assert len(bridge.requests) == 1, "a row is not retried before its backoff has passed"
    bridge.status = 200
    outbox_deliver(message_id=row.pk, now=now + timedelta(seconds=31))
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and len(bridge.requests) == 2
    assert {h["Idempotency-Key"] for h, _ in bridge.requests} == {str(row.pk)}


def test_a_sender_crash_counts_as_a_failed_attempt(shop, staff, now, bridge, monkeypatch):
    channel = make_channel(shop, ChannelKind.BRIDGE, webhook_url=bridge.url)
    conversation = make_conversation(shop, now=now, channel=channel)

    def crash(self, message):
        raise ValueError("sender bug")

    monkeypatch.setattr("chats.senders.WebhookSender.send", crash)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    row = OutboxMessage.objects.get()
    outbox_deliver(message_id=row.pk, now=now)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error == "sender bug"
    assert row.next_attempt_at == now + timedelta(seconds=30)


def test_a_web_chat_buyer_gets_scheduled_messages_in_the_chat(shop, now):
    conversation = make_conversation(shop, now=now)
    row, _ = outbox_enqueue(
        shop=shop,
        kind="stock_notice",
        key="stock:1",
        buyer=conversation.buyer,
        text="您想要的L码到货了",
        now=now,
        conversation=conversation,
    )
    outbox_deliver(message_id=row.pk, now=now)
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.PENDING)
    outbox_deliver(message_id=row.pk, now=now)
    assert Message.objects.filter(conversation=conversation, sender=Sender.SYSTEM).count() == 1


def test_web_chat_replies_need_no_outbox_row(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    assert OutboxMessage.objects.count() == 0
