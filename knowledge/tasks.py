"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk.clock import now
from helpdesk.task_policy import RETRY_TRANSIENT_ERRORS


@shared_task(**RETRY_TRANSIENT_ERRORS)
def auto_answer_buyer_message(message_id: int) -> None:
    from .autoanswer import auto_answer

    auto_answer(message_id=message_id, now=now())
