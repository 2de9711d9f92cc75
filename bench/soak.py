"""Soak of the embedded stack: the README's run command under buyer traffic, the worker
killed with SIGKILL on the way.

Starts ``scripts/run`` on a fresh var dir, posts buyer messages through the signed bridge
endpoint (chats/inbound.py) from several threads, SIGKILLs the Celery worker at evenly
spaced moments, then waits for the greetings and stops the run command the way Ctrl-C
does. Passes when the run command stayed up, the worker was back within 10 s of every
kill, every acknowledged message is stored, every conversation got its greeting (once),
and nothing was logged at CRITICAL. Prints the figures and one JSON line; exit 1 on a
failure. Traffic goes to 127.0.0.1 only, and every loop is bounded in time.

    bench/soak --short                 # CI: ~20 s of traffic, one kill
    bench/soak --minutes 10 --kills 3  # the full soak
    options: --port 8120 --var-dir /tmp/soak --threads 4
"""

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpdesk.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature  # noqa: E402

WORKER_BACK_WITHIN_S = 10
WORKER_WAIT_S = 30
START_TIMEOUT_S = 240
STOP_TIMEOUT_S = 60
GREETING_WAIT_S = 45


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict = field(default_factory=dict)  # (channel id, message id) -> conversation id
    refused: list = field(default_factory=list)
    latencies: list = field(default_factory=list)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="CI mode: 20 s, one kill")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--var-dir", type=Path, help="fresh folder for the run (default: temp)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between a thread's posts")
    args = parser.parse_args(argv)
    args.seconds = 20.0 if args.short else args.minutes * 60
    if args.short:
        args.kills = 1
    args.var_dir = (args.var_dir or Path(tempfile.mkdtemp(prefix="soak-"))).resolve()
    return args


def run_env(args) -> dict:
    """A new user's environment: embedded mode, nothing pointing at the test servers."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "HELPDESK_", "DJANGO_"))
    }
    env.update(PORT=str(args.port), HOST="127.0.0.1", HELPDESK_VAR_DIR=str(args.var_dir))
    return env


def wait_for_banner(log: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if "is running" in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"scripts/run exited with {process.returncode} before its banner")
        time.sleep(0.5)
    raise RuntimeError(f"no banner within {START_TIMEOUT_S} s")


def bridges(database: Path, log: Path) -> list[tuple[int, str]]:
    """The demo bridge channel of every shop named in the banner's chat pages."""
    codes = re.findall(r"/c/([\w-]+)/", log.read_text(errors="replace"))
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT c.id, c.secret FROM chats_channel c JOIN accounts_shop s ON s.id = c.shop_id"
            f" WHERE c.kind = 'bridge' AND s.code IN ({','.join('?' * len(codes))})",
            codes,
        ).fetchall()


def post(base: str, channel: tuple[int, str], payload: dict) -> tuple[int, dict, float]:
    channel_id, secret = channel
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{base}/api/v1/channels/{channel_id}/messages",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, {}, time.perf_counter() - started
    except OSError:
        return 0, {}, time.perf_counter() - started


def buyer(base, channels, tally, thread_no, stop_at, pause) -> None:
    """One thread's buyers: a new buyer every few messages, each in one of the shops."""
    rng = random.Random(thread_no)
    number = 0
    while time.monotonic() < stop_at:
        channel = rng.choice(channels)
        nick = f"soak_{thread_no}_{number}"
        for turn in range(rng.randint(1, 4)):
            if time.monotonic() >= stop_at:
                return
            message_id = f"soak-{thread_no}-{number}-{turn}"
            payload = {
                "message_id": message_id,
                "buyer_nick": nick,
                "text": f"请问第{turn + 1}个问题：这款有货吗？",
                "sent_at": datetime.now(UTC).isoformat(),
            }
            status, body, seconds = post(base, channel, payload)
            if status == 0:  # the connection failed: the bridge sends it again
                status, body, seconds = post(base, channel, payload)
            with tally.lock:
                tally.latencies.append(seconds)
                if status in (200, 201):
                    tally.acked[(channel[0], message_id)] = body["conversation_id"]
                else:
                    tally.refused.append(status)
            time.sleep(pause)
        number += 1


def worker_pid(var_dir: Path) -> int | None:
    """The Celery worker among supervisord's children (found by parent, not by name)."""
    try:
        parent = int((var_dir / "supervisord.pid").read_text())
    except (OSError, ValueError):
        return None
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and b"worker" in cmdline:
            return int(stat.parent.name)
    return None


def kill_worker(var_dir: Path) -> tuple[float | None, float | None]:
    """SIGKILL the worker. Returns seconds until supervisord had started a new worker
    process, and until that worker was ready to take tasks (None: not within 30 s)."""
    ready = var_dir / "worker.ready"
    pid = worker_pid(var_dir)
    if pid is None:
        raise RuntimeError("no worker to kill")
    killed_at = time.time()
    os.kill(pid, signal.SIGKILL)
    respawned = None
    deadline = time.monotonic() + WORKER_WAIT_S
    while time.monotonic() < deadline:
        if respawned is None and worker_pid(var_dir) not in (None, pid):
            respawned = time.time() - killed_at
        if ready.exists() and ready.stat().st_mtime > killed_at:
            return respawned, time.time() - killed_at
        time.sleep(0.1)
    return respawned, None


