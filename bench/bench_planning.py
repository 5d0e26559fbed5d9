"""Annual inspection plans for a whole province: composition, draw and assignment.

Setup (not measured), in a fresh SQLite database in a temporary directory (the database
of ``make run``), migrated (the jurisdictions of China and the default classification
rules come with the migrations):

- the demo organisation without enterprises (``org.demo.load_demo(enterprises=0)``: a
  bureau and an enforcement unit for the region, its 14 prefectures and 108 counties,
  58 users of whom 46 officers);
- generated officers up to 2,000 in total: about 60 for the province's bureau, 40 for
  each prefecture's, the rest over the county bureaus (4 each, the others in proportion
  to the county's enterprises); half at the bureau, half in its enforcement unit; each
  with the officer role and a valid enforcement certificate for 4-10 random sectors; one
  team lead per bureau (the demo's where it has one) acts for the office;
- 200,000 generated enterprises (the registry benchmark's generator: counties weighted
  as in the demo province, sectors, sizes, risk classes and standardisation levels as in
  the demo, a credit class for half of them), supervised by their county's bureau, a few
  percent by the prefecture's or the province's; about 3 % with major hazard sources;
  last year's risk signals for about 3 % (accidents, open major hazards, complaints);
  a few recusals; the equipment of each bureau in proportion to its officers.

Measured: for every bureau, counties first, then prefectures, then the province (as the
demo does), wall time from ``plan_create`` on: ``plan_create`` (roster), ``plan_capacity_set``
(the demo's deductions per officer, 30 % random share, 10 % reserve, one month away for
one officer in twenty) and ``plan_build`` (compose, commit and run the draw, assign with
OR-Tools; ``plan_assign`` also runs the greedy baseline). Each office's solver time limit
is its share (by officers) of a fixed solver budget. Afterwards (not measured) every
written assignment is checked with ``assignment.violations``.

Figures: total seconds; the aggregated optimality gap (sum of bounds - sum of
objectives) / sum of bounds over the offices; greedy_ratio = risk covered by the greedy
baseline / risk covered by the solver, summed over the offices; planned visits, assigned
and unassigned; key, random and uncovered units; the slowest offices.

Target: seconds <= 60. ``BENCH_QUICK=1``: 5,000 enterprises and 100 officers (more where
the demo organisation already has them), the report printed, not appended.
``BENCH_PROFILE=<file>`` writes a cProfile of the measured part.
"""

from __future__ import annotations

import collections
import cProfile
import datetime as dt
import functools
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import bench

NAME = "planning"
SUMMARY = (
    "SQLite (a file in a temporary directory, like `make run`'s database). Builds the 2026 "
    "inspection plan of every bureau of the demo province (123 offices) over 200,000 "
    "generated enterprises and 2,000 officers, one office after the other: plan_create, "
    "plan_capacity_set and plan_build (composition, the verifiable draw, assignment by "
    "OR-Tools CP-SAT within a solver budget of 20 s shared by the offices, and the greedy "
    "baseline); wall time from the first plan_create on. Reports the aggregated optimality "
    "gap and the risk the greedy baseline covers relative to the solver, and checks every "
    "written assignment against the hard constraints. Target: <= 60 s."
)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")  # a smoke run: small, no report
ENTERPRISES = 5_000 if QUICK else 200_000
OFFICERS = 100 if QUICK else 2_000
SCALE = OFFICERS / 2_000
PROVINCE_OFFICERS = round(60 * SCALE)
PREFECTURE_OFFICERS = round(40 * SCALE)
COUNTY_BASE_OFFICERS = int(4 * SCALE)
TARGET_SECONDS = 60.0
# CP-SAT time shared by the offices in proportion to their officers (each at least
# MIN_TIME_LIMIT); CP-SAT stops earlier when it proves its solution optimal.
SOLVER_BUDGET_S = 4.0 if QUICK else 20.0
MIN_TIME_LIMIT_S = 0.1
YEAR = 2026
TODAY = dt.date(2026, 1, 5)
SEED = 20260105
LEAVE_SHARE = 0.05  # officers away for one month
RECUSALS_PER_OFFICER = 0.25


