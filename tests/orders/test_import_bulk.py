"""orders.importing.bulk.insert_rows: the import's one way of writing rows in bulk."""

from decimal import Decimal

import pytest

from orders.importing.bulk import insert_rows
from orders.models import Buyer, Order

from ..factories import make_order

pytestmark = pytest.mark.django_db


def test_columns_left_out_get_the_model_defaults(shop, now):
    [(pk,)] = insert_rows(
        Order,
        ["shop_id", "order_id", "state"],
        [(shop.pk, "3" * 18, "paid")],
        returning=["id"],
        now=now,
    )
    order = Order.objects.get(pk=pk)
    assert (order.buyer_nick, order.address, order.is_cod, order.item_count) == ("", "", False, 0)
    assert order.extra == {} and order.paid_amount is None and order.buyer_id is None
    assert order.updated_at == now


def test_values_of_every_kind_survive_the_copy(shop, now):
    text = 'quote " comma , newline \n tab \t backslash \\ and 中文'
    insert_rows(
        Order,
        [
            "shop_id",
            "order_id",
            "state",
            "buyer_message",
            "paid_amount",
            "paid_at",
            "extra",
            "is_cod",
            "buyer_nick",
        ],
        [(shop.pk, "4" * 18, "paid", text, Decimal("12.30"), now, {"列": '值 "x"'}, True, "")],
        now=now,
    )
    order = Order.objects.get(order_id="4" * 18)
    assert order.buyer_message == text and order.paid_amount == Decimal("12.30")
    assert order.paid_at == now and order.extra == {"列": '值 "x"'} and order.is_cod
    assert order.buyer_nick == ""


def test_a_conflict_updates_only_the_named_columns(shop, now):
    existing = make_order(shop, order_id="5" * 18, buyer_message="旧留言", receiver_name="张三")
    written = insert_rows(
        Order,
        ["shop_id", "order_id", "buyer_message", "receiver_name"],
        [(shop.pk, "5" * 18, "新留言", "李四"), (shop.pk, "6" * 18, "另一单", "王五")],
        conflict=["shop_id", "order_id"],
        update=["buyer_message"],
        returning=["order_id", "id"],
        now=now,
    )
    existing.refresh_from_db()
    assert (existing.buyer_message, existing.receiver_name) == ("新留言", "张三")
    assert dict(written)["5" * 18] == existing.pk and len(written) == 2


def test_a_conflict_without_update_columns_leaves_the_row_alone(shop, now):
    Buyer.objects.create(shop=shop, nick="甲", notes="老客")
    written = insert_rows(
        Buyer,
        ["shop_id", "nick"],
        [(shop.pk, "甲"), (shop.pk, "乙")],
        conflict=["shop_id", "nick"],
        returning=["nick"],
        now=now,
    )
    assert written == [("乙",)]
    assert Buyer.objects.get(nick="甲").notes == "老客"
    assert Buyer.objects.get(nick="乙").created_at == now


def test_no_rows_writes_nothing(shop, now):
    assert insert_rows(Order, ["shop_id", "order_id"], [], returning=["id"], now=now) == []


def test_writes_in_one_transaction_reuse_the_staging_table_emptied(shop, now):
    """The stage lives for the transaction; each write sees only its own rows."""
    columns = ["shop_id", "order_id", "state"]
    first = insert_rows(Order, columns, [(shop.pk, "7" * 18, "paid")], returning=["id"], now=now)
    second = insert_rows(
        Order, columns, [(shop.pk, "8" * 18, "paid")], returning=["order_id"], now=now
    )
    assert len(first) == 1 and second == [("8" * 18,)]
    assert Order.objects.filter(shop=shop).count() == 2
