"""Cash on delivery: ship it that way with the buyer's consent where the courier delivers."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit

from ...errors import ProblemError
from ...models import MemoFlag, Problem, ProblemCategory
from ..memos import memo_write
from .steps import finish_workflow, start_workflow


@transaction.atomic
def problem_cod_confirm(
    *, actor: User, problem: Problem, consent: bool, now: datetime, note: str = ""
) -> Problem:
    """COD confirmation: with the buyer's consent the order ships cash-on-delivery, but
    only where the shop's courier delivers (DOMAIN.md: "courier must reach the address");
    on refusal the packer is told not to ship and the buyer re-orders with online payment.
    Both memos change what ships, so both carry the red flag packers scan for."""
    from ...detection import courier_unreachable

    problem = start_workflow(actor, problem, {ProblemCategory.COD_CONFIRM}, now)
    note = note.strip()
    if consent:
        unreachable = courier_unreachable(problem.order, problem.shop)
        if unreachable:
            raise ProblemError(
                _("快递无法送达该地址（%(why)s），无法按货到付款发货：请买家改为在线支付。")
                % {"why": unreachable}
            )
        reason = "货到付款：买家已确认费用，可按货到付款发货"
        flag, result = MemoFlag.RED, "买家同意货到付款"
    else:
        reason = "货到付款：买家不接受，本单请勿发货，买家改为在线支付重新下单"
        flag, result = MemoFlag.RED, "买家不接受货到付款，改为重新下单"
    if note:
        reason += f"（{note}）"
    memo_write(actor=actor, order=problem.order, reason=reason, flag=flag, now=now)
    problem.detail["cod"] = "consent" if consent else "refused"
    audit(actor, "problem.cod_confirmed", problem, changes={"consent": [None, consent]}, now=now)
    return finish_workflow(actor, problem, "resolve", result, now)
