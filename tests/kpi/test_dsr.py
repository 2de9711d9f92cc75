"""The shop's DSR (店铺动态评分): import (command and upload), the "record today's DSR" form,
who may do either, and where the DSR shows (dashboard, kpi_report, API)."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AuditEvent
from kpi.days import local_day
from kpi.dsr import dsr_as_of
from kpi.models import ShopDsr
from tests.factories import make_user

from .factories import make_history

pytestmark = pytest.mark.django_db

HEADER = "日期,描述相符,服务态度,物流服务\n"
GOOD = (
    HEADER + "2026-11-20,4.83,4.85,4.80\n2026/11/21,4.84,4.85,4.81分\n2026-11-22, 4.8 ,4.86,4.81\n"
)


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "dsr.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def import_json(path: str, *extra: str) -> dict:
    out = io.StringIO()
    call_command("import_dsr", path, "--shop", "shop-a", "--json", *extra, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def scores(shop) -> list[tuple]:
    return list(
        ShopDsr.objects.filter(shop=shop)
        .order_by("day")
        .values_list("day", "description", "service", "logistics")
    )


def test_import_reads_a_gbk_file_and_is_idempotent(shop, tmp_path):
    path = write(tmp_path, GOOD, encoding="gbk")
    assert import_json(path) == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "dry_run": False,
    }
    stored = scores(shop)
    assert [str(day) for day, *_ in stored] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert stored[1][3] == Decimal("4.81") and stored[2][1] == Decimal("4.80")
    assert AuditEvent.objects.filter(verb="kpi.dsr_recorded").count() == 3

    again = import_json(path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert scores(shop) == stored
    assert AuditEvent.objects.filter(verb="kpi.dsr_recorded").count() == 3


def test_reimport_with_a_changed_score_updates_that_day_only(shop, tmp_path):
    import_json(write(tmp_path, GOOD))
    changed = GOOD.replace("2026-11-22, 4.8 ,4.86", "2026-11-22,4.79,4.86")
    report = import_json(write(tmp_path, changed, name="dsr2.csv"))
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    event = AuditEvent.objects.filter(verb="kpi.dsr_recorded").order_by("-pk").first()
    assert event.changes == {"description": ["4.80", "4.79"]}


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(shop, tmp_path):
    text = (
        HEADER
        + "2026-11-20,4.83,4.85,4.80\n"
        + "2026-11-21,5.30,4.85,4.80\n"  # line 3: above 5
        + "昨天,4.83,4.85,4.80\n"  # line 4: not a date
        + "2026-11-20,4.83,4.85,4.801\n"  # line 5: same day as line 2, three decimals
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="第 3 行"):
        call_command("import_dsr", write(tmp_path, text), "--shop", "shop-a", "--json", stdout=out)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert [error["line"] for error in report["errors"]] == [3, 4, 5]
    assert "0 到 5" in report["errors"][0]["message"]
    assert "不是日期" in report["errors"][1]["message"]
    assert "第 2 行" in report["errors"][2]["message"]
    assert "两位小数" in report["errors"][2]["message"]
    assert report["created"] == 0
    assert not ShopDsr.objects.exists()
    assert not AuditEvent.objects.filter(verb="kpi.dsr_recorded").exists()


def test_a_missing_column_or_a_future_day_is_refused(shop, tmp_path):
    with pytest.raises(CommandError, match="物流服务"):
        call_command(
            "import_dsr",
            write(tmp_path, "日期,描述相符,服务态度\n2026-11-20,4.8,4.8\n"),
            "--shop",
            "shop-a",
        )
    tomorrow = local_day(timezone.now()) + timedelta(days=1)
    with pytest.raises(CommandError, match="今天之后"):
        call_command(
            "import_dsr", write(tmp_path, HEADER + f"{tomorrow},4.8,4.8,4.8\n"), "--shop", "shop-a"
        )
    assert not ShopDsr.objects.exists()


def test_dry_run_reports_and_writes_nothing(shop, tmp_path):
    report = import_json(write(tmp_path, GOOD), "--dry-run")
    assert report["created"] == 3 and report["dry_run"] is True
    assert not ShopDsr.objects.exists()


def test_import_reads_xlsx_with_real_dates(shop, tmp_path):
    from datetime import date

    book = Workbook()
    book.active.append(["日期 ", "描述相符", "服务态度", "物流服务"])
    book.active.append([date(2026, 11, 22), 4.83, 4.85, 4.8])
    path = tmp_path / "dsr.xlsx"
    book.save(path)
    assert import_json(str(path))["created"] == 1
    assert scores(shop) == [(date(2026, 11, 22), Decimal("4.83"), Decimal("4.85"), Decimal("4.80"))]


def test_manager_records_todays_dsr_with_the_form(login, staff, shop):
    client = login(staff[Role.MANAGER])
    today = local_day(timezone.now())
    data = {
        "shop": "shop-a",
        "day": today,
        "description": "4.83",
        "service": "4.85",
        "logistics": "4.8",
    }
    response = client.post(reverse("kpi:dsr"), data)
    assert response.status_code == 302
    record = ShopDsr.objects.get(shop=shop, day=today)
    assert (record.logistics, record.recorded_by, record.source) == (
        Decimal("4.80"),
        staff[Role.MANAGER],
        "form",
    )
    assert AuditEvent.objects.filter(verb="kpi.dsr_recorded", shop_id=shop.pk).count() == 1
    page = client.get(reverse("kpi:dsr")).content.decode()
    assert "4.85" in page


def test_the_form_refuses_a_score_out_of_range_and_writes_nothing(login, staff, shop):
    client = login(staff[Role.SUPERVISOR])
    data = {"shop": "shop-a", "day": local_day(timezone.now())}
    response = client.post(
        reverse("kpi:dsr"), {**data, "description": "6", "service": "4.8", "logistics": "4.8"}
    )
    assert response.status_code == 400
    assert "0 到 5" in response.content.decode()
    assert not ShopDsr.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE, Role.REVIEW_SPECIALIST]
)
def test_agents_and_review_specialists_may_not_record_or_import(login, staff, role):
    client = login(staff[role])
    form = {"shop": "shop-a", "day": "2026-11-20", "description": "4.8", "service": "4.8"}
    upload = {"shop": "shop-a", "file": SimpleUploadedFile("d.csv", GOOD.encode())}
    assert client.get(reverse("kpi:dsr")).status_code == 403
    assert client.post(reverse("kpi:dsr"), {**form, "logistics": "4.8"}).status_code == 403
    assert client.post(reverse("kpi:dsr_import"), upload).status_code == 403
    assert not ShopDsr.objects.exists()


def test_a_manager_of_shop_a_cannot_touch_shop_bs_dsr(login, staff, other_shop):
    client = login(staff[Role.MANAGER])
    form = {"shop": "shop-b", "day": "2026-11-20", "description": "4.8", "service": "4.8"}
    upload = {"shop": "shop-b", "file": SimpleUploadedFile("d.csv", GOOD.encode())}
    assert client.get(reverse("kpi:dsr"), {"shop": "shop-b"}).status_code == 404
    assert client.post(reverse("kpi:dsr"), {**form, "logistics": "4.8"}).status_code == 404
    assert client.post(reverse("kpi:dsr_import"), upload).status_code == 404
    assert not ShopDsr.objects.exists()


def test_upload_page_imports_all_or_nothing(login, staff, shop):
    client = login(staff[Role.SUPERVISOR])
    bad = GOOD + "2026-11-23,4.9,abc,4.8\n"
    response = client.post(
        reverse("kpi:dsr_import"),
        {"shop": "shop-a", "file": SimpleUploadedFile("dsr.csv", bad.encode("gbk"))},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "整个文件未导入" in html and '<td class="num">5</td>' in html
    assert not ShopDsr.objects.exists()
    response = client.post(
        reverse("kpi:dsr_import"),
        {"shop": "shop-a", "file": SimpleUploadedFile("dsr.csv", GOOD.encode())},
    )
    assert response.status_code == 200
    assert ShopDsr.objects.filter(shop=shop, source="import").count() == 3


def record(shop, day, description, service="4.85", logistics="4.80"):
    return ShopDsr.objects.create(
        shop=shop,
        day=day,
        description=Decimal(description),
        service=Decimal(service),
        logistics=Decimal(logistics),
        source="form",
        recorded_at=timezone.now(),
    )


def test_a_days_dsr_is_the_latest_record_at_most_30_days_old(shop):
    today = local_day(timezone.now())
    record(shop, today - timedelta(days=40), "4.70")
    assert dsr_as_of(shop, today) is None
    record(shop, today - timedelta(days=30), "4.75")
    assert dsr_as_of(shop, today) == {"description": "4.75", "service": "4.85", "logistics": "4.80"}
    assert dsr_as_of(shop, today - timedelta(days=35))["description"] == "4.70"


def test_dashboard_shows_dsr_cards_changes_and_trend(login, staff, shop):
    today = local_day(timezone.now())
    record(shop, today - timedelta(days=30), "4.80")
    record(shop, today - timedelta(days=8), "4.78")
    record(shop, today - timedelta(days=1), "4.83", service="4.86")
    response = login(staff[Role.MANAGER]).get(reverse("kpi:dashboard"), {"days": 7})
    html = response.content.decode()
    assert 'data-testid="dsr-cards"' in html and "dsr-no-data" not in html
    cards = {card.key: card for card in response.context["dsr"].cards}
    assert cards["description"].value == "4.83"
    assert cards["description"].changes == [("较7天前", "+0.05", 1), ("较30天前", "+0.03", 1)]
    assert cards["service"].changes[0] == ("较7天前", "+0.01", 1)
    assert cards["logistics"].changes[1] == ("较30天前", "+0.00", 0)
    chart = response.context["chart"]["dsr"]
    assert len(chart["days"]) == 7 and chart["days"][-1] == today.isoformat()
    assert chart["description"][-2] == "4.83" and chart["description"][-1] is None
    assert chart["labels"]["service"] == "服务态度"


def test_dashboard_says_no_data_without_dsr(login, staff, shop):
    record(shop, local_day(timezone.now()) - timedelta(days=31), "4.80")  # too old
    html = login(staff[Role.MANAGER]).get(reverse("kpi:dashboard")).content.decode()
    assert 'data-testid="dsr-no-data"' in html and "dsr-cards" not in html


def test_dashboard_query_count_is_unchanged_by_the_dsr(login, staff, shop):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_history(shop, [make_user(shop, Role.PRE_SALE) for _ in range(3)], days=370)
    client = login(staff[Role.MANAGER])

    def counts():
        found = []
        for days in (7, 365):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("kpi:dashboard"), {"days": days}).status_code == 200
            found.append(len(queries))
        return found

    without = counts()
    today = local_day(timezone.now())
    for n in range(0, 365, 2):
        record(shop, today - timedelta(days=n), "4.80")
    assert counts() == without
    assert without[0] == without[1] <= 19


def test_kpi_report_json_has_the_shops_dsr_or_null(shop, capsys):
    day = local_day(timezone.now()) - timedelta(days=1)
    call_command("kpi_report", "--shop", "shop-a", "--date", str(day), "--json")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["shop"]["dsr"] is None
    record(shop, day - timedelta(days=3), "4.83", service="4.85", logistics="4.8")
    call_command("kpi_report", "--shop", "shop-a", "--date", str(day), "--json")
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["shop"]["dsr"] == {"description": "4.83", "service": "4.85", "logistics": "4.80"}
    call_command("kpi_report", "--shop", "shop-a", "--date", str(day))
    assert "DSR: 描述相符 4.83 / 服务态度 4.85 / 物流服务 4.80" in capsys.readouterr().out


def test_day_export_carries_the_dsr(login, staff, shop):
    from openpyxl import load_workbook

    day = local_day(timezone.now()) - timedelta(days=1)
    record(shop, day, "4.83")
    response = login(staff[Role.MANAGER]).get(reverse("kpi:export"), {"date": str(day)})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert rows["DSR 描述相符"] == 4.83 and rows["DSR 物流服务"] == 4.8