def say_from(started: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    return say


# --- setup -------------------------------------------------------------------------------


@dataclass
class Office:
    """A bureau, its lead and the figures of its plan."""

    pk: int
    code: str
    name: str
    level: str  # province, prefecture, county
    jurisdiction: str
    lead_id: int
    officers: int = 0
    time_limit: float = 0.0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    plan_id: int | None = None
    solver: dict[str, Any] = field(default_factory=dict)
    visits: int = 0
    teams: int = 0


def officer_targets(world: Any, bureaus: dict[str, Any]) -> dict[str, int]:
    """Officers per bureau (jurisdiction code -> number), OFFICERS in total."""
    targets: dict[str, int] = {}
    prefectures = [code for code, a in bureaus.items() if a.jurisdiction.level == "prefecture"]
    targets["650000"] = PROVINCE_OFFICERS
    for code in prefectures:
        targets[code] = PREFECTURE_OFFICERS
    counties = [c.code for c in world.counties]
    rest = OFFICERS - sum(targets.values()) - COUNTY_BASE_OFFICERS * len(counties)
    total_weight = sum(world.county_weights)
    shares = [rest * w / total_weight for w in world.county_weights]
    whole = [int(s) for s in shares]
    # largest remainder, so that the total is exact
    order = sorted(range(len(shares)), key=lambda i: whole[i] - shares[i])
    for i in order[: rest - sum(whole)]:
        whole[i] += 1
    for code, n in zip(counties, whole, strict=True):
        targets[code] = COUNTY_BASE_OFFICERS + n
    return targets


def add_officers(world: Any, rng: random.Random) -> dict[str, Office]:
    """Officers, roles and certificates up to the targets; returns the offices."""
    from django.db import transaction

    from inspectorate.org.demo import GIVEN, SURNAMES
    from inspectorate.org.models import (
        Agency,
        AgencyKind,
        Certificate,
        RoleAssignment,
        User,
    )
    from inspectorate.org.roles import Role

    bureaus = {
        a.jurisdiction_id: a
        for a in Agency.objects.filter(kind=AgencyKind.BUREAU).select_related("jurisdiction")
    }
    units = {
        a.parent_id: a
        for a in Agency.objects.filter(
            kind__in=[AgencyKind.CORPS, AgencyKind.DETACHMENT, AgencyKind.BRIGADE]
        )
    }
    bureau_of = {a.pk: a for a in bureaus.values()}
    for parent_id, unit in units.items():
        if parent_id in bureau_of:
            bureau_of[unit.pk] = bureau_of[parent_id]
    # the demo's officers (what the roster of a plan takes) and team leads, per bureau
    existing: collections.Counter[str] = collections.Counter()
    leads: dict[str, int] = {}
    for user_id, agency_id in (
        RoleAssignment.objects.filter(role=Role.TEAM_LEAD, user__agency__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "user__agency_id")
    ):
        bureau = bureau_of.get(agency_id)
        if bureau is not None:
            leads.setdefault(bureau.jurisdiction_id, user_id)
    for _user_id, agency_id in (
        User.objects.filter(roles__role__in=[Role.OFFICER, Role.TEAM_LEAD])
        .distinct()
        .values_list("pk", "agency_id")
    ):
        bureau = bureau_of.get(agency_id)
        if bureau is not None:
            existing[bureau.jurisdiction_id] += 1
    targets = officer_targets(world, bureaus)
    password = User.objects.filter(username="prov_lead").values_list("password", flat=True)[0]
    sector_codes = list(world.sectors)
    users: list[Any] = []
    is_lead: list[bool] = []
    for code, target in sorted(targets.items()):
        bureau = bureaus[code]
        need = max(target - existing[code], 0)
        if code not in leads and need == 0 and target > 0:
            need = 1  # a lead to act for the office
        for n in range(1, need + 1):
            lead = n == 1 and code not in leads
            agency = bureau if lead or n % 2 == 0 else units.get(bureau.pk, bureau)
            users.append(
                User(
                    username=f"bench_{code}_{n}",
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    agency=agency,
                    password=password,
                )
            )
            is_lead.append(lead)
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        if users and users[0].pk is None:
            ids = dict(
                User.objects.filter(username__startswith="bench_").values_list("username", "pk")
            )
            for u in users:
                u.pk = ids[u.username]
        roles = [RoleAssignment(user_id=u.pk, role=Role.OFFICER) for u in users]
        roles += [
            RoleAssignment(user_id=u.pk, role=Role.TEAM_LEAD)
            for u, lead in zip(users, is_lead, strict=True)
            if lead
        ]
        RoleAssignment.objects.bulk_create(roles, batch_size=2000)
        certificates = []
        for n, u in enumerate(users, start=1):
            valid_from = dt.date(rng.choice((2024, 2025)), rng.randint(1, 12), 1)
            certificates.append(
                Certificate(
                    officer_id=u.pk,
                    number=f"B{u.agency.jurisdiction_id}{valid_from.year}{n:05d}",
                    issuing_authority="新疆维吾尔自治区人民政府",
                    valid_from=valid_from,
                    valid_until=valid_from + dt.timedelta(days=3 * 365 - 1),
                )
            )
        Certificate.objects.bulk_create(certificates, batch_size=1000)
        if certificates and certificates[0].pk is None:
            ids = dict(
                Certificate.objects.filter(number__startswith="B").values_list("number", "pk")
            )
            for c in certificates:
                c.pk = ids[c.number]
        through = Certificate.sectors.through
        through.objects.bulk_create(
            (
                through(certificate_id=c.pk, sector_id=s)
                for c in certificates
                for s in rng.sample(sector_codes, k=rng.randint(4, 10))
            ),
            batch_size=5000,
        )
    for u, lead in zip(users, is_lead, strict=True):
        if lead:
            leads[u.agency.jurisdiction_id] = u.pk
    offices = {}
    for code, bureau in bureaus.items():
        if code in leads:
            offices[code] = Office(
                pk=bureau.pk,
                code=bureau.code,
                name=bureau.name,
                level=bureau.jurisdiction.level,
                jurisdiction=code,
                lead_id=leads[code],
            )
    return offices


def add_enterprises(world: Any, rng: random.Random) -> list[tuple[int, str, str, int]]:
    """ENTERPRISES enterprises by executemany; returns (pk, sector, county, agency pk)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_registry import COPY_COLUMNS, generate
    from inspectorate.registry.models import Enterprise

    columns = [c for c in COPY_COLUMNS if c not in ("version", "created_at", "updated_at")]
    now = timezone.now()
    table = Enterprise._meta.db_table
    credit = ["A"] * 15 + ["B"] * 27 + ["C"] * 5 + ["D"] * 3 + [""] * 50
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, credit_class, version, created_at, "
        f"updated_at) VALUES ({', '.join(['%s'] * (len(columns) + 4))})"
    )
    rows = (
        [r[c] for c in columns] + [rng.choice(credit), 1, now, now]
        for r in generate(world, ENTERPRISES, start=0, seed=SEED)
    )
    with transaction.atomic(), connection.cursor() as cur:
        while batch := [row for _, row in zip(range(20_000), rows, strict=False)]:
            cur.executemany(sql, batch)
    return list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "sector_id", "jurisdiction_id", "supervising_agency_id"
        )
    )


def add_planning_facts(
    rng: random.Random, enterprises: list[tuple[int, str, str, int]], offices: dict[str, Office]
) -> dict[str, int]:
    """Major hazard sources, last year's risk signals, recusals and equipment."""
    from django.db import transaction

    from inspectorate.org.models import RoleAssignment
    from inspectorate.org.roles import Role
    from inspectorate.planning.models import (
        AgencyEquipment,
        EquipmentKind,
        Recusal,
        RiskSignal,
        SignalKind,
    )
    from inspectorate.registry.models import MajorHazardSource

    hazards = []
    signals = []
    start = dt.date(YEAR - 1, 1, 1)
    with_hazard = 0
    for pk, sector, _county, _agency in enterprises:
        if (sector.startswith("hazchem") or sector == "petroleum") and rng.random() < 0.14:
            with_hazard += 1
            for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
                hazards.append(
                    MajorHazardSource(
                        enterprise_id=pk,
                        name=f"{rng.choice(['储罐区', '生产装置区', '仓库', '装卸区'])}{k + 1}",
                        level=rng.choices((1, 2, 3, 4), (1, 2, 3, 4))[0],
                        identified_on=start - dt.timedelta(days=rng.randint(30, 2000)),
                    )
                )
        roll = rng.random()
        kind = (
            SignalKind.ACCIDENT
            if roll < 0.003
            else SignalKind.OPEN_MAJOR_HAZARD
            if roll < 0.010
            else SignalKind.COMPLAINT
            if roll < 0.030
            else None
        )
        if kind is not None:
            signals.append(
                RiskSignal(
                    enterprise_id=pk,
                    kind=kind,
                    occurred_on=start + dt.timedelta(days=rng.randrange(365)),
                    note="bench",
                )
            )
    # recusals: an officer and an enterprise of their office's county
    by_county: dict[str, list[int]] = collections.defaultdict(list)
    for pk, _sector, county, _agency in enterprises:
        by_county[county].append(pk)
    officers = list(
        RoleAssignment.objects.filter(role=Role.OFFICER, user__agency__isnull=False).values_list(
            "user_id", "user__agency__jurisdiction_id"
        )
    )
    recusals: dict[tuple[int, int], Recusal] = {}
    for officer_id, county in rng.sample(officers, int(len(officers) * RECUSALS_PER_OFFICER)):
        if by_county.get(county):
            eid = rng.choice(by_county[county])
            recusals[officer_id, eid] = Recusal(
                officer_id=officer_id, enterprise_id=eid, reason="近亲属在该单位任职（基准数据）"
            )
    equipment = []
    for office in offices.values():
        n = office.officers
        equipment += [
            AgencyEquipment(
                agency_id=office.pk, kind=EquipmentKind.GAS_DETECTOR, count=max(2, n // 6)
            ),
            AgencyEquipment(
                agency_id=office.pk, kind=EquipmentKind.EX_CAMERA, count=max(1, n // 15)
            ),
            AgencyEquipment(agency_id=office.pk, kind=EquipmentKind.DRONE, count=max(1, n // 20)),
        ]
    with transaction.atomic():
        MajorHazardSource.objects.bulk_create(hazards, batch_size=5000)
        RiskSignal.objects.bulk_create(signals, batch_size=5000)
        Recusal.objects.bulk_create(recusals.values(), batch_size=5000)
        AgencyEquipment.objects.bulk_create(equipment)
    return {
        "with_hazard": with_hazard,
        "hazard_sources": len(hazards),
        "signals": len(signals),
        "recusals": len(recusals),
    }


def count_officers(offices: dict[str, Office]) -> int:
    from inspectorate.org.models import Agency
    from inspectorate.planning.services import roster_officers

    total = 0
    for office in offices.values():
        office.officers = roster_officers(Agency.objects.get(pk=office.pk)).count()
        total += office.officers
    return total


# --- the measured part -------------------------------------------------------------------


class PhaseTimer:
    """Wall time of named steps, by wrapping the module functions that plan_build calls
    (the services look them up in their modules at each call). A step that runs inside
    itself (say, a solver calling the module's greedy) is counted once."""

    def __init__(self) -> None:
        self.current: dict[str, float] = collections.defaultdict(float)
        self.total: dict[str, float] = collections.defaultdict(float)
        self._active: set[str] = set()
        self._saved: list[tuple[Any, str, Any]] = []

    def wrap(self, module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if label in self._active or (label.startswith("  ") and self._active & SOLVER):
                return original(*args, **kwargs)
            self._active.add(label)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self._active.discard(label)
                self.current[label] += elapsed
                self.total[label] += elapsed

        self._saved.append((module, name, original))
        setattr(module, name, timed)

    def take(self) -> dict[str, float]:
        taken = dict(self.current)
        self.current.clear()
        return taken

    def restore(self) -> None:
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved.clear()


PHASES = [
    # (module, function, label); the indented ones are parts of plan_assign
    ("services", "plan_create", "plan_create"),
    ("services", "plan_capacity_set", "plan_capacity_set"),
    ("services", "plan_compose", "plan_compose"),
    ("services", "draw_commit", "draw_commit"),
    ("services", "draw_execute", "draw_execute"),
    ("services", "plan_assign", "plan_assign"),
    ("services", "build_problem", "  build_problem (read the plan)"),
    ("assignment", "greedy", "  assignment.greedy (baseline)"),
    ("assignment", "solve", "  assignment.solve (CP-SAT)"),
    ("services", "_write_solution", "  _write_solution"),
]
SOLVER = frozenset({"  assignment.greedy (baseline)", "  assignment.solve (CP-SAT)"})


@contextmanager
def phase_timer() -> Iterator[PhaseTimer]:
    from inspectorate.planning import assignment, services

    modules = {"services": services, "assignment": assignment}
    timer = PhaseTimer()
    for module, name, label in PHASES:
        timer.wrap(modules[module], name, label)
    try:
        yield timer
    finally:
        timer.restore()


def build_plans(
    offices: list[Office], total_officers: int, say: Callable[[str], None]
) -> tuple[float, dict[str, float]]:
    """plan_create, plan_capacity_set and plan_build for every office: the wall time, and
    the seconds of each step summed over the offices (``cpu``: the process's CPU time)."""
    from inspectorate.org.models import User
    from inspectorate.planning import services
    from inspectorate.planning.demo import DEDUCTIONS_PER_OFFICER

    rng = random.Random(SEED + 7)
    actors = {u.pk: u for u in User.objects.filter(pk__in=[o.lead_id for o in offices])}
    for office in offices:
        office.time_limit = max(
            MIN_TIME_LIMIT_S, SOLVER_BUDGET_S * office.officers / total_officers
        )
    seeds = {o.code: f"{rng.getrandbits(256):064x}" for o in offices}
    profile_path = os.environ.get("BENCH_PROFILE", "")
    profiler = cProfile.Profile() if profile_path else None
    with phase_timer() as timer:
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        cpu_started = time.process_time()
        for n, office in enumerate(offices, start=1):
            actor = actors[office.lead_id]
            office_started = time.perf_counter()
            plan = services.plan_create(actor=actor, year=YEAR, today=TODAY)
            roster = list(plan.roster.order_by("officer_id").values_list("officer_id", flat=True))
            away = rng.sample(roster, int(len(roster) * LEAVE_SHARE))
            plan = services.plan_capacity_set(
                actor=actor,
                plan_id=plan.pk,
                expected_version=plan.version,
                deductions={k: v * len(roster) for k, v in DEDUCTIONS_PER_OFFICER.items()},
                random_share="0.30",
                reserve_share="0.10",
                leave={officer_id: [rng.randint(1, 12)] for officer_id in away} or None,
            )
            plan = services.plan_build(
                actor=actor,
                plan_id=plan.pk,
                expected_version=plan.version,
                seed=seeds[office.code],
                time_limit=office.time_limit,
            )
            office.seconds = time.perf_counter() - office_started
            office.phases = timer.take()
            office.plan_id = plan.pk
            office.solver = dict(plan.solver)
            if n % 20 == 0 or n == len(offices):
                say(f"  {n}/{len(offices)} offices planned, {time.perf_counter() - started:.1f} s")
        seconds = time.perf_counter() - started
        totals = dict(timer.total)
        totals["cpu"] = time.process_time() - cpu_started
        if profiler is not None:
            profiler.disable()
    if profiler is not None:
        profiler.dump_stats(profile_path)
        say(f"profile written to {profile_path}")
    return seconds, totals


# --- results -----------------------------------------------------------------------------


def collect(offices: list[Office]) -> dict[str, Any]:
    """Counts of units and visits, from the database."""
    from django.db.models import Count

    from inspectorate.planning.models import Plan, PlannedUnit, PlannedVisit

    units = collections.Counter(
        {
            (r["origin"], r["state"]): r["n"]
            for r in PlannedUnit.objects.values("origin", "state").annotate(n=Count("id"))
        }
    )
    uncovered = collections.Counter(
        {
            r["uncovered_reason"]: r["n"]
            for r in PlannedUnit.objects.filter(state="uncovered")
            .values("uncovered_reason")
            .annotate(n=Count("id"))
        }
    )
    visits = PlannedVisit.objects.filter(cancelled=False, unit__state="planned")
    reasons = collections.Counter(
        {
            r["unassigned_reason"]: r["n"]
            for r in visits.filter(team__isnull=True)
            .values("unassigned_reason")
            .annotate(n=Count("id"))
        }
    )
    by_plan = {r["plan_id"]: r["n"] for r in visits.values("plan_id").annotate(n=Count("id"))}
    teams = dict(Plan.objects.annotate(n=Count("teams")).values_list("pk", "n"))
    for office in offices:
        office.visits = by_plan.get(office.plan_id, 0)
        office.teams = teams.get(office.plan_id, 0)
    return {
        "visits": visits.count(),
        "assigned": visits.filter(team__isnull=False).count(),
        "unassigned": visits.filter(team__isnull=True).count(),
        "reasons": reasons,
        "key_planned": units["key", "planned"],
        "key_uncovered": units["key", "uncovered"],
        "random": units["random", "planned"],
        "uncovered": uncovered,
    }


def check_solutions(offices: list[Office]) -> list[str]:
    """Every written assignment against the hard constraints (``assignment.violations``),
    and its objective against the one the plan reports."""
    from inspectorate.planning import assignment as asg
    from inspectorate.planning.models import Plan, PlannedVisit
    from inspectorate.planning.services import build_problem

    problems: list[str] = []
    for office in offices:
        plan = Plan.objects.select_related("agency").get(pk=office.plan_id)
        problem, by_key, _teams = build_problem(plan, keep_previous=True)
        reasons = dict(
            PlannedVisit.objects.filter(plan=plan, team__isnull=True).values_list(
                "pk", "unassigned_reason"
            )
        )
        solution = asg.Solution(
            assigned=dict(problem.previous),
            unassigned={
                key: reasons.get(int(key[1:]), "") or asg.Unassigned.CAPACITY
                for key in by_key
                if key not in problem.previous
            },
            status="written",
            objective=0.0,
            bound=0.0,
            seconds=0.0,
            risk_covered=0,
        )
        found = asg.violations(problem, solution)
        if found:
            problems.append(f"{office.code}: {len(found)} violations, e.g. {found[0]}")
        objective = asg.objective_value(problem, solution)
        if office.solver and abs(objective - float(office.solver["objective"])) > 0.5:
            problems.append(
                f"{office.code}: the written plan's objective {objective:.0f} is not the "
                f"reported {float(office.solver['objective']):.0f}"
            )
    return problems


def aggregate(offices: list[Office]) -> dict[str, Any]:
    """Sums over the offices of the solver's figures (``plan.solver``)."""
    solved = [o for o in offices if o.solver]
    bound = sum(float(o.solver["bound"]) for o in solved)
    objective = sum(float(o.solver["objective"]) for o in solved)
    risk = sum(int(o.solver["risk_covered"]) for o in solved)
    greedy = [o.solver.get("greedy", {}) for o in solved]
    greedy_risk = sum(int(g.get("risk_covered", 0)) for g in greedy)
    return {
        "bound": bound,
        "objective": objective,
        "gap": (bound - objective) / bound if bound else 0.0,
        "risk": risk,
        "greedy_risk": greedy_risk,
        "greedy_ratio": greedy_risk / risk if risk else 0.0,
        "greedy_objective": sum(float(g.get("objective", 0)) for g in greedy),
        "assigned": sum(int(o.solver.get("assigned", 0)) for o in solved),
        "greedy_assigned": sum(int(g.get("assigned", 0)) for g in greedy),
        "statuses": collections.Counter(str(o.solver.get("status", "?")) for o in offices),
        "solver_seconds": sum(float(o.solver.get("seconds", 0)) for o in solved),
        "worst_gap": max(solved, key=lambda o: float(o.solver["gap"]), default=None),
    }


# --- main --------------------------------------------------------------------------------


def main() -> int:
    started = time.perf_counter()
    machine = bench.machine()
    with tempfile.TemporaryDirectory(prefix="inspectorate-bench-") as var_dir:
        from bench.bench_registry import setup_django

        setup_django(f"sqlite:///{var_dir}/bench.sqlite3", var_dir)
        return run(machine, started)


def run(machine: dict[str, str], started: float) -> int:
    import sqlite3

    from django.core.management import call_command

    from bench.bench_registry import World
    from inspectorate.org.demo import load_demo

    say = say_from(started)
    rng = random.Random(SEED)
    call_command("migrate", verbosity=0)
    demo = load_demo(enterprises=0)
    world = World.load()
    offices_by_code = add_officers(world, rng)
    total_officers = count_officers(offices_by_code)
    say(
        f"organisation: {demo.agencies} agencies, {len(offices_by_code)} bureaus with a lead, "
        f"{total_officers:,} officers on their rosters"
    )
    enterprises = add_enterprises(world, rng)
    say(f"{len(enterprises):,} enterprises")
    facts = add_planning_facts(rng, enterprises, offices_by_code)
    say(
        f"{facts['with_hazard']:,} enterprises with {facts['hazard_sources']:,} major hazard "
        f"sources, {facts['signals']:,} risk signals of {YEAR - 1}, {facts['recusals']:,} "
        "recusals, equipment per bureau"
    )
    levels = {"county": 0, "prefecture": 1, "province": 2}
    offices = sorted(
        (o for o in offices_by_code.values() if o.officers > 0),
        key=lambda o: (levels[o.level], o.jurisdiction),
    )
    setup_seconds = time.perf_counter() - started
    load_before = os.getloadavg()[0]
    say(f"setup done; building {len(offices)} plans; load average {load_before:.1f}")
    seconds, phases = build_plans(offices, total_officers, say)
    load_after = os.getloadavg()[0]
    say(
        f"all plans built in {seconds:.1f} s (CPU {phases['cpu']:.1f} s); load average "
        f"{load_after:.1f}"
    )
    for _module, _name, label in PHASES:
        say(f"  {label:34s} {phases.get(label, 0.0):6.1f} s")

    counts = collect(offices)
    totals = aggregate(offices)
    problems = check_solutions(offices)
    say(f"written assignments checked: {len(problems)} problem(s)")
    for p in problems[:10]:
        say(f"  {p}")

    failures = []
    if seconds > TARGET_SECONDS:
        failures.append(f"{seconds:.1f} s > {TARGET_SECONDS:.0f} s")
    if problems:
        failures.append(f"{len(problems)} plan(s) fail the check of the written assignment")

    figures = {
        "enterprises": str(len(enterprises)),
        "officers": str(total_officers),
        "seconds": f"{seconds:.1f}",
        "gap": f"{totals['gap']:.4f}",
        "greedy_ratio": f"{totals['greedy_ratio']:.3f}",
    }
    line = bench.last_line(NAME, figures)
    report = _report(
        machine=machine,
        sqlite_version=sqlite3.sqlite_version,
        setup_seconds=setup_seconds,
        demo_agencies=demo.agencies,
        enterprises=len(enterprises),
        total_officers=total_officers,
        facts=facts,
        offices=offices,
        seconds=seconds,
        phases=phases,
        counts=counts,
        totals=totals,
        load=(load_before, load_after),
        failures=failures,
        problems=problems,
        elapsed=time.perf_counter() - started,
        line=line,
    )
    if QUICK:
        print(report)
    else:
        bench.append_report("planning", report)
        say(f"report appended to {bench.DOCS.relative_to(bench.ROOT)}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}", file=sys.stderr, flush=True)
    print(line, flush=True)
    return 1 if failures else 0


def _report(
    *,
    machine: dict[str, str],
    sqlite_version: str,
    setup_seconds: float,
    demo_agencies: int,
    enterprises: int,
    total_officers: int,
    facts: dict[str, int],
    offices: list[Office],
    seconds: float,
    phases: dict[str, float],
    counts: dict[str, Any],
    totals: dict[str, Any],
    load: tuple[float, float],
    failures: list[str],
    problems: list[str],
    elapsed: float,
    line: str,
) -> str:
    out = io.StringIO()
    w = out.write
    w(
        f"Machine: {machine['cpus']} CPUs, {machine['memory']} RAM, {machine['os']}; Python "
        f"{machine['python']}; SQLite {sqlite_version} (WAL, a file in a temporary "
        f"directory); one process, CP-SAT with one worker. Run time {elapsed:.0f} s, of which "
        f"setup {setup_seconds:.0f} s (not measured).\n\n"
    )
    w(
        f"Data: the demo organisation ({demo_agencies} agencies) with {total_officers:,} "
        f"officers on the rosters of {len(offices)} bureaus; {enterprises:,} enterprises, "
        f"{facts['with_hazard']:,} of them with {facts['hazard_sources']:,} major hazard "
        f"sources; {facts['signals']:,} risk signals of {YEAR - 1}; {facts['recusals']:,} "
        f"recusals. Plans for {YEAR} made on {TODAY.isoformat()}, one office after the other "
        "(counties, prefectures, the province), each with plan_create, plan_capacity_set and "
        "plan_build; the solver's time limit of an office is its share by officers of "
        f"{SOLVER_BUDGET_S:.0f} s (at least {MIN_TIME_LIMIT_S} s; it includes the solver's "
        "own preparation, and the solver stops earlier within its gap limit).\n\n"
    )
    by_level: dict[str, list[Office]] = collections.defaultdict(list)
    for o in offices:
        by_level[o.level].append(o)
    w(
        "| Level | Offices | Officers | Teams | Planned visits | Assigned (solver / greedy) "
        "| Seconds | of which assignment.solve | Gap | Greedy / solver risk |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    for level in ("county", "prefecture", "province"):
        group = by_level.get(level, [])
        if group:
            agg = aggregate(group)
            w(
                f"| {level} | {len(group)} | {sum(o.officers for o in group):,} | "
                f"{sum(o.teams for o in group):,} | {sum(o.visits for o in group):,} | "
                f"{agg['assigned']:,} / {agg['greedy_assigned']:,} | "
                f"{sum(o.seconds for o in group):.1f} | {agg['solver_seconds']:.1f} | "
                f"{agg['gap']:.4f} | {agg['greedy_ratio']:.3f} |\n"
            )
    w(
        f"| **all** | {len(offices)} | {total_officers:,} | "
        f"{sum(o.teams for o in offices):,} | {counts['visits']:,} | "
        f"{totals['assigned']:,} / {totals['greedy_assigned']:,} | **{seconds:.1f}** | "
        f"{totals['solver_seconds']:.1f} | **{totals['gap']:.4f}** | "
        f"**{totals['greedy_ratio']:.3f}** |\n\n"
    )
    w(
        "Where the time went (wall seconds summed over the offices; the indented steps are "
        f"parts of plan_assign). CPU time of the process: {phases.get('cpu', 0):.1f} s of "
        f"{seconds:.1f} s.\n\n| Step | Seconds | Share |\n|---|---|---|\n"
    )
    for _module, _name, label in PHASES:
        value = phases.get(label, 0.0)
        step = f"&nbsp;&nbsp;{label.strip()}" if label.startswith("  ") else label
        w(f"| {step} | {value:.1f} | {100 * value / seconds:.0f} % |\n")
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(totals["statuses"].items()))
    reasons = ", ".join(f"{k or '?'} {v:,}" for k, v in counts["reasons"].most_common())
    uncovered = ", ".join(f"{k} {v:,}" for k, v in counts["uncovered"].most_common())
    w(
        f"\nPlans: {counts['key_planned']:,} key units planned and {counts['key_uncovered']:,} "
        f"uncovered ({uncovered or 'none'}), {counts['random']:,} units drawn at random; "
        f"{counts['visits']:,} planned inspections, {counts['assigned']:,} assigned to a team "
        f"and month, {counts['unassigned']:,} not ({reasons or 'none'}). Solver status per "
        f"office: {statuses}. Sums over the offices: objective {totals['objective']:,.0f}, "
        f"bound {totals['bound']:,.0f}; risk covered {totals['risk']:,} by the solver, "
        f"{totals['greedy_risk']:,} by the greedy baseline, whose objective is "
        f"{totals['greedy_objective']:,.0f}.\n\n"
    )
    w(
        "Slowest offices:\n\n| Office | Officers | Teams | Planned visits | Seconds | "
        "assignment.solve seconds (limit) | Status | Gap |\n|---|---|---|---|---|---|---|---|\n"
    )
    for o in sorted(offices, key=lambda o: -o.seconds)[:5]:
        w(
            f"| {o.name} ({o.code}) | {o.officers} | {o.teams} | {o.visits:,} | "
            f"{o.seconds:.1f} | {float(o.solver.get('seconds', 0)):.1f} ({o.time_limit:.2f}) | "
            f"{o.solver.get('status', '?')} | {float(o.solver.get('gap', 0)):.4f} |\n"
        )
    worst = totals["worst_gap"]
    if worst is not None:
        w(
            f"\nLargest gap of one office: {worst.name} ({worst.code}), "
            f"{float(worst.solver['gap']):.4f} (status {worst.solver['status']}).\n"
        )
    w(
        "\nEvery written assignment was checked afterwards (not measured) with "
        "`assignment.violations` and `assignment.objective_value`: "
        f"{'no problem' if not problems else '; '.join(problems[:5])}. "
        f"Load average before / after: {load[0]:.1f} / {load[1]:.1f}.\n"
    )
    if failures:
        w("\n**Targets missed:** " + "; ".join(failures) + ".\n")
    else:
        w(f"\nTarget met (composition, draw and assignment <= {TARGET_SECONDS:.0f} s).\n")
    w(f"\n```\n{line}\n```\n")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
