"""A real Celery worker, killed with SIGKILL mid-batch and restarted: no order gets a
second message and none is lost. Runs against the real Redis (REDIS_URL) and the real
PostgreSQL test database (pytest-django's test_<name>, passed to the worker as
DATABASE_URL).

The scenario (jobs queued twice, kill, restart, every reminder delivered) is bounded by
TIME_LIMIT seconds. Each worker's start-up (imports, Django set-up) is bounded apart, by
STARTUP_LIMIT: on a loaded CI machine start-up alone can take half a minute, and it is not
what the test is about."""

import os
import signal
import subprocess
import sys
import time
from datetime import time as time_of_day
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
STARTUP_LIMIT = 120
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, deadline: float, what: str, log: Path) -> None:
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")
        time.sleep(0.1)


def start_worker(log: Path) -> subprocess.Popen:
    """Start a worker (prefork, 3 processes, in its own process group) and wait until it
    consumes."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "FAULT_SEND_SECONDS": "0.2",
        "FAULT_DECIDE_SECONDS": "0.1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.outreach.fault_worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + STARTUP_LIMIT
    wait_for(lambda: " ready." in log.read_text(errors="replace"), deadline, "start-up", log)
    return worker


def kill_hard(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once: nothing gets to clean up."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.REDIS_URL)
    app.control.purge()
    client.delete(DELIVERIES_KEY, "unacked", "unacked_index")
    yield client
    app.control.purge()
    client.delete(DELIVERIES_KEY, "unacked", "unacked_index")


def test_worker_killed_mid_batch_sends_every_reminder_exactly_once(shop, broker, tmp_path):
    now = timezone.now()
    # The worker runs the job at the real time: no quiet hours and no courier cut-off, so
    # the scenario does not depend on the hour CI runs it (it failed after 22:00 Shanghai).
    shop.quiet_hours_start = shop.quiet_hours_end = time_of_day(0, 0)
    shop.courier_cutoff = time_of_day(23, 59, 59)
    shop.save(update_fields=["quiet_hours_start", "quiet_hours_end", "courier_cutoff"])
    install_scripts(shop, ["payment_reminder"])
    orders = [unpaid_order(shop, ordered_at=now - timedelta(hours=2)) for _ in range(ORDERS)]
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    worker = start_worker(first_log)
    try:
        started = time.monotonic()
        # Beat fires twice: two tasks run the same shop's batch in parallel.
        run_scheduled_job.delay("payment_reminders")
        run_scheduled_job.delay("payment_reminders")
        wait_for(
            lambda: Reminder.objects.count() >= ORDERS // 3,
            started + TIME_LIMIT,
            "a third decided",
            first_log,
        )
        kill_hard(worker)
        decided_at_kill = Reminder.objects.count()
        assert 0 < decided_at_kill < ORDERS, "the kill must land mid-batch"
        first_phase = time.monotonic() - started

        worker = start_worker(second_log)
        restarted = time.monotonic()
        run_scheduled_job.delay("payment_reminders")  # beat's next run after the restart
        wait_for(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == ORDERS,
            restarted + TIME_LIMIT - first_phase,
            "every reminder delivered",
            second_log,
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
