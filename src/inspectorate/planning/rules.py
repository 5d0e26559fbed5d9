"""The planning rules: classification, risk score, key units and visit windows.

Everything here is stated so that a plan can say in words why a unit is in it.

Risk score (an integer; the solver maximises the risk it covers)::

    risk class        major 8, significant 5, general 2, low 1
    major hazard      highest source level 1/2/3/4: +8/+6/+4/+2, +1 per further source (≤ +3)
    high-risk sector  +3
    standardisation   not graded +3, level 3 +2, level 2 +1
    credit class      D +3, C +2
    last year         accident +10 each (≤ +20), open major hazard +8, complaint +2 each (≤ +6)

Key units (重点检查), each rule a reason the plan shows:

- ``major_hazard_source``: the unit has a major hazard source (重大危险源);
- ``high_risk_class``: a high-risk sector with risk class major or significant;
- ``accident_last_year``: an accident at the unit last year;
- ``open_major_hazard``: a major accident hazard at the unit last year not yet rectified;
- ``class_minimum``: the classification table requires at least one inspection a year.

A key unit gets max(minimum, 1) inspections, never more than the class maximum; its visits
are spread over the year in equal windows of months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from inspectorate.planning.models import ClassBasis, ClassificationRule, SignalKind

RISK_CLASS_POINTS = {"major": 8, "significant": 5, "general": 2, "low": 1}
HAZARD_LEVEL_POINTS = {1: 8, 2: 6, 3: 4, 4: 2}
STANDARDISATION_POINTS = {"none": 3, "level3": 2, "level2": 1, "level1": 0}
CREDIT_POINTS = {"D": 3, "C": 2}


@dataclass(frozen=True)
class UnitFacts:
    enterprise_id: int
    credit_code: str
    county: str
    sector: str
    high_risk: bool
    risk_class: str
    standardisation_level: str
    credit_class: str = ""
    hazard_levels: tuple[int, ...] = ()
    signals: dict[str, int] = field(default_factory=dict)  # last year's, by kind


@dataclass(frozen=True)
class ClassRule:
    basis: str
    class_value: str
    min_per_year: int
    max_per_year: int
    days_per_inspection: Decimal
    source: str
    rule_id: int | None = None

    @property
    def effort(self) -> int:
        """On-site half days of one inspection."""
        return max(int(self.days_per_inspection * 2), 1)


UNCLASSIFIED = ClassRule(
    basis="", class_value="", min_per_year=0, max_per_year=1,
    days_per_inspection=Decimal("1.0"), source="",
)  # fmt: skip


def class_value(facts: UnitFacts, basis: str) -> str:
    if basis == ClassBasis.STANDARDISATION:
        return facts.standardisation_level
    if basis == ClassBasis.RISK:
        return facts.risk_class
    if basis == ClassBasis.CREDIT:
        return facts.credit_class
    return ""


class ClassificationTable:
    """The rules in force in one province on one day: its own, else the defaults."""

    def rows(self) -> dict[str, dict[tuple[str, str], ClassRule]]:
        return self._by_sector

    def __init__(self, rules: Iterable[ClassificationRule], province: str) -> None:
        own: dict[str, list[ClassificationRule]] = defaultdict(list)
        default: dict[str, list[ClassificationRule]] = defaultdict(list)
        for rule in rules:
            (own if rule.province_id == province else default)[rule.sector_id].append(rule)
        self._by_sector: dict[str, dict[tuple[str, str], ClassRule]] = {}
        for sector in set(own) | set(default):
            # A province's rule replaces the default of the same class; when the province
            # classifies a sector by another basis, the defaults of that sector drop out.
            own_bases = {r.basis for r in own.get(sector, [])}
            chosen = [r for r in default.get(sector, []) if not own_bases or r.basis in own_bases]
            table: dict[tuple[str, str], ClassRule] = {}
            # defaults first, then the province's; within each, the newest in force wins
            for rule in sorted(chosen, key=lambda r: r.effective_from) + sorted(
                own.get(sector, []), key=lambda r: r.effective_from
            ):
                table[(rule.basis, rule.class_value)] = ClassRule(
                    basis=rule.basis,
                    class_value=rule.class_value,
                    min_per_year=rule.min_per_year,
                    max_per_year=rule.max_per_year,
                    days_per_inspection=rule.days_per_inspection,
                    source=rule.source,
                    rule_id=rule.pk,
                )
            self._by_sector[sector] = table

    @classmethod
    def load(cls, province: str, on: dt.date) -> ClassificationTable:
        rules = ClassificationRule.objects.filter(
            Q(province_id=province) | Q(province__isnull=True),
            Q(effective_until__isnull=True) | Q(effective_until__gte=on),
            effective_from__lte=on,
        )
        return cls(rules, province)

    def rule_for(self, facts: UnitFacts) -> ClassRule:
        table = self._by_sector.get(facts.sector, {})
        for basis, value in table:
            if class_value(facts, basis) == value:
                return table[(basis, value)]
        return UNCLASSIFIED


def risk_score(facts: UnitFacts) -> int:
    score = RISK_CLASS_POINTS.get(facts.risk_class, 1)
    if facts.hazard_levels:
        score += HAZARD_LEVEL_POINTS.get(min(facts.hazard_levels), 2)
        score += min(len(facts.hazard_levels) - 1, 3)
    if facts.high_risk:
        score += 3
    score += STANDARDISATION_POINTS.get(facts.standardisation_level, 0)
    score += CREDIT_POINTS.get(facts.credit_class, 0)
    score += min(10 * facts.signals.get(SignalKind.ACCIDENT, 0), 20)
    score += 8 if facts.signals.get(SignalKind.OPEN_MAJOR_HAZARD, 0) else 0
    score += min(2 * facts.signals.get(SignalKind.COMPLAINT, 0), 6)
    return score


class KeyRule:
    MAJOR_HAZARD_SOURCE = "major_hazard_source"
    HIGH_RISK_CLASS = "high_risk_class"
    ACCIDENT_LAST_YEAR = "accident_last_year"
    OPEN_MAJOR_HAZARD = "open_major_hazard"
    CLASS_MINIMUM = "class_minimum"
    ALL = (
        MAJOR_HAZARD_SOURCE,
        HIGH_RISK_CLASS,
        ACCIDENT_LAST_YEAR,
        OPEN_MAJOR_HAZARD,
        CLASS_MINIMUM,
    )


def key_reasons(facts: UnitFacts, rule: ClassRule) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    if facts.hazard_levels:
        reasons.append(
            {
                "code": KeyRule.MAJOR_HAZARD_SOURCE,
                "detail": {"count": len(facts.hazard_levels), "level": min(facts.hazard_levels)},
            }
        )
    if facts.high_risk and facts.risk_class in ("major", "significant"):
        reasons.append({"code": KeyRule.HIGH_RISK_CLASS, "detail": {"risk": facts.risk_class}})
    if facts.signals.get(SignalKind.ACCIDENT):
        reasons.append(
            {
                "code": KeyRule.ACCIDENT_LAST_YEAR,
                "detail": {"count": facts.signals[SignalKind.ACCIDENT]},
            }
        )
    if facts.signals.get(SignalKind.OPEN_MAJOR_HAZARD):
        reasons.append({"code": KeyRule.OPEN_MAJOR_HAZARD, "detail": {}})
    if rule.min_per_year >= 1:
        reasons.append(
            {
                "code": KeyRule.CLASS_MINIMUM,
                "detail": {"minimum": rule.min_per_year, "class": rule.class_value},
            }
        )
    return reasons


def key_visits(rule: ClassRule) -> int:
    return max(1, min(max(rule.min_per_year, 1), rule.max_per_year or 1))


def visit_windows(visits: int) -> list[tuple[int, int]]:
    """Equal windows of months for ``visits`` inspections in a year, e.g. 2 → Jan–Jun, Jul–Dec."""
    visits = max(1, min(visits, 12))
    return [(1 + (12 * i) // visits, (12 * (i + 1)) // visits) for i in range(visits)]


def reason_text(reason: dict[str, Any]) -> str:
    """One reason in words, in the active language."""
    code = reason.get("code")
    detail = reason.get("detail", {})
    if code == KeyRule.MAJOR_HAZARD_SOURCE:
        return _("Major hazard sources: %(count)s (highest level %(level)s)") % detail
    if code == KeyRule.HIGH_RISK_CLASS:
        return _("High-risk sector with risk class “%(risk)s”") % {
            "risk": _risk_label(str(detail.get("risk", "")))
        }
    if code == KeyRule.ACCIDENT_LAST_YEAR:
        return _("Accidents last year: %(count)s") % detail
    if code == KeyRule.OPEN_MAJOR_HAZARD:
        return _("A major accident hazard last year is not rectified")
    if code == KeyRule.CLASS_MINIMUM:
        return _("Its class requires at least %(minimum)s inspection(s) a year") % detail
    if code == "random":
        return _("Drawn at random (rank %(rank)s in the draw)") % detail
    if code == "adjustment":
        return _("Added by an adjustment: %(reason)s") % {
            "reason": _adjustment_label(str(detail.get("reason", "")))
        }
    return str(code)


def _adjustment_label(value: str) -> str:
    from inspectorate.planning.models import AdjustmentReason

    try:
        return str(AdjustmentReason(value).label)
    except ValueError:
        return value  # stored as a label by an earlier version


def _risk_label(value: str) -> str:
    from inspectorate.registry.models import RiskClass

    try:
        return str(RiskClass(value).label)
    except ValueError:
        return value
