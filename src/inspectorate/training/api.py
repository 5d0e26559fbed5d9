"""Thin DRF views of the training app (URL names ``api-training-...``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.training import selectors, services
from inspectorate.training.models import (
    AttendanceStatus,
    CourseCategory,
    LecturerKind,
    LibraryCase,
    NoteKind,
    Session,
    SessionState,
)


class ProvisionOutput(serializers.Serializer):
    code = serializers.CharField()
    citation = serializers.CharField()
    violation = serializers.CharField()


class LibraryCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    party_label = serializers.CharField()
    sector_name = serializers.CharField()
    summary = serializers.CharField()
    jurisdiction_code = serializers.CharField()
    agency_name = serializers.CharField(source="agency.name")
    province_wide = serializers.BooleanField()
    decided_on = serializers.DateField(allow_null=True)
    fine = serializers.IntegerField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    articles = ProvisionOutput(source="provisions.all", many=True)
    created_on = serializers.DateField()


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_name = serializers.CharField()
    agency_name = serializers.CharField()
    text = serializers.CharField()
    created_on = serializers.DateField()


def entry_body(entry: LibraryCase) -> dict[str, Any]:
    return {
        **LibraryCaseOutput(entry).data,
        "facts": entry.facts,
        "replacements": entry.replacements,
        "teaching_notes": entry.teaching_notes,
        "author_name": entry.author.get_full_name(),
        "comments": CommentOutput(entry.comments.all(), many=True).data,
    }


class LibraryFilter(serializers.Serializer):
    article = serializers.CharField(required=False, max_length=48)
    tag = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=100)


class LibraryCaseInput(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=255)
    teaching_notes = serializers.CharField(max_length=20000)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=10
    )
    province_wide = serializers.BooleanField(required=False, default=False)


class LibraryListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("article", str),
            OpenApiParameter("tag", str),
            OpenApiParameter("q", str),
        ],
        responses=LibraryCaseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(LibraryFilter(data=request.query_params))
        qs = selectors.library_list_for_user(
            user=request.user, article=f.get("article", ""), tag=f.get("tag", ""), q=f.get("q", "")
        )
        return paginated_response(request, self, qs, LibraryCaseOutput)

    @extend_schema(request=LibraryCaseInput, responses={201: LibraryCaseOutput})
    def post(self, request: Request) -> Response:
        data = validated(LibraryCaseInput(data=request.data))
        entry = services.library_case_add(
            actor=request.user,
            case_id=data["case"],
            title=data["title"],
            teaching_notes=data["teaching_notes"],
            tags=data.get("tags", []),
            province_wide=data["province_wide"],
        )
        entry = selectors.library_get_for_user(user=request.user, pk=entry.pk)
        return Response(entry_body(entry), status=status.HTTP_201_CREATED)


class LibraryDetailApi(APIView):
    @extend_schema(responses=LibraryCaseOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(entry_body(selectors.library_get_for_user(user=request.user, pk=pk)))


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class LibraryCommentApi(APIView):
    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def post(self, request: Request, pk: int) -> Response:
        data = validated(CommentInput(data=request.data))
        comment = services.library_comment_add(actor=request.user, entry_id=pk, text=data["text"])
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


# --- training (培训) ---------------------------------------------------------------------------


class CourseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    description = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField(source="agency.name")
    jurisdiction_code = serializers.CharField()
    default_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    created_on = serializers.DateField()
    version = serializers.IntegerField()


class CourseFilter(serializers.Serializer):
    category = serializers.ChoiceField(choices=CourseCategory.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    q = serializers.CharField(required=False, max_length=100)


class CourseInput(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    category = serializers.ChoiceField(choices=CourseCategory.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    default_hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class CourseUpdateInput(CourseInput):
    version = serializers.IntegerField(min_value=1)


class CourseListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("category", str),
            OpenApiParameter("year", int),
            OpenApiParameter("q", str),
        ],
        responses=CourseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(CourseFilter(data=request.query_params))
        qs = selectors.course_list_for_user(
            user=request.user,
            category=f.get("category", ""),
            year=f.get("year"),
            q=f.get("q", ""),
        )
        return paginated_response(request, self, qs, CourseOutput)

    @extend_schema(request=CourseInput, responses={201: CourseOutput})
    def post(self, request: Request) -> Response:
        d = validated(CourseInput(data=request.data))
        course = services.course_create(
            actor=request.user,
            title=d["title"],
            category=d["category"],
            description=d.get("description", ""),
            default_hours=d["default_hours"],
        )
        return Response(CourseOutput(course).data, status=status.HTTP_201_CREATED)


class CourseDetailApi(APIView):
    @extend_schema(responses=CourseOutput)
    def get(self, request: Request, pk: int) -> Response:
        course = selectors.course_get_for_user(user=request.user, pk=pk)
        sessions = SessionOutput(course.sessions.select_related("lecturer"), many=True).data
        return Response({**CourseOutput(course).data, "sessions": sessions})

    @extend_schema(request=CourseUpdateInput, responses=CourseOutput)
    def put(self, request: Request, pk: int) -> Response:
        d = validated(CourseUpdateInput(data=request.data))
        course = services.course_update(
            actor=request.user,
            course_id=pk,
            expected_version=d["version"],
            title=d["title"],
            category=d["category"],
            description=d.get("description", ""),
            default_hours=d["default_hours"],
        )
        return Response(CourseOutput(course).data)


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    date = serializers.DateField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    place = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    lecturer_kind = serializers.CharField()
    lecturer = serializers.IntegerField(source="lecturer_id", allow_null=True)
    lecturer_label = serializers.CharField()
    lecturer_name = serializers.CharField()
    lecturer_org = serializers.CharField()
    lecturer_title = serializers.CharField()
    state = serializers.CharField()
    version = serializers.IntegerField()


class AttendanceOutput(serializers.Serializer):
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.get_full_name")
    status = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    recorded_on = serializers.DateField()


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    author_name = serializers.CharField()
    agency_name = serializers.CharField()
    text = serializers.CharField()
    created_on = serializers.DateField()


def session_body(session: Session) -> dict[str, Any]:
    return {
        **SessionOutput(session).data,
        "course_title": session.course.title,
        "category": session.course.category,
        "invitees": sorted(u.pk for u in session.invitees.all()),
        "attendance": AttendanceOutput(
            session.attendance.select_related("officer"), many=True
        ).data,
        "notes": NoteOutput(session.notes.all(), many=True).data,
    }


class SessionFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    state = serializers.ChoiceField(choices=SessionState.choices, required=False)
    category = serializers.ChoiceField(choices=CourseCategory.choices, required=False)


class SessionInput(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    place = serializers.CharField(max_length=128)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    lecturer_kind = serializers.ChoiceField(choices=LecturerKind.choices)
    lecturer = serializers.IntegerField(required=False, allow_null=True)
    lecturer_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    lecturer_org = serializers.CharField(required=False, allow_blank=True, max_length=128)
    lecturer_title = serializers.CharField(required=False, allow_blank=True, max_length=64)
    invitees = serializers.ListField(child=serializers.IntegerField(), required=False)


class SessionCreateInput(SessionInput):
    course = serializers.IntegerField(min_value=1)


class SessionUpdateInput(SessionInput):
    version = serializers.IntegerField(min_value=1)


def _session_fields(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": d["date"],
        "start_time": d["start_time"],
        "end_time": d["end_time"],
        "place": d["place"],
        "hours": d.get("hours"),
        "lecturer_kind": d["lecturer_kind"],
        "lecturer_id": d.get("lecturer"),
        "lecturer_name": d.get("lecturer_name", ""),
        "lecturer_org": d.get("lecturer_org", ""),
        "lecturer_title": d.get("lecturer_title", ""),
        "invitee_ids": d.get("invitees", []),
    }


class SessionListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("state", str),
            OpenApiParameter("category", str),
        ],
        responses=SessionOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(SessionFilter(data=request.query_params))
        qs = selectors.session_list_for_user(
            user=request.user,
            year=f.get("year"),
            state=f.get("state", ""),
            category=f.get("category", ""),
        )
        return paginated_response(request, self, qs, SessionOutput)

    @extend_schema(request=SessionCreateInput, responses={201: SessionOutput})
    def post(self, request: Request) -> Response:
        d = validated(SessionCreateInput(data=request.data))
        session = services.session_create(
            actor=request.user, course_id=d["course"], **_session_fields(d)
        )
        session = selectors.session_get_for_user(user=request.user, pk=session.pk)
        return Response(session_body(session), status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    @extend_schema(responses=SessionOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(session_body(selectors.session_get_for_user(user=request.user, pk=pk)))

    @extend_schema(request=SessionUpdateInput, responses=SessionOutput)
    def put(self, request: Request, pk: int) -> Response:
        d = validated(SessionUpdateInput(data=request.data))
        services.session_update(
            actor=request.user, session_id=pk, expected_version=d["version"], **_session_fields(d)
        )
        return Response(session_body(selectors.session_get_for_user(user=request.user, pk=pk)))


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hold", "cancel"])
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SessionTransitionApi(APIView):
    @extend_schema(request=TransitionInput, responses=SessionOutput)
    def post(self, request: Request, pk: int) -> Response:
        d = validated(TransitionInput(data=request.data))
        services.session_transition(
            actor=request.user,
            session_id=pk,
            action=d["action"],
            expected_version=d["version"],
            reason=d.get("reason", ""),
        )
        return Response(session_body(selectors.session_get_for_user(user=request.user, pk=pk)))


class AttendanceEntryInput(serializers.Serializer):
    officer = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )


class AttendanceInput(serializers.Serializer):
    entries = AttendanceEntryInput(many=True)


class SessionAttendanceApi(APIView):
    @extend_schema(request=AttendanceInput, responses={200: AttendanceOutput(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        d = validated(AttendanceInput(data=request.data))
        rows = services.attendance_record(
            actor=request.user,
            session_id=pk,
            entries=[
                services.AttendanceEntry(e["officer"], e["status"], e.get("hours"))
                for e in d["entries"]
            ],
        )
        return Response(AttendanceOutput(rows, many=True).data)


class NoteInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoteKind.choices)
    text = serializers.CharField(max_length=5000)


class SessionNotesApi(APIView):
    @extend_schema(responses=NoteOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        session = selectors.session_get_for_user(user=request.user, pk=pk)
        return Response(NoteOutput(session.notes.all(), many=True).data)

    @extend_schema(request=NoteInput, responses={201: NoteOutput})
    def post(self, request: Request, pk: int) -> Response:
        d = validated(NoteInput(data=request.data))
        note = services.study_note_add(
            actor=request.user, session_id=pk, kind=d["kind"], text=d["text"]
        )
        return Response(NoteOutput(note).data, status=status.HTTP_201_CREATED)


class PlanLineIO(serializers.Serializer):
    post = serializers.CharField(max_length=32)
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    minimums = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1), required=False
    )


class PlanInput(serializers.Serializer):
    lines = PlanLineIO(many=True)
    basis = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1)


def plan_body(agency: Any, year: int) -> dict[str, Any]:
    plan = selectors.plan_for_agency(agency=agency, year=year)
    if plan is None:
        return {"agency": agency.pk, "year": year, "plan": None}
    return {
        "agency": agency.pk,
        "year": year,
        "plan": {
            "id": plan.pk,
            "agency": plan.agency_id,
            "agency_name": plan.agency.name,
            "inherited": plan.agency_id != agency.pk,
            "basis": plan.source,
            "version": plan.version,
            "saved_on": plan.saved_on,
            "lines": [
                {
                    "post": line.post.code,
                    "post_name": line.post.name,
                    "role": line.post.role,
                    "required_hours": str(line.required_hours),
                    "minimums": line.minimums,
                }
                for line in plan.lines.all()
            ],
        },
    }


class PlanApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, agency: int, year: int) -> Response:
        office = services.plan_agency(actor=request.user, agency_id=agency)
        return Response(plan_body(office, year))

    @extend_schema(request=PlanInput, responses={200: dict})
    def put(self, request: Request, agency: int, year: int) -> Response:
        d = validated(PlanInput(data=request.data))
        services.plan_save(
            actor=request.user,
            agency_id=agency,
            year=year,
            lines=[
                services.PlanLineInput(
                    line["post"], line["required_hours"], dict(line.get("minimums") or {})
                )
                for line in d["lines"]
            ],
            source=d.get("basis", ""),
            expected_version=d.get("version"),
        )
        office = services.plan_agency(actor=request.user, agency_id=agency)
        return Response(plan_body(office, year))


def progress_body(user: Any, p: selectors.TrainingProgress) -> dict[str, Any]:
    return {
        "officer": user.pk,
        "name": user.get_full_name(),
        "agency": user.agency_id,
        "agency_name": user.agency.name if user.agency else "",
        "required_hours": str(p.required_hours),
        "session_hours": str(p.session_hours),
        "study_hours": str(p.study_hours),
        "total_hours": str(p.total_hours),
        "remaining_hours": str(p.remaining_hours),
        "by_category": {k: str(v) for k, v in p.by_category.items()},
        "minimums": {k: str(v) for k, v in p.minimums.items()},
        "shortfalls": {k: str(v) for k, v in p.shortfalls.items()},
        "on_track": p.on_track,
        "plan": p.plan_id,
    }


class ProgressFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    agency = serializers.IntegerField(required=False, min_value=1)


class ProgressApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("agency", int)],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        f = validated(ProgressFilter(data=request.query_params))
        year = f.get("year") or timezone.localdate().year
        officers = list(selectors.officers_for_user(user=request.user, agency_id=f.get("agency")))
        progress = selectors.training_progress(year=year, user_ids=[u.pk for u in officers])
        return Response(
            {"year": year, "results": [progress_body(u, progress[u.pk]) for u in officers]}
        )


class YearFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class OfficerProgressApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        f = validated(YearFilter(data=request.query_params))
        year = f.get("year") or timezone.localdate().year
        officer = selectors.officer_get_for_user(user=request.user, pk=pk)
        progress = selectors.training_progress(year=year, user_ids=[officer.pk])[officer.pk]
        sessions = selectors.officer_attendance(officer=officer, year=year)
        return Response(
            {
                "year": year,
                **progress_body(officer, progress),
                "sessions": [
                    {
                        "session": a.session_id,
                        "course_title": a.session.course.title,
                        "category": a.session.course.category,
                        "date": a.session.date,
                        "status": a.status,
                        "hours": str(a.hours),
                    }
                    for a in sessions
                ],
            }
        )
