"""Payment reminders (催付) and delivery follow-ups (回访).

A reminder counts on the (Asia/Shanghai) day it was sent and is credited to the agent
outreach attributed it to (the assignee of the buyer's recent conversation), else to the
shop only. Its success is read from its order's payment time here, not from the flag the
reminder job settles: paid at or after the reminder and at most 24 hours later
(outreach.reminders.SUCCESS_WINDOW). So a payment imported late, or while the reminder job
is paused, counts on the next rollup. Follow-ups are the delivery follow-up messages the
outbox actually sent that day."""

from datetime import datetime

from django.db.models import Count, F, Q

from chats.models import OutboxKind, OutboxMessage, OutboxStatus
from outreach.models import Reminder
from outreach.reminders import SUCCESS_WINDOW

from .base import Collected

AVAILABLE = True
SHOP_FIELDS = ["reminders_sent", "reminders_paid", "followups_sent"]
AGENT_FIELDS = ["reminders_sent", "reminders_paid"]
PAID_IN_TIME = Q(
    order__paid_at__isnull=False,
    order__paid_at__gte=F("sent_at"),
    order__paid_at__lte=F("sent_at") + SUCCESS_WINDOW,
)


def collect(shop, start: datetime, end: datetime) -> Collected:
    result = Collected(shop={"reminders_sent": 0, "reminders_paid": 0})
    rows = (
        Reminder.objects.filter(shop=shop, sent_at__gte=start, sent_at__lt=end)
        .values("agent_id")
        .annotate(sent=Count("pk"), paid=Count("pk", filter=PAID_IN_TIME))
        .order_by()
    )
    for row in rows:
        targets = [result.shop]
        if row["agent_id"] is not None:
            targets.append(result.agent(row["agent_id"]))
        for counters in targets:
            counters["reminders_sent"] = counters.get("reminders_sent", 0) + row["sent"]
            counters["reminders_paid"] = counters.get("reminders_paid", 0) + row["paid"]
    result.shop["followups_sent"] = OutboxMessage.objects.filter(
        shop=shop,
        kind=OutboxKind.DELIVERY_FOLLOWUP,
        status=OutboxStatus.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
    ).aggregate(n=Count("id"))["n"]
    return result
