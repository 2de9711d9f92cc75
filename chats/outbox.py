"""The outbox: every message to a buyer is a row first, then a delivery.

``outbox_enqueue`` is called inside the transaction that decides to send; the unique key
makes a second decision a no-op. ``outbox_deliver`` hands a row to the sender for the
buyer's channel and is safe to call twice: a row already sent is left alone.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from .models import OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def outbox_enqueue(
    *,
    shop,
    kind: OutboxKind,
    key: str,
    buyer,
    text: str,
    now: datetime,
    order=None,
    conversation=None,
    card: dict | None = None,
    message=None,
) -> tuple[OutboxMessage, bool]:
    """Write the message once. Returns (row, created); a second call with the same key (or
    the same order and scheduled kind) returns the first row and created=False."""
    try:
        with transaction.atomic():
            row = OutboxMessage.objects.create(
                shop=shop,
                kind=kind,
                key=key,
                buyer=buyer,
                order=order,
                conversation=conversation,
                text=text,
                card=card,
                message=message,
                created_at=now,
                next_attempt_at=now,
            )
    except IntegrityError:
        existing = OutboxMessage.objects.filter(key=key).first()
        if existing is None and order is not None:
            existing = OutboxMessage.objects.get(order=order, kind=kind)
        return existing, False
    from .tasks import deliver_outbox_message

    deliver_outbox_message.delay_on_commit(row.pk)
    return row, True


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


class DeliveryError(Exception):
    pass


def outbox_deliver(*, message_id: int, now: datetime) -> OutboxMessage:
    """Deliver one row. Locks it so two workers never deliver the same row at once.

    A row that is not yet due (a duplicate task racing a backoff) is left for its time.
    Any error of the sender counts as a failed attempt: the row backs off and stays
    visible on the outbox page instead of being stuck behind a crashed task."""
    from .senders import sender_for

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxStatus.PENDING or message.next_attempt_at > now:
            return message
        message.attempts += 1
        try:
            sender_for(message).send(message)
        except Exception as error:
            if not isinstance(error, DeliveryError):
                logger.exception("outbox %s: the sender failed unexpectedly", message.pk)
            message.last_error = str(error)[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            message.next_attempt_at = now + retry_delay(message.attempts)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = now
            message.last_error = ""
        message.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"]
        )
    return message
