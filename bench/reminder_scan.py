"""How fast is the payment-reminder eligibility scan over a large order table?

Generates orders with COPY (default 1,000,000 across two shops: a year of paid, shipped,
finished and closed orders, and unpaid orders over the last five days, some already
reminded, some from malicious or opted-out buyers, some duplicates of a paid order), then
times ``outreach.reminders.reminder_candidates`` as the job runs it (the first batch of
the scan, the columns the eligibility checks read) against the equivalent hand-written
SQL fetched with a raw cursor, in the same run, and prints the ratio and the query plan.

Everything happens in one transaction that is rolled back (then the tables are vacuumed):
the database is left as found.

    python bench/reminder_scan.py                 # 1,000,000 orders
    python bench/reminder_scan.py --small         # 10,000 orders, for CI (a few seconds)
    python bench/reminder_scan.py --rows 20000    # any other size
    python bench/reminder_scan.py --json          # end with the figures as one JSON line
"""

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

from bench.timing import median_seconds

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Platform, Shop, Team  # noqa: E402
from orders.models import Order  # noqa: E402
from outreach.reminders import (  # noqa: E402
    BATCH_SIZE,
    CANDIDATE_FIELDS,
    reminder_candidates,
    reminder_scan,
)

ROUNDS = 15
TABLES = ("orders_buyer", "orders_order", "chats_outboxmessage", "outreach_reminder")
TITLES = [f"商品{n} 规格{n % 7}" for n in range(400)]
HAND_WRITTEN = """
SELECT o.id, o.buyer_id, b.is_malicious, b.opted_out, EXISTS (
         SELECT 1 FROM orders_order p
          WHERE p.shop_id = o.shop_id AND p.buyer_id = o.buyer_id
            AND p.item_title = o.item_title AND p.paid_at >= o.ordered_at AND p.id <> o.id
       ) AS is_duplicate
  FROM orders_order o
  LEFT JOIN orders_buyer b ON b.id = o.buyer_id
 WHERE o.shop_id = %(shop)s AND o.state = 'waiting_payment'
   AND o.ordered_at <= %(young)s AND o.ordered_at > %(closed)s
   AND NOT EXISTS (SELECT 1 FROM outreach_reminder r WHERE r.order_id = o.id)
 ORDER BY o.ordered_at, o.id
 LIMIT %(limit)s
"""


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def make_shops() -> list[Shop]:
    team = Team.objects.create(name="bench")
    return [
        Shop.objects.create(
            team=team, code=f"bench-scan-{n}", name=f"压测店{n}", platform=Platform.TAOBAO
        )
        for n in (1, 2)
    ]


