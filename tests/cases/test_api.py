"""The cases API: every step through one endpoint, the party's statement and hearing
request, the calculator, idempotent replays, and what an illegal step leaves (nothing)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from inspectorate.cases.models import Case, CaseState, Statement
from inspectorate.core.models import RecordEvent
from tests.cases.conftest import CaseWorld, filed, notified

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _on(day: dt.date) -> Any:
    return mock.patch(
        "django.utils.timezone.localdate", lambda *a, **k: day if not a else a[0].date()
    )


def test_illegal_step_is_409_and_changes_nothing(cw: CaseWorld) -> None:
    case = filed(cw)
    events = RecordEvent.objects.count()
    response = _post(
        _client(cw.head),
        f"/api/v1/cases/{case.pk}/actions/",
        {"action": "decide", "version": case.version},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["extra"] == {"state": "investigating", "action": "decide"}
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.version) == (CaseState.INVESTIGATING, case.version)
    assert RecordEvent.objects.count() == events


def test_unknown_action_is_a_field_error(cw: CaseWorld) -> None:
    case = filed(cw)
    response = _post(_client(cw.head), f"/api/v1/cases/{case.pk}/actions/", {"action": "fly"})
    assert response.status_code == 400
    assert "action" in response.json()["extra"]["fields"]


def test_stale_version_is_409(cw: CaseWorld) -> None:
    case = filed(cw)
    response = _post(
        _client(cw.head),
        f"/api/v1/cases/{case.pk}/actions/",
        {"action": "terminate", "reason": "x", "version": case.version - 1},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_modification"
    assert Case.objects.get(pk=case.pk).state == CaseState.INVESTIGATING


def test_the_party_states_its_case_and_requests_a_hearing(cw: CaseWorld) -> None:
    case = notified(cw)
    party = _client(cw.w.enterprise_user)
    with _on(dt.date(2026, 2, 24)):
        detail = party.get(f"/api/v1/cases/{case.pk}/").json()
        assert detail["notified_amount"] == 50_000
        assert detail["hearing_right"] is True
        assert "report" not in detail
        assert "investigators" not in detail
        kinds = {d["kind"] for d in detail["documents"]}
        assert kinds == {"penalty_notice", "hearing_notice"}  # not the internal forms
        key = {"HTTP_IDEMPOTENCY_KEY": "6f1c9a52-0d7e-4f0e-9d55-3c1c2b1e9a01"}
        first = _post(
            party, f"/api/v1/cases/{case.pk}/statements/", {"text": "已整改，请求从轻"}, **key
        )
        again = _post(
            party, f"/api/v1/cases/{case.pk}/statements/", {"text": "已整改，请求从轻"}, **key
        )
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert Statement.objects.filter(case=case).count() == 1
        hearing = _post(
            party,
            f"/api/v1/cases/{case.pk}/actions/",
            {"action": "request_hearing", "version": Case.objects.get(pk=case.pk).version},
        )
    assert hearing.status_code == 200, hearing.content
    assert Case.objects.get(pk=case.pk).state == CaseState.HEARING


def test_a_hearing_requested_too_late_is_refused(cw: CaseWorld) -> None:
    case = notified(cw)
    with _on(dt.date(2026, 2, 27)):  # the fifth working day was 02-26
        response = _post(
            _client(cw.w.enterprise_user),
            f"/api/v1/cases/{case.pk}/actions/",
            {"action": "request_hearing"},
        )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED


def test_the_party_cannot_see_another_units_case(cw: CaseWorld) -> None:
    case = notified(cw, enterprise_id=cw.w.ent_tianshan_2.pk)
    response = _client(cw.w.enterprise_user).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404


def test_the_calculator(cw: CaseWorld) -> None:
    response = _post(
        _client(cw.officer),
        "/api/v1/discretion/",
        {"provision": "97-5-unit-base", "facts": {"repeat": True}, "on": "2026-03-02"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["tier"], body["range_min"], body["range_max"], body["amount"]) == (
        "heavier",
        70_000,
        100_000,
        85_000,
    )
    assert body["statutory_min"] == 0
    assert body["statutory_max"] == 100_000
    bad = _post(
        _client(cw.officer),
        "/api/v1/discretion/",
        {"provision": "97-5-unit-base", "facts": {"no_such_thing": True}},
    )
    assert bad.status_code == 400
    assert "no_such_thing" in bad.json()["extra"]["fields"]
    anon = Client(HTTP_ACCEPT="application/json").post(
        "/api/v1/discretion/", {"provision": "97-5-unit-base"}
    )
    assert anon.status_code in (401, 403)


def test_the_whole_list_keeps_a_constant_number_of_queries(cw: CaseWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cw.officer)
    filed(cw)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/cases/").status_code == 200
    for _n in range(4):
        filed(cw, enterprise_id=cw.w.ent_tianshan_2.pk)
    with CaptureQueriesContext(connection) as five:
        body = client.get("/api/v1/cases/").json()
    assert len(body["results"]) == 5
    assert len(five) == len(one)
