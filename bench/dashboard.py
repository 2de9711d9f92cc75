"""How fast is the owner's dashboard over a year of rollups?

Generates a year of rollup rows (10 shops; 50 agents, each working in every shop) and a DSR
record every third day per shop with bulk writes into a throwaway test database, then times GET /kpi/ through the test client for a
30-day and a 365-day chart range, against the baseline measured in the same run: reading
the rollup rows the page needs (the shop's rows for the range and its agents' rows for the
last 7 days) with a plain ``values()`` query. Two measurements of the page:

- steady state: the dashboard view called directly (selectors + template render, no
  middleware), with "today" already in its 60-second cache;
- worst case: GET /kpi/ through the test client (session, auth, middleware) with the cache
  cleared before every request, so "today" is computed live each time.

    python bench/dashboard.py            # 10 shops, 50 agents, 365 days
    python bench/dashboard.py --small    # 2 shops, 10 agents, 60 days, for CI
    python bench/dashboard.py --json     # end with the figures as one JSON line (run_all)

In --small mode the throwaway database is built from the models without replaying the
migrations (the same tables and indexes, in seconds instead of half a minute).
"""

import argparse
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


def generate(shops_count: int, agents_count: int, days: int, rng: random.Random):
    from accounts.models import Membership, Shop, Team, User
    from accounts.roles import Role
    from kpi.days import local_day
    from kpi.models import AgentDay, ShopDay, ShopDsr

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
    owner = User.objects.create_user(username="owner", team=team)
    Membership.objects.bulk_create(
        [Membership(user=owner, shop=shop, role=Role.MANAGER) for shop in shops]
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
        for n in range(1, days + 1):
            day = today - timedelta(days=n)
            shop_rows.append(
                ShopDay(
                    shop=shop,
                    day=day,
                    computed_at=now,
                    orders=rng.randint(50, 400),
                    sales=Decimal(rng.randint(5_000, 80_000)),
                    inquiry_count=rng.randint(100, 600),
                    paying_count=rng.randint(20, 200),
                    first_response_total=rng.randint(2_000, 9_000),
                    first_response_n=rng.randint(100, 600),
                    response_seconds_total=rng.randint(10_000, 90_000),
                    response_count=rng.randint(500, 3_000),
                    responses_within_3min=rng.randint(400, 500),
                    reminders_sent=rng.randint(10, 90),
                    reminders_paid=rng.randint(0, 10),
                    followups_sent=rng.randint(10, 90),
                    problems_by_category={
                        "address_change": rng.randint(0, 9),
                        "out_of_stock": rng.randint(0, 5),
                    },
                )
            )
            for agent in agents:
                inquiries = rng.randint(5, 40)
                agent_rows.append(
                    AgentDay(
                        shop=shop,
                        agent=agent,
                        day=day,
                        computed_at=now,
                        inquiry_count=inquiries,
                        paying_count=rng.randint(0, inquiries),
                        inquiry_orders=rng.randint(0, inquiries),
                        inquiry_sales=Decimal(rng.randint(0, 9_000)),
                        response_count=rng.randint(20, 200),
                        response_seconds_total=rng.randint(500, 9_000),
                        first_response_total=rng.randint(50, 900),
                        first_response_n=inquiries,
                    )
                )
    ShopDay.objects.bulk_create(shop_rows, batch_size=BATCH)
    AgentDay.objects.bulk_create(agent_rows, batch_size=BATCH)
    ShopDsr.objects.bulk_create(dsr_rows, batch_size=BATCH)
    return shops[0], owner, len(shop_rows), len(agent_rows)


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


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
        from kpi.days import local_day
        from kpi.models import AgentDay, ShopDay
        from kpi.views import dashboard

        started = time.perf_counter()
        shop, owner, shop_rows, agent_rows = generate(
            shops_count, agents_count, days, random.Random(2026)
        )
        generation = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(owner)
        today = local_day(timezone.now())

        def baseline(span: int):
            list(
                ShopDay.objects.filter(
                    shop=shop, day__gte=today - timedelta(days=max(span, 30)), day__lt=today
                ).values()
            )
            list(
                AgentDay.objects.filter(
                    shop=shop, day__gte=today - timedelta(days=7), day__lt=today
                ).values()
            )

        factory = RequestFactory()

        def view(span: int):
            request = factory.get("/kpi/", {"shop": shop.code, "days": span})
            request.user = owner
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
        for span in sorted({30, min(365, days)}):
            page(span)  # warm up: templates, URL resolver
            read = timed(lambda span=span: baseline(span), repeat)
            view(span)  # "today" into the cache
            steady = timed(lambda span=span: view(span), repeat)
            full = timed(lambda span=span: page(span), repeat)
            steady_worst = max(steady_worst, steady / read)
            print(
                f"days={span:<3}  rows read alone {read * 1000:7.2f} ms   "
                f"view+render (today cached) {steady * 1000:7.2f} ms = {steady / read:5.2f}×   "
                f"full request (today live) {full * 1000:7.2f} ms = {full / read:5.2f}×"
            )
            measures += [
                {
                    "measure": f"{span}-day view+render, today cached, vs reading the rows",
                    "ours": steady * 1000,
                    "baseline": read * 1000,
                    "unit": "ms",
                    "aim": {"max": 2},
                },
                {
                    "measure": f"{span}-day full request, today live, vs reading the rows",
                    "ours": full * 1000,
                    "baseline": read * 1000,
                    "unit": "ms",
                },
            ]
        print(f"steady-state ratio dashboard / reading the rows: {steady_worst:.2f}× (aim ≤ 2×)")
        if args.json:
            print(json.dumps({"bench": "dashboard", "measures": measures}, ensure_ascii=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
