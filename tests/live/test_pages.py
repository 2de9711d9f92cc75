"""The pages with push: the served ASGI app streams, the fragments catch up on what a
dropped connection missed, and the polling build stays one setting away."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse

from accounts.roles import Role
from chats.services import buyer_message_receive, conversation_reply
from helpdesk.asgi import application
from tests.chats.factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


async def asgi_get(path: str, query: str, cookie: str, chunks: int) -> tuple[int, dict, str]:
    """A GET through the ASGI application as uvicorn makes it; the client disconnects
    after ``chunks`` body chunks."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    inbox: asyncio.Queue = asyncio.Queue()
    inbox.put_nowait({"type": "http.request", "body": b"", "more_body": False})
    start, body, got = {}, [], asyncio.Event()

    async def receive():
        return await inbox.get()

    async def send(message):
        if message["type"] == "http.response.start":
            start.update(message)
        elif message.get("body"):
            body.append(message["body"].decode())
            if len(body) >= chunks:
                got.set()
        if not message.get("more_body", False) and message["type"] == "http.response.body":
            got.set()

    task = asyncio.create_task(application(scope, receive, send))
    await asyncio.wait_for(got.wait(), 5)
    inbox.put_nowait({"type": "http.disconnect"})
    await asyncio.wait_for(task, 5)
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], headers, "".join(body)


@pytest.fixture
def no_connection_closing():
    """Django closes database connections around each ASGI request; the test's
    transaction must survive (as Django's own test client arranges)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("memory_layer", "no_connection_closing")
def test_the_asgi_app_streams_events_to_a_signed_in_agent(client, shop, staff):
    client.force_login(staff[Role.PRE_SALE])
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, headers, body = async_to_sync(asgi_get)(
        reverse("live:events"), f"shop={shop.pk}", cookie, chunks=1
    )
    assert status == 200 and headers["content-type"] == "text/event-stream"
    assert "no-cache" in headers["cache-control"]
    assert "event: hello" in body


@pytest.mark.usefixtures("memory_layer", "no_connection_closing")
def test_the_asgi_app_refuses_another_shop(client, shop, other_shop, staff):
    client.force_login(staff[Role.MANAGER])
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, _headers, _body = async_to_sync(asgi_get)(
        reverse("live:events"), f"shop={other_shop.pk}", cookie, chunks=1
    )
    assert status == 403


def test_the_agents_fragment_returns_everything_missed_while_disconnected(client, shop, staff, now):
    agent = staff[Role.PRE_SALE]
    conversation = make_conversation(shop, now=now, assignee=agent, state="active")
    last_seen = conversation.messages.order_by("pk").last().pk
    for text in ("第一条", "第二条", "第三条"):
        buyer_message_receive(
            channel=conversation.channel,
            buyer_nick=conversation.buyer.nick,
            text=text,
            now=now,
        )
    client.force_login(agent)
    url = reverse("chats:messages", args=[conversation.pk])
    body = client.get(url, {"after": last_seen}).content.decode()
    assert all(text in body for text in ("第一条", "第二条", "第三条"))
    # The new poller asks from the last message on: nothing twice.
    newest = conversation.messages.order_by("pk").last().pk
    assert f"after={newest}" in body
    assert client.get(url, {"after": newest}).status_code == 204


def test_the_buyers_fragment_catches_up_too(client, shop, staff, now):
    make_channel(shop)
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "小满"})
    client.post(reverse("buyer_chat:send", args=[shop.code]), {"text": "有货吗"})
    from chats.models import Conversation, Message

    conversation = Conversation.objects.get()
    last_seen = Message.objects.order_by("pk").last().pk
    for text in ("有的亲", "今天下单明天发"):
        conversation_reply(
            actor=staff[Role.PRE_SALE], conversation=conversation, text=text, now=now
        )
    body = client.get(
        reverse("buyer_chat:messages", args=[shop.code]), {"after": last_seen}
    ).content.decode()
    assert "有的亲" in body and "今天下单明天发" in body


def test_pages_take_pushed_events_and_poll_only_when_told_to(client, shop, staff, settings, now):
    conversation = make_conversation(shop, now=now)
    client.force_login(staff[Role.PRE_SALE])
    url = reverse("chats:conversation", args=[conversation.pk])
    page = client.get(url).content.decode()
    assert 'data-live-url="/live/events/"' in page and "js/live.js" in page
    assert 'hx-trigger="every' not in page and "every 1s" not in page
    settings.LIVE_PUSH = False
    page = client.get(url).content.decode()
    assert "data-live-url" not in page and 'hx-trigger="every 1s"' in page


def test_the_buyer_page_subscribes_to_its_own_stream(client, shop):
    make_channel(shop)
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "小满"})
    page = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert f'data-live-url="{reverse("buyer_chat:events", args=[shop.code])}"' in page


def test_a_buyer_stream_needs_the_browsers_own_conversation(client, shop):
    make_channel(shop)
    events = reverse("buyer_chat:events", args=[shop.code])
    assert client.get(events).status_code == 204  # no cookie: nothing to hear
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "小满"})
    assert client.get(events).status_code == 204  # a nick, no conversation yet
    client.post(reverse("buyer_chat:send", args=[shop.code]), {"text": "在吗"})
    response = client.get(events)
    assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
