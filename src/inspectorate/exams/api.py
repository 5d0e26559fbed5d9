"""Thin DRF views of the exams app (URL names ``api-exams-...``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.errors import NotFound
from inspectorate.exams import selectors, services
from inspectorate.exams.models import (
    Attempt,
    AttemptState,
    Counting,
    Difficulty,
    Exam,
    Question,
    QuestionKind,
    QuestionState,
)


class StaffOnly(permissions.BasePermission):
    """The exams are for the staff of the offices; an enterprise user gets 403."""

    message = gettext_lazy("This page is for the staff of the enforcement offices.")
    code = "permission_denied"

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(getattr(request.user, "is_staff_member", False))


class ExamsApiView(APIView):
    permission_classes = [permissions.IsAuthenticated, StaffOnly]


# --- questions ----------------------------------------------------------------------------


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    correct = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()
    model_answer = serializers.CharField()
    rubric = serializers.ListField(child=serializers.DictField())
    difficulty = serializers.CharField()
    law = serializers.CharField(source="law.code")
    law_title = serializers.CharField(source="law.short_title")
    articles = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField())
    points = serializers.IntegerField()
    state = serializers.CharField()
    jurisdiction_code = serializers.CharField()
    agency_name = serializers.CharField(source="agency.name")
    version = serializers.IntegerField()

    def get_articles(self, q: Question) -> list[dict[str, Any]]:
        return [
            {
                "id": a.pk,
                "law": a.law_version.law.code,
                "version": a.law_version.label,
                "label": a.label,
                "number": a.number,
            }
            for a in q.articles.all()
        ]


class QuestionRubricLine(serializers.Serializer):
    criterion = serializers.CharField(max_length=500)
    points = serializers.IntegerField(min_value=1, max_value=100)


class QuestionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    stem = serializers.CharField(max_length=4000)
    options = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list, max_length=8
    )
    correct = serializers.ListField(
        child=serializers.IntegerField(min_value=0), required=False, default=list, max_length=8
    )
    explanation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    model_answer = serializers.CharField(
        max_length=8000, required=False, allow_blank=True, default=""
    )
    rubric = QuestionRubricLine(many=True, required=False, default=list)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    articles = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=10)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=10
    )
    points = serializers.IntegerField(min_value=1, max_value=100)


class QuestionUpdateInput(QuestionInput):
    version = serializers.IntegerField(min_value=1)


def _question_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "stem": data["stem"],
        "options": data["options"],
        "correct": data["correct"],
        "explanation": data["explanation"],
        "model_answer": data["model_answer"],
        "rubric": [dict(r) for r in data["rubric"]],
        "difficulty": data["difficulty"],
        "article_ids": data["articles"],
        "tags": data["tags"],
        "points": data["points"],
    }


class QuestionFilter(serializers.Serializer):
    law = serializers.CharField(required=False, max_length=48)
    kind = serializers.ChoiceField(choices=QuestionKind.choices, required=False)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False)
    state = serializers.ChoiceField(choices=QuestionState.choices, required=False)
    tag = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=100)


class QuestionListApi(ExamsApiView):
    @extend_schema(parameters=[QuestionFilter], responses=QuestionOutput(many=True))
    def get(self, request: Request) -> Response:
        f = validated(QuestionFilter(data=request.query_params))
        qs = selectors.question_list_for_user(user=request.user, **f)
        return paginated_response(request, self, qs, QuestionOutput)

    @extend_schema(request=QuestionInput, responses={201: QuestionOutput})
    def post(self, request: Request) -> Response:
        data = validated(QuestionInput(data=request.data))
        q = services.question_create(actor=request.user, **_question_fields(data))
        q = selectors.question_get_for_user(user=request.user, pk=q.pk)
        return Response(QuestionOutput(q).data, status=status.HTTP_201_CREATED)


class QuestionDetailApi(ExamsApiView):
    @extend_schema(responses=QuestionOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            QuestionOutput(selectors.question_get_for_user(user=request.user, pk=pk)).data
        )

    @extend_schema(request=QuestionUpdateInput, responses=QuestionOutput)
    def put(self, request: Request, pk: int) -> Response:
        selectors.question_get_for_user(user=request.user, pk=pk)
        data = validated(QuestionUpdateInput(data=request.data))
        services.question_update(
            actor=request.user,
            question_id=pk,
            expected_version=data["version"],
            **_question_fields(data),
        )
        return Response(
            QuestionOutput(selectors.question_get_for_user(user=request.user, pk=pk)).data
        )


class QuestionStateInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=QuestionState.choices)
    version = serializers.IntegerField(min_value=1)


class QuestionStateApi(ExamsApiView):
    @extend_schema(request=QuestionStateInput, responses=QuestionOutput)
    def post(self, request: Request, pk: int) -> Response:
        selectors.question_get_for_user(user=request.user, pk=pk)
        data = validated(QuestionStateInput(data=request.data))
        services.question_set_state(
            actor=request.user,
            question_id=pk,
            expected_version=data["version"],
            state=data["state"],
        )
        return Response(
            QuestionOutput(selectors.question_get_for_user(user=request.user, pk=pk)).data
        )


# --- exams --------------------------------------------------------------------------------


class ExamRuleLine(serializers.Serializer):
    law = serializers.CharField(max_length=48, required=False, allow_blank=True, default="")
    tag = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, required=False, allow_blank=True, default=""
    )
    count = serializers.IntegerField(min_value=1, max_value=100)
    points = serializers.IntegerField(min_value=1, max_value=100)


class ExamInput(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    time_limit = serializers.IntegerField(min_value=1, max_value=600)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    pass_mark = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    max_attempts = serializers.IntegerField(min_value=1, max_value=10)
    counting = serializers.ChoiceField(choices=Counting.choices)
    rules = ExamRuleLine(many=True)
    candidate_roles = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list
    )
    candidate_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=500
    )


class ExamUpdateInput(ExamInput):
    version = serializers.IntegerField(min_value=1)


def _exam_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: ([dict(r) for r in data[k]] if k == "rules" else data[k])
        for k in (
            "title",
            "time_limit",
            "opens_at",
            "closes_at",
            "pass_mark",
            "max_attempts",
            "counting",
            "rules",
            "candidate_roles",
            "candidate_ids",
        )
    }


class ExamOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    agency_name = serializers.CharField(source="agency.name")
    jurisdiction_code = serializers.CharField()
    time_limit = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    pass_mark = serializers.DecimalField(max_digits=4, decimal_places=1)
    max_attempts = serializers.IntegerField()
    counting = serializers.CharField()
    state = serializers.CharField()
    rules = serializers.SerializerMethodField()
    candidate_roles = serializers.ListField(child=serializers.CharField())
    candidate_ids = serializers.ListField(child=serializers.IntegerField())
    version = serializers.IntegerField()

    def get_rules(self, exam: Exam) -> list[dict[str, Any]]:
        return services.rule_rows(exam)


class ExamListApi(ExamsApiView):
    @extend_schema(responses=ExamOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.exam_queryset_for_user(user=request.user).select_related("agency")
        return paginated_response(request, self, qs, ExamOutput)

    @extend_schema(request=ExamInput, responses={201: ExamOutput})
    def post(self, request: Request) -> Response:
        data = validated(ExamInput(data=request.data))
        exam = services.exam_create(actor=request.user, **_exam_fields(data))
        return Response(ExamOutput(exam).data, status=status.HTTP_201_CREATED)


class ExamDetailApi(ExamsApiView):
    @extend_schema(responses=ExamOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ExamOutput(selectors.exam_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=ExamUpdateInput, responses=ExamOutput)
    def put(self, request: Request, pk: int) -> Response:
        _organised(request, pk)
        data = validated(ExamUpdateInput(data=request.data))
        exam = services.exam_update(
            actor=request.user, exam_id=pk, expected_version=data["version"], **_exam_fields(data)
        )
        return Response(ExamOutput(exam).data)


def _organised(request: Request, pk: int) -> Exam:
    """The exam, when the user organises it (its office or above); else the same 404."""
    exam = selectors.exam_get_for_user(user=request.user, pk=pk)
    if not selectors.exam_organised_by(request.user, exam):
        raise NotFound()
    return exam


class ExamVersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ExamTransitionApi(ExamsApiView):
    action = ""

    @extend_schema(request=ExamVersionInput, responses=ExamOutput)
    def post(self, request: Request, pk: int) -> Response:
        _organised(request, pk)
        data = validated(ExamVersionInput(data=request.data))
        fn = services.exam_publish if self.action == "publish" else services.exam_close
        exam = fn(actor=request.user, exam_id=pk, expected_version=data["version"])
        return Response(ExamOutput(exam).data)


class ExamCandidateResultOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    agency_name = serializers.CharField()
    attempts = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    passed = serializers.BooleanField()
    pending = serializers.BooleanField()


class ExamResultsOutput(serializers.Serializer):
    candidates = serializers.IntegerField()
    took = serializers.IntegerField()
    passed = serializers.IntegerField()
    pending = serializers.IntegerField()
    pass_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    average = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    rows = ExamCandidateResultOutput(many=True)


def results_body(exam: Exam) -> dict[str, Any]:
    s = selectors.exam_summary(exam)
    rows = [
        {
            "user_id": r.user_id,
            "name": u.get_full_name() or u.username,
            "agency_name": u.agency.name if u.agency else "",
            "attempts": r.attempts,
            "score": r.score,
            "passed": r.passed,
            "pending": r.pending,
        }
        for u, r in s.rows
    ]
    return dict(
        ExamResultsOutput(
            {
                "candidates": s.candidates,
                "took": s.took,
                "passed": s.passed,
                "pending": s.pending,
                "pass_rate": s.pass_rate,
                "average": s.average,
                "rows": rows,
            }
        ).data
    )


class ExamResultsApi(ExamsApiView):
    @extend_schema(responses=ExamResultsOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(results_body(_organised(request, pk)))


# --- attempts -----------------------------------------------------------------------------


def attempt_body(attempt: Attempt, user: Any) -> dict[str, Any]:
    """The paper; the correct answers, explanations, model answers and marks are shown only
    once the attempt is submitted (to the candidate) or to the organisers."""
    reveal = attempt.state != AttemptState.IN_PROGRESS
    items = []
    for i in selectors.attempt_items(attempt):
        row: dict[str, Any] = {
            "position": i.position,
            "kind": i.kind,
            "stem": i.stem,
            "options": i.options,
            "points": str(i.points),
            "citations": i.citations,
            "answer": i.answer,
            "answer_text": i.answer_text,
        }
        if i.kind == QuestionKind.CASE:
            row["rubric"] = [{"criterion": c["criterion"], "points": c["points"]} for c in i.rubric]
        if reveal:
            row.update(
                correct=i.correct,
                explanation=i.explanation,
                model_answer=i.model_answer,
                score=str(i.score) if i.score is not None else None,
                marks=i.marks,
                comment=i.comment,
            )
        items.append(row)
    return {
        "id": attempt.pk,
        "exam": attempt.exam_id,
        "exam_title": attempt.exam.title,
        "candidate": attempt.candidate_id,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at.isoformat(),
        "due_at": attempt.due_at.isoformat(),
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "max_score": str(attempt.max_score),
        "score": str(attempt.score) if attempt.score is not None else None,
        "percent": str(attempt.percent) if attempt.percent is not None else None,
        "passed": attempt.passed,
        "version": attempt.version,
        "items": items,
    }


class MyAttemptOutput(serializers.Serializer):
    id = serializers.IntegerField()
    exam = serializers.IntegerField(source="exam_id")
    exam_title = serializers.CharField(source="exam.title")
    number = serializers.IntegerField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class MyAttemptsApi(ExamsApiView):
    @extend_schema(responses=MyAttemptOutput(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            request, self, selectors.my_attempts(user=request.user), MyAttemptOutput
        )


class AttemptStartApi(ExamsApiView):
    """Start an attempt of the exam (the candidate)."""

    @extend_schema(request=None, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        attempt = services.attempt_start(actor=request.user, exam_id=pk)
        return Response(attempt_body(attempt, request.user), status=status.HTTP_201_CREATED)


class AttemptDetailApi(ExamsApiView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            attempt_body(selectors.attempt_get_for_user(user=request.user, pk=pk), request.user)
        )


class AttemptAnswersInput(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField())


class AttemptAnswersApi(ExamsApiView):
    @extend_schema(request=AttemptAnswersInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AttemptAnswersInput(data=request.data))
        attempt = services.attempt_save(actor=request.user, attempt_id=pk, answers=data["answers"])
        return Response(attempt_body(attempt, request.user))


class AttemptSubmitInput(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)


class AttemptSubmitApi(ExamsApiView):
    @extend_schema(request=AttemptSubmitInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AttemptSubmitInput(data=request.data))
        attempt = services.attempt_submit(
            actor=request.user, attempt_id=pk, answers=data["answers"]
        )
        return Response(attempt_body(attempt, request.user))


class AttemptMarkInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    marks = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1), max_length=20
    )
    comment = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(min_value=1)


class AttemptMarkApi(ExamsApiView):
    @extend_schema(request=AttemptMarkInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AttemptMarkInput(data=request.data))
        attempt = services.attempt_mark(
            actor=request.user,
            attempt_id=pk,
            position=data["position"],
            marks=data["marks"],
            comment=data["comment"],
            expected_version=data["version"],
        )
        return Response(attempt_body(attempt, request.user))


class ExamMarkingQueueOutput(serializers.Serializer):
    id = serializers.IntegerField()
    exam = serializers.IntegerField(source="exam_id")
    exam_title = serializers.CharField(source="exam.title")
    candidate_name = serializers.CharField(source="candidate.name")
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class MarkingQueueApi(ExamsApiView):
    @extend_schema(
        parameters=[OpenApiParameter("page", int)], responses=ExamMarkingQueueOutput(many=True)
    )
    def get(self, request: Request) -> Response:
        qs = selectors.marking_queue_for_user(user=request.user)
        return paginated_response(request, self, qs, ExamMarkingQueueOutput)
