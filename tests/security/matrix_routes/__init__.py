"""The authorization matrix's table, one module per app."""

from . import (
    catalogue,
    chats,
    core,
    knowledge,
    kpi,
    orders,
    outreach,
    presence,
    reviews,
    teamwork,
    tickets,
)
from .base import BUILDERS, Context, Route

ROUTES: dict[str, Route] = {}
for _module in (
    core,
    orders,
    chats,
    tickets,
    reviews,
    kpi,
    outreach,
    knowledge,
    teamwork,
    presence,
    catalogue,
):
    assert not set(ROUTES) & set(_module.ROUTES), "a route is in two modules"
    ROUTES.update(_module.ROUTES)

__all__ = ["BUILDERS", "ROUTES", "Context", "Route"]
