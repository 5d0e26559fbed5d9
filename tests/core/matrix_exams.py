"""The permission matrix's rows for the exams app (API and pages) and the objects they act on.

See tests/core/matrix_training.py for what tests/core/matrix.py reads from here:
TARGETS, MAKERS, path_keys(ctx), snapshot() and ENDPOINTS.

Every object belongs to 天山区 (650102): a question written by its legal reviewer
("exam_q"), a draft exam of its team lead ("exam_draft") and a published one
("exam_pub", window June 2026, candidates: the officers of 天山区 by role). The calls are
made on 10 June 2026 (``EXAM_DAY``). "exam_attempt" is an attempt in progress of the
matrix's own 天山区 actor (``all_same``, a candidate by role) when that actor exists, else
of 天山区's officer; "exam_marking" is 天山区's officer's attempt awaiting the marking of
its case analysis.

The upper offices organise (and mark) 天山区's exams, as 天山区 does; they are no
candidates of them, so starting an attempt or answering another's attempt is refused (403).
克拉玛依 sees none of it (404, as for a missing id); its own writes (a question, an exam)
go to its own office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from inspectorate.exams import services
from inspectorate.exams.models import (
    Attempt,
    AttemptItem,
    Exam,
    ExamCandidate,
    ExamRule,
    Question,
)
from inspectorate.legal.models import Article
from inspectorate.org.models import User
from tests.core.matrix import MISSING, Ctx, Endpoint

EXAM_DAY = dt.date(2026, 6, 10)
STEM = "矩阵题干：按日连续处罚自何日起算？"
TITLE = "矩阵考试（天山区）"


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _article_id() -> int:
    return Article.objects.get(law_version__law__code="work-safety-law", number=112, suffix="").pk


def _question_fields(**over: Any) -> dict[str, Any]:
    return {
        "kind": "single",
        "stem": STEM,
        "options": ["作出罚款决定之日", "作出责令改正之日的次日"],
        "correct": [1],
        "explanation": "第一百一十二条。",
        "model_answer": "",
        "rubric": [],
        "difficulty": "easy",
        "article_ids": [_article_id()],
        "tags": [],
        "points": 2,
        **over,
    }


def make_question(ctx: Ctx) -> Question:
    w = ctx.world
    q = services.question_create(actor=w.tianshan_reviewer, now=_at(5, 1, 9), **_question_fields())
    services.question_create(
        actor=w.tianshan_reviewer,
        now=_at(5, 1, 9),
        **_question_fields(
            kind="case",
            stem="案例：未培训即上岗如何处理？",
            options=[],
            correct=[],
            model_answer="依第九十七条责令限期改正，处十万元以下罚款。",
            rubric=[{"criterion": "定性", "points": 6}, {"criterion": "处理", "points": 4}],
            points=10,
        ),
    )
    return q


def _exam_fields() -> dict[str, Any]:
    return {
        "title": TITLE,
        "time_limit": 120,
        "opens_at": _at(6, 1, 9),
        "closes_at": _at(6, 30, 18),
        "pass_mark": "60",
        "max_attempts": 3,
        "counting": "best",
        "rules": [
            {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 1, "points": 5},
            {"law": "", "tag": "", "kind": "case", "difficulty": "", "count": 1, "points": 10},
        ],
        "candidate_roles": ["officer"],
        "candidate_ids": [],
    }


def make_draft(ctx: Ctx) -> Exam:
    from tests.core.matrix import page_object

    page_object(ctx, "exam_q")
    return services.exam_create(actor=ctx.world.tianshan_lead, **_exam_fields())


def make_published(ctx: Ctx) -> Exam:
    from tests.core.matrix import page_object

    page_object(ctx, "exam_q")
    lead = ctx.world.tianshan_lead
    exam = services.exam_create(actor=lead, **_exam_fields())
    return services.exam_publish(
        actor=lead, exam_id=exam.pk, expected_version=exam.version, now=_at(5, 20, 9)
    )


def make_attempt(ctx: Ctx) -> Attempt:
    from tests.core.matrix import page_object

    exam = page_object(ctx, "exam_pub")
    candidate = User.objects.filter(username="all_same").first() or ctx.world.tianshan_officer
    return services.attempt_start(actor=candidate, exam_id=exam.pk, now=_at(6, 10, 9, 30))


def make_marking(ctx: Ctx) -> Attempt:
    from tests.core.matrix import page_object

    exam = page_object(ctx, "exam_pub")
    officer = ctx.world.tianshan_officer
    attempt = services.attempt_start(actor=officer, exam_id=exam.pk, now=_at(6, 5, 10))
    return services.attempt_submit(
        actor=officer, attempt_id=attempt.pk, answers={"2": "分析"}, now=_at(6, 5, 10, 30)
    )


TARGETS: frozenset[str] = frozenset(
    {"exam_q", "exam_draft", "exam_pub", "exam_attempt", "exam_marking"}
)
MAKERS: dict[str, Callable[[Ctx], Any]] = {
    "exam_q": make_question,
    "exam_draft": make_draft,
    "exam_pub": make_published,
    "exam_attempt": make_attempt,
    "exam_marking": make_marking,
}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    return {
        name: ctx._pages[name].pk if name in ctx._pages else MISSING for name in sorted(TARGETS)
    }


def snapshot() -> dict[str, Any]:
    return {
        "exam_questions": list(
            Question.objects.order_by("pk").values_list("pk", "state", "version", "stem")
        ),
        "exams": list(Exam.objects.order_by("pk").values_list("pk", "state", "version", "title")),
        "exam_rules": ExamRule.objects.count(),
        "exam_candidates": ExamCandidate.objects.count(),
        "exam_attempts": list(
            Attempt.objects.order_by("pk").values_list("pk", "state", "version", "submitted_at")
        ),
        "exam_items": list(
            AttemptItem.objects.order_by("pk").values_list("pk", "answer", "answer_text", "score")
        ),
    }


def _obj(name: str) -> Callable[[Ctx], Any]:
    def make(ctx: Ctx) -> Any:
        from tests.core.matrix import page_object

        return page_object(ctx, name)

    return make


def _version(name: str, **more: Any) -> Callable[[Ctx], dict[str, Any]]:
    def body(ctx: Ctx) -> dict[str, Any]:
        obj = ctx._pages.get(name)
        return {"version": obj.version if obj is not None else 1, **more}

    return body


def _question_json(ctx: Ctx, **more: Any) -> dict[str, Any]:
    f = _question_fields(stem="矩阵新题")
    return {
        "kind": f["kind"],
        "stem": f["stem"],
        "options": f["options"],
        "correct": f["correct"],
        "difficulty": f["difficulty"],
        "articles": f["article_ids"],
        "points": f["points"],
        **more,
    }


def _question_form(ctx: Ctx, **more: Any) -> dict[str, Any]:
    return {
        "kind": "single",
        "stem": "矩阵新题",
        "options": "甲\n乙",
        "correct": "B",
        "difficulty": "easy",
        "law": "work-safety-law",
        "article_numbers": "112",
        "points": "2",
        **more,
    }


def _exam_json(ctx: Ctx, **more: Any) -> dict[str, Any]:
    return {
        "title": "矩阵新考试",
        "time_limit": 60,
        "opens_at": "2026-06-01T09:00:00+08:00",
        "closes_at": "2026-06-30T18:00:00+08:00",
        "pass_mark": "60.0",
        "max_attempts": 1,
        "counting": "best",
        "rules": [{"kind": "single", "count": 1, "points": 5}],
        **more,
    }


def _exam_form(ctx: Ctx, **more: Any) -> dict[str, Any]:
    return {
        "title": "矩阵新考试",
        "time_limit": "60",
        "opens_at": "2026-06-01T09:00",
        "closes_at": "2026-06-30T18:00",
        "pass_mark": "60",
        "max_attempts": "1",
        "counting": "best",
        "rule_1_kind": "single",
        "rule_1_count": "1",
        "rule_1_points": "5",
        **more,
    }


def _answers(ctx: Ctx) -> dict[str, Any]:
    return {"answers": {"1": [1]}}


def _mark(ctx: Ctx) -> dict[str, Any]:
    a = ctx._pages.get("exam_marking")
    return {
        "position": 2,
        "marks": ["5", "3"],
        "comment": "要点齐全",
        "version": a.version if a is not None else 1,
    }


def _mark_form(ctx: Ctx) -> dict[str, Any]:
    a = ctx._pages.get("exam_marking")
    return {
        "position": "2",
        "version": a.version if a is not None else 1,
        "i2-mark_1": "5",
        "i2-mark_2": "3",
        "i2-comment": "要点齐全",
    }


_STEM: Callable[[Ctx], str] = lambda ctx: STEM  # noqa: E731
_TITLE: Callable[[Ctx], str] = lambda ctx: TITLE  # noqa: E731
NOT_CANDIDATE = {"prefecture": 403, "province": 403}


def _e(*args: Any, **kwargs: Any) -> Endpoint:
    return Endpoint(*args, today=EXAM_DAY, **kwargs)


ENDPOINTS: list[Endpoint] = [
    # --- API: questions
    _e(
        "api-exams-question-list",
        "GET",
        "/api/v1/exams/questions/",
        "api",
        setup=_obj("exam_q"),
        contains=_STEM,
    ),
    _e(
        "api-exams-question-list",
        "POST",
        "/api/v1/exams/questions/",
        "api",
        ok=201,
        other_ok=201,
        body=_question_json,
        writes=True,
    ),
    _e(
        "api-exams-question-detail",
        "GET",
        "/api/v1/exams/questions/{pk}/",
        "api",
        "exam_q",
        contains=_STEM,
    ),
    _e(
        "api-exams-question-detail",
        "PUT",
        "/api/v1/exams/questions/{pk}/",
        "api",
        "exam_q",
        body=lambda ctx: _question_json(ctx, version=1),
        writes=True,
    ),
    _e(
        "api-exams-question-state",
        "POST",
        "/api/v1/exams/questions/{pk}/state/",
        "api",
        "exam_q",
        body=_version("exam_q", state="retired"),
        writes=True,
    ),
    # --- API: exams
    _e(
        "api-exams-exam-list",
        "GET",
        "/api/v1/exams/",
        "api",
        setup=_obj("exam_pub"),
        contains=_TITLE,
    ),
    _e(
        "api-exams-exam-list",
        "POST",
        "/api/v1/exams/",
        "api",
        ok=201,
        other_ok=201,
        body=_exam_json,
        writes=True,
    ),
    _e("api-exams-exam-detail", "GET", "/api/v1/exams/{pk}/", "api", "exam_pub", contains=_TITLE),
    _e(
        "api-exams-exam-detail",
        "PUT",
        "/api/v1/exams/{pk}/",
        "api",
        "exam_draft",
        body=lambda ctx: _exam_json(ctx, version=1, title="矩阵考试（改）"),
        writes=True,
    ),
    _e(
        "api-exams-exam-publish",
        "POST",
        "/api/v1/exams/{pk}/publish/",
        "api",
        "exam_draft",
        body=_version("exam_draft"),
        writes=True,
    ),
    _e(
        "api-exams-exam-close",
        "POST",
        "/api/v1/exams/{pk}/close/",
        "api",
        "exam_pub",
        body=_version("exam_pub"),
        writes=True,
    ),
    _e("api-exams-exam-results", "GET", "/api/v1/exams/{pk}/results/", "api", "exam_pub"),
    # --- API: attempts and marking
    _e(
        "api-exams-attempt-start",
        "POST",
        "/api/v1/exams/{pk}/attempts/",
        "api",
        "exam_pub",
        ok=201,
        by_actor=NOT_CANDIDATE,
        writes=True,
    ),
    _e("api-exams-attempt-mine", "GET", "/api/v1/exams/attempts/", "api"),
    _e(
        "api-exams-attempt-detail",
        "GET",
        "/api/v1/exams/attempts/{pk}/",
        "api",
        "exam_marking",
        contains=_TITLE,
    ),
    _e(
        "api-exams-attempt-answers",
        "POST",
        "/api/v1/exams/attempts/{pk}/answers/",
        "api",
        "exam_attempt",
        by_actor=NOT_CANDIDATE,
        body=_answers,
        writes=True,
    ),
    _e(
        "api-exams-attempt-submit",
        "POST",
        "/api/v1/exams/attempts/{pk}/submit/",
        "api",
        "exam_attempt",
        by_actor=NOT_CANDIDATE,
        body=_answers,
        writes=True,
    ),
    _e(
        "api-exams-attempt-mark",
        "POST",
        "/api/v1/exams/attempts/{pk}/mark/",
        "api",
        "exam_marking",
        body=_mark,
        writes=True,
    ),
    _e(
        "api-exams-marking",
        "GET",
        "/api/v1/exams/marking/",
        "api",
        setup=_obj("exam_marking"),
        contains=_TITLE,
    ),
    # --- pages
    _e("exams:exam-list", "GET", "/exams/", "page", setup=_obj("exam_pub"), contains=_TITLE),
    _e(
        "exams:question-list",
        "GET",
        "/exams/questions/",
        "page",
        setup=_obj("exam_q"),
        contains=_STEM,
    ),
    _e("exams:question-add", "GET", "/exams/questions/add/", "page"),
    _e(
        "exams:question-add",
        "POST",
        "/exams/questions/add/",
        "page",
        ok=302,
        other_ok=302,
        body=_question_form,
        writes=True,
    ),
    _e(
        "exams:question-edit",
        "GET",
        "/exams/questions/{exam_q}/",
        "page",
        "exam_q",
        contains=_STEM,
    ),
    _e(
        "exams:question-edit",
        "POST",
        "/exams/questions/{exam_q}/",
        "page",
        "exam_q",
        ok=302,
        body=lambda ctx: _question_form(ctx, version="1"),
        writes=True,
    ),
    _e(
        "exams:question-state",
        "POST",
        "/exams/questions/{exam_q}/state/",
        "page",
        "exam_q",
        ok=302,
        body=_version("exam_q", state="retired"),
        writes=True,
    ),
    _e("exams:exam-add", "GET", "/exams/new/", "page"),
    _e(
        "exams:exam-add",
        "POST",
        "/exams/new/",
        "page",
        ok=302,
        other_ok=302,
        body=_exam_form,
        writes=True,
    ),
    _e("exams:exam-detail", "GET", "/exams/{exam_pub}/", "page", "exam_pub", contains=_TITLE),
    _e("exams:exam-edit", "GET", "/exams/{exam_draft}/edit/", "page", "exam_draft"),
    _e(
        "exams:exam-edit",
        "POST",
        "/exams/{exam_draft}/edit/",
        "page",
        "exam_draft",
        ok=302,
        body=lambda ctx: _exam_form(ctx, version="1", title="矩阵考试（改）"),
        writes=True,
    ),
    _e(
        "exams:exam-publish",
        "POST",
        "/exams/{exam_draft}/publish/",
        "page",
        "exam_draft",
        ok=302,
        body=_version("exam_draft"),
        writes=True,
    ),
    _e(
        "exams:exam-close",
        "POST",
        "/exams/{exam_pub}/close/",
        "page",
        "exam_pub",
        ok=302,
        body=_version("exam_pub"),
        writes=True,
    ),
    _e(
        "exams:exam-results",
        "GET",
        "/exams/{exam_pub}/results/",
        "page",
        "exam_pub",
        contains=_TITLE,
    ),
    _e(
        "exams:attempt-start",
        "POST",
        "/exams/{exam_pub}/start/",
        "page",
        "exam_pub",
        ok=302,
        by_actor=NOT_CANDIDATE,
        writes=True,
    ),
    _e(
        "exams:attempt",
        "GET",
        "/exams/attempts/{exam_marking}/",
        "page",
        "exam_marking",
        contains=_TITLE,
    ),
    _e(
        "exams:attempt-answer",
        "POST",
        "/exams/attempts/{exam_attempt}/answer/",
        "page",
        "exam_attempt",
        ok=302,
        by_actor=NOT_CANDIDATE,
        body=lambda ctx: {"q1": ["1"], "save": "1"},
        writes=True,
    ),
    _e("exams:attempt-mark", "GET", "/exams/attempts/{exam_marking}/mark/", "page", "exam_marking"),
    _e(
        "exams:attempt-mark",
        "POST",
        "/exams/attempts/{exam_marking}/mark/",
        "page",
        "exam_marking",
        ok=302,
        body=_mark_form,
        writes=True,
    ),
    _e(
        "exams:marking",
        "GET",
        "/exams/marking/",
        "page",
        setup=_obj("exam_marking"),
        contains=_TITLE,
    ),
]
