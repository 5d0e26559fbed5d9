"""The form of a province's assessment scheme."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.inspections.forms import ServiceFieldsMixin

_WEIGHT = {"min": "0", "max": "100", "step": "1"}
_POINTS = {"min": "0", "max": "100", "step": "0.1"}


class SchemeForm(ServiceFieldsMixin, forms.Form):
    year = forms.IntegerField(label=_("In force from the year"), min_value=2000)
    name = forms.CharField(label=_("Name"), max_length=128)
    source = forms.CharField(
        label=_("Document that sets it"), widget=forms.Textarea(attrs={"rows": 2})
    )
    weight_training = forms.IntegerField(
        label=_("Weight of training hours"), widget=forms.NumberInput(attrs=_WEIGHT)
    )
    weight_exams = forms.IntegerField(
        label=_("Weight of exams"), widget=forms.NumberInput(attrs=_WEIGHT)
    )
    weight_review = forms.IntegerField(
        label=_("Weight of case-file review"), widget=forms.NumberInput(attrs=_WEIGHT)
    )
    weight_overturned = forms.IntegerField(
        label=_("Weight of decisions overturned"), widget=forms.NumberInput(attrs=_WEIGHT)
    )
    weight_deadlines = forms.IntegerField(
        label=_("Weight of missed deadlines"), widget=forms.NumberInput(attrs=_WEIGHT)
    )
    overturned_points = forms.DecimalField(
        label=_("Points off per decision overturned"),
        decimal_places=1,
        widget=forms.NumberInput(attrs=_POINTS),
    )
    missed_points = forms.DecimalField(
        label=_("Points off per missed deadline"),
        decimal_places=1,
        widget=forms.NumberInput(attrs=_POINTS),
    )
    band_excellent = forms.DecimalField(
        label=_("优秀 from"), decimal_places=1, widget=forms.NumberInput(attrs=_POINTS)
    )
    band_competent = forms.DecimalField(
        label=_("称职 from"), decimal_places=1, widget=forms.NumberInput(attrs=_POINTS)
    )
    band_basic = forms.DecimalField(
        label=_("基本称职 from"), decimal_places=1, widget=forms.NumberInput(attrs=_POINTS)
    )
    excellent_quota = forms.DecimalField(
        label=_("优秀 quota (per cent of those assessed)"),
        decimal_places=1,
        widget=forms.NumberInput(attrs=_POINTS),
    )
    min_basis = forms.DecimalField(
        label=_("least share of the weights with data for a grade (per cent)"),
        decimal_places=1,
        required=False,  # left empty: the model's default (60)
        initial=Decimal("60.0"),
        widget=forms.NumberInput(attrs=_POINTS),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    VALUES = (
        "weight_training",
        "weight_exams",
        "weight_review",
        "weight_overturned",
        "weight_deadlines",
        "overturned_points",
        "missed_points",
        "band_excellent",
        "band_competent",
        "band_basic",
        "excellent_quota",
        "min_basis",
    )
