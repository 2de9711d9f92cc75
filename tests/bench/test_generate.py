"""bench/generate.py: the shape of the data set, its reproducibility, and its refusal to
fill a database that is not a bench database."""

import hashlib
import importlib.util
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.bench


def load_generate():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fingerprint() -> str:
    """A digest of the rows that matter, ids included."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql in (
            "SELECT id, shop_id, buyer_id, state, ordered_at, paid_at, total_amount "
            "FROM orders_order ORDER BY id",
            "SELECT conversation_id, sender, text, sent_at FROM chats_message ORDER BY id",
            "SELECT id, type, state, order_id, sla_due_at FROM tickets_ticket ORDER BY id",
            "SELECT shop_id, agent_id, day, inquiry_count FROM kpi_agentday ORDER BY id",
        ):
            cursor.execute(sql)
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


@pytest.mark.django_db
def test_a_small_data_set_has_the_shape_of_a_team_and_repeats_with_its_seed():
    if connection.vendor != "postgresql":
        pytest.skip("generate.py writes with COPY")
    from accounts.models import Membership, Shop, User
    from chats.models import Conversation, Message
    from kpi.models import AgentDay, ShopDay
    from orders.models import Order
    from outreach.models import Reminder
    from reviews.models import Review
    from tickets.models import Ticket

    generate = load_generate()
    counts = generate.generate(scale=0.003, seed=7, now=NOW)

    assert Shop.objects.count() == 10
    assert User.objects.count() == 50
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "pre_sale",
        "in_sale",
        "after_sale",
        "review_specialist",
        "supervisor",
        "manager",
    }
    assert Order.objects.count() == counts["orders"] == 300
    states = dict(Order.objects.values_list("state").annotate(n=Count("id")))
    assert states["finished"] > states["shipped"] > states.get("waiting_payment", 0)
    assert Message.objects.count() == counts["messages"] == 3000
    assert Conversation.objects.count() == counts["conversations"]
    assert Ticket.objects.count() == 60
    assert Ticket.objects.filter(state__in=["closed", "refused"]).exists()
    assert Review.objects.count() == counts["reviews"]
    assert Reminder.objects.count() == counts["reminders"] > 0
    assert ShopDay.objects.count() == 10 * 14
    assert AgentDay.objects.count() == counts["agent_days"] > 0
    first = fingerprint()
    # The sequences moved past the rows written with explicit ids.
    Order.objects.create(shop=Shop.objects.first(), order_id="1", state="paid")

    generate.generate(scale=0.003, seed=7, now=NOW)
    assert fingerprint() == first
    generate.generate(scale=0.003, seed=8, now=NOW)
    assert fingerprint() != first


def test_it_refuses_a_database_whose_name_does_not_say_bench():
    env = {**os.environ, "DATABASE_URL": "postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk"}
    done = subprocess.run(
        [sys.executable, ROOT / "bench" / "generate.py", "--small"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "does not contain 'bench'" in done.stderr
