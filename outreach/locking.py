"""What every scheduled message does first for one order: take it under a lock (or leave
it to whoever holds it) and check that its buyer may be messaged at all."""

from orders.models import Order


def order_locked(order_id: int) -> Order | None:
    """The order with its shop and buyer, locked for this transaction; None when another
    run holds it (that run decides) or it is gone."""
    return (
        Order.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("shop", "buyer")
        .filter(pk=order_id)
        .first()
    )


def buyer_unreachable(order: Order) -> str | None:
    """Why the order's buyer gets no scheduled message (unknown, malicious, opted out),
    or None."""
    buyer = order.buyer
    if buyer is None:
        return "no_buyer"
    if buyer.is_malicious:
        return "malicious"
    if buyer.opted_out:
        return "opted_out"
    return None
