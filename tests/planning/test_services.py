"""Planning writes: composition by the stated rules, the classification table, the plan's
lifecycle, scoping, 不错位 between offices, and the assignment on real data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from inspectorate.core.errors import (
    ApplicationError,
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Jurisdiction, User
from inspectorate.org.roles import Role
from inspectorate.planning import assignment as asg
from inspectorate.planning import coverage, selectors, services
from inspectorate.planning import draw as drawing
from inspectorate.planning.models import (
    ClassBasis,
    ClassificationRule,
    Draw,
    Plan,
    PlanDeduction,
    PlannedUnit,
    PlannedVisit,
    PlanOfficer,
    PlanState,
    Recusal,
    Team,
    UnitOrigin,
    UnitState,
)
from inspectorate.planning.rules import ClassificationTable, UnitFacts, reason_text
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.factories import CertificateFactory, EnterpriseFactory, UserFactory, sector
from tests.planning.conftest import (
    DEDUCTIONS,
    SEED,
    PlanningWorld,
    approve,
    build,
    new_plan,
    slots,
    solution_from_db,
)

pytestmark = pytest.mark.django_db

XINJIANG = "650000"


def _compose(pw: PlanningWorld, plan: Plan) -> Plan:
    return services.plan_compose(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)


def _units(plan: Plan, **filters: Any) -> dict[str, PlannedUnit]:
    return {
        u.enterprise.name: u
        for u in PlannedUnit.objects.filter(plan=plan, **filters).select_related("enterprise")
    }


def _names(pw: PlanningWorld, *keys: str) -> set[str]:
    return {pw.units[k].name for k in keys}


def _state(plan: Plan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    return (
        plan.state,
        plan.version,
        plan.random_share,
        plan.reserve_share,
        sorted(PlanDeduction.objects.filter(plan=plan).values_list("category", "days")),
        PlannedUnit.objects.filter(plan=plan).count(),
        RecordEvent.objects.count(),
    )


# --- create --------------------------------------------------------------------------------


def test_create_takes_the_roster_of_the_office_and_its_teams(
    planning_world: PlanningWorld,
) -> None:
    pw = planning_world
    plan = services.plan_create(actor=pw.lead, year=2026, today=dt.date(2026, 1, 5))
    plan.refresh_from_db()
    roster = dict(
        PlanOfficer.objects.filter(plan=plan).values_list("officer_id", "certificate_number")
    )
    assert roster == {o.pk: f"6501022025000{n}" for n, o in enumerate(pw.officers, start=1)}
    assert (plan.agency_id, plan.year, plan.state, plan.version) == (
        pw.tianshan.pk,
        2026,
        "draft",
        1,
    )
    assert (plan.random_share, plan.reserve_share) == (Decimal("0.30"), Decimal("0.10"))
    assert (plan.capacity["officers"], plan.capacity["total_days"]) == (4, 992)
    event = RecordEvent.objects.get()
    assert (event.kind, event.jurisdiction_code, event.payload) == (
        RecordKind.PLAN_CREATED,
        "650102",
        {"plan": plan.pk, "year": 2026, "officers": 4},
    )


def test_a_brigade_lead_plans_for_the_bureau(planning_world: PlanningWorld) -> None:
    pw = planning_world
    lead = UserFactory(username="brigade_lead", agency=pw.brigade, roles=[Role.TEAM_LEAD])
    plan = services.plan_create(actor=lead, year=2026, today=dt.date(2026, 1, 5))
    assert plan.agency_id == pw.tianshan.pk
    assert plan.roster.count() == 5  # a team lead is on the roster


@pytest.mark.parametrize("who", ["tianshan_officer", "tianshan_reviewer", "enterprise_user"])
def test_create_needs_a_planner(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=getattr(world, who), year=2026, today=dt.date(2026, 1, 5))
    assert (Plan.objects.count(), RecordEvent.objects.count()) == (0, 0)


def test_one_plan_per_office_and_year(planning_world: PlanningWorld) -> None:
    pw = planning_world
    services.plan_create(actor=pw.lead, year=2026, today=dt.date(2026, 1, 5))
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.plan_create(actor=pw.head, year=2026, today=dt.date(2026, 1, 5))
    assert info.value.extra == {
        "fields": {"year": ["This office already has a plan for that year."]}
    }
    assert (Plan.objects.count(), RecordEvent.objects.count()) == (1, 1)


# --- capacity --------------------------------------------------------------------------------


def test_capacity_set(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = new_plan(pw, leave={pw.officers[0].pk: [8, 7, 8]})
    assert plan.version == 2
    c = plan.capacity
    assert (c["total_days"], c["other_enforcement_days"], c["non_enforcement_days"]) == (
        992,
        132,
        600,
    )
    assert (c["inspection_days"], c["reserve_days"], c["plannable_days"]) == (260, 26, 234)
    assert (c["random_days"], c["key_days"]) == (70, 164)
    assert PlanOfficer.objects.get(plan=plan, officer=pw.officers[0]).leave_months == [7, 8]
    event = RecordEvent.objects.get(kind=RecordKind.PLAN_CAPACITY_SET)
    assert event.payload == {
        "plan": plan.pk,
        "year": 2026,
        "deductions": DEDUCTIONS,
        "random_share": "0.30",
        "reserve_share": "0.10",
        "leave": {str(pw.officers[0].pk): [8, 7, 8]},
        "inspection_days": 260,
    }


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"deductions": {"duty": -1}}, {"deductions.duty": ["Days cannot be negative."]}),
        ({"deductions": {"duty": "x"}}, {"deductions.duty": ["Enter a whole number of days."]}),
        ({"deductions": {"naps": 3}}, {"deductions.naps": ["Unknown category."]}),
        ({"random_share": "1.5"}, {"random_share": ["Enter a number between 0 and 1 with two decimals."]}),
        ({"random_share": "0.333"}, {"random_share": ["Enter a number between 0 and 1 with two decimals."]}),
        ({"random_share": "abc"}, {"random_share": ["Enter a number between 0 and 1."]}),
        ({"reserve_share": "1"}, {"reserve_share": ["Enter a number between 0 and 1 with two decimals."]}),
        ({"reserve_share": "-0.1"}, {"reserve_share": ["Enter a number between 0 and 1 with two decimals."]}),
        (
            {"deductions": {"duty": 993}},
            {"deductions": ["The deducted days (993) exceed the statutory working days (992)."]},
        ),
        ({"leave": {999999: [3]}}, {"leave": ["That officer is not on the roster."]}),
        ({"leave": "first"}, {"leave": ["Months are numbers from 1 to 12."]}),
    ],
)  # fmt: skip
def test_capacity_field_errors_change_nothing(
    planning_world: PlanningWorld, kwargs: dict[str, Any], fields: dict[str, list[str]]
) -> None:
    pw = planning_world
    plan = new_plan(pw)
    if kwargs.get("leave") == "first":
        kwargs = {"leave": {pw.officers[0].pk: [0, 13]}}
    before = _state(plan)
    args: dict[str, Any] = {"deductions": {}, "random_share": "0.30", "reserve_share": "0.10"}
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.plan_capacity_set(
            actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, **(args | kwargs)
        )
    assert info.value.extra == {"fields": fields}
    assert _state(plan) == before


# --- composition -------------------------------------------------------------------------


KEY_REASONS = {
    "k_hazard": [{"code": "major_hazard_source", "detail": {"count": 1, "level": 1}}],
    "k_accident": [{"code": "accident_last_year", "detail": {"count": 1}}],
    "k_mine": [
        {"code": "high_risk_class", "detail": {"risk": "major"}},
        {"code": "class_minimum", "detail": {"minimum": 2, "class": "major"}},
    ],
    "k_open": [{"code": "open_major_hazard", "detail": {}}],
    "k_high": [{"code": "high_risk_class", "detail": {"risk": "significant"}}],
    "k_minimum": [{"code": "class_minimum", "detail": {"minimum": 1, "class": "none"}}],
}
# (risk, visits, cost)
KEY_FIGURES = {
    "k_hazard": (14, 1, 2),
    "k_accident": (12, 1, 1),
    "k_mine": (11, 2, 6),
    "k_open": (10, 1, 1),
    "k_high": (9, 1, 3),
    "k_minimum": (8, 1, 2),
}


def test_key_units_by_each_rule(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw))
    units = _units(plan)
    assert set(units) == _names(pw, *pw.key_names)  # and nothing else: not the others
    for key in pw.key_names:
        u = units[pw.units[key].name]
        assert (u.origin, u.state, u.uncovered_reason) == ("key", "planned", ""), key
        assert u.reasons == KEY_REASONS[key], key
        assert (u.risk, u.visits, u.cost) == KEY_FIGURES[key], key
    windows = {
        name: sorted(u.visit_set.values_list("month_from", "month_to")) for name, u in units.items()
    }
    assert windows[pw.units["k_mine"].name] == [(1, 6), (7, 12)]
    assert windows[pw.units["k_hazard"].name] == [(1, 12)]
    assert plan.capacity["key_used"] == 15
    event = RecordEvent.objects.get(kind=RecordKind.PLAN_COMPOSED)
    planned = sorted(pw.key_ids())
    assert event.payload == {
        "plan": plan.pk,
        "year": 2026,
        "pool": 31,  # 6 key + 3 others + the world's 2 + 20; not the closed one
        "key_planned": 6,
        "key_uncovered": 0,
        "key_days_used": 15,
        "key_units_hash": drawing.sha256_text(drawing.canonical_json(planned)),
    }


def test_the_reasons_in_words(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw))
    with translation.override("en"):
        rows = {r.name: r.reasons for r in selectors.unit_rows(plan)}
    assert rows[pw.units["k_mine"].name] == [
        "High-risk sector with risk class “Major (red)”",
        "Its class requires at least 2 inspection(s) a year",
    ]
    assert rows[pw.units["k_hazard"].name] == ["Major hazard sources: 1 (highest level 1)"]
    assert rows[pw.units["k_accident"].name] == ["Accidents last year: 1"]
    assert rows[pw.units["k_open"].name] == ["A major accident hazard last year is not rectified"]
    with translation.override("en"):
        assert reason_text({"code": "random", "detail": {"rank": 3}}) == (
            "Drawn at random (rank 3 in the draw)"
        )


# 8 inspection days, no reserve, nothing random: key_days 8. By risk: k_hazard 14 (cost 2),
# k_accident 12 (1), k_mine 11 (6: does not fit in the 5 left), k_open 10 (1), k_high 9 (3),
# k_minimum 8 (2: does not fit in the 1 left).
SHORT = {"deductions": {"duty": 984}, "reserve_share": "0.00", "random_share": "0.00"}


def test_capacity_is_never_exceeded(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw, **SHORT))
    assert plan.capacity["key_days"] == 8
    planned = _units(plan, state=UnitState.PLANNED)
    uncovered = _units(plan, state=UnitState.UNCOVERED)
    assert set(planned) == _names(pw, "k_hazard", "k_accident", "k_open", "k_high")
    assert set(uncovered) == _names(pw, "k_mine", "k_minimum")
    assert {u.uncovered_reason for u in uncovered.values()} == {"capacity"}
    assert sum(u.cost for u in planned.values()) == 7 <= plan.capacity["key_days"]
    assert plan.capacity["key_used"] == 7
    assert not PlannedVisit.objects.filter(unit__state=UnitState.UNCOVERED).exists()
    # the greedy walk by risk: each unit left out did not fit in what the riskier ones left
    remaining = plan.capacity["key_days"]
    for u in sorted(
        [*planned.values(), *uncovered.values()], key=lambda u: (-u.risk, u.enterprise.credit_code)
    ):
        if u.state == UnitState.PLANNED:
            assert u.cost <= remaining
            remaining -= u.cost
        else:
            assert u.cost > remaining
    payload = RecordEvent.objects.get(kind=RecordKind.PLAN_COMPOSED).payload
    assert (payload["key_planned"], payload["key_uncovered"], payload["key_days_used"]) == (4, 2, 7)
    # the draw gets what the key units left of the plannable days
    draw = services.draw_commit(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, seed=SEED
    )
    assert draw.budget == plan.capacity["plannable_days"] - plan.capacity["key_used"] == 1
    # uncovered key units are not drawn either
    codes = {c for c, _cost in draw.enterprise_candidates}
    assert pw.units["k_mine"].credit_code not in codes


def test_higher_risk_is_preferred_when_costs_are_equal(planning_world: PlanningWorld) -> None:
    pw = planning_world
    # four more key units of cost 1 (commerce, level 1, an open major hazard) and risk 10+
    from inspectorate.planning.models import RiskSignal, SignalKind

    extra = []
    for n, credit in enumerate(["", "C", "D"]):
        e = EnterpriseFactory(
            name=f"天山隐患商行{n}",
            jurisdiction_code="650102",
            supervising_agency=pw.tianshan,
            sector=sector("commerce"),
            standardisation_level="level1",
            risk_class="general",
            credit_class=credit,
        )
        RiskSignal.objects.create(
            enterprise=e, kind=SignalKind.OPEN_MAJOR_HAZARD, occurred_on=dt.date(2025, 2, 1)
        )
        extra.append(e)
    # key days 3: k_hazard (14, cost 2) and the D unit (13, cost 1); then nothing fits
    plan = _compose(
        pw, new_plan(pw, deductions={"duty": 989}, reserve_share="0.00", random_share="0.00")
    )
    planned = _units(plan, state=UnitState.PLANNED)
    assert set(planned) == {pw.units["k_hazard"].name, extra[2].name}
    assert planned[extra[2].name].risk == 13
    uncovered = _units(plan, state=UnitState.UNCOVERED)
    assert sorted((u.risk for u in uncovered.values()), reverse=True) == [12, 12, 11, 10, 10, 9, 8]


def test_classification_a_province_overrides_the_default(planning_world: PlanningWorld) -> None:
    pw = planning_world
    xinjiang = Jurisdiction.objects.get(code=XINJIANG)
    ningxia = Jurisdiction.objects.get(code="640000")

    def rule(
        province: Jurisdiction | None, sector_code: str, value: str, lo: int, hi: int, **kw: Any
    ) -> None:
        ClassificationRule.objects.create(
            province=province,
            sector_id=sector_code,
            basis=kw.pop("basis", ClassBasis.STANDARDISATION),
            class_value=value,
            min_per_year=lo,
            max_per_year=hi,
            days_per_inspection=kw.pop("days", Decimal("0.5")),
            effective_from=kw.pop("start", dt.date(2025, 1, 1)),
            effective_until=kw.pop("until", None),
            source="测试",
        )

    # commerce, level 2: Xinjiang requires one inspection a year (two rules: the newer wins)
    rule(xinjiang, "commerce", "level2", 0, 1, start=dt.date(2024, 1, 1))
    rule(xinjiang, "commerce", "level2", 1, 3, start=dt.date(2025, 7, 1), days=Decimal("1.0"))
    # Ningxia's rules do not apply in Xinjiang
    rule(ningxia, "machinery", "level2", 2, 4)
    # machinery, level 2: a Xinjiang rule not yet in force, and one no longer in force
    rule(xinjiang, "machinery", "level2", 1, 2, start=dt.date(2027, 1, 1))
    rule(xinjiang, "machinery", "level2", 1, 2, until=dt.date(2025, 12, 31))
    # light industry: Xinjiang classifies it by risk class, so its defaults drop out
    rule(xinjiang, "light_industry", "major", 1, 2, basis=ClassBasis.RISK)

    table = ClassificationTable.load(XINJIANG, dt.date(2026, 1, 1))

    def facts(sector_code: str, std: str, risk: str = "low") -> UnitFacts:
        return UnitFacts(
            enterprise_id=1, credit_code="X", county="650102", sector=sector_code,
            high_risk=False, risk_class=risk, standardisation_level=std,
        )  # fmt: skip

    def figures(f: UnitFacts, t: ClassificationTable = table) -> tuple[Any, ...]:
        r = t.rule_for(f)
        return (r.basis, r.class_value, r.min_per_year, r.max_per_year, r.effort)

    assert figures(facts("commerce", "level2")) == ("standardisation", "level2", 1, 3, 2)
    # the province's rule replaces the default of its class only
    assert figures(facts("commerce", "level1")) == ("standardisation", "level1", 0, 1, 1)
    # no Xinjiang machinery rule is in force on 1 January 2026: the default applies
    assert figures(facts("machinery", "level2")) == ("standardisation", "level2", 0, 2, 1)
    # another basis: the province's own rule, and no default for the other classes
    assert figures(facts("light_industry", "level2", "major")) == ("risk", "major", 1, 2, 1)
    assert figures(facts("light_industry", "level2")) == ("", "", 0, 1, 2)
    # in Ningxia, Xinjiang's rules do not count and Ningxia's do
    ningxia_table = ClassificationTable.load("640000", dt.date(2026, 1, 1))
    assert figures(facts("commerce", "level2"), ningxia_table) == (
        "standardisation", "level2", 0, 2, 1,
    )  # fmt: skip
    assert figures(facts("machinery", "level2"), ningxia_table)[2:4] == (2, 4)
    # a year earlier, the older commerce rule was in force
    old = ClassificationTable.load(XINJIANG, dt.date(2025, 3, 1))
    assert figures(facts("commerce", "level2"), old) == ("standardisation", "level2", 0, 1, 1)

    plan = _compose(pw, new_plan(pw))
    units = _units(plan)
    commerce_level2 = {
        e.name for e in Enterprise.objects.filter(
            supervising_agency__in=[pw.tianshan, pw.brigade], sector_id="commerce",
            standardisation_level="level2", status="operating",
        )
    }  # fmt: skip
    assert len(commerce_level2) == 12  # n_old_accident, n_complaint and 10 of the pool
    assert set(units) == _names(pw, *pw.key_names) | commerce_level2
    for name in commerce_level2:
        assert units[name].reasons == [
            {"code": "class_minimum", "detail": {"minimum": 1, "class": "level2"}}
        ]
        assert (units[name].visits, units[name].cost) == (1, 2)


def test_a_class_maximum_of_zero_leaves_a_key_unit_uncovered(planning_world: PlanningWorld) -> None:
    pw = planning_world
    ClassificationRule.objects.create(
        province_id=XINJIANG, sector_id="hazchem_storage", basis=ClassBasis.STANDARDISATION,
        class_value="level2", min_per_year=0, max_per_year=0,
        days_per_inspection=Decimal("1.0"), effective_from=dt.date(2026, 1, 1), source="测试",
    )  # fmt: skip
    plan = _compose(pw, new_plan(pw))
    unit = _units(plan)[pw.units["k_hazard"].name]
    assert (unit.state, unit.uncovered_reason) == ("uncovered", "maximum")


def test_compose_again_replaces_the_composition(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw))
    first = set(_units(plan))
    services.draw_commit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, seed=SEED)
    plan.refresh_from_db()
    plan = _compose(pw, plan)  # the unrun draw is dropped
    assert set(_units(plan)) == first
    assert PlannedUnit.objects.filter(plan=plan).count() == 6
    assert not Draw.objects.filter(plan=plan).exists()


# --- the prefecture's plan -------------------------------------------------------------------


def _prefecture_planners(pw: PlanningWorld) -> tuple[User, User]:
    pref = pw.world.prefecture
    lead = UserFactory(username="pref_lead", agency=pref, roles=[Role.TEAM_LEAD, Role.OFFICER])
    head = UserFactory(username="pref_head", agency=pref, roles=[Role.HEAD])
    for n, officer in enumerate([lead, pw.world.prefecture_officer], start=1):
        CertificateFactory(officer=officer, number=f"6501002025{n:04d}", sectors=["hazchem_use"])
    return lead, head


def test_a_prefecture_plans_only_the_units_it_supervises(planning_world: PlanningWorld) -> None:
    """Its pool is its own units and its detachment's, not those of the county bureaus under it."""
    pw = planning_world
    own = EnterpriseFactory(
        name="乌鲁木齐市直管化工厂",
        jurisdiction_code="650102",
        supervising_agency=pw.world.prefecture,
        sector=sector("hazchem_use"),
        standardisation_level="none",
    )
    lead, _head = _prefecture_planners(pw)
    plan = services.plan_create(actor=lead, year=2026, today=dt.date(2026, 1, 5))
    plan = services.plan_compose(actor=lead, plan_id=plan.pk, expected_version=plan.version)
    assert list(PlannedUnit.objects.filter(plan=plan).values_list("enterprise_id", flat=True)) == [
        own.pk
    ]
    assert RecordEvent.objects.get(kind=RecordKind.PLAN_COMPOSED).payload["pool"] == 1


