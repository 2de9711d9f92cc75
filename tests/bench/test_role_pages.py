"""The per-role page check runs to the end in its small mode and finds every status as the
permission table promises (bench/role_pages.py; the full run's table is in bench/RESULTS.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .test_run_all import database_url

pytestmark = [pytest.mark.bench, pytest.mark.slow]

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "role_pages.py"


def test_every_role_gets_each_page_or_a_403_as_the_permissions_say(django_db_setup):
    if connection.vendor != "postgresql":
        pytest.skip("the check fills its database with bench/generate.py (COPY)")
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
    done = subprocess.run(
        [sys.executable, SCRIPT, "--small", "--runs", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 12  # the heading and one row per page
    assert "0 with an unexpected status" in done.stdout
