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
