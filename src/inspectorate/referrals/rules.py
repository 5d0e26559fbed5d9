"""The rules of a transfer, as data and small pure functions.

Time limits (国务院令310, revised 2020-08-07, in force the same day), each a
``DeadlineRule`` with its article. The regulation counts days (日) and hours (小时): the
3-day limits are calendar days (the day a period starts is not counted, and a period
whose last day is a statutory rest day ends on the next working day, as
``core.calendar.add_calendar_days`` counts every calendar-day period); the 24 hours of the
transfer are exact hours from the head's approval, stored as a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.deadlines import DeadlineRule
from inspectorate.core.models import DayCount

REGULATION = "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号，2020年修订）"

#: The special team is formed "立即" and reports; the system gives it 3 calendar days from
#: the flag (a setting of the system, not a number of the regulation: Art. 5 says "at once").
REPORT = DeadlineRule(
    "referral_report",
    3,
    DayCount.CALENDAR,
    REGULATION + "第五条第一款（立即指定专案组，核实情况后提出书面报告；本系统以3日为限）",
)
#: Art. 5 ¶2: the head decides within 3 days of receiving the report.
APPROVAL = DeadlineRule("referral_approval", 3, DayCount.CALENDAR, REGULATION + "第五条第二款")
#: Art. 5 ¶2: an approved transfer goes to the police within 24 hours (exact hours).
TRANSFER_HOURS = 24
TRANSFER_BASIS = REGULATION + "第五条第二款（批准后24小时内移送）"
#: Art. 8: the police examine the case within 3 days of accepting it.
POLICE_DECISION = DeadlineRule(
    "referral_police_decision", 3, DayCount.CALENDAR, REGULATION + "第八条"
)
#: Art. 9 ¶1: the agency may ask for reconsideration within 3 days of the refusal notice.
RECONSIDERATION_REQUEST = DeadlineRule(
    "referral_reconsideration_request", 3, DayCount.CALENDAR, REGULATION + "第九条第一款"
)
#: Art. 9 ¶2: the police decide on the reconsideration within 3 days of the request.
RECONSIDERATION_DECISION = DeadlineRule(
    "referral_reconsideration_decision", 3, DayCount.CALENDAR, REGULATION + "第九条第二款"
)
#: Art. 9 ¶2: the agency asks the procuratorate within 3 days of the reconsideration decision.
SUPERVISION_REQUEST = DeadlineRule(
    "referral_supervision_request", 3, DayCount.CALENDAR, REGULATION + "第九条第二款"
)
#: Art. 12: items and materials handed over within 3 days of the filing notice.
HANDOVER = DeadlineRule("referral_handover", 3, DayCount.CALENDAR, REGULATION + "第十二条")

DEADLINE_LABELS = {
    REPORT.kind: gettext_lazy("Special team's written report"),
    APPROVAL.kind: gettext_lazy("Head's decision on the transfer"),
    POLICE_DECISION.kind: gettext_lazy("Police decision to file or not"),
    RECONSIDERATION_REQUEST.kind: gettext_lazy("Request for reconsideration"),
    RECONSIDERATION_DECISION.kind: gettext_lazy("Police decision on the reconsideration"),
    SUPERVISION_REQUEST.kind: gettext_lazy("Proposal of supervision to the procuratorate"),
    HANDOVER.kind: gettext_lazy("Handover of items and materials"),
}

#: The special team has at least two officers (Art. 5 ¶1).
TEAM_MIN = 2

#: The labels of the facts a trigger asks for.
FACT_LABELS = {
    "deaths": gettext_lazy("Deaths"),
    "serious_injuries": gettext_lazy("Serious injuries"),
    "direct_loss": gettext_lazy("Direct economic loss (yuan)"),
    "added_deaths": gettext_lazy("Additional deaths caused by the concealment"),
    "added_serious_injuries": gettext_lazy("Additional serious injuries caused"),
    "added_direct_loss": gettext_lazy("Additional direct loss caused (yuan)"),
    "conduct": gettext_lazy("Conduct"),
    "accident": gettext_lazy("The accident (date, place, what happened)"),
    "order": gettext_lazy("The order refused (document number)"),
    "equipment": gettext_lazy("Equipment or data concerned"),
    "conduct_description": gettext_lazy("What was done to it"),
    "licence": gettext_lazy("Approval or licence lacking"),
}


def trigger_in_force(code: str, on: dt.date) -> Any:
    """The ``ReferralTrigger`` of ``code`` in force on ``on``, or None."""
    from inspectorate.referrals.models import ReferralTrigger

    return (
        ReferralTrigger.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-effective_from")
        .first()
    )


def triggers_in_force(on: dt.date) -> list[Any]:
    from inspectorate.referrals.models import ReferralTrigger

    return list(
        ReferralTrigger.objects.filter(effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("code", "-effective_from")
        .distinct()
    )


@dataclass(frozen=True)
class Evaluation:
    """Whether the facts meet the trigger, the facts as kept, and the field errors."""

    met: bool
    facts: dict[str, Any]
    errors: dict[str, list[str]]
    reasons: tuple[str, ...]


def thresholds_of(trigger: Any) -> list[tuple[str, int]]:
    """The trigger's thresholds in the order of ``FACT_LABELS`` (a JSON object has no order
    of its own: PostgreSQL's jsonb gives its keys back sorted by length)."""
    order = list(FACT_LABELS)
    items = dict(trigger.thresholds or {}).items()
    return sorted(items, key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip() or "0")
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def evaluate(trigger: Any, raw: Mapping[str, Any]) -> Evaluation:
    """Check ``raw`` facts against ``trigger``: numbers are whole and not negative, the
    conduct is one of the trigger's, the facts to state are stated; met when any threshold
    is reached, or a listed conduct is chosen, or (a trigger with neither) always."""
    errors: dict[str, list[str]] = {}
    facts: dict[str, Any] = {}
    reasons: list[str] = []
    thresholds = thresholds_of(trigger)
    conducts: dict[str, str] = dict(trigger.conducts or {})
    for name, least in thresholds:
        number = _whole(raw.get(name, 0))
        if number is None:
            errors[name] = [_("Enter a whole number, 0 or more.")]
            continue
        facts[name] = number
        if number >= least:
            reasons.append(f"{name}≥{least}")
    conduct = str(raw.get("conduct", "") or "").strip()
    if conducts:
        if conduct and conduct not in conducts:
            errors["conduct"] = [_("Choose one of the conducts listed.")]
        elif conduct:
            facts["conduct"] = conduct
            reasons.append(conducts[conduct])
        elif not thresholds:
            errors["conduct"] = [_("Choose what the conduct consisted of.")]
    for name in trigger.required_facts or []:
        text = str(raw.get(name, "") or "").strip()
        if not text:
            errors[name] = [_("State this fact.")]
        else:
            facts[name] = text[:500]
    met = bool(reasons) or (not thresholds and not conducts)
    if not errors and not met:
        if thresholds and conducts:
            message = _(
                "None of the thresholds is reached and no listed conduct is chosen: the facts "
                "do not meet %(citation)s."
            )
        else:
            message = _("None of the thresholds is reached: the facts do not meet %(citation)s.")
        errors["facts"] = [
            message % {"citation": trigger.citation or trigger.criminal_article},
            threshold_text(trigger),
        ]
    return Evaluation(met=met and not errors, facts=facts, errors=errors, reasons=tuple(reasons))


