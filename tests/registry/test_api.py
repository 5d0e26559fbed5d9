"""The registry API: detail, register, update, licences, hazard sources, history."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_all
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import User
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.models import Enterprise
from tests.conftest import World

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def _json(client: Client, method: str, url: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)


def test_detail(world: World, client_for: ClientFor) -> None:
    e = world.ent_karamay
    body = client_for(world.province_officer).get(f"/api/v1/enterprises/{e.pk}/").json()
    body.pop("updated_at")
    assert body == {
        "id": e.pk,
        "credit_code": e.credit_code,
        "name": "克拉玛依石化有限公司",
        "address": e.address,
        "jurisdiction_code": "650203",
        "jurisdiction_name": "克拉玛依区",
        "supervising_agency": world.karamay.code,
        "supervising_agency_name": "克拉玛依市应急管理局",
        "sector": "hazchem_production",
        "sector_name": "危险化学品生产",
        "industry_code": "2614",
        "size": "small",
        "employees": 50,
        "standardisation_level": "level3",
        "risk_class": "general",
        "status": "operating",
        "legal_representative": "王伟",
        "contact_phone": "13900000000",
        "version": 1,
    }


def test_register_through_the_api(world: World, client_for: ClientFor) -> None:
    code = make_credit_code("9", "1", "650103", "MA7AP0001")
    response = _json(
        client_for(world.prefecture_officer),
        "POST",
        "/api/v1/enterprises/",
        {
            "credit_code": code.lower(),
            "name": "沙依巴克新材料有限公司",
            "address": "西虹路1号",
            "jurisdiction": "650103",
            "supervising_agency": world.shayibake.code,
            "sector": "hazchem_use",
            "size": "large",
            "employees": 1200,
            "risk_class": "major",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["credit_code"],
        body["jurisdiction_code"],
        body["standardisation_level"],
        body["version"],
    ) == (code, "650103", "none", 1)
    e = Enterprise.objects.get(credit_code=code)
    assert RecordEvent.objects.get(subject_id=str(e.pk)).kind == RecordKind.ENTERPRISE_REGISTERED


def test_patch_changes_only_what_is_sent(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    response = _json(
        client_for(world.tianshan_officer),
        "PATCH",
        f"/api/v1/enterprises/{e.pk}/",
        {"version": 1, "risk_class": "significant", "contact_phone": "0991-1"},
    )
    assert response.status_code == 200
    assert (response.json()["risk_class"], response.json()["version"]) == ("significant", 2)
    e.refresh_from_db()
    assert (e.risk_class, e.contact_phone, e.employees, e.name) == (
        "significant",
        "0991-1",
        50,
        "乌鲁木齐天山化工有限公司",
    )
    assert RecordEvent.objects.get().payload == {
        "before": {"risk_class": "general", "contact_phone": "13900000000"},
        "after": {"risk_class": "significant", "contact_phone": "0991-1"},
    }


def test_patch_needs_the_version(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    response = _json(
        client_for(world.tianshan_officer),
        "PATCH",
        f"/api/v1/enterprises/{e.pk}/",
        {"employees": 3},
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["version"]
    e.refresh_from_db()
    assert (e.employees, e.version) == (50, 1)


def test_licences_and_hazard_sources(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    client = client_for(world.tianshan_lead)
    created = _json(
        client,
        "POST",
        f"/api/v1/enterprises/{e.pk}/licences/",
        {
            "kind": "hazchem_business",
            "number": "新危化经字〔2026〕001号",
            "issued_by": "乌鲁木齐市应急管理局",
            "valid_from": "2026-01-01",
            "valid_until": "2025-12-31",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert created.status_code == 400
    assert created.json()["extra"] == {
        "fields": {"valid_until": ["The end of validity is before its start."]}
    }
    created = _json(
        client,
        "POST",
        f"/api/v1/enterprises/{e.pk}/licences/",
        {
            "kind": "hazchem_business",
            "number": "新危化经字〔2026〕001号",
            "issued_by": "乌鲁木齐市应急管理局",
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
        },
    )
    assert created.status_code == 201
    listed = client.get(f"/api/v1/enterprises/{e.pk}/licences/").json()
    assert [(lic["number"], lic["valid_until"]) for lic in listed] == [
        ("新危化经字〔2026〕001号", "2028-12-31")
    ]
    assert listed[0]["expiry_state"] in ("valid", "expiring", "expired")
    hazard = _json(
        client,
        "POST",
        f"/api/v1/enterprises/{e.pk}/hazard-sources/",
        {"name": "甲醇储罐区", "level": 3, "identified_on": "2025-10-01"},
    )
    assert hazard.status_code == 201
    assert client.get(f"/api/v1/enterprises/{e.pk}/hazard-sources/").json() == [
        {
            "id": hazard.json()["id"],
            "name": "甲醇储罐区",
            "level": 3,
            "identified_on": "2025-10-01",
            "description": "",
        }
    ]
    bad = _json(
        client, "POST", f"/api/v1/enterprises/{e.pk}/hazard-sources/", {"name": "x", "level": 9}
    )
    assert (bad.status_code, list(bad.json()["extra"]["fields"])) == (400, ["level"])
    assert verify_all() == (1, [])


def test_history(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    client = client_for(world.tianshan_head)
    _json(
        client,
        "POST",
        f"/api/v1/enterprises/{e.pk}/transitions/suspend/",
        {"reason": "停产整顿", "version": 1},
    )
    _json(
        client,
        "POST",
        f"/api/v1/enterprises/{e.pk}/transitions/close/",
        {"reason": "依法关闭", "version": 2},
    )
    body = client_for(world.prefecture_officer).get(f"/api/v1/enterprises/{e.pk}/history/").json()
    assert body["count"] == 2
    assert [
        (ev["seq"], ev["payload"]["action"], ev["payload"]["reason"]) for ev in body["results"]
    ] == [(2, "close", "依法关闭"), (1, "suspend", "停产整顿")]
    assert body["results"][0]["jurisdiction_code"] == "650102"
    assert body["results"][0]["actor_name"] == world.tianshan_head.name
    assert len(body["results"][0]["hash"]) == 64
