"""How fast are the chat queue and conversation pages at scale?

Generates conversations and messages with COPY into a separate benchmark database
(``<your database>_bench``, created and migrated on first use, reused with --keep), then
times, through Django's test client as a logged-in agent:

- the queue partial (``/chats/queue/?view=all``: the newest 100 open conversations of the
  agent's shops, plus the tab counts), against the bare indexed SQL that page needs (the
  open-conversation page and the counts, run with a raw cursor);
- the conversation page (``/chats/<id>/``: the latest 200 messages, the buyer card,
  orders, earlier conversations, the queue), against the bare SQL of its latest messages;
  and the same conversation as the htmx pane an agent's click loads (no queue).

Each figure is the median of several runs; the ratio page/SQL is what to watch. EXPLAIN
shows which index each bare query uses.

    python bench/chat_queue.py            # 100,000 conversations / 1,000,000 messages
    python bench/chat_queue.py --small    # 2,000 / 20,000, for CI (well under a minute)
    python bench/chat_queue.py --json     # end with the figures as one JSON line (run_all)

In --small mode the benchmark database is <your database>_small_bench, built from the
models without replaying the migrations (the same tables and indexes, in seconds) and
dropped at the end, and each figure is the median of fewer runs.
"""

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("HELPDESK_TESTING", "1")

import django

from bench.timing import median_seconds

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

SHOPS = 5
AGENTS_PER_SHOP = 10
OPEN_SHARE = 0.03
RUNS = 15
TEXTS = [
    "在吗？这款有现货吗",
    "我平时穿M码，165cm，选哪个",
    "今天付款今天能发吗",
    "能便宜一点吗，两件一起拍",
    "您好，有现货的，17:00前付款当天发出",
    "好的，谢谢",
    "颜色和图片一样吗？会不会色差",
    "亲，实物和图片一致，灯光下可能略有差别",
]


def bench_database(*, small: bool = False) -> None:
    """Point Django at <name>_bench, creating and migrating it when missing (in small mode:
    <name>_small_bench, recreated from the models without the migrations, so the full
    mode never meets a database that has tables but no migration records)."""
    from django.core.management import call_command

    name = settings.DATABASES["default"]["NAME"] + "_bench"
    if small:
        name = settings.DATABASES["default"]["NAME"] + "_small_bench"
        test_settings = connection.settings_dict.setdefault("TEST", {})
        test_settings.update(NAME=name, MIGRATE=False)
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        settings.DATABASES["default"]["NAME"] = name
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


def copy_rows(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )


