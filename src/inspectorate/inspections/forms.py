"""Page forms of the inspections module. They only parse input; the services check the rules.

``SERVICE_FIELDS`` of a form says at which form field an error the service reports under
its own field name is shown, so that every message appears next to what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.inspections.models import HazardGrade, Origin
from inspectorate.org.models import Jurisdiction

LEVELS = ["province", "prefecture", "county"]


class ServiceFieldsMixin:
    SERVICE_FIELDS: dict[str, str | None] = {}

    def service_field(self, name: str) -> str | None:
        """The form field for a field name the service reported (None: above the form)."""
        return self.SERVICE_FIELDS.get(name, name)


class StartForm(ServiceFieldsMixin, forms.Form):
    """Start an inspection: the unit, the second officer and why."""

    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code or number)"),
        max_length=18,
        widget=forms.TextInput(attrs={"class": "mono", "autocomplete": "off"}),
    )
    second_officer = forms.TypedChoiceField(label=_("Second officer"), coerce=int, empty_value=None)
    origin = forms.ChoiceField(
        label=_("Why this inspection takes place"),
        choices=[("", "—")] + [c for c in Origin.choices if c[0] != Origin.REINSPECTION],
    )
    origin_note = forms.CharField(
        label=_("Which complaint, accident or campaign"),
        max_length=255,
        required=False,
    )
    place = forms.CharField(
        label=_("Place (empty: the unit's address)"), max_length=255, required=False
    )
    planned_visit = forms.TypedChoiceField(
        label=_("Planned inspection of the annual plan"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    SERVICE_FIELDS = {
        "enterprise": "enterprise",
        "enterprise_id": "enterprise",
        "checklists": "enterprise",  # no checklist for the unit's sector
        "second_officer": "second_officer",
        "origin": "origin",
        "origin_note": "origin_note",
        "place": "place",
        "planned_visit": "planned_visit",
        "lead_officer": None,  # the user's own certificate: above the form
    }

    def __init__(
        self,
        *args: Any,
        colleagues: Iterable[tuple[int, str]],
        visits: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_officer"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]
        self.fields["planned_visit"].choices = [("", "—"), *visits]  # type: ignore[attr-defined]


class HazardFilterForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All")), *HazardGrade.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args: Any, jurisdictions: Iterable[Jurisdiction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *[(j.prefix, f"{'　' * LEVELS.index(j.level)}{j.name}") for j in jurisdictions],
        ]


class DraftForm(ServiceFieldsMixin, forms.Form):
    note = forms.CharField(
        label=_("What changes in the new version"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "wide"}),
    )


class ItemForm(ServiceFieldsMixin, forms.Form):
    """One item of a draft checklist version."""

    code = forms.CharField(label=_("Code"), max_length=24)
    section = forms.CharField(label=_("Section"), max_length=64, required=False)
    text = forms.CharField(label=_("What to check"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255)
    major_hazard = forms.BooleanField(
        label=_("Official major accident hazard criterion (重大事故隐患)"), required=False
    )
    criterion = forms.CharField(
        label=_("Criterion (standard and item)"), max_length=255, required=False
    )
    suggested_measure = forms.CharField(
        label=_("Suggested rectification measure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rectification_days = forms.IntegerField(
        label=_("Rectification working days (empty: the default for the grade)"),
        required=False,
        min_value=1,
        max_value=365,
    )
    sort = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=32767)

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("sort") is None:
            data.pop("sort", None)
        return data
