"""Reads of the planning module, scoped to the user (ARCHITECTURE rule 1).

An upper level sees its lower levels' plans; an office outside the user's subtree gets the
same 404 as a missing plan. The public summary (``public_*``) shows approved and filed
plans to anyone, without the officers' names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inspectorate.core.errors import NotFound
from inspectorate.org.models import Agency, AgencyKind
from inspectorate.planning import draw as drawing
from inspectorate.planning.models import (
    NON_ENFORCEMENT,
    OTHER_ENFORCEMENT,
    Draw,
    Plan,
    PlanAdjustment,
    PlannedUnit,
    PlannedVisit,
    PlanOfficer,
    PlanState,
    UnitOrigin,
    UnitState,
)
from inspectorate.planning.rules import reason_text
from inspectorate.planning.services import office_of, plan_queryset_for_user
from inspectorate.planning.workflows import PLAN
from inspectorate.registry.models import Sector
from inspectorate.registry.selectors import enterprise_queryset_for_user

PUBLIC_STATES = (PlanState.APPROVED, PlanState.FILED)


def plan_list_for_user(*, user: Any, year: int | None = None) -> QuerySet[Plan]:
    qs = plan_queryset_for_user(user).select_related("agency", "agency__jurisdiction")
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        planned_units=Count("units", filter=Q(units__state=UnitState.PLANNED), distinct=True),
    ).order_by("-year", "agency__jurisdiction_id")


def plan_get_for_user(*, user: Any, pk: int) -> Plan:
    plan = (
        plan_queryset_for_user(user)
        .select_related("agency", "agency__jurisdiction")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


def draw_for_plan(plan: Plan) -> Draw | None:
    """The plan's draw (committed or run), if any. ``plan`` was read through a selector."""
    return Draw.objects.filter(plan=plan).select_related("committed_by").first()


def adjustments_for_plan(plan: Plan) -> QuerySet[PlanAdjustment]:
    return plan.adjustments.select_related("made_by").order_by("-made_at", "-pk")


def sector_names() -> dict[str, str]:
    return {s.code: str(s) for s in Sector.objects.all()}


def enterprise_names_for_user(user: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        enterprise_queryset_for_user(user=user).filter(pk__in=sorted(ids)).values_list("pk", "name")
    )


def enterprise_id_by_code_for_user(user: Any, code: str) -> int | None:
    """The id of the enterprise with this credit code in the user's scope."""
    pk: int | None = (
        enterprise_queryset_for_user(user=user)
        .filter(credit_code=code.strip().upper())
        .values_list("pk", flat=True)
        .first()
    )
    return pk


def plan_is_own(user: Any, plan: Plan) -> bool:
    office = office_of(user)
    return office is not None and office.pk == plan.agency_id


@dataclass(frozen=True)
class CapacityStep:
    label: str
    formula: str
    value: int


def capacity_steps(plan: Plan) -> list[CapacityStep]:
    c = plan.capacity
    if not c:
        return []
    return [
        CapacityStep(_("Calendar days"), "", c["calendar_days"]),
        CapacityStep(_("Weekend days"), "−", c["weekend_days"]),
        CapacityStep(_("Public holidays on weekdays"), "−", c["holidays_on_weekdays"]),
        CapacityStep(_("Make-up working days on weekends"), "+", c["makeup_workdays"]),
        CapacityStep(_("Statutory working days (国家法定工作日)"), "=", c["working_days"]),
        CapacityStep(_("Officers on the roster"), "×", c["officers"]),
        CapacityStep(_("Total statutory working days (总法定工作日)"), "=", c["total_days"]),
        CapacityStep(
            _("Other enforcement days (其他执法工作日)"), "−", c["other_enforcement_days"]
        ),
        CapacityStep(_("Non-enforcement days (非执法工作日)"), "−", c["non_enforcement_days"]),
        CapacityStep(_("Inspection working days (监督检查工作日)"), "=", c["inspection_days"]),
        CapacityStep(
            _("Reserve for unplanned work (%(share)s)") % {"share": _percent(c["reserve_share"])},
            "−",
            c["reserve_days"],
        ),
        CapacityStep(_("Days to plan"), "=", c["plannable_days"]),
        CapacityStep(
            _("Of which for random draws (%(share)s)") % {"share": _percent(c["random_share"])},
            "",
            c["random_days"],
        ),
        CapacityStep(_("Of which for key units"), "", c["key_days"]),
    ]


def _percent(share: str) -> str:
    return f"{float(share) * 100:.0f}%"


@dataclass(frozen=True)
class DeductionRow:
    category: str
    label: str
    days: int


def deduction_rows(plan: Plan) -> tuple[list[DeductionRow], list[DeductionRow]]:
    days = {d.category: d.days for d in plan.deductions.all()}
    other = [DeductionRow(str(c), str(c.label), days.get(str(c), 0)) for c in OTHER_ENFORCEMENT]
    non = [DeductionRow(str(c), str(c.label), days.get(str(c), 0)) for c in NON_ENFORCEMENT]
    return other, non


