"""Coverage of the plans of a year in the user's jurisdiction (2017 编制办法 Art. 4).

- 不错位: no enterprise is planned by two offices in the same year unless every office that
  plans it declared a joint inspection.
- 不漏项: every unit the rules make mandatory (a key unit) is planned, or reported — by its
  office's plan as not covered (with the reason), or because its office has no plan.
- The overview: planned inspections by sector, risk class, county and month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from inspectorate.org.models import Agency, AgencyKind
from inspectorate.planning.models import PlannedUnit, PlannedVisit, UnitState
from inspectorate.planning.rules import ClassificationTable, key_reasons
from inspectorate.planning.services import office_pool, plan_queryset_for_user, unit_facts
from inspectorate.registry.models import RiskClass


@dataclass(frozen=True)
class Conflict:
    enterprise_id: int
    name: str
    offices: list[str]


@dataclass(frozen=True)
class Uncovered:
    enterprise_id: int
    name: str
    office: str
    reason: str


@dataclass(frozen=True)
class OfficeWithoutPlan:
    office_id: int
    office: str
    mandatory_units: int
    units: int


@dataclass
class Coverage:
    year: int
    plans: int
    conflicts: list[Conflict] = field(default_factory=list)
    uncovered: list[Uncovered] = field(default_factory=list)
    offices_without_plan: list[OfficeWithoutPlan] = field(default_factory=list)
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    by_risk_class: list[tuple[str, int]] = field(default_factory=list)
    by_county: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    unassigned: int = 0

    @property
    def mandatory_missing(self) -> int:
        return len(self.uncovered) + sum(o.mandatory_units for o in self.offices_without_plan)


def conflicts_in(year: int, scope_q: Q) -> list[Conflict]:
    """Enterprises that more than one office plans in ``year`` as its own (not joint).

    An office that plans a unit another office already plans must declare a joint
    inspection (``plan_adjust`` refuses otherwise); two offices planning it alone is the
    overlap Art. 4 forbids.
    """
    rows = (
        PlannedUnit.objects.filter(scope_q, plan__year=year, state=UnitState.PLANNED)
        .values("enterprise_id")
        .annotate(
            offices=Count("plan__agency", distinct=True),
            joint=Count("pk", filter=Q(joint=True)),
            total=Count("pk"),
        )
        .filter(offices__gt=1)
    )
    found = []
    for row in rows:
        if row["total"] - row["joint"] <= 1:
            continue
        units = PlannedUnit.objects.filter(
            plan__year=year, state=UnitState.PLANNED, enterprise_id=row["enterprise_id"]
        ).select_related("plan__agency", "enterprise")
        found.append(
            Conflict(
                enterprise_id=row["enterprise_id"],
                name=units[0].enterprise.name,
                offices=sorted(u.plan.agency.name for u in units),
            )
        )
    return found


def coverage_for_user(*, user: Any, year: int) -> Coverage:
    scope = user.scope
    plans = plan_queryset_for_user(user).filter(year=year)
    coverage = Coverage(year=year, plans=plans.count())
    coverage.conflicts = conflicts_in(year, scope.q("enterprise__jurisdiction_id"))
    for u in (
        PlannedUnit.objects.filter(plan__in=plans, state=UnitState.UNCOVERED)
        .select_related("enterprise", "plan__agency")
        .order_by("plan__agency_id", "-risk")
    ):
        coverage.uncovered.append(
            Uncovered(u.enterprise_id, u.enterprise.name, u.plan.agency.name,
                      u.get_uncovered_reason_display())
        )  # fmt: skip
    planned_offices = set(plans.values_list("agency_id", flat=True))
    offices = Agency.objects.filter(scope.q("jurisdiction_id"), kind=AgencyKind.BUREAU).exclude(
        pk__in=planned_offices
    )
    province_tables: dict[str, ClassificationTable] = {}
    for office in offices.order_by("jurisdiction_id"):
        facts = unit_facts(office_pool(office.pk), year)
        if not facts:
            continue
        province = office.jurisdiction_id[:2] + "0000"
        if province not in province_tables:
            province_tables[province] = ClassificationTable.load(province, dt.date(year, 1, 1))
        table = province_tables[province]
        mandatory = sum(1 for f in facts if key_reasons(f, table.rule_for(f)))
        coverage.offices_without_plan.append(
            OfficeWithoutPlan(office.pk, office.name, mandatory, len(facts))
        )
    visits = PlannedVisit.objects.filter(
        plan__in=plans, cancelled=False, unit__state=UnitState.PLANNED
    )
    sector = Counter(
        dict(
            visits.values_list("unit__enterprise__sector__name")
            .annotate(n=Count("pk"))
            .values_list("unit__enterprise__sector__name", "n")
        )
    )
    coverage.by_sector = sorted(sector.items(), key=lambda kv: -kv[1])
    risk_labels = dict(RiskClass.choices)
    risk = (
        visits.values_list("unit__enterprise__risk_class")
        .annotate(n=Count("pk"))
        .values_list("unit__enterprise__risk_class", "n")
    )
    coverage.by_risk_class = [(str(risk_labels.get(k, k)), n) for k, n in risk]
    county = (
        visits.values_list("unit__enterprise__jurisdiction__name")
        .annotate(n=Count("pk"))
        .values_list("unit__enterprise__jurisdiction__name", "n")
    )
    coverage.by_county = sorted(county, key=lambda kv: -kv[1])
    for month, n in visits.values_list("month").annotate(n=Count("pk")).values_list("month", "n"):
        if month:
            coverage.by_month[month - 1] += n
        else:
            coverage.unassigned += n
    return coverage
