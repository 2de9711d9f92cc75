"""A reply must answer what the buyer actually said: when the buyer wrote again after the
last message the agent saw (the composer sends its id), the reply is held once and the new
messages are shown; sending again with them seen lets it go."""

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require

from ..errors import UnseenBuyerMessages
from ..models import Conversation, Message, Sender


def unseen_buyer_messages(
    *, actor: User, conversation: Conversation, seen_message_id: int
) -> list[Message]:
    """The buyer's messages newer than ``seen_message_id``, oldest first. Newer means
    stored later (a larger id): a bridge's ``sent_at`` may be older than what the agent
    already saw."""
    require(actor, "chats.work", conversation)
    return list(
        Message.objects.filter(
            conversation=conversation, sender=Sender.BUYER, pk__gt=seen_message_id
        ).order_by("pk")
    )


def require_seen(*, actor: User, conversation: Conversation, seen_message_id: int | None) -> None:
    """Refuse a reply written before the buyer's newest messages. ``None``: the caller
    does not know what the agent saw (the API, the demo), so nothing is checked."""
    if seen_message_id is None:
        return
    unseen = unseen_buyer_messages(
        actor=actor, conversation=conversation, seen_message_id=seen_message_id
    )
    if unseen:
        raise UnseenBuyerMessages(
            _("买家在你写这条回复时又发来 %(n)s 条消息，请先看一下再发送。") % {"n": len(unseen)},
            messages=unseen,
        )
