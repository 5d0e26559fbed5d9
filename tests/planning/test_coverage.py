"""Coverage of the plans of a year (2017 编制办法 Art. 4): 不漏项, 不错位 and the overview."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.utils import translation

from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.planning import coverage
from inspectorate.planning.models import (
    Plan,
    PlannedUnit,
    PlannedVisit,
    PlanState,
    UnitOrigin,
    UnitState,
)
from inspectorate.registry.models import Enterprise
from tests.factories import EnterpriseFactory, MajorHazardSourceFactory, UserFactory, sector
from tests.planning.conftest import PlanningWorld, build, new_plan

pytestmark = pytest.mark.django_db


def _offices(c: coverage.Coverage) -> dict[str, tuple[int, int]]:
    return {o.office: (o.mandatory_units, o.units) for o in c.offices_without_plan}


def _shayibake_units(pw: PlanningWorld) -> list[Enterprise]:
    """Two units of 沙依巴克区 the rules make mandatory, beside the world's one that is not."""
    w = pw.world
    minimum = EnterpriseFactory(
        name="沙依巴克涂装厂", jurisdiction_code="650103", supervising_agency=w.shayibake,
        sector=sector("hazchem_use"), standardisation_level="none",
    )  # fmt: skip
    hazard = EnterpriseFactory(
        name="沙依巴克储运站", jurisdiction_code="650103", supervising_agency=w.shayibake,
        sector=sector("commerce"), standardisation_level="level2", risk_class="low",
    )  # fmt: skip
    MajorHazardSourceFactory(enterprise=hazard, level=3)
    return [minimum, hazard]


def test_offices_without_a_plan_and_their_mandatory_units(planning_world: PlanningWorld) -> None:
    pw = planning_world
    w = pw.world
    _shayibake_units(pw)
    own = EnterpriseFactory(  # the prefecture's own unit: a major hazard source
        name="乌鲁木齐市直管储罐区", jurisdiction_code="650103", supervising_agency=w.prefecture,
        sector=sector("hazchem_storage"), standardisation_level="level1",
    )  # fmt: skip
    MajorHazardSourceFactory(enterprise=own, level=2)

    c = coverage.coverage_for_user(user=w.prefecture_officer, year=2026)
    assert c.plans == 0
    # 天山区: the six key units of its 31; 沙依巴克区: 2 of 3; the prefecture: its own one
    # (not the units of the county bureaus under it). Offices with no units are not listed.
    assert _offices(c) == {
        "乌鲁木齐市应急管理局": (1, 1),
        "天山区应急管理局": (6, 31),
        "沙依巴克区应急管理局": (2, 3),
    }
    assert c.mandatory_missing == 9
    assert (c.uncovered, c.conflicts, c.by_month, c.unassigned) == ([], [], [0] * 12, 0)

    region = coverage.coverage_for_user(user=w.province_officer, year=2026)
    assert _offices(region) == _offices(c) | {
        "克拉玛依市应急管理局": (0, 1),
        "昌吉回族自治州应急管理局": (0, 1),
    }
    county = coverage.coverage_for_user(user=w.shayibake_officer, year=2026)
    assert _offices(county) == {"沙依巴克区应急管理局": (2, 3)}

    # once 天山区 has a plan, it is no longer listed
    build(pw, new_plan(pw))
    c = coverage.coverage_for_user(user=w.prefecture_officer, year=2026)
    assert c.plans == 1
    assert set(_offices(c)) == {"乌鲁木齐市应急管理局", "沙依巴克区应急管理局"}
    assert c.mandatory_missing == 3
    # another year is another question
    assert coverage.coverage_for_user(user=w.prefecture_officer, year=2025).plans == 0


def test_uncovered_key_units_are_listed(planning_world: PlanningWorld) -> None:
    pw = planning_world
    build(
        pw,
        new_plan(pw, deductions={"duty": 984}, reserve_share="0.00", random_share="0.00"),
    )
    with translation.override("en"):
        c = coverage.coverage_for_user(user=pw.world.prefecture_officer, year=2026)
    # by the plan's office, highest risk first
    assert [(u.enterprise_id, u.name, u.office, u.reason) for u in c.uncovered] == [
        (
            pw.units["k_mine"].pk,
            "天山采石场",
            "天山区应急管理局",
            "Inspection capacity is used up",
        ),
        (
            pw.units["k_minimum"].pk,
            "天山涂装有限公司",
            "天山区应急管理局",
            "Inspection capacity is used up",
        ),
    ]
    assert c.mandatory_missing == 2  # 沙依巴克区's only unit is not mandatory
    # out of scope, nothing of it
    other = coverage.coverage_for_user(user=pw.world.karamay_officer, year=2026)
    assert (other.plans, other.uncovered, other.by_month) == (0, [], [0] * 12)


