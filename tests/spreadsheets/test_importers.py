"""Every importer reads through the one reader, from the command line and the browser:
an XLSX works everywhere a CSV does, and an XLSX bomb is refused everywhere, with nothing
written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.roles import Role
from kpi.models import ShopDsr
from orders.importing.runs import import_run_execute
from orders.models import ImportRun, ImportStatus, Order
from reviews.models import Review
from scripts_lib.models import ReplyScript
from tests.exports import order_row
from tests.factories import make_order
from tickets.models import Ticket

from .helpers import xlsx, xlsx_bomb

pytestmark = pytest.mark.django_db

ORDER_ID = "3512345678901234567"
REFUNDS = [
    ["订单编号", "退款单编号", "退款类型", "退款状态", "买家退款金额", "退款申请时间"],
    [ORDER_ID, "R001", "仅退款", "退款成功", 19.9, "2026-11-21 08:00:00"],
    [ORDER_ID, "R002", "仅退款", "看不懂的状态", 5, "2026-11-21 09:00:00"],
]
REVIEWS = [
    ["订单编号", "买家昵称", "评价结果", "评价内容", "评价时间"],
    [ORDER_ID, "小鹿乱撞的猫", "差评", "'=洗一次就变形", "2026-11-20 10:00:00"],
    [ORDER_ID, "晴天", "很差", "评价结果不对", "2026-11-20 11:00:00"],
]
DSR = [
    ["日期", "描述相符", "服务态度", "物流服务"],
    ["2026-11-20", 4.83, 4.85, 4.8],
    ["2026-11-21", 4.84, 4.85, 4.81],
]


def orders_rows():
    """An order export as Excel saves it: ids as text cells, not ="…" formulas."""
    row = order_row(ORDER_ID)
    return [list(row), [value.removeprefix('="').removesuffix('"') for value in row.values()]]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def command(name, path, *extra):
    out = io.StringIO()
    call_command(name, path, "--shop", "shop-a", *extra, stdout=out, stderr=out)
    return out.getvalue()


def test_a_refund_export_saved_as_xlsx_imports_from_the_command(shop, tmp_path):
    make_order(shop, order_id=ORDER_ID)
    output = command("import_refunds", write(tmp_path, "refunds.xlsx", xlsx(REFUNDS)))
    assert "created 1" in output and "line 3: 退款状态「看不懂的状态」无法识别" in output
    assert Ticket.objects.get().platform_refund_id == "R001"


def test_a_review_export_saved_as_xlsx_imports_from_the_command(shop, tmp_path):
    make_order(shop, order_id=ORDER_ID)
    output = command("import_reviews", write(tmp_path, "reviews.xlsx", xlsx(REVIEWS)))
    assert "1 created" in output and "line 3: 评价结果“很差”无法识别" in output
    assert Review.objects.get().text == "'=洗一次就变形"


def test_a_dsr_file_saved_as_xlsx_imports_from_the_command(shop, tmp_path):
    command("import_dsr", write(tmp_path, "dsr.xlsx", xlsx(DSR)))
    assert ShopDsr.objects.count() == 2


def test_an_order_export_saved_as_xlsx_imports_from_the_command(shop, tmp_path):
    command("import_orders", write(tmp_path, "orders.xlsx", xlsx(orders_rows())))
    assert Order.objects.get().order_id == ORDER_ID


COMMANDS = ["import_orders", "import_refunds", "import_reviews", "import_dsr"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_import_command_refuses_an_xlsx_bomb(name, shop, tmp_path):
    with pytest.raises(CommandError, match="压缩炸弹"):
        command(name, write(tmp_path, "export.xlsx", xlsx_bomb()))
    assert not (Order.objects.exists() or Ticket.objects.exists() or Review.objects.exists())
    assert not ShopDsr.objects.exists()


def _upload(data: bytes, name="export.xlsx"):
    return SimpleUploadedFile(name, data)


PAGES = {
    "refunds": (Role.AFTER_SALE, "tickets:import", lambda f: {"shop": "shop-a", "file": f}),
    "reviews": (Role.REVIEW_SPECIALIST, "reviews:import", lambda f: {"shop": "shop-a", "file": f}),
    "dsr": (Role.SUPERVISOR, "kpi:dsr_import", lambda f: {"shop": "shop-a", "file": f}),
    "scripts": (
        Role.SUPERVISOR,
        "scripts_lib:import",
        lambda f: {"scope": "shop:shop-a", "file": f},
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_upload_page_refuses_an_xlsx_bomb(page, login, staff, shop):
    role, url, form = PAGES[page]
    response = login(staff[role]).post(reverse(url), form(_upload(xlsx_bomb())))
    assert response.status_code == 400
    assert "压缩炸弹" in response.content.decode()
    assert not (Ticket.objects.exists() or Review.objects.exists() or ShopDsr.objects.exists())
    assert not ReplyScript.objects.exists()


def test_the_order_upload_task_refuses_an_xlsx_bomb(login, staff, shop, now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(staff[Role.IN_SALE])
    client.post(
        reverse("orders:import"), {"shop": "shop-a", "kind": "", "file": _upload(xlsx_bomb())}
    )
    run = import_run_execute(run_id=ImportRun.objects.get().pk, now=now)
    assert run.status == ImportStatus.FAILED and "压缩炸弹" in run.report["fatal"]
    assert not Order.objects.exists()


def test_the_refund_upload_reads_xlsx_rows_by_their_spreadsheet_line(login, staff, shop):
    make_order(shop, order_id=ORDER_ID)
    role, url, form = PAGES["refunds"]
    response = login(staff[role]).post(reverse(url), form(_upload(xlsx(REFUNDS))))
    assert response.status_code == 200
    assert [error["line"] for error in response.context["result"].errors] == [3]
    assert Ticket.objects.count() == 1


def test_a_small_export_with_only_blank_lines_is_refused_as_empty(shop, now):
    from reviews.importing import ImportFatal as ReviewsFatal
    from reviews.importing import reviews_import
    from tickets.importing import ImportFatal as RefundsFatal
    from tickets.importing import import_refunds

    blank = b"\r\n,,\r\n\r\n"
    with pytest.raises(ReviewsFatal, match=r"^文件是空的。$"):
        reviews_import(actor=None, shop=shop, data=blank, now=now)
    with pytest.raises(RefundsFatal, match=r"^文件是空的。$"):
        import_refunds(shop=shop, data=blank, now=now)
