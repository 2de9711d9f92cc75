"""A big first import refreshes the planner's statistics once, inside its transaction."""

import pytest
from django.db import connection

from orders.importing import run as import_run
from orders.importing.statistics import refresh_statistics
from orders.models import Order
from tests.exports import order_row, write_csv

from .test_import_command import run

pytestmark = pytest.mark.django_db


def test_the_import_tries_to_analyze_once_after_creating_enough_orders(tmp_path, shop, monkeypatch):
    calls = []
    monkeypatch.setattr(import_run, "ANALYZE_AFTER_CREATED", 2)
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 1)
    # Even when the lock is not to be had (False), later chunks do not wait for it again.
    monkeypatch.setattr(
        import_run, "refresh_statistics", lambda model, **kwargs: calls.append(model) or False
    )
    rows = [order_row(f"30123456789012345{n:02d}") for n in range(5)]
    run(write_csv(tmp_path / "orders.csv", rows))
    assert calls == [Order]


def test_a_small_import_does_not_analyze(tmp_path, shop, monkeypatch):
    calls = []
    monkeypatch.setattr(
        import_run, "refresh_statistics", lambda model, **kwargs: calls.append(model) or True
    )
    run(write_csv(tmp_path / "orders.csv", [order_row()]))
    assert calls == []


def test_analyze_sees_the_rows_this_transaction_wrote(shop):
    Order.objects.bulk_create(
        Order(shop=shop, order_id=f"3{n:018d}", state="paid") for n in range(300)
    )
    assert refresh_statistics(Order)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'orders_order'")
        assert cursor.fetchone()[0] >= 300


def test_analyze_of_named_fields_leaves_the_other_columns_alone(shop):
    Order.objects.bulk_create(
        Order(shop=shop, order_id=f"3{n:018d}", state="paid", address=f"地址{n}")
        for n in range(300)
    )
    assert refresh_statistics(Order, fields=import_run.PLANNED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'orders_order'")
        analyzed = {name for (name,) in cursor.fetchall()}
    assert {"shop_id", "state", "buyer_id"} <= analyzed and "address" not in analyzed


def test_the_heap_is_frozen_while_the_import_runs_and_handed_back_after(
    tmp_path, shop, monkeypatch
):
    """Objects from before the import stay out of the collector's full collections."""
    import gc

    frozen = []
    real_write = import_run.write_orders

    def write_orders(**kwargs):
        frozen.append(gc.get_freeze_count())
        return real_write(**kwargs)

    monkeypatch.setattr(import_run, "write_orders", write_orders)
    before = gc.get_freeze_count()
    run(write_csv(tmp_path / "orders.csv", [order_row()]))
    assert frozen and frozen[0] > before
    assert gc.get_freeze_count() == before
