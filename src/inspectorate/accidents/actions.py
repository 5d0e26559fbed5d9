"""Every step on an accident by name, for the API and the pages alike: each step parses its
fields (a serializer) and calls its one service. Bad fields are a field-level 400."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from inspectorate.accidents import services
from inspectorate.accidents.models import FindingParty, InformParty
from inspectorate.core.api import validated


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ChainReportInput(_Versioned):
    seq = serializers.IntegerField(min_value=0)
    reported_at = serializers.DateTimeField()


class ChainNoticeInput(serializers.Serializer):
    seq = serializers.IntegerField(min_value=0)
    party = serializers.ChoiceField(choices=InformParty.values)
    notified_at = serializers.DateTimeField()


class CasualtiesInput(_Versioned):
    deaths = serializers.IntegerField(min_value=0)
    serious_injuries = serializers.IntegerField(min_value=0)
    missing = serializers.IntegerField(min_value=0)
    direct_loss = serializers.IntegerField(min_value=0)
    reported_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StartInput(_Versioned):
    group_leader = serializers.CharField(max_length=100)
    group_members = serializers.CharField(required=False, allow_blank=True, default="")
    set_up_on = serializers.DateField()
    entrusted_to_unit = serializers.BooleanField(required=False, default=False)


class ExtendInput(_Versioned):
    days = serializers.IntegerField()
    approved_by = serializers.CharField(max_length=200)
    reason = serializers.CharField()


class ReplyExtendInput(_Versioned):
    days = serializers.IntegerField()
    reason = serializers.CharField()


class SubmitInput(_Versioned):
    received_on = serializers.DateField()
    summary = serializers.CharField()


class ReplyInput(_Versioned):
    replied_on = serializers.DateField()
    authority = serializers.CharField(max_length=200)
    text = serializers.CharField()


class CloseInput(_Versioned):
    pass


class FindingInput(serializers.Serializer):
    party = serializers.ChoiceField(choices=FindingParty.values)
    provision = serializers.CharField(max_length=48)
    facts = serializers.CharField()
    second_investigator = serializers.IntegerField()
    person_name = serializers.CharField(required=False, allow_blank=True, default="")
    person_position = serializers.CharField(required=False, allow_blank=True, default="")
    person_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    previous_year_income = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0
    )
    especially_serious = serializers.BooleanField(required=False, default=False)


class FindingViolationInput(serializers.Serializer):
    finding = serializers.IntegerField()


@dataclass(frozen=True)
class Step:
    label: str | Promise
    serializer: type[serializers.Serializer]
    call: Callable[[Any, Any, dict[str, Any], dt.datetime], Any]


STEPS: dict[str, Step] = {
    "chain_report": Step(
        _("Record a report up the chain"),
        ChainReportInput,
        lambda actor, pk, d, now: services.chain_report(
            actor=actor,
            accident_id=pk,
            seq=d["seq"],
            reported_at=d["reported_at"],
            expected_version=d["version"],
            now=now,
        ),
    ),
    "chain_notice": Step(
        _("Record a notice to another authority"),
        ChainNoticeInput,
        lambda actor, pk, d, now: services.chain_notice(
            actor=actor,
            accident_id=pk,
            seq=d["seq"],
            party=d["party"],
            notified_at=d["notified_at"],
            now=now,
        ),
    ),
    "casualties": Step(
        _("Update the casualties"),
        CasualtiesInput,
        lambda actor, pk, d, now: services.casualties_update(
            actor=actor,
            accident_id=pk,
            deaths=d["deaths"],
            serious_injuries=d["serious_injuries"],
            missing=d["missing"],
            direct_loss=d["direct_loss"],
            reported_at=d["reported_at"],
            note=d["note"],
            expected_version=d["version"],
            now=now,
        ),
    ),
    "start_investigation": Step(
        _("Set up the investigation group"),
        StartInput,
        lambda actor, pk, d, now: services.investigation_start(
            actor=actor,
            accident_id=pk,
            group_leader=d["group_leader"],
            group_members=d["group_members"],
            set_up_on=d["set_up_on"],
            entrusted_to_unit=d["entrusted_to_unit"],
            expected_version=d["version"],
            today=now.date(),
        ),
    ),
    "extend_investigation": Step(
        _("Extend the investigation"),
        ExtendInput,
        lambda actor, pk, d, now: services.investigation_extend(
            actor=actor,
            accident_id=pk,
            days=d["days"],
            approved_by=d["approved_by"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    ),
    "submit_report": Step(
        _("Submit the investigation report"),
        SubmitInput,
        lambda actor, pk, d, now: services.report_submit(
            actor=actor,
            accident_id=pk,
            received_on=d["received_on"],
            summary=d["summary"],
            expected_version=d["version"],
            today=now.date(),
        ),
    ),
    "extend_reply": Step(
        _("Extend the reply"),
        ReplyExtendInput,
        lambda actor, pk, d, now: services.reply_extend(
            actor=actor,
            accident_id=pk,
            days=d["days"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    ),
    "record_reply": Step(
        _("Record the government's reply"),
        ReplyInput,
        lambda actor, pk, d, now: services.reply_record(
            actor=actor,
            accident_id=pk,
            replied_on=d["replied_on"],
            authority=d["authority"],
            text=d["text"],
            expected_version=d["version"],
            today=now.date(),
        ),
    ),
    "close": Step(
        _("Close the accident"),
        CloseInput,
        lambda actor, pk, d, now: services.accident_close(
            actor=actor, accident_id=pk, expected_version=d["version"], today=now.date()
        ),
    ),
    "finding": Step(
        _("Record a responsibility finding"),
        FindingInput,
        lambda actor, pk, d, now: services.finding_record(
            actor=actor,
            accident_id=pk,
            party=d["party"],
            provision_code=d["provision"],
            facts=d["facts"],
            second_investigator_id=d["second_investigator"],
            person_name=d["person_name"],
            person_position=d["person_position"],
            person_id_number=d["person_id_number"],
            previous_year_income=d["previous_year_income"],
            especially_serious=d["especially_serious"],
            today=now.date(),
        ),
    ),
    "finding_violation": Step(
        _("Record the finding's violation in its case"),
        FindingViolationInput,
        lambda actor, pk, d, now: _finding_violation(actor, pk, d, now),
    ),
}


def _finding_violation(actor: Any, pk: Any, d: dict[str, Any], now: dt.datetime) -> Any:
    from inspectorate.accidents.models import ResponsibilityFinding
    from inspectorate.core.errors import NotFound

    if not ResponsibilityFinding.objects.filter(pk=d["finding"], accident_id=pk).exists():
        raise NotFound()
    return services.finding_violation_add(actor=actor, finding_id=d["finding"], today=now.date())


def perform(*, actor: Any, accident_id: Any, action: str, data: Mapping[str, Any], now: Any) -> Any:
    from django.utils import timezone

    step = STEPS[action]
    parsed = validated(step.serializer(data=data))
    return step.call(actor, accident_id, parsed, timezone.localtime(now))
