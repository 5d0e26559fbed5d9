"""Every read of the oversight app, scoped to the user (ARCHITECTURE rule 1).

* :func:`dashboard` — the upper-level dashboard: one row per directly lower office.
* :func:`dashboard_list` — the rows behind one number of the dashboard.
* :func:`supervision_list_for_user` / :func:`supervision_get_for_user` — 督办.
* :func:`review_list_for_user` / :func:`review_get_for_user` / :func:`review_results` — 案卷评查.
* :func:`missed_detection` — findings an upper level made that a lower office missed.
* :func:`inaction` — high-risk units never inspected; offices and officers finding nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from inspectorate.cases import rules as case_rules
from inspectorate.cases.models import Case
from inspectorate.core.errors import NotFound
from inspectorate.core.models import Deadline, DeadlinePause
from inspectorate.core.scoping import Scope, code_range
from inspectorate.inspections.models import (
    Finding,
    FindingStatus,
    Inspection,
    InspectionState,
    Origin,
)
from inspectorate.org.models import Agency, AgencyKind, Jurisdiction, JurisdictionLevel
from inspectorate.oversight.models import (
    CaseFileReview,
    ReviewScore,
    SupervisionOrder,
    SupervisionState,
)
from inspectorate.planning.models import PlannedVisit, PlanState
from inspectorate.registry.models import Enterprise, EnterpriseStatus, RiskClass

#: How many days ahead a decision deadline counts as "near its limit" (the default).
NEAR_DAYS = 15
#: The plan states whose visits count as "this year's plan".
PLAN_STATES = (PlanState.APPROVED, PlanState.FILED)
#: The risk classes counted as high-risk units (red and orange).
HIGH_RISK = (RiskClass.MAJOR, RiskClass.SIGNIFICANT)
#: The default window of the missed-detection rule (days before the upper finding).
MISSED_WINDOW_DAYS = 90
#: The default minimum number of closed inspections before "never finds anything" counts.
MIN_INSPECTIONS = 10

METRICS = ("plan", "hazards", "cases_near", "cases_overdue")


def prefix_of(code: str) -> str:
    """The subtree prefix of a 6-digit code: 65 (province), 6501 (prefecture), 650102."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def is_county(code: str) -> bool:
    return not code.endswith("00")


def _range(prefix: str, column: str) -> Q:
    low, high = code_range(prefix)
    return Q(**{f"{column}__gte": low, f"{column}__lte": high})


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------------------------------
# the dashboard
# ---------------------------------------------------------------------------------------


@dataclass
class OfficeRow:
    """One lower office on the dashboard: its own jurisdiction and everything below it
    (``area``, a prefix), or the viewed office's own work (``own``: exactly ``code``)."""

    code: str
    area: str
    name: str
    own: bool = False
    drill: bool = False
    agency_ids: list[int] = field(default_factory=list)
    planned: int = 0
    done: int = 0
    hazards_overdue: int = 0
    cases_near: int = 0
    cases_overdue: int = 0
    transfers_pending: int | None = None

    @property
    def plan_rate(self) -> int | None:
        return round(100 * self.done / self.planned) if self.planned else None


@dataclass
class Dashboard:
    office: Jurisdiction
    year: int
    today: dt.date
    near_days: int
    rows: list[OfficeRow]
    transfers_available: bool

    @property
    def total(self) -> OfficeRow:
        total = OfficeRow(code=self.office.code, area=prefix_of(self.office.code), name="")
        for row in self.rows:
            total.planned += row.planned
            total.done += row.done
            total.hazards_overdue += row.hazards_overdue
            total.cases_near += row.cases_near
            total.cases_overdue += row.cases_overdue
            if row.transfers_pending is not None:
                total.transfers_pending = (total.transfers_pending or 0) + row.transfers_pending
        return total


def viewed_office(*, user: Any, code: str | None) -> Jurisdiction:
    """The jurisdiction the dashboard shows: the user's own, or one in its subtree."""
    scope: Scope = user.scope
    own = user.agency.jurisdiction_id if getattr(user, "agency_id", None) else None
    target = code or own
    if not target or not scope.covers(target):
        raise NotFound()
    try:
        return Jurisdiction.objects.get(code=target)
    except Jurisdiction.DoesNotExist as exc:
        raise NotFound() from exc


