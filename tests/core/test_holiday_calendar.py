"""A year the calendar package does not have, entered by an administrator from the notice.

The days below are a test arrangement, not the real 2027 notice (which this project does
not have): holidays on 2027-01-01 and 2027-02-08..02-12, make-up Saturday 2027-02-20.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspectorate.core.calendar import (
    CalendarUnknown,
    add_working_days,
    calendar_reset,
    is_working_day,
)
from inspectorate.core.errors import PermissionDenied, ValidationFailed
from inspectorate.core.holidays import calendar_year_enter, calendar_year_withdraw, parse_days
from inspectorate.core.models import CalendarYear, RecordEvent
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
HOLIDAYS = [D(2027, 1, 1), *[D(2027, 2, d) for d in range(8, 13)]]
WORKDAYS = [D(2027, 2, 20)]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    calendar_reset()
    yield
    calendar_reset()


@pytest.fixture
def admin(world: World) -> object:
    return UserFactory(username="prov_cal_admin", agency=world.province, roles=[Role.ADMIN])


def test_an_entered_year_counts_working_days(world: World, admin: object) -> None:
    with pytest.raises(CalendarUnknown):
        add_working_days(D(2026, 12, 28), 10)
    calendar_year_enter(
        actor=admin,
        year=2027,
        source="测试用节假日安排（非真实通知）",
        holidays=HOLIDAYS,
        workdays=WORKDAYS,
    )
    calendar_reset()  # what the commit does (on_commit does not run inside a test transaction)
    assert not is_working_day(D(2027, 1, 1))  # a Friday off
    assert is_working_day(D(2027, 1, 4))
    assert not is_working_day(D(2027, 1, 9))  # an ordinary Saturday
    assert is_working_day(D(2027, 2, 20))  # the make-up Saturday
    # 2026-12-28 (Mon) + 10: 12-29, 12-30, 12-31, [01-01 off], 01-04 … 01-08, 01-11, 01-12
    assert add_working_days(D(2026, 12, 28), 10) == D(2027, 1, 12)
    # across the test Spring Festival: 02-05 (Fri) + 5 → 02-15, 16, 17, 18, 19
    assert add_working_days(D(2027, 2, 5), 5) == D(2027, 2, 19)
    assert add_working_days(D(2027, 2, 5), 6) == D(2027, 2, 20)
    assert RecordEvent.objects.filter(kind="core.calendar_year_entered").count() == 1


def test_bad_entries_are_refused_field_by_field(world: World, admin: object) -> None:
    with pytest.raises(ValidationFailed) as exc:
        calendar_year_enter(
            actor=admin,
            year=2027,
            source=" ",
            holidays=[D(2026, 12, 31)],
            workdays=[D(2027, 2, 17), D(2027, 2, 20)],
        )
    assert set(exc.value.extra["fields"]) == {"source", "days", "workdays"}
    with pytest.raises(ValidationFailed) as exc:
        calendar_year_enter(actor=admin, year=2026, source="x", holidays=HOLIDAYS, workdays=[])
    assert "year" in exc.value.extra["fields"]  # the package has 2026
    with pytest.raises(PermissionDenied):
        calendar_year_enter(
            actor=world.tianshan_admin, year=2027, source="x", holidays=HOLIDAYS, workdays=[]
        )
    assert not CalendarYear.objects.exists()


def test_a_mistaken_entry_is_withdrawn_and_entered_again(world: World, admin: object) -> None:
    calendar_year_enter(actor=admin, year=2027, source="第一次", holidays=HOLIDAYS, workdays=[])
    with pytest.raises(ValidationFailed):
        calendar_year_enter(actor=admin, year=2027, source="第二次", holidays=HOLIDAYS, workdays=[])
    calendar_year_withdraw(actor=admin, year=2027, reason="漏录调休上班日")
    calendar_reset()
    with pytest.raises(CalendarUnknown):
        is_working_day(D(2027, 2, 20))
    calendar_year_enter(
        actor=admin, year=2027, source="第二次", holidays=HOLIDAYS, workdays=WORKDAYS
    )
    calendar_reset()
    assert is_working_day(D(2027, 2, 20))
    assert CalendarYear.objects.count() == 2


def test_parse_days_and_the_command(world: World, admin: object) -> None:
    assert parse_days(["2027-02-08:2027-02-10", "2027-01-01，2027-10-01"]) == [
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 2, 10),
        D(2027, 1, 1),
        D(2027, 10, 1),
    ]
    with pytest.raises(ValidationFailed):
        parse_days(["2027-02-31"])
    call_command(
        "holiday_calendar",
        "enter",
        "2027",
        "--by",
        "prov_cal_admin",
        "--source",
        "测试用",
        "--holidays",
        "2027-01-01",
        "2027-02-08:2027-02-12",
        "--workdays",
        "2027-02-20",
    )
    assert CalendarYear.objects.get().days.count() == 7
    with pytest.raises(CommandError):
        call_command("holiday_calendar", "show", "2028")
