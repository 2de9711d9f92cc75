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
    assert first == {"sent": 0, "skipped": {}, "digests": 2, "notified": 0, "emailed": 0}
    again = problem_digest(shop=None, now=now + timedelta(minutes=20))
    assert again == {
        "sent": 0,
        "skipped": {"already_built": 2},
        "digests": 0,
        "notified": 0,
        "emailed": 0,
    }
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
    assert report == {
        "job": "problem_digest",
        "sent": 0,
        "skipped": {},
        "digests": 1,
        "notified": 0,
        "emailed": 0,
    }


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


def test_the_digest_is_sent_once_to_in_sale_agents_and_managers(login, shop, staff, now):
    from approvals.models import Notification

    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    first = problem_digest(shop=shop, now=now)
    assert first["notified"] == 2 and first["emailed"] == 0
    assert problem_digest(shop=shop, now=now + timedelta(minutes=10))["notified"] == 0
    notes = Notification.objects.order_by("user__username")
    assert [n.user.username for n in notes] == ["in_sale_a", "manager_a"]
    assert "1 个待处理" in notes[0].text
    download = login(staff[Role.IN_SALE]).get(notes[0].link)
    assert download.status_code == 200
    assert load_workbook(BytesIO(download.content)).sheetnames
    digest = ProblemDigest.objects.get()
    assert digest.sent_at == now
    later = problem_digest(shop=shop, now=now + timedelta(hours=3))
    assert later["digests"] == 1 and later["notified"] == 2


def test_the_digest_is_e_mailed_with_the_workbook_where_the_shop_sets_an_address(
    shop, staff, now, mailoutbox
):
    shop.digest_email = "boss@example.com"
    shop.save()
    make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK)
    assert problem_digest(shop=shop, now=now)["emailed"] == 1
    problem_digest(shop=shop, now=now + timedelta(minutes=30))
    [mail] = mailoutbox
    assert mail.to == ["boss@example.com"] and "问题订单汇总" in mail.subject
    [(name, content, _mimetype)] = mail.attachments
    assert name.endswith(".xlsx") and load_workbook(BytesIO(content)).sheetnames


def test_the_digest_is_scheduled_by_beat():
    from outreach.schedules import DEFAULT_MINUTES

    assert DEFAULT_MINUTES["problem_digest"] <= 60