def _office_name(agencies: list[Agency], place: Jurisdiction) -> str:
    """The row's name: the bureau of the jurisdiction (its first office if it has none)."""
    here = [a for a in agencies if a.jurisdiction_id == place.code]
    bureaus = [a for a in here if a.kind == AgencyKind.BUREAU]
    return (bureaus or here)[0].name if here else place.name


def _row_key(code: str, office: str) -> str:
    """The row a jurisdiction code falls in: the office's own, or its child's area."""
    if code == office:
        return "="
    return code[: len(prefix_of(office)) + 2]


def dashboard(
    *,
    user: Any,
    code: str | None = None,
    today: dt.date | None = None,
    near_days: int = NEAR_DAYS,
) -> Dashboard:
    today = _today(today)
    office = viewed_office(user=user, code=code)
    prefix = prefix_of(office.code)
    agencies = list(
        Agency.objects.filter(_range(prefix, "jurisdiction_id"))
        .select_related("jurisdiction")
        .order_by("jurisdiction_id", "code")
    )
    rows: dict[str, OfficeRow] = {}
    if office.level == JurisdictionLevel.COUNTY:
        rows["="] = OfficeRow(
            code=office.code, area=office.code, name=_office_name(agencies, office), own=True
        )
    else:
        rows["="] = OfficeRow(
            code=office.code, area=office.code, name=_office_name(agencies, office), own=True
        )
        children = {
            j.code: j for j in Jurisdiction.objects.filter(parent_id=office.code).order_by("code")
        }
        for agency in agencies:
            key = _row_key(agency.jurisdiction_id, office.code)
            if key == "=" or key in rows:
                continue
            child = children.get(key.ljust(6, "0"))
            if child is None:
                continue
            rows[key] = OfficeRow(
                code=child.code,
                area=key,
                name=_office_name(agencies, child),
                drill=child.level != JurisdictionLevel.COUNTY,
            )
    for agency in agencies:
        key = _row_key(agency.jurisdiction_id, office.code)
        if key in rows:
            rows[key].agency_ids.append(agency.pk)

    def add(key: str, attr: str, n: int) -> None:
        if key in rows:
            setattr(rows[key], attr, getattr(rows[key], attr) + n)

    for code_, n in _planned(prefix, today.year):
        add(_row_key(code_, office.code), "planned", n)
    for code_, n in _done(prefix, today.year):
        add(_row_key(code_, office.code), "done", n)
    for code_, n in _hazards_overdue(prefix, today):
        add(_row_key(code_, office.code), "hazards_overdue", n)
    for code_, near, over in _cases_near(prefix, today, near_days):
        add(_row_key(code_, office.code), "cases_near", near)
        add(_row_key(code_, office.code), "cases_overdue", over)
    pending = _transfers_pending([a.pk for a in agencies])
    if pending is not None:
        by_agency = {a.pk: a for a in agencies}
        for row in rows.values():
            row.transfers_pending = 0
        for agency_id, n in pending.items():
            pending_agency = by_agency.get(agency_id)
            if pending_agency is not None:
                add(_row_key(pending_agency.jurisdiction_id, office.code), "transfers_pending", n)
    ordered = [rows["="]] + [rows[k] for k in sorted(rows) if k != "="]
    if office.level != JurisdictionLevel.COUNTY and not (
        ordered[0].agency_ids
        or ordered[0].planned
        or ordered[0].hazards_overdue
        or ordered[0].cases_near
        or ordered[0].cases_overdue
    ):
        ordered = ordered[1:]
    return Dashboard(
        office=office,
        year=today.year,
        today=today,
        near_days=near_days,
        rows=ordered,
        transfers_available=pending is not None,
    )


def _planned_visits(prefix: str, year: int) -> QuerySet[PlannedVisit]:
    return PlannedVisit.objects.filter(
        _range(prefix, "plan__agency__jurisdiction_id"),
        plan__year=year,
        plan__state__in=PLAN_STATES,
        cancelled=False,
    )


