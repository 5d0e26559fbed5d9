"""Inspection capacity of an office for a year, step by step (LEGAL-RULES §1.7).

The method of the 2017 编制办法 as applied in published county plans::

    国家法定工作日 = 365 − 双休日 − 法定节假日 (+ 调休上班日)   (from the official calendar)
    总法定工作日   = 国家法定工作日 × 执法人员数
    监督检查工作日 = 总法定工作日 − 其他执法工作日 − 非执法工作日

We then keep a reserve for unplanned work ("留有余地", Art. 6) and split the rest into days
for key units and days for random draws. One inspection by a team of two officers for half
a day uses one officer-day, so inspection working days are also team half days.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass
from decimal import ROUND_FLOOR, Decimal

from inspectorate.core.calendar import is_working_day, working_days_in_year
from inspectorate.planning.models import NON_ENFORCEMENT, OTHER_ENFORCEMENT


@dataclass(frozen=True)
class Capacity:
    year: int
    calendar_days: int
    weekend_days: int
    holidays_on_weekdays: int
    makeup_workdays: int
    working_days: int  # 国家法定工作日
    officers: int
    total_days: int  # 总法定工作日
    other_enforcement_days: int
    non_enforcement_days: int
    inspection_days: int  # 监督检查工作日 (= team half days)
    reserve_share: str
    reserve_days: int
    plannable_days: int
    random_share: str
    key_days: int  # for key units (重点检查)
    random_days: int  # for random draws (一般检查), before unused key days are added
    working_days_by_month: list[int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@functools.lru_cache(maxsize=16)
def _calendar(year: int) -> tuple[int, int, int, int, int, tuple[int, ...]]:
    """Calendar days, weekend days, holidays on weekdays, make-up working days, working
    days, and working days by month — from the official calendar, once per year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    calendar_days = (last - first).days + 1
    weekend = holidays = makeup = 0
    by_month = [0] * 12
    day = first
    while day <= last:
        weekday_off = day.weekday() >= 5
        working = is_working_day(day)
        if working:
            by_month[day.month - 1] += 1
        if weekday_off:
            weekend += 1
            if working:
                makeup += 1
        elif not working:
            holidays += 1
        day += dt.timedelta(days=1)
    working_days = working_days_in_year(year)
    if calendar_days - weekend - holidays + makeup != working_days or sum(by_month) != working_days:
        raise ValueError(f"calendar for {year} is inconsistent")
    return calendar_days, weekend, holidays, makeup, working_days, tuple(by_month)


def working_days_by_month(year: int) -> list[int]:
    return list(_calendar(year)[5])


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def capacity_compute(
    *,
    year: int,
    officers: int,
    deductions: dict[str, int],
    reserve_share: Decimal,
    random_share: Decimal,
) -> Capacity:
    """Raises ``CalendarUnknown`` for a year the official calendar does not cover yet."""
    calendar_days, weekend, holidays, makeup, working_days, by_month = _calendar(year)
    total = working_days * officers
    other = sum(deductions.get(str(c), 0) for c in OTHER_ENFORCEMENT)
    non = sum(deductions.get(str(c), 0) for c in NON_ENFORCEMENT)
    inspection = max(total - other - non, 0)
    reserve = _floor(inspection * reserve_share)
    plannable = inspection - reserve
    random_days = _floor(plannable * random_share)
    return Capacity(
        year=year,
        calendar_days=calendar_days,
        weekend_days=weekend,
        holidays_on_weekdays=holidays,
        makeup_workdays=makeup,
        working_days=working_days,
        officers=officers,
        total_days=total,
        other_enforcement_days=other,
        non_enforcement_days=non,
        inspection_days=inspection,
        reserve_share=str(reserve_share),
        reserve_days=reserve,
        plannable_days=plannable,
        random_share=str(random_share),
        key_days=plannable - random_days,
        random_days=random_days,
        working_days_by_month=list(by_month),
    )
