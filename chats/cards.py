"""Cards an agent sends into a conversation. The order card confirms the receiver and
address after payment, with our own wording; everything in it is read from the order at
the moment of sending, and the wording passes the etiquette checker or is not sent.

The card is kept on the message as sent (``Message.card``) and travels in the outbox to
the bridge (``OutboxMessage.card``; the delivery JSON is in docs/chats.md)."""

from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from orders.models import Order
from orders.states import OrderState

from .errors import ChatError
from .models import Conversation, Message
from .scripting import check_draft

# Paid and not shipped yet: the moment to confirm where the parcel goes.
CONFIRMABLE_STATES = frozenset({OrderState.PAID, OrderState.COD_CONFIRMED})


def order_address(order: Order) -> str:
    parts = [order.province, order.city, order.district, order.address_detail]
    return order.address or "".join(part for part in parts if part)


def order_card(order: Order) -> dict:
    amount = order.paid_amount if order.paid_amount is not None else order.total_amount
    items = [
        {"title": item.title, "quantity": item.quantity, "price": str(item.price)}
        for item in order.items.all()
    ] or [{"title": order.item_title, "quantity": order.item_count, "price": None}]
    return {
        "type": "order",
        "order_id": order.order_id,
        "items": items,
        "amount": str(amount) if amount is not None else None,
        "receiver": order.receiver_name,
        "address": order_address(order),
    }


def order_card_text(order: Order) -> str:
    """In Chinese whatever language the agent works in: these words go to the buyer."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "亲，您的订单 %(order_id)s 已付款成功。请核对收货信息：收货人 %(receiver)s，"
            "地址 %(address)s。如需修改，请在发货前告诉我们。"
        ) % {
            "order_id": order.order_id,
            "receiver": order.receiver_name,
            "address": order_address(order),
        }


def order_card_send(
    *, actor: User, conversation: Conversation, order: Order, now: datetime
) -> Message:
    """Send the order card of one of the conversation's buyer's paid, unshipped orders."""
    from .services import conversation_reply

    require(actor, "chats.work", conversation)
    if order.shop_id != conversation.shop_id or order.buyer_id != conversation.buyer_id:
        raise ChatError(_("只能发送这位买家自己的订单。"))
    if order.state not in CONFIRMABLE_STATES:
        raise ChatError(_("订单已付款、尚未发货时才能发送地址确认卡片。"))
    if not order.receiver_name or not order_address(order):
        raise ChatError(_("订单没有收货人或地址，无法确认。"))
    text = order_card_text(order)
    findings = check_draft(text, buyer=conversation.buyer, order=order)
    if findings:
        raise ChatError(
            _("确认话术未通过礼仪检查：%(finding)s") % {"finding": findings[0]["message"]}
        )
    return conversation_reply(
        actor=actor, conversation=conversation, text=text, now=now, card=order_card(order)
    )


def product_card(product, *, with_image: bool) -> dict:
    """The product card as sent: the catalogue's facts at that moment. ``image`` is the
    index of the main image among the message's images (0), or None without one."""
    return {
        "type": "product",
        "sku_code": product.sku_code,
        "title": product.title,
        "price": str(product.price),
        "link": product.link or None,
        "image": 0 if with_image else None,
    }


def product_card_text(product) -> str:
    """Our words with the card, in Chinese whatever the agent's language. The price is
    the catalogue's (the newest imported line): the page the link opens is the truth."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("亲，为您发送商品：%(title)s，参考价 ¥%(price)s，下单时以商品页面的价格为准。") % {
            "title": product.title,
            "price": product.price,
        }
