"""Every read of checklists, inspections and findings, scoped to the user (rule 1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from inspectorate.core.errors import NotFound
from inspectorate.core.models import IssuedDocument
from inspectorate.core.record import subject_of
from inspectorate.core.scoping import Scope
from inspectorate.inspections.models import (
    Checklist,
    ChecklistVersion,
    Finding,
    FindingStatus,
    Inspection,
    VersionState,
)
from inspectorate.registry.models import Enterprise


def checklists_for_enterprise(enterprise: Enterprise) -> list[ChecklistVersion]:
    """The latest published version of every checklist that applies to the unit's sector."""
    versions = (
        ChecklistVersion.objects.filter(
            state=VersionState.PUBLISHED, checklist__sectors=enterprise.sector_id
        )
        .select_related("checklist")
        .order_by("checklist__code", "-number")
    )
    latest: dict[int, ChecklistVersion] = {}
    for version in versions:
        latest.setdefault(version.checklist_id, version)
    return sorted(latest.values(), key=lambda v: (v.checklist.code != "general", v.checklist.code))


def checklist_list() -> QuerySet[Checklist]:
    return Checklist.objects.annotate(
        latest_published=Max("versions__number", filter=Q(versions__state="published")),
        version_count=Count("versions", distinct=True),
    ).prefetch_related("sectors")


def checklist_get(code: str) -> Checklist:
    try:
        return Checklist.objects.prefetch_related("sectors").get(code=code)
    except Checklist.DoesNotExist as exc:
        raise NotFound() from exc


def checklist_version_get(code: str, number: int) -> ChecklistVersion:
    try:
        return ChecklistVersion.objects.select_related("checklist").get(
            checklist__code=code, number=number
        )
    except (ChecklistVersion.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def inspection_queryset_for_user(*, user: Any) -> QuerySet[Inspection]:
    scope = user.scope
    if scope.enterprise_ids:  # an enterprise user sees inspections of its own unit
        return Inspection.objects.filter(enterprise_id__in=scope.enterprise_ids)
    return Inspection.objects.filter(scope.q("jurisdiction_code"))


def inspection_get_for_user(*, user: Any, pk: Any) -> Inspection:
    try:
        return (
            inspection_queryset_for_user(user=user)
            .select_related(
                "enterprise__jurisdiction",
                "enterprise__sector",
                "agency",
                "lead_officer",
                "second_officer",
                "reinspection_of",
            )
            .get(pk=pk)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def inspection_detail(inspection: Inspection) -> dict[str, Any]:
    """The lines, findings, measures and documents of one inspection, in few queries."""
    answers = list(
        inspection.answers.select_related("item__checklist_version__checklist", "prior_finding")
    )
    findings = list(inspection.findings.prefetch_related("evidence__file").order_by("id"))
    by_answer: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.answer_id is not None:
            by_answer.setdefault(finding.answer_id, []).append(finding)
    measures = list(inspection.measures.prefetch_related("findings").select_related("document"))
    return {
        "answers": answers,
        "findings": findings,
        "findings_by_answer": by_answer,
        "measures": measures,
        "documents": inspection_documents(inspection, measures),
        "unanswered": sum(1 for a in answers if not a.result),
        "versions": list(inspection.checklist_versions.select_related("checklist")),
    }


def inspection_documents(inspection: Inspection, measures: list[Any]) -> list[IssuedDocument]:
    """Every document of an inspection: its record, its measures' decisions, its order."""
    from inspectorate.rectification.models import RectificationOrder

    subjects = [subject_of(inspection)] + [subject_of(m) for m in measures]
    subjects += [
        subject_of(order)
        for order in RectificationOrder.objects.filter(inspection=inspection).only("pk")
    ]
    q = Q(pk__in=[])
    for subject_type, subject_id in subjects:
        q |= Q(subject_type=subject_type, subject_id=subject_id)
    return list(IssuedDocument.objects.filter(q).order_by("issued_at", "id"))


def documents_for(subject: Any) -> list[IssuedDocument]:
    subject_type, subject_id = subject_of(subject)
    return list(
        IssuedDocument.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
            "issued_at", "id"
        )
    )


def document_get_for_user(*, user: Any, pk: Any) -> IssuedDocument:
    """An issued document, if the user may see its subject (staff by scope, enterprise by unit)."""
    try:
        document = IssuedDocument.objects.select_related("agency").get(pk=pk)
    except (IssuedDocument.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    scope = user.scope
    if scope.enterprise_ids:
        from inspectorate.rectification.selectors import enterprise_may_see_document

        if not enterprise_may_see_document(document, scope.enterprise_ids):
            raise NotFound()
        return document
    if not scope.covers(document.jurisdiction_code):
        raise NotFound()
    return document


def my_inspections(*, user: Any) -> QuerySet[Inspection]:
    return (
        inspection_queryset_for_user(user=user)
        .filter(Q(lead_officer=user) | Q(second_officer=user))
        .select_related("enterprise", "lead_officer", "second_officer")
        .annotate(
            unanswered=Count("answers", filter=Q(answers__result="")),
            finding_count=Count("findings", distinct=True),
        )
    )


@dataclass(frozen=True)
class HazardFilters:
    jurisdiction: str = ""  # a code prefix inside the user's scope
    grade: str = ""
    overdue: bool = False
    page: int = 1


HAZARD_PAGE_SIZE = 50


def hazard_queryset_for_user(*, user: Any) -> QuerySet[Finding]:
    scope = user.scope
    if scope.enterprise_ids:
        return Finding.objects.filter(enterprise_id__in=scope.enterprise_ids)
    return Finding.objects.filter(scope.q("jurisdiction_code"))


def open_hazards(
    *, user: Any, filters: HazardFilters, today: dt.date | None = None
) -> dict[str, Any]:
    """The open hazards of the user's subtree under rectification, most urgent first, one
    page at a time; findings of inspections still under way have no deadline yet and are
    counted apart ("awaiting").

    Served by the index (status, due_date, jurisdiction_code, grade): the page walks it in
    deadline order and stops after one row more than a page (to know whether there is a
    next one, instead of counting every match); the summary counts read only the index.
    Ordering must stay ``due_date, id`` (no NULLS LAST, which would sort every row).
    """
    today = today or timezone.localdate()
    base = hazard_queryset_for_user(user=user).filter(status=FindingStatus.OPEN)
    if filters.jurisdiction and user.scope.covers(filters.jurisdiction.ljust(6, "0")[:6]):
        base = base.filter(Scope(prefix=filters.jurisdiction).q("jurisdiction_code"))
    summary = base.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        major=Count("id", filter=Q(grade="major")),
        awaiting=Count("id", filter=Q(due_date__isnull=True)),
    )
    qs = base.filter(due_date__isnull=False)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    if filters.overdue:
        qs = qs.filter(due_date__lt=today)
    page = max(filters.page, 1)
    start = (page - 1) * HAZARD_PAGE_SIZE
    rows = list(
        qs.select_related("enterprise")
        .only(
            "id",
            "description",
            "grade",
            "due_date",
            "found_on",
            "jurisdiction_code",
            "violated_article",
            "inspection_id",
            "enterprise__id",
            "enterprise__name",
        )
        .order_by("due_date", "id")[start : start + HAZARD_PAGE_SIZE + 1]
    )
    return {
        "rows": rows[:HAZARD_PAGE_SIZE],
        "has_next": len(rows) > HAZARD_PAGE_SIZE,
        "page": page,
        "summary": summary,
        "today": today,
    }
