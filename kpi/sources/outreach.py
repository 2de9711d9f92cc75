"""Payment reminders (催付) and delivery follow-ups (回访) actually sent, from the outbox.

A reminder succeeded when its order was paid after the reminder went out. An agent is
credited with the reminders whose conversation is assigned to them (reminders sent by the
scheduled job without a conversation count only for the shop)."""

from datetime import datetime

from django.db.models import Count

from chats.models import OutboxKind, OutboxMessage, OutboxStatus

from .base import Collected

AVAILABLE = True
SHOP_FIELDS = ["reminders_sent", "reminders_paid", "followups_sent"]
AGENT_FIELDS = ["reminders_sent", "reminders_paid"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    sent = OutboxMessage.objects.filter(
        shop=shop, status=OutboxStatus.SENT, sent_at__gte=start, sent_at__lt=end
    )
    result = Collected(shop={"reminders_sent": 0, "reminders_paid": 0})
    for reminder in sent.filter(kind=OutboxKind.PAYMENT_REMINDER).values(
        "sent_at", "order__paid_at", "conversation__assignee_id"
    ):
        paid = int(
            reminder["order__paid_at"] is not None
            and reminder["order__paid_at"] >= reminder["sent_at"]
        )
        targets = [result.shop]
        if reminder["conversation__assignee_id"] is not None:
            agent = result.agent(reminder["conversation__assignee_id"])
            agent.setdefault("reminders_sent", 0)
            agent.setdefault("reminders_paid", 0)
            targets.append(agent)
        for counters in targets:
            counters["reminders_sent"] += 1
            counters["reminders_paid"] += paid
    result.shop["followups_sent"] = sent.filter(kind=OutboxKind.DELIVERY_FOLLOWUP).aggregate(
        n=Count("id")
    )["n"]
    return result
