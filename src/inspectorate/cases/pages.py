"""Reads and small helpers for the case pages that ``selectors`` does not give: the
timeline of a case from the enforcement record, its deadlines and violations made ready to
show, the choices of the forms, the list page by keyset (no count over the whole table),
and the one place where a page form is checked against the case's version under its lock.

Every read starts from a scoped selector; the writes are the services'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.cases import actions, rules, selectors, workflows
from inspectorate.cases.models import (
    Case,
    CaseState,
    CaseViolation,
    EnforcementApplication,
    Hearing,
    PartyKind,
    PaymentArrangement,
    Provision,
    ProvisionParty,
)
from inspectorate.cases.workflows import CASE
from inspectorate.core.errors import NotFound, check_version
from inspectorate.core.models import DayCount, Deadline, RecordEvent
from inspectorate.core.record import subject_of
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition
from inspectorate.org.roles import Role

T = TypeVar("T")
PAGE_SIZE = 50

# --- money --------------------------------------------------------------------------------


def yuan(value: int | Decimal | None) -> str:
    """12,345 or 12,345.67 (the amounts of a case are whole yuan, payments yuan and fen)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def yuan_range(low: int, high: int) -> str:
    return f"{low:,}–{high:,}"


# --- labels ---------------------------------------------------------------------------------

#: The discretion tiers (``discretion.Tier``); each label ends in the Chinese term.
TIER_LABELS = {
    "none": gettext_lazy("No penalty (不予处罚)"),
    "waivable": gettext_lazy("May go unpunished (首违可不罚)"),
    "mitigated": gettext_lazy("Mitigated (减轻)"),
    "lighter": gettext_lazy("Lighter (从轻)"),
    "general": gettext_lazy("General (一般)"),
    "heavier": gettext_lazy("Heavier (从重)"),
    "fixed": gettext_lazy("Fixed by law (法定数额)"),
}

#: The deadlines of a case (``rules``).
DEADLINE_LABELS = {
    rules.DECISION: gettext_lazy("Decision limit"),
    rules.STATEMENT: gettext_lazy("Statement period"),
    rules.HEARING_REQUEST: gettext_lazy("Period to request a hearing"),
    rules.SERVICE: gettext_lazy("Service of the decision"),
    rules.PAYMENT: gettext_lazy("Payment of the fine"),
}

#: The time limits that bind the party (the others are the office's).
PARTY_DEADLINES = frozenset({rules.STATEMENT, rules.HEARING_REQUEST, rules.PAYMENT})

EXTENSION_LEVELS = {
    "head": gettext_lazy("Head of the office (本级)"),
    "upper": gettext_lazy("Head of the office one level up (上级)"),
}


def tier_label(tier: str) -> str:
    return str(TIER_LABELS.get(tier, tier))


def action_label(action: str) -> str:
    return CASE.action_label(action)


# --- the list, one page at a time ----------------------------------------------------------


@dataclass
class KeysetPage:
    """A page of a newest-first list: ``before`` (older than) or ``after`` (newer than) an
    id; one row more than the page is read to know whether there is another page."""

    rows: list[Any]
    has_next: bool
    has_previous: bool

    @property
    def next_before(self) -> int | None:
        return self.rows[-1].pk if self.rows and self.has_next else None

    @property
    def previous_after(self) -> int | None:
        return self.rows[0].pk if self.rows and self.has_previous else None


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def keyset_page(qs: QuerySet[Any], *, before: Any = None, after: Any = None) -> KeysetPage:
    """``qs`` ordered by -id: the page before (older than) ``before`` or after (newer than)
    ``after``; served by the (jurisdiction_code, [state,] id) indexes, never counted."""
    older, newer = _int(before), _int(after)
    if newer is not None:
        rows = list(qs.filter(pk__gt=newer).order_by("id")[: PAGE_SIZE + 1])
        more_newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        return KeysetPage(rows=rows, has_next=bool(rows), has_previous=more_newer)
    if older is not None:
        qs = qs.filter(pk__lt=older)
    rows = list(qs[: PAGE_SIZE + 1])
    return KeysetPage(
        rows=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE, has_previous=older is not None
    )


