"""The CI hook of the benchmarks: every bench script runs to the end in its small mode.

``bench/run_all --small --jobs 2`` runs in a subprocess against the test database (the
benches that need a database of their own derive its name from it). A bench that misses
its aim does not fail this test; one that crashes does (run_all exits 1). The figures of a
small run on a shared machine are not a measurement: bench/RESULTS.md holds those.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.bench, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RUN_ALL = ROOT / "bench" / "run_all"
# About a minute and a half on an idle 2-core machine; the margin is for a busy one.
TIMEOUT = 300


def database_url(settings_dict: dict) -> str:
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@"
        f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )


def test_every_bench_runs_in_small_mode(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("the benches need PostgreSQL")
    with django_db_blocker.unblock():
        major_version = connection.pg_version // 10000
    listed = subprocess.run(
        [sys.executable, RUN_ALL, "--list"], capture_output=True, text=True, check=True
    )
    benches = listed.stdout.split()
    assert len(benches) >= 8

    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
    process = subprocess.Popen(
        [sys.executable, RUN_ALL, "--small", "--jobs", "2", "--timeout", "240"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output, errors = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.terminate()  # run_all ends the benches it started
        output, errors = process.communicate()
        pytest.fail(f"bench/run_all --small took over {TIMEOUT} s:\n{errors[-4000:]}")

    assert process.returncode == 0, errors[-4000:]
    table_rows = [line for line in output.splitlines() if line.startswith("| ")]
    for bench in benches:
        assert any(row.startswith(f"| {bench} |") for row in table_rows), bench
    assert "CRASHED" not in output
    assert f"PostgreSQL {major_version}" in output
