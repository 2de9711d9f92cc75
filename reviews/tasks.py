"""Celery tasks of the reviews app; each calls one job and is safe to run twice."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP


@shared_task(**IDEMPOTENT_SWEEP)
def review_breaches() -> dict:
    """Beat, every 10 minutes."""
    from helpdesk.jobs import run_job

    return run_job("review_breaches", now=clock.now())
