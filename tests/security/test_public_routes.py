"""The routes the role matrix cannot judge by a staff session.

* ``channel-messages`` (``Route.channel_signed``) is authenticated by the channel's HMAC
  signature and is CSRF-exempt for that reason: a staff session is no credential there, a
  wrong, foreign or missing signature is a 401 that stores nothing, and the answer names
  only the stored ids.
* ``buyer_chat:*`` are public by design (a buyer has no account): the page is keyed by a
  signed per-shop cookie and the survey by a signed token. A forged cookie or token gets
  nothing, a staff session gets nothing more than a buyer, and no page shows internal
  notes or who the agent is.
"""

import json
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.models import ChannelKind, Conversation, ConversationState, Message
from chats.services import conversation_claim, conversation_reply
from chats.services.closing import survey_token
from helpdesk.signatures import signature
from tests.chats.factories import make_channel, make_conversation

from .matrix_routes import ROUTES, Context

pytestmark = pytest.mark.django_db

SIGNED = sorted(n for n, r in ROUTES.items() if r.channel_signed)
BUYER_ROUTES = sorted(n for n in ROUTES if n.startswith("buyer_chat:"))
PAYLOAD = {
    "message_id": "m-1",
    "buyer_nick": "夏天的风",
    "text": "在吗",
    "sent_at": "2026-11-23T10:30:00+08:00",
}


@pytest.fixture
def ctx(shop, other_shop, staff):
    return Context(shop, other_shop, staff)


def test_signed_and_public_routes_are_declared():
    assert SIGNED == ["channel-messages"]
    assert all(ROUTES[n].public for n in BUYER_ROUTES) and len(BUYER_ROUTES) == 6


# --- the signed channel endpoint -------------------------------------------------------


def _post(client, name, ctx, shop, *, secret=None, timestamp=None, sign=True):
    url = reverse(name, kwargs=ROUTES[name].kwargs(ctx, shop))
    body = json.dumps(PAYLOAD, ensure_ascii=False).encode()
    headers = {}
    if sign:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        channel = ctx.obj("bridge", shop)
        headers = {
            "HTTP_X_HELPDESK_TIMESTAMP": stamp,
            "HTTP_X_HELPDESK_SIGNATURE": signature(secret or channel.secret, stamp, body),
        }
    return client.post(url, data=body, content_type="application/json", **headers)


@pytest.mark.parametrize("name", SIGNED)
def test_a_staff_session_is_no_credential_for_the_channel_endpoint(name, ctx, client):
    client.force_login(ctx.staff[Role.MANAGER])
    assert _post(client, name, ctx, ctx.shop, sign=False).status_code == 401
    assert not Message.objects.exists()


@pytest.mark.parametrize("name", SIGNED)
def test_a_wrong_foreign_or_stale_signature_is_refused_and_stores_nothing(name, ctx):
    client = Client(enforce_csrf_checks=True)
    foreign_secret = ctx.obj("bridge", ctx.other_shop).secret
    assert _post(client, name, ctx, ctx.shop, secret="not-the-secret").status_code == 401
    assert _post(client, name, ctx, ctx.shop, secret=foreign_secret).status_code == 401
    stale = int(time.time()) - 3600
    assert _post(client, name, ctx, ctx.shop, timestamp=stale).status_code == 401
    channel = ctx.obj("bridge", ctx.shop)
    channel.is_active = False
    channel.save()
    assert _post(client, name, ctx, ctx.shop).status_code == 401
    assert not Message.objects.exists()


@pytest.mark.parametrize("name", SIGNED)
def test_a_signed_message_is_stored_and_the_answer_names_only_ids(name, ctx):
    response = _post(Client(enforce_csrf_checks=True), name, ctx, ctx.shop)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"conversation_id", "message_id"}
    assert Conversation.objects.get(pk=body["conversation_id"]).shop == ctx.shop


# --- the buyers' web chat ---------------------------------------------------------------


def _start(client, ctx, shop, nick="夏天的风"):
    ctx.obj("webchat", shop)
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": nick})
    client.post(reverse("buyer_chat:send", args=[shop.code]), {"text": "衣服破了"})
    return Conversation.objects.filter(shop=shop, buyer__nick=nick).get()


