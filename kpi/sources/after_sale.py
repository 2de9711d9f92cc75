"""The shop's rolling 30-day after-sale and refund rates, as of the end of the day.

The platform judges a shop's refunds over its last 30 days (近30天退款率: refunds completed
in the last 30 days ÷ orders paid in the last 30 days). Here both counts are taken over one
population, the orders paid in the 30 days ending with the day, so a rate cannot pass
100 %: ``refunded_30d`` counts those with a refund completed (a ticket of the order reached
已退款) before the end of the day, ``after_sale_30d`` those with an after-sale ticket
opened before the end of the day. A refund of an order paid before the window is left out
(the platform would count it): the two differ only at the window's edge.

The counters describe a window, not a day: they are not summed over days (a period shows
its last day's value; kpi.figures.ROLLING_COUNTERS), but they add up across shops."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from orders.models import Order
from tickets.models import Ticket, TicketEvent
from tickets.states import TicketState

from ..days import day_bounds, local_day
from .base import Collected

AVAILABLE = True
ROLLING_DAYS = 30
SHOP_FIELDS = ["orders_30d", "refunded_30d", "after_sale_30d"]
AGENT_FIELDS: list[str] = []


def window_start(start: datetime) -> datetime:
    """The first moment of the 30-day window that ends with the day starting at ``start``."""
    return day_bounds(local_day(start) - timedelta(days=ROLLING_DAYS - 1))[0]


def collect(shop, start: datetime, end: datetime) -> Collected:
    refunded = TicketEvent.objects.filter(
        ticket__order=OuterRef("pk"), to_state=TicketState.REFUNDED, created_at__lt=end
    )
    after_sale = Ticket.objects.filter(order=OuterRef("pk"), created_at__lt=end)
    counts = Order.objects.filter(
        shop=shop, paid_at__gte=window_start(start), paid_at__lt=end
    ).aggregate(
        orders_30d=Count("pk"),
        refunded_30d=Count("pk", filter=Q(Exists(refunded))),
        after_sale_30d=Count("pk", filter=Q(Exists(after_sale))),
    )
    return Collected(shop=counts)
