"""Ending a conversation: the outcome the KPIs count, the thanks script, a satisfaction
survey the buyer answers once, and the idle close that tidies forgotten chats."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Shop, User
from accounts.permissions import can, require
from accounts.roles import Role
from approvals.services import notify
from audit.services import audit
from live.events import conversation_changed
from orders.models import Order
from teamwork.events import conversation_event

from ..errors import AlreadyClaimed, ChatError, ConversationClosed
from ..models import Conversation, ConversationState, OutboxKind, Outcome, Sender
from ..scripting import scripted_text
from ..states import ConversationAction, transition
from .replies import locked, post_message

SURVEY_SALT = "chats.survey"
SURVEY_MAX_AGE = timedelta(days=7)


def survey_token(conversation: Conversation) -> str:
    return signing.dumps({"c": conversation.pk}, salt=SURVEY_SALT)


def survey_url(conversation: Conversation) -> str:
    """Absolute when HELPDESK_PUBLIC_URL is set (a bridge buyer opens it outside the site)."""
    path = reverse("buyer_chat:survey", args=[survey_token(conversation)])
    return getattr(settings, "HELPDESK_PUBLIC_URL", "").rstrip("/") + path


@transaction.atomic
def conversation_close(
    *,
    actor: User,
    conversation: Conversation,
    outcome: Outcome,
    now: datetime,
    order: Order | None = None,
) -> Conversation:
    """Close with an outcome. A paid outcome names the buyer's order. Unless it was spam,
    the buyer gets the thanks script and a 1–5 satisfaction link."""
    require(actor, "chats.work", conversation)
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    if conversation.assignee_id not in (None, actor.pk) and not can(
        actor, "chats.supervise", conversation
    ):
        raise AlreadyClaimed(_("该会话由其他客服接待中。"))
    outcome = Outcome(outcome)
    if order is not None and (
        order.shop_id != conversation.shop_id or order.buyer_id != conversation.buyer_id
    ):
        raise ChatError(_("只能选择本会话买家的订单。"))
    if outcome == Outcome.PAID and order is None:
        raise ChatError(_("成交的会话请选择已付款的订单。"))
    if outcome == Outcome.PAID and order.paid_at is None and order.paid_amount is None:
        raise ChatError(_("该订单还没有付款。"))
    transition(conversation, ConversationAction.CLOSE)
    conversation.outcome = outcome
    conversation.outcome_order = order
    conversation.closed_at = now
    conversation.awaiting_reply_since = None
    conversation.unread_count = 0
    conversation.save(
        update_fields=[
            "state",
            "outcome",
            "outcome_order",
            "closed_at",
            "awaiting_reply_since",
            "unread_count",
        ]
    )
    if outcome != Outcome.SPAM:
        thanks = scripted_text(conversation, "farewell", agent=actor, order=order)
        post_message(conversation, sender=Sender.AUTO, text=thanks, now=now)
        post_message(
            conversation,
            sender=Sender.SYSTEM,
            text=f"请为本次服务打分（1–5 星）：{survey_url(conversation)}",
            now=now,
            kind=OutboxKind.SURVEY,
        )
    audit(actor, "conversation.closed", conversation, changes={"outcome": ["", outcome]}, now=now)
    conversation_changed("queue", conversation)
    conversation_event("conversation.closed", conversation, now=now)
    return conversation


def survey_conversation(token: str) -> Conversation:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.BadSignature:
        raise ChatError(_("评价链接无效或已过期。")) from None
    conversation = Conversation.objects.select_related("shop").filter(pk=data.get("c")).first()
    if conversation is None:
        raise ChatError(_("评价链接无效或已过期。"))
    return conversation


@transaction.atomic
def survey_answer(*, token: str, rating: int, now: datetime) -> Conversation:
    """The buyer's 1–5 rating, accepted once (a conditional update on an empty rating)."""
    conversation = survey_conversation(token)
    if rating not in (1, 2, 3, 4, 5):
        raise ChatError(_("请选择 1 到 5 星。"))
    updated = Conversation.objects.filter(pk=conversation.pk, csat_rating__isnull=True).update(
        csat_rating=rating, csat_answered_at=now
    )
    if not updated:
        raise ChatError(_("您已经评价过了，感谢您的反馈！"))
    audit(
        None, "conversation.rated", conversation, changes={"csat_rating": [None, rating]}, now=now
    )
    conversation.csat_rating = rating
    return conversation


