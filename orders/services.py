from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.permissions import require
from audit.services import audit

from .models import ACTIVE_PROBLEM_STATES, Memo, MemoFlag, Order, Problem, ProblemCategory

PROBLEM_DUE = timedelta(hours=2)


def memo_write(
    *, actor: User | None, order: Order, reason: str, now: datetime, flag: MemoFlag = MemoFlag.RED
) -> Memo:
    """Add a seller memo: flag, reason, the writer's work number and the time. Called by
    services that already checked the actor may change the order."""
    memo = Memo.objects.create(
        order=order,
        flag=flag,
        reason=reason[:300],
        author=actor,
        work_number=getattr(actor, "work_number", "") or "",
        created_at=now,
    )
    audit(actor, "order.memo_written", order, changes={"memo": [None, memo.reason]}, now=now)
    return memo


def problem_open(
    *,
    actor: User | None,
    order: Order,
    category: ProblemCategory,
    now: datetime,
    detail: dict | None = None,
) -> tuple[Problem, bool]:
    """Open a problem for the order unless one of that category is already active.

    ``actor`` None means the system (an import or a scheduled job). Returns (problem,
    created); a second call returns the active problem and created=False."""
    if actor is not None:
        require(actor, "problems.work", order)
    existing = Problem.objects.filter(
        order=order, category=category, state__in=ACTIVE_PROBLEM_STATES
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            problem = Problem.objects.create(
                shop_id=order.shop_id,
                order=order,
                category=category,
                opened_by=actor,
                detail=detail or {},
                opened_at=now,
                due_at=now + PROBLEM_DUE,
            )
            audit(actor, "problem.opened", problem, changes={"category": [None, category]}, now=now)
    except IntegrityError:
        return Problem.objects.get(
            order=order, category=category, state__in=ACTIVE_PROBLEM_STATES
        ), False
    return problem, True