@dataclass
class UnitRow:
    pk: int
    enterprise_id: int
    name: str
    credit_code: str
    county: str
    sector: str
    risk_class: str
    origin: str
    origin_label: str
    state: str
    risk: int
    visits: int
    cost: int
    reasons: list[str]
    uncovered_reason: str
    joint: bool
    assigned: list[str] = field(default_factory=list)


def unit_rows(plan: Plan, *, origin: str | None = None, state: str | None = None) -> list[UnitRow]:
    qs = plan.units.select_related("enterprise", "enterprise__sector", "enterprise__jurisdiction")
    if origin:
        qs = qs.filter(origin=origin)
    if state:
        qs = qs.filter(state=state)
    visits: dict[int, list[str]] = defaultdict(list)
    teams = _team_facts(plan)
    for v in PlannedVisit.objects.filter(plan=plan, cancelled=False).select_related(
        "team", "unit__enterprise__sector"
    ):
        if v.team is not None and v.month:
            members, base = teams.get(v.team_id or 0, ("", ""))
            visits[v.unit_id].append(
                _(
                    "%(month)s: team %(team)s (%(members)s) — certified for %(sector)s, "
                    "based in %(base)s, no member recused"
                )
                % {
                    "month": _month(v.month),
                    "team": v.team.number,
                    "members": members,
                    "sector": v.unit.enterprise.sector,
                    "base": base,
                }
            )
        elif v.unassigned_reason:
            visits[v.unit_id].append(str(UNASSIGNED_LABELS.get(v.unassigned_reason, "")))
    rows = []
    for u in qs:
        e = u.enterprise
        rows.append(
            UnitRow(
                pk=u.pk,
                enterprise_id=e.pk,
                name=e.name,
                credit_code=e.credit_code,
                county=e.jurisdiction.name,
                sector=str(e.sector),
                risk_class=e.get_risk_class_display(),
                origin=u.origin,
                origin_label=u.get_origin_display(),
                state=u.state,
                risk=u.risk,
                visits=u.visits,
                cost=u.cost,
                reasons=[reason_text(r) for r in u.reasons],
                uncovered_reason=u.get_uncovered_reason_display() if u.uncovered_reason else "",
                joint=u.joint,
                assigned=visits.get(u.pk, []),
            )
        )
    return rows


def _team_facts(plan: Plan) -> dict[int, tuple[str, str]]:
    """Each team's members and where it is based (its first member's office's place)."""
    members: dict[int, list[PlanOfficer]] = defaultdict(list)
    for po in plan.roster.filter(team__isnull=False).select_related(
        "officer__agency__jurisdiction"
    ):
        if po.team_id is not None:
            members[po.team_id].append(po)
    facts = {}
    for team_id, pos in members.items():
        agency = pos[0].officer.agency
        facts[team_id] = (
            pgettext("list separator", ", ").join(str(po.officer) for po in pos),
            agency.jurisdiction.name if agency is not None else "",
        )
    return facts


def _month(m: int) -> str:
    return _("Month %(m)s") % {"m": m}


UNASSIGNED_LABELS = {
    "no_competent_team": _("not assigned: no team is certified for the sector"),
    "recusal": _("not assigned: every competent team must recuse itself"),
    "equipment": _("not assigned: the office lacks the equipment"),
    "capacity": _("not assigned: the teams have no time left in its months"),
}


@dataclass
class TeamRow:
    number: int
    members: list[str]
    sectors: list[str]
    by_month: list[int]  # inspections per month
    effort_by_month: list[int]  # half days per month
    capacity_by_month: list[int]
    total: int


def team_rows(plan: Plan) -> list[TeamRow]:
    from inspectorate.planning.services import build_problem

    problem, _by_key, teams = build_problem(plan)
    capacity = {t.key: t for t in problem.teams}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    effort: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for team_id, month, e in PlannedVisit.objects.filter(
        plan=plan, cancelled=False, team__isnull=False, month__isnull=False
    ).values_list("team_id", "month", "effort"):
        if team_id is not None and month is not None:
            counts[team_id][month - 1] += 1
            effort[team_id][month - 1] += e
    members: dict[int, list[str]] = defaultdict(list)
    for po in plan.roster.filter(team__isnull=False).select_related("officer"):
        if po.team_id is not None:
            members[po.team_id].append(str(po.officer))
    rows = []
    for key, team in teams.items():
        t = capacity[key]
        rows.append(
            TeamRow(
                number=team.number,
                members=members.get(team.pk, []),
                sectors=sorted(t.sectors),
                by_month=counts[team.pk],
                effort_by_month=effort[team.pk],
                capacity_by_month=list(t.capacity),
                total=sum(counts[team.pk]),
            )
        )
    return sorted(rows, key=lambda r: r.number)


@dataclass
class OfficerVisit:
    month: int
    enterprise: str
    county: str
    sector: str
    partner: str
    origin: str


