"""Helpers of the training tests: courses and sessions made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from inspectorate.training import services
from inspectorate.training.models import Course, CourseCategory, LecturerKind, Session
from inspectorate.training.services import AttendanceEntry, PlanLineInput

D = Decimal


def course(actor: Any, category: str = CourseCategory.LAW, hours: str = "4", **kw: Any) -> Course:
    return services.course_create(
        actor=actor,
        title=kw.pop("title", f"课程{category}"),
        category=category,
        default_hours=hours,
        description=kw.pop("description", ""),
        today=dt.date(2026, 1, 5),
    )


def session(
    actor: Any,
    c: Course,
    day: dt.date,
    invitees: list[Any] = (),  # type: ignore[assignment]
    hours: str | None = None,
    **kw: Any,
) -> Session:
    fields: dict[str, Any] = {
        "date": day,
        "start_time": dt.time(9, 30),
        "end_time": dt.time(12, 0),
        "place": "三楼会议室",
        "hours": hours,
        "lecturer_kind": LecturerKind.EXTERNAL,
        "lecturer_name": "李明",
        "lecturer_org": "乌鲁木齐市中级人民法院",
        "lecturer_title": "行政庭法官",
        "invitee_ids": [u.pk for u in invitees],
    }
    fields.update(kw)
    return services.session_create(actor=actor, course_id=c.pk, **fields)


def hold(actor: Any, s: Session) -> Session:
    s.refresh_from_db()
    return services.session_transition(
        actor=actor, session_id=s.pk, action="hold", expected_version=s.version, today=s.date
    )


def attend(actor: Any, s: Session, *rows: tuple[Any, str, Any]) -> None:
    services.attendance_record(
        actor=actor,
        session_id=s.pk,
        entries=[AttendanceEntry(u.pk, status, hours) for u, status, hours in rows],
        today=s.date,
    )


def held_session(
    actor: Any, c: Course, day: dt.date, rows: list[tuple[Any, str, Any]], hours: str | None = None
) -> Session:
    s = session(actor, c, day, [u for u, _s, _h in rows], hours=hours)
    s = hold(actor, s)
    attend(actor, s, *rows)
    return s


def plan(
    actor: Any, agency: Any, year: int, lines: list[tuple[str, str, dict[str, str]]], **kw: Any
) -> Any:
    return services.plan_save(
        actor=actor,
        agency_id=agency.pk,
        year=year,
        lines=[PlanLineInput(p, h, m) for p, h, m in lines],
        source=kw.get("source", ""),
        expected_version=kw.get("version"),
        today=dt.date(2026, 1, 10),
    )
