"""The item report (宝贝报表) imports order lines with the same command."""

from decimal import Decimal

import pytest

from orders.models import OrderItem
from tests.exports import order_row, write_csv

from .test_import_command import run

pytestmark = pytest.mark.django_db

ITEM_HEADER = [
    "订单编号",
    "标题",
    "价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "备注",
    "订单状态",
    "商家编码",
]


def item(order_id="3012345678901234567", **values):
    row = {
        "订单编号": f'="{order_id}"',
        "标题": "法式碎花连衣裙 春夏新款",
        "价格": "269.00",
        "购买数量": "1",
        "外部系统编号": "",
        "商品属性": "颜色:米白;尺码:M",
        "套餐信息": "",
        "备注": "",
        "订单状态": "买家已付款，等待卖家发货",
        "商家编码": "YS-DRS-001-M",
    }
    row.update(values)
    return row


def test_item_report_is_detected_and_imports_lines(tmp_path, shop):
    run(write_csv(tmp_path / "o.csv", [order_row()]))
    rows = [item(), item(商品属性="颜色:米白;尺码:L", 商家编码="YS-DRS-001-L", 购买数量="2")]
    report = run(write_csv(tmp_path / "ExportOrderDetailList.csv", rows, header=ITEM_HEADER))
    assert report["kind"] == "items" and report["created"] == 2
    lines = OrderItem.objects.order_by("sku_code")
    assert [(line.sku_code, line.quantity) for line in lines] == [
        ("YS-DRS-001-L", 2),
        ("YS-DRS-001-M", 1),
    ]
    assert lines[0].price == Decimal("269.00")


def test_item_reimport_is_unchanged_and_price_change_updates_the_same_line(tmp_path, shop):
    run(write_csv(tmp_path / "o.csv", [order_row()]))
    path = write_csv(tmp_path / "i.csv", [item()], header=ITEM_HEADER)
    run(path, "--kind", "items")
    assert run(path, "--kind", "items")["unchanged"] == 1
    changed = run(write_csv(tmp_path / "j.csv", [item(价格="239.00")], header=ITEM_HEADER))
    assert changed["updated"] == 1
    assert OrderItem.objects.get().price == Decimal("239.00")


def test_item_rules_unknown_order_duplicate_line_and_bad_state(tmp_path, shop):
    run(write_csv(tmp_path / "o.csv", [order_row()]))
    rows = [item(), item(), item("3012345678901234599"), item(订单状态="怪状态", 商家编码="X")]
    report = run(write_csv(tmp_path / "i.csv", rows, header=ITEM_HEADER))
    messages = {error["line"]: error["message"] for error in report["errors"]}
    assert "第 2 行" in messages[3]
    assert "请先导入订单报表" in messages[4]
    assert "怪状态" in messages[5]
    assert report["created"] == 1
