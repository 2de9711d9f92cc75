from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .importing.runs import import_run_execute


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def import_run_task(run_id: int) -> None:
    """Import an uploaded export; safe to deliver twice (see importing/runs.py)."""
    import_run_execute(run_id=run_id, now=timezone.now())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def import_runs_resume() -> dict:
    """Beat, every minute: uploads whose task was lost get it again."""
    from helpdesk.jobs import run_job

    return run_job("import_runs_resume", now=timezone.now())
