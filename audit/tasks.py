"""Celery entry point of the audit log's retention job (beat fires it nightly)."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP


@shared_task(**IDEMPOTENT_SWEEP)
def audit_retention() -> dict:
    from helpdesk.jobs import run_job

    return run_job("audit_retention", shop=None, now=clock.now())
