"""How long the outbox keeps the messages it has dealt with.

``settings.HELPDESK_OUTBOX_KEEP_DAYS`` (default 400; 0 keeps every row): a message that
was sent, or failed for good, is deleted that many days after it was written. A pending
message is never deleted, however old: it is work still to do.

Deleting a sent row cannot make a message go out twice. The outbox's unique key is the
last guard; the first is the business record each sender writes with its row and that
is kept: the Reminder of a payment reminder (its ``outbox`` link becomes empty), the
FollowUp's timestamps for shipping notices, follow-ups and thanks, the notified wish for
a stock notice, and a reply's own chat message. No job picks an order again after a
year. The text of a reply stays in its conversation.
"""

from datetime import datetime

from django.conf import settings

from helpdesk.retention import cutoff, purge_in_batches

from .models import OutboxMessage, OutboxStatus


def outbox_purge(*, now: datetime, keep_days: int | None = None) -> dict:
    keep_days = settings.HELPDESK_OUTBOX_KEEP_DAYS if keep_days is None else keep_days
    before = cutoff(now=now, keep_days=keep_days)
    if before is None:
        return {"deleted": 0, "batches": 0, "more": False, "keep_days": 0}
    done = OutboxMessage.objects.filter(created_at__lt=before).exclude(status=OutboxStatus.PENDING)
    return {**purge_in_batches(done), "keep_days": keep_days, "before": before.isoformat()}
