"""A web worker runs at most SYNC_REQUESTS_PER_WORKER ordinary requests at once (each
holds a thread and a PostgreSQL connection); the event streams are not counted."""

import asyncio

from helpdesk.request_limit import SyncRequestLimit


class SlowApp:
    """Stands in for Django: each request takes a moment; records how many overlap."""

    def __init__(self):
        self.running = self.most = 0

    async def __call__(self, scope, receive, send):
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1


def serve(paths, limit):
    app = SlowApp()
    limited = SyncRequestLimit(app, limit)

    async def all_at_once():
        await asyncio.gather(
            *(limited({"type": "http", "path": path}, None, None) for path in paths)
        )

    asyncio.run(all_at_once())
    return app.most


def test_ordinary_requests_wait_for_a_free_slot():
    assert serve(["/chats/queue/"] * 30, limit=4) == 4


def test_event_streams_are_not_counted():
    assert serve(["/live/events/"] * 10 + ["/c/shop-a/events/"] * 10, limit=4) == 20


def test_zero_means_no_limit():
    assert serve(["/chats/queue/"] * 30, limit=0) == 30
