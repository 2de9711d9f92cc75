"""Buyer messages arriving from any channel."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from live.events import conversation_changed
from orders.models import Buyer
from orders.selectors import buyer_latest_item_title
from teamwork.events import conversation_event
from teamwork.routing import conversation_route

from ..errors import InvalidMessage
from ..media import ChatImage, check_image_count, message_images_store
from ..models import (
    MAX_MESSAGE_LENGTH,
    Channel,
    ChannelKind,
    Conversation,
    ConversationState,
    Message,
    Sender,
)
from ..previews import message_preview

MAX_NICK_LENGTH = 64
MAX_EXTERNAL_ID_LENGTH = 64


def clean_buyer_text(text, *, may_be_empty: bool = False) -> str:
    """The message text; it may be empty only when the message carries images."""
    if may_be_empty and (text is None or (isinstance(text, str) and not text.strip())):
        return ""
    if not isinstance(text, str) or not text.strip():
        raise InvalidMessage(_("消息内容不能为空。"), field="text")
    text = text.strip()
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidMessage(
            _("消息不能超过 %(n)s 个字。") % {"n": MAX_MESSAGE_LENGTH}, field="text"
        )
    return text


def clean_nick(nick) -> str:
    if not isinstance(nick, str) or not nick.strip():
        raise InvalidMessage(_("请填写买家昵称。"), field="buyer_nick")
    nick = nick.strip()
    if len(nick) > MAX_NICK_LENGTH:
        raise InvalidMessage(
            _("昵称不能超过 %(n)s 个字。") % {"n": MAX_NICK_LENGTH}, field="buyer_nick"
        )
    return nick


def _open_conversation(channel: Channel, buyer: Buyer, browser_conversation_id: int | None):
    """A signed channel: the buyer's open conversation on it. The web chat page: only the
    conversation this browser started (its id travels in the signed cookie), because a
    web-chat nick is self-declared and must not reveal another visitor's conversation."""
    conversations = Conversation.objects.select_for_update().filter(
        channel=channel, buyer=buyer, state__in=[ConversationState.QUEUED, ConversationState.ACTIVE]
    )
    if channel.kind == ChannelKind.WEBCHAT and browser_conversation_id is not None:
        conversations = conversations.filter(pk=browser_conversation_id or 0)
    return conversations.order_by("-last_message_at").first()


def buyer_message_receive(
    *,
    channel: Channel,
    buyer_nick: str,
    text: str,
    now: datetime,
    external_id: str | None = None,
    sent_at: datetime | None = None,
    browser_conversation_id: int | None = None,
    images: Sequence[ChatImage] = (),
) -> tuple[Message, bool]:
    """Store one buyer message and route its conversation. Returns (message, created);
    the web chat page passes ``browser_conversation_id`` (0 when the browser has none yet);
    a message whose ``external_id`` the channel already delivered is returned as stored,
    created=False, and nothing changes (the unique (channel, external_id) constraint).
    ``images`` are already re-encoded (chats.media.chat_image_clean); with images the
    text may be empty."""
    check_image_count(images)
    text = clean_buyer_text(text, may_be_empty=bool(images))
    nick = clean_nick(buyer_nick)
    if external_id is not None and len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise InvalidMessage(_("message_id 过长。"), field="message_id")
    sent_at = min(sent_at or now, now)
    with transaction.atomic():
        if external_id is not None:
            existing = Message.objects.filter(channel=channel, external_id=external_id).first()
            if existing:
                return existing, False
        buyer, _created = Buyer.objects.get_or_create(shop_id=channel.shop_id, nick=nick)
        # One buyer's messages are routed one at a time, so two messages arriving together
        # never open two conversations. FOR NO KEY UPDATE: it still excludes a second
        # intake, but not the foreign-key checks of rows pointing at the buyer. A plain
        # FOR UPDATE deadlocked with a reply, which holds the conversation's lock while its
        # outbox row's foreign key waits on the buyer, while this waited on the conversation.
        Buyer.objects.select_for_update(no_key=True).filter(pk=buyer.pk).first()
        conversation = _open_conversation(channel, buyer, browser_conversation_id)
        is_new = conversation is None
        if is_new:
            conversation = Conversation.objects.create(
                shop_id=channel.shop_id,
                channel=channel,
                buyer=buyer,
                created_at=now,
                last_message_at=sent_at,
            )
            conversation_event("conversation.created", conversation, now=now)
            conversation_route(
                conversation=conversation,
                text=text,
                now=now,
                product_title=lambda: buyer_latest_item_title(conversation.buyer_id),
            )
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    conversation=conversation,
                    sender=Sender.BUYER,
                    text=text,
                    channel=channel,
                    external_id=external_id,
                    sent_at=sent_at,
                )
        except IntegrityError:
            return Message.objects.get(channel=channel, external_id=external_id), False
        message_images_store(message=message, images=list(images), now=now)
        starts_wait = conversation.awaiting_reply_since is None
        conversation.buyer_message_count += 1
        conversation.unread_count += 1
        conversation.last_message_at = max(conversation.last_message_at, sent_at)
        conversation.last_buyer_message_at = now
        conversation.last_message_preview = message_preview(text, with_images=bool(images))
        if starts_wait:
            conversation.awaiting_reply_since = now
        conversation.save(
            update_fields=[
                "buyer_message_count",
                "unread_count",
                "last_message_at",
                "last_buyer_message_at",
                "awaiting_reply_since",
                "last_message_preview",
            ]
        )
        _schedule_followups(conversation, is_new=is_new, starts_wait=starts_wait)
        conversation_changed("message", conversation, message=message)
    return message, True


def _schedule_followups(conversation: Conversation, *, is_new: bool, starts_wait: bool) -> None:
    from ..tasks import assign_conversation, greet_if_unanswered

    if is_new:
        assign_conversation.delay_on_commit(conversation.pk)
    first_wait = (
        starts_wait and conversation.auto_greeted_at is None and conversation.response_count == 0
    )
    if first_wait:
        delay = conversation.shop.greeting_delay_seconds
        greet_if_unanswered.apply_async_on_commit((conversation.pk,), countdown=delay)
