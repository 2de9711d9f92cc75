"""Side by side with django-helpdesk: its ticket list against our after-sale queue page.

    DATABASE_URL=postgres://…/helpdesk_bench .venv/bin/python bench/side_by_side.py          # 100k
    DATABASE_URL=postgres://…/helpdesk_bench .venv/bin/python bench/side_by_side.py --small  # 2k

1. A virtualenv of its own, var/bench-venv (``python3.12 -m venv``), gets django-helpdesk
   from PyPI with the Django it asks for and psycopg2-binary; never our pyproject. It is
   reused while ``import helpdesk`` works there (``--reinstall`` starts it again). If the
   install fails (no network, no release for this Python, a Django it cannot use) the
   script says why, with pip's own last lines, and exits 2.
2. A throwaway Django project in a temporary directory runs in that venv against a
   PostgreSQL database of its own (``<our database>_djhelpdesk_bench``, created and dropped
   here): migrate, one staff user, one queue, N tickets with one follow-up each (bulk
   inserts; two thirds open, one third closed, all assigned to the staff user, as in
   bench/tickets_bench.py), then, through Django's test client as that logged-in staff
   user, the ticket list as a browser gets it: the list page (/tickets/) and the
   datatables request its JavaScript sends for the first 50 rows.
3. In our project (this interpreter, inside a transaction rolled back at the end): the
   same N tickets for one shop with bench/tickets_bench.py's generator plus one timeline
   event each, and our after-sale queue page (tickets:queue, 50 rows, open tickets by
   SLA) through the test client as a logged-in after-sale agent.

Both sides run with DEBUG off, as in production: theirs from its settings, ours from
``DJANGO_DEBUG=0`` set here before Django starts (with a throwaway secret key, the test
client's host allowed and no HTTPS redirect; ``REDIS_URL`` must be set, as production
requires). Each side reports its DEBUG and the script refuses to compare when either is on:
with DEBUG on Django keeps every query it runs, which costs time on the side with more
queries.

Each figure is the median of several requests after a warm-up. The ratio is our page ÷
their list (below 1: ours is faster). ``--json`` ends the output with one JSON line for
bench/run_all. Both sides run one after the other on the same machine and PostgreSQL.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "var" / "bench-venv"
VENV_PYTHON = VENV / "bin" / "python"
# Its migrations depend on pinax-teams (the "teams" extra) whether or not teams are used.
PACKAGES = ["django-helpdesk[teams]", "psycopg2-binary"]
PAGE = 50


class SetupFailed(Exception):
    """The other side could not be set up; the message says why."""


# The other side: a project of its own, run by the venv's interpreter ------------------------

THEIR_SETTINGS = """
SECRET_KEY = "side-by-side-bench"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
SITE_ID = 1
ROOT_URLCONF = "dh_urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "account",
    "pinax.invitations",
    "pinax.teams",
    "reversion",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": DATABASE}
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HELPDESK_KB_ENABLED = False
"""

THEIR_URLS = """
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
"""

THEIR_RUN = """
import json, statistics, sys, time
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

count, runs = int(sys.argv[1]), int(sys.argv[2])
started = time.perf_counter()
call_command("migrate", verbosity=0)
migrated = time.perf_counter() - started

from django.contrib.auth import get_user_model
from helpdesk.models import FollowUp, Queue, Ticket
from helpdesk.query import query_to_base64

User = get_user_model()
staff = User.objects.create_user("agent", "agent@example.com", "x", is_staff=True)
queue = Queue.objects.create(title="售后", slug="after-sale", email_address="shop@example.com")
now = timezone.now()
started = time.perf_counter()
statuses = [Ticket.OPEN_STATUS, Ticket.OPEN_STATUS, Ticket.CLOSED_STATUS]
batch = 5000
for first in range(0, count, batch):
    tickets = Ticket.objects.bulk_create(
        Ticket(
            title=f"退货退款 #{n}",
            queue=queue,
            created=now - timedelta(minutes=n * 7),
            modified=now - timedelta(minutes=n * 7),
            submitter_email=f"buyer{n % 500}@example.com",
            assigned_to=staff,
            status=statuses[n % 3],
            description="尺码不合适想退",
            priority=3,
            secret_key=f"k{n}",
        )
        for n in range(first, min(first + batch, count))
    )
    FollowUp.objects.bulk_create(
        FollowUp(ticket=t, date=t.created, title="工单创建", comment="", public=True, user=staff)
        for t in tickets
    )
