"""The question bank: validation per kind, who writes, who sees, stale versions."""

from __future__ import annotations

from typing import Any

import pytest

from inspectorate.core.errors import (
    ConcurrentModification,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.exams import selectors, services
from inspectorate.exams.models import Question
from inspectorate.org.roles import Role
from tests.conftest import World, zh
from tests.exams.conftest import article, question
from tests.factories import UserFactory


@pytest.fixture
def writer(world: World) -> Any:
    return UserFactory(agency=world.tianshan, roles=[Role.LEGAL_REVIEWER])


def _fields(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "single",
        "stem": "题干",
        "options": ["甲", "乙"],
        "correct": [0],
        "explanation": "",
        "model_answer": "",
        "rubric": [],
        "difficulty": "easy",
        "article_ids": [article("work-safety-law", 112).pk],
        "tags": [],
        "points": 2,
    }
    base.update(over)
    return base


def _errors(actor: Any, **over: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as exc:
        services.question_create(actor=actor, **_fields(**over))
    assert Question.objects.count() == 0
    fields: dict[str, list[str]] = exc.value.extra["fields"]
    return fields


def test_single_choice_is_saved_with_its_article_and_topic(writer: Any) -> None:
    q = question(writer, stem="按日连续处罚的起算", tags=["罚款", "罚款", " "])
    assert q.law.code == "work-safety-law"
    assert [a.label for a in q.articles.all()] == ["第一百一十二条"]
    assert q.articles.get().law_version.label == "2021年修正"
    assert (q.jurisdiction_code, q.share_prefix, q.tags, q.version) == (
        "650102",
        "650102",
        ["罚款"],
        1,
    )
    event = RecordEvent.objects.get(kind="exams.question_saved")
    assert event.payload["articles"] == [article("work-safety-law", 112).pk]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"options": ["甲"]}, "options"),
        ({"options": ["甲", "甲"]}, "options"),
        ({"correct": [0, 1]}, "correct"),
        ({"correct": []}, "correct"),
        ({"correct": [2]}, "correct"),
        ({"kind": "multiple", "options": ["甲", "乙", "丙"], "correct": [1]}, "correct"),
        ({"kind": "multiple", "options": ["甲", "乙"], "correct": [0, 1]}, "correct"),
        ({"kind": "true_false", "correct": [0, 1]}, "correct"),
        ({"kind": "true_false", "correct": [2]}, "correct"),
        ({"article_ids": []}, "articles"),
        ({"article_ids": [999999]}, "articles"),
        ({"stem": "  "}, "stem"),
        ({"points": 0}, "points"),
        ({"points": 101}, "points"),
        ({"difficulty": "extreme"}, "difficulty"),
        ({"kind": "essay"}, "kind"),
    ],
)
def test_objective_validation(writer: Any, over: dict[str, Any], field: str) -> None:
    assert field in _errors(writer, **over)


def test_true_false_has_fixed_options(writer: Any) -> None:
    q = question(writer, "true_false", options=["x", "y", "z"], correct=[0])
    assert (q.options, q.correct) == (["正确", "错误"], [0])


def test_multiple_choice_needs_two_correct(writer: Any) -> None:
    q = question(writer, "multiple", correct=[3, 1, 1])
    assert q.correct == [1, 3]


CASE = {
    "kind": "case",
    "options": [],
    "correct": [],
    "model_answer": "参考答案",
    "points": 10,
}


def test_case_analysis_rubric_must_sum_to_points(writer: Any) -> None:
    errors = _errors(
        writer,
        **CASE,
        rubric=[{"criterion": "定性", "points": 6}, {"criterion": "依据", "points": 3}],
    )
    message = zh("The rubric's points add up to %(sum)d; the question is worth %(points)d.")
    assert errors["rubric"] == [message % {"sum": 9, "points": 10}]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"rubric": []}, "rubric"),
        ({"rubric": [{"criterion": "", "points": 10}]}, "rubric"),
        (
            {"rubric": [{"criterion": "定性", "points": 0}, {"criterion": "依据", "points": 10}]},
            "rubric",
        ),
        ({"rubric": [{"criterion": "定性", "points": 10}], "model_answer": ""}, "model_answer"),
    ],
)
def test_case_analysis_validation(writer: Any, over: dict[str, Any], field: str) -> None:
    assert field in _errors(writer, **{**CASE, **over})


