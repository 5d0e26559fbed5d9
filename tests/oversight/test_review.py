"""Case-file review (案卷评查): the default sheet, scoring, grades, who may review, the
results per office, and a province publishing its own sheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from inspectorate.cases.models import CaseState
from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.oversight import selectors, services
from inspectorate.oversight.models import (
    CaseFileReview,
    ReviewScore,
    ScoringSheet,
    SheetState,
)
from tests.oversight.conftest import OversightWorld, case

DAY = dt.date(2026, 11, 20)


def full_marks(**changes: Any) -> dict[str, dict[str, Any]]:
    sheet = services.sheet_in_force("650102")
    scores: dict[str, dict[str, Any]] = {
        i.code: {"points": i.max_points, "note": ""} for i in sheet.items.all()
    }
    for code, value in changes.items():
        scores[code] = value
    return scores


def closed_case(ow: OversightWorld, agency: Any = None, enterprise: Any = None) -> Any:
    return case(
        agency or ow.w.tianshan,
        enterprise or ow.w.ent_tianshan,
        state=CaseState.CLOSED,
        decided_by=ow.ts_head,
    )


def test_the_default_sheet(db: None) -> None:
    sheet = services.sheet_in_force("650102")
    assert sheet.jurisdiction_code == ""
    assert sheet.state == SheetState.PUBLISHED
    items = list(sheet.items.all())
    assert len(items) == 15
    assert sheet.max_total == 100
    by_section: dict[str, int] = {}
    for i in items:
        by_section[i.section] = by_section.get(i.section, 0) + i.max_points
    assert by_section == {"实体": 40, "程序": 35, "文书": 15, "归档": 10}
    assert "系统默认" in sheet.source
    assert [b["min"] for b in sheet.grade_bands] == [90, 70, 0]


@pytest.mark.parametrize(
    ("total", "grade"),
    [(100, "excellent"), (90, "excellent"), (89, "pass"), (70, "pass"), (69, "fail"), (0, "fail")],
)
def test_grade_bands(db: None, total: int, grade: str) -> None:
    assert services.grade_for(services.sheet_in_force("650102"), total)["grade"] == grade


def test_a_review_scores_totals_and_grades(ow: OversightWorld) -> None:
    c = closed_case(ow)
    review = services.case_file_review_create(
        actor=ow.pref_head,
        case_id=c.pk,
        scores=full_marks(
            E4={"points": 6, "note": "罚款高于基准未说明理由"},
            P7={"points": 0, "note": "超过九十日未延期"},
            D3={"points": 3, "note": "送达回证缺日期"},
        ),
        conclusion="程序存在瑕疵",
        today=DAY,
    )
    assert (review.total, review.max_total, review.grade, review.grade_label) == (
        89,
        100,
        "pass",
        "合格",
    )
    assert review.jurisdiction_code == "650102"
    assert review.reviewer_code == "650100"
    assert ReviewScore.objects.filter(review=review).count() == 15
    event = RecordEvent.objects.get(kind="oversight.case_file_reviewed")
    assert event.payload["total"] == 89
    assert event.payload["scores"]["P7"] == 0


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"E4": {"points": 8, "note": ""}}, "note_E4"),
        ({"E4": {"points": 11, "note": "x"}}, "score_E4"),
        ({"E4": {"points": None, "note": ""}}, "score_E4"),
        ({"ZZ": {"points": 1, "note": ""}}, "scores"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(
    ow: OversightWorld, scores: dict[str, Any], field: str
) -> None:
    c = closed_case(ow)
    with pytest.raises(ValidationFailed) as exc:
        services.case_file_review_create(
            actor=ow.pref_head, case_id=c.pk, scores=full_marks(**scores), today=DAY
        )
    assert field in exc.value.extra["fields"]
    assert CaseFileReview.objects.count() == 0
    assert ReviewScore.objects.count() == 0


def test_who_may_review_what(ow: OversightWorld) -> None:
    c = closed_case(ow)
    assert c.investigator_2_id == ow.ts_lead.pk  # a team lead, who may review others' files
    for insider in (ow.ts_head, ow.ts_lead):  # the decider, an investigator
        with pytest.raises(PermissionDenied):
            services.case_file_review_create(
                actor=insider, case_id=c.pk, scores=full_marks(), today=DAY
            )
    with pytest.raises(PermissionDenied):  # an officer's role does not review
        services.case_file_review_create(
            actor=ow.w.shayibake_officer, case_id=c.pk, scores=full_marks(), today=DAY
        )
    with pytest.raises(NotFound):  # another jurisdiction
        services.case_file_review_create(
            actor=ow.w.karamay_head, case_id=c.pk, scores=full_marks(), today=DAY
        )
    open_case = case(ow.w.tianshan, ow.w.ent_tianshan)
    with pytest.raises(ValidationFailed):
        services.case_file_review_create(
            actor=ow.pref_head, case_id=open_case.pk, scores=full_marks(), today=DAY
        )
    assert CaseFileReview.objects.count() == 0
    services.case_file_review_create(
        actor=ow.pref_head, case_id=c.pk, scores=full_marks(), today=DAY
    )
    with pytest.raises(ValidationFailed):  # once per office and sheet
        services.case_file_review_create(
            actor=ow.pref_head, case_id=c.pk, scores=full_marks(), today=DAY
        )
    services.case_file_review_create(
        actor=ow.prov_head, case_id=c.pk, scores=full_marks(), today=DAY
    )
    assert CaseFileReview.objects.count() == 2


def test_results_per_office(ow: OversightWorld) -> None:
    ts = [closed_case(ow) for _ in range(3)]
    syb = closed_case(ow, ow.w.shayibake, ow.w.ent_shayibake)
    marks = [
        full_marks(),
        full_marks(E2={"points": 4, "note": "证据不足"}, P6={"points": 1, "note": "未送达"}),
        full_marks(
            E2={"points": 2, "note": "证据不足"},
            E1={"points": 0, "note": "事实不清"},
            A1={"points": 0, "note": "未归档"},
            E3={"points": 0, "note": "适用法律错误"},
        ),
    ]
    for c, m in zip(ts, marks, strict=True):
        services.case_file_review_create(actor=ow.pref_head, case_id=c.pk, scores=m, today=DAY)
    services.case_file_review_create(
        actor=ow.pref_head, case_id=syb.pk, scores=full_marks(), today=DAY
    )
    results = selectors.review_results(user=ow.pref_head)
    assert [(r.agency.pk, r.count, r.average) for r in results] == [
        (ow.w.tianshan.pk, 3, 84.0),  # (100 + 90 + 62) / 3
        (ow.w.shayibake.pk, 1, 100.0),
    ]
    tianshan = results[0]
    assert tianshan.grades == {"优秀": 2, "不合格": 1}
    assert [(w["code"], w["average_lost"], w["times"]) for w in tianshan.worst] == [
        ("E2", 4.67, 2),
        ("A1", 3.33, 1),
        ("E1", 3.33, 1),
    ]
    assert [r.agency.pk for r in selectors.review_results(user=ow.ts_officer)] == [ow.w.tianshan.pk]
    assert selectors.review_results(user=ow.w.karamay_officer) == []


def test_a_province_publishes_its_own_sheet(ow: OversightWorld) -> None:
    items = [
        {
            "code": "S1",
            "section": "实体",
            "text": "事实清楚",
            "max_points": 60,
            "basis": "第四十条",
        },
        {
            "code": "C1",
            "section": "程序",
            "text": "程序合法",
            "max_points": 40,
            "basis": "第五十四条",
        },
    ]
    bands = [
        {"grade": "excellent", "label": "优秀", "min": 85},
        {"grade": "pass", "label": "合格", "min": 60},
        {"grade": "fail", "label": "不合格", "min": 0},
    ]
    with pytest.raises(PermissionDenied):  # not an administrator of a province
        services.scoring_sheet_create(
            actor=ow.w.tianshan_admin, name="x", source="y", items=items, grade_bands=bands
        )
    with pytest.raises(ValidationFailed):
        services.scoring_sheet_create(
            actor=ow.prov_admin,
            name="新疆",
            source="自治区规定",
            items=items,
            grade_bands=bands[:2],
        )
    sheet = services.scoring_sheet_create(
        actor=ow.prov_admin,
        name="新疆案卷评查表",
        source="自治区规定",
        items=items,
        grade_bands=bands,
    )
    assert (sheet.jurisdiction_code, sheet.number, sheet.state) == ("650000", 1, "draft")
    assert services.sheet_in_force("650102").jurisdiction_code == ""
    services.scoring_sheet_publish(actor=ow.prov_admin, sheet_id=sheet.pk, version=sheet.version)
    assert services.sheet_in_force("650102").pk == sheet.pk
    assert services.sheet_in_force("110101").jurisdiction_code == ""  # another province
    second = services.scoring_sheet_create(
        actor=ow.prov_admin,
        name="新疆案卷评查表（修订）",
        source="自治区规定",
        items=items,
        grade_bands=bands,
    )
    services.scoring_sheet_publish(actor=ow.prov_admin, sheet_id=second.pk, version=second.version)
    assert ScoringSheet.objects.get(pk=sheet.pk).state == SheetState.RETIRED
    c = closed_case(ow)
    review = services.case_file_review_create(
        actor=ow.pref_head,
        case_id=c.pk,
        scores={"S1": {"points": 50, "note": "事实基本清楚"}, "C1": {"points": 35, "note": "瑕疵"}},
        today=DAY,
    )
    assert (review.sheet_id, review.total, review.grade) == (second.pk, 85, "excellent")
