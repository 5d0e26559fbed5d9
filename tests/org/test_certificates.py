"""Certificate history: renew, suspend, reinstate, revoke; validity read for a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Certificate, CertificateEvent, User
from inspectorate.org.selectors import certificates_expiring_for_user
from inspectorate.org.services import (
    certificate_issue,
    certificate_reinstate,
    certificate_renew,
    certificate_required,
    certificate_revoke,
    certificate_suspend,
)
from tests.conftest import World
from tests.factories import CertificateFactory


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def issued(
    world: World, officer: User | None = None, number: str = "65010220260001"
) -> Certificate:
    return certificate_issue(
        actor=world.tianshan_admin,
        officer=officer or world.tianshan_officer,
        number=number,
        issuing_authority="新疆维吾尔自治区人民政府",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 12, 31),
        sectors=[],
    )


def state(certificate: Certificate) -> tuple[Any, ...]:
    certificate.refresh_from_db()
    return (
        certificate.status,
        certificate.number,
        certificate.valid_from,
        certificate.valid_until,
        certificate.version,
        CertificateEvent.objects.count(),
        RecordEvent.objects.count(),
    )


def test_suspension_is_read_by_day(world: World) -> None:
    cert = issued(world)
    officer = world.tianshan_officer
    certificate_suspend(
        actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-06-01", reason="涉嫌违纪"
    )
    cert.refresh_from_db()
    assert cert.status == "suspended"
    assert cert.is_valid_on(dt.date(2026, 5, 31))
    assert not cert.is_valid_on(dt.date(2026, 6, 1))
    assert officer.valid_certificate(dt.date(2026, 5, 31)) == cert
    assert officer.valid_certificate(dt.date(2026, 6, 1)) is None
    certificate_reinstate(actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-07-15")
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert officer.valid_certificate(dt.date(2026, 7, 14)) is None
    assert officer.valid_certificate(dt.date(2026, 7, 15)) == cert
    assert not cert.is_valid_on(dt.date(2026, 7, 14))
    assert cert.is_valid_on(dt.date(2026, 7, 15))
    assert list(cert.events.values_list("kind", "on")) == [
        ("issued", dt.date(2025, 1, 1)),
        ("suspended", dt.date(2026, 6, 1)),
        ("reinstated", dt.date(2026, 7, 15)),
    ]
    kinds = list(
        RecordEvent.objects.filter(kind__startswith="org.certificate").values_list(
            "kind", flat=True
        )
    )
    assert kinds == [
        RecordKind.CERTIFICATE_ISSUED,
        RecordKind.CERTIFICATE_SUSPENDED,
        RecordKind.CERTIFICATE_REINSTATED,
    ]


def test_valid_certificate_is_one_query(world: World, django_assert_num_queries: Any) -> None:
    issued(world)
    officer = User.objects.get(pk=world.tianshan_officer.pk)
    with django_assert_num_queries(1):
        assert officer.valid_certificate(dt.date(2026, 1, 1)) is not None


def test_revocation_is_final_and_read_by_day(world: World) -> None:
    cert = issued(world)
    certificate_revoke(
        actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-03-10", reason="调离执法岗位"
    )
    assert cert.is_valid_on(dt.date(2026, 3, 9))
    assert world.tianshan_officer.valid_certificate(dt.date(2026, 3, 10)) is None
    before = state(cert)
    with pytest.raises(IllegalTransition):
        certificate_reinstate(actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-04-01")
    with pytest.raises(IllegalTransition):
        certificate_renew(
            actor=world.tianshan_admin,
            certificate_id=cert.pk,
            valid_from="2028-01-01",
            valid_until="2030-12-31",
        )
    assert state(cert) == before


def test_renewal_keeps_the_earlier_period(world: World) -> None:
    cert = issued(world)
    certificate_renew(
        actor=world.tianshan_admin,
        certificate_id=cert.pk,
        valid_from="2028-01-01",
        valid_until="2030-12-31",
        number="65010220280001",
    )
    cert.refresh_from_db()
    assert (cert.number, cert.valid_from, cert.valid_until) == (
        "65010220280001",
        dt.date(2028, 1, 1),
        dt.date(2030, 12, 31),
    )
    assert cert.is_valid_on(dt.date(2026, 1, 1))  # earlier period, from the history
    assert cert.is_valid_on(dt.date(2030, 12, 31))
    assert not cert.is_valid_on(dt.date(2031, 1, 1))
    assert world.tianshan_officer.valid_certificate(dt.date(2026, 1, 1)) == cert
    assert world.tianshan_officer.valid_certificate(dt.date(2029, 6, 1)) == cert
    renewed = cert.events.get(kind="renewed")
    assert (renewed.number, renewed.valid_from, renewed.by_id) == (
        "65010220280001",
        dt.date(2028, 1, 1),
        world.tianshan_admin.pk,
    )
    assert cert.events.get(kind="issued").number == "65010220260001"


def test_renewal_of_a_certificate_made_before_the_history(world: World) -> None:
    cert = CertificateFactory(officer=world.tianshan_officer)  # no events
    certificate_renew(
        actor=world.tianshan_admin,
        certificate_id=cert.pk,
        valid_from="2028-01-01",
        valid_until="2032-12-31",
    )
    assert cert.is_valid_on(dt.date(2026, 1, 1))
    assert list(cert.events.values_list("kind", flat=True)) == ["issued", "renewed"]


def test_bad_input_gives_field_errors_and_changes_nothing(world: World) -> None:
    cert = issued(world)
    other = issued(world, world.tianshan_lead, number="65010220260002")
    before = state(cert)
    with pytest.raises(ValidationFailed) as exc:
        certificate_renew(
            actor=world.tianshan_admin,
            certificate_id=cert.pk,
            valid_from="2028-01-01",
            valid_until="2027-06-30",
            number=other.number,
        )
    assert exc.value.extra["fields"] == {
        "valid_until": ["The end of validity is before its start."],
        "number": ["This certificate number is already used."],
    }
    with pytest.raises(ValidationFailed) as exc:
        certificate_renew(
            actor=world.tianshan_admin,
            certificate_id=cert.pk,
            valid_from="2026-01-01",
            valid_until="2027-12-31",
        )
    assert exc.value.extra["fields"] == {
        "valid_until": ["The new period must end after the current one (2027-12-31)."]
    }
    with pytest.raises(ValidationFailed) as exc:
        certificate_suspend(actor=world.tianshan_admin, certificate_id=cert.pk, on="x", reason="r")
    assert exc.value.extra["fields"] == {"on": ["Enter a valid date."]}
    with pytest.raises(ValidationFailed) as exc:
        certificate_suspend(
            actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-06-01", reason=" "
        )
    assert exc.value.extra["fields"] == {"reason": ["A reason is required for this action."]}
    assert state(cert) == before
    certificate_suspend(
        actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-06-01", reason="r"
    )
    before = state(cert)
    with pytest.raises(ValidationFailed) as exc:
        certificate_reinstate(actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-05-01")
    assert exc.value.extra["fields"] == {
        "on": ["The date cannot be before the last change of status (2026-06-01)."]
    }
    assert state(cert) == before


def test_who_may_act(world: World) -> None:
    cert = issued(world)
    before = state(cert)
    # other roles of the same office: 403
    for user in (world.tianshan_head, world.tianshan_lead, world.tianshan_officer):
        with pytest.raises(PermissionDenied):
            certificate_suspend(actor=user, certificate_id=cert.pk, on="2026-06-01", reason="r")
    # outside the scope: 404, the same as a missing certificate
    for user in (world.karamay_head, world.shayibake_officer, world.enterprise_user):
        with pytest.raises(NotFound):
            certificate_suspend(actor=user, certificate_id=cert.pk, on="2026-06-01", reason="r")
    with pytest.raises(NotFound):
        certificate_suspend(
            actor=world.tianshan_admin, certificate_id=999999, on="2026-06-01", reason="r"
        )
    assert state(cert) == before


def test_admin_of_an_upper_office_may_act(world: World) -> None:
    from tests.factories import UserFactory

    admin = UserFactory(agency=world.prefecture, roles=["admin"])
    cert = issued(world)
    certificate_suspend(actor=admin, certificate_id=cert.pk, on="2026-06-01", reason="r")
    cert.refresh_from_db()
    assert cert.status == "suspended"
    karamay_admin = UserFactory(agency=world.karamay, roles=["admin"])
    with pytest.raises(NotFound):
        certificate_reinstate(actor=karamay_admin, certificate_id=cert.pk, on="2026-07-01")


def test_stale_version_is_refused(world: World) -> None:
    from inspectorate.core.errors import ConcurrentModification

    cert = issued(world)
    certificate_suspend(
        actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-06-01", reason="r", version=1
    )
    with pytest.raises(ConcurrentModification):
        certificate_reinstate(
            actor=world.tianshan_admin, certificate_id=cert.pk, on="2026-07-01", version=1
        )


def test_certificate_required(world: World) -> None:
    cert = issued(world)
    assert certificate_required(world.tianshan_officer, dt.date(2026, 1, 1)) == cert
    with pytest.raises(PermissionDenied) as exc:
        certificate_required(world.tianshan_officer, dt.date(2028, 1, 1))
    name = world.tianshan_officer.get_full_name() or world.tianshan_officer.username
    assert str(exc.value.message) == (
        f"{name} holds no valid enforcement certificate on 2028-01-01."
    )


def test_expiring_soon(world: World) -> None:
    soon = CertificateFactory(officer=world.tianshan_officer, valid_until=dt.date(2027, 1, 29))
    CertificateFactory(officer=world.tianshan_lead, valid_until=dt.date(2027, 1, 30))
    CertificateFactory(officer=world.karamay_officer, valid_until=dt.date(2026, 12, 31))
    expired = CertificateFactory(officer=world.shayibake_officer, valid_until=dt.date(2026, 11, 29))
    today = dt.date(2026, 11, 30)
    rows = list(certificates_expiring_for_user(user=world.tianshan_admin, today=today))
    assert rows == [soon]  # 60 days: until 2027-01-29
    rows = list(
        certificates_expiring_for_user(user=world.tianshan_admin, today=today, within_days=61)
    )
    assert [c.officer for c in rows] == [world.tianshan_officer, world.tianshan_lead]
    rows = list(certificates_expiring_for_user(user=world.prefecture_officer, today=today))
    assert rows == [soon]
    assert expired not in rows
    assert (
        list(certificates_expiring_for_user(user=world.karamay_officer, today=today))[0].officer
        == world.karamay_officer
    )


def test_reminder_command(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    cert = CertificateFactory(
        officer=world.tianshan_officer, number="R1", valid_until=dt.date(2027, 1, 10)
    )
    CertificateFactory(officer=world.karamay_officer, number="R2", valid_until=dt.date(2027, 3, 1))
    out = StringIO()
    call_command("certificate_reminders", "--today", "2026-11-30", stdout=out)
    lines = out.getvalue().splitlines()
    name = world.tianshan_officer.get_full_name() or world.tianshan_officer.username
    assert lines == [
        f"650102\t{world.tianshan.name}\t{name}\tR1\t2027-01-10\t41\tvalid",
        "1 certificate(s) expire by 2027-01-29.",
    ]
    assert cert.pk
    out = StringIO()
    call_command("certificate_reminders", "--today", "2026-11-30", "--days", "100", stdout=out)
    assert out.getvalue().splitlines()[-1] == "2 certificate(s) expire by 2027-03-10."
