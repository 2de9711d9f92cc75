"""What limits the load: sampled once a second while locust runs.

- The whole machine's busy CPU (from /proc/stat), so the share the bench's own
  processes got can be set against what other work on the machine took.
- The PostgreSQL backends serving the bench database: their CPU time (from /proc, by
  the pids pg_stat_activity names) and what the active ones were waiting on (nothing =
  running or runnable on a CPU, Lock = a row or table lock, LWLock, IO, Client…).
"""

import os
import threading
from collections import Counter
from pathlib import Path

import psycopg2

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ACTIVITY = """
    SELECT pid, state, coalesce(wait_event_type, 'CPU')
    FROM pg_stat_activity
    WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""


def machine_busy_seconds() -> float:
    """CPU seconds spent not idle since boot, all cores together."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Probe:
    def __init__(self, database_url: str, database: str, interval: float = 1.0):
        self.database_url, self.database, self.interval = database_url, database, interval
        self.waits: Counter = Counter()
        self.samples = 0
        self.backends: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.busy_before = machine_busy_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.busy = machine_busy_seconds() - self.busy_before
        self.postgres = sum(
            process_cpu_seconds(pid) - start for pid, start in self.backends.items()
        )
        return False

    def _run(self) -> None:
        try:
            connection = psycopg2.connect(self.database_url)
        except psycopg2.Error:
            return
        connection.autocommit = True
        try:
            while not self._stop.wait(self.interval):
                with connection.cursor() as cursor:
                    cursor.execute(ACTIVITY, [self.database])
                    rows = cursor.fetchall()
                self.samples += 1
                for pid, state, wait in rows:
                    if pid not in self.backends:
                        self.backends[pid] = process_cpu_seconds(pid)
                    if state == "active":
                        self.waits[wait] += 1
                    elif state == "idle in transaction":
                        self.waits["idle in transaction"] += 1
        finally:
            connection.close()

    def summary(self, ours: float) -> str:
        """``ours``: CPU seconds of the bench's own processes (gunicorn, Celery, locust)."""
        postgres = self.postgres
        others = max(self.busy - ours - postgres, 0.0)
        lines = [
            f"Machine CPU busy during the load: {self.busy:.1f} core-seconds, of which "
            f"gunicorn+Celery+locust {ours:.1f}, PostgreSQL backends of the bench database "
            f"{postgres:.1f}, everything else on the machine {others:.1f}"
        ]
        if self.samples:
            waits = ", ".join(
                f"{name} {count / self.samples:.1f}" for name, count in self.waits.most_common()
            )
            lines.append(
                f"PostgreSQL backends of the bench database, average busy at once "
                f"({self.samples} samples): {waits or 'none'}"
            )
        return "\n".join(lines)
