"""Page forms. They only parse input; the services validate the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.org.models import Agency, Jurisdiction
from inspectorate.registry.models import (
    EnterpriseStatus,
    RiskClass,
    Sector,
    Size,
    StandardisationLevel,
)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    risk_class = forms.ChoiceField(
        label=_("Risk class"), required=False, choices=_blank(RiskClass.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(EnterpriseStatus.choices)
    )

    def __init__(self, *args: Any, jurisdictions: list[Jurisdiction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = _blank(  # type: ignore[attr-defined]
            [
                (j.prefix, f"{'　' * ['province', 'prefecture', 'county'].index(j.level)}{j.name}")
                for j in jurisdictions
            ]
        )
        sectors = [(s.code, str(s)) for s in Sector.objects.all()]
        self.fields["sector"].choices = _blank(sectors)  # type: ignore[attr-defined]


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=255)
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"), queryset=Jurisdiction.objects.none()
    )
    supervising_agency = forms.ModelChoiceField(
        label=_("Supervising office"), queryset=Agency.objects.none()
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754)"), max_length=5, required=False
    )
    size = forms.ChoiceField(label=_("Size"), choices=Size.choices)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    standardisation_level = forms.ChoiceField(
        label=_("Safety standardisation level"), choices=StandardisationLevel.choices
    )
    risk_class = forms.ChoiceField(label=_("Risk class"), choices=RiskClass.choices)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=64, required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jurisdictions = Jurisdiction.objects.filter(user.scope.q("code")).order_by("code")
        agencies = Agency.objects.filter(user.scope.q("jurisdiction_id")).select_related(
            "jurisdiction"
        )
        self.fields["jurisdiction"].queryset = jurisdictions  # type: ignore[attr-defined]
        self.fields["supervising_agency"].queryset = agencies  # type: ignore[attr-defined]
        if editing:
            self.fields["credit_code"].disabled = True
            self.fields["version"].required = True


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
