"""The in-sale workflows: what an agent does to settle each kind of problem order.

Each one: permission → lock → validate → change → memo (the packer's view) → audit →
move the problem through the state table (``apply_transition`` without a second memo).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import require
from audit.services import audit, changed_fields

from ..errors import ProblemConflict, ProblemError
from ..models import (
    ACTIVE_PROBLEM_STATES,
    CourierRequest,
    CourierRequestKind,
    CourierRequestStatus,
    MemoFlag,
    Order,
    Problem,
    ProblemCategory,
    Sku,
)
from ..selectors import duplicate_group
from ..states import AWAITING_SHIPMENT_STATES, SHIPPED_STATES, UNPAID_STATES, OrderState
from .buyers import stock_wish_add
from .problems import apply_transition, memo_write, problem_hold, problem_locked, problem_record

ADDRESS_CATEGORIES = frozenset(
    {ProblemCategory.ADDRESS_CHANGE, ProblemCategory.ADDRESS_UNCLEAR, ProblemCategory.OUT_OF_AREA}
)
EDITABLE_ADDRESS_STATES = (
    AWAITING_SHIPMENT_STATES | UNPAID_STATES | {OrderState.COD_WAITING_CONFIRM}
)
ADDRESS_FIELDS = [
    "address",
    "province",
    "city",
    "district",
    "address_detail",
    "postcode",
    "receiver_name",
    "mobile",
]


class StockChoice(TextChoices):
    SIMILAR = "similar", gettext_lazy("换相似款")
    REFUND = "refund", gettext_lazy("退款")
    WAIT = "wait", gettext_lazy("等待到货")


class DuplicateDecision(TextChoices):
    MERGE = "merge", gettext_lazy("合并发货")
    CLOSE = "close", gettext_lazy("只保留一单，其余关闭")
    SEPARATE = "separate", gettext_lazy("分别发货")


def _start(actor: User, problem: Problem, categories, now: datetime) -> Problem:
    require(actor, "problems.work", problem)
    problem = problem_locked(problem)
    if problem.category not in categories:
        raise ProblemError(
            _("该操作不适用于「%(category)s」类问题。")
            % {"category": problem.get_category_display()}
        )
    problem_hold(actor=actor, problem=problem, now=now)
    return problem


def _finish(actor: User, problem: Problem, action: str, reason: str, now: datetime) -> Problem:
    problem.save(update_fields=["detail"])
    return apply_transition(
        actor=actor, problem=problem, action=action, reason=reason, now=now, write_memo=False
    )


def compose_address(
    province: str, city: str, district: str, detail: str, postcode: str = ""
) -> str:
    """The report's own layout: ``省 市 区 详细地址(邮编)``."""
    text = " ".join(part.strip() for part in (province, city, district, detail) if part.strip())
    return f"{text} ({postcode.strip()})" if postcode.strip() else text


@transaction.atomic
def problem_change_address(
    *,
    actor: User,
    problem: Problem,
    province: str,
    city: str,
    district: str,
    detail: str,
    now: datetime,
    postcode: str = "",
    receiver_name: str = "",
    mobile: str = "",
    withdraw: bool = False,
) -> Problem:
    """Before shipping: update the order's address, memo it, resolve. After shipping: record
    a redirect (改签) — or, with ``withdraw``, a withdrawal (撤件) — request to the courier,
    memo it and keep the problem open while the courier answers."""
    problem = _start(actor, problem, ADDRESS_CATEGORIES, now)
    if not (province.strip() and city.strip() and district.strip() and detail.strip()):
        raise ProblemError(_("请填写完整的省、市、区和详细地址。"))
    order = Order.objects.select_for_update().get(pk=problem.order_id)
    new_address = compose_address(province, city, district, detail, postcode)
    if order.state in EDITABLE_ADDRESS_STATES:
        before = {f: getattr(order, f) for f in ADDRESS_FIELDS}
        order.address, order.postcode = new_address, postcode.strip()
        order.province, order.city, order.district = (
            province.strip(),
            city.strip(),
            district.strip(),
        )
        order.address_detail = detail.strip()
        order.receiver_name = receiver_name.strip() or order.receiver_name
        order.mobile = mobile.strip() or order.mobile
        order.save()
        memo_write(
            actor=actor,
            order=order,
            reason=f"改地址（未发货）：{before['address'] or '无'} → {new_address}",
            flag=MemoFlag.RED,
            now=now,
        )
        audit(
            actor,
            "order.address_changed",
            order,
            changes=changed_fields(before, order, ADDRESS_FIELDS),
            now=now,
        )
        problem_record(problem, "address_updated", address=new_address, at=now.isoformat())
        return _finish(actor, problem, "resolve", "未发货，已按新地址修改订单", now)
    if order.state in SHIPPED_STATES:
        kind = CourierRequestKind.WITHDRAW if withdraw else CourierRequestKind.REDIRECT
        request = CourierRequest.objects.create(
            shop_id=order.shop_id,
            order=order,
            problem=problem,
            kind=kind,
            courier=order.courier,
            tracking_number=order.tracking_number,
            new_address=new_address,
            created_by=actor,
            created_at=now,
        )
        action = "撤件" if withdraw else f"改签至：{new_address}"
        memo_write(
            actor=actor,
            order=order,
            reason=f"改地址（已发货）：已向{order.courier or '快递'}"
            f"（{order.tracking_number or '无单号'}）申请{action}",
            flag=MemoFlag.RED,
            now=now,
        )
        audit(
            actor,
            "order.courier_request",
            order,
            changes={"courier_request": [None, f"{kind}:{new_address}"]},
            now=now,
        )
        problem_record(problem, "courier_request", request=request.pk, kind=kind)
        problem.save(update_fields=["detail"])
        if problem.state == "open":
            return apply_transition(
                actor=actor, problem=problem, action="contact", now=now, write_memo=False
            )
        return problem
    raise ProblemError(_("订单已签收或已关闭，无法再修改地址。"))


