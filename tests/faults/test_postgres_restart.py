"""PostgreSQL restarts while an uploaded order report is being imported: the file ends up
all imported or not at all, never half-written.

The import runs the way production runs it: ``orders.tasks.import_run_task`` in a real
Celery worker (a child process, see import_worker.py), one transaction per attempt, retried
on OperationalError. The database is a throwaway cluster of the test's own (see
conftest.py): restarting the machine's shared PostgreSQL would kill every other session on
it. The restart lands once the import has started writing orders (a RowExclusiveLock on
the orders table), so it always hits mid-file.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from orders import tasks
from orders.models import ImportKind, ImportRun, ImportStatus
from tests.exports import CLASSIC_ALL, generated_order_rows, write_csv

from .conftest import wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2500
STARTUP_LIMIT = 120  # the worker's start-up and the first chunk, on a loaded machine
TIME_LIMIT = 120  # from the restart to the worker's exit
WRITING_ORDERS = (
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE c.relname = 'orders_order' AND l.mode = 'RowExclusiveLock'"
)


def generate_report(path: Path, rows: int) -> None:
    """The order report bench/import_orders.py generates (GB18030, 44 columns)."""
    write_csv(path, generated_order_rows(rows), header=CLASSIC_ALL)


def copy_schema(server) -> None:
    """The test database's schema (pytest-django migrated it) into the throwaway one."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    dump = subprocess.run(
        ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", url],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    server.psql("helpdesk", dump.stdout)


def test_restart_mid_import_leaves_the_file_all_imported_or_not_at_all(
    throwaway_postgres, tmp_path
):
    server = throwaway_postgres
    copy_schema(server)
    report = Path(server.directory) / "orders.csv"  # readable by the postgres user too
    generate_report(report, ROWS)
    env = {**os.environ, "DATABASE_URL": server.url, "DATABASE_CONN_MAX_AGE": "0"}
    child = [sys.executable, "-m", "tests.faults.import_worker"]
    setup = subprocess.run(
        [*child, "setup", str(report)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=STARTUP_LIMIT,
    )  # fmt: skip
    run_id = int(setup.stdout.split()[-1])

    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [*child, "work", str(run_id)],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(
            lambda: worker.poll() is None and server.psql("helpdesk", WRITING_ORDERS) != "0",
            STARTUP_LIMIT,
            "the import to start writing orders",
        )
        server.restart()
        worker.wait(timeout=TIME_LIMIT)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    output = log.read_text(errors="replace")
    assert "OperationalError" in output, "the restart must hit the import mid-file:\n" + output

    status, fatal = server.psql(
        "helpdesk",
        f"SELECT status, coalesce(report->>'fatal', '') FROM orders_importrun WHERE id = {run_id}",
    ).split("|")
    orders = int(server.psql("helpdesk", "SELECT count(*) FROM orders_order"))
    if status == "done":
        assert orders == ROWS, output[-3000:]
    else:
        assert (status, orders) == ("failed", 0), output[-3000:]
        assert fatal, "a failed run says why"


def test_a_database_that_stays_down_leaves_the_run_failed_with_a_message(shop, monkeypatch):
    """Every try fails (countdowns are skipped when run eagerly): after the last one the
    run says it failed, nothing written, instead of 'running' for ever."""
    run = ImportRun.objects.create(
        shop=shop,
        kind=ImportKind.ORDERS,
        file_name="orders.csv",
        stored_path="imports/orders.csv",
        status=ImportStatus.RUNNING,
        created_at=timezone.now(),
    )
    attempts = []

    def database_gone(**kwargs):
        attempts.append(kwargs["run_id"])
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "import_run_execute", database_gone)
    tasks.import_run_task.apply(args=[run.pk])
    run.refresh_from_db()
    assert len(attempts) == tasks.import_run_task.max_retries + 1
    assert run.status == ImportStatus.FAILED and "数据库连接中断" in run.report["fatal"]
