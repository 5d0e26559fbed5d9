"""The API and the pages: the report with its computed grade, the steps by name with their
field errors and 409s, the list with the chain's deadlines, and the accident page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.accidents.models import Accident, AccidentState
from tests.accidents.conftest import AccidentWorld, report

pytestmark = pytest.mark.django_db


def _body(**kw: Any) -> dict[str, Any]:
    now = timezone.localtime()
    body: dict[str, Any] = {
        "jurisdiction_code": "650102",
        "unit_name": "天山区某餐馆",
        "occurred_at": (now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "天山区中山路",
        "kind": "fire",
        "brief": "厨房燃气泄漏起火",
        "deaths": 3,
        "serious_injuries": 0,
        "missing": 0,
        "direct_loss": 0,
    }
    body.update(kw)
    return body


def test_api_report_computes_the_grade_and_the_chain(aw: AccidentWorld, client_for: Any) -> None:
    client = client_for(aw.officer)
    response = client.post("/api/v1/accidents/", _body(), content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["grade"] == "larger"
    assert [s["to_level"] for s in data["chain"]] == ["county", "prefecture", "province"]
    assert [s["hours"] for s in data["chain"]] == [1, 2, 2]
    detail = client.get(f"/api/v1/accidents/{data['id']}/").json()
    assert detail["update_window_days"] == 7  # a fire accident
    assert [d["kind"] for d in detail["deadlines"]] == ["accident_investigation"]
    assert detail["actions"] == []  # 较大: the prefecture investigates


def test_api_bad_input_is_a_field_error_and_creates_nothing(
    aw: AccidentWorld, client_for: Any
) -> None:
    client = client_for(aw.officer)
    response = client.post(
        "/api/v1/accidents/", _body(kind="volcano", deaths=-1), content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"kind", "deaths"}
    assert not Accident.objects.exists()


def test_api_steps_by_name_with_version_conflicts(aw: AccidentWorld, client_for: Any) -> None:
    accident = report(aw, now=timezone.now())
    client = client_for(aw.officer)
    url = f"/api/v1/accidents/{accident.pk}/actions/"
    today = timezone.localdate().isoformat()
    stale = {"action": "start_investigation", "version": accident.version + 5}
    response = client.post(
        url, {**stale, "group_leader": "王强", "set_up_on": today}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_modification"
    response = client.post(
        url,
        {
            "action": "start_investigation",
            "version": accident.version,
            "group_leader": "王强",
            "set_up_on": today,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "investigating"
    response = client.post(
        url,
        {"action": "close", "version": response.json()["version"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    # another jurisdiction: the same 404 as a missing accident
    other = client_for(aw.w.karamay_officer)
    assert other.get(f"/api/v1/accidents/{accident.pk}/").status_code == 404
    assert other.get("/api/v1/accidents/987654/").status_code == 404


def test_the_list_shows_the_grade_and_the_next_report_due(
    aw: AccidentWorld, client_for: Any
) -> None:
    accident = report(aw, deaths=3)  # 2026-06-01: the county's report was due at 12:10
    response = client_for(aw.officer).get("/accidents/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-accident="{accident.pk}" class="is-overdue"' in html
    assert 'class="badge grade-larger"' in html
    assert "2026-06-01 12:10" in html
    assert "乌鲁木齐市应急管理局" in html


def test_the_page_takes_the_accident_through_its_steps(aw: AccidentWorld, client_for: Any) -> None:
    now = timezone.now()
    accident = report(
        aw,
        deaths=1,
        now=now,
        occurred_at=now - dt.timedelta(hours=1),
        unit_reported_at=now - dt.timedelta(minutes=30),
    )
    client = client_for(aw.officer)
    page = client.get(f"/accidents/{accident.pk}/").content.decode()
    assert 'data-testid="form-start_investigation"' in page
    assert 'data-testid="chain-report-1"' in page  # the county reports to the prefecture
    assert 'data-testid="chain-notice-0"' in page
    url = f"/accidents/{accident.pk}/action/start_investigation/"
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "version": accident.version,
            "group_leader": "王强",
            "set_up_on": today,
            "entrusted_to_unit": "on",
        },
    )
    assert response.status_code == 400  # a death: the county may not entrust the unit
    assert "第十九条第三款" in response.content.decode()
    response = client.post(
        url, {"version": accident.version - 1, "group_leader": "王强", "set_up_on": today}
    )
    assert response.status_code == 409
    assert 'value="王强"' in response.content.decode()  # the input is kept
    accident.refresh_from_db()
    assert accident.state == AccidentState.REPORTED
    response = client.post(
        url, {"version": accident.version, "group_leader": "王强", "set_up_on": today}
    )
    assert response.status_code == 302
    accident.refresh_from_db()
    assert accident.state == AccidentState.INVESTIGATING
    # the prefecture sees the page but may not act for the county
    page = client_for(aw.pref_officer).get(f"/accidents/{accident.pk}/").content.decode()
    assert 'data-testid="form-submit_report"' not in page
    assert client_for(aw.w.karamay_officer).get(f"/accidents/{accident.pk}/").status_code == 404
