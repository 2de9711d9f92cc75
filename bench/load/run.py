"""The load bench: gunicorn + PostgreSQL + Redis + a Celery worker and beat on this
machine, driven by locust (see locustfile.py for who does what), bounded in time.

    DATABASE_URL=postgres://…/helpdesk_load_bench REDIS_URL=redis://127.0.0.1:6379/13 \\
        bench/load/run [--small] [--run-time 60s] [--port 8113] [--workers N] [--agents N]

Steps: refuse a database whose name lacks "bench"; prepare it (migrate, demo shops, the
load staff with a known password, an order report to import); start gunicorn on
127.0.0.1 only, a Celery worker (its queue purged first) and beat on REDIS_URL; run
locust headless (no web UI) with CSV output three times: a warm-up and a baseline pass
with one user of each kind and no import (20 s each, 10 s with --small), then the load
for the run time; stop everything, also on Ctrl-C or a failure; print p50/p95/p99 and
errors per endpoint with the baseline's p50 and the ratio, the CPU time the services,
PostgreSQL and the rest of the machine used during the load (probe.py), the server
errors from gunicorn's log, and the machine. Output lands in var/load/<UTC time>/.

Full mode: 50 agents, 3 supervisors, 16 web-chat buyers, 4 bridge buyers and one
import of 20,000 orders (74 users) for 60 s. --small: 5 agents, 1 supervisor, 2 web
buyers, 1 bridge buyer, 1 import of 2,000 orders (10 users) for 20 s.
"""

import argparse
import os
import platform
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(HERE))

from probe import Probe  # noqa: E402
from report import read_stats, render  # noqa: E402

FULL = {"agents": 50, "supervisors": 3, "web_buyers": 16, "bridge_buyers": 4, "rows": 20_000}
SMALL = {"agents": 5, "supervisors": 1, "web_buyers": 2, "bridge_buyers": 1, "rows": 2_000}
IMPORTERS = 1
STOP_GRACE_SECONDS = 15
BASELINE_CLASSES = ["AgentUser", "SupervisorUser", "WebChatBuyer", "BridgeBuyer"]


class Interrupted(Exception):
    """SIGTERM: stop like Ctrl-C does."""


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def refuse_unless_bench(url: str | None) -> str:
    """The database name, or exit: this bench rewrites staff and data where it runs."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    name = database_name(url)
    if "bench" not in name:
        sys.exit(f"Refusing to run against database {name!r}: its name must contain 'bench'.")
    return name


def ensure_database(url: str) -> None:
    """Create the (bench) database on first use."""
    name = database_name(url)
    server = urlparse(url)._replace(path="/postgres").geturl()
    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load bench: locust against gunicorn + PostgreSQL + Redis + Celery."
    )
    parser.add_argument("--small", action="store_true", help="10 users for 20 s (CI)")
    parser.add_argument("--run-time", help="locust run time (default 60s, 20s with --small)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8113)))
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--agents", type=int)
    parser.add_argument("--out", type=Path, help="output directory (default var/load/<time>)")
    args = parser.parse_args(argv)
    sizes = dict(SMALL if args.small else FULL)
    if args.agents is not None:
        sizes["agents"] = args.agents
    args.sizes = sizes
    args.run_time = args.run_time or ("20s" if args.small else "60s")
    args.baseline_time = "10s" if args.small else "20s"
    args.users = IMPORTERS + sum(
        sizes[k] for k in ("agents", "supervisors", "web_buyers", "bridge_buyers")
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.out = args.out or ROOT / "var" / "load" / stamp
    return args


def child_env(args) -> dict:
    """Production settings (DEBUG off, Redis cache) through bench_settings.py."""
    env = {k: v for k, v in os.environ.items() if k not in ("HELPDESK_TESTING", "DJANGO_DEBUG")}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=str(args.out / "static"),
        LOAD_FIXTURE=str(args.out / "fixture.json"),
        LOAD_RUN_ID=args.out.name,
        LOAD_AGENTS=str(args.sizes["agents"]),
        LOAD_SUPERVISORS=str(args.sizes["supervisors"]),
        LOAD_IMPORTERS=str(IMPORTERS),
        LOAD_WEB_BUYERS=str(args.sizes["web_buyers"]),
        LOAD_BRIDGE_BUYERS=str(args.sizes["bridge_buyers"]),
    )
    return env


class Services:
    """The processes this run started, each in its own session so that one signal to
    its process group stops it and its children, and nothing else."""

    def __init__(self, out: Path, env: dict):
        self.out, self.env, self.running = out, env, []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.out / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop_all
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process, log))
        return process

    def stop_all(self) -> None:
        """SIGTERM to each main process (gunicorn and Celery shut down their children),
        then SIGKILL to the process groups of those still running after the grace time
        (a Celery worker in the middle of the import: its task is redelivered later,
        and the next run purges the queue first)."""
        for _name, process, _log in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for _name, process, log in reversed(self.running):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()
        self.running.clear()

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time so far of each service's process group (workers included)."""
        return {name: group_cpu_seconds(process.pid) for name, process, _log in self.running}

    def check_alive(self) -> None:
        for name, process, _log in self.running:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: see {name}.log")


