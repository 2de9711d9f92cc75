"""The embedded mode (SQLite), as `scripts/run` gives a new shop.

The rest of the suite runs on PostgreSQL. The order import's bulk writes and temporary
tables and the dashboard's plain-SQL reads are written for both; this runs them against a
fresh SQLite file so a statement only PostgreSQL accepts cannot slip in again."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


DASHBOARD = """
from datetime import timedelta
from decimal import Decimal
from django.test import Client
from django.utils import timezone
from accounts.models import Membership, Shop, User
from kpi.days import local_day
from kpi.models import ShopDay, ShopDsr
shop = Shop.objects.get(code="demo-a")
owner = User.objects.create_user("owner", team=shop.team)
Membership.objects.create(user=owner, shop=shop, role="manager")
now = timezone.now()
yesterday = local_day(now) - timedelta(days=1)
ShopDay.objects.create(shop=shop, day=yesterday, computed_at=now, orders=7, sales=Decimal("99.50"))
ShopDsr.objects.create(
    shop=shop, day=yesterday, description=Decimal("4.81"), service=Decimal("4.79"),
    logistics=Decimal("4.80"), recorded_at=now, source="form",
)
client = Client()
client.force_login(owner)
response = client.get("/kpi/", {"shop": "demo-a"}, HTTP_HOST="127.0.0.1")
print(response.status_code, "99.50" in response.content.decode(), "4.81" in response.content.decode())
"""


def test_orders_and_items_import_and_the_dashboard_on_sqlite(tmp_path):
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

    output = _manage(database, "shell", "-c", DASHBOARD)
    status, sales_shown, dsr_shown = output.strip().splitlines()[-1].split()
    assert (status, sales_shown, dsr_shown) == ("200", "True", "True")
