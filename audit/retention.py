"""How long the audit log keeps its events, and where the older ones go.

``settings.HELPDESK_AUDIT_KEEP_DAYS`` (default 400; 0 keeps every event) says how long an
event stays in the database. Older events are first written to a compressed archive
file under ``settings.HELPDESK_AUDIT_ARCHIVE_DIR`` (empty: no archive), then deleted, a
batch at a time: the audit trail is the evidence of who changed what, and a shop may have
to show it for longer than the page needs it.

An archive file is one batch, gzip-compressed JSON Lines, one event per line, named by
the ids it holds (``2025-10/audit-1200001-1202000.jsonl.gz``, the month, in UTC, of its
first event). It is complete on disk (written, synced, renamed into place) before the batch's
delete commits; a run cut short in between leaves a file whose events are still in the
database, and the next run archives them again: files may overlap, ids never differ.
"""

import gzip
import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from helpdesk.retention import cutoff, purge_in_batches

from .models import AuditEvent

FIELDS = (
    "id",
    "created_at",
    "shop_id",
    "actor_id",
    "actor__username",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
)


def audit_purge(*, now: datetime, keep_days: int | None = None) -> dict:
    """Archive (when configured) and delete the events older than the kept period."""
    keep_days = settings.HELPDESK_AUDIT_KEEP_DAYS if keep_days is None else keep_days
    before = cutoff(now=now, keep_days=keep_days)
    if before is None:
        return {"deleted": 0, "batches": 0, "more": False, "keep_days": 0}
    folder = settings.HELPDESK_AUDIT_ARCHIVE_DIR
    result = purge_in_batches(
        AuditEvent.objects.filter(created_at__lt=before),
        before_delete=(lambda batch: archive(batch, Path(folder))) if folder else None,
    )
    return {**result, "keep_days": keep_days, "before": before.isoformat()}


def archive(events: QuerySet, folder: Path) -> Path:
    """Write the events to one archive file; return its path."""
    rows = list(events.order_by("pk").values(*FIELDS))
    first, last = rows[0], rows[-1]
    target = folder / f"{first['created_at']:%Y-%m}" / f"audit-{first['id']}-{last['id']}.jsonl.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            for row in rows:
                row["actor"] = row.pop("actor__username")
                row["created_at"] = row["created_at"].isoformat()
                handle.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(partial, target)
    return target