def test_the_buyer_page_shows_no_internal_note_and_no_agent_identity(ctx, client, now):
    conversation = _start(client, ctx, ctx.shop)
    agent = ctx.staff[Role.PRE_SALE]
    conversation_claim(actor=agent, conversation=conversation, now=now)
    conversation_reply(actor=agent, conversation=conversation, text="亲，马上为您处理", now=now)
    Message.objects.create(
        conversation=conversation,
        channel=conversation.channel,
        sender="agent",
        author=agent,
        text="内部：这位买家上次退过货",
        sent_at=now,
        is_internal=True,
    )
    for name in ("buyer_chat:chat", "buyer_chat:messages"):
        body = client.get(reverse(name, args=[ctx.shop.code])).content.decode()
        assert "亲，马上为您处理" in body, name
        assert "内部：" not in body, name
        for secret in (agent.username, agent.display_name, agent.work_number):
            assert secret not in body, (name, secret)


def test_a_staff_session_sees_no_buyer_conversation(ctx, client):
    _start(Client(), ctx, ctx.shop)
    client.force_login(ctx.staff[Role.MANAGER])
    page = client.get(reverse("buyer_chat:chat", args=[ctx.shop.code])).content.decode()
    assert "衣服破了" not in page
    messages = client.get(reverse("buyer_chat:messages", args=[ctx.shop.code]))
    assert messages.status_code == 204
    sent = client.post(reverse("buyer_chat:send", args=[ctx.shop.code]), {"text": "我是经理"})
    assert sent.status_code == 302 and not Message.objects.filter(text="我是经理").exists()


def test_a_forged_or_foreign_buyer_cookie_gets_nothing(ctx, client):
    conversation = _start(Client(), ctx, ctx.shop)
    identity = json.dumps({"nick": conversation.buyer.nick, "c": conversation.pk})
    client.cookies[f"hd_chat_{ctx.shop.pk}"] = identity  # unsigned
    assert client.get(reverse("buyer_chat:messages", args=[ctx.shop.code])).status_code == 204
    assert client.get(reverse("buyer_chat:events", args=[ctx.shop.code])).status_code == 204
    # A genuine cookie of shop B's page does not open shop A's conversation.
    make_channel(ctx.other_shop)
    other = Client()
    other.post(reverse("buyer_chat:chat", args=[ctx.other_shop.code]), {"nick": "夏天的风"})
    foreign = other.cookies[f"hd_chat_{ctx.other_shop.pk}"].value
    client.cookies[f"hd_chat_{ctx.shop.pk}"] = foreign
    assert client.get(reverse("buyer_chat:messages", args=[ctx.shop.code])).status_code == 204
    assert client.get(reverse("buyer_chat:events", args=[ctx.shop.code])).status_code == 204


def test_a_buyer_photo_answers_only_the_browser_that_holds_the_conversation(
    ctx, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private"
    image = ctx.obj("chat_image", ctx.shop)
    url = reverse("buyer_chat:image", args=[ctx.shop.code, image.pk])
    client.force_login(ctx.staff[Role.MANAGER])
    assert client.get(url).status_code == 404
    conversation = image.message.conversation
    identity = json.dumps({"nick": conversation.buyer.nick, "c": conversation.pk})
    forged = Client()
    forged.cookies[f"hd_chat_{ctx.shop.pk}"] = identity  # unsigned
    assert forged.get(url).status_code == 404
    genuine = Client()
    genuine.cookies[f"hd_chat_{ctx.shop.pk}"] = signing.get_cookie_signer(
        salt=f"hd_chat_{ctx.shop.pk}chats.buyer"
    ).sign(identity)
    assert genuine.get(url).status_code == 200
    other_shop_url = reverse("buyer_chat:image", args=[ctx.other_shop.code, image.pk])
    make_channel(ctx.other_shop)
    assert genuine.get(other_shop_url).status_code == 404


def test_a_shop_without_web_chat_has_no_buyer_page(ctx, client):
    make_channel(ctx.other_shop, kind=ChannelKind.BRIDGE)
    for name in ("buyer_chat:chat", "buyer_chat:messages", "buyer_chat:events"):
        assert client.get(reverse(name, args=[ctx.other_shop.code])).status_code == 404


def test_a_forged_or_foreign_survey_token_is_a_404_and_changes_nothing(ctx, client, now):
    closed = make_conversation(ctx.shop, now=now, state=ConversationState.CLOSED)
    good = survey_token(closed)
    forged = [
        good[:-2] + ("aa" if not good.endswith("aa") else "bb"),
        signing.dumps({"c": closed.pk}),  # signed, but not as a survey token
        "nonsense",
    ]
    for token in forged:
        url = reverse("buyer_chat:survey", args=[token])
        assert client.get(url).status_code == 404, token
        assert client.post(url, {"rating": "1"}).status_code == 404, token
    closed.refresh_from_db()
    assert closed.csat_rating is None
    page = client.get(reverse("buyer_chat:survey", args=[good])).content.decode()
    assert "在吗" not in page  # the survey shows no transcript
