"""Timed attempts: the window, the due moment, saving and submitting (late submissions),
snapshots, automatic scoring, marking and retakes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.exams import services
from inspectorate.exams.models import Attempt, AttemptItem
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.exams.conftest import CLOSES, OPENS, at, published
from tests.factories import UserFactory

OBJECTIVE = [
    {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 2, "points": 5},
    {"law": "", "tag": "", "kind": "multiple", "difficulty": "", "count": 1, "points": 10},
    {"law": "", "tag": "", "kind": "true_false", "difficulty": "", "count": 2, "points": 2},
]
WITH_CASE = [
    *OBJECTIVE,
    {"law": "", "tag": "", "kind": "case", "difficulty": "", "count": 1, "points": 20},
]


@pytest.fixture
def officer(world: World) -> Any:
    return world.tianshan_officer


def _exam(
    bank: dict[str, Any], officer: Any, rules: list[dict[str, Any]] = OBJECTIVE, **over: Any
) -> Any:
    return published(bank["writer"], candidate_ids=[officer.pk], rules=rules, **over)


def _correct(a: Attempt) -> dict[str, Any]:
    return {str(i.position): i.correct for i in a.items.exclude(kind="case")}


def test_start_inside_the_window_only(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    with pytest.raises(IllegalTransition):
        services.attempt_start(actor=officer, exam_id=e.pk, now=OPENS - dt.timedelta(seconds=1))
    with pytest.raises(IllegalTransition):
        services.attempt_start(actor=officer, exam_id=e.pk, now=CLOSES)
    assert Attempt.objects.count() == 0
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=OPENS, seed="s")
    assert (a.number, a.started_at, a.due_at) == (1, OPENS, OPENS + dt.timedelta(minutes=60))
    assert a.max_score == Decimal("24")
    assert a.items.count() == 5
    assert RecordEvent.objects.filter(kind="exams.attempt_started").get().payload["seed"] == "s"


def test_due_at_window_close_when_earlier(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    start = CLOSES - dt.timedelta(minutes=20)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=start)
    assert a.due_at == CLOSES


def test_only_candidates_start(world: World, bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    with pytest.raises(PermissionDenied):  # sees the exam (an upper office) but is no candidate
        services.attempt_start(actor=world.province_officer, exam_id=e.pk, now=at(6, 2))
    with pytest.raises(NotFound):
        services.attempt_start(actor=world.karamay_officer, exam_id=e.pk, now=at(6, 2))
    assert Attempt.objects.count() == 0


def test_submit_one_second_late_keeps_only_earlier_answers(
    bank: dict[str, Any], officer: Any
) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10), seed="x")
    right = _correct(a)
    first = {k: v for k, v in right.items() if k in ("1", "2")}
    services.attempt_save(
        actor=officer, attempt_id=a.pk, answers=first, now=a.due_at - dt.timedelta(seconds=1)
    )
    with pytest.raises(IllegalTransition):  # at the due moment nothing more is accepted
        services.attempt_save(actor=officer, attempt_id=a.pk, answers=right, now=a.due_at)
    late = a.due_at + dt.timedelta(seconds=1)
    a = services.attempt_submit(actor=officer, attempt_id=a.pk, answers=right, now=late)
    assert (a.submitted_at, a.late_submit_at, a.state) == (a.due_at, late, "finished")
    assert a.score == Decimal("10.00")  # only items 1 and 2 (5 points each) were saved in time
    assert a.percent == Decimal("41.7")
    assert a.passed is False
    assert list(a.items.filter(position__gt=2).values_list("answer", flat=True)) == [[], [], []]


def test_submit_in_time_saves_answers_first(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    a = services.attempt_submit(
        actor=officer, attempt_id=a.pk, answers=_correct(a), now=a.due_at - dt.timedelta(seconds=1)
    )
    assert (a.score, a.percent, a.passed, a.late_submit_at) == (
        Decimal("24.00"),
        Decimal("100.0"),
        True,
        None,
    )
    with pytest.raises(IllegalTransition):
        services.attempt_submit(actor=officer, attempt_id=a.pk, now=at(6, 2, 10, 30))


def test_auto_scoring_all_or_nothing(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    items = {i.position: i for i in a.items.all()}
    answers = _correct(a)
    # the multiple-choice item (position 3): one correct option of two scores nothing
    answers["3"] = [items[3].correct[0]]
    # a true/false item wrong
    answers["4"] = [1 - items[4].correct[0]]
    a = services.attempt_submit(
        actor=officer, attempt_id=a.pk, answers=answers, now=at(6, 2, 10, 30)
    )
    scores = dict(a.items.values_list("position", "score"))
    assert scores == {
        1: Decimal("5.00"),
        2: Decimal("5.00"),
        3: Decimal("0.00"),
        4: Decimal("0.00"),
        5: Decimal("2.00"),
    }
    assert (a.score, a.percent, a.passed) == (Decimal("12.00"), Decimal("50.0"), False)


@pytest.mark.parametrize(
    "answers",
    [{"9": [0]}, {"1": [7]}, {"1": [0, 1]}, {"1": "A"}, "not a dict"],
)
def test_bad_answers_change_nothing(bank: dict[str, Any], officer: Any, answers: Any) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    services.attempt_save(actor=officer, attempt_id=a.pk, answers={"2": [0]}, now=at(6, 2, 10, 5))
    with pytest.raises(ValidationFailed):
        services.attempt_save(
            actor=officer,
            attempt_id=a.pk,
            answers={"2": [1], **answers} if isinstance(answers, dict) else answers,
            now=at(6, 2, 10, 6),
        )
    assert a.items.get(position=2).answer == [0]


def test_only_the_candidate_answers(world: World, bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    # an office below the organiser does not see the attempt; the organiser sees it but
    # does not answer for the candidate
    for other, error in ((world.tianshan_head, NotFound), (bank["writer"], PermissionDenied)):
        with pytest.raises(error):
            services.attempt_save(
                actor=other, attempt_id=a.pk, answers={"1": [0]}, now=at(6, 2, 10, 5)
            )
        with pytest.raises(error):
            services.attempt_submit(actor=other, attempt_id=a.pk, now=at(6, 2, 10, 5))
    a.refresh_from_db()
    assert a.state == "in_progress"
    assert a.items.get(position=1).answer == []


def test_snapshot_is_independent_of_later_edits(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer, rules=[OBJECTIVE[0]])
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    item = a.items.get(position=1)
    q = item.question
    before = (item.stem, item.options, item.correct, item.question_version)
    services.question_update(
        actor=bank["writer"],
        question_id=q.pk,
        expected_version=q.version,
        kind="single",
        stem="改过的题干",
        options=["新A", "新B"],
        correct=[1 - q.correct[0]] if q.correct[0] < 2 else [0],
        explanation="",
        model_answer="",
        rubric=[],
        difficulty="easy",
        article_ids=[art.pk for art in q.articles.all()],
        tags=[],
        points=2,
    )
    services.question_set_state(
        actor=bank["writer"], question_id=q.pk, expected_version=q.version + 1, state="retired"
    )
    item = AttemptItem.objects.get(pk=item.pk)
    assert (item.stem, item.options, item.correct, item.question_version) == before
    answers = {str(i.position): i.correct for i in a.items.all()}
    a = services.attempt_submit(
        actor=officer, attempt_id=a.pk, answers=answers, now=at(6, 2, 10, 30)
    )
    assert a.percent == Decimal("100.0")


def _case_attempt(bank: dict[str, Any], officer: Any, **over: Any) -> tuple[Any, Attempt]:
    e = _exam(bank, officer, rules=WITH_CASE, **over)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    answers = {**_correct(a), "6": "企业未培训即上岗，依第九十七条处罚。"}
    return e, services.attempt_submit(
        actor=officer, attempt_id=a.pk, answers=answers, now=at(6, 2, 10, 40)
    )


def test_case_analysis_goes_to_marking(bank: dict[str, Any], officer: Any) -> None:
    _, a = _case_attempt(bank, officer)
    assert (a.state, a.score, a.percent, a.passed) == ("marking", None, None, None)
    assert a.max_score == Decimal("44")
    assert a.items.get(position=6).answer_text == "企业未培训即上岗，依第九十七条处罚。"


def test_marking_scales_rubric_points_and_finishes(
    world: World, bank: dict[str, Any], officer: Any
) -> None:
    _, a = _case_attempt(bank, officer)
    marker = world.tianshan_head  # head of a lower office: not of the organising office
    with pytest.raises(NotFound):
        services.attempt_mark(
            actor=marker,
            attempt_id=a.pk,
            position=6,
            marks=["5", "3"],
            comment="好",
            expected_version=a.version,
        )
    reviewer = bank["writer"]
    # rubric 6 + 4 = 10 points, the line gives 20: 5.5 + 3 = 8.5 → 17.00
    a = services.attempt_mark(
        actor=reviewer,
        attempt_id=a.pk,
        position=6,
        marks=["5.5", "3"],
        comment="依据准确",
        expected_version=a.version,
    )
    item = a.items.get(position=6)
    assert (item.score, item.marks, item.comment, item.marker_id) == (
        Decimal("17.00"),
        ["5.5", "3"],
        "依据准确",
        reviewer.pk,
    )
    assert (a.state, a.score, a.percent, a.passed) == (
        "finished",
        Decimal("41.00"),
        Decimal("93.2"),
        True,
    )
    event = RecordEvent.objects.filter(kind="exams.attempt_marked").get()
    assert event.payload["complete"] is True


@pytest.mark.parametrize(
    ("marks", "comment", "field"),
    [
        (["7", "3"], "好", "marks"),  # above the criterion's 6 points
        (["-1", "3"], "好", "marks"),
        (["5.25", "3"], "好", "marks"),  # steps of 0.5
        (["5"], "好", "marks"),  # one mark per criterion
        (["5", "3"], " ", "comment"),
    ],
)
def test_marking_bounds(
    bank: dict[str, Any], officer: Any, marks: list[str], comment: str, field: str
) -> None:
    _, a = _case_attempt(bank, officer)
    with pytest.raises(ValidationFailed) as exc:
        services.attempt_mark(
            actor=bank["writer"],
            attempt_id=a.pk,
            position=6,
            marks=marks,
            comment=comment,
            expected_version=a.version,
        )
    assert field in exc.value.extra["fields"]
    a.refresh_from_db()
    assert a.state == "marking"
    assert a.items.get(position=6).score is None


def test_marking_separation_and_roles(world: World, bank: dict[str, Any]) -> None:
    # a legal reviewer of the region is also a candidate: they may not mark their own paper
    reviewer = bank["writer"]
    _, a = _case_attempt(bank, reviewer)
    with pytest.raises(PermissionDenied):
        services.attempt_mark(
            actor=reviewer,
            attempt_id=a.pk,
            position=6,
            marks=["5", "3"],
            comment="好",
            expected_version=a.version,
        )
    officer = UserFactory(agency=world.province, roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.attempt_mark(
            actor=officer,
            attempt_id=a.pk,
            position=6,
            marks=["5", "3"],
            comment="好",
            expected_version=a.version,
        )
    with pytest.raises(ValidationFailed):  # item 1 is not a case analysis
        services.attempt_mark(
            actor=UserFactory(agency=world.province, roles=[Role.HEAD]),
            attempt_id=a.pk,
            position=1,
            marks=["5", "3"],
            comment="好",
            expected_version=a.version,
        )
    other = UserFactory(agency=world.province, roles=[Role.TEAM_LEAD])
    with pytest.raises(ConcurrentModification):
        services.attempt_mark(
            actor=other,
            attempt_id=a.pk,
            position=6,
            marks=["5", "3"],
            comment="好",
            expected_version=a.version - 1,
        )
    a.refresh_from_db()
    assert a.state == "marking"
    a = services.attempt_mark(
        actor=other,
        attempt_id=a.pk,
        position=6,
        marks=["6", "4"],
        comment="好",
        expected_version=a.version,
    )
    assert a.percent == Decimal("100.0")
    with pytest.raises(IllegalTransition):  # a finished attempt is not marked again
        services.attempt_mark(
            actor=other,
            attempt_id=a.pk,
            position=6,
            marks=["0", "0"],
            comment="改",
            expected_version=a.version,
        )


def test_retakes_up_to_the_maximum(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer, max_attempts=2)
    a1 = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    with pytest.raises(IllegalTransition):  # one attempt at a time
        services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10, 10))
    services.attempt_submit(actor=officer, attempt_id=a1.pk, now=at(6, 2, 10, 20))
    a2 = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 3, 10))
    assert a2.number == 2
    services.attempt_submit(actor=officer, attempt_id=a2.pk, now=at(6, 3, 10, 20))
    with pytest.raises(IllegalTransition):
        services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 4, 10))
    assert Attempt.objects.filter(exam=e).count() == 2


def test_an_overdue_attempt_is_handed_in_at_its_due_time_before_a_retake(
    bank: dict[str, Any], officer: Any
) -> None:
    e = _exam(bank, officer, max_attempts=2)
    a1 = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    services.attempt_save(
        actor=officer,
        attempt_id=a1.pk,
        answers={"1": a1.items.get(position=1).correct},
        now=at(6, 2, 10, 5),
    )
    a2 = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 3, 10))
    a1.refresh_from_db()
    assert (a1.state, a1.submitted_at, a1.score) == ("finished", a1.due_at, Decimal("5.00"))
    assert a2.number == 2


def test_close_hands_in_attempts_in_progress(bank: dict[str, Any], officer: Any) -> None:
    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    services.exam_close(
        actor=bank["writer"], exam_id=e.pk, expected_version=2, now=at(6, 2, 10, 15)
    )
    a.refresh_from_db()
    assert (a.state, a.submitted_at) == ("finished", at(6, 2, 10, 15))
    with pytest.raises(IllegalTransition):
        services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 3, 10))


def test_who_reads_an_attempt(world: World, bank: dict[str, Any], officer: Any) -> None:
    from inspectorate.exams import selectors

    e = _exam(bank, officer)
    a = services.attempt_start(actor=officer, exam_id=e.pk, now=at(6, 2, 10))
    assert selectors.attempt_get_for_user(user=officer, pk=a.pk) == a
    assert selectors.attempt_get_for_user(user=bank["writer"], pk=a.pk) == a  # the organiser
    # an officer of the organising office who organises nothing, and another office
    for user in (world.province_officer, world.karamay_head):
        with pytest.raises(NotFound):
            selectors.attempt_get_for_user(user=user, pk=a.pk)
