"""Entering a year's statutory holiday arrangement from the State Council's notice.

``chinese-calendar`` publishes each year's arrangement some weeks after the State Council
announces it (usually in November for the next year). Until then every deadline that
reaches into that year is refused (``CalendarUnknown``). A province-level administrator
enters the notice here — the days off and the make-up working days — and the working-day
calendar uses it for that year. An entry is never edited: a mistaken one is withdrawn
and the year entered again; both are in the enforcement record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.calendar import calendar_reset, package_knows
from inspectorate.core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from inspectorate.core.models import CalendarDay, CalendarDayKind, CalendarYear
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind


def _require_calendar_admin(actor: Any) -> str:
    """A province-level administrator (or a superuser); returns the record's jurisdiction."""
    agency = getattr(actor, "agency", None)
    if getattr(actor, "is_superuser", False):
        return agency.jurisdiction_id if agency is not None else "000000"
    if agency is None or not actor.has_role("admin") or agency.jurisdiction.level != "province":
        raise PermissionDenied(
            _("Only an administrator of a province-level office enters the holiday calendar.")
        )
    return str(agency.jurisdiction_id)


def parse_days(values: Iterable[str]) -> list[dt.date]:
    """Days as ``YYYY-MM-DD`` or ranges ``YYYY-MM-DD:YYYY-MM-DD`` (both ends included)."""
    days: list[dt.date] = []
    for value in values:
        for part in str(value).replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            start_text, _sep, end_text = part.partition(":")
            try:
                start = dt.date.fromisoformat(start_text.strip())
                end = dt.date.fromisoformat(end_text.strip()) if end_text else start
            except ValueError as exc:
                raise ValidationFailed.of_fields(
                    {"days": [_("Not a date or a range of dates: %(value)s") % {"value": part}]}
                ) from exc
            if end < start:
                raise ValidationFailed.of_fields(
                    {"days": [_("A range must end after it starts: %(value)s") % {"value": part}]}
                )
            days += [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    return days


@transaction.atomic
def calendar_year_enter(
    *,
    actor: Any,
    year: int,
    source: str,
    holidays: list[dt.date],
    workdays: list[dt.date],
) -> CalendarYear:
    code = _require_calendar_admin(actor)
    errors: dict[str, list[str]] = {}
    if package_knows(year):
        errors["year"] = [_("The official calendar package already has %(year)s.") % {"year": year}]
    elif CalendarYear.objects.filter(year=year, withdrawn_at=None).exists():
        errors["year"] = [
            _("%(year)s was already entered; withdraw it first to correct it.") % {"year": year}
        ]
    if not source.strip():
        errors["source"] = [_("Name the State Council notice (title and number).")]
    if not holidays:
        errors["holidays"] = [_("List the days off of the notice.")]
    outside = sorted({d for d in [*holidays, *workdays] if d.year != year})
    if outside:
        errors["days"] = [
            _("These days are not in %(year)s: %(days)s")
            % {"year": year, "days": ", ".join(d.isoformat() for d in outside)}
        ]
    weekdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekdays:
        errors["workdays"] = [
            _("A make-up working day is a Saturday or a Sunday: %(days)s")
            % {"days": ", ".join(d.isoformat() for d in weekdays)}
        ]
    both = sorted(set(holidays) & set(workdays))
    if both:
        errors["workdays"] = [
            _("These days are both off and working days: %(days)s")
            % {"days": ", ".join(d.isoformat() for d in both)}
        ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    calendar = CalendarYear.objects.create(year=year, source=source.strip(), entered_by=actor)
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar=calendar, day=d, kind=CalendarDayKind.HOLIDAY)
            for d in sorted(set(holidays))
        ]
        + [
            CalendarDay(calendar=calendar, day=d, kind=CalendarDayKind.WORKDAY)
            for d in sorted(set(workdays))
        ]
    )
    record_append(
        kind=RecordKind.CALENDAR_YEAR_ENTERED,
        actor=actor,
        jurisdiction_code=code,
        subject=calendar,
        payload={
            "year": year,
            "source": calendar.source,
            "holidays": sorted(set(holidays)),
            "workdays": sorted(set(workdays)),
        },
    )
    transaction.on_commit(_reset_and_recount)
    return calendar


def _reset_and_recount() -> None:
    """Forget the cached calendar and recount the deadlines counted without it."""
    from inspectorate.core.deadlines import recount_provisional

    calendar_reset()
    recount_provisional()


@transaction.atomic
def calendar_year_withdraw(*, actor: Any, year: int, reason: str) -> CalendarYear:
    """Withdraw an entered year (a mistake); deadlines already computed keep their dates."""
    code = _require_calendar_admin(actor)
    calendar = CalendarYear.objects.select_for_update().filter(year=year, withdrawn_at=None).first()
    if calendar is None:
        raise IllegalTransition(_("No entered calendar of %(year)s is in force.") % {"year": year})
    if not reason.strip():
        raise ValidationFailed.of_fields({"reason": [_("A reason is required.")]})
    calendar.withdrawn_at = timezone.now()
    calendar.save(update_fields=["withdrawn_at"])
    record_append(
        kind=RecordKind.CALENDAR_YEAR_WITHDRAWN,
        actor=actor,
        jurisdiction_code=code,
        subject=calendar,
        payload={"year": year, "reason": reason.strip()},
    )
    transaction.on_commit(calendar_reset)
    return calendar
