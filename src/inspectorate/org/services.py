"""Writes to the organisation: users, roles and certificates, each recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate.core.errors import ValidationFailed
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Agency, Certificate, RoleAssignment, User
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
