"""Changes to tickets. Each service: permission → lock → validate (state machine, policy)
→ change → timeline event → audit. Views, the API, the refund import and the jobs call
these and nothing else.

Split by concern (opening, the state machine's steps, the rest of the handling) and
re-exported here so callers write ``from tickets.services import ticket_act``."""

from .handling import (
    escalation_handle,
    ticket_assign,
    ticket_escalate,
    ticket_record_signed_intact,
    ticket_reply,
    ticket_set_costs,
    ticket_tick_step,
)
from .opening import buyer_file, ticket_create, ticket_open
from .steps import ticket_act

__all__ = [
    "buyer_file",
    "escalation_handle",
    "ticket_act",
    "ticket_assign",
    "ticket_create",
    "ticket_escalate",
    "ticket_open",
    "ticket_record_signed_intact",
    "ticket_reply",
    "ticket_set_costs",
    "ticket_tick_step",
]