# --- lifecycle -----------------------------------------------------------------------------


def test_the_lifecycle_and_its_record(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    assert plan.assigned_at is not None
    plan = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    assert (plan.state, plan.submitted_by_id) == ("submitted", pw.lead.pk)
    plan = services.plan_approve(actor=pw.head, plan_id=plan.pk, expected_version=plan.version)
    assert plan.state == "approved"
    plan = services.plan_file(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    plan.refresh_from_db()
    assert (plan.state, plan.filed_with_id) == ("filed", pw.world.prefecture.pk)
    events = RecordEvent.objects.filter(jurisdiction_code="650102").order_by("seq")
    assert [e.kind for e in events] == [
        RecordKind.PLAN_CREATED,
        RecordKind.PLAN_CAPACITY_SET,
        RecordKind.PLAN_COMPOSED,
        RecordKind.DRAW_COMMITTED,
        RecordKind.DRAW_EXECUTED,
        RecordKind.PLAN_ASSIGNED,
        RecordKind.PLAN_STATE_CHANGED,
        RecordKind.PLAN_STATE_CHANGED,
        RecordKind.PLAN_STATE_CHANGED,
    ]
    assert [e.payload.get("action") for e in events][-3:] == ["submit", "approve", "file"]
    assert [e.payload.get("after") for e in events][-3:] == [
        {"state": "submitted"},
        {"state": "approved"},
        {"state": "filed"},
    ]
    assert {e.subject_id for e in events} == {str(plan.pk)}
    assert [e.actor_id for e in events][-3:] == [pw.lead.pk, pw.head.pk, pw.lead.pk]
    assert verify_chain("650102") == []


def test_submit_needs_a_built_plan(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw))
    before = _state(plan)
    with pytest.raises(ApplicationError) as info:
        services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    assert (info.value.code, info.value.status_code) == ("plan_not_built", 400)
    assert _state(plan) == before


def test_the_submitter_may_not_approve(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    lead_head = UserFactory(
        username="ts_lead_head", agency=pw.tianshan, roles=[Role.TEAM_LEAD, Role.HEAD]
    )
    plan = services.plan_submit(actor=lead_head, plan_id=plan.pk, expected_version=plan.version)
    before = _state(plan)
    with translation.override("en"), pytest.raises(PermissionDenied) as info:
        services.plan_approve(actor=lead_head, plan_id=plan.pk, expected_version=plan.version)
    assert info.value.message == "The person who submitted the plan may not approve it."
    assert _state(plan) == before
    plan = services.plan_approve(actor=pw.head, plan_id=plan.pk, expected_version=plan.version)
    assert plan.state == "approved"


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("tianshan_head", "submit"),  # a head approves, a team lead submits
        ("tianshan_officer", "submit"),
    ],
)
def test_roles_of_the_transitions(planning_world: PlanningWorld, who: str, action: str) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    before = _state(plan)
    with pytest.raises(PermissionDenied):
        services.plan_submit(
            actor=getattr(pw.world, who), plan_id=plan.pk, expected_version=plan.version
        )
    assert _state(plan) == before


