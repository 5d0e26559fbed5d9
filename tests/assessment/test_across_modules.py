"""The annual assessment from real inputs, end to end: no input is replaced.

天山区's officer attends two sessions of a course (20 h present, 13 h of 20 partly), completes
the law-update study item (12 h) that the region's new policy version assigned, takes the
region's exam (one of two single-choice items right: 50.0 %), and has no reviewed case, no
overturned decision and no missed deadline. 天山区's head computes 2026 on 2026-12-20:

* training: (20 + 13 + 12) / 60 × 100 = 75.0;
* exams: 50.0;
* case-file review: no data — its weight (30) is shared among the other four;
* overturned: 100.0; missed deadlines: 100.0;
* total: (75 × 20 + 50 × 20 + 100 × 15 + 100 × 15) / 70 = 78.571… → 78.6, 称职.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from inspectorate.assessment import services as assessing
from inspectorate.assessment.models import AssessmentResult, Grade
from inspectorate.exams import services as exam_services
from inspectorate.legal import services as legal_services
from inspectorate.legal.models import StudyItem
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.exams.conftest import at, bank, published  # noqa: F401
from tests.factories import UserFactory
from tests.legal.conftest import V1, admin, policy  # noqa: F401
from tests.training.courses_world import course, held_session, plan

D = Decimal


def test_training_study_and_exam_feed_the_assessment(
    world: World,
    bank: dict[str, Any],  # noqa: F811
    admin: Any,  # noqa: F811
    policy: Any,  # noqa: F811
) -> None:
    w = world
    officer = w.tianshan_officer
    prov_head = UserFactory(agency=w.province, roles=[Role.HEAD])
    plan(prov_head, w.province, 2026, [("officer", "60", {})])
    lectures = course(w.tianshan_lead, "law", "20")
    held_session(w.tianshan_lead, lectures, dt.date(2026, 3, 10), [(officer, "present", None)])
    held_session(w.tianshan_lead, lectures, dt.date(2026, 4, 10), [(officer, "partial", "13")])

    legal_services.version_add(
        actor=admin,
        law_code=policy.code,
        label="2026年3月版",
        promulgated_on=dt.date(2026, 3, 1),
        effective_on=dt.date(2026, 3, 1),
        text=V1,
        study_hours="12",
        today=dt.date(2026, 3, 1),
    )
    item = StudyItem.objects.get(officer=officer)
    legal_services.study_complete(
        actor=officer,
        item_id=item.pk,
        note="学习了持证上岗和两人以上检查的要求，今后检查前核对执法证有效期。",
        today=dt.date(2026, 3, 20),
    )

    exam = published(
        bank["writer"],
        candidate_ids=[officer.pk],
        rules=[{"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 2, "points": 5}],
    )
    attempt = exam_services.attempt_start(
        actor=officer, exam_id=exam.pk, now=at(6, 2, 10), seed="e2e"
    )
    first, second = attempt.items.order_by("position")
    wrong = next(i for i in range(len(second.options)) if [i] != second.correct)
    attempt = exam_services.attempt_submit(
        actor=officer,
        attempt_id=attempt.pk,
        answers={str(first.position): first.correct, str(second.position): [wrong]},
        now=at(6, 2, 10, 30),
    )
    assert (attempt.percent, attempt.passed) == (D("50.0"), False)

    office = assessing.assessment_compute(
        actor=w.tianshan_head, agency=w.tianshan, year=2026, today=dt.date(2026, 12, 20)
    )
    result = AssessmentResult.objects.get(office=office, officer=officer)
    assert result.training_score == D("75.0")
    assert result.inputs["training"]["required_hours"] == "60.0"
    assert D(result.inputs["training"]["total_hours"]) == D("45.0")
    assert result.exams_score == D("50.0")
    assert result.review_score is None
    assert (result.overturned_score, result.deadlines_score) == (D("100.0"), D("100.0"))
    assert result.redistributed is True
    assert result.total == D("78.6")
    assert result.grade == Grade.COMPETENT
