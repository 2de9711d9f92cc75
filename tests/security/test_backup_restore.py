"""Drill: back up the database, restore it into a fresh one, compare every table's rows."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlunsplit

import pytest
from django.db import connection

from accounts.roles import Role
from tests.factories import make_order

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump drill needs PostgreSQL"),
]


def _url_for(database: str) -> str:
    settings = connection.settings_dict
    netloc = f"{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}"
    return urlunsplit(("postgres", netloc, f"/{database}", "", ""))


def _row_counts(url: str) -> dict[str, int]:
    query = (
        "SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename), "
        "' UNION ALL ') FROM pg_tables WHERE schemaname = 'public'"
    )
    union = subprocess.run(
        ["psql", url, "-qtAc", query], check=True, capture_output=True, text=True
    )
    rows = subprocess.run(
        ["psql", url, "-qtAF", "\t", "-c", union.stdout.strip()],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    return {name: int(count) for name, count in (line.split("\t") for line in rows if line)}


def test_backup_restores_into_a_fresh_database_with_every_row(staff, shop, tmp_path):
    for _ in range(5):
        make_order(shop)
    source = _url_for(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restore_drill"
    admin = _url_for("postgres")
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {restored_name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {restored_name}"], check=True)
    try:
        env = {**os.environ, "DATABASE_URL": source}
        dump = tmp_path / "drill.dump"
        subprocess.run([ROOT / "scripts/backup", dump], env=env, check=True, capture_output=True)
        target = _url_for(restored_name)
        subprocess.run([ROOT / "scripts/restore", dump, target], check=True, capture_output=True)

        before, after = _row_counts(source), _row_counts(target)
        assert after == before
        assert after["orders_order"] == 5 and after["accounts_user"] == len(Role)

        again = subprocess.run(
            [ROOT / "scripts/restore", dump, target], capture_output=True, text=True
        )
        assert again.returncode == 1 and "empty database" in again.stderr
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {restored_name}"])
