"""Reads of the assessment app, scoped to the user (out of scope = NotFound).

Who reads an office's results: its head, team lead, supervisor and admin, and those of
the offices above it (the user's scope covers the office's jurisdiction). An officer
reads their own result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from inspectorate.assessment.models import AssessmentResult, Grade, OfficeAssessment, Scheme
from inspectorate.assessment.scoring import quota_exceeded, r1
from inspectorate.core.errors import NotFound
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import Role

READ_ROLES = (Role.HEAD, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN)
COMPUTE_ROLES = (Role.HEAD, Role.ADMIN)
# the enforcement officers an office assesses
ASSESSED_ROLES = (Role.OFFICER, Role.TEAM_LEAD)


def covers(user: Any, agency: Agency) -> bool:
    """The user's scope covers the office (the office itself or one above it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.scope.covers(str(agency.jurisdiction_id)))


def may_read_office(user: Any, agency: Agency) -> bool:
    if not covers(user, agency):
        return False
    if user.agency_id is None:
        return bool(user.is_superuser)
    return bool(user.has_role(*READ_ROLES))


def agency_for_reader(*, user: Any, agency_id: Any) -> Agency:
    try:
        agency = Agency.objects.select_related("jurisdiction").get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not may_read_office(user, agency):
        raise NotFound()
    return agency


def scheme_for(code: str, year: int) -> Scheme:
    """The province's scheme in force in ``year`` (its latest from that year or before),
    else the national default's."""
    province = code[:2].ljust(6, "0") if code else ""
    for key in (province, ""):
        scheme = Scheme.objects.filter(jurisdiction_code=key, year__lte=year).order_by("-year")
        found = scheme.first()
        if found is not None:
            return found
    raise NotFound()


def assessed_officers(agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency, is_active=True, roles__role__in=ASSESSED_ROLES)
        .distinct()
        .order_by("name", "username")
    )


def office_assessment(*, user: Any, agency_id: Any, year: int) -> OfficeAssessment | None:
    agency = agency_for_reader(user=user, agency_id=agency_id)
    return (
        OfficeAssessment.objects.filter(agency=agency, year=year)
        .select_related("agency", "scheme", "computed_by", "confirmed_by")
        .first()
    )


def office_results(office: OfficeAssessment) -> list[AssessmentResult]:
    return list(
        office.results.select_related("officer").order_by("-total", "officer__name", "officer_id")
    )


@dataclass
class OfficeSummary:
    agency: Agency
    office: OfficeAssessment | None
    officers: int  # the office's enforcement officers now
    assessed: int = 0
    average: Decimal | None = None
    grades: dict[str, int] = field(default_factory=dict)
    quota_exceeded: bool = False
    redistributed: int = 0
    no_basis: int = 0  # a total but no grade: too little of the weight rests on data

    @property
    def grade_rows(self) -> list[tuple[str, Any, int]]:
        return [(g.value, g.label, self.grades.get(g.value, 0)) for g in Grade]


def summarize(
    agency: Agency, office: OfficeAssessment | None, results: list[AssessmentResult], n: int
) -> OfficeSummary:
    summary = OfficeSummary(agency=agency, office=office, officers=n)
    totals = [r.total for r in results if r.total is not None]
    summary.assessed = len(totals)
    if totals:
        summary.average = r1(sum(totals, Decimal(0)) / len(totals))
    for r in results:
        if r.grade:
            summary.grades[r.grade] = summary.grades.get(r.grade, 0) + 1
    summary.redistributed = sum(1 for r in results if r.redistributed)
    summary.no_basis = sum(1 for r in results if r.total is not None and not r.grade)
    if office is not None:
        summary.quota_exceeded = quota_exceeded(
            summary.grades.get(Grade.EXCELLENT, 0), summary.assessed, office.scheme.excellent_quota
        )
    return summary


def offices_for_user(*, user: Any, year: int) -> list[OfficeSummary]:
    """One row per office of the user's scope that has enforcement officers (for a
    reader of offices; nothing for others)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.agency_id is not None and not user.has_role(*READ_ROLES):
        return []
    scope = user.scope
    if scope.prefix is None:
        return []
    agencies = list(
        Agency.objects.filter(scope.q("jurisdiction_id")).select_related("jurisdiction")
    )
    counts: dict[int, int] = {}
    for _uid, agency_id in (
        User.objects.filter(agency__in=agencies, is_active=True, roles__role__in=ASSESSED_ROLES)
        .values_list("id", "agency_id")
        .distinct()
    ):
        counts[agency_id] = counts.get(agency_id, 0) + 1
    offices = {
        o.agency_id: o
        for o in OfficeAssessment.objects.filter(agency__in=agencies, year=year).select_related(
            "scheme"
        )
    }
    results: dict[int, list[AssessmentResult]] = {}
    for r in AssessmentResult.objects.filter(office__in=offices.values()).select_related("office"):
        results.setdefault(r.office.agency_id, []).append(r)
    rows = [
        summarize(a, offices.get(a.pk), results.get(a.pk, []), counts.get(a.pk, 0))
        for a in agencies
        if counts.get(a.pk) or a.pk in offices
    ]
    rows.sort(key=lambda s: (s.agency.jurisdiction_id, s.agency.code))
    return rows


def result_get_for_user(*, user: Any, pk: Any) -> AssessmentResult:
    try:
        result = AssessmentResult.objects.select_related(
            "officer", "office", "office__agency", "office__scheme"
        ).get(pk=pk)
    except (AssessmentResult.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if user.is_authenticated and user.is_active and result.officer_id == user.pk:
        return result
    if may_read_office(user, result.office.agency):
        return result
    raise NotFound()


def own_results(*, user: Any) -> list[AssessmentResult]:
    if not user.is_authenticated:
        return []
    return list(
        AssessmentResult.objects.filter(officer=user)
        .select_related("office", "office__agency")
        .order_by("-year")
    )
