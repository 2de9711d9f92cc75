"""Write one chunk of parsed rows: a fixed handful of queries whatever the chunk size.

Per chunk: fetch the existing rows by key in one query, compare in Python (an unchanged
row is not written at all, so re-importing a file changes nothing), then one
``bulk_create(update_conflicts=True)`` writes the new and the changed rows together and
one more records the orders' state changes. Only the columns the file has are compared
and written: a newer export without buyer nick or phone leaves those values alone.
"""

from datetime import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Shop
from orders.models import Buyer, Order, OrderItem, OrderStateChange

from .addresses import parse_addresses
from .records import Row

ADDRESS_FIELDS = ("address", "province", "city", "district", "address_detail", "postcode")
ITEM_FIELDS = ("title", "price", "quantity", "external_code", "properties", "package", "note")


def order_fields(file_fields: frozenset[str]) -> list[str]:
    """The Order attributes an export with these columns sets."""
    fields = []
    for name in file_fields - {"order_id", "shop_name"}:
        if name == "address":
            fields += ADDRESS_FIELDS
        elif name == "buyer_nick":
            fields += ["buyer_nick", "buyer_id"]
        else:
            fields.append(name)
    if {"shipping_method", "state"} & file_fields:
        fields.append("is_cod")
    return sorted(fields)


def item_fields(file_fields: frozenset[str]) -> list[str]:
    return sorted(
        {name for name in file_fields if name in ITEM_FIELDS or name == "sku_code"} | {"title"}
    )


def _buyer_ids(shop: Shop, nicks: set[str]) -> dict[str, int]:
    """Buyer files by nick, created for nicks seen the first time (race-safe upsert)."""
    if not nicks:
        return {}
    ids = dict(Buyer.objects.filter(shop=shop, nick__in=nicks).values_list("nick", "id"))
    missing = [Buyer(shop=shop, nick=nick) for nick in sorted(nicks - ids.keys())]
    if missing:
        Buyer.objects.bulk_create(
            missing, update_conflicts=True, unique_fields=["shop", "nick"], update_fields=["nick"]
        )
        ids.update((buyer.nick, buyer.pk) for buyer in missing)
    return ids


def write_orders(*, shop: Shop, rows: list[Row], fields: list[str], now: datetime) -> dict:
    """Upsert the chunk's orders; returns counts {created, updated, unchanged}."""
    if "address" in fields:
        for row, parsed in zip(
            rows, parse_addresses([row.values["address"] for row in rows]), strict=True
        ):
            row.values.update(parsed.as_fields())
    if "buyer_id" in fields:
        buyers = _buyer_ids(shop, {row.values["buyer_nick"] for row in rows} - {""})
        for row in rows:
            row.values["buyer_id"] = buyers.get(row.values["buyer_nick"])
    existing = {
        old["order_id"]: old
        for old in Order.objects.filter(
            shop=shop, order_id__in=[row.order_id for row in rows]
        ).values("order_id", "extra", *fields)
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    writes, transitions = [], []
    for row in rows:
        values = row.values
        old = existing.get(row.order_id)
        if old is not None:
            values["extra"] = {**old["extra"], **values["extra"]}
            if values["extra"] == old["extra"] and all(old[f] == values[f] for f in fields):
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
        else:
            counts["created"] += 1
        order = Order(shop=shop, order_id=row.order_id, **_model_values(values, fields))
        writes.append(order)
        before = old["state"] if old is not None else ""
        if "state" in fields and before != values["state"]:
            transitions.append((order, before, values["state"]))
    if writes:
        pks = _upsert_orders(writes, [*fields, "extra", "updated_at"])
        for order in writes:
            order.pk = pks[order.order_id]
    if transitions:
        OrderStateChange.objects.bulk_create(
            OrderStateChange(order_id=order.pk, from_state=before, to_state=after, changed_at=now)
            for order, before, after in transitions
        )
    return counts


def _upsert_orders(orders: list[Order], fields: list[str]) -> dict[str, int]:
    """INSERT … ON CONFLICT (shop, order_id) DO UPDATE the given fields; {order_id: pk}.

    On PostgreSQL one ``execute_values`` statement: the ORM's bulk_create spends most of
    an import's time preparing 45 values per row in Python. Elsewhere (the embedded
    SQLite mode) the ORM's bulk_create does the same job."""
    if connection.vendor != "postgresql":
        Order.objects.bulk_create(
            orders,
            update_conflicts=True,
            unique_fields=["shop", "order_id"],
            update_fields=[_name(f) for f in fields],
        )
        return {order.order_id: order.pk for order in orders}
    from psycopg2.extras import Json, execute_values

    columns = [f for f in Order._meta.concrete_fields if not f.primary_key]
    stamp = timezone.now()
    rows = []
    for order in orders:
        order.updated_at = stamp
        rows.append(
            tuple(
                Json(getattr(order, f.attname))
                if f.attname == "extra"
                else getattr(order, f.attname)
                for f in columns
            )
        )
    names = ", ".join(f'"{f.column}"' for f in columns)
    updates = ", ".join(f'"{name}" = EXCLUDED."{name}"' for name in fields)
    sql = (
        f'INSERT INTO "{Order._meta.db_table}" ({names}) VALUES %s '
        f'ON CONFLICT ("shop_id", "order_id") DO UPDATE SET {updates} '
        'RETURNING "order_id", "id"'
    )
    with connection.cursor() as cursor:
        result = execute_values(cursor.cursor, sql, rows, page_size=len(rows), fetch=True)
    return dict(result)


def write_items(
    *, shop: Shop, rows: list[Row], fields: list[str]
) -> tuple[dict, list[tuple[int, str]]]:
    """Upsert the chunk's order lines; lines of orders not imported yet are row errors."""
    order_pks = dict(
        Order.objects.filter(shop=shop, order_id__in={row.order_id for row in rows}).values_list(
            "order_id", "id"
        )
    )
    errors = []
    known = []
    for row in rows:
        if row.order_id in order_pks:
            known.append(row)
        else:
            errors.append(
                (row.line, _("系统中还没有订单 %(id)s，请先导入订单报表") % {"id": row.order_id})
            )
    existing = {
        (old["order_id"], old["line_key"]): old
        for old in OrderItem.objects.filter(
            order_id__in={order_pks[row.order_id] for row in known}
        ).values("order_id", "line_key", *fields)
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    writes = []
    for row in known:
        values = row.values
        order_pk = order_pks[row.order_id]
        old = existing.get((order_pk, values["line_key"]))
        if old is not None:
            if all(old[f] == values[f] for f in fields):
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
        else:
            counts["created"] += 1
        writes.append(OrderItem(order_id=order_pk, **values))
    if writes:
        OrderItem.objects.bulk_create(
            writes,
            update_conflicts=True,
            unique_fields=["order", "line_key"],
            update_fields=fields,
        )
    return counts, errors


def _name(attname: str) -> str:
    return "buyer" if attname == "buyer_id" else attname


def _model_values(values: dict, fields: list[str]) -> dict:
    return {name: values[name] for name in fields} | {"extra": values["extra"]}
