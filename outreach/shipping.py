"""The shipping notice (发货通知): one message per order when it ships, saying which
courier carries it, the tracking number and about how long delivery takes to that region
(DOMAIN.md: after payment "say when it ships"; buyers inspect the parcel in front of the
courier).

Never twice: the FollowUp row records ``shipping_noticed_at`` under a lock on the order,
and the outbox's unique (order, kind) constraint backs it. Quiet hours and malicious or
opted-out buyers are skipped like the other scheduled messages; a notice held back by quiet
hours goes out on the first run after them. Orders shipped more than ``LOOKBACK`` ago are
left alone, so the first run on old data does not message buyers about old parcels.

The words are ours and say only what the order row holds at that moment: the courier and
tracking number only when the export carries them, and the region's delivery estimate
given as an estimate (预计), never a promise.
"""

from datetime import datetime, timedelta

from django.db import transaction

from audit.services import audit
from chats.models import OutboxKind
from chats.outbox import outbox_enqueue
from orders.models import Order
from orders.states import SHIPPED_STATES

from .locking import buyer_unreachable, order_locked
from .models import FollowUp
from .regions import estimate_for

LOOKBACK = timedelta(days=2)
BATCH_SIZE = 500


def shipping_notice_due_ids(shop, now: datetime) -> list[int]:
    return list(
        Order.objects.filter(
            shop=shop,
            state__in=list(SHIPPED_STATES),
            shipped_at__gte=now - LOOKBACK,
            shipped_at__lte=now,
        )
        .exclude(follow_up__shipping_noticed_at__isnull=False)
        .order_by("shipped_at", "pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )


def shipping_notice_text(order: Order, days: int) -> str:
    nick = order.buyer_nick or (order.buyer.nick if order.buyer else "")
    carrier = ""
    if order.courier and order.tracking_number:
        carrier = f"由{order.courier}承运，运单号{order.tracking_number}，"
    elif order.courier:
        carrier = f"由{order.courier}承运，"
    elif order.tracking_number:
        carrier = f"运单号{order.tracking_number}，"
    return (
        f"{nick}您好，您在{order.shop.name}的订单{order.order_id}已经发出，{carrier}"
        f"预计{days}天左右送到。收到包裹时请当着快递员的面检查外包装，"
        "有任何问题随时联系我们。"
    )


@transaction.atomic
def shipping_notice_send(*, order_id: int, now: datetime) -> str:
    """Decide and write one order's notice; "sent" or why not."""
    order = order_locked(order_id)
    if order is None:
        return "busy"
    if order.state not in SHIPPED_STATES:
        return "state_changed"
    blocked = buyer_unreachable(order)
    if blocked:
        return blocked
    estimate = estimate_for(order.shop, order)
    record, _created = FollowUp.objects.get_or_create(
        order=order,
        defaults={
            "shop": order.shop,
            "region": estimate.region,
            "expected_at": order.shipped_at + timedelta(days=estimate.days),
        },
    )
    if record.shipping_noticed_at is not None:
        return "already_sent"
    _message, created = outbox_enqueue(
        shop=order.shop,
        kind=OutboxKind.SHIPPING_NOTICE,
        key=f"{OutboxKind.SHIPPING_NOTICE}:{order.pk}",
        buyer=order.buyer,
        text=shipping_notice_text(order, estimate.days),
        now=now,
        order=order,
    )
    record.shipping_noticed_at = now
    record.save(update_fields=["shipping_noticed_at"])
    if not created:
        return "already_sent"
    audit(None, "shipping_notice.sent", order, now=now)
    return "sent"
