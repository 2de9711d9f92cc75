"""The import_orders command: encodings, layouts, row errors by line, fatal files,
--strict, --dry-run, --json, idempotent re-import and later exports."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from orders.models import Buyer, Order, OrderStateChange
from orders.states import OrderState
from tests.exports import CLASSIC, PAID, csv_text, order_row, write_csv, write_xlsx

from ..factories import at

pytestmark = pytest.mark.django_db


def run(path, *args, shop="shop-a"):
    """Run the command with --json and return the parsed last line of stdout."""
    from io import StringIO

    out = StringIO()
    call_command("import_orders", str(path), "--shop", shop, "--json", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_every_encoding_shops_send_is_detected(tmp_path, shop, encoding):
    path = write_csv(
        tmp_path / "orders.csv", [order_row(买家留言="请发顺丰，谢谢")], encoding=encoding
    )
    report = run(path)
    assert report["created"] == 1 and report["errors"] == []
    order = Order.objects.get(shop=shop)
    assert order.buyer_message == "请发顺丰，谢谢"
    assert order.buyer_nick == "小鹿乱撞的猫"


def test_an_order_row_is_read_field_by_field(tmp_path, shop):
    write_csv(tmp_path / "o.csv", [order_row(未知的新列="保留我")], header=[*CLASSIC, "未知的新列"])
    assert run(tmp_path / "o.csv")["created"] == 1
    order = Order.objects.get(shop=shop, order_id="3012345678901234567")
    assert order.state == OrderState.FINISHED
    assert order.paid_amount == Decimal("199.00")
    assert order.mobile == "13800001111"
    assert order.ordered_at == at(2026, 11, 20, 10, 0)
    assert order.paid_at == at(2026, 11, 20, 10, 5)
    assert (order.province, order.city, order.district) == ("浙江省", "杭州市", "西湖区")
    assert order.address_detail == "文三路 478号 华星时代广场"
    assert order.postcode == "310012"
    assert order.extra == {"未知的新列": "保留我", "是否手机订单": "是"}
    assert order.buyer == Buyer.objects.get(shop=shop, nick="小鹿乱撞的猫")
    assert OrderStateChange.objects.get(order=order).to_state == OrderState.FINISHED


def test_quoted_newline_shifts_the_lines_of_later_records(tmp_path, shop):
    rows = [
        order_row("3012345678901234561", 买家留言="第一行\n第二行\n第三行"),
        order_row("3012345678901234562", 订单状态="不存在的状态"),
    ]
    write_csv(tmp_path / "o.csv", rows, newline="\n")
    report = run(tmp_path / "o.csv")
    assert report["created"] == 1
    assert report["errors"] == [{"line": 5, "message": "订单状态“不存在的状态”无法识别"}]
    assert (
        Order.objects.get(order_id="3012345678901234561").buyer_message == "第一行\n第二行\n第三行"
    )


def test_excel_mangled_and_malformed_ids_are_row_errors(tmp_path, shop):
    rows = [
        order_row("3012345678901234561"),
        order_row(订单编号="3.01235E+18"),
        order_row(订单编号="12345"),
        order_row(订单编号="3012345678901234562"),
    ]
    write_csv(tmp_path / "o.csv", rows)
    report = run(tmp_path / "o.csv")
    assert report["created"] == 2
    lines = {error["line"]: error["message"] for error in report["errors"]}
    assert set(lines) == {3, 4}
    assert "科学计数法" in lines[3]
    assert "16 到 19 位数字" in lines[4]


def test_an_id_seen_twice_names_the_first_line(tmp_path, shop):
    rows = [order_row("3012345678901234561"), order_row(), order_row("3012345678901234561")]
    write_csv(tmp_path / "o.csv", rows)
    report = run(tmp_path / "o.csv")
    assert report["errors"] == [
        {"line": 4, "message": "订单编号 3012345678901234561 与第 2 行重复"}
    ]


def test_bad_amounts_and_times_are_reported_together_for_the_line(tmp_path, shop):
    write_csv(tmp_path / "o.csv", [order_row(总金额="abc", 订单创建时间="昨天")])
    [error] = run(tmp_path / "o.csv")["errors"]
    assert error["line"] == 2
    assert "总金额" in error["message"] and "订单创建时间" in error["message"]


def test_reimport_changes_nothing_and_a_later_export_updates(tmp_path, shop):
    first = write_csv(
        tmp_path / "a.csv", [order_row(订单状态=PAID), order_row("3012345678901234569")]
    )
    assert run(first)["created"] == 2
    again = run(first)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert again["problems"] == {}
    later = write_csv(
        tmp_path / "b.csv",
        [
            order_row(
                订单状态="卖家已发货，等待买家确认", **{"物流单号 ": "YT123"}, 物流公司="圆通速递"
            ),
            order_row("3012345678901234569"),
        ],
    )
    report = run(later)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    order = Order.objects.get(order_id="3012345678901234567")
    assert order.state == OrderState.SHIPPED and order.tracking_number == "YT123"
    history = list(order.state_changes.values_list("from_state", "to_state"))
    assert history == [("", OrderState.PAID), (OrderState.PAID, OrderState.SHIPPED)]


def test_newer_export_without_nick_keeps_what_older_ones_said(tmp_path, shop):
    run(write_csv(tmp_path / "a.csv", [order_row(订单状态=PAID)]))
    header = ["订单编号", "订单状态", "买家实付金额", "商品标题", "商家备注", "发货时间"]
    row = {
        "订单编号": "3012345678901234567",
        "订单状态": "卖家已发货，等待买家确认",
        "买家实付金额": "199",
        "商品标题": "法式碎花连衣裙",
        "商家备注": "已改地址",
        "发货时间": "2026-11-21 09:00:00",
    }
    report = run(write_csv(tmp_path / "b.csv", [row], header=header))
    assert report["updated"] == 1
    order = Order.objects.get()
    assert order.buyer_nick == "小鹿乱撞的猫" and order.mobile == "13800001111"
    assert order.item_title == "法式碎花连衣裙" and order.platform_memo == "已改地址"
    assert order.shipped_at == at(2026, 11, 21, 9, 0)


def test_shop_name_mismatch_is_a_warning(tmp_path, shop):
    report = run(write_csv(tmp_path / "o.csv", [order_row(店铺名称="别人的店")]))
    assert report["created"] == 1
    assert any("别人的店" in warning for warning in report["warnings"])


def test_missing_required_column_is_fatal_and_writes_nothing(tmp_path, shop, capsys):
    header = [name for name in CLASSIC if name != "订单状态"]
    path = write_csv(tmp_path / "o.csv", [order_row()], header=header)
    with pytest.raises(CommandError, match="订单状态"):
        call_command("import_orders", str(path), "--shop", "shop-a")
    assert not Order.objects.exists() and not Buyer.objects.exists()


def test_fatal_exits_1_from_the_shell(tmp_path, shop):
    path = tmp_path / "o.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "import_orders", str(path), "--shop", "shop-a"]).execute()
    assert exit_info.value.code == 1


def test_strict_turns_a_row_error_fatal(tmp_path, shop, capsys):
    path = write_csv(tmp_path / "o.csv", [order_row(), order_row("3.01235E+18")])
    with pytest.raises(CommandError, match="严格模式"):
        call_command("import_orders", str(path), "--shop", "shop-a", "--strict", "--json")
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["created"] == 0 and last["errors"][0]["line"] == 3 and "fatal" in last
    assert not Order.objects.exists()


def test_dry_run_reports_what_it_would_do_and_writes_nothing(tmp_path, shop):
    path = write_csv(tmp_path / "o.csv", [order_row(订单状态=PAID, 买家留言="周末送")])
    report = run(path, "--dry-run")
    assert report["created"] == 1 and report["problems"] == {"message_unmet": 1}
    assert not Order.objects.exists() and not Buyer.objects.exists()


def test_json_is_one_object_on_the_last_line(tmp_path, shop, capsys):
    path = write_csv(tmp_path / "o.csv", [order_row(订单状态=PAID, 买家留言="周末送")])
    call_command("import_orders", str(path), "--shop", "shop-a", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    report = json.loads(lines[-1])
    assert list(report)[:5] == ["created", "updated", "unchanged", "errors", "problems"]
    assert report["problems"] == {"message_unmet": 1}


def test_unknown_shop_is_an_error(tmp_path, shop):
    with pytest.raises(CommandError):
        call_command("import_orders", str(tmp_path / "x.csv"), "--shop", "nope")


def test_xlsx_export_with_numbers_and_dates(tmp_path, shop):
    from datetime import datetime

    header = ["订单编号", "订单状态", "买家实付金额", "收货地址", "订单创建时间", "宝贝总数量"]
    rows = [
        [
            "3012345678901234567",
            "交易成功",
            199.5,
            "北京 北京市 朝阳区 建国路 88号",
            datetime(2026, 11, 20, 10, 0),
            2,
        ],
        [3.01234567890123e18, "交易成功", 1, "", None, 1],
    ]
    report = run(write_xlsx(tmp_path / "o.xlsx", header, rows))
    assert report["created"] == 1
    assert report["errors"][0]["line"] == 3 and "科学计数法" in report["errors"][0]["message"]
    order = Order.objects.get()
    assert order.paid_amount == Decimal("199.50") and order.item_count == 2
    assert order.ordered_at == at(2026, 11, 20, 10, 0)
    assert (order.province, order.district) == ("北京市", "朝阳区")


def test_csv_text_helper_writes_the_header_first():
    assert csv_text([order_row()]).startswith("订单编号,")
