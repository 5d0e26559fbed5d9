"""Writes of the planning module: each one checks, changes and records in one transaction.

The steps of a plan (docs/planning.md): create (roster from the office) → capacity
(deductions, shares, leave) → compose (key units, uncovered units) → commit the draw (seed
hash and inputs hash recorded) → run the draw (random units and officer teams) → assign
(OR-Tools) → submit → approve → file. After approval, ``plan_adjust``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.calendar import CalendarUnknown
from inspectorate.core.errors import (
    ApplicationError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import Agency, AgencyKind, CertificateStatus, User
from inspectorate.org.roles import Role
from inspectorate.planning import assignment as asg
from inspectorate.planning import draw as drawing
from inspectorate.planning.capacity import Capacity, capacity_compute
from inspectorate.planning.models import (
    AdjustmentReason,
    AgencyEquipment,
    DeductionCategory,
    Draw,
    Plan,
    PlanAdjustment,
    PlanDeduction,
    PlannedUnit,
    PlannedVisit,
    PlanOfficer,
    PlanState,
    Recusal,
    RiskSignal,
    SectorEquipment,
    Team,
    UncoveredReason,
    UnitOrigin,
    UnitState,
)
from inspectorate.planning.rules import (
    ClassificationTable,
    ClassRule,
    UnitFacts,
    key_reasons,
    key_visits,
    risk_score,
    visit_windows,
)
from inspectorate.planning.workflows import PLAN
from inspectorate.registry.models import Enterprise, EnterpriseStatus, MajorHazardSource

PLANNERS = frozenset({Role.TEAM_LEAD, Role.HEAD})
DEFAULT_TIME_LIMIT = 10.0


# --- who may act -------------------------------------------------------------------------


def office_of(user: Any) -> Agency | None:
    """The office whose plan a user works on: their bureau (a brigade belongs to its bureau's
    plan, 2017 编制办法 Art. 2)."""
    agency: Agency | None = getattr(user, "agency", None)
    if agency is None:
        return None
    if agency.kind != AgencyKind.BUREAU and agency.parent is not None:
        return agency.parent
    return agency


def plan_queryset_for_user(user: Any) -> QuerySet[Plan]:
    """Plans the user may see: those of offices in their jurisdiction subtree."""
    if not getattr(user, "is_staff_member", False) and not getattr(user, "is_superuser", False):
        return Plan.objects.none()
    return Plan.objects.filter(user.scope.q("agency__jurisdiction_id"))


def _editable_plan(actor: Any, plan_id: int, roles: frozenset[str] = PLANNERS) -> Plan:
    """A plan of the actor's own office; upper levels see it but may not change it (403)."""
    plan = plan_queryset_for_user(actor).select_related("agency").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    office = office_of(actor)
    if office is None or office.pk != plan.agency_id:
        raise PermissionDenied(_("Only the office that owns this plan may change it."))
    if not actor.has_role(*roles):
        raise PermissionDenied(_("Your role may not perform this action."))
    return plan


def _locked(actor: Any, plan_id: int, expected_version: int | None) -> Plan:
    plan = _editable_plan(actor, plan_id)
    plan = Plan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    check_version(plan.version, expected_version)
    return plan


def _bump(plan: Plan, *fields: str) -> None:
    plan.version = F("version") + 1
    plan.save(update_fields=["version", "updated_at", *fields])
    plan.refresh_from_db(fields=["version"])


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("The data is not valid."), extra={"fields": {field: [message]}})


