"""Conversation figures: reception, inquiries and their conversion, response times, 问答比,
CSAT. Read from the counters chats keeps on each Conversation row, so no message is scanned.

A conversation belongs to the day (Asia/Shanghai) it was opened and to its assignee.
Inquiry: a pre-sale conversation where the buyer wrote at least once, unless it was marked
not a sales question or spam. Paying: an inquiring buyer with an order (same shop) paid in
[conversation opened, opened + Shop.conversion_window_hours). Each agent whose inquiry
preceded the payment within the window is credited; the shop counts each buyer once."""

from datetime import datetime, timedelta
from decimal import Decimal

from chats.models import Conversation, Outcome, Queue
from orders.models import Order

from .base import Collected

AVAILABLE = True
AGENT_FIELDS = SHOP_FIELDS = [
    "reception_count",
    "inquiry_count",
    "paying_count",
    "inquiry_orders",
    "inquiry_sales",
    "first_response_total",
    "first_response_n",
    "response_seconds_total",
    "response_count",
    "responses_within_3min",
    "buyer_message_count",
    "agent_message_count",
    "csat_total",
    "csat_n",
]
NOT_INQUIRY_OUTCOMES = {Outcome.NOT_SALE_QUESTION, Outcome.SPAM}
SUMMED = [
    "response_seconds_total",
    "response_count",
    "responses_within_3min",
    "buyer_message_count",
    "agent_message_count",
]


def conversations_of_day(shop, start: datetime, end: datetime):
    return Conversation.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)


def is_inquiry(conversation: dict) -> bool:
    return (
        conversation["queue"] == Queue.PRE_SALE
        and conversation["buyer_message_count"] > 0
        and conversation["outcome"] not in NOT_INQUIRY_OUTCOMES
    )


class _Tally:
    """One group's conversations (the shop's, or one agent's) while they are counted."""

    def __init__(self):
        self.counters = dict.fromkeys(SHOP_FIELDS, 0)
        self.counters["inquiry_sales"] = Decimal("0.00")
        self.served, self.inquiring, self.paying = set(), set(), set()
        self.orders: dict[int, Decimal] = {}

    def add(self, conversation: dict, paid_orders: list[dict]) -> None:
        counters = self.counters
        for name in SUMMED:
            counters[name] += conversation[name]
        if conversation["first_response_seconds"] is not None:
            counters["first_response_total"] += conversation["first_response_seconds"]
            counters["first_response_n"] += 1
        if conversation["csat_rating"] is not None:
            counters["csat_total"] += conversation["csat_rating"]
            counters["csat_n"] += 1
        if conversation["agent_message_count"] > 0:
            self.served.add(conversation["buyer_id"])
        if is_inquiry(conversation):
            self.inquiring.add(conversation["buyer_id"])
            for order in paid_orders:
                self.paying.add(conversation["buyer_id"])
                self.orders[order["id"]] = order["paid_amount"] or Decimal("0.00")

    def result(self) -> dict:
        counters = self.counters
        counters["reception_count"] = len(self.served)
        counters["inquiry_count"] = len(self.inquiring)
        counters["paying_count"] = len(self.paying)
        counters["inquiry_orders"] = len(self.orders)
        counters["inquiry_sales"] = sum(self.orders.values(), Decimal("0.00"))
        return counters


def collect(shop, start: datetime, end: datetime) -> Collected:
    window = timedelta(hours=shop.conversion_window_hours)
    conversations = list(
        conversations_of_day(shop, start, end).values(
            "id",
            "buyer_id",
            "assignee_id",
            "queue",
            "created_at",
            "outcome",
            "csat_rating",
            "first_response_seconds",
            *SUMMED,
        )
    )
    inquiring_buyers = {c["buyer_id"] for c in conversations if is_inquiry(c)}
    orders_by_buyer: dict[int, list[dict]] = {}
    for order in Order.objects.filter(
        shop=shop, buyer_id__in=inquiring_buyers, paid_at__gte=start, paid_at__lt=end + window
    ).values("id", "buyer_id", "paid_at", "paid_amount"):
        orders_by_buyer.setdefault(order["buyer_id"], []).append(order)

    shop_tally, agent_tallies = _Tally(), {}
    for conversation in conversations:
        opened = conversation["created_at"]
        paid = [
            order
            for order in orders_by_buyer.get(conversation["buyer_id"], [])
            if opened <= order["paid_at"] < opened + window
        ]
        shop_tally.add(conversation, paid)
        if conversation["assignee_id"] is not None:
            agent_tallies.setdefault(conversation["assignee_id"], _Tally()).add(conversation, paid)
    return Collected(
        shop=shop_tally.result(),
        agents={agent_id: tally.result() for agent_id, tally in agent_tallies.items()},
    )
