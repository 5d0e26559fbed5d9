"""Fixtures of the exams tests: the law library, question and exam makers, fixed moments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.exams import services
from inspectorate.exams.models import Exam, Question
from inspectorate.legal.models import Article
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import UserFactory

TZ = timezone.get_fixed_timezone(8 * 60)


def at(month: int, day: int, hour: int = 9, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment of 2026 in Beijing time."""
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=TZ)


OPENS = at(6, 1, 9)
CLOSES = at(6, 30, 18)


def article(code: str, number: int) -> Article:
    return Article.objects.get(law_version__law__code=code, number=number, suffix="")


def question(actor: Any, kind: str = "single", **over: Any) -> Question:
    """A question citing 安全生产法 Art. 112 unless told otherwise."""
    fields: dict[str, Any] = {
        "kind": kind,
        "stem": over.pop("stem", "题干"),
        "options": ["甲", "乙", "丙", "丁"],
        "correct": [0],
        "explanation": "依据条文。",
        "model_answer": "",
        "rubric": [],
        "difficulty": "easy",
        "article_ids": [article("work-safety-law", 112).pk],
        "tags": [],
        "points": 2,
    }
    if kind == "multiple":
        fields["correct"] = [0, 1]
    if kind == "true_false":
        fields.update(options=[], correct=[1])
    if kind == "case":
        fields.update(
            options=[],
            correct=[],
            model_answer="参考答案",
            rubric=[{"criterion": "定性", "points": 6}, {"criterion": "依据", "points": 4}],
            points=10,
        )
    fields.update(over)
    return services.question_create(actor=actor, now=at(5, 1), **fields)


def exam_fields(**over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "2026年执法资格考试",
        "time_limit": 60,
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "pass_mark": "60",
        "max_attempts": 2,
        "counting": "best",
        "rules": [
            {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 2, "points": 5}
        ],
        "candidate_roles": [],
        "candidate_ids": [],
    }
    fields.update(over)
    return fields


def exam(actor: Any, **over: Any) -> Exam:
    return services.exam_create(actor=actor, **exam_fields(**over))


def published(actor: Any, **over: Any) -> Exam:
    e = exam(actor, **over)
    return services.exam_publish(
        actor=actor, exam_id=e.pk, expected_version=e.version, now=at(5, 20)
    )


@pytest.fixture
def bank(world: World) -> dict[str, Any]:
    """The region's legal reviewer writes a bank: 3 single, 2 multiple, 2 true/false, 1 case."""
    writer = UserFactory(
        username="reg_reviewer", agency=world.province, roles=[Role.LEGAL_REVIEWER]
    )
    qs = {
        "s1": question(writer, stem="单选一", correct=[0]),
        "s2": question(writer, stem="单选二", correct=[1]),
        "s3": question(writer, stem="单选三", correct=[2], difficulty="hard"),
        "m1": question(writer, "multiple", stem="多选一", correct=[0, 2]),
        "m2": question(writer, "multiple", stem="多选二", correct=[1, 3]),
        "t1": question(writer, "true_false", stem="判断一", correct=[0]),
        "t2": question(writer, "true_false", stem="判断二", correct=[1]),
        "c1": question(writer, "case", stem="案例一"),
    }
    return {"writer": writer, **qs}
