"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk.clock import now

RETRYING = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**RETRYING)
def auto_answer_buyer_message(message_id: int) -> None:
    from .autoanswer import auto_answer

    auto_answer(message_id=message_id, now=now())
