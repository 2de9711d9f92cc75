from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_outbox_message(message_id: int) -> None:
    from .outbox import outbox_deliver

    outbox_deliver(message_id=message_id, now=timezone.now())
