"""The upload page, its refusals and permissions, and the task that runs the import."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from orders.importing import run as import_run_module
from orders.importing import uploads
from orders.importing.runs import import_run_execute
from orders.models import ImportRun, ImportStatus, Order, Problem
from orders.tasks import import_run_task
from tests.exports import PAID, csv_text, order_row

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def export(name="ExportOrderList202611231030.csv", rows=None) -> SimpleUploadedFile:
    rows = rows or [order_row(订单状态=PAID, 买家留言="周末送"), order_row("3012345678901234568")]
    return SimpleUploadedFile(name, csv_text(rows).encode("gb18030"), content_type="text/csv")


def upload(client, shop_code="shop-a", file=None, kind=""):
    return client.post(
        reverse("orders:import"), {"shop": shop_code, "kind": kind, "file": file or export()}
    )


def test_in_sale_agent_uploads_and_the_task_imports(
    login, staff, shop, media, django_capture_on_commit_callbacks, now
):
    client = login(staff[Role.IN_SALE])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "orders:import_run", args=[run.pk]
    )
    assert len(callbacks) == 1
    stored = Path(media) / run.stored_path
    assert stored.parent == Path(media) / "imports" and stored.exists()
    assert "ExportOrderList" not in stored.name and run.file_name.startswith("ExportOrderList")
    assert run.status == ImportStatus.QUEUED and run.created_by == staff[Role.IN_SALE]

    page = client.get(reverse("orders:import_run", args=[run.pk]))
    # While it runs the status re-fetches itself on the run's pushed events (live/).
    assert (
        b'hx-trigger="live"' in page.content
        and f'data-live-run="{run.pk}"'.encode() in page.content
    )

    import_run_task(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and run.rows_done == 2
    assert run.report["created"] == 2 and run.report["problems"] == {"message_unmet": 1}
    assert Order.objects.filter(shop=shop).count() == 2

    page = client.get(reverse("orders:import_run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in page.content
    assert "留言无法满足" in page.content.decode()

    again = import_run_execute(run_id=run.pk, now=now)
    assert again.status == ImportStatus.DONE and Problem.objects.count() == 1


def test_a_fatal_file_fails_the_run_and_writes_nothing(login, staff, shop, now):
    client = login(staff[Role.IN_SALE])
    header_only = SimpleUploadedFile("x.csv", "订单编号,买家会员名\r\n1,2\r\n".encode("gbk"))
    upload(client, file=header_only)
    run = import_run_execute(run_id=ImportRun.objects.get().pk, now=now)
    assert run.status == ImportStatus.FAILED and "订单状态" in run.report["fatal"]
    assert not Order.objects.exists()
    page = client.get(reverse("orders:import_run", args=[run.pk]))
    assert "文件未导入" in page.content.decode()


def test_a_crash_mid_file_leaves_nothing_and_a_redelivered_task_imports_it(
    login, staff, shop, now, monkeypatch
):
    client = login(staff[Role.IN_SALE])
    upload(client)
    run = ImportRun.objects.get()
    monkeypatch.setattr(import_run_module, "CHUNK_ROWS", 1)
    real_write = import_run_module.write_orders
    calls = []

    def dies_on_second_chunk(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real_write(**kwargs)

    monkeypatch.setattr(import_run_module, "write_orders", dies_on_second_chunk)
    assert import_run_execute(run_id=run.pk, now=now).status == ImportStatus.FAILED
    assert not Order.objects.exists() and not Problem.objects.exists()

    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)  # killed worker
    monkeypatch.setattr(import_run_module, "write_orders", real_write)
    assert import_run_execute(run_id=run.pk, now=now).status == ImportStatus.DONE
    assert Order.objects.count() == 2


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("orders.txt", b"a,b"), "只能导入 CSV 或 XLSX"),
        (SimpleUploadedFile("orders.csv", b"PK\x03\x04zipzip"), "内容与扩展名不符"),
        (SimpleUploadedFile("orders.xlsx", "订单编号\n".encode()), "内容与扩展名不符"),
        (SimpleUploadedFile("orders.csv", b"<html><script>x</script>"), "内容与扩展名不符"),
        (SimpleUploadedFile("orders.csv", b"\xd0\xcf\x11\xe0\x00\x00"), "旧版 Excel"),
        (SimpleUploadedFile("orders.csv", b"MZ\x90\x00\x03\x00\x00\x00"), "不是 CSV 或 XLSX"),
    ],
)
def test_upload_that_is_not_csv_or_xlsx_is_refused(login, staff, shop, file, message):
    response = upload(login(staff[Role.IN_SALE]), file=file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_too_large_is_refused(login, staff, shop, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    response = upload(login(staff[Role.IN_SALE]))
    assert response.status_code == 400 and "文件太大" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_pre_sale_agent_cannot_import(login, staff, shop):
    client = login(staff[Role.PRE_SALE])
    assert client.get(reverse("orders:import")).status_code == 403
    assert upload(client).status_code == 403
    assert not ImportRun.objects.exists()


def test_foreign_shop_is_404_and_foreign_runs_are_invisible(login, staff, shop, other_shop, now):
    client = login(staff[Role.SUPERVISOR])
    assert upload(client, shop_code=other_shop.code).status_code == 404
    foreign_user = make_user(other_shop, Role.MANAGER)
    run = ImportRun.objects.create(
        shop=other_shop,
        kind="orders",
        file_name="x.csv",
        stored_path="imports/x.csv",
        created_by=foreign_user,
        created_at=now,
    )
    assert client.get(reverse("orders:import_run", args=[run.pk])).status_code == 404
    assert "x.csv" not in client.get(reverse("orders:import")).content.decode()


def test_import_page_lists_the_shops_and_recent_runs(login, staff, shop, other_shop):
    page = login(staff[Role.IN_SALE]).get(reverse("orders:import"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A店" in text and "B店" not in text
