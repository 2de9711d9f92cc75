"""Payment reminders (催付): one polite reminder per unpaid order, at a decent hour.

Eligibility, in the order the job applies it:

- the order waits for payment and is at least ``shop.remind_after_minutes`` old;
- the platform has not closed it yet (younger than ``shop.auto_close_hours``);
- it was never reminded (a Reminder row, written with its outbox row in one transaction;
  the outbox's unique (order, kind) makes a concurrent second decision a no-op);
- ``now`` is outside the shop's quiet hours (an order placed at 23:00 is reminded when the
  quiet hours end at 09:00, as it is then old enough and still open);
- the buyer is known, not marked malicious and has not opted out;
- it is not a duplicate: the same buyer has not paid, since this order was placed, another
  order of the shop with the same 宝贝标题 (the order report's item title, present on
  every imported order even when the item report was not imported).

Success (催付成功): the order is paid within 24 hours after the reminder. ``reminders_settle``
marks it on every run of the job, so a payment imported late still counts.
"""

from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from audit.services import audit
from chats.models import Conversation, OutboxKind
from chats.outbox import outbox_enqueue
from orders.models import Order
from orders.states import OrderState
from teamwork.events import reminder_event

from .locking import order_locked
from .models import Reminder
from .texts import ReminderWording, reminder_text

SUCCESS_WINDOW = timedelta(hours=24)
SETTLE_LOOKBACK = timedelta(days=30)
BATCH_SIZE = 500


def in_quiet_hours(shop, now: datetime) -> bool:
    """Whether ``now`` (read in Asia/Shanghai) falls in the shop's quiet hours; a window
    whose start is after its end (22:00–09:00) spans midnight."""
    moment = timezone.localtime(now).time()
    return quiet_window_contains(shop.quiet_hours_start, shop.quiet_hours_end, moment)


def quiet_window_contains(start: time, end: time, moment: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


class Candidate(NamedTuple):
    """What the scan needs to know of an order; the send re-reads it under a lock."""

    order_id: int
    buyer_id: int | None
    is_malicious: bool | None
    opted_out: bool | None
    is_duplicate: bool


CANDIDATE_FIELDS = ("pk", "buyer_id", "buyer__is_malicious", "buyer__opted_out", "is_duplicate")


def reminder_scan(shop, now: datetime) -> QuerySet[Order]:
    """Orders of ``shop`` that the time rules allow reminding at ``now`` and that were never
    reminded, oldest first, annotated with ``is_duplicate``. Buyer checks follow in
    ``skip_reason``. Served by the index orders_order(shop, state, ordered_at)."""
    paid_twin = Order.objects.filter(
        shop_id=OuterRef("shop_id"),
        buyer_id=OuterRef("buyer_id"),
        item_title=OuterRef("item_title"),
        paid_at__gte=OuterRef("ordered_at"),
    ).exclude(pk=OuterRef("pk"))
    return (
        Order.objects.filter(
            shop=shop,
            state=OrderState.WAITING_PAYMENT,
            ordered_at__lte=now - timedelta(minutes=shop.remind_after_minutes),
            ordered_at__gt=now - timedelta(hours=shop.auto_close_hours),
        )
        .filter(~Exists(Reminder.objects.filter(order_id=OuterRef("pk"))))
        .annotate(is_duplicate=Exists(paid_twin))
        .order_by("ordered_at", "pk")
    )


def reminder_candidates(shop, now: datetime, limit: int = BATCH_SIZE) -> list[Candidate]:
    """The next batch of the scan, as the few columns the eligibility checks read."""
    rows = reminder_scan(shop, now).values_list(*CANDIDATE_FIELDS)
    return [Candidate(*row) for row in rows[:limit]]


def skip_reason(candidate: Candidate) -> str | None:
    """Why this scanned order gets no reminder, or None."""
    if candidate.buyer_id is None:
        return "no_buyer"
    if candidate.is_malicious:
        return "malicious"
    if candidate.opted_out:
        return "opted_out"
    if candidate.is_duplicate:
        return "duplicate"
    return None


def attributed_agent(order: Order):
    """The agent a reminder is credited to for KPIs.

    A reminder is sent by the system, but it finishes the sale an agent started: it is
    credited to the assignee of the buyer's latest conversation with the shop that was
    active within ``shop.conversion_window_hours`` before the order (or since). None when
    no agent talked to the buyer; such reminders count for the shop only."""
    since = order.ordered_at - timedelta(hours=order.shop.conversion_window_hours)
    conversation = (
        Conversation.objects.filter(
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            assignee__isnull=False,
            last_message_at__gte=since,
        )
        .select_related("assignee")
        .order_by("-last_message_at")
        .first()
    )
    return conversation.assignee if conversation else None


@transaction.atomic
def reminder_send(*, order_id: int, wording: ReminderWording, now: datetime) -> str:
    """Decide and write one reminder: lock the order, re-check it, enqueue the outbox row
    and the Reminder in this transaction. Returns "sent" or the reason nothing was sent."""
    order = order_locked(order_id)
    if order is None:
        return "busy"
    if order.state != OrderState.WAITING_PAYMENT:
        return "state_changed"
    if Reminder.objects.filter(order=order).exists():
        return "already_sent"
    agent = attributed_agent(order)
    message, created = outbox_enqueue(
        shop=order.shop,
        kind=OutboxKind.PAYMENT_REMINDER,
        key=f"{OutboxKind.PAYMENT_REMINDER}:{order.pk}",
        buyer=order.buyer,
        text=reminder_text(wording, order, agent=agent),
        now=now,
        order=order,
    )
    if not created:
        return "already_sent"
    Reminder.objects.create(shop=order.shop, order=order, outbox=message, agent=agent, sent_at=now)
    audit(None, "reminder.sent", order, changes={"outbox": [None, message.pk]}, now=now)
    reminder_event(order, outbox_id=message.pk, now=now)
    return "sent"


def reminders_settle(*, shop, now: datetime) -> int:
    """Mark 催付成功 on the shop's reminders whose order was paid within 24 h after them.
    One UPDATE; returns how many were newly marked."""
    order_paid_at = Order.objects.filter(pk=OuterRef("order_id")).values("paid_at")[:1]
    return Reminder.objects.filter(
        shop=shop,
        succeeded=False,
        sent_at__gte=now - SETTLE_LOOKBACK,
        order__paid_at__gte=F("sent_at"),
        order__paid_at__lte=F("sent_at") + SUCCESS_WINDOW,
    ).update(succeeded=True, paid_at=Subquery(order_paid_at))
