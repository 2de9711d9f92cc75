"""The child process of the PostgreSQL-restart test: a real Celery worker (solo pool, an
in-memory broker, so it shares nothing with the machine's Redis) that works one
ImportRun through ``orders.tasks.import_run_task`` with the task's own retry settings,
then shuts itself down.

    python -m tests.faults.import_worker setup FILE   # creates the shop and the run, prints its id
    python -m tests.faults.import_worker work RUN_ID  # queues the task, works it, exits

DATABASE_URL points it at the test's throwaway cluster.
"""

import os
import signal
import sys

os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

from celery import states  # noqa: E402
from celery.signals import task_postrun  # noqa: E402
from django.utils import timezone  # noqa: E402

from helpdesk.celery import app  # noqa: E402
from orders.models import ImportKind, ImportRun  # noqa: E402
from orders.tasks import import_run_task  # noqa: E402
from tests.factories import make_shop, make_team  # noqa: E402

SHOP_NAME = "压测店铺"


def setup(path: str) -> None:
    shop = make_shop(make_team(), code="fault-shop", name=SHOP_NAME)
    run = ImportRun.objects.create(
        shop=shop,
        kind=ImportKind.ORDERS,
        file_name="orders.csv",
        stored_path=path,  # absolute: MEDIA_ROOT / path is path itself
        created_at=timezone.now(),
        report={"requested_kind": None},
    )
    print(run.pk)


def work(run_id: int) -> None:
    @task_postrun.connect(weak=False)
    def stop_when_settled(state=None, **kwargs):
        # A retry ends this delivery but not the task; anything else is the last word.
        if state != states.RETRY:
            os.kill(os.getpid(), signal.SIGTERM)

    import_run_task.delay(run_id)
    app.Worker(
        pool="solo",
        concurrency=1,
        without_heartbeat=True,
        without_gossip=True,
        without_mingle=True,
        loglevel="INFO",
    ).start()


if __name__ == "__main__":
    command, argument = sys.argv[1:3]
    if command == "setup":
        setup(argument)
    else:
        work(int(argument))
