"""The permission matrix's rows for the training app (API and pages) and the objects they act on.

``tests/core/matrix.py`` reads from this module: ``TARGETS`` (page targets: an object
endpoint's ``target``), ``MAKERS`` (target -> function of the ctx making that object once,
stored in ``ctx._pages``), ``path_keys(ctx)`` (the {keys} of paths: what was made before,
else ``MISSING``; read only), ``snapshot()`` (the tables the endpoints write, compared
before and after a refused call) and ``ENDPOINTS``.

The "lib_entry" target is a case-library entry made by 天山区's officer from a closed
天山区 case (seen by 天山区 and the offices above it; not by 克拉玛依). Adding a case
takes another closed 天山区 case (made in ``setup``): the upper offices may add it too;
克拉玛依 cannot see the case, a field error (400) that changes nothing.

Training: "tr_course" is a 天山区 course (by its team lead), "tr_session" a planned session
of it on 2026-05-20 with 天山区's officer invited, "tr_held" a held one at which that
officer was present (4 hours), "tr_agency" 天山区's office (its yearly plan). The matrix's
actors hold every staff role: 天山区 and the offices above organise, record and plan;
克拉玛依 gets the same 404 as for a missing id. An officer's record ("officer", 天山区's
officer) is read by 天山区 and the offices above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.cases.models import Case
from inspectorate.training import services
from inspectorate.training.models import (
    Attendance,
    Course,
    LibraryCase,
    LibraryComment,
    PlanLine,
    Session,
    StudyNote,
    TrainingPlan,
)
from tests.core.matrix import MISSING, Ctx, Endpoint

TITLE = "天山区台账缺失教学案例"


def _closed_case(ctx: Ctx) -> Case:
    from tests.cases.conftest import CaseWorld
    from tests.factories import CertificateFactory
    from tests.training.conftest import closed_case

    w = ctx.world
    if "lib_certs" not in ctx._pages:
        for user in (w.tianshan_officer, w.tianshan_lead):
            CertificateFactory(officer=user)
        CertificateFactory(officer=w.tianshan_reviewer, legal_qualification=True)
        ctx._pages["lib_certs"] = True
    cw = CaseWorld(
        w=w,
        officer=w.tianshan_officer,
        lead=w.tianshan_lead,
        head=w.tianshan_head,
        reviewer=w.tianshan_reviewer,
    )
    return closed_case(cw)


def make_entry(ctx: Ctx) -> LibraryCase:
    return services.library_case_add(
        actor=ctx.world.tianshan_officer,
        case_id=_closed_case(ctx).pk,
        title=TITLE,
        teaching_notes="注意第九十七条第（五）项的适用。",
        tags=["台账"],
    )


COURSE = "矩阵测试课程：行政处罚程序"
PLACE = "天山区矩阵测试会议室"
SESSION_DAY = dt.date(2026, 5, 20)
AFTER = dt.date(2026, 6, 1)


def make_course(ctx: Ctx) -> Course:
    return services.course_create(
        actor=ctx.world.tianshan_lead,
        title=COURSE,
        category="law",
        default_hours="4",
        today=dt.date(2026, 1, 5),
    )


def _session_fields(ctx: Ctx) -> dict[str, Any]:
    return {
        "date": SESSION_DAY,
        "start_time": dt.time(9, 30),
        "end_time": dt.time(12, 0),
        "place": PLACE,
        "hours": None,
        "lecturer_kind": "external",
        "lecturer_name": "李明",
        "lecturer_org": "乌鲁木齐市中级人民法院",
        "lecturer_title": "行政庭法官",
        "invitee_ids": [ctx.world.tianshan_officer.pk],
    }


def _course_of(ctx: Ctx) -> Course:
    from tests.core.matrix import page_object

    course: Course = page_object(ctx, "tr_course")
    return course


def make_session(ctx: Ctx) -> Session:
    return services.session_create(
        actor=ctx.world.tianshan_lead, course_id=_course_of(ctx).pk, **_session_fields(ctx)
    )


def make_held(ctx: Ctx) -> Session:
    lead = ctx.world.tianshan_lead
    session = services.session_create(
        actor=lead, course_id=_course_of(ctx).pk, **_session_fields(ctx)
    )
    session = services.session_transition(
        actor=lead, session_id=session.pk, action="hold", expected_version=1, today=SESSION_DAY
    )
    services.attendance_record(
        actor=lead,
        session_id=session.pk,
        entries=[services.AttendanceEntry(ctx.world.tianshan_officer.pk, "present")],
        today=SESSION_DAY,
    )
    return session


TARGETS: frozenset[str] = frozenset(
    {"lib_entry", "tr_course", "tr_session", "tr_held", "tr_agency"}
)
MAKERS: dict[str, Callable[[Ctx], Any]] = {
    "lib_entry": make_entry,
    "tr_course": make_course,
    "tr_session": make_session,
    "tr_held": make_held,
    "tr_agency": lambda ctx: ctx.world.tianshan,
}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    keys = {}
    for name in sorted(TARGETS):
        obj = ctx._pages.get(name)
        keys[name] = obj.pk if obj is not None else MISSING
    return keys


def snapshot() -> dict[str, Any]:
    return {
        "tr_courses": list(Course.objects.order_by("pk").values_list("pk", "title", "version")),
        "tr_sessions": list(
            Session.objects.order_by("pk").values_list("pk", "state", "place", "version")
        ),
        "tr_attendance": list(
            Attendance.objects.order_by("pk").values_list("pk", "status", "hours")
        ),
        "tr_notes": list(StudyNote.objects.order_by("pk").values_list("pk", "text")),
        "tr_plans": list(TrainingPlan.objects.order_by("pk").values_list("pk", "version")),
        "tr_plan_lines": list(PlanLine.objects.order_by("pk").values_list("pk", "required_hours")),
        "library_cases": list(
            LibraryCase.objects.order_by("pk").values_list("pk", "case_id", "title")
        ),
        "library_comments": list(
            LibraryComment.objects.order_by("pk").values_list("pk", "entry_id", "text")
        ),
    }


def _entry(ctx: Ctx) -> LibraryCase:
    from tests.core.matrix import page_object

    entry: LibraryCase = page_object(ctx, "lib_entry")
    return entry


def _new_case(ctx: Ctx) -> None:
    ctx._pages["lib_case"] = _closed_case(ctx)


def _add_body(ctx: Ctx) -> dict[str, Any]:
    case = ctx._pages.get("lib_case")  # none when a refused caller skips the setup
    return {"case": case.pk if case else MISSING, "title": "新增教学案例", "teaching_notes": "要点"}


_TITLE: Callable[[Ctx], str] = lambda ctx: TITLE  # noqa: E731
_COURSE: Callable[[Ctx], str] = lambda ctx: COURSE  # noqa: E731
_PLACE: Callable[[Ctx], str] = lambda ctx: PLACE  # noqa: E731


def _make(name: str) -> Callable[[Ctx], Any]:
    def setup(ctx: Ctx) -> Any:
        from tests.core.matrix import page_object

        return page_object(ctx, name)

    return setup


def _course_pk(ctx: Ctx) -> int:
    course = ctx._pages.get("tr_course")
    return course.pk if course is not None else MISSING


_COURSE_JSON = {"title": "改名后的课程", "category": "policy", "default_hours": "3", "version": 1}
_COURSE_FORM = {"title": "改名后的课程", "category": "policy", "default_hours": "3", "version": "1"}
_SESSION_JSON = {
    "date": "2026-05-21",
    "start_time": "14:00",
    "end_time": "17:00",
    "place": "新会议室",
    "lecturer_kind": "external",
    "lecturer_name": "王律师",
    "lecturer_org": "新疆某律师事务所",
    "lecturer_title": "律师",
}
_SESSION_FORM = {**_SESSION_JSON, "hours": "3"}


def _attendance(ctx: Ctx) -> dict[str, Any]:
    return {
        "entries": [{"officer": ctx.world.tianshan_officer.pk, "status": "partial", "hours": "1.5"}]
    }


def _attendance_form(ctx: Ctx) -> dict[str, Any]:
    pk = ctx.world.tianshan_officer.pk
    return {f"status_{pk}": "partial", f"hours_{pk}": "1.5"}


_PLAN_JSON = {"lines": [{"post": "officer", "required_hours": "60", "minimums": {"law": "20"}}]}
_NOTE = {"kind": "comment", "text": "法院审查程序的讲解很实用。"}
_COMMENT = {"text": "取证要点值得学习。"}

ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-training-library-list",
        "GET",
        "/api/v1/training/library/",
        "api",
        setup=_entry,
        contains=_TITLE,
    ),
    Endpoint(
        "api-training-library-list",
        "POST",
        "/api/v1/training/library/",
        "api",
        ok=201,
        other_ok=400,
        setup=_new_case,
        body=_add_body,
        writes=True,
    ),
    Endpoint(
        "api-training-library-detail",
        "GET",
        "/api/v1/training/library/{pk}/",
        "api",
        "lib_entry",
        contains=_TITLE,
    ),
    Endpoint(
        "api-training-library-comment",
        "POST",
        "/api/v1/training/library/{pk}/comments/",
        "api",
        "lib_entry",
        ok=201,
        body=lambda ctx: _COMMENT,
        writes=True,
    ),
    # --- training: courses, sessions, attendance, notes, plan, progress
    Endpoint(
        "api-training-course-list",
        "GET",
        "/api/v1/training/courses/",
        "api",
        setup=_make("tr_course"),
        contains=_COURSE,
    ),
    Endpoint(
        "api-training-course-list",
        "POST",
        "/api/v1/training/courses/",
        "api",
        ok=201,
        body=lambda ctx: {"title": "新课程", "category": "skills", "default_hours": "8"},
        writes=True,
    ),
    Endpoint(
        "api-training-course-detail",
        "GET",
        "/api/v1/training/courses/{pk}/",
        "api",
        "tr_course",
        contains=_COURSE,
    ),
    Endpoint(
        "api-training-course-detail",
        "PUT",
        "/api/v1/training/courses/{pk}/",
        "api",
        "tr_course",
        body=lambda ctx: _COURSE_JSON,
        writes=True,
    ),
    Endpoint(
        "api-training-session-list",
        "GET",
        "/api/v1/training/sessions/",
        "api",
        setup=_make("tr_session"),
        contains=_PLACE,
    ),
    Endpoint(
        "api-training-session-list",
        "POST",
        "/api/v1/training/sessions/",
        "api",
        ok=201,
        other_ok=404,
        setup=_make("tr_course"),
        body=lambda ctx: {**_SESSION_JSON, "course": _course_pk(ctx)},
        writes=True,
    ),
    Endpoint(
        "api-training-session-detail",
        "GET",
        "/api/v1/training/sessions/{pk}/",
        "api",
        "tr_session",
        contains=_PLACE,
    ),
    Endpoint(
        "api-training-session-detail",
        "PUT",
        "/api/v1/training/sessions/{pk}/",
        "api",
        "tr_session",
        body=lambda ctx: {**_SESSION_JSON, "version": 1},
        writes=True,
    ),
    Endpoint(
        "api-training-session-transition",
        "POST",
        "/api/v1/training/sessions/{pk}/transition/",
        "api",
        "tr_session",
        body=lambda ctx: {"action": "hold", "version": 1},
        writes=True,
        today=AFTER,
    ),
    Endpoint(
        "api-training-session-attendance",
        "POST",
        "/api/v1/training/sessions/{pk}/attendance/",
        "api",
        "tr_held",
        body=_attendance,
        writes=True,
    ),
    Endpoint(
        "api-training-session-notes",
        "GET",
        "/api/v1/training/sessions/{pk}/notes/",
        "api",
        "tr_held",
    ),
    Endpoint(
        "api-training-session-notes",
        "POST",
        "/api/v1/training/sessions/{pk}/notes/",
        "api",
        "tr_held",
        ok=201,
        body=lambda ctx: _NOTE,
        writes=True,
    ),
    Endpoint("api-training-plan", "GET", "/api/v1/training/plans/{pk}/2026/", "api", "tr_agency"),
    Endpoint(
        "api-training-plan",
        "PUT",
        "/api/v1/training/plans/{pk}/2026/",
        "api",
        "tr_agency",
        body=lambda ctx: _PLAN_JSON,
        writes=True,
    ),
    Endpoint("api-training-progress", "GET", "/api/v1/training/progress/?year=2026", "api"),
    Endpoint(
        "api-training-officer-progress",
        "GET",
        "/api/v1/training/progress/{pk}/?year=2026",
        "api",
        "officer",
    ),
    # --- pages
    Endpoint("training:library-list", "GET", "/training/", "page", setup=_entry, contains=_TITLE),
    Endpoint("training:library-add", "GET", "/training/library/add/", "page"),
    Endpoint(
        "training:library-add",
        "POST",
        "/training/library/add/",
        "page",
        ok=302,
        other_ok=400,
        setup=_new_case,
        body=_add_body,
        writes=True,
    ),
    Endpoint(
        "training:library-detail",
        "GET",
        "/training/library/{lib_entry}/",
        "page",
        "lib_entry",
        contains=_TITLE,
    ),
    Endpoint(
        "training:library-comment",
        "POST",
        "/training/library/{lib_entry}/comment/",
        "page",
        "lib_entry",
        ok=302,
        body=lambda ctx: _COMMENT,
        writes=True,
    ),
    Endpoint(
        "training:course-list",
        "GET",
        "/training/courses/",
        "page",
        setup=_make("tr_course"),
        contains=_COURSE,
    ),
    Endpoint("training:course-add", "GET", "/training/courses/add/", "page"),
    Endpoint(
        "training:course-add",
        "POST",
        "/training/courses/add/",
        "page",
        ok=302,
        body=lambda ctx: {"title": "新课程", "category": "skills", "default_hours": "8"},
        writes=True,
    ),
    Endpoint(
        "training:course-detail",
        "GET",
        "/training/courses/{tr_course}/",
        "page",
        "tr_course",
        contains=_COURSE,
    ),
    Endpoint(
        "training:course-detail",
        "POST",
        "/training/courses/{tr_course}/",
        "page",
        "tr_course",
        ok=302,
        body=lambda ctx: _COURSE_FORM,
        writes=True,
    ),
    Endpoint(
        "training:session-add",
        "GET",
        "/training/courses/{tr_course}/sessions/add/",
        "page",
        "tr_course",
    ),
    Endpoint(
        "training:session-add",
        "POST",
        "/training/courses/{tr_course}/sessions/add/",
        "page",
        "tr_course",
        ok=302,
        body=lambda ctx: _SESSION_FORM,
        writes=True,
    ),
    Endpoint(
        "training:session-detail",
        "GET",
        "/training/sessions/{tr_session}/",
        "page",
        "tr_session",
        contains=_PLACE,
    ),
    Endpoint(
        "training:session-edit",
        "GET",
        "/training/sessions/{tr_session}/edit/",
        "page",
        "tr_session",
        contains=_PLACE,
    ),
    Endpoint(
        "training:session-edit",
        "POST",
        "/training/sessions/{tr_session}/edit/",
        "page",
        "tr_session",
        ok=302,
        body=lambda ctx: {**_SESSION_FORM, "version": "1"},
        writes=True,
    ),
    Endpoint(
        "training:session-action",
        "POST",
        "/training/sessions/{tr_session}/action/",
        "page",
        "tr_session",
        ok=302,
        body=lambda ctx: {"action": "hold", "version": "1"},
        writes=True,
        today=AFTER,
    ),
    Endpoint(
        "training:session-attendance",
        "POST",
        "/training/sessions/{tr_held}/attendance/",
        "page",
        "tr_held",
        ok=302,
        body=_attendance_form,
        writes=True,
    ),
    Endpoint(
        "training:session-note",
        "POST",
        "/training/sessions/{tr_held}/notes/",
        "page",
        "tr_held",
        ok=302,
        body=lambda ctx: _NOTE,
        writes=True,
    ),
    Endpoint("training:plan", "GET", "/training/plan/?year=2026", "page"),
    Endpoint(
        "training:plan",
        "POST",
        "/training/plan/",
        "page",
        ok=302,
        other_ok=404,
        body=lambda ctx: {"agency": ctx.world.tianshan.pk, "year": "2026", "hours_officer": "60"},
        writes=True,
    ),
    Endpoint("training:progress", "GET", "/training/progress/?year=2026", "page"),
    Endpoint(
        "training:progress-officer",
        "GET",
        "/training/progress/officers/{pk}/?year=2026",
        "page",
        "officer",
    ),
]
