"""A real Celery worker, killed with SIGKILL mid-batch and restarted: no order gets a
second message and none is lost. Runs against the real Redis (REDIS_URL) and the real
PostgreSQL test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from chats.models import OutboxMessage, OutboxStatus
from helpdesk.celery import app
from outreach.models import Reminder
from outreach.tasks import run_scheduled_job

from .factories import unpaid_order
from .fault_worker import DELIVERIES_KEY
from .scripts import install_scripts

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORDERS = 30
TIME_LIMIT = 60
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "FAULT_SEND_SECONDS": "0.2",
        "FAULT_DECIDE_SECONDS": "0.1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.outreach.fault_worker",
            "worker",
            "--concurrency",
            "3",
            "--prefetch-multiplier",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_hard(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(condition, deadline: float, what: str, log: Path) -> None:
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")
        time.sleep(0.1)


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.REDIS_URL)
    app.control.purge()
    client.delete(DELIVERIES_KEY, "unacked", "unacked_index")
    yield client
    app.control.purge()
    client.delete(DELIVERIES_KEY, "unacked", "unacked_index")


def test_worker_killed_mid_batch_sends_every_reminder_exactly_once(shop, broker, tmp_path):
    deadline = time.monotonic() + TIME_LIMIT
    now = timezone.now()
    install_scripts(shop, ["payment_reminder"])
    orders = [unpaid_order(shop, ordered_at=now - timedelta(hours=2)) for _ in range(ORDERS)]
    log = tmp_path / "worker.log"
    worker = start_worker(log)
    try:
        # Beat fires twice: two tasks run the same shop's batch in parallel.
        run_scheduled_job.delay("payment_reminders")
        run_scheduled_job.delay("payment_reminders")
        wait_for(lambda: Reminder.objects.count() >= ORDERS // 3, deadline, "a third decided", log)
        kill_hard(worker)
        decided_at_kill = Reminder.objects.count()
        assert 0 < decided_at_kill < ORDERS, "the kill must land mid-batch"

        worker = start_worker(log)
        run_scheduled_job.delay("payment_reminders")  # beat's next run after the restart
        wait_for(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == ORDERS,
            deadline,
            "every reminder delivered",
            log,
        )
    finally:
        if worker.poll() is None:
            kill_hard(worker)

    rows = list(OutboxMessage.objects.values_list("pk", "key", "order_id"))
    assert sorted(order_id for _, _, order_id in rows) == sorted(o.pk for o in orders)
    assert Reminder.objects.count() == ORDERS
    deliveries = [d.decode() for d in broker.lrange(DELIVERIES_KEY, 0, -1)]
    ids_by_key: dict[str, set[str]] = {}
    for delivery in deliveries:
        message_id, key = delivery.split(":", 1)
        ids_by_key.setdefault(key, set()).add(message_id)
    assert set(ids_by_key) == {key for _, key, _ in rows}, "no message lost"
    assert all(len(ids) == 1 for ids in ids_by_key.values()), "no order messaged twice"
