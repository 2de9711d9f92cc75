"""Problem orders: open, claim, hand over and move through the state table."""

from collections import Counter
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require, shop_ids_for
from audit.services import audit, audit_bulk
from teamwork.events import problem_event

from ..errors import ProblemConflict, ProblemError
from ..models import (
    ACTIVE_PROBLEM_STATES,
    CancelReason,
    MemoFlag,
    Order,
    Problem,
    ProblemCategory,
    ProblemState,
)
from ..problem_states import FINISHED_PROBLEM_STATES, TRANSITIONS, transition_for
from .memos import memo_checked, memo_write

PROBLEM_DUE = timedelta(hours=2)


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
        require(actor, "problems.open", order)
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
            problem_event("problem.opened", problem, now=now)
    except IntegrityError:
        return Problem.objects.get(
            order=order, category=category, state__in=ACTIVE_PROBLEM_STATES
        ), False
    return problem, True


def problems_open_detected(*, findings: list[tuple[Order, str, dict]], now: datetime) -> Counter:
    """Open the problems an import's detection found, as the system, in a fixed handful of
    queries; return {category: number opened}.

    The same rows and audit events as ``problem_open``, written in bulk: an import opens
    hundreds at a time. A pair that already has an active problem (an agent opened one a
    moment ago) is skipped instead of failing the import. The embedded SQLite mode opens
    them one by one through ``problem_open``."""
    if connection.vendor != "postgresql":
        return Counter(
            str(category)
            for order, category, detail in findings
            if problem_open(actor=None, order=order, category=category, now=now, detail=detail)[1]
        )
    created = _insert_skipping_active(findings, now)
    orders = {order.pk: order for order, _category, _detail in findings}
    labels = dict(ProblemCategory.choices)
    audit_bulk(
        None,
        "problem.opened",
        Problem,
        [
            (
                orders[order_pk].shop_id,
                pk,
                f"{labels[category]} {orders[order_pk].order_id}",
                {"category": [None, category]},
            )
            for pk, order_pk, category in created
        ],
        now=now,
    )
    return Counter(category for _pk, _order_pk, category in created)


def _insert_skipping_active(findings, now: datetime) -> list[tuple[int, int, str]]:
    """One INSERT … ON CONFLICT DO NOTHING (the partial unique index on active problems)."""
    from psycopg2.extras import Json, execute_values

    if not findings:
        return []
    due = now + PROBLEM_DUE
    rows = [
        (order.shop_id, order.pk, str(category), Json(detail), now, due)
        for order, category, detail in findings
    ]
    with connection.cursor() as cursor:
        return execute_values(
            cursor.cursor,
            f'INSERT INTO "{Problem._meta.db_table}" (shop_id, order_id, category, detail,'
            " opened_at, due_at, state, resolution, cancel_reason) VALUES %s"
            " ON CONFLICT DO NOTHING RETURNING id, order_id, category",
            rows,
            template=f"(%s, %s, %s, %s, %s, %s, '{ProblemState.OPEN}', '', '')",
            page_size=len(rows),
            fetch=True,
        )


def problem_locked(problem: Problem | int) -> Problem:
    """Re-read the problem under a row lock (inside the caller's transaction)."""
    pk = problem if isinstance(problem, int) else problem.pk
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("order", "assignee")
        .get(pk=pk)
    )


def problem_hold(*, actor: User, problem: Problem, now: datetime) -> None:
    """Make sure the locked ``problem`` is in the actor's hands before they work it: an
    unassigned problem is claimed now; another agent's only a supervisor may work."""
    if not problem.is_active:
        raise ProblemConflict(_("该问题订单已关闭，无法继续处理。"))
    if problem.assignee_id is None:
        problem.assignee, problem.claimed_at = actor, now
        problem.save(update_fields=["assignee", "claimed_at"])
        audit(actor, "problem.claimed", problem, changes={"assignee": [None, actor.label]}, now=now)
    elif problem.assignee_id != actor.pk and not can(actor, "problems.supervise", problem):
        raise ProblemConflict(
            _("该问题订单已由 %(name)s 认领。") % {"name": problem.assignee.label}
        )


