"""The chat models, one module per concern. Everything is re-exported here, so
``from chats.models import Conversation`` and the migrations' references
(``chats.models.new_channel_secret``, ``chats.models.message_image_path``) keep working."""

from .agents import AgentPresence, PresenceStatus
from .channels import Channel, ChannelKind, new_channel_secret
from .conversations import (
    PREVIEW_LENGTH,
    Conversation,
    ConversationState,
    Outcome,
    Queue,
    preview_of,
)
from .handling import Concession, ConcessionKind, Handover
from .messages import (
    MAX_MESSAGE_LENGTH,
    Message,
    MessageImage,
    Sender,
    message_image_path,
    message_thumbnail_path,
)
from .outbox import OutboxKind, OutboxMessage, OutboxStatus

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "PREVIEW_LENGTH",
    "AgentPresence",
    "Channel",
    "ChannelKind",
    "Concession",
    "ConcessionKind",
    "Conversation",
    "ConversationState",
    "Handover",
    "Message",
    "MessageImage",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "PresenceStatus",
    "Queue",
    "Sender",
    "message_image_path",
    "message_thumbnail_path",
    "new_channel_secret",
    "preview_of",
]
