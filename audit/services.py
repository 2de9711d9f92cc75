from datetime import datetime
from typing import Any

from django.db import models

from .models import AuditEvent

SHOP_TYPE = "accounts.shop"
"""A shop audited as the object is its own shop (the recorder sits below accounts)."""


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (str, int, float, bool, type(None), list, dict)):
        return value
    return str(value)


def audit(
    actor,
    verb: str,
    obj: models.Model,
    *,
    shop=None,
    changes: dict[str, list[Any]] | None = None,
    now: datetime,
) -> AuditEvent:
    """Record a change. ``changes`` maps field name to [before, after]. The shop defaults
    to ``obj.shop`` when the object has one. ``actor`` is None for the system (jobs).
    ``now`` is the moment the caller acted on: the audit trail never reads a clock of its own."""
    object_type = obj._meta.label_lower
    if shop is not None:
        shop_id = shop.pk
    elif object_type == SHOP_TYPE:
        shop_id = obj.pk
    else:
        shop_id = getattr(obj, "shop_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        shop_id=shop_id,
        verb=verb,
        object_type=object_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
        created_at=now,
    )


def audit_bulk(
    actor,
    verb: str,
    model: type[models.Model],
    entries: list[tuple[int | None, Any, str, dict[str, list[Any]]]],
    *,
    now: datetime,
) -> None:
    """Record one change to many objects of ``model`` in one insert; each entry is
    (shop id, object pk, object text, changes). For services that change hundreds of rows
    at once (an import), where ``audit`` per row would cost a query each."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            shop_id=shop_id,
            verb=verb,
            object_type=model._meta.label_lower,
            object_id=str(pk),
            object_repr=text[:200],
            changes={k: [_plain(v) for v in pair] for k, pair in changes.items()},
            created_at=now,
        )
        for shop_id, pk, text, changes in entries
    )


def changed_fields(before: models.Model | dict, after: models.Model, fields: list[str]) -> dict:
    """[before, after] for each of ``fields`` whose value differs."""
    old = before if isinstance(before, dict) else {f: getattr(before, f) for f in fields}
    return {f: [old[f], getattr(after, f)] for f in fields if old[f] != getattr(after, f)}