def problem_claim(*, actor: User, problem: Problem, now: datetime) -> Problem:
    """Claim one problem. One conditional UPDATE decides the winner when many agents click
    at once; the losers get a conflict naming who has it."""
    require(actor, "problems.work", problem)
    with transaction.atomic():
        won = Problem.objects.filter(
            pk=problem.pk, assignee__isnull=True, state__in=ACTIVE_PROBLEM_STATES
        ).update(assignee=actor, claimed_at=now)
        fresh = Problem.objects.select_related("order", "assignee").get(pk=problem.pk)
        if won:
            audit(
                actor, "problem.claimed", fresh, changes={"assignee": [None, actor.label]}, now=now
            )
            return fresh
    if fresh.assignee_id == actor.pk and fresh.is_active:
        return fresh
    if not fresh.is_active:
        raise ProblemConflict(_("该问题订单已关闭。"))
    raise ProblemConflict(_("该问题订单已由 %(name)s 认领。") % {"name": fresh.assignee.label})


@transaction.atomic
def problem_claim_next(
    *,
    actor: User,
    now: datetime,
    shop=None,
    category: str | None = None,
    among: QuerySet[Problem] | None = None,
) -> Problem | None:
    """Claim the unassigned active problem due soonest. ``FOR UPDATE SKIP LOCKED`` lets
    agents claim side by side: each skips the rows others are claiming. None when empty.

    ``among`` is the queue as the agent filtered it (shop, category, state, overdue, tag,
    import): the button then claims the first unclaimed problem that list shows, never one
    its filters hide. It only narrows; the actor's own shops still bound the claim."""
    shop_ids = shop_ids_for(actor, "problems.work")
    if shop is not None:
        require(actor, "problems.work", shop)
        shop_ids = [shop.pk]
    candidates = Problem.objects.filter(
        shop_id__in=shop_ids, assignee__isnull=True, state__in=ACTIVE_PROBLEM_STATES
    )
    if category:
        candidates = candidates.filter(category=category)
    if among is not None:
        candidates = candidates.filter(pk__in=among.values("pk"))
    problem = (
        candidates.select_for_update(skip_locked=True, of=("self",))
        .order_by("due_at", "id")
        .first()
    )
    if problem is None:
        return None
    problem.assignee, problem.claimed_at = actor, now
    problem.save(update_fields=["assignee", "claimed_at"])
    audit(actor, "problem.claimed", problem, changes={"assignee": [None, actor.label]}, now=now)
    return problem


@transaction.atomic
def problem_assign(
    *, actor: User, problem: Problem, assignee: User | None, now: datetime
) -> Problem:
    """Hand a problem to someone (or back to the queue). Agents may release their own;
    supervisors may give any problem to any member who may work problems in the shop."""
    require(actor, "problems.work", problem)
    problem = problem_locked(problem)
    if not problem.is_active:
        raise ProblemConflict(_("该问题订单已关闭。"))
    releasing_own = assignee is None and problem.assignee_id == actor.pk
    if not releasing_own:
        require(actor, "problems.supervise", problem)
    if assignee is not None and not can(assignee, "problems.work", problem):
        raise ProblemError(_("%(name)s 在该店铺无权处理问题订单。") % {"name": assignee.label})
    before = problem.assignee.label if problem.assignee else None
    problem.assignee, problem.claimed_at = assignee, now if assignee else None
    problem.save(update_fields=["assignee", "claimed_at"])
    audit(
        actor,
        "problem.assigned",
        problem,
        changes={"assignee": [before, assignee.label if assignee else None]},
        now=now,
    )
    return problem


@transaction.atomic
def transition(
    *,
    actor: User,
    problem: Problem,
    action: str,
    now: datetime,
    reason: str = "",
    cancel_reason: str = "",
) -> Problem:
    """Apply one entry of ``problem_states.TRANSITIONS``: check who may, lock, move the
    state, set the due time, write a memo (flag, reason, 工号, time) and an audit event."""
    return apply_transition(
        actor=actor,
        problem=problem,
        action=action,
        now=now,
        reason=reason,
        cancel_reason=cancel_reason,
        write_memo=True,
    )


