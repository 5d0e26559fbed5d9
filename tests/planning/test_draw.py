"""The verifiable random draw (双随机): the algorithm, the commitment in the enforcement
record, and ``scripts/verify_draw.py`` re-running a published draw."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.core.errors import ApplicationError, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.core.record_kinds import RecordKind
from inspectorate.planning import draw as drawing
from inspectorate.planning import selectors, services
from inspectorate.planning.models import Draw, Plan, PlannedUnit, PlanOfficer, Team, UnitOrigin
from tests.planning.conftest import OTHER_SEED, SEED, PlanningWorld, new_plan

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_draw.py"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


CANDIDATES = [[f"91650102MA{n:07d}X", 1 + n % 3] for n in range(20)]


# --- the algorithm ------------------------------------------------------------------------


def test_the_algorithm_as_documented() -> None:
    """Rank = SHA-256("E|seed|code"), ascending; take what still fits (an independent run)."""
    ranked = sorted(CANDIDATES, key=lambda c: (_sha(f"E|{SEED}|{c[0]}"), c[0]))
    expected, remaining = [], 15
    for code, cost in ranked:
        if cost <= remaining:
            expected.append(code)
            remaining -= cost
    assert drawing.draw_enterprises(SEED, CANDIDATES, 15) == expected
    officers = ["c1", "c2", "c3", "c4", "c5"]
    order = sorted(officers, key=lambda c: _sha(f"O|{SEED}|{c}"))
    assert drawing.draw_teams(SEED, officers) == [order[0:2], order[2:5]]


def test_same_seed_same_draw_other_seed_other_order() -> None:
    everything = sum(c[1] for c in CANDIDATES)
    first = drawing.draw_enterprises(SEED, CANDIDATES, everything)
    assert first == drawing.draw_enterprises(SEED, copy.deepcopy(CANDIDATES)[::-1], everything)
    other = drawing.draw_enterprises(OTHER_SEED, CANDIDATES, everything)
    assert sorted(first) == sorted(other) == sorted(c[0] for c in CANDIDATES)  # all fit
    assert first != other  # in another order
    officers = [f"65010220250{n:03d}" for n in range(8)]
    assert drawing.draw_teams(SEED, officers) == drawing.draw_teams(SEED, officers[::-1])
    assert drawing.draw_teams(SEED, officers) != drawing.draw_teams(OTHER_SEED, officers)


@pytest.mark.parametrize("budget", [0, 1, 2, 7, 15, 39, 40, 100])
def test_the_budget_is_respected_exactly(budget: int) -> None:
    drawn = drawing.draw_enterprises(SEED, CANDIDATES, budget)
    cost = dict((code, c) for code, c in CANDIDATES)
    used = sum(cost[c] for c in drawn)
    assert used <= budget
    # no candidate left out would still fit in what is left
    assert all(cost[c] > budget - used for c in cost if c not in drawn)
    assert len(drawn) == len(set(drawn))


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, []), (2, [2]), (3, [3]), (4, [2, 2]), (5, [2, 3]), (7, [2, 2, 3])],
)
def test_teams_are_pairs_and_an_odd_officer_joins_the_last(count: int, sizes: list[int]) -> None:
    officers = [f"cert{n}" for n in range(count)]
    teams = drawing.draw_teams(SEED, officers)
    assert [len(t) for t in teams] == sizes
    assert sorted(c for t in teams for c in t) == (sorted(officers) if count >= 2 else [])


def test_seeds() -> None:
    assert drawing.seed_valid(SEED)
    assert drawing.seed_valid(drawing.seed_new())
    assert drawing.seed_new() != drawing.seed_new()
    for bad in ("", SEED[:-1], SEED + "0", SEED.upper(), "g" * 64):
        assert not drawing.seed_valid(bad)
    assert drawing.seed_hash(SEED) == _sha(SEED)


def test_inputs_hash_is_of_the_canonical_inputs() -> None:
    text = json.dumps(
        {
            "algorithm": "sha256-rank-v1",
            "budget": 5,
            "enterprises": [["A", 1]],
            "officers": ["x"],
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    assert drawing.inputs_hash([("A", 1)], ["x"], 5) == _sha(text)
    assert drawing.inputs_hash([("A", 1)], ["x"], 6) != _sha(text)


codes = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=18)
candidate_lists = st.dictionaries(codes, st.integers(min_value=0, max_value=12), max_size=40).map(
    lambda d: [[code, cost] for code, cost in d.items()]
)
seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)


@settings(max_examples=200, deadline=None)
@given(seed=seeds, candidates=candidate_lists, budget=st.integers(min_value=0, max_value=200))
def test_draw_enterprises_properties(seed: str, candidates: list[list[Any]], budget: int) -> None:
    drawn = drawing.draw_enterprises(seed, candidates, budget)
    cost = {code: c for code, c in candidates}
    assert set(drawn) <= set(cost)
    assert len(drawn) == len(set(drawn))
    used = sum(cost[c] for c in drawn)
    assert used <= budget
    assert all(cost[c] > budget - used for c in cost if c not in drawn)
    assert drawn == drawing.draw_enterprises(seed, list(reversed(candidates)), budget)


@settings(max_examples=200, deadline=None)
@given(seed=seeds, officers=st.lists(codes, unique=True, max_size=15))
def test_draw_teams_properties(seed: str, officers: list[str]) -> None:
    teams = drawing.draw_teams(seed, officers)
    members = [c for t in teams for c in t]
    assert len(members) == len(set(members))
    assert set(members) == (set(officers) if len(officers) >= 2 else set())
    assert all(len(t) == 2 for t in teams[:-1])
    assert all(len(t) in (2, 3) for t in teams[-1:])
    assert teams == drawing.draw_teams(seed, list(reversed(officers)))


# --- the draw of a plan -------------------------------------------------------------------

# 40 inspection days: reserve 4, plannable 36, random 10, key 26; the six key units cost 15,
# so the draw's budget is 36 − 15 = 21 half days for 29 half days of candidates.
SMALL = {"duty": 900, "study": 52}


def _composed(pw: PlanningWorld, deductions: dict[str, int] | None = None) -> Plan:
    plan = new_plan(pw, deductions=SMALL if deductions is None else deductions)
    return services.plan_compose(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)


def _commit(pw: PlanningWorld, plan: Plan, seed: str | None = SEED) -> Draw:
    return services.draw_commit(
        actor=pw.lead, plan_id=plan.pk, expected_version=plan.version, seed=seed
    )


def _run(pw: PlanningWorld, plan: Plan) -> Draw:
    plan.refresh_from_db()
    return services.draw_execute(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)


@pytest.mark.django_db
def test_commit_fixes_the_inputs_and_records_only_hashes(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    assert (plan.capacity["plannable_days"], plan.capacity["key_used"]) == (36, 15)
    draw = _commit(pw, plan)
    w = pw.world
    candidates = {
        pw.units["n_old_accident"].credit_code: 1,
        pw.units["n_complaint"].credit_code: 1,
        pw.units["n_machinery"].credit_code: 1,
        w.ent_tianshan.credit_code: 3,  # hazchem production: 1.5 days
        w.ent_tianshan_2.credit_code: 3,
    } | {e.credit_code: 1 for e in pw.pool}
    assert draw.enterprise_candidates == sorted([c, k] for c, k in candidates.items())
    assert draw.officer_candidates == [f"6501022025000{n}" for n in (1, 2, 3, 4)]
    assert draw.budget == 36 - 15
    assert draw.inputs_hash == drawing.inputs_hash(
        draw.enterprise_candidates, draw.officer_candidates, 21
    )
    assert (draw.seed_hash, draw.algorithm, draw.drawn_at) == (_sha(SEED), "sha256-rank-v1", None)
    event = RecordEvent.objects.get(kind=RecordKind.DRAW_COMMITTED)
    assert event.payload == {
        "plan": plan.pk,
        "year": 2026,
        "algorithm": "sha256-rank-v1",
        "seed_hash": _sha(SEED),
        "inputs_hash": draw.inputs_hash,
        "enterprise_candidates": 25,
        "officer_candidates": 4,
        "budget": 21,
    }
    assert SEED not in json.dumps(event.payload)
    # before the draw the seed is not published
    public = selectors.draw_public(draw)
    assert (public["seed"], public["result"], public["drawn_at"]) == ("", {}, None)
    assert selectors.draw_verified(draw) is False


@pytest.mark.django_db
def test_the_run_reveals_the_seed_after_the_commitment(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    committed = _commit(pw, plan)
    draw = _run(pw, plan)
    commit_event = RecordEvent.objects.get(kind=RecordKind.DRAW_COMMITTED)
    run_event = RecordEvent.objects.get(kind=RecordKind.DRAW_EXECUTED)
    assert commit_event.jurisdiction_code == run_event.jurisdiction_code == "650102"
    assert commit_event.seq < run_event.seq
    assert run_event.payload["seed"] == SEED
    assert _sha(run_event.payload["seed"]) == commit_event.payload["seed_hash"]
    assert run_event.payload["seed_hash"] == committed.seed_hash
    expected = drawing.draw_enterprises(SEED, committed.enterprise_candidates, 21)
    teams = drawing.draw_teams(SEED, committed.officer_candidates)
    assert draw.result == {
        "enterprises": expected,
        "teams": teams,
        "result_hash": drawing.result_hash(expected, teams),
    }
    assert run_event.payload == {
        "plan": plan.pk,
        "year": 2026,
        "seed": SEED,
        "seed_hash": _sha(SEED),
        "drawn": len(expected),
        "teams": 2,
        "result_hash": draw.result["result_hash"],
    }
    assert selectors.draw_verified(draw) is True
    assert verify_chain("650102") == []


@pytest.mark.django_db
def test_the_run_plans_the_drawn_units_and_forms_the_teams(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    _commit(pw, plan)
    draw = _run(pw, plan)
    cost = dict((c, k) for c, k in draw.enterprise_candidates)
    drawn = draw.result["enterprises"]
    assert sum(cost[c] for c in drawn) <= 21
    assert all(cost[c] > 21 - sum(cost[c] for c in drawn) for c in cost if c not in drawn)
    assert 0 < len(drawn) < len(cost)  # the budget really chose
    units = PlannedUnit.objects.filter(plan=plan, origin=UnitOrigin.RANDOM).select_related(
        "enterprise"
    )
    assert {u.enterprise.credit_code: u.reasons for u in units} == {
        code: [{"code": "random", "detail": {"rank": rank}}]
        for rank, code in enumerate(drawn, start=1)
    }
    assert {(u.visits, u.state) for u in units} == {(1, "planned")}
    assert all(u.cost == cost[u.enterprise.credit_code] for u in units)
    assert all(v.month_from == 1 and v.month_to == 12 for u in units for v in u.visit_set.all())
    # teams: as drawn, numbered in draw order
    members = {
        t.number: sorted(po.certificate_number for po in PlanOfficer.objects.filter(team=t))
        for t in Team.objects.filter(plan=plan)
    }
    assert members == {n: sorted(t) for n, t in enumerate(draw.result["teams"], start=1)}


@pytest.mark.django_db
def test_a_different_seed_draws_differently(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    first = _commit(pw, plan, SEED)
    plan.refresh_from_db()
    second = _commit(pw, plan, OTHER_SEED)  # a new commitment replaces the first, unrun
    assert Draw.objects.filter(plan=plan).count() == 1
    assert second.inputs_hash == first.inputs_hash
    assert drawing.draw_enterprises(
        SEED, first.enterprise_candidates, first.budget
    ) != drawing.draw_enterprises(OTHER_SEED, second.enterprise_candidates, second.budget)
    assert list(
        RecordEvent.objects.filter(kind=RecordKind.DRAW_COMMITTED)
        .order_by("seq")
        .values_list("payload__seed_hash", flat=True)
    ) == [_sha(SEED), _sha(OTHER_SEED)]


@pytest.mark.django_db
def test_without_a_seed_one_is_made(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    draw = _commit(pw, plan, None)
    assert drawing.seed_valid(draw.seed)
    assert draw.seed_hash == _sha(draw.seed)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", ["xyz", SEED[:63], SEED + "a", "g" * 64])
def test_a_bad_seed_is_a_field_error(planning_world: PlanningWorld, seed: str) -> None:
    pw = planning_world
    plan = _composed(pw)
    before = RecordEvent.objects.count()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _commit(pw, plan, seed)
    assert info.value.extra == {
        "fields": {"seed": ["A seed is 64 hexadecimal characters (0–9, a–f)."]}
    }
    assert (Draw.objects.count(), RecordEvent.objects.count()) == (0, before)


@pytest.mark.django_db
def test_an_upper_case_seed_is_accepted(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = _composed(pw)
    assert _commit(pw, plan, f"  {SEED.upper()} ").seed == SEED


@pytest.mark.django_db
def test_the_order_of_the_steps(planning_world: PlanningWorld) -> None:
    pw = planning_world
    plan = new_plan(pw, deductions=SMALL)
    with pytest.raises(ApplicationError) as info:
        _commit(pw, plan)
    assert info.value.code == "not_composed"
    with pytest.raises(ApplicationError) as info:
        services.draw_execute(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    assert info.value.code == "draw_not_committed"
    with pytest.raises(ApplicationError) as info:
        services.plan_assign(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    assert info.value.code == "draw_not_run"
    plan = services.plan_compose(actor=pw.lead, plan_id=plan.pk, expected_version=plan.version)
    _commit(pw, plan)
    _run(pw, plan)
    plan.refresh_from_db()
    before = (RecordEvent.objects.count(), PlannedUnit.objects.count())
    for step in (
        lambda v: services.draw_execute(actor=pw.lead, plan_id=plan.pk, expected_version=v),
        lambda v: _commit(pw, Plan(pk=plan.pk, version=v)),
        lambda v: services.plan_compose(actor=pw.lead, plan_id=plan.pk, expected_version=v),
        lambda v: services.plan_capacity_set(
            actor=pw.lead,
            plan_id=plan.pk,
            expected_version=v,
            deductions={},
            random_share="0.30",
            reserve_share="0.10",
        ),
    ):
        with pytest.raises(ApplicationError) as info:
            step(plan.version)
        assert info.value.code == "draw_done"
    assert (RecordEvent.objects.count(), PlannedUnit.objects.count()) == before


# --- verify_draw.py -----------------------------------------------------------------------


def _verify(tmp_path: Path, data: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(  # noqa: S603 — our own script, with our own interpreter
        [sys.executable, str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.django_db
def test_verify_draw_script(planning_world: PlanningWorld, tmp_path: Path) -> None:
    pw = planning_world
    plan = _composed(pw)
    _commit(pw, plan)
    draw = _run(pw, plan)
    public = selectors.draw_public(draw)
    drawn = len(draw.result["enterprises"])

    ok = _verify(tmp_path, public)
    assert (ok.returncode, ok.stdout) == (0, f"{drawn} enterprises, 2 teams: VERIFIED\n")

    tampered = copy.deepcopy(public)
    tampered["result"]["enterprises"][0] = pw.units["n_machinery"].credit_code
    if tampered["result"]["enterprises"] == public["result"]["enterprises"]:
        tampered["result"]["enterprises"][0] = pw.world.ent_tianshan.credit_code
    bad = _verify(tmp_path, tampered)
    assert bad.returncode == 1
    assert bad.stdout == (
        "the enterprises drawn differ from the published result\n"
        f"{drawn} enterprises, 2 teams: MISMATCH\n"
    )

    tampered = copy.deepcopy(public)  # a candidate's code changed after the commitment
    tampered["enterprise_candidates"][0][0] = "91650102MA0000000X"
    bad = _verify(tmp_path, tampered)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0] == "inputs do not match their committed hash"
    assert bad.stdout.endswith("MISMATCH\n")

    tampered = copy.deepcopy(public)  # another seed than the one committed
    tampered["seed"] = OTHER_SEED
    bad = _verify(tmp_path, tampered)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0] == "seed does not match the committed hash"


@pytest.mark.django_db
def test_a_stored_result_changed_afterwards_is_not_verified(
    planning_world: PlanningWorld,
) -> None:
    pw = planning_world
    plan = _composed(pw)
    _commit(pw, plan)
    draw = _run(pw, plan)
    draw.result["enterprises"] = draw.result["enterprises"][1:]
    assert selectors.draw_verified(draw) is False
