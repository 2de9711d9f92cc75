"""The review export upload page: the command's importer behind a browser form."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AuditEvent
from orders.importing import uploads
from reviews.models import Rating, Review

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "orders/fixtures/ExportRateList202611231030.csv"
HEADER = "评价ID,订单编号,买家昵称,评价结果,评价内容,评价时间\n"
URL = "/reviews/import/"


def review_rows(count: int, start: int = 0) -> str:
    return "".join(
        f"RV{n:04d},{3012345678901230000 + n},买家{n},差评,第{n}条差评,2026-11-22 10:{n % 60:02d}:00\n"
        for n in range(start, start + count)
    )


def csv_file(text: str, name: str = "reviews.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("gb18030"), content_type="text/csv")


def post(client, file, shop_code="shop-a", **flags):
    data = {"shop": shop_code, "file": file, **{k: "1" for k, on in flags.items() if on}}
    return client.post(reverse("reviews:import"), data)


def test_route_is_where_the_docs_say():
    assert reverse("reviews:import") == URL


def test_specialist_imports_the_sample_and_reads_the_counts(login, staff, shop):
    specialist = staff[Role.REVIEW_SPECIALIST]
    response = post(login(specialist), SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    assert response.status_code == 200
    text = response.content.decode()
    assert "已导入" in text and SAMPLE.name in text
    counts = response.context["result"].counts
    assert [(str(label), n) for label, n in counts] == [
        ("新增", 4),
        ("更新", 0),
        ("未变", 0),
        ("跳过（好评）", 1),
        ("错误行", 0),
    ]
    assert Review.objects.filter(shop=shop).count() == 4
    assert Review.objects.filter(rating=Rating.NEGATIVE).count() == 2
    event = AuditEvent.objects.get(verb="reviews.imported")
    assert event.actor == specialist

    again = post(login(specialist), SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    assert ("未变", 4) in [(str(label), n) for label, n in again.context["result"].counts]


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows(login, staff, shop):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        ["RV1", "3012345678901234567", "小鹿", "差评", "第一行\n换行的内容", "2026-11-22 10:00:00"]
    )
    sheet.append(
        ["RV2", "3012345678901234568", "晴天", "很差", "评价结果不对", "2026-11-22 11:00:00"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("reviews.xlsx", buffer.getvalue())
    response = post(login(staff[Role.SUPERVISOR]), upload)
    assert response.status_code == 200
    assert response.context["result"].errors == [
        {"line": 3, "message": "评价结果“很差”无法识别（应为 中评 或 差评）。"}
    ]
    assert Review.objects.get().text == "第一行\n换行的内容"


def test_a_bad_row_in_all_or_nothing_mode_writes_nothing_and_names_every_line(login, staff, shop):
    text = HEADER + review_rows(2) + "RV9,12345,坏行,差评,订单号太短,2026-11-22 10:00:00\n"
    text += "RV8,3012345678901234599,另一行,差评,时间不对,昨天\n"
    response = post(login(staff[Role.REVIEW_SPECIALIST]), csv_file(text), strict=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件未导入，没有写入任何数据。" in page and "import-counts" not in page
    assert [e["line"] for e in response.context["result"].errors] == [4, 5]
    assert "订单编号“12345”不是 16–19 位数字。" in page and "评价时间“昨天”" in page
    assert not Review.objects.exists()


def test_without_all_or_nothing_the_good_rows_import_and_the_bad_line_is_listed(login, staff, shop):
    text = HEADER + review_rows(2) + "RV9,12345,坏行,差评,订单号太短,2026-11-22 10:00:00\n"
    response = post(login(staff[Role.REVIEW_SPECIALIST]), csv_file(text))
    assert response.status_code == 200
    assert response.context["result"].errors[0]["line"] == 4
    assert "有问题的行已跳过" in response.content.decode()
    assert Review.objects.count() == 2


def test_preview_writes_nothing(login, staff, shop):
    response = post(login(staff[Role.MANAGER]), csv_file(HEADER + review_rows(3)), dry_run=True)
    assert response.status_code == 200
    assert "这次没有写入任何数据" in response.content.decode()
    assert ("新增", 3) in [(str(label), n) for label, n in response.context["result"].counts]
    assert not Review.objects.exists() and not AuditEvent.objects.filter(verb="reviews.imported")


def test_a_missing_column_is_refused_with_the_reason(login, staff, shop):
    response = post(login(staff[Role.REVIEW_SPECIALIST]), csv_file("订单编号,买家昵称\n1,2\n"))
    assert response.status_code == 400
    assert "缺少必需的列" in response.content.decode() and not Review.objects.exists()


@pytest.mark.parametrize("role", [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE])
def test_agents_without_reviews_work_get_403(login, staff, shop, role):
    client = login(staff[role])
    assert client.get(URL).status_code == 403
    assert post(client, csv_file(HEADER + review_rows(1))).status_code == 403
    assert client.get(reverse("reviews:import_sample")).status_code == 403
    assert not Review.objects.exists()


def test_a_foreign_or_unknown_shop_is_404(login, staff, shop, other_shop):
    client = login(staff[Role.MANAGER])
    assert (
        post(client, csv_file(HEADER + review_rows(1)), shop_code=other_shop.code).status_code
        == 404
    )
    assert post(client, csv_file(HEADER + review_rows(1)), shop_code="nope").status_code == 404
    assert other_shop.code not in client.get(URL).content.decode()
    assert not Review.objects.exists()


def test_anonymous_goes_to_login(client, shop):
    for response in (client.get(URL), post(client, csv_file(HEADER))):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_oversize_file_is_refused(login, staff, shop, monkeypatch):
    monkeypatch.setattr(uploads, "SMALL_UPLOAD_BYTES", 100)
    response = post(login(staff[Role.REVIEW_SPECIALIST]), csv_file(HEADER + review_rows(5)))
    assert response.status_code == 400 and "文件太大" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("reviews.csv", b"MZ\x90\x00\x03\x00\x00\x00"), "不是 CSV 或 XLSX"),
        (SimpleUploadedFile("reviews.exe", b"MZ\x90\x00"), "只能导入 CSV 或 XLSX 文件。"),
        (SimpleUploadedFile("reviews.xlsx", b"PK\x03\x04not a workbook"), "XLSX 文件已损坏"),
        (SimpleUploadedFile("reviews.csv", b"<html><body>x</body></html>"), "内容与扩展名不符"),
    ],
)
def test_binary_or_foreign_content_is_refused(login, staff, shop, file, message):
    response = post(login(staff[Role.REVIEW_SPECIALIST]), file)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_post_without_a_file_asks_for_one(login, staff, shop):
    response = login(staff[Role.REVIEW_SPECIALIST]).post(URL, {"shop": "shop-a"})
    assert response.status_code == 400 and "请选择要导入的文件。" in response.content.decode()


def test_report_page_queries_do_not_grow_with_the_rows(login, staff, shop):
    client = login(staff[Role.REVIEW_SPECIALIST])
    counts = []
    for size, start in ((3, 0), (40, 100)):
        rows = review_rows(size, start)
        bad = "RVX,1,坏,差评,x,2026-11-22 10:00:00\n" * size
        with CaptureQueriesContext(connection) as queries:
            response = post(client, csv_file(HEADER + rows + bad))
        assert response.status_code == 200 and len(response.context["result"].errors) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_list_page_links_to_the_import_for_those_who_may(login, staff, shop):
    assert URL in login(staff[Role.REVIEW_SPECIALIST]).get(reverse("reviews:list")).content.decode()


def test_sample_downloads_as_csv(login, staff, shop):
    response = login(staff[Role.REVIEW_SPECIALIST]).get(reverse("reviews:import_sample"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()
    assert "attachment" in response["Content-Disposition"]