def group_cpu_seconds(pgid: int) -> float:
    """User + system time of every live process in the group, and of the children they
    have reaped, from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_healthy(base: str, services: Services, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services.check_alive()
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {base}/healthz within {timeout:.0f} s")


def machine(database_url: str) -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        memory = "? RAM"
    postgres = "?"
    try:
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0].split()[0]
    except psycopg2.Error:  # the version is only printed
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PostgreSQL {postgres}; load average {load}"
    )


def server_errors(log: Path) -> dict[str, int]:
    """Django's 'Internal Server Error: <path>' lines in gunicorn's log, by path."""
    found: dict[str, int] = {}
    if log.exists():
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("Internal Server Error: "):
                path = line.removeprefix("Internal Server Error: ").strip()
                found[path] = found.get(path, 0) + 1
    return found


def locust(base: str, users: int, run_time: str, prefix: Path, *, env: dict, classes=()) -> None:
    """Run locust headless (no web UI, nothing listens) and write <prefix>_*.csv."""
    with open(f"{prefix}.log", "wb") as log:
        finished = subprocess.run(
            [
                BIN / "locust", "-f", HERE / "locustfile.py", "--headless", "--host", base,
                "--users", str(users), "--spawn-rate", str(max(users // 6, 2)),
                "--run-time", run_time, "--stop-timeout", "5", "--csv", prefix,
                "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
                *classes,
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    if finished.returncode != 0:
        raise RuntimeError(f"locust exited with {finished.returncode}: see {prefix}.log")


def run(args) -> tuple[Path, dict[str, float], str]:
    database_url = os.environ.get("DATABASE_URL")
    refuse_unless_bench(database_url)
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL (the Celery broker and cache of this run).")
    (args.out / "static").mkdir(parents=True, exist_ok=True)
    env = child_env(args)
    base = f"http://127.0.0.1:{args.port}"
    services = Services(args.out, env)
    prefix = args.out / "locust"
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average before the run: {before}", flush=True)
    print(f"Output: {args.out}", flush=True)

    def on_sigterm(_signum, _frame):
        raise Interrupted

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    # Ctrl-C stops the run even when a shell started it in the background (SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print("Preparing the database…", flush=True)
        started = time.monotonic()
        ensure_database(database_url)
        subprocess.run(
            [
                BIN / "python",
                HERE / "prepare.py",
                "--out",
                args.out / "fixture.json",
                "--agents",
                str(args.sizes["agents"]),
                "--supervisors",
                str(args.sizes["supervisors"]),
                "--rows",
                str(args.sizes["rows"]),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"  ready in {time.monotonic() - started:.1f} s", flush=True)
        services.start(
            "gunicorn",
            [
                BIN / "gunicorn",
                "helpdesk.asgi:application",  # uvicorn workers (gunicorn.conf.py)
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--preload",
                "--no-control-socket",
            ],
        )
        subprocess.run(
            [BIN / "celery", "-A", "helpdesk", "purge", "--force"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        services.start(
            "celery-worker",
            [
                BIN / "celery",
                "-A",
                "helpdesk",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"load-bench-{args.port}@%h",
            ],
        )
        services.start(
            "celery-beat",
            [
                BIN / "celery",
                "-A",
                "helpdesk",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(args.out / "celerybeat-schedule"),
            ],
        )
        wait_healthy(base, services)
        baseline_env = {
            **env,
            "LOAD_AGENTS": "1",
            "LOAD_SUPERVISORS": "1",
            "LOAD_WEB_BUYERS": "1",
            "LOAD_BRIDGE_BUYERS": "1",
        }
        for label, prefix_name in (("Warm-up (not counted)", "warmup"), ("Baseline", "baseline")):
            print(
                f"{label}: one user of each kind, no import, for {args.baseline_time}…", flush=True
            )
            locust(
                base,
                len(BASELINE_CLASSES),
                args.baseline_time,
                args.out / prefix_name,
                env=baseline_env,
                classes=BASELINE_CLASSES,
            )
        print(
            f"Load: {args.users} users for {args.run_time} against {base} "
            f"(gunicorn workers: {args.workers})…",
            flush=True,
        )
        services_before = services.cpu_seconds()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with Probe(database_url, database_name(database_url)) as probe:
            locust(base, args.users, args.run_time, prefix, env=env)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        usage = {
            name: seconds - services_before.get(name, 0)
            for name, seconds in services.cpu_seconds().items()
        }
        usage["locust"] = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        limits = probe.summary(ours=sum(usage.values()))
        services.check_alive()
    except (KeyboardInterrupt, Interrupted):
        print("Interrupted: stopping the services.", file=sys.stderr)
        raise SystemExit(130) from None
    except (RuntimeError, subprocess.CalledProcessError) as failed:
        print(f"Failed: {failed}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        services.stop_all()
        signal.signal(signal.SIGTERM, previous)
    return prefix, usage, limits


def aggregated_requests(prefix: Path) -> int:
    rows = read_stats(Path(f"{prefix}_stats.csv"))
    return next((row["requests"] for row in rows if row["endpoint"] == "Aggregated"), 0)


def cpu_summary(usage: dict[str, float], *, requests: int, run_time: str) -> str:
    """Where the CPU went during the load: on two shared cores the load generator and
    the worker compete with gunicorn, and gunicorn's CPU per request is the figure that
    does not depend on how busy the machine was."""
    parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in usage.items())
    line = f"CPU time during the {run_time} load: {parts} (PostgreSQL and Redis not counted)"
    if requests and usage.get("gunicorn"):
        line += f"\ngunicorn CPU per request: {usage['gunicorn'] * 1000 / requests:.0f} ms"
    return line


def main(argv=None) -> None:
    args = parse_args(argv)
    prefix, usage, limits = run(args)
    print()
    print(render(prefix, baseline=args.out / "baseline"))
    print()
    print(cpu_summary(usage, requests=aggregated_requests(prefix), run_time=args.run_time))
    print(limits)
    errors = server_errors(args.out / "gunicorn.log")
    print()
    if errors:
        print("Server errors (5xx) logged by Django:")
        for path, count in sorted(errors.items(), key=lambda item: -item[1]):
            print(f"  {count:6d}  {path}")
    else:
        print("Server errors (5xx) logged by Django: none")
    print(
        f"\n{args.users} users ({args.sizes['agents']} agents, {args.sizes['supervisors']} "
        f"supervisors, {args.sizes['web_buyers']} web buyers, {args.sizes['bridge_buyers']} "
        f"bridge buyers, {IMPORTERS} import of {args.sizes['rows']} orders) for "
        f"{args.run_time}, gunicorn {args.workers} uvicorn workers on 127.0.0.1:{args.port}"
    )
    print(f"Machine: {machine(os.environ['DATABASE_URL'])}")


if __name__ == "__main__":
    main()
