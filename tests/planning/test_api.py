"""The planning API: the steps of a plan, its errors (in Chinese and English), lists and
their filters, coverage, and the public summary.

``timezone.localdate()`` is 5 January 2026 here (``frozen_today``): the API takes no
``today``, and a plan is made for this year or the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import User
from inspectorate.planning.models import Plan, PlanAdjustment, PlannedUnit
from tests.factories import EnterpriseFactory, sector
from tests.planning.conftest import (
    DEDUCTIONS,
    SEED,
    PlanningWorld,
    approve,
    build,
    new_plan,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
ClientFor = Callable[[User | None], Client]


def _post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _plan_url(plan: Plan, rest: str = "") -> str:
    return f"/api/v1/plans/{plan.pk}/{rest}"


def _fields(response: Any) -> dict[str, Any]:
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "validation_failed"), body
    return body["extra"]["fields"]  # type: ignore[no-any-return]


def _counts() -> tuple[int, int, int, int]:
    return (
        Plan.objects.count(),
        RecordEvent.objects.count(),
        PlannedUnit.objects.count(),
        PlanAdjustment.objects.count(),
    )


# --- the steps -----------------------------------------------------------------------------


def test_the_steps_of_a_plan(planning_world: PlanningWorld, client_for: ClientFor) -> None:
    pw = planning_world
    lead = client_for(pw.lead)
    created = _post(lead, "/api/v1/plans/", {"year": 2026})
    assert created.status_code == 201, created.content
    body = created.json()
    plan = Plan.objects.get(pk=body["id"])
    body.pop("updated_at")
    assert body == {
        "id": plan.pk,
        "office": pw.tianshan.code,
        "office_name": "天山区应急管理局",
        "year": 2026,
        "state": "draft",
        "state_label": "草稿",
        "version": 1,
        "random_share": "0.30",
        "reserve_share": "0.10",
        "capacity": plan.capacity,
        "solver": {},
        "composed_at": None,
        "assigned_at": None,
        "filed_with": None,
    }
    assert (body["capacity"]["officers"], body["capacity"]["total_days"]) == (4, 992)

    response = _post(
        lead,
        _plan_url(plan, "capacity/"),
        {
            "version": 1,
            "deductions": DEDUCTIONS,
            "random_share": "0.30",
            "reserve_share": "0.10",
            "leave": {str(pw.officers[2].pk): [8]},
        },
    )
    assert response.status_code == 200, response.content
    capacity = response.json()["capacity"]
    assert (capacity["inspection_days"], capacity["plannable_days"], capacity["key_days"]) == (
        260,
        234,
        164,
    )
    assert response.json()["version"] == 2

    response = _post(lead, _plan_url(plan, "compose/"), {"version": 2})
    assert (response.status_code, response.json()["version"]) == (200, 3)
    assert response.json()["capacity"]["key_used"] == 15
    key = lead.get(_plan_url(plan, "units/"), {"origin": "key"}).json()
    assert key["count"] == 6

    assert lead.get(_plan_url(plan, "draw/")).status_code == 404  # nothing committed yet
    response = _post(lead, _plan_url(plan, "draw/commit/"), {"version": 3, "seed": SEED.upper()})
    assert (response.status_code, response.json()["version"]) == (200, 4)
    draw = lead.get(_plan_url(plan, "draw/")).json()
    assert (draw["seed"], draw["result"], draw["verified"], draw["budget"]) == ("", {}, False, 219)
    response = _post(lead, _plan_url(plan, "draw/run/"), {"version": 4})
    assert (response.status_code, response.json()["version"]) == (200, 5)
    draw = lead.get(_plan_url(plan, "draw/")).json()
    assert (draw["seed"], draw["verified"], len(draw["result"]["teams"])) == (SEED, True, 2)

    response = _post(lead, _plan_url(plan, "assign/"), {"version": 5, "time_limit": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["solver"]["assigned"], body["solver"]["unassigned"]) == (6, 30, 2)
    assert body["assigned_at"] is not None

    head = client_for(pw.head)
    for client, action, version, state in (
        (lead, "submit", 6, "submitted"),
        (head, "approve", 7, "approved"),
        (lead, "file", 8, "filed"),
    ):
        response = _post(client, _plan_url(plan, f"transitions/{action}/"), {"version": version})
        assert response.status_code == 200, response.content
        assert (response.json()["state"], response.json()["version"]) == (state, version + 1)
    assert response.json()["filed_with"] == pw.world.prefecture.code

    urgent = EnterpriseFactory(
        name="天山事故化工厂", jurisdiction_code="650102", supervising_agency=pw.tianshan,
        sector=sector("hazchem_use"), standardisation_level="level2",
    )  # fmt: skip
    response = _post(
        lead,
        _plan_url(plan, "adjustments/"),
        {
            "version": 9,
            "reason": "accident",
            "note": "爆燃事故",
            "add": [{"enterprise": urgent.pk}],
        },
    )
    assert response.status_code == 201, response.content
    adjustment = response.json()
    assert (adjustment["reason"], adjustment["note"], adjustment["made_by"]) == (
        "accident",
        "爆燃事故",
        "ts_lead",
    )
    # 5 January: nothing is frozen yet, the urgent unit goes in January or February
    assert adjustment["changes"]["frozen_months"] == []
    assert (adjustment["changes"]["added"], adjustment["changes"]["moved"]) == ([urgent.pk], 0)
    listed = lead.get(_plan_url(plan, "adjustments/")).json()
    assert [a["id"] for a in listed] == [adjustment["id"]]
    units = lead.get(_plan_url(plan, "units/"), {"origin": "adjustment"}).json()
    assert units["count"] == 1
    assert units["results"][0]["assignments"][0]["window"] == [1, 2]
    assert units["results"][0]["assignments"][0]["month"] in (1, 2)


@pytest.fixture
def built_plan(planning_world: PlanningWorld) -> Plan:
    return build(planning_world, new_plan(planning_world))


def test_units_and_their_filters(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    pw = planning_world
    client = client_for(pw.world.prefecture_officer)  # the level above reads
    everything = client.get(
        _plan_url(built_plan, "units/"), {"page_size": 100}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert everything["count"] == 31
    risks = [u["risk"] for u in everything["results"]]
    assert risks == sorted(risks, reverse=True)
    first = everything["results"][0]
    assert (first["enterprise_name"], first["origin"], first["state"], first["risk"]) == (
        "天山储运有限公司",
        "key",
        "planned",
        14,
    )
    assert first["credit_code"] == pw.units["k_hazard"].credit_code
    assert first["reasons"] == ["Major hazard sources: 1 (highest level 1)"]
    (visit,) = first["assignments"]
    assert visit["window"] == [1, 12]
    assert visit["team"] in (1, 2)
    assert 1 <= visit["month"] <= 12
    random = client.get(_plan_url(built_plan, "units/"), {"origin": "random"}).json()
    assert random["count"] == 25
    key = client.get(_plan_url(built_plan, "units/"), {"origin": "key", "state": "planned"}).json()
    assert {u["enterprise_name"] for u in key["results"]} == {
        pw.units[n].name for n in pw.key_names
    }
    mine = next(u for u in key["results"] if u["enterprise_name"] == "天山采石场")
    assert [(v["window"], v["month"], v["unassigned_reason"]) for v in mine["assignments"]] == [
        ([1, 6], None, "equipment"),
        ([7, 12], None, "equipment"),
    ]
    none = client.get(_plan_url(built_plan, "units/"), {"state": "uncovered"}).json()
    assert none["count"] == 0


def test_the_units_list_does_not_query_per_unit(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    client = client_for(planning_world.lead)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_plan_url(built_plan, "units/"), {"page_size": 5}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(_plan_url(built_plan, "units/"), {"page_size": 50}).status_code == 200
    assert len(large) == len(small)


def test_teams(planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor) -> None:
    pw = planning_world
    teams = client_for(pw.lead).get(_plan_url(built_plan, "teams/")).json()
    assert [t["number"] for t in teams] == [1, 2]
    names = {o.pk: str(o) for o in pw.officers}
    assert sorted(m for t in teams for m in t["members"]) == sorted(names.values())
    assert sum(t["total"] for t in teams) == 30
    for t in teams:
        assert len(t["by_month"]) == len(t["capacity_by_month"]) == 12
        assert all(
            e <= c for e, c in zip(t["effort_by_month"], t["capacity_by_month"], strict=True)
        )
        assert "noncoal_mine" in t["sectors"]


def test_the_plan_list(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    pw = planning_world
    for user, expected in (
        (pw.lead, [built_plan.pk]),
        (pw.world.province_officer, [built_plan.pk]),
        (pw.world.karamay_lead, []),
        (pw.world.enterprise_user, []),
    ):
        body = client_for(user).get("/api/v1/plans/", {"year": 2026}).json()
        assert [p["id"] for p in body["results"]] == expected
    body = client_for(pw.lead).get("/api/v1/plans/", {"year": 2025}).json()
    assert body["count"] == 0


# --- errors --------------------------------------------------------------------------------


YEAR_ERRORS = [
    (
        {"year": 2027},
        "The official holiday calendar for 2027 has not been published yet.",
        "2027年法定节假日安排尚未公布。",
    ),
    ({"year": 2025}, "A plan is made for this year or the next one.", "只能编制本年度或下一年度的计划。"),
    ({"year": "next"}, "A valid integer is required.", "请填写合法的整数值。"),
    ({}, "This field is required.", "该字段是必填项。"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "english", "chinese"), YEAR_ERRORS)
def test_create_field_errors(
    planning_world: PlanningWorld,
    client_for: ClientFor,
    body: dict[str, Any],
    english: str,
    chinese: str,
) -> None:
    client = client_for(planning_world.lead)
    before = _counts()
    en = _post(client, "/api/v1/plans/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert _fields(en) == {"year": [english]}
    assert _fields(_post(client, "/api/v1/plans/", body)) == {"year": [chinese]}  # the default
    assert _counts() == before


def test_create_needs_a_planner(planning_world: PlanningWorld, client_for: ClientFor) -> None:
    response = _post(
        client_for(planning_world.world.tianshan_officer), "/api/v1/plans/", {"year": 2026}
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert Plan.objects.count() == 0


SHARE_EN = "Enter a number between 0 and 1 with two decimals."
SHARE_ZH = "请输入 0 到 1 之间、最多两位小数的数字。"
CAPACITY_ERRORS = [
    ({"random_share": "1.5"}, "random_share", SHARE_EN, SHARE_ZH),
    ({"reserve_share": "-0.10"}, "reserve_share", SHARE_EN, SHARE_ZH),
    ({"reserve_share": "1.00"}, "reserve_share", SHARE_EN, SHARE_ZH),
    ({"random_share": "abc"}, "random_share", "A valid number is required.", "请填写合法的数字。"),
    (
        {"random_share": "0.333"}, "random_share",
        "Ensure that there are no more than 2 decimal places.", "请确保总计不超过 2 个小数位。",
    ),
    (
        {"deductions": {"duty": -5}}, "deductions",
        {"duty": ["Ensure this value is greater than or equal to 0."]},
        {"duty": ["请确保该值大于或者等于 0。"]},
    ),
    ({"deductions": {"naps": 5}}, "deductions.naps", "Unknown category.", "未知的类别。"),
    (
        {"deductions": {"duty": 993}}, "deductions",
        "The deducted days (993) exceed the statutory working days (992).",
        "扣除的工作日（993）超过了总法定工作日（992）。",
    ),
    (
        {"leave": {"1": [13]}}, "leave",
        {"1": {"0": ["Ensure this value is less than or equal to 12."]}},
        {"1": {"0": ["请确保该值小于或者等于 12。"]}},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "english", "chinese"), CAPACITY_ERRORS)
def test_capacity_field_errors_in_chinese_and_english(
    planning_world: PlanningWorld,
    client_for: ClientFor,
    change: dict[str, Any],
    field: str,
    english: Any,
    chinese: Any,
) -> None:
    pw = planning_world
    plan = new_plan(pw)
    client = client_for(pw.lead)
    body = {
        "version": plan.version,
        "deductions": {},
        "random_share": "0.30",
        "reserve_share": "0.10",
    } | change
    url = _plan_url(plan, "capacity/")
    before = (_counts(), Plan.objects.get(pk=plan.pk).capacity)
    en = _fields(_post(client, url, body, HTTP_ACCEPT_LANGUAGE="en"))
    assert en == {field: english if isinstance(english, dict) else [english]}
    zh = _fields(_post(client, url, body))  # Simplified Chinese is the default language
    assert zh == {field: chinese if isinstance(chinese, dict) else [chinese]}
    assert (_counts(), Plan.objects.get(pk=plan.pk).capacity) == before


def test_a_bad_seed(planning_world: PlanningWorld, client_for: ClientFor) -> None:
    pw = planning_world
    plan = new_plan(pw)
    client = client_for(pw.lead)
    response = _post(client, _plan_url(plan, "compose/"), {"version": plan.version})
    version = response.json()["version"]
    before = _counts()
    for seed in ("1234", "z" * 64, SEED + "0"):
        fields = _fields(
            _post(
                client,
                _plan_url(plan, "draw/commit/"),
                {"version": version, "seed": seed},
                HTTP_ACCEPT_LANGUAGE="en",
            )
        )
        assert fields == {"seed": ["This value does not match the required pattern."]}
    assert _counts() == before
    assert client.get(_plan_url(plan, "draw/")).status_code == 404


def test_a_stale_version_is_409_with_its_code(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    pw = planning_world
    client = client_for(pw.lead)
    before = (_counts(), Plan.objects.get(pk=built_plan.pk).state)
    for url, body in (
        ("transitions/submit/", {"version": built_plan.version - 1}),
        ("assign/", {"version": built_plan.version - 1, "time_limit": 1}),
    ):
        response = _post(client, _plan_url(built_plan, url), body, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409
        assert response.json() == {
            "code": "concurrent_modification",
            "message": "Someone else changed this record after you opened it. Reload and try again.",
            "extra": {"current_version": built_plan.version},
        }
    assert (_counts(), Plan.objects.get(pk=built_plan.pk).state) == before


def test_transitions(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    pw = planning_world
    client = client_for(pw.lead)
    v = built_plan.version
    illegal = _post(client, _plan_url(built_plan, "transitions/approve/"), {"version": v})
    assert (illegal.status_code, illegal.json()["code"]) == (409, "illegal_transition")
    assert illegal.json()["extra"] == {"state": "draft", "action": "approve"}
    unknown = _post(client, _plan_url(built_plan, "transitions/burn/"), {"version": v})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    missing = _post(client, _plan_url(built_plan, "transitions/submit/"), {})
    assert _fields(missing) == {"version": ["该字段是必填项。"]}
    submitted = _post(client, _plan_url(built_plan, "transitions/submit/"), {"version": v})
    assert submitted.json()["state"] == "submitted"
    own = _post(client, _plan_url(built_plan, "transitions/approve/"), {"version": v + 1})
    assert (own.status_code, own.json()["code"]) == (403, "permission_denied")
    head = client_for(pw.head)
    returned = _post(
        head, _plan_url(built_plan, "transitions/return/"), {"version": v + 1},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert _fields(returned) == {"reason": ["A reason is required for this action."]}
    returned = _post(
        head, _plan_url(built_plan, "transitions/return/"), {"version": v + 1, "reason": "请补充"}
    )
    assert returned.json()["state"] == "draft"


def test_an_unbuilt_plan_cannot_be_submitted(
    planning_world: PlanningWorld, client_for: ClientFor
) -> None:
    plan = new_plan(planning_world)
    response = _post(
        client_for(planning_world.lead),
        _plan_url(plan, "transitions/submit/"),
        {"version": plan.version},
    )
    assert (response.status_code, response.json()["code"]) == (400, "plan_not_built")


def test_adjustment_errors(planning_world: PlanningWorld, client_for: ClientFor) -> None:
    pw = planning_world
    client = client_for(pw.lead)
    draft = build(pw, new_plan(pw))
    body = {
        "version": draft.version,
        "reason": "accident",
        "note": "事故",
        "add": [{"enterprise": pw.world.ent_tianshan.pk}],
    }
    response = _post(client, _plan_url(draft, "adjustments/"), body)
    assert (response.status_code, response.json()["code"]) == (400, "plan_not_approved")
    plan = approve(pw, Plan.objects.get(pk=draft.pk))
    before = _counts()
    response = _post(
        client,
        _plan_url(plan, "adjustments/"),
        {"version": plan.version, "reason": "boredom", "note": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _fields(response) == {
        "reason": ['"boredom" is not a valid choice.'],
        "note": ["This field may not be blank."],
    }
    response = _post(
        client,
        _plan_url(plan, "adjustments/"),
        {"version": plan.version, "reason": "weather", "note": "寒潮预警"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _fields(response) == {
        "add": ["An adjustment adds or removes a unit or changes an officer's leave."]
    }
    assert _counts() == before


def test_coverage_needs_a_year(planning_world: PlanningWorld, client_for: ClientFor) -> None:
    client = client_for(planning_world.world.prefecture_officer)
    assert _fields(client.get("/api/v1/planning/coverage/", HTTP_ACCEPT_LANGUAGE="en")) == {
        "year": ["Enter a year."]
    }
    assert _fields(
        client.get("/api/v1/planning/coverage/", {"year": "2026a"}, HTTP_ACCEPT_LANGUAGE="en")
    ) == {"year": ["Enter a year."]}


def test_coverage(planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor) -> None:
    body = (
        client_for(planning_world.world.prefecture_officer)
        .get("/api/v1/planning/coverage/", {"year": 2026})
        .json()
    )
    assert (body["year"], body["plans"], body["conflicts"], body["uncovered"]) == (2026, 1, [], [])
    assert body["offices_without_plan"] == [
        {
            "office_id": planning_world.world.shayibake.pk,
            "office": "沙依巴克区应急管理局",
            "mandatory_units": 0,
            "units": 1,
        }
    ]
    assert (sum(body["by_month"]), body["unassigned"]) == (30, 2)
    assert body["by_county"] == [["天山区", 32]]


# --- the public summary -----------------------------------------------------------------------


def test_public_plans_are_approved_ones_without_officers(
    planning_world: PlanningWorld, built_plan: Plan, client_for: ClientFor
) -> None:
    pw = planning_world
    anonymous = Client()
    assert anonymous.get("/api/v1/public/plans/").json()["count"] == 0
    draft = anonymous.get(f"/api/v1/public/plans/{built_plan.pk}/")
    assert (draft.status_code, draft.json()["code"]) == (404, "not_found")

    plan = approve(pw, built_plan)
    listed = anonymous.get("/api/v1/public/plans/").json()
    assert listed["results"] == [
        {"id": plan.pk, "office": "天山区应急管理局", "year": 2026, "state": "approved"}
    ]
    response = anonymous.get(f"/api/v1/public/plans/{plan.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["key_units"], body["random_units"], body["adjustment_units"]) == (6, 25, 0)
    assert (body["inspections"], sum(body["by_month"])) == (32, 30)
    assert [d["rank"] for d in body["drawn"]] == list(range(1, 26))
    assert body["draw"]["seed"] == SEED
    assert body["draw"]["result"]["teams"]
    content = response.content.decode()
    for officer in pw.officers:
        for secret in (officer.username, officer.name, str(officer)):
            assert secret not in content
    # an officer of another jurisdiction gets the same
    assert client_for(pw.world.karamay_lead).get(f"/api/v1/public/plans/{plan.pk}/").json() == body
