"""Every read of accidents, scoped by the place's jurisdiction code (ARCHITECTURE rule 1).

Staff see the accidents whose place lies in their office's subtree; an enterprise user and
anyone without a scope see none. Out of scope is the same ``NotFound`` as a missing id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from inspectorate.accidents.models import Accident, CasualtyUpdate, ChainStep, ResponsibilityFinding
from inspectorate.core.errors import NotFound
from inspectorate.core.models import Deadline, RecordEvent
from inspectorate.core.record import subject_of


def accident_queryset_for_user(*, user: Any) -> QuerySet[Accident]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return Accident.objects.none()
    return Accident.objects.filter(user.scope.q("jurisdiction_code"))


def accident_list_for_user(*, user: Any, state: str = "", grade: str = "") -> QuerySet[Accident]:
    qs = (
        accident_queryset_for_user(user=user)
        .select_related("enterprise")
        .prefetch_related(Prefetch("chain", queryset=ChainStep.objects.order_by("seq")))
    )
    if state:
        qs = qs.filter(state=state)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("-occurred_at", "-id")


def accident_get_for_user(*, user: Any, pk: Any) -> Accident:
    try:
        return (
            accident_queryset_for_user(user=user)
            .select_related("enterprise", "agency", "created_by")
            .get(pk=pk)
        )
    except (Accident.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def chain_of(accident: Accident) -> list[ChainStep]:
    return list(
        ChainStep.objects.filter(accident=accident)
        .select_related("reported_by")
        .prefetch_related("notices")
        .order_by("seq")
    )


def updates_of(accident: Accident) -> list[CasualtyUpdate]:
    return list(CasualtyUpdate.objects.filter(accident=accident).select_related("recorded_by"))


def findings_of(accident: Accident) -> list[ResponsibilityFinding]:
    return list(
        ResponsibilityFinding.objects.filter(accident=accident).select_related(
            "case", "violation", "recorded_by"
        )
    )


def deadlines_of(accident: Accident) -> list[Deadline]:
    subject_type, subject_id = subject_of(accident)
    return list(
        Deadline.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .prefetch_related("extensions")
        .order_by("start_date", "id")
    )


def open_deadline(accident: Accident, kind: str) -> Deadline | None:
    subject_type, subject_id = subject_of(accident)
    return (
        Deadline.objects.filter(
            subject_type=subject_type,
            subject_id=subject_id,
            kind=kind,
            met_at=None,
            cancelled_at=None,
        )
        .order_by("-id")
        .first()
    )


def events_of(accident: Accident) -> list[RecordEvent]:
    subject_type, subject_id = subject_of(accident)
    return list(
        RecordEvent.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
            "occurred_at", "id"
        )
    )


def overdue_steps(steps: list[ChainStep], now: dt.datetime | None = None) -> list[ChainStep]:
    moment = now or timezone.now()
    return [s for s in steps if s.is_overdue(moment)]
