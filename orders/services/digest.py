"""The problem digest (问题订单汇总): what a shop's team reads every few hours."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count

from ..models import ACTIVE_PROBLEM_STATES, Problem, ProblemCategory, ProblemDigest

DIGEST_ROW_LIMIT = 2000
"""Rows kept in one digest; the counts stay exact beyond it."""


def digest_slot(now: datetime, interval_hours: int) -> datetime:
    """The start of the slot ``now`` falls in: the local day cut into ``interval_hours``."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    interval = max(1, min(interval_hours, 24))
    return local.replace(hour=local.hour // interval * interval, minute=0, second=0, microsecond=0)


def _by_category(queryset) -> dict[str, int]:
    return dict(queryset.values_list("category").annotate(n=Count("pk")).order_by())


def problem_digest_build(*, shop, now: datetime) -> tuple[ProblemDigest, bool]:
    """Build the digest of ``shop`` for the slot ``now`` falls in, once: a second run in
    the same slot returns the first digest and created=False. ``changes`` counts, per
    category, the problems opened and closed since the previous digest."""
    slot = digest_slot(now, shop.digest_interval_hours)
    existing = ProblemDigest.objects.filter(shop=shop, slot_start=slot).first()
    if existing:
        return existing, False
    previous = (
        ProblemDigest.objects.filter(shop=shop, slot_start__lt=slot).order_by("-slot_start").first()
    )
    since = previous.created_at if previous else now - timedelta(hours=shop.digest_interval_hours)
    problems = Problem.objects.filter(shop=shop)
    active = problems.filter(state__in=ACTIVE_PROBLEM_STATES)
    counts = _by_category(active)
    opened = _by_category(problems.filter(opened_at__gt=since, opened_at__lte=now))
    closed = _by_category(problems.filter(closed_at__gt=since, closed_at__lte=now))
    before = previous.counts if previous else {}
    changes = {
        code: {
            "opened": opened.get(code, 0),
            "closed": closed.get(code, 0),
            "delta": counts.get(code, 0) - before.get(code, 0),
        }
        for code in ProblemCategory.values
        if opened.get(code) or closed.get(code) or counts.get(code) or before.get(code)
    }
    rows = [
        {
            "problem": p.pk,
            "order_id": p.order.order_id,
            "buyer": p.order.buyer_nick,
            "category": p.category,
            "state": p.state,
            "assignee": p.assignee.label if p.assignee else "",
            "opened_at": p.opened_at.isoformat(),
            "due_at": p.due_at.isoformat(),
            "overdue": p.due_at < now,
            "new": p.opened_at > since,
        }
        for p in active.select_related("order", "assignee").order_by("category", "due_at")[
            :DIGEST_ROW_LIMIT
        ]
    ]
    try:
        with transaction.atomic():
            digest = ProblemDigest.objects.create(
                shop=shop,
                slot_start=slot,
                created_at=now,
                since=since,
                counts=counts,
                rows=rows,
                changes=changes,
            )
    except IntegrityError:
        return ProblemDigest.objects.get(shop=shop, slot_start=slot), False
    return digest, True
