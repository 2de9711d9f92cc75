"""A brief, bounded comparison of the two push transports the issue names, on this
machine, outside the helpdesk (so only the transport is measured): Django Channels
(AsyncWebsocketConsumer, in-memory channel layer, group fan-out) against server-sent
events from an async Django view (a per-process hub of asyncio queues, as live/ does).

    python bench/load/transports.py [--connections 500]

Needs channels and websockets, which the helpdesk does not depend on: run it from a
throwaway virtualenv (python -m venv /tmp/t && /tmp/t/bin/pip install "django>=6,<6.2"
channels uvicorn websockets). For each transport it starts uvicorn (one process), opens
N idle connections, and prints: RSS per connection, server CPU while they idle for 10 s,
fan-out time of one event to all N (p50/p95 of arrival), and RSS after dropping all of
them and connecting N again twice (a reconnect storm)."""

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

APP = """
import asyncio, json, os
import django
from django.conf import settings
settings.configure(DEBUG=False, SECRET_KEY="x", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
    INSTALLED_APPS=["channels"], CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}})
django.setup()
from django.core.asgi import get_asgi_application
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.routing import ProtocolTypeRouter, URLRouter

QUEUES = set()

async def sse(request):
    queue = asyncio.Queue()
    QUEUES.add(queue)
    async def stream():
        try:
            yield "event: hello\\ndata: {}\\n\\n"
            while True:
                data = await queue.get()
                yield f"data: {data}\\n\\n"
        finally:
            QUEUES.discard(queue)
    return StreamingHttpResponse(stream(), content_type="text/event-stream")

@csrf_exempt
async def send(request):
    stamp = request.GET["t"]
    if os.environ["MODE"] == "sse":
        for queue in list(QUEUES):
            queue.put_nowait(stamp)
    else:
        await get_channel_layer().group_send("all", {"type": "event", "t": stamp})
    return HttpResponse("ok")

class Consumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add("all", self.channel_name)
        await self.accept()
    async def disconnect(self, code):
        await self.channel_layer.group_discard("all", self.channel_name)
    async def event(self, message):
        await self.send(text_data=message["t"])

urlpatterns = [path("sse/", sse), path("send/", send)]
application = ProtocolTypeRouter({"http": get_asgi_application(),
    "websocket": URLRouter([path("ws/", Consumer.as_asgi())])})
"""


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_s(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:13]) / os.sysconf("SC_CLK_TCK")


async def open_sse(port, arrivals):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /sse/ HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    while (await reader.readline()) != b"\r\n":
        pass
    await reader.readline()  # chunk size of hello
    await reader.readline()

    async def listen():
        while line := await reader.readline():
            if line.startswith(b"data: ") and line != b"data: {}\n":
                arrivals.append(time.monotonic() - float(line[6:]))

    return writer, asyncio.create_task(listen())


async def open_ws(port, arrivals):
    import websockets

    socket = await websockets.connect(f"ws://127.0.0.1:{port}/ws/")

    async def listen():
        async for message in socket:
            arrivals.append(time.monotonic() - float(message))

    return socket, asyncio.create_task(listen())


async def close(connections, mode):
    for handle, task in connections:
        task.cancel()
        if mode == "sse":
            handle.close()
        else:
            await handle.close()


async def trigger(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /send/?t={time.monotonic()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    await reader.read()
    writer.close()


async def measure(mode, port, n):
    env = dict(os.environ, MODE=mode, PYTHONPATH="/tmp/transport_app")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app:application",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--lifespan",
            "off",
        ],
        env=env,
    )
    try:
        await asyncio.sleep(3)
        opener = open_sse if mode == "sse" else open_ws
        base = rss_kib(server.pid)
        arrivals = []
        connections = [await opener(port, arrivals) for _ in range(n)]
        await asyncio.sleep(1)
        after = rss_kib(server.pid)
        cpu0 = cpu_s(server.pid)
        await asyncio.sleep(10)
        idle = cpu_s(server.pid) - cpu0
        for _ in range(5):
            await trigger(port)
            await asyncio.sleep(1)
        got = sorted(arrivals)
        for _round in range(2):
            await close(connections, mode)
            await asyncio.sleep(1)
            connections = [await opener(port, []) for _ in range(n)]
        await asyncio.sleep(2)
        storm = rss_kib(server.pid)
        await close(connections, mode)
        return {
            "rss_per_conn_kib": (after - base) / n,
            "idle_cpu_ms_per_s": 1000 * idle / 10,
            "fanout_p50_ms": 1000 * got[len(got) // 2] if got else float("nan"),
            "fanout_p95_ms": 1000 * got[int(0.95 * (len(got) - 1))] if got else float("nan"),
            "delivered": f"{len(got)}/{5 * n}",
            "rss_growth_after_storm_kib": storm - after,
        }
    finally:
        server.kill()  # open streams would hold a graceful shutdown
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=500)
    args = parser.parse_args()
    Path("/tmp/transport_app").mkdir(exist_ok=True)
    Path("/tmp/transport_app/app.py").write_text(APP)
    results = {
        "sse": asyncio.run(measure("sse", 8121, args.connections)),
        "channels": asyncio.run(measure("channels", 8122, args.connections)),
    }
    print(f"{args.connections} idle connections, one uvicorn process, loopback")
    print(f"{'':34} {'SSE view':>12} {'Channels ws':>12}")
    for key in results["sse"]:
        a, b = results["sse"][key], results["channels"][key]
        fmt = (lambda v: f"{v:.1f}") if isinstance(a, float) else str
        print(f"{key:34} {fmt(a):>12} {fmt(b):>12}")


if __name__ == "__main__":
    main()
