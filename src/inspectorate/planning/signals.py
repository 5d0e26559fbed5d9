"""Risk signals: the facts about an enterprise that make it a key unit next year.

The inspection and accident modules will write them as they record accidents and major
hazards; until then, and for facts learned elsewhere (a complaint by telephone, an accident
reported by another department), an officer records them here. Each one goes to the
enforcement record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.roles import Role
from inspectorate.planning.models import RiskSignal, SignalKind
from inspectorate.registry.models import Enterprise
from inspectorate.registry.selectors import enterprise_queryset_for_user

RECORDERS = (Role.OFFICER, Role.TEAM_LEAD, Role.HEAD)


def risk_signal_list(*, user: Any, enterprise_pk: int) -> QuerySet[RiskSignal]:
    if not enterprise_queryset_for_user(user=user).filter(pk=enterprise_pk).exists():
        raise NotFound()
    return RiskSignal.objects.filter(enterprise_id=enterprise_pk)


def risk_signal_add(
    *,
    actor: Any,
    enterprise_pk: int,
    kind: str,
    occurred_on: dt.date | None,
    note: str = "",
    today: dt.date | None = None,
) -> RiskSignal:
    today = today or timezone.localdate()
    with transaction.atomic():
        try:
            enterprise = (
                enterprise_queryset_for_user(user=actor).select_for_update().get(pk=enterprise_pk)
            )
        except Enterprise.DoesNotExist as exc:
            raise NotFound() from exc
        if not actor.is_staff_member or not actor.has_role(*RECORDERS):
            raise PermissionDenied(_("Your role may not record risk signals."))
        errors: dict[str, list[str]] = {}
        if kind not in {str(k) for k in SignalKind}:
            errors["kind"] = [_("Choose a kind from the list.")]
        if occurred_on is None:
            errors["occurred_on"] = [_("Enter the date it happened.")]
        elif occurred_on > today:
            errors["occurred_on"] = [_("The date cannot be in the future.")]
        if len(note) > 300:
            errors["note"] = [_("At most 300 characters.")]
        if errors or occurred_on is None:
            raise ValidationFailed(_("The data is not valid."), extra={"fields": errors})
        signal = RiskSignal.objects.create(
            enterprise=enterprise, kind=kind, occurred_on=occurred_on, note=note.strip()
        )
        record_append(
            kind=RecordKind.RISK_SIGNAL_ADDED,
            actor=actor,
            jurisdiction_code=enterprise.jurisdiction_id,
            subject=enterprise,
            payload={"risk_signal": signal.pk, "kind": kind, "occurred_on": occurred_on,
                     "note": signal.note},
        )  # fmt: skip
    return signal
