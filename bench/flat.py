"""Every list page at two data sizes in the same run: is its time flat in the data size?

    DATABASE_URL=postgres://…/helpdesk_flat .venv/bin/python bench/flat.py          # 100k / 1M
    DATABASE_URL=postgres://…/helpdesk_flat .venv/bin/python bench/flat.py --small  # 2k / 20k
    .venv/bin/python bench/flat.py --reuse        # keep the generated databases of a former run

Issue 24: each list page (after-sale queue, chat queue, conversation page, problem queue,
orders, reviews, outbox, audit log) must take at the large size at most 1.3× its time at the
small size, with the same number of queries.

Each size lives in a database of its own, ``<database>_flat_<rows>``, migrated and filled
here: one shop holding ``rows`` orders, tickets, problem orders, conversations, reviews,
outbox messages and audit events, and ``--message-factor`` (default 10) messages per
conversation. Rows are made set-based in PostgreSQL: one template row per table is created
through the ORM, then cloned ``rows - 1`` times by one ``INSERT … SELECT … FROM
generate_series`` that varies the state, times and keys (most rows are history; a few
percent are open, as in a shop's year). ``--reuse`` keeps a database whose row counts
already match (migrations still run, so new indexes are built on the kept rows).

Each size is measured in a process of its own (DEBUG off, as in production): each page is
requested through Django's test client as a logged-in agent of the role that works it; a
warm-up, then the median of ``--runs`` requests; the query count comes from one more request.
The table gives both times, the ratio large ÷ small, and both query counts. ``--json`` ends
the output with one JSON line for bench/run_all.

Deep pages: the lists paged by keyset (audit log, orders, reviews, outbox's sent messages)
are also requested at their page ``DEPTH`` (50,000) rows in (half the rows in ``--small``),
reached by its cursor; beside it, the page's own query (keyset, ``per_page + 1`` rows from
the cursor) and the OFFSET query an offset pager would run for the same rows
(``… ORDER BY key DESC, id DESC LIMIT 50 OFFSET 50,000``), each the median of ``--runs``
evaluations through the ORM, and the index each plan walks (EXPLAIN): the same one for both.
"""

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

AIM = 1.3
SHOP_CODE = "flat"
ORDERS_PER_BUYER = 20  # a bigger shop has more buyers, not more orders per buyer
# page name: (url name, url kwargs source, role, query string)
PAGES = [
    ("after-sale queue", "tickets:queue", None, "after_sale", ""),
    ("chat queue", "chats:queue", None, "pre_sale", ""),
    ("conversation page", "chats:conversation", "conversation", "pre_sale", ""),
    ("problem queue", "orders:problems", None, "in_sale", ""),
    ("orders", "orders:list", None, "in_sale", ""),
    ("reviews", "reviews:list", None, "review_specialist", ""),
    ("outbox", "outreach:outbox", None, "supervisor", ""),
    ("audit log", "audit:list", None, "supervisor", ""),
]
# The lists paged by keyset (helpdesk/keyset.py): their page DEPTH rows in, by cursor,
# against the OFFSET query for the same rows on the same index.
DEEP = ["audit log", "orders", "reviews", "outbox"]
DEPTH = 50_000


# --- the orchestrating process ---------------------------------------------------------


def database_url(base: str, name: str) -> str:
    head, _slash, tail = base.rpartition("/")
    query = tail.partition("?")[2]
    return f"{head}/{name}" + (f"?{query}" if query else "")


def base_name(url: str) -> str:
    return url.rpartition("/")[2].partition("?")[0]


