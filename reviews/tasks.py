"""Celery tasks of the reviews app; each calls one job and is safe to run twice."""

from celery import shared_task

from helpdesk import clock


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def review_breaches() -> dict:
    """Beat, every 10 minutes."""
    from helpdesk.jobs import run_job

    return run_job("review_breaches", now=clock.now())