@transaction.atomic
def courier_request_settle(
    *, actor: User, request: CourierRequest, succeeded: bool, now: datetime
) -> CourierRequest:
    """Record the courier's answer to a redirect/withdraw request; success resolves the
    problem, failure leaves it open for the agent's next step."""
    require(actor, "problems.work", request)
    request = CourierRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CourierRequestStatus.REQUESTED:
        raise ProblemConflict(_("该快递申请已有结果。"))
    request.status = CourierRequestStatus.DONE if succeeded else CourierRequestStatus.FAILED
    request.save(update_fields=["status"])
    outcome = "成功" if succeeded else "失败"
    memo_write(
        actor=actor,
        order=request.order,
        reason=f"快递{request.get_kind_display()}{outcome}",
        flag=MemoFlag.GREEN if succeeded else MemoFlag.RED,
        now=now,
    )
    audit(
        actor,
        "order.courier_request_settled",
        request,
        changes={"status": [None, outcome]},
        now=now,
    )
    problem = request.problem
    if succeeded and problem is not None and problem.state in ACTIVE_PROBLEM_STATES:
        apply_transition(
            actor=actor,
            problem=problem,
            action="resolve",
            reason=f"快递{request.get_kind_display()}成功",
            now=now,
            write_memo=False,
        )
    return request


@transaction.atomic
def problem_stock_offer(
    *, actor: User, problem: Problem, now: datetime, similar_sku: Sku | None = None
) -> Problem:
    """Put the three options to the buyer (similar item, refund, wait) and wait for the
    answer. ``similar_sku`` is the in-stock item the agent proposes."""
    problem = _start(actor, problem, {ProblemCategory.OUT_OF_STOCK}, now)
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
    return _finish(actor, problem, "wait_buyer", "已提供三个方案", now)


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
    problem = _start(actor, problem, {ProblemCategory.OUT_OF_STOCK}, now)
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
    return _finish(actor, problem, "resolve", f"买家选择：{StockChoice(choice).label}", now)


@transaction.atomic
def problem_cod_confirm(
    *, actor: User, problem: Problem, consent: bool, now: datetime, note: str = ""
) -> Problem:
    """COD confirmation: with the buyer's consent the order ships cash-on-delivery, but
    only where the shop's courier delivers (DOMAIN.md: "courier must reach the address");
    on refusal the packer is told not to ship and the buyer re-orders with online payment.
    Both memos change what ships, so both carry the red flag packers scan for."""
    from ..detection import courier_unreachable

    problem = _start(actor, problem, {ProblemCategory.COD_CONFIRM}, now)
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
    return _finish(actor, problem, "resolve", result, now)


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
    problem = _start(actor, problem, {ProblemCategory.DUPLICATE_ORDERS}, now)
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
        settled.append(_finish(actor, member, "resolve", f"{label}{quote}", now))
    return settled


def duplicate_group_locked(problem: Problem):
    """The problem's duplicate group (``selectors.duplicate_group``), locked."""
    return (
        duplicate_group(problem)
        .select_for_update(of=("self",))
        .select_related("order", "assignee")
        .order_by("pk")
    )
