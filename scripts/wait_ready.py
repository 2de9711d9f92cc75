"""Wait until the embedded stack is up: /healthz answers 200 (database and broker) and the
Celery worker has written its ready file. Exit 1 after the timeout. Standard library only.

    python scripts/wait_ready.py http://127.0.0.1:8000/healthz VAR_DIR/worker.ready --timeout 90
"""

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def web_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("healthz")
    parser.add_argument("worker_ready_file", type=Path)
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if args.worker_ready_file.exists() and web_ok(args.healthz):
            return 0
        time.sleep(0.5)
    return 1


if __name__ == "__main__":
    sys.exit(main())
