"""Courses, sessions (the workflow), attendance (hours and their bound), study notes and the
discussion: the services, with permissions that change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.org.roles import Role
from inspectorate.training import services
from inspectorate.training.models import (
    Attendance,
    Course,
    CourseCategory,
    LecturerKind,
    Session,
    SessionState,
    StudyNote,
)
from inspectorate.training.selectors import (
    course_queryset_for_user,
    session_queryset_for_user,
    training_progress,
)
from inspectorate.training.services import AttendanceEntry
from tests.factories import UserFactory
from tests.training.courses_world import D, attend, course, hold, session

DAY = dt.date(2026, 5, 20)


def _state() -> dict[str, Any]:
    return {
        "courses": list(Course.objects.order_by("pk").values_list("pk", "title", "version")),
        "sessions": list(
            Session.objects.order_by("pk").values_list("pk", "state", "hours", "version")
        ),
        "attendance": list(Attendance.objects.order_by("pk").values_list("pk", "status", "hours")),
        "notes": list(StudyNote.objects.order_by("pk").values_list("pk", "text")),
        "events": RecordEvent.objects.count(),
    }


def test_course_create_records_and_scopes(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead, CourseCategory.SPECIAL_POST, "16", title="动火作业监管专题")
    assert (c.jurisdiction_code, c.share_prefix, c.default_hours) == ("650102", "650102", D("16"))
    event = RecordEvent.objects.get(kind="training.course_saved")
    assert event.jurisdiction_code == "650102"
    assert event.payload["category"] == "special_post"
    # seen by 天山区 and the offices above it, not by 沙依巴克区 or 克拉玛依
    for user, seen in [
        (w.tianshan_officer, True),
        (w.prefecture_officer, True),
        (w.province_officer, True),
        (w.shayibake_officer, False),
        (w.karamay_officer, False),
        (w.enterprise_user, False),
    ]:
        assert course_queryset_for_user(user=user).filter(pk=c.pk).exists() is seen, user
    # a province course is seen by every office of the province
    prov_lead = UserFactory(agency=w.province, roles=[Role.TEAM_LEAD])
    pc = course(prov_lead, CourseCategory.LAW)
    assert course_queryset_for_user(user=w.karamay_officer).filter(pk=pc.pk).exists()


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("tianshan_officer", PermissionDenied),  # an officer does not organise
        ("tianshan_reviewer", PermissionDenied),
        ("enterprise_user", PermissionDenied),
    ],
)
def test_course_create_refused(world, who: str, error: type[Exception]) -> None:  # type: ignore[no-untyped-def]
    before = _state()
    with pytest.raises(error):
        course(getattr(world, who), CourseCategory.LAW)
    assert _state() == before


def test_course_bad_input_and_stale_version(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        services.course_create(
            actor=w.tianshan_lead, title=" ", category="cooking", default_hours="0"
        )
    assert set(exc.value.extra["fields"]) == {"title", "category", "default_hours"}
    with pytest.raises(ValidationFailed) as exc:
        services.course_create(
            actor=w.tianshan_lead, title="x", category="law", default_hours="2.25"
        )
    assert set(exc.value.extra["fields"]) == {"default_hours"}
    assert _state() == before
    c = course(w.tianshan_lead)
    kw = {"title": "新标题", "category": "policy", "default_hours": "3", "description": ""}
    updated = services.course_update(
        actor=w.tianshan_head, course_id=c.pk, expected_version=1, **kw
    )
    assert (updated.version, updated.title, updated.category) == (2, "新标题", "policy")
    before = _state()
    with pytest.raises(ConcurrentModification) as conflict:
        services.course_update(actor=w.tianshan_lead, course_id=c.pk, expected_version=1, **kw)
    assert conflict.value.status_code == 409
    assert conflict.value.extra["current_version"] == 2
    # other jurisdiction: 404; the office above: allowed; seen but not organised: 403
    with pytest.raises(NotFound):
        services.course_update(actor=w.karamay_lead, course_id=c.pk, expected_version=2, **kw)
    prov_lead = UserFactory(agency=w.province, roles=[Role.TEAM_LEAD])
    pc = course(prov_lead)
    before = _state()
    with pytest.raises(PermissionDenied):
        services.course_update(actor=w.tianshan_lead, course_id=pc.pk, expected_version=1, **kw)
    assert _state() == before
    services.course_update(actor=prov_lead, course_id=c.pk, expected_version=2, **kw)


def test_session_lecturers_and_invitees(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead, hours="3")
    s = session(w.tianshan_lead, c, DAY, [w.tianshan_officer])
    assert s.hours == D("3")  # the course's default
    assert s.lecturer_label == "乌鲁木齐市中级人民法院 行政庭法官 李明"
    internal = session(
        w.tianshan_lead,
        c,
        DAY,
        [],
        hours="2.5",
        lecturer_kind="internal",
        lecturer_id=w.tianshan_head.pk,
    )
    assert (internal.lecturer, internal.hours) == (w.tianshan_head, D("2.5"))
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        session(
            w.tianshan_lead,
            c,
            DAY,
            [w.karamay_officer],
            hours="0",
            end_time=dt.time(9, 0),
            lecturer_kind="internal",
            lecturer_id=w.karamay_officer.pk,
            place="",
        )
    assert set(exc.value.extra["fields"]) == {"invitees", "hours", "end_time", "lecturer", "place"}
    with pytest.raises(ValidationFailed) as exc:
        session(w.tianshan_lead, c, DAY, [], lecturer_name=" ")
    assert set(exc.value.extra["fields"]) == {"lecturer_name"}
    assert _state() == before


def test_session_workflow_hold_cancel_and_edit(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead)
    s = session(w.tianshan_lead, c, DAY, [w.tianshan_officer])
    before = _state()
    # not before its date
    with pytest.raises(ValidationFailed):
        services.session_transition(
            actor=w.tianshan_lead,
            session_id=s.pk,
            action="hold",
            expected_version=1,
            today=DAY - dt.timedelta(days=1),
        )
    with pytest.raises(ConcurrentModification):
        services.session_transition(
            actor=w.tianshan_lead, session_id=s.pk, action="hold", expected_version=7, today=DAY
        )
    with pytest.raises(PermissionDenied):
        services.session_transition(
            actor=w.tianshan_officer, session_id=s.pk, action="hold", expected_version=1, today=DAY
        )
    with pytest.raises(NotFound):
        services.session_transition(
            actor=w.karamay_lead, session_id=s.pk, action="hold", expected_version=1, today=DAY
        )
    with pytest.raises(ValidationFailed):  # a cancellation needs a reason
        services.session_transition(
            actor=w.tianshan_lead, session_id=s.pk, action="cancel", expected_version=1
        )
    assert _state() == before
    held = services.session_transition(
        actor=w.tianshan_lead, session_id=s.pk, action="hold", expected_version=1, today=DAY
    )
    assert (held.state, held.version) == (SessionState.HELD, 2)
    with pytest.raises(IllegalTransition):
        services.session_transition(
            actor=w.tianshan_lead,
            session_id=s.pk,
            action="cancel",
            expected_version=2,
            reason="x",
        )
    fields = {
        "date": DAY,
        "start_time": dt.time(9),
        "end_time": dt.time(11),
        "place": "会议室",
        "hours": "2",
        "lecturer_kind": LecturerKind.EXTERNAL,
        "lecturer_name": "张律师",
        "invitee_ids": [],
    }
    with pytest.raises(IllegalTransition):  # a held session changes no more
        services.session_update(
            actor=w.tianshan_lead, session_id=s.pk, expected_version=2, **fields
        )
    planned = session(w.tianshan_lead, c, DAY, [])
    updated = services.session_update(
        actor=w.tianshan_lead, session_id=planned.pk, expected_version=1, **fields
    )
    assert (updated.version, updated.hours, updated.lecturer_name) == (2, D("2"), "张律师")
    with pytest.raises(ConcurrentModification):
        services.session_update(
            actor=w.tianshan_lead, session_id=planned.pk, expected_version=1, **fields
        )


def test_attendance_hours_and_bound(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead, hours="3.5")
    other = UserFactory(agency=w.tianshan)
    s = hold(
        w.tianshan_lead,
        session(w.tianshan_lead, c, DAY, [w.tianshan_officer, w.tianshan_reviewer]),
    )
    attend(
        w.tianshan_lead,
        s,
        (w.tianshan_officer, "present", "1"),  # the hours given are ignored when present
        (w.tianshan_reviewer, "partial", "3.5"),  # the bound itself is allowed
        (other, "absent", None),  # not invited, but in the organiser's office
    )
    rows = {a.officer_id: (a.status, a.hours) for a in Attendance.objects.filter(session=s)}
    assert rows == {
        w.tianshan_officer.pk: ("present", D("3.5")),
        w.tianshan_reviewer.pk: ("partial", D("3.5")),
        other.pk: ("absent", D("0")),
    }
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        attend(w.tianshan_lead, s, (w.tianshan_officer, "partial", "3.6"))
    assert set(exc.value.extra["fields"]) == {f"{w.tianshan_officer.pk}.hours"}
    with pytest.raises(ValidationFailed) as exc:
        attend(
            w.tianshan_lead,
            s,
            (w.tianshan_officer, "partial", None),
            (w.tianshan_reviewer, "sleeping", None),
        )
    assert set(exc.value.extra["fields"]) == {
        f"{w.tianshan_officer.pk}.hours",
        f"{w.tianshan_reviewer.pk}.status",
    }
    # neither invited nor in the organiser's subtree
    with pytest.raises(ValidationFailed) as exc:
        attend(w.tianshan_lead, s, (w.shayibake_officer, "present", None))
    assert set(exc.value.extra["fields"]) == {f"{w.shayibake_officer.pk}.officer"}
    assert _state() == before
    # a correction replaces the row
    attend(w.tianshan_lead, s, (w.tianshan_officer, "partial", "1.5"))
    assert Attendance.objects.get(session=s, officer=w.tianshan_officer).hours == D("1.5")
    assert RecordEvent.objects.filter(kind="training.attendance_recorded").count() == 2


def test_attendance_only_when_held_and_by_the_organiser(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead)
    planned = session(w.tianshan_lead, c, DAY, [w.tianshan_officer])
    before = _state()
    with pytest.raises(IllegalTransition):
        attend(w.tianshan_lead, planned, (w.tianshan_officer, "present", None))
    held = hold(w.tianshan_lead, session(w.tianshan_lead, c, DAY, [w.tianshan_officer]))
    before = _state()
    entry = [AttendanceEntry(w.tianshan_officer.pk, "present")]
    with pytest.raises(PermissionDenied):  # the same office, not an organiser
        services.attendance_record(actor=w.tianshan_officer, session_id=held.pk, entries=entry)
    with pytest.raises(NotFound):  # another jurisdiction
        services.attendance_record(actor=w.karamay_lead, session_id=held.pk, entries=entry)
    with pytest.raises(PermissionDenied):  # anonymous: no role
        services.attendance_record(actor=AnonymousUser(), session_id=held.pk, entries=entry)
    assert _state() == before
    # the office above records it
    pref_head = UserFactory(agency=w.prefecture, roles=[Role.HEAD])
    services.attendance_record(actor=pref_head, session_id=held.pk, entries=entry)
    assert Attendance.objects.get(session=held).recorded_by == pref_head


def test_cancelled_sessions_give_no_hours(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead, hours="4")
    s = session(w.tianshan_lead, c, DAY, [w.tianshan_officer])
    services.session_transition(
        actor=w.tianshan_lead,
        session_id=s.pk,
        action="cancel",
        expected_version=1,
        reason="天气原因",
    )
    with pytest.raises(IllegalTransition):
        attend(w.tianshan_lead, s, (w.tianshan_officer, "present", None))
    p = training_progress(year=2026, user_ids=[w.tianshan_officer.pk])[w.tianshan_officer.pk]
    assert p.session_hours == Decimal("0")
    assert RecordEvent.objects.filter(kind="training.session_cancelled").count() == 1


def test_study_notes_and_discussion(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    c = course(w.tianshan_lead)
    s = hold(
        w.tianshan_lead, session(w.tianshan_lead, c, DAY, [w.tianshan_officer, w.tianshan_reviewer])
    )
    attend(
        w.tianshan_lead,
        s,
        (w.tianshan_officer, "present", None),
        (w.tianshan_reviewer, "absent", None),
    )
    note = services.study_note_add(
        actor=w.tianshan_officer,
        session_id=s.pk,
        kind="note",
        text=" 程序是关键。 ",
        today=dt.date(2026, 5, 21),
    )
    assert (note.text, note.author_name, note.agency_name, note.created_on) == (
        "程序是关键。",
        w.tianshan_officer.get_full_name(),
        "天山区应急管理局",
        dt.date(2026, 5, 21),
    )
    comment = services.study_note_add(
        actor=w.prefecture_officer, session_id=s.pk, kind="comment", text="同意。"
    )
    assert comment.agency_name == "乌鲁木齐市应急管理局"
    before = _state()
    with pytest.raises(PermissionDenied):  # absent: no study note
        services.study_note_add(actor=w.tianshan_reviewer, session_id=s.pk, kind="note", text="x")
    with pytest.raises(NotFound):
        services.study_note_add(actor=w.karamay_officer, session_id=s.pk, kind="comment", text="x")
    with pytest.raises(ValidationFailed) as exc:
        services.study_note_add(actor=w.tianshan_officer, session_id=s.pk, kind="note", text="  ")
    assert set(exc.value.extra["fields"]) == {"text"}
    with pytest.raises(ValidationFailed):
        services.study_note_add(actor=w.tianshan_officer, session_id=s.pk, kind="poem", text="x")
    assert _state() == before
    assert session_queryset_for_user(user=w.karamay_officer).count() == 0
