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

and prints rows/s for each, the ratios import/COPY and import/write floor, the CPU time
the import took in this process and in its database backend (from /proc, when the server
runs on this machine: wall-clock ratios on a shared machine move with its load), and peak
memory (the process's peak RSS growth during the import, from getrusage). Then it re-imports the file (nothing
changes) and reports that rate too. The bench shop is deleted at the end. --json ends the
output with the figures as one JSON line (for bench/run_all; aim: import ≥ 40 % of COPY).
"""

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

from tests.exports import CLASSIC_ALL, generated_order_rows, write_csv


def copy_baseline(path: Path) -> float:
    """Seconds to COPY the file into a plain 44-column text table."""
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(len(CLASSIC_ALL)))
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


def backend_cpu_seconds() -> float | None:
    """The CPU time the database backend of this connection has used (when the server
    runs on this machine and /proc is readable), else None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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

    from accounts.models import Platform, Shop, Team
    from helpdesk import clock
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
            write_csv(path, generated_order_rows(options.rows), header=CLASSIC_ALL)
            size_mb = path.stat().st_size / 1e6
            copy_seconds = copy_baseline(path)
            rss_before = peak_rss_mb()
            backend_before = backend_cpu_seconds()
            cpu_before = process_cpu_seconds()
            started = time.perf_counter()
            report = import_file(path, shop=shop, now=clock.now())
            import_seconds = time.perf_counter() - started
            import_cpu = process_cpu_seconds() - cpu_before
            backend_after = backend_cpu_seconds()
            rss_growth = peak_rss_mb() - rss_before
            floor_seconds = write_floor(shop.pk)
            started = time.perf_counter()
            again = import_file(path, shop=shop, now=clock.now())
            reimport_seconds = time.perf_counter() - started
        rows = options.rows
        print(f"rows                 {rows}  ({size_mb:.1f} MB GB18030 CSV, 44 columns)")
        print(f"COPY baseline        {rows / copy_seconds:10.0f} rows/s  ({copy_seconds:.2f} s)")
        print(
            f"import               {rows / import_seconds:10.0f} rows/s  ({import_seconds:.2f} s)"
        )
        print(f"import / COPY        {import_seconds and copy_seconds / import_seconds:10.1%}")
        backend = (
            f"{backend_after - backend_before:.2f} s"
            if backend_before is not None and backend_after is not None
            else "unknown"
        )
        print(f"import CPU           process {import_cpu:.2f} s, database backend {backend}")
        print(
            f"write floor          {rows / floor_seconds:10.0f} rows/s  ({floor_seconds:.2f} s; "
            f"the parsed rows COPYed into a copy of the orders table with its indexes "
            f"= {copy_seconds / floor_seconds:.1%} of COPY)"
        )
        print(f"import / write floor {floor_seconds / import_seconds:10.1%}")
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
