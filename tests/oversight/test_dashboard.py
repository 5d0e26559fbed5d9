"""The upper-level dashboard on a small world, with exact numbers per row."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.cases.models import CaseState
from inspectorate.core.deadlines import deadline_stop
from inspectorate.core.errors import NotFound
from inspectorate.core.models import DeadlinePause
from inspectorate.inspections.models import FindingStatus, Origin
from inspectorate.oversight import selectors
from inspectorate.planning.models import Plan, PlannedUnit, PlannedVisit, PlanState, UnitOrigin
from tests.oversight.conftest import (
    TODAY,
    OversightWorld,
    case,
    decision_deadline,
    finding,
    inspection,
)


def plan_with_visits(ow: OversightWorld, agency, year: int, state: str, months: list[int]):
    plan = Plan.objects.create(agency=agency, year=year, state=state, created_by=ow.pref_head)
    unit = PlannedUnit.objects.create(
        plan=plan,
        enterprise=ow.w.ent_tianshan,
        origin=UnitOrigin.KEY,
        risk=10,
        visits=len(months),
        cost=2,
    )
    return [
        PlannedVisit.objects.create(
            unit=unit, plan=plan, sequence=n, month_from=m, month_to=m, effort=2
        )
        for n, m in enumerate(months, start=1)
    ]


@pytest.fixture
def built(ow: OversightWorld) -> OversightWorld:
    w = ow.w
    # plans: 天山区 2026 approved with 4 visits, one cancelled: 3 planned, 2 done
    visits = plan_with_visits(ow, w.tianshan, 2026, PlanState.APPROVED, [3, 5, 7, 9])
    PlannedVisit.objects.filter(pk=visits[3].pk).update(cancelled=True)
    for v, state in ((visits[0], "closed"), (visits[1], "closed"), (visits[2], "in_progress")):
        inspection(
            w.tianshan,
            w.ent_tianshan,
            dt.date(2026, v.month_from, 10),
            origin=Origin.PLANNED,
            planned_visit=v,
            state=state,
        )
    # a second inspection of the same visit is not a second visit done
    inspection(
        w.tianshan,
        w.ent_tianshan,
        dt.date(2026, 3, 20),
        origin=Origin.PLANNED,
        planned_visit=visits[0],
    )
    # not counted: last year's plan, a draft plan
    plan_with_visits(ow, w.tianshan, 2025, PlanState.APPROVED, [4])
    plan_with_visits(ow, w.shayibake, 2026, PlanState.DRAFT, [4, 6])
    # hazards: overdue means open and due before today
    ts = inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 10, 1))
    finding(ts, due=TODAY - dt.timedelta(days=1))  # overdue
    finding(ts, due=TODAY - dt.timedelta(days=40))  # overdue
    finding(ts, due=TODAY)  # due today: not overdue
    finding(ts, due=TODAY - dt.timedelta(days=3), status=FindingStatus.RECTIFIED)
    finding(ts)  # no due date
    pref = inspection(w.prefecture, w.ent_tianshan, dt.date(2026, 10, 2))
    finding(pref, due=TODAY - dt.timedelta(days=5))  # the prefecture's own
    syb = inspection(w.shayibake, w.ent_shayibake, dt.date(2026, 10, 3))
    finding(syb, due=TODAY - dt.timedelta(days=2))
    klmy = inspection(w.karamay, w.ent_karamay, dt.date(2026, 10, 4))
    finding(klmy, due=TODAY - dt.timedelta(days=2))
    # cases: the decision deadline (Art. 60), near = due within 15 days
    case(w.tianshan, w.ent_tianshan, decision_due=dt.date(2026, 12, 15))  # near (15th day)
    case(w.tianshan, w.ent_tianshan, decision_due=dt.date(2026, 12, 16))  # not yet near
    case(w.tianshan, w.ent_tianshan, decision_due=TODAY)  # near (due today)
    case(w.tianshan, w.ent_tianshan, decision_due=TODAY - dt.timedelta(days=1))  # overdue
    paused = case(w.tianshan, w.ent_tianshan, decision_due=dt.date(2026, 11, 20))
    DeadlinePause.objects.create(
        deadline=decision_deadline(paused), reason="听证", started_on=dt.date(2026, 11, 10)
    )
    met = case(
        w.tianshan, w.ent_tianshan, state=CaseState.DECIDED, decision_due=dt.date(2026, 12, 1)
    )
    deadline_stop(subject=met)
    case(w.shayibake, w.ent_shayibake, decision_due=dt.date(2026, 11, 1))  # overdue
    case(w.karamay, w.ent_karamay, decision_due=dt.date(2026, 12, 2))  # near
    return ow


def numbers(board: selectors.Dashboard) -> list[tuple]:
    return [
        (r.code, r.own, r.planned, r.done, r.hazards_overdue, r.cases_near, r.cases_overdue)
        for r in board.rows
    ]


def test_prefecture_sees_its_counties(built: OversightWorld) -> None:
    board = selectors.dashboard(user=built.pref_head, today=TODAY)
    assert board.office.code == "650100"
    assert numbers(board) == [
        ("650100", True, 0, 0, 1, 0, 0),
        ("650102", False, 3, 2, 2, 2, 1),
        ("650103", False, 0, 0, 1, 0, 1),
    ]
    total = board.total
    assert (
        total.planned,
        total.done,
        total.hazards_overdue,
        total.cases_near,
        total.cases_overdue,
    ) == (3, 2, 4, 2, 2)
    assert board.rows[1].plan_rate == 67
    assert not board.rows[1].drill


def test_province_sees_its_prefectures_and_drills_down(built: OversightWorld) -> None:
    board = selectors.dashboard(user=built.prov_head, today=TODAY)
    assert numbers(board) == [
        ("650000", True, 0, 0, 0, 0, 0),
        ("650100", False, 3, 2, 4, 2, 2),
        ("650200", False, 0, 0, 1, 1, 0),
        ("652300", False, 0, 0, 0, 0, 0),
    ]
    assert board.rows[1].drill
    assert not board.rows[0].drill
    down = selectors.dashboard(user=built.prov_head, code="650100", today=TODAY)
    assert numbers(down) == numbers(selectors.dashboard(user=built.pref_head, today=TODAY))


def test_near_days_is_a_parameter(built: OversightWorld) -> None:
    board = selectors.dashboard(user=built.pref_head, today=TODAY, near_days=16)
    assert board.rows[1].cases_near == 3


def test_a_county_sees_itself_only(built: OversightWorld) -> None:
    board = selectors.dashboard(user=built.ts_officer, today=TODAY)
    assert numbers(board) == [("650102", True, 3, 2, 2, 2, 1)]
    with pytest.raises(NotFound):
        selectors.dashboard(user=built.ts_officer, code="650100", today=TODAY)
    with pytest.raises(NotFound):
        selectors.dashboard(user=built.pref_head, code="650200", today=TODAY)


def test_the_lists_behind_the_numbers(built: OversightWorld) -> None:
    user = built.pref_head
    hazards = selectors.dashboard_list(user=user, metric="hazards", area="650102", today=TODAY)
    assert [f.due_date for f in hazards] == [
        TODAY - dt.timedelta(days=40),
        TODAY - dt.timedelta(days=1),
    ]
    own = selectors.dashboard_list(user=user, metric="hazards", area="650100", today=TODAY)
    assert len(own) == 1
    area = selectors.dashboard_list(
        user=built.prov_head, metric="hazards", area="6501", today=TODAY
    )
    assert len(area) == 4
    near = selectors.dashboard_list(user=user, metric="cases_near", area="650102", today=TODAY)
    assert [c.decision_due for c in near] == [TODAY, dt.date(2026, 12, 15)]
    assert [c.days_left for c in near] == [0, 15]
    over = selectors.dashboard_list(user=user, metric="cases_overdue", area="6501", today=TODAY)
    assert [c.decision_due for c in over] == [dt.date(2026, 11, 1), TODAY - dt.timedelta(days=1)]
    plan = selectors.dashboard_list(user=user, metric="plan", area="650102", today=TODAY)
    assert [(v.month_from, v.done) for v in plan] == [(7, False), (3, True), (5, True)]
    with pytest.raises(NotFound):
        selectors.dashboard_list(user=user, metric="hazards", area="6502", today=TODAY)
    with pytest.raises(NotFound):
        selectors.dashboard_list(user=user, metric="nothing", area="650102", today=TODAY)
