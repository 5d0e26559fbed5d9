"""Forms of the oversight pages (input only; the services check everything)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.oversight.models import SubjectKind, SupervisionState


class DashboardForm(forms.Form):
    office = forms.RegexField(regex=r"^\d{6}$", required=False)
    near = forms.IntegerField(
        label=_("Cases near their limit: days ahead"), min_value=1, max_value=90, required=False
    )


class OrderFilterForm(forms.Form):
    DIRECTIONS = [
        ("", _("All")),
        ("issued", _("Issued by my office")),
        ("received", _("Addressed to my office")),
    ]
    STATES = [("", _("Any state")), ("open", _("Open")), *SupervisionState.choices]
    direction = forms.ChoiceField(label=_("Orders"), choices=DIRECTIONS, required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)


class OrderForm(forms.Form):
    addressee = forms.TypedChoiceField(label=_("Supervised office"), coerce=int, choices=())
    subject_kind = forms.ChoiceField(label=_("Subject"), choices=SubjectKind.choices)
    case = forms.IntegerField(label=_("Case (id)"), required=False)
    finding = forms.IntegerField(label=_("Hazard (finding id)"), required=False)
    enterprise = forms.IntegerField(label=_("Enterprise (id)"), required=False)
    subject_text = forms.CharField(label=_("Matter"), max_length=255, required=False)
    title = forms.CharField(label=_("Title"), max_length=128)
    requirements = forms.CharField(
        label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(label=_("Reply due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, offices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = list(offices)  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class AnswerForm(forms.Form):
    """Accept, return or withdraw: the issuer's answer."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Opinion or reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    new_due_date = forms.DateField(
        label=_("New reply date (when returning; empty: the date stays)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    window = forms.IntegerField(
        label=_("Window (days before the upper finding)"),
        min_value=1,
        max_value=730,
        required=False,
    )
    minimum = forms.IntegerField(
        label=_("Minimum closed inspections"), min_value=1, max_value=1000, required=False
    )