def _require_draft(plan: Plan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ApplicationError(
            _("Only a draft plan can be changed this way; an approved plan is adjusted."),
            code="plan_not_draft",
        )


def _record(plan: Plan, kind: RecordKind, actor: Any, payload: dict[str, Any]) -> None:
    record_append(
        kind=kind,
        actor=actor,
        jurisdiction_code=plan.agency.jurisdiction_id,
        subject=plan,
        payload={"plan": plan.pk, "year": plan.year, **payload},
    )


# --- create and capacity -----------------------------------------------------------------


def roster_officers(agency: Agency) -> QuerySet[User]:
    """Officers of the office and of its enforcement teams."""
    return (
        User.objects.filter(
            Q(agency=agency) | Q(agency__parent=agency, agency__kind__in=_TEAM_KINDS),
            is_active=True,
            roles__role__in=[Role.OFFICER, Role.TEAM_LEAD],
        )
        .distinct()
        .order_by("pk")
    )


_TEAM_KINDS = [AgencyKind.CORPS, AgencyKind.DETACHMENT, AgencyKind.BRIGADE]


def plan_create(*, actor: Any, year: int, today: dt.date | None = None) -> Plan:
    today = today or timezone.localdate()
    office = office_of(actor)
    if office is None or not actor.has_role(*PLANNERS):
        raise PermissionDenied(_("Only a team lead or the head of an office may create a plan."))
    if year < today.year or year > today.year + 1:
        raise _field_error("year", _("A plan is made for this year or the next one."))
    try:
        capacity_compute(
            year=year, officers=0, deductions={}, reserve_share=Decimal(0), random_share=Decimal(0)
        )
    except CalendarUnknown as exc:
        raise _field_error("year", exc.message) from exc
    with transaction.atomic():
        if Plan.objects.filter(agency=office, year=year).exists():
            raise _field_error("year", _("This office already has a plan for that year."))
        plan = Plan.objects.create(agency=office, year=year, created_by=actor)
        officers = list(roster_officers(office))
        certificates = _certificates(officers, dt.date(year, 1, 1))
        PlanOfficer.objects.bulk_create(
            PlanOfficer(plan=plan, officer=o, certificate_number=certificates.get(o.pk, ""))
            for o in officers
        )
        plan.capacity = _capacity(plan).as_dict()
        plan.save(update_fields=["capacity"])
        _record(plan, RecordKind.PLAN_CREATED, actor, {"officers": len(officers)})
    return plan


def _certificates(officers: Iterable[User], on: dt.date) -> dict[int, str]:
    """The certificate number of each officer valid on ``on`` (or the start of next month)."""
    from inspectorate.org.models import Certificate

    ids = [o.pk for o in officers]
    found: dict[int, str] = {}
    for cert in Certificate.objects.filter(
        officer_id__in=ids, status=CertificateStatus.VALID, valid_until__gte=on
    ).order_by("officer_id", "valid_until"):
        found[cert.officer_id] = cert.number
    return found


def _capacity(plan: Plan) -> Capacity:
    deductions = {d.category: d.days for d in plan.deductions.all()}
    return capacity_compute(
        year=plan.year,
        officers=plan.roster.count(),
        deductions=deductions,
        reserve_share=Decimal(plan.reserve_share),
        random_share=Decimal(plan.random_share),
    )


def _share(value: Any, field: str, upper_inclusive: bool) -> Decimal:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _field_error(field, _("Enter a number between 0 and 1.")) from exc
    if share < 0 or share > 1 or (share == 1 and not upper_inclusive) or share != round(share, 2):
        raise _field_error(field, _("Enter a number between 0 and 1 with two decimals."))
    return share


def plan_capacity_set(
    *,
    actor: Any,
    plan_id: int,
    expected_version: int | None,
    deductions: dict[str, Any],
    random_share: Any,
    reserve_share: Any,
    leave: dict[int, list[int]] | None = None,
) -> Plan:
    """Set the days not spent on inspections, the shares and the officers' months away."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    valid_categories = {str(c) for c in DeductionCategory}
    for key, raw in deductions.items():
        if key not in valid_categories:
            errors.setdefault(f"deductions.{key}", []).append(_("Unknown category."))
            continue
        try:
            days = int(str(raw).strip() or 0)
        except ValueError:
            errors.setdefault(f"deductions.{key}", []).append(_("Enter a whole number of days."))
            continue
        if days < 0:
            errors.setdefault(f"deductions.{key}", []).append(_("Days cannot be negative."))
            continue
        clean[key] = days
    shares: dict[str, Decimal] = {}
    for name, value, inclusive in (
        ("random_share", random_share, True),
        ("reserve_share", reserve_share, False),
    ):
        try:
            shares[name] = _share(value, name, inclusive)
        except ValidationFailed as exc:
            errors.update(exc.extra["fields"])
    if errors:
        raise ValidationFailed(_("The data is not valid."), extra={"fields": errors})
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        _require_draft(plan)
        _require_no_draw_run(plan)
        roster = {po.officer_id: po for po in plan.roster.all()}
        if leave is not None:
            _check_leave(roster, leave)
        # The new capacity: its total days do not depend on the deductions, and it is what
        # _capacity(plan) gives once the deductions, shares and leave below are stored.
        capacity = capacity_compute(
            year=plan.year,
            officers=len(roster),
            deductions={k: v for k, v in clean.items() if v},
            reserve_share=shares["reserve_share"],
            random_share=shares["random_share"],
        )
        total = capacity.total_days
        if sum(clean.values()) > total:
            raise _field_error(
                "deductions",
                _("The deducted days (%(days)s) exceed the statutory working days (%(total)s).")
                % {"days": sum(clean.values()), "total": total},
            )
        plan.deductions.all().delete()
        PlanDeduction.objects.bulk_create(
            PlanDeduction(plan=plan, category=k, days=v) for k, v in clean.items() if v
        )
        if leave is not None:
            for officer_id, months in leave.items():
                po = roster[officer_id]
                po.leave_months = sorted(set(months))
                po.save(update_fields=["leave_months"])
        plan.random_share = shares["random_share"]
        plan.reserve_share = shares["reserve_share"]
        plan.capacity = capacity.as_dict()
        _bump(plan, "random_share", "reserve_share", "capacity")
        _record(
            plan,
            RecordKind.PLAN_CAPACITY_SET,
            actor,
            {
                "deductions": clean,
                "random_share": str(plan.random_share),
                "reserve_share": str(plan.reserve_share),
                "leave": {str(k): v for k, v in (leave or {}).items()},
                "inspection_days": plan.capacity["inspection_days"],
            },
        )
    return plan


def _check_leave(roster: dict[int, PlanOfficer], leave: dict[int, list[int]]) -> None:
    """Months away are given for officers on the roster, as month numbers."""
    for officer_id, months in leave.items():
        if officer_id not in roster:
            raise _field_error("leave", _("That officer is not on the roster."))
        if any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            raise _field_error("leave", _("Months are numbers from 1 to 12."))


def _require_no_draw_run(plan: Plan) -> None:
    if Draw.objects.filter(plan=plan, drawn_at__isnull=False).exists():
        raise ApplicationError(
            _("The random draw has been run; the plan's composition can no longer change."),
            code="draw_done",
        )


# --- composition -------------------------------------------------------------------------


def office_pool(agency_id: int) -> QuerySet[Enterprise]:
    """Operating units an office supervises, itself or through its enforcement teams (each
    unit has exactly one office; the bureaus under it have pools of their own)."""
    return Enterprise.objects.filter(
        supervising_agency__in=Agency.objects.filter(
            Q(pk=agency_id) | Q(parent=agency_id, kind__in=_TEAM_KINDS)
        ),
        status=EnterpriseStatus.OPERATING,
    )


def _pool(plan: Plan) -> QuerySet[Enterprise]:
    return office_pool(plan.agency_id)


def _planned_elsewhere(
    plan: Plan,
    enterprise_ids: Iterable[int] | None = None,
    *,
    pool: QuerySet[Enterprise] | None = None,
) -> set[int]:
    """Enterprises that another plan of the year plans (not jointly): of ``enterprise_ids``
    or of ``pool`` when given (a subquery: only these are asked about), else all of them."""
    qs = PlannedUnit.objects.filter(
        plan__year=plan.year, state=UnitState.PLANNED, joint=False
    ).exclude(plan=plan)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    if pool is not None:
        qs = qs.filter(enterprise_id__in=pool.values("pk"))
    return set(qs.values_list("enterprise_id", flat=True))


def unit_facts(enterprises: QuerySet[Enterprise], year: int) -> list[UnitFacts]:
    rows = list(
        enterprises.order_by("credit_code").values_list(
            "pk",
            "credit_code",
            "jurisdiction_id",
            "sector_id",
            "sector__high_risk",
            "risk_class",
            "standardisation_level",
            "credit_class",
        )
    )
    hazards: dict[int, list[int]] = defaultdict(list)
    signals: dict[int, dict[str, int]] = defaultdict(dict)
    if rows:
        # The same enterprises as a subquery: lists of ids as parameters cost more to build
        # than the queries take (a prefecture's pool has tens of thousands).
        same = enterprises.values("pk")
        for eid, level in MajorHazardSource.objects.filter(enterprise_id__in=same).values_list(
            "enterprise_id", "level"
        ):
            hazards[eid].append(level)
        for eid, kind in RiskSignal.objects.filter(
            enterprise_id__in=same,
            occurred_on__gte=dt.date(year - 1, 1, 1),
            occurred_on__lte=dt.date(year - 1, 12, 31),
        ).values_list("enterprise_id", "kind"):
            signals[eid][kind] = signals[eid].get(kind, 0) + 1
    return [
        UnitFacts(
            enterprise_id=r[0],
            credit_code=r[1],
            county=r[2],
            sector=r[3],
            high_risk=r[4],
            risk_class=r[5],
            standardisation_level=r[6],
            credit_class=r[7],
            hazard_levels=tuple(sorted(hazards.get(r[0], ()))),
            signals=signals.get(r[0], {}),
        )
        for r in rows
    ]


def _province_of(plan: Plan) -> str:
    return plan.agency.jurisdiction_id[:2] + "0000"


def _insert_rows(model: Any, attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``attnames``) with one ``executemany``.

    For the tens of thousands of units and visits of a plan, ``bulk_create`` spent more
    time building and quoting a model instance per row than the database spent storing
    it. The rows are stored as ``bulk_create`` stores them, in the same order (so with the
    same ids): JSON fields through the field's own conversion, other values as they are.
    Every column without a database default must be given.
    """
    connection = transaction.get_connection()
    opts = model._meta
    fields = [opts.get_field(name) for name in attnames]
    json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(opts.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def prepared(row: Sequence[Any]) -> Sequence[Any]:
        if not json_at:
            return row
        values = list(row)
        for i in json_at:
            values[i] = fields[i].get_db_prep_save(values[i], connection)
        return values

    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(prepared(row))
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


_UNIT_COLUMNS = (
    "plan_id",
    "enterprise_id",
    "origin",
    "state",
    "reasons",
    "risk",
    "visits",
    "cost",
    "uncovered_reason",
    "joint",
)
_VISIT_COLUMNS = (
    "unit_id",
    "plan_id",
    "sequence",
    "month_from",
    "month_to",
    "effort",
    "unassigned_reason",
    "cancelled",
)


def _visit_rows(
    plan_id: int, unit_id: int, windows: list[tuple[int, int]], effort: int
) -> list[tuple[Any, ...]]:
    """New planned visits of a unit (``_VISIT_COLUMNS``), one per window of months."""
    return [
        (unit_id, plan_id, i + 1, lo, hi, effort, "", False) for i, (lo, hi) in enumerate(windows)
    ]


def _unit_ids(plan: Plan) -> dict[int, int]:
    """Enterprise -> planned unit of the plan (one per enterprise)."""
    return dict(PlannedUnit.objects.filter(plan=plan).values_list("enterprise_id", "pk"))


def plan_compose(*, actor: Any, plan_id: int, expected_version: int | None) -> Plan:
    """Key units by the stated rules, within the key days; the rest are reported uncovered."""
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        _require_draft(plan)
        _require_no_draw_run(plan)
        Draw.objects.filter(plan=plan).delete()
        Team.objects.filter(plan=plan).delete()
        plan.units.all().delete()
        capacity = _capacity(plan)
        table = ClassificationTable.load(_province_of(plan), dt.date(plan.year, 1, 1))
        pool = _pool(plan)
        elsewhere = _planned_elsewhere(plan, pool=pool)
        facts = [f for f in unit_facts(pool, plan.year) if f.enterprise_id not in elsewhere]
        candidates: list[tuple[int, UnitFacts, ClassRule, list[dict[str, Any]]]] = []
        for f in facts:
            rule = table.rule_for(f)
            reasons = key_reasons(f, rule)
            if reasons:
                candidates.append((risk_score(f), f, rule, reasons))
        candidates.sort(key=lambda c: (-c[0], c[1].credit_code))
        remaining = capacity.key_days
        units: list[tuple[Any, ...]] = []  # _UNIT_COLUMNS
        planned: list[tuple[int, list[tuple[int, int]], int]] = []  # enterprise, windows, effort
        for risk, f, rule, reasons in candidates:
            visits = key_visits(rule)
            cost = visits * rule.effort
            why: str
            if rule.max_per_year < 1:
                state, why = UnitState.UNCOVERED, UncoveredReason.MAXIMUM
            elif cost <= remaining:
                state, why = UnitState.PLANNED, ""
                remaining -= cost
            else:
                state, why = UnitState.UNCOVERED, UncoveredReason.CAPACITY
            units.append(
                (
                    plan.pk,
                    f.enterprise_id,
                    UnitOrigin.KEY.value,
                    state.value,
                    reasons,
                    risk,
                    visits,
                    cost,
                    str(why),
                    False,
                )
            )
            if state == UnitState.PLANNED:
                planned.append((f.enterprise_id, visit_windows(visits), rule.effort))
        _insert_rows(PlannedUnit, _UNIT_COLUMNS, units)
        unit_ids = _unit_ids(plan)
        _insert_rows(
            PlannedVisit,
            _VISIT_COLUMNS,
            (
                row
                for eid, unit_windows, effort in planned
                for row in _visit_rows(plan.pk, unit_ids[eid], unit_windows, effort)
            ),
        )
        plan.capacity = capacity.as_dict() | {"key_used": capacity.key_days - remaining}
        plan.composed_at = timezone.now()
        plan.assigned_at = None
        _bump(plan, "capacity", "composed_at", "assigned_at")
        _record(
            plan,
            RecordKind.PLAN_COMPOSED,
            actor,
            {
                "pool": len(facts),
                "key_planned": len(planned),
                "key_uncovered": len(units) - len(planned),
                "key_days_used": capacity.key_days - remaining,
                "key_units_hash": drawing.sha256_text(
                    drawing.canonical_json(sorted(eid for eid, _w, _e in planned))
                ),
            },
        )
    return plan


# --- the draw ------------------------------------------------------------------------------


def draw_commit(
    *, actor: Any, plan_id: int, expected_version: int | None, seed: str | None = None
) -> Draw:
    """Fix the seed and the inputs, and record their hashes before anything is drawn."""
    if seed is not None:
        seed = seed.strip().lower()
        if not drawing.seed_valid(seed):
            raise _field_error("seed", _("A seed is 64 hexadecimal characters (0–9, a–f)."))
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        _require_draft(plan)
        _require_no_draw_run(plan)
        if plan.composed_at is None:
            raise ApplicationError(_("Compose the plan before the draw."), code="not_composed")
        Draw.objects.filter(plan=plan).delete()
        table = ClassificationTable.load(_province_of(plan), dt.date(plan.year, 1, 1))
        taken = set(plan.units.values_list("enterprise_id", flat=True))
        pool = _pool(plan)
        elsewhere = _planned_elsewhere(plan, pool=pool)
        enterprise_candidates = []
        for f in unit_facts(pool, plan.year):
            if f.enterprise_id in taken or f.enterprise_id in elsewhere:
                continue
            rule = table.rule_for(f)
            if rule.max_per_year >= 1:
                enterprise_candidates.append([f.credit_code, rule.effort])
        officer_candidates = sorted(
            po.certificate_number for po in plan.roster.all() if po.certificate_number
        )
        budget = max(plan.capacity.get("plannable_days", 0) - plan.capacity.get("key_used", 0), 0)
        the_seed = seed or drawing.seed_new()
        draw = Draw.objects.create(
            plan=plan,
            algorithm=drawing.ALGORITHM,
            seed_hash=drawing.seed_hash(the_seed),
            seed=the_seed,
            enterprise_candidates=enterprise_candidates,
            officer_candidates=officer_candidates,
            budget=budget,
            inputs_hash=drawing.inputs_hash(enterprise_candidates, officer_candidates, budget),
            committed_at=timezone.now(),
            committed_by=actor,
        )
        _bump(plan)
        _record(
            plan,
            RecordKind.DRAW_COMMITTED,
            actor,
            {
                "algorithm": draw.algorithm,
                "seed_hash": draw.seed_hash,
                "inputs_hash": draw.inputs_hash,
                "enterprise_candidates": len(enterprise_candidates),
                "officer_candidates": len(officer_candidates),
                "budget": budget,
            },
        )
    return draw


def draw_execute(*, actor: Any, plan_id: int, expected_version: int | None) -> Draw:
    """Run the committed draw: random units (one inspection each) and officer teams."""
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        _require_draft(plan)
        draw = Draw.objects.select_for_update().filter(plan=plan).first()
        if draw is None:
            raise ApplicationError(_("Commit the draw first."), code="draw_not_committed")
        if draw.drawn_at is not None:
            raise ApplicationError(_("The draw has already been run."), code="draw_done")
        codes = drawing.draw_enterprises(draw.seed, draw.enterprise_candidates, draw.budget)
        teams = drawing.draw_teams(draw.seed, draw.officer_candidates)
        by_code = dict(
            Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
        )
        cost = {c: int(k) for c, k in draw.enterprise_candidates}
        risk = _risks([by_code[code] for code in codes], plan.year)
        _insert_rows(
            PlannedUnit,
            _UNIT_COLUMNS,
            (
                (
                    plan.pk,
                    by_code[code],
                    UnitOrigin.RANDOM.value,
                    UnitState.PLANNED.value,
                    [{"code": "random", "detail": {"rank": rank}}],
                    risk[by_code[code]],
                    1,
                    cost[code],
                    "",
                    False,
                )
                for rank, code in enumerate(codes, start=1)
            ),
        )
        unit_ids = _unit_ids(plan)
        _insert_rows(
            PlannedVisit,
            _VISIT_COLUMNS,
            (
                row
                for code in codes
                for row in _visit_rows(plan.pk, unit_ids[by_code[code]], [(1, 12)], cost[code])
            ),
        )
        team_rows = Team.objects.bulk_create(
            Team(plan=plan, number=i) for i in range(1, len(teams) + 1)
        )
        by_cert = {po.certificate_number: po for po in plan.roster.all() if po.certificate_number}
        drawn_officers: list[PlanOfficer] = []
        for team_row, members in zip(team_rows, teams, strict=True):
            for cert in members:
                po = by_cert[cert]
                po.team = team_row
                drawn_officers.append(po)
        PlanOfficer.objects.bulk_update(drawn_officers, ["team"], batch_size=500)
        draw.drawn_at = timezone.now()
        draw.result = {
            "enterprises": codes,
            "teams": teams,
            "result_hash": drawing.result_hash(codes, teams),
        }
        draw.save(update_fields=["drawn_at", "result"])
        _bump(plan)
        _record(
            plan,
            RecordKind.DRAW_EXECUTED,
            actor,
            {
                "seed": draw.seed,
                "seed_hash": draw.seed_hash,
                "drawn": len(codes),
                "teams": len(teams),
                "result_hash": draw.result["result_hash"],
            },
        )
    return draw


def _risks(enterprise_ids: list[int], year: int) -> dict[int, int]:
    """Risk score of each enterprise."""
    facts = unit_facts(Enterprise.objects.filter(pk__in=enterprise_ids), year)
    found = {f.enterprise_id: risk_score(f) for f in facts}
    return {eid: found[eid] for eid in enterprise_ids}


# --- assignment ----------------------------------------------------------------------------


def _team_members(plan: Plan) -> dict[int, list[PlanOfficer]]:
    members: dict[int, list[PlanOfficer]] = defaultdict(list)
    for po in plan.roster.filter(team__isnull=False).select_related("officer__agency"):
        if po.team_id is not None:
            members[po.team_id].append(po)
    return members


def officer_month_days(plan: Plan, po: PlanOfficer) -> list[float]:
    """An officer's share of the plannable days, spread over the months they are present."""
    roster_size = max(int(plan.capacity.get("officers", 0)), 1)
    per_officer = plan.capacity.get("plannable_days", 0) / roster_size
    by_month = plan.capacity.get("working_days_by_month") or [0] * 12
    present = [0 if (m + 1) in po.leave_months else by_month[m] for m in range(12)]
    total = sum(present)
    return [per_officer * d / total if total else 0.0 for d in present]


def build_problem(
    plan: Plan, *, frozen_months: frozenset[int] = frozenset(), keep_previous: bool = False
) -> tuple[asg.Problem, dict[str, PlannedVisit], dict[str, Team]]:
    from inspectorate.org.models import Certificate

    members = _team_members(plan)
    teams_by_key: dict[str, Team] = {}
    teams: list[asg.Team] = []
    day = dt.date(plan.year, 1, 1)
    officer_ids = [po.officer_id for ms in members.values() for po in ms]
    sectors: dict[int, set[str]] = defaultdict(set)
    for officer_id, sector in Certificate.sectors.through.objects.filter(
        certificate__officer_id__in=officer_ids,
        certificate__status=CertificateStatus.VALID,
        certificate__valid_until__gte=day,
    ).values_list("certificate__officer_id", "sector_id"):
        sectors[officer_id].add(sector)
    for team in plan.teams.all():
        ms = members.get(team.pk, [])
        if len(ms) < 2:
            continue
        days = [officer_month_days(plan, po) for po in ms]
        capacity = tuple(int(2 * min(d[m] for d in days)) for m in range(12))
        competence: set[str] = set()
        for po in ms:
            competence |= sectors.get(po.officer_id, set())
        base = ms[0].officer.agency.jurisdiction_id if ms[0].officer.agency else "000000"
        key = f"T{team.number}"
        teams_by_key[key] = team
        teams.append(
            asg.Team(
                key=key,
                officer_ids=tuple(sorted(po.officer_id for po in ms)),
                sectors=frozenset(competence),
                base_county=base,
                capacity=capacity,
            )
        )
    rows = list(
        PlannedVisit.objects.filter(plan=plan, cancelled=False, unit__state=UnitState.PLANNED)
        .select_related("unit")
        .values(
            "pk",
            "month_from",
            "month_to",
            "effort",
            "team_id",
            "month",
            "unit__enterprise_id",
            "unit__enterprise__jurisdiction_id",
            "unit__enterprise__sector_id",
            "unit__risk",
        )
    )
    enterprise_ids = {r["unit__enterprise_id"] for r in rows}
    excluded: dict[int, set[int]] = defaultdict(set)
    for officer_id, eid in Recusal.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "officer_id", "enterprise_id"
    ):
        excluded[eid].add(officer_id)
    if plan.consecutive_recusal:
        for eid, officer_id in PlannedVisit.objects.filter(
            plan__agency_id=plan.agency_id,
            plan__year=plan.year - 1,
            team__isnull=False,
            cancelled=False,
            unit__enterprise_id__in=enterprise_ids,
        ).values_list("unit__enterprise_id", "team__members__officer_id"):
            if officer_id is not None:
                excluded[eid].add(officer_id)
    needs: dict[str, set[str]] = defaultdict(set)
    for sector, kind in SectorEquipment.objects.values_list("sector_id", "kind"):
        needs[sector].add(kind)
    wd = plan.capacity.get("working_days_by_month") or [0] * 12
    equipment = {
        kind: tuple(2 * count * wd[m] for m in range(12))
        for kind, count in AgencyEquipment.objects.filter(agency_id=plan.agency_id).values_list(
            "kind", "count"
        )
    }
    for kinds in needs.values():
        for kind in kinds:
            equipment.setdefault(kind, (0,) * 12)
    team_key_of = {team.pk: key for key, team in teams_by_key.items()}
    visits: list[asg.Visit] = []
    by_key: dict[str, PlannedVisit] = {}
    previous: dict[str, tuple[str, int]] = {}
    for r in rows:
        key = f"V{r['pk']}"
        visits.append(
            asg.Visit(
                key=key,
                enterprise_id=r["unit__enterprise_id"],
                county=r["unit__enterprise__jurisdiction_id"],
                sector=r["unit__enterprise__sector_id"],
                effort=r["effort"],
                months=tuple(range(r["month_from"], r["month_to"] + 1)),
                risk=max(r["unit__risk"], 1),
                equipment=frozenset(needs.get(r["unit__enterprise__sector_id"], ())),
                excluded_officers=frozenset(excluded.get(r["unit__enterprise_id"], ())),
            )
        )
        by_key[key] = PlannedVisit(pk=r["pk"])
        if keep_previous and r["team_id"] in team_key_of and r["month"]:
            previous[key] = (team_key_of[r["team_id"]], r["month"])
    problem = asg.Problem(
        teams=tuple(teams),
        visits=tuple(visits),
        equipment_capacity=equipment,
        previous=previous,
        frozen_months=frozen_months,
    )
    return problem, by_key, teams_by_key


def _write_solution(
    plan: Plan, solution: asg.Solution, by_key: dict[str, PlannedVisit], teams: dict[str, Team]
) -> None:
    # One UPDATE per (team, month) and per reason, in SQL: bulk_update's CASE per row is
    # quadratic in the batch size on SQLite, and building a QuerySet.update() for each of a
    # plan's thousands of (team, month) pairs cost more than running it.
    same: dict[tuple[int | None, int | None, str], list[int]] = defaultdict(list)
    for key, visit in by_key.items():
        if key in solution.assigned:
            team_key, month = solution.assigned[key]
            visit.team_id = teams[team_key].pk
            visit.month = month
            visit.unassigned_reason = ""
        else:
            visit.team_id = None
            visit.month = None
            visit.unassigned_reason = solution.unassigned.get(key, asg.Unassigned.CAPACITY)
        same[visit.team_id, visit.month, visit.unassigned_reason].append(visit.pk)
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    opts = PlannedVisit._meta
    column = {f.name: quote(f.column) for f in opts.concrete_fields}
    update = "UPDATE {} SET {} = %s, {} = %s, {} = %s WHERE {} IN ".format(  # noqa: S608
        quote(opts.db_table),
        *(column[f] for f in ("team", "month", "unassigned_reason", "id")),
    )
    with connection.cursor() as cursor:
        for (team_id, in_month, reason), ids in same.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    update + "({})".format(", ".join(["%s"] * len(chunk))),
                    [team_id, in_month, reason, *chunk],
                )


