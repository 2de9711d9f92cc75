"""The catalogue follows order imports by itself: orders announces a committed import
(``orders.signals.import_committed``), the catalogue's AppConfig listens and enqueues its
refresh on commit. A dry run, a --strict refusal or a fatal file refresh nothing."""

import contextlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError

from accounts.roles import Role
from audit.models import AuditEvent
from catalogue.models import Product
from catalogue.services import catalogue_refresh_after_import
from catalogue.tasks import catalogue_refresh_after_import_task
from helpdesk.celery import app
from orders.importing import run as import_run_module
from orders.importing.runs import import_run_execute
from orders.models import ImportRun, ImportStatus
from tests.exports import order_row, write_csv
from tests.orders.test_import_command import run
from tests.orders.test_import_items import ITEM_HEADER, item
from tests.orders.test_import_upload import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def orders_imported(tmp_path, shop):
    run(write_csv(tmp_path / "o.csv", [order_row()]))


def item_rows():
    return [
        item(),
        item(商品属性="颜色:米白;尺码:L", 商家编码="YS-DRS-001-L", 价格="279.00"),
        item(商品属性="赠品", 商家编码="", 标题="随单小礼物", 价格="0.00"),
    ]


def test_an_item_import_puts_its_products_in_the_catalogue_once_committed(
    tmp_path, shop, other_shop, orders_imported, eager_tasks, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "i.csv", item_rows(), header=ITEM_HEADER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run(path)
    assert not Product.objects.exists()  # nothing before the import commits
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the commit: the signal, whose receiver queues the task on commit
    products = Product.objects.order_by("sku_code")
    assert [(p.shop, p.sku_code, str(p.price)) for p in products] == [
        (shop, "YS-DRS-001-L", "279.00"),
        (shop, "YS-DRS-001-M", "269.00"),
    ]
    event = AuditEvent.objects.get(verb="catalogue.refreshed")
    assert event.actor is None and event.shop_id == shop.pk


@pytest.mark.parametrize(
    "args",
    [["--dry-run"], ["--strict"]],
    ids=["dry-run", "strict-with-a-row-error"],
)
def test_an_import_that_does_not_commit_refreshes_nothing(
    tmp_path, shop, orders_imported, eager_tasks, django_capture_on_commit_callbacks, args
):
    rows = [*item_rows(), item(订单状态="怪状态", 商家编码="X-9")]
    path = write_csv(tmp_path / "i.csv", rows, header=ITEM_HEADER)
    refused = contextlib.suppress(CommandError)  # --strict refuses the whole file
    with django_capture_on_commit_callbacks(execute=True) as callbacks, refused:
        run(path, *args)
    assert callbacks == []
    assert not Product.objects.exists()
    assert not AuditEvent.objects.filter(verb="catalogue.refreshed").exists()


def test_a_fatal_file_refreshes_nothing(
    tmp_path, shop, orders_imported, eager_tasks, django_capture_on_commit_callbacks
):
    path = write_csv(
        tmp_path / "i.csv", [{"订单编号": '="3012345678901234567"'}], header=["订单编号"]
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(CommandError):
        run(path, "--kind", "items")
    assert callbacks == [] and not Product.objects.exists()


def test_the_refresh_task_is_safe_to_run_twice_and_for_a_shop_gone(
    tmp_path, shop, orders_imported, eager_tasks, now
):
    run(write_csv(tmp_path / "i.csv", item_rows(), header=ITEM_HEADER))
    catalogue_refresh_after_import_task.delay(shop.pk)
    catalogue_refresh_after_import_task.delay(shop.pk)
    assert Product.objects.filter(shop=shop).count() == 2
    assert catalogue_refresh_after_import(shop_id=shop.pk + 1000, now=now) is None


def uploaded_items(client, tmp_path) -> ImportRun:
    path = write_csv(tmp_path / "ExportOrderDetailList.csv", item_rows(), header=ITEM_HEADER)
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    upload(client, file=file, kind="items")
    return ImportRun.objects.get()


def test_an_uploaded_import_refreshes_once_its_run_commits(
    tmp_path,
    login,
    staff,
    shop,
    orders_imported,
    eager_tasks,
    django_capture_on_commit_callbacks,
    now,
):
    run_row = uploaded_items(login(staff[Role.IN_SALE]), tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_run_execute(run_id=run_row.pk, now=now).status == ImportStatus.DONE
    assert Product.objects.filter(shop=shop).count() == 2


def test_an_uploaded_import_that_fails_refreshes_nothing(
    tmp_path,
    login,
    staff,
    shop,
    orders_imported,
    eager_tasks,
    django_capture_on_commit_callbacks,
    now,
    monkeypatch,
):
    run_row = uploaded_items(login(staff[Role.IN_SALE]), tmp_path)

    def dies(**kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(import_run_module, "write_items", dies)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_run_execute(run_id=run_row.pk, now=now).status == ImportStatus.FAILED
    assert not Product.objects.exists()


def test_an_import_without_item_codes_records_no_refresh(
    tmp_path, shop, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(write_csv(tmp_path / "o.csv", [order_row()]))
    assert callbacks  # the refresh ran
    assert not Product.objects.exists()
    assert not AuditEvent.objects.filter(verb="catalogue.refreshed").exists()
