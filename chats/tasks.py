"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP, RETRY_TRANSIENT_ERRORS


@shared_task(**RETRY_TRANSIENT_ERRORS)
def deliver_outbox_message(message_id: int) -> None:
    from .outbox import outbox_deliver

    outbox_deliver(message_id=message_id, now=clock.now())


@shared_task(**RETRY_TRANSIENT_ERRORS)
def greet_if_unanswered(conversation_id: int) -> None:
    """Enqueued with the shop's greeting delay as countdown on the buyer's first message."""
    from .services import conversation_auto_greet

    conversation_auto_greet(conversation_id=conversation_id, now=clock.now())


@shared_task(**RETRY_TRANSIENT_ERRORS)
def assign_conversation(conversation_id: int) -> None:
    from .services import conversation_assign_auto

    conversation_assign_auto(conversation_id=conversation_id, now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def assign_waiting_conversations(shop_id: int) -> None:
    from accounts.models import Shop

    from .services import assign_waiting

    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is not None:
        assign_waiting(shop=shop, now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def chats_sweep() -> dict:
    """Beat, every few seconds: greeting safety net, unanswered alerts, waiting queue."""
    from helpdesk.jobs import run_job

    now = clock.now()
    return {
        name: run_job(name, now=now)
        for name in (
            "greet_unanswered_conversations",
            "alert_unanswered_conversations",
            "assign_waiting_conversations",
        )
    }


@shared_task(**IDEMPOTENT_SWEEP)
def close_idle_conversations() -> dict:
    from helpdesk.jobs import run_job

    return run_job("close_idle_conversations", now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def send_stock_notices() -> dict:
    from helpdesk.jobs import run_job

    return run_job("stock_notices", now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def demo_buyers_write() -> dict:
    from helpdesk.jobs import run_job

    return run_job("demo_buyers", now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def outbox_retention() -> dict:
    """Beat, nightly: delete outbox rows past the kept period."""
    from helpdesk.jobs import run_job

    return run_job("outbox_retention", now=clock.now())