# --- the version the user saw, under the case's lock ----------------------------------------


def guarded(user: Any, case_id: Any, version: int | None, call: Callable[[], T]) -> T:
    """Run ``call`` (a service) once the case, locked, still has the ``version`` the form
    was made from: a change in between is a ``ConcurrentModification`` (409). Outside the
    user's scope the case is the same ``NotFound`` as a missing one."""
    with transaction.atomic():
        current = (
            selectors.case_queryset_for_user(user=user)
            .select_for_update(of=("self",))
            .filter(pk=case_id)
            .values_list("version", flat=True)
            .first()
        )
        if current is None:
            raise NotFound()
        check_version(current, version)
        return call()


# --- choices --------------------------------------------------------------------------------


def provisions_in_force(on: dt.date) -> list[Provision]:
    return list(
        Provision.objects.filter(effective_from__lte=on)
        .filter(Q(effective_until=None) | Q(effective_until__gte=on))
        .order_by("article", "item", "party", "stage")
    )


def _short_citation(p: Provision) -> str:
    return p.citation.replace("《中华人民共和国安全生产法》", "").strip() or p.citation


def provision_label(p: Provision) -> str:
    text = p.violation if len(p.violation) <= 48 else p.violation[:47] + "…"
    return f"{_short_citation(p)} {text}（{p.get_party_display()}）"