def test_approve_needs_a_head(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    plan = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    other_lead = UserFactory(username="ts_lead2", agency=pw.tianshan, roles=[Role.TEAM_LEAD])
    before = _state(plan)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=other_lead, plan_id=plan.pk, expected_version=plan.version)
    assert _state(plan) == before


def test_return_needs_a_reason(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    plan = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    before = _state(plan)
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.plan_return(
            actor=pw.head, plan_id=plan.pk, expected_version=plan.version, reason=" "
        )
    assert info.value.extra == {"fields": {"reason": ["A reason is required for this action."]}}
    assert _state(plan) == before
    plan = services.plan_return(
        actor=pw.head, plan_id=plan.pk, expected_version=plan.version, reason="重点单位遗漏"
    )
    assert plan.state == "draft"
    event = RecordEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.payload["action"], event.payload["reason"]) == (
        "return",
        "重点单位遗漏",
    )
    # a returned plan is assigned again and submitted again
    plan = services.plan_assign(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, time_limit=2
    )
    assert (
        services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version).state
        == "submitted"
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "approve"),
        ("draft", "file"),
        ("draft", "return"),
        ("submitted", "submit"),
        ("submitted", "file"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("filed", "file"),
        ("filed", "return"),
    ],
)
def test_illegal_transitions(planning_world: PlanningWorld, state: str, action: str) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    if state != "draft":
        plan = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    if state in ("approved", "filed"):
        plan = services.plan_approve(actor=pw.head, plan_id=plan.pk, expected_version=plan.version)
    if state == "filed":
        plan = services.plan_file(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    # every role, so that only the table decides
    actor = UserFactory(username="ts_all", agency=pw.tianshan, roles=[Role.TEAM_LEAD, Role.HEAD])
    before = _state(plan)
    calls: dict[str, Callable[[], Any]] = {
        "submit": lambda: services.plan_submit(
            actor=actor, plan_id=plan.pk, expected_version=plan.version
        ),
        "approve": lambda: services.plan_approve(
            actor=actor, plan_id=plan.pk, expected_version=plan.version
        ),
        "file": lambda: services.plan_file(
            actor=actor, plan_id=plan.pk, expected_version=plan.version
        ),
        "return": lambda: services.plan_return(
            actor=actor, plan_id=plan.pk, expected_version=plan.version, reason="x"
        ),
    }
    with translation.override("en"), pytest.raises(IllegalTransition) as info:
        calls[action]()
    assert info.value.status_code == 409
    assert info.value.extra == {"state": state, "action": action}
    assert _state(plan) == before


def test_a_draft_only_step_on_an_approved_plan(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approve(pw, build(pw, new_plan(pw)))
    before = _state(plan)
    with pytest.raises(ApplicationError) as info:
        services.plan_assign(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    assert info.value.code == "plan_not_draft"
    assert _state(plan) == before


# --- concurrency ---------------------------------------------------------------------------


STALE_WRITES: dict[str, Callable[[PlanningWorld, Plan, int], Any]] = {
    "capacity": lambda pw, plan, v: services.plan_capacity_set(
        actor=pw.lead, plan_id=plan.pk, expected_version=v, deductions={"duty": 5},
        random_share="0.20", reserve_share="0.05",
    ),
    "compose": lambda pw, plan, v: services.plan_compose(
        actor=pw.lead, plan_id=plan.pk, expected_version=v
    ),
    "commit": lambda pw, plan, v: services.draw_commit(
        actor=pw.lead, plan_id=plan.pk, expected_version=v, seed=SEED
    ),
    "submit": lambda pw, plan, v: services.plan_submit(
        actor=pw.lead, plan_id=plan.pk, expected_version=v
    ),
}  # fmt: skip


@pytest.mark.parametrize("write", list(STALE_WRITES))
def test_a_stale_version_changes_nothing(planning_world: PlanningWorld, write: str) -> None:
    pw = planning_world
    plan = _compose(pw, new_plan(pw))
    stale = plan.version - 1
    before = _state(plan)
    with translation.override("en"), pytest.raises(ConcurrentModification) as info:
        STALE_WRITES[write](pw, plan, stale)
    assert info.value.status_code == 409
    assert info.value.extra == {"current_version": plan.version}
    assert _state(plan) == before
    assert Draw.objects.count() == 0


# --- who sees and who writes -----------------------------------------------------------------


def _writes(pw: PlanningWorld) -> dict[str, Callable[[User, Plan], Any]]:
    return {
        "capacity": lambda u, p: services.plan_capacity_set(
            actor=u, plan_id=p.pk, expected_version=p.version, deductions={},
            random_share="0.30", reserve_share="0.10",
        ),
        "compose": lambda u, p: services.plan_compose(actor=u, plan_id=p.pk, expected_version=p.version),
        "commit": lambda u, p: services.draw_commit(actor=u, plan_id=p.pk, expected_version=p.version),
        "run": lambda u, p: services.draw_execute(actor=u, plan_id=p.pk, expected_version=p.version),
        "assign": lambda u, p: services.plan_assign(
            actor=u, plan_id=p.pk, expected_version=p.version, time_limit=2
        ),
        "build": lambda u, p: services.plan_build(
            actor=u, plan_id=p.pk, expected_version=p.version, time_limit=2
        ),
        "submit": lambda u, p: services.plan_submit(actor=u, plan_id=p.pk, expected_version=p.version),
        "return": lambda u, p: services.plan_return(
            actor=u, plan_id=p.pk, expected_version=p.version, reason="x"
        ),
        "approve": lambda u, p: services.plan_approve(actor=u, plan_id=p.pk, expected_version=p.version),
        "file": lambda u, p: services.plan_file(actor=u, plan_id=p.pk, expected_version=p.version),
        "adjust": lambda u, p: services.plan_adjust(
            actor=u, plan_id=p.pk, expected_version=p.version, reason="accident", note="事故",
            add=[{"enterprise": pw.world.ent_tianshan.pk}], today=dt.date(2026, 3, 2),
        ),
    }  # fmt: skip


WRITES = ["capacity", "compose", "commit", "run", "assign", "build", "submit", "return",
          "approve", "file", "adjust"]  # fmt: skip


@pytest.fixture
def composed(planning_world: PlanningWorld) -> Plan:
    """Scope and office are checked before the state: any plan will do, the cheapest."""
    return _compose(planning_world, new_plan(planning_world))


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["prefecture", "province"])
def test_upper_levels_read_but_may_not_write(
    planning_world: PlanningWorld, composed: Plan, who: str, write: str
) -> None:
    pw = planning_world
    agency = pw.world.prefecture if who == "prefecture" else pw.world.province
    # every role of an office, so that only the office decides
    upper = UserFactory(
        username=f"upper_{who}", agency=agency, roles=[Role.TEAM_LEAD, Role.HEAD, Role.OFFICER]
    )
    assert selectors.plan_get_for_user(user=upper, pk=composed.pk) == composed
    assert list(selectors.plan_list_for_user(user=upper)) == [composed]
    assert selectors.available_actions(upper, composed) == []
    before = _state(composed)
    with pytest.raises(PermissionDenied):
        _writes(pw)[write](upper, composed)
    assert _state(composed) == before


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["karamay_lead", "karamay_head", "shayibake_officer"])
def test_other_jurisdictions_get_not_found(
    planning_world: PlanningWorld, composed: Plan, who: str, write: str
) -> None:
    pw = planning_world
    user = getattr(pw.world, who)
    with pytest.raises(NotFound):
        selectors.plan_get_for_user(user=user, pk=composed.pk)
    assert list(selectors.plan_list_for_user(user=user)) == []
    before = _state(composed)
    with pytest.raises(NotFound):
        _writes(pw)[write](user, composed)
    assert _state(composed) == before


@pytest.mark.parametrize("who", ["enterprise_user", "inactive_officer", None])
def test_enterprises_and_anonymous_see_no_plans(
    planning_world: PlanningWorld, composed: Plan, who: str | None
) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = getattr(planning_world.world, who) if who else AnonymousUser()
    assert list(selectors.plan_list_for_user(user=user)) == []
    with pytest.raises(NotFound):
        selectors.plan_get_for_user(user=user, pk=composed.pk)


def test_the_office_sees_its_actions(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    submitted = services.plan_submit(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    with translation.override("en"):
        assert selectors.available_actions(pw.head, submitted) == [
            ("return", "Return for revision"),
            ("approve", "Approve"),
        ]
        assert selectors.available_actions(pw.lead, submitted) == []


# --- 不错位: a unit in two offices' plans ------------------------------------------------------


def _other_office_plans(
    pw: PlanningWorld, enterprise: Enterprise, joint: bool = False
) -> PlannedUnit:
    """The prefecture's own 2026 plan, with ``enterprise`` in it (made directly)."""
    plan = Plan.objects.create(
        agency=pw.world.prefecture, year=2026, state=PlanState.APPROVED,
        created_by=pw.world.prefecture_officer,
    )  # fmt: skip
    return PlannedUnit.objects.create(
        plan=plan, enterprise=enterprise, origin=UnitOrigin.KEY, state=UnitState.PLANNED,
        risk=5, visits=1, cost=1, joint=joint,
    )  # fmt: skip


def _scope_q() -> Any:
    from inspectorate.core.scoping import Scope

    return Scope(prefix="65").q("enterprise__jurisdiction_id")


def _adjust_add(pw: PlanningWorld, plan: Plan, enterprise: Enterprise, joint: bool) -> Any:
    plan.refresh_from_db()
    return services.plan_adjust(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, reason="complaint",
        note="群众举报", add=[{"enterprise": enterprise.pk, "joint": joint}],
        today=dt.date(2026, 3, 2), time_limit=2,
    )  # fmt: skip


def _newcomer(pw: PlanningWorld) -> Enterprise:
    """A unit registered after the plan was made, so in no plan of 天山区."""
    return EnterpriseFactory(  # type: ignore[no-any-return]
        name="天山新开业商行", jurisdiction_code="650102", supervising_agency=pw.tianshan,
        sector=sector("commerce"),
    )  # fmt: skip


NOT_WITHOUT_JOINT = {
    "fields": {
        "add": [
            "天山新开业商行 is already in another office's plan this year; declare a joint "
            "inspection to plan it here too."
        ]
    }
}


@pytest.mark.parametrize("theirs_joint", [False, True])
def test_adding_a_unit_another_office_plans_needs_a_joint_inspection(
    planning_world: PlanningWorld, theirs_joint: bool
) -> None:
    """docs/planning.md: "adding a unit that another office plans is refused unless the
    adjustment declares a joint inspection" — whether or not the other office declared one."""
    pw = planning_world
    plan = approve(pw, build(pw, new_plan(pw)))
    newcomer = _newcomer(pw)
    _other_office_plans(pw, newcomer, joint=theirs_joint)
    before = (_state(plan), PlannedVisit.objects.count())
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _adjust_add(pw, plan, newcomer, joint=False)
    assert info.value.extra == NOT_WITHOUT_JOINT
    assert (_state(plan), PlannedVisit.objects.count()) == before
    _adjust_add(pw, plan, newcomer, joint=True)
    unit = PlannedUnit.objects.get(plan=plan, enterprise=newcomer)
    assert (unit.joint, unit.state, unit.origin) == (True, "planned", "adjustment")
    # 不错位: one office plans it as its own, the other declared the joint inspection
    assert coverage.conflicts_in(2026, _scope_q()) == []


def test_two_offices_planning_one_unit_is_a_conflict(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    k_high = pw.units["k_high"]
    assert PlannedUnit.objects.filter(plan=plan, enterprise=k_high, state="planned").exists()
    _other_office_plans(pw, k_high)  # past the guard, straight into the database
    conflicts = coverage.conflicts_in(2026, _scope_q())
    assert [(c.enterprise_id, c.name, c.offices) for c in conflicts] == [
        (k_high.pk, "天山冶炼有限公司", ["乌鲁木齐市应急管理局", "天山区应急管理局"])
    ]
    # out of the scope of the one who asks, no conflict is shown
    from inspectorate.core.scoping import Scope

    assert coverage.conflicts_in(2026, Scope(prefix="6502").q("enterprise__jurisdiction_id")) == []
    # one of them declared a joint inspection: no conflict
    PlannedUnit.objects.filter(enterprise=k_high, plan=plan).update(joint=True)
    assert coverage.conflicts_in(2026, _scope_q()) == []


def test_compose_leaves_out_units_another_office_plans(planning_world: PlanningWorld) -> None:
    pw = planning_world
    _other_office_plans(pw, pw.units["k_high"])
    plan = _compose(pw, new_plan(pw))
    assert set(_units(plan)) == _names(pw, *pw.key_names) - _names(pw, "k_high")


# --- the assignment, on the plan's own data ----------------------------------------------------


def test_every_assigned_visit_keeps_every_hard_constraint(planning_world: PlanningWorld) -> None:
    pw = planning_world
    textile = EnterpriseFactory(  # no officer is certified for textiles
        name="天山纺织厂", jurisdiction_code="650102", supervising_agency=pw.tianshan,
        sector=sector("textile"), standardisation_level="level2", risk_class="low",
    )  # fmt: skip
    plan = build(pw, new_plan(pw))
    problem, solution = solution_from_db(plan)
    assert asg.violations(problem, solution) == []
    assert len(problem.visits) == PlannedVisit.objects.filter(plan=plan).count() == 33
    assert set(solution.unassigned.values()) <= asg.UNASSIGNED_CODES
    reasons = dict(
        PlannedVisit.objects.filter(plan=plan, team__isnull=True).values_list(
            "unit__enterprise__name", "unassigned_reason"
        )
    )
    # the office has no drone for the mine; nobody may inspect textiles
    assert reasons == {"天山采石场": "equipment", textile.name: "no_competent_team"}
    assert plan.solver["assigned"] == len(solution.assigned) == 30
    assert plan.solver["unassigned"] == 3
    assert plan.solver["risk_covered"] >= plan.solver["greedy"]["risk_covered"]


def test_recusal_is_kept(planning_world: PlanningWorld) -> None:
    pw = planning_world
    officer = pw.officers[2]
    for name in ("k_high", "k_hazard", "k_minimum"):
        Recusal.objects.create(officer=officer, enterprise=pw.units[name], reason="近亲属任职")
    plan = build(pw, new_plan(pw))
    for name in ("k_high", "k_hazard", "k_minimum"):
        visit = PlannedVisit.objects.get(plan=plan, unit__enterprise=pw.units[name])
        assert visit.team_id is not None, name
        members = set(
            PlanOfficer.objects.filter(team_id=visit.team_id).values_list("officer_id", flat=True)
        )
        assert officer.pk not in members, name
    problem, solution = solution_from_db(plan)
    assert asg.violations(problem, solution) == []


def test_an_officer_does_not_inspect_a_unit_two_years_running(
    planning_world: PlanningWorld,
) -> None:
    pw = planning_world
    officer = pw.officers[3]
    unit = pw.units["k_high"]
    # last year's plan of the office: the officer's team inspected k_high in May
    last = Plan.objects.create(
        agency=pw.tianshan, year=2025, state=PlanState.FILED, created_by=pw.lead
    )
    team = Team.objects.create(plan=last, number=1)
    former = pw.world.inactive_officer  # left the office since: on no roster this year
    for o in (officer, former):
        PlanOfficer.objects.create(plan=last, officer=o, team=team)
    last_unit = PlannedUnit.objects.create(
        plan=last, enterprise=unit, origin="key", risk=9, visits=1, cost=3
    )
    PlannedVisit.objects.create(
        unit=last_unit,
        plan=last,
        sequence=1,
        month_from=1,
        month_to=12,
        effort=3,
        team=team,
        month=5,
    )
    plan = build(pw, new_plan(pw))
    assert plan.consecutive_recusal is True
    visit = PlannedVisit.objects.get(plan=plan, unit__enterprise=unit)
    assert visit.team_id is not None
    members = set(
        PlanOfficer.objects.filter(team_id=visit.team_id).values_list("officer_id", flat=True)
    )
    assert officer.pk not in members
    problem, solution = solution_from_db(plan)
    excluded = {v.key: v.excluded_officers for v in problem.visits}
    assert excluded[f"V{visit.pk}"] == {officer.pk, former.pk}
    assert asg.violations(problem, solution) == []


def test_months_away_get_no_visits(planning_world: PlanningWorld) -> None:
    pw = planning_world
    away = pw.officers[1]
    plan = build(pw, new_plan(pw, leave={away.pk: [3, 7, 8]}))
    team = PlanOfficer.objects.get(plan=plan, officer=away).team
    assert team is not None
    problem, _solution = solution_from_db(plan)
    capacity = {t.key: t.capacity for t in problem.teams}
    key = f"T{team.number}"
    assert [capacity[key][m - 1] for m in (3, 7, 8)] == [0, 0, 0]
    months = set(PlannedVisit.objects.filter(plan=plan, team=team).values_list("month", flat=True))
    assert months
    assert not months & {3, 7, 8}
    assert PlannedVisit.objects.filter(plan=plan, team__isnull=False).count() == 30


def test_pacing_spreads_a_light_plan_over_the_year() -> None:
    """With time to spare, a team-month offers only its share of the work (plus 15 %):
    24 one-half-day inspections for two teams with 20 half days a month each are spread
    at most 2 a team and month, not piled into January."""
    from inspectorate.planning import assignment as asg
    from inspectorate.planning.services import paced_problem

    teams = tuple(
        asg.Team(
            key=f"T{i}",
            officer_ids=(2 * i, 2 * i + 1),
            sectors=frozenset({"commerce"}),
            base_county="650102",
            capacity=(20,) * 12,
        )
        for i in (1, 2)
    )
    visits = tuple(
        asg.Visit(
            key=f"V{n}",
            enterprise_id=n,
            county="650102",
            sector="commerce",
            effort=1,
            months=tuple(range(1, 13)),
            risk=3,
        )
        for n in range(24)
    )
    problem = asg.Problem(teams=teams, visits=visits)
    paced = paced_problem(problem)
    assert [t.capacity for t in paced.teams] == [(2,) * 12, (2,) * 12]
    solution = asg.solve(paced, time_limit=5)
    assert asg.violations(problem, solution) == []
    assert len(solution.assigned) == 24
    load = Counter(solution.assigned.values())
    assert max(load.values()) <= 2
    # a plan that needs most of the teams' time is not paced
    busy = asg.Problem(teams=teams, visits=visits * 18)
    assert paced_problem(busy) is busy


def test_a_plan_changed_while_the_solver_ran_is_not_overwritten(
    planning_world: PlanningWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solver works outside the transaction; if the plan moved on meanwhile, the
    assignment it computed is refused (409) and nothing of it is written."""
    from django.db.models import F

    from inspectorate.core.errors import ConcurrentModification
    from inspectorate.planning import assignment as asg
    from inspectorate.planning.models import Plan

    pw = planning_world
    plan = build(pw, new_plan(pw))
    before = slots(plan)
    events = RecordEvent.objects.count()
    real_solve = asg.solve

    def solve_while_someone_edits(*args: Any, **kwargs: Any) -> asg.Solution:
        Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(asg, "solve", solve_while_someone_edits)
    PlannedVisit.objects.filter(plan=plan).update(team=None, month=None)
    cleared = slots(plan)
    with pytest.raises(ConcurrentModification):
        services.plan_assign(
            actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, time_limit=2
        )
    assert slots(plan) == cleared != before
    assert RecordEvent.objects.count() == events


def test_each_planned_unit_says_who_was_assigned_and_why(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    visit = (
        PlannedVisit.objects.filter(plan=plan, team__isnull=False)
        .select_related("team", "unit__enterprise__sector")
        .order_by("pk")
        .first()
    )
    assert visit is not None
    members = "、".join(
        str(po.officer) for po in visit.team.members.select_related("officer").order_by("officer")
    )
    with translation.override("zh-hans"):  # another test on this worker may have left English
        row = next(r for r in selectors.unit_rows(plan) if r.pk == visit.unit_id)
    expected = (
        f"{visit.month} 月：第 {visit.team.number} 组（{members}）——"
        f"持{visit.unit.enterprise.sector.name}执法资格，驻天山区，组员均无回避情形"
    )
    assert expected in row.assigned
    with translation.override("en"):
        row = next(r for r in selectors.unit_rows(plan) if r.pk == visit.unit_id)
    assert any(
        f"team {visit.team.number} (" in text and "based in" in text for text in row.assigned
    )
