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
    soak = subprocess.Popen(
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
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, _ = soak.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        soak.terminate()  # the soak stops its run command before it exits
        stdout, _ = soak.communicate(timeout=90)
        pytest.fail(f"the soak did not finish within 240 s:\n{stdout}")
    result = json.loads(stdout.strip().splitlines()[-1])
    assert result["failures"] == [], stdout
    assert soak.returncode == 0
    assert result["messages_acked"] == result["messages_posted"] > 0
    assert result["messages_stored"] == result["messages_acked"]
    assert result["greeted"] == result["conversations"] > 0
    assert result["worker_kills"] == 1 and result["worker_ready_s"][0] <= 10
    assert result["critical_lines"] == 0
