from datetime import time

import pytest

from tests.factories import at
from tickets.business_time import add_business_hours, business_seconds_between

NINE_TO_ELEVEN = {"open_": time(9), "close": time(23)}


def test_hours_inside_one_day_are_plain_hours():
    assert add_business_hours(at(2026, 11, 23, 10), 5, **NINE_TO_ELEVEN) == at(2026, 11, 23, 15)


def test_closed_hours_are_skipped():
    # 10:00 + 24 open hours: 13 h today (to 23:00), 11 h tomorrow from 09:00 -> 20:00
    assert add_business_hours(at(2026, 11, 23, 10), 24, **NINE_TO_ELEVEN) == at(2026, 11, 24, 20)


def test_a_start_at_night_counts_from_the_next_opening():
    assert add_business_hours(at(2026, 11, 23, 23, 30), 2, **NINE_TO_ELEVEN) == at(2026, 11, 24, 11)
    assert add_business_hours(at(2026, 11, 24, 3), 1, **NINE_TO_ELEVEN) == at(2026, 11, 24, 10)


def test_ending_exactly_at_closing_time_stays_that_day():
    assert add_business_hours(at(2026, 11, 23, 9), 14, **NINE_TO_ELEVEN) == at(2026, 11, 23, 23)


def test_48_hours_span_several_days():
    # 14 open hours a day: 48 = 14 (Mon from 09:00) + 14 + 14 + 6 -> Thursday 15:00
    assert add_business_hours(at(2026, 11, 23, 9), 48, **NINE_TO_ELEVEN) == at(2026, 11, 26, 15)


def test_around_the_clock_and_overnight_windows():
    assert add_business_hours(at(2026, 11, 23, 22), 5, open_=time(0), close=time(0)) == at(
        2026, 11, 24, 3
    )
    # open 20:00-02:00: from 01:00, one hour to 02:00, then from 20:00
    assert add_business_hours(at(2026, 11, 24, 1), 3, open_=time(20), close=time(2)) == at(
        2026, 11, 24, 22
    )


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2026, 11, 23, 10), at(2026, 11, 23, 12), 2),
        (at(2026, 11, 23, 22), at(2026, 11, 24, 10), 2),
        (at(2026, 11, 23, 23, 30), at(2026, 11, 24, 8), 0),
        (at(2026, 11, 23, 9), at(2026, 11, 26, 15), 48),
    ],
)
def test_business_seconds_between_is_the_inverse(start, end, hours):
    assert business_seconds_between(start, end, **NINE_TO_ELEVEN) == hours * 3600


def test_business_seconds_are_negative_after_the_deadline():
    seconds = business_seconds_between(at(2026, 11, 23, 12), at(2026, 11, 23, 10), **NINE_TO_ELEVEN)
    assert seconds == -2 * 3600
