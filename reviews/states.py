"""The review workflow as a table: (state, action) -> (new state, roles allowed).

new → contacted → resolved → revision_requested → revised / unchanged / appealed.
An extortion case may go to the platform appeal as soon as it is marked (the buyer's
demand is the evidence, there is nothing to resolve first), and a buyer who will not
revise may still be appealed against. Only supervisors reopen a closed review."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, at_least

from .models import ReviewState as S

SPECIALISTS_UP = at_least(Role.REVIEW_SPECIALIST)
SUPERVISORS_UP = at_least(Role.SUPERVISOR)


@dataclass(frozen=True)
class Step:
    to: S
    roles: frozenset[Role]
    extortion_only: bool = False


ACTION_LABELS = {
    "contact": _("已联系买家"),
    "resolve": _("问题已解决"),
    "request_revision": _("已请买家改评"),
    "mark_revised": _("买家已改评"),
    "mark_unchanged": _("买家未改评"),
    "appeal": _("提交平台申诉"),
    "reopen": _("重新打开"),
}

TRANSITIONS: dict[tuple[S, str], Step] = {
    (S.NEW, "contact"): Step(S.CONTACTED, SPECIALISTS_UP),
    (S.CONTACTED, "resolve"): Step(S.RESOLVED, SPECIALISTS_UP),
    (S.RESOLVED, "request_revision"): Step(S.REVISION_REQUESTED, SPECIALISTS_UP),
    (S.REVISION_REQUESTED, "mark_revised"): Step(S.REVISED, SPECIALISTS_UP),
    (S.REVISION_REQUESTED, "mark_unchanged"): Step(S.UNCHANGED, SPECIALISTS_UP),
    (S.REVISION_REQUESTED, "appeal"): Step(S.APPEALED, SPECIALISTS_UP),
    (S.UNCHANGED, "appeal"): Step(S.APPEALED, SPECIALISTS_UP),
    (S.NEW, "appeal"): Step(S.APPEALED, SPECIALISTS_UP, extortion_only=True),
    (S.CONTACTED, "appeal"): Step(S.APPEALED, SPECIALISTS_UP, extortion_only=True),
    (S.RESOLVED, "appeal"): Step(S.APPEALED, SPECIALISTS_UP, extortion_only=True),
    (S.REVISED, "reopen"): Step(S.CONTACTED, SUPERVISORS_UP),
    (S.UNCHANGED, "reopen"): Step(S.CONTACTED, SUPERVISORS_UP),
    (S.APPEALED, "reopen"): Step(S.CONTACTED, SUPERVISORS_UP),
}


def step_for(state: str, action: str) -> Step | None:
    return TRANSITIONS.get((S(state), action))


def refusal(state: str, action: str, role: str | None, *, is_extortion: bool) -> str | None:
    """Why ``role`` may not take ``action`` from ``state``; None when it may."""
    step = step_for(state, action)
    if step is None:
        return _("当前状态（%(state)s）不能执行“%(action)s”。") % {
            "state": S(state).label,
            "action": ACTION_LABELS.get(action, action),
        }
    if role is None or Role(role) not in step.roles:
        return _("您的角色不能执行“%(action)s”。") % {"action": ACTION_LABELS[action]}
    if step.extortion_only and not is_extortion:
        return _("只有标记为差评要挟的评价才能在解决前直接申诉。")
    return None


def actions_for(state: str, role: str | None, *, is_extortion: bool) -> list[tuple[str, str]]:
    """(action, label) the role may take now, in table order, for buttons."""
    return [
        (action, str(ACTION_LABELS[action]))
        for (from_state, action) in TRANSITIONS
        if from_state == state and refusal(state, action, role, is_extortion=is_extortion) is None
    ]
