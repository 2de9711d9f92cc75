"""Shared by the live tests and the security matrix's stream tests."""

import asyncio
import contextlib

from asgiref.sync import sync_to_async


class StreamReader:
    """Drives an SSE async generator on an event loop while the test thread acts.

    One task pumps the stream into a queue, so a wait that times out never cancels the
    generator in the middle of its work (as a client's patience would not)."""

    def __init__(self, stream):
        self.stream = stream
        self.frames: list[str] = []
        self.ended = False
        self.queue: asyncio.Queue | None = None
        self.pump: asyncio.Task | None = None

    async def _pump(self):
        async for frame in self.stream:
            self.queue.put_nowait(frame)
        self.queue.put_nowait(None)

    async def next_frame(self, timeout=2.0):
        if self.pump is None:
            self.queue = asyncio.Queue()
            self.pump = asyncio.create_task(self._pump())
        if self.ended:
            return None
        try:
            frame = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None
        if frame is None:
            self.ended = True
            return None
        self.frames.append(frame)
        return frame

    async def drain(self, quiet=0.3):
        """Frames until the stream is quiet for ``quiet`` seconds (or ends)."""
        got = []
        while not self.ended:
            frame = await self.next_frame(timeout=quiet)
            if frame is None:
                break
            got.append(frame)
        return got

    async def act(self, step):
        await sync_to_async(step)()

    async def close(self):
        if self.pump is not None:
            self.pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.pump
        await self.stream.aclose()
