"""Inspection capacity from the official calendar (LEGAL-RULES §1.7; planning.capacity).

The numbers of 2025 and 2026 are counted by hand from the State Council's holiday notices
(国办发明电〔2024〕12号 for 2025, the 2026 notice of November 2025):

2025 — 1 January is a Wednesday: 52 weeks and one day, so 104 Saturdays and Sundays.
Holidays on weekdays: 元旦 1-01; 春节 1-28…1-31, 2-03, 2-04 (6); 清明 4-04; 劳动节 5-01,
5-02, 5-05 (3); 端午 6-02; 国庆+中秋 10-01…10-03, 10-06…10-08 (6): 18. Make-up Saturdays
and Sundays: 1-26, 2-08, 4-27, 9-28, 10-11: 5. 365 − 104 − 18 + 5 = 248.

2026 — 1 January is a Thursday: again 104 weekend days. Holidays on weekdays: 元旦 1-01,
1-02 (2); 春节 2-16…2-20, 2-23 (6); 清明 4-06; 劳动节 5-01, 5-04, 5-05 (3); 端午 6-19;
中秋 9-25; 国庆 10-01, 10-02, 10-05…10-07 (5): 19. Make-up days: 1-04, 2-14, 2-28, 5-09,
9-20, 10-10: 6. 365 − 104 − 19 + 6 = 248.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from inspectorate.core.calendar import CalendarUnknown, is_working_day
from inspectorate.core.errors import ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.planning import services
from inspectorate.planning.capacity import capacity_compute, working_days_by_month
from inspectorate.planning.models import NON_ENFORCEMENT, OTHER_ENFORCEMENT, Plan
from tests.conftest import World

HOLIDAYS_ON_WEEKDAYS = {
    2025: [
        "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01",
        "05-02", "05-05", "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08",
    ],
    2026: [
        "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06",
        "05-01", "05-04", "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06",
        "10-07",
    ],
}  # fmt: skip
MAKEUP_WORKDAYS = {
    2025: ["01-26", "02-08", "04-27", "09-28", "10-11"],
    2026: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
}


def _day(year: int, md: str) -> dt.date:
    month, day = md.split("-")
    return dt.date(year, int(month), int(day))


def _compute(
    *,
    year: int = 2026,
    officers: int = 10,
    deductions: dict[str, int] | None = None,
    reserve: str = "0.10",
    random: str = "0.30",
) -> dict[str, Any]:
    return capacity_compute(
        year=year,
        officers=officers,
        deductions=deductions or {},
        reserve_share=Decimal(reserve),
        random_share=Decimal(random),
    ).as_dict()


@pytest.mark.parametrize(
    ("year", "weekend", "holidays", "makeup"), [(2025, 104, 18, 5), (2026, 104, 19, 6)]
)
def test_working_days_from_the_official_calendar(
    year: int, weekend: int, holidays: int, makeup: int
) -> None:
    c = _compute(year=year, officers=1)
    assert (
        c["calendar_days"],
        c["weekend_days"],
        c["holidays_on_weekdays"],
        c["makeup_workdays"],
        c["working_days"],
    ) == (365, weekend, holidays, makeup, 248)
    assert 365 - weekend - holidays + makeup == 248
    # the very days of the notice, as the calendar knows them
    assert len(HOLIDAYS_ON_WEEKDAYS[year]) == holidays
    assert len(MAKEUP_WORKDAYS[year]) == makeup
    for md in HOLIDAYS_ON_WEEKDAYS[year]:
        day = _day(year, md)
        assert day.weekday() < 5, day
        assert not is_working_day(day), day
    for md in MAKEUP_WORKDAYS[year]:
        day = _day(year, md)
        assert day.weekday() >= 5, day
        assert is_working_day(day), day


def test_working_days_by_month_2026() -> None:
    # e.g. February: 20 weekdays − 6 Spring Festival days + 2 make-up Saturdays = 16
    assert working_days_by_month(2026) == [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]
    assert sum(working_days_by_month(2026)) == 248


def test_total_is_working_days_times_officers() -> None:
    c = _compute(officers=7, reserve="0", random="0")
    assert (c["officers"], c["total_days"], c["inspection_days"]) == (7, 248 * 7, 1736)
    assert (c["reserve_days"], c["plannable_days"], c["random_days"], c["key_days"]) == (
        0,
        1736,
        0,
        1736,
    )


def test_the_worked_example() -> None:
    """10 officers, 100 days on duty and 50 on licensing."""
    c = _compute(officers=10, deductions={"duty": 100, "licensing": 50})
    assert c["total_days"] == 2480
    assert (c["other_enforcement_days"], c["non_enforcement_days"]) == (50, 100)
    assert c["inspection_days"] == 2330
    assert c["reserve_days"] == 233  # 10 % of 2330
    assert c["plannable_days"] == 2097
    assert c["random_days"] == 629  # ⌊30 % of 2097 = 629.1⌋
    assert c["key_days"] == 1468
    assert (c["reserve_share"], c["random_share"]) == ("0.10", "0.30")


def test_every_category_is_deducted_in_its_group() -> None:
    assert len(OTHER_ENFORCEMENT) == 10
    assert len(NON_ENFORCEMENT) == 7
    other = {str(cat): i + 1 for i, cat in enumerate(OTHER_ENFORCEMENT)}  # 1..10: 55
    non = {str(cat): 100 * (i + 1) for i, cat in enumerate(NON_ENFORCEMENT)}  # 100..700: 2800
    c = _compute(officers=20, deductions=other | non, reserve="0", random="0")
    assert (c["other_enforcement_days"], c["non_enforcement_days"]) == (55, 2800)
    assert c["inspection_days"] == 4960 - 55 - 2800


def test_unknown_categories_do_not_count() -> None:
    c = _compute(officers=1, deductions={"holiday_party": 100}, reserve="0", random="0")
    assert c["inspection_days"] == 248


def test_floors() -> None:
    # 1 officer, 245 inspection days: reserve ⌊24.5⌋ = 24, plannable 221, random ⌊33.15⌋ = 33
    c = _compute(officers=1, deductions={"duty": 3}, reserve="0.10", random="0.15")
    assert (c["inspection_days"], c["reserve_days"], c["plannable_days"]) == (245, 24, 221)
    assert (c["random_days"], c["key_days"]) == (33, 188)
    # everything random
    c = _compute(officers=1, random="1.00", reserve="0.00")
    assert (c["random_days"], c["key_days"]) == (248, 0)


def test_deductions_above_the_total_leave_no_inspection_days() -> None:
    c = _compute(officers=1, deductions={"duty": 300})
    assert (c["inspection_days"], c["plannable_days"], c["key_days"]) == (0, 0, 0)


def test_a_year_the_calendar_does_not_know() -> None:
    with translation.override("en"), pytest.raises(CalendarUnknown) as info:
        _compute(year=2030)
    assert info.value.code == "calendar_unknown"
    assert info.value.message == (
        "The official holiday calendar for 2030 has not been published yet."
    )


@pytest.mark.django_db
def test_plan_create_answers_a_field_error_for_such_a_year(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.plan_create(actor=world.tianshan_lead, year=2030, today=dt.date(2030, 1, 2))
    assert info.value.extra == {
        "fields": {"year": ["The official holiday calendar for 2030 has not been published yet."]}
    }
    assert (Plan.objects.count(), RecordEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2028])
def test_plan_create_only_this_year_or_the_next(world: World, year: int) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.plan_create(actor=world.tianshan_lead, year=year, today=dt.date(2026, 3, 1))
    assert info.value.extra == {
        "fields": {"year": ["A plan is made for this year or the next one."]}
    }
    assert Plan.objects.count() == 0