def provision_choices(
    on: dt.date, *, party_kind: str = "", party: str = ""
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The provisions in force on ``on``, grouped by article; only those that fit a case's
    party kind (a unit: the unit's bands; a person: the persons' and principals') or one
    provision party, when given."""
    groups: dict[int, list[tuple[str, str]]] = {}
    for p in provisions_in_force(on):
        if party_kind == PartyKind.UNIT and p.party != ProvisionParty.UNIT:
            continue
        if party_kind == PartyKind.PERSON and p.party == ProvisionParty.UNIT:
            continue
        if party and p.party != party:
            continue
        groups.setdefault(p.article, []).append((p.code, provision_label(p)))
    return [
        (_("Work Safety Law, Article %(n)s") % {"n": article}, rows)
        for article, rows in groups.items()
    ]


def colleague_choices(user: Any, on: dt.date) -> list[tuple[int, str]]:
    from inspectorate.inspections.workbench import colleagues_for

    return [(c.pk, c.get_full_name() or c.username) for c in colleagues_for(user=user, on=on)]


def chair_choices(case: Case) -> list[tuple[int, str]]:
    """Staff of the case's office who did not investigate it (行政处罚法 Art. 64)."""
    from inspectorate.org.models import User

    users = (
        User.objects.filter(
            agency=case.agency_id,
            is_active=True,
            roles__role__in=[Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.LEGAL_REVIEWER],
        )
        .exclude(pk__in=case.investigator_ids)
        .distinct()
        .order_by("name", "username")
    )
    return [(u.pk, u.get_full_name() or u.username) for u in users]


def proposals_awaiting(user: Any) -> QuerySet[Any]:
    """The penalty proposals of the user's office that no case has taken up yet."""
    from inspectorate.rectification.models import PenaltyProposal, ProposalState

    if getattr(user, "agency_id", None) is None:
        return PenaltyProposal.objects.none()
    return (
        PenaltyProposal.objects.filter(
            user.scope.q("jurisdiction_code"),
            agency=user.agency_id,
            state=ProposalState.PROPOSED,
        )
        .select_related("enterprise", "order")
        .order_by("proposed_on", "id")
    )


def proposal_label(p: Any) -> str:
    return f"{p.proposed_on:%Y-%m-%d} · {p.enterprise.name} · {p.get_reason_display()}"


# --- the workbench ---------------------------------------------------------------------------

#: Steps that are always possible for the head and say nothing about what is next.
_ALWAYS = {"terminate", "transfer"}


def offered(t: Transition, case: Case, user: Any, *, hearing: Any = None) -> bool:
    """Whether to offer step ``t`` to ``user``: its roles (the table) and who the user is on
    this case (an investigator does not review or decide; only the chair holds the hearing).
    The other guards (thresholds, periods) are the service's to explain when refused."""
    if t.action not in actions.STEPS:
        return False
    investigator = user.pk in case.investigator_ids
    if workflows.not_investigator in t.guards and investigator:
        return False
    if workflows.is_investigator in t.guards and not investigator:
        return False
    if workflows.is_chair in t.guards and hearing is not None:
        return bool(hearing.chair_id == user.pk)
    return True


def next_steps(case: Case, user: Any) -> list[str]:
    """What the user may do on the case now, as labels (the workflow steps first)."""
    if user.agency_id != case.agency_id:
        return []
    labels = [
        str(t.label)
        for t in CASE.actions_for(case, user)
        if offered(t, case, user) and t.action not in _ALWAYS
    ]
    if case.state == CaseState.INVESTIGATING and user.pk in case.investigator_ids:
        labels.insert(0, _("Record violations, evidence and interviews"))
    if case.state == CaseState.HEARING and user.has_role(Role.HEAD, Role.TEAM_LEAD):
        labels.append(_("Schedule the hearing"))
    if case.state in (CaseState.EXECUTING, CaseState.ENFORCEMENT) and user.has_role(
        Role.OFFICER, Role.TEAM_LEAD
    ):
        labels.append(_("Record a payment"))
    return labels


def workbench_rows(user: Any, today: dt.date) -> list[dict[str, Any]]:
    rows = selectors.workbench(user=user, today=today)
    for row in rows:
        row["steps"] = next_steps(row["case"], user)
        row["late"] = -(row["days_left"] or 0)
        deadline = row["deadline"]
        row["deadline_label"] = (
            str(DEADLINE_LABELS.get(deadline.kind, deadline.kind)) if deadline else ""
        )
    return rows


# --- one case -------------------------------------------------------------------------------


@dataclass
class DeadlineRow:
    kind: str
    label: str
    legal_basis: str
    day_count: str
    days: int
    start: dt.date
    due: dt.date
    days_left: int | None
    state: str  # "running", "met", "cancelled"
    overdue: bool
    extensions: list[Any] = field(default_factory=list)
    provisional: bool = False

    @property
    def late(self) -> int:
        return -(self.days_left or 0)


def deadline_rows(case: Case, today: dt.date) -> list[DeadlineRow]:
    deadlines = list(
        Deadline.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
        .prefetch_related("extensions")
        .order_by("start_date", "id")
    )
    rows = []
    for d in deadlines:
        running = d.is_open
        left = (d.due_date - today).days if running else None
        rows.append(
            DeadlineRow(
                kind=d.kind,
                label=str(DEADLINE_LABELS.get(d.kind, d.kind)),
                legal_basis=d.legal_basis,
                day_count=str(DayCount(d.day_count).label)
                if d.day_count in DayCount.values
                else d.day_count,
                days=d.days,
                start=d.start_date,
                due=d.due_date,
                days_left=left,
                state="running" if running else ("met" if d.met_at else "cancelled"),
                overdue=left is not None and left < 0,
                extensions=list(d.extensions.all()),
                provisional=d.provisional,
            )
        )
    return rows


@dataclass
class ViolationRow:
    v: CaseViolation
    tier: str
    range: str
    recommended: str
    proposed: str
    notified: str
    decided: str
    facts: list[str]
    outside: bool  # the proposed amount is outside the recommended range


def _fact_texts(facts: dict[str, Any]) -> list[str]:
    from inspectorate.cases.forms import ACCIDENT_GRADES, FACT_LABELS

    grades = dict(ACCIDENT_GRADES)
    texts = []
    for key, value in facts.items():
        if key in FACT_LABELS and value in (True, "true", "on", "1", 1):
            texts.append(str(FACT_LABELS[key]))
        elif key == "accident_grade" and value:
            texts.append(str(grades.get(value, value)))
        elif key == "previous_year_income" and value not in (None, ""):
            texts.append(_("Previous year's income: %(amount)s yuan") % {"amount": yuan(value)})
        elif key == "illegal_gains" and value not in (None, ""):
            texts.append(_("Illegal gains: %(amount)s yuan") % {"amount": yuan(value)})
    return texts


def violation_rows(case: Case) -> list[ViolationRow]:
    rows = []
    for v in case.violations.select_related("provision").order_by("act", "id"):
        rows.append(
            ViolationRow(
                v=v,
                tier=tier_label(v.tier),
                range=yuan_range(v.range_min, v.range_max),
                recommended=yuan(v.recommended),
                proposed=yuan(v.proposed),
                notified=yuan(v.notified),
                decided=yuan(v.decided),
                facts=_fact_texts(v.facts if isinstance(v.facts, dict) else {}),
                outside=not (v.range_min <= v.proposed <= v.range_max),
            )
        )
    return rows


def payment_summary(case: Case, today: dt.date) -> dict[str, str]:
    from inspectorate.cases.services import payment_state

    state = payment_state(case, today)
    return {k: yuan(state[k]) for k in ("fine", "surcharge", "paid", "owed")} | {
        "owed_raw": str(state["owed"]),
    }


# --- the timeline: the case's events in the enforcement record --------------------------------


def _case_subjects(case: Case) -> Q:
    """The case and the rows whose events belong to it (statements, the hearing, payments,
    reviews, …): the record is indexed by subject."""
    subjects: list[tuple[str, str]] = [subject_of(case)]
    related: Iterable[Any]
    for related in (
        case.statements.all(),
        case.reviews.all(),
        case.interviews.all(),
        case.extensions.all(),
        case.payments.all(),
        case.suspensions.all(),
        case.consistency_flags.all(),
    ):
        subjects.extend(subject_of(obj) for obj in related.only("pk"))
    for model in (Hearing, PaymentArrangement, EnforcementApplication):
        subjects.extend(subject_of(obj) for obj in model.objects.filter(case=case).only("pk"))
    by_type: dict[str, list[str]] = {}
    for subject_type, subject_id in subjects:
        by_type.setdefault(subject_type, []).append(subject_id)
    q = Q(pk__in=[])
    for subject_type, ids in by_type.items():
        q |= Q(subject_type=subject_type, subject_id__in=ids)
    return q


_PAYLOAD_LABELS = {
    "reason": gettext_lazy("Reason"),
    "provision": gettext_lazy("Provision"),
    "tier": gettext_lazy("Tier"),
    "recommended": gettext_lazy("Recommended"),
    "proposed": gettext_lazy("Proposed"),
    "justification": gettext_lazy("Justification"),
    "amount": gettext_lazy("Amount"),
    "fine": gettext_lazy("Fine"),
    "owed": gettext_lazy("Owed"),
    "surcharge": gettext_lazy("Surcharge"),
    "receipt": gettext_lazy("Receipt"),
    "person": gettext_lazy("Person interviewed"),
    "days": gettext_lazy("Days"),
    "due_date": gettext_lazy("Due"),
    "statement_until": gettext_lazy("Statement until"),
    "hearing_until": gettext_lazy("Hearing request until"),
    "date": gettext_lazy("Hearing date"),
    "court": gettext_lazy("Court"),
    "number": gettext_lazy("Number"),
}
_MONEY_KEYS = {"recommended", "proposed", "amount", "fine", "owed", "surcharge"}


def _state_label(value: Any) -> str:
    return str(CaseState(value).label) if value in CaseState.values else str(value)


def event_lines(event: RecordEvent) -> list[str]:
    """The key facts of one event, in words."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    lines: list[str] = []
    if event.kind == RecordKind.CASE_STATE_CHANGED:
        before = (payload.get("before") or {}).get("state")
        after = (payload.get("after") or {}).get("state")
        lines.append(
            f"{action_label(str(payload.get('action', '')))}: "
            f"{_state_label(before)} → {_state_label(after)}"
        )
    elif event.kind == RecordKind.DOCUMENT_ISSUED:
        from inspectorate.core.document_kinds import DocumentKind

        kind = payload.get("document", "")
        label = DocumentKind(kind).label if kind in DocumentKind.values else kind
        lines.append(f"{label} {payload.get('number', '')}".strip())
        return lines
    elif event.kind == RecordKind.CASE_REVIEWED:
        conclusion = str(payload.get("conclusion", ""))
        lines.append(action_label(conclusion))
    elif event.kind == RecordKind.CASE_STATEMENT_FILED:
        lines.append(
            _("The party waives further statement and a hearing.")
            if payload.get("waives")
            else (
                _("Filed by the party.") if payload.get("by_party") else _("Recorded by officers.")
            )
        )
    elif event.kind == RecordKind.DEADLINE_EXTENDED:
        kind = str(payload.get("deadline", ""))
        lines.append(str(DEADLINE_LABELS.get(kind, kind)))
    for key, label in _PAYLOAD_LABELS.items():
        value = payload.get(key)
        if value in (None, "", [], {}):
            continue
        if key == "tier":
            value = tier_label(str(value))
        elif key in _MONEY_KEYS:
            try:
                value = yuan(Decimal(str(value)))
            except ArithmeticError:
                pass
        text = str(value)
        if len(text) > 120:
            text = text[:119] + "…"
        lines.append(f"{label}: {text}")
    return lines


@dataclass
class TimelineRow:
    event: RecordEvent
    label: str
    lines: list[str]


def timeline(case: Case, limit: int = 200) -> list[TimelineRow]:
    events = RecordEvent.objects.filter(_case_subjects(case)).order_by("occurred_at", "id")
    return [
        TimelineRow(event=e, label=e.get_kind_display(), lines=event_lines(e))
        for e in events[:limit]
    ]


# --- documents --------------------------------------------------------------------------------


def party_documents(case: Case) -> list[Any]:
    return [d for d in selectors.documents_of(case) if d.kind in selectors.PARTY_DOCUMENTS]


def portal_cases(*, user: Any) -> list[Case]:
    """The unit's cases the party may see (from the notice on), newest first."""
    return list(selectors.case_list_for_user(user=user).select_related("agency")[:100])


def hearing_request_open(case: Case, today: dt.date) -> Deadline | None:
    """The running period to request a hearing, if the party has the right and may still."""
    if case.state != CaseState.NOTIFIED or not case.hearing_right:
        return None
    deadline = selectors.open_deadline(case, rules.HEARING_REQUEST)
    if deadline is None or today > deadline.due_date:
        return None
    return deadline


def evidence_with_file(
    *,
    user: Any,
    case: Case,
    upload: Any,
    call: Callable[[Any], T],
) -> T:
    """Store the uploaded file and add the evidence in one transaction: a refused evidence
    leaves no stored file behind. The file is only stored for the case's investigators while
    it is investigated (the service refuses everyone else, with its message)."""
    from inspectorate.core.errors import ValidationFailed
    from inspectorate.core.evidence import evidence_store

    with transaction.atomic():
        stored = None
        may = case.state == CaseState.INVESTIGATING and user.pk in case.investigator_ids
        if upload is not None and may:
            content = upload.read()
            if len(content) > 25 * 1024 * 1024:
                raise ValidationFailed.of_fields({"file": [_("A file may be at most 25 MB.")]})
            if content:
                stored = evidence_store(
                    actor=user,
                    jurisdiction_code=case.jurisdiction_code,
                    content=content,
                    original_name=(upload.name or "file")[:255],
                    content_type=(getattr(upload, "content_type", "") or "")[:100],
                )
        return call(stored)
