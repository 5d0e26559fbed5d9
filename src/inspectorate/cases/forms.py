"""Page forms of penalty cases. They only parse and show input; the services check the rules.

Every form of a case carries the case's ``version`` (hidden): the workflow steps pass it to
the service, the other forms are checked against it under the case's row lock
(``pages.guarded``), so that a change made in between is a conflict (409), never silently
overwritten. ``SERVICE_FIELDS`` says at which form field an error the service reports
under its own field name is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.cases import actions
from inspectorate.cases.models import (
    ArrangementKind,
    CaseSource,
    CaseState,
    EvidenceKind,
    PartyKind,
    SuspensionKind,
)
from inspectorate.inspections.forms import ServiceFieldsMixin

DATE = {"type": "date"}

# --- the circumstances of the discretion engine (discretion.Facts) ---------------------

#: The boolean circumstances, in groups, with their labels.
FACT_GROUPS: list[tuple[Any, list[tuple[str, Any]]]] = [
    (
        _("No penalty (行政处罚法 Art. 33)"),
        [
            ("no_fault", _("The party proved it had no subjective fault")),
            ("minor", _("The violation is minor")),
            ("corrected_promptly", _("Corrected promptly")),
            ("no_harm", _("No harmful consequences")),
            ("first_offence", _("First violation")),
            ("minor_harm", _("Minor harmful consequences")),
        ],
    ),
    (
        _("Mitigating (行政处罚法 Arts. 30–32)"),
        [
            ("eliminated_harm", _("Eliminated or reduced the harm on its own initiative")),
            ("coerced", _("Acted under coercion or deception by others")),
            ("confessed", _("Confessed a violation the office did not yet know of")),
            ("meritorious", _("Meritorious service in the investigation")),
            ("minor_age", _("Aged 14 to 18 at the time of the act")),
            ("limited_capacity", _("Capacity to understand or control the act partly impaired")),
        ],
    ),
    (
        _("Aggravating"),
        [
            ("repeat", _("Another violation within one year")),
            ("serious_harm", _("Caused harm, or serious circumstances")),
            ("obstruction", _("Refused or obstructed enforcement")),
            ("emergency", _("Broke emergency measures during an emergency (Art. 49)")),
            (
                "especially_serious",
                _("Especially serious circumstances and especially bad impact (Art. 114 ¶2)"),
            ),
        ],
    ),
]
FACT_FLAGS = [name for _group, items in FACT_GROUPS for name, _label in items]
FACT_LABELS = {name: label for _group, items in FACT_GROUPS for name, label in items}

ACCIDENT_GRADES = [
    ("", "—"),
    ("general", _("General accident")),
    ("larger", _("Larger accident")),
    ("major", _("Major accident")),
    ("especially_major", _("Especially major accident")),
]
#: The number circumstances (yuan).
FACT_NUMBERS = ("previous_year_income", "illegal_gains")


class OfficerField(forms.TypedChoiceField):
    """A colleague chosen from a list; any number is passed on, for the service to say
    (at this field) why that officer may not act, or to refuse the user first."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


def _money(label: Any, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        widget=forms.NumberInput(attrs={"min": "0", "step": "1", "inputmode": "numeric"}),
    )


class FactsMixin(forms.Form):
    """The circumstances as checkboxes, the accident grade and the income and gains."""

    accident_grade = forms.ChoiceField(
        label=_("Accident grade"), choices=ACCIDENT_GRADES, required=False
    )
    previous_year_income = _money(_("Previous year's income (yuan)"))
    illegal_gains = _money(_("Illegal gains (yuan)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FACT_FLAGS:
            self.fields[name] = forms.BooleanField(label=FACT_LABELS[name], required=False)

    def fact_groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name, _l in items]) for title, items in FACT_GROUPS]

    def facts(self) -> dict[str, Any]:
        """The circumstances for ``services.facts_parse``: only what was given."""
        data = self.cleaned_data
        facts: dict[str, Any] = {name: True for name in FACT_FLAGS if data.get(name)}
        if data.get("accident_grade"):
            facts["accident_grade"] = data["accident_grade"]
        for name in FACT_NUMBERS:
            if data.get(name) is not None:
                facts[name] = data[name]
        return facts


# --- lists -------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("open", _("Open (not closed)")), *CaseState.choices],
    )
    mine = forms.BooleanField(label=_("My cases only"), required=False)


# --- filing ------------------------------------------------------------------------------