def generate(conversations: int, messages: int, rng: random.Random) -> None:
    from accounts.models import Membership, Shop, Team, User
    from accounts.roles import Role
    from chats.models import Channel, ChannelKind
    from orders.models import Buyer

    team = Team.objects.create(name="压测团队")
    shops = [
        Shop.objects.create(team=team, code=f"bench-{i}", name=f"压测店铺{i}", platform="taobao")
        for i in range(SHOPS)
    ]
    agents = []
    for shop in shops:
        for n in range(AGENTS_PER_SHOP):
            user = User.objects.create(
                username=f"bench-{shop.pk}-{n}", team=team, work_number=f"{shop.pk}{n:03d}"
            )
            Membership.objects.create(user=user, shop=shop, role=Role.PRE_SALE)
            agents.append((shop, user))
    channels = {
        s.pk: Channel.objects.create(shop=s, name="网页", kind=ChannelKind.WEBCHAT) for s in shops
    }
    buyers_per_shop = max(conversations // SHOPS // 4, 10)
    Buyer.objects.bulk_create(
        Buyer(shop=s, nick=f"买家{s.pk}-{i}") for s in shops for i in range(buyers_per_shop)
    )
    buyer_ids = {
        s.pk: list(Buyer.objects.filter(shop=s).values_list("pk", flat=True)) for s in shops
    }
    agents_by_shop = {}
    for shop, user in agents:
        agents_by_shop.setdefault(shop.pk, []).append(user.pk)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    span = 300 * 24 * 3600
    per_conversation = max(messages // conversations, 1)
    conversation_rows = []
    for i in range(conversations):
        shop = shops[i % SHOPS]
        created = start + timedelta(seconds=rng.randint(0, span))
        last = created + timedelta(minutes=per_conversation)
        is_open = rng.random() < OPEN_SHARE
        state = rng.choice(["queued", "active"]) if is_open else "closed"
        assignee = None if state == "queued" else rng.choice(agents_by_shop[shop.pk])
        conversation_rows.append(
            (
                shop.pk,
                channels[shop.pk].pk,
                rng.choice(buyer_ids[shop.pk]),
                "pre_sale",
                state,
                assignee,
                created.isoformat(),
                last.isoformat(),
                last.isoformat() if is_open else None,
                0,
                0,
                0,
                per_conversation // 2,
                per_conversation // 2,
                "",
                None if is_open else last.isoformat(),
                last.isoformat(),
                rng.randint(0, 3) if is_open else 0,
                "这件有大码吗",
            )
        )
    copy_rows(
        "chats_conversation",
        [
            "shop_id",
            "channel_id",
            "buyer_id",
            "queue",
            "state",
            "assignee_id",
            "created_at",
            "last_message_at",
            "awaiting_reply_since",
            "response_seconds_total",
            "response_count",
            "responses_within_3min",
            "buyer_message_count",
            "agent_message_count",
            "outcome",
            "closed_at",
            "last_buyer_message_at",
            "unread_count",
            "last_message_preview",
        ],
        conversation_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, shop_id, created_at FROM chats_conversation")
        ids = cursor.fetchall()

    longest = min(conversation_id for conversation_id, _, _ in ids)

    def message_rows():
        # One long conversation (600 messages) shows that the page reads only the latest 200.
        for conversation_id, shop_id, created in ids:
            count = 600 if conversation_id == longest else per_conversation
            for n in range(count):
                yield (
                    conversation_id,
                    "buyer" if n % 2 == 0 else "agent",
                    rng.choice(TEXTS),
                    channels[shop_id].pk,
                    (created + timedelta(minutes=n)).isoformat(),
                    "f",
                    "[]",
                )

    batch, total = [], 0
    columns = [
        "conversation_id",
        "sender",
        "text",
        "channel_id",
        "sent_at",
        "is_internal",
        "findings",
    ]
    for row in message_rows():
        batch.append(row)
        if len(batch) == 100_000:
            copy_rows("chats_message", columns, batch)
            total += len(batch)
            batch = []
    copy_rows("chats_message", columns, batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def raw(sql: str, params: list):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def explain(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


QUEUE_SQL = """
SELECT c.id, c.state, c.queue, c.last_message_at, c.unread_count, c.awaiting_reply_since,
       b.nick, s.name, u.display_name, u.work_number
FROM chats_conversation c
JOIN orders_buyer b ON b.id = c.buyer_id
JOIN accounts_shop s ON s.id = c.shop_id
LEFT JOIN accounts_user u ON u.id = c.assignee_id
WHERE c.id IN (
    SELECT id FROM chats_conversation WHERE shop_id = ANY(%s) AND state IN ('queued', 'active')
    ORDER BY last_message_at DESC, id DESC LIMIT 100)
ORDER BY c.last_message_at DESC, c.id DESC
"""
COUNTS_SQL = """
SELECT count(*) FILTER (WHERE assignee_id = %s AND state = 'active'),
       count(*) FILTER (WHERE state = 'queued'),
       sum(unread_count) FILTER (WHERE assignee_id = %s)
FROM chats_conversation WHERE shop_id = ANY(%s) AND state IN ('queued', 'active')
"""
MESSAGES_SQL = """
SELECT id, sender, text, sent_at, author_id, is_internal, findings FROM chats_message
WHERE conversation_id = %s ORDER BY sent_at DESC, id DESC LIMIT 200
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2,000 conversations, for CI")
    parser.add_argument("--conversations", type=int)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--keep", action="store_true", help="reuse data already generated")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    runs = 5 if args.small else RUNS
    conversations = args.conversations or (2_000 if args.small else 100_000)
    messages = args.messages or conversations * 10
    if connection.vendor != "postgresql":
        sys.exit("bench/chat_queue.py needs PostgreSQL (DATABASE_URL).")
    settings.ALLOWED_HOSTS = ["*"]
    original_name = settings.DATABASES["default"]["NAME"]
    throwaway = args.small and not args.keep
    bench_database(small=throwaway)

    from django.test import Client

    from accounts.models import Membership, User
    from chats.models import Conversation, Message

    if not (args.keep and Conversation.objects.exists()):
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE chats_message, chats_conversation, chats_channel, orders_buyer, "
                "accounts_membership, accounts_shop, accounts_team, accounts_user CASCADE"
            )
        began = time.perf_counter()
        generate(conversations, messages, random.Random(2026))
        print(f"generated in {time.perf_counter() - began:.1f} s")
    total_c = Conversation.objects.count()
    total_m = Message.objects.count()
    print(f"{total_c:,} conversations, {total_m:,} messages")
    open_count = Conversation.objects.filter(state__in=["queued", "active"]).count()
    print(f"{open_count:,} open conversations")

    agent = User.objects.filter(username__startswith="bench-").order_by("pk").first()
    shop_ids = list(Membership.objects.filter(user=agent).values_list("shop_id", flat=True))
    # The agent works in every shop: the widest queue there is.
    for shop_id in {m for m in Conversation.objects.values_list("shop_id", flat=True).distinct()}:
        Membership.objects.get_or_create(user=agent, shop_id=shop_id, defaults={"role": "pre_sale"})
    shop_ids = list(Membership.objects.filter(user=agent).values_list("shop_id", flat=True))
    client = Client()
    client.force_login(agent)
    busiest = (
        Conversation.objects.filter(shop_id__in=shop_ids)
        .order_by("-buyer_message_count", "pk")
        .first()
    )

    def queue_page():
        assert client.get("/chats/queue/?view=all").status_code == 200

    def conversation_page():
        assert client.get(f"/chats/{busiest.pk}/").status_code == 200

    def conversation_pane():
        response = client.get(f"/chats/{busiest.pk}/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    queue_sql = raw(QUEUE_SQL, [shop_ids])
    counts_sql = raw(COUNTS_SQL, [agent.pk, agent.pk, shop_ids])

    def queue_baseline():
        queue_sql()
        counts_sql()

    messages_sql = raw(MESSAGES_SQL, [busiest.pk])
    figures = {
        "queue page": (
            median_seconds(queue_page, runs, warm_up=True),
            median_seconds(queue_baseline, runs, warm_up=True),
        ),
        "conversation page": (
            median_seconds(conversation_page, runs, warm_up=True),
            median_seconds(messages_sql, runs, warm_up=True),
        ),
        "conversation pane": (
            median_seconds(conversation_pane, runs, warm_up=True),
            median_seconds(messages_sql, runs, warm_up=True),
        ),
    }
    print(f"\n{'':20}{'page ms':>10}{'bare SQL ms':>14}{'ratio':>8}")
    for name, (page, sql) in figures.items():
        print(f"{name:20}{page * 1000:>10.2f}{sql * 1000:>14.2f}{page / sql:>8.1f}")
    print("\nEXPLAIN queue:\n" + explain(QUEUE_SQL, [shop_ids]))
    print("\nEXPLAIN messages:\n" + explain(MESSAGES_SQL, [busiest.pk]))
    if args.json:
        measures = [
            {
                "measure": f"{name} at {total_c:,} conversations / {total_m:,} messages "
                "vs bare SQL",
                "ours": page * 1000,
                "baseline": sql * 1000,
                "unit": "ms",
            }
            for name, (page, sql) in figures.items()
        ]
        print(json.dumps({"bench": "chat_queue", "measures": measures}, ensure_ascii=False))
    if throwaway:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
