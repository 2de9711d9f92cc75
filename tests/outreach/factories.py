from datetime import timedelta
from decimal import Decimal

from orders.states import OrderState
from tests.factories import make_buyer, make_order


def unpaid_order(shop, *, ordered_at, buyer=None, **fields):
    fields.setdefault("item_title", "法式碎花连衣裙 米白 M")
    return make_order(
        shop,
        buyer=buyer or make_buyer(shop),
        state=OrderState.WAITING_PAYMENT,
        total_amount=Decimal("269.00"),
        paid_amount=Decimal("0.00"),
        ordered_at=ordered_at,
        **fields,
    )


def shipped_order(shop, *, shipped_at, province="广东省", buyer=None, **fields):
    fields.setdefault("state", OrderState.SHIPPED)
    fields.setdefault("address", f"{province} 某市 某区 某路 1号" if province else "")
    fields.setdefault("courier", "圆通速递")
    fields.setdefault("tracking_number", "YT1234567890")
    return make_order(
        shop,
        buyer=buyer or make_buyer(shop),
        province=province,
        ordered_at=shipped_at - timedelta(days=1),
        paid_at=shipped_at - timedelta(hours=20),
        shipped_at=shipped_at,
        **fields,
    )
