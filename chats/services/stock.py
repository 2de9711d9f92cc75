"""Out-of-stock wishes (到货通知): the agent records that a buyer wants an SKU that is sold
out; once its stock rises, the buyer gets one message through the outbox."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from orders.models import Sku, StockWish
from orders.services import stock_wish_add
from orders.services.buyers import stock_notice_text

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
    """The sweep behind ``orders.services.sku_set_stock``: stock can also rise through an
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
