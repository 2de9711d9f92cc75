"""Out-of-stock wishes (到货通知): the agent records that a buyer wants an SKU that is sold
out; once its stock rises, the buyer gets one message through the outbox."""

from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from orders.models import Sku, StockWish

from ..errors import ChatError
from ..models import Conversation, OutboxKind, Sender
from ..outbox import outbox_enqueue
from .replies import post_message


@transaction.atomic
def stock_wish_record(
    *, actor: User, conversation: Conversation, sku: Sku, now: datetime
) -> tuple[StockWish, bool]:
    """Remember the wish once per buyer and SKU while it waits (a unique constraint)."""
    require(actor, "chats.work", conversation)
    if sku.shop_id != conversation.shop_id:
        raise ChatError("只能登记本店铺的商品。")
    existing = StockWish.objects.filter(
        buyer_id=conversation.buyer_id, sku=sku, notified_at__isnull=True
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            wish = StockWish.objects.create(
                buyer_id=conversation.buyer_id, sku=sku, created_by=actor, created_at=now
            )
    except IntegrityError:
        return StockWish.objects.get(
            buyer_id=conversation.buyer_id, sku=sku, notified_at__isnull=True
        ), False
    post_message(
        conversation,
        sender=Sender.SYSTEM,
        internal=True,
        now=now,
        text=f"{actor.label} 登记了到货通知：{sku}",
    )
    audit(
        actor, "stock_wish.recorded", sku, changes={"buyer": [None, conversation.buyer_id]}, now=now
    )
    return wish, True


def stock_notices(*, shop: Shop | None, now: datetime) -> dict:
    """Tell each waiting buyer whose SKU is back in stock, once (the wish is marked in the
    transaction that writes the outbox row, whose key is unique per wish)."""
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
        key=f"stock_wish:{wish.pk}",
        buyer=wish.buyer,
        text=f"亲，您关注的「{wish.sku}」已经到货了，数量有限，需要的话可以尽早下单哦。",
        now=now,
        conversation=conversation,
    )
    wish.notified_at = now
    wish.save(update_fields=["notified_at"])
    audit(None, "stock_wish.notified", wish.sku, changes={"buyer": [None, wish.buyer_id]}, now=now)
    return True
