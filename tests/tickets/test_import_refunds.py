import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_order
from tickets.importing import import_refunds
from tickets.models import ReturnReason, Ticket
from tickets.states import TicketState, TicketType

pytestmark = pytest.mark.django_db

HEADER = (
    "订单编号,退款单编号,退款类型,退款状态,买家退款金额,买家退款原因,是否需要退货,"
    "退货物流单号,退货物流公司,退款申请时间,客服介入状态 "
)


def _csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture
def orders(shop):
    return [
        make_order(shop, order_id="3512345678901234567"),
        make_order(shop, order_id="3512345678901234568"),
    ]


ROWS = [
    '="3512345678901234567",="R001",退货退款,"卖家已经同意退款，等待买家退货",89.00元,'
    "七天无理由退换货,是,YT8800001,圆通速递,2026-11-20 10:23:45,未介入",
    "3512345678901234568,R002,仅退款,退款成功,19.9,质量问题,否,,,2026/11/21 08:00:00,",
]


def test_imports_rows_into_tickets(shop, orders, now):
    report = import_refunds(shop=shop, data=_csv(*ROWS).encode("utf-8"), now=now)
    assert report.as_dict() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    first = Ticket.objects.get(platform_refund_id="R001")
    assert (first.type, first.state, first.reason) == (
        TicketType.RETURN_REFUND,
        TicketState.AWAITING_RETURN,
        ReturnReason.NO_REASON,
    )
    assert first.refund_amount == Decimal("89.00") and first.return_tracking_number == "YT8800001"
    assert first.order == orders[0] and first.buyer == orders[0].buyer
    assert first.platform_intervention == "未介入"
    second = Ticket.objects.get(platform_refund_id="R002")
    assert second.type == TicketType.REFUND_ONLY and second.state == TicketState.REFUNDED


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_reads_every_export_encoding(encoding, shop, orders, now):
    report = import_refunds(shop=shop, data=_csv(*ROWS).encode(encoding), now=now)
    assert report.created == 2 and not report.errors
    assert Ticket.objects.get(platform_refund_id="R002").description == "质量问题"


def test_a_second_import_changes_nothing_and_a_later_one_updates(shop, orders, now):
    data = _csv(*ROWS).encode("gbk")
    import_refunds(shop=shop, data=data, now=now)
    again = import_refunds(shop=shop, data=data, now=now)
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}
    later = ROWS[0].replace("卖家已经同意退款，等待买家退货", "退款成功")
    report = import_refunds(shop=shop, data=_csv(later, ROWS[1]).encode("gbk"), now=now)
    assert (report.updated, report.unchanged) == (1, 1)
    assert Ticket.objects.get(platform_refund_id="R001").state == TicketState.REFUNDED
    assert Ticket.objects.count() == 2


def test_row_errors_carry_line_numbers_and_other_rows_import(shop, orders, now):
    bad = [
        "9999999999999999999,R010,仅退款,退款成功,10,,否,,,2026-11-20 10:00:00,",
        "3512345678901234567,R011,仅退款,退款成功,十元,,否,,,2026-11-20 10:00:00,",
        "3512345678901234567,R012,仅退款,不知道,10,,否,,,2026-11-20 10:00:00,",
        "3512345678901234567,R013,仅退款,退款成功,10,,否,,,昨天,",
    ]
    report = import_refunds(shop=shop, data=_csv(ROWS[1], *bad).encode(), now=now)
    assert report.created == 1
    assert [e["line"] for e in report.errors] == [3, 4, 5, 6]
    assert "9999999999999999999" in report.errors[0]["message"]
    assert "十元" in report.errors[1]["message"]


def test_a_missing_column_is_fatal_and_writes_nothing(shop, orders, now):
    from tickets.errors import ImportFatal

    data = "订单编号,退款单编号\n3512345678901234567,R001\n".encode()
    with pytest.raises(ImportFatal, match="退款状态"):
        import_refunds(shop=shop, data=data, now=now)
    assert not Ticket.objects.exists()


def test_dry_run_writes_nothing(shop, orders, now):
    report = import_refunds(shop=shop, data=_csv(*ROWS).encode(), now=now, dry_run=True)
    assert report.created == 2 and not Ticket.objects.exists()


def test_command_prints_json_last(shop, orders, tmp_path, capsys):
    path = tmp_path / "refunds.csv"
    path.write_bytes(
        _csv(*ROWS, "1,R9,仅退款,退款成功,1,,否,,,2026-11-20 10:00:00,").encode("gb18030")
    )
    call_command("import_refunds", str(path), "--shop", shop.code, "--json")
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["created"] == 2 and last["unchanged"] == 0 and last["updated"] == 0
    assert last["errors"][0]["line"] == 4 and "1" in last["errors"][0]["message"]


def test_command_fails_with_exit_1_on_a_fatal_error(shop, tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("import_refunds", str(path), "--shop", shop.code, "--json")
    assert error.value.returncode == 1
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["created"] == 0 and last["errors"]


def test_command_dry_run_flag(shop, orders, tmp_path, capsys):
    path = tmp_path / "refunds.csv"
    path.write_bytes(_csv(*ROWS).encode())
    call_command("import_refunds", str(path), "--shop", shop.code, "--dry-run")
    assert "[dry run] created 2" in capsys.readouterr().out
    assert not Ticket.objects.exists()
