"""Seller memos (卖家备注) on orders: what the packer and every agent see on the order.

Problem workflows write them through ``memo_write`` after their own permission check; an
agent's own memo goes through ``order_memo_add``."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit

from ..errors import ProblemError
from ..models import Memo, MemoFlag, Order


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


def memo_checked(reason: str, flag: str) -> tuple[str, MemoFlag]:
    """The memo an agent typed, trimmed, and its flag; refuses an empty memo or an
    unknown flag before anything is locked or written."""
    reason = reason.strip()
    if not reason:
        raise ProblemError(_("备注内容不能为空。"))
    if flag not in MemoFlag.values:
        raise ProblemError(_("请选择旗帜颜色。"))
    return reason, MemoFlag(flag)


@transaction.atomic
def order_memo_add(
    *, actor: User, order: Order, reason: str, now: datetime, flag: MemoFlag = MemoFlag.RED
) -> Memo:
    """A memo an agent writes on an order directly (order page, API)."""
    require(actor, "problems.work", order)
    reason, flag = memo_checked(reason, flag)
    return memo_write(actor=actor, order=order, reason=reason, flag=flag, now=now)
