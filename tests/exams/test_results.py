"""exam_results (the assessment's read) and the results summary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from inspectorate.exams import selectors, services
from inspectorate.exams.models import Attempt
from inspectorate.exams.selectors import ExamResult, exam_results
from tests.conftest import World
from tests.exams.conftest import CLOSES, at, published


def _answer_all(attempt: Attempt, right: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in attempt.items.all():
        if item.kind == "case":
            out[str(item.position)] = "答案"
        elif right:
            out[str(item.position)] = item.correct
        else:
            wrong = [i for i in range(len(item.options)) if [i] != item.correct][:1]
            out[str(item.position)] = wrong
    return out


def _take(user: Any, exam_id: int, right: bool, day: int, hour: int = 10) -> Attempt:
    a = services.attempt_start(actor=user, exam_id=exam_id, now=at(6, day, hour), seed=f"s{day}")
    return services.attempt_submit(
        actor=user, attempt_id=a.pk, answers=_answer_all(a, right), now=at(6, day, hour, 20)
    )


def test_exam_results_best_retake_pending_and_absent(world: World, bank: dict[str, Any]) -> None:
    w = world
    exam = published(
        bank["writer"],
        candidate_ids=[w.tianshan_officer.pk, w.prefecture_officer.pk, w.shayibake_officer.pk],
        rules=[
            {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 2, "points": 5},
            {"law": "", "tag": "", "kind": "case", "difficulty": "", "count": 1, "points": 10},
        ],
    )
    # 天山区: fails (0 of 20, after marking 0), then passes (10 + 10 marked)
    first = _take(w.tianshan_officer, exam.pk, right=False, day=2)
    marker = bank["writer"]
    services.attempt_mark(
        actor=marker,
        attempt_id=first.pk,
        position=3,
        marks=["1", "0"],
        comment="定性不准",
        expected_version=first.version,
    )
    second = _take(w.tianshan_officer, exam.pk, right=True, day=3)
    second = services.attempt_mark(
        actor=marker,
        attempt_id=second.pk,
        position=3,
        marks=["6", "4"],
        comment="完整",
        expected_version=second.version,
    )
    assert second.percent == Decimal("100.0")
    # 乌鲁木齐: submitted, awaiting marking
    _take(w.prefecture_officer, exam.pk, right=True, day=4)
    rows = exam_results(
        year=2026,
        user_ids=[
            w.tianshan_officer.pk,
            w.prefecture_officer.pk,
            w.shayibake_officer.pk,
            w.karamay_officer.pk,
        ],
    )
    closes_on = CLOSES.date()
    assert rows[w.tianshan_officer.pk] == [
        ExamResult(exam.pk, exam.title, closes_on, Decimal("100.0"), True, False)
    ]
    assert rows[w.prefecture_officer.pk] == [
        ExamResult(exam.pk, exam.title, closes_on, None, False, True)
    ]
    assert rows[w.shayibake_officer.pk] == [
        ExamResult(exam.pk, exam.title, closes_on, None, False, False)
    ]
    assert rows[w.karamay_officer.pk] == []
    assert exam_results(year=2025, user_ids=[w.tianshan_officer.pk]) == {w.tianshan_officer.pk: []}
    # first attempt: 0 objective + 1 of 10 rubric points scaled to 10 → 1 of 20 = 5.0 %
    first.refresh_from_db()
    assert (first.score, first.percent, first.passed) == (Decimal("1.00"), Decimal("5.0"), False)
    summary = selectors.exam_summary(exam)
    assert (summary.candidates, summary.took, summary.passed, summary.pending) == (3, 2, 1, 1)
    assert summary.pass_rate == Decimal("100.0")
    assert summary.average == Decimal("100.0")


def test_exam_results_last_counts(world: World, bank: dict[str, Any]) -> None:
    w = world
    exam = published(bank["writer"], candidate_ids=[w.tianshan_officer.pk], counting="last")
    _take(w.tianshan_officer, exam.pk, right=True, day=2)
    _take(w.tianshan_officer, exam.pk, right=False, day=3)
    [row] = exam_results(year=2026, user_ids=[w.tianshan_officer.pk])[w.tianshan_officer.pk]
    assert (row.score, row.passed, row.pending) == (Decimal("0.0"), False, False)


def test_exam_results_draft_exams_are_absent(world: World, bank: dict[str, Any]) -> None:
    from tests.exams.conftest import exam

    exam(bank["writer"], candidate_ids=[world.tianshan_officer.pk])
    assert exam_results(year=2026, user_ids=[world.tianshan_officer.pk]) == {
        world.tianshan_officer.pk: []
    }


def test_exam_results_year_is_the_local_closing_day(world: World, bank: dict[str, Any]) -> None:
    import datetime as dt

    from tests.exams.conftest import TZ

    officer = world.tianshan_officer
    late = published(
        bank["writer"],
        title="年末考试",
        candidate_ids=[officer.pk],
        closes_at=dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=TZ),
    )
    # 1 January 2027 00:00 in Beijing is still 31 December 2026 in UTC
    new_year = published(
        bank["writer"],
        title="新年考试",
        candidate_ids=[officer.pk],
        closes_at=dt.datetime(2027, 1, 1, 0, 0, tzinfo=TZ),
    )
    [row_2026] = exam_results(year=2026, user_ids=[officer.pk])[officer.pk]
    [row_2027] = exam_results(year=2027, user_ids=[officer.pk])[officer.pk]
    assert (row_2026.exam_id, row_2026.closes_on) == (late.pk, dt.date(2026, 12, 31))
    assert (row_2027.exam_id, row_2027.closes_on) == (new_year.pk, dt.date(2027, 1, 1))
