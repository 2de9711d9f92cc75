"""Claiming: one winner per problem, also when many agents click at the same moment."""

import re
import threading

import pytest
from django.db import connection

from accounts.roles import Role
from orders.errors import ProblemConflict
from orders.models import Problem, ProblemCategory
from orders.services import problem_assign, problem_claim, problem_claim_next
from tests.factories import make_user

from .factories import make_problem


@pytest.mark.django_db
def test_claim_sets_assignee_and_a_second_agent_gets_a_conflict(shop, staff, now):
    problem = make_problem(shop, now)
    first, second = staff[Role.IN_SALE], make_user(shop, Role.IN_SALE)
    claimed = problem_claim(actor=first, problem=problem, now=now)
    assert claimed.assignee == first and claimed.claimed_at == now
    assert problem_claim(actor=first, problem=problem, now=now).assignee == first
    with pytest.raises(ProblemConflict, match=re.escape(first.label)):
        problem_claim(actor=second, problem=problem, now=now)


@pytest.mark.django_db
def test_claim_next_takes_the_one_due_soonest_and_skips_claimed_ones(shop, staff, now):
    from datetime import timedelta

    later = make_problem(shop, now, due_at=now + timedelta(hours=3))
    sooner = make_problem(shop, now, due_at=now + timedelta(hours=1))
    make_problem(shop, now, due_at=now, assignee=make_user(shop, Role.IN_SALE))
    agent = staff[Role.IN_SALE]
    assert problem_claim_next(actor=agent, now=now) == sooner
    assert problem_claim_next(actor=agent, now=now) == later
    assert problem_claim_next(actor=agent, now=now) is None


@pytest.mark.django_db
def test_claim_next_by_category_and_never_another_shops(shop, other_shop, staff, now):
    make_problem(other_shop, now)
    cod = make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    make_problem(shop, now)
    agent = staff[Role.IN_SALE]
    assert problem_claim_next(actor=agent, now=now, category="cod_confirm") == cod
    problem_claim_next(actor=agent, now=now)
    assert problem_claim_next(actor=agent, now=now) is None


@pytest.mark.django_db
def test_release_own_and_supervisor_reassigns(shop, staff, now):
    agent, other = staff[Role.IN_SALE], make_user(shop, Role.IN_SALE)
    problem = make_problem(shop, now, assignee=agent)
    problem_assign(actor=agent, problem=problem, assignee=None, now=now)
    problem.refresh_from_db()
    assert problem.assignee is None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        problem_assign(actor=agent, problem=problem, assignee=other, now=now)
    problem_assign(actor=staff[Role.SUPERVISOR], problem=problem, assignee=other, now=now)
    problem.refresh_from_db()
    assert problem.assignee == other


def _race(workers, target):
    barrier = threading.Barrier(len(workers))
    results, errors = [], []

    def run(agent):
        try:
            barrier.wait()
            results.append((agent.pk, target(agent)))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(agent,)) for agent in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_many_agents_claim_next_at_once_and_nobody_gets_the_same_problem(shop, now):
    agents = [make_user(shop, Role.IN_SALE) for _ in range(8)]
    problems = [make_problem(shop, now) for _ in range(5)]
    results, errors = _race(agents, lambda a: problem_claim_next(actor=a, now=now))
    assert not errors
    claimed = [p.pk for _, p in results if p is not None]
    assert sorted(claimed) == sorted(p.pk for p in problems)
    assert sum(1 for _, p in results if p is None) == 3
    owners = dict(Problem.objects.values_list("pk", "assignee_id"))
    for agent_pk, problem in results:
        if problem is not None:
            assert owners[problem.pk] == agent_pk


@pytest.mark.django_db(transaction=True)
def test_many_agents_click_the_same_problem_and_exactly_one_wins(shop, now):
    agents = [make_user(shop, Role.IN_SALE) for _ in range(8)]
    problem = make_problem(shop, now)
    results, errors = _race(agents, lambda a: problem_claim(actor=a, problem=problem, now=now))
    assert len(results) == 1 and len(errors) == 7
    assert all(isinstance(e, ProblemConflict) for e in errors)
    problem.refresh_from_db()
    assert problem.assignee_id == results[0][0]


@pytest.mark.django_db
def test_claim_next_among_a_filtered_queue_never_takes_what_the_filter_hides(shop, staff, now):
    from datetime import timedelta

    from accounts.models import Membership
    from orders.selectors import problem_queue
    from tests.factories import make_shop

    second_shop = make_shop(shop.team, code="shop-a2")
    agent = staff[Role.IN_SALE]
    Membership.objects.create(user=agent, shop=second_shop, role=Role.IN_SALE)
    make_problem(shop, now, due_at=now - timedelta(hours=5))
    wanted = make_problem(second_shop, now, due_at=now + timedelta(hours=1))
    shown = problem_queue(agent, shop_id=second_shop.pk)
    assert problem_claim_next(actor=agent, now=now, among=shown) == wanted
    assert problem_claim_next(actor=agent, now=now, among=shown) is None
    stranger = make_user(shop, Role.IN_SALE)
    assert problem_claim_next(actor=stranger, now=now, among=problem_queue(agent)) is not None
    assert Problem.objects.filter(shop=second_shop, assignee=stranger).count() == 0
