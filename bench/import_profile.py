"""Where one order import spends its time: Python (cProfile) and SQL (per statement kind).

    DATABASE_URL=postgres://… .venv/bin/python bench/import_profile.py [--rows 20000] [--top 30]

Generates the same export as bench/import_orders.py, imports it into a fresh shop under
cProfile, and prints (1) the wall time of each SQL statement kind the import ran (timed
around the driver call in this process, so it includes the round trip but not Python
work), (2) the backend's own CPU time (from /proc, when the server runs on this machine)
against the process's, and (3) the functions with the most cumulative and own time.
The bench shop is deleted at the end.
"""

import argparse
import cProfile
import gc
import os
import pstats
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

_WORDS = re.compile(r"[A-Za-z_\"][A-Za-z_0-9.\"]*")


def statement_kind(sql: str) -> str:
    """A statement's first words and its table, e.g. ``INSERT orders_order``."""
    words = _WORDS.findall(sql)
    if not words:
        return sql[:30]
    verb = words[0].upper()
    lowered = [word.strip('"').lower() for word in words]
    for marker in ("into", "from", "table", "update", "analyze"):
        if marker in lowered[:-1]:
            return f"{verb} {lowered[lowered.index(marker) + 1]}"
    return verb


def backend_cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--no-cprofile", action="store_true", help="time the SQL only (no cProfile overhead)"
    )
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection

    from accounts.models import Platform, Shop, Team
    from helpdesk import clock
    from orders.importing import import_file
    from orders.importing.addresses import parse_address
    from tests.exports import CLASSIC_ALL, generated_order_rows, write_csv

    parse_address("浙江省 杭州市 西湖区 文三路 1号")
    collections: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    collecting: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collecting.append(time.process_time())
        elif collecting:
            entry = collections[info["generation"]]
            entry[0] += 1
            entry[1] += time.process_time() - collecting.pop()

    timings: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    backend = None

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        cpu_before = backend_cpu_seconds(backend) or 0.0
        try:
            return execute(sql, params, many, context)
        finally:
            entry = timings[statement_kind(sql)]
            entry[0] += 1
            entry[1] += time.perf_counter() - started
            entry[2] += (backend_cpu_seconds(backend) or 0.0) - cpu_before

    team = Team.objects.create(name="bench")
    shop = Shop.objects.create(
        team=team, platform=Platform.TAOBAO, code=f"bench-{os.getpid()}", name="压测店铺"
    )
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "ExportOrderList202611231030.csv"
            write_csv(path, generated_order_rows(options.rows), header=CLASSIC_ALL)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            backend_before = backend_cpu_seconds(backend)
            commit = connection._commit

            def timed_commit():  # the deferred foreign-key checks run here
                started = time.perf_counter()
                cpu_before = backend_cpu_seconds(backend) or 0.0
                try:
                    return commit()
                finally:
                    entry = timings["COMMIT"]
                    entry[0] += 1
                    entry[1] += time.perf_counter() - started
                    entry[2] += (backend_cpu_seconds(backend) or 0.0) - cpu_before

            connection._commit = timed_commit
            own_before = resource.getrusage(resource.RUSAGE_SELF)
            profile = cProfile.Profile()
            started = time.perf_counter()
            gc.callbacks.append(on_gc)
            with connection.execute_wrapper(timed):
                if not options.no_cprofile:
                    profile.enable()
                report = import_file(path, shop=shop, now=clock.now())
                profile.disable()
            gc.callbacks.remove(on_gc)
            wall = time.perf_counter() - started
            own_after = resource.getrusage(resource.RUSAGE_SELF)
            backend_after = backend_cpu_seconds(backend)
        own = (own_after.ru_utime - own_before.ru_utime) + (
            own_after.ru_stime - own_before.ru_stime
        )
        under = "" if options.no_cprofile else " (under cProfile)"
        print(f"rows {options.rows}: {wall:.2f} s wall{under}, {report.created} created")
        print(f"process CPU {own:.2f} s", end="")
        if backend_before is not None and backend_after is not None:
            print(f"; backend CPU {backend_after - backend_before:.2f} s")
        else:
            print()
        print(
            "garbage collector: "
            + ", ".join(
                f"generation {generation} {count}× {seconds:.2f} s CPU"
                for generation, (count, seconds) in sorted(collections.items())
            )
        )
        total = sum(seconds for _count, seconds, _cpu in timings.values())
        cpu = sum(cpu for _count, _seconds, cpu in timings.values())
        print(
            f"SQL wall time {total:.2f} s, backend CPU in those statements {cpu:.2f} s "
            "(the rest of the backend's CPU went to COPY), by statement kind:"
        )
        print("     wall  backend CPU   count  kind")
        for kind, (count, seconds, cpu) in sorted(timings.items(), key=lambda item: -item[1][2]):
            print(f"  {seconds:7.3f} s  {cpu:7.3f} s  {count:6d}×  {kind}")
        if options.no_cprofile:
            return
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(options.top)
        stats.sort_stats("cumulative").print_stats(options.top)
    finally:
        Shop.objects.filter(pk=shop.pk).delete()
        team.delete()


if __name__ == "__main__":
    main()
