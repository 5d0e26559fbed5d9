"""Training's API and pages: courses, sessions, attendance, notes, the plan and progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.training.models import Attendance, Course, StudyNote, TrainingPlan
from tests.conftest import zh
from tests.factories import UserFactory
from tests.training.courses_world import D, attend, course, hold, plan, session

ClientFor = Callable[[User | None], Client]
DAY = dt.date(2026, 5, 20)
JSON = "application/json"


@pytest.fixture
def prov_head(world: Any) -> User:
    return UserFactory(agency=world.province, roles=[Role.HEAD])


def test_api_course_and_session_flow(world: Any, client_for: ClientFor) -> None:
    w = world
    lead = client_for(w.tianshan_lead)
    r = lead.post(
        reverse("api-training-course-list"),
        {"title": "行政诉讼审查要点", "category": "law", "default_hours": "4"},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert r.json()["agency_name"] == "天山区应急管理局"
    r = lead.put(
        reverse("api-training-course-detail", args=[cid]),
        {"title": "行政诉讼审查要点（二）", "category": "law", "default_hours": "4", "version": 2},
        content_type=JSON,
    )
    assert r.status_code == 409
    assert Course.objects.get(pk=cid).title == "行政诉讼审查要点"
    r = lead.post(
        reverse("api-training-session-list"),
        {
            "course": cid,
            "date": "2026-05-20",
            "start_time": "15:30",
            "end_time": "19:30",
            "place": "报告厅",
            "lecturer_kind": "external",
            "lecturer_name": "李建华",
            "lecturer_org": "乌鲁木齐市中级人民法院",
            "lecturer_title": "行政审判庭法官",
            "invitees": [w.tianshan_officer.pk],
        },
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["hours"] == "4.0"
    assert r.json()["invitees"] == [w.tianshan_officer.pk]
    # attendance before it is held: 409
    url = reverse("api-training-session-attendance", args=[sid])
    body = {"entries": [{"officer": w.tianshan_officer.pk, "status": "partial", "hours": "5"}]}
    assert lead.post(url, body, content_type=JSON).status_code == 409
    r = lead.post(
        reverse("api-training-session-transition", args=[sid]),
        {"action": "hold", "version": 1},
        content_type=JSON,
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "held"
    r = lead.post(url, body, content_type=JSON)
    assert r.status_code == 400
    assert list(r.json()["extra"]["fields"]) == [f"{w.tianshan_officer.pk}.hours"]
    assert not Attendance.objects.exists()
    body["entries"][0]["hours"] = "3.5"
    r = lead.post(url, body, content_type=JSON)
    assert r.status_code == 200
    assert r.json() == [
        {
            "officer": w.tianshan_officer.pk,
            "officer_name": w.tianshan_officer.get_full_name(),
            "status": "partial",
            "hours": "3.5",
            "recorded_on": r.json()[0]["recorded_on"],
        }
    ]
    officer = client_for(w.tianshan_officer)
    r = officer.post(
        reverse("api-training-session-notes", args=[sid]),
        {"kind": "note", "text": "程序合法是审查重点。"},
        content_type=JSON,
    )
    assert r.status_code == 201
    notes = officer.get(reverse("api-training-session-notes", args=[sid])).json()
    assert [(n["kind"], n["text"]) for n in notes] == [("note", "程序合法是审查重点。")]
    # the officer may not record attendance; 克拉玛依 does not see the session
    assert officer.post(url, body, content_type=JSON).status_code == 403
    klmy = client_for(w.karamay_lead)
    assert klmy.get(reverse("api-training-session-detail", args=[sid])).status_code == 404
    assert klmy.post(url, body, content_type=JSON).status_code == 404
    assert client_for(None).get(reverse("api-training-session-detail", args=[sid])).status_code in (
        401,
        403,
    )
    detail = lead.get(reverse("api-training-session-detail", args=[sid])).json()
    assert detail["lecturer_label"] == "乌鲁木齐市中级人民法院 行政审判庭法官 李建华"
    assert [a["hours"] for a in detail["attendance"]] == ["3.5"]
    assert Attendance.objects.get().hours == D("3.5")


def test_api_plan_and_progress(world: Any, client_for: ClientFor, prov_head: User) -> None:
    w = world
    head = client_for(prov_head)
    url = reverse("api-training-plan", args=[w.province.pk, 2026])
    assert head.get(url).json()["plan"] is None
    lines = [
        {"post": "officer", "required_hours": "60", "minimums": {"law": "20", "political": "8"}}
    ]
    r = head.put(url, {"lines": lines, "basis": "纲要"}, content_type=JSON)
    assert r.status_code == 200, r.content
    assert r.json()["plan"]["version"] == 1
    assert r.json()["plan"]["lines"][0]["minimums"] == {"law": "20.0", "political": "8.0"}
    # without the version now: 409; a bad line: 400
    assert head.put(url, {"lines": lines}, content_type=JSON).status_code == 409
    bad = [{"post": "officer", "required_hours": "10", "minimums": {"law": "20"}}]
    r = head.put(url, {"lines": bad, "version": 1}, content_type=JSON)
    assert r.status_code == 400
    assert list(r.json()["extra"]["fields"]) == ["officer.required_hours"]
    # 天山区 inherits the province's plan
    ts = client_for(w.tianshan_head)
    body = ts.get(reverse("api-training-plan", args=[w.tianshan.pk, 2026])).json()
    assert body["plan"]["inherited"] is True
    # 天山区's head may not save the province's plan (it is above: out of scope)
    assert ts.put(url, {"lines": lines, "version": 1}, content_type=JSON).status_code == 404
    assert (
        client_for(w.tianshan_officer)
        .put(
            reverse("api-training-plan", args=[w.tianshan.pk, 2026]),
            {"lines": lines},
            content_type=JSON,
        )
        .status_code
        == 403
    )
    assert TrainingPlan.objects.count() == 1
    c = course(w.tianshan_lead, "law", "6")
    s = hold(w.tianshan_lead, session(w.tianshan_lead, c, DAY, [w.tianshan_officer]))
    attend(w.tianshan_lead, s, (w.tianshan_officer, "present", None))
    r = client_for(w.tianshan_head).get(
        reverse("api-training-progress"), {"year": 2026, "agency": w.tianshan.pk}
    )
    rows = {row["officer"]: row for row in r.json()["results"]}
    assert w.karamay_officer.pk not in rows
    me = rows[w.tianshan_officer.pk]
    assert (
        me["required_hours"],
        me["session_hours"],
        me["total_hours"],
        me["remaining_hours"],
    ) == (
        "60.0",
        "6.0",
        "6.0",
        "54.0",
    )
    assert me["shortfalls"] == {"law": "14.0", "political": "8.0"}
    r = client_for(w.tianshan_officer).get(
        reverse("api-training-officer-progress", args=[w.tianshan_officer.pk]), {"year": 2026}
    )
    assert [x["hours"] for x in r.json()["sessions"]] == ["6.0"]
    # another officer's record: 404 for a colleague, 200 for the office above
    other = reverse("api-training-officer-progress", args=[w.tianshan_officer.pk])
    assert client_for(w.shayibake_officer).get(other).status_code == 404
    assert client_for(w.prefecture_officer).get(other).status_code == 200


def test_pages_course_session_attendance_note(world: Any, client_for: ClientFor) -> None:
    w = world
    lead = client_for(w.tianshan_lead)
    page = lead.get(reverse("training:course-list"))
    assert page.status_code == 200
    assert 'class="tabs"' in page.content.decode()
    r = lead.post(
        reverse("training:course-add"),
        {"title": "现场检查实务", "category": "skills", "default_hours": "8", "description": ""},
    )
    assert r.status_code == 302
    c = Course.objects.get()
    r = lead.post(
        reverse("training:course-detail", args=[c.pk]),
        {"title": "改名", "category": "skills", "default_hours": "8", "version": "5"},
    )
    assert r.status_code == 409
    assert Course.objects.get().title == "现场检查实务"
    r = lead.post(
        reverse("training:session-add", args=[c.pk]),
        {
            "date": "2026-04-09",
            "start_time": "10:00",
            "end_time": "18:00",
            "place": "二楼会议室",
            "hours": "8",
            "lecturer_kind": "internal",
            "lecturer": str(w.tianshan_lead.pk),
            "invitees": [str(w.tianshan_officer.pk)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    s = c.sessions.get()
    detail = reverse("training:session-detail", args=[s.pk])
    r = lead.post(
        reverse("training:session-action", args=[s.pk]), {"action": "hold", "version": "1"}
    )
    assert r.status_code == 302
    r = lead.post(
        reverse("training:session-attendance", args=[s.pk]),
        {f"status_{w.tianshan_officer.pk}": "partial", f"hours_{w.tianshan_officer.pk}": "9"},
    )
    assert r.status_code == 400
    assert zh("At most %(n)s hours.") % {"n": D("8.0")} in r.content.decode()
    assert not Attendance.objects.exists()
    r = lead.post(
        reverse("training:session-attendance", args=[s.pk]),
        {f"status_{w.tianshan_officer.pk}": "partial", f"hours_{w.tianshan_officer.pk}": "6"},
    )
    assert r.status_code == 302
    officer = client_for(w.tianshan_officer)
    assert 'data-testid="attendance-form"' not in officer.get(detail).content.decode()
    r = officer.post(
        reverse("training:session-note", args=[s.pk]), {"kind": "note", "text": "要点"}
    )
    assert r.status_code == 302
    r = officer.post(reverse("training:session-note", args=[s.pk]), {"kind": "note", "text": " "})
    assert r.status_code == 400
    assert StudyNote.objects.count() == 1
    r = officer.post(
        reverse("training:session-attendance", args=[s.pk]),
        {f"status_{w.tianshan_officer.pk}": "present"},
    )
    assert r.status_code == 403
    assert Attendance.objects.get().hours == D("6")
    assert client_for(w.karamay_lead).get(detail).status_code == 404
    page = lead.get(reverse("training:progress"), {"year": 2026}).content.decode()
    assert f'data-officer="{w.tianshan_officer.pk}"' in page
    mine = officer.get(reverse("training:progress-officer", args=[w.tianshan_officer.pk]))
    assert mine.status_code == 200
    assert "现场检查实务" in mine.content.decode()


def test_plan_page(world: Any, client_for: ClientFor, prov_head: User) -> None:
    w = world
    plan(prov_head, w.province, 2026, [("officer", "60", {"law": "20"})])
    ts_head = client_for(w.tianshan_head)
    url = reverse("training:plan")
    page = ts_head.get(url, {"agency": w.tianshan.pk, "year": 2026}).content.decode()
    assert w.province.name in page  # the inherited plan's office
    r = ts_head.post(
        url,
        {"agency": w.tianshan.pk, "year": 2026, "hours_officer": "50", "min_officer_law": "60"},
    )
    assert r.status_code == 400
    assert zh("The category minimums add up to more than the required hours.") in r.content.decode()
    assert TrainingPlan.objects.count() == 1
    r = ts_head.post(
        url,
        {"agency": w.tianshan.pk, "year": 2026, "hours_officer": "72", "min_officer_law": "24"},
    )
    assert r.status_code == 302
    own = TrainingPlan.objects.get(agency=w.tianshan)
    assert [(line.post.code, line.required_hours, line.minimums) for line in own.lines.all()] == [
        ("officer", D("72"), {"law": "24.0"})
    ]
    # stale version: 409, nothing changed
    r = ts_head.post(
        url,
        {"agency": w.tianshan.pk, "year": 2026, "hours_officer": "80", "version": "9"},
    )
    assert r.status_code == 409
    assert own.lines.get().required_hours == D("72")
    # an officer sees the plan, cannot save it
    r = client_for(w.tianshan_officer).post(
        url, {"agency": w.tianshan.pk, "year": 2026, "hours_officer": "1"}
    )
    assert r.status_code == 403


def test_library_pages_show_the_tabs(world: Any, client_for: ClientFor) -> None:
    page = client_for(world.tianshan_officer).get(reverse("training:library-list")).content.decode()
    assert 'class="tabs"' in page
    assert reverse("training:course-list") in page
