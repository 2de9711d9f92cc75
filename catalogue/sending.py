"""Sending the catalogue into a chat: a product as a card, a library image as a photo.

Both copy the image onto the message, so what the buyer got stays as it was when the
catalogue or the library changes later. They sit here, above chats, because they read
the catalogue; chats knows nothing of it."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from chats.cards import product_card, product_card_text
from chats.errors import ChatError, InvalidMessage
from chats.models import Conversation, Message
from chats.scripting import check_draft
from chats.services import conversation_reply

from .images import stored_image


def product_card_send(
    *, actor: User, conversation: Conversation, product, now: datetime
) -> Message:
    """Send a product of the conversation's shop as a card, its main image copied onto
    the message."""
    require(actor, "chats.work", conversation)
    if product.shop_id != conversation.shop_id:
        raise ChatError(_("只能发送本店的商品。"))
    text = product_card_text(product)
    findings = check_draft(text, buyer=conversation.buyer, order=None)
    if findings:
        raise ChatError(
            _("商品卡片的话术未通过礼仪检查：%(finding)s") % {"finding": findings[0]["message"]}
        )
    images = [stored_image(product)] if product.has_image else []
    return conversation_reply(
        actor=actor,
        conversation=conversation,
        text=text,
        now=now,
        card=product_card(product, with_image=bool(images)),
        images=images,
    )


def library_image_send(*, actor: User, conversation, image, now: datetime) -> Message:
    """Send an image of the shop's library (a copy onto the message: what the buyer got
    stays as it was if the library changes). An agent reply with no text."""
    require(actor, "chats.work", conversation)
    if image.shop_id != conversation.shop_id:
        raise InvalidMessage(_("只能发送本店图片库的图片。"), field="image")
    return conversation_reply(
        actor=actor, conversation=conversation, text="", now=now, images=[stored_image(image)]
    )
