"""Celery entry point of the audit log's retention job (beat fires it nightly)."""

from celery import shared_task

from helpdesk import clock

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(**RETRYING)
def audit_retention() -> dict:
    from helpdesk.jobs import run_job

    return run_job("audit_retention", shop=None, now=clock.now())
