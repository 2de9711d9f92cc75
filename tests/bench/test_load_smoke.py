"""The load bench's own code, without running the load (bench/load/run --small takes
about two minutes on the CI machine: preparing, starting gunicorn and Celery, a baseline
pass and 20 s of load). Covered here: the refusal of a database not named for benches,
the sizes of --small, the table printed from locust's CSV, and that locust loads the
locustfile with the five kinds of user."""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "load"

STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run_module():
    return _module("run")


@pytest.fixture(scope="module")
def report():
    return _module("report")


def _stats_row(name, method, count, fails, rps, p50, p95, p99):
    return f"{method},{name},{count},{fails},{p50},{p50},1,{p99},100,{rps},0,{p50},{p50},{p50},{p95},{p95},{p95},{p99},{p99},{p99},{p99},{p99}\n"


def test_refuses_a_database_whose_name_lacks_bench(run_module):
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        run_module.refuse_unless_bench("postgres://helpdesk:pw@127.0.0.1:5432/helpdesk")
    with pytest.raises(SystemExit, match="PostgreSQL"):
        run_module.refuse_unless_bench(None)
    assert (
        run_module.refuse_unless_bench("postgres://helpdesk:pw@127.0.0.1:5432/helpdesk_load_bench")
        == "helpdesk_load_bench"
    )


def test_the_run_script_stops_before_starting_anything_on_a_non_bench_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://helpdesk:pw@127.0.0.1:5432/helpdesk_prod"}
    finished = subprocess.run(
        [LOAD / "run", "--small", "--out", tmp_path / "out"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "Refusing to run against database 'helpdesk_prod'" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_small_mode_is_ten_users_for_twenty_seconds(run_module):
    small = run_module.parse_args(["--small"])
    assert small.users == 10
    assert small.run_time == "20s"
    full = run_module.parse_args([])
    assert full.users == 74
    assert full.sizes["agents"] == 50
    assert full.run_time == "60s"
    assert run_module.parse_args(["--small", "--run-time", "5s"]).run_time == "5s"


def test_table_per_endpoint_with_baseline_ratio_and_errors(tmp_path, report):
    (tmp_path / "load_stats.csv").write_text(
        STATS_HEADER
        + _stats_row("chats queue poll", "GET", 300, 0, 5.0, 120, 400, 900)
        + _stats_row("chats reply", "POST", 20, 2, 0.3, 200, 500, 700)
        + _stats_row("Aggregated", "", 320, 2, 5.3, 130, 450, 900)
    )
    (tmp_path / "load_failures.csv").write_text(
        "Method,Name,Error,Occurrences\n"
        "POST,chats reply,409 conflict: held by another agent or closed,2\n"
    )
    (tmp_path / "base_stats.csv").write_text(
        STATS_HEADER + _stats_row("chats queue poll", "GET", 30, 0, 1.0, 40, 60, 80)
    )

    text = report.render(tmp_path / "load", baseline=tmp_path / "base")

    lines = text.splitlines()
    assert lines[0].split() == [
        "endpoint", "method", "requests", "errors", "req/s", "p50", "ms", "p95", "ms",
        "p99", "ms", "base", "p50", "ms", "p50", "×",
    ]  # fmt: skip
    queue = next(line for line in lines if line.startswith("chats queue poll"))
    assert queue.split()[3:] == ["GET", "300", "0", "5.0", "120", "400", "900", "40", "3.0"]
    reply = next(line for line in lines if line.startswith("chats reply"))
    assert reply.split()[-2:] == ["-", "-"]
    assert lines[4].startswith("Aggregated")
    assert "409 conflict: held by another agent or closed" in text


def test_columns_stay_aligned_with_chinese_error_text(report):
    rows = [{"endpoint": "买家发送", "count": 3}, {"endpoint": "login", "count": 12}]
    lines = report.table(rows, ("endpoint", "count")).splitlines()
    widths = {report.display_width(line) for line in lines}
    assert len(widths) == 1


def test_locust_loads_the_locustfile_with_every_kind_of_user():
    finished = subprocess.run(
        [ROOT / ".venv" / "bin" / "locust", "-f", LOAD / "locustfile.py", "--list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert finished.returncode == 0, finished.stderr
    for user in ("AgentUser", "SupervisorUser", "ImportUser", "WebChatBuyer", "BridgeBuyer"):
        assert user in finished.stdout


@pytest.mark.slow
@pytest.mark.bench
def test_a_short_load_run_serves_every_request_without_a_server_error(tmp_path):
    """The whole bench for a few seconds: prepare, gunicorn + Celery, baseline, load, report.
    Needs PostgreSQL and Redis (the suite's own); uses a database and Redis db of its own."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL and Redis")
    base, _name = database_url.rsplit("/", 1)
    redis_base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/helpdesk_ci_load_bench",
        "REDIS_URL": f"{redis_base}/14",
    }
    finished = subprocess.run(
        [LOAD / "run", "--small", "--run-time", "8s", "--port", "8193", "--out", tmp_path],
        env=env,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert "Server errors (5xx) logged by Django: none" in finished.stdout, finished.stdout[-3000:]
    assert "chats queue poll" in finished.stdout
