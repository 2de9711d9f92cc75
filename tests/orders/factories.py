"""Factories for problem orders, SKUs and memos (on top of tests/factories.py)."""

from datetime import timedelta
from decimal import Decimal

from orders.models import OrderItem, Problem, ProblemCategory, Sku
from orders.services import PROBLEM_DUE
from tests.factories import make_order

_sku_serial = iter(range(1, 10**6))


def make_sku(shop, code=None, stock=10, **fields) -> Sku:
    return Sku.objects.create(
        shop=shop,
        code=code or f"SKU-{next(_sku_serial)}",
        title=fields.pop("title", "纯棉短袖T恤"),
        properties=fields.pop("properties", "颜色:白;尺码:L"),
        price=fields.pop("price", Decimal("59.00")),
        stock=stock,
        **fields,
    )


def make_item(order, sku=None, quantity=1, **fields) -> OrderItem:
    return OrderItem.objects.create(
        order=order,
        line_key=fields.pop("line_key", f"L{order.items.count() + 1}"),
        title=fields.pop("title", sku.title if sku else "纯棉短袖T恤"),
        price=fields.pop("price", sku.price if sku else Decimal("59.00")),
        quantity=quantity,
        sku_code=sku.code if sku else "",
        **fields,
    )


def make_problem(shop, now, category=ProblemCategory.ADDRESS_CHANGE, order=None, **fields):
    order = order or make_order(shop, ordered_at=now - timedelta(hours=3))
    return Problem.objects.create(
        shop=shop,
        order=order,
        category=category,
        opened_at=fields.pop("opened_at", now - timedelta(minutes=30)),
        due_at=fields.pop("due_at", now + PROBLEM_DUE),
        **fields,
    )
