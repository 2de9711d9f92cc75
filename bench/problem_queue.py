"""How the in-sale problem queue holds up at scale.

Generates shops, orders and problems (most closed, as in a real shop's history), then
times what the queue does on every request — the first page of the active queue, the
per-category counts, claim-next — and reports each as a ratio to a full sequential scan
of the problem table measured in the same run (the cost the queue must never pay).

    python bench/problem_queue.py            # 200k problems
    python bench/problem_queue.py --small    # 2k problems, for CI (well under a minute)

Runs in a throwaway database (bench_<name>) created and dropped by the script; in --small
mode it is built from the models without replaying the migrations (the same tables and
indexes, in seconds instead of half a minute). --json prints the figures as one JSON line
in the shape bench/run_all reads (aim: every ratio below 1, i.e. cheaper than a full scan).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("HELPDESK_TESTING", "1")

import django

from bench.timing import median_seconds

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000


def generate(total: int, shops_count: int):
    from accounts.models import Membership, Shop, Team, User
    from accounts.roles import Role
    from orders.models import Order, Problem, ProblemCategory, ProblemState

    rng = random.Random(4)
    now = timezone.now()
    team = Team.objects.create(name="bench")
    shops = [
        Shop.objects.create(team=team, code=f"bench-{n}", name=f"店{n}", platform="taobao")
        for n in range(shops_count)
    ]
    agent = User.objects.create_user(username="bench-agent", work_number="9001", team=team)
    for shop in shops:
        Membership.objects.create(user=agent, shop=shop, role=Role.IN_SALE)
    categories = ProblemCategory.values
    done = 0
    while done < total:
        size = min(BATCH, total - done)
        orders = Order.objects.bulk_create(
            Order(
                shop=shops[(done + i) % shops_count],
                order_id=str(3_000_000_000_000_000_000 + done + i),
                buyer_nick=f"买家{rng.randint(1, total // 3 + 1)}",
                state="paid",
                total_amount=Decimal("99.00"),
                paid_amount=Decimal("99.00"),
                ordered_at=now - timedelta(minutes=done + i),
            )
            for i in range(size)
        )
        problems = []
        for i, order in enumerate(orders):
            active = rng.random() < 0.05
            opened = now - timedelta(minutes=done + i)
            problems.append(
                Problem(
                    shop_id=order.shop_id,
                    order=order,
                    category=rng.choice(categories),
                    state=rng.choice(
                        [ProblemState.OPEN, ProblemState.CONTACTING, ProblemState.WAITING_BUYER]
                    )
                    if active
                    else ProblemState.RESOLVED,
                    assignee=agent if active and rng.random() < 0.3 else None,
                    opened_at=opened,
                    due_at=opened + timedelta(hours=2),
                    closed_at=None if active else opened + timedelta(hours=1),
                )
            )
        Problem.objects.bulk_create(problems)
        done += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orders_problem; ANALYZE orders_order;")
    return agent, now


def measure(agent, now) -> dict:
    from orders.models import Problem
    from orders.selectors import problem_counts, problem_queue
    from orders.services import problem_claim_next

    def full_scan():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), max(due_at) FROM orders_problem WHERE resolution = ''")
            cursor.fetchone()

    def first_page():
        list(problem_queue(agent)[:50])

    def first_page_filtered():
        list(problem_queue(agent, category="cod_confirm", assignee="none")[:50])

    def queue_count():
        problem_queue(agent).count()

    def counts():
        problem_counts(agent)

    class Rollback(Exception):
        pass

    def claim_next():
        try:
            with transaction.atomic():
                problem_claim_next(actor=agent, now=now)
                raise Rollback
        except Rollback:
            pass

    baseline = median_seconds(full_scan, 7, warm_up=True)
    results = {"rows": Problem.objects.count(), "full_scan_ms": round(baseline * 1000, 2)}
    for name, func in [
        ("queue_first_page", first_page),
        ("queue_filtered_page", first_page_filtered),
        ("queue_count", queue_count),
        ("category_counts", counts),
        ("claim_next", claim_next),
    ]:
        seconds = median_seconds(func, 7, warm_up=True)
        results[name] = {
            "ms": round(seconds * 1000, 2),
            "ratio_to_full_scan": round(seconds / baseline, 3),
        }
    with CaptureQueriesContext(connection) as queries:
        first_page()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        results["queue_plan"] = [row[0].strip() for row in cursor.fetchall()]
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="2k problems, for CI")
    parser.add_argument("--rows", type=int, help="number of problems (default 200k)")
    parser.add_argument("--json", action="store_true", help="one JSON line for bench/run_all")
    args = parser.parse_args()
    small = args.small or bool(os.environ.get("BENCH_SMALL"))
    total = args.rows or (2_000 if small else 200_000)
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = f"bench_{old_name}"
    if small:
        test_settings["MIGRATE"] = False
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        start = time.perf_counter()
        agent, now = generate(total, shops_count=20)
        generated = time.perf_counter() - start
        results = measure(agent, now)
        results["generate_s"] = round(generated, 1)
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
    import json

    if not args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    measures = [
        {
            "measure": f"{name} at {results['rows']:,} problems vs full scan",
            "ours": results[name]["ms"],
            "baseline": results["full_scan_ms"],
            "unit": "ms",
            "aim": {"max": 1},
        }
        for name in (
            "queue_first_page",
            "queue_filtered_page",
            "queue_count",
            "category_counts",
            "claim_next",
        )
    ]
    print(json.dumps({"bench": "problem_queue", "measures": measures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