def test_case_analysis_is_saved(writer: Any) -> None:
    q = question(writer, "case")
    assert q.rubric == [{"criterion": "定性", "points": 6}, {"criterion": "依据", "points": 4}]
    assert (q.options, q.correct, q.points) == ([], [], 10)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_officers_and_supervisors_do_not_write(world: World, role: str) -> None:
    user = UserFactory(agency=world.tianshan, roles=[role])
    with pytest.raises(PermissionDenied):
        services.question_create(actor=user, **_fields())
    assert Question.objects.count() == 0


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD, Role.ADMIN])
def test_writers(world: World, role: str) -> None:
    user = UserFactory(agency=world.tianshan, roles=[role])
    assert services.question_create(actor=user, **_fields()).agency == world.tianshan


def test_visibility_subtree_and_above(world: World) -> None:
    w = world
    region = UserFactory(agency=w.province, roles=[Role.LEGAL_REVIEWER])
    pref = UserFactory(agency=w.prefecture, roles=[Role.TEAM_LEAD])
    ts = UserFactory(agency=w.tianshan, roles=[Role.HEAD])
    klmy = UserFactory(agency=w.karamay, roles=[Role.HEAD])
    q_region = question(region, stem="全区题")
    q_pref = question(pref, stem="乌鲁木齐题")
    q_ts = question(ts, stem="天山区题")

    def seen(user: Any) -> set[str]:
        return set(selectors.question_queryset_for_user(user=user).values_list("stem", flat=True))

    assert seen(region) == {"全区题", "乌鲁木齐题", "天山区题"}
    assert seen(pref) == {"全区题", "乌鲁木齐题", "天山区题"}
    assert seen(ts) == {"全区题", "乌鲁木齐题", "天山区题"}
    assert seen(klmy) == {"全区题"}
    # a plain officer does not read the bank (it holds the answers)
    assert seen(w.tianshan_officer) == set()
    # the offices below read a question but do not edit it
    assert selectors.question_editable_by(ts, q_region) is False
    assert selectors.question_editable_by(region, q_ts) is True
    with pytest.raises(PermissionDenied):
        services.question_update(
            actor=ts, question_id=q_region.pk, expected_version=1, **_fields(stem="改")
        )
    with pytest.raises(NotFound):
        services.question_update(
            actor=klmy, question_id=q_pref.pk, expected_version=1, **_fields(stem="改")
        )
    assert Question.objects.get(pk=q_region.pk).stem == "全区题"
    assert Question.objects.get(pk=q_pref.pk).version == 1


def test_update_and_stale_version(writer: Any) -> None:
    q = question(writer)
    q2 = services.question_update(
        actor=writer,
        question_id=q.pk,
        expected_version=1,
        **_fields(stem="新题干", article_ids=[article("administrative-penalty-law", 60).pk]),
    )
    assert (q2.version, q2.stem, q2.law.code) == (2, "新题干", "administrative-penalty-law")
    with pytest.raises(ConcurrentModification) as exc:
        services.question_update(
            actor=writer, question_id=q.pk, expected_version=1, **_fields(stem="旧")
        )
    assert exc.value.status_code == 409
    assert Question.objects.get(pk=q.pk).stem == "新题干"


def test_retire_and_back(writer: Any) -> None:
    q = question(writer)
    q = services.question_set_state(
        actor=writer, question_id=q.pk, expected_version=1, state="retired"
    )
    assert (q.state, q.version) == ("retired", 2)
    assert RecordEvent.objects.filter(kind="exams.question_retired").count() == 1
    with pytest.raises(ConcurrentModification):
        services.question_set_state(
            actor=writer, question_id=q.pk, expected_version=1, state="active"
        )
    q = services.question_set_state(
        actor=writer, question_id=q.pk, expected_version=2, state="active"
    )
    assert q.state == "active"