loaded = time.perf_counter() - started
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")

client = Client()
client.force_login(staff)
staff.usersettings_helpdesk.tickets_per_page = PAGE_SIZE
staff.usersettings_helpdesk.save()
default_query = {
    "filtering": {"status__in": [1, 2]},
    "sorting": "created",
    "search_string": "",
    "sortreverse": False,
}
data_url = reverse("helpdesk:datatables_ticket_list", args=[query_to_base64(default_query)])
data_params = {"draw": 1, "start": 0, "length": PAGE_SIZE}


def shell():
    response = client.get(reverse("helpdesk:list"))
    assert response.status_code == 200, response.status_code


def data():
    response = client.get(data_url, data_params)
    assert response.status_code == 200, response.status_code
    body = response.json()
    assert len(body["data"]) == min(PAGE_SIZE, body["recordsFiltered"]), body.keys()
    return body


def timed(function):
    function()
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        function()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples)


body = data()
from importlib.metadata import version
from django.test.utils import CaptureQueriesContext

with CaptureQueriesContext(connection) as page_queries:
    shell()
with CaptureQueriesContext(connection) as data_queries:
    data()
from django.conf import settings

print(json.dumps({
    "debug": settings.DEBUG,
    "queries": len(page_queries) + len(data_queries),
    "list_page_ms": timed(shell) * 1000,
    "data_request_ms": timed(data) * 1000,
    "open_tickets": body["recordsFiltered"],
    "tickets": Ticket.objects.count(),
    "migrate_s": round(migrated, 1),
    "load_s": round(loaded, 1),
    "django": django.get_version(),
    "django_helpdesk": version("django-helpdesk"),
}))
"""


def pip_failure(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return "\n".join(lines[-15:]) or f"pip exited with {done.returncode} and said nothing"


def installed_version() -> str | None:
    """django-helpdesk's version in the venv, or None when it is not usable there."""
    if not VENV_PYTHON.exists():
        return None
    probe = subprocess.run(
        [
            str(VENV_PYTHON),
            "-c",
            "import importlib.metadata as m, helpdesk, pinax.teams, psycopg2, django; "
            "print(m.version('django-helpdesk'), django.get_version())",
        ],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure_venv(*, reinstall: bool) -> str:
    """Create var/bench-venv and install django-helpdesk there; returns the versions."""
    if not reinstall and (versions := installed_version()):
        return versions
    if reinstall and VENV.exists():
        shutil.rmtree(VENV)
    python = shutil.which("python3.12")
    if python is None:
        raise SetupFailed("python3.12 is not on PATH: cannot create var/bench-venv")
    made = subprocess.run([python, "-m", "venv", str(VENV)], capture_output=True, text=True)
    if made.returncode != 0:
        raise SetupFailed(f"python3.12 -m venv {VENV} failed:\n{pip_failure(made)}")
    done = subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "install", "--timeout", "30", "--retries", "2", *PACKAGES],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SetupFailed(
            f"pip install {' '.join(PACKAGES)} into {VENV} failed:\n{pip_failure(done)}"
        )
    versions = installed_version()
    if versions is None:
        raise SetupFailed("django-helpdesk installed but cannot be imported with psycopg2")
    return versions


def their_database(settings_dict: dict) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": settings_dict["NAME"] + "_djhelpdesk_bench",
        "USER": settings_dict["USER"],
        "PASSWORD": settings_dict["PASSWORD"],
        "HOST": settings_dict["HOST"],
        "PORT": str(settings_dict["PORT"] or ""),
    }


