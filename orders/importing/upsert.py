"""Write one chunk of parsed rows: a fixed handful of queries whatever the chunk size.

Per chunk: fetch the existing rows by key in one query, compare in Python (an unchanged
row is not written at all, so re-importing a file changes nothing), then one upsert
(``bulk.insert_rows``: COPY into a temporary table, INSERT … ON CONFLICT from it) writes
the new and the changed rows together. On PostgreSQL the same statement records the
orders' state changes and notes the orders the file touched (for detection), from the
rows it wrote; elsewhere (SQLite) those are two more statements. Only the columns the file
has are compared and written: a newer export without buyer nick or phone leaves those
values alone.

The lookups send their keys as one array parameter (``= ANY(%s)``): the ORM's ``IN``
with 2,000 parameters cost more Python time than the query took in the database.
"""

import json
import operator
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import Shop
from orders.models import Buyer, Order, OrderItem, OrderStateChange

from .addresses import parse_addresses
from .bulk import insert_rows
from .records import Row
from .seen import SeenKeys

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


def _buyer_ids(shop: Shop, nicks: set[str], now: datetime) -> dict[str, int]:
    """Buyer files by nick, created for nicks seen the first time (race-safe upsert)."""
    if not nicks:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nick, id FROM {Buyer._meta.db_table} WHERE shop_id = %s AND nick = ANY(%s)",
                [shop.pk, list(nicks)],
            )
            ids = dict(cursor.fetchall())
    else:
        ids = dict(Buyer.objects.filter(shop=shop, nick__in=nicks).values_list("nick", "id"))
    missing = sorted(nicks - ids.keys())
    if missing:
        ids.update(
            insert_rows(
                Buyer,
                ["shop_id", "nick"],
                [(shop.pk, nick) for nick in missing],
                conflict=["shop_id", "nick"],
                update=["nick"],
                returning=["nick", "id"],
                now=now,
            )
        )
    return ids


def write_orders(
    *, shop: Shop, rows: list[Row], fields: list[str], seen: SeenKeys, now: datetime
) -> dict:
    """Upsert the chunk's orders; returns counts {created, updated, unchanged}. The
    chunk's orders are noted in ``seen`` as touched."""
    if "address" in fields:
        for row, parsed in zip(
            rows, parse_addresses([row.values["address"] for row in rows]), strict=True
        ):
            row.values.update(parsed.as_fields())
    if "buyer_id" in fields:
        buyers = _buyer_ids(shop, {row.values["buyer_nick"] for row in rows} - {""}, now)
        for row in rows:
            row.values["buyer_id"] = buyers.get(row.values["buyer_nick"])
    existing = {old["order_id"]: old for old in _existing_orders(shop, rows, fields)}
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
        writes.append(row)
        before = old["state"] if old is not None else ""
        if "state" in fields and before != values["state"]:
            transitions.append((row.order_id, before, values["state"]))
    written = {row.order_id for row in writes}
    kept = [old["id"] for order_id, old in existing.items() if order_id not in written]
    if connection.vendor == "postgresql":
        if writes:
            _upsert_orders(
                shop, writes, fields, now, then=_history_and_touched(transitions, seen, now)
            )
        seen.touch(kept)
        return counts
    pks = {order_id: old["id"] for order_id, old in existing.items()}
    if writes:
        pks.update(_upsert_orders(shop, writes, fields, now))
        insert_rows(
            OrderStateChange,
            ["order_id", "from_state", "to_state", "changed_at"],
            [(pks[order_id], before, after, now) for order_id, before, after in transitions],
            now=now,
        )
    seen.touch(list(pks.values()))
    return counts


def _existing_orders(shop: Shop, rows: list[Row], fields: list[str]) -> list[dict]:
    """The chunk's orders already in the shop: id, order_id, extra and ``fields``."""
    if connection.vendor != "postgresql":
        return list(
            Order.objects.filter(shop=shop, order_id__in=[row.order_id for row in rows]).values(
                "id", "order_id", "extra", *fields
            )
        )
    names = ["id", "order_id", "extra", *fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(connection.ops.quote_name(name) for name in names)}"
            f" FROM {Order._meta.db_table} WHERE shop_id = %s AND order_id = ANY(%s)",
            [shop.pk, [row.order_id for row in rows]],
        )
        found = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for old in found:
        old["extra"] = json.loads(old["extra"]) if isinstance(old["extra"], str) else old["extra"]
    return found


def _history_and_touched(
    transitions: list[tuple[str, str, str]], seen: SeenKeys, now: datetime
) -> tuple[str, list]:
    """The rest of the upsert statement (``bulk.insert_rows(then=…)``): the state changes
    of the orders written, the written orders noted as touched, and {order_id: pk}."""
    history = OrderStateChange._meta.db_table
    sql = (
        f", touched AS (INSERT INTO {seen.touched_table} SELECT id FROM written"
        " ON CONFLICT DO NOTHING)"
    )
    params: list = []
    if transitions:
        sql += (
            f", history AS (INSERT INTO {history} (order_id, from_state, to_state, changed_at)"
            " SELECT written.id, changed.before, changed.after, %s FROM written"
            " JOIN unnest(%s::varchar[], %s::varchar[], %s::varchar[])"
            " AS changed(order_id, before, after) USING (order_id))"
        )
        order_ids, befores, afters = (list(column) for column in zip(*transitions, strict=True))
        params = [now, order_ids, befores, afters]
    return sql + " SELECT order_id, id FROM written", params


def _upsert_orders(
    shop: Shop, rows: list[Row], fields: list[str], now: datetime, then: tuple | None = None
) -> dict[str, int]:
    """INSERT … ON CONFLICT (shop, order_id) DO UPDATE the given fields; {order_id: pk}."""
    written = [*fields, "extra", "updated_at"]
    file_values = operator.itemgetter(*fields, "extra")  # one C call per row
    return dict(
        insert_rows(
            Order,
            ["shop_id", "order_id", *written],
            [(shop.pk, row.order_id, *file_values(row.values), now) for row in rows],
            conflict=["shop_id", "order_id"],
            update=written,
            returning=["order_id", "id"],
            then=then,
            now=now,
        )
    )


def write_items(
    *, shop: Shop, rows: list[Row], fields: list[str], now: datetime
) -> tuple[dict, list[tuple[int, str]]]:
    """Upsert the chunk's order lines; lines of orders not imported yet are row errors.
    The counts carry the primary keys of the orders whose lines were read ("pks")."""
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
        writes.append((order_pk, values["line_key"], *[values[name] for name in fields]))
    insert_rows(
        OrderItem,
        ["order_id", "line_key", *fields],
        writes,
        conflict=["order_id", "line_key"],
        update=fields,
        now=now,
    )
    counts["pks"] = sorted({order_pks[row.order_id] for row in known})
    return counts, errors
