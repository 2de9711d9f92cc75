"""Automatic answers (非服务时间自动答复): when the shop has turned them on and it is outside
its business hours or no agent is online, a buyer message whose best knowledge answer is
confident gets that answer, labelled as automatic, through the chat's outbox. The
conversation stays waiting in the queue for a person; the answer is logged (AutoAnswer) and
audited. Never for complaints, the buyer's own order, small talk or a closed chat."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from audit.services import audit
from chats.models import (
    Conversation,
    ConversationState,
    Message,
    PresenceStatus,
    Sender,
)
from chats.scripting import focus_order
from chats.selectors import side_panel
from chats.services.replies import post_message
from scripts_lib import etiquette

from .intent import never_automatic
from .models import AutoAnswer, AutoAnswerSetting, KnowledgeEntry
from .sources import engine_for

ONLINE_WITHIN = timedelta(minutes=2)


def automatic_label() -> str:
    return _("【自动回复】")


def outside_service(shop, now: datetime) -> bool:
    """Outside the shop's business hours (Shanghai time), or no agent of it online."""
    local = timezone.localtime(now).time()
    start, end = shop.business_hours_start, shop.business_hours_end
    within = start <= local < end if start <= end else (local >= start or local < end)
    if not within:
        return True
    members = Membership.objects.filter(shop=shop).values("user_id")
    online = User.objects.filter(
        pk__in=members,
        is_active=True,
        # A busy (挂起) agent is still at work: the buyer gets a person, later.
        chat_presence__status__in=[PresenceStatus.ONLINE, PresenceStatus.BUSY],
        chat_presence__last_seen_at__gte=now - ONLINE_WITHIN,
    )
    return not online.exists()


def auto_answer(*, message_id: int, now: datetime) -> AutoAnswer | None:
    """Answer one buyer message automatically when every condition holds; at most once
    (AutoAnswer.buyer_message is unique). Returns the log row, or None."""
    message = (
        Message.objects.select_related("conversation__shop", "conversation__buyer")
        .filter(pk=message_id, sender=Sender.BUYER)
        .first()
    )
    if message is None:
        return None
    conversation = message.conversation
    shop = conversation.shop
    setting = AutoAnswerSetting.objects.filter(shop=shop, enabled=True).first()
    if setting is None or conversation.state == ConversationState.CLOSED:
        return None
    if never_automatic(message.text) or not outside_service(shop, now):
        return None
    order = focus_order(side_panel(conversation)["orders"])
    item = order.item_title if order else ""
    suggestions = engine_for(shop).suggest(message.text, item=item, limit=1)
    best = suggestions[0] if suggestions else None
    if best is None or not best.confident or best.source != "knowledge":
        return None
    text = automatic_label() + best.text
    if etiquette.check(text, buyer=conversation.buyer, order=order):
        return None
    entry = KnowledgeEntry.objects.filter(shop=shop, key=best.key).first()
    try:
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if locked.state == ConversationState.CLOSED:
                return None
            log = AutoAnswer.objects.create(
                shop=shop,
                conversation=locked,
                buyer_message=message,
                entry=entry,
                score=best.score,
                created_at=now,
            )
            log.reply = post_message(locked, sender=Sender.AUTO, text=text, now=now)
            log.save(update_fields=["reply"])
            locked.last_message_at = now
            locked.save(update_fields=["last_message_at"])
            audit(
                None,
                "knowledge.auto_answered",
                locked,
                changes={"entry": [None, best.key]},
                now=now,
            )
    except IntegrityError:
        return None  # this message was answered already
    return log
