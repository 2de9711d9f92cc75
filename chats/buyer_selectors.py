"""Reads for the buyer's web chat page, where nobody logs in: the buyer reaches only the
shop's active web chat channel and the one conversation their signed cookie names."""

from django.http import Http404

from .models import Channel, ChannelKind, Conversation, MessageImage


def access_webchat_channel(shop_code: str) -> Channel:
    """The active web chat channel of an active shop; anything else is a 404."""
    channel = (
        Channel.objects.select_related("shop")
        .filter(
            shop__code=shop_code,
            shop__is_active=True,
            kind=ChannelKind.WEBCHAT,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )
    if channel is None:
        raise Http404
    return channel


def buyer_conversation_of(channel: Channel, identity: dict) -> Conversation | None:
    """The conversation the buyer's cookie names, if it is theirs on this channel."""
    conversation_id = identity.get("c") or 0
    return Conversation.objects.filter(
        pk=conversation_id, channel=channel, buyer__nick=identity["nick"]
    ).first()


def access_buyer_image(conversation: Conversation | None, pk) -> MessageImage:
    """A photo of the buyer's own conversation that the buyer may see (not an internal
    message's); anything else is a 404."""
    if conversation is None:
        raise Http404
    item = (
        MessageImage.objects.filter(
            pk=pk, message__conversation=conversation, message__is_internal=False
        )
        .select_related("message")
        .first()
    )
    if item is None:
        raise Http404
    return item
