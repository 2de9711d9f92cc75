"""Sweeps over open conversations: the safety net for the automatic greeting and the
100-second alert that turns a conversation red and tells the supervisors."""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse

from accounts.models import Membership, Shop
from accounts.permissions import ACTIONS
from approvals.services import notify
from audit.services import audit
from live.events import publish

from ..models import Conversation, ConversationState
from .replies import conversation_auto_greet, locked

OPEN_STATES = [ConversationState.QUEUED, ConversationState.ACTIVE]


def _shops(shop: Shop | None) -> list[Shop]:
    return [shop] if shop is not None else list(Shop.objects.filter(is_active=True))


def greet_due(*, shop: Shop | None, now: datetime) -> dict:
    """Greet every conversation whose first message has waited past the shop's delay
    (in case the countdown task was lost)."""
    sent = skipped = 0
    for each in _shops(shop):
        due = Conversation.objects.filter(
            shop=each,
            state__in=OPEN_STATES,
            auto_greeted_at__isnull=True,
            response_count=0,
            awaiting_reply_since__lte=now - timedelta(seconds=each.greeting_delay_seconds),
        ).values_list("pk", flat=True)
        for conversation_id in list(due[:500]):
            if conversation_auto_greet(conversation_id=conversation_id, now=now):
                sent += 1
            else:
                skipped += 1
    return {"sent": sent, "skipped": skipped}


def alert_unanswered(*, shop: Shop | None, now: datetime) -> dict:
    """A buyer unanswered for the shop's alert time (100 s by default): the conversation
    is red in every queue (computed on read) and each supervisor gets one notification."""
    alerted = 0
    for each in _shops(shop):
        due = Conversation.objects.filter(
            shop=each,
            state__in=OPEN_STATES,
            alerted_at__isnull=True,
            awaiting_reply_since__lte=now - timedelta(seconds=each.unanswered_alert_seconds),
        ).values_list("pk", flat=True)
        supervisors = None
        for conversation_id in list(due[:500]):
            if supervisors is None:
                supervisors = [
                    m.user
                    for m in Membership.objects.filter(
                        shop=each, role__in=ACTIONS["chats.supervise"], user__is_active=True
                    ).select_related("user")
                ]
            alerted += _alert(conversation_id, supervisors, now=now)
    return {"sent": alerted, "skipped": 0}


@transaction.atomic
def _alert(conversation_id: int, supervisors: list, *, now: datetime) -> int:
    conversation = locked(Conversation(pk=conversation_id))
    if conversation.alerted_at is not None or conversation.awaiting_reply_since is None:
        return 0
    conversation.alerted_at = now
    conversation.save(update_fields=["alerted_at"])
    waited = int((now - conversation.awaiting_reply_since).total_seconds())
    holder = conversation.assignee.label if conversation.assignee else "无人接待"
    for supervisor in supervisors:
        notify(
            user=supervisor,
            shop=conversation.shop,
            text=f"买家 {conversation.buyer.nick} 已等待 {waited} 秒未回复（{holder}）",
            link=reverse("chats:conversation", args=[conversation.pk]),
            now=now,
        )
    audit(
        None,
        "conversation.unanswered_alert",
        conversation,
        changes={"waited": [None, waited]},
        now=now,
    )
    publish("alert", shop_id=conversation.shop_id, conversation=conversation.pk)
    return 1
