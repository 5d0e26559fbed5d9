"""The assessment's pages and API: the office report with its quota flag and the note on
shared-out weights, the province view, an officer's detail, the CSV export, computing and
confirming through the API (stale version 409, refused callers change nothing)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from inspectorate.assessment import services
from inspectorate.assessment.models import AssessmentResult, OfficeAssessment
from inspectorate.core.models import RecordEvent
from inspectorate.org.roles import Role
from tests.assessment.conftest import Inputs, a_case, exam, review
from tests.cases.conftest import CaseWorld
from tests.conftest import zh
from tests.factories import UserFactory

H = Decimal


def _docx_text(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def _state() -> tuple[Any, ...]:
    return (
        list(OfficeAssessment.objects.values_list("pk", "version", "confirmed_on")),
        AssessmentResult.objects.count(),
        RecordEvent.objects.count(),
    )


def _excellent(aw: CaseWorld, inputs: Inputs) -> None:
    """Both officers score 100 on everything they have: 2 of 2 rated 优秀 (> 20 %)."""
    for user in (aw.officer, aw.lead):
        inputs.hours[user.pk] = (H(40), H(40))
        inputs.exams[user.pk] = [exam(1, "100.0")]
    review(a_case(aw), 100, timezone.localdate().replace(month=1, day=2))


def test_office_page_flags_the_quota_and_exports(
    aw: CaseWorld, inputs: Inputs, client_for: Any
) -> None:
    _excellent(aw, inputs)
    year = timezone.localdate().year
    head = client_for(aw.head)
    page = head.get(f"/assessment/?year={year}")
    assert page.status_code == 200
    assert 'data-testid="not-computed"' in page.content.decode()
    done = head.post(f"/assessment/office/{aw.w.tianshan.pk}/{year}/compute/", {"version": ""})
    assert done.status_code == 302
    page = head.get(f"/assessment/office/{aw.w.tianshan.pk}/{year}/")
    text = page.content.decode()
    assert 'data-testid="quota-flag"' in text
    assert 'data-testid="confirm-form"' in text
    assert aw.officer.get_full_name() in text
    export = head.get(f"/assessment/office/{aw.w.tianshan.pk}/{year}/export.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r[2] for r in rows[1:]} == {aw.officer.get_full_name(), aw.lead.get_full_name()}
    assert {r[-3] for r in rows[1:]} == {"100.0"}
    docx = head.get(f"/assessment/office/{aw.w.tianshan.pk}/{year}/report.docx")
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"
    text = _docx_text(docx.content)
    assert aw.officer.get_full_name() in text
    assert "《公务员考核规定》" in text  # the note: 2 of 2 rated 优秀, above the 20 % quota
    result = AssessmentResult.objects.get(officer=aw.officer)
    detail = client_for(aw.officer).get(f"/assessment/results/{result.pk}/")
    assert detail.status_code == 200
    assert "min(100, 40 / 40 × 100)" in detail.content.decode()
    # the officer cannot open the colleague's result, nor another office
    other = AssessmentResult.objects.get(officer=aw.lead)
    assert client_for(aw.officer).get(f"/assessment/results/{other.pk}/").status_code == 404
    assert (
        client_for(aw.w.karamay_head)
        .get(f"/assessment/office/{aw.w.tianshan.pk}/{year}/")
        .status_code
        == 404
    )
    # the officer's own page lists their result
    own = client_for(aw.officer).get("/assessment/")
    assert own.status_code == 200
    assert f"/assessment/results/{result.pk}/" in own.content.decode()


def test_province_view_and_confirm_through_the_page(
    aw: CaseWorld, inputs: Inputs, client_for: Any
) -> None:
    _excellent(aw, inputs)
    year = timezone.localdate().year
    services.assessment_compute(
        actor=aw.head, agency=aw.w.tianshan, year=year, today=timezone.localdate()
    )
    supervisor = UserFactory(agency=aw.w.province, roles=[Role.SUPERVISOR])
    page = client_for(supervisor).get(f"/assessment/offices/?year={year}")
    text = page.content.decode()
    assert page.status_code == 200
    assert aw.w.tianshan.name in text
    assert zh("exceeded") in text
    before = _state()
    refused = client_for(supervisor).post(
        f"/assessment/office/{aw.w.tianshan.pk}/{year}/confirm/", {"version": "1"}
    )
    assert refused.status_code == 403
    stale = client_for(aw.head).post(
        f"/assessment/office/{aw.w.tianshan.pk}/{year}/confirm/", {"version": "7"}
    )
    assert stale.status_code == 409
    assert _state() == before
    ok = client_for(aw.head).post(
        f"/assessment/office/{aw.w.tianshan.pk}/{year}/confirm/", {"version": "1"}
    )
    assert ok.status_code == 302
    assert OfficeAssessment.objects.get().confirmed_on is not None
    again = client_for(aw.head).post(
        f"/assessment/office/{aw.w.tianshan.pk}/{year}/compute/", {"version": "2"}
    )
    assert again.status_code == 409


def test_api(aw: CaseWorld, inputs: Inputs, client_for: Any) -> None:
    _excellent(aw, inputs)
    year = timezone.localdate().year
    base = f"/api/v1/assessment/offices/{aw.w.tianshan.pk}/{year}/"
    anonymous = client_for(None).post(f"{base}compute/", {}, content_type="application/json")
    assert anonymous.status_code in (401, 403)
    assert client_for(aw.officer).post(f"{base}compute/", {}).status_code == 403
    assert client_for(aw.w.karamay_head).post(f"{base}compute/", {}).status_code == 404
    assert _state() == ([], 0, RecordEvent.objects.count())
    made = client_for(aw.head).post(f"{base}compute/", {}, content_type="application/json")
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["grades"]["excellent"] == 2
    assert body["no_basis"] == 0
    assert body["excellent_quota_exceeded"] is True
    assert body["version"] == 1
    stale = client_for(aw.head).post(
        f"{base}confirm/", {"version": 5}, content_type="application/json"
    )
    assert stale.status_code == 409
    listed = client_for(aw.w.tianshan_admin).get(f"/api/v1/assessment/offices/?year={year}")
    assert [o["agency"] for o in listed.json()["offices"]] == [aw.w.tianshan.pk]
    rid = body["results"][0]["id"]
    assert (
        client_for(aw.w.karamay_head).get(f"/api/v1/assessment/results/{rid}/").status_code == 404
    )
    detail = client_for(aw.head).get(f"/api/v1/assessment/results/{rid}/")
    assert detail.json()["inputs"]["training"]["required_hours"] == "40"
    scheme = client_for(aw.officer).get("/api/v1/assessment/schemes/")
    assert scheme.json()["jurisdiction_code"] == ""


def test_a_province_publishes_its_scheme_on_the_page(aw: CaseWorld, client_for: Any) -> None:
    from inspectorate.assessment.models import Scheme

    head = UserFactory(agency=aw.w.province, roles=[Role.HEAD])
    client = client_for(head)
    year = timezone.localdate().year
    assert 'data-testid="scheme-form"' in client.get("/assessment/scheme/").content.decode()
    assert 'data-testid="scheme-form"' not in (
        client_for(aw.head).get("/assessment/scheme/").content.decode()
    )
    form = {
        "year": year,
        "name": "新疆执法人员年度考核方案",
        "source": "新应急〔2026〕1号",
        "weight_training": 25,
        "weight_exams": 25,
        "weight_review": 25,
        "weight_overturned": 15,
        "weight_deadlines": 15,
        "overturned_points": "15",
        "missed_points": "5",
        "band_excellent": "90",
        "band_competent": "75",
        "band_basic": "60",
        "excellent_quota": "20",
    }
    before = _state(), Scheme.objects.count()
    bad = client.post("/assessment/scheme/", form)  # 105 in all
    assert bad.status_code == 400
    assert zh("The five weights must add up to 100.") in bad.content.decode()
    assert client_for(aw.head).post("/assessment/scheme/", form).status_code == 403
    assert (_state(), Scheme.objects.count()) == before
    ok = client.post(
        "/assessment/scheme/",
        {**form, "weight_training": 20, "weight_exams": 20, "weight_review": 30},
    )
    assert ok.status_code == 302
    scheme = Scheme.objects.get(jurisdiction_code="650000")
    assert (scheme.weight_review, scheme.overturned_points) == (30, H("15.0"))
    assert scheme.min_basis == H("60.0")  # left out: the default
