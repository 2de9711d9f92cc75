"""The order import page says which columns it reads and offers sample files; the problems
an import opened link to the queue filtered to that import and kind."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.importing.runs import import_run_execute
from orders.models import ImportRun, Problem
from tests.orders.factories import make_problem

from ..factories import make_user
from .test_import_upload import upload

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "orders" / "fixtures"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_import_page_lists_the_columns_the_importer_reads(login, staff, shop):
    text = login(staff[Role.IN_SALE]).get(reverse("orders:import")).content.decode()
    assert "订单报表必需的列：<b>订单编号、订单状态</b>" in text
    assert "宝贝报表必需的列：<b>订单编号、标题、价格、购买数量</b>" in text
    assert "收货地址" in text and "商家编码" in text
    assert reverse("orders:import_sample") in text
    assert reverse("orders:import_items_sample") in text


@pytest.mark.parametrize(
    ("route", "name"),
    [
        ("orders:import_sample", "ExportOrderList202611231030.csv"),
        ("orders:import_items_sample", "ExportOrderDetailList202611231030.csv"),
    ],
)
def test_samples_download_as_the_files_shipped(login, staff, shop, now, route, name):
    client = login(staff[Role.IN_SALE])
    response = client.get(reverse(route))
    assert response.status_code == 200
    assert name in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == (FIXTURES / name).read_bytes()


def test_pre_sale_agent_gets_no_sample(login, staff, shop):
    client = login(staff[Role.PRE_SALE])
    assert client.get(reverse("orders:import_sample")).status_code == 403
    assert client.get(reverse("orders:import_items_sample")).status_code == 403


def test_problem_badges_link_to_the_queue_filtered_to_that_import(login, staff, shop, now):
    client = login(staff[Role.IN_SALE])
    upload(client)
    run = import_run_execute(run_id=ImportRun.objects.get().pk, now=now)
    opened = Problem.objects.get()
    by_hand = make_problem(shop, now, category=opened.category)
    report = client.get(reverse("orders:import_run", args=[run.pk])).content.decode()
    link = f"/orders/problems/?import_run={run.pk}&amp;category={opened.category}&amp;state=all"
    assert f'href="{link}"' in report

    queue = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'data-problem-row="{opened.pk}"' in queue
    assert f'data-problem-row="{by_hand.pk}"' not in queue
    assert run.file_name in queue
    everything = client.get(reverse("orders:problems") + "?state=all").content.decode()
    assert f'data-problem-row="{by_hand.pk}"' in everything


def test_a_foreign_import_run_filter_is_404(login, staff, shop, other_shop, now):
    run = ImportRun.objects.create(
        shop=other_shop,
        kind="orders",
        file_name="x.csv",
        stored_path="imports/x.csv",
        created_by=make_user(other_shop, Role.MANAGER),
        created_at=now,
        finished_at=now,
    )
    response = login(staff[Role.IN_SALE]).get(reverse("orders:problems") + f"?import_run={run.pk}")
    assert response.status_code == 404
