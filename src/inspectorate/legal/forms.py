"""Forms of the legal pages (the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.legal.models import LawKind
from inspectorate.legal.services import (
    DEFAULT_STUDY_DAYS,
    DEFAULT_STUDY_HOURS,
    MAX_NOTE_LENGTH,
    MAX_STUDY_DAYS,
    MIN_NOTE_LENGTH,
)
from inspectorate.org.roles import STAFF_ROLES, Role
from inspectorate.registry.models import Sector

MAX_UPLOAD = 2 * 1024 * 1024


class LawFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Title or article text"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *LawKind.choices]  # type: ignore[attr-defined]


class LawForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=48,
        help_text=_("Letters, digits and hyphens, e.g. xj-enforcement-rules."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    short_title = forms.CharField(label=_("Short title"), max_length=64)
    kind = forms.ChoiceField(label=_("Kind"))
    issuer = forms.CharField(label=_("Issuing body"), max_length=128)
    concerns_roles = forms.MultipleChoiceField(
        label=_("Roles concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the enforcement roles (officer, team lead, legal reviewer, head)."),
    )
    concerns_sectors = forms.MultipleChoiceField(
        label=_("Sectors concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: every sector."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["concerns_roles"].choices = [  # type: ignore[attr-defined]
            (r.value, r.label) for r in Role if r.value in STAFF_ROLES
        ]
        self.fields["concerns_sectors"].choices = [  # type: ignore[attr-defined]
            (s.code, s.name) for s in Sector.objects.order_by("sort", "code")
        ]


class VersionForm(forms.Form):
    label = forms.CharField(label=_("Version"), max_length=128, help_text=_("e.g. 2026年修订"))
    promulgated_on = forms.DateField(
        label=_("Promulgated on"), widget=forms.DateInput({"type": "date"})
    )
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput({"type": "date"})
    )
    changes = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    study_hours = forms.DecimalField(
        label=_("Hours credited for study"),
        max_digits=4,
        decimal_places=1,
        initial=DEFAULT_STUDY_HOURS,
    )
    study_days = forms.IntegerField(
        label=_("Study period (days)"),
        min_value=1,
        max_value=MAX_STUDY_DAYS,
        initial=DEFAULT_STUDY_DAYS,
    )
    text = forms.CharField(
        label=_("Full text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono"}),
        help_text=_(
            "In the format of the library's texts: a “# ” title, chapters as “## 第一章 …”, "
            "each article starting a paragraph with “第…条”."
        ),
    )
    file = forms.FileField(label=_("…or upload the text (.md or .txt, UTF-8)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            name = (upload.name or "").lower()
            if not name.endswith((".md", ".txt")):
                self.add_error("file", _("Upload a .md or .txt file."))
            elif upload.size > MAX_UPLOAD:
                self.add_error("file", _("The file is larger than 2 MB."))
            else:
                try:
                    data["text"] = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    self.add_error("file", _("The file is not UTF-8 text."))
        elif not (data.get("text") or "").strip():
            self.add_error("text", _("Paste the full text or upload it."))
        return data


class StudyNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Study note"),
        min_length=MIN_NOTE_LENGTH,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you learnt from the new text (学习心得), at least 20 characters."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
