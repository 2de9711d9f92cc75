"""The bargaining ladder (议价): a pre-sale agent may erase the small change (抹零) of an
order by themselves, within the shop's limit (a percentage of the order, a number of times
per agent per Shanghai day); anything more is a discount request to the supervisors."""

from datetime import datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from approvals.services import approval_request, notify, on_decided
from audit.services import audit
from orders.models import Order

from ..errors import ChatError, ConversationClosed
from ..models import Concession, ConcessionKind, Conversation, ConversationState, Sender
from ..states import ConversationAction, transition
from .assignment import _locked_presence
from .replies import locked, post_message

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")


def shanghai_day(now: datetime) -> tuple[datetime, datetime]:
    day = now.astimezone(SHANGHAI).date()
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def erase_limit(order: Order, percent: Decimal) -> Decimal:
    base = order.total_amount if order.total_amount is not None else order.paid_amount
    return ((base or Decimal(0)) * percent / 100).quantize(CENT, rounding=ROUND_DOWN)


def erases_today(actor: User, now: datetime) -> int:
    """The agent's erases this Shanghai day in every shop they serve: the allowance is the
    agent's (2–3 a day, DOMAIN.md), so serving several shops does not multiply it."""
    start, end = shanghai_day(now)
    return Concession.objects.filter(
        agent=actor,
        kind=ConcessionKind.ERASE,
        created_at__gte=start,
        created_at__lt=end,
    ).count()


@transaction.atomic
def concession_offer(
    *,
    actor: User,
    conversation: Conversation,
    order: Order,
    amount: Decimal,
    reason: str,
    now: datetime,
) -> Concession:
    """Erase ``amount`` from ``order`` if it is within the agent's own authority; otherwise
    send a discount request (approvals, kind discount, subject the conversation)."""
    require(actor, "chats.work", conversation)
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    if order.shop_id != conversation.shop_id or order.buyer_id != conversation.buyer_id:
        raise ChatError(_("只能为本会话买家的订单让价。"))
    try:
        amount = Decimal(amount).quantize(CENT)
    except (ArithmeticError, TypeError, ValueError):
        raise ChatError(_("请填写正确的金额。")) from None
    if amount <= 0:
        raise ChatError(_("让价金额必须大于 0。"))
    reason = (reason or "").strip()[:300]
    shop = conversation.shop
    _locked_presence(actor, now)  # one agent's erases are counted one at a time
    within_limit = amount <= erase_limit(order, shop.erase_limit_percent)
    has_count_left = erases_today(actor, now) < shop.erase_daily_count
    if within_limit and has_count_left:
        note = _("%(agent)s 为订单 %(order)s 抹零 ¥%(amount)s。")
        return _concession_record(
            actor=actor,
            conversation=conversation,
            order=order,
            kind=ConcessionKind.ERASE,
            amount=amount,
            reason=reason,
            note=note % {"agent": actor.label, "order": order.order_id, "amount": amount},
            now=now,
        )
    if not reason:
        raise ChatError(_("超出抹零权限，需要写明理由提交主管审批。"))
    why = _("超出抹零上限") if not within_limit else _("今日抹零次数已用完")
    request = approval_request(
        actor=actor,
        shop=shop,
        kind=ApprovalKind.DISCOUNT,
        amount=amount,
        reason=_("订单 %(order)s（%(why)s）：%(reason)s")
        % {"order": order.order_id, "why": why, "reason": reason},
        subject=conversation,
        now=now,
    )
    note = _("%(agent)s 为订单 %(order)s 申请优惠 ¥%(amount)s（%(why)s），等待主管审批。")
    return _concession_record(
        actor=actor,
        conversation=conversation,
        order=order,
        kind=ConcessionKind.DISCOUNT_REQUEST,
        amount=amount,
        reason=reason,
        approval=request,
        note=note % {"agent": actor.label, "order": order.order_id, "amount": amount, "why": why},
        now=now,
    )


