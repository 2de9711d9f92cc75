"""Review deadlines: a neutral or negative review is contacted within the shop's
``review_due_hours`` (default 24 h) of arriving in the helpdesk (DOMAIN.md: "handled fast by
the review specialist"). The clock starts when the review is imported, not when the buyer
wrote it, so a register of old reviews imported at once does not arrive already breached.

The due time is met by the first step out of 新评价 (contacting the buyer, or any other
step the specialist takes). A review past its due time still in 新评价 is a breach: the
``review_breaches`` job records it once per (review, due time), alerts the assignee (or
the shop's specialists when nobody holds it) and lists it in the supervisors' inbox until
the review is contacted."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Shop
from accounts.permissions import restrict
from accounts.roles import Role
from approvals.services import notify
from audit.services import audit

from .models import Review, ReviewBreach, ReviewState

INBOX_LIMIT = 50


def review_due_at(shop: Shop, start: datetime) -> datetime:
    return start + timedelta(hours=shop.review_due_hours)


def seconds_left(review: Review, *, now: datetime) -> float | None:
    if review.due_at is None or review.state != ReviewState.NEW:
        return None
    return (review.due_at - now).total_seconds()


def due_badge(review: Review, *, now: datetime) -> tuple[str, str]:
    """The ageing badge: time left (green, yellow in the last 4 hours) or overdue (red);
    nothing once the review has been contacted."""
    seconds = seconds_left(review, now=now)
    if seconds is None:
        return "", ""
    minutes = int(abs(seconds) // 60)
    text = _("%(h)s小时%(m)s分") % {"h": minutes // 60, "m": minutes % 60}
    if seconds < 0:
        return _("超时 %(t)s") % {"t": text}, "red"
    return _("剩 %(t)s") % {"t": text}, "yellow" if seconds < 4 * 3600 else "green"


def review_breaches_record(*, shop: Shop | None, now: datetime) -> dict:
    already = ReviewBreach.objects.filter(review=OuterRef("pk"), due_at=OuterRef("due_at"))
    overdue = (
        Review.objects.filter(due_at__lt=now, state=ReviewState.NEW)
        .exclude(Exists(already))
        .select_related("shop", "buyer")
        .order_by("due_at")
    )
    if shop is not None:
        overdue = overdue.filter(shop=shop)
    escalated = skipped = 0
    for review in overdue[:500]:
        try:
            with transaction.atomic():
                _escalate(review, now)
        except IntegrityError:
            skipped += 1
        else:
            escalated += 1
    return {"escalated": escalated, "skipped": skipped}


def _escalate(review: Review, now: datetime) -> None:
    ReviewBreach.objects.create(
        shop=review.shop,
        review=review,
        due_at=review.due_at,
        detected_at=now,
        assignee_id=review.assignee_id,
    )
    if review.assignee_id:
        recipients = [review.assignee]
    else:
        recipients = [
            m.user
            for m in Membership.objects.filter(
                shop=review.shop, role=Role.REVIEW_SPECIALIST, user__is_active=True
            ).select_related("user")
        ]
    for user in recipients:
        notify(
            user=user,
            shop=review.shop,
            text=f"{review.get_rating_display()} {review.platform_order_id} 已超过处理时限，已提交主管",
            link=reverse("reviews:detail", args=[review.pk]),
            now=now,
        )
    audit(
        None,
        "review.due_breached",
        review,
        changes={"due_at": [review.due_at.isoformat(), None]},
        now=now,
    )


def inbox_review_breaches(user) -> list[ReviewBreach]:
    """The inbox section: breaches of the shops the user supervises whose review is still
    waiting for its first contact."""
    return list(
        restrict(ReviewBreach.objects.all(), user, "approvals.decide")
        .filter(review__state=ReviewState.NEW)
        .select_related("shop", "review", "review__buyer", "assignee")
        .order_by("due_at")[:INBOX_LIMIT]
    )