def _solver_summary(solution: asg.Solution, greedy: asg.Solution | None) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": round(solution.gap, 6),
        "seconds": round(solution.seconds, 3),
        "risk_covered": solution.risk_covered,
        "assigned": len(solution.assigned),
        "unassigned": len(solution.unassigned),
    }
    if greedy is not None:
        summary["greedy"] = {
            "objective": greedy.objective,
            "risk_covered": greedy.risk_covered,
            "assigned": len(greedy.assigned),
        }
    return summary


PACE_SLACK = 1.15


def paced_problem(problem: asg.Problem) -> asg.Problem:
    """Even pacing: when the teams have more time than the plan needs, each team and month
    offers only its share of the work (plus 15 %, and room for the largest inspection), so
    that the inspections spread over the year instead of piling into the first months."""
    demand = sum(v.effort for v in problem.visits)
    supply = sum(sum(t.capacity) for t in problem.teams)
    if supply == 0 or demand * PACE_SLACK >= supply:
        return problem
    ratio = demand * PACE_SLACK / supply
    largest = max(v.effort for v in problem.visits)
    teams = tuple(
        dataclasses.replace(
            t,
            capacity=tuple(min(c, max(math.ceil(c * ratio), largest)) for c in t.capacity),
        )
        for t in problem.teams
    )
    return dataclasses.replace(problem, teams=teams)


