"""Messages to a buyer written outside the chat workspace: a ticket's reply (回复买家), a
problem order's script. They go where the buyer reads: into the buyer's conversation with
the shop (and out through the outbox on a bridged channel), after the etiquette check.
Callers check their own permission (tickets.work, problems.work) first."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import Shop, User
from audit.services import audit
from orders.models import Buyer, Order
from scripts_lib import etiquette

from ..errors import InvalidMessage
from ..models import Conversation, ConversationState, Message, OutboxKind, Sender
from ..outbox import outbox_enqueue
from .replies import clean_agent_text, locked, post_message


def buyer_conversation(buyer: Buyer | None) -> Conversation | None:
    """The buyer's open conversation, else their latest one."""
    if buyer is None:
        return None
    conversations = Conversation.objects.filter(buyer=buyer)
    return (
        conversations.filter(state__in=[ConversationState.QUEUED, ConversationState.ACTIVE])
        .order_by("-last_message_at")
        .first()
        or conversations.order_by("-last_message_at").first()
    )


def checked_text(text: str, *, buyer: Buyer | None, order: Order | None) -> str:
    """The text, stripped, if the etiquette checker finds nothing; otherwise InvalidMessage
    naming what to change (nothing is sent)."""
    text = clean_agent_text(text)
    findings = etiquette.check(text, buyer=buyer, order=order)
    if findings:
        raise InvalidMessage(
            _("请先修改再发送：%(what)s") % {"what": "；".join(f.message for f in findings)}
        )
    return text


def buyer_message_send(
    *,
    actor: User,
    shop: Shop,
    buyer: Buyer,
    text: str,
    now: datetime,
    key: str,
    order: Order | None = None,
) -> Message | None:
    """Send ``text`` to the buyer. With a conversation: an agent message in it (bridged
    ones leave through the outbox). Without one: an outbox row under ``key`` (unique, so
    a retried request sends nothing twice), delivered by the buyer's channel if any.
    Returns the conversation message, or None when the buyer has no conversation."""
    text = checked_text(text, buyer=buyer, order=order)
    conversation = buyer_conversation(buyer)
    if conversation is None:
        outbox_enqueue(
            shop=shop, kind=OutboxKind.REPLY, key=key, buyer=buyer, text=text, now=now, order=None
        )
        audit(actor, "buyer.message_sent", buyer, changes={"key": [None, key]}, now=now)
        return None
    conversation = locked(conversation)
    message = post_message(conversation, sender=Sender.AGENT, text=text, now=now, author=actor)
    conversation.last_message_at = now
    conversation.agent_message_count += 1
    conversation.save(update_fields=["last_message_at", "agent_message_count"])
    audit(actor, "conversation.message_sent", conversation, changes={"key": [None, key]}, now=now)
    return message
