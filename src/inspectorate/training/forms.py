"""Forms of the training pages (the services validate again)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.training.models import CourseCategory, LecturerKind, NoteKind


class LibraryFilterForm(forms.Form):
    article = forms.ChoiceField(label=_("Article"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    q = forms.CharField(label=_("Title or cause"), required=False, max_length=100)

    def __init__(
        self, *args: Any, articles: list[tuple[str, str]], tags: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", _("All")), *articles]  # type: ignore[attr-defined]
        self.fields["tag"].choices = [("", _("All")), *((t, t) for t in tags)]  # type: ignore[attr-defined]


class LibraryCaseForm(forms.Form):
    case = forms.ChoiceField(label=_("Closed or archived case"))
    title = forms.CharField(label=_("Title"), max_length=255)
    teaching_notes = forms.CharField(label=_("Teaching notes"), widget=forms.Textarea)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas; the violation types of the case are added."),
    )
    province_wide = forms.BooleanField(label=_("Publish to the whole province"), required=False)

    def __init__(self, *args: Any, cases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—"), *cases]  # type: ignore[attr-defined]

    def tag_list(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- training (培训) ---------------------------------------------------------------------------


class CourseFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Title"), required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All")), *CourseCategory.choices]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    category = forms.ChoiceField(label=_("Category"), choices=CourseCategory.choices)
    default_hours = forms.DecimalField(
        label=_("Default hours"), max_digits=5, decimal_places=1, min_value=Decimal("0.1")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=128)
    hours = forms.DecimalField(
        label=_("Hours credited"),
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=_("Empty: the course's default hours."),
    )
    lecturer_kind = forms.ChoiceField(
        label=_("Lecturer"), choices=LecturerKind.choices, widget=forms.RadioSelect
    )
    lecturer = forms.TypedChoiceField(
        label=_("Internal lecturer"), required=False, coerce=int, empty_value=None
    )
    lecturer_name = forms.CharField(
        label=_("External lecturer's name"), required=False, max_length=64
    )
    lecturer_org = forms.CharField(
        label=_("Lecturer's organisation"),
        required=False,
        max_length=128,
        help_text=_("e.g. 乌鲁木齐市中级人民法院, a law firm, a university"),
    )
    lecturer_title = forms.CharField(
        label=_("Title or position"),
        required=False,
        max_length=64,
        help_text=_("e.g. 行政庭法官, 律师, 专家"),
    )
    invitees = forms.TypedMultipleChoiceField(
        label=_("Invited officers"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].choices = [("", "—"), *officers]  # type: ignore[attr-defined]
        self.fields["invitees"].choices = officers  # type: ignore[attr-defined]

    def service_field(self, name: str) -> str:
        return {"lecturer_id": "lecturer", "invitee_ids": "invitees"}.get(name, name)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("hold", "hold"), ("cancel", "cancel")], widget=forms.HiddenInput
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args: Any, may_note: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_note:
            self.fields["kind"].choices = [(NoteKind.COMMENT, NoteKind.COMMENT.label)]  # type: ignore[attr-defined]
            self.fields["kind"].initial = NoteKind.COMMENT
        else:
            self.fields["kind"].initial = NoteKind.NOTE


class YearOfficeForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    agency = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        *args: Any,
        years: list[int],
        agencies: list[tuple[int, str]],
        all_label: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        choices: list[tuple[Any, Any]] = [*agencies]
        if all_label is not None:
            choices.insert(0, ("", all_label))
        self.fields["agency"].choices = choices  # type: ignore[attr-defined]
