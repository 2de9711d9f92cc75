"""The streams pages subscribe to, and who may receive which event.

Authorization happens twice: when a page subscribes (the views refuse a shop the user
has no role in) and on every event (the user's roles are re-read when an ``access``
event arrives for them, and at least every ACCESS_TTL_SECONDS; an event of a shop or
kind their role may not see is dropped). A deactivated user's streams end at once."""

import asyncio
import functools
import json
import time
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.db import connection

from accounts.models import User
from accounts.permissions import can, roles_by_shop

from .broker import CLOSED, subscription

KEEPALIVE_SECONDS = 20
ACCESS_TTL_SECONDS = 60
RETRY_MILLISECONDS = 2000

KIND_ACTIONS = {
    "message": "chats.work",
    "queue": "chats.work",
    "alert": "chats.supervise",
    "import": "orders.import",
    "presence_conversation": "chats.work",
    "presence_problem": "problems.view",
    "presence_ticket": "tickets.view",
}
"""The permission (accounts/permissions.py) an agent needs in the event's shop."""

BUYER_KINDS = frozenset({"message"})


def frame(event: dict) -> str:
    return f"event: {event['kind']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n"


def hello(kind: str = "hello") -> str:
    return f"retry: {RETRY_MILLISECONDS}\nevent: {kind}\ndata: {{}}\n\n"


GOODBYE = "event: closed\ndata: {}\n\n"


def releasing_connection(function):
    """A stream lives for hours: the database connection its checks opened (in the
    request's own thread) is closed right after, not when the stream ends, so idle pages
    hold no PostgreSQL connection. (Not inside a transaction: the tests' own.)"""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return wrapper


@releasing_connection
def active_user(user_id: int) -> User | None:
    """The user with their roles read now, or None once deactivated."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        roles_by_shop(user)
    return user


@releasing_connection
def subscribable_shops(user: User, requested: list[int] | None) -> list[int] | None:
    """The shops a stream covers: those asked for (None if any is not the user's), or
    all of the user's."""
    own = set(roles_by_shop(user))
    if not requested:
        return sorted(own)
    if not set(requested) <= own:
        return None
    return sorted(set(requested))


def agent_may_receive(user: User, shops: list[int], event: dict) -> bool:
    if event.get("shop"):
        action = KIND_ACTIONS.get(event["kind"])
        return (
            action is not None
            and event["shop"] in shops
            and can(user, action, _ShopRef(event["shop"]))
        )
    return event.get("user") == user.pk


class _ShopRef:
    """What ``can`` needs of an object: its shop id."""

    def __init__(self, shop_id: int):
        self.shop_id = shop_id


KEEPALIVE = ": keepalive\n\n"


async def _events(queue: asyncio.Queue):
    """The subscription's events, decoded, and None after each KEEPALIVE_SECONDS of
    silence (the stream then sends KEEPALIVE); ends when the subscription closes."""
    while True:
        try:
            raw = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
        except TimeoutError:
            yield None
            continue
        if raw is CLOSED:
            return
        yield json.loads(raw)


async def agent_stream(user: User, shops: list[int], on_close: Callable[[], None] | None = None):
    """Server-sent events for one agent page: their shops' events and their own.
    ``on_close`` (synchronous, may use the database) runs when the stream ends, however
    it ends: the page's presence goes with it (presence.services.page_closer)."""
    try:
        async for chunk in _agent_events(user, shops):
            yield chunk
    finally:
        if on_close is not None:
            await sync_to_async(releasing_connection(on_close))()


async def _agent_events(user: User, shops: list[int]):
    topics = [f"shop:{shop}" for shop in shops] + [f"user:{user.pk}"]
    async with subscription(topics) as queue:
        # Roles are read once subscribed, so no change between the check and now is lost.
        user = await sync_to_async(active_user)(user.pk)
        read_at = time.monotonic()
        if user is None:
            yield GOODBYE
            return
        yield hello()
        async for event in _events(queue):
            if event is None:
                yield KEEPALIVE
                continue
            if event["kind"] == "access" or time.monotonic() - read_at > ACCESS_TTL_SECONDS:
                user = await sync_to_async(active_user)(user.pk)
                read_at = time.monotonic()
                if user is None:
                    yield GOODBYE
                    return
            if event["kind"] != "access" and agent_may_receive(user, shops, event):
                yield frame(event)


async def buyer_stream(conversation_id: int):
    """Server-sent events for one buyer's web chat page: their conversation only."""
    async with subscription([f"conversation:{conversation_id}"]) as queue:
        yield hello()
        async for event in _events(queue):
            if event is None:
                yield KEEPALIVE
                continue
            if event["kind"] in BUYER_KINDS and event.get("conversation") == conversation_id:
                yield frame(
                    {
                        "kind": event["kind"],
                        "conversation": conversation_id,
                        "message": event.get("message"),
                    }
                )