def run_size(rows: int, args, url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url)
    env["DJANGO_DEBUG"] = "0"
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    env["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    env.setdefault("HELPDESK_TESTING", "1")
    command = [
        sys.executable,
        __file__,
        "--worker",
        str(rows),
        "--message-factor",
        str(args.message_factor),
        "--runs",
        str(args.runs),
    ]
    if args.reuse:
        command.append("--reuse")
    if args.depth:
        command += ["--depth", str(args.depth)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"the {rows:,}-row run failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def create_database(url: str, name: str, *, keep: bool) -> None:
    """CREATE DATABASE (on the server's maintenance database) unless it exists and is kept."""
    import psycopg2

    admin = psycopg2.connect(database_url(url, "postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and keep:
                return
            if exists:
                cursor.execute(f'DROP DATABASE "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def number(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def orchestrate(args) -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("bench/flat.py needs DATABASE_URL=postgres://…")
    small, large = (2_000, 20_000) if args.small else (100_000, 1_000_000)
    if args.sizes:
        small, large = (int(n) for n in args.sizes.split(","))
    results = {}
    for rows in (small, large):
        name = f"{base_name(url)}_flat_{rows}"
        create_database(url, name, keep=args.reuse)
        results[rows] = run_size(rows, args, database_url(url, name))
    first, second = results[small], results[large]
    print()
    print(
        f"Two sizes, one run: {small:,} and {large:,} rows per list table "
        f"(messages: {first['sizes']['messages']:,} and {second['sizes']['messages']:,}); "
        f"median of {args.runs} requests after a warm-up, DEBUG off"
    )
    print()
    print(
        f"| page | {small:,} rows | {large:,} rows | ratio | queries {small:,} | "
        f"queries {large:,} | within {AIM}× and queries equal |"
    )
    print("|---|---|---|---|---|---|---|")
    measures = []
    for page, *_rest in PAGES:
        a, b = first["pages"][page], second["pages"][page]
        ratio = b["ms"] / a["ms"]
        met = ratio <= AIM and a["queries"] == b["queries"]
        print(
            f"| {page} | {number(a['ms'])} ms | {number(b['ms'])} ms | {ratio:.2f}× | "
            f"{a['queries']} | {b['queries']} | {'yes' if met else 'NO'} |"
        )
        measures.append(
            {
                "measure": f"{page} at {large:,} vs {small:,} rows",
                "ours": b["ms"],
                "baseline": a["ms"],
                "unit": "ms",
                "aim": {"max": AIM},
                "note": f"queries {b['queries']} vs {a['queries']}",
            }
        )
    print()
    print()
    depth = first["depth"]
    print(
        f"Deep pages: the page {depth:,} rows in, reached by keyset (its cursor), and the same "
        f"rows by OFFSET {depth:,} on the same index; median of {args.runs}"
    )
    print()
    print(
        "| list | rows | first page | deep page (keyset) | keyset query | OFFSET query | "
        "OFFSET ÷ keyset | index (keyset / OFFSET) | queries first / deep |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in DEEP:
        for rows in (small, large):
            page, deep = results[rows]["pages"][name], results[rows]["deep"][name]
            print(
                f"| {name} | {rows:,} | {number(page['ms'])} ms | {number(deep['page_ms'])} ms | "
                f"{deep['keyset_ms']:.2f} ms | {deep['offset_ms']:.2f} ms | "
                f"{deep['offset_ms'] / deep['keyset_ms']:.0f}× | "
                f"{deep['keyset_index']} / {deep['offset_index']} | "
                f"{page['queries']} / {deep['queries']} |"
            )
        a, b = first["deep"][name], second["deep"][name]
        measures.append(
            {
                "measure": f"{name} deep page (keyset, {depth:,} in) at {large:,} vs {small:,} rows",
                "ours": b["page_ms"],
                "baseline": a["page_ms"],
                "unit": "ms",
                "aim": {"max": AIM},
                "note": f"queries {b['queries']} vs {a['queries']}",
            }
        )
        measures.append(
            {
                "measure": f"{name} page {depth:,} in at {large:,} rows: keyset vs OFFSET query",
                "ours": b["keyset_ms"],
                "baseline": b["offset_ms"],
                "unit": "ms",
                "note": f"index {b['keyset_index']} / {b['offset_index']}",
            }
        )
    print()
    for rows in (small, large):
        sizes = results[rows]["sizes"]
        print(f"{rows:,}: " + ", ".join(f"{table} {n:,}" for table, n in sizes.items()))
    if args.json:
        print(json.dumps({"bench": "flat", "measures": measures}, ensure_ascii=False))
    return 0


# --- the worker: one database, one size ---------------------------------------------------


def clone(cursor, table: str, template_id: int, copies: int, overrides: dict[str, str]) -> int:
    """Insert ``copies`` rows copying the template row, with ``overrides`` (column → SQL over
    ``g``, the copy's number from 1) for the columns that vary. Returns the first new id;
    the new ids are consecutive (one statement, one session, ids drawn in ``g`` order)."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    columns = [row[0] for row in cursor.fetchall() if row[0] != "id"]
    # "%" in the overrides (modulo) is escaped for the driver's parameter style.
    values = [overrides.get(column, f't."{column}"').replace("%", "%%") for column in columns]
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} '
        f'FROM "{table}" t, generate_series(1, %s) g WHERE t.id = %s ORDER BY g '
        "RETURNING id",
        [copies, template_id],
    )
    ids = [row[0] for row in cursor.fetchall()]
    assert ids == list(range(ids[0], ids[0] + copies)), f"{table}: ids not consecutive"
    return ids[0]


def generate(rows: int, factor: int, now) -> None:
    """One shop, its agents, and ``rows`` of each list table (see the module docstring)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction

    from accounts.models import Membership, Shop, Team, User
    from audit.models import AuditEvent
    from chats.models import Channel, Conversation, Message, OutboxMessage
    from orders.models import Buyer, Order, Problem
    from reviews.models import Review
    from tickets.models import Ticket

    year = 365 * 24 * 3600
    step = f"make_interval(secs => g * {year / rows})"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        team = Team.objects.create(name="flat bench")
        shop = Shop.objects.create(team=team, code=SHOP_CODE, name="平铺店", platform="taobao")
        for role in {page[3] for page in PAGES}:
            user = User.objects.create_user(
                username=f"flat-{role}", password="bench", team=team, display_name=role
            )
            Membership.objects.create(user=user, shop=shop, role=role)
        agent = User.objects.get(username="flat-pre_sale")
        after_sale = User.objects.get(username="flat-after_sale")
        buyers = rows // ORDERS_PER_BUYER
        buyer = Buyer.objects.create(shop=shop, nick="b0")
        first_buyer = clone(cursor, "orders_buyer", buyer.pk, buyers - 1, {"nick": "'b' || g"})
        buyer_of = f"(CASE WHEN g % {buyers} = 0 THEN {buyer.pk} ELSE {first_buyer} - 1 + g % {buyers} END)"

        order = Order.objects.create(
            shop=shop,
            order_id=str(3_100_000_000 * 10**9),
            buyer=buyer,
            buyer_nick="b0",
            state="finished",
            total_amount=Decimal("199.00"),
            paid_amount=Decimal("199.00"),
            ordered_at=now,
            paid_at=now,
        )
        states = "(ARRAY['finished','finished','finished','finished','finished','finished','shipped','paid','waiting_payment','closed'])"
        first_order = clone(
            cursor,
            "orders_order",
            order.pk,
            rows - 1,
            {
                "order_id": f"({order.order_id}::numeric + g)::text",
                "buyer_id": buyer_of,
                "buyer_nick": f"'b' || (g % {buyers})",
                "state": f"{states}[1 + g % 10]",
                "ordered_at": f"t.ordered_at - {step}",
                "paid_at": f"t.paid_at - {step}",
            },
        )
        order_of = f"({first_order} - 1 + g)"

        ticket = Ticket.objects.create(
            shop=shop,
            type="return_refund",
            state="requested",
            buyer=buyer,
            order=order,
            assignee=after_sale,
            created_at=now,
            updated_at=now,
            sla_due_at=now + timedelta(hours=5),
        )
        # One ticket in five open, due within two days (a few overdue); the rest closed.
        types = "(ARRAY['return_refund','refund_only','exchange','damaged','missing_item'])"
        clone(
            cursor,
            "tickets_ticket",
            ticket.pk,
            rows - 1,
            {
                "type": f"{types}[1 + g % 5]",
                "state": "(CASE g % 10 WHEN 0 THEN 'requested' WHEN 1 THEN 'approved' ELSE 'closed' END)",
                "buyer_id": buyer_of,
                "order_id": order_of,
                "created_at": f"t.created_at - {step}",
                "updated_at": f"t.updated_at - {step}",
                "closed_at": f"CASE WHEN g % 10 > 1 THEN t.created_at - {step} END",
                "sla_due_at": "CASE WHEN g % 10 < 2 THEN t.sla_due_at + make_interval(hours => g % 48 - 6) END",
                "assignee_id": f"CASE WHEN g % 3 = 0 THEN NULL ELSE {after_sale.pk} END",
            },
        )

        problem = Problem.objects.create(
            shop=shop, order=order, category="address_change", opened_at=now, due_at=now
        )
        categories = "(ARRAY['address_change','address_unclear','out_of_area','out_of_stock','logistics_delay','logistics_stuck'])"
        clone(
            cursor,
            "orders_problem",
            problem.pk,
            rows - 1,
            {
                "order_id": order_of,
                "category": f"{categories}[1 + g % 6]",
                "state": "(CASE g % 20 WHEN 0 THEN 'open' WHEN 1 THEN 'contacting' "
                "WHEN 2 THEN 'waiting_buyer' WHEN 3 THEN 'cancelled' ELSE 'resolved' END)",
                "opened_at": f"t.opened_at - {step}",
                "due_at": f"t.due_at - {step} + interval '1 day'",
                "closed_at": f"CASE WHEN g % 20 > 2 THEN t.opened_at - {step} END",
            },
        )

        channel = Channel.objects.create(shop=shop, kind="webchat", name="web")
        conversation = Conversation.objects.create(
            shop=shop,
            channel=channel,
            buyer=buyer,
            state="active",
            assignee=agent,
            created_at=now,
            last_message_at=now,
        )
        # One conversation in a hundred open (queued or active); the rest closed.
        first_conversation = clone(
            cursor,
            "chats_conversation",
            conversation.pk,
            rows - 1,
            {
                "buyer_id": buyer_of,
                "state": "(CASE g % 100 WHEN 0 THEN 'queued' WHEN 1 THEN 'active' ELSE 'closed' END)",
                "assignee_id": f"CASE WHEN g % 100 = 0 THEN NULL ELSE {agent.pk} END",
                "created_at": f"t.created_at - {step}",
                "last_message_at": f"t.last_message_at - {step}",
                "closed_at": f"CASE WHEN g % 100 > 1 THEN t.created_at - {step} END",
            },
        )
        message = Message.objects.create(
            conversation=conversation,
            sender="buyer",
            text="你好，请问这件还有货吗？什么时候能发货呢",
            channel=channel,
            sent_at=now,
        )
        clone(
            cursor,
            "chats_message",
            message.pk,
            rows * factor - 1,
            {
                "conversation_id": f"CASE WHEN g < {factor} THEN {conversation.pk} "
                f"ELSE {first_conversation} - 1 + g / {factor} END",
                "sender": "(CASE g % 2 WHEN 0 THEN 'buyer' ELSE 'agent' END)",
                "author_id": f"CASE WHEN g % 2 = 1 THEN {agent.pk} END",
                "sent_at": f"t.sent_at - make_interval(secs => (g / {factor}) * {year / rows}) "
                f"+ make_interval(secs => g % {factor} * 30)",
            },
        )

        review = Review.objects.create(
            shop=shop,
            order=order,
            platform_order_id=order.order_id,
            external_id="r0",
            buyer=buyer,
            rating="negative",
            text="质量一般，和图片不太一样",
            reviewed_at=now,
            created_at=now,
            state_changed_at=now,
        )
        review_states = "(ARRAY['new','contacted','revision_requested','revised','unchanged','appealed','revised','unchanged','revised','unchanged'])"
        clone(
            cursor,
            "reviews_review",
            review.pk,
            rows - 1,
            {
                "order_id": order_of,
                "external_id": "'r' || g",
                "buyer_id": buyer_of,
                "rating": "(CASE g % 3 WHEN 0 THEN 'neutral' ELSE 'negative' END)",
                "state": f"{review_states}[1 + g % 10]",
                "reviewed_at": f"t.reviewed_at - {step}",
                "created_at": f"t.created_at - {step}",
                "state_changed_at": f"t.state_changed_at - {step}",
                "due_at": "NULL",
            },
        )

        outbox = OutboxMessage.objects.create(
            shop=shop,
            kind="payment_reminder",
            key="k0",
            buyer=buyer,
            order=order,
            text="亲，您的订单还没有付款哦",
            status="sent",
            attempts=1,
            created_at=now,
            next_attempt_at=now,
            sent_at=now,
        )
        # Nearly all sent; one in a hundred pending, one in two hundred failed.
        clone(
            cursor,
            "chats_outboxmessage",
            outbox.pk,
            rows - 1,
            {
                "key": "'k' || g",
                "buyer_id": buyer_of,
                "order_id": order_of,
                "status": "(CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 200 = 1 THEN 'failed' "
                "ELSE 'sent' END)",
                "attempts": "(CASE WHEN g % 200 = 1 THEN 3 ELSE 1 END)",
                "created_at": f"t.created_at - {step}",
                "next_attempt_at": f"t.next_attempt_at - {step}",
                "sent_at": f"CASE WHEN g % 100 = 0 OR g % 200 = 1 THEN NULL ELSE t.sent_at - {step} END",
            },
        )

        event = AuditEvent.objects.create(
            actor=after_sale,
            shop=shop,
            verb="ticket.created",
            object_type="ticket",
            object_id=str(ticket.pk),
            object_repr=f"#{ticket.pk}",
            changes={"state": ["", "requested"]},
            created_at=now,
        )
        verbs = "(ARRAY['ticket.created','ticket.refunded','problem.claimed','problem.resolved','review.contacted','conversation.closed'])"
        clone(
            cursor,
            "audit_auditevent",
            event.pk,
            rows - 1,
            {
                "verb": f"{verbs}[1 + g % 6]",
                "object_id": "g::text",
                "object_repr": "'#' || g",
                "created_at": f"t.created_at - {step}",
            },
        )


def table_sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "orders": "orders_order",
        "tickets": "tickets_ticket",
        "problems": "orders_problem",
        "conversations": "chats_conversation",
        "messages": "chats_message",
        "reviews": "reviews_review",
        "outbox": "chats_outboxmessage",
        "audit events": "audit_auditevent",
    }
    with connection.cursor() as cursor:
        sizes = {}
        for label, table in tables.items():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            sizes[label] = cursor.fetchone()[0]
    return sizes


def measure(runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from chats.models import Conversation

    conversation = Conversation.objects.filter(shop__code=SHOP_CODE, state="active").latest("pk")
    pages = {}
    for page, url_name, kwarg, role, query in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=f"flat-{role}"))
        kwargs = {"pk": conversation.pk} if kwarg == "conversation" else {}
        url = reverse(url_name, kwargs=kwargs) + (f"?{query}" if query else "")
        response = client.get(url)
        assert response.status_code == 200, f"{page}: {response.status_code}"
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        pages[page] = {"ms": statistics.median(samples), "queries": len(queries)}
        print(f"  {page}: {pages[page]['ms']:.1f} ms, {len(queries)} queries", file=sys.stderr)
    return pages


def deep_lists() -> dict:
    """Per keyset list: (url name, role, keyset, the rows its page walks as that role)."""
    from accounts.models import Shop, User
    from accounts.selectors import audit_events_visible_to
    from audit.models import AUDIT_PAGES
    from orders.models import ORDER_PAGES
    from orders.selectors import orders_visible_to
    from outreach.selectors import SENT_PAGES, outbox_sent
    from reviews.models import REVIEW_PAGES
    from reviews.selectors import reviews_visible_to

    def user(role):
        return User.objects.get(username=f"flat-{role}")

    shop = Shop.objects.get(code=SHOP_CODE)
    return {
        "audit log": (
            "audit:list",
            "supervisor",
            AUDIT_PAGES,
            audit_events_visible_to(user("supervisor")),
        ),
        "orders": ("orders:list", "in_sale", ORDER_PAGES, orders_visible_to(user("in_sale"))),
        "reviews": (
            "reviews:list",
            "review_specialist",
            REVIEW_PAGES,
            reviews_visible_to(user("review_specialist")),
        ),
        "outbox": (
            "outreach:outbox",
            "supervisor",
            SENT_PAGES,
            outbox_sent(user("supervisor"), shop),
        ),
    }


def first_index(plan: str) -> str:
    """The first index a plan (EXPLAIN's text) walks."""
    found = re.search(r"using (\w+)", plan)
    return found.group(1) if found else "none (sequential scan)"


def median_ms(runs: int, action) -> float:
    action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure_deep(runs: int, depth: int) -> dict:
    """Each keyset list's page ``depth`` rows in: the page by cursor, its query, and the
    OFFSET query for the same rows."""
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from helpdesk.keyset import OLDER

    per_page = 50
    deep = {}
    for name, (url_name, role, keyset, rows) in deep_lists().items():
        ordered = rows.alias(keyset_key=keyset.key()).order_by(
            F("keyset_key").desc(), F("pk").desc()
        )
        before = ordered[depth - 1]  # the last row of the page before: its cursor
        cursor = keyset.cursor(before, OLDER)
        page = keyset.page(rows, cursor, per_page)
        offset = ordered[depth : depth + per_page]
        assert [r.pk for r in page.rows] == [r.pk for r in offset], f"{name}: pages differ"
        client = Client()
        client.force_login(User.objects.get(username=f"flat-{role}"))
        url = f"{reverse(url_name)}?cursor={cursor}"
        assert client.get(url).status_code == 200, f"{name}: deep page failed"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # read now: the next request clears the connection's log
        deep[name] = {
            "page_ms": median_ms(runs, lambda url=url, client=client: client.get(url)),
            "queries": count,
            "keyset_ms": median_ms(
                runs, lambda rows=rows, keyset=keyset, c=cursor: keyset.page(rows, c, per_page)
            ),
            "offset_ms": median_ms(runs, lambda q=offset: list(q.all())),
            "keyset_index": keyset_plan_index(keyset, rows, cursor, per_page),
            "offset_index": first_index(offset.explain()),
        }
        print(
            f"  {name} {depth:,} in: page {deep[name]['page_ms']:.1f} ms, keyset query "
            f"{deep[name]['keyset_ms']:.2f} ms, OFFSET query {deep[name]['offset_ms']:.2f} ms",
            file=sys.stderr,
        )
    return deep


def keyset_plan_index(keyset, rows, cursor: str, per_page: int) -> str:
    """The index the keyset page's own query walks: its SQL, captured, then EXPLAINed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        keyset.page(rows, cursor, per_page)
    with connection.cursor() as db:
        db.execute("EXPLAIN " + queries[-1]["sql"])
        return first_index("\n".join(row[0] for row in db.fetchall()))


def work(args) -> int:
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # django-axes logs every test-client login
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Shop
    from helpdesk import clock

    rows = args.worker
    expected = {"orders": rows, "messages": rows * args.message_factor}
    call_command("migrate", verbosity=0)
    sizes = table_sizes()
    kept = args.reuse and all(sizes[k] == v for k, v in expected.items())
    kept = kept and Shop.objects.filter(code=SHOP_CODE).exists()
    if not kept:
        if Shop.objects.exists():
            raise SystemExit(f"{connection.settings_dict['NAME']} holds other data; not filling it")
        started = time.perf_counter()
        generate(rows, args.message_factor, clock.now())
        print(f"{rows:,}: generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        sizes = table_sizes()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{rows:,}: vacuum analyze {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"{rows:,} rows ({connection.settings_dict['NAME']}):", file=sys.stderr)
    pages = measure(args.runs)
    depth = args.depth or min(DEPTH, rows // 2)
    deep = measure_deep(args.runs, depth)
    print(json.dumps({"rows": rows, "sizes": sizes, "pages": pages, "deep": deep, "depth": depth}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2,000 and 20,000 rows (CI)")
    parser.add_argument("--sizes", help="the two sizes, e.g. 100000,1000000")
    parser.add_argument("--message-factor", type=int, default=10, help="messages per chat")
    parser.add_argument("--runs", type=int, default=9, help="requests timed per page")
    parser.add_argument("--reuse", action="store_true", help="keep databases already filled")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--depth", type=int, help=f"deep page rows in (default {DEPTH:,})")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    return work(args) if args.worker else orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
