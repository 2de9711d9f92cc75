"""A new address for the order: edited before shipping, asked of the courier after it
(改签/撤件), and the courier's answer."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit, changed_fields

from ...errors import ProblemConflict, ProblemError
from ...models import (
    ACTIVE_PROBLEM_STATES,
    CourierRequest,
    CourierRequestKind,
    CourierRequestStatus,
    MemoFlag,
    Order,
    Problem,
    ProblemCategory,
)
from ...states import AWAITING_SHIPMENT_STATES, SHIPPED_STATES, UNPAID_STATES, OrderState
from ..memos import memo_write
from ..problems import apply_transition, problem_record
from .steps import finish_workflow, start_workflow

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
    problem = start_workflow(actor, problem, ADDRESS_CATEGORIES, now)
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
        return finish_workflow(actor, problem, "resolve", "未发货，已按新地址修改订单", now)
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
            changes={"courier_request": [None, kind], "new_address": [None, new_address]},
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
