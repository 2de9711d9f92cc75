from datetime import datetime

from chats.models import Channel, ChannelKind, Conversation, Message, Sender
from orders.models import Buyer
from reviews.models import Rating, Review
from tests.factories import at, make_buyer, make_order

_serial = iter(range(1, 10**6))


def make_review(shop, *, buyer: Buyer | None = None, order=None, **fields) -> Review:
    buyer = buyer or (order.buyer if order else make_buyer(shop))
    order = order if order is not None else make_order(shop, buyer=buyer)
    moment = fields.pop("reviewed_at", at(2026, 11, 22, 9, 0))
    return Review.objects.create(
        shop=shop,
        order=order,
        platform_order_id=order.order_id,
        buyer=buyer,
        rating=fields.pop("rating", Rating.NEGATIVE),
        text=fields.pop("text", "质量一般，和图片差别很大"),
        reviewed_at=moment,
        created_at=moment,
        state_changed_at=moment,
        **fields,
    )


def make_conversation(shop, buyer: Buyer, *, when: datetime) -> Conversation:
    channel = Channel.objects.filter(shop=shop).first() or Channel.objects.create(
        shop=shop, name="旺旺", kind=ChannelKind.BRIDGE
    )
    return Conversation.objects.create(
        shop=shop, channel=channel, buyer=buyer, created_at=when, last_message_at=when
    )


def make_message(conversation: Conversation, text: str, *, when: datetime, sender=Sender.BUYER):
    return Message.objects.create(
        conversation=conversation,
        sender=sender,
        text=text,
        channel=conversation.channel,
        external_id=f"m{next(_serial)}",
        sent_at=when,
    )