def apply_transition(
    *,
    actor: User,
    problem: Problem,
    action: str,
    now: datetime,
    reason: str = "",
    cancel_reason: str = "",
    write_memo: bool,
) -> Problem:
    """``transition`` for the workflows, which write their own, more telling memo first."""
    require(actor, "problems.view", problem)
    problem = problem_locked(problem)
    entry = transition_for(problem.state, action)
    if entry is None:
        known = TRANSITIONS.get(action)
        raise ProblemConflict(
            _("问题订单当前为「%(state)s」，无法执行「%(action)s」。")
            % {"state": problem.get_state_display(), "action": known.label}
            if known
            else _("问题订单当前为「%(state)s」，无法执行该操作。")
            % {"state": problem.get_state_display()}
        )
    require(actor, entry.permission, problem)
    reason = reason.strip()
    if action == "cancel":
        if cancel_reason not in CancelReason.values:
            raise ProblemError(_("请选择取消原因。"))
        reason = reason or CancelReason(cancel_reason).label
    if entry.needs_reason and not reason:
        raise ProblemError(_("请填写处理结果或原因。"))
    if entry.holds:
        problem_hold(actor=actor, problem=problem, now=now)
    before = problem.state
    problem.state = entry.target
    if entry.due_after is not None:
        problem.due_at = now + entry.due_after
    if entry.target in FINISHED_PROBLEM_STATES:
        problem.closed_at = now
        problem.resolution = reason[:300]
        problem.cancel_reason = cancel_reason if action == "cancel" else ""
    else:
        problem.closed_at = None
        if action == "reopen":
            problem.resolution, problem.cancel_reason = "", ""
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        raise ProblemConflict(_("该订单已有同类的待处理问题，无法重新打开。")) from None
    if write_memo:
        memo_write(
            actor=actor,
            order=problem.order,
            reason=f"{problem.get_category_display()}·{entry.label}"
            + (f"：{reason}" if reason else ""),
            flag=entry.flag,
            now=now,
        )
    audit(
        actor,
        f"problem.{action}",
        problem,
        changes={"state": [before, problem.state], "reason": [None, reason or None]},
        now=now,
    )
    if problem.state == ProblemState.RESOLVED:
        problem_event("problem.resolved", problem, now=now)
    return problem


@transaction.atomic
def problem_note(
    *, actor: User, problem: Problem, text: str, now: datetime, flag: MemoFlag = MemoFlag.RED
) -> Problem:
    """A free note on a problem: written as a memo on its order (who packs it sees it)."""
    require(actor, "problems.work", problem)
    text, flag = memo_checked(text, flag)
    problem = problem_locked(problem)
    problem_hold(actor=actor, problem=problem, now=now)
    memo_write(actor=actor, order=problem.order, reason=text, flag=flag, now=now)
    audit(actor, "problem.noted", problem, changes={"note": [None, text[:300]]}, now=now)
    return problem


def problem_record(problem: Problem, step: str, **values) -> None:
    """Append a workflow step to the problem's detail (kept for the order card)."""
    steps = problem.detail.setdefault("steps", [])
    steps.append({"step": step, **values})


@transaction.atomic
def problem_report(
    *, actor: User, order: Order, category: ProblemCategory, now: datetime, note: str = ""
) -> tuple[Problem, bool]:
    """An agent flags an order as a problem (any role: a pre-sale agent hears of an
    address change in chat). The note becomes a memo so the in-sale agent and the packer
    see why."""
    if category not in ProblemCategory.values:
        raise ProblemError(_("请选择问题类别。"))
    note = note.strip()
    problem, created = problem_open(
        actor=actor,
        order=order,
        category=category,
        now=now,
        detail={"note": note} if note else None,
    )
    if note:
        memo_write(
            actor=actor,
            order=order,
            reason=f"{ProblemCategory(category).label}：{note}",
            flag=MemoFlag.RED,
            now=now,
        )
    return problem, created
