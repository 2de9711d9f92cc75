"""Payment reminders (催付) and delivery follow-ups (回访).

Reminders come from outreach.selectors.reminder_stats: a reminder counts on the day it was
sent and succeeded when its order was paid afterwards; it is credited to the agent outreach
attributes it to (the assignee of the buyer's recent conversation), else to the shop only.
Follow-ups are the delivery follow-up messages the outbox actually sent that day."""

from datetime import datetime, timedelta

from django.db.models import Count

from chats.models import OutboxKind, OutboxMessage, OutboxStatus
from outreach.selectors import reminder_stats

from ..days import local_day
from .base import Collected

AVAILABLE = True
SHOP_FIELDS = ["reminders_sent", "reminders_paid", "followups_sent"]
AGENT_FIELDS = ["reminders_sent", "reminders_paid"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    first, last = local_day(start), local_day(end - timedelta(microseconds=1))
    result = Collected(shop={"reminders_sent": 0, "reminders_paid": 0})
    for row in reminder_stats(shop_ids=[shop.pk], start=first, end=last):
        targets = [result.shop]
        if row["agent_id"] is not None:
            targets.append(result.agent(row["agent_id"]))
        for counters in targets:
            counters["reminders_sent"] = counters.get("reminders_sent", 0) + row["sent"]
            counters["reminders_paid"] = counters.get("reminders_paid", 0) + row["succeeded"]
    result.shop["followups_sent"] = OutboxMessage.objects.filter(
        shop=shop,
        kind=OutboxKind.DELIVERY_FOLLOWUP,
        status=OutboxStatus.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
    ).aggregate(n=Count("id"))["n"]
    return result
