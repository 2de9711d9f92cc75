from celery import shared_task

from helpdesk import clock


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def sla_breaches() -> dict:
    """Beat runs this every 10 minutes (settings CELERY_BEAT_SCHEDULE); safe to run twice."""
    from helpdesk.jobs import run_job

    return run_job("sla_breaches", shop=None, now=clock.now())
