"""Late data: days whose source rows changed after the day was rolled up.

An order report is often imported days late, and the refund export brings tickets opened
in the past. The rollup job compares, for each finished day of the last ``LATE_DATA_DAYS``,
what the day's row was computed from with what the sources hold now: the number of orders
paid that day and the latest change among them (``Order.updated_at``, moved by every
import that writes the order), and the number of after-sale tickets opened that day. A day
that differs (or that has orders but no row yet) is stale. The marks are the data's own
times and counts, so it does not matter when or with which ``--at`` the job ran.

Recomputing a stale day P also recomputes the days whose figures read P's rows: the days
before it whose conversion or reminder window reaches P, and the 30 days from P whose
rolling rates (kpi.sources.after_sale) include P's orders. Rows the demo loader made up
(``generated``) are left to the usual nightly days."""

from datetime import date, timedelta

from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from orders.models import Order
from tickets.models import Ticket

from .days import SHANGHAI, day_bounds
from .models import ShopDay
from .sources.after_sale import ROLLING_DAYS

LATE_DATA_DAYS = 60


def stale_days(shop, *, today: date) -> set[date]:
    """The finished days of the last LATE_DATA_DAYS whose rollup row no longer matches the
    shop's orders and tickets (see the module docstring)."""
    first = today - timedelta(days=LATE_DATA_DAYS)
    start, end = day_bounds(first)[0], day_bounds(today)[0]
    rows = {
        row["day"]: row
        for row in ShopDay.objects.filter(shop=shop, day__gte=first, day__lt=today).values(
            "day", "generated", "orders", "orders_updated_at", "after_sale_tickets"
        )
    }
    orders = {
        row["day"]: (row["n"], row["updated"])
        for row in Order.objects.filter(shop=shop, paid_at__gte=start, paid_at__lt=end)
        .annotate(day=TruncDate("paid_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(n=Count("pk"), updated=Max("updated_at"))
        .order_by()
    }
    tickets = dict(
        Ticket.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=SHANGHAI))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stale = set()
    for day in set(rows) | set(orders) | set(tickets):
        row = rows.get(day)
        if row is not None and row["generated"]:
            continue
        if row is None or _marks(row) != (*orders.get(day, (0, None)), tickets.get(day, 0)):
            stale.add(day)
    return stale


def _marks(row: dict) -> tuple:
    return row["orders"], row["orders_updated_at"], row["after_sale_tickets"] or 0


def days_reading(day: date, *, reach_back: int, yesterday: date) -> list[date]:
    """The finished days whose figures read the rows of ``day``: ``reach_back`` days before
    it (conversion and reminder windows) up to the end of its rolling 30-day window."""
    last = min(day + timedelta(days=ROLLING_DAYS - 1), yesterday)
    first = day - timedelta(days=reach_back)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