def stored(database: Path, tally: Tally, channels) -> dict:
    ids = {channel_id for channel_id, _ in channels}
    marks = ",".join("?" * len(ids))
    with sqlite3.connect(database, timeout=30) as db:
        messages = set(
            db.execute(
                f"SELECT channel_id, external_id FROM chats_message WHERE channel_id IN ({marks})"
                " AND external_id LIKE 'soak-%'",
                list(ids),
            ).fetchall()
        )
        conversations = db.execute(
            "SELECT c.id, c.created_at, c.auto_greeted_at,"
            " (SELECT COUNT(*) FROM chats_message m WHERE m.conversation_id = c.id"
            "  AND m.sender = 'auto')"
            f" FROM chats_conversation c WHERE c.channel_id IN ({marks})"
            " AND c.id IN (SELECT conversation_id FROM chats_message WHERE external_id LIKE 'soak-%')",
            list(ids),
        ).fetchall()
    return {"messages": messages, "conversations": conversations}


def greeting_delays(conversations) -> list[float]:
    return sorted(
        (datetime.fromisoformat(greeted) - datetime.fromisoformat(created)).total_seconds()
        for _, created, greeted, _ in conversations
        if greeted
    )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen) -> bool:
    """Ctrl-C, as a person stops it: SIGINT to the run command's process group."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def soak(args) -> dict:
    args.var_dir.mkdir(parents=True, exist_ok=True)
    log = args.var_dir / "run.log"
    base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run")],
            cwd=ROOT,
            env=run_env(args),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    failures, restarts = [], []
    tally = Tally()
    found, ungreeted, start_seconds = {"messages": set(), "conversations": []}, [], None
    try:
        wait_for_banner(log, process)
        start_seconds = round(time.monotonic() - started, 1)
        channels = bridges(args.var_dir / "helpdesk.sqlite3", log)
        if not channels:
            raise RuntimeError("no demo bridge channel found")
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=buyer, args=(base, channels, tally, n, stop_at, args.pause), daemon=True
            )
            for n in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        for kill in range(args.kills):
            moment = stop_at - args.seconds + args.seconds * (kill + 1) / (args.kills + 1)
            time.sleep(max(0.0, moment - time.monotonic()))
            respawned, ready = kill_worker(args.var_dir)
            restarts.append((respawned, ready))
            if ready is None or ready > WORKER_BACK_WITHIN_S:
                failures.append(
                    f"kill {kill + 1}: worker ready after {ready} s"
                    f" (process back after {respawned} s), not within {WORKER_BACK_WITHIN_S} s"
                )
        for thread in threads:
            thread.join()
        # Every conversation's greeting is due 8 s after its first message.
        deadline = time.monotonic() + GREETING_WAIT_S
        while True:
            found = stored(args.var_dir / "helpdesk.sqlite3", tally, channels)
            ungreeted = [c for c in found["conversations"] if not c[2]]
            if not ungreeted or time.monotonic() > deadline:
                break
            time.sleep(1)
        if process.poll() is not None:
            failures.append(f"scripts/run exited ({process.returncode}) during the soak")
        elif not healthy(base):
            failures.append("/healthz did not answer 200 at the end")
    except RuntimeError as error:
        failures.append(str(error))
    finally:
        stopped = process.poll() is None and stop(process)
    if not stopped:
        failures.append("scripts/run did not stop on Ctrl-C within 60 s")
    text = log.read_text(errors="replace")
    critical = [line for line in text.splitlines() if "CRITICAL" in line]
    lost = set(tally.acked) - found["messages"]
    conversations = found["conversations"]
    twice = [c for c in conversations if c[3] > 1]
    delays = greeting_delays(conversations)
    if lost:
        failures.append(f"{len(lost)} acknowledged message(s) not stored")
    if ungreeted:
        failures.append(f"{len(ungreeted)} conversation(s) without a greeting")
    if twice:
        failures.append(f"{len(twice)} conversation(s) greeted more than once")
    if critical:
        failures.append(f"{len(critical)} CRITICAL line(s) in the log: {critical[0][:200]}")
    latencies = sorted(tally.latencies)
    return {
        "mode": "short" if args.short else "full",
        "traffic_seconds": args.seconds,
        "threads": args.threads,
        "start_seconds": start_seconds,
        "messages_posted": len(latencies),
        "messages_acked": len(tally.acked),
        "messages_refused": len(tally.refused),
        "messages_stored": len(found["messages"]),
        "conversations": len(conversations),
        "greeted": len(conversations) - len(ungreeted),
        "greeting_p50_s": round(percentile(delays, 0.5), 1),
        "greeting_p95_s": round(percentile(delays, 0.95), 1),
        "greeting_max_s": round(delays[-1], 1) if delays else None,
        "post_p50_ms": round(percentile(latencies, 0.5) * 1000) if latencies else None,
        "post_p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "worker_kills": len(restarts),
        "worker_respawn_s": [_round(respawned) for respawned, _ in restarts],
        "worker_ready_s": [_round(ready) for _, ready in restarts],
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "critical_lines": len(critical),
        "passed": not failures,
        "failures": failures,
        "log": str(log),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    # Stopped from outside (a test's timeout): still stop the run command on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result = soak(args)
    print(
        f"soak ({result['mode']}): {result['messages_acked']}/{result['messages_posted']} messages"
        f" acknowledged, {result['messages_stored']} stored; {result['conversations']}"
        f" conversations, {result['greeted']} greeted (delay p50 {result['greeting_p50_s']} s,"
        f" p95 {result['greeting_p95_s']} s, max {result['greeting_max_s']} s);"
        f" worker killed {result['worker_kills']}x, process back after"
        f" {result['worker_respawn_s']} s, ready after {result['worker_ready_s']} s;"
        f" post p50 {result['post_p50_ms']} ms, p95 {result['post_p95_ms']} ms;"
        f" load average {result['load_average']}"
    )
    print("PASS" if result["passed"] else "FAIL: " + "; ".join(result["failures"]))
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
