"""Where published events travel: Redis pub/sub between processes, or an in-memory hub
inside one process (embedded mode, no Redis server).

Each web process keeps one local hub (topic -> open streams). With Redis, one listener
task per process pattern-subscribes to every live topic and feeds the hub, so a hundred
open pages cost one Redis connection, not a hundred. Publishing is synchronous (services
run in threads) and hands the event to the hub's event loop thread-safely."""

import asyncio
import contextlib
import logging

import redis
import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)

CLOSED = object()
"""Put on a stream's queue when the push layer went away: the stream ends and the page
reconnects (and catches up)."""


def topic_prefix() -> str:
    return settings.LIVE_TOPIC_PREFIX


class Hub:
    """The open streams of this process, by topic, living on one event loop."""

    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: dict[str, set[asyncio.Queue]] = {}

    def bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.queues = loop, {}

    def deliver(self, topic: str, data: str) -> None:
        for queue in list(self.queues.get(topic, ())):
            queue.put_nowait(data)

    def close_all(self) -> None:
        for queues in self.queues.values():
            for queue in queues:
                queue.put_nowait(CLOSED)

    def add(self, topics: list[str], queue: asyncio.Queue) -> None:
        for topic in topics:
            self.queues.setdefault(topic, set()).add(queue)

    def remove(self, topics: list[str], queue: asyncio.Queue) -> None:
        for topic in topics:
            queues = self.queues.get(topic)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self.queues[topic]

    def count(self) -> int:
        return len({id(q) for queues in self.queues.values() for q in queues})


class MemoryBroker:
    """One process: publish goes straight to the local hub."""

    kind = "memory"

    def __init__(self):
        self.hub = Hub()

    def send(self, topic: str, data: str) -> None:
        loop = self.hub.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.hub.deliver(topic, data)
        else:
            loop.call_soon_threadsafe(self.hub.deliver, topic, data)

    async def ensure_listening(self) -> None:
        self.hub.bind()

    def ping(self) -> bool:
        return True


class RedisBroker:
    """Several processes: publish to Redis; one listener per process feeds its hub."""

    kind = "redis"

    def __init__(self, url: str):
        self.url = url
        self.hub = Hub()
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.listener: asyncio.Task | None = None

    def send(self, topic: str, data: str) -> None:
        try:
            self.client.publish(topic_prefix() + topic, data)
        except redis.RedisError:
            # The change is committed; pages catch up through their fallback poll.
            logger.warning("live: could not publish %s", topic, exc_info=True)

    async def ensure_listening(self) -> None:
        self.hub.bind()
        if (
            self.listener is None
            or self.listener.done()
            or self.listener.get_loop() is not self.hub.loop
        ):
            ready = asyncio.get_running_loop().create_future()
            self.listener = asyncio.get_running_loop().create_task(self._listen(ready))
            await ready

    async def _listen(self, ready: asyncio.Future) -> None:
        prefix = topic_prefix()
        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        try:
            await pubsub.psubscribe(prefix + "*")
            # The subscription is confirmed before any stream counts on it.
            await pubsub.get_message(timeout=2)
            ready.set_result(None)
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30)
                if message is not None and message["type"] == "pmessage":
                    topic = message["channel"].decode()[len(prefix) :]
                    self.hub.deliver(topic, message["data"].decode())
        except (redis.RedisError, OSError) as error:
            logger.warning("live: Redis listener stopped: %s", error)
            if not ready.done():
                ready.set_exception(error)
            self.hub.close_all()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
                await client.aclose()

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False


_broker = None


def broker():
    """The process's broker, from settings.LIVE_BROKER_URL ("memory" or redis://…)."""
    global _broker
    url = settings.LIVE_BROKER_URL
    if _broker is None or getattr(_broker, "url", "memory") != url:
        _broker = MemoryBroker() if url == "memory" else RedisBroker(url)
    return _broker


@contextlib.asynccontextmanager
async def subscription(topics: list[str]):
    """An asyncio.Queue receiving the raw events of ``topics`` (or CLOSED)."""
    current = broker()
    await current.ensure_listening()
    queue: asyncio.Queue = asyncio.Queue()
    current.hub.add(topics, queue)
    try:
        yield queue
    finally:
        current.hub.remove(topics, queue)
