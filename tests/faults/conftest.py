"""Throwaway servers for fault tests: a fault test restarts or kills these, never the
machine's shared PostgreSQL or Redis (other test runs use those at the same time)."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

START_LIMIT = 30


def pg_bin(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, or in Debian's versioned directory (newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
    versions = sorted(candidates, key=lambda path: float(path.parent.parent.name))
    return str(versions[-1]) if versions else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, limit: float, what: str) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class Postgres:
    """A PostgreSQL cluster of its own (initdb into a temporary directory, own port,
    trust authentication on loopback), run with pg_ctl as the postgres user when the
    tests run as root."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/helpdesk"

    def _as_owner(self, *command: str, **kwargs) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], check=True, capture_output=True, timeout=START_LIMIT, **kwargs
        )

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._as_owner(
            pg_bin("pg_ctl"), "-D", str(self.directory / "data"), "-l", str(self.directory / "log"),
            "-o", options, "-w", "-t", str(START_LIMIT), action, *extra,
        )  # fmt: skip

    def init(self) -> None:
        self._as_owner(
            pg_bin("initdb"), "-D", str(self.directory / "data"), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start")
        self.psql("postgres", "CREATE DATABASE helpdesk")

    def restart(self) -> None:
        """A fast restart: every open session is terminated, as a real restart does."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate")

    def psql(self, database: str, sql: str) -> str:
        """Run ``sql`` (any number of statements) and return the output, unaligned."""
        url = f"postgres://postgres@127.0.0.1:{self.port}/{database}"
        done = subprocess.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qtA", "-f", "-"],
            input=sql, check=True, capture_output=True, text=True, timeout=START_LIMIT,
        )  # fmt: skip
        return done.stdout.strip()


@pytest.fixture
def throwaway_postgres():
    if not (pg_bin("initdb") and pg_bin("pg_ctl")):
        pytest.skip("initdb/pg_ctl are not installed")
    directory = Path(tempfile.mkdtemp(prefix="helpdesk-pgfault-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    server = Postgres(directory, free_port())
    try:
        server.init()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


class Redis:
    """A redis-server of its own on a free port, no persistence; stop() kills it, start()
    brings it back on the same port (empty)."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def ping(self) -> bool:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return done.stdout.strip() == "PONG"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.ping, START_LIMIT, "redis-server to answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=START_LIMIT)
            self.process = None


@pytest.fixture
def throwaway_redis():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = Redis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