def officer_calendar(plan: Plan, officer_id: int) -> list[OfficerVisit]:
    """The inspections one officer is assigned to, month by month."""
    po = PlanOfficer.objects.filter(plan=plan, officer_id=officer_id).first()
    if po is None or po.team_id is None:
        return []
    partners = ", ".join(
        str(m.officer)
        for m in PlanOfficer.objects.filter(team_id=po.team_id)
        .exclude(officer_id=officer_id)
        .select_related("officer")
    )
    rows = []
    for v in (
        PlannedVisit.objects.filter(plan=plan, team_id=po.team_id, cancelled=False)
        .select_related("unit__enterprise__jurisdiction", "unit__enterprise__sector")
        .order_by("month", "unit__enterprise__name")
    ):
        e = v.unit.enterprise
        rows.append(
            OfficerVisit(
                month=v.month or 0,
                enterprise=e.name,
                county=e.jurisdiction.name,
                sector=str(e.sector),
                partner=partners,
                origin=v.unit.get_origin_display(),
            )
        )
    return rows


def roster_rows(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for po in plan.roster.select_related("officer", "officer__agency", "team").order_by(
        "team__number", "officer_id"
    ):
        rows.append(
            {
                "officer_id": po.officer_id,
                "name": str(po.officer),
                "agency": po.officer.agency.name if po.officer.agency else "",
                "certificate": po.certificate_number,
                "team": po.team.number if po.team else None,
                "leave_months": po.leave_months,
            }
        )
    return rows


def available_actions(user: Any, plan: Plan) -> list[tuple[str, str]]:
    if not plan_is_own(user, plan):
        return []
    return [
        (t.action, str(t.label))
        for t in PLAN.actions_for(plan, user)
        if not (t.action == "submit" and plan.assigned_at is None)  # not built yet
    ]


def draw_public(draw: Draw) -> dict[str, Any]:
    """What anyone needs to re-run the draw with ``scripts/verify_draw.py``."""
    return {
        "algorithm": draw.algorithm,
        "seed_hash": draw.seed_hash,
        "seed": draw.seed if draw.drawn_at else "",
        "inputs_hash": draw.inputs_hash,
        "budget": draw.budget,
        "enterprise_candidates": draw.enterprise_candidates,
        "officer_candidates": draw.officer_candidates,
        "committed_at": draw.committed_at.isoformat(),
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "result": draw.result if draw.drawn_at else {},
    }


def draw_verified(draw: Draw) -> bool:
    """Re-run the draw from its published inputs and compare with the stored result."""
    if not draw.drawn_at:
        return False
    if drawing.seed_hash(draw.seed) != draw.seed_hash:
        return False
    if (
        drawing.inputs_hash(draw.enterprise_candidates, draw.officer_candidates, draw.budget)
        != draw.inputs_hash
    ):
        return False
    enterprises = drawing.draw_enterprises(draw.seed, draw.enterprise_candidates, draw.budget)
    teams = drawing.draw_teams(draw.seed, draw.officer_candidates)
    return bool(draw.result.get("enterprises") == enterprises and draw.result.get("teams") == teams)


# --- public ---------------------------------------------------------------------------------


def public_plans(*, year: int | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.filter(state__in=PUBLIC_STATES).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__jurisdiction_id")


def public_plan_get(pk: int) -> Plan:
    plan = public_plans().filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


@dataclass
class PublicSummary:
    plan: Plan
    key_units: int
    random_units: int
    adjustment_units: int
    visits: int
    by_sector: list[tuple[str, int]]
    by_month: list[int]
    drawn: list[tuple[int, str, str]]  # rank, name, credit code
    draw: dict[str, Any]
    adjustments: int


def public_summary(plan: Plan) -> PublicSummary:
    units = plan.units.filter(state=UnitState.PLANNED)
    by_origin = Counter(units.values_list("origin", flat=True))
    by_sector = Counter(
        str(u.enterprise.sector) for u in units.select_related("enterprise__sector")
    )
    by_month = [0] * 12
    for m in PlannedVisit.objects.filter(
        plan=plan, cancelled=False, month__isnull=False
    ).values_list("month", flat=True):
        if m is not None:
            by_month[m - 1] += 1
    draw = draw_for_plan(plan)
    drawn: list[tuple[int, str, str]] = []
    if draw is not None and draw.drawn_at:
        names = dict(
            PlannedUnit.objects.filter(plan=plan, origin=UnitOrigin.RANDOM).values_list(
                "enterprise__credit_code", "enterprise__name"
            )
        )
        drawn = [
            (i, names.get(code, ""), code)
            for i, code in enumerate(draw.result.get("enterprises", []), start=1)
        ]
    return PublicSummary(
        plan=plan,
        key_units=by_origin.get(UnitOrigin.KEY, 0),
        random_units=by_origin.get(UnitOrigin.RANDOM, 0),
        adjustment_units=by_origin.get(UnitOrigin.ADJUSTMENT, 0),
        visits=PlannedVisit.objects.filter(plan=plan, cancelled=False).count(),
        by_sector=sorted(by_sector.items(), key=lambda kv: -kv[1]),
        by_month=by_month,
        drawn=drawn,
        draw=draw_public(draw) if draw is not None else {},
        adjustments=plan.adjustments.count(),
    )


def offices_for_user(user: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(user.scope.q("jurisdiction_id"), kind=AgencyKind.BUREAU)
