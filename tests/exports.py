"""Platform export files, in the layouts and encodings shops send: small ones for the tests
and large generated ones for the benches (bench/import_orders.py, bench/reviews_import.py)
from the same columns and rows, so a layout is written down once."""

import csv
import io
import random
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The classic order report (ExportOrderList…csv), all 44 columns, with the stray spaces
# after some names that real files carry.
CLASSIC_ALL = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
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
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
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


# The columns the tests' small files carry: those order_row() fills.
CLASSIC = list(order_row())


def csv_text(rows: list[dict], header: list[str] | None = None, newline: str = "\r\n") -> str:
    out = io.StringIO()
    _write_rows(out, rows, header or (list(rows[0]) if rows else CLASSIC), newline)
    return out.getvalue()


def write_csv(
    path: Path, rows: Iterable[dict], *, encoding: str = "gb18030", header=None, newline="\r\n"
) -> Path:
    """Streams ``rows`` into ``path``; a generator of rows needs ``header``."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        _write_rows(handle, rows, header or (list(rows[0]) if rows else CLASSIC), newline)
    return path


def _write_rows(handle, rows: Iterable[dict], header: list[str], newline: str) -> None:
    writer = csv.writer(handle, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] for row in rows)


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# A day of a busy shop, for the import bench: a mix of states, repeat buyers, Hong Kong and
# unclear addresses, buyer messages.
ADDRESSES = [
    "浙江省 杭州市 西湖区 文三路 {n}号 华星时代广场 ({p})",
    "上海 上海市 浦东新区 张江路 {n}弄 12号 ({p})",
    "江苏省 南京市 鼓楼区 中山北路 {n}号 ({p})",
    "广东省 深圳市 南山区 科技园 深南大道 {n}号 ({p})",
    "北京 北京市 朝阳区 建国路 {n}号 ({p})",
    "四川省 成都市 武侯区 人民南路四段 {n}号 ({p})",
    "湖北省 武汉市 洪山区 珞喻路 {n}号 ({p})",
    "山东省 青岛市 市南区 香港中路 {n}号 ({p})",
    "广东省 东莞市 东城街道 东纵路 {n}号 ({p})",
    "河南省 郑州市 金水区 花园路 {n}号 ({p})",
    "辽宁省 大连市 中山区 人民路 {n}号 ({p})",
    "陕西省 西安市 雁塔区 小寨东路 {n}号 ({p})",
    "香港特别行政区 九龙 油尖旺区 弥敦道 {n}号 (999077)",
    "河南省 郑州市 金水区",
]
STATES = [
    ("交易成功", 55),
    ("卖家已发货，等待买家确认", 15),
    (PAID, 10),
    ("等待买家付款", 8),
    ("交易关闭", 10),
    ("卖家已发货，等待买家确认收货并付款", 2),
]
TITLES = ["法式碎花连衣裙 春夏新款", "纯棉短袖T恤 基础款", "高腰直筒牛仔裤", "宽松圆领针织开衫"]
TIME = "%Y-%m-%d %H:%M:%S"


def generated_order_rows(count: int, seed: int = 7) -> Iterator[dict]:
    """``count`` rows of the full classic report (CLASSIC_ALL), the same for the same seed."""
    rng = random.Random(seed)
    states = [text for text, weight in STATES for _ in range(weight)]
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    buyers = max(count // 3, 1)
    for index in range(count):
        state = rng.choice(states)
        goods = rng.choice([49, 139, 199, 269, 1299]) * rng.choice([1, 1, 1, 2])
        postage = rng.choice([0, 0, 0, 10])
        ordered = start + timedelta(seconds=rng.randint(0, 20 * 86400))
        paid = state != "等待买家付款"
        shipped = state not in ("等待买家付款", PAID, "交易关闭")
        address = rng.choice(ADDRESSES).format(n=rng.randint(1, 999), p="310012")
        yield order_row(
            str(3_100_000_000_000_000_000 + index * 7919),
            **{
                "买家会员名": f"买家{rng.randrange(buyers)}",
                "买家应付货款": f"{goods:.2f}",
                "买家应付邮费": f"{postage:.2f}",
                "买家支付积分": "0",
                "总金额": f"{goods + postage:.2f}",
                "返点积分": "0",
                "买家实际支付金额": f"{goods + postage if paid else 0:.2f}",
                "买家实际支付积分": "0",
                "订单状态": state,
                "买家留言": "请发顺丰，谢谢" if rng.random() < 0.05 else "",
                "收货人姓名": rng.choice(["张伟", "王秀英", "李娜", "刘洋", "陈静"]),
                "收货地址 ": address,
                "联系手机": f"'13{rng.randint(100000000, 999999999)}",
                "订单创建时间": ordered.strftime(TIME),
                "订单付款时间 ": (ordered + timedelta(minutes=5)).strftime(TIME) if paid else "",
                "宝贝标题 ": rng.choice(TITLES),
                "宝贝种类 ": "1",
                "物流单号 ": f"YT{rng.randint(10**11, 10**12 - 1)}" if shipped else "",
                "物流公司": "圆通速递" if shipped else "",
                "店铺Id": "12345678",
                "店铺名称": "压测店铺",
                "订单关闭原因": "订单未关闭" if state != "交易关闭" else "买家不想买了",
                "卖家服务费": "0",
                "买家服务费": "0元",
                "是否手机订单": rng.choice(["是", "否"]),
                "是否上传合同照片": "否",
                "是否上传小票": "否",
                "是否代付": "否",
                "天猫卡券抵扣": "0.00",
                "集分宝抵扣": "0.00",
                "是否是O2O交易": "否",
            },
        )


# The review export (评价管理), its columns in the platform's order.
REVIEW_COLUMNS = [
    "订单编号",
    "买家昵称",
    "评价结果",
    "评价内容",
    "评价时间",
    "描述相符",
    "服务态度",
    "物流服务",
]
REVIEW_HEADER = ",".join(REVIEW_COLUMNS) + "\n"
REVIEW_TEXTS = [
    "质量一般，和图片差别很大",
    "物流太慢了，等了一周",
    "尺码偏小，穿着不舒服",
    "颜色有色差",
]


def generated_review_rows(count: int) -> Iterator[dict]:
    """``count`` neutral and negative reviews by 5,000 buyers, each of its own order."""
    for n in range(count):
        yield {
            "订单编号": f'="{3_100_000_000_000_000_000 + n}"',
            "买家昵称": f"买家{n % 5000}",
            "评价结果": "差评" if n % 3 else "中评",
            "评价内容": f"{REVIEW_TEXTS[n % 4]}，第{n}条",
            "评价时间": f"2026-11-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}:00",
            "描述相符": str(1 + n % 5),
            "服务态度": str(1 + n % 4),
            "物流服务": "3",
        }


def review_export(rows: list[dict], *, encoding: str = "gb18030") -> bytes:
    return csv_text(rows, REVIEW_COLUMNS, "\n").encode(encoding)
