"""Delivery follow-ups (回访), after-receipt follow-ups (签收回访), review thanks (好评感谢)
and stuck-parcel reports.

For a shipped order, ``outreach.regions.estimate_for`` gives the day it should have
arrived (``expected_at`` = shipped_at + the region's days):

- still not received at ``expected_at``: one follow-up (delivery_followup scripts) saying
  the parcel should arrive soon and what to do on arrival; it never says it arrived;
- still not received two days after ``expected_at``: one logistics_delay problem order,
  opened by the system; recorded on the FollowUp, so it is not reopened after an agent
  resolves it;
- received (finished, or a COD order signed for), by what the review export showed:
  a 好评 recorded (reviews.GoodReview): one review-thanks message; a neutral/negative
  review on file: nothing (the review specialist handles it, and thanks would be false);
  no review known: one after-receipt message (receipt_followup scripts) asking how the
  item is, thanking for nothing; a good review imported later still gets its thanks.
  An order received before its follow-up was due gets only the after-receipt steps.

Messages respect the shop's quiet hours and skip malicious and opted-out buyers; the delay
report does not, as it only concerns the shop. Orders shipped more than
``LOOKBACK`` ago are left alone, so the first run on old data does not message old buyers.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from audit.services import audit
from chats.models import OutboxKind
from chats.outbox import outbox_enqueue
from orders.models import Order, ProblemCategory
from orders.services import problem_open
from orders.states import RECEIVED_STATES, SHIPPED_STATES
from reviews.models import GoodReview, Review

from . import texts
from .locking import buyer_unreachable, order_locked
from .models import FollowUp
from .regions import estimate_for, estimate_for_destination, shortest_days

LOOKBACK = timedelta(days=30)
DELAY_GRACE = timedelta(days=2)
BATCH_SIZE = 500


@dataclass(frozen=True)
class FollowUpPlan:
    """What one run may do for the shop: its scripts (None = missing) and whether messages
    may leave now (quiet hours)."""

    followup_script: object | None
    thanks_script: object | None
    quiet: bool
    receipt_script: object | None = None


def _review_exists(model, shop):
    return Exists(model.objects.filter(shop=shop, platform_order_id=OuterRef("order_id")))


def review_known(order: Order) -> str | None:
    """ "bad" when the order has a neutral/negative review on file, "good" when only a 好评
    is recorded, None when no review is known."""
    if Review.objects.filter(shop=order.shop, platform_order_id=order.order_id).exists():
        return "bad"
    if GoodReview.objects.filter(shop=order.shop, platform_order_id=order.order_id).exists():
        return "good"
    return None


def followup_scan(shop, now: datetime) -> QuerySet[Order]:
    """Shipped or received orders of ``shop`` that may still need a step, oldest first.
    The per-region due time is checked per row in ``followup_process``; the scan only
    excludes what is certainly not due (shipped less than the shortest estimate ago) or
    certainly done."""
    shipped = [str(s) for s in SHIPPED_STATES]
    received = [str(s) for s in RECEIVED_STATES]
    done_while_shipped = Q(
        state__in=shipped,
        follow_up__followed_up_at__isnull=False,
        follow_up__delay_reported_at__isnull=False,
    )
    return (
        Order.objects.filter(
            shop=shop,
            state__in=shipped + received,
            shipped_at__gte=now - LOOKBACK,
            shipped_at__lte=now - timedelta(days=shortest_days(shop)),
        )
        .exclude(follow_up__thanked_at__isnull=False)
        .exclude(done_while_shipped)
        .order_by("shipped_at", "pk")
    )


def followup_due_ids(shop, now: datetime, limit: int | None = None) -> list[int]:
    """Ids of scanned orders with a step due at ``now``: received with something to say
    (the after-receipt question not yet asked, or a recorded 好评 not yet thanked, and no
    neutral/negative review), or past their estimate and not yet followed up, or past the
    delay grace. Estimated from the scan's
    columns, so parcels still on their way cost no lock and never crowd out due ones."""
    rows = (
        followup_scan(shop, now)
        .annotate(bad=_review_exists(Review, shop), good=_review_exists(GoodReview, shop))
        .values_list(
            "pk",
            "state",
            "province",
            "address",
            "shipped_at",
            "follow_up__followed_up_at",
            "follow_up__receipt_asked_at",
            "bad",
            "good",
        )
    )
    limit = limit or BATCH_SIZE
    due = []
    for (
        pk,
        state,
        province,
        address,
        shipped_at,
        followed_up_at,
        asked_at,
        bad,
        good,
    ) in rows.iterator():
        if state in RECEIVED_STATES:
            if bad or (asked_at and not good):
                continue  # nothing to say now: a neutral/negative review, or awaiting one
        else:
            estimate = estimate_for_destination(shop, province, address)
            expected_at = shipped_at + timedelta(days=estimate.days)
            if now < expected_at or (followed_up_at and now < expected_at + DELAY_GRACE):
                continue
        due.append(pk)
        if len(due) == limit:
            break
    return due


def _message(order: Order, kind: OutboxKind, script, now: datetime) -> bool:
    _, created = outbox_enqueue(
        shop=order.shop,
        kind=kind,
        key=f"{kind}:{order.pk}",
        buyer=order.buyer,
        text=texts.render(script, texts.order_context(order)),
        now=now,
        order=order,
    )
    return created


def _message_outcome(order: Order, kind: OutboxKind, script, plan: FollowUpPlan, now) -> str:
    """ "sent" or why not; the caller records the step only on "sent" or "already_sent"."""
    if script is None:
        return "no_script"
    blocked = buyer_unreachable(order)
    if blocked:
        return blocked
    if plan.quiet:
        return "quiet_hours"
    return "sent" if _message(order, kind, script, now) else "already_sent"


@transaction.atomic
def followup_process(*, order_id: int, plan: FollowUpPlan, now: datetime) -> list[str]:
    """Take every step now due for one order, under a lock on the order. Returns outcomes:
    "followup", "review_thanks", "delay_problem" (opened now; an agent's active problem
    of that category is linked instead), or skip reasons."""
    order = order_locked(order_id)
    if order is None:
        return ["busy"]
    estimate = estimate_for(order.shop, order)
    expected_at = order.shipped_at + timedelta(days=estimate.days)
    record, _ = FollowUp.objects.get_or_create(
        order=order,
        defaults={"shop": order.shop, "region": estimate.region, "expected_at": expected_at},
    )
    outcomes = []
    if order.state in RECEIVED_STATES:
        outcomes.extend(_after_receipt(order, record, plan, now))
    elif now >= record.expected_at:
        if record.followed_up_at is None:
            outcome = _message_outcome(
                order, OutboxKind.DELIVERY_FOLLOWUP, plan.followup_script, plan, now
            )
            if outcome in ("sent", "already_sent"):
                record.followed_up_at = now
            outcomes.append("followup" if outcome == "sent" else outcome)
        if record.delay_reported_at is None and now >= record.expected_at + DELAY_GRACE:
            problem, created = problem_open(
                actor=None,
                order=order,
                category=ProblemCategory.LOGISTICS_DELAY,
                now=now,
                detail={"expected_at": record.expected_at.isoformat(), "region": record.region},
            )
            record.delay_reported_at = now
            record.delay_problem = problem
            if created:
                outcomes.append("delay_problem")
    record.save()
    if {"followup", "receipt_followup", "review_thanks"} & set(outcomes):
        audit(None, "followup.sent", order, changes={"steps": [None, outcomes]}, now=now)
    return outcomes


def _after_receipt(order: Order, record: FollowUp, plan: FollowUpPlan, now) -> list[str]:
    """Thanks only for a good review that exists; ask for the buyer's opinion when no review
    is known; say nothing to a buyer whose review of this order is neutral or negative."""
    review = review_known(order)
    if review == "bad":
        return ["negative_review"]
    if review == "good":
        if record.thanked_at is not None:
            return []
        outcome = _message_outcome(order, OutboxKind.REVIEW_THANKS, plan.thanks_script, plan, now)
        if outcome in ("sent", "already_sent"):
            record.thanked_at = now
        return ["review_thanks" if outcome == "sent" else outcome]
    if record.receipt_asked_at is not None:
        return []
    outcome = _message_outcome(order, OutboxKind.RECEIPT_FOLLOWUP, plan.receipt_script, plan, now)
    if outcome in ("sent", "already_sent"):
        record.receipt_asked_at = now
    return ["receipt_followup" if outcome == "sent" else outcome]
