"""The problem state machine: one table of allowed transitions and who may take them.

    open ──contact──▶ contacting ──wait_buyer──▶ waiting_buyer
      │                  ▲  │                        │
      │                  └──┼──────contact───────────┘
      └──────────────────── resolve / cancel (from any active state) ──▶ resolved / cancelled
    resolved / cancelled ──reopen (supervisors)──▶ open

Working actions (contact, wait_buyer, resolve, cancel) need ``problems.work`` in the
problem's shop and the problem in the actor's hands: an unassigned problem is claimed by
the first agent who works it, someone else's only by a supervisor (``problems.supervise``).
``orders.services.transition`` applies an entry of this table.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .models import ACTIVE_PROBLEM_STATES, MemoFlag, ProblemState

FINISHED_PROBLEM_STATES = frozenset({ProblemState.RESOLVED, ProblemState.CANCELLED})
"""A problem that left the queue, settled or cancelled; only a supervisor reopens it."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: ProblemState
    permission: str
    flag: MemoFlag
    needs_reason: bool = False
    holds: bool = True
    """The actor must hold the problem (assignee, or claim it now, or supervise)."""
    due_after: timedelta | None = None
    """New due time from now; None keeps the current one."""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "contact",
            _("联系买家"),
            frozenset({ProblemState.OPEN, ProblemState.WAITING_BUYER}),
            ProblemState.CONTACTING,
            "problems.work",
            MemoFlag.YELLOW,
            due_after=timedelta(hours=2),
        ),
        Transition(
            "wait_buyer",
            _("等待买家答复"),
            frozenset({ProblemState.OPEN, ProblemState.CONTACTING}),
            ProblemState.WAITING_BUYER,
            "problems.work",
            MemoFlag.BLUE,
            due_after=timedelta(hours=24),
        ),
        Transition(
            "resolve",
            _("已解决"),
            frozenset(ACTIVE_PROBLEM_STATES),
            ProblemState.RESOLVED,
            "problems.work",
            MemoFlag.GREEN,
            needs_reason=True,
        ),
        Transition(
            "cancel",
            _("取消"),
            frozenset(ACTIVE_PROBLEM_STATES),
            ProblemState.CANCELLED,
            "problems.work",
            MemoFlag.PURPLE,
            needs_reason=True,
        ),
        Transition(
            "reopen",
            _("重新打开"),
            FINISHED_PROBLEM_STATES,
            ProblemState.OPEN,
            "problems.supervise",
            MemoFlag.RED,
            needs_reason=True,
            holds=False,
            due_after=timedelta(hours=2),
        ),
    ]
}


def transition_for(state: str, action: str) -> Transition | None:
    """The table entry for ``action`` from ``state``, or None when it is not allowed."""
    entry = TRANSITIONS.get(action)
    if entry is None or state not in entry.sources:
        return None
    return entry


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
