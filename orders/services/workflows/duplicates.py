"""A buyer's duplicate or multi-address orders, settled as a group with the buyer's words."""

from datetime import datetime

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import audit

from ...errors import ProblemError
from ...models import MemoFlag, Order, Problem, ProblemCategory
from ...selectors import duplicate_group
from ..memos import memo_write
from ..problems import problem_hold
from .steps import finish_workflow, start_workflow


class DuplicateDecision(TextChoices):
    MERGE = "merge", gettext_lazy("合并发货")
    CLOSE = "close", gettext_lazy("只保留一单，其余关闭")
    SEPARATE = "separate", gettext_lazy("分别发货")


@transaction.atomic
def problem_duplicate_settle(
    *,
    actor: User,
    problem: Problem,
    decision: str,
    buyer_words: str,
    now: datetime,
    keep: Order | None = None,
) -> list[Problem]:
    """Settle a buyer's duplicate/multi-address orders with the buyer's own words:
    merge into ``keep``'s parcel, keep ``keep`` and close the others, or ship each
    separately. Every order of the group gets a memo; every active duplicate problem of
    the group is resolved. Returns the resolved problems."""
    problem = start_workflow(actor, problem, {ProblemCategory.DUPLICATE_ORDERS}, now)
    buyer_words = buyer_words.strip()
    if decision not in DuplicateDecision.values:
        raise ProblemError(_("请选择处理方式：合并、关闭多余订单或分别发货。"))
    if not buyer_words:
        raise ProblemError(_("请记录买家的原话，作为处理依据。"))
    group = list(duplicate_group_locked(problem))
    orders = {p.order_id: p.order for p in group}
    if decision != DuplicateDecision.SEPARATE and (keep is None or keep.pk not in orders):
        raise ProblemError(_("请选择要保留的订单（须是这组重复订单之一）。"))
    for member in group:
        if member.pk != problem.pk:
            problem_hold(actor=actor, problem=member, now=now)
    quote = f"（买家原话：{buyer_words}）"
    for order in orders.values():
        if decision == DuplicateDecision.SEPARATE:
            reason = "重复订单：买家确认分别发往各自地址"
        elif decision == DuplicateDecision.MERGE:
            reason = (
                "重复订单：买家确认合并，以本单地址一起发货"
                if order.pk == keep.pk
                else f"重复订单：买家确认合并，本单商品并入订单{keep.order_id}一起发货"
            )
        else:
            reason = (
                "重复订单：买家确认保留本单"
                if order.pk == keep.pk
                else f"重复订单：买家确认只要订单{keep.order_id}，本单请勿发货并关闭"
            )
        memo_write(actor=actor, order=order, reason=reason + quote, flag=MemoFlag.RED, now=now)
    settled = []
    label = DuplicateDecision(decision).label
    for member in group:
        member.detail["duplicate"] = {
            "decision": decision,
            "keep": keep.order_id if keep else "",
            "buyer_words": buyer_words,
        }
        audit(
            actor,
            "problem.duplicate_settled",
            member,
            changes={"decision": [None, decision]},
            now=now,
        )
        settled.append(finish_workflow(actor, member, "resolve", f"{label}{quote}", now))
    return settled


def duplicate_group_locked(problem: Problem):
    """The problem's duplicate group (``selectors.duplicate_group``), locked."""
    return (
        duplicate_group(problem)
        .select_for_update(of=("self",))
        .select_related("order", "assignee")
        .order_by("pk")
    )
