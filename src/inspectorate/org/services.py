"""Writes to the organisation: users, roles and certificates, each recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate.core.errors import PermissionDenied, ValidationFailed
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import (
    Agency,
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    RoleAssignment,
    User,
)
from inspectorate.org.workflows import CERTIFICATE, parse_day
from inspectorate.registry.models import Sector


def _system_code(agency: Agency | None, enterprise: Any) -> str:
    if agency is not None:
        return agency.jurisdiction_id
    if enterprise is not None:
        return str(enterprise.jurisdiction_id)
    return "000000"


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    name: str,
    roles: Iterable[str],
    agency: Agency | None = None,
    enterprise: Any = None,
    password_is_hashed: bool = False,
) -> User:
    user = User(username=username, name=name, agency=agency, enterprise=enterprise)
    if password_is_hashed:
        user.password = password
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(
                _("The data is not valid."), extra={"fields": {"password": exc.messages}}
            ) from exc
        user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    user.save()
    role_list = sorted(set(roles))
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in role_list])
    record_append(
        kind=RecordKind.USER_CREATED,
        actor=actor,
        jurisdiction_code=_system_code(agency, enterprise),
        subject=user,
        payload={
            "username": username,
            "name": name,
            "roles": role_list,
            "agency": agency.code if agency else None,
        },
    )
    return user


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    officer: User,
    number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_until: dt.date,
    sectors: Iterable[str],
    legal_qualification: bool = False,
) -> Certificate:
    certificate = Certificate(
        officer=officer,
        number=number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_until=valid_until,
        legal_qualification=legal_qualification,
    )
    if valid_until < valid_from:
        raise ValidationFailed(
            _("The data is not valid."),
            extra={"fields": {"valid_until": [_("The end of validity is before its start.")]}},
        )
    try:
        certificate.full_clean()
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    certificate.save()
    CertificateEvent.objects.create(
        certificate=certificate,
        kind=CertificateEventKind.ISSUED,
        on=valid_from,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        by=actor if isinstance(actor, User) else None,
        jurisdiction_code=_system_code(officer.agency, officer.enterprise),
    )
    sector_list = sorted(set(sectors))
    certificate.sectors.set(Sector.objects.filter(code__in=sector_list))
    record_append(
        kind=RecordKind.CERTIFICATE_ISSUED,
        actor=actor,
        jurisdiction_code=_system_code(officer.agency, officer.enterprise),
        subject=officer,
        payload={
            "number": number,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "sectors": sector_list,
            "legal_qualification": legal_qualification,
        },
    )
    return certificate


# --- certificate history: renew, suspend, reinstate, revoke ------------------------------


def certificate_required(user: Any, on: dt.date) -> Certificate:
    """The certificate ``user`` holds on ``on``; refuses (403) without one.

    Every enforcement act needs a valid certificate (安全生产法 Art. 67 para. 2;
    行政处罚法 Art. 42): expired, suspended or revoked certificates do not count.
    """
    certificate = user.valid_certificate(on) if user is not None else None
    if certificate is None:
        raise PermissionDenied(
            _("%(name)s holds no valid enforcement certificate on %(day)s.")
            % {"name": (user.get_full_name() or user.username) if user else "—", "day": on}
        )
    return certificate


def _certificates_for(actor: Any) -> Any:
    return Certificate.objects.filter(actor.scope.q("officer__agency__jurisdiction_id"))


def _step(
    *,
    actor: Any,
    certificate_id: Any,
    action: str,
    reason: str,
    version: int | None,
    params: dict[str, Any],
) -> Certificate:
    return transition_apply(
        workflow=CERTIFICATE,
        queryset=_certificates_for(actor).select_related("officer__agency"),
        pk=certificate_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda c: c.officer.agency.jurisdiction_id,
        expected_version=version,
        reason=reason or "",
        params=params,
    )


def _status_change(
    actor: Any,
    certificate_id: Any,
    action: str,
    kind: str,
    on: Any,
    reason: str,
    version: int | None,
) -> Certificate:
    """Suspend, reinstate or revoke: the workflow step, then its history event."""
    certificate = _step(
        actor=actor,
        certificate_id=certificate_id,
        action=action,
        reason=reason,
        version=version,
        params={"on": str(on)},
    )
    return _add_event(actor, certificate, kind, on, reason)


@transaction.atomic
def certificate_suspend(
    *, actor: Any, certificate_id: Any, on: Any, reason: str, version: int | None = None
) -> Certificate:
    return _status_change(
        actor, certificate_id, "suspend", CertificateEventKind.SUSPENDED, on, reason, version
    )


@transaction.atomic
def certificate_reinstate(
    *, actor: Any, certificate_id: Any, on: Any, reason: str = "", version: int | None = None
) -> Certificate:
    return _status_change(
        actor, certificate_id, "reinstate", CertificateEventKind.REINSTATED, on, reason, version
    )


@transaction.atomic
def certificate_revoke(
    *, actor: Any, certificate_id: Any, on: Any, reason: str, version: int | None = None
) -> Certificate:
    return _status_change(
        actor, certificate_id, "revoke", CertificateEventKind.REVOKED, on, reason, version
    )


@transaction.atomic
def certificate_renew(
    *,
    actor: Any,
    certificate_id: Any,
    valid_from: Any,
    valid_until: Any,
    number: str = "",
    reason: str = "",
    version: int | None = None,
) -> Certificate:
    """A new validity period on the same row; the number stays unless a new one is given.

    The earlier periods stay in the history (``issued``/``renewed`` events), so the
    certificate still answers for days of an earlier period.
    """
    new_number = (number or "").strip()

    certificate = _step(
        actor=actor,
        certificate_id=certificate_id,
        action="renew",
        reason=reason,
        version=version,
        params={
            "number": new_number,
            "valid_from": str(valid_from),
            "valid_until": str(valid_until),
        },
    )
    start = parse_day(valid_from, "valid_from")
    end = parse_day(valid_until, "valid_until")
    code = certificate.officer.agency.jurisdiction_id if certificate.officer.agency else "000000"
    if not certificate.events.filter(
        kind__in=[CertificateEventKind.ISSUED, CertificateEventKind.RENEWED]
    ).exists():
        # a certificate from before the history: keep its first period in the history
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEventKind.ISSUED,
            on=certificate.valid_from,
            number=certificate.number,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            jurisdiction_code=code,
        )
    certificate.number = new_number or certificate.number
    certificate.valid_from = start
    certificate.valid_until = end
    certificate.save(update_fields=["number", "valid_from", "valid_until"])
    CertificateEvent.objects.create(
        certificate=certificate,
        kind=CertificateEventKind.RENEWED,
        on=start,
        reason=reason,
        number=certificate.number,
        valid_from=start,
        valid_until=end,
        by=actor,
        jurisdiction_code=code,
    )
    return certificate


def _add_event(
    actor: Any, certificate: Certificate, kind: str, on: Any, reason: str
) -> Certificate:
    CertificateEvent.objects.create(
        certificate=certificate,
        kind=kind,
        on=parse_day(on, "on"),
        reason=reason,
        by=actor,
        jurisdiction_code=certificate.officer.agency.jurisdiction_id
        if certificate.officer.agency
        else "000000",
    )
    return certificate
