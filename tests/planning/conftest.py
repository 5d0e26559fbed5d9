"""A small planning world on top of ``world`` (``tests/conftest.py``): ``planning_world``.

The offices get their real hierarchy (region ← 乌鲁木齐市 ← 天山区, 沙依巴克区; region ←
克拉玛依市, 昌吉州) and 天山区 gets an enforcement brigade. Its roster is four certified
officers: ``world.tianshan_officer``, ``world.tianshan_lead`` and two brigade officers
(inactive accounts and heads are not on a roster). It owns a portable gas detector and an
explosion-proof recorder, and no drone.

天山区's operating units, by what the rules (``planning.rules``) make of them for 2026:

=============  ==================  =======  ========  ==========================  ====
name           sector              std      risk      why key                     risk
=============  ==================  =======  ========  ==========================  ====
k_hazard       hazchem_storage     level2   general   major hazard source lvl 1   14
k_accident     light_industry      level2   low       accident in 2025            12
k_mine         noncoal_mine        level1   major     high-risk class, minimum 2  11
k_open         commerce            level1   general   open major hazard (2025)    10
k_high         metallurgy          level2   signif.   high-risk class              9
k_minimum      hazchem_use         none     general   class minimum 1              8
=============  ==================  =======  ========  ==========================  ====

Cost (team half days): k_hazard 2, k_accident 1, k_mine 2 × 3, k_open 1, k_high 3,
k_minimum 2 — 15 in all. Not key: ``world.ent_tianshan`` and ``world.ent_tianshan_2``
(hazchem production, level 3, cost 3 each), ``n_old_accident`` (an accident in 2024),
``n_complaint`` (a complaint in 2025), ``n_machinery`` (significant, but not a high-risk
sector), and the 20 units of ``pool`` (commerce and machinery, cost 1 each). A closed unit
with a major hazard source is in no plan.

``DEDUCTIONS`` leave 260 inspection days to the four officers (992 − 732): reserve 26,
plannable 234, random 70, key 164. Each team then has 8–10 half days a month, far more
than the plan needs, so the solver has room to move (the adjustment tests rely on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.org.models import Agency, AgencyKind, User
from inspectorate.planning import assignment as asg
from inspectorate.planning import services
from inspectorate.planning.models import (
    AgencyEquipment,
    EquipmentKind,
    Plan,
    PlannedVisit,
    RiskSignal,
    SignalKind,
)
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    ClosedEnterpriseFactory,
    EnterpriseFactory,
    MajorHazardSourceFactory,
    UserFactory,
    sector,
)

YEAR = 2026
PLAN_DAY = dt.date(2026, 1, 5)  # the day plans are made in these tests
SEED = "5eed" * 16
OTHER_SEED = "abcd" * 16
ALL_SECTORS = [
    "hazchem_production",
    "hazchem_storage",
    "hazchem_use",
    "metallurgy",
    "noncoal_mine",
    "light_industry",
    "commerce",
    "machinery",
]
DEDUCTIONS = {"duty": 300, "study": 200, "annual_leave": 100, "licensing": 82, "complaints": 50}


@dataclass
class PlanningWorld:
    world: World
    brigade: Agency  # 天山区's enforcement brigade
    officers: list[User]  # 天山区's roster, all certified for ALL_SECTORS
    units: dict[str, Enterprise]  # the named units of the module docstring
    pool: list[Enterprise] = field(default_factory=list)
    closed: Enterprise | None = None

    @property
    def lead(self) -> User:
        return self.world.tianshan_lead

    @property
    def head(self) -> User:
        return self.world.tianshan_head

    @property
    def tianshan(self) -> Agency:
        return self.world.tianshan

    @property
    def key_names(self) -> list[str]:
        return ["k_hazard", "k_accident", "k_mine", "k_open", "k_high", "k_minimum"]

    def key_ids(self) -> set[int]:
        return {self.units[n].pk for n in self.key_names}


def _unit(name: str, sector_code: str, std: str, risk: str, agency: Agency, **kw: Any) -> Any:
    return EnterpriseFactory(
        name=name,
        jurisdiction_code="650102",
        supervising_agency=agency,
        sector=sector(sector_code),
        standardisation_level=std,
        risk_class=risk,
        **kw,
    )


def build_planning_world(world: World) -> PlanningWorld:
    # the real hierarchy of the offices
    Agency.objects.filter(pk=world.prefecture.pk).update(parent=world.province)
    Agency.objects.filter(pk__in=[world.karamay.pk, world.changji.pk]).update(parent=world.province)
    Agency.objects.filter(pk__in=[world.tianshan.pk, world.shayibake.pk]).update(
        parent=world.prefecture
    )
    for agency in (world.prefecture, world.karamay, world.changji, world.tianshan):
        agency.refresh_from_db()
    world.shayibake.refresh_from_db()
    brigade = AgencyFactory(
        jurisdiction_code="650102",
        name="天山区应急管理综合行政执法大队",
        kind=AgencyKind.BRIGADE,
        parent=world.tianshan,
    )
    officers = [
        world.tianshan_officer,
        world.tianshan_lead,
        UserFactory(username="ts_brigade_1", name="大队甲", agency=brigade),
        UserFactory(username="ts_brigade_2", name="大队乙", agency=brigade),
    ]
    for n, officer in enumerate(officers, start=1):
        CertificateFactory(officer=officer, number=f"6501022025{n:04d}", sectors=ALL_SECTORS)
    AgencyEquipment.objects.create(agency=world.tianshan, kind=EquipmentKind.GAS_DETECTOR, count=1)
    AgencyEquipment.objects.create(agency=world.tianshan, kind=EquipmentKind.EX_CAMERA, count=1)

    ts = world.tianshan
    units = {
        "k_hazard": _unit("天山储运有限公司", "hazchem_storage", "level2", "general", ts),
        "k_accident": _unit("天山轻工有限公司", "light_industry", "level2", "low", brigade),
        "k_mine": _unit("天山采石场", "noncoal_mine", "level1", "major", ts),
        "k_open": _unit("天山商贸有限公司", "commerce", "level1", "general", ts),
        "k_high": _unit("天山冶炼有限公司", "metallurgy", "level2", "significant", ts),
        "k_minimum": _unit("天山涂装有限公司", "hazchem_use", "none", "general", brigade),
        "n_old_accident": _unit("天山老事故商行", "commerce", "level2", "low", ts),
        "n_complaint": _unit("天山投诉商行", "commerce", "level2", "low", ts),
        "n_machinery": _unit("天山机械厂", "machinery", "level2", "significant", ts),
    }
    MajorHazardSourceFactory(enterprise=units["k_hazard"], level=1)
    signals = [
        ("k_accident", SignalKind.ACCIDENT, dt.date(2025, 5, 20)),
        ("k_open", SignalKind.OPEN_MAJOR_HAZARD, dt.date(2025, 9, 1)),
        ("n_old_accident", SignalKind.ACCIDENT, dt.date(2024, 6, 1)),
        ("n_complaint", SignalKind.COMPLAINT, dt.date(2025, 3, 3)),
    ]
    for name, kind, day in signals:
        RiskSignal.objects.create(enterprise=units[name], kind=kind, occurred_on=day)
    pool = [
        _unit(
            f"天山{'商贸' if i % 2 else '机械'}{i:02d}号",
            "commerce" if i % 2 else "machinery",
            "level2",
            "low" if i % 3 else "general",
            brigade if i % 4 == 0 else ts,
        )
        for i in range(20)
    ]
    closed = ClosedEnterpriseFactory(
        name="天山已关闭化工厂", jurisdiction_code="650102", supervising_agency=ts
    )
    MajorHazardSourceFactory(enterprise=closed, level=1)
    return PlanningWorld(
        world=world, brigade=brigade, officers=officers, units=units, pool=pool, closed=closed
    )


@pytest.fixture
def planning_world(world: World) -> PlanningWorld:
    return build_planning_world(world)


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.date]:
    """``timezone.localdate()`` is PLAN_DAY (the API does not take a ``today``)."""
    yield from freeze_localdate(monkeypatch, PLAN_DAY)


def freeze_localdate(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> Iterator[dt.date]:
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return day if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    yield day


# --- building plans through the services ---------------------------------------------------


def new_plan(
    pw: PlanningWorld,
    *,
    deductions: dict[str, int] | None = None,
    random_share: str = "0.30",
    reserve_share: str = "0.10",
    leave: dict[int, list[int]] | None = None,
    year: int = YEAR,
) -> Plan:
    """A draft plan of 天山区 with its capacity set."""
    plan = services.plan_create(actor=pw.lead, year=year, today=dt.date(year, 1, 5))
    return services.plan_capacity_set(
        actor=pw.lead,
        plan_id=plan.pk,
        expected_version=plan.version,
        deductions=DEDUCTIONS if deductions is None else deductions,
        random_share=random_share,
        reserve_share=reserve_share,
        leave=leave,
    )


def build(pw: PlanningWorld, plan: Plan, seed: str = SEED) -> Plan:
    return services.plan_build(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, seed=seed, time_limit=2
    )


def approve(pw: PlanningWorld, plan: Plan) -> Plan:
    plan = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    return services.plan_approve(actor=pw.head, plan_id=plan.pk, expected_version=plan.version)


def approved_plan(pw: PlanningWorld, **kw: Any) -> Plan:
    return approve(pw, build(pw, new_plan(pw, **kw)))


def solution_from_db(plan: Plan) -> tuple[asg.Problem, asg.Solution]:
    """The plan's problem rebuilt by the services, and the solution the database holds."""
    problem, by_key, teams = services.build_problem(plan)
    team_key = {team.pk: key for key, team in teams.items()}
    rows = {
        f"V{v.pk}": v for v in PlannedVisit.objects.filter(pk__in=[p.pk for p in by_key.values()])
    }
    assigned = {k: (team_key[v.team_id], v.month) for k, v in rows.items() if v.team_id}
    unassigned = {k: v.unassigned_reason for k, v in rows.items() if not v.team_id}
    solution = asg.Solution(
        assigned=assigned,
        unassigned=unassigned,
        status="db",
        objective=0.0,
        bound=0.0,
        seconds=0.0,
        risk_covered=0,
    )
    return problem, solution


def slots(plan: Plan) -> dict[int, tuple[int | None, int | None]]:
    """Every visit of the plan (cancelled ones too): pk -> (team id, month)."""
    return dict(
        (pk, (team, month))
        for pk, team, month in PlannedVisit.objects.filter(plan=plan).values_list(
            "pk", "team_id", "month"
        )
    )
