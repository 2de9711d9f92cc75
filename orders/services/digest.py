"""The problem digest (问题订单汇总): what a shop's team reads every few hours."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from approvals.services import notify
from audit.services import audit

from ..models import ACTIVE_PROBLEM_STATES, Problem, ProblemCategory, ProblemDigest

logger = logging.getLogger(__name__)
DIGEST_ROLES = (Role.IN_SALE, Role.MANAGER)
"""Who receives the digest: the in-sale agents who work the problems and the managers
who read the shop's day (DOMAIN.md: "reported to the shop every 2–3 hours")."""

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


def problem_digest_send(*, digest: ProblemDigest, now: datetime) -> dict:
    """Send a built digest once: a notification linking to its XLSX for every active
    in-sale agent and manager of the shop, and an e-mail with the XLSX attached when the
    shop set ``digest_email``. The conditional update on ``sent_at`` makes a second call
    (two beats, a retried job) send nothing."""
    from ..digest_export import digest_workbook

    with transaction.atomic():
        claimed = ProblemDigest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(
            sent_at=now
        )
        if not claimed:
            return {"notified": 0, "emailed": 0}
        shop = digest.shop
        total = sum(digest.counts.values())
        text = f"问题订单汇总 {digest.slot_start.astimezone(_local_zone()):%m-%d %H:%M}：{total} 个待处理"
        link = reverse("orders:digest_xlsx", args=[digest.pk])
        members = Membership.objects.filter(
            shop=shop, role__in=DIGEST_ROLES, user__is_active=True
        ).select_related("user")
        notified = 0
        for membership in members:
            notify(user=membership.user, shop=shop, text=text, link=link, now=now)
            notified += 1
        audit(None, "problem_digest.sent", digest, changes={"notified": [0, notified]}, now=now)
    emailed = 0
    if shop.digest_email:
        name = f"problem-digest-{shop.code}-{digest.slot_start:%Y%m%d-%H%M}.xlsx"
        message = EmailMessage(
            subject=f"[{shop.name}] {text}",
            body=f"{text}\n\n附件为本时段的问题订单汇总表。",
            to=[shop.digest_email],
        )
        message.attach(
            name,
            digest_workbook(digest),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        try:
            emailed = message.send()
        except OSError:
            logger.exception("problem digest %s: e-mail to the shop failed", digest.pk)
    return {"notified": notified, "emailed": emailed}


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
