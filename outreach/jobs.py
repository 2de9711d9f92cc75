"""The scheduled jobs of this app, run by beat (outreach.tasks) or ``manage.py run_job``.

Each returns ``{"sent": n, "skipped": {reason: n}, ...}``. Safe to run twice at once:
every per-order decision locks the order (skipping locked ones) and writes its outbox row
under the outbox's unique constraints, so a second run finds nothing left to send.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from accounts.models import Shop
from chats.models import OutboxMessage, OutboxStatus
from helpdesk.jobs import register_job

from . import followups, reminders, shipping, texts
from .texts import DELIVERY_FOLLOWUP, PAYMENT_REMINDER, RECEIPT_FOLLOWUP, REVIEW_THANKS

RETRY_BATCH_SIZE = 1000
FRESH_ROW_GRACE = timedelta(minutes=1)
FOLLOWUP_COUNTS = {
    "followup": "followups",
    "receipt_followup": "receipt_followups",
    "review_thanks": "review_thanks",
    "delay_problem": "delay_problems",
}


@dataclass
class JobReport:
    sent: int = 0
    skipped: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)

    def as_dict(self, *count_names: str) -> dict:
        return {
            "sent": self.sent,
            "skipped": dict(sorted(self.skipped.items())),
            **{name: self.counts[name] for name in count_names},
        }


def _shops(shop: Shop | None) -> list[Shop]:
    return [shop] if shop is not None else list(Shop.objects.filter(is_active=True))


@register_job("payment_reminders")
def payment_reminders(*, shop: Shop | None, now: datetime) -> dict:
    """催付: remind due unpaid orders (outreach.reminders) and settle earlier reminders'
    success. Extra counts: ``candidates`` scanned, ``succeeded`` newly marked successful."""
    report = JobReport()
    for each in _shops(shop):
        report.counts["succeeded"] += reminders.reminders_settle(shop=each, now=now)
        candidates = reminders.reminder_candidates(each, now)
        report.counts["candidates"] += len(candidates)
        if not candidates:
            continue
        if reminders.in_quiet_hours(each, now):
            report.skipped["quiet_hours"] += len(candidates)
            continue
        wording = texts.reminder_wording(each, now)
        if wording is None:
            reason = (
                "no_script" if texts.shop_script(each, PAYMENT_REMINDER) is None else "after_cutoff"
            )
            report.skipped[reason] += len(candidates)
            continue
        for candidate in candidates:
            outcome = reminders.skip_reason(candidate) or reminders.reminder_send(
                order_id=candidate.order_id, wording=wording, now=now
            )
            if outcome == "sent":
                report.sent += 1
            else:
                report.skipped[outcome] += 1
    return report.as_dict("candidates", "succeeded")


@register_job("delivery_followups")
def delivery_followups(*, shop: Shop | None, now: datetime) -> dict:
    """回访, 签收回访 and 好评感谢 for shipped orders, and logistics_delay problems for stuck
    parcels (outreach.followups). Extra counts: ``followups``, ``receipt_followups``,
    ``review_thanks``, ``delay_problems``."""
    report = JobReport()
    for each in _shops(shop):
        candidates = followups.followup_due_ids(each, now)
        if not candidates:
            continue
        plan = followups.FollowUpPlan(
            followup_script=texts.shop_script(each, DELIVERY_FOLLOWUP),
            thanks_script=texts.shop_script(each, REVIEW_THANKS),
            receipt_script=texts.shop_script(each, RECEIPT_FOLLOWUP),
            quiet=reminders.in_quiet_hours(each, now),
        )
        for order_id in candidates:
            for outcome in followups.followup_process(order_id=order_id, plan=plan, now=now):
                if outcome in FOLLOWUP_COUNTS:
                    report.counts[FOLLOWUP_COUNTS[outcome]] += 1
                    report.sent += outcome != "delay_problem"
                else:
                    report.skipped[outcome] += 1
    return report.as_dict("followups", "receipt_followups", "review_thanks", "delay_problems")


@register_job("shipping_notices")
def shipping_notices(*, shop: Shop | None, now: datetime) -> dict:
    """发货通知: one message per order that shipped in the last two days (outreach.shipping),
    outside the shop's quiet hours. Extra count: ``candidates``."""
    report = JobReport()
    for each in _shops(shop):
        candidates = shipping.shipping_notice_due_ids(each, now)
        report.counts["candidates"] += len(candidates)
        if not candidates:
            continue
        if reminders.in_quiet_hours(each, now):
            report.skipped["quiet_hours"] += len(candidates)
            continue
        for order_id in candidates:
            outcome = shipping.shipping_notice_send(order_id=order_id, now=now)
            if outcome == "sent":
                report.sent += 1
            else:
                report.skipped[outcome] += 1
    return report.as_dict("candidates")


def due_outbox_rows(*, shop: Shop | None, now: datetime):
    """Pending outbox rows whose next attempt is due. A row written less than a minute
    ago and never tried is left to the delivery task its enqueue already queued."""
    rows = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    rows = rows.filter(Q(attempts__gt=0) | Q(created_at__lte=now - FRESH_ROW_GRACE))
    if shop is not None:
        rows = rows.filter(shop=shop)
    return rows.order_by("next_attempt_at", "pk")


@register_job("outbox_retry")
def outbox_retry(*, shop: Shop | None, now: datetime) -> dict:
    """Queue one delivery task per due pending outbox row (chats.outbox.outbox_deliver is
    safe to call twice). Sends nothing itself: ``requeued`` counts the tasks queued."""
    from .tasks import redeliver_outbox_message

    ids = list(due_outbox_rows(shop=shop, now=now).values_list("pk", flat=True)[:RETRY_BATCH_SIZE])
    for message_id in ids:
        redeliver_outbox_message.delay(message_id)
    return {"sent": 0, "skipped": {}, "requeued": len(ids)}
