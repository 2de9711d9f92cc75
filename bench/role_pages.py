"""The per-role page check: every role's main pages over a generated data set, as each role
gets them, with the status the permission table promises and the time they took.

    DATABASE_URL=postgres://…/helpdesk_bench python bench/role_pages.py    # over the data set
                                                    # bench/generate.py wrote there
    python bench/role_pages.py --small      # a throwaway database, filled by generate.py at
                                            # scale 0.002 first (CI size, seconds)
    python bench/role_pages.py --json       # end with the checks as one JSON line

For each role (pre-sale … manager) it takes the first generated agent (by username) who
holds that role in every shop they work in, logs in as that agent through Django's test
client and requests each page once to warm up (templates, URL resolver, the session),
then ``--runs`` more times (median). A page must answer 200 where ``can(agent, action)``
allows it and 403 where it does not; any other answer is a failure and the script exits 1.
It prints one table: pages down, roles across, ``status ms`` in each cell.

It writes nothing but the sessions of its logins (and in --small mode, its own database).
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

# (label, path, the permission action that decides 200 or 403)
PAGES = [
    ("workbench", "/", None),
    ("chat workspace", "/chats/", "chats.work"),
    ("orders", "/orders/", "orders.view"),
    ("problem queue", "/orders/problems/", "problems.view"),
    ("after-sale queue", "/tickets/", "tickets.view"),
    ("supervisors' inbox", "/tickets/inbox/", "approvals.decide"),
    ("reviews", "/reviews/", "reviews.view"),
    ("scripts", "/scripts/", "scripts.use"),
    ("outbox", "/outreach/", "outreach.view"),
    ("dashboard", "/kpi/", "kpi.dashboard"),
    ("my figures", "/kpi/mine/", "kpi.own"),
    ("audit log", "/audit/", "audit.view"),
]


def agents_by_role() -> dict:
    """The first agent (by username) of each role who holds no other role anywhere."""
    from django.db.models import Count

    from accounts.models import Membership, User
    from accounts.roles import LADDER

    found = {}
    for role in LADDER:
        single = (
            Membership.objects.values("user_id")
            .annotate(roles=Count("role", distinct=True))
            .filter(roles=1, user__memberships__role=role)
            .values_list("user_id", flat=True)
        )
        agent = User.objects.filter(pk__in=single, is_active=True).order_by("username").first()
        if agent is not None:
            found[role] = agent
    return found


def check(agent, path: str, action: str | None, runs: int) -> dict:
    from django.test import Client

    from accounts.models import User
    from accounts.permissions import can

    client = Client()
    client.force_login(agent)
    client.get(path)  # warm-up
    samples, status = [], None
    for _ in range(runs):
        started = time.perf_counter()
        status = client.get(path).status_code
        samples.append(time.perf_counter() - started)
    fresh = User.objects.get(pk=agent.pk)
    expected = 200 if action is None or can(fresh, action) else 403
    return {
        "status": status,
        "expected": expected,
        "ms": statistics.median(samples) * 1000,
    }


def table(roles: dict, results: dict) -> str:
    headings = ["page", *(f"{role.value} ({agent.username})" for role, agent in roles.items())]
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for label, _path, _action in PAGES:
        cells = [label]
        for role in roles:
            result = results[(label, role)]
            mark = "" if result["status"] == result["expected"] else " ≠" + str(result["expected"])
            cells.append(f"{result['status']} {result['ms']:,.0f} ms{mark}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fill_small_database() -> None:
    from generate import generate

    from helpdesk import clock

    hour = clock.now().replace(minute=0, second=0, microsecond=0)
    counts = generate(scale=0.002, seed=2026, now=hour)
    print(f"generated at scale 0.002: {counts['orders']} orders, {counts['messages']} messages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="own throwaway database, tiny data")
    parser.add_argument("--runs", type=int, default=3, help="timed requests per page")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()

    import django

    django.setup()
    # a 403 is an expected answer here, not news: keep the request and login logs quiet
    for name in ("django.request", "axes"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from django.conf import settings
    from django.db import connection

    from helpdesk import clock

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    if args.small:
        if connection.vendor != "postgresql":
            sys.exit("--small fills its database with bench/generate.py, which needs PostgreSQL")
        connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=False, serialize=False
        )
    try:
        if args.small:
            fill_small_database()
        roles = agents_by_role()
        if not roles:
            sys.exit(f"no agents in {connection.settings_dict['NAME']}: run bench/generate.py")
        print(
            f"per-role page check — {clock.now():%Y-%m-%d %H:%M} UTC — database "
            f"{connection.settings_dict['NAME']} — load average {os.getloadavg()[0]:.2f} — "
            f"DEBUG {settings.DEBUG} — median of {args.runs} after a warm-up"
        )
        results = {
            (label, role): check(agent, path, action, args.runs)
            for label, path, action in PAGES
            for role, agent in roles.items()
        }
        print(table(roles, results))
        wrong = {key: r for key, r in results.items() if r["status"] != r["expected"]}
        answered = [r["ms"] for r in results.values() if r["status"] == 200]
        print(
            f"{len(results)} checks, {len(wrong)} with an unexpected status; pages that "
            f"answered 200 took {min(answered):,.0f}–{max(answered):,.0f} ms"
        )
        if args.json:
            checks = [
                {"page": label, "role": role.value, **result}
                for (label, role), result in results.items()
            ]
            print(json.dumps({"bench": "role_pages", "checks": checks}, ensure_ascii=False))
        return 1 if wrong else 0
    finally:
        if args.small:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
