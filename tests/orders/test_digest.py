"""The problem digest: once per slot, what changed since the last one, page and XLSX."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.roles import Role
from orders.jobs import problem_digest
from orders.models import ProblemCategory, ProblemDigest, ProblemState
from orders.services import transition
from orders.services.digest import digest_slot
from tests.factories import at, make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db


def test_slots_follow_the_shops_interval_in_shanghai_time():
    assert digest_slot(at(2026, 11, 23, 10, 30), 3) == at(2026, 11, 23, 9, 0)
    assert digest_slot(at(2026, 11, 23, 11, 59), 2) == at(2026, 11, 23, 10, 0)
    assert digest_slot(at(2026, 11, 23, 0, 5), 3) == at(2026, 11, 23, 0, 0)


def test_job_builds_one_digest_per_slot_and_is_idempotent(shop, other_shop, now):
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK)
    first = problem_digest(shop=None, now=now)
    assert first == {"sent": 0, "skipped": {}, "digests": 2}
    again = problem_digest(shop=None, now=now + timedelta(minutes=20))
    assert again == {"sent": 0, "skipped": {"already_built": 2}, "digests": 0}
    digest = ProblemDigest.objects.get(shop=shop)
    assert digest.counts == {"cod_confirm": 2, "out_of_stock": 1}
    assert len(digest.rows) == 3 and {r["category"] for r in digest.rows} == {
        "cod_confirm",
        "out_of_stock",
    }


def test_next_digest_says_what_changed_since_the_last(shop, staff, now):
    cod = make_problem(
        shop, now, category=ProblemCategory.COD_CONFIRM, opened_at=now - timedelta(hours=1)
    )
    problem_digest(shop=shop, now=now)
    later = now + timedelta(hours=3)
    transition(
        actor=staff[Role.IN_SALE],
        problem=cod,
        action="resolve",
        reason="同意",
        now=later - timedelta(hours=1),
    )
    make_problem(
        shop,
        later,
        category=ProblemCategory.ADDRESS_UNCLEAR,
        opened_at=later - timedelta(minutes=30),
    )
    problem_digest(shop=shop, now=later)
    newest = ProblemDigest.objects.filter(shop=shop).first()
    assert newest.since == now
    assert newest.changes["cod_confirm"] == {"opened": 0, "closed": 1, "delta": -1}
    assert newest.changes["address_unclear"] == {"opened": 1, "closed": 0, "delta": 1}
    assert [r["new"] for r in newest.rows] == [True]


def test_run_job_command_prints_the_report(shop, now, capsys):
    call_command("run_job", "problem_digest", "--shop", "shop-a", "--at", now.isoformat(), "--json")
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report == {"job": "problem_digest", "sent": 0, "skipped": {}, "digests": 1}


def test_digest_page_and_xlsx_download(login, shop, staff, now):
    problem = make_problem(
        shop, now, category=ProblemCategory.OUT_OF_STOCK, assignee=staff[Role.IN_SALE]
    )
    problem_digest(shop=shop, now=now)
    digest = ProblemDigest.objects.get()
    client = login(staff[Role.IN_SALE])
    body = client.get("/orders/digest/").content.decode()
    assert "缺货" in body and problem.order.order_id in body
    response = client.get(f"/orders/digest/{digest.pk}.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    summary = {row[0]: row[1] for row in workbook["汇总"].iter_rows(min_row=3, values_only=True)}
    assert summary["缺货"] == 1 and summary["合计"] == 1
    detail = list(workbook["明细"].iter_rows(min_row=2, values_only=True))
    assert detail[0][:5] == (
        "缺货",
        problem.order.order_id,
        problem.order.buyer_nick,
        "待处理",
        staff[Role.IN_SALE].label,
    )


def test_digest_build_button_and_refusals(login, shop, other_shop, staff, now):
    client = login(staff[Role.IN_SALE])
    assert client.post("/orders/digest/build/", {"shop": "shop-a"}).status_code == 302
    digest = ProblemDigest.objects.get()
    stranger = login(make_user(other_shop, Role.MANAGER))
    assert stranger.get(f"/orders/digest/{digest.pk}.xlsx").status_code == 404
    assert stranger.post("/orders/digest/build/", {"shop": "shop-a"}).status_code == 404
    assert login(staff[Role.PRE_SALE]).get("/orders/digest/").status_code == 403


def test_closed_problems_are_not_in_the_rows(shop, now):
    make_problem(shop, now, state=ProblemState.CANCELLED, closed_at=now)
    problem_digest(shop=shop, now=now)
    assert ProblemDigest.objects.get().rows == []