def threshold_text(trigger: Any) -> str:
    """``deaths ≥ 1, serious injuries ≥ 3 or direct loss ≥ 1,000,000`` for a message."""
    parts = [
        _("%(fact)s at least %(number)s") % {"fact": FACT_LABELS.get(k, k), "number": f"{v:,}"}
        for k, v in thresholds_of(trigger)
    ]
    return _("; or ").join(parts)


def accident_meets(deaths: int, serious_injuries: int, direct_loss: int, on: dt.date) -> Any:
    """The accident trigger (2015 解释 Art. 6) when an accident's consequences reach it on
    ``on``, else None: at least 1 death, or 3 serious injuries, or 1,000,000 yuan of direct
    loss (any one; "以上" includes the number)."""
    trigger = trigger_in_force("accident_consequence", on)
    if trigger is None:
        return None
    values = {"deaths": deaths, "serious_injuries": serious_injuries, "direct_loss": direct_loss}
    for name, least in thresholds_of(trigger):
        if values.get(name, 0) >= least:
            return trigger
    return None


def transfer_pending(case_id: Any) -> bool:
    """Whether the case has an open flag or a transfer not concluded (国务院令310 Art. 11:
    no administrative penalty instead of the transfer)."""
    from inspectorate.referrals.models import (
        PENDING_STATES,
        FlagState,
        Referral,
        ReferralFlag,
    )

    return (
        ReferralFlag.objects.filter(case_id=case_id, state=FlagState.OPEN).exists()
        or Referral.objects.filter(case_id=case_id, state__in=PENDING_STATES).exists()
    )


def fine_only_refused_message() -> str:
    return _(
        "This case is flagged as a suspected crime: while the transfer to the police is "
        "pending it may not be decided with a fine alone or closed (no administrative "
        "penalty instead of the transfer, 国务院令310 Art. 11). Dismiss the flag with written "
        "reasons, or wait for the police's final refusal (Art. 10) or the transfer; a warning, "
        "suspension or licence penalty may still be decided."
    )
