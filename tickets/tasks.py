from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP


@shared_task(**IDEMPOTENT_SWEEP)
def sla_breaches() -> dict:
    """Beat runs this every 10 minutes (settings CELERY_BEAT_SCHEDULE); safe to run twice."""
    from helpdesk.jobs import run_job

    return run_job("sla_breaches", shop=None, now=clock.now())