def _prefecture_plan(pw: PlanningWorld, units: list[tuple[Enterprise, list[int | None]]]) -> Plan:
    """An approved plan of the prefecture made directly: each unit with its visits' months."""
    plan = Plan.objects.create(
        agency=pw.world.prefecture, year=2026, state=PlanState.APPROVED,
        created_by=pw.world.prefecture_officer,
    )  # fmt: skip
    for enterprise, months in units:
        unit = PlannedUnit.objects.create(
            plan=plan, enterprise=enterprise, origin=UnitOrigin.KEY, state=UnitState.PLANNED,
            risk=5, visits=len(months), cost=len(months),
        )  # fmt: skip
        for n, month in enumerate(months, start=1):
            PlannedVisit.objects.create(
                unit=unit, plan=plan, sequence=n, month_from=1, month_to=12, effort=1,
                month=month,
            )  # fmt: skip
    return plan


def _independent(user: User) -> dict[str, Any]:
    """The overview counted again, row by row, from the planned visits."""
    prefix = user.agency.jurisdiction.prefix  # type: ignore[union-attr]
    visits = [
        v
        for v in PlannedVisit.objects.select_related(
            "plan__agency", "unit__enterprise__sector", "unit__enterprise__jurisdiction"
        )
        if v.plan.year == 2026
        and v.plan.agency.jurisdiction_id.startswith(prefix)
        and not v.cancelled
        and v.unit.state == UnitState.PLANNED
    ]
    by_month = [0] * 12
    for v in visits:
        if v.month:
            by_month[v.month - 1] += 1
    e = [v.unit.enterprise for v in visits]
    return {
        "by_sector": Counter(x.sector.name for x in e),
        "by_risk_class": Counter(str(x.get_risk_class_display()) for x in e),
        "by_county": Counter(x.jurisdiction.name for x in e),
        "by_month": by_month,
        "unassigned": sum(1 for v in visits if not v.month),
    }


def test_the_overview_counts_what_is_planned(planning_world: PlanningWorld) -> None:
    pw = planning_world
    w = pw.world
    plan = build(pw, new_plan(pw))
    minimum, hazard = _shayibake_units(pw)
    _prefecture_plan(pw, [(minimum, [4, 10]), (hazard, [None]), (w.ent_shayibake, [4])])
    # a removed unit and a cancelled visit do not count
    removed = PlannedUnit.objects.get(plan=plan, enterprise=pw.units["k_open"])
    removed.state = UnitState.REMOVED
    removed.save(update_fields=["state"])
    PlannedVisit.objects.filter(plan=plan, unit__enterprise=pw.units["k_high"]).update(
        cancelled=True
    )

    user = w.prefecture_officer
    with translation.override("en"):
        c = coverage.coverage_for_user(user=user, year=2026)
        expected = _independent(user)
    assert c.plans == 2
    assert dict(c.by_sector) == expected["by_sector"]
    assert dict(c.by_risk_class) == expected["by_risk_class"]
    assert dict(c.by_county) == expected["by_county"]
    assert (c.by_month, c.unassigned) == (expected["by_month"], expected["unassigned"])
    # and the figures themselves: 32 visits of 天山区 less 2 (k_open's, k_high's), plus 4
    assert sum(c.by_month) + c.unassigned == 34
    assert c.unassigned == 3  # the mine's two (no drone) and the prefecture's unscheduled one
    assert dict(c.by_county) == {"天山区": 30, "沙依巴克区": 4}
    assert c.by_county[0] == ("天山区", 30)  # largest first
    assert [n for _s, n in c.by_sector] == sorted((n for _s, n in c.by_sector), reverse=True)
    # the county sees its own plan only
    county = coverage.coverage_for_user(user=pw.lead, year=2026)
    assert (county.plans, dict(county.by_county)) == (1, {"天山区": 30})


def test_a_conflict_shows_in_the_coverage(planning_world: PlanningWorld) -> None:
    pw = planning_world
    build(pw, new_plan(pw))
    _prefecture_plan(pw, [(pw.units["k_hazard"], [5])])
    c = coverage.coverage_for_user(user=pw.world.province_officer, year=2026)
    assert [(x.name, x.offices) for x in c.conflicts] == [
        ("天山储运有限公司", ["乌鲁木齐市应急管理局", "天山区应急管理局"])
    ]
    # 沙依巴克区 does not see 天山区's units, so not their conflicts either
    assert coverage.coverage_for_user(user=pw.world.shayibake_officer, year=2026).conflicts == []


def test_enterprise_users_have_no_coverage(planning_world: PlanningWorld) -> None:
    pw = planning_world
    build(pw, new_plan(pw))
    ent = UserFactory(
        username="ent_user_2", agency=None, enterprise=pw.units["k_hazard"], roles=[Role.ENTERPRISE]
    )
    c = coverage.coverage_for_user(user=ent, year=2026)
    assert (c.plans, c.offices_without_plan, c.uncovered, c.by_month) == (0, [], [], [0] * 12)
