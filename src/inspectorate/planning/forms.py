"""Page forms of the planning module. They only parse input; the services check the rules.

The services name their fields (``deductions.<category>``, ``random_share``, ``leave``,
``add``, ...); ``SERVICE_FIELDS`` of each form says at which form field such an error is
shown, so that every message appears next to what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext_lazy as _

from inspectorate.planning.models import AdjustmentReason

MONTH_CHOICES = [(str(m), MONTHS_AP[m]) for m in range(1, 13)]


def _months(values: Iterable[str]) -> list[int]:
    return sorted({int(v) for v in values})


class VersionForm(forms.Form):
    """The version the user saw: a stale one is a 409, never an overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"step": 1}))


class ActionForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Reason (required)")}),
    )


class CapacityForm(VersionForm):
    """Deducted days per category, the two shares, and each officer's months away."""

    random_share = forms.CharField(
        label=_("Share of plannable days for random draws (0–1)"),
        max_length=10,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
    )
    reserve_share = forms.CharField(
        label=_("Share kept in reserve for unplanned work (0–1)"),
        max_length=10,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "0.99"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[tuple[str, str]],
        officers: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        self.officer_ids = []
        for category, label in self.categories:
            self.fields[f"d_{category}"] = forms.IntegerField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"min": "0", "step": "1", "class": "days"}),
            )
        for officer_id, name in officers:
            self.officer_ids.append(officer_id)
            self.fields[f"leave_{officer_id}"] = forms.MultipleChoiceField(
                label=name,
                required=False,
                choices=MONTH_CHOICES,
                widget=forms.CheckboxSelectMultiple,
            )

    def deduction_field(self, category: str) -> forms.BoundField:
        return self[f"d_{category}"]

    def leave_field(self, officer_id: int) -> forms.BoundField:
        return self[f"leave_{officer_id}"]

    def service_field(self, name: str) -> str | None:
        """The form field for a field name the service reported."""
        if name.startswith("deductions."):
            return f"d_{name.split('.', 1)[1]}"
        if name in ("random_share", "reserve_share"):
            return name
        return None  # "deductions" (the total) and "leave": shown above their tables

    def deductions(self) -> dict[str, int]:
        return {c: self.cleaned_data.get(f"d_{c}") or 0 for c, _label in self.categories}

    def leave(self) -> dict[int, list[int]]:
        return {o: _months(self.cleaned_data.get(f"leave_{o}") or []) for o in self.officer_ids}


class DrawCommitForm(VersionForm):
    seed = forms.CharField(
        label=_("Seed (optional)"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "class": "mono seed",
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": _("64 hexadecimal characters; empty: a random seed"),
            }
        ),
    )


class AdjustForm(VersionForm):
    """One adjustment: its reason, and what it adds, removes or changes."""

    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *AdjustmentReason.choices]
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    add_code = forms.CharField(
        label=_("Add an enterprise (unified social credit code)"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"class": "mono", "autocomplete": "off"}),
    )
    joint = forms.BooleanField(label=_("Joint inspection with another office"), required=False)
    remove = forms.TypedChoiceField(
        label=_("Remove a planned unit"), required=False, coerce=int, empty_value=None
    )
    leave_officer = forms.TypedChoiceField(
        label=_("Officer away"), required=False, coerce=int, empty_value=None
    )
    leave_months = forms.MultipleChoiceField(
        label=_("Months away"),
        required=False,
        choices=MONTH_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    SERVICE_FIELDS = {
        "reason": "reason",
        "note": "note",
        "add": "add_code",
        "remove": "remove",
        "leave": "leave_officer",
    }

    def __init__(
        self,
        *args: Any,
        units: Iterable[tuple[int, str]],
        officers: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["leave_officer"].choices = [("", "—"), *officers]  # type: ignore[attr-defined]

    def service_field(self, name: str) -> str | None:
        return self.SERVICE_FIELDS.get(name)

    def leave(self) -> dict[int, list[int]] | None:
        officer = self.cleaned_data.get("leave_officer")
        if officer is None:
            return None
        return {officer: _months(self.cleaned_data.get("leave_months") or [])}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: Iterable[int], blank: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [(y, y) for y in years]
        if blank:
            choices.insert(0, ("", _("All")))
        self.fields["year"].choices = choices  # type: ignore[attr-defined]