def admin_sql(statement: str) -> None:
    """Run CREATE/DROP DATABASE outside a transaction, on the server's maintenance db."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


def theirs(count: int, runs: int) -> dict:
    from django.db import connection

    database = their_database(connection.settings_dict)
    admin_sql(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
    admin_sql(f'CREATE DATABASE "{database["NAME"]}"')
    try:
        with tempfile.TemporaryDirectory(prefix="djhelpdesk-bench-") as directory:
            project = Path(directory)
            (project / "dh_settings.py").write_text(
                THEIR_SETTINGS.replace("DATABASE}", repr(database) + "}")
            )
            (project / "dh_urls.py").write_text(THEIR_URLS)
            (project / "dh_run.py").write_text(THEIR_RUN.replace("PAGE_SIZE", str(PAGE)))
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": os.environ.get("HOME", directory),
                "DJANGO_SETTINGS_MODULE": "dh_settings",
            }
            done = subprocess.run(
                [str(VENV_PYTHON), "dh_run.py", str(count), str(runs)],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
            )
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
    if done.returncode != 0:
        raise SetupFailed(
            "django-helpdesk's side failed:\n" + "\n".join(done.stderr.splitlines()[-25:])
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


# Our side ----------------------------------------------------------------------------------


def ours(count: int, runs: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from tickets_bench import generate

    from tickets.models import Ticket, TicketEvent

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    now = timezone.now()
    result = {"debug": settings.DEBUG}
    with transaction.atomic():
        started = time.perf_counter()
        shop, agent = generate(count, now)
        ids = Ticket.objects.filter(shop=shop).values_list("pk", "created_at")
        TicketEvent.objects.bulk_create(
            (
                TicketEvent(ticket_id=pk, kind="created", to_state="requested", created_at=at)
                for pk, at in ids
            ),
            batch_size=5000,
        )
        result["load_s"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket; ANALYZE tickets_ticketevent")
        client = Client()
        client.force_login(agent)
        url = reverse("tickets:queue")

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        page()
        with CaptureQueriesContext(connection) as queries:
            page()
        result["queries"] = len(queries)
        samples = []
        for _ in range(runs):
            begin = time.perf_counter()
            page()
            samples.append(time.perf_counter() - begin)
        result["queue_page_ms"] = statistics.median(samples) * 1000
        result["tickets"] = Ticket.objects.filter(shop=shop).count()
        transaction.set_rollback(True)
    return result


def production_mode() -> None:
    """Our settings with DEBUG off, as production runs them, for this process only."""
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("HELPDESK_TESTING", "1")  # static files without a collected manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2,000 tickets, for CI")
    parser.add_argument("--tickets", type=int, help="tickets on each side (default 100,000)")
    parser.add_argument("--reinstall", action="store_true", help="rebuild var/bench-venv")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    count = args.tickets or (2_000 if args.small else 100_000)
    runs = 5 if args.small else 11

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    production_mode()
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/side_by_side.py needs PostgreSQL (DATABASE_URL).", file=sys.stderr)
        return 2
    try:
        versions = ensure_venv(reinstall=args.reinstall)
        print(f"django-helpdesk and Django in {VENV}: {versions}")
        mine = ours(count, runs)
        print(f"ours: {mine}")
        other = theirs(count, runs)
        print(f"django-helpdesk: {other}")
    except SetupFailed as failure:
        print(f"side-by-side not run: {failure}", file=sys.stderr)
        return 2
    if mine["debug"] or other["debug"]:
        print(f"DEBUG is on (ours {mine['debug']}, theirs {other['debug']})", file=sys.stderr)
        return 2
    print("DEBUG off on both sides")
    their_total = other["list_page_ms"] + other["data_request_ms"]
    ratio = mine["queue_page_ms"] / their_total
    print(
        f"{count:,} tickets: our after-sale queue page {mine['queue_page_ms']:.1f} ms; "
        f"django-helpdesk's ticket list {their_total:.1f} ms (page "
        f"{other['list_page_ms']:.1f} + data request {other['data_request_ms']:.1f}); "
        f"ratio ours/theirs {ratio:.2f}"
    )
    if args.json:
        measure = {
            "measure": f"after-sale queue page vs django-helpdesk ticket list, "
            f"{count:,} tickets, {PAGE} rows",
            "ours": mine["queue_page_ms"],
            "baseline": their_total,
            "unit": "ms",
            "note": f"theirs = list page {other['list_page_ms']:.0f} ms + datatables request "
            f"{other['data_request_ms']:.0f} ms, {other['queries']} queries; ours "
            f"{mine['queries']} queries; django-helpdesk {other['django_helpdesk']}, "
            f"Django {other['django']}",
        }
        print(json.dumps({"bench": "side_by_side", "measures": [measure]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
