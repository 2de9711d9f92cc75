"""Write one chunk of parsed rows: a fixed handful of queries whatever the chunk size.

Per chunk: fetch the existing rows by key in one query, compare in Python (an unchanged
row is not written at all, so re-importing a file changes nothing), then one upsert
(``bulk.insert_rows``: COPY into a temporary table, INSERT … ON CONFLICT from it) writes
the new and the changed rows together and one more records the orders' state changes. Only the columns the file has are compared
and written: a newer export without buyer nick or phone leaves those values alone.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import Shop
from orders.models import Buyer, Order, OrderItem, OrderStateChange

from .addresses import parse_addresses
from .bulk import insert_rows
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


def _buyer_ids(shop: Shop, nicks: set[str], now: datetime) -> dict[str, int]:
    """Buyer files by nick, created for nicks seen the first time (race-safe upsert)."""
    if not nicks:
        return {}
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


def write_orders(*, shop: Shop, rows: list[Row], fields: list[str], now: datetime) -> dict:
    """Upsert the chunk's orders; returns counts {created, updated, unchanged} and the
    primary keys of the chunk's orders ("pks")."""
    if "address" in fields:
        for row, parsed in zip(
            rows, parse_addresses([row.values["address"] for row in rows]), strict=True
        ):
            row.values.update(parsed.as_fields())
    if "buyer_id" in fields:
        buyers = _buyer_ids(shop, {row.values["buyer_nick"] for row in rows} - {""}, now)
        for row in rows:
            row.values["buyer_id"] = buyers.get(row.values["buyer_nick"])
    existing = {
        old["order_id"]: old
        for old in Order.objects.filter(
            shop=shop, order_id__in=[row.order_id for row in rows]
        ).values("id", "order_id", "extra", *fields)
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
        writes.append(row)
        before = old["state"] if old is not None else ""
        if "state" in fields and before != values["state"]:
            transitions.append((row.order_id, before, values["state"]))
    pks = {order_id: old["id"] for order_id, old in existing.items()}
    if writes:
        pks.update(_upsert_orders(shop, writes, fields, now))
        insert_rows(
            OrderStateChange,
            ["order_id", "from_state", "to_state", "changed_at"],
            [(pks[order_id], before, after, now) for order_id, before, after in transitions],
            now=now,
        )
    counts["pks"] = list(pks.values())
    return counts


def _upsert_orders(shop: Shop, rows: list[Row], fields: list[str], now: datetime) -> dict[str, int]:
    """INSERT … ON CONFLICT (shop, order_id) DO UPDATE the given fields; {order_id: pk}."""
    written = [*fields, "extra", "updated_at"]
    return dict(
        insert_rows(
            Order,
            ["shop_id", "order_id", *written],
            [
                (
                    shop.pk,
                    row.order_id,
                    *[row.values[name] for name in fields],
                    row.values["extra"],
                    now,
                )
                for row in rows
            ],
            conflict=["shop_id", "order_id"],
            update=written,
            returning=["order_id", "id"],
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
