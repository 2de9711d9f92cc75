"""The first and last step every workflow shares: hold the problem for the agent, then move
it through the state table without a second memo."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require

from ...errors import ProblemError
from ...models import Problem
from ..problems import apply_transition, problem_hold, problem_locked


def start_workflow(actor: User, problem: Problem, categories, now: datetime) -> Problem:
    require(actor, "problems.work", problem)
    problem = problem_locked(problem)
    if problem.category not in categories:
        raise ProblemError(
            _("该操作不适用于「%(category)s」类问题。")
            % {"category": problem.get_category_display()}
        )
    problem_hold(actor=actor, problem=problem, now=now)
    return problem


def finish_workflow(
    actor: User, problem: Problem, action: str, reason: str, now: datetime
) -> Problem:
    problem.save(update_fields=["detail"])
    return apply_transition(
        actor=actor, problem=problem, action=action, reason=reason, now=now, write_memo=False
    )
