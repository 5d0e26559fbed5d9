"""Page forms of the rectification module and the enterprise portal. They only parse input;
the services check the rules. Every action on an order sends the order's version, so that
a change made in between is a conflict (409), never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from inspectorate.rectification.models import OrderState, RefusalKind, SubmissionKind

MAX_FILES = 20


class VersionForm(forms.Form):
    """The version of the order the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    SERVICE_FIELDS: dict[str, str | None] = {}

    def service_field(self, name: str) -> str | None:
        return self.SERVICE_FIELDS.get(name, name)


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open (not closed or escalated)")),
            *OrderState.choices,
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ReinspectForm(VersionForm):
    second_officer = forms.TypedChoiceField(label=_("Second officer"), coerce=int, empty_value=None)
    place = forms.CharField(
        label=_("Place (empty: the unit's address)"), max_length=255, required=False
    )

    SERVICE_FIELDS = {"lead_officer": None}

    def __init__(self, *args: Any, colleagues: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_officer"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]


class ExtendForm(VersionForm):
    working_days = forms.IntegerField(
        label=_("More working days"),
        min_value=1,
        max_value=60,
        required=False,
        widget=forms.NumberInput(attrs={"min": "1", "max": "60", "step": "1"}),
    )
    due_date = forms.DateField(
        label=_("Or a new deadline date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


YES_NO = [("no", _("No — not rectified in time")), ("yes", _("Yes — refused to rectify"))]


class EscalateForm(VersionForm):
    refused = forms.ChoiceField(
        label=_("Did the unit refuse to rectify?"),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    refusal_kind = forms.ChoiceField(
        label=_("What the refusal consisted of"),
        required=False,
        choices=[("", "—"), *RefusalKind.choices],
    )
    statement = forms.CharField(
        label=_("Statement of facts"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def refused_value(self) -> bool:
        return self.cleaned_data.get("refused") == "yes"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        return [f for f in files if f]


class SubmissionForm(forms.Form):
    """What the enterprise reports on its order, with its evidence."""

    kind = forms.ChoiceField(label=_("Report"), choices=SubmissionKind.choices)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(label=_("Evidence (photos, documents)"), required=False)

    def __init__(self, *args: Any, kinds: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            allowed = set(kinds)
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                c for c in SubmissionKind.choices if c[0] in allowed
            ]

    def clean_evidence(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files at a time."), params={"n": MAX_FILES}
            )
        return files

    def service_field(self, name: str) -> str | None:
        return "evidence" if name == "files" else name
