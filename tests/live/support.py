"""Shared by the live tests and the security matrix's stream tests."""

import asyncio

from asgiref.sync import sync_to_async


class StreamReader:
    """Drives an SSE async generator on an event loop while the test thread acts.

    ``run(stream, *steps)``: each step is a sync callable run in the test's thread (with
    the test's database transaction) after the previous frame(s); returns every frame."""

    def __init__(self, stream):
        self.stream = stream
        self.frames: list[str] = []
        self.ended = False

    async def next_frame(self, timeout=2.0):
        try:
            frame = await asyncio.wait_for(anext(self.stream), timeout)
        except StopAsyncIteration:
            self.ended = True
            return None
        except TimeoutError:
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
