"""The API and the pages: filters, the upper level's view, the review through both, the
matrix and the summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.accountability.models import AccountabilityItem, ItemKind
from inspectorate.org.roles import Role
from tests.accountability.conftest import make_item
from tests.conftest import World, zh
from tests.factories import UserFactory


def _two_items(world: World) -> tuple[Any, Any]:
    a = make_item(world)
    b = make_item(
        world,
        person=world.shayibake_officer,
        agency=world.shayibake,
        jurisdiction_code="650103",
        kind=ItemKind.DEADLINE_MISSED,
        subject_type="cases.case",
        subject_id="77",
        ref="deadline:9",
        subject_label="（新沙）应急罚〔2026〕3号",
    )
    return a, b


def test_the_list_filters_and_the_upper_level_sees_its_lower_offices(
    world: World, client_for: Any
) -> None:
    a, b = _two_items(world)
    url = "/api/v1/accountability/items/"
    county = client_for(world.tianshan_head).get(url).json()
    assert [r["id"] for r in county["results"]] == [a.pk]
    upper = client_for(world.prefecture_officer)
    assert {r["id"] for r in upper.get(url).json()["results"]} == {a.pk, b.pk}
    assert [r["id"] for r in upper.get(url, {"kind": "deadline_missed"}).json()["results"]] == [
        b.pk
    ]
    assert [r["id"] for r in upper.get(url, {"agency": world.tianshan.pk}).json()["results"]] == [
        a.pk
    ]
    assert [
        r["id"] for r in upper.get(url, {"person": world.shayibake_officer.pk}).json()["results"]
    ] == [b.pk]
    assert upper.get(url, {"state": "concluded"}).json()["count"] == 0
    bad = upper.get(url, {"kind": "nonsense"})
    assert (bad.status_code, bad.json()["code"]) == (400, "validation_failed")
    assert client_for(world.karamay_head).get(url).json()["count"] == 0


def test_the_review_through_the_api(world: World, client_for: Any) -> None:
    item = make_item(world)
    base = f"/api/v1/accountability/items/{item.pk}/"
    own = client_for(world.tianshan_officer)
    assert own.get(base).json()["actions"] == []
    refused = own.post(base + "review/", {"version": 1}, content_type="application/json")
    assert refused.status_code == 403
    head = client_for(world.tianshan_head)
    assert head.get(base).json()["actions"] == ["start_review"]
    stale = head.post(base + "review/", {"version": 5}, content_type="application/json")
    assert (stale.status_code, stale.json()["extra"]["current_version"]) == (409, 1)
    ok = head.post(base + "review/", {"version": 1}, content_type="application/json")
    assert (ok.status_code, ok.json()["state"], ok.json()["version"]) == (200, "under_review", 2)
    bad = head.post(
        base + "conclude/", {"outcome": "none", "finding": "x"}, content_type="application/json"
    )
    assert (bad.status_code, list(bad.json()["extra"]["fields"])) == (400, ["outcome"])
    done = head.post(
        base + "conclude/",
        {"outcome": "circulated_criticism", "finding": "通报批评。", "version": 2},
        content_type="application/json",
    )
    body = done.json()
    assert (done.status_code, body["state"], body["outcome"], body["outcome_name"]) == (
        200,
        "concluded",
        "circulated_criticism",
        "通报批评",
    )


def test_the_person_sees_the_item_page_without_review_forms(world: World, client_for: Any) -> None:
    item = make_item(world, person=world.tianshan_head)
    page = client_for(world.tianshan_head).get(f"/accountability/{item.pk}/")
    assert page.status_code == 200
    assert b'data-testid="person-note"' in page.content
    assert b'data-testid="review-form"' not in page.content
    refused = client_for(world.tianshan_head).post(
        f"/accountability/{item.pk}/review/", {"version": 1}
    )
    assert refused.status_code == 403
    assert AccountabilityItem.objects.get(pk=item.pk).state == "raised"
    upper_head = UserFactory(username="wlmq_head", agency=world.prefecture, roles=[Role.HEAD])
    upper = client_for(upper_head)
    assert b'data-testid="review-form"' in upper.get(f"/accountability/{item.pk}/").content
    assert upper.post(f"/accountability/{item.pk}/review/", {"version": 1}).status_code == 302
    form = upper.get(f"/accountability/{item.pk}/")
    assert b'data-testid="conclude-form"' in form.content
    empty = upper.post(
        f"/accountability/{item.pk}/conclude/", {"version": 2, "outcome": "", "finding": ""}
    )
    assert empty.status_code == 400
    assert zh("Choose an outcome.") in empty.content.decode()
    assert AccountabilityItem.objects.get(pk=item.pk).state == "under_review"
    done = upper.post(
        f"/accountability/{item.pk}/conclude/",
        {"version": 2, "outcome": "qualification_cancelled", "finding": "多次无证执法。"},
    )
    assert done.status_code == 302
    page = upper.get(f"/accountability/{item.pk}/").content.decode()
    assert 'data-testid="certificate-note"' in page


def test_the_matrix_page_shows_posts_by_duties(world: World, client_for: Any) -> None:
    page = client_for(world.tianshan_officer).get("/accountability/matrix/").content.decode()
    for text in ("执法人员", "执法队长", "法制审核员", "机关负责人", "立案审批", "case_decision"):
        assert text in page
    assert 'data-testid="duty-form"' not in page
    body = client_for(world.tianshan_officer).get("/api/v1/accountability/matrix/").json()
    assert [p["code"] for p in body["posts"]] == ["officer", "team_lead", "legal_reviewer", "head"]
    assert len(body["duties"]) == 13
    assert [o["code"] for o in body["outcomes"]] == [
        "no_fault",
        "criticism_education",
        "written_examination",
        "circulated_criticism",
        "certificate_suspended",
        "qualification_cancelled",
        "referred_to_discipline",
    ]
    decision = [d for d in body["duties"] if d["deadline_kind"] == "case_decision"]
    assert sorted(d["post"] for d in decision) == ["head", "officer"]


def test_the_summary_counts_by_office_and_person(world: World, client_for: Any) -> None:
    a, b = _two_items(world)
    make_item(world, ref="2026-03-03", detected_on=dt.date(2026, 4, 1))
    body = client_for(world.prefecture_officer).get("/api/v1/accountability/summary/").json()
    offices = {r["name"]: (r["total"], r["by_kind"]) for r in body["offices"]}
    assert offices == {
        "天山区应急管理局": (
            2,
            {"deadline_missed": 0, "transfer_omitted": 0, "no_certificate": 2},
        ),
        "沙依巴克区应急管理局": (
            1,
            {"deadline_missed": 1, "transfer_omitted": 0, "no_certificate": 0},
        ),
    }
    persons = {r["person"]: r["by_state"]["raised"] for r in body["persons"]}
    assert persons == {world.tianshan_officer.pk: 2, world.shayibake_officer.pk: 1}
    page = client_for(world.prefecture_officer).get("/accountability/summary/")
    assert page.status_code == 200
    assert "沙依巴克区应急管理局" in page.content.decode()


def test_the_scan_button_raises_and_reports(world: World, client_for: Any) -> None:
    from tests.accountability.conftest import act

    act(world.tianshan_officer, dt.date(2026, 5, 4))  # no certificate at all
    head = client_for(world.tianshan_head)
    response = head.post("/accountability/scan/", {"on": "2026-05-05"}, follow=True)
    raised = zh(
        "Scan as of %(on)s: %(raised)d item(s) raised, %(already)d breach(es) already "
        "raised before."
    ) % {"on": "2026-05-05", "raised": 1, "already": 0}
    assert raised in response.content.decode()
    assert AccountabilityItem.objects.count() == 1
    again = head.post("/api/v1/accountability/scan/", {"on": "2026-05-05"})
    assert again.json()["raised"] == {
        "deadline_missed": 0,
        "transfer_omitted": 0,
        "no_certificate": 0,
    }
    assert again.json()["already_raised"] == 1
    assert client_for(world.tianshan_officer).post("/accountability/scan/").status_code == 403
