from celery import shared_task
from django.db import OperationalError

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP, RETRIES_ITSELF

from .importing.runs import import_run_execute, import_run_interrupted


@shared_task(bind=True, **RETRIES_ITSELF)
def import_run_task(self, run_id: int) -> None:
    """Import an uploaded export; safe to deliver twice (see importing/runs.py).

    The database going away mid-file (a restart) rolls the attempt back; the task tries
    again after 2, 4, 8, 16 and 32 s. When the last try fails too, the run is marked
    failed with a message, so the page stops waiting for an import that will not come."""
    try:
        import_run_execute(run_id=run_id, now=clock.now())
    except OperationalError as error:
        if self.request.retries >= self.max_retries:
            import_run_interrupted(run_id=run_id, now=clock.now())
            return
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


@shared_task(**IDEMPOTENT_SWEEP)
def import_runs_resume() -> dict:
    """Beat, every minute: uploads whose task was lost get it again."""
    from helpdesk.jobs import run_job

    return run_job("import_runs_resume", now=clock.now())
