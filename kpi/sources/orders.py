"""Shop figures from orders: orders paid and their sales, problem orders by category.

Also ``orders_updated_at``, the latest change among the day's paid orders: not a figure,
but the mark the rollup job compares to find days whose orders were imported or changed
after they were rolled up (kpi.late)."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Max, Sum

from orders.models import Order, Problem

from .base import Collected

AVAILABLE = True
SHOP_FIELDS = ["orders", "sales", "problems_by_category"]
AGENT_FIELDS: list[str] = []


def collect(shop, start: datetime, end: datetime) -> Collected:
    paid = Order.objects.filter(shop=shop, paid_at__gte=start, paid_at__lt=end).aggregate(
        orders=Count("id"), sales=Sum("paid_amount"), updated=Max("updated_at")
    )
    problems = (
        Problem.objects.filter(shop=shop, opened_at__gte=start, opened_at__lt=end)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Collected(
        shop={
            "orders": paid["orders"],
            "sales": paid["sales"] or Decimal("0.00"),
            "problems_by_category": dict(problems),
            "orders_updated_at": paid["updated"],
        }
    )
