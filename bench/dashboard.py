"""How fast is the owner's dashboard over a year of rollups?

Generates a year of rollup rows (10 shops; 50 agents, each working in every shop) and a DSR
record every third day per shop with bulk writes into a throwaway test database, then times
GET /kpi/ for a 30-day and a 365-day chart range against the baseline measured in the same
run: the very statements the page runs to read its rows (kpi.sql: the shop's rollups of the
range with its DSR records in one statement, the agents' sums of the last 7 days, the new
reviews), with the page's own arguments, through the same raw cursor. Before timing, the
script checks that each baseline statement is one the page itself ran, with the same
parameters, so the ratio is the page's cost over reading exactly its rows. Two
measurements of the page:

- steady state: the dashboard view called directly (selectors + template render, no
  middleware), with "today" already in its 60-second cache;
- worst case: GET /kpi/ through the test client (session, auth, middleware) with the cache
  cleared before every request, so "today" is computed live each time.

Every request is made by a user fresh from the database (a pool of managers of every shop,
one after another), so nothing a user object memoizes (its roles per shop) carries over from
one request to the next; fetching or logging in that user is not timed.

    python bench/dashboard.py            # 10 shops, 50 agents, 365 days
    python bench/dashboard.py --small    # 2 shops, 10 agents, 60 days, for CI
    python bench/dashboard.py --json     # end with the figures as one JSON line (run_all)

In --small mode the throwaway database is built from the models without replaying the
migrations (the same tables and indexes, in seconds instead of half a minute).
"""

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("HELPDESK_TESTING", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5_000
OWNERS = 60  # managers of every shop: each request is made by the next one, loaded afresh


def generate(shops_count: int, agents_count: int, days: int, rng: random.Random):
    from accounts.models import Membership, Shop, Team, User
    from accounts.roles import Role
    from kpi.days import local_day
    from kpi.models import AgentDay, ShopDay, ShopDsr
    from tests.kpi.factories import rollup_rows

    team = Team.objects.create(name="bench")
    shops = Shop.objects.bulk_create(
        [
            Shop(team=team, code=f"bench-{n}", name=f"店铺{n}", platform="taobao")
            for n in range(shops_count)
        ]
    )
    agents = User.objects.bulk_create(
        [
            User(username=f"bench{n}", work_number=str(5000 + n), team=team)
            for n in range(agents_count)
        ]
    )
    owners = User.objects.bulk_create(
        [User(username=f"owner{n}", team=team) for n in range(OWNERS)]
    )
    Membership.objects.bulk_create(
        [Membership(user=o, shop=shop, role=Role.MANAGER) for o in owners for shop in shops]
        + [Membership(user=a, shop=s, role=Role.PRE_SALE) for a in agents for s in shops]
    )
    today, now = local_day(timezone.now()), timezone.now()
    shop_rows, agent_rows, dsr_rows = [], [], []
    for shop in shops:
        for n in range(0, days + 1, 3):  # a DSR record every third day
            dsr_rows.append(
                ShopDsr(
                    shop=shop,
                    day=today - timedelta(days=n),
                    source="demo",
                    recorded_at=now,
                    **{
                        key: Decimal(rng.randint(470, 495)) / 100
                        for key in ("description", "service", "logistics")
                    },
                )
            )
        shop_days, agent_days = rollup_rows(
            shop,
            agents,
            days=days,
            today=today,
            now=now,
            shop_counters=lambda _n: {
                "orders": rng.randint(50, 400),
                "sales": Decimal(rng.randint(5_000, 80_000)),
                "inquiry_count": rng.randint(100, 600),
                "paying_count": rng.randint(20, 200),
                "first_response_total": rng.randint(2_000, 9_000),
                "first_response_n": rng.randint(100, 600),
                "response_seconds_total": rng.randint(10_000, 90_000),
                "response_count": rng.randint(500, 3_000),
                "responses_within_3min": rng.randint(400, 500),
                "reminders_sent": rng.randint(10, 90),
                "reminders_paid": rng.randint(0, 10),
                "followups_sent": rng.randint(10, 90),
                "problems_by_category": {
                    "address_change": rng.randint(0, 9),
                    "out_of_stock": rng.randint(0, 5),
                },
            },
            agent_counters=lambda _i: agent_counters(rng),
        )
        shop_rows += shop_days
        agent_rows += agent_days
    ShopDay.objects.bulk_create(shop_rows, batch_size=BATCH)
    AgentDay.objects.bulk_create(agent_rows, batch_size=BATCH)
    ShopDsr.objects.bulk_create(dsr_rows, batch_size=BATCH)
    return shops[0], [o.pk for o in owners], len(shop_rows), len(agent_rows)


def agent_counters(rng: random.Random) -> dict:
    """One agent's day: random, with no more payers or orders than inquiries."""
    inquiries = rng.randint(5, 40)
    return {
        "inquiry_count": inquiries,
        "paying_count": rng.randint(0, inquiries),
        "inquiry_orders": rng.randint(0, inquiries),
        "inquiry_sales": Decimal(rng.randint(0, 9_000)),
        "response_count": rng.randint(20, 200),
        "response_seconds_total": rng.randint(500, 9_000),
        "first_response_total": rng.randint(50, 900),
        "first_response_n": inquiries,
    }


def timed(function, repeat: int, prepare=lambda: None) -> float:
    """The median of ``repeat`` runs of ``function``; ``prepare`` runs untimed before each."""
    runs = []
    for _ in range(repeat):
        prepare()
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def page_reads(shop, span: int, today, user):
    """The statements the dashboard runs to read its rows, with the page's arguments and
    through the same permission-scoped SQL: kpi.dashboard.dashboard's rollup + DSR read and
    agent sums, kpi.pages' new reviews. ``user()`` is the requesting manager."""
    from kpi import sql
    from kpi.days import day_bounds
    from kpi.dsr import dsr_first_day
    from kpi.pages import NEW_REVIEWS_SHOWN

    rollups_from = today - timedelta(days=max(span, 30))
    first = min(rollups_from, dsr_first_day(today, span))
    yesterday = today - timedelta(days=1)

    def read():
        sql.daily_rows(
            user=user(), shop_id=shop.pk, first=first, rollups_from=rollups_from, today=today
        )
        sql.agent_sums(
            user=user(), shop_id=shop.pk, first=today - timedelta(days=7), last=yesterday
        )
        sql.new_reviews(
            user=user(),
            shop_id=shop.pk,
            start=day_bounds(yesterday)[0],
            end=day_bounds(today)[1],
            limit=NEW_REVIEWS_SHOWN,
        )

    return read


def statements(function) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return [query["sql"] for query in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2 shops, 10 agents, 60 days (CI)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    shops_count, agents_count, days, repeat = (2, 10, 60, 5) if args.small else (10, 50, 365, 9)
    measures = []

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    if args.small:
        connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        from accounts.models import User
        from kpi.days import local_day
        from kpi.views import dashboard

        started = time.perf_counter()
        shop, owner_ids, shop_rows, agent_rows = generate(
            shops_count, agents_count, days, random.Random(2026)
        )
        generation = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        today = local_day(timezone.now())
        pool = itertools.cycle(owner_ids)
        current = {}

        def fresh_user():
            """The next manager, loaded anew: no roles memoized on the object."""
            current["user"] = User.objects.get(pk=next(pool))

        def fresh_login():
            fresh_user()
            client.force_login(current["user"])

        factory = RequestFactory()

        def view(span: int):
            request = factory.get("/kpi/", {"shop": shop.code, "days": span})
            request.user = current["user"]
            response = dashboard(request)
            assert response.status_code == 200, response.status_code

        def page(span: int):
            cache.clear()
            response = client.get("/kpi/", {"shop": shop.code, "days": span})
            assert response.status_code == 200, response.status_code

        print(
            f"rows: {shop_rows} shop days, {agent_rows} agent days "
            f"({shops_count} shops × {agents_count} agents × {days} days), written in {generation:.1f} s"
        )
        steady_worst = 0.0
        for span in (30, 365):  # chart ranges the page accepts (it reads 30 for others)
            fresh_login()
            page(span)  # warm up: templates, URL resolver
            baseline = page_reads(shop, span, today, lambda: current["user"])
            fresh_user()
            ran = statements(lambda span=span: view(span))
            missing = [sql for sql in statements(baseline) if sql not in ran]
            if missing:
                sys.exit(f"the baseline read rows the page does not read: {missing}")
            read = timed(baseline, repeat)
            fresh_user()
            view(span)  # "today" into the cache
            steady = timed(lambda span=span: view(span), repeat, prepare=fresh_user)
            full = timed(lambda span=span: page(span), repeat, prepare=fresh_login)
            steady_worst = max(steady_worst, steady / read)
            print(
                f"days={span:<3}  the page's reads alone {read * 1000:7.2f} ms   "
                f"view+render (today cached) {steady * 1000:7.2f} ms = {steady / read:5.2f}×   "
                f"full request (today live) {full * 1000:7.2f} ms = {full / read:5.2f}×"
            )
            measures += [
                {
                    "measure": f"{span}-day view+render, today cached, vs the page's own row reads",
                    "ours": steady * 1000,
                    "baseline": read * 1000,
                    "unit": "ms",
                    "aim": {"max": 2},
                },
                {
                    "measure": f"{span}-day full request, today live, vs the page's own row reads",
                    "ours": full * 1000,
                    "baseline": read * 1000,
                    "unit": "ms",
                },
            ]
        print(f"steady-state ratio dashboard / its own row reads: {steady_worst:.2f}× (aim ≤ 2×)")
        if args.json:
            print(json.dumps({"bench": "dashboard", "measures": measures}, ensure_ascii=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
