"""The order import in the embedded mode (SQLite), as `scripts/run` gives a new shop.

The rest of the suite runs on PostgreSQL; the import's bulk writes and its temporary
tables are written for both, and this runs the real commands against a fresh SQLite file
so a statement only PostgreSQL accepts cannot slip into the embedded mode again."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "orders" / "fixtures"


def _manage(database: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _report(database: Path, name: str) -> dict:
    out = _manage(database, "import_orders", str(FIXTURES / name), "--shop", "demo-a", "--json")
    return json.loads(out.strip().splitlines()[-1])


def test_orders_and_items_import_on_sqlite(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    _manage(database, "migrate", "-v", "0")
    _manage(database, "add_shop", "demo-a", "演示店", "--platform", "taobao")

    orders = _report(database, "ExportOrderList202611231030.csv")
    items = _report(database, "ExportOrderDetailList202611231030.csv")
    again = _report(database, "ExportOrderList202611231030.csv")

    assert orders["created"] == 11
    assert [error["line"] for error in orders["errors"]] == [13]
    assert orders["problems"]["duplicate_orders"] == 2
    assert items["created"] == 3
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 11)
    assert again["problems"] == {}
