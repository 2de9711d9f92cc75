"""Review import speed, as ratios against reading the same CSV with the csv module.

    DATABASE_URL=... .venv/bin/python bench/reviews_import.py [--small] [--json]

Generates a GB18030 review export (50,000 rows; 2,000 with --small), then times, in the
same run: the baseline (decode + csv.reader over the file), the first import (all
created), a re-import (all unchanged) and the parse alone. Runs against DATABASE_URL in a
throw-away shop that is deleted afterwards. --json ends the output with the figures as one
JSON line (for bench/run_all)."""

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from accounts.models import Shop, Team  # noqa: E402
from reviews.importing import ImportReport, read_rows, reviews_import  # noqa: E402
from tests.exports import generated_review_rows, review_export  # noqa: E402


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = 2_000 if args.small else 50_000
    data = review_export(list(generated_review_rows(rows)))
    team = Team.objects.create(name="bench")
    shop = Shop.objects.create(team=team, code="bench-reviews", name="bench")
    try:
        now = timezone.now()
        baseline = timed(lambda: list(csv.reader(io.StringIO(data.decode("gb18030")))))
        parse = timed(lambda: read_rows(data, ImportReport()))
        first = timed(lambda: reviews_import(actor=None, shop=shop, data=data, now=now))
        again = timed(lambda: reviews_import(actor=None, shop=shop, data=data, now=now))
    finally:
        shop.reviews.all().delete()
        shop.buyers.all().delete()
        shop.delete()
        team.delete()
    print(f"rows: {rows}")
    print(f"baseline csv.reader: {baseline:.3f}s ({rows / baseline:,.0f} rows/s)")
    for name, seconds in [("parse", parse), ("first import", first), ("re-import", again)]:
        print(
            f"{name}: {seconds:.3f}s = {seconds / baseline:.1f}x baseline ({rows / seconds:,.0f} rows/s)"
        )
    if args.json:
        measures = [
            {
                "measure": f"{name} of {rows:,} rows vs csv.reader",
                "ours": seconds * 1000,
                "baseline": baseline * 1000,
                "unit": "ms",
            }
            for name, seconds in [("first import", first), ("re-import", again), ("parse", parse)]
        ]
        print(json.dumps({"bench": "reviews_import", "measures": measures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
