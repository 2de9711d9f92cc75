"""The signed inbound endpoint and add_channel, exactly as the bridge contract says."""

import json
import time

import pytest
from django.core.management import call_command

from chats.models import Channel, ChannelKind, Conversation, Message
from orders.models import Buyer

from .factories import make_channel, signed_post

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "message_id": "wx-1001",
    "buyer_nick": "tb_晴天",
    "text": "这件大衣有现货吗？",
    "sent_at": "2026-11-23T10:29:58+08:00",
}


@pytest.fixture
def bridge(shop):
    return make_channel(shop, ChannelKind.BRIDGE)


def test_add_channel_prints_id_and_secret_as_json(shop, capsys):
    call_command(
        "add_channel", shop.code, "旺旺桥", "--webhook", "https://b.example.com/h", "--json"
    )
    printed = json.loads(capsys.readouterr().out)
    channel = Channel.objects.get(pk=printed["id"])
    assert printed["secret"] == channel.secret and len(channel.secret) == 64
    assert channel.kind == ChannelKind.BRIDGE and channel.webhook_url == "https://b.example.com/h"


def test_add_channel_without_webhook_is_a_web_chat_channel(shop, capsys):
    call_command("add_channel", shop.code, "网页", "--json")
    channel = Channel.objects.get(pk=json.loads(capsys.readouterr().out)["id"])
    assert channel.kind == ChannelKind.WEBCHAT


def test_signed_message_is_stored_with_buyer_matched_by_nick(client, shop, bridge):
    buyer = Buyer.objects.create(shop=shop, nick="tb_晴天", is_vip=True)
    response = signed_post(client, bridge, PAYLOAD)
    assert response.status_code == 201
    body = response.json()
    message = Message.objects.get(pk=body["message_id"])
    assert body["conversation_id"] == message.conversation_id
    assert message.text == PAYLOAD["text"] and message.external_id == "wx-1001"
    assert message.conversation.buyer == buyer and message.conversation.shop == shop


def test_a_doubly_delivered_message_is_stored_once(client, bridge):
    first = signed_post(client, bridge, PAYLOAD)
    second = signed_post(client, bridge, PAYLOAD)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Message.objects.count() == 1
    assert Conversation.objects.get().buyer_message_count == 1


def test_next_message_of_the_buyer_joins_the_open_conversation(client, bridge):
    first = signed_post(client, bridge, PAYLOAD).json()
    second = signed_post(client, bridge, {**PAYLOAD, "message_id": "wx-1002"}).json()
    assert first["conversation_id"] == second["conversation_id"]


@pytest.mark.parametrize(
    "tamper",
    ["wrong-secret", "missing-signature", "missing-timestamp", "stale", "future", "body-changed"],
)
def test_bad_or_replayed_signatures_are_refused_and_store_nothing(client, bridge, tamper):
    body = json.dumps(PAYLOAD).encode()
    timestamp = str(int(time.time()))
    from helpdesk.signatures import signature

    headers = {
        "HTTP_X_HELPDESK_TIMESTAMP": timestamp,
        "HTTP_X_HELPDESK_SIGNATURE": signature(bridge.secret, timestamp, body),
    }
    if tamper == "wrong-secret":
        headers["HTTP_X_HELPDESK_SIGNATURE"] = signature("0" * 64, timestamp, body)
    elif tamper == "missing-signature":
        del headers["HTTP_X_HELPDESK_SIGNATURE"]
    elif tamper == "missing-timestamp":
        del headers["HTTP_X_HELPDESK_TIMESTAMP"]
    elif tamper in ("stale", "future"):
        moved = str(int(time.time()) + (-301 if tamper == "stale" else 301))
        headers["HTTP_X_HELPDESK_TIMESTAMP"] = moved
        headers["HTTP_X_HELPDESK_SIGNATURE"] = signature(bridge.secret, moved, body)
    elif tamper == "body-changed":
        body = body.replace(b"1001", b"1009")
    response = client.post(
        f"/api/v1/channels/{bridge.pk}/messages",
        data=body,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 401
    assert Message.objects.count() == 0 and Buyer.objects.count() == 0


def test_a_signature_of_another_channel_is_refused(client, shop, bridge):
    other = make_channel(shop, ChannelKind.BRIDGE, name="另一个桥")
    response = signed_post(client, bridge, PAYLOAD, secret=other.secret)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"message_id": None}, "message_id"),
        ({"buyer_nick": ""}, "buyer_nick"),
        ({"text": 42}, "text"),
        ({"sent_at": "yesterday"}, "sent_at"),
        ({"text": "长" * 2001}, "text"),
    ],
)
def test_malformed_body_is_a_400_naming_the_field(client, bridge, change, field):
    payload = {**PAYLOAD, **change}
    payload = {k: v for k, v in payload.items() if v is not None}
    response = signed_post(client, bridge, payload)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert Message.objects.count() == 0


def test_a_body_that_is_not_json_is_a_400(client, bridge):
    response = signed_post(client, bridge, None, raw=b"not json {")
    assert response.status_code == 400 and response.json()["field"] == "body"


def test_a_body_over_64_kib_is_a_413(client, bridge):
    payload = {**PAYLOAD, "text": "x" * (64 * 1024)}
    response = signed_post(client, bridge, payload)
    assert response.status_code == 413
    assert Message.objects.count() == 0