class CaseOpenForm(ServiceFieldsMixin, forms.Form):
    """立案审批: propose a case for filing."""

    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code or number)"),
        max_length=18,
        widget=forms.TextInput(attrs={"class": "mono", "autocomplete": "off"}),
    )
    proposal = forms.TypedChoiceField(
        label=_("Penalty proposal of a rectification order"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    source = forms.ChoiceField(label=_("Source of the case"), choices=CaseSource.choices)
    source_reference = forms.CharField(
        label=_("Reference (complaint number, letter)"), max_length=255, required=False
    )
    summary = forms.CharField(label=_("Cause of action"), max_length=255)
    facts = forms.CharField(label=_("Facts found so far"), widget=forms.Textarea(attrs={"rows": 4}))
    act_date = forms.DateField(label=_("Date of the act"), widget=forms.DateInput(attrs=DATE))
    act_end_date = forms.DateField(
        label=_("A continuing act ended on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
    )
    discovered_on = forms.DateField(label=_("Discovered on"), widget=forms.DateInput(attrs=DATE))
    endangered_life = forms.BooleanField(
        label=_("Endangered life or health and caused harm (5-year limitation, Art. 36)"),
        required=False,
    )
    complex_case = forms.BooleanField(
        label=_("Complex or major case (collective discussion)"), required=False
    )
    party_kind = forms.ChoiceField(
        label=_("Party"), choices=PartyKind.choices, initial=PartyKind.UNIT
    )
    party_name = forms.CharField(
        label=_("Name of the person (a natural person only)"), max_length=128, required=False
    )
    party_id_number = forms.CharField(label=_("Identity number"), max_length=32, required=False)
    party_position = forms.CharField(label=_("Position"), max_length=64, required=False)
    second_investigator = OfficerField(label=_("Second investigator"))

    SERVICE_FIELDS = {
        "enterprise_id": "enterprise",
        "second_investigator_id": "second_investigator",
        "proposal_id": "proposal",
    }

    def __init__(
        self,
        *args: Any,
        colleagues: Iterable[tuple[int, str]],
        proposals: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_investigator"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]
        self.fields["proposal"].choices = [("", "—"), *proposals]  # type: ignore[attr-defined]


# --- the steps of the procedure -------------------------------------------------------------


class VersionForm(ServiceFieldsMixin, forms.Form):
    """The version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


_TEXTAREAS = {"reason", "report", "opinion", "participants", "record"}
_CHECKBOXES = {"complex_case", "party_present"}
_DATES = {"served_on"}


def _service_methods() -> list[tuple[str, Any]]:
    from inspectorate.cases.documents import SERVICE_METHODS

    return [(key, _(text)) for key, text in SERVICE_METHODS.items()]  # noqa: INT001


def _step_field(name: str) -> forms.Field:
    label = actions.FIELD_LABELS.get(name, name)
    if name == "method":
        return forms.ChoiceField(label=label, choices=[("", "—"), *_service_methods()])
    if name in _CHECKBOXES:
        return forms.BooleanField(label=label, required=False)
    if name in _DATES:
        return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE))
    if name in _TEXTAREAS:
        rows = 5 if name in ("report", "record") else 3
        return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}))
    return forms.CharField(label=label, max_length=255)


class StepForm(VersionForm):
    """One step of the procedure (``actions.STEP_FIELDS``). Only for display and for keeping
    the input: ``actions.perform`` parses the submitted strings itself."""

    def __init__(
        self, *args: Any, action: str, violations: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.violation_rows: list[tuple[Any, forms.BoundField, forms.BoundField]] = []
        for name in actions.STEP_FIELDS.get(action, ()):
            if name == "amounts":
                continue
            self.fields[name] = _step_field(name)
        if action == "decide":
            for v in violations:
                self.fields[f"amount_{v.pk}"] = forms.IntegerField(
                    label=_("Amount decided (yuan)"),
                    min_value=0,
                    initial=v.notified,
                    widget=forms.NumberInput(attrs={"min": "0", "step": "1"}),
                )
                self.fields[f"justification_{v.pk}"] = forms.CharField(
                    label=_("Justification (outside the recommended range)"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.violation_rows = [
                (v, self[f"amount_{v.pk}"], self[f"justification_{v.pk}"]) for v in violations
            ]

    def plain_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in self.fields
            if n != "version" and not n.startswith(("amount_", "justification_"))
        ]

    def service_field(self, name: str) -> str | None:
        if name in ("amounts", "action"):
            return None
        return name


# --- investigation -------------------------------------------------------------------------


class ViolationForm(FactsMixin, VersionForm):
    provision = forms.ChoiceField(label=_("Provision violated"))
    act = forms.IntegerField(
        label=_("Act number (violations of one act share it, Art. 29)"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"min": "1", "step": "1"}),
    )
    description = forms.CharField(
        label=_("Facts of this violation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed = _money(_("Proposed amount (yuan; empty: the recommendation)"))
    justification = forms.CharField(
        label=_("Justification (outside the recommended range)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    SERVICE_FIELDS = {"provision_code": "provision", "facts": None}

    def __init__(self, *args: Any, provisions: Sequence[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [("", "—"), *provisions]  # type: ignore[attr-defined]


class EvidenceForm(VersionForm):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    collected_on = forms.DateField(label=_("Collected on"), widget=forms.DateInput(attrs=DATE))
    second_officer = OfficerField(label=_("Second officer"))
    file = forms.FileField(label=_("File (photo, scan; at most 25 MB)"), required=False)

    def __init__(self, *args: Any, colleagues: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_officer"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]


INTERVIEW_HELP = _(
    "One question and its answer after the other, each on its own line beginning with "
    "“问：” and “答：” (or “Q:” and “A:”). An answer may run over several lines."
)


def parse_interview(text: str) -> list[dict[str, str]]:
    """“问：… / 答：…” lines into question-and-answer pairs. A pair missing its answer (or
    a text before the first question) is kept with the empty part, for the service to
    refuse with its message."""
    pairs: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    part = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        head = line[:2].upper()
        if head in ("问：", "问:", "Q:", "Q："):
            current = {"q": line[2:].strip(), "a": ""}
            pairs.append(current)
            part = "q"
        elif head in ("答：", "答:", "A:", "A："):
            if current is None or current["a"]:
                current = {"q": "", "a": ""}
                pairs.append(current)
            current["a"] = line[2:].strip()
            part = "a"
        elif current is not None:
            current[part] = f"{current[part]}\n{line}".strip()
        else:
            current = {"q": line, "a": ""}
            pairs.append(current)
            part = "q"
    return pairs


class InterviewForm(VersionForm):
    person = forms.CharField(label=_("Person interviewed"), max_length=64)
    position = forms.CharField(label=_("Position"), max_length=64, required=False)
    place = forms.CharField(label=_("Place"), max_length=128)
    started_at = forms.DateTimeField(
        label=_("Started at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ended_at = forms.DateTimeField(
        label=_("Ended at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    second_officer = OfficerField(label=_("Second officer"))
    record = forms.CharField(
        label=_("Questions and answers"),
        help_text=INTERVIEW_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "问：…\n答：…"}),
    )

    def __init__(self, *args: Any, colleagues: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_officer"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]


class HearingScheduleForm(VersionForm):
    chair = OfficerField(label=_("Chair of the hearing"))
    notice_on = forms.DateField(
        label=_("Hearing notice served on"), widget=forms.DateInput(attrs=DATE)
    )
    date = forms.DateField(label=_("Hearing date"), widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(label=_("Place"), max_length=128)
    public = forms.BooleanField(label=_("Public hearing"), required=False, initial=True)

    def __init__(self, *args: Any, chairs: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", "—"), *chairs]  # type: ignore[attr-defined]


class StatementForm(VersionForm):
    text = forms.CharField(
        label=_("Statement and defence"), widget=forms.Textarea(attrs={"rows": 4})
    )
    waives = forms.BooleanField(
        label=_("The party waives further statement and a hearing"), required=False
    )


class PaymentForm(VersionForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs=DATE))
    amount = forms.DecimalField(
        label=_("Amount received (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
    )
    receipt_number = forms.CharField(label=_("Bank receipt number"), max_length=64)
    channel = forms.CharField(label=_("Bank or channel"), max_length=32)


class ArrangementForm(VersionForm):
    kind = forms.ChoiceField(label=_("Arrangement"), choices=ArrangementKind.choices)
    schedule = forms.CharField(
        label=_("Schedule: one line per due date, “YYYY-MM-DD amount”"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-07-15 25000"}),
    )
    reason = forms.CharField(
        label=_("The party's reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


def parse_schedule(text: str) -> tuple[list[tuple[Any, str]], list[str]]:
    """“YYYY-MM-DD amount” lines (separators: spaces, tabs, a comma) into (date, amount)
    pairs; the lines that are not such a pair are returned as errors."""
    import datetime as dt

    rows: list[tuple[Any, str]] = []
    bad: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        parts = line.replace("，", " ").replace(",", " ").replace("元", " ").split()
        try:
            if len(parts) != 2:
                raise ValueError(line)
            rows.append((dt.date.fromisoformat(parts[0]), parts[1]))
        except ValueError:
            bad.append(line)
    return rows, bad


class SuspensionForm(VersionForm):
    kind = forms.ChoiceField(label=_("Proceedings"), choices=SuspensionKind.choices)
    reference = forms.CharField(label=_("Reference of the application or suit"), max_length=128)
    started_on = forms.DateField(label=_("Since"), widget=forms.DateInput(attrs=DATE))


class SuspensionEndForm(VersionForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs=DATE))


class ExtendForm(VersionForm):
    level = forms.ChoiceField(label=_("Approved at the level of"))
    days = forms.IntegerField(
        label=_("Days"), min_value=1, widget=forms.NumberInput(attrs={"min": "1", "step": "1"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, levels: Iterable[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = list(levels)  # type: ignore[attr-defined]


# --- the discretion calculator and the simple procedure ------------------------------------


class CalculatorForm(FactsMixin, forms.Form):
    provision = forms.ChoiceField(label=_("Provision violated"))
    party = forms.ChoiceField(label=_("Party"), required=False)
    on = forms.DateField(
        label=_("Date of the act (law in force)"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
    )
    daily_original = _money(_("Art. 112: original fine (yuan)"))
    daily_order_date = forms.DateField(
        label=_("Art. 112: date of the correction order"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
    )

    SERVICE_FIELDS = {"provision_code": "provision", "facts": None}

    def __init__(
        self,
        *args: Any,
        provisions: Sequence[tuple[Any, Any]],
        parties: Sequence[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [("", "—"), *provisions]  # type: ignore[attr-defined]
        self.fields["party"].choices = [("", _("Any party")), *parties]  # type: ignore[attr-defined]
        # choosing a party shows its provisions only (the page is asked for again)
        self.fields["party"].widget.attrs["onchange"] = (
            "this.form.provision.value=''; this.form.submit()"
        )

    def daily(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        if data.get("daily_original") is not None:
            out["daily_original"] = data["daily_original"]
        if data.get("daily_order_date") is not None:
            out["daily_order_date"] = data["daily_order_date"].isoformat()
        return out


class SimpleForm(FactsMixin, ServiceFieldsMixin, forms.Form):
    """当场处罚 (行政处罚法 Arts. 51–52)."""

    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code or number)"),
        max_length=18,
        widget=forms.TextInput(attrs={"class": "mono", "autocomplete": "off"}),
    )
    party_kind = forms.ChoiceField(
        label=_("Party"), choices=PartyKind.choices, initial=PartyKind.UNIT
    )
    party_name = forms.CharField(
        label=_("Name of the person (a natural person only)"), max_length=128, required=False
    )
    party_id_number = forms.CharField(label=_("Identity number"), max_length=32, required=False)
    provision = forms.ChoiceField(label=_("Provision violated"))
    description = forms.CharField(
        label=_("Facts of this violation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    act_date = forms.DateField(label=_("Date of the act"), widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(label=_("Place of the decision"), max_length=255)
    amount = _money(_("Fine (yuan; 0 for a warning)"), required=True)
    second_officer = OfficerField(label=_("Second officer"))

    SERVICE_FIELDS = {
        "enterprise_id": "enterprise",
        "provision_code": "provision",
        "second_officer_id": "second_officer",
        "facts": None,
    }

    def __init__(
        self,
        *args: Any,
        provisions: Sequence[tuple[Any, Any]],
        colleagues: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [("", "—"), *provisions]  # type: ignore[attr-defined]
        self.fields["second_officer"].choices = [("", "—"), *colleagues]  # type: ignore[attr-defined]


class AcknowledgeForm(forms.Form):
    text = forms.CharField(
        label=_("Assessment of the outlier"), widget=forms.Textarea(attrs={"rows": 2})
    )


# --- the enterprise portal ------------------------------------------------------------------


class PortalStatementForm(VersionForm):
    text = forms.CharField(
        label=_("Your statement and defence"), widget=forms.Textarea(attrs={"rows": 5})
    )
    waives = forms.BooleanField(
        label=_("We waive any further statement and a hearing"), required=False
    )
