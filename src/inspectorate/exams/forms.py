"""Forms of the exams pages (the services validate again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspectorate.exams.models import Counting, Difficulty, Question, QuestionKind, QuestionState
from inspectorate.legal.models import Article, Law
from inspectorate.org.roles import Role

LETTERS = "ABCDEFGH"
RULE_LINES = 6


def law_choices() -> list[tuple[str, str]]:
    return [(law.code, law.short_title) for law in Law.objects.order_by("sort", "code")]


class QuestionFilterForm(forms.Form):
    law = forms.ChoiceField(label=_("Law"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *QuestionKind.choices]
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), required=False, choices=[("", _("All")), *Difficulty.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *QuestionState.choices]
    )
    q = forms.CharField(label=_("Text"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [("", _("All")), *law_choices()]  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    """The article picker is a law and the article numbers of its version in force."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    stem = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}))
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line (A, B, C …); not used for true/false and case analysis."),
    )
    correct = forms.CharField(
        label=_("Correct answer"),
        required=False,
        max_length=20,
        help_text=_(
            "Letters of the correct options, e.g. B or A,C; for true/false A = true, B = false."
        ),
    )
    explanation = forms.CharField(
        label=pgettext_lazy("exam question", "Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    model_answer = forms.CharField(
        label=_("Model answer"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rubric = forms.CharField(
        label=_("Marking rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Case analysis: one criterion a line, as “criterion | points”."),
    )
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Difficulty.choices)
    law = forms.ChoiceField(label=_("Law cited"))
    article_numbers = forms.CharField(
        label=_("Article numbers"),
        max_length=100,
        help_text=_("Numbers of the articles of the version in force, e.g. 112 or 38, 39."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=400)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = law_choices()  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(q: Question) -> dict[str, Any]:
        arts = list(q.articles.all())
        return {
            "kind": q.kind,
            "stem": q.stem,
            "options": "\n".join(q.options) if q.kind != QuestionKind.TRUE_FALSE else "",
            "correct": ",".join(LETTERS[i] for i in q.correct),
            "explanation": q.explanation,
            "model_answer": q.model_answer,
            "rubric": "\n".join(f"{c['criterion']} | {c['points']}" for c in q.rubric),
            "difficulty": q.difficulty,
            "law": arts[0].law_version.law.code if arts else q.law.code,
            "article_numbers": ", ".join(a.label if a.suffix else str(a.number) for a in arts),
            "tags": ", ".join(q.tags),
            "points": q.points,
            "version": q.version,
        }

    def service_field(self, name: str) -> str:
        return {"articles": "article_numbers"}.get(name, name)

    def clean_article_numbers(self) -> list[int]:
        raw = self.cleaned_data["article_numbers"].replace("，", ",").replace("、", ",")
        law = Law.objects.filter(code=self.data.get("law")).first()
        version = law.version_on(timezone.localdate()) if law else None
        if version is None:
            return []
        ids: list[int] = []
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            suffix = "之一" if part.endswith("之一") else ""
            number = part.removesuffix("之一").removeprefix("第").removesuffix("条")
            if not number.isdigit():
                raise forms.ValidationError(_t("Give article numbers, e.g. 112 or 38, 39."))
            art = Article.objects.filter(
                law_version=version, number=int(number), suffix=suffix
            ).first()
            if art is None:
                raise forms.ValidationError(
                    _t("%(law)s has no article %(n)s.") % {"law": law, "n": part}
                )
            ids.append(art.pk)
        if not ids:
            raise forms.ValidationError(_t("Cite at least one article of the law library."))
        return ids

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        kind = d["kind"]
        options = [o.strip() for o in (d.get("options") or "").splitlines() if o.strip()]
        letters = [
            c.strip().upper() for c in (d.get("correct") or "").replace("，", ",").split(",")
        ]
        correct = [LETTERS.index(c) if c in LETTERS else 99 for c in letters if c]
        rubric: list[dict[str, Any]] = []
        for line in (d.get("rubric") or "").splitlines():
            if not line.strip():
                continue
            text, _sep, pts = line.rpartition("|")
            if not _sep:
                text, pts = line, "0"
            rubric.append(
                {"criterion": text.strip(), "points": int(pts) if pts.strip().isdigit() else 0}
            )
        tags = [t.strip() for t in (d.get("tags") or "").replace("，", ",").split(",") if t.strip()]
        return {
            "kind": kind,
            "stem": d["stem"],
            "options": options,
            "correct": correct,
            "explanation": d.get("explanation") or "",
            "model_answer": d.get("model_answer") or "",
            "rubric": rubric,
            "difficulty": d["difficulty"],
            "article_ids": d["article_numbers"],
            "tags": tags,
            "points": d["points"],
        }


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExamForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    time_limit = forms.IntegerField(label=_("Time limit (minutes)"), min_value=1, max_value=600)
    opens_at = forms.DateTimeField(
        label=_("Window opens"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Window closes"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    pass_mark = forms.DecimalField(
        label=_("Pass mark (%)"), min_value=0, max_value=100, decimal_places=1
    )
    max_attempts = forms.IntegerField(label=_("Maximum attempts"), min_value=1, max_value=10)
    counting = forms.ChoiceField(label=_("Attempt that counts"), choices=Counting.choices)
    candidate_roles = forms.MultipleChoiceField(
        label=_("Candidates by role"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r != Role.ENTERPRISE],
    )
    candidate_ids = forms.MultipleChoiceField(
        label=_("Candidates by name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate_ids"].choices = officers  # type: ignore[attr-defined]
        laws = [("", _("Any law")), *law_choices()]
        for n in range(1, RULE_LINES + 1):
            self.fields[f"rule_{n}_law"] = forms.ChoiceField(
                label=_("Law"), required=False, choices=laws
            )
            self.fields[f"rule_{n}_tag"] = forms.CharField(
                label=_("Tag"), required=False, max_length=32
            )
            self.fields[f"rule_{n}_kind"] = forms.ChoiceField(
                label=_("Kind"), required=False, choices=[("", "—"), *QuestionKind.choices]
            )
            self.fields[f"rule_{n}_difficulty"] = forms.ChoiceField(
                label=_("Difficulty"), required=False, choices=[("", _("Any")), *Difficulty.choices]
            )
            self.fields[f"rule_{n}_count"] = forms.IntegerField(
                label=_("Number"), required=False, min_value=1, max_value=100
            )
            self.fields[f"rule_{n}_points"] = forms.IntegerField(
                label=_("Points each"), required=False, min_value=1, max_value=100
            )

    def rule_rows(self) -> list[list[Any]]:
        return [
            [self[f"rule_{n}_{k}"] for k in ("law", "tag", "kind", "difficulty", "count", "points")]
            for n in range(1, RULE_LINES + 1)
        ]

    @staticmethod
    def initial_for(exam: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": exam.title,
            "time_limit": exam.time_limit,
            "opens_at": timezone.localtime(exam.opens_at),
            "closes_at": timezone.localtime(exam.closes_at),
            "pass_mark": exam.pass_mark,
            "max_attempts": exam.max_attempts,
            "counting": exam.counting,
            "candidate_roles": exam.candidate_roles,
            "candidate_ids": [str(i) for i in exam.candidate_ids],
            "version": exam.version,
        }
        for r in exam.rules.select_related("law").order_by("position"):
            n = r.position
            data.update(
                {
                    f"rule_{n}_law": r.law.code if r.law else "",
                    f"rule_{n}_tag": r.tag,
                    f"rule_{n}_kind": r.kind,
                    f"rule_{n}_difficulty": r.difficulty,
                    f"rule_{n}_count": r.count,
                    f"rule_{n}_points": r.points,
                }
            )
        return data

    def service_field(self, name: str) -> str:
        return "__all__" if name == "rules" else name

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        rules = []
        for n in range(1, RULE_LINES + 1):
            line = {
                k: d.get(f"rule_{n}_{k}")
                for k in ("law", "tag", "kind", "difficulty", "count", "points")
            }
            if not any(v not in (None, "") for v in line.values()):
                continue
            line["law"] = line["law"] or ""
            line["tag"] = line["tag"] or ""
            line["difficulty"] = line["difficulty"] or ""
            rules.append(line)
        opens: dt.datetime = d["opens_at"]
        closes: dt.datetime = d["closes_at"]
        return {
            "title": d["title"],
            "time_limit": d["time_limit"],
            "opens_at": opens,
            "closes_at": closes,
            "pass_mark": d["pass_mark"],
            "max_attempts": d["max_attempts"],
            "counting": d["counting"],
            "rules": rules,
            "candidate_roles": d.get("candidate_roles") or [],
            "candidate_ids": [int(i) for i in d.get("candidate_ids") or []],
        }


class MarkForm(forms.Form):
    """Points per rubric criterion of one case analysis, and a comment."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for n, crit in enumerate(rubric, start=1):
            self.fields[f"mark_{n}"] = forms.DecimalField(
                label=f"{crit['criterion']}（0–{crit['points']}）",
                min_value=0,
                max_value=crit["points"],
                decimal_places=1,
            )
        self.order_fields([*(f"mark_{n}" for n in range(1, len(rubric) + 1)), "comment"])

    def service_field(self, name: str) -> str:
        return "__all__" if name in ("marks", "position") else name

    def marks(self) -> list[Any]:
        return [self.cleaned_data[f"mark_{n}"] for n in range(1, len(self.rubric) + 1)]
