"""Out of stock: offer the buyer a similar item, a refund or a wait, then record their choice."""

from datetime import datetime

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import audit

from ...errors import ProblemError
from ...models import MemoFlag, Problem, ProblemCategory, Sku
from ..buyers import stock_wish_add
from ..memos import memo_write
from ..problems import problem_record
from .steps import finish_workflow, start_workflow


class StockChoice(TextChoices):
    SIMILAR = "similar", gettext_lazy("换相似款")
    REFUND = "refund", gettext_lazy("退款")
    WAIT = "wait", gettext_lazy("等待到货")


@transaction.atomic
def problem_stock_offer(
    *, actor: User, problem: Problem, now: datetime, similar_sku: Sku | None = None
) -> Problem:
    """Put the three options to the buyer (similar item, refund, wait) and wait for the
    answer. ``similar_sku`` is the in-stock item the agent proposes."""
    problem = start_workflow(actor, problem, {ProblemCategory.OUT_OF_STOCK}, now)
    similar = _similar(problem, similar_sku)
    memo_write(
        actor=actor,
        order=problem.order,
        reason="缺货：已向买家提供换相似款"
        + (f"（{similar}）" if similar else "")
        + "、退款、等待到货三个方案，等买家答复",
        flag=MemoFlag.YELLOW,
        now=now,
    )
    problem_record(problem, "stock_offer", similar=similar_sku.code if similar_sku else "")
    audit(actor, "problem.stock_offer", problem, changes={"similar": [None, similar]}, now=now)
    return finish_workflow(actor, problem, "wait_buyer", "已提供三个方案", now)


def _similar(problem: Problem, sku: Sku | None) -> str:
    if sku is None:
        return ""
    if sku.shop_id != problem.shop_id:
        raise ProblemError(_("请选择本店的商品。"))
    if sku.stock <= 0:
        raise ProblemError(_("%(sku)s 也没有库存，请换一款有货的商品。") % {"sku": sku})
    return str(sku)


@transaction.atomic
def problem_stock_choose(
    *,
    actor: User,
    problem: Problem,
    choice: str,
    now: datetime,
    sku: Sku | None = None,
    similar_sku: Sku | None = None,
) -> Problem:
    """Record the buyer's choice. similar: ship ``similar_sku`` instead; refund: refund on
    the platform; wait: a stock wish for the missing ``sku`` so the buyer hears when it
    is back. Each writes a memo for the packer and resolves the problem."""
    problem = start_workflow(actor, problem, {ProblemCategory.OUT_OF_STOCK}, now)
    if choice not in StockChoice.values:
        raise ProblemError(_("请选择买家的决定：换相似款、退款或等待到货。"))
    order = problem.order
    if choice == StockChoice.SIMILAR:
        if similar_sku is None:
            raise ProblemError(_("请选择要换成的相似款。"))
        similar = _similar(problem, similar_sku)
        reason = f"缺货：买家同意换为「{similar}」，请按新款发货"
        flag = MemoFlag.RED  # a substitute changes what ships: red, as packers scan for
    elif choice == StockChoice.REFUND:
        reason, flag = "缺货：买家选择退款，本单请勿发货，在平台办理退款", MemoFlag.RED
    else:
        if sku is None or order.buyer is None:
            raise ProblemError(_("请选择缺货的商品，并确认订单有买家档案。"))
        if sku.shop_id != problem.shop_id:
            raise ProblemError(_("请选择本店的商品。"))
        stock_wish_add(actor=actor, buyer=order.buyer, sku=sku, now=now)
        reason, flag = f"缺货：买家愿意等待「{sku}」到货，到货后优先发出", MemoFlag.BLUE
    memo_write(actor=actor, order=order, reason=reason, flag=flag, now=now)
    problem_record(problem, "stock_choice", choice=choice)
    problem.detail["stock_choice"] = choice
    audit(actor, "problem.stock_choice", problem, changes={"choice": [None, choice]}, now=now)
    return finish_workflow(actor, problem, "resolve", f"买家选择：{StockChoice(choice).label}", now)