def close_idle(*, shop: Shop | None, now: datetime) -> dict:
    """Close open conversations with no buyer message for the shop's idle time, but only
    when a person answered the buyer's last message: an unanswered buyer is never closed
    away. Such a conversation stays open (it is red in the queue since the 100-second
    alert); if nobody has taken it by the idle time, it is handed to a supervisor.
    A second run finds nothing left to do."""
    shops = [shop] if shop is not None else list(Shop.objects.filter(is_active=True))
    closed = handed = skipped = 0
    for each in shops:
        cutoff = now - timedelta(minutes=each.idle_close_minutes)
        open_idle = Conversation.objects.filter(
            shop=each,
            state__in=[ConversationState.QUEUED, ConversationState.ACTIVE],
            last_buyer_message_at__lt=cutoff,
        )
        answered = open_idle.filter(awaiting_reply_since__isnull=True)
        for conversation_id in list(answered.values_list("pk", flat=True)):
            if _close_if_idle(conversation_id, cutoff=cutoff, now=now):
                closed += 1
            else:
                skipped += 1
        unclaimed = open_idle.filter(
            awaiting_reply_since__lt=cutoff, state=ConversationState.QUEUED
        )
        for conversation_id in list(unclaimed.values_list("pk", flat=True)):
            if _hand_to_supervisor(conversation_id, cutoff=cutoff, now=now):
                handed += 1
    return {"closed": closed, "handed": handed, "skipped": skipped}


@transaction.atomic
def _close_if_idle(conversation_id: int, *, cutoff: datetime, now: datetime) -> bool:
    conversation = locked(Conversation(pk=conversation_id))
    if (
        conversation.state == ConversationState.CLOSED
        or conversation.awaiting_reply_since is not None
        or (conversation.last_buyer_message_at and conversation.last_buyer_message_at >= cutoff)
    ):
        return False
    transition(conversation, ConversationAction.CLOSE)
    conversation.closed_at = now
    conversation.awaiting_reply_since = None
    conversation.unread_count = 0
    conversation.save(update_fields=["state", "closed_at", "awaiting_reply_since", "unread_count"])
    post_message(
        conversation,
        sender=Sender.SYSTEM,
        internal=True,
        now=now,
        text=f"买家 {conversation.shop.idle_close_minutes} 分钟没有新消息，会话已自动结束。",
    )
    audit(
        None,
        "conversation.idle_closed",
        conversation,
        changes={"state": ["open", "closed"]},
        now=now,
    )
    conversation_changed("queue", conversation)
    conversation_event("conversation.closed", conversation, now=now)
    return True


def _least_loaded_supervisor(shop: Shop) -> User | None:
    member_ids = Membership.objects.filter(shop=shop, role=Role.SUPERVISOR).values("user_id")
    return (
        User.objects.filter(pk__in=member_ids, is_active=True)
        .annotate(
            load=Count("conversations", filter=Q(conversations__state=ConversationState.ACTIVE))
        )
        .order_by("load", "pk")
        .first()
    )


@transaction.atomic
def _hand_to_supervisor(conversation_id: int, *, cutoff: datetime, now: datetime) -> bool:
    """Nobody took an unanswered buyer within the idle time: a supervisor holds it now
    (above the per-agent limit, as an escalation) and is told so."""
    conversation = locked(Conversation(pk=conversation_id))
    if (
        conversation.state != ConversationState.QUEUED
        or conversation.assignee_id is not None
        or conversation.awaiting_reply_since is None
        or conversation.awaiting_reply_since >= cutoff
    ):
        return False
    supervisor = _least_loaded_supervisor(conversation.shop)
    if supervisor is None:
        return False
    transition(conversation, ConversationAction.ESCALATE)
    conversation.assignee = supervisor
    conversation.assigned_at = now
    conversation.save(update_fields=["assignee", "state", "assigned_at"])
    waited = int((now - conversation.awaiting_reply_since).total_seconds() // 60)
    post_message(
        conversation,
        sender=Sender.SYSTEM,
        internal=True,
        now=now,
        text=f"买家已等待 {waited} 分钟无人接待，会话转交主管 {supervisor.label}。",
    )
    notify(
        user=supervisor,
        shop=conversation.shop,
        text=f"买家 {conversation.buyer.nick} 等待 {waited} 分钟无人接待，已转交给您",
        link=reverse("chats:conversation", args=[conversation.pk]),
        now=now,
    )
    audit(
        None,
        "conversation.handed_to_supervisor",
        conversation,
        changes={"assignee": [None, supervisor.label]},
        now=now,
    )
    conversation_changed("queue", conversation)
    return True
