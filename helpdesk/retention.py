"""Retention: delete rows older than a kept period, in batches, from a scheduled job.

The audit log and the outbox grow fastest (every change writes an event; every message
to a buyer writes a row). Each keeps ``settings.HELPDESK_*_KEEP_DAYS`` days; a nightly
job deletes what is older (audit.retention, chats.retention; docs/retention.md says why
retention and not monthly partitions).

A batch is the oldest ``batch_size`` rows by primary key that are past the cutoff, and is
deleted in its own short transaction, so the job never holds locks on many rows and a run
cut short (worker killed, deploy) has deleted whole batches only; running it again (or
twice at once: the rows are locked SKIP LOCKED) finishes the work. One run deletes at most
``max_batches`` batches and says whether it stopped there (``more``): the next run goes on.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet

BATCH_SIZE = 2000
MAX_BATCHES = 500


def cutoff(*, now: datetime, keep_days: int) -> datetime | None:
    """The moment before which rows go; None when ``keep_days`` is 0 (keep for ever)."""
    return now - timedelta(days=keep_days) if keep_days > 0 else None


def purge_in_batches(
    rows: QuerySet,
    *,
    batch_size: int | None = None,
    max_batches: int | None = None,
    before_delete: Callable[[QuerySet], None] | None = None,
) -> dict:
    """Delete ``rows`` (already filtered to what is past its time) batch by batch.

    ``before_delete`` gets each batch inside its transaction, before the delete (the
    audit log archives it there); if it raises, that batch stays. Returns
    ``{"deleted": n, "batches": n, "more": bool}``."""
    batch_size = batch_size or BATCH_SIZE
    max_batches = max_batches or MAX_BATCHES
    deleted = batches = 0
    while batches < max_batches:
        with transaction.atomic():
            ids = list(
                rows.order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return {"deleted": deleted, "batches": batches, "more": False}
            batch = rows.model.objects.filter(pk__in=ids)
            if before_delete is not None:
                before_delete(batch)
            batch.delete()
        deleted += len(ids)
        batches += 1
    return {"deleted": deleted, "batches": batches, "more": rows.exists()}
