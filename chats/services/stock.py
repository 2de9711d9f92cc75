"""Out-of-stock wishes (到货通知): the agent records that a buyer wants an SKU that is sold
out; once its stock rises, the buyer gets one message through the outbox."""

from datetime import datetime
from types import SimpleNamespace

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from orders.errors import ProblemError
from orders.models import Sku, StockWish
from orders.services import stock_wish_add

from ..errors import ChatError
from ..models import Conversation, OutboxKind, Sender
from ..outbox import outbox_enqueue
from .replies import post_message


@transaction.atomic
def stock_wish_record(
    *, actor: User, conversation: Conversation, sku: Sku, now: datetime
) -> tuple[StockWish, bool]:
    """Record the wish in the buyer file (one waiting wish per buyer and SKU) and leave an
    internal note in the conversation so colleagues see it."""
    require(actor, "chats.work", conversation)
    if sku.shop_id != conversation.shop_id:
        raise ChatError(_("只能登记本店铺的商品。"))
    wish, created = stock_wish_add(actor=actor, buyer=conversation.buyer, sku=sku, now=now)
    if created:
        post_message(
            conversation,
            sender=Sender.SYSTEM,
            internal=True,
            now=now,
            text=f"{actor.label} 登记了到货通知：{sku}",
        )
    return wish, created


def stock_notices(*, shop: Shop | None, now: datetime) -> dict:
    """The sweep behind ``sku_set_stock``: stock can also rise through an
    import. Each waiting buyer whose SKU is back is told once: the wish is marked in the
    transaction that writes the outbox row, under the same unique key as that service."""
    wishes = StockWish.objects.filter(notified_at__isnull=True, sku__stock__gt=0)
    if shop is not None:
        wishes = wishes.filter(sku__shop=shop)
    sent = skipped = 0
    for wish_id in list(wishes.values_list("pk", flat=True)[:1000]):
        if _notify(wish_id, now=now):
            sent += 1
        else:
            skipped += 1
    return {"sent": sent, "skipped": skipped}


@transaction.atomic
def _notify(wish_id: int, *, now: datetime) -> bool:
    wish = (
        StockWish.objects.select_for_update(of=("self",))
        .select_related("sku__shop", "buyer")
        .get(pk=wish_id)
    )
    if wish.notified_at is not None or wish.sku.stock <= 0 or wish.buyer.opted_out:
        return False
    conversation = (
        Conversation.objects.filter(buyer=wish.buyer).order_by("-last_message_at").first()
    )
    outbox_enqueue(
        shop=wish.sku.shop,
        kind=OutboxKind.STOCK_NOTICE,
        key=f"stock_notice:{wish.pk}",
        buyer=wish.buyer,
        text=stock_notice_text(wish),
        now=now,
        conversation=conversation,
    )
    wish.notified_at = now
    wish.save(update_fields=["notified_at"])
    audit(None, "stock_wish.notified", wish.sku, changes={"buyer": [None, wish.buyer_id]}, now=now)
    return True


def stock_notice_text(wish: StockWish) -> str:
    return _(
        "%(nick)s您好，您之前关注的「%(item)s」已经到货啦，库存有限，需要的话可以直接下单哦。"
    ) % {
        "nick": wish.buyer.nick,
        "item": str(wish.sku),
    }


@transaction.atomic
def sku_set_stock(*, actor: User, sku: Sku, stock: int, now: datetime) -> tuple[Sku, int]:
    """Set the stock of a SKU. When it rises from zero (or below) to above zero, every
    waiting wish gets one stock notice in the outbox and is marked notified, in this
    transaction; the outbox key ``stock_notice:<wish>`` makes a repeat a no-op. Buyers
    who opted out of messages are not messaged and their wish keeps waiting.
    Returns (sku, number of notices enqueued)."""
    require(actor, "stock.manage", sku)
    if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
        raise ProblemError(_("库存须为不小于 0 的整数。"))
    sku = Sku.objects.select_for_update().get(pk=sku.pk)
    before = sku.stock
    if before == stock:
        return sku, 0
    sku.stock = stock
    sku.save(update_fields=["stock"])
    audit(actor, "sku.stock_set", sku, changes={"stock": [before, stock]}, now=now)
    if not (before <= 0 < stock):
        return sku, 0
    waiting = (
        StockWish.objects.select_for_update(of=("self",))
        .select_related("buyer", "sku")
        .filter(sku=sku, notified_at__isnull=True, buyer__opted_out=False)
        .order_by("created_at", "pk")
    )
    notified = []
    for wish in waiting:
        outbox_enqueue(
            shop=sku.shop,
            kind=OutboxKind.STOCK_NOTICE,
            key=f"stock_notice:{wish.pk}",
            buyer=wish.buyer,
            text=stock_notice_text(wish),
            now=now,
        )
        wish.notified_at = now
        notified.append(wish)
    StockWish.objects.bulk_update(notified, ["notified_at"])
    return sku, len(notified)


def stock_notice_buyer_texts():
    """The stock notice with sample values, for the etiquette check of every shipped text."""
    from scripts_lib.buyer_texts import BuyerText

    wish = SimpleNamespace(buyer=SimpleNamespace(nick="小鹿"), sku="棉麻衬衫 白色 M")
    yield BuyerText("system", "stock_notice", (stock_notice_text(wish),))
