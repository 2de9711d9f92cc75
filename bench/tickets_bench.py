"""Ticket queue and SLA job at scale, as ratios against a trivial query in the same run.

    DATABASE_URL=... .venv/bin/python bench/tickets_bench.py [--small] [--json]

Generates tickets for one shop inside a transaction that is rolled back at the end (the
database is left as it was). Full size: 100,000 tickets; --small: 2,000 (for CI). --json
ends the output with the figures as one JSON line (for bench/run_all).
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

from bench.timing import median_seconds

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Shop, Team, User  # noqa: E402
from orders.models import Buyer, Order  # noqa: E402
from tickets import sla  # noqa: E402
from tickets.breaches import sla_breaches_record  # noqa: E402
from tickets.models import Ticket  # noqa: E402
from tickets.selectors import tickets_visible_to  # noqa: E402
from tickets.states import TicketState, TicketType  # noqa: E402


class Rollback(Exception):
    pass


def generate(count: int, now):
    team = Team.objects.create(name="bench")
    shop = Shop.objects.create(team=team, code="bench-shop", name="bench", platform="taobao")
    agent = User.objects.create_user(username="bench-agent", team=team)
    Membership.objects.create(user=agent, shop=shop, role="after_sale")
    buyers = Buyer.objects.bulk_create(Buyer(shop=shop, nick=f"b{i}") for i in range(500))
    orders = Order.objects.bulk_create(
        Order(shop=shop, order_id=str(10**18 + i), buyer=buyers[i % 500], state="finished")
        for i in range(count)
    )
    kinds, states = (
        list(TicketType),
        [TicketState.REQUESTED, TicketState.APPROVED, TicketState.CLOSED],
    )
    batch = []
    for i in range(count):
        opened = now - timedelta(minutes=i * 7)
        state = states[i % 3]
        batch.append(
            Ticket(
                shop=shop,
                type=kinds[i % len(kinds)],
                state=state,
                buyer=buyers[i % 500],
                order=orders[i],
                assignee=agent,
                created_at=opened,
                updated_at=opened,
                # ~1% overdue; closed tickets have no deadline
                sla_due_at=None
                if state == TicketState.CLOSED
                else now + timedelta(hours=(-1 if i % 100 == 0 else 5)),
            )
        )
        if len(batch) == 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)
    return shop, agent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    count = 2_000 if args.small else 100_000
    measures = []
    now = timezone.now()
    try:
        with transaction.atomic():
            shop, agent = generate(count, now)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tickets_ticket")

            def baseline():
                list(Ticket.objects.order_by("pk")[:50])

            def queue_page():
                page = list(tickets_visible_to(agent, now=now, state="open")[:50])
                for ticket in page:
                    sla.seconds_left(ticket, now=now)

            def overdue_filter():
                list(tickets_visible_to(agent, now=now, state="open", sla="overdue")[:50])

            def breach_job():
                with transaction.atomic():
                    sla_breaches_record(shop=shop, now=now)
                    transaction.set_rollback(True)

            base = median_seconds(baseline, 5)
            print(f"tickets: {count}; baseline (50 rows by pk): {base * 1000:.2f} ms")
            for name, func in [
                ("queue page (50 open, time left)", queue_page),
                ("overdue filter (50)", overdue_filter),
                (f"sla_breaches job ({count // 100 * 2 // 3} overdue)", breach_job),
            ]:
                spent = median_seconds(func, 3 if func is breach_job else 5)
                print(f"{name}: {spent * 1000:.1f} ms = {spent / base:.1f}x baseline")
                measures.append(
                    {
                        "measure": f"{name} at {count:,} tickets vs 50 rows by pk",
                        "ours": spent * 1000,
                        "baseline": base * 1000,
                        "unit": "ms",
                    }
                )
            raise Rollback
    except Rollback:
        pass
    if args.json:
        print(json.dumps({"bench": "tickets", "measures": measures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
