"""Conversations, messages and outbox rows with their figures set by hand, so each KPI test
knows its answer."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from chats.models import Channel, ChannelKind, Conversation, Message, OutboxMessage, Queue
from kpi.days import local_day
from kpi.models import AgentDay, ShopDay
from tests.factories import make_buyer


def make_channel(shop) -> Channel:
    return Channel.objects.get_or_create(
        shop=shop, name="网页聊天", defaults={"kind": ChannelKind.WEBCHAT}
    )[0]


def make_conversation(shop, *, created_at: datetime, buyer=None, assignee=None, **fields):
    fields.setdefault("queue", Queue.PRE_SALE)
    fields.setdefault("buyer_message_count", 1)
    fields.setdefault("agent_message_count", 1 if assignee else 0)
    return Conversation.objects.create(
        shop=shop,
        channel=make_channel(shop),
        buyer=buyer or make_buyer(shop),
        assignee=assignee,
        created_at=created_at,
        last_message_at=created_at,
        **fields,
    )


def make_message(conversation, *, sender: str, text: str, sent_at: datetime, author=None):
    return Message.objects.create(
        conversation=conversation,
        sender=sender,
        author=author,
        text=text,
        channel=conversation.channel,
        sent_at=sent_at,
    )


def make_outbox(shop, *, kind: str, buyer, sent_at: datetime | None, order=None, conversation=None):
    n = OutboxMessage.objects.count() + 1
    return OutboxMessage.objects.create(
        shop=shop,
        kind=kind,
        key=f"test-{kind}-{n}",
        buyer=buyer,
        order=order,
        conversation=conversation,
        text="您好",
        status="sent" if sent_at else "pending",
        created_at=sent_at or shop_now(),
        next_attempt_at=sent_at or shop_now(),
        sent_at=sent_at,
    )


def shop_now():
    from tests.factories import at

    return at(2026, 11, 23, 10, 30)


def rollup_rows(shop, agents, *, days: int, today, now, shop_counters, agent_counters):
    """The ShopDay row of ``shop``, and an AgentDay row for each of ``agents``, for each of
    the ``days`` finished days before ``today``, unsaved. ``shop_counters(n)`` gives the
    counters of the shop's day ``n`` days back and ``agent_counters(i)`` those of the
    ``i``-th agent: make_history fixes them, bench/dashboard.py draws them at random."""
    shop_rows, agent_rows = [], []
    for n in range(1, days + 1):
        day = today - timedelta(days=n)
        shop_rows.append(ShopDay(shop=shop, day=day, computed_at=now, **shop_counters(n)))
        for i, agent in enumerate(agents):
            agent_rows.append(
                AgentDay(shop=shop, agent=agent, day=day, computed_at=now, **agent_counters(i))
            )
    return shop_rows, agent_rows


def make_history(shop, agents, days=40):
    """Plausible rollup rows for the ``days`` finished days before today."""
    today = local_day(timezone.now())
    now = timezone.now()
    shop_rows, agent_rows = rollup_rows(
        shop,
        agents,
        days=days,
        today=today,
        now=now,
        shop_counters=lambda n: {
            "orders": 10 + n % 5,
            "sales": Decimal("1000.00") + n,
            "inquiry_count": 20,
            "paying_count": 8,
            "first_response_total": 200,
            "first_response_n": 20,
            "response_seconds_total": 900,
            "response_count": 30,
            "responses_within_3min": 27,
            "reminders_sent": 4,
            "reminders_paid": 2,
            "followups_sent": 3,
            "problems_by_category": {"address_change": 1, "out_of_stock": n % 2},
        },
        agent_counters=lambda i: {
            "inquiry_count": 10,
            "paying_count": 2 + 2 * i,
            "inquiry_orders": 2 + 2 * i,
            "inquiry_sales": Decimal("100.00") * (i + 1),
            "first_response_total": 50,
            "first_response_n": 5,
        },
    )
    ShopDay.objects.bulk_create(shop_rows)
    AgentDay.objects.bulk_create(agent_rows)
