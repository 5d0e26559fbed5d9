"""The inspection API as an offline tablet uses it: retries, duplicates, conflicts."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from inspectorate.core.models import EvidenceFile, IdempotencyRecord, RecordEvent
from inspectorate.inspections.models import Answer, Finding, FindingEvidence, Inspection
from inspectorate.org.models import User
from tests.inspections.conftest import InspectionWorld, line, start

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "answers_answered": Answer.objects.exclude(result="").count(),
        "findings": Finding.objects.count(),
        "evidence": FindingEvidence.objects.count(),
        "files": EvidenceFile.objects.count(),
        "events": RecordEvent.objects.count(),
    }


def _post(client: Client, url: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def officer_client(iw: InspectionWorld, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(iw.officer)


def test_start_and_read(iw: InspectionWorld, officer_client: Client) -> None:
    response = _post(
        officer_client,
        "/api/v1/inspections/",
        {
            "enterprise": iw.w.ent_tianshan.pk,
            "second_officer": iw.lead.pk,
            "origin": "campaign",
            "origin_note": "2026年危险化学品专项整治",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["answers"]) == 32
    assert body["unanswered"] == 32
    assert body["lead_officer"]["certificate"] == iw.officer.valid_certificate().number
    assert "answers" in body["closing_problems"]
    bad = _post(
        officer_client,
        "/api/v1/inspections/",
        {"enterprise": iw.w.ent_tianshan.pk, "second_officer": iw.officer.pk, "origin": "x"},
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"origin"}


def test_a_replayed_sync_creates_nothing_twice(iw: InspectionWorld, officer_client: Client) -> None:
    inspection = start(iw)
    a = line(inspection, "HC-12")
    finding_uuid = str(uuid.uuid4())
    body = {
        "answers": [{"answer_id": a.pk, "result": "finding", "note": "", "base_revision": 0}],
        "findings": [
            {"uuid": finding_uuid, "answer_id": a.pk, "description": "罐区可燃气体检测报警器停用"}
        ],
    }
    url = f"/api/v1/inspections/{inspection.pk}/sync/"
    first = _post(officer_client, url, body, key="tablet-7f3a-0001")
    assert first.status_code == 200, first.json()
    after_first = _counts()
    assert after_first["findings"] == 1
    # the tablet lost the answer and sends the very same request again
    second = _post(officer_client, url, body, key="tablet-7f3a-0001")
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert _counts() == after_first
    # the same finding sent under another key (e.g. after the app was reinstalled) is one finding
    third = _post(officer_client, url, body, key="tablet-7f3a-0002")
    assert third.status_code == 200
    assert third.json()["findings"][0]["uuid"] == finding_uuid
    assert Finding.objects.count() == 1
    # a key reused for a different request is refused, and nothing changes
    before = _counts()
    other = dict(body, answers=[{"answer_id": a.pk, "result": "compliant", "base_revision": 1}])
    reused = _post(officer_client, url, other, key="tablet-7f3a-0001")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert _counts() == before


def test_a_refused_request_stores_no_answer_under_its_key(
    iw: InspectionWorld, officer_client: Client
) -> None:
    inspection = start(iw)
    a = line(inspection, "GEN-17")
    url = f"/api/v1/inspections/{inspection.pk}/sync/"
    bad = {"answers": [{"answer_id": a.pk, "result": "na", "note": "", "base_revision": 0}]}
    response = _post(officer_client, url, bad, key="k-1")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [f"answers.{a.pk}"]
    assert not IdempotencyRecord.objects.exists()
    good = {
        "answers": [
            {"answer_id": a.pk, "result": "na", "note": "未投保，非高危", "base_revision": 0}
        ]
    }
    # a corrected request may use a new key; the stored answer is only for successes
    assert _post(officer_client, url, good, key="k-2").status_code == 200
    a.refresh_from_db()
    assert (a.result, a.note) == ("na", "未投保，非高危")


def test_a_conflict_comes_back_with_both_values(
    iw: InspectionWorld, officer_client: Client, client_for: Callable[[User | None], Client]
) -> None:
    inspection = start(iw)
    a = line(inspection, "GEN-09")
    url = f"/api/v1/inspections/{inspection.pk}/sync/"
    mine = {"answers": [{"answer_id": a.pk, "result": "compliant", "note": "", "base_revision": 0}]}
    assert _post(officer_client, url, mine, key="a").status_code == 200
    theirs = {
        "answers": [
            {"answer_id": a.pk, "result": "finding", "note": "视频监控关闭", "base_revision": 0}
        ]
    }
    response = _post(client_for(iw.lead), url, theirs, key="b")
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert conflict["server"]["result"] == "compliant"
    assert conflict["server"]["revision"] == 1
    assert conflict["yours"] == {"result": "finding", "note": "视频监控关闭"}
    a.refresh_from_db()
    assert a.result == "compliant"


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_uploaded_twice_is_stored_once(iw: InspectionWorld, officer_client: Client) -> None:
    inspection = start(iw)
    finding = Finding.objects.create(
        inspection=inspection,
        enterprise=inspection.enterprise,
        jurisdiction_code="650102",
        description="报警器停用",
        grade="general",
        violated_article="x",
        found_on=inspection.started_at.date(),
        created_by=iw.officer,
    )
    url = f"/api/v1/findings/{finding.pk}/evidence/"
    photo = _photo()

    def upload(key: str) -> Any:
        return officer_client.post(
            url,
            {
                "file": io.BytesIO(photo),
                "taken_at": "2026-09-28T10:41:07+08:00",
                "latitude": "43.79",
                "longitude": "87.6",
            },
            HTTP_IDEMPOTENCY_KEY=key,
        )

    first = upload("photo-1")
    assert first.status_code == 201, first.json()
    assert first.json()["metadata_source"] == "device"
    assert upload("photo-1").json() == first.json()
    assert upload("photo-1-retry").status_code == 201
    assert FindingEvidence.objects.count() == 1
    assert EvidenceFile.objects.count() == 1


def test_close_with_unanswered_items_is_refused_with_the_list(
    iw: InspectionWorld, officer_client: Client
) -> None:
    inspection = start(iw)
    response = _post(officer_client, f"/api/v1/inspections/{inspection.pk}/close/", {})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "inspection_incomplete"
    assert set(body["extra"]["fields"]) == {"answers", "signature"}
    inspection.refresh_from_db()
    assert inspection.state == "in_progress"


def test_other_offices_see_nothing_and_change_nothing(
    iw: InspectionWorld, client_for: Callable[[User | None], Client]
) -> None:
    inspection = start(iw)
    a = line(inspection, "GEN-01")
    body = {"answers": [{"answer_id": a.pk, "result": "compliant", "base_revision": 0}]}
    before = _counts()
    for user, status in (
        (None, 403),
        (iw.w.karamay_officer, 404),
        (iw.w.shayibake_officer, 404),
        (iw.w.enterprise_user, 403),  # sees its inspection, but may not record it
        (iw.w.tianshan_head, 403),
    ):
        client = client_for(user)
        response = _post(client, f"/api/v1/inspections/{inspection.pk}/sync/", body, key="x")
        assert response.status_code == status, (user, response.content)
    assert _counts() == before
    assert (
        client_for(iw.w.karamay_officer).get(f"/api/v1/inspections/{inspection.pk}/").status_code
        == 404
    )
    # the prefecture and the province above see it
    assert (
        client_for(iw.w.prefecture_officer).get(f"/api/v1/inspections/{inspection.pk}/").status_code
        == 200
    )
    assert (
        client_for(iw.w.province_officer).get(f"/api/v1/inspections/{inspection.pk}/").status_code
        == 200
    )
    assert Inspection.objects.get().version == 1


def test_the_hazards_list_is_scoped_and_filtered(
    iw: InspectionWorld, client_for: Callable[[User | None], Client]
) -> None:
    inspection = start(iw)
    for code, text in (("HC-12", "报警器停用"), ("GEN-07", "无警示标志")):
        Finding.objects.create(
            inspection=inspection,
            answer=line(inspection, code),
            enterprise=inspection.enterprise,
            jurisdiction_code="650102",
            description=text,
            grade="major" if code == "HC-12" else "general",
            criterion="121号 化工第（十二）项" if code == "HC-12" else "",
            violated_article="x",
            found_on=inspection.started_at.date(),
            # one overdue (today is later than 2026-09-28 when this runs), one not yet
            due_date=dt.date(2026, 9, 28) if code == "HC-12" else dt.date(2099, 1, 15),
            created_by=iw.officer,
        )
    own = client_for(iw.officer).get("/api/v1/hazards/").json()
    assert own["summary"] == {"open": 2, "overdue": 1, "major": 1, "awaiting": 0}
    assert [r["overdue"] for r in own["results"]] == [True, False]
    overdue = client_for(iw.officer).get("/api/v1/hazards/?overdue=1").json()
    assert [r["description"] for r in overdue["results"]] == ["报警器停用"]
    major = client_for(iw.w.province_officer).get("/api/v1/hazards/?grade=major").json()
    assert [r["description"] for r in major["results"]] == ["报警器停用"]
    assert client_for(iw.w.karamay_officer).get("/api/v1/hazards/").json()["summary"]["open"] == 0
