"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk import clock

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
}


@shared_task(**RETRYING)
def deliver_outbox_message(message_id: int) -> None:
    from .outbox import outbox_deliver

    outbox_deliver(message_id=message_id, now=clock.now())


@shared_task(**RETRYING)
def greet_if_unanswered(conversation_id: int) -> None:
    """Enqueued with the shop's greeting delay as countdown on the buyer's first message."""
    from .services import conversation_auto_greet

    conversation_auto_greet(conversation_id=conversation_id, now=clock.now())


@shared_task(**RETRYING)
def assign_conversation(conversation_id: int) -> None:
    from .services import conversation_assign_auto

    conversation_assign_auto(conversation_id=conversation_id, now=clock.now())


@shared_task(**RETRYING)
def assign_waiting_conversations(shop_id: int) -> None:
    from accounts.models import Shop

    from .services import assign_waiting

    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is not None:
        assign_waiting(shop=shop, now=clock.now())


@shared_task(**RETRYING)
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


@shared_task(**RETRYING)
def close_idle_conversations() -> dict:
    from helpdesk.jobs import run_job

    return run_job("close_idle_conversations", now=clock.now())


@shared_task(**RETRYING)
def send_stock_notices() -> dict:
    from helpdesk.jobs import run_job

    return run_job("stock_notices", now=clock.now())


@shared_task(**RETRYING)
def demo_buyers_write() -> dict:
    from helpdesk.jobs import run_job

    return run_job("demo_buyers", now=clock.now())


@shared_task(**RETRYING)
def outbox_retention() -> dict:
    """Beat, nightly: delete outbox rows past the kept period."""
    from helpdesk.jobs import run_job

    return run_job("outbox_retention", now=clock.now())
