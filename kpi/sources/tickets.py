"""After-sale tickets: resolved and SLA kept per agent (the agent who resolved it, on the day
it was closed), and per shop the day's new tickets with their refunds and total cost
(refund, compensation, reshipping and return postage), from tickets.selectors."""

from datetime import datetime, timedelta
from decimal import Decimal

from tickets.selectors import ticket_costs_per_day, tickets_resolved_per_agent

from ..days import local_day
from .base import Collected

AVAILABLE = True
SHOP_FIELDS = [
    "tickets_resolved",
    "tickets_sla_kept",
    "refund_amount",
    "after_sale_cost",
    "after_sale_tickets",
]
AGENT_FIELDS = ["tickets_resolved", "tickets_sla_kept"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    first, last = local_day(start), local_day(end - timedelta(microseconds=1))
    zero = Decimal("0.00")
    result = Collected(
        shop={
            "tickets_resolved": 0,
            "tickets_sla_kept": 0,
            "refund_amount": zero,
            "after_sale_cost": zero,
            "after_sale_tickets": 0,
        }
    )
    for cost in ticket_costs_per_day(start=first, end=last, shop_ids=[shop.pk]):
        result.shop["after_sale_tickets"] += cost.opened
        result.shop["refund_amount"] += cost.refund_amount
        result.shop["after_sale_cost"] += (
            cost.refund_amount
            + cost.compensation_amount
            + cost.reshipping_postage
            + cost.return_postage
        )
    for row in tickets_resolved_per_agent(start=first, end=last, shop_ids=[shop.pk]):
        agent = result.agent(row["user_id"])
        for counters in (result.shop, agent):
            counters["tickets_resolved"] = counters.get("tickets_resolved", 0) + row["resolved"]
            counters["tickets_sla_kept"] = counters.get("tickets_sla_kept", 0) + row["sla_kept"]
    return result
