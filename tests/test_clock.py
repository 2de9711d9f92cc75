"""The one clock: tests move it, and --clock-ahead moves the whole process a year on."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from time_machine import escape_hatch

from helpdesk import clock

from .conftest import CLOCK_AHEAD
from .factories import SHANGHAI, at


def _real_now():
    seconds = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    return datetime.fromtimestamp(seconds, tz=UTC)


def test_the_now_fixture_freezes_the_clock_there(now):
    assert clock.now() == now == at(2026, 11, 23, 10, 30)


def test_the_process_clock_is_a_year_ahead_late_at_night_only_with_the_option(request):
    ahead = clock.now() - _real_now()
    if request.config.getoption(CLOCK_AHEAD):
        assert ahead > timedelta(days=360)
        assert clock.now().astimezone(SHANGHAI).hour == 23
    else:
        assert abs(ahead) < timedelta(minutes=1)


@pytest.mark.django_db
def test_pages_read_the_moved_clock(client, staff, now):
    from accounts.roles import Role

    client.force_login(staff[Role.AFTER_SALE])
    assert client.get("/").status_code == 200
    assert clock.now() == now


PRODUCT_READS_OF_THE_CLOCK = (
    "timezone.now(",
    "timezone.localtime()",
    "timezone.localdate()",
    "datetime.now(",
    "datetime.utcnow(",
    "date.today(",
    "time.time(",
)


# The clock itself, and the embedded broker's transport: its visibility timeout is about
# real processes and real seconds, not the business moment a job acts at.
TRANSPORT_CLOCKS = {"helpdesk/clock.py", "helpdesk/broker.py"}


def test_only_the_clock_module_reads_the_time():
    """Product code takes ``now`` from helpdesk.clock (and passes it down), so one
    time-machine travel moves every page, service and job together."""
    root = Path(__file__).resolve().parents[1]
    skipped = {".venv", "tests", "bench", "migrations", "var", "static", "scripts"}
    offenders = [
        f"{path.relative_to(root)}: {needle}"
        for path in root.rglob("*.py")
        if not skipped & set(path.relative_to(root).parts)
        and path.relative_to(root).as_posix() not in TRANSPORT_CLOCKS
        for needle in PRODUCT_READS_OF_THE_CLOCK
        if needle in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
