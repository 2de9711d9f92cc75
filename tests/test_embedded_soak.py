"""The embedded stack survives its run command's working day, in CI's short mode: the
README's `scripts/run`, buyer messages through the signed bridge from several threads,
the Celery worker SIGKILLed in the middle (bench/soak.py; the full mode is 10 minutes)."""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_command_survives_buyer_traffic_and_a_killed_worker(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "bench/soak.py",
            "--short",
            "--port",
            str(_free_port()),
            "--var-dir",
            str(tmp_path / "var"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failures"] == [], done.stdout
    assert done.returncode == 0
    assert result["messages_acked"] == result["messages_posted"] > 0
    assert result["messages_stored"] == result["messages_acked"]
    assert result["greeted"] == result["conversations"] > 0
    assert result["worker_kills"] == 1 and result["worker_back_s"][0] <= 10
    assert result["critical_lines"] == 0
