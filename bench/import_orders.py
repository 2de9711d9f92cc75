"""Benchmark: import a generated order report and compare with PostgreSQL COPY.

    DATABASE_URL=postgres://… .venv/bin/python bench/import_orders.py [--rows 100000]
    DATABASE_URL=postgres://… .venv/bin/python bench/import_orders.py --small   # 1,000 rows

Generates a realistic classic 44-column export (GB18030 CSV, ``="…"`` ids, stray spaces
in headers, a mix of states, repeat buyers, Hong Kong and unclear addresses, buyer
messages) in a temporary directory, then in the same run:

1. COPY of the same file into a plain 44-column text table (the baseline),
2. ``import_orders`` into a fresh shop (parse, validate, upsert, detect problems), and
3. the write floor: the imported rows, already parsed, COPYed into a scratch table with
   the orders table's columns and indexes, which no import into that table can beat,

and prints rows/s for each, the ratio import/COPY, and peak memory (the process's peak
RSS growth during the import, from getrusage). Then it re-imports the file (nothing
changes) and reports that rate too. The bench shop is deleted at the end. --json ends the
output with the figures as one JSON line (for bench/run_all; aim: import ≥ 40 % of COPY).
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

HEADER = [
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
    ("买家已付款，等待卖家发货", 10),
    ("等待买家付款", 8),
    ("交易关闭", 10),
    ("卖家已发货，等待买家确认收货并付款", 2),
]
TITLES = ["法式碎花连衣裙 春夏新款", "纯棉短袖T恤 基础款", "高腰直筒牛仔裤", "宽松圆领针织开衫"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    states = [text for text, weight in STATES for _ in range(weight)]
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    buyers = max(rows // 3, 1)
    with open(path, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for index in range(rows):
            state = rng.choice(states)
            goods = rng.choice([49, 139, 199, 269, 1299]) * rng.choice([1, 1, 1, 2])
            postage = rng.choice([0, 0, 0, 10])
            ordered = start + timedelta(seconds=rng.randint(0, 20 * 86400))
            paid = state != "等待买家付款"
            shipped = state not in ("等待买家付款", "买家已付款，等待卖家发货", "交易关闭")
            address = rng.choice(ADDRESSES).format(n=rng.randint(1, 999), p="310012")
            writer.writerow(
                [
                    f'="{3_100_000_000_000_000_000 + index * 7919}"',
                    f"买家{rng.randrange(buyers)}",
                    "",
                    f"{goods:.2f}",
                    f"{postage:.2f}",
                    "0",
                    f"{goods + postage:.2f}",
                    "0",
                    f"{goods + postage if paid else 0:.2f}",
                    "0",
                    state,
                    "请发顺丰，谢谢" if rng.random() < 0.05 else "",
                    rng.choice(["张伟", "王秀英", "李娜", "刘洋", "陈静"]),
                    address,
                    "快递",
                    "",
                    f"'13{rng.randint(100000000, 999999999)}",
                    ordered.strftime("%Y-%m-%d %H:%M:%S"),
                    (ordered + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S") if paid else "",
                    rng.choice(TITLES),
                    "1",
                    f"YT{rng.randint(10**11, 10**12 - 1)}" if shipped else "",
                    "圆通速递" if shipped else "",
                    "",
                    "1",
                    "12345678",
                    "压测店铺",
                    "订单未关闭" if state != "交易关闭" else "买家不想买了",
                    "0",
                    "0元",
                    "",
                    rng.choice(["是", "否"]),
                    "",
                    "",
                    "否",
                    "否",
                    "否",
                    "",
                    "",
                    "",
                    "",
                    "0.00",
                    "0.00",
                    "否",
                ]
            )


def copy_baseline(path: Path) -> float:
    """Seconds to COPY the file into a plain 44-column text table."""
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_copy")
        cursor.execute(f"CREATE TABLE bench_import_copy ({columns})")
        with open(path, "rb") as handle:
            started = time.perf_counter()
            cursor.copy_expert(
                "COPY bench_import_copy FROM STDIN WITH (FORMAT csv, HEADER true, "
                "ENCODING 'GB18030')",
                handle,
            )
            seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_import_copy")
    return seconds


def write_floor(shop_id: int) -> float:
    """Seconds to COPY the imported orders' final rows (already parsed, nothing to check)
    into a scratch table with the orders table's columns and indexes: what writing these
    rows costs on its own, the ceiling for any import into that table."""
    from django.db import connection

    from orders.models import Order

    table = Order._meta.db_table
    dump = io.StringIO()
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY (SELECT * FROM {table} WHERE shop_id = {int(shop_id)}) TO STDOUT", dump
        )
        dump.seek(0)
        cursor.execute("DROP TABLE IF EXISTS bench_import_floor")
        cursor.execute(f"CREATE TABLE bench_import_floor (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        cursor.copy_expert("COPY bench_import_floor FROM STDIN", dump)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_import_floor")
    return seconds


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="rows in the export (default 100,000)")
    parser.add_argument("--small", action="store_true", help="1,000 rows, for CI")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    options = parser.parse_args()
    options.rows = options.rows or (1_000 if options.small else 100_000)

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: DEBUG keeps every query's SQL in memory
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Platform, Shop, Team
    from orders.importing import import_file
    from orders.importing.addresses import parse_address

    if connection.vendor != "postgresql":
        sys.exit("bench/import_orders.py needs DATABASE_URL pointing at PostgreSQL.")
    parse_address("浙江省 杭州市 西湖区 文三路 1号")  # load cpca/pandas before measuring
    team = Team.objects.create(name="bench")
    shop = Shop.objects.create(
        team=team, platform=Platform.TAOBAO, code=f"bench-{os.getpid()}", name="压测店铺"
    )
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "ExportOrderList202611231030.csv"
            generate(path, options.rows)
            size_mb = path.stat().st_size / 1e6
            copy_seconds = copy_baseline(path)
            rss_before = peak_rss_mb()
            started = time.perf_counter()
            report = import_file(path, shop=shop, now=timezone.now())
            import_seconds = time.perf_counter() - started
            rss_growth = peak_rss_mb() - rss_before
            floor_seconds = write_floor(shop.pk)
            started = time.perf_counter()
            again = import_file(path, shop=shop, now=timezone.now())
            reimport_seconds = time.perf_counter() - started
        rows = options.rows
        print(f"rows                 {rows}  ({size_mb:.1f} MB GB18030 CSV, 44 columns)")
        print(f"COPY baseline        {rows / copy_seconds:10.0f} rows/s  ({copy_seconds:.2f} s)")
        print(
            f"import               {rows / import_seconds:10.0f} rows/s  ({import_seconds:.2f} s)"
        )
        print(f"import / COPY        {import_seconds and copy_seconds / import_seconds:10.1%}")
        print(
            f"write floor          {rows / floor_seconds:10.0f} rows/s  ({floor_seconds:.2f} s; "
            f"the parsed rows COPYed into a copy of the orders table with its indexes "
            f"= {copy_seconds / floor_seconds:.1%} of COPY)"
        )
        print(f"re-import (no change){rows / reimport_seconds:10.0f} rows/s")
        print(f"peak RSS growth      {rss_growth:10.1f} MB  (process peak {peak_rss_mb():.0f} MB)")
        print(
            f"report               created={report.created} updated={report.updated} "
            f"errors={report.errors_total} problems={dict(report.problems)}; "
            f"re-import unchanged={again.unchanged}"
        )
        if options.json:
            measure = {
                "measure": f"import of {rows:,} rows, rows/s vs COPY rows/s",
                "ours": rows / import_seconds,
                "baseline": rows / copy_seconds,
                "unit": "rows/s",
                "aim": {"min": 0.4},
                "note": f"re-import {rows / reimport_seconds:,.0f} rows/s; "
                f"peak RSS growth {rss_growth:.0f} MB; writing the parsed rows alone into a "
                f"copy of the orders table with its indexes: {rows / floor_seconds:,.0f} rows/s "
                f"= {copy_seconds / floor_seconds:.0%} of COPY",
            }
            print(json.dumps({"bench": "import_orders", "measures": [measure]}, ensure_ascii=False))
    finally:
        Shop.objects.filter(pk=shop.pk).delete()
        team.delete()


if __name__ == "__main__":
    main()