# What a concession of each kind writes to the audit log: the verb and the changed field.
CONCESSION_AUDIT = {
    ConcessionKind.ERASE: ("conversation.erased", "erase"),
    ConcessionKind.DISCOUNT_REQUEST: ("conversation.discount_requested", "discount"),
}


def _concession_record(
    *,
    actor: User,
    conversation: Conversation,
    order: Order,
    kind: ConcessionKind,
    amount: Decimal,
    reason: str,
    note: str,
    now: datetime,
    approval: ApprovalRequest | None = None,
) -> Concession:
    """Store the concession, tell the conversation's log (``note``) and audit it."""
    concession = Concession.objects.create(
        shop=conversation.shop,
        conversation=conversation,
        order=order,
        agent=actor,
        kind=kind,
        amount=amount,
        reason=reason,
        approval=approval,
        created_at=now,
    )
    post_message(conversation, sender=Sender.SYSTEM, internal=True, now=now, text=note)
    verb, field = CONCESSION_AUDIT[kind]
    audit(actor, verb, conversation, changes={field: [None, str(amount)]}, now=now)
    return concession


@on_decided("chats.conversation")
def discount_decided(request: ApprovalRequest) -> None:
    """The supervisors' answer is posted into the conversation for the agent to relay. If
    the chat closed while the request waited, the answer must not vanish into a closed log:
    it goes to the buyer's open conversation on the same channel, or the closed one is
    reopened for the agent who asked; either way the agent is notified with a link."""
    conversation = Conversation.objects.filter(pk=request.subject_id).first()
    if conversation is None:
        return
    conversation = locked(conversation)
    now = request.decided_at
    if conversation.state == ConversationState.CLOSED:
        conversation = _conversation_for_late_answer(conversation, request.requested_by, now)
        notify(
            user=request.requested_by,
            shop=conversation.shop,
            text=_("买家 %(nick)s 的优惠申请已有答复，请告知买家")
            % {"nick": conversation.buyer.nick},
            link=reverse("chats:conversation", args=[conversation.pk]),
            now=now,
        )
    approved = request.status == ApprovalStatus.APPROVED
    if request.decision_reason:
        answer = (
            _("主管 %(supervisor)s 已批准优惠申请 ¥%(amount)s：%(reason)s")
            if approved
            else _("主管 %(supervisor)s 已拒绝优惠申请 ¥%(amount)s：%(reason)s")
        )
    else:
        answer = (
            _("主管 %(supervisor)s 已批准优惠申请 ¥%(amount)s。")
            if approved
            else _("主管 %(supervisor)s 已拒绝优惠申请 ¥%(amount)s。")
        )
    answer %= {
        "supervisor": request.decided_by.label,
        "amount": request.amount,
        "reason": request.decision_reason,
    }
    post_message(conversation, sender=Sender.SYSTEM, internal=True, now=now, text=answer)
    audit(
        request.decided_by,
        "conversation.discount_decided",
        conversation,
        changes={"discount": [str(request.amount), request.status]},
        now=now,
    )


def _conversation_for_late_answer(closed: Conversation, agent: User, now: datetime):
    current = (
        Conversation.objects.select_for_update()
        .filter(
            channel_id=closed.channel_id,
            buyer_id=closed.buyer_id,
            state__in=[ConversationState.QUEUED, ConversationState.ACTIVE],
        )
        .order_by("-last_message_at")
        .first()
    )
    if current is not None:
        return current
    transition(closed, ConversationAction.REOPEN)
    closed.assignee = agent
    closed.assigned_at = now
    closed.closed_at = None
    closed.outcome = ""
    closed.outcome_order = None
    closed.save(
        update_fields=["state", "assignee", "assigned_at", "closed_at", "outcome", "outcome_order"]
    )
    audit(
        None,
        "conversation.reopened",
        closed,
        changes={"state": [ConversationState.CLOSED, ConversationState.ACTIVE]},
        now=now,
    )
    return closed
