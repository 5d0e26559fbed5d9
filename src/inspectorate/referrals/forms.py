"""Page forms of crime transfers: they parse and show input; the services check the law."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.inspections.forms import ServiceFieldsMixin
from inspectorate.referrals import rules
from inspectorate.referrals.actions import STEP_FIELDS

DATE = {"type": "date"}
#: The numeric facts of the triggers.
NUMBERS = (
    "deaths",
    "serious_injuries",
    "direct_loss",
    "added_deaths",
    "added_serious_injuries",
    "added_direct_loss",
)
TEXTS = ("accident", "order", "equipment", "conduct_description", "licence")


class FlagForm(ServiceFieldsMixin, forms.Form):
    """Flag a case by hand: the trigger and the facts that met it."""

    SERVICE_FIELDS = {"trigger_code": "trigger", "facts": None}

    case = forms.TypedChoiceField(label=_("Case"), coerce=int, empty_value=None)
    trigger = forms.ChoiceField(label=_("Transfer trigger"))
    conduct = forms.ChoiceField(label=rules.FACT_LABELS["conduct"], required=False)

    def __init__(
        self,
        *args: Any,
        cases: Sequence[tuple[int, str]],
        triggers: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        triggers = list(triggers)
        self.fields["case"].choices = [("", "—"), *cases]  # type: ignore[attr-defined]
        self.fields["trigger"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (t.code, f"{t.name}（{t.criminal_article}）") for t in triggers
        ]
        conducts: list[tuple[str, str]] = [("", "—")]
        for t in triggers:
            conducts += [(k, f"{t.name}：{v}") for k, v in (t.conducts or {}).items()]
        self.fields["conduct"].choices = list(dict(conducts).items())  # type: ignore[attr-defined]
        for name in NUMBERS:
            self.fields[name] = forms.IntegerField(
                label=rules.FACT_LABELS[name], required=False, min_value=0
            )
        for name in TEXTS:
            self.fields[name] = forms.CharField(
                label=rules.FACT_LABELS[name], required=False, max_length=500
            )

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        facts: dict[str, Any] = {n: data[n] for n in NUMBERS if data.get(n) is not None}
        facts.update({n: data[n] for n in TEXTS if data.get(n)})
        if data.get("conduct"):
            facts["conduct"] = data["conduct"]
        return facts


class DismissForm(ServiceFieldsMixin, forms.Form):
    SERVICE_FIELDS = {"reason": "reasons"}

    version = forms.IntegerField(widget=forms.HiddenInput)
    reasons = forms.CharField(
        label=_("Why no crime is suspected (kept in the record)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferForm(ServiceFieldsMixin, forms.Form):
    team = forms.TypedMultipleChoiceField(
        label=_("Special team (two or more certified officers)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    police = forms.CharField(label=_("Public security organ at the same level"), max_length=128)
    report = forms.CharField(
        label=_("Written transfer report"), widget=forms.Textarea(attrs={"rows": 6})
    )
    items = forms.CharField(
        label=_("Items involved (one a line: name, quantity, note)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, colleagues: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = list(colleagues)  # type: ignore[attr-defined]


class StepForm(ServiceFieldsMixin, forms.Form):
    """The fields of one step of the transfer (``actions.STEP_FIELDS``) and the version."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        for name, kind, label in STEP_FIELDS.get(action, []):
            field: forms.Field
            if kind == "date":
                field = forms.DateField(label=label, widget=forms.DateInput(attrs=DATE))
            elif kind in ("textarea", "items"):
                field = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3}), required=False
                )
            else:
                field = forms.CharField(label=label, max_length=128, required=False)
            self.fields[name] = field
        if action in ("refuse", "accept_refusal"):
            self.SERVICE_FIELDS = {"reason": "reasons"}

    @property
    def plain_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name != "version"]


class AuditForm(forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs=DATE))