def _planned(prefix: str, year: int) -> Iterator[tuple[str, int]]:
    qs = (
        _planned_visits(prefix, year)
        .values("plan__agency__jurisdiction_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in qs:
        yield row["plan__agency__jurisdiction_id"], row["n"]


def _done_visits(prefix: str, year: int) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        _range(prefix, "planned_visit__plan__agency__jurisdiction_id"),
        state=InspectionState.CLOSED,
        planned_visit__plan__year=year,
        planned_visit__plan__state__in=PLAN_STATES,
        planned_visit__cancelled=False,
    )


def _done(prefix: str, year: int) -> Iterator[tuple[str, int]]:
    qs = (
        _done_visits(prefix, year)
        .values("planned_visit__plan__agency__jurisdiction_id")
        .annotate(n=Count("planned_visit_id", distinct=True))
        .order_by()
    )
    for row in qs:
        yield row["planned_visit__plan__agency__jurisdiction_id"], row["n"]


def _overdue_findings(area: Q, today: dt.date) -> QuerySet[Finding]:
    return Finding.objects.filter(area, status=FindingStatus.OPEN, due_date__lt=today)


def _hazards_overdue(prefix: str, today: dt.date) -> Iterator[tuple[str, int]]:
    """Open findings past their due date, per jurisdiction code. The subtree is matched on
    the code's first characters (not a range on the code), so that SQLite reads the
    (status, due date) prefix of ``finding_open_due_idx`` instead of skip-scanning it."""
    qs = (
        Finding.objects.filter(status=FindingStatus.OPEN, due_date__lt=today)
        .annotate(subtree=Substr("jurisdiction_code", 1, len(prefix)))
        .filter(subtree=prefix)
        .values("jurisdiction_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in qs:
        yield row["jurisdiction_code"], row["n"]


def _open_decision_deadlines(area: Q) -> QuerySet[Deadline]:
    """The running decision deadlines (行政处罚法 Art. 60) of open cases. A deadline whose
    clock is stopped (an open pause) is left out: it is neither near nor overdue."""
    return Deadline.objects.filter(
        area,
        kind=case_rules.DECISION,  # only a case has this kind (cases.case)
        met_at=None,
        cancelled_at=None,
    ).exclude(Exists(DeadlinePause.objects.filter(deadline=OuterRef("pk"), ended_on=None)))


def _cases_near(prefix: str, today: dt.date, days: int) -> Iterator[tuple[str, int, int]]:
    """Per jurisdiction code: decision deadlines due within ``days`` days, and overdue. The
    subtree is matched on the code's first characters, so that SQLite reads the partial
    index of the running deadlines (migration 0003) rather than walking the
    (jurisdiction, due date) index over every deadline of the subtree."""
    qs = (
        _open_decision_deadlines(Q())
        .filter(due_date__lte=today + dt.timedelta(days=days))
        .annotate(subtree=Substr("jurisdiction_code", 1, len(prefix)))
        .filter(subtree=prefix)
        .values("jurisdiction_code")
        .annotate(
            near=Count("id", filter=Q(due_date__gte=today)),
            over=Count("id", filter=Q(due_date__lt=today)),
        )
        .order_by()
    )
    for row in qs:
        yield row["jurisdiction_code"], row["near"], row["over"]


def _transfers_pending(agency_ids: list[int]) -> dict[int, int] | None:
    """Transfers of suspected crimes pending, per office (the referrals app's count)."""
    from inspectorate.referrals.selectors import pending_by_agency

    return dict(pending_by_agency(agency_ids))


def _area_q(area: str, column: str) -> Q:
    """A row's area: a 2/4-digit prefix (subtree) or a 6-digit code (exactly)."""
    if len(area) == 6:
        return Q(**{column: area})
    return _range(area, column)


def dashboard_list(
    *,
    user: Any,
    metric: str,
    area: str,
    today: dt.date | None = None,
    near_days: int = NEAR_DAYS,
    limit: int = 500,
) -> list[Any]:
    """The objects behind one number of the dashboard (at most ``limit``)."""
    today = _today(today)
    if metric not in METRICS or not re.fullmatch(r"\d{2}|\d{4}|\d{6}", area):
        raise NotFound()
    if not user.scope.covers(area):
        raise NotFound()
    if metric == "plan":
        done = Inspection.objects.filter(planned_visit=OuterRef("pk"), state=InspectionState.CLOSED)
        return list(
            PlannedVisit.objects.filter(
                _area_q(area, "plan__agency__jurisdiction_id"),
                plan__year=today.year,
                plan__state__in=PLAN_STATES,
                cancelled=False,
            )
            .annotate(done=Exists(done))
            .select_related("unit__enterprise", "plan__agency")
            .order_by("done", "month", "id")[:limit]
        )
    if metric == "hazards":
        return list(
            _overdue_findings(_area_q(area, "jurisdiction_code"), today)
            .select_related("enterprise", "inspection__agency")
            .order_by("due_date", "id")[:limit]
        )
    deadlines = _open_decision_deadlines(_area_q(area, "jurisdiction_code"))
    if metric == "cases_near":
        deadlines = deadlines.filter(
            due_date__gte=today, due_date__lte=today + dt.timedelta(days=near_days)
        )
    else:
        deadlines = deadlines.filter(due_date__lt=today)
    rows = list(deadlines.order_by("due_date", "id")[:limit])
    cases = Case.objects.in_bulk([int(d.subject_id) for d in rows])
    result = []
    for d in rows:
        case = cases.get(int(d.subject_id))
        if case is not None:
            case.decision_due = d.due_date  # type: ignore[attr-defined]
            case.days_left = (d.due_date - today).days  # type: ignore[attr-defined]
            result.append(case)
    return result


# ---------------------------------------------------------------------------------------
# supervision orders
# ---------------------------------------------------------------------------------------


def supervision_queryset_for_user(*, user: Any) -> QuerySet[SupervisionOrder]:
    """The orders addressed to an office in the user's subtree (the addressed office, the
    issuer and every level above see it; a sibling does not)."""
    return SupervisionOrder.objects.filter(user.scope.q("jurisdiction_code"))


def supervision_list_for_user(
    *, user: Any, state: str = "", direction: str = ""
) -> QuerySet[SupervisionOrder]:
    qs = supervision_queryset_for_user(user=user).select_related("issuing_agency", "addressee")
    code = user.agency.jurisdiction_id if getattr(user, "agency_id", None) else None
    if direction == "issued":
        qs = qs.filter(issuer_code=code)
    elif direction == "received":
        qs = qs.filter(jurisdiction_code=code)
    if state == "open":
        qs = qs.filter(state__in=(SupervisionState.ISSUED, SupervisionState.REPLIED))
    elif state:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


def supervision_get_for_user(*, user: Any, pk: Any) -> SupervisionOrder:
    try:
        return (
            supervision_queryset_for_user(user=user)
            .select_related(
                "issuing_agency",
                "addressee",
                "case",
                "finding__enterprise",
                "enterprise",
                "issued_by",
                "document",
            )
            .get(pk=pk)
        )
    except (SupervisionOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def supervision_is_overdue(order: SupervisionOrder, today: dt.date | None = None) -> bool:
    """Computed when read: the order waits for the reply past its due date."""
    return order.state == SupervisionState.ISSUED and _today(today) > order.due_date


# ---------------------------------------------------------------------------------------
# case-file review
# ---------------------------------------------------------------------------------------


def review_queryset_for_user(*, user: Any) -> QuerySet[CaseFileReview]:
    return CaseFileReview.objects.filter(user.scope.q("jurisdiction_code"))


def review_list_for_user(*, user: Any) -> QuerySet[CaseFileReview]:
    return review_queryset_for_user(user=user).select_related(
        "case", "reviewed_agency", "reviewing_agency", "reviewer"
    )


def review_get_for_user(*, user: Any, pk: Any) -> CaseFileReview:
    try:
        return review_list_for_user(user=user).select_related("sheet").get(pk=pk)
    except (CaseFileReview.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def reviewable_cases(*, user: Any) -> QuerySet[Case]:
    """Closed or archived cases of the user's subtree, newest first."""
    from inspectorate.oversight.services import REVIEWABLE_STATES

    return (
        Case.objects.filter(user.scope.q("jurisdiction_code"), state__in=REVIEWABLE_STATES)
        .select_related("agency")
        .order_by("-id")
    )


@dataclass
class OfficeResult:
    agency: Agency
    count: int
    average: float
    grades: dict[str, int]
    worst: list[dict[str, Any]]


def review_results(
    *, user: Any, start: dt.date | None = None, end: dt.date | None = None
) -> list[OfficeResult]:
    """Per reviewed office: the number of reviews, the average total, how many of each
    grade, and the three items that lost the most points on average."""
    qs = review_queryset_for_user(user=user)
    if start:
        qs = qs.filter(reviewed_on__gte=start)
    if end:
        qs = qs.filter(reviewed_on__lte=end)
    reviews = list(qs.select_related("reviewed_agency").order_by("reviewed_agency_id", "id"))
    by_agency: dict[int, list[CaseFileReview]] = defaultdict(list)
    for r in reviews:
        by_agency[r.reviewed_agency_id].append(r)
    lost: dict[tuple[int, str], list[int]] = defaultdict(list)
    texts: dict[str, str] = {}
    scores = ReviewScore.objects.filter(review__in=[r.pk for r in reviews]).values(
        "review__reviewed_agency_id", "item__code", "item__text", "item__max_points", "points"
    )
    for s in scores:
        key = (s["review__reviewed_agency_id"], s["item__code"])
        lost[key].append(s["item__max_points"] - s["points"])
        texts[s["item__code"]] = s["item__text"]
    results = []
    for agency_id, items in by_agency.items():
        grades: dict[str, int] = defaultdict(int)
        for r in items:
            grades[r.grade_label] += 1
        deductions: list[dict[str, Any]] = [
            {
                "code": code,
                "text": texts[code],
                "average_lost": round(sum(v) / len(v), 2),
                "times": sum(1 for x in v if x > 0),
            }
            for (a, code), v in lost.items()
            if a == agency_id and sum(v) > 0
        ]
        deductions.sort(key=lambda d: (-float(d["average_lost"]), str(d["code"])))
        results.append(
            OfficeResult(
                agency=items[0].reviewed_agency,
                count=len(items),
                average=round(sum(r.total for r in items) / len(items), 1),
                grades=dict(grades),
                worst=deductions[:3],
            )
        )
    results.sort(key=lambda r: (r.average, r.agency.jurisdiction_id))
    return results


# ---------------------------------------------------------------------------------------
# missed detection (省里市里发现而下面还没有察觉)
# ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def article_key(text: str) -> str:
    """A violated article compared without spaces and with the usual bracket forms made one."""
    text = _SPACES.sub("", text or "")
    return text.replace("(", "（").replace(")", "）").replace("《", "").replace("》", "")


@dataclass
class Miss:
    finding: dict[str, Any]
    inspection: dict[str, Any]
    days_before: int


@dataclass
class MissedRow:
    agency_id: int
    agency_name: str
    code: str
    misses: list[Miss] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return len({m.finding["id"] for m in self.misses})

    @property
    def inspections(self) -> int:
        return len({m.inspection["id"] for m in self.misses})


def _chunks(values: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _finder_codes(user: Any) -> list[str]:
    """The province and prefecture codes whose findings can be "upper" for an office in the
    user's scope: those in the scope, and those above the user's own office."""
    scope: Scope = user.scope
    if scope.prefix is None:
        return []
    qs = Jurisdiction.objects.exclude(level=JurisdictionLevel.COUNTY)
    if scope.prefix:
        above = [scope.prefix[:2].ljust(6, "0"), scope.prefix[:4].ljust(6, "0")]
        qs = qs.filter(_range(scope.prefix, "code") | Q(code__in=above))
    return list(qs.values_list("code", flat=True))


def missed_detection(
    *,
    user: Any,
    start: dt.date,
    end: dt.date,
    window_days: int = MISSED_WINDOW_DAYS,
) -> list[MissedRow]:
    """Findings made from ``start`` to ``end`` by an upper office (a province or prefecture
    office above the unit's county) at a unit that an office below the finder inspected
    (a closed inspection) within ``window_days`` days before the finding (the day of the
    finding minus ``window_days`` up to the day before it) without a similar finding.

    Similar: the same checklist item (the same item code of the same checklist, whatever its
    version) or the same violated article (compared by :func:`article_key`). One row per
    lower office in the user's scope, with each (upper finding, lower inspection) pair.
    """
    scope: Scope = user.scope
    finders = _finder_codes(user)
    if not finders:
        return []
    upper: list[dict[str, Any]] = []
    for batch in _chunks(finders, 200):
        for row in (
            Finding.objects.filter(jurisdiction_code__in=batch, found_on__gte=start)
            .filter(found_on__lte=end)
            .values(
                "id",
                "enterprise_id",
                "enterprise__name",
                "enterprise__jurisdiction_id",
                "jurisdiction_code",
                "found_on",
                "description",
                "violated_article",
                "answer__item__code",
                "answer__item__checklist_version__checklist__code",
                "inspection_id",
                "inspection__agency__name",
            )
            .order_by()
        ):
            f: dict[str, Any] = dict(row)
            place = f["enterprise__jurisdiction_id"]
            if place != f["jurisdiction_code"] and place.startswith(
                prefix_of(f["jurisdiction_code"])
            ):
                upper.append(f)
    if not upper:
        return []
    by_enterprise: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in upper:
        by_enterprise[f["enterprise_id"]].append(f)
    earliest = start - dt.timedelta(days=window_days)
    tz = timezone.get_current_timezone()
    after = dt.datetime.combine(earliest, dt.time.min, tzinfo=tz)
    before = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    inspections: list[dict[str, Any]] = []
    for batch in _chunks(sorted(by_enterprise)):
        inspections.extend(
            dict(i)
            for i in Inspection.objects.filter(
                enterprise_id__in=batch,
                started_at__gte=after,
                started_at__lt=before,
                state=InspectionState.CLOSED,
            )
            .exclude(origin=Origin.REINSPECTION)
            .values(
                "id",
                "enterprise_id",
                "agency_id",
                "agency__name",
                "jurisdiction_code",
                "started_at",
                "lead_officer__name",
            )
            .order_by()
        )
    inspections = [i for i in inspections if scope.covers(i["jurisdiction_code"])]
    found: dict[int, tuple[set[str], set[str]]] = {i["id"]: (set(), set()) for i in inspections}
    for batch in _chunks(sorted(found)):
        for lower in Finding.objects.filter(inspection_id__in=batch).values(
            "inspection_id",
            "violated_article",
            "answer__item__code",
            "answer__item__checklist_version__checklist__code",
        ):
            items, articles = found[lower["inspection_id"]]
            if lower["answer__item__code"]:
                items.add(
                    f"{lower['answer__item__checklist_version__checklist__code']}:"
                    f"{lower['answer__item__code']}"
                )
            articles.add(article_key(lower["violated_article"]))
    rows: dict[int, MissedRow] = {}
    for insp in inspections:
        day = timezone.localtime(insp["started_at"], tz).date()
        items, articles = found[insp["id"]]
        for up in by_enterprise[insp["enterprise_id"]]:
            finder_prefix = prefix_of(up["jurisdiction_code"])
            code = insp["jurisdiction_code"]
            if code == up["jurisdiction_code"] or not code.startswith(finder_prefix):
                continue  # not an office below the finder
            days_before = (up["found_on"] - day).days
            if not 1 <= days_before <= window_days:
                continue
            item = up["answer__item__code"] and (
                f"{up['answer__item__checklist_version__checklist__code']}:{up['answer__item__code']}"
            )
            if (item and item in items) or article_key(up["violated_article"]) in articles:
                continue  # the lower office found it too
            missed_row = rows.setdefault(
                insp["agency_id"],
                MissedRow(agency_id=insp["agency_id"], agency_name=insp["agency__name"], code=code),
            )
            missed_row.misses.append(
                Miss(finding=up, inspection={**insp, "day": day}, days_before=days_before)
            )
    result = sorted(rows.values(), key=lambda r: (-r.findings, r.code, r.agency_id))
    for missed_row in result:
        missed_row.misses.sort(
            key=lambda m: (m.finding["found_on"], m.finding["id"], m.inspection["id"])
        )
    return result


# ---------------------------------------------------------------------------------------
# inaction indicators
# ---------------------------------------------------------------------------------------


@dataclass
class Inaction:
    start: dt.date
    end: dt.date
    min_inspections: int
    uninspected: list[dict[str, Any]]  # per supervising office: count and the first units
    offices: list[dict[str, Any]]  # offices whose closed inspections found nothing
    officers: list[dict[str, Any]]  # officers whose closed inspections found nothing


def inaction(
    *,
    user: Any,
    start: dt.date,
    end: dt.date,
    min_inspections: int = MIN_INSPECTIONS,
    risk_classes: Iterable[str] = HIGH_RISK,
    sample: int = 20,
) -> Inaction:
    scope: Scope = user.scope
    tz = timezone.get_current_timezone()
    after = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    inspected = Inspection.objects.filter(
        enterprise_id=OuterRef("pk"), started_at__gte=after, started_at__lt=before
    )
    units = (
        Enterprise.objects.filter(
            scope.q("jurisdiction_id"),
            risk_class__in=list(risk_classes),
            status=EnterpriseStatus.OPERATING,
        )
        .exclude(Exists(inspected))
        .values("id", "name", "risk_class", "supervising_agency_id", "supervising_agency__name")
        .order_by("supervising_agency_id", "name", "id")
    )
    grouped: dict[int, dict[str, Any]] = {}
    for u in units:
        g = grouped.setdefault(
            u["supervising_agency_id"],
            {
                "agency_id": u["supervising_agency_id"],
                "agency": u["supervising_agency__name"],
                "count": 0,
                "units": [],
            },
        )
        g["count"] += 1
        if len(g["units"]) < sample:
            g["units"].append(u)
    has_finding = Finding.objects.filter(inspection_id=OuterRef("pk"))
    closed = (
        Inspection.objects.filter(
            scope.q("jurisdiction_code"),
            state=InspectionState.CLOSED,
            started_at__gte=after,
            started_at__lt=before,
        )
        .exclude(origin=Origin.REINSPECTION)
        .annotate(found=Exists(has_finding))
        .values(
            "agency_id",
            "agency__name",
            "lead_officer_id",
            "lead_officer__name",
            "second_officer_id",
            "second_officer__name",
            "found",
        )
        .order_by()
    )
    offices: dict[int, list[Any]] = {}
    officers: dict[int, list[Any]] = {}
    for i in closed:
        o = offices.setdefault(i["agency_id"], [i["agency__name"], 0, 0])
        o[1] += 1
        o[2] += int(i["found"])
        for who in ("lead_officer", "second_officer"):
            p = officers.setdefault(i[f"{who}_id"], [i[f"{who}__name"], i["agency__name"], 0, 0])
            p[2] += 1
            p[3] += int(i["found"])
    return Inaction(
        start=start,
        end=end,
        min_inspections=min_inspections,
        uninspected=sorted(grouped.values(), key=lambda g: (-g["count"], g["agency_id"])),
        offices=sorted(
            (
                {"agency_id": k, "agency": v[0], "inspections": v[1]}
                for k, v in offices.items()
                if v[1] >= min_inspections and v[2] == 0
            ),
            key=lambda d: (-d["inspections"], d["agency_id"]),
        ),
        officers=sorted(
            (
                {"officer_id": k, "officer": v[0], "agency": v[1], "inspections": v[2]}
                for k, v in officers.items()
                if v[2] >= min_inspections and v[3] == 0
            ),
            key=lambda d: (-d["inspections"], d["officer_id"]),
        ),
    )


def sheets_of_province(code: str) -> QuerySet[Any]:
    """Every version of the scoring sheet of the province of ``code``, newest first."""
    from inspectorate.oversight.models import ScoringSheet

    return ScoringSheet.objects.filter(jurisdiction_code=code[:2] + "0000").order_by("-number")
