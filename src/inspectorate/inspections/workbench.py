"""Reads for the inspection pages that ``selectors`` does not give: the officer's workbench
(planned inspections due this month, the colleagues who may inspect with them) and the
versions of a checklist. Every read is scoped to the user's own office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from inspectorate.inspections.models import (
    ChecklistVersion,
    Inspection,
    InspectionState,
    VersionState,
)
from inspectorate.inspections.selectors import my_inspections
from inspectorate.org.models import CertificateStatus, User
from inspectorate.org.roles import Role
from inspectorate.planning.models import PlannedVisit, PlanOfficer, PlanState
from inspectorate.registry.models import Enterprise
from inspectorate.registry.selectors import enterprise_queryset_for_user

INSPECTOR_ROLES = (Role.OFFICER, Role.TEAM_LEAD)
MY_INSPECTIONS_SHOWN = 50  # the in-progress ones, then the latest closed ones


def my_inspections_in_order(*, user: Any) -> list[Inspection]:
    """The user's inspections: those in progress first, then the latest, at most 50."""
    qs = my_inspections(user=user).annotate(
        open_first=Case(
            When(state=InspectionState.IN_PROGRESS, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return list(qs.order_by("open_first", "-started_at", "-id")[:MY_INSPECTIONS_SHOWN])


def planned_visits_due(*, user: Any, today: dt.date) -> list[PlannedVisit]:
    """The planned inspections of the user's office due this month and not yet carried out.

    From the office's approved (or filed) plan of this year; visits of the user's own team
    first. ``visit.mine`` says whether the user is in the visit's team.
    """
    if getattr(user, "agency_id", None) is None:
        return []
    mine = PlanOfficer.objects.filter(team=OuterRef("team"), officer=user.pk)
    qs = (
        PlannedVisit.objects.filter(
            plan__agency=user.agency_id,
            plan__state__in=[PlanState.APPROVED, PlanState.FILED],
            plan__year=today.year,
            cancelled=False,
            month=today.month,
            inspections__isnull=True,
        )
        .select_related("unit__enterprise__sector", "team")
        .annotate(mine=Exists(mine))
        .order_by("-mine", "unit__enterprise__name", "id")
    )
    return list(qs)


def planned_visit_due(*, user: Any, today: dt.date, pk: Any) -> PlannedVisit | None:
    """One of ``planned_visits_due``, or None."""
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        return None
    return next((v for v in planned_visits_due(user=user, today=today) if v.pk == wanted), None)


def colleagues_for(*, user: Any, on: dt.date) -> QuerySet[User]:
    """Active officers of the user's office with a valid certificate on ``on``, not the user:
    who may be the second officer of an inspection (行政处罚法 Art. 42)."""
    if getattr(user, "agency_id", None) is None:
        return User.objects.none()
    return (
        User.objects.filter(
            agency=user.agency_id,
            is_active=True,
            roles__role__in=INSPECTOR_ROLES,
            certificates__status=CertificateStatus.VALID,
            certificates__valid_from__lte=on,
            certificates__valid_until__gte=on,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("name", "username")
    )


def teammate_for(*, visit: PlannedVisit, user: Any) -> int | None:
    """Another officer of the visit's team, if the user is in it (to suggest as second)."""
    if visit.team_id is None:
        return None
    members = list(
        PlanOfficer.objects.filter(team=visit.team_id).values_list("officer_id", flat=True)
    )
    if user.pk not in members:
        return None
    return next((m for m in members if m != user.pk), None)


def enterprise_by_reference(*, user: Any, reference: str) -> Enterprise | None:
    """The enterprise in the user's scope with this credit code (18 characters) or number."""
    text = reference.strip().upper()
    qs = enterprise_queryset_for_user(user=user).select_related("sector")
    if len(text) == 18:
        return qs.filter(credit_code=text).first()
    if text.isdigit():
        return qs.filter(pk=int(text)).first()
    return None


def checklist_versions(*, code: str) -> list[ChecklistVersion]:
    """Every version of a checklist, newest first."""
    return list(ChecklistVersion.objects.filter(checklist__code=code).order_by("-number"))


def checklist_drafts() -> dict[int, int]:
    """checklist id -> the number of its draft version, for the checklists that have one."""
    return dict(
        ChecklistVersion.objects.filter(state=VersionState.DRAFT).values_list(
            "checklist_id", "number"
        )
    )
