"""Registry writes: registration, versioned updates, licences, hazard sources, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from inspectorate.core.errors import (
    ConcurrentModification,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_all
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Jurisdiction
from inspectorate.registry import services
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.history import enterprise_history_rows
from inspectorate.registry.models import Enterprise, Licence, MajorHazardSource, Sector
from inspectorate.registry.selectors import enterprise_history, licence_list_for_enterprise
from tests.conftest import World
from tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db

NEW_CODE = make_credit_code("9", "1", "650102", "MA7QWERT1")


def _fields(world: World, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "credit_code": NEW_CODE,
        "name": "新疆天润乳业有限公司",
        "address": "乌鲁木齐市天山区光明路88号",
        "jurisdiction": Jurisdiction.objects.get(code="650102"),
        "supervising_agency": world.tianshan,
        "sector": Sector.objects.get(code="light_industry"),
        "size": "medium",
        "employees": 320,
        "standardisation_level": "level2",
        "risk_class": "general",
        "legal_representative": "刘洋",
        "contact_phone": "0991-1234567",
    }
    fields.update(overrides)
    return fields


def _counts() -> tuple[int, int]:
    return Enterprise.objects.count(), RecordEvent.objects.count()


# --- register -----------------------------------------------------------------------------


def test_register_saves_and_records(world: World) -> None:
    enterprise = services.enterprise_register(actor=world.tianshan_officer, **_fields(world))
    enterprise.refresh_from_db()
    assert (enterprise.credit_code, enterprise.status, enterprise.version) == (
        NEW_CODE,
        "operating",
        1,
    )
    event = RecordEvent.objects.get(subject_id=str(enterprise.pk))
    assert (event.kind, event.jurisdiction_code, event.actor_id) == (
        RecordKind.ENTERPRISE_REGISTERED,
        "650102",
        world.tianshan_officer.pk,
    )
    assert event.payload == {
        "after": {
            "credit_code": NEW_CODE,
            "status": "operating",
            "name": "新疆天润乳业有限公司",
            "address": "乌鲁木齐市天山区光明路88号",
            "jurisdiction": "650102",
            "supervising_agency": world.tianshan.pk,
            "sector": "light_industry",
            "industry_code": "",
            "size": "medium",
            "employees": 320,
            "standardisation_level": "level2",
            "risk_class": "general",
            "legal_representative": "刘洋",
            "contact_phone": "0991-1234567",
        }
    }
    assert verify_all() == (1, [])


def test_register_normalises_the_credit_code(world: World) -> None:
    enterprise = services.enterprise_register(
        actor=world.tianshan_officer, **_fields(world, credit_code=f" {NEW_CODE.lower()} ")
    )
    assert enterprise.credit_code == NEW_CODE


def test_upper_levels_may_register_in_lower_levels(world: World) -> None:
    e = services.enterprise_register(actor=world.province_officer, **_fields(world))
    assert e.jurisdiction_id == "650102"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # a place outside the officer's county
        (
            {"jurisdiction": "650103", "supervising_agency": "shayibake"},
            "jurisdiction",
            "This place is outside your jurisdiction.",
        ),
        # the supervising office must cover the place
        (
            {"supervising_agency": "karamay"},
            "supervising_agency",
            "克拉玛依市应急管理局 has no jurisdiction over 天山区.",
        ),
        (
            {"supervising_agency": "shayibake"},
            "supervising_agency",
            "沙依巴克区应急管理局 has no jurisdiction over 天山区.",
        ),
        (
            {"credit_code": NEW_CODE[:17] + ("0" if NEW_CODE[17] != "0" else "1")},
            "credit_code",
            f"The check character is wrong: expected {NEW_CODE[17]}, found "
            f"{'0' if NEW_CODE[17] != '0' else '1'}.",
        ),
        ({"name": ""}, "name", "This field cannot be blank."),
        ({"risk_class": "purple"}, "risk_class", "Value 'purple' is not a valid choice."),
    ],
)
def test_register_field_errors(
    world: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    resolved = {
        k: (
            Jurisdiction.objects.get(code=v)
            if k == "jurisdiction"
            else getattr(world, v)
            if k == "supervising_agency"
            else v
        )
        for k, v in overrides.items()
    }
    before = _counts()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_register(actor=world.tianshan_officer, **_fields(world, **resolved))
    assert info.value.extra["fields"][field] == [message]
    assert _counts() == before


def test_register_a_duplicate_credit_code(world: World) -> None:
    before = _counts()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_register(
            actor=world.tianshan_officer,
            **_fields(world, credit_code=world.ent_tianshan.credit_code),
        )
    assert info.value.extra == {
        "fields": {
            "credit_code": ["Enterprise with this Unified social credit code already exists."]
        }
    }
    assert _counts() == before


@pytest.mark.parametrize("who", ["tianshan_reviewer", "tianshan_head", "enterprise_user"])
def test_register_needs_an_editor_role(world: World, who: str) -> None:
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.enterprise_register(actor=getattr(world, who), **_fields(world))
    assert _counts() == before


def test_an_inactive_officer_has_no_jurisdiction_to_register_in(world: World) -> None:
    before = _counts()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_register(actor=world.inactive_officer, **_fields(world))
    assert info.value.extra == {
        "fields": {"jurisdiction": ["This place is outside your jurisdiction."]}
    }
    assert _counts() == before


# --- update -------------------------------------------------------------------------------


def test_update_records_the_diff_and_bumps_the_version(world: World) -> None:
    e = world.ent_tianshan
    updated = services.enterprise_update(
        actor=world.tianshan_officer,
        pk=e.pk,
        expected_version=1,
        changes={"risk_class": "major", "employees": 60, "name": e.name},  # name unchanged
    )
    assert (updated.risk_class, updated.employees, updated.version) == ("major", 60, 2)
    e.refresh_from_db()
    assert (e.risk_class, e.employees, e.version) == ("major", 60, 2)
    event = RecordEvent.objects.get(kind=RecordKind.ENTERPRISE_UPDATED)
    assert event.payload == {
        "before": {"risk_class": "general", "employees": 50},
        "after": {"risk_class": "major", "employees": 60},
    }
    assert event.jurisdiction_code == "650102"


def test_an_update_that_changes_nothing_records_nothing(world: World) -> None:
    e = world.ent_tianshan
    services.enterprise_update(
        actor=world.tianshan_officer, pk=e.pk, expected_version=1, changes={"name": e.name}
    )
    e.refresh_from_db()
    assert e.version == 1
    assert RecordEvent.objects.count() == 0


def test_a_concurrent_update_is_refused_and_the_row_unchanged(world: World) -> None:
    e = world.ent_tianshan
    services.enterprise_update(
        actor=world.tianshan_officer,
        pk=e.pk,
        expected_version=1,
        changes={"contact_phone": "0991-7654321"},
    )
    with translation.override("en"), pytest.raises(ConcurrentModification) as info:
        services.enterprise_update(
            actor=world.tianshan_lead,
            pk=e.pk,
            expected_version=1,
            changes={"contact_phone": "13800000000", "employees": 9},
        )
    assert info.value.status_code == 409
    assert info.value.extra == {"current_version": 2}
    e.refresh_from_db()
    assert (e.contact_phone, e.employees, e.version) == ("0991-7654321", 50, 2)
    assert RecordEvent.objects.count() == 1


def test_moving_an_enterprise_is_recorded_in_both_chains(world: World) -> None:
    e = world.ent_tianshan
    services.enterprise_update(
        actor=world.prefecture_officer,
        pk=e.pk,
        expected_version=1,
        changes={
            "jurisdiction": Jurisdiction.objects.get(code="650103"),
            "supervising_agency": world.shayibake,
        },
    )
    events = list(
        RecordEvent.objects.order_by("jurisdiction_code").values_list(
            "jurisdiction_code", "payload"
        )
    )
    payload = {
        "before": {"jurisdiction": "650102", "supervising_agency": world.tianshan.pk},
        "after": {"jurisdiction": "650103", "supervising_agency": world.shayibake.pk},
    }
    assert events == [("650102", payload), ("650103", payload)]
    assert verify_all() == (2, [])
    # the 天山区 officer no longer sees it
    with pytest.raises(NotFound):
        services.enterprise_update(
            actor=world.tianshan_officer, pk=e.pk, expected_version=2, changes={"employees": 1}
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"credit_code": "91350100M000100Y43"},
            "credit_code",
            "This field cannot be changed here.",
        ),
        ({"status": "closed"}, "status", "This field cannot be changed here."),
        ({"jurisdiction": "650203"}, "jurisdiction", "This place is outside your jurisdiction."),
        (
            {"supervising_agency": "karamay"},
            "supervising_agency",
            "克拉玛依市应急管理局 has no jurisdiction over 天山区.",
        ),
        ({"employees": -1}, "employees", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_update_field_errors_change_nothing(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    resolved = {
        k: (
            Jurisdiction.objects.get(code=v)
            if k == "jurisdiction"
            else getattr(world, v)
            if k == "supervising_agency"
            else v
        )
        for k, v in changes.items()
    }
    e = world.ent_tianshan
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_update(
            actor=world.tianshan_officer, pk=e.pk, expected_version=1, changes=resolved
        )
    assert info.value.extra == {"fields": {field: [message]}}
    e.refresh_from_db()
    assert (e.version, e.jurisdiction_id, e.supervising_agency_id, e.employees) == (
        1,
        "650102",
        world.tianshan.pk,
        50,
    )
    assert RecordEvent.objects.count() == 0


@pytest.mark.parametrize("who", ["karamay_officer", "shayibake_officer"])
def test_update_out_of_scope_is_not_found(world: World, who: str) -> None:
    with pytest.raises(NotFound):
        services.enterprise_update(
            actor=getattr(world, who),
            pk=world.ent_tianshan.pk,
            expected_version=1,
            changes={"employees": 1},
        )
    world.ent_tianshan.refresh_from_db()
    assert world.ent_tianshan.employees == 50


def test_update_by_the_enterprise_itself_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.enterprise_update(
            actor=world.enterprise_user,
            pk=world.ent_tianshan.pk,
            expected_version=1,
            changes={"employees": 1},
        )


# --- licences and hazard sources ----------------------------------------------------------


def test_licence_add_and_expiry_states(world: World) -> None:
    e = world.ent_tianshan
    licence = services.licence_add(
        actor=world.tianshan_officer,
        enterprise_pk=e.pk,
        kind="safety_production",
        number=" （新）WH安许证字〔2024〕0088号 ",
        issued_by="新疆维吾尔自治区应急管理厅",
        valid_from=dt.date(2024, 3, 1),
        valid_until=dt.date(2027, 2, 28),
    )
    assert licence.number == "（新）WH安许证字〔2024〕0088号"
    event = RecordEvent.objects.get(kind=RecordKind.LICENCE_ADDED)
    assert event.payload == {
        "licence": {
            "kind": "safety_production",
            "number": "（新）WH安许证字〔2024〕0088号",
            "issued_by": "新疆维吾尔自治区应急管理厅",
            "valid_from": "2024-03-01",
            "valid_until": "2027-02-28",
        }
    }
    assert (event.subject_type, event.subject_id) == ("registry.enterprise", str(e.pk))
    assert licence.expiry_state(dt.date(2026, 11, 30)) == "expiring"  # 90 days before
    assert licence.expiry_state(dt.date(2026, 11, 29)) == "valid"
    assert licence.expiry_state(dt.date(2027, 2, 28)) == "expiring"
    assert licence.expiry_state(dt.date(2027, 3, 1)) == "expired"
    assert [lic.pk for lic, _state in licence_list_for_enterprise(enterprise=e)] == [licence.pk]


def test_licence_errors(world: World) -> None:
    e = world.ent_tianshan
    LicenceFactory(enterprise=world.ent_tianshan_2, number="DUP-1")
    args = {
        "actor": world.tianshan_officer,
        "enterprise_pk": e.pk,
        "kind": "safety_production",
        "issued_by": "厅",
    }
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as info:
            services.licence_add(
                **args,
                number="X-1",
                valid_from=dt.date(2026, 5, 1),
                valid_until=dt.date(2026, 4, 30),
            )
        assert info.value.extra == {
            "fields": {"valid_until": ["The end of validity is before its start."]}
        }
        with pytest.raises(ValidationFailed) as info:
            services.licence_add(
                **args,
                number="DUP-1",
                valid_from=dt.date(2026, 5, 1),
                valid_until=dt.date(2027, 4, 30),
            )
        assert list(info.value.extra["fields"]) == ["__all__"]
        with pytest.raises(NotFound):
            services.licence_add(
                **{**args, "actor": world.karamay_officer},
                number="X-2",
                valid_from=dt.date(2026, 5, 1),
                valid_until=dt.date(2027, 4, 30),
            )
    assert Licence.objects.filter(enterprise=e).count() == 0
    assert RecordEvent.objects.count() == 0


def test_hazard_source_add(world: World) -> None:
    e = world.ent_tianshan
    source = services.hazard_source_add(
        actor=world.tianshan_lead,
        enterprise_pk=e.pk,
        name="液氨储罐区",
        level=2,
        identified_on=dt.date(2025, 6, 1),
        description="2×100m³",
    )
    assert list(e.hazard_sources.values_list("name", "level")) == [("液氨储罐区", 2)]
    event = RecordEvent.objects.get(kind=RecordKind.HAZARD_SOURCE_ADDED)
    assert event.payload == {
        "hazard_source": {
            "name": "液氨储罐区",
            "level": 2,
            "identified_on": "2025-06-01",
            "description": "2×100m³",
        }
    }
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.hazard_source_add(actor=world.tianshan_lead, enterprise_pk=e.pk, name="x", level=5)
    assert info.value.extra == {"fields": {"level": ["Value 5 is not a valid choice."]}}
    with pytest.raises(PermissionDenied):
        services.hazard_source_add(
            actor=world.tianshan_reviewer, enterprise_pk=e.pk, name="y", level=1
        )
    assert MajorHazardSource.objects.filter(enterprise=e).get().pk == source.pk


# --- history ------------------------------------------------------------------------------


def test_history_lists_the_enterprises_events_newest_first(world: World) -> None:
    e = world.ent_tianshan
    services.enterprise_update(
        actor=world.tianshan_officer,
        pk=e.pk,
        expected_version=1,
        changes={"risk_class": "significant"},
    )
    services.enterprise_suspend(actor=world.tianshan_lead, pk=e.pk, reason="重大事故隐患")
    services.enterprise_update(
        actor=world.tianshan_officer,
        pk=world.ent_tianshan_2.pk,
        expected_version=1,
        changes={"employees": 7},
    )
    services.hazard_source_add(
        actor=world.tianshan_officer, enterprise_pk=e.pk, name="罐区", level=3
    )
    kinds = [ev.kind for ev in enterprise_history(enterprise=e)]
    assert kinds == [
        RecordKind.HAZARD_SOURCE_ADDED,
        RecordKind.ENTERPRISE_STATUS_CHANGED,
        RecordKind.ENTERPRISE_UPDATED,
    ]
    with translation.override("en"):
        rows = enterprise_history_rows(enterprise=e)
    assert [r.event.kind for r in rows] == kinds
    assert rows[1].reason == "重大事故隐患"
    assert [(c.label, c.before, c.after) for c in rows[1].changes] == [
        ("status", "Operating", "Suspended")
    ]
    assert [(c.label, c.before, c.after) for c in rows[2].changes] == [
        ("risk class", "General (yellow)", "Significant (orange)")
    ]
