"""The forms of the accident pages. They render the fields and check their shape; the
services check the law and put their field errors back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.accidents.law_data import FINDING_PROVISIONS
from inspectorate.accidents.models import AccidentKind, FindingParty, InformParty

_MOMENT = {"type": "datetime-local"}
_DAY = {"type": "date"}


class MomentField(forms.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateTimeInput(attrs=_MOMENT, format="%Y-%m-%dT%H:%M"))
        kwargs.setdefault(
            "input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        )
        super().__init__(**kwargs)


class DayField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs=_DAY, format="%Y-%m-%d"))
        super().__init__(**kwargs)


class AccidentForm(forms.Form):
    enterprise = forms.TypedChoiceField(
        label=_("Enterprise in the registry"), required=False, coerce=int, empty_value=None
    )
    unit_name = forms.CharField(label=_("Unit (if not registered)"), required=False, max_length=200)
    jurisdiction_code = forms.CharField(label=_("Division of the place (code)"), max_length=6)
    occurred_at = MomentField(label=_("Occurred at"))
    place = forms.CharField(label=_("Place"), max_length=255)
    kind = forms.ChoiceField(label=_("Accident kind"), choices=AccidentKind.choices)
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0, initial=0)
    serious_injuries = forms.IntegerField(
        label=_("Serious injuries (incl. acute poisoning)"), min_value=0, initial=0
    )
    missing = forms.IntegerField(label=_("Missing"), min_value=0, initial=0)
    direct_loss = forms.IntegerField(label=_("Direct economic loss (yuan)"), min_value=0, initial=0)
    brief = forms.CharField(label=_("Brief account"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label=_("Measures taken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit_reported_at = MomentField(label=_("The unit reported at"), required=False)

    def __init__(self, *args: Any, enterprises: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "—"), *enterprises]  # type: ignore[attr-defined]


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChainReportForm(_Versioned):
    seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reported_at = MomentField(label=_("Reported at"))


class ChainNoticeForm(forms.Form):
    seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    party = forms.ChoiceField(label=_("Informed"), choices=InformParty.choices)
    notified_at = MomentField(label=_("Informed at"))


class CasualtiesForm(_Versioned):
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0)
    serious_injuries = forms.IntegerField(label=_("Serious injuries"), min_value=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0)
    direct_loss = forms.IntegerField(label=_("Direct economic loss (yuan)"), min_value=0)
    reported_at = MomentField(label=_("Reported at"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class StartForm(_Versioned):
    group_leader = forms.CharField(label=_("Group leader"), max_length=100)
    group_members = forms.CharField(label=_("Group members"), required=False)
    set_up_on = DayField(label=_("Set up on"))
    entrusted_to_unit = forms.BooleanField(
        label=_("Entrusted to the unit (Art. 19 ¶3)"), required=False
    )


class ExtendForm(_Versioned):
    days = forms.IntegerField(label=_("Days"), min_value=1)
    approved_by = forms.CharField(label=_("Approved by"), max_length=200)
    reason = forms.CharField(label=_("Reason"))


class ReplyExtendForm(_Versioned):
    days = forms.IntegerField(label=_("Days"), min_value=1)
    reason = forms.CharField(label=_("Reason"))


class SubmitForm(_Versioned):
    received_on = DayField(label=_("Received by the government on"))
    summary = forms.CharField(
        label=_("Investigation report"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(_Versioned):
    replied_on = DayField(label=_("Replied on"))
    authority = forms.CharField(label=_("Replying government"), max_length=200)
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(_Versioned):
    pass


def _provision_choices() -> list[tuple[str, str]]:
    """The provisions a finding may name, labelled with their citation and violation."""
    from inspectorate.cases.models import Provision

    codes = [code for group in FINDING_PROVISIONS.values() for code in group]
    rows = {p.code: p for p in Provision.objects.filter(code__in=codes)}
    return [
        (code, f"{rows[code].citation}：{rows[code].violation[:40]}" if code in rows else code)
        for code in codes
    ]


class FindingForm(forms.Form):
    party = forms.ChoiceField(label=_("Party found responsible"), choices=FindingParty.choices)
    provision = forms.ChoiceField(label=_("Provision applied"), choices=_provision_choices)
    facts = forms.CharField(label=_("Facts found"), widget=forms.Textarea(attrs={"rows": 2}))
    person_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    person_position = forms.CharField(label=_("Position"), required=False, max_length=100)
    person_id_number = forms.CharField(label=_("Identity number"), required=False, max_length=32)
    previous_year_income = forms.IntegerField(
        label=_("Previous year's income (yuan)"), required=False, min_value=0
    )
    especially_serious = forms.BooleanField(
        label=_("Especially serious circumstances (Art. 114 ¶2)"), required=False
    )
    second_investigator = forms.TypedChoiceField(label=_("Second investigator"), coerce=int)

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_investigator"].choices = colleagues  # type: ignore[attr-defined]

    def service_field(self, name: str) -> str:
        return {"provision": "provision"}.get(name, name)


class FindingViolationForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput)


FORMS: dict[str, type[forms.Form]] = {
    "chain_report": ChainReportForm,
    "chain_notice": ChainNoticeForm,
    "casualties": CasualtiesForm,
    "start_investigation": StartForm,
    "extend_investigation": ExtendForm,
    "submit_report": SubmitForm,
    "extend_reply": ReplyExtendForm,
    "record_reply": ReplyForm,
    "close": CloseForm,
    "finding": FindingForm,
    "finding_violation": FindingViolationForm,
}
