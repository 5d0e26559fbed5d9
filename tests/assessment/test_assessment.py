"""The annual assessment: each component's exact score from constructed inputs, the weights
shared out when a component has no data, the grade cut-offs, the 优秀 quota, a province's
scheme over the national default, recompute versus confirmed, who computes, confirms and
reads (nothing changed when refused), and stale versions (409)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from inspectorate.accountability.models import ItemState
from inspectorate.assessment import scoring, selectors, services
from inspectorate.assessment.models import AssessmentResult, OfficeAssessment, Scheme
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.org.roles import Role
from tests.assessment.conftest import (
    TODAY,
    Inputs,
    a_case,
    exam,
    missed,
    no_fault,
    overturn,
    review,
)
from tests.cases.conftest import CaseWorld
from tests.factories import UserFactory

D = dt.date
H = Decimal


def _compute(aw: CaseWorld, actor: Any = None, **kw: Any) -> OfficeAssessment:
    return services.assessment_compute(
        actor=actor or aw.head, agency=aw.w.tianshan, year=2026, today=TODAY, **kw
    )


def _result(aw: CaseWorld, user: Any) -> AssessmentResult:
    return AssessmentResult.objects.get(officer=user, year=2026)


def _snapshot() -> tuple[Any, ...]:
    return (
        list(OfficeAssessment.objects.values_list("pk", "version", "confirmed_on")),
        list(AssessmentResult.objects.order_by("pk").values_list("pk", "total", "grade")),
        list(Scheme.objects.order_by("pk").values_list("pk", "version")),
        RecordEvent.objects.count(),
    )


def _default() -> Scheme:
    return Scheme.objects.get(jurisdiction_code="")


# --- the formulas ------------------------------------------------------------------


def test_training_score_is_hours_done_over_required_capped_at_100() -> None:
    assert scoring.training_component(H(60), H(45)).score == H("75.0")
    assert scoring.training_component(H(60), H(70)).score == H("100.0")
    assert scoring.training_component(H(30), H("10.5")).score == H("35.0")
    assert scoring.training_component(H(0), H(10)).score is None  # no plan: no data


def test_exam_score_is_the_mean_with_no_attempt_counting_zero() -> None:
    rows = [
        exam(1, "80.0"),
        exam(2, None, closes=D(2026, 9, 30)),  # closed without an attempt: 0
        exam(3, "70.0", pending=True),  # awaits marking: not yet
        exam(4, None, closes=D(2026, 12, 31)),  # still open on TODAY: not yet
    ]
    component = scoring.exams_component(rows, TODAY)
    assert component.score == H("40.0")
    assert component.inputs["counted"] == 2
    assert [e["status"] for e in component.inputs["exams"]] == [
        "counted",
        "counted",
        "pending",
        "open",
    ]
    assert scoring.exams_component([exam(3, "70", pending=True)], TODAY).score is None
    assert scoring.exams_component([], TODAY).score is None


def test_grade_cut_offs(db: None) -> None:
    scheme = _default()
    cases = {
        "90.0": "excellent",
        "89.9": "competent",
        "75.0": "competent",
        "74.9": "basic",
        "60.0": "basic",
        "59.9": "incompetent",
        "100.0": "excellent",
        "0.0": "incompetent",
    }
    assert {t: scoring.grade_for(H(t), scheme) for t in cases} == cases


def test_no_grade_below_the_least_basis(db: None) -> None:
    scheme = _default()
    assert scheme.min_basis == H("60.0")

    def comp(score: str | None) -> scoring.Component:
        return scoring.Component(None if score is None else H(score))

    # training, overturned and deadlines only: 20 + 15 + 15 = 50 of 100 < 60
    thin = {
        "training": comp("90.0"),
        "exams": comp(None),
        "review": comp(None),
        "overturned": comp("100.0"),
        "deadlines": comp("100.0"),
    }
    out = scoring.combine(thin, scheme)
    # (90×20 + 100×15 + 100×15) / 50 = 96.0: shown, but no grade
    assert (out.total, out.grade) == (H("96.0"), "")
    # with an exam, 70 of 100: (90×20 + 80×20 + 100×15 + 100×15) / 70 = 91.43 → 91.4, 优秀
    out = scoring.combine({**thin, "exams": comp("80.0")}, scheme)
    assert (out.total, out.grade) == (H("91.4"), "excellent")


def test_the_office_summary_counts_results_without_a_grade(aw: CaseWorld, inputs: Inputs) -> None:
    # the officer: 45 of 60 hours and nothing else (20 + 15 + 15 = 50 of the weights)
    inputs.hours[aw.officer.pk] = (H(60), H(45))
    inputs.exams[aw.officer.pk] = []
    office = _compute(aw)
    r = _result(aw, aw.officer)
    assert (r.total, r.grade) == (H("90.0"), "")  # (75×20 + 100×15 + 100×15) / 50
    # the lead has no training plan, no exam and no review: 30 of the weights, no grade either
    lead = _result(aw, aw.lead)
    assert (lead.total, lead.grade) == (H("100.0"), "")
    summary = selectors.summarize(office.agency, office, list(office.results.all()), 2)
    assert (summary.assessed, summary.no_basis) == (2, 2)
    assert summary.grades.get("excellent", 0) == 0


def test_excellent_quota() -> None:
    quota = H("20.0")
    assert not scoring.quota_exceeded(1, 5, quota)  # exactly 20 %
    assert scoring.quota_exceeded(2, 5, quota)
    assert not scoring.quota_exceeded(2, 10, quota)
    assert scoring.quota_exceeded(3, 10, quota)
    assert not scoring.quota_exceeded(0, 0, quota)


# --- computing an office -----------------------------------------------------------


def _data(aw: CaseWorld, inputs: Inputs) -> None:
    """``officer``: 45 of 60 hours; exams 80 and 70; one case reviewed 93/100 in 2026
    (another review of 2025 does not count); two decisions overturned in 2026 (an upheld
    one and one overturned in 2025 do not count); three missed deadlines in 2026 of which
    one was concluded without fault, and one of 2025."""
    officer, lead = aw.officer, aw.lead
    inputs.hours[officer.pk] = (H(60), H(45))
    inputs.exams[officer.pk] = [exam(1, "80.0"), exam(2, "70.0")]
    first = a_case(aw)
    review(first, 93, D(2026, 5, 1))
    old = a_case(aw)
    review(old, 50, D(2025, 12, 31))
    overturn(first, "revoked", D(2026, 6, 1))
    second = a_case(aw)
    overturn(second, "changed", D(2026, 9, 1))
    overturn(a_case(aw), "upheld", D(2026, 9, 2))
    overturn(old, "unlawful", D(2025, 11, 1))
    missed(officer, D(2026, 2, 1), 1)
    missed(officer, D(2026, 3, 1), 2, state=ItemState.UNDER_REVIEW)
    missed(
        officer,
        D(2026, 4, 1),
        3,
        state=ItemState.CONCLUDED,
        outcome=no_fault(),
        concluded_on=D(2026, 5, 1),
    )
    missed(officer, D(2025, 12, 30), 4)
    assert lead.pk  # the lead is the second investigator of the same cases


def test_each_component_and_the_total_from_constructed_data(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    office = _compute(aw)
    r = _result(aw, aw.officer)
    assert r.office == office
    assert (r.training_score, r.exams_score, r.review_score) == (H("75.0"), H("75.0"), H("93.0"))
    # default scheme: 20 points per decision overturned, 10 per missed deadline
    assert (r.overturned_score, r.deadlines_score) == (H("60.0"), H("80.0"))
    assert r.inputs["overturned"]["count"] == 2
    assert r.inputs["deadlines"]["count"] == 2
    assert r.inputs["training"]["required_hours"] == "60"
    assert [v["total"] for v in r.inputs["review"]["reviews"]] == [93]
    # 75×20 + 75×20 + 93×30 + 60×15 + 80×15 = 7890 / 100
    assert r.total == H("78.9")
    assert r.grade == "competent"
    assert not r.redistributed
    assert r.weights_used == {
        "training": "20.00",
        "exams": "20.00",
        "review": "30.00",
        "overturned": "15.00",
        "deadlines": "15.00",
    }
    assert office.scheme == _default()
    # the head, the admin, the legal reviewer and the inactive officer are not assessed
    assert set(AssessmentResult.objects.values_list("officer_id", flat=True)) == {
        aw.officer.pk,
        aw.lead.pk,
    }
    event = RecordEvent.objects.filter(kind="assessment.computed").get()
    assert event.payload["officers"] == 2


def test_a_component_without_data_shares_its_weight(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    _compute(aw)
    r = _result(aw, aw.lead)
    # no training plan, no exam: review 30, overturned 15, deadlines 15 of 60
    assert (r.training_score, r.exams_score) == (None, None)
    assert (r.review_score, r.overturned_score, r.deadlines_score) == (
        H("93.0"),
        H("60.0"),
        H("100.0"),
    )
    assert r.redistributed
    assert r.weights_used == {"review": "50.00", "overturned": "25.00", "deadlines": "25.00"}
    # (93×30 + 60×15 + 100×15) / 60 = 86.5
    assert r.total == H("86.5")
    # 60 of the weights rest on data: exactly the least basis for a grade
    assert r.grade == "competent"


def test_a_province_scheme_overrides_the_default(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    province_head = UserFactory(agency=aw.w.province, roles=[Role.HEAD])
    values = {
        "weight_training": 100,
        "weight_exams": 0,
        "weight_review": 0,
        "weight_overturned": 0,
        "weight_deadlines": 0,
        "overturned_points": "10",
        "missed_points": "5",
        "band_excellent": "95",
        "band_competent": "80",
        "band_basic": "70",
        "excellent_quota": "15",
    }
    before = _snapshot()
    with pytest.raises(PermissionDenied):  # a county office publishes no scheme
        services.scheme_save(
            actor=aw.head, year=2026, name="方案", source="通知", values=values, today=TODAY
        )
    with pytest.raises(ValidationFailed) as info:
        services.scheme_save(
            actor=province_head,
            year=2026,
            name="方案",
            source="通知",
            values={**values, "weight_exams": 10, "band_basic": "85"},
            today=TODAY,
        )
    assert set(info.value.extra["fields"]) == {"weight_training"}
    with pytest.raises(ValidationFailed) as info:
        services.scheme_save(
            actor=province_head,
            year=2026,
            name="方案",
            source="通知",
            values={**values, "min_basis": "100.5"},
            today=TODAY,
        )
    assert set(info.value.extra["fields"]) == {"min_basis"}
    assert _snapshot() == before
    scheme = services.scheme_save(
        actor=province_head,
        year=2026,
        name="新疆执法人员考核方案",
        source="新应急〔2026〕1号",
        values=values,
        today=TODAY,
    )
    assert scheme.jurisdiction_code == "650000"
    assert selectors.scheme_for("650102", 2026) == scheme
    assert selectors.scheme_for("650102", 2025) == _default()  # not before its year
    assert selectors.scheme_for("652301", 2027) == scheme  # in force until replaced
    assert selectors.scheme_for("110101", 2026) == _default()  # another province
    office = _compute(aw)
    assert office.scheme == scheme
    r = _result(aw, aw.officer)
    assert (r.total, r.grade) == (H("75.0"), "basic")  # training only; 基本称职 from 70
    assert r.overturned_score == H("80.0")  # 10 points each in this scheme
    with pytest.raises(ConcurrentModification):
        services.scheme_save(
            actor=province_head,
            year=2026,
            name="新疆执法人员考核方案",
            source="新应急〔2026〕1号",
            values=values,
            today=TODAY,
            expected_version=scheme.version + 1,
        )


def test_recompute_replaces_until_the_head_confirms(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    office = _compute(aw)
    assert office.version == 1
    inputs.hours[aw.officer.pk] = (H(60), H(60))
    office = _compute(aw, expected_version=1)
    assert office.version == 2
    assert _result(aw, aw.officer).training_score == H("100.0")
    assert AssessmentResult.objects.count() == 2
    with pytest.raises(ConcurrentModification):
        services.assessment_confirm(
            actor=aw.head, agency=aw.w.tianshan.pk, year=2026, today=TODAY, expected_version=1
        )
    office = services.assessment_confirm(
        actor=aw.head, agency=aw.w.tianshan.pk, year=2026, today=TODAY, expected_version=2
    )
    assert office.confirmed_on == TODAY
    assert office.version == 3
    inputs.hours[aw.officer.pk] = (H(60), H(0))
    before = _snapshot()
    with pytest.raises(IllegalTransition):
        _compute(aw)
    with pytest.raises(IllegalTransition):
        services.assessment_confirm(actor=aw.head, agency=aw.w.tianshan, year=2026, today=TODAY)
    assert _snapshot() == before
    assert _result(aw, aw.officer).training_score == H("100.0")
    assert RecordEvent.objects.filter(kind="assessment.confirmed").count() == 1


def test_who_computes_and_confirms(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    w = aw.w
    before = _snapshot()
    with pytest.raises(NotFound):  # another jurisdiction
        _compute(aw, actor=w.karamay_head)
    with pytest.raises(PermissionDenied):  # an officer of the office
        _compute(aw, actor=aw.officer)
    with pytest.raises(PermissionDenied):  # the legal reviewer
        _compute(aw, actor=aw.reviewer)
    with pytest.raises(ValidationFailed):
        services.assessment_compute(actor=aw.head, agency=w.tianshan, year=2027, today=TODAY)
    with pytest.raises(IllegalTransition):  # nothing computed yet
        services.assessment_confirm(actor=aw.head, agency=w.tianshan, year=2026, today=TODAY)
    assert _snapshot() == before
    upper_head = UserFactory(agency=w.prefecture, roles=[Role.HEAD])
    _compute(aw, actor=upper_head)  # an office above computes
    _compute(aw, actor=w.tianshan_admin)
    before = _snapshot()
    with pytest.raises(PermissionDenied):  # only the office's own head confirms
        services.assessment_confirm(actor=upper_head, agency=w.tianshan, year=2026, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.assessment_confirm(
            actor=w.tianshan_admin, agency=w.tianshan, year=2026, today=TODAY
        )
    with pytest.raises(NotFound):
        services.assessment_confirm(actor=w.karamay_head, agency=w.tianshan, year=2026, today=TODAY)
    assert _snapshot() == before


def test_who_reads(aw: CaseWorld, inputs: Inputs) -> None:
    _data(aw, inputs)
    _compute(aw)
    w = aw.w
    own = _result(aw, aw.officer)
    other = _result(aw, aw.lead)
    assert selectors.result_get_for_user(user=aw.officer, pk=own.pk) == own
    with pytest.raises(NotFound):  # an officer reads only their own result
        selectors.result_get_for_user(user=aw.officer, pk=other.pk)
    with pytest.raises(NotFound):
        selectors.office_assessment(user=aw.officer, agency_id=w.tianshan.pk, year=2026)
    with pytest.raises(NotFound):
        selectors.result_get_for_user(user=w.karamay_head, pk=own.pk)
    upper = UserFactory(agency=w.province, roles=[Role.SUPERVISOR])
    assert selectors.result_get_for_user(user=upper, pk=other.pk) == other
    assert selectors.result_get_for_user(user=aw.lead, pk=own.pk) == own  # the team lead
    rows = selectors.offices_for_user(user=upper, year=2026)
    row = next(r for r in rows if r.agency == w.tianshan)
    assert (row.assessed, row.average, row.grades) == (2, H("82.7"), {"competent": 2})
    assert not row.quota_exceeded
    # an office without a computation shows its officers
    assert next(r for r in rows if r.agency == w.karamay).office is None
    assert selectors.offices_for_user(user=aw.officer, year=2026) == []
    assert {r.agency for r in selectors.offices_for_user(user=w.karamay_head, year=2026)} == {
        w.karamay
    }
