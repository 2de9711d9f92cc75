"""The refund export upload page: the command's importer behind a browser form."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from orders.importing import uploads
from tests.factories import make_order
from tickets.models import Ticket
from tickets.states import TicketState

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "orders/fixtures/ExportRefundList202611231030.csv"
SAMPLE_ORDERS = [
    "3900000000000000008",
    "3900000000000000010",
    "3900000000000000012",
    "3900000000000000005",
]
HEADER = "订单编号,退款单编号,退款类型,退款状态,买家退款金额,买家退款原因,退款申请时间\n"
URL = "/tickets/import/"


def refund_rows(order_ids, prefix="R") -> str:
    return "".join(
        f"{order_id},{prefix}{n},仅退款,退款成功,19.90,质量问题,2026-11-21 08:00:00\n"
        for n, order_id in enumerate(order_ids)
    )


def csv_file(text: str, name: str = "refunds.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("gb18030"), content_type="text/csv")


def post(client, file, shop_code="shop-a", **flags):
    data = {"shop": shop_code, "file": file, **{k: "1" for k, on in flags.items() if on}}
    return client.post(reverse("tickets:import"), data)


def counts_of(response) -> dict:
    return {str(label): n for label, n in response.context["result"].counts}


@pytest.fixture
def orders(shop):
    return [make_order(shop, order_id=order_id) for order_id in SAMPLE_ORDERS]


def test_route_is_where_the_docs_say():
    assert reverse("tickets:import") == URL


def test_after_sale_agent_imports_the_sample_and_reads_the_counts(login, agent, shop, orders):
    sample = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())
    response = post(login(agent), sample)
    assert response.status_code == 200
    assert "已导入" in response.content.decode()
    assert counts_of(response) == {"新增": 4, "更新": 0, "未变": 0, "错误行": 0}
    assert Ticket.objects.filter(shop=shop).count() == 4
    assert Ticket.objects.get(platform_refund_id="128800000000000003").state == TicketState.REFUNDED
    event = AuditEvent.objects.get(verb="tickets.refunds_imported")
    assert event.actor == agent and event.changes["created"] == [None, 4]

    again = post(login(agent), SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    assert counts_of(again)["未变"] == 4 and Ticket.objects.count() == 4


def test_a_bad_row_in_all_or_nothing_mode_writes_nothing_and_names_its_line(
    login, agent, shop, orders
):
    text = HEADER + refund_rows(SAMPLE_ORDERS[:2]) + refund_rows(["3900000000000000999"], "X")
    text += "3900000000000000005,R9,仅退款,退款成功,十块,质量问题,2026-11-21 08:00:00\n"
    response = post(login(agent), csv_file(text), strict=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "文件未导入，没有写入任何数据。" in page
        and "import-counts" not in page
        and "2 行有错误" in page
    )
    assert [e["line"] for e in response.context["result"].errors] == [4, 5]
    assert "订单 3900000000000000999 不存在" in page and "买家退款金额「十块」不是金额" in page
    assert not Ticket.objects.exists()
    assert not AuditEvent.objects.filter(verb="tickets.refunds_imported").exists()


def test_without_all_or_nothing_the_good_rows_import(login, agent, shop, orders):
    text = HEADER + refund_rows(SAMPLE_ORDERS[:2]) + refund_rows(["3900000000000000999"], "X")
    response = post(login(agent), csv_file(text))
    assert response.status_code == 200
    assert response.context["result"].errors[0]["line"] == 4
    assert Ticket.objects.count() == 2


def test_preview_writes_nothing(login, supervisor, shop, orders):
    response = post(login(supervisor), csv_file(HEADER + refund_rows(SAMPLE_ORDERS)), dry_run=True)
    assert response.status_code == 200
    assert "这次没有写入任何数据" in response.content.decode()
    assert counts_of(response)["新增"] == 4
    assert not Ticket.objects.exists()
    assert not AuditEvent.objects.filter(verb="tickets.refunds_imported").exists()


def test_a_file_without_data_is_refused_with_the_reason(login, agent, shop):
    response = post(login(agent), csv_file(HEADER))
    assert response.status_code == 400
    assert "文件中没有数据行" in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRE_SALE, Role.IN_SALE])
def test_agents_before_after_sale_get_403(login, staff, shop, orders, role):
    client = login(staff[role])
    assert client.get(URL).status_code == 403
    assert post(client, csv_file(HEADER + refund_rows(SAMPLE_ORDERS))).status_code == 403
    assert client.get(reverse("tickets:import_sample")).status_code == 403
    assert not Ticket.objects.exists()


def test_a_foreign_or_unknown_shop_is_404(login, agent, shop, other_shop):
    client = login(agent)
    foreign = [make_order(other_shop, order_id="3900000000000000001").order_id]
    text = HEADER + refund_rows(foreign)
    assert post(client, csv_file(text), shop_code=other_shop.code).status_code == 404
    assert post(client, csv_file(text), shop_code="nope").status_code == 404
    assert other_shop.code not in client.get(URL).content.decode()
    assert not Ticket.objects.exists()


def test_anonymous_goes_to_login(client, shop):
    for response in (client.get(URL), post(client, csv_file(HEADER))):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_oversize_file_is_refused(login, agent, shop, orders, monkeypatch):
    monkeypatch.setattr(uploads, "SMALL_UPLOAD_BYTES", 100)
    response = post(login(agent), csv_file(HEADER + refund_rows(SAMPLE_ORDERS)))
    assert response.status_code == 400 and "文件太大" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("refunds.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00"), "不是 CSV 或 XLSX"),
        (SimpleUploadedFile("refunds.php", b"<?php echo 1; ?>"), "只能导入 CSV 或 XLSX 文件。"),
        (SimpleUploadedFile("refunds.csv", b"\xd0\xcf\x11\xe0\x00\x00"), "旧版 Excel"),
    ],
)
def test_binary_or_foreign_content_is_refused(login, agent, shop, file, message):
    response = post(login(agent), file)
    assert response.status_code == 400 and message in response.content.decode()


def test_report_page_queries_do_not_grow_with_the_error_rows(login, agent, shop):
    """Rows whose order is unknown cost no query each: the page and the report are bounded."""
    client = login(agent)
    counts = []
    for size in (3, 40):
        missing = [str(3900000000000100000 + n) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            response = post(client, csv_file(HEADER + refund_rows(missing)))
        assert response.status_code == 200 and len(response.context["result"].errors) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_form_page_queries_are_fixed(login, agent, shop, other_shop, django_assert_max_num_queries):
    client = login(agent)
    client.get(URL)
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


def test_queue_links_to_the_import_for_those_who_may(login, agent, shop):
    assert URL in login(agent).get(reverse("tickets:queue")).content.decode()


def test_sample_downloads_as_csv(login, agent, shop):
    response = login(agent).get(reverse("tickets:import_sample"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()
