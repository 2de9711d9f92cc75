from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from live.events import publish

from .errors import AlreadyDecided
from .links import subject_link
from .models import ApprovalKind, ApprovalRequest, ApprovalStatus, Notification

DecisionHandler = Callable[[ApprovalRequest], None]
_handlers: dict[str, DecisionHandler] = {}


def on_decided(subject_type: str) -> Callable[[DecisionHandler], DecisionHandler]:
    """Register what happens to a subject (e.g. "chats.conversation") once decided."""

    def decorator(func: DecisionHandler) -> DecisionHandler:
        _handlers[subject_type] = func
        return func

    return decorator


def approval_request(
    *,
    actor: User,
    shop: Shop,
    kind: ApprovalKind,
    amount: Decimal,
    reason: str,
    subject: models.Model,
    now: datetime,
) -> ApprovalRequest:
    """Called by services that already checked the actor's right to ask."""
    request = ApprovalRequest.objects.create(
        shop=shop,
        kind=kind,
        requested_by=actor,
        amount=amount,
        reason=reason,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        created_at=now,
    )
    audit(actor, "approval.requested", request, changes={"amount": [None, str(amount)]}, now=now)
    return request


@transaction.atomic
def notifications_mark_read(*, actor: User, now: datetime) -> int:
    """Mark every unread notification of ``actor`` read; returns how many were unread."""
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)
    if count:
        audit(actor, "notifications.read", actor, changes={"unread": [count, 0]}, now=now)
    return count


def notify(*, user: User, shop: Shop, text: str, link: str = "", now: datetime) -> Notification:
    notification = Notification.objects.create(
        user=user, shop=shop, text=text, link=link, created_at=now
    )
    publish("notification", user_id=user.pk)
    return notification


@transaction.atomic
def approval_decide(
    *, actor: User, request: ApprovalRequest, approve: bool, reason: str, now: datetime
) -> ApprovalRequest:
    require(actor, "approvals.decide", request)
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ApprovalStatus.PENDING:
        raise AlreadyDecided(_("该申请已经处理过了。"))
    request.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    request.decided_by = actor
    request.decision_reason = reason
    request.decided_at = now
    request.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
    audit(
        actor,
        "approval.decided",
        request,
        changes={"status": [ApprovalStatus.PENDING, request.status]},
        now=now,
    )
    verdict = "已批准" if approve else "已拒绝"
    notify(
        user=request.requested_by,
        shop=request.shop,
        text=f"{request.get_kind_display()} ¥{request.amount}：{verdict}。{reason}".strip(),
        link=subject_link(request.subject_type, request.subject_id),
        now=now,
    )
    handler = _handlers.get(request.subject_type)
    if handler:
        handler(request)
    return request
