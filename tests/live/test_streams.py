"""The streams: per-event authorization, deactivation, the buyer's own conversation, and
the in-memory layer of embedded mode delivering across threads."""

import json
import threading

import pytest
from asgiref.sync import async_to_sync

from accounts.models import Membership
from accounts.roles import Role
from live import streams
from live.broker import broker
from live.events import publish
from live.streams import GOODBYE, KEEPALIVE, agent_stream, buyer_stream

from .support import StreamReader

pytestmark = pytest.mark.django_db


def kinds_and_shops(frames):
    events = [json.loads(f.split("data: ", 1)[1]) for f in frames if f.startswith("event: ")]
    return [
        (e["kind"], e.get("shop") or e.get("conversation")) for e in events if e["kind"] != "hello"
    ]


def send_now(kind, **fields):
    """Publish outside any transaction-in-progress rule: straight to the layer."""
    broker().send(
        f"shop:{fields['shop']}" if fields.get("shop") else f"user:{fields['user']}",
        json.dumps({"kind": kind, **fields}),
    )


def run(stream, *steps):
    reader = StreamReader(stream)

    async def scenario():
        await reader.next_frame()  # hello: subscribed
        for step in steps:
            await reader.act(step)
            await reader.drain()
        await reader.close()

    async_to_sync(scenario)()
    return reader


def test_an_agent_gets_their_shops_events_and_not_a_supervisors_alerts(memory_layer, shop, staff):
    agent = staff[Role.PRE_SALE]

    def events():
        send_now("message", shop=shop.pk, conversation=1, assignee=None)
        send_now("alert", shop=shop.pk, conversation=1)
        send_now("notification", user=agent.pk)
        send_now("notification", user=staff[Role.MANAGER].pk)

    reader = run(agent_stream(agent, [shop.pk]), events)
    assert kinds_and_shops(reader.frames) == [("message", shop.pk), ("notification", None)]


def test_a_supervisor_gets_alerts(memory_layer, shop, staff):
    reader = run(
        agent_stream(staff[Role.SUPERVISOR], [shop.pk]),
        lambda: send_now("alert", shop=shop.pk, conversation=1),
    )
    assert kinds_and_shops(reader.frames) == [("alert", shop.pk)]


def test_a_deactivated_users_stream_closes_at_once(
    memory_layer, shop, staff, django_capture_on_commit_callbacks
):
    agent = staff[Role.PRE_SALE]

    def deactivate():
        with django_capture_on_commit_callbacks(execute=True):
            agent.is_active = False
            agent.save(update_fields=["is_active"])

    reader = run(agent_stream(agent, [shop.pk]), deactivate)
    assert reader.frames[-1] == GOODBYE and reader.ended


def test_a_changed_role_applies_to_the_open_stream_at_once(
    memory_layer, shop, staff, django_capture_on_commit_callbacks
):
    supervisor = staff[Role.SUPERVISOR]

    def demote():
        with django_capture_on_commit_callbacks(execute=True):
            membership = Membership.objects.get(user=supervisor, shop=shop)
            membership.role = Role.PRE_SALE
            membership.save(update_fields=["role"])

    reader = run(
        agent_stream(supervisor, [shop.pk]),
        lambda: send_now("alert", shop=shop.pk, conversation=1),
        demote,
        lambda: send_now("alert", shop=shop.pk, conversation=2),
        lambda: send_now("queue", shop=shop.pk, conversation=3, assignee=None),
    )
    assert kinds_and_shops(reader.frames) == [("alert", shop.pk), ("queue", shop.pk)]


def test_a_buyer_hears_only_their_own_conversation_and_no_internal_detail(memory_layer):
    def events():
        broker().send(
            "conversation:5",
            json.dumps(
                {"kind": "message", "shop": 1, "conversation": 5, "message": 9, "assignee": 3}
            ),
        )
        broker().send("conversation:6", json.dumps({"kind": "message", "conversation": 6}))
        broker().send("shop:1", json.dumps({"kind": "message", "shop": 1, "conversation": 5}))

    reader = run(buyer_stream(5), events)
    frames = [f for f in reader.frames if f.startswith("event: message")]
    assert len(frames) == 1
    assert json.loads(frames[0].split("data: ", 1)[1]) == {
        "kind": "message",
        "conversation": 5,
        "message": 9,
    }


def test_a_quiet_stream_sends_keepalives_and_still_delivers(memory_layer, monkeypatch):
    monkeypatch.setattr(streams, "KEEPALIVE_SECONDS", 0.05)
    reader = StreamReader(buyer_stream(5))

    async def scenario():
        await reader.next_frame()  # hello: subscribed
        quiet = await reader.next_frame()
        await reader.act(
            lambda: broker().send(
                "conversation:5", json.dumps({"kind": "message", "conversation": 5})
            )
        )
        for _ in range(50):
            if (await reader.next_frame()).startswith("event: message"):
                break
        await reader.close()
        return quiet

    assert async_to_sync(scenario)() == KEEPALIVE
    assert reader.frames[-1].startswith("event: message")


def test_the_in_memory_layer_delivers_from_another_thread(memory_layer, shop, staff):
    """Embedded mode: services run in worker threads of the one web process."""

    def from_a_thread():
        thread = threading.Thread(
            target=lambda: publish("queue", shop_id=shop.pk, conversation=4, assignee=None)
        )
        thread.start()
        thread.join()

    reader = run(agent_stream(staff[Role.PRE_SALE], [shop.pk]), from_a_thread)
    assert kinds_and_shops(reader.frames) == [("queue", shop.pk)]


def test_the_redis_layer_delivers_between_processes(settings, shop, staff):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    from live import broker as live_broker

    settings.LIVE_BROKER_URL = settings.REDIS_URL
    live_broker._broker = None
    try:
        assert broker().kind == "redis" and broker().ping()
        reader = run(
            agent_stream(staff[Role.PRE_SALE], [shop.pk]),
            lambda: send_now("queue", shop=shop.pk, conversation=4, assignee=None),
        )
    finally:
        live_broker._broker = None
    assert kinds_and_shops(reader.frames) == [("queue", shop.pk)]