def generate(cursor, shops: list[Shop], rows: int, now, rng: random.Random) -> dict:
    """Buyers, orders, and reminders (with their outbox rows) for a tenth of the unpaid
    orders old enough to have been reminded already."""
    buyers_per_shop = max(rows // 10, 10)
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM orders_buyer")
    first_buyer = cursor.fetchone()[0] + 1
    buyer_ids = {}
    buyer_rows = []
    next_id = first_buyer
    for shop in shops:
        ids = []
        for n in range(buyers_per_shop):
            flag = rng.random()
            buyer_rows.append(
                (
                    next_id,
                    shop.pk,
                    f"bench{shop.pk}_{n}",
                    "f",
                    "t" if flag < 0.01 else "f",
                    "t" if 0.01 <= flag < 0.02 else "f",
                    "",
                    "",
                    "",
                    now.isoformat(),
                )
            )
            ids.append(next_id)
            next_id += 1
        buyer_ids[shop.pk] = ids
    copy_rows(
        cursor,
        "orders_buyer",
        [
            "id",
            "shop_id",
            "nick",
            "is_vip",
            "is_malicious",
            "opted_out",
            "size",
            "style",
            "notes",
            "created_at",
        ],
        buyer_rows,
    )

    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM orders_order")
    first_order = cursor.fetchone()[0] + 1
    order_columns = [
        "id",
        "shop_id",
        "order_id",
        "buyer_id",
        "buyer_nick",
        "state",
        "total_amount",
        "paid_amount",
        "buyer_message",
        "receiver_name",
        "address",
        "province",
        "city",
        "district",
        "address_detail",
        "postcode",
        "shipping_method",
        "is_cod",
        "phone",
        "mobile",
        "ordered_at",
        "paid_at",
        "shipped_at",
        "item_title",
        "item_count",
        "tracking_number",
        "courier",
        "platform_memo",
        "close_reason",
        "extra",
        "updated_at",
    ]
    unpaid, order_rows = [], []
    for n in range(rows):
        order_id = first_order + n
        shop = shops[0] if n % 5 else shops[1]
        buyer = rng.choice(buyer_ids[shop.pk])
        title = rng.choice(TITLES)
        if rng.random() < 0.04:
            state = "waiting_payment"
            ordered = now - timedelta(minutes=rng.randint(1, 5 * 24 * 60))
            paid = shipped = None
            unpaid.append((order_id, shop.pk, buyer, ordered))
        else:
            state = rng.choice(["paid", "shipped", "finished", "finished", "closed"])
            ordered = now - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
            paid = None if state == "closed" else ordered + timedelta(minutes=rng.randint(1, 600))
            shipped = paid + timedelta(hours=20) if state in ("shipped", "finished") else None
        order_rows.append(
            (
                order_id,
                shop.pk,
                str(3_000_000_000_000_000_000 + order_id),
                buyer,
                f"b{buyer}",
                state,
                "199.00",
                "0.00" if paid is None else "199.00",
                "",
                "张三",
                "浙江省 杭州市 西湖区 文三路 1号",
                "浙江省",
                "杭州市",
                "西湖区",
                "文三路 1号",
                "310012",
                "快递",
                "f",
                "",
                "13800000000",
                ordered.isoformat(),
                paid.isoformat() if paid else None,
                shipped.isoformat() if shipped else None,
                title,
                1,
                "",
                "",
                "",
                "",
                "{}",
                now.isoformat(),
            )
        )
    copy_rows(cursor, "orders_order", order_columns, order_rows)

    reminded = [u for u in unpaid if u[3] <= now - timedelta(hours=1) and rng.random() < 0.1]
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM chats_outboxmessage")
    first_outbox = cursor.fetchone()[0] + 1
    outbox_rows, reminder_rows = [], []
    for n, (order_id, shop_id, buyer, ordered) in enumerate(reminded):
        sent = (ordered + timedelta(minutes=30)).isoformat()
        outbox_rows.append(
            (
                first_outbox + n,
                shop_id,
                "payment_reminder",
                f"payment_reminder:{order_id}",
                buyer,
                order_id,
                "您好",
                "sent",
                1,
                "",
                sent,
                sent,
                sent,
            )
        )
        reminder_rows.append((shop_id, order_id, first_outbox + n, sent, "f"))
    copy_rows(
        cursor,
        "chats_outboxmessage",
        [
            "id",
            "shop_id",
            "kind",
            "key",
            "buyer_id",
            "order_id",
            "text",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "next_attempt_at",
            "sent_at",
        ],
        outbox_rows,
    )
    copy_rows(
        cursor,
        "outreach_reminder",
        ["shop_id", "order_id", "outbox_id", "sent_at", "succeeded"],
        reminder_rows,
    )
    for table in TABLES:
        cursor.execute(f"ANALYZE {table}")
    return {"orders": rows, "unpaid": len(unpaid), "reminded": len(reminded)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="orders to generate (default 1,000,000)")
    parser.add_argument("--small", action="store_true", help="10,000 orders, for CI")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    rows = args.rows or (10_000 if args.small else 1_000_000)
    rng = random.Random(8)
    now = timezone.now()
    with transaction.atomic():
        shops = make_shops()
        shop = shops[0]
        with connection.cursor() as cursor:
            started = time.perf_counter()
            figures = generate(cursor.cursor, shops, rows, now, rng)
            print(f"generated {figures} with COPY in {time.perf_counter() - started:.1f} s")

            def orm_scan():
                return reminder_candidates(shop, now)

            params = {
                "shop": shop.pk,
                "young": now - timedelta(minutes=shop.remind_after_minutes),
                "closed": now - timedelta(hours=shop.auto_close_hours),
                "limit": BATCH_SIZE,
            }

            def sql_scan():
                cursor.execute(HAND_WRITTEN, params)
                return cursor.fetchall()

            orm_rows, sql_rows = orm_scan(), sql_scan()
            assert [tuple(c) for c in orm_rows] == sql_rows, "scans disagree"
            orm_time, sql_time = median_seconds(orm_scan, ROUNDS), median_seconds(sql_scan, ROUNDS)
            print(f"batch: {len(orm_rows)} candidates of shop {shop.code}")
            print(f"hand-written SQL    {sql_time * 1000:8.2f} ms  (baseline)")
            print(
                f"reminder_candidates {orm_time * 1000:8.2f} ms  ratio {orm_time / sql_time:.2f}x"
            )
            scan = reminder_scan(shop, now).values_list(*CANDIDATE_FIELDS)[:BATCH_SIZE]
            plan = scan.explain(analyze=True)
            print("EXPLAIN ANALYZE of reminder_candidates' query:")
            print(plan)
            index = next(
                i.name for i in Order._meta.indexes if i.fields == ["shop", "state", "ordered_at"]
            )
            uses_index = index in plan
            print(f"uses index {index} on orders_order(shop, state, ordered_at): {uses_index}")
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        # The rolled-back rows are dead tuples until vacuumed; clear them for the next run.
        cursor.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
    if args.json:
        measure = {
            "measure": f"eligibility scan, first batch of {rows:,} orders, vs hand-written SQL",
            "ours": orm_time * 1000,
            "baseline": sql_time * 1000,
            "unit": "ms",
            "aim": {"max": 1.5},
            "note": "uses the (shop, state, ordered_at) index" if uses_index else "NO INDEX",
        }
        print(json.dumps({"bench": "reminder_scan", "measures": [measure]}, ensure_ascii=False))
    if not uses_index:
        sys.exit("the scan does not use the (shop, state, ordered_at) index")


if __name__ == "__main__":
    main()
