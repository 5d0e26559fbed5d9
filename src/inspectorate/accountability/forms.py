"""Page forms of the accountability module. They only parse input; the services check the
rules. Every action on an item sends the version the user saw (a change in between is a
conflict, 409, never overwritten)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.accountability.models import ItemKind, ItemState


class ItemFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ItemKind.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *ItemState.choices]
    )
    agency = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        offices: Iterable[tuple[int, str]],
        persons: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All")), *offices]  # type: ignore[attr-defined]
        self.fields["person"].choices = [("", _("All")), *persons]  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConcludeForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Outcome"))
    finding = forms.CharField(
        label=_("Written finding"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args: Any, outcomes: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "—"), *outcomes]  # type: ignore[attr-defined]
        self.fields["outcome"].required = False


class ScanForm(forms.Form):
    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DutyForm(forms.Form):
    act = forms.CharField(label=_("Act (code)"), max_length=32)
    act_name = forms.CharField(label=_("Act"), max_length=128, required=False)
    post = forms.ChoiceField(label=_("Post"))
    responsibility = forms.CharField(
        label=_("Responsibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False)
    deadline_kind = forms.CharField(
        label=_("Deadline kind answered for"), max_length=64, required=False
    )
    active = forms.BooleanField(label=_("In force"), required=False, initial=True)

    def __init__(self, *args: Any, posts: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = list(posts)  # type: ignore[attr-defined]
