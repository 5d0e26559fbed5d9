"""Adjusting an approved plan (动态调整): urgent units, leave, removal, frozen months, and
what an adjustment records. The plans here have room to spare (conftest: DEDUCTIONS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from inspectorate.core.errors import ApplicationError, ConcurrentModification, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.core.record_kinds import RecordKind
from inspectorate.planning import assignment as asg
from inspectorate.planning import services
from inspectorate.planning.models import (
    AgencyEquipment,
    EquipmentKind,
    Plan,
    PlanAdjustment,
    PlannedUnit,
    PlannedVisit,
    PlanOfficer,
)
from inspectorate.planning.rules import reason_text
from inspectorate.registry.models import Enterprise
from tests.factories import EnterpriseFactory, sector
from tests.planning.conftest import (
    PlanningWorld,
    approve,
    approved_plan,
    build,
    new_plan,
    slots,
    solution_from_db,
)

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 2)
JULY = dt.date(2026, 7, 15)


def _adjust(pw: PlanningWorld, plan: Plan, **kw: Any) -> PlanAdjustment:
    plan.refresh_from_db()
    args: dict[str, Any] = {"reason": "accident", "note": "事故后紧急检查", "today": MARCH}
    return services.plan_adjust(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, time_limit=2, **(args | kw)
    )


def _urgent(pw: PlanningWorld) -> Enterprise:
    """A unit that had an accident this week; it is in no plan yet."""
    return EnterpriseFactory(  # type: ignore[no-any-return]
        name="天山事故化工厂", jurisdiction_code="650102", supervising_agency=pw.tianshan,
        sector=sector("hazchem_use"), standardisation_level="level2", risk_class="significant",
    )  # fmt: skip


def _counts() -> tuple[int, int, int, int]:
    return (
        PlanAdjustment.objects.count(),
        RecordEvent.objects.count(),
        PlannedUnit.objects.count(),
        PlannedVisit.objects.count(),
    )


def _assigned(plan: Plan) -> dict[int, tuple[int | None, int | None]]:
    return {pk: slot for pk, slot in slots(plan).items() if slot[0] is not None}


def test_an_urgent_unit_moves_nothing_when_there_is_room(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    before = _assigned(plan)
    version = plan.version
    urgent = _urgent(pw)
    adjustment = _adjust(pw, plan, add=[{"enterprise": urgent.pk}])

    after = slots(plan)
    assert {pk: after[pk] for pk in before} == before  # every visit exactly where it was
    assert adjustment.changes == {
        "added": [urgent.pk],
        "removed": [],
        "leave": {},
        "frozen_months": [1, 2],
        "kept": len(before),
        "moved": 0,
        "unassigned": 2,  # the mine's two visits: the office has no drone
    }
    unit = PlannedUnit.objects.get(plan=plan, enterprise=urgent)
    assert (unit.origin, unit.state, unit.visits, unit.cost, unit.adjustment_id) == (
        "adjustment",
        "planned",
        1,
        2,
        adjustment.pk,
    )
    # risk: significant 5, level 2 +1, high-risk sector +3; urgent +20
    assert unit.risk == 29
    visit = PlannedVisit.objects.get(unit=unit)
    assert (visit.month_from, visit.month_to, visit.effort) == (3, 4, 2)
    assert visit.team_id is not None
    assert visit.month in (3, 4)
    plan.refresh_from_db()
    assert (plan.state, plan.version) == ("approved", version + 1)
    problem, solution = solution_from_db(plan)
    assert asg.violations(problem, solution) == []


def test_an_added_units_reason_reads_in_the_readers_language(
    planning_world: PlanningWorld,
) -> None:
    """A lead working in Chinese adds a unit; an English reader reads why, in English."""
    pw = planning_world
    plan = approved_plan(pw)
    urgent = _urgent(pw)
    with translation.override("zh-hans"):
        _adjust(pw, plan, add=[{"enterprise": urgent.pk}])
    (reason,) = PlannedUnit.objects.get(plan=plan, enterprise=urgent).reasons
    with translation.override("en"):
        assert reason_text(reason) == "Added by an adjustment: Accident"
    with translation.override("zh-hans"):
        assert reason_text(reason) == "调整增加：事故"


def test_the_adjustment_is_recorded_with_its_reason(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    urgent = _urgent(pw)
    adjustment = _adjust(
        pw, plan, reason="complaint", note=" 群众举报违规动火 ", add=[{"enterprise": urgent.pk}]
    )
    assert (adjustment.reason, adjustment.note, adjustment.made_by_id) == (
        "complaint",
        "群众举报违规动火",
        pw.lead.pk,
    )
    event = RecordEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.kind, event.jurisdiction_code, event.subject_id) == (
        RecordKind.PLAN_ADJUSTED,
        "650102",
        str(plan.pk),
    )
    assert event.payload == {
        "plan": plan.pk,
        "year": 2026,
        "adjustment": adjustment.pk,
        "reason": "complaint",
        "note": "群众举报违规动火",
        **adjustment.changes,
    }
    assert verify_chain("650102") == []


def test_an_extra_inspection_of_a_planned_unit(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    k_high = PlannedUnit.objects.get(plan=plan, enterprise=pw.units["k_high"])
    assert (k_high.visits, k_high.cost) == (1, 3)
    _adjust(
        pw, plan, reason="campaign", note="冶金专项整治", add=[{"enterprise": k_high.enterprise_id}]
    )
    k_high.refresh_from_db()
    assert (k_high.visits, k_high.cost, k_high.origin) == (2, 6, "key")
    second = PlannedVisit.objects.get(unit=k_high, sequence=2)
    assert (second.month_from, second.month_to) == (3, 4)
    assert second.month in (3, 4)


def _busiest_future_month(plan: Plan, team_id: int, first_open: int) -> tuple[int, int]:
    months = [
        m
        for m in PlannedVisit.objects.filter(plan=plan, team_id=team_id).values_list(
            "month", flat=True
        )
        if m is not None and m >= first_open
    ]
    assert months, "the team has nothing planned after today"
    month = max(set(months), key=lambda m: (months.count(m), -m))
    return month, months.count(month)


def test_leave_moves_only_that_teams_visits_of_that_month(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    officer = pw.officers[1]
    team_id = PlanOfficer.objects.get(plan=plan, officer=officer).team_id
    assert team_id is not None
    month, displaced = _busiest_future_month(plan, team_id, MARCH.month)
    before = _assigned(plan)
    adjustment = _adjust(pw, plan, reason="staffing", note="外出学习", leave={officer.pk: [month]})
    after = slots(plan)
    hit = {pk for pk, slot in before.items() if slot == (team_id, month)}
    assert len(hit) == displaced
    for pk, slot in before.items():
        if pk in hit:
            assert after[pk] != slot
        else:
            assert after[pk] == slot, pk  # nothing else moves
    assert not PlannedVisit.objects.filter(plan=plan, team_id=team_id, month=month).exists()
    assert all(after[pk][0] is not None for pk in hit)  # there is room elsewhere
    assert adjustment.changes["moved"] == displaced
    assert adjustment.changes["kept"] == len(before) - displaced
    assert adjustment.changes["leave"] == {str(officer.pk): [month]}
    assert PlanOfficer.objects.get(plan=plan, officer=officer).leave_months == [month]
    problem, solution = solution_from_db(plan)
    assert asg.violations(problem, solution) == []


def test_months_before_today_are_frozen(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    before = slots(plan)
    urgent = _urgent(pw)
    adjustment = _adjust(pw, plan, today=JULY, add=[{"enterprise": urgent.pk}])
    after = slots(plan)
    past = {pk: slot for pk, slot in before.items() if slot[1] is not None and slot[1] < 7}
    assert past  # the plan had inspections in the first half of the year
    assert {pk: after[pk] for pk in past} == past
    # nothing new lands in a past month
    assert not [pk for pk, slot in after.items() if pk not in past and slot[1] and slot[1] < 7]
    assert adjustment.changes["frozen_months"] == [1, 2, 3, 4, 5, 6]
    visit = PlannedVisit.objects.get(unit__enterprise=urgent)
    assert (visit.month_from, visit.month_to) == (7, 8)
    assert visit.month in (7, 8)


def test_leave_cannot_change_a_past_month(planning_world: PlanningWorld) -> None:
    """The past is a record: leave entered in July for March would undo March's inspections
    (their team would have no capacity left there), so it is refused."""
    pw = planning_world
    plan = new_plan(pw, leave={pw.officers[0].pk: [2]})
    plan = approve(pw, build(pw, plan))
    officer = pw.officers[0]
    before = (_counts(), slots(plan))
    for months in ([2, 3], [], [3, 9]):
        with translation.override("en"), pytest.raises(ValidationFailed) as info:
            _adjust(
                pw, plan, today=JULY, reason="staffing", note="补录休假", leave={officer.pk: months}
            )
        assert info.value.extra == {"fields": {"leave": ["Months already past cannot change."]}}
        assert (_counts(), slots(plan)) == before
    # the past months as they were, and a future one
    adjustment = _adjust(
        pw, plan, today=JULY, reason="staffing", note="培训", leave={officer.pk: [2, 9]}
    )
    assert PlanOfficer.objects.get(plan=plan, officer=officer).leave_months == [2, 9]
    past = {pk: slot for pk, slot in before[1].items() if slot[1] is not None and slot[1] < 7}
    assert {pk: slots(plan)[pk] for pk in past} == past
    assert adjustment.changes["leave"] == {str(officer.pk): [2, 9]}


@pytest.fixture
def with_drone(planning_world: PlanningWorld) -> PlanningWorld:
    """天山区 buys a drone: the mine's two inspections (Jan–Jun, Jul–Dec) can be assigned."""
    AgencyEquipment.objects.create(
        agency=planning_world.tianshan, kind=EquipmentKind.DRONE, count=1
    )
    return planning_world


