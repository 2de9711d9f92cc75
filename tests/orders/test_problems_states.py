"""Every transition of the problem state table, allowed and refused."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from orders.errors import ProblemConflict, ProblemError
from orders.models import Memo, MemoFlag, ProblemState
from orders.problem_states import TRANSITIONS, transition_for
from orders.services import transition
from tests.factories import make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db

S = ProblemState
ALLOWED = {
    (S.OPEN, "contact"): S.CONTACTING,
    (S.OPEN, "wait_buyer"): S.WAITING_BUYER,
    (S.OPEN, "resolve"): S.RESOLVED,
    (S.OPEN, "cancel"): S.CANCELLED,
    (S.CONTACTING, "wait_buyer"): S.WAITING_BUYER,
    (S.CONTACTING, "resolve"): S.RESOLVED,
    (S.CONTACTING, "cancel"): S.CANCELLED,
    (S.WAITING_BUYER, "contact"): S.CONTACTING,
    (S.WAITING_BUYER, "resolve"): S.RESOLVED,
    (S.WAITING_BUYER, "cancel"): S.CANCELLED,
    (S.RESOLVED, "reopen"): S.OPEN,
    (S.CANCELLED, "reopen"): S.OPEN,
}
EVERY_PAIR = [(state, action) for state in S.values for action in TRANSITIONS]


def _kwargs(action):
    return {"reason": "已处理", "cancel_reason": "not_a_problem" if action == "cancel" else ""}


def test_the_table_is_exactly_the_documented_machine():
    for state, action in EVERY_PAIR:
        entry = transition_for(state, action)
        assert (entry.target if entry else None) == ALLOWED.get((state, action)), (state, action)


@pytest.mark.parametrize(("state", "action"), EVERY_PAIR)
def test_each_transition_is_applied_or_refused_by_the_table(shop, staff, now, state, action):
    actor = staff[Role.SUPERVISOR]
    closed = state in (S.RESOLVED, S.CANCELLED)
    problem = make_problem(
        shop, now, state=state, assignee=actor, closed_at=now if closed else None
    )
    if (state, action) not in ALLOWED:
        with pytest.raises(ProblemConflict):
            transition(actor=actor, problem=problem, action=action, now=now, **_kwargs(action))
        problem.refresh_from_db()
        assert problem.state == state
        assert not Memo.objects.exists()
        return
    result = transition(actor=actor, problem=problem, action=action, now=now, **_kwargs(action))
    assert result.state == ALLOWED[(state, action)]
    memo = Memo.objects.get(order=problem.order)
    assert memo.flag == TRANSITIONS[action].flag
    assert memo.work_number == actor.work_number and memo.created_at == now
    assert AuditEvent.objects.filter(verb=f"problem.{action}", object_id=str(problem.pk)).exists()


def test_resolve_records_the_result_closes_and_writes_a_green_memo(shop, staff, now):
    agent = staff[Role.IN_SALE]
    problem = make_problem(shop, now, assignee=agent)
    transition(actor=agent, problem=problem, action="resolve", reason="买家同意原地址", now=now)
    problem.refresh_from_db()
    assert (problem.state, problem.closed_at, problem.resolution) == (
        S.RESOLVED,
        now,
        "买家同意原地址",
    )
    memo = Memo.objects.get()
    assert memo.flag == MemoFlag.GREEN
    assert "改地址" in memo.reason and "买家同意原地址" in memo.reason


def test_resolve_without_a_result_is_refused(shop, staff, now):
    problem = make_problem(shop, now)
    with pytest.raises(ProblemError, match="处理结果"):
        transition(actor=staff[Role.IN_SALE], problem=problem, action="resolve", now=now)


def test_cancel_needs_a_reason_from_the_list(shop, staff, now):
    agent = staff[Role.IN_SALE]
    problem = make_problem(shop, now)
    with pytest.raises(ProblemError, match="取消原因"):
        transition(actor=agent, problem=problem, action="cancel", cancel_reason="bored", now=now)
    transition(actor=agent, problem=problem, action="cancel", cancel_reason="order_closed", now=now)
    problem.refresh_from_db()
    assert problem.cancel_reason == "order_closed" and problem.resolution == "订单已关闭"


def test_waiting_for_the_buyer_moves_the_due_time_a_day_on(shop, staff, now):
    problem = make_problem(shop, now)
    transition(actor=staff[Role.IN_SALE], problem=problem, action="wait_buyer", now=now)
    problem.refresh_from_db()
    assert problem.due_at == now + timedelta(hours=24)


def test_working_an_unclaimed_problem_claims_it(shop, staff, now):
    agent = staff[Role.IN_SALE]
    problem = make_problem(shop, now)
    transition(actor=agent, problem=problem, action="contact", now=now)
    problem.refresh_from_db()
    assert problem.assignee == agent and problem.claimed_at == now


def test_an_agent_cannot_work_a_colleagues_problem_but_a_supervisor_can(shop, staff, now):
    colleague = make_user(shop, Role.IN_SALE)
    problem = make_problem(shop, now, assignee=colleague)
    with pytest.raises(ProblemConflict, match=re.escape(colleague.label)):
        transition(actor=staff[Role.IN_SALE], problem=problem, action="contact", now=now)
    transition(actor=staff[Role.SUPERVISOR], problem=problem, action="contact", now=now)
    problem.refresh_from_db()
    assert problem.state == S.CONTACTING and problem.assignee == colleague


def test_only_supervisors_reopen(shop, staff, now):
    problem = make_problem(shop, now, state=S.RESOLVED, closed_at=now)
    with pytest.raises(PermissionDenied):
        transition(actor=staff[Role.IN_SALE], problem=problem, action="reopen", reason="x", now=now)
    transition(
        actor=staff[Role.SUPERVISOR], problem=problem, action="reopen", reason="买家又来问", now=now
    )
    problem.refresh_from_db()
    assert problem.state == S.OPEN and problem.closed_at is None and problem.resolution == ""


def test_reopen_refused_when_the_same_category_is_active_again(shop, staff, now):
    closed = make_problem(shop, now, state=S.RESOLVED, closed_at=now)
    make_problem(shop, now, order=closed.order)
    with pytest.raises(ProblemConflict, match="同类"):
        transition(
            actor=staff[Role.SUPERVISOR], problem=closed, action="reopen", reason="x", now=now
        )


@pytest.mark.parametrize("action", ["contact", "wait_buyer", "resolve", "cancel"])
def test_pre_sale_agents_cannot_work_problems(shop, staff, now, action):
    problem = make_problem(shop, now)
    with pytest.raises(PermissionDenied):
        transition(
            actor=staff[Role.PRE_SALE], problem=problem, action=action, now=now, **_kwargs(action)
        )


def test_staff_of_another_shop_cannot_work_this_shops_problems(shop, other_shop, now):
    stranger = make_user(other_shop, Role.MANAGER)
    problem = make_problem(shop, now)
    with pytest.raises(PermissionDenied):
        transition(actor=stranger, problem=problem, action="contact", now=now)
