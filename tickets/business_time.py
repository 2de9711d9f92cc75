"""Business-time arithmetic for SLA deadlines: pure functions, no database.

A shop works every calendar day (online shops sell at weekends and on holidays) between
``open`` and ``close`` local time. ``close`` earlier than ``open`` means a window that runs
past midnight (e.g. 20:00–02:00); ``open == close`` means around the clock. Times outside
the window do not count: a ticket opened at 23:30 with a 24-hour SLA on a 09:00–23:00
shop is due at 09:00 + 24 h of open time, i.e. two days later at 19:00.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DAY = timedelta(days=1)


def _windows_on(day: date, open_: time, close: time, tz) -> list[tuple[datetime, datetime]]:
    start_of_day = datetime.combine(day, time.min, tz)
    next_day = datetime.combine(day + _DAY, time.min, tz)
    if open_ == close:
        return [(start_of_day, next_day)]
    opening = datetime.combine(day, open_, tz)
    closing = datetime.combine(day, close, tz)
    if open_ < close:
        return [(opening, closing)]
    return [(start_of_day, closing), (opening, next_day)]


def _windows_from(moment: datetime, open_: time, close: time, tz) -> Iterator[tuple]:
    day = moment.astimezone(tz).date()
    while True:
        for start, end in _windows_on(day, open_, close, tz):
            if end > moment:
                yield max(start, moment), end
        day += _DAY


def add_business_hours(
    start: datetime, hours: float, *, open_: time, close: time, tz=SHANGHAI
) -> datetime:
    """The moment ``hours`` of open time after ``start``."""
    remaining = timedelta(hours=hours)
    if remaining <= timedelta(0):
        return start
    for window_start, window_end in _windows_from(start, open_, close, tz):
        span = window_end - window_start
        if remaining <= span:
            return (window_start + remaining).astimezone(start.tzinfo)
        remaining -= span
    raise AssertionError("unreachable: windows never end")


def business_seconds_between(
    start: datetime, end: datetime, *, open_: time, close: time, tz=SHANGHAI
) -> float:
    """Open time from ``start`` to ``end`` in seconds; negative when ``end`` is earlier."""
    if end < start:
        return -business_seconds_between(end, start, open_=open_, close=close, tz=tz)
    total = timedelta(0)
    for window_start, window_end in _windows_from(start, open_, close, tz):
        if window_start >= end:
            break
        total += min(window_end, end) - window_start
    return total.total_seconds()
