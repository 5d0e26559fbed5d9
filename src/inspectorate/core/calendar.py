"""Statutory time: working days (法定工作日) and calendar-day periods.

Working days follow the State Council's annual holiday notice, including make-up working
days on weekends (调休), through the ``chinese-calendar`` package. A period counted in
calendar days whose last day is a statutory rest day ends on the next working day
(行政诉讼法 Art. 83, 民事诉讼法 Art. 85; applied by analogy to administrative deadlines).
The calendar only knows the years the State Council has published: the package's, and
the years an administrator entered from the notice (``calendar_year_enter``, for a year
the package does not have yet). Asking about any other year raises ``CalendarUnknown``
instead of guessing. Entered years are read from the database once a minute per process.
"""

from __future__ import annotations

import datetime as dt
import time

import chinese_calendar
from django.utils.translation import gettext as _

from inspectorate.core.errors import ApplicationError


class CalendarUnknown(ApplicationError):
    default_code = "calendar_unknown"


ENTERED_TTL_SECONDS = 60.0
_entered: dict[int, tuple[float, tuple[frozenset[dt.date], frozenset[dt.date]] | None]] = {}


def calendar_reset() -> None:
    """Forget the entered years read so far (after one is entered or withdrawn)."""
    _entered.clear()


def _entered_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]] | None:
    """(holidays, make-up working days) of a year an administrator entered, if any."""
    now = time.monotonic()
    cached = _entered.get(year)
    if cached is not None and now - cached[0] < ENTERED_TTL_SECONDS:
        return cached[1]
    from django.db import DatabaseError

    from inspectorate.core.models import CalendarYear

    try:
        calendar = CalendarYear.objects.filter(year=year, withdrawn_at=None).first()
        days = list(calendar.days.values_list("day", "kind")) if calendar else []
    except (DatabaseError, RuntimeError):  # no database here (or not allowed, in a test)
        return None
    value = None
    if calendar is not None:
        value = (
            frozenset(d for d, kind in days if kind == "holiday"),
            frozenset(d for d, kind in days if kind == "workday"),
        )
    _entered[year] = (now, value)
    return value


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date, *, provisional: bool = False) -> bool:
    """Whether ``day`` is a working day.

    For a year whose holiday notice is neither in the package nor entered, raise
    ``CalendarUnknown``; with ``provisional`` count Monday to Friday instead (the caller
    marks what it computed as provisional, to be recounted when the notice is entered).
    """
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        entered = _entered_year(day.year)
        if entered is None and provisional:
            return day.weekday() < 5
        if entered is None:
            raise CalendarUnknown(
                _("The official holiday calendar for %(year)s has not been published yet.")
                % {"year": day.year}
            ) from exc
        holidays, workdays = entered
        if day in workdays:
            return True
        return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, *, provisional: bool = False) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current, provisional=provisional):
            remaining -= 1
    return current


def add_calendar_days(start: dt.date, days: int, *, provisional: bool = False) -> dt.date:
    """The last day of a period of ``days`` calendar days from ``start``.

    The day the period starts is not counted; when the last day is a statutory rest day
    the period ends on the next working day.
    """
    end = start + dt.timedelta(days=days)
    while not is_working_day(end, provisional=provisional):
        end += dt.timedelta(days=1)
    return end


def working_days_between(start: dt.date, end: dt.date, *, provisional: bool = False) -> int:
    """Working days in the half-open interval (start, end]."""
    if end <= start:
        return 0
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(n), provisional=provisional)
    )


def working_days_in_year(year: int) -> int:
    first = dt.date(year, 1, 1)
    return working_days_between(first - dt.timedelta(days=1), dt.date(year, 12, 31))
