"""Every read of penalty cases, scoped: staff by jurisdiction, an enterprise by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from inspectorate.cases import rules
from inspectorate.cases.models import Case, CaseState, ConsistencyFlag
from inspectorate.core.errors import NotFound
from inspectorate.core.models import Deadline

#: What the party sees: from the notice of the intended penalty on.
PARTY_STATES = (
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.DECIDING,
    CaseState.DECIDED,
    CaseState.EXECUTING,
    CaseState.ENFORCEMENT,
    CaseState.CLOSING,
    CaseState.CLOSED,
    CaseState.ARCHIVED,
)
OPEN_STATES = (
    CaseState.FILING,
    CaseState.INVESTIGATING,
    CaseState.REVIEWING,
    CaseState.LEGAL_REVIEW,
    CaseState.DISCUSSION,
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.DECIDING,
    CaseState.DECIDED,
    CaseState.EXECUTING,
    CaseState.ENFORCEMENT,
    CaseState.CLOSING,
)


#: The stored column that holds a scope's prefix, by the prefix's length.
_SCOPE_COLUMNS = {2: "province_code", 4: "prefecture_code", 6: "jurisdiction_code"}


def case_queryset_for_user(*, user: Any) -> QuerySet[Case]:
    """The cases the user may see. A scope is an equality on the stored province,
    prefecture or county code, so that the list is read in id order from an index."""
    scope = user.scope
    if scope.enterprise_ids:
        return Case.objects.filter(enterprise_id__in=scope.enterprise_ids, state__in=PARTY_STATES)
    column = _SCOPE_COLUMNS.get(len(scope.prefix or ""))
    if column is not None:
        return Case.objects.filter(**{column: scope.prefix})
    return Case.objects.filter(scope.q("jurisdiction_code"))


def case_get_for_user(*, user: Any, pk: Any) -> Case:
    try:
        return (
            case_queryset_for_user(user=user)
            .select_related(
                "enterprise",
                "agency",
                "filed_by",
                "investigator_1",
                "investigator_2",
                "decided_by",
                "proposal",
                "case_file",
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def _involving(user: Any) -> QuerySet[Case, Any]:
    """The ids of the cases the user investigates or reviewed (whoever proposes a case is
    its first investigator): three index lookups, united."""

    def part(**where: Any) -> QuerySet[Case, Any]:
        return Case.objects.filter(**where).order_by().values("pk")

    return part(investigator_1=user).union(part(investigator_2=user), part(reviewer=user))


def case_list_for_user(*, user: Any, state: str = "", mine: bool = False) -> QuerySet[Case]:
    """The cases the user may see, newest first (served by the scope's index in id order;
    "mine" by the user's cases looked up through their own indexes)."""
    base = case_queryset_for_user(user=user)
    if mine and user.agency_id is not None and not user.scope.enterprise_ids:
        # a user works on their own office's cases: within the scope by construction
        base = Case.objects.filter(agency_id=user.agency_id, pk__in=_involving(user))
    elif mine:
        base = base.none()
    qs = base.select_related("enterprise").order_by("-id")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    return qs


def case_deadlines(case: Case) -> list[Deadline]:
    return list(
        Deadline.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).order_by(
            "start_date", "id"
        )
    )


def open_deadline(case: Case, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        subject_type="cases.case",
        subject_id=str(case.pk),
        kind=kind,
        met_at=None,
        cancelled_at=None,
    ).first()


def workbench(*, user: Any, today: dt.date | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The user's open cases with their nearest running deadline, most urgent first."""
    today = today or timezone.localdate()
    cases = list(
        case_list_for_user(user=user, state="open", mine=not user.has_role("head"))
        .select_related("enterprise")
        .order_by("-id")[:500]
    )
    if not cases:
        return []
    deadlines: dict[str, Deadline] = {}
    for d in Deadline.objects.filter(
        subject_type="cases.case",
        subject_id__in=[str(c.pk) for c in cases],
        met_at=None,
        cancelled_at=None,
    ).order_by("due_date"):
        deadlines.setdefault(d.subject_id, d)
    rows: list[dict[str, Any]] = []
    keys: list[tuple[str, int, int]] = []
    for case in cases:
        deadline = deadlines.get(str(case.pk))
        days_left = (deadline.due_date - today).days if deadline else None
        if days_left is None:
            urgency = "none"
        elif days_left < 0:
            urgency = "overdue"
        elif days_left <= 3:
            urgency = "soon"
        else:
            urgency = "later"
        rows.append(
            {"case": case, "deadline": deadline, "days_left": days_left, "urgency": urgency}
        )
        keys.append((urgency, days_left or 0, -case.pk))
    order = {"overdue": 0, "soon": 1, "later": 2, "none": 3}
    ranked = sorted(zip(keys, rows, strict=True), key=lambda p: (order[p[0][0]], *p[0][1:]))
    return [row for _key, row in ranked][:limit]


def flags_for_user(*, user: Any) -> QuerySet[ConsistencyFlag]:
    return (
        ConsistencyFlag.objects.filter(user.scope.q("jurisdiction_code"))
        .select_related("case", "violation__provision", "acknowledged_by")
        .order_by("-flagged_on", "-id")
    )


def documents_of(case: Case) -> list[Any]:
    from inspectorate.core.models import IssuedDocument

    interview_ids = [str(i) for i in case.interviews.values_list("pk", flat=True)]
    return list(
        IssuedDocument.objects.filter(
            Q(subject_type="cases.case", subject_id=str(case.pk))
            | Q(subject_type="cases.interview", subject_id__in=interview_ids)
        ).order_by("issued_at", "id")
    )


#: Documents the party receives (the others are the office's internal forms).
PARTY_DOCUMENTS = frozenset(
    {
        "interview_record",
        "penalty_notice",
        "hearing_notice",
        "hearing_record",
        "penalty_decision",
        "simple_decision",
        "service_receipt",
        "payment_reminder",
    }
)


def decision_deadline_kind() -> str:
    return rules.DECISION
