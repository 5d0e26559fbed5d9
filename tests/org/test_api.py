"""The organisation API: who am I, jurisdictions, agencies, officers (scoped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from inspectorate.core.models import RecordEvent
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import User
from inspectorate.org.services import certificate_issue
from tests.conftest import World
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def test_me(world: World, client_for: ClientFor) -> None:
    CertificateFactory(
        officer=world.tianshan_lead,
        number="650102202600001",
        sectors=["hazchem_production", "commerce"],
    )
    body = client_for(world.tianshan_lead).get("/api/v1/me/").json()
    assert body == {
        "id": world.tianshan_lead.pk,
        "username": "ts_lead",
        "name": world.tianshan_lead.name,
        "roles": ["officer", "team_lead"],
        "agency": world.tianshan.code,
        "agency_name": "天山区应急管理局",
        "jurisdiction_code": "650102",
        "certificates": [
            {
                "number": "650102202600001",
                "issuing_authority": "新疆维吾尔自治区人民政府",
                "valid_from": "2025-01-01",
                "valid_until": "2027-12-31",
                "status": "valid",
                "legal_qualification": False,
                "sectors": ["hazchem_production", "commerce"],
            }
        ],
    }


def test_me_for_an_enterprise_user(world: World, client_for: ClientFor) -> None:
    body = client_for(world.enterprise_user).get("/api/v1/me/").json()
    assert (body["roles"], body["agency"], body["jurisdiction_code"], body["certificates"]) == (
        ["enterprise"],
        None,
        None,
        [],
    )


def test_jurisdictions_are_scoped_and_paginated(world: World, client_for: ClientFor) -> None:
    body = client_for(world.prefecture_officer).get("/api/v1/jurisdictions/").json()
    assert body["count"] == 9
    assert body["results"][:2] == [
        {"code": "650100", "name": "乌鲁木齐市", "level": "prefecture", "parent": "650000"},
        {"code": "650102", "name": "天山区", "level": "county", "parent": "650100"},
    ]
    county = client_for(world.tianshan_officer).get("/api/v1/jurisdictions/").json()
    assert [j["code"] for j in county["results"]] == ["650102"]
    province = (
        client_for(world.province_officer)
        .get("/api/v1/jurisdictions/", {"page_size": "200"})
        .json()
    )
    assert province["results"][0] == {
        "code": "650000",
        "name": "新疆维吾尔自治区",
        "level": "province",
        "parent": None,
    }
    assert all(j["code"].startswith("65") for j in province["results"])


def test_agencies_and_officers(world: World, client_for: ClientFor) -> None:
    client = client_for(world.prefecture_officer)
    agencies = client.get("/api/v1/agencies/").json()["results"]
    assert [(a["name"], a["jurisdiction_code"], a["kind"]) for a in agencies] == [
        ("乌鲁木齐市应急管理局", "650100", "bureau"),
        ("天山区应急管理局", "650102", "bureau"),
        ("沙依巴克区应急管理局", "650103", "bureau"),
    ]
    officers = client.get("/api/v1/officers/").json()
    assert {o["username"] for o in officers["results"]} == {
        "pref_officer",
        "ts_officer",
        "ts_lead",
        "ts_head",
        "ts_admin",
        "ts_reviewer",
        "ts_inactive",
        "syb_officer",
    }
    karamay = client_for(world.karamay_officer).get("/api/v1/officers/").json()
    assert {o["username"] for o in karamay["results"]} == {"klmy_officer", "klmy_lead", "klmy_head"}


def test_officer_detail_out_of_scope_is_the_missing_404(
    world: World, client_for: ClientFor
) -> None:
    url = f"/api/v1/officers/{world.tianshan_officer.pk}/"
    assert client_for(world.prefecture_officer).get(url).json()["username"] == "ts_officer"
    client = client_for(world.karamay_officer)
    hidden = client.get(url)
    missing = client.get("/api/v1/officers/987654/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    # an enterprise user is not an officer of anything
    user = client_for(world.tianshan_officer).get(f"/api/v1/officers/{world.enterprise_user.pk}/")
    assert user.status_code == 404


def test_certificate_issue_records_and_validates(world: World) -> None:
    officer = world.tianshan_officer
    certificate = certificate_issue(
        actor=world.tianshan_admin,
        officer=officer,
        number="650102202600002",
        issuing_authority="新疆维吾尔自治区人民政府",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2028, 12, 31),
        sectors=["noncoal_mine", "commerce"],
    )
    assert sorted(certificate.sectors.values_list("code", flat=True)) == [
        "commerce",
        "noncoal_mine",
    ]
    assert officer.valid_certificate(dt.date(2026, 6, 1)) == certificate
    assert officer.valid_certificate(dt.date(2029, 1, 1)) is None
    assert certificate.is_valid_on(dt.date(2028, 12, 31))
    assert not certificate.is_valid_on(dt.date(2025, 12, 31))
    event = RecordEvent.objects.get(kind=RecordKind.CERTIFICATE_ISSUED)
    assert (event.jurisdiction_code, event.payload["sectors"]) == (
        "650102",
        ["commerce", "noncoal_mine"],
    )
