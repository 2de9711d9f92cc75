"""SLA deadlines for tickets, counted in the shop's business hours (tickets/business_time.py).

Simple types (states.SIMPLE_TYPES) owe the buyer a first reply within
Shop.simple_reply_hours; complex complaints owe a follow-up every
Shop.complex_followup_hours while open. A reply, or any state change an agent makes (the
buyer sees the seller's decision), meets the current deadline. Closed and refused tickets
have none.
"""

from datetime import datetime

from accounts.models import Shop

from .business_time import add_business_hours, business_seconds_between
from .states import SIMPLE_TYPES, TERMINAL_STATES


def sla_hours(shop: Shop, ticket_type: str) -> int:
    return shop.simple_reply_hours if ticket_type in SIMPLE_TYPES else shop.complex_followup_hours


def due_after(shop: Shop, ticket_type: str, start: datetime) -> datetime:
    return add_business_hours(
        start,
        sla_hours(shop, ticket_type),
        open_=shop.business_hours_start,
        close=shop.business_hours_end,
    )


def next_due(ticket, *, now: datetime) -> datetime | None:
    """The deadline after the agent answered at ``now``."""
    if ticket.state in TERMINAL_STATES or ticket.type in SIMPLE_TYPES:
        return None
    return due_after(ticket.shop, ticket.type, now)


def seconds_left(ticket, *, now: datetime) -> float | None:
    """Business seconds until the deadline (negative once breached); None without one."""
    if ticket.sla_due_at is None:
        return None
    shop = ticket.shop
    return business_seconds_between(
        now, ticket.sla_due_at, open_=shop.business_hours_start, close=shop.business_hours_end
    )
