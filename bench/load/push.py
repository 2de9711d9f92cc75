"""The push scenario of the load bench: the same build served twice, with polling (the
pages' old 1-second triggers, HELPDESK_LIVE_PUSH=0) and with push (server-sent events
over Redis), against gunicorn + uvicorn workers + PostgreSQL + Redis on 127.0.0.1.

    DATABASE_URL=postgres://…/helpdesk_push_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/load/push.py [--agents 20] [--conversations 200] [--seconds 30]

N agents keep a workspace open (queue "mine" + one open conversation of theirs); M bridge
buyers each hold an active conversation and send a message every 10 s; an agent replies
to every message in their open conversation. Per mode it prints: server CPU per connected
idle agent (no buyer traffic, 15 s), message-to-agent latency p50/p95 (the buyer's POST
answered → the agent's page holds the message), reply (action) p95, errors, and the web
workers' memory per connection after connecting every agent, dropping them all and
connecting them again twice (a reconnect storm). Everything stops by itself.

Clients are plain asyncio HTTP/1.1 (no browser): an agent does what live.js and htmx
do: on a "message" event of its open conversation it fetches messages?after=<last id>,
on a relevant event it re-fetches the queue at most once a second; in polling mode it
fetches both every second. Sessions are created directly (no login form) and CSRF uses
the cookie's secret as the header.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = ROOT / ".venv" / "bin"
SHOP = "push-bench"
MESSAGE_EVERY_SECONDS = 10
IDLE_SECONDS = 15
WORKERS = 2
# A request unanswered this long counts as an error, so an overloaded server cannot keep
# the run from ending.
REQUEST_TIMEOUT_SECONDS = 30
# The server and the preparation (which signs the agents' sessions) share one key.
SECRET_KEY = os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
MESSAGE_ID = re.compile(rb'id="msg-(\d+)"')


# --- preparation (runs in a Django subprocess) -----------------------------------------


def prepare(agents: int, conversations: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import Membership, Platform, Shop, Team, User
    from accounts.roles import Role
    from chats.models import (
        AgentPresence,
        Channel,
        ChannelKind,
        Conversation,
        ConversationState,
        Message,
        PresenceStatus,
        Sender,
    )
    from helpdesk import clock
    from orders.models import Buyer

    if "bench" not in str(settings.DATABASES["default"]["NAME"]):
        sys.exit("Refusing: the database name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    now = clock.now()
    with transaction.atomic():
        team, _ = Team.objects.get_or_create(name="推送压测")
        shop, _ = Shop.objects.update_or_create(
            code=SHOP,
            defaults={
                "name": "推送压测店",
                "team": team,
                "platform": Platform.TAOBAO,
                "chat_limit_per_agent": 1000,
                "unanswered_alert_seconds": 10**6,
                "greeting_delay_seconds": 10**6,
                "idle_close_minutes": 10**5,
            },
        )
        Conversation.objects.filter(shop=shop).delete()
        channel, _ = Channel.objects.get_or_create(
            shop=shop,
            kind=ChannelKind.BRIDGE,
            defaults={"name": "压测桥", "webhook_url": "http://127.0.0.1:9/hook"},
        )
        users = []
        for n in range(agents):
            user, _ = User.objects.update_or_create(
                username=f"push-agent-{n}",
                defaults={"display_name": f"推送{n}", "work_number": str(6000 + n), "team": team},
            )
            Membership.objects.get_or_create(user=user, shop=shop, defaults={"role": Role.PRE_SALE})
            AgentPresence.objects.update_or_create(
                user=user, defaults={"status": PresenceStatus.ONLINE, "changed_at": now}
            )
            users.append(user)
        plan = {"agents": [], "buyers": [], "channel": channel.pk, "secret": channel.secret}
        opened = {}
        for n in range(conversations):
            agent = users[n % agents]
            buyer, _ = Buyer.objects.get_or_create(shop=shop, nick=f"推送买家{n}")
            conversation = Conversation.objects.create(
                shop=shop,
                channel=channel,
                buyer=buyer,
                assignee=agent,
                state=ConversationState.ACTIVE,
                created_at=now,
                assigned_at=now,
                last_message_at=now,
            )
            Message.objects.create(
                conversation=conversation,
                channel=channel,
                sender=Sender.AGENT,
                author=agent,
                text="您好，在的",
                sent_at=now,
            )
            opened.setdefault(agent.pk, conversation.pk)
            plan["buyers"].append({"nick": buyer.nick, "conversation": conversation.pk})
        for user in users:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            plan["agents"].append(
                {"id": user.pk, "session": session.session_key, "open": opened[user.pk]}
            )
    return plan


# --- a small HTTP/1.1 client ----------------------------------------------------------


class Http:
    """One keep-alive connection; requests one at a time."""

    def __init__(self, host: str, port: int, cookie: str = ""):
        self.host, self.port, self.cookie = host, port, cookie
        self.reader = self.writer = None

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method, path, body=b"", headers=None, stream=False):
        """Like a browser: a kept-alive connection the server closed meanwhile (uvicorn
        closes idle ones after 5 s) is reopened and the request sent again once."""
        if self.writer is not None:
            try:
                return await self._request(method, path, body, headers, stream)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
        await self._open()
        return await self._request(method, path, body, headers, stream)

    async def _request(self, method, path, body, headers, stream):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {len(body)}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            self.close()
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        head = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode().partition(":")
            head[key.strip().lower()] = value.strip()
        if stream:
            return status, head, self.reader
        if head.get("transfer-encoding") == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await self.reader.readexactly(int(head.get("content-length", 0)))
        if head.get("connection") == "close":
            self.close()
        return status, head, data


# --- the load -------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.latency, self.actions, self.errors, self.requests = [], [], 0, 0
        self.replies_started = 0
        self.sent: dict[int, float] = {}
        self.kinds: Counter = Counter()  # message id -> when the buyer's POST returned


class Agent:
    def __init__(self, spec, base, push: bool, stats: Stats):
        self.spec, self.push, self.stats = spec, push, stats
        self.csrf = secrets.token_hex(16)
        cookie = f"sessionid={spec['session']}; csrftoken={self.csrf}"
        self.http = Http(base.hostname, base.port, cookie)
        self.stream = Http(base.hostname, base.port, cookie)
        self.last = 0
        self.queue_due = False
        self.tasks: list[asyncio.Task] = []
        self.replying = True
        self.lock = asyncio.Lock()  # the page's fetches share one connection

    async def get(self, path):
        self.stats.requests += 1
        async with self.lock:
            status, _head, data = await self.http.request("GET", path)
        if status >= 400:
            self.stats.errors += 1
            self.stats.kinds[f"GET {path.split('?')[0]} {status}"] += 1
        return status, data

    async def fetch_messages(self):
        status, data = await self.get(f"/chats/{self.spec['open']}/messages/?after={self.last}")
        if status == 200:
            seen = time.monotonic()
            ids = [int(m) for m in MESSAGE_ID.findall(data)]
            for message_id in ids:
                sent = self.stats.sent.pop(message_id, None)
                if sent is not None:
                    self.stats.latency.append(seen - sent)
                    if self.replying:
                        self.tasks.append(asyncio.create_task(self.reply()))
            self.last = max([self.last, *ids])

    async def reply(self):
        http = Http(self.http.host, self.http.port, self.http.cookie)
        body = b"text=%E5%A5%BD%E7%9A%84%E4%BA%B2%EF%BC%8C%E9%A9%AC%E4%B8%8A%E4%B8%BA%E6%82%A8%E6%9F%A5%E8%AF%A2"
        started = time.monotonic()
        self.stats.requests += 1
        self.stats.replies_started += 1
        try:
            status, _h, _d = await asyncio.wait_for(
                http.request(
                    "POST",
                    f"/chats/{self.spec['open']}/reply/",
                    body,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-CSRFToken": self.csrf,
                        "HX-Request": "true",
                    },
                ),
                REQUEST_TIMEOUT_SECONDS,
            )
            if status >= 400:
                self.stats.errors += 1
                self.stats.kinds[f"reply {status}"] += 1
        except (OSError, ConnectionError, TimeoutError) as error:
            self.stats.errors += 1
            self.stats.kinds[f"reply {error!r}"] += 1
        finally:
            http.close()
        self.stats.actions.append(time.monotonic() - started)

    async def poll_loop(self):
        while True:
            started = time.monotonic()
            await self.get("/chats/queue/?view=mine")
            await self.fetch_messages()
            await asyncio.sleep(max(0, 1 - (time.monotonic() - started)))

    async def queue_loop(self):
        while True:
            await asyncio.sleep(1)
            if self.queue_due:
                self.queue_due = False
                await self.get("/chats/queue/?view=mine")

    async def push_loop(self):
        status, _head, reader = await self.stream.request("GET", "/live/events/", stream=True)
        if status != 200:
            self.stats.errors += 1
            self.stats.kinds[f"stream {status}"] += 1
            return
        kind = None
        while line := await reader.readline():
            if line.startswith(b"data: ") and line[6:] != b"{}\n":
                event = json.loads(line[6:])
                mine = event.get("assignee") in (self.spec["id"], None)
                if kind == "message" and event.get("conversation") == self.spec["open"]:
                    await self.fetch_messages()
                elif mine or event.get("from") == self.spec["id"]:
                    self.queue_due = True
            elif line.startswith(b"event: "):
                kind = line[7:].strip().decode()
        self.stats.errors += 1  # the server ended the stream
        self.stats.kinds["stream ended"] += 1

    async def connect(self):
        await self.get("/chats/queue/?view=mine")
        await self.fetch_messages()
        if self.push:
            self.tasks += [
                asyncio.create_task(self.push_loop()),
                asyncio.create_task(self.queue_loop()),
            ]
        else:
            self.tasks.append(asyncio.create_task(self.poll_loop()))

    async def disconnect(self):
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []
        self.http.close()
        self.stream.close()


def signed(secret: str, body: bytes) -> dict:
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Helpdesk-Timestamp": stamp,
        "X-Helpdesk-Signature": f"sha256={digest}",
    }


async def buyer(spec, plan, base, stats: Stats, until: float):
    http = Http(base.hostname, base.port)
    await asyncio.sleep(random.uniform(0, MESSAGE_EVERY_SECONDS))
    while time.monotonic() < until:
        started = time.monotonic()
        body = json.dumps(
            {
                "buyer_nick": spec["nick"],
                "text": "请问什么时候发货",
                "message_id": secrets.token_hex(8),
                "sent_at": datetime.now(UTC).isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        stats.requests += 1
        try:
            status, _h, data = await asyncio.wait_for(
                http.request(
                    "POST",
                    f"/api/v1/channels/{plan['channel']}/messages",
                    body,
                    signed(plan["secret"], body),
                ),
                REQUEST_TIMEOUT_SECONDS,
            )
            if status == 201:
                if spec["conversation"] in plan["open"]:
                    stats.sent[json.loads(data)["message_id"]] = time.monotonic()
            else:
                stats.errors += 1
                stats.kinds[f"buyer POST {status} {data[:80].decode(errors='replace')}"] += 1
        except (OSError, ConnectionError, TimeoutError) as error:
            stats.errors += 1
            stats.kinds[f"buyer POST {error!r}"] += 1
            http.close()
        await asyncio.sleep(max(0, MESSAGE_EVERY_SECONDS - (time.monotonic() - started)))
    http.close()


# --- the server -----------------------------------------------------------------------


def pids_of_group(pgid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pgid: int) -> float:
    ticks = 0
    for pid in pids_of_group(pgid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(v) for v in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mib(pgid: int) -> float:
    total = 0
    for pid in pids_of_group(pgid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def start_server(push: bool, port: int, out: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("HELPDESK_TESTING", "DJANGO_DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS),
        WEB_LOG_LEVEL="warning",
        HELPDESK_LIVE_PUSH="1" if push else "0",
        DJANGO_STATIC_ROOT=str(out / "static"),
    )
    log = open(out / f"gunicorn-{'push' if push else 'poll'}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [BIN / "gunicorn"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wait_healthy(base) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _h, _d = await Http(base.hostname, base.port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the server did not become healthy")


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def scenario(push: bool, plan: dict, args, out: Path) -> dict:
    base = urlparse(f"http://127.0.0.1:{args.port}")
    server = start_server(push, args.port, out)
    try:
        await wait_healthy(base)
        stats = Stats()
        rss_before = rss_mib(server.pid)
        agents = [Agent(spec, base, push, stats) for spec in plan["agents"]]
        for _round in range(3):  # connect, drop all, connect again: a reconnect storm
            await asyncio.gather(*(a.connect() for a in agents))
            await asyncio.sleep(2)
            if _round < 2:
                await asyncio.gather(*(a.disconnect() for a in agents))
        await asyncio.sleep(3)
        rss_after = rss_mib(server.pid)

        cpu0 = cpu_seconds(server.pid)
        await asyncio.sleep(IDLE_SECONDS)
        idle_cpu = cpu_seconds(server.pid) - cpu0

        stats.latency.clear()
        stats.actions.clear()
        stats.errors = 0
        stats.requests = 0
        stats.replies_started = 0
        load_before = os.getloadavg()[0]
        cpu0, started = cpu_seconds(server.pid), time.monotonic()
        until = started + args.seconds
        await asyncio.gather(*(buyer(b, plan, base, stats, until) for b in plan["buyers"]))
        for agent in agents:
            agent.replying = False
        await asyncio.sleep(2)
        busy_cpu = cpu_seconds(server.pid) - cpu0
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        await asyncio.gather(*(a.disconnect() for a in agents))
        lost = len(stats.sent)
        return {
            "mode": "push" if push else "poll",
            "idle_cpu_ms_per_agent_s": 1000 * idle_cpu / (len(agents) * IDLE_SECONDS),
            "busy_cpu_cores": busy_cpu / elapsed,
            "latency_p50": pct(stats.latency, 0.5),
            "latency_p95": pct(stats.latency, 0.95),
            "latencies": len(stats.latency),
            "action_p95": pct(stats.actions, 0.95),
            "actions": len(stats.actions),
            "replies_started": stats.replies_started,
            "traffic_seconds": elapsed,
            "load": f"{load_before:.1f} → {load_after:.1f}",
            "errors": stats.errors,
            "undelivered": lost,
            "requests": stats.requests,
            "rss_per_connection_kib": 1024 * (rss_after - rss_before) / len(agents),
            "rss_mib": rss_after,
            "error_kinds": dict(stats.kinds),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def render(results: list[dict], args) -> str:
    rows = [
        ("server CPU per connected idle agent (ms CPU / s)", "idle_cpu_ms_per_agent_s", "{:.2f}"),
        ("server CPU under buyer traffic (cores)", "busy_cpu_cores", "{:.2f}"),
        ("message-to-agent latency p50 (s)", "latency_p50", "{:.3f}"),
        ("message-to-agent latency p95 (s)", "latency_p95", "{:.3f}"),
        ("messages measured", "latencies", "{}"),
        ("reply (action) p95 (s)", "action_p95", "{:.3f}"),
        ("replies finished (answered or timed out)", "actions", "{}"),
        ("replies sent (unanswered ones cut off at the end)", "replies_started", "{}"),
        ("traffic phase incl. 2 s drain (s)", "traffic_seconds", "{:.0f}"),
        ("load average (1 min) before → after the traffic", "load", "{}"),
        ("errors", "errors", "{}"),
        ("open-conversation messages never seen by the agent", "undelivered", "{}"),
        ("requests made by the clients", "requests", "{}"),
        ("web workers' RSS after 3 connect rounds (MiB)", "rss_mib", "{:.0f}"),
        ("RSS per connected agent (KiB)", "rss_per_connection_kib", "{:.0f}"),
    ]
    poll, push = results
    lines = [
        f"sizes: {args.agents} agents with open workspaces, {args.conversations} active "
        f"conversations (one buyer message per {MESSAGE_EVERY_SECONDS} s each = "
        f"{args.conversations / MESSAGE_EVERY_SECONDS:.0f} msg/s), {args.seconds} s of traffic, "
        f"{IDLE_SECONDS} s idle; gunicorn {WORKERS} uvicorn workers, PostgreSQL + Redis on 127.0.0.1",
        f"{'':56} {'polling (1 s)':>14} {'push (SSE)':>12} {'push/poll':>10}",
    ]
    for label, key, fmt in rows:
        a, b = poll[key], push[key]
        ratio = f"{b / a:.2f}" if isinstance(a, float) and a else ""
        lines.append(f"{label:56} {fmt.format(a):>14} {fmt.format(b):>12} {ratio:>10}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8114)
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_only:
        print(json.dumps(prepare(args.agents, args.conversations)))
        return
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in urlparse(url).path or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (a database whose name contains 'bench') and REDIS_URL.")
    out = ROOT / "var" / "load" / ("push-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    out.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]),
    )
    env.pop("HELPDESK_TESTING", None)
    env["DJANGO_DEBUG"] = "0"
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    results = []
    for push in (False, True):
        prepared = subprocess.run(
            [
                BIN / "python",
                __file__,
                "--prepare-only",
                "--agents",
                str(args.agents),
                "--conversations",
                str(args.conversations),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        plan = json.loads(prepared.stdout.strip().splitlines()[-1])
        plan["open"] = {agent["open"] for agent in plan["agents"]}
        results.append(asyncio.run(scenario(push, plan, args, out)))
    report = render(results, args)
    for result in results:
        for kind, count in result["error_kinds"].items():
            report += f"\n{result['mode']} errors: {count} × {kind}"
    (out / "report.txt").write_text(report + "\n")
    print(report)
    print(f"(output in {out})")


if __name__ == "__main__":
    main()
