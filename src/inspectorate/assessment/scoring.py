"""How each component of the annual assessment scores 0–100, and the total and grade.

The formulas (the scheme's numbers are data, ``assessment.Scheme``):

* training = min(100, total hours / required hours × 100) — the hours of the training
  plan's sessions attended plus the law-update study hours (``training_progress``); no
  required hours (no plan for the office): no data;
* exams = the mean of the counted scores (after retakes) of the exams of the year the
  officer was a candidate for; an exam whose window closed without an attempt counts 0;
  an exam still open without an attempt, or whose attempt awaits marking, is not counted
  yet; no exam: no data;
* case-file review = the mean of total / maximum × 100 over the case-file reviews
  (``oversight.CaseFileReview``) made in the year of cases the officer investigated
  (investigator 1 or 2); no review: no data;
* decisions overturned = 100 − N per decision overturned in the year (the result's date)
  in a case the officer investigated or decided (never below 0);
* missed deadlines = 100 − M per accountability item of kind ``deadline_missed`` of the
  officer detected in the year, not counting an item concluded with an outcome that found
  no fault (never below 0).

A component without data drops out and its weight is shared among the others in
proportion to their weights. When the components with data carry less than the scheme's
``min_basis`` per cent of the weights, the total is kept but no grade is given (the office
decides: "no basis"). Every score and the total are rounded half up to 0.1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from inspectorate.accountability.models import AccountabilityItem, ItemKind, ItemState
from inspectorate.assessment.models import COMPONENTS, Grade, Scheme
from inspectorate.cases.challenges import OVERTURNED_RESULTS
from inspectorate.cases.models import DecisionChallenge
from inspectorate.oversight.models import CaseFileReview

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


def r1(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Component:
    score: Decimal | None  # None: no data, the component drops out
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    components: dict[str, Component]
    weights_used: dict[str, Decimal]
    redistributed: bool
    total: Decimal | None
    grade: str


def training_component(required: Decimal, done: Decimal, **more: Any) -> Component:
    inputs = {"required_hours": str(required), "total_hours": str(done), **more}
    if required <= 0:
        return Component(None, inputs)
    return Component(r1(min(HUNDRED, done / required * HUNDRED)), inputs)


def exams_component(rows: Iterable[Any], today: dt.date) -> Component:
    """``rows``: ``exams.selectors.ExamResult``."""
    listed: list[dict[str, Any]] = []
    counted: list[Decimal] = []
    for r in rows:
        if r.pending:
            status = "pending"
        elif r.score is None and r.closes_on > today:
            status = "open"
        else:
            status = "counted"
            counted.append(r.score if r.score is not None else Decimal(0))
        listed.append(
            {
                "exam": r.exam_id,
                "title": r.title,
                "closes_on": r.closes_on.isoformat(),
                "score": None if r.score is None else str(r.score),
                "status": status,
            }
        )
    inputs: dict[str, Any] = {"exams": listed, "counted": len(counted)}
    if not counted:
        return Component(None, inputs)
    return Component(r1(sum(counted, Decimal(0)) / len(counted)), inputs)


def review_component(reviews: list[tuple[int, int, int, str]]) -> Component:
    """``reviews``: (review id, total, max_total, case label)."""
    inputs = {
        "reviews": [
            {"review": pk, "total": total, "max_total": top, "case": label}
            for pk, total, top, label in reviews
        ]
    }
    shares = [Decimal(total) / Decimal(top) * HUNDRED for _pk, total, top, _l in reviews if top]
    if not shares:
        return Component(None, inputs)
    return Component(r1(sum(shares, Decimal(0)) / len(shares)), inputs)


def deduction_component(count: int, points: Decimal, items: list[dict[str, Any]]) -> Component:
    score = max(Decimal(0), HUNDRED - points * count)
    return Component(r1(score), {"count": count, "points_each": str(points), "items": items})


def grade_for(total: Decimal, scheme: Scheme) -> str:
    if total >= scheme.band_excellent:
        return Grade.EXCELLENT
    if total >= scheme.band_competent:
        return Grade.COMPETENT
    if total >= scheme.band_basic:
        return Grade.BASIC
    return Grade.INCOMPETENT


def combine(components: Mapping[str, Component], scheme: Scheme) -> Outcome:
    """The total: the scores weighted by the scheme, a component without data dropping out
    and its weight shared among the others in proportion."""
    weights = scheme.weights()
    present = {c: weights[c] for c in COMPONENTS if components[c].score is not None}
    base = sum(present.values())
    redistributed = any(weights[c] > 0 and c not in present for c in COMPONENTS)
    if base == 0:
        return Outcome(dict(components), {}, redistributed, None, "")
    used = {c: (Decimal(w) * HUNDRED / base).quantize(CENT) for c, w in present.items()}
    exact = sum(
        (components[c].score or Decimal(0)) * Decimal(w) for c, w in present.items()
    ) / Decimal(base)
    total = r1(exact)
    if Decimal(base) < scheme.min_basis:  # too little of the weight rests on data: no grade
        return Outcome(dict(components), used, redistributed, total, "")
    return Outcome(dict(components), used, redistributed, total, grade_for(total, scheme))


def quota_exceeded(excellent: int, assessed: int, quota: Decimal) -> bool:
    """More 优秀 than the quota (a share of those assessed) allows."""
    return Decimal(excellent) * HUNDRED > Decimal(assessed) * quota


# --- the inputs read from the other apps ----------------------------------------------


def reviews_by_officer(year: int, ids: list[int]) -> dict[int, list[tuple[int, int, int, str]]]:
    out: dict[int, list[tuple[int, int, int, str]]] = {i: [] for i in ids}
    rows = (
        CaseFileReview.objects.filter(reviewed_on__year=year)
        .filter(Q(case__investigator_1_id__in=ids) | Q(case__investigator_2_id__in=ids))
        .order_by("reviewed_on", "id")
        .values_list(
            "id",
            "total",
            "max_total",
            "case__number",
            "case_id",
            "case__investigator_1_id",
            "case__investigator_2_id",
        )
    )
    for pk, total, top, number, case_id, one, two in rows:
        for uid in {one, two}:
            if uid in out:
                out[uid].append((pk, total, top, number or f"#{case_id}"))
    return out


def overturned_by_officer(year: int, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    rows = (
        DecisionChallenge.objects.filter(result__in=OVERTURNED_RESULTS, result_on__year=year)
        .filter(
            Q(case__investigator_1_id__in=ids)
            | Q(case__investigator_2_id__in=ids)
            | Q(case__decided_by_id__in=ids)
        )
        .order_by("result_on", "id")
        .values_list(
            "id",
            "case_id",
            "case__number",
            "result",
            "result_on",
            "kind",
            "case__investigator_1_id",
            "case__investigator_2_id",
            "case__decided_by_id",
        )
    )
    for pk, case_id, number, result, on, kind, one, two, decider in rows:
        item = {
            "challenge": pk,
            "case": case_id,
            "label": number or f"#{case_id}",
            "result": result,
            "kind": kind,
            "on": on.isoformat() if on else "",
        }
        for uid in {one, two, decider}:
            if uid in out:
                out[uid].append(item)
    return out


def missed_by_officer(year: int, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    rows = (
        AccountabilityItem.objects.filter(
            kind=ItemKind.DEADLINE_MISSED, person_id__in=ids, detected_on__year=year
        )
        .exclude(state=ItemState.CONCLUDED, outcome__is_fault=False)
        .order_by("detected_on", "id")
        .values_list("id", "person_id", "subject_label", "detected_on", "state")
    )
    for pk, person, label, on, state in rows:
        out[person].append(
            {"item": pk, "label": label, "detected_on": on.isoformat(), "state": state}
        )
    return out
