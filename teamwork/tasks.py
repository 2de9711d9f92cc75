"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP, RETRY_TRANSIENT_ERRORS


@shared_task(**RETRY_TRANSIENT_ERRORS)
def deliver_webhook(delivery_id: int) -> None:
    """Queued on commit of the change; a delivery already sent or not due is left alone."""
    from .delivery import webhook_deliver

    webhook_deliver(delivery_id=delivery_id, now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def webhook_deliveries_sweep() -> dict:
    """Beat, every minute: retries that are due, and deliveries whose task was lost."""
    from helpdesk.jobs import run_job

    return run_job("webhook_deliveries", now=clock.now())
