"""Forms of the training pages (the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


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
