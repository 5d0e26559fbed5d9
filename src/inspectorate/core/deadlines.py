"""Deadlines as data (ARCHITECTURE rule 5).

A deadline is started by a workflow transition with its legal basis and its count
(calendar or working days). Pauses push the due date back by their length in calendar
days (working-day deadlines are recounted from the paused days); approved extensions add
days in the deadline's own count. "Overdue" is computed when read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.calendar import (
    CalendarUnknown,
    add_calendar_days,
    add_working_days,
    working_days_between,
)
from inspectorate.core.errors import IllegalTransition, ValidationFailed
from inspectorate.core.models import DayCount, Deadline, DeadlineExtension, DeadlinePause
from inspectorate.core.record import record_append, subject_of
from inspectorate.core.record_kinds import RecordKind


@dataclass(frozen=True)
class DeadlineRule:
    """A kind of deadline as the law states it; rules live with the workflow that uses them."""

    kind: str
    days: int
    day_count: DayCount
    legal_basis: str


def compute_due(deadline: Deadline, *, today: dt.date | None = None) -> tuple[dt.date, bool]:
    """The due date and whether it is provisional.

    The due date is the period, plus approved extensions, plus the days spent paused. A
    pause covers the days from ``started_on`` up to (not including) ``ended_on``; an open
    pause runs up to ``today``. For a working-day deadline only the working days inside
    the pause are given back.

    Where the count reaches a year whose holiday notice has not been published (nor
    entered), it is made with Monday to Friday as working days and marked provisional: it
    is recounted when the notice is entered (``recount_provisional``).
    """
    try:
        return _due(deadline, today=today, provisional=False), False
    except CalendarUnknown:
        return _due(deadline, today=today, provisional=True), True


def compute_due_date(deadline: Deadline, *, today: dt.date | None = None) -> dt.date:
    return compute_due(deadline, today=today)[0]


def _due(deadline: Deadline, *, today: dt.date | None, provisional: bool) -> dt.date:
    today = today or timezone.localdate()
    total = deadline.days + sum(e.days for e in deadline.extensions.all())
    one = dt.timedelta(days=1)
    if deadline.day_count == DayCount.WORKING:
        paused = sum(
            working_days_between(
                p.started_on - one, (p.ended_on or today) - one, provisional=provisional
            )
            for p in deadline.pauses.all()
        )
        return add_working_days(deadline.start_date, total + paused, provisional=provisional)
    paused = sum(p.length_days(today) for p in deadline.pauses.all())
    return add_calendar_days(deadline.start_date, total + paused, provisional=provisional)


def _set_due(deadline: Deadline, *, today: dt.date | None = None) -> None:
    deadline.due_date, deadline.provisional = compute_due(deadline, today=today)
    deadline.save(update_fields=["due_date", "provisional"])


def recount_provisional() -> int:
    """Recount every open provisional deadline (after a holiday notice was entered)."""
    count = 0
    for deadline in Deadline.objects.filter(provisional=True, met_at=None, cancelled_at=None):
        _set_due(deadline)
        count += 1
    return count


def is_overdue(deadline: Deadline, *, now: dt.date | None = None) -> bool:
    """Whether the deadline has run out on ``now``.

    While a pause is open the clock is stopped: the stored due date (computed when the
    pause began) no longer holds, so the due date is recomputed up to ``now``.
    """
    today = now or timezone.localdate()
    if not deadline.is_open or today <= deadline.due_date:
        return False  # pauses and extensions only ever move the due date later
    if not deadline.pauses.filter(ended_on=None).exists():
        return True
    return today > compute_due_date(deadline, today=today)


def deadline_start(
    *, rule: DeadlineRule, subject: Model, jurisdiction_code: str, start_date: dt.date
) -> Deadline:
    subject_type, subject_id = subject_of(subject)
    deadline = Deadline(
        subject_type=subject_type,
        subject_id=subject_id,
        jurisdiction_code=jurisdiction_code,
        kind=rule.kind,
        legal_basis=rule.legal_basis,
        day_count=rule.day_count,
        days=rule.days,
        start_date=start_date,
        due_date=start_date,
    )
    deadline.save()
    _set_due(deadline)
    return deadline


def deadline_fixed(
    *,
    kind: str,
    legal_basis: str,
    subject: Model,
    jurisdiction_code: str,
    start_date: dt.date,
    due_date: dt.date,
) -> Deadline:
    """A deadline whose date an authority set (e.g. in an order), kept as it was set."""
    subject_type, subject_id = subject_of(subject)
    return Deadline.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        jurisdiction_code=jurisdiction_code,
        kind=kind,
        legal_basis=legal_basis,
        day_count=DayCount.CALENDAR,
        days=(due_date - start_date).days,
        start_date=start_date,
        due_date=due_date,
    )


def deadline_stop(*, subject: Model, kind: str | None = None) -> int:
    subject_type, subject_id = subject_of(subject)
    qs = Deadline.objects.filter(
        subject_type=subject_type, subject_id=subject_id, met_at=None, cancelled_at=None
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(met_at=timezone.now())


def _locked(deadline_id: int) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline_id)


@transaction.atomic
def deadline_pause(*, deadline_id: int, actor: Any, reason: str, on: dt.date) -> Deadline:
    deadline = _locked(deadline_id)
    if not deadline.is_open:
        raise IllegalTransition(_("This deadline is no longer running."))
    if deadline.pauses.filter(ended_on=None).exists():
        raise IllegalTransition(_("This deadline is already paused."))
    if not reason.strip():
        raise ValidationFailed(
            _("The data is not valid."), extra={"fields": {"reason": [_("A reason is required.")]}}
        )
    DeadlinePause.objects.create(deadline=deadline, reason=reason, started_on=on)
    record_append(
        kind=RecordKind.DEADLINE_PAUSED,
        actor=actor,
        jurisdiction_code=deadline.jurisdiction_code,
        subject=(deadline.subject_type, deadline.subject_id),
        payload={"deadline": deadline.kind, "reason": reason, "on": on},
    )
    return deadline


@transaction.atomic
def deadline_resume(*, deadline_id: int, actor: Any, on: dt.date) -> Deadline:
    deadline = _locked(deadline_id)
    pause = deadline.pauses.filter(ended_on=None).first()
    if pause is None:
        raise IllegalTransition(_("This deadline is not paused."))
    if on < pause.started_on:
        raise ValidationFailed(
            _("The data is not valid."),
            extra={"fields": {"on": [_("A pause cannot end before it started.")]}},
        )
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    _set_due(deadline, today=on)
    record_append(
        kind=RecordKind.DEADLINE_RESUMED,
        actor=actor,
        jurisdiction_code=deadline.jurisdiction_code,
        subject=(deadline.subject_type, deadline.subject_id),
        payload={"deadline": deadline.kind, "on": on, "due_date": deadline.due_date},
    )
    return deadline


@transaction.atomic
def deadline_extend(*, deadline_id: int, approver: Any, days: int, reason: str) -> Deadline:
    deadline = _locked(deadline_id)
    if not deadline.is_open:
        raise IllegalTransition(_("This deadline is no longer running."))
    errors: dict[str, list[str]] = {}
    if days <= 0:
        errors["days"] = [_("An extension must be at least one day.")]
    if not reason.strip():
        errors["reason"] = [_("A reason is required.")]
    if errors:
        raise ValidationFailed(_("The data is not valid."), extra={"fields": errors})
    DeadlineExtension.objects.create(
        deadline=deadline, days=days, reason=reason, approved_by=approver
    )
    _set_due(deadline)
    record_append(
        kind=RecordKind.DEADLINE_EXTENDED,
        actor=approver,
        jurisdiction_code=deadline.jurisdiction_code,
        subject=(deadline.subject_type, deadline.subject_id),
        payload={
            "deadline": deadline.kind,
            "days": days,
            "reason": reason,
            "due_date": deadline.due_date,
        },
    )
    return deadline
