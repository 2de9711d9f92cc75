"""Small export files written by the tests, in the layouts and encodings shops send."""

import csv
import io
from pathlib import Path

CLASSIC = [
    "订单编号",
    "买家会员名",
    "买家应付货款",
    "买家应付邮费",
    "总金额",
    "买家实际支付金额",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝总数量",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "店铺名称",
    "订单关闭原因",
    "是否手机订单",
]
PAID = "买家已付款，等待卖家发货"
ADDRESS = "浙江省 杭州市 西湖区 文三路 478号 华星时代广场 (310012)"


def order_row(order_id: str = "3012345678901234567", **values) -> dict:
    row = {
        "订单编号": f'="{order_id}"',
        "买家会员名": "小鹿乱撞的猫",
        "买家应付货款": "199.00",
        "买家应付邮费": "0.00",
        "总金额": "199.00",
        "买家实际支付金额": "199.00元",
        "订单状态": "交易成功",
        "买家留言": "",
        "收货人姓名": "张伟",
        "收货地址 ": ADDRESS,
        "运送方式": "快递",
        "联系电话 ": "",
        "联系手机": "'13800001111",
        "订单创建时间": "2026-11-20 10:00:00",
        "订单付款时间 ": "2026/11/20 10:05",
        "宝贝标题 ": "法式碎花连衣裙 春夏新款",
        "宝贝总数量": "1",
        "物流单号 ": "",
        "物流公司": "",
        "订单备注": "",
        "店铺名称": "A店",
        "订单关闭原因": "订单未关闭",
        "是否手机订单": "是",
    }
    row.update(values)
    return row


def csv_text(rows: list[dict], header: list[str] | None = None, newline: str = "\r\n") -> str:
    header = header or list(rows[0]) if rows else (header or CLASSIC)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


def write_csv(
    path: Path, rows: list[dict], *, encoding: str = "gb18030", header=None, newline="\r\n"
) -> Path:
    path.write_bytes(csv_text(rows, header, newline).encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
