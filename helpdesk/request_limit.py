"""At most N ordinary requests of one web worker run at once; the rest wait their turn
(settings.SYNC_REQUESTS_PER_WORKER; off by default, see docs/chats.md).

Under ASGI, Django runs each request's sync code in a thread of its own, and each thread
opens its own PostgreSQL connection (settings.DATABASES: no persistent connections under
ASGI). Nothing bounds that count: a burst of a few hundred buyer messages on a slow
moment meant a few hundred threads and connections, past PostgreSQL's max_connections
(100), and every request beyond it failed, other programs' on the same server too. Here
the waiting requests queue cheaply in the event loop instead, in arrival order; the
live-update streams (async views that hold no connection while they wait) are not
counted."""

import asyncio
import re

STREAMS = re.compile(r"^/(live/events|c/[^/]+/events)/$")
"""live/urls.py (``events``) and chats/buyer_urls.py (``events``)."""


class SyncRequestLimit:
    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0 or STREAMS.match(scope["path"]):
            return await self.app(scope, receive, send)
        if self._slots is None:  # created in the worker's own event loop, after the fork
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            return await self.app(scope, receive, send)
