"""Statutory working days (法定工作日) and calendar-day periods, on the State Council's notices.

The dates below were checked against ``chinese_calendar`` (the 2026 notice: 春节
2026-02-15..02-23 with make-up working Saturdays 02-14 and 02-28; 国庆 10-01..10-07).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from inspectorate.core.calendar import (
    CalendarUnknown,
    add_calendar_days,
    add_working_days,
    is_working_day,
    working_days_between,
    working_days_in_year,
)
from inspectorate.core.errors import ApplicationError

D = dt.date


@pytest.mark.parametrize(("year", "days"), [(2024, 251), (2025, 248), (2026, 248)])
def test_working_days_per_year(year: int, days: int) -> None:
    assert working_days_in_year(year) == days


def test_the_library_agrees_on_2026() -> None:
    one = dt.timedelta(days=1)
    day, count = D(2026, 1, 1), 0
    while day.year == 2026:
        count += chinese_calendar.is_workday(day)
        day += one
    assert count == 248


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),  # Friday before the holiday
        (D(2026, 2, 14), True),  # Saturday, make-up working day (调休)
        (D(2026, 2, 15), False),  # first day of the Spring Festival holiday (Sunday)
        (D(2026, 2, 16), False),
        (D(2026, 2, 23), False),  # last day of the holiday (Monday)
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 3, 1), False),  # ordinary Sunday
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, make-up working day for National Day
        (D(2026, 9, 25), False),  # 中秋节 (Friday)
    ],
)
def test_is_working_day_follows_the_2026_notice(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (D(2026, 2, 12), 1, D(2026, 2, 13)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the make-up Saturday counts
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # the whole holiday is skipped
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 13), 6, D(2026, 2, 28)),  # ... and so does the second make-up Saturday
        (D(2026, 2, 9), 15, D(2026, 3, 6)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
)
def test_add_working_days_across_the_spring_festival(
    start: dt.date, days: int, end: dt.date
) -> None:
    assert add_working_days(start, days) == end


def test_add_working_days_rejects_negative_days() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(D(2026, 3, 2), -1)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        # 90 days from 立案 on 2026-07-03: day 90 is 2026-10-01, inside the National Day
        # holiday, so the period ends on the first working day after it.
        (D(2026, 7, 3), 90, D(2026, 10, 8)),
        (D(2026, 7, 9), 90, D(2026, 10, 8)),  # day 90 is 10-07, the holiday's last day
        (D(2026, 7, 1), 90, D(2026, 9, 29)),  # day 90 is a Tuesday: no shift
        # day 90 is 2026-02-18, inside the Spring Festival holiday
        (D(2025, 11, 20), 90, D(2026, 2, 24)),
        (D(2026, 2, 18), 10, D(2026, 2, 28)),  # a make-up Saturday is a working day
        (D(2026, 2, 25), 10, D(2026, 3, 9)),  # ordinary Sunday 03-07 → Monday 03-09
    ],
)
def test_add_calendar_days_moves_a_last_day_on_a_rest_day(
    start: dt.date, days: int, end: dt.date
) -> None:
    assert add_calendar_days(start, days) == end


def test_working_days_between_is_half_open() -> None:
    # (02-12, 02-28]: 02-13, 02-14, 02-24, 02-25, 02-26, 02-27, 02-28
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 28)) == 7
    assert working_days_between(D(2026, 2, 15), D(2026, 2, 23)) == 0
    assert working_days_between(D(2026, 3, 5), D(2026, 3, 5)) == 0
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 5)) == 0


def test_an_unpublished_year_is_unknown_not_guessed() -> None:
    with pytest.raises(CalendarUnknown) as info:
        is_working_day(D(2027, 1, 4))
    assert isinstance(info.value, ApplicationError)
    assert info.value.code == "calendar_unknown"
    assert "2027" in info.value.message
    with pytest.raises(CalendarUnknown):
        working_days_in_year(2027)
    with pytest.raises(CalendarUnknown):
        add_working_days(D(2026, 12, 30), 5)  # runs into 2027
    with pytest.raises(CalendarUnknown):
        add_calendar_days(D(2026, 12, 1), 45)
