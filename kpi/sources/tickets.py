"""After-sale tickets: resolved, SLA kept, refunds, after-sale rate.

The tickets app has no models on this branch yet, so these figures are "无数据"."""

from datetime import datetime

from .base import Collected

AVAILABLE = False
SHOP_FIELDS = [
    "tickets_resolved",
    "tickets_sla_kept",
    "refund_amount",
    "after_sale_cost",
    "after_sale_tickets",
]
AGENT_FIELDS = ["tickets_resolved", "tickets_sla_kept"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    return Collected()