def plan_assign(
    *,
    actor: Any,
    plan_id: int,
    expected_version: int | None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Plan:
    """Assign the drawn teams to the planned inspections by month (OR-Tools).

    The solver runs outside any transaction, so that it holds no lock while it works (on
    SQLite a write transaction locks the whole database). What it read is written only if
    the plan is still at the version it read; otherwise the answer is a 409 and nothing is
    written.
    """
    plan = _editable_plan(actor, plan_id)
    check_version(plan.version, expected_version)
    _require_draft(plan)
    if not Draw.objects.filter(plan=plan, drawn_at__isnull=False).exists():
        raise ApplicationError(_("Run the draw before assigning teams."), code="draw_not_run")
    read_version = plan.version
    problem, by_key, teams = build_problem(plan)
    paced = paced_problem(problem)
    greedy = asg.greedy(paced)
    solution = asg.solve(paced, time_limit=time_limit, baseline=greedy)
    if paced is not problem and asg.Unassigned.CAPACITY in solution.unassigned.values():
        # the pacing left work undone: fill the teams' remaining time, keeping the rest
        solution = asg.solve(
            dataclasses.replace(problem, previous=solution.assigned), time_limit=time_limit
        )
    with transaction.atomic():
        plan = _locked(actor, plan_id, read_version)
        _require_draft(plan)
        _write_solution(plan, solution, by_key, teams)
        plan.solver = _solver_summary(solution, greedy) | {"paced": paced is not problem}
        plan.assigned_at = timezone.now()
        _bump(plan, "solver", "assigned_at")
        _record(plan, RecordKind.PLAN_ASSIGNED, actor, {"solver": plan.solver})
    return plan


def plan_build(
    *,
    actor: Any,
    plan_id: int,
    expected_version: int | None,
    seed: str | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Plan:
    """All the drafting steps at once: compose, commit and run the draw, assign."""
    plan = plan_compose(actor=actor, plan_id=plan_id, expected_version=expected_version)
    draw_commit(actor=actor, plan_id=plan_id, expected_version=plan.version, seed=seed)
    plan.refresh_from_db(fields=["version"])
    draw_execute(actor=actor, plan_id=plan_id, expected_version=plan.version)
    plan.refresh_from_db(fields=["version"])
    return plan_assign(
        actor=actor, plan_id=plan_id, expected_version=plan.version, time_limit=time_limit
    )


# --- lifecycle -----------------------------------------------------------------------------


def _transition(
    actor: Any,
    plan_id: int,
    action: str,
    expected_version: int | None,
    reason: str = "",
    params: dict[str, Any] | None = None,
) -> Plan:
    plan = plan_queryset_for_user(actor).filter(pk=plan_id).select_related("agency").first()
    if plan is None:
        raise NotFound()
    office = office_of(actor)
    if office is None or office.pk != plan.agency_id:
        raise PermissionDenied(_("Only the office that owns this plan may change it."))
    return transition_apply(
        workflow=PLAN,
        queryset=Plan.objects.select_related("agency"),
        pk=plan_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda p: p.agency.jurisdiction_id,
        expected_version=expected_version,
        reason=reason,
        params=params,
    )


def plan_submit(*, actor: Any, plan_id: int, expected_version: int | None) -> Plan:
    with transaction.atomic():
        plan = _transition(actor, plan_id, "submit", expected_version)
        plan.submitted_by = actor
        plan.save(update_fields=["submitted_by"])
    return plan


def plan_return(*, actor: Any, plan_id: int, expected_version: int | None, reason: str) -> Plan:
    return _transition(actor, plan_id, "return", expected_version, reason=reason)


def plan_approve(*, actor: Any, plan_id: int, expected_version: int | None) -> Plan:
    submitted_by = Plan.objects.filter(pk=plan_id).values_list("submitted_by", flat=True).first()
    return _transition(
        actor, plan_id, "approve", expected_version, params={"submitted_by": submitted_by}
    )


def level_above(agency: Agency) -> Agency | None:
    parent = agency.parent
    while parent is not None and parent.kind != AgencyKind.BUREAU:
        parent = parent.parent
    return parent


def plan_file(*, actor: Any, plan_id: int, expected_version: int | None) -> Plan:
    with transaction.atomic():
        plan = _transition(actor, plan_id, "file", expected_version)
        above = level_above(plan.agency)
        plan.filed_with = above
        plan.save(update_fields=["filed_with"])
    return plan


# --- adjustments ---------------------------------------------------------------------------


def plan_adjust(
    *,
    actor: Any,
    plan_id: int,
    expected_version: int | None,
    reason: str,
    note: str,
    add: Iterable[dict[str, Any]] = (),
    remove: Iterable[int] = (),
    leave: dict[int, list[int]] | None = None,
    today: dt.date | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> PlanAdjustment:
    """Change an approved plan for a stated reason and re-optimise it.

    Months already past are frozen; every inspection whose team and month are still
    feasible stays where it was unless moving it is worth more than the stability weight
    (in practice only to make room for an urgent one). ``add`` items are
    ``{"enterprise": id, "joint": bool}``: the added unit is inspected this month or next.
    """
    today = today or timezone.localdate()
    add = list(add)
    remove = list(remove)
    errors: dict[str, list[str]] = {}
    if reason not in {str(r) for r in AdjustmentReason}:
        errors["reason"] = [_("Choose a reason from the list.")]
    if not note.strip():
        errors["note"] = [_("Explain the adjustment.")]
    if not add and not remove and not leave:
        errors["add"] = [_("An adjustment adds or removes a unit or changes an officer's leave.")]
    if errors:
        raise ValidationFailed(_("The data is not valid."), extra={"fields": errors})
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        if plan.state not in (PlanState.APPROVED, PlanState.FILED):
            raise ApplicationError(
                _("Only an approved plan is adjusted; a draft is simply edited."),
                code="plan_not_approved",
            )
        if today.year > plan.year:
            raise ApplicationError(_("The plan's year is over."), code="plan_year_over")
        first_open = today.month if today.year == plan.year else 1
        frozen = frozenset(range(1, first_open))
        before = dict(
            PlannedVisit.objects.filter(plan=plan, team__isnull=False).values_list("pk", "team_id")
        )
        before_month = dict(
            PlannedVisit.objects.filter(plan=plan, team__isnull=False).values_list("pk", "month")
        )
        adjustment = PlanAdjustment.objects.create(
            plan=plan, reason=reason, note=note.strip(), made_by=actor
        )
        added = _adjust_add(plan, adjustment, add, first_open)
        removed = _adjust_remove(plan, remove, first_open)
        if leave:
            roster = {po.officer_id: po for po in plan.roster.all()}
            _check_leave(roster, leave)
            for officer_id, months in leave.items():
                # the months before today are frozen: their capacity is a record too
                if any(m < first_open for m in set(months) ^ set(roster[officer_id].leave_months)):
                    raise _field_error("leave", _("Months already past cannot change."))
                roster[officer_id].leave_months = sorted(set(months))
                roster[officer_id].save(update_fields=["leave_months"])
        problem, by_key, teams = build_problem(plan, frozen_months=frozen, keep_previous=True)
        solution = asg.solve(problem, time_limit=time_limit)
        _write_solution(plan, solution, by_key, teams)
        after = {pk: (v.team_id, v.month) for pk, v in ((int(k[1:]), v) for k, v in by_key.items())}
        kept = sum(1 for pk, team in before.items() if after.get(pk) == (team, before_month[pk]))
        moved = sum(
            1
            for pk, team in before.items()
            if pk in after and after[pk][0] is not None and after[pk] != (team, before_month[pk])
        )
        changes = {
            "added": added,
            "removed": removed,
            "leave": {str(k): v for k, v in (leave or {}).items()},
            "frozen_months": sorted(frozen),
            "kept": kept,
            "moved": moved,
            "unassigned": len(solution.unassigned),
        }
        adjustment.changes = changes
        adjustment.save(update_fields=["changes"])
        plan.solver = _solver_summary(solution, None)
        _bump(plan, "solver")
        _record(
            plan,
            RecordKind.PLAN_ADJUSTED,
            actor,
            {"adjustment": adjustment.pk, "reason": reason, "note": note.strip(), **changes},
        )
    return adjustment


def _adjust_add(
    plan: Plan, adjustment: PlanAdjustment, add: list[dict[str, Any]], first_open: int
) -> list[int]:
    from inspectorate.core.scoping import Scope

    scope = Scope(prefix=plan.agency.jurisdiction.prefix)
    added: list[int] = []
    table = ClassificationTable.load(_province_of(plan), dt.date(plan.year, 1, 1))
    for item in add:
        try:
            eid = int(item.get("enterprise", 0))
        except (TypeError, ValueError):
            eid = 0
        enterprise = Enterprise.objects.filter(pk=eid).first()
        if enterprise is None or not scope.covers(enterprise.jurisdiction_id):
            raise _field_error("add", _("That enterprise is not in the office's jurisdiction."))
        joint = bool(item.get("joint", False))
        # another office plans it, jointly or not: only a joint inspection may add it here
        elsewhere = PlannedUnit.objects.filter(
            plan__year=plan.year, state=UnitState.PLANNED, enterprise_id=eid
        ).exclude(plan=plan)
        if not joint and elsewhere.exists():
            raise _field_error(
                "add",
                _(
                    "%(name)s is already in another office's plan this year; declare a joint "
                    "inspection to plan it here too."
                )
                % {"name": enterprise.name},
            )
        facts = unit_facts(Enterprise.objects.filter(pk=eid), plan.year)[0]
        rule = table.rule_for(facts)
        existing = PlannedUnit.objects.filter(plan=plan, enterprise_id=eid).first()
        window = (first_open, min(first_open + 1, 12))
        if existing is not None and existing.state == UnitState.PLANNED:
            unit = existing
            sequence = unit.visits + 1
            unit.visits = sequence
            unit.cost += rule.effort
            unit.save(update_fields=["visits", "cost"])
        else:
            if existing is not None:
                existing.delete()
            unit = PlannedUnit.objects.create(
                plan=plan,
                enterprise_id=eid,
                origin=UnitOrigin.ADJUSTMENT,
                state=UnitState.PLANNED,
                reasons=[{"code": "adjustment", "detail": {"reason": adjustment.reason}}],
                risk=risk_score(facts) + 20,  # urgent: an accident or complaint outweighs routine
                visits=1,
                cost=rule.effort,
                joint=joint,
                adjustment=adjustment,
            )
            sequence = 1
        PlannedVisit.objects.create(
            unit=unit,
            plan=plan,
            sequence=sequence,
            month_from=window[0],
            month_to=window[1],
            effort=rule.effort,
        )
        added.append(eid)
    return added


def _adjust_remove(plan: Plan, remove: list[int], first_open: int) -> list[int]:
    removed: list[int] = []
    for unit_id in remove:
        unit = PlannedUnit.objects.filter(plan=plan, pk=unit_id, state=UnitState.PLANNED).first()
        if unit is None:
            raise _field_error("remove", _("That unit is not planned in this plan."))
        PlannedVisit.objects.filter(unit=unit).filter(
            Q(month__isnull=True) | Q(month__gte=first_open)
        ).update(cancelled=True, team=None, month=None)
        unit.state = UnitState.REMOVED
        unit.save(update_fields=["state"])
        removed.append(unit.enterprise_id)
    return removed
