"""The case page's section on reconsiderations and lawsuits against the decision: the
forms and what the section shows (the views are in ``cases.views``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.cases.challenges import RESULT_RULES
from inspectorate.cases.forms import DATE, VersionForm
from inspectorate.cases.models import Case, ChallengeKind, ChallengeResult
from inspectorate.cases.services import CHALLENGE_ROLES, DECIDED_STATES


class ChallengeForm(VersionForm):
    kind = forms.ChoiceField(label=_("Proceedings"), choices=ChallengeKind.choices)
    body = forms.CharField(label=_("Reconsideration body or court"), max_length=128)
    reference = forms.CharField(label=_("Reference of the application or suit"), max_length=128)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs=DATE))


class ChallengeResultForm(VersionForm):
    result = forms.ChoiceField(label=_("Result"), choices=ChallengeResult.choices)
    result_on = forms.DateField(label=_("Result on"), widget=forms.DateInput(attrs=DATE))
    result_reference = forms.CharField(
        label=_("Reference of the decision or judgment"), max_length=128
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def challenge_context(
    user: Any, case: Case, bound: dict[str, Any], today: dt.date
) -> dict[str, Any]:
    """``challenges`` (rows with the result's meaning), ``challenge_form`` (record one) and
    ``challenge_result_form`` (the result of the running one), for the case's own office."""
    rows = list(case.challenges.select_related("recorded_by", "decided_by"))
    may = (
        user.agency_id is not None
        and user.agency_id == case.agency_id
        and user.has_role(*CHALLENGE_ROLES)
    )
    running = next((c for c in rows if not c.result), None)
    challenge_form = None
    result_form = None
    if may and running is None and case.state in DECIDED_STATES and case.decided_on:
        challenge_form = bound.get("challenge_form") or ChallengeForm(
            initial={"version": case.version, "filed_on": today}
        )
    if may and running is not None:
        result_form = bound.get("challenge_result_form") or ChallengeResultForm(
            initial={"version": running.version, "result_on": today}
        )
    return {
        "challenges": [
            {
                "c": c,
                "overturned": bool(c.result and RESULT_RULES[c.result].overturned),
                "basis": RESULT_RULES[c.result].basis(c.kind) if c.result else "",
            }
            for c in rows
        ],
        "challenge_running": running,
        "challenge_form": challenge_form,
        "challenge_result_form": result_form,
    }