def test_removing_a_unit_cancels_only_its_future_visits(with_drone: PlanningWorld) -> None:
    pw = with_drone
    plan = approved_plan(pw)
    mine = PlannedUnit.objects.get(plan=plan, enterprise=pw.units["k_mine"])
    first, second = mine.visit_set.order_by("sequence")
    assert first.month is not None
    assert first.month <= 6
    assert first.team_id is not None
    assert second.month is not None
    assert second.month >= 7
    first_slot = (first.team_id, first.month)
    before = _assigned(plan)
    adjustment = _adjust(pw, plan, today=JULY, reason="other", note="该矿已闭坑", remove=[mine.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    mine.refresh_from_db()
    assert mine.state == "removed"
    assert ((first.team_id, first.month), first.cancelled) == (first_slot, False)
    assert (second.team_id, second.month, second.cancelled) == (None, None, True)
    after = slots(plan)
    assert {pk: after[pk] for pk in before if pk != second.pk} == {
        pk: slot for pk, slot in before.items() if pk != second.pk
    }
    assert adjustment.changes["removed"] == [pw.units["k_mine"].pk]
    assert adjustment.changes["moved"] == 0


def test_a_filed_plan_is_adjusted_too(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    plan = services.plan_file(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    adjustment = _adjust(pw, plan, add=[{"enterprise": _urgent(pw).pk}])
    plan.refresh_from_db()
    assert (plan.state, adjustment.changes["moved"]) == ("filed", 0)


# --- refused adjustments ---------------------------------------------------------------------


def test_a_draft_is_not_adjusted(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = build(pw, new_plan(pw))
    before = _counts()
    with pytest.raises(ApplicationError) as info:
        _adjust(pw, plan, add=[{"enterprise": _urgent(pw).pk}])
    assert info.value.code == "plan_not_approved"
    assert _counts() == before


def test_the_plans_year_is_over(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    urgent = _urgent(pw)
    before = _counts()
    with pytest.raises(ApplicationError) as info:
        _adjust(pw, plan, today=dt.date(2027, 1, 4), add=[{"enterprise": urgent.pk}])
    assert info.value.code == "plan_year_over"
    assert _counts() == before


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"reason": "boredom"}, {"reason": ["Choose a reason from the list."]}),
        ({"note": "  "}, {"note": ["Explain the adjustment."]}),
        (
            {"reason": "", "note": "", "add": []},
            {
                "reason": ["Choose a reason from the list."],
                "note": ["Explain the adjustment."],
                "add": ["An adjustment adds or removes a unit or changes an officer's leave."],
            },
        ),
        ({"add": [{"enterprise": "shayibake"}]}, {"add": ["That enterprise is not in the office's jurisdiction."]}),
        ({"add": [{"enterprise": 987654321}]}, {"add": ["That enterprise is not in the office's jurisdiction."]}),
        ({"add": [{"enterprise": "x"}]}, {"add": ["That enterprise is not in the office's jurisdiction."]}),
        ({"add": [], "remove": [987654321]}, {"remove": ["That unit is not planned in this plan."]}),
        ({"add": [], "leave": {987654321: [9]}}, {"leave": ["That officer is not on the roster."]}),
        ({"add": [], "leave": {"officer": [13]}}, {"leave": ["Months are numbers from 1 to 12."]}),
    ],
)  # fmt: skip
def test_bad_input_is_a_field_error_and_writes_nothing(
    planning_world: PlanningWorld, kwargs: dict[str, Any], fields: dict[str, list[str]]
) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    urgent = _urgent(pw)
    args: dict[str, Any] = {"add": [{"enterprise": urgent.pk}]} | kwargs
    if args["add"] and args["add"][0]["enterprise"] == "shayibake":
        args["add"] = [{"enterprise": pw.world.ent_shayibake.pk}]
    if args.get("leave") and "officer" in args["leave"]:
        args["leave"] = {pw.officers[0].pk: [13]}
    before = (
        _counts(),
        slots(plan),
        PlanOfficer.objects.get(plan=plan, officer=pw.officers[0]).leave_months,
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _adjust(pw, plan, **args)
    assert info.value.extra == {"fields": fields}
    assert (
        _counts(),
        slots(plan),
        PlanOfficer.objects.get(plan=plan, officer=pw.officers[0]).leave_months,
    ) == before


def test_a_stale_adjustment_changes_nothing(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = approved_plan(pw)
    urgent = _urgent(pw)
    before = (_counts(), slots(plan))
    with pytest.raises(ConcurrentModification):
        services.plan_adjust(
            actor=pw.lead, plan_id=plan.pk, expected_version=plan.version - 1, reason="accident",
            note="事故", add=[{"enterprise": urgent.pk}], today=MARCH, time_limit=2,
        )  # fmt: skip
    assert (_counts(), slots(plan)) == before
