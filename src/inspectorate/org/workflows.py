"""The enforcement certificate's states, as a table (ARCHITECTURE rule 4).

| from             | action    | to        | who   | guard                                        |
|------------------|-----------|-----------|-------|----------------------------------------------|
| valid            | renew     | valid     | admin | new period ends later; number free            |
| valid            | suspend   | suspended | admin | reason; date not before the last status step |
| suspended        | reinstate | valid     | admin | date not before the suspension               |
| valid, suspended | revoke    | revoked   | admin | reason; date not before the last status step |

The admin must be of the officer's office or an upper office (scoped: 404 outside).
Every step also adds a ``CertificateEvent``: the history ``is_valid_on`` reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspectorate.core.errors import ValidationFailed
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role

_ADMIN = frozenset({Role.ADMIN})
_STATUS_KINDS = ("suspended", "reinstated", "revoked")


def parse_day(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed.of_fields({field: [gettext("Enter a valid date.")]}) from None


def _in_order(certificate: Any, actor: Any, params: dict[str, Any]) -> None:
    """A status step takes effect on a day not before the last status step."""
    day = parse_day(params.get("on"), "on")
    last = certificate.events.filter(kind__in=_STATUS_KINDS).order_by("-on", "-id").first()
    if last is not None and day < last.on:
        raise ValidationFailed.of_fields(
            {
                "on": [
                    gettext("The date cannot be before the last change of status (%(day)s).")
                    % {"day": last.on.isoformat()}
                ]
            }
        )


def _new_period(certificate: Any, actor: Any, params: dict[str, Any]) -> None:
    """A renewal gives a period ending after the current one; a new number must be free."""
    from inspectorate.org.models import Certificate

    errors: dict[str, list[str]] = {}
    start = end = None
    try:
        start = parse_day(params.get("valid_from"), "valid_from")
    except ValidationFailed:
        errors["valid_from"] = [gettext("Enter a valid date.")]
    try:
        end = parse_day(params.get("valid_until"), "valid_until")
    except ValidationFailed:
        errors["valid_until"] = [gettext("Enter a valid date.")]
    if start is not None and end is not None:
        if end < start:
            errors["valid_until"] = [gettext("The end of validity is before its start.")]
        elif end <= certificate.valid_until:
            errors["valid_until"] = [
                gettext("The new period must end after the current one (%(day)s).")
                % {"day": certificate.valid_until.isoformat()}
            ]
    number = params.get("number") or ""
    if len(number) > 32:
        errors["number"] = [gettext("At most 32 characters.")]
    elif (
        number
        and number != certificate.number
        and Certificate.objects.filter(number=number).exists()
    ):
        errors["number"] = [gettext("This certificate number is already used.")]
    if errors:
        raise ValidationFailed.of_fields(errors)


CERTIFICATE = Workflow(
    name="certificate",
    state_field="status",
    states=("valid", "suspended", "revoked"),
    transitions=(
        Transition(
            "valid",
            "renew",
            "valid",
            _("Renew"),
            _ADMIN,
            RecordKind.CERTIFICATE_RENEWED,
            guards=(_new_period,),
        ),
        Transition(
            "valid",
            "suspend",
            "suspended",
            _("Suspend"),
            _ADMIN,
            RecordKind.CERTIFICATE_SUSPENDED,
            guards=(_in_order,),
            reason_required=True,
        ),
        Transition(
            "suspended",
            "reinstate",
            "valid",
            _("Reinstate"),
            _ADMIN,
            RecordKind.CERTIFICATE_REINSTATED,
            guards=(_in_order,),
        ),
        Transition(
            "valid",
            "revoke",
            "revoked",
            _("Revoke"),
            _ADMIN,
            RecordKind.CERTIFICATE_REVOKED,
            guards=(_in_order,),
            reason_required=True,
        ),
        Transition(
            "suspended",
            "revoke",
            "revoked",
            _("Revoke"),
            _ADMIN,
            RecordKind.CERTIFICATE_REVOKED,
            guards=(_in_order,),
            reason_required=True,
        ),
    ),
)
