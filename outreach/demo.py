"""Demo: reminders sent (some paid within a day, so 催付成功), delivery follow-ups and
review thanks, a stuck parcel turned into a problem order, and one message that failed.

The jobs run as they would in production, at a daytime moment of the demo's "now"; the
demo has no worker, so the console sender's delivery is recorded directly on the rows."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from chats.models import OutboxMessage, OutboxStatus
from helpdesk.demo import DemoContext
from helpdesk.jobs import run_job
from orders.models import Order
from orders.states import OrderState

from .models import Reminder
from .schedules import ensure_schedules

FAILED_ERROR = "消息桥回调超时（HTTP 504），已重试 8 次"


def _daytime(now: datetime) -> datetime:
    """The latest 10:30 (Asia/Shanghai) at or before ``now``: outside quiet hours and before
    the courier cut-off."""
    local = timezone.localtime(now)
    moment = local.replace(hour=10, minute=30, second=0, microsecond=0)
    return moment if moment <= local else moment - timedelta(days=1)


def seed(ctx: DemoContext) -> None:
    ensure_schedules()
    moment = _daytime(ctx.now)
    run_job("payment_reminders", shop=None, now=moment)
    reminders = list(Reminder.objects.select_related("order").order_by("pk"))
    for reminder in reminders[::2]:
        order = reminder.order
        order.state = OrderState.PAID
        order.paid_at = reminder.sent_at + timedelta(hours=ctx.rng.randint(1, 20))
        order.paid_amount = order.total_amount
        order.save(update_fields=["state", "paid_at", "paid_amount", "updated_at"])
    run_job("payment_reminders", shop=None, now=moment + timedelta(hours=1))

    stuck = Order.objects.filter(state=OrderState.SHIPPED).order_by("pk").first()
    if stuck is not None:
        stuck.shipped_at = moment - timedelta(days=9)
        stuck.save(update_fields=["shipped_at", "updated_at"])
    run_job("delivery_followups", shop=None, now=moment)

    rows = list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING).order_by("pk"))
    for row in rows[1:]:
        row.status, row.attempts, row.sent_at = OutboxStatus.SENT, 1, row.created_at
    if rows:
        failed = rows[0]
        failed.status, failed.attempts, failed.last_error = (
            OutboxStatus.FAILED,
            8,
            FAILED_ERROR,
        )
        failed.next_attempt_at = datetime.combine(moment.date(), time(11, 0), tzinfo=moment.tzinfo)
    OutboxMessage.objects.bulk_update(
        rows, ["status", "attempts", "sent_at", "last_error", "next_attempt_at"]
    )
