"""After-sale tickets: resolved and SLA kept per agent (the agent who resolved it, on the day
it was closed); per shop the day's new tickets with their total cost (refund,
compensation, reshipping and return postage; tickets.selectors), and the refunds completed
that day: tickets that first reached 已退款 that day, with their refund amounts."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from tickets.models import Ticket, TicketEvent
from tickets.selectors import ticket_costs_per_day, tickets_resolved_per_agent
from tickets.states import TicketState

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
        result.shop["after_sale_cost"] += (
            cost.refund_amount
            + cost.compensation_amount
            + cost.reshipping_postage
            + cost.return_postage
        )
    result.shop["refund_amount"] = refunds_completed(shop, start, end)
    for row in tickets_resolved_per_agent(start=first, end=last, shop_ids=[shop.pk]):
        agent = result.agent(row["user_id"])
        for counters in (result.shop, agent):
            counters["tickets_resolved"] = counters.get("tickets_resolved", 0) + row["resolved"]
            counters["tickets_sla_kept"] = counters.get("tickets_sla_kept", 0) + row["sla_kept"]
    return result


def refunds_completed(shop, start: datetime, end: datetime) -> Decimal:
    """The refund amounts of the shop's tickets that first reached 已退款 in [start, end)."""
    refunded = TicketEvent.objects.filter(to_state=TicketState.REFUNDED)
    earlier = refunded.filter(ticket=OuterRef("pk"), created_at__lt=start)
    total = (
        Ticket.objects.filter(
            shop=shop,
            pk__in=refunded.filter(created_at__gte=start, created_at__lt=end).values("ticket_id"),
        )
        .exclude(Exists(earlier))
        .aggregate(total=Sum("refund_amount"))["total"]
    )
    return total or Decimal("0.00")
