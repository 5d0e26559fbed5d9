"""Planning pages: the plan list, the builder's sections and buttons, errors at the fields,
stale versions, the officer calendar, coverage, the public pages and the draw file.

A small 天山区 office (a team lead, four more certified officers, a head and 32 operating
enterprises) builds its 2026 plan through the services; the pages are then read and
driven as its staff, an upper level, another jurisdiction and the public would.

Texts of the pages are compared with ``zh()`` (gettext under zh-hans), so the assertions
hold before and after the Chinese catalogue has the planning pages' translations.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.planning import services
from inspectorate.planning.models import (
    AgencyEquipment,
    EquipmentKind,
    Plan,
    PlanAdjustment,
    PlanDeduction,
    PlanState,
)
from inspectorate.registry.models import RiskClass, StandardisationLevel
from tests.conftest import World
from tests.factories import (
    CertificateFactory,
    EnterpriseFactory,
    MajorHazardSourceFactory,
    UserFactory,
    sector,
)

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]

REPO = Path(__file__).resolve().parents[2]
YEAR = 2026
PLAN_DAY = dt.date(2026, 1, 5)
SEED = "5eed" * 16
SECTORS = ["hazchem_production", "machinery", "commerce"]
DEDUCTIONS_PER_OFFICER = {
    "comprehensive": 10,
    "licensing": 8,
    "accident_investigation": 6,
    "complaints": 8,
    "joint_enforcement": 4,
    "registration": 2,
    "intermediaries": 2,
    "publicity": 6,
    "review_litigation": 2,
    "assigned": 6,
    "duty": 20,
    "study": 15,
    "guidance": 5,
    "party": 6,
    "sick_leave": 5,
    "annual_leave": 12,
    "other": 5,
}


TODAY = dt.date(2026, 3, 16)  # the pages' "today": the plan's year is open, March onwards


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """``timezone.localdate()`` is TODAY, so that the year a plan may be made for, and the
    months an adjustment may still change, do not depend on when the tests run."""
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return TODAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def en(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


@dataclass
class Office:
    world: World
    lead: User
    head: User
    officers: list[User]  # the roster: the lead and four officers, all certified
    plan: Plan

    def refresh(self) -> Plan:
        self.plan.refresh_from_db()
        return self.plan


def _office(world: World) -> Office:
    """The 天山区 office with its officers and enterprises, and a plan with its capacity."""
    lead, head = world.tianshan_lead, world.tianshan_head
    officers = [lead, world.tianshan_officer] + [
        UserFactory(agency=world.tianshan, name=f"天山执法员{n}") for n in range(1, 4)
    ]
    for officer in officers:
        CertificateFactory(officer=officer, sectors=SECTORS)
    AgencyEquipment.objects.create(agency=world.tianshan, kind=EquipmentKind.GAS_DETECTOR, count=2)
    hazchem = sector("hazchem_production")
    for n in range(6):  # not graded: at least one inspection a year (key)
        EnterpriseFactory(
            supervising_agency=world.tianshan,
            name=f"天山未达标化工厂{n}",
            sector=hazchem,
            standardisation_level=StandardisationLevel.NONE,
        )
    for n in range(4):  # high-risk sector with a major risk class (key)
        EnterpriseFactory(
            supervising_agency=world.tianshan,
            name=f"天山重大风险化工厂{n}",
            sector=hazchem,
            risk_class=RiskClass.MAJOR,
        )
    for n in range(2):  # a major hazard source (key)
        MajorHazardSourceFactory(
            enterprise=EnterpriseFactory(
                supervising_agency=world.tianshan, name=f"天山储罐区企业{n}", sector=hazchem
            )
        )
    for n in range(18):  # ordinary units: candidates of the random draw
        EnterpriseFactory(
            supervising_agency=world.tianshan,
            name=f"天山商贸机械企业{n}",
            sector=sector(SECTORS[1 + n % 2]),
            risk_class=RiskClass.LOW,
        )
    plan = services.plan_create(actor=lead, year=YEAR, today=PLAN_DAY)
    plan = services.plan_capacity_set(
        actor=lead,
        plan_id=plan.pk,
        expected_version=plan.version,
        deductions={k: v * len(officers) for k, v in DEDUCTIONS_PER_OFFICER.items()},
        random_share="0.30",
        reserve_share="0.10",
        leave={world.tianshan_officer.pk: [8]},
    )
    return Office(world=world, lead=lead, head=head, officers=officers, plan=plan)


@pytest.fixture
def office(world: World) -> Office:
    """A draft plan with its capacity set, nothing composed yet."""
    return _office(world)


@pytest.fixture
def built(office: Office) -> Office:
    """The draft plan composed, drawn and assigned (ready to submit)."""
    plan = services.plan_build(
        actor=office.lead,
        plan_id=office.plan.pk,
        expected_version=office.plan.version,
        seed=SEED,
        time_limit=5,
    )
    office.plan = plan
    return office


@pytest.fixture
def approved(built: Office) -> Office:
    plan = services.plan_submit(
        actor=built.lead, plan_id=built.plan.pk, expected_version=built.plan.version
    )
    built.plan = services.plan_approve(
        actor=built.head, plan_id=plan.pk, expected_version=plan.version
    )
    return built


def _url(plan: Plan, suffix: str = "") -> str:
    return f"/planning/{plan.pk}/{suffix}"


def _snapshot(plan: Plan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    return (
        plan.version,
        plan.state,
        str(plan.random_share),
        str(plan.reserve_share),
        sorted(PlanDeduction.objects.filter(plan=plan).values_list("category", "days")),
        sorted(plan.roster.values_list("officer_id", "leave_months")),
        plan.units.count(),
        PlanAdjustment.objects.filter(plan=plan).count(),
        RecordEvent.objects.count(),
    )


def _html(response: Any) -> str:
    return str(response.content.decode())


# --- the plan list and creating a plan ---------------------------------------------------------


def test_plan_list_shows_the_plans_in_scope_with_a_create_form_for_leads(
    office: Office, client_for: ClientFor
) -> None:
    response = client_for(office.lead).get("/planning/")
    assert response.status_code == 200
    html = _html(response)
    assert [p.pk for p in response.context["plans"]] == [office.plan.pk]
    assert "天山区应急管理局" in html
    assert 'data-testid="plan-create"' in html
    assert zh("Annual inspection plans") in html

    upper = client_for(office.world.prefecture_officer).get("/planning/")
    assert [p.pk for p in upper.context["plans"]] == [office.plan.pk]
    assert 'data-testid="plan-create"' not in _html(upper)  # an officer creates no plan

    other = client_for(office.world.karamay_lead).get("/planning/")
    assert list(other.context["plans"]) == []
    assert 'data-testid="plan-create"' in _html(other)  # its own office may plan

    by_year = client_for(office.lead).get(f"/planning/?year={YEAR + 1}")
    assert list(by_year.context["plans"]) == []


def test_create_plan_through_the_page_and_the_error_at_the_year(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.karamay_lead)
    response = client.post("/planning/new/", {"year": str(YEAR)})
    plan = Plan.objects.get(agency=world.karamay)
    assert (response.status_code, response["Location"]) == (302, f"/planning/{plan.pk}/")

    again = client.post("/planning/new/", {"year": str(plan.year)}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert again.context["create_form"].errors == {
        "year": ["This office already has a plan for that year."]
    }
    assert 'data-field="year"' in _html(again)
    assert Plan.objects.filter(agency=world.karamay).count() == 1

    officer = client_for(world.karamay_officer).post("/planning/new/", {"year": str(plan.year)})
    assert officer.status_code == 403
    assert Plan.objects.count() == 1


# --- the plan page -----------------------------------------------------------------------------


SECTION_IDS = ["overview", "capacity", "key-units", "draw", "assignment"]


def test_plan_page_for_the_owner_shows_every_section_in_order(
    built: Office, client_for: ClientFor
) -> None:
    response = client_for(built.lead).get(_url(built.plan))
    assert response.status_code == 200
    html = _html(response)
    positions = [html.index(f'<section id="{s}"') for s in SECTION_IDS]
    assert positions == sorted(positions)
    for heading in (
        "Plan and approval",
        "Inspection capacity",
        "Key units",
        "Random draw",
        "Team assignment",
    ):
        assert f"<h2>{zh(heading)}</h2>" in html
    assert 'id="adjustments"' not in html  # a draft is edited, not adjusted

    # capacity, step by step, with the 2026 calendar's numbers
    assert "国家法定工作日" in html
    steps = {s.label: (s.formula, s.value) for s in response.context["steps"]}
    with translation.override("zh-hans"):
        assert steps[zh("Statutory working days (国家法定工作日)")] == ("=", 248)
        assert steps[zh("Officers on the roster")] == ("×", 5)
        assert steps[zh("Total statutory working days (总法定工作日)")] == ("=", 1240)
    assert re.search(
        r'<td class="op">=</td><td>[^<]*国家法定工作日[^<]*</td><td class="num">248</td>', html
    )
    assert re.search(r'<td class="op">×</td><td>[^<]*</td><td class="num">5</td>', html)
    assert re.search(r'<td class="num">1240</td>', html)

    # key units with their reasons, the draw verified, the teams' calendar
    assert response.context["key_planned"]
    assert all(r.reasons for r in response.context["key_planned"])
    assert "天山重大风险化工厂0" in html
    assert response.context["draw_verified"] is True
    assert 'data-testid="draw-verified"' in html
    assert [rank for rank, _row in response.context["random_rows"]] == list(
        range(1, len(response.context["random_rows"]) + 1)
    )
    teams = response.context["teams"]
    assert len(teams) == 2  # five officers: a pair and a trio
    assert sorted(len(t["members"]) for t in teams) == [2, 3]
    assert all(len(t["months"]) == 12 for t in teams)
    assert sum(t["total"] for t in teams) == response.context["solver"]["assigned"]
    for officer in built.officers:
        assert f'/planning/{built.plan.pk}/officers/{officer.pk}/"' in html

    # the team lead's buttons on a built draft: submit, assign again; no compose after the draw
    assert 'data-action="submit"' in html
    assert 'data-action="assign"' in html
    assert 'data-action="compose"' not in html
    assert 'data-action="commit"' not in html
    assert 'data-testid="capacity-form"' not in html  # the draw has been run


def test_plan_page_before_the_draw_offers_the_capacity_form_and_compose(
    office: Office, client_for: ClientFor
) -> None:
    html = _html(client_for(office.lead).get(_url(office.plan)))
    assert 'data-testid="capacity-form"' in html
    assert 'name="d_duty" value="100"' in html  # 20 days × 5 officers
    assert 'name="reserve_share" value="0.10"' in html
    assert 'data-action="compose"' in html
    assert 'data-action="commit"' not in html  # compose first
    assert 'data-action="submit"' not in html  # offered only once the plan is built


@pytest.mark.parametrize("who", ["prefecture_officer", "province_officer", "tianshan_officer"])
def test_plan_page_for_a_viewer_who_may_not_act_has_no_buttons(
    built: Office, client_for: ClientFor, who: str
) -> None:
    response = client_for(getattr(built.world, who)).get(_url(built.plan))
    assert response.status_code == 200
    html = _html(response)
    assert "data-action=" not in html
    assert 'data-testid="capacity-form"' not in html
    assert zh("Inspection capacity") in html
    assert "国家法定工作日" in html


def test_upper_level_supervisor_sees_no_buttons_and_cannot_act(
    built: Office, client_for: ClientFor
) -> None:
    supervisor = UserFactory(agency=built.world.prefecture, roles=[Role.SUPERVISOR, Role.HEAD])
    client = client_for(supervisor)
    assert "data-action=" not in _html(client.get(_url(built.plan)))
    before = _snapshot(built.plan)
    response = client.post(_url(built.plan, "actions/submit/"), {"version": built.plan.version})
    assert response.status_code == 403
    assert _snapshot(built.plan) == before


def test_plan_page_out_of_scope_is_the_same_404_as_a_missing_plan(
    built: Office, client_for: ClientFor
) -> None:
    client = client_for(built.world.karamay_lead)
    assert client.get(_url(built.plan)).status_code == 404
    assert client.get("/planning/987654/").status_code == 404
    before = _snapshot(built.plan)
    assert client.post(_url(built.plan, "compose/"), {"version": 1}).status_code == 404
    assert _snapshot(built.plan) == before
    assert client_for(None).get(_url(built.plan)).status_code == 302  # to the sign-in page


# --- capacity: errors at the fields, stale versions ---------------------------------------------


def _capacity_data(office: Office, **overrides: str) -> dict[str, Any]:
    plan = office.refresh()
    data: dict[str, Any] = {
        "version": str(plan.version),
        "random_share": "0.30",
        "reserve_share": "0.10",
        f"leave_{office.world.tianshan_officer.pk}": ["8"],
    }
    for category, days in DEDUCTIONS_PER_OFFICER.items():
        data[f"d_{category}"] = str(days * 5)
    data.update(overrides)
    return data


def test_capacity_form_saves_and_recalculates(office: Office, client_for: ClientFor) -> None:
    data = _capacity_data(office, d_duty="200", random_share="0.40")
    data[f"leave_{office.lead.pk}"] = ["7", "12"]
    response = client_for(office.lead).post(_url(office.plan, "capacity/"), data)
    assert (response.status_code, response["Location"]) == (302, _url(office.plan) + "#capacity")
    plan = office.refresh()
    assert plan.capacity["non_enforcement_days"] == 68 * 5 - 100 + 200
    assert str(plan.random_share) == "0.40"
    assert plan.roster.get(officer=office.lead).leave_months == [7, 12]
    assert plan.roster.get(officer=office.world.tianshan_officer).leave_months == [8]


def test_bad_capacity_form_shows_the_errors_at_the_fields_and_changes_nothing(
    office: Office, client_for: ClientFor
) -> None:
    client = client_for(office.lead)
    before = _snapshot(office.plan)
    response = client.post(
        _url(office.plan, "capacity/"),
        _capacity_data(office, reserve_share="1.5", d_duty="-3"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["capacity_form"]
    assert form.errors == {
        "d_duty": ["Days cannot be negative."],
        "reserve_share": ["Enter a number between 0 and 1 with two decimals."],
    }
    html = _html(response)
    assert 'data-field="reserve_share"' in html
    assert 'data-field="d_duty"' in html
    assert 'name="d_duty" value="-3"' in html  # the input is kept
    assert _snapshot(office.plan) == before

    # not a number at all: the form's own check, before any service
    response = client.post(_url(office.plan, "capacity/"), _capacity_data(office, d_study="many"))
    assert response.status_code == 400
    assert list(response.context["capacity_form"].errors) == ["d_study"]
    assert _snapshot(office.plan) == before

    # more days deducted than there are: shown above the tables
    response = client.post(
        _url(office.plan, "capacity/"),
        _capacity_data(office, d_other="5000"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["capacity_form"].non_field_errors() == [
        "The deducted days (5585) exceed the statutory working days (1240)."
    ]
    assert _snapshot(office.plan) == before


def test_stale_capacity_form_is_a_409_that_keeps_the_input(
    office: Office, client_for: ClientFor
) -> None:
    stale = _capacity_data(office, d_duty="150")
    # a colleague saves first
    services.plan_capacity_set(
        actor=office.lead,
        plan_id=office.plan.pk,
        expected_version=office.plan.version,
        deductions={"duty": 50},
        random_share="0.30",
        reserve_share="0.10",
    )
    before = _snapshot(office.plan)
    response = client_for(office.lead).post(
        _url(office.plan, "capacity/"), stale, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    html = _html(response)
    assert "Someone else changed this record after you opened it." in html
    assert 'name="d_duty" value="150"' in html  # the user's input is still there
    assert f'name="version" value="{before[0]}"' in html  # saving again applies it knowingly
    assert _snapshot(office.plan) == before


def test_stale_lifecycle_button_is_a_409(built: Office, client_for: ClientFor) -> None:
    before = _snapshot(built.plan)
    response = client_for(built.lead).post(
        _url(built.plan, "actions/submit/"), {"version": built.plan.version - 1}
    )
    assert response.status_code == 409
    assert _snapshot(built.plan) == before


# --- building the plan with the buttons ---------------------------------------------------------


def test_build_submit_approve_and_file_with_the_buttons(
    office: Office, client_for: ClientFor
) -> None:
    lead, head = client_for(office.lead), client_for(office.head)

    def post(client: Client, suffix: str, **data: str) -> Any:
        version = str(office.refresh().version)
        return client.post(_url(office.plan, suffix), {"version": version, **data})

    # submitting an unbuilt plan: the guard's message, nothing changes
    before = _snapshot(office.plan)
    response = post(lead, "actions/submit/")
    assert response.status_code == 400
    assert _snapshot(office.plan) == before

    assert post(lead, "compose/").status_code == 302
    assert office.refresh().composed_at is not None
    # a bad seed: the error at the seed field
    response = lead.post(
        _url(office.plan, "draw/commit/"),
        {"version": office.plan.version, "seed": "xyz"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["commit_form"].errors == {
        "seed": ["A seed is 64 hexadecimal characters (0–9, a–f)."]
    }
    assert post(lead, "draw/commit/", seed=SEED.upper()).status_code == 302
    html = _html(lead.get(_url(office.plan)))
    assert 'data-action="run-draw"' in html
    assert SEED not in html  # the seed stays secret until the draw has run
    assert post(lead, "draw/run/").status_code == 302
    assert post(lead, "assign/").status_code == 302
    assert office.refresh().assigned_at is not None

    assert post(lead, "actions/submit/").status_code == 302
    assert office.refresh().state == PlanState.SUBMITTED
    # returning needs a reason
    response = post(head, "actions/return/", reason=" ")
    assert response.status_code == 400
    assert office.refresh().state == PlanState.SUBMITTED
    response = post(head, "actions/approve/")
    assert (response.status_code, response["Location"]) == (302, _url(office.plan))
    assert office.refresh().state == PlanState.APPROVED
    assert post(lead, "actions/file/").status_code == 302
    plan = office.refresh()
    assert plan.state == PlanState.FILED
    assert plan.filed_with is None or "filed-with" in _html(lead.get(_url(plan)))

    # illegal from here: approving a filed plan
    response = post(head, "actions/approve/")
    assert response.status_code == 409
    assert post(lead, "actions/nonsense/").status_code == 404


# --- adjustments -------------------------------------------------------------------------------


def test_adjustment_form_errors_at_the_fields(approved: Office, client_for: ClientFor) -> None:
    client = client_for(approved.lead)
    html = _html(client.get(_url(approved.plan)))
    assert 'id="adjustments"' in html
    assert 'data-testid="adjust-form"' in html
    before = _snapshot(approved.plan)
    data = {
        "version": approved.plan.version,
        "reason": "complaint",
        "note": "群众举报",
        "add_code": approved.world.ent_karamay.credit_code,  # not in 天山区
    }
    response = client.post(_url(approved.plan, "adjust/"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["adjust_form"].errors == {
        "add_code": ["No enterprise with this credit code is in your jurisdiction."]
    }
    response = client.post(
        _url(approved.plan, "adjust/"),
        {"version": approved.plan.version, "reason": "", "note": " "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert set(response.context["adjust_form"].errors) == {"reason", "note", "add_code"}
    assert _snapshot(approved.plan) == before

    # an upper level sees the adjustments but has no form
    upper = _html(client_for(approved.world.prefecture_officer).get(_url(approved.plan)))
    assert 'id="adjustments"' in upper
    assert 'data-testid="adjust-form"' not in upper


def test_adjustment_adds_a_unit(approved: Office, client_for: ClientFor) -> None:
    extra = EnterpriseFactory(supervising_agency=approved.world.tianshan, name="天山被举报企业")
    response = client_for(approved.lead).post(
        _url(approved.plan, "adjust/"),
        {
            "version": approved.plan.version,
            "reason": "complaint",
            "note": "群众举报违规储存",
            "add_code": extra.credit_code.lower(),
        },
    )
    assert (response.status_code, response["Location"]) == (
        302,
        _url(approved.plan) + "#adjustments",
    )
    adjustment = PlanAdjustment.objects.get(plan=approved.plan)
    assert adjustment.changes["added"] == [extra.pk]
    assert adjustment.changes["frozen_months"] == [1, 2]  # January and February are past
    html = _html(client_for(approved.lead).get(_url(approved.plan)))
    assert "群众举报违规储存" in html
    assert "天山被举报企业" in html


# --- officer calendar and coverage --------------------------------------------------------------


def test_officer_calendar_groups_the_inspections_by_month(
    built: Office, client_for: ClientFor
) -> None:
    officer = built.world.tianshan_officer
    response = client_for(built.lead).get(_url(built.plan, f"officers/{officer.pk}/"))
    assert response.status_code == 200
    months = response.context["months"]
    assert [m["month"] for m in months] == list(range(1, 13))
    assert months[7]["away"] is True  # August, the month away set in the fixture
    assert months[7]["visits"] == []
    total = sum(len(m["visits"]) for m in months)
    assert total == response.context["total"] > 0
    html = _html(response)
    assert officer.name in html
    assert client_for(built.lead).get(_url(built.plan, "officers/987654/")).status_code == 404
    assert (
        client_for(built.world.karamay_lead)
        .get(_url(built.plan, f"officers/{officer.pk}/"))
        .status_code
        == 404
    )


def test_coverage_page(built: Office, client_for: ClientFor) -> None:
    response = client_for(built.world.prefecture_officer).get("/planning/coverage/?year=2026")
    assert response.status_code == 200
    coverage = response.context["coverage"]
    assert coverage.plans == 1
    assert sum(coverage.by_month) + coverage.unassigned == response.context["visits"] > 0
    offices = {o.office for o in coverage.offices_without_plan}
    assert "沙依巴克区应急管理局" in offices
    html = _html(response)
    for testid in ("conflicts", "uncovered", "offices-without-plan", "by-month", "by-sector",
                   "by-risk", "by-county", "coverage-chart"):  # fmt: skip
        assert f'data-testid="{testid}"' in html
    assert "echarts.min.js" in html


# --- public pages and the draw file -------------------------------------------------------------


def test_public_pages_are_open_and_name_no_officer(approved: Office, client_for: ClientFor) -> None:
    anonymous = client_for(None)
    assert 'href="/public/plans/"' in _html(anonymous.get("/accounts/login/"))  # the way in
    listing = anonymous.get("/public/plans/")
    assert listing.status_code == 200
    assert [p.pk for p in listing.context["plans"]] == [approved.plan.pk]

    response = anonymous.get(f"/public/plans/{approved.plan.pk}/")
    assert response.status_code == 200
    html = _html(response)
    summary = response.context["summary"]
    assert summary.random_units == len(summary.drawn) > 0
    assert summary.key_units > 0
    assert response.context["verified"] is True
    draw = approved.plan.draw
    assert draw.seed_hash in html
    assert draw.seed in html  # revealed after the draw
    for _rank, name, code in summary.drawn:
        assert name in html
        assert code in html
    for officer in [*approved.officers, approved.head]:
        assert officer.name not in html
        assert officer.username not in html


def test_a_draft_plan_is_not_public(built: Office, client_for: ClientFor) -> None:
    anonymous = client_for(None)
    assert list(anonymous.get("/public/plans/").context["plans"]) == []
    assert anonymous.get(f"/public/plans/{built.plan.pk}/").status_code == 404
    assert anonymous.get(f"/public/plans/{built.plan.pk}/draw.json").status_code == 404


def test_draw_file_verifies_with_the_published_script(
    approved: Office, client_for: ClientFor, tmp_path: Path
) -> None:
    response = client_for(None).get(f"/public/plans/{approved.plan.pk}/draw.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="draw-650102-2026.json"'
    path = tmp_path / "draw.json"
    path.write_bytes(response.content)
    result = subprocess.run(  # noqa: S603 - our own script, on our own file
        [sys.executable, str(REPO / "scripts" / "verify_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("VERIFIED")

    # a tampered file does not verify
    tampered = response.content.replace(SEED.encode(), ("0" * 64).encode())
    path.write_bytes(tampered)
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(REPO / "scripts" / "verify_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "seed does not match the committed hash" in result.stdout


# --- language ----------------------------------------------------------------------------------


def test_plan_page_in_english_with_the_language_cookie(
    built: Office, client_for: ClientFor
) -> None:
    client = client_for(built.lead)
    client.cookies["django_language"] = "en"
    html = _html(client.get(_url(built.plan)))
    assert '<html lang="en">' in html
    for text in ("Inspection capacity", "Key units", "Random draw", "Team assignment"):
        assert f"<h2>{text}</h2>" in html
    assert "Statutory working days" in html
    assert en("Calendar days") == "Calendar days"
    assert "Calendar days" in html
