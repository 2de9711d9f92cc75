"""Celery tasks: thin callers of the jobs, taking names and ids only.

All follow ``RETRY_TRANSIENT_ERRORS`` (helpdesk/task_policy.py): a task whose worker dies
is delivered again, by the Redis transport after its visibility timeout (settings: 30 minutes, longer
than any of these tasks runs and shorter than the longest a reminder may wait). Running
again is harmless because every decision is guarded by the database (see outreach.jobs),
and beat's next run picks up whatever a lost task left, sooner than the timeout would.
Transient database errors are retried with exponential backoff and jitter.
"""

from celery import shared_task

from accounts.models import Shop
from helpdesk import clock
from helpdesk.jobs import run_job
from helpdesk.task_policy import RETRY_TRANSIENT_ERRORS

PER_SHOP_JOBS = frozenset({"payment_reminders", "delivery_followups", "shipping_notices"})


@shared_task(name="outreach.run_scheduled_job", **RETRY_TRANSIENT_ERRORS)
def run_scheduled_job(job_name: str) -> None:
    """What beat runs: a shop job fans out one task per active shop, so one shop's large
    batch does not hold up the others; other jobs run once for all shops."""
    if job_name not in PER_SHOP_JOBS:
        run_job(job_name, shop=None, now=clock.now())
        return
    for shop_id in Shop.objects.filter(is_active=True).values_list("pk", flat=True):
        run_job_for_shop.delay(job_name, shop_id)


@shared_task(name="outreach.run_job_for_shop", **RETRY_TRANSIENT_ERRORS)
def run_job_for_shop(job_name: str, shop_id: int) -> None:
    shop = Shop.objects.filter(pk=shop_id, is_active=True).first()
    if shop is not None:
        run_job(job_name, shop=shop, now=clock.now())


@shared_task(name="outreach.redeliver_outbox_message", **RETRY_TRANSIENT_ERRORS)
def redeliver_outbox_message(message_id: int) -> None:
    from chats.outbox import outbox_deliver

    outbox_deliver(message_id=message_id, now=clock.now())
