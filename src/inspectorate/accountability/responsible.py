"""Who answers for a subject: a small registry per subject type (``core.Deadline.subject_type``).

For each post's role (``Post.role``) a subject names one person:

| subject type                    | officer / team lead     | legal reviewer  | head                    |
|---------------------------------|-------------------------|-----------------|-------------------------|
| cases.case                      | the first investigator  | the reviewer    | who decided, else the office's head |
| rectification.rectificationorder| the officer who issued it | —             | the office's head       |
| inspections.inspection          | the lead inspector      | —               | the office's head       |
| oversight.supervisionorder      | the addressed office's head (every post)                       |
| any other subject type          | the head of the office of the deadline's jurisdiction          |

A subject the registry cannot load (deleted, or of an unknown type) falls back to the head of
the office of its jurisdiction. A role a subject does not name falls back to the head of the
subject's office.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from inspectorate.core.scoping import Scope
from inspectorate.org.models import Agency, AgencyKind, RoleAssignment
from inspectorate.org.roles import Role

OFFICER_ROLES = frozenset({Role.OFFICER, Role.TEAM_LEAD})


@dataclass(frozen=True)
class SubjectType:
    """How to read one subject type: its model, the related rows to load, the person a
    role names on it, its office, its label and its page."""

    model: str  # app_label.ModelName
    related: tuple[str, ...]
    person: Callable[[Any, str], int | None]
    agency_id: Callable[[Any], int | None]
    label: Callable[[Any], str]
    url_name: str | None = None


def _case_person(case: Any, role: str) -> int | None:
    if role in OFFICER_ROLES:
        return int(case.investigator_1_id)
    if role == Role.LEGAL_REVIEWER:
        return int(case.reviewer_id) if case.reviewer_id else None
    if role == Role.HEAD:
        return int(case.decided_by_id) if case.decided_by_id else None
    return None


def _case_label(case: Any) -> str:
    return f"{case.number or f'#{case.pk}'} · {case.enterprise.name} · {case.summary}"


def _order_person(order: Any, role: str) -> int | None:
    return int(order.issued_by_id) if role in OFFICER_ROLES else None


def _order_label(order: Any) -> str:
    number = order.document.number if order.document_id else f"#{order.pk}"
    return f"{number} · {order.enterprise.name}"


def _inspection_person(inspection: Any, role: str) -> int | None:
    return int(inspection.lead_officer_id) if role in OFFICER_ROLES else None


def _inspection_label(inspection: Any) -> str:
    return f"#{inspection.pk} · {inspection.enterprise.name} · {inspection.started_at:%Y-%m-%d}"


SUBJECT_TYPES: dict[str, SubjectType] = {
    "cases.case": SubjectType(
        model="cases.Case",
        related=("enterprise",),
        person=_case_person,
        agency_id=lambda c: c.agency_id,
        label=_case_label,
        url_name="cases:case-detail",
    ),
    "rectification.rectificationorder": SubjectType(
        model="rectification.RectificationOrder",
        related=("enterprise", "document"),
        person=_order_person,
        agency_id=lambda o: o.agency_id,
        label=_order_label,
        url_name="rectification:order-detail",
    ),
    "inspections.inspection": SubjectType(
        model="inspections.Inspection",
        related=("enterprise",),
        person=_inspection_person,
        agency_id=lambda i: i.agency_id,
        label=_inspection_label,
        url_name="inspections:detail",
    ),
    "oversight.supervisionorder": SubjectType(
        model="oversight.SupervisionOrder",
        related=("addressee",),
        person=lambda order, role: None,  # the addressed office's head answers
        agency_id=lambda order: order.addressee_id,
        label=lambda order: f"{order.title} · {order.addressee.name}",
        url_name="oversight:order-detail",
    ),
}


def register(subject_type: str, spec: SubjectType) -> None:
    """Another app names who answers for its subjects."""
    SUBJECT_TYPES[subject_type] = spec


class Registry:
    """One scan's reads: the subjects loaded in bulk, the offices' heads, the offices of
    jurisdictions (each read once)."""

    def __init__(self) -> None:
        self.subjects: dict[tuple[str, str], Any] = {}
        self._heads: dict[int, int | None] = {}
        self._office_of_code: dict[str, int | None] = {}

    def load(self, pairs: Iterable[tuple[str, str]]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for subject_type, subject_id in pairs:
            if subject_type in SUBJECT_TYPES and (subject_type, subject_id) not in self.subjects:
                wanted[subject_type].add(subject_id)
        for subject_type, ids in wanted.items():
            spec = SUBJECT_TYPES[subject_type]
            model = _model(spec.model)
            if model is None:
                continue
            pks = [int(i) for i in ids if i.isdigit()]
            for obj in model.objects.filter(pk__in=pks).select_related(*spec.related):
                self.subjects[(subject_type, str(obj.pk))] = obj

    def get(self, subject_type: str, subject_id: str) -> Any:
        return self.subjects.get((subject_type, subject_id))

    def person_for(
        self, subject_type: str, subject_id: str, *, role: str, jurisdiction_code: str
    ) -> tuple[int, int] | None:
        """(person id, office id) answering for the subject in the post of ``role``."""
        subject = self.get(subject_type, subject_id)
        spec = SUBJECT_TYPES.get(subject_type)
        if subject is None or spec is None:
            office = self.office_of_code(jurisdiction_code)
            head = self.head_of(office) if office is not None else None
            return (head, office) if head is not None and office is not None else None
        office = spec.agency_id(subject)
        if office is None:
            return None
        person = spec.person(subject, role)
        if person is None:
            person = self.head_of(office)
        return (person, office) if person is not None else None

    def label(self, subject_type: str, subject_id: str) -> str:
        subject = self.get(subject_type, subject_id)
        spec = SUBJECT_TYPES.get(subject_type)
        if subject is None or spec is None:
            return f"{subject_type} #{subject_id}"
        return spec.label(subject)

    def url(self, subject_type: str, subject_id: str) -> str:
        spec = SUBJECT_TYPES.get(subject_type)
        if spec is None or spec.url_name is None or self.get(subject_type, subject_id) is None:
            return ""
        try:
            return reverse(spec.url_name, args=[int(subject_id)])
        except (NoReverseMatch, ValueError):
            return ""

    def head_of(self, agency_id: int) -> int | None:
        if agency_id not in self._heads:
            self._heads.update(self.heads_of({agency_id}))
        return self._heads.get(agency_id)

    def heads_of(self, agency_ids: set[int]) -> dict[int, int | None]:
        """The head (机关负责人) of each office: its active user with the head role (the
        first by id)."""
        missing = agency_ids - set(self._heads)
        found: dict[int, int | None] = dict.fromkeys(missing)
        for user_id, agency_id in (
            RoleAssignment.objects.filter(
                role=Role.HEAD, user__agency_id__in=missing, user__is_active=True
            )
            .order_by("-user_id")
            .values_list("user_id", "user__agency_id")
        ):
            found[agency_id] = user_id
        self._heads.update(found)
        return {a: self._heads.get(a) for a in agency_ids}

    def office_of_code(self, code: str) -> int | None:
        """The office of a jurisdiction: its bureau, else its first office."""
        if code not in self._office_of_code:
            offices = list(
                Agency.objects.filter(jurisdiction_id=code).values_list("pk", "kind", "code")
            )
            offices.sort(key=lambda o: (o[1] != AgencyKind.BUREAU, o[2]))
            self._office_of_code[code] = offices[0][0] if offices else None
        return self._office_of_code[code]


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def omitted_transfer_rows(*, prefix: str, on: dt.date) -> list[Any] | None:
    """The referrals app's cases that met a transfer trigger and were not transferred, in
    the subtree ``prefix`` (None when the app offers no such list)."""
    try:
        selectors = importlib.import_module("inspectorate.referrals.selectors")
    except ImportError:
        return None
    by_prefix = getattr(selectors, "omitted_transfers_in", None)
    if by_prefix is not None:
        return list(by_prefix(prefix=prefix, on=on))
    by_user = getattr(selectors, "omitted_transfers", None)
    if by_user is None:
        return None
    return list(by_user(user=_ScopeUser(Scope(prefix=prefix)), on=on))


class _ScopeUser:
    """A reader that holds only a scope (the scan reads a subtree, not as a person)."""

    pk = None
    agency_id = None
    is_active = True

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def has_role(self, *roles: str) -> bool:
        return False
