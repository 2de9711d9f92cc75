"""SLA deadlines for tickets.

Simple types (states.SIMPLE_TYPES) owe the buyer a first reply within
Shop.simple_reply_hours; complex complaints owe a follow-up every
Shop.complex_followup_hours while open. A reply, or any state change an agent makes (the
buyer sees the seller's decision), meets the current deadline. Closed and refused tickets
have none.

The source texts give 24 h and 48 h as plain hours, so deadlines count clock hours by
default. A shop that wants only its opening hours to count sets
Shop.sla_business_hours_only (tickets/business_time.py does the arithmetic); every page
that shows a deadline says which way it is counted (``clock_label``).
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from accounts.models import Shop

from .business_time import add_business_hours, business_seconds_between
from .states import SIMPLE_TYPES, TERMINAL_STATES


def sla_hours(shop: Shop, ticket_type: str) -> int:
    return shop.simple_reply_hours if ticket_type in SIMPLE_TYPES else shop.complex_followup_hours


def due_after(shop: Shop, ticket_type: str, start: datetime) -> datetime:
    hours = sla_hours(shop, ticket_type)
    if not shop.sla_business_hours_only:
        return start + timedelta(hours=hours)
    return add_business_hours(
        start, hours, open_=shop.business_hours_start, close=shop.business_hours_end
    )


def next_due(ticket, *, now: datetime) -> datetime | None:
    """The deadline after the agent answered at ``now``."""
    if ticket.state in TERMINAL_STATES or ticket.type in SIMPLE_TYPES:
        return None
    return due_after(ticket.shop, ticket.type, now)


def seconds_left(ticket, *, now: datetime) -> float | None:
    """Seconds until the deadline that count (negative once breached); None without one."""
    if ticket.sla_due_at is None:
        return None
    shop = ticket.shop
    if not shop.sla_business_hours_only:
        return (ticket.sla_due_at - now).total_seconds()
    return business_seconds_between(
        now, ticket.sla_due_at, open_=shop.business_hours_start, close=shop.business_hours_end
    )


def clock_label(shop: Shop) -> str:
    """How the shop's deadlines are counted, shown beside each one."""
    if not shop.sla_business_hours_only:
        return _("按自然小时计")
    return _("只计营业时间 %(start)s–%(end)s") % {
        "start": shop.business_hours_start.strftime("%H:%M"),
        "end": shop.business_hours_end.strftime("%H:%M"),
    }
