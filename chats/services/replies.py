"""Messages from the shop to the buyer: agent replies, the automatic greeting, system
notes. Response times are measured on human replies only."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require
from audit.services import audit
from live.events import conversation_changed

from ..errors import AlreadyClaimed, ConversationClosed, InvalidMessage
from ..media import message_images_store
from ..models import (
    MAX_MESSAGE_LENGTH,
    ChannelKind,
    Conversation,
    ConversationState,
    Message,
    OutboxKind,
    Sender,
)
from ..outbox import outbox_enqueue
from ..previews import message_preview
from ..scripting import greeting_text
from .collision import require_seen

WITHIN_3_MINUTES = 180


def clean_agent_text(text: str, *, with_images: bool = False) -> str:
    """The reply's text; it may be empty only when images go with it."""
    text = (text or "").strip()
    if not text and not with_images:
        raise InvalidMessage(_("回复内容不能为空。"))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidMessage(_("回复不能超过 %(n)s 个字。") % {"n": MAX_MESSAGE_LENGTH})
    return text


def post_message(
    conversation: Conversation,
    *,
    sender: Sender,
    text: str,
    now: datetime,
    author: User | None = None,
    internal: bool = False,
    findings: list | None = None,
    kind: OutboxKind = OutboxKind.REPLY,
    card: dict | None = None,
    images=(),
) -> Message:
    """Write a shop-side message (with ``images``: chats.media.ChatImage, already
    re-encoded); on a bridged conversation it also leaves through the channel's webhook via
    the outbox (one row per message, key "<kind>:<message id>", images read from the
    message when it is delivered).

    The conversation's row lock is taken before the message gets its id (a no-op for
    callers that hold it already): two writers of one conversation then take their ids
    in commit order, which the pages' ``?after=<highest id>`` catch-up relies on. A
    writer that took its id first and waited for the lock afterwards (the foreign key
    check or the preview update) would commit behind a higher id the page has already
    moved past, and its message would never reach the page."""
    lock_for_messages(conversation)
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        author=author,
        text=text,
        channel_id=conversation.channel_id,
        sent_at=now,
        is_internal=internal,
        findings=findings or [],
        card=card,
    )
    if images:
        message_images_store(message=message, images=list(images), now=now)
    conversation.last_message_preview = message_preview(text, with_images=bool(images))
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_preview=conversation.last_message_preview
    )
    if not internal and conversation.channel.kind == ChannelKind.BRIDGE:
        outbox_enqueue(
            shop=conversation.shop,
            kind=kind,
            key=f"{kind}:{message.pk}",
            buyer=conversation.buyer,
            text=text,
            now=now,
            conversation=conversation,
            card=card,
            message=message,
        )
    conversation_changed("message", conversation, message=message)
    return message


def lock_for_messages(conversation: Conversation) -> None:
    list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk"))


def locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("shop", "buyer", "channel")
        .get(pk=conversation.pk)
    )


@transaction.atomic
def conversation_reply(
    *,
    actor: User,
    conversation: Conversation,
    text: str,
    now: datetime,
    findings: list | None = None,
    card: dict | None = None,
    images=(),
    seen_message_id: int | None = None,
) -> Message:
    """An agent answers (``card``: a product or order card sent with the text). Replying
    to an unassigned conversation claims it; a conversation another agent holds refuses
    the reply. Etiquette ``findings`` stay with the message. ``seen_message_id``: the
    newest message the agent had seen when they began the reply; newer buyer messages hold
    the reply once (collision.require_seen). ``images`` (re-encoded ChatImage) go with
    the text, which may then be empty."""
    require(actor, "chats.work", conversation)
    text = clean_agent_text(text, with_images=bool(images))
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    require_seen(actor=actor, conversation=conversation, seen_message_id=seen_message_id)
    if conversation.assignee_id is None:
        from .assignment import assign_to

        assign_to(conversation, actor, now=now)
    elif conversation.assignee_id != actor.pk:
        raise AlreadyClaimed(_("该会话由其他客服接待中。"))
    message = post_message(
        conversation,
        sender=Sender.AGENT,
        text=text,
        now=now,
        author=actor,
        findings=findings,
        card=card,
        images=images,
    )
    if conversation.awaiting_reply_since is not None:
        waited = max(int((now - conversation.awaiting_reply_since).total_seconds()), 0)
        if conversation.first_response_seconds is None:
            conversation.first_response_seconds = waited
        conversation.response_seconds_total += waited
        conversation.response_count += 1
        conversation.responses_within_3min += waited <= WITHIN_3_MINUTES
        conversation.awaiting_reply_since = None
    conversation.agent_message_count += 1
    conversation.last_message_at = now
    conversation.unread_count = 0
    conversation.alerted_at = None
    conversation.save(
        update_fields=[
            "first_response_seconds",
            "response_seconds_total",
            "response_count",
            "responses_within_3min",
            "awaiting_reply_since",
            "agent_message_count",
            "last_message_at",
            "unread_count",
            "alerted_at",
        ]
    )
    return message


@transaction.atomic
def conversation_auto_greet(*, conversation_id: int, now: datetime) -> Message | None:
    """The 10-second rule: when no human has answered the buyer's first message within the
    shop's greeting delay, send the greeting script with the assigned agent's 工号, once.
    Safe to call any number of times (the countdown task and the beat sweep both do)."""
    conversation = locked(Conversation(pk=conversation_id))
    if (
        conversation.state == ConversationState.CLOSED
        or conversation.auto_greeted_at is not None
        or conversation.response_count
        or conversation.awaiting_reply_since is None
    ):
        return None
    waited = (now - conversation.awaiting_reply_since).total_seconds()
    if waited < conversation.shop.greeting_delay_seconds:
        return None
    agent = conversation.assignee
    text = greeting_text(conversation, agent)
    message = post_message(conversation, sender=Sender.AUTO, text=text, now=now)
    conversation.auto_greeted_at = now
    conversation.last_message_at = now
    conversation.save(update_fields=["auto_greeted_at", "last_message_at"])
    audit(None, "conversation.auto_greeted", conversation, now=now)
    return message


def conversation_mark_read(*, actor: User, conversation: Conversation) -> None:
    """The assignee has seen the buyer's messages: the unread badge clears."""
    if can(actor, "chats.work", conversation):
        Conversation.objects.filter(pk=conversation.pk, assignee=actor, unread_count__gt=0).update(
            unread_count=0
        )
