from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from accounts.roles import Role

from .factories import SHANGHAI, at, make_shop, make_team, make_user

CLOCK_AHEAD = "--clock-ahead"


def pytest_addoption(parser):
    parser.addoption(
        CLOCK_AHEAD,
        action="store_true",
        help=(
            "Run with the process clock a year ahead of today, at 23:30 Shanghai time, "
            "so a test that depends on the real date fails now rather than next month."
        ),
    )


def clock_ahead_destination(today: datetime) -> datetime:
    """A year after ``today``, at 23:30 in Shanghai: late enough that quiet hours, business
    hours and "today" all differ from a daytime run."""
    local = today.astimezone(SHANGHAI)
    return datetime(local.year + 1, local.month, min(local.day, 28), 23, 30, tzinfo=SHANGHAI)


@pytest.fixture(scope="session", autouse=True)
def _moved_process_clock(request):
    """With --clock-ahead the whole session runs on a moved, ticking clock (time-machine
    moves time.time(), datetime.now() and so Django's timezone.now() alike)."""
    if not request.config.getoption(CLOCK_AHEAD):
        yield None
        return
    with time_machine.travel(clock_ahead_destination(datetime.now(SHANGHAI)), tick=True):
        yield


def pytest_collection_modifyitems(config, items):
    """Tests that start other processes (workers, servers) read those processes' own real
    clock, which this process cannot move: the moved-clock pass leaves them out."""
    if not config.getoption(CLOCK_AHEAD):
        return
    skip = pytest.mark.skip(reason="starts processes whose clock --clock-ahead cannot move")
    for item in items:
        if {"slow", "faults", "bench"} & {mark.name for mark in item.iter_markers()}:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters, dashboard figures and
    import progress of one test must not decide another's outcome."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _chinese_to_begin_with():
    """Each test starts in the default language: a request that switched this thread to
    English must not decide what the next test reads."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def now():
    """A fixed moment, Monday 2026-11-23 10:30 in Shanghai, and the clock frozen there for
    the test: data made "now" and the views, jobs and services that read the clock agree."""
    moment = at(2026, 11, 23, 10, 30)
    with time_machine.travel(moment, tick=False):
        yield moment


@pytest.fixture
def memory_layer(settings):
    """The in-memory push layer of embedded mode (live/broker.py: one process, no Redis)."""
    from live import broker as live_broker

    settings.LIVE_BROKER_URL = "memory"
    live_broker._broker = None
    yield live_broker.broker()
    live_broker._broker = None


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def shop(team):
    return make_shop(team, code="shop-a", name="A店")


@pytest.fixture
def other_shop(db):
    """A shop of another team: nothing of it may ever show in shop A's pages."""
    return make_shop(make_team("别家团队"), code="shop-b", name="B店")


@pytest.fixture
def staff(shop):
    """One member of shop A for every role."""
    return {role: make_user(shop, role, username=f"{role.value}_a") for role in Role}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
