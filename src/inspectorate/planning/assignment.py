"""Assignment of drawn officer teams to planned inspections by month (OR-Tools CP-SAT).

Pure: data in, data out, no database. The services build a ``Problem`` from a plan and
write the ``Solution`` back; the benchmark and the property tests call it directly.

Hard constraints (``violations`` checks every one of them, and no solution may break any):

1. each visit is assigned at most once, to a month in ``visit.months``;
2. a month in ``problem.frozen_months`` takes no new assignment (a visit may stay there
   only if ``problem.previous`` already had it there with the same team);
3. the team is competent for the visit's sector (``visit.sector in team.sectors``);
4. no officer of the team is recused from the visit (``visit.excluded_officers``);
5. per team and month, the efforts assigned fit the team's capacity;
6. per equipment kind and month, the efforts of the visits needing it fit the office's
   equipment capacity (``problem.equipment_capacity``; a kind missing there has none).

Soft goals, in the objective: cover as much risk as possible (``visit.risk`` of every
assigned visit), then travel (county trips per team and month, weighted by the distance
between the team's base and the county), workload balance (the spread, in half-days,
between the most and the least loaded team over the year), and stability (each visit
kept where ``problem.previous`` had it). Exactly (``objective_value``), to be maximised::

    weights.risk    * sum of visit.risk over the assigned visits
  - weights.travel  * sum over (team, month, county) with a visit of (1 + distance)
  - weights.balance * (max - min) of the yearly load in half-days, over the teams with
                      any capacity
  - weights.change  * number of visits of ``previous`` (present in the problem) that
                      are not assigned where it had them

``distance(a, b)`` is 0 for the same county code, 1 for the same prefecture (first four
digits), else 2. With the default weights one risk unit (1000) outweighs any trip (at
most 60), a visit's effect on the balance (5 a half-day) and a move (400).

Unassigned visits get the first reason that applies: ``no_competent_team`` (no team holds
the sector), ``recusal`` (every competent team with capacity in the visit's open months
has a recused officer), ``equipment`` (in none of those months is every kind it needs
available), else ``capacity``.

How ``solve`` works
-------------------

A visit x team x month boolean model has ~1,300 x 8 x 12 variables for one county office;
a province (~115 offices, ~150,000 visits) has to be planned in well under a minute on
two cores. So the model is aggregated, and its LP relaxation is solved as a flow:

* **Frozen months.** Visits that ``previous`` had in a frozen month, in a slot that is
  still legal, are fixed there first (highest risk first, as long as the capacities of
  that month allow: in consistent data all of them). Nothing else goes into a frozen
  month. Fixed visits are constants from then on. (A visit whose old slot became
  illegal is free like the others.)
* **Classes.** The other visits are grouped by (county, sector, effort, equipment, months
  window). Visits of a class differ only in key, risk, recusals and previous slot. The
  *cells* of a class are its legal (team, month) pairs: competent team, month in the
  window and not frozen, team capacity and every needed equipment capacity at least the
  effort. Risk is deliberately not in the key (with it, real-looking data gives about
  two visits a class): the model counts the visits of a class it assigns and credits
  the highest risks first (``s`` below).
* **Variables.** ``x[c, t, m]`` = visits of class c that team t does in month m;
  ``s[c, j]`` = how many of them are credited at the class's j-th risk level
  (``sum_j s = sum x``, each bounded by the level's count; maximising fills the high
  levels first); ``y[t, m, county]`` = team t travels to the county in month m
  (``sum of effort * x over the county's classes <= capacity * y``); ``k[c, t, m] <= x``
  = visits that ``previous`` had at (t, m) and that stay (bounded by their number);
  ``lo``/``hi`` = least and most loaded team (fixed load included).
* **Constraints.** Team capacity per (t, m); equipment capacity per (kind, m); the
  class's size; and **recusal**, exactly, without splitting classes by who is recused:
  units of a class can be given to concrete visits iff Hall's condition holds, i.e. for
  every set S of teams ``sum of x over the cells of S <= N_c - #{visits of c recused
  from every team of S}``. Only sets S inside some visit's recused-team set give a
  constraint not implied by ``sum x <= N_c``, and recusal is sparse (0-4 officers a
  visit), so there are few. (A visit recused from more than ``_MAX_HALL_TEAMS`` of its
  class's teams gets a class of its own, without those teams' cells.)
* **Objective.** As above; the fixed visits' risk and trips are constants and stability
  is ``weights.change * (sum of k - number of previous visits)``. The model is a
  relaxation of the visit-level problem (k and s may be optimistic where recusal and
  previous slots meet risk levels inside one class), so its bound is a true bound.
* **LP relaxation as a min-cost flow** (``_relaxation``): in half-days, x/effort being
  the flow, the model's LP without balance and stability is source -> class (value
  ``risk * weights.risk / effort`` a half-day) -> cell (cost ``weights.travel * (1 +
  distance) / capacity`` a half-day, i.e. ``y >= load / capacity``) -> sink (capacity);
  equipment goes through a (kind, month) node. It solves in milliseconds, gives a valid
  upper bound (the ``bound`` of large problems) and the cells the LP optimum uses.
* **Constructive plans** (``_plans``): the plain greedy, and a density fill (densest
  ``risk / effort`` first, to the visit's previous cell, else a cell where the team
  already travels, the nearest team, the most capacity left), from scratch and
  preferring the LP's cells, and with ``previous`` both again after first putting every
  visit back in its previous slot. The best is the hint.
* **Small problems** (at most ``_FULL_MODEL_CELLS`` class cells): CP-SAT on the complete
  model, with the hint, to optimality or ``time_limit``. The hypothesis-sized offices
  (5 teams, 40 visits) are proven optimal in well under a second.
* **Large problems**: the LP optimum is nearly integral and the density fill close to
  it, so the best plan is returned at once when the flow bound proves it within
  ``gap_limit`` (default 1 %). Otherwise CP-SAT works on the model restricted to
  ``_candidates`` (cells of the LP optimum, of the plans and of ``previous``, plus a few
  team swaps per LP month) until the gap is reached, ``_STALL_SECONDS`` pass without a
  better solution, or the time is up. It seldom helps at this size: on a generated
  county office (8 teams, 1,300 visits) the fill was 0.42 % under the flow bound and
  CP-SAT, in 120 s with two workers on the complete model, reached 0.13 %; on a
  prefecture office (20 teams, 2,000 visits, 10 counties) 60 s on the restricted model
  gained 0.04 %.
* **Disaggregation** (``_disaggregate``): one min-cost max-flow gives the counts to
  concrete visits: source -> visit -> a cell of its class whose team it is not recused
  from (value ``weights.risk * risk``, plus ``weights.change`` at its previous cell) ->
  sink (capacity x), so cells are filled with the riskiest visits, kept in place where
  possible. Hall's condition makes it fill every cell; a final ``fill`` places whatever
  still fits and is worth it.

Stability follows from the weights: moving a visit costs ``weights.change`` (400), more
than any move can save in travel or balance, so after adding a visit or losing a team
month only the visits that must move do.

The reported ``objective`` is ``objective_value`` of the returned solution; ``bound`` is
the best valid upper bound known (the flow's, or CP-SAT's on the complete model), never
below the objective. ``status`` is "optimal" when that is proven, "feasible" otherwise,
"greedy" when CP-SAT found no solution in time (the best constructive plan is
returned), "empty" without visits. Every returned plan is at least as good as
``greedy``'s.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from math import gcd

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

MONTHS = tuple(range(1, 13))

# A visit recused from more teams of its class than this gets a class of its own.
_MAX_HALL_TEAMS = 4


@dataclass(frozen=True)
class Team:
    """A drawn pair (or trio) of certified officers."""

    key: str
    officer_ids: tuple[int, ...]
    sectors: frozenset[str]  # sectors of competence: the union of the members' certificates
    base_county: str  # 6-digit GB/T 2260 code where the team is based
    capacity: tuple[int, ...]  # 12 values, on-site half-days per month; 0 = unavailable


@dataclass(frozen=True)
class Visit:
    """One planned inspection of one enterprise (a unit may have several visits a year)."""

    key: str
    enterprise_id: int
    county: str  # 6-digit code of the enterprise's place
    sector: str
    effort: int  # on-site half-days for the team
    months: tuple[int, ...]  # allowed months, 1..12
    risk: int  # weight; higher is more important
    equipment: frozenset[str] = frozenset()
    excluded_officers: frozenset[int] = frozenset()  # recusal (回避)


@dataclass(frozen=True)
class Weights:
    risk: int = 1000  # per unit of visit.risk covered
    travel: int = 20  # per county trip, times (1 + distance)
    balance: int = 5  # per half-day of spread between the most and least loaded team
    change: int = 400  # per visit moved from where ``previous`` had it


@dataclass(frozen=True)
class Problem:
    teams: tuple[Team, ...]
    visits: tuple[Visit, ...]
    equipment_capacity: dict[str, tuple[int, ...]] = field(default_factory=dict)
    previous: dict[str, tuple[str, int]] = field(default_factory=dict)  # visit -> (team, month)
    frozen_months: frozenset[int] = frozenset()
    weights: Weights = Weights()


class Unassigned:
    """Why a visit could not be assigned (codes stored on the planned visit)."""

    NO_COMPETENT_TEAM = "no_competent_team"
    RECUSAL = "recusal"
    EQUIPMENT = "equipment"
    CAPACITY = "capacity"


UNASSIGNED_CODES = frozenset(
    {
        Unassigned.NO_COMPETENT_TEAM,
        Unassigned.RECUSAL,
        Unassigned.EQUIPMENT,
        Unassigned.CAPACITY,
    }
)


@dataclass
class Solution:
    assigned: dict[str, tuple[str, int]]  # visit key -> (team key, month)
    unassigned: dict[str, str]  # visit key -> Unassigned code
    status: str  # "optimal", "feasible", "greedy", "empty"
    objective: float
    bound: float
    seconds: float
    risk_covered: int

    @property
    def gap(self) -> float:
        """Relative optimality gap of the solver (0.0 when proven optimal)."""
        if self.bound == 0:
            return 0.0
        return abs(self.bound - self.objective) / abs(self.bound)


# --------------------------------------------------------------------------------------
# Helpers shared by the checker, the greedy baseline and the solver


def distance(a: str, b: str) -> int:
    """0 for the same county code, 1 for the same prefecture (first 4 digits), else 2."""
    if a == b:
        return 0
    if a[:4] == b[:4]:
        return 1
    return 2


def _cap(values: tuple[int, ...], month: int) -> int:
    """``values[month - 1]``, 0 outside the tuple (and for months outside 1..12)."""
    if 1 <= month <= len(values):
        return values[month - 1]
    return 0


def objective_value(problem: Problem, solution: Solution) -> float:
    """The objective (see the module docstring) of any solution, valid or not.

    Assignments to unknown visits are ignored; to unknown teams they count for risk and
    stability but not for travel or balance.
    """
    w = problem.weights
    visits = {v.key: v for v in problem.visits}
    teams = {t.key: t for t in problem.teams}
    risk = 0
    trips: set[tuple[str, int, str]] = set()
    load: dict[str, int] = {t.key: 0 for t in problem.teams if sum(t.capacity) > 0}
    for vkey, (tkey, month) in solution.assigned.items():
        visit = visits.get(vkey)
        if visit is None:
            continue
        risk += visit.risk
        if tkey in teams:
            trips.add((tkey, month, visit.county))
            if tkey in load:
                load[tkey] += visit.effort
    travel = sum(1 + distance(teams[t].base_county, county) for t, _, county in trips)
    spread = max(load.values()) - min(load.values()) if load else 0
    changes = sum(
        1
        for vkey, slot in problem.previous.items()
        if vkey in visits and solution.assigned.get(vkey) != slot
    )
    return float(w.risk * risk - w.travel * travel - w.balance * spread - w.change * changes)


def violations(problem: Problem, solution: Solution) -> list[str]:
    """Every broken hard constraint of ``solution``, as readable strings; [] = valid.

    Checks the six constraints of the module docstring, plus: keys of unknown visits or
    teams, a visit both assigned and unassigned, a visit in neither, an unknown reason code.
    """
    found: list[str] = []
    visits = {v.key: v for v in problem.visits}
    teams = {t.key: t for t in problem.teams}
    for vkey in solution.assigned:
        if vkey not in visits:
            found.append(f"assigned visit {vkey!r} is not in the problem")
    for vkey, code in solution.unassigned.items():
        if vkey not in visits:
            found.append(f"unassigned visit {vkey!r} is not in the problem")
        if vkey in solution.assigned:
            found.append(f"visit {vkey!r} is both assigned and unassigned ({code})")
        if code not in UNASSIGNED_CODES:
            found.append(f"visit {vkey!r} is unassigned with an unknown reason {code!r}")
    for vkey in visits:
        if vkey not in solution.assigned and vkey not in solution.unassigned:
            found.append(f"visit {vkey!r} is neither assigned nor unassigned")

    load: dict[tuple[str, int], int] = defaultdict(int)
    used: dict[tuple[str, int], int] = defaultdict(int)
    for vkey, (tkey, month) in solution.assigned.items():
        visit = visits.get(vkey)
        if visit is None:
            continue
        team = teams.get(tkey)
        if team is None:
            found.append(f"visit {vkey!r} is assigned to unknown team {tkey!r}")
            continue
        if month not in visit.months or month not in MONTHS:
            found.append(f"visit {vkey!r} is in month {month}, outside its months {visit.months}")
        if month in problem.frozen_months and problem.previous.get(vkey) != (tkey, month):
            found.append(f"visit {vkey!r} is newly assigned to frozen month {month}")
        if visit.sector not in team.sectors:
            found.append(f"team {tkey!r} is not competent for sector {visit.sector!r} ({vkey!r})")
        recused = visit.excluded_officers.intersection(team.officer_ids)
        if recused:
            found.append(f"visit {vkey!r}: officers {sorted(recused)} of team {tkey!r} are recused")
        load[tkey, month] += visit.effort
        for kind in visit.equipment:
            used[kind, month] += visit.effort
    for (tkey, month), total in sorted(load.items()):
        capacity = _cap(teams[tkey].capacity, month)
        if total > capacity:
            found.append(
                f"team {tkey!r} has {total} half-days in month {month}, capacity {capacity}"
            )
    for (kind, month), total in sorted(used.items()):
        capacity = _cap(problem.equipment_capacity.get(kind, ()), month)
        if total > capacity:
            found.append(
                f"equipment {kind!r} is needed {total} half-days in month {month}, "
                f"capacity {capacity}"
            )
    return found


# --------------------------------------------------------------------------------------
# Preparation: frozen visits, remaining capacities, legal cells


@dataclass
class _Prep:
    """What the greedy baseline and the model share."""

    problem: Problem
    team_index: dict[str, int]
    officer_teams: dict[int, list[int]]  # officer -> indices of the teams they are in
    rcap: list[list[int]]  # [team][month] capacity left for new assignments (index 0 unused)
    eq_rem: dict[str, list[int]]  # [kind][month] equipment capacity left for new assignments
    fixed: dict[str, tuple[str, int]]  # visits kept in a frozen month
    fixed_load: list[int]  # [team] half-days of the fixed visits
    free: list[Visit]  # every visit that is not fixed
    _cells: dict[tuple[str, int, tuple[str, ...], tuple[int, ...]], list[tuple[int, int]]] = field(
        default_factory=dict
    )
    _visit_cells: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _previous: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    _distance: dict[tuple[int, str], int] = field(default_factory=dict)

    def distance(self, t: int, county: str) -> int:
        """``distance`` from team ``t``'s base to ``county``."""
        d = self._distance.get((t, county))
        if d is None:
            d = self._distance[t, county] = distance(self.problem.teams[t].base_county, county)
        return d

    def recused_teams(self, visit: Visit) -> frozenset[int]:
        """Indices of the teams with an officer recused from ``visit``."""
        if not visit.excluded_officers:
            return frozenset()
        found: set[int] = set()
        for officer in visit.excluded_officers:
            found.update(self.officer_teams.get(officer, ()))
        return frozenset(found)

    def base_cells(self, visit: Visit) -> list[tuple[int, int]]:
        """Legal (team, month) cells of ``visit`` before recusal, for an empty plan.

        Competent team, month in the window and not frozen, and the team's capacity and
        every needed equipment capacity at least the effort.
        """
        key = (visit.sector, visit.effort, tuple(sorted(visit.equipment)), visit.months)
        cells = self._cells.get(key)
        if cells is None:
            problem = self.problem
            effort = visit.effort
            months = sorted(
                m
                for m in set(visit.months)
                if m in MONTHS
                and m not in problem.frozen_months
                and all(self.eq_rem[k][m] >= effort for k in visit.equipment)
            )
            cells = [
                (t, m)
                for t, team in enumerate(problem.teams)
                if visit.sector in team.sectors
                for m in months
                if self.rcap[t][m] >= effort
            ]
            self._cells[key] = cells
        return cells

    def cells(self, visit: Visit) -> list[tuple[int, int]]:
        """Legal (team, month) cells of ``visit`` (recusal included), for an empty plan."""
        cells = self._visit_cells.get(visit.key)
        if cells is None:
            cells = self.base_cells(visit)
            recused = self.recused_teams(visit)
            if recused:
                cells = [c for c in cells if c[0] not in recused]
            self._visit_cells[visit.key] = cells
        return cells

    def previous_cell(self, visit: Visit) -> tuple[int, int] | None:
        """The visit's previous slot as a cell, if it is still a legal cell."""
        if visit.key in self._previous:
            return self._previous[visit.key]
        slot = self.problem.previous.get(visit.key)
        cell = None
        if slot is not None and slot[0] in self.team_index:
            cell = (self.team_index[slot[0]], slot[1])
            if cell not in self.cells(visit):
                cell = None
        self._previous[visit.key] = cell
        return cell

    def reason(self, visit: Visit) -> str:
        """Why ``visit`` may stay unassigned (see ``Unassigned``), from the data alone."""
        problem = self.problem
        competent = [t for t, team in enumerate(problem.teams) if visit.sector in team.sectors]
        if not competent:
            return Unassigned.NO_COMPETENT_TEAM
        months = [m for m in set(visit.months) if m in MONTHS and m not in problem.frozen_months]
        if not months:
            return Unassigned.CAPACITY
        available = [
            t for t in competent if any(_cap(problem.teams[t].capacity, m) > 0 for m in months)
        ]
        recused = self.recused_teams(visit)
        if available and all(t in recused for t in available):
            return Unassigned.RECUSAL
        if visit.equipment and not any(
            all(_cap(problem.equipment_capacity.get(k, ()), m) > 0 for k in visit.equipment)
            for m in months
        ):
            return Unassigned.EQUIPMENT
        return Unassigned.CAPACITY


def _prepare(problem: Problem) -> _Prep:
    teams = problem.teams
    team_index = {t.key: i for i, t in enumerate(teams)}
    officer_teams: dict[int, list[int]] = defaultdict(list)
    for i, team in enumerate(teams):
        for officer in set(team.officer_ids):
            officer_teams[officer].append(i)
    frozen = problem.frozen_months
    cap = [[0] + [_cap(t.capacity, m) for m in MONTHS] for t in teams]
    kinds = set(problem.equipment_capacity)
    for visit in problem.visits:
        kinds.update(visit.equipment)
    eq_cap = {
        k: [0] + [_cap(problem.equipment_capacity.get(k, ()), m) for m in MONTHS] for k in kinds
    }

    # Visits of previous in a frozen month stay there while the slot is legal and fits.
    fixed: dict[str, tuple[str, int]] = {}
    fixed_load = [0] * len(teams)
    used = [[0] * 13 for _ in teams]
    eq_used = {k: [0] * 13 for k in kinds}
    candidates = sorted(
        (
            v
            for v in problem.visits
            if v.key in problem.previous
            and problem.previous[v.key][1] in frozen
            and problem.previous[v.key][0] in team_index
        ),
        key=lambda v: (-v.risk, v.key),
    )
    for visit in candidates:
        tkey, month = problem.previous[visit.key]
        t = team_index[tkey]
        if (
            month in MONTHS
            and month in visit.months
            and visit.sector in teams[t].sectors
            and not visit.excluded_officers.intersection(teams[t].officer_ids)
            and used[t][month] + visit.effort <= cap[t][month]
            and all(eq_used[k][month] + visit.effort <= eq_cap[k][month] for k in visit.equipment)
        ):
            fixed[visit.key] = (tkey, month)
            fixed_load[t] += visit.effort
            used[t][month] += visit.effort
            for k in visit.equipment:
                eq_used[k][month] += visit.effort

    rcap = [[0 if m in frozen else row[m] for m in range(13)] for row in cap]
    eq_rem = {k: [0 if m in frozen else row[m] for m in range(13)] for k, row in eq_cap.items()}
    return _Prep(
        problem=problem,
        team_index=team_index,
        officer_teams=dict(officer_teams),
        rcap=rcap,
        eq_rem=eq_rem,
        fixed=fixed,
        fixed_load=fixed_load,
        free=[v for v in problem.visits if v.key not in fixed],
    )


def _finish(
    prep: _Prep,
    assigned: dict[str, tuple[str, int]],
    status: str,
    started: float,
    *,
    bound: float | None = None,
) -> Solution:
    """A ``Solution`` of ``assigned``: reasons for the rest, objective, bound, time."""
    problem = prep.problem
    unassigned = {v.key: prep.reason(v) for v in problem.visits if v.key not in assigned}
    solution = Solution(
        assigned=assigned,
        unassigned=unassigned,
        status=status,
        objective=0.0,
        bound=0.0,
        seconds=0.0,
        risk_covered=sum(v.risk for v in problem.visits if v.key in assigned),
    )
    solution.objective = objective_value(problem, solution)
    solution.bound = solution.objective if bound is None else max(bound, solution.objective)
    solution.seconds = time.perf_counter() - started
    return solution


# --------------------------------------------------------------------------------------
# Greedy baseline


def _greedy_assign(prep: _Prep) -> dict[str, tuple[str, int]]:
    """Highest risk first, each visit to its legal cell with the most capacity left
    (ties: nearer team, earlier month)."""
    state = _State(prep, {})
    rcap = state.rcap
    eq_rem = state.eq_rem
    for visit in sorted(prep.free, key=lambda v: (-v.risk, v.key)):
        e = visit.effort
        kinds = visit.equipment
        best: tuple[int, int, int, int] | None = None
        for t, m in prep.cells(visit):
            left = rcap[t][m]
            if left < e or (best is not None and -left > best[0]):
                continue
            if kinds and any(eq_rem[k][m] < e for k in kinds):
                continue
            rank = (-left, prep.distance(t, visit.county), m, t)
            if best is None or rank < best:
                best = rank
        if best is not None:
            state.place(visit, best[3], best[2])
    return state.assigned


def greedy(problem: Problem) -> Solution:
    """The hand-made baseline: visits by descending risk, each to the legal (team, month)
    with the most remaining capacity (ties: nearer team, earlier month).

    Visits that ``previous`` had in a frozen month stay there (like ``solve``); every hard
    constraint holds. Status "greedy", bound = objective.
    """
    started = time.perf_counter()
    if not problem.visits:
        return _finish(_prepare(problem), {}, "empty", started)
    prep = _prepare(problem)
    return _finish(prep, _greedy_assign(prep), "greedy", started)


# --------------------------------------------------------------------------------------
# Classes of interchangeable visits


@dataclass
class _Class:
    """Free visits of one (county, sector, effort, equipment, months window).

    They differ only in key, risk, recusals and previous slot. Risk is not part of the
    key: the model counts how many visits of the class it assigns and credits the highest
    risks first (``levels``), which is what a plan of that many visits of the class can
    achieve (recusal and previous slots aside, see the module docstring).
    """

    county: str
    effort: int
    equipment: tuple[str, ...]
    cells: list[tuple[int, int]]  # legal (team, month) cells
    family: tuple[object, ...]  # the key without the effort
    visits: list[Visit] = field(default_factory=list)  # by descending risk, then key
    recused: list[frozenset[int]] = field(default_factory=list)  # per visit, team indices
    previous: list[tuple[int, int] | None] = field(default_factory=list)  # per visit, cell

    def levels(self) -> list[tuple[int, int]]:
        """(risk, number of visits) by descending risk."""
        counts: dict[int, int] = defaultdict(int)
        for visit in self.visits:
            counts[visit.risk] += 1
        return sorted(counts.items(), reverse=True)


def _classes(prep: _Prep) -> list[_Class]:
    """The classes of the free visits that have a legal cell."""
    by_key: dict[tuple[object, ...], _Class] = {}
    for visit in prep.free:
        cells = prep.base_cells(visit)
        if not cells:
            continue
        cell_teams = {t for t, _ in cells}
        recused = prep.recused_teams(visit) & cell_teams
        if recused == cell_teams:
            continue
        own = len(recused) > _MAX_HALL_TEAMS
        equipment = tuple(sorted(visit.equipment))
        key: tuple[object, ...] = (
            visit.county,
            visit.sector,
            visit.effort,
            equipment,
            tuple(sorted(set(visit.months))),
            tuple(sorted(recused)) if own else (),
        )
        cls = by_key.get(key)
        if cls is None:
            # A class keyed by its recusals simply has no cells of those teams.
            legal = [c for c in cells if c[0] not in recused] if own else cells
            family = key[:2] + key[3:]
            cls = by_key[key] = _Class(visit.county, visit.effort, equipment, legal, family)
        cls.visits.append(visit)
    classes = [by_key[k] for k in sorted(by_key, key=repr)]
    for cls in classes:
        cls.visits.sort(key=lambda v: (-v.risk, v.key))
        teams = {t for t, _ in cls.cells}
        cls.recused = [prep.recused_teams(v) & teams for v in cls.visits]
        cls.previous = [prep.previous_cell(v) for v in cls.visits]
    return classes


def _subsets(teams: frozenset[int]) -> Iterable[frozenset[int]]:
    items = sorted(teams)
    for size in range(1, len(items) + 1):
        for combo in itertools.combinations(items, size):
            yield frozenset(combo)


# --------------------------------------------------------------------------------------
# The LP relaxation, as a min-cost flow


@dataclass
class _Relaxation:
    bound: float  # upper bound on the objective of every solution that keeps the past
    support: list[set[tuple[int, int]]]  # per class, the legal cells its LP flow uses


def _relaxation(prep: _Prep, classes: list[_Class]) -> _Relaxation:
    """Solve the LP relaxation of the aggregated model as a min-cost flow in half-days.

    source -> class (one arc per risk level, capacity count * effort, value
    ``weights.risk * risk / effort`` a half-day) -> legal cell (cost ``weights.travel *
    (1 + distance) / capacity`` a half-day) -> sink (capacity left), plus a free
    source -> sink arc so that nothing has to flow. With x = half-days / effort this is
    the LP of the model without balance, stability and recusal, and with the trip
    variables relaxed to ``y >= load / capacity``. Classes needing equipment go through a
    (kind, month) node that carries the equipment's capacity and feeds every team's cell
    of that month (for them competence and travel are relaxed instead). Values are
    scaled to integers, rounded up and costs down, so the flow's value (plus the fixed
    part) is an upper bound on every solution's objective.
    """
    problem = prep.problem
    w = problem.weights
    teams = problem.teams
    lcm = 1
    for effort in sorted({cls.effort for cls in classes if cls.effort > 0}):
        lcm = lcm * effort // gcd(lcm, effort)
        if lcm > 10**4:
            lcm = 10**4
            break
    scale = 100 * lcm

    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    source, sink = 0, 1
    nodes = 2
    cell_node: dict[tuple[int, int], int] = {}
    for t in range(len(teams)):
        for m in MONTHS:
            if prep.rcap[t][m] > 0:
                cell_node[t, m] = nodes
                tails.append(nodes)
                heads.append(sink)
                caps.append(prep.rcap[t][m])
                costs.append(0)
                nodes += 1
    travel: dict[tuple[int, int, str], int] = {}

    def trip_cost(t: int, m: int, county: str) -> int:
        cost = travel.get((t, m, county))
        if cost is None:
            d = distance(teams[t].base_county, county)
            cost = travel[t, m, county] = w.travel * (1 + d) * scale // prep.rcap[t][m]
        return cost

    # Classes that differ only in effort share a node: their arcs to the cells have no
    # capacity and the same costs (at worst a cell too small for the larger efforts
    # becomes reachable, which only loosens the relaxation).
    families: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for c, cls in enumerate(classes):
        families[cls.family].append(c)
    free_value = 0
    kind_node: dict[tuple[str, int], int] = {}
    cell_arcs: list[tuple[list[int], list[tuple[int, int]], int]] = []  # classes, cells, arc
    month_arcs: list[tuple[list[int], int, int]] = []  # classes, month, arc
    supply = 0
    for members in families.values():
        node = nodes
        nodes += 1
        big = 0
        cells: set[tuple[int, int]] = set()
        for c in members:
            cls = classes[c]
            e = cls.effort
            if e <= 0:  # takes no capacity: all of it can be covered
                free_value += sum(w.risk * max(risk, 0) * n for risk, n in cls.levels())
                continue
            for risk, count in cls.levels():
                tails.append(source)
                heads.append(node)
                caps.append(count * e)
                costs.append((-w.risk * risk * scale) // e)  # rounded up in value
                supply += count * e
            big += len(cls.visits) * e
            cells.update(cls.cells)
        first = classes[members[0]]
        if not first.equipment:
            ordered = sorted(cells)
            cell_arcs.append((members, ordered, len(tails)))
            tails.extend([node] * len(ordered))
            heads.extend([cell_node[cell] for cell in ordered])
            caps.extend([big] * len(ordered))
            costs.extend([trip_cost(t, m, first.county) for t, m in ordered])
            continue
        for m in sorted({m for _, m in cells}):
            # The scarcest of the kinds the class needs that month.
            kind = min(first.equipment, key=lambda k: (prep.eq_rem[k][m], k))
            if (kind, m) not in kind_node:
                # in -> out carries the equipment's capacity; out feeds every team's cell.
                kind_node[kind, m] = entry = nodes
                nodes += 2
                tails.append(entry)
                heads.append(entry + 1)
                caps.append(prep.eq_rem[kind][m])
                costs.append(0)
                for t in range(len(teams)):
                    if (t, m) in cell_node:
                        tails.append(entry + 1)
                        heads.append(cell_node[t, m])
                        caps.append(prep.rcap[t][m])
                        costs.append(0)
            month_arcs.append((members, m, len(tails)))
            tails.append(node)
            heads.append(kind_node[kind, m])
            caps.append(big)
            costs.append(0)
    tails.append(source)  # what does not flow through the plan
    heads.append(sink)
    caps.append(supply)
    costs.append(0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - always solvable
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = np.asarray(flow.flows(np.arange(len(tails), dtype=np.int32)))
    support: list[set[tuple[int, int]]] = [set() for _ in classes]
    for members, ordered, first_arc in cell_arcs:
        used = {ordered[i] for i in np.flatnonzero(flows[first_arc : first_arc + len(ordered)])}
        for c in members:
            support[c] = {cell for cell in classes[c].cells if cell in used}
    for members, m, a in month_arcs:
        if flows[a] > 0:
            for c in members:
                support[c].update(cell for cell in classes[c].cells if cell[1] == m)
    value = -flow.optimal_cost() / scale + free_value
    return _Relaxation(value + _bound_constant(prep), support)


def _bound_constant(prep: _Prep) -> float:
    """What every solution keeping the past has besides the free visits' risk, at best:
    the fixed visits' risk and trips, and a change for every visit of ``previous`` that
    can be neither fixed nor kept (its slot is gone)."""
    problem = prep.problem
    lost = sum(1 for v in prep.free if v.key in problem.previous and prep.previous_cell(v) is None)
    return _fixed_value(prep) - problem.weights.change * lost


def _fixed_value(prep: _Prep) -> int:
    """Risk and travel of the visits fixed in frozen months."""
    problem = prep.problem
    w = problem.weights
    visits = {v.key: v for v in problem.visits}
    teams = {t.key: t for t in problem.teams}
    risk = sum(visits[v].risk for v in prep.fixed)
    trips = {(tkey, m, visits[v].county) for v, (tkey, m) in prep.fixed.items()}
    travel = sum(1 + distance(teams[t].base_county, c) for t, _, c in trips)
    return w.risk * risk - w.travel * travel


# --------------------------------------------------------------------------------------
# Constructive plans: the placement state and the density fill


class _State:
    """A plan being built: assignments and the capacities and trips they use."""

    def __init__(self, prep: _Prep, assigned: Mapping[str, tuple[str, int]]) -> None:
        self.prep = prep
        self.rcap = [row[:] for row in prep.rcap]
        self.eq_rem = {k: row[:] for k, row in prep.eq_rem.items()}
        self.assigned = dict(prep.fixed)
        self.trips: set[tuple[int, int, str]] = set()
        visits = {v.key: v for v in prep.problem.visits}
        for vkey, (tkey, m) in prep.fixed.items():
            self.trips.add((prep.team_index[tkey], m, visits[vkey].county))
        for vkey, (tkey, m) in assigned.items():
            if vkey not in self.assigned:
                self.place(visits[vkey], prep.team_index[tkey], m)

    def fits(self, visit: Visit, t: int, m: int) -> bool:
        e = visit.effort
        return self.rcap[t][m] >= e and all(self.eq_rem[k][m] >= e for k in visit.equipment)

    def place(self, visit: Visit, t: int, m: int) -> None:
        self.assigned[visit.key] = (self.prep.problem.teams[t].key, m)
        self.rcap[t][m] -= visit.effort
        for k in visit.equipment:
            self.eq_rem[k][m] -= visit.effort
        self.trips.add((t, m, visit.county))

    def fill(
        self,
        visits: Iterable[Visit],
        prefer: Mapping[str, set[tuple[int, int]]] | None = None,
    ) -> None:
        """Place every visit that still fits and is worth it, densest risk first.

        Each goes to its previous cell if it fits, else preferably to a cell of
        ``prefer[visit.key]``, then where its team already travels that month, then to the
        nearest team, the most capacity left, the earliest month. A visit is only placed
        when its risk is worth more than the trip it may add and the spread it may add to
        the balance.
        """
        prep = self.prep
        w = prep.problem.weights
        rcap = self.rcap
        eq_rem = self.eq_rem
        trips = self.trips
        order = sorted(
            (v for v in visits if v.key not in self.assigned),
            key=lambda v: (-v.risk / max(v.effort, 1), -v.risk, v.key),
        )
        for visit in order:
            e = visit.effort
            kinds = visit.equipment
            county = visit.county
            prev = prep.previous_cell(visit)
            if prev is not None and self.fits(visit, *prev):
                self.place(visit, *prev)
                continue
            cells = prep.cells(visit)
            pools = [cells]
            if prefer:
                preferred = prefer.get(visit.key)
                if preferred:
                    pools.insert(0, [c for c in cells if c in preferred])
            best: tuple[int, int, int, int, int] | None = None
            for pool in pools:
                for t, m in pool:
                    left = rcap[t][m]
                    if left < e or (kinds and any(eq_rem[k][m] < e for k in kinds)):
                        continue
                    trip = 0 if (t, m, county) in trips else 1
                    rank = (trip, prep.distance(t, county), -left, m, t)
                    if best is None or rank < best:
                        best = rank
                if best is not None:
                    break
            if best is None:
                continue
            trip, d, _, m, t = best
            cost = w.travel * (1 + d) * trip + w.balance * e
            if w.risk * visit.risk > cost:
                self.place(visit, t, m)


def _plans(
    prep: _Prep,
    classes: list[_Class],
    relax: _Relaxation,
    greedy_plan: dict[str, tuple[str, int]] | None = None,
) -> list[dict[str, tuple[str, int]]]:
    """Cheap complete plans; the best of them is the model's hint (and, on large problems,
    often the answer).

    The plain greedy, and ``fill`` from an empty plan, with and without preferring the
    cells the LP optimum gives the visit's class; with a ``previous``, the same two fills
    again after first putting back every visit whose previous slot is still legal.
    No single one is best on every problem: on generated offices each was 0.02-2.6 % below
    the bound, the best of them 0.02-1 %.
    """
    prefer = {v.key: relax.support[c] for c, cls in enumerate(classes) for v in cls.visits}

    starts: list[dict[str, tuple[str, int]]] = [{}]
    if prep.problem.previous:
        state = _State(prep, {})
        for visit in sorted(prep.free, key=lambda v: (-v.risk, v.key)):
            cell = prep.previous_cell(visit)
            if cell is not None and state.fits(visit, *cell):
                state.place(visit, *cell)
        starts.append(state.assigned)
    plans = [dict(greedy_plan) if greedy_plan is not None else _greedy_assign(prep)]
    for start in starts:
        for preferred in (None, prefer):
            state = _State(prep, start)
            state.fill(prep.free, preferred)
            plans.append(state.assigned)
    return plans


# --------------------------------------------------------------------------------------
# The CP-SAT model

# Up to this many (class, team, month) cells the model has all of them; above, only the
# candidate cells (``_candidates``).
_FULL_MODEL_CELLS = 2500
# Candidate cells: per month the LP uses for a class, the best this many teams.
_SWAP_TEAMS = 1
# CP-SAT on the restricted model stops after this many seconds without a better solution.
_STALL_SECONDS = 0.5


def _candidates(
    prep: _Prep,
    classes: list[_Class],
    relax: _Relaxation,
    plans: Iterable[Mapping[str, tuple[str, int]]],
) -> list[list[tuple[int, int]]]:
    """The cells the restricted model may use, per class.

    The cells that the LP optimum, the constructive plans and ``previous`` use, and, in
    every month the LP gives the class, its ``_SWAP_TEAMS`` best teams (nearest, then
    most capacity): the LP optimum is nearly integral, and this leaves the model room to
    round it, to pool trips and to balance.
    """
    teams = prep.problem.teams
    chosen = [set(cells) for cells in relax.support]
    months = [{m for _, m in cells} for cells in relax.support]
    where: dict[str, int] = {}
    for c, cls in enumerate(classes):
        for visit, prev in zip(cls.visits, cls.previous, strict=True):
            where[visit.key] = c
            if prev is not None:
                chosen[c].add(prev)
    for plan in plans:
        for vkey, (tkey, m) in plan.items():
            c = where.get(vkey, -1)
            if c >= 0:
                chosen[c].add((prep.team_index[tkey], m))
    result: list[list[tuple[int, int]]] = []
    for c, cls in enumerate(classes):
        by_month: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for t, m in cls.cells:
            if m in months[c]:
                by_month[m].append((t, m))
        for m, cells in by_month.items():
            cells.sort(
                key=lambda cell: (
                    distance(teams[cell[0]].base_county, cls.county),
                    -prep.rcap[cell[0]][m],
                    cell[0],
                )
            )
            chosen[c].update(cells[:_SWAP_TEAMS])
        result.append([cell for cell in cls.cells if cell in chosen[c]])
    return result


class _Linear:
    """Terms of one linear expression, with the largest value they can reach."""

    __slots__ = ("coefs", "top", "vars")

    def __init__(self) -> None:
        self.vars: list[cp_model.IntVar] = []
        self.coefs: list[int] = []
        self.top = 0

    def add(self, var: cp_model.IntVar, coef: int, ub: int) -> None:
        self.vars.append(var)
        self.coefs.append(coef)
        self.top += coef * ub

    def expr(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum(self.vars, self.coefs)


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]  # (class, team, month) -> visits
    s: dict[tuple[int, int], cp_model.IntVar]  # (class, risk level) -> visits credited
    k: dict[tuple[int, int, int], cp_model.IntVar]  # (class, team, month) -> kept visits
    y: dict[tuple[int, int, str], cp_model.IntVar]  # (team, month, county) -> trip
    lo: cp_model.IntVar | None  # least loaded team's half-days
    hi: cp_model.IntVar | None  # most loaded team's half-days


def _build_model(prep: _Prep, classes: list[_Class], cells: list[list[tuple[int, int]]]) -> _Model:
    """The aggregated CP-SAT model over the given cells (see the module docstring)."""
    problem = prep.problem
    w = problem.weights
    teams = problem.teams
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    s: dict[tuple[int, int], cp_model.IntVar] = {}
    k: dict[tuple[int, int, int], cp_model.IntVar] = {}
    objective = _Linear()
    capacity: dict[tuple[int, int], _Linear] = defaultdict(_Linear)
    equipment: dict[tuple[str, int], _Linear] = defaultdict(_Linear)
    trips: dict[tuple[int, int, str], _Linear] = defaultdict(_Linear)
    loads: dict[int, _Linear] = defaultdict(_Linear)

    for c, cls in enumerate(classes):
        n = len(cls.visits)
        e = cls.effort
        # Hall counts: for each set S of teams, the visits recused from every team of S.
        hall: dict[frozenset[int], int] = defaultdict(int)
        for recused in cls.recused:
            for subset in _subsets(recused):
                hall[subset] += 1
        kept: dict[tuple[int, int], int] = defaultdict(int)
        for prev in cls.previous:
            if prev is not None:
                kept[prev] += 1
        by_team: dict[int, _Linear] = defaultdict(_Linear)
        total = _Linear()
        levels = cls.levels()
        for t, m in cells[c]:
            ub = n - hall.get(frozenset((t,)), 0)
            if e > 0:
                ub = min(ub, prep.rcap[t][m] // e)
            if ub <= 0:
                continue
            var = model.new_int_var(0, ub, f"x{c}_{t}_{m}")
            x[c, t, m] = var
            total.add(var, 1, ub)
            by_team[t].add(var, 1, ub)
            if len(levels) == 1:
                objective.add(var, w.risk * levels[0][0], ub)
            capacity[t, m].add(var, e, ub)
            for kind in cls.equipment:
                equipment[kind, m].add(var, e, ub)
            trips[t, m, cls.county].add(var, e, ub)
            loads[t].add(var, e, ub)
            p = kept.get((t, m), 0)
            if p and w.change:
                kv = model.new_int_var(0, min(p, ub), f"k{c}_{t}_{m}")
                model.add(kv <= var)
                k[c, t, m] = kv
                objective.add(kv, w.change, min(p, ub))
        if not total.vars:
            continue
        if len(levels) > 1:
            # The assigned visits are credited highest risk first: maximising the sum of
            # risk * s fills the higher levels first.
            credited = _Linear()
            for j, (risk, count) in enumerate(levels):
                sv = model.new_int_var(0, min(count, total.top), f"s{c}_{j}")
                s[c, j] = sv
                credited.add(sv, 1, count)
                objective.add(sv, w.risk * risk, count)
            model.add(credited.expr() == total.expr())
        elif total.top > n:
            model.add(total.expr() <= n)
        for subset, count in hall.items():
            members = [by_team[t] for t in sorted(subset) if t in by_team]
            if sum(lin.top for lin in members) <= n - count:
                continue  # implied by the bounds of the variables
            model.add(
                cp_model.LinearExpr.sum([v for lin in members for v in lin.vars]) <= n - count
            )

    for (t, m), lin in capacity.items():
        if lin.top > prep.rcap[t][m]:
            model.add(lin.expr() <= prep.rcap[t][m])
    for (kind, m), lin in equipment.items():
        if lin.top > prep.eq_rem[kind][m]:
            model.add(lin.expr() <= prep.eq_rem[kind][m])

    y: dict[tuple[int, int, str], cp_model.IntVar] = {}
    for (t, m, county), lin in trips.items():
        trip = model.new_bool_var(f"y{t}_{m}_{county}")
        y[t, m, county] = trip
        model.add(lin.expr() <= min(lin.top, prep.rcap[t][m]) * trip)
        objective.add(trip, -w.travel * (1 + distance(teams[t].base_county, county)), 1)

    lo = hi = None
    balanced = [t for t, team in enumerate(teams) if sum(team.capacity) > 0]
    if len(balanced) >= 2 and w.balance:
        top = max(prep.fixed_load[t] + loads[t].top for t in balanced)
        lo = model.new_int_var(0, top, "lo")
        hi = model.new_int_var(0, top, "hi")
        for t in balanced:
            load = loads[t].expr() + prep.fixed_load[t]
            model.add(load <= hi)
            model.add(load >= lo)
        objective.add(hi, -w.balance, top)
        objective.add(lo, w.balance, top)

    model.maximize(objective.expr() + _model_constant(prep))
    return _Model(model, x, s, k, y, lo, hi)


def _model_constant(prep: _Prep) -> int:
    """The part of the objective that the model's variables do not change: the fixed
    visits' risk and trips, and a change for every visit of ``previous`` that is not fixed
    (the k variables give ``weights.change`` back for each visit kept)."""
    problem = prep.problem
    visits = {v.key for v in problem.visits}
    previous = sum(1 for v in problem.previous if v in visits)
    return _fixed_value(prep) - problem.weights.change * (previous - len(prep.fixed))


def _add_hint(
    prep: _Prep, classes: list[_Class], built: _Model, plan: Mapping[str, tuple[str, int]]
) -> None:
    """Give CP-SAT the aggregate of ``plan`` (a valid plan on the model's cells) as a
    complete hint."""
    teams = prep.problem.teams
    where: dict[str, tuple[int, tuple[int, int] | None]] = {}
    for c, cls in enumerate(classes):
        for visit, prev in zip(cls.visits, cls.previous, strict=True):
            where[visit.key] = (c, prev)
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    kept: dict[tuple[int, int, int], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for vkey, (tkey, m) in plan.items():
        if vkey in prep.fixed:
            continue
        c, prev = where[vkey]
        t = prep.team_index[tkey]
        counts[c, t, m] += 1
        totals[c] += 1
        if prev == (t, m):
            kept[c, t, m] += 1
    model = built.model
    trips: set[tuple[int, int, str]] = set()
    loads = list(prep.fixed_load)
    for (c, t, m), var in built.x.items():
        value = counts.get((c, t, m), 0)
        model.add_hint(var, value)
        if value:
            trips.add((t, m, classes[c].county))
            loads[t] += value * classes[c].effort
    for c, cls in enumerate(classes):
        left = totals.get(c, 0)
        for j, (_, count) in enumerate(cls.levels()):
            if (c, j) in built.s:
                model.add_hint(built.s[c, j], min(left, count))
            left -= min(left, count)
    for key, var in built.k.items():
        model.add_hint(var, min(kept.get(key, 0), counts.get(key, 0)))
    for trip, var in built.y.items():
        model.add_hint(var, trip in trips)
    if built.lo is not None and built.hi is not None:
        balanced = [loads[t] for t, team in enumerate(teams) if sum(team.capacity) > 0]
        model.add_hint(built.lo, min(balanced))
        model.add_hint(built.hi, max(balanced))


def _disaggregate(
    prep: _Prep, classes: list[_Class], counts: Mapping[tuple[int, int, int], int]
) -> dict[str, tuple[str, int]]:
    """Concrete visits for the model's counts: one min-cost max-flow over all classes.

    source -> visit (capacity 1) -> cell of its class whose team it is not recused from
    (capacity 1, value ``weights.risk * risk``, plus ``weights.change`` at its previous
    cell) -> sink (capacity x). The flow fills every cell it can (Hall's condition in the
    model makes that all of them), with the most valuable visits.
    """
    w = prep.problem.weights
    teams = prep.problem.teams
    assigned: dict[str, tuple[str, int]] = {}
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    slots: dict[int, tuple[Visit, int, int]] = {}  # arc -> (visit, team, month)
    source, sink = 0, 1
    nodes = 2
    supply = 0
    cells_of: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (c, t, m), value in counts.items():
        if value > 0:
            cells_of[c].append((t, m, value))

    def arc(tail: int, head: int, cap: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    for c in sorted(cells_of):
        cls = classes[c]
        cells = sorted(cells_of[c])
        if not any(cls.recused) and not any(p is not None for p in cls.previous):
            # Interchangeable visits: the highest risks, in key order.
            order = iter(cls.visits)
            for t, m, value in cells:
                for _ in range(value):
                    assigned[next(order).key] = (teams[t].key, m)
            continue
        cell_node = {}
        for t, m, value in cells:
            cell_node[t, m] = nodes
            arc(nodes, sink, value, 0)
            supply += value
            nodes += 1
        for visit, recused, prev in zip(cls.visits, cls.recused, cls.previous, strict=True):
            node = nodes
            nodes += 1
            arc(source, node, 1, 0)
            for t, m, _ in cells:
                if t not in recused:
                    value = w.risk * visit.risk + (w.change if prev == (t, m) else 0)
                    slots[arc(node, cell_node[t, m], 1, -value)] = (visit, t, m)

    if slots:
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(caps, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        flow.set_node_supply(source, supply)
        flow.set_node_supply(sink, -supply)
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - always solvable
            raise RuntimeError(f"min-cost flow failed: {status}")
        values = flow.flows(np.array(list(slots), dtype=np.int32))
        for value, (visit, t, m) in zip(values, slots.values(), strict=True):
            if value > 0:
                assigned[visit.key] = (teams[t].key, m)
    return assigned


# --------------------------------------------------------------------------------------
# Solver


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
    gap_limit: float = 0.01,
    baseline: Solution | None = None,
) -> Solution:
    """Assign the visits (see the module docstring for the method).

    ``baseline``: the result of ``greedy(problem)`` for the same problem, when the caller
    has it already (it is one of the constructive plans; passing it saves computing it
    twice).

    Small problems (up to ``_FULL_MODEL_CELLS`` cells) are solved by CP-SAT on the complete
    aggregated model, to optimality unless ``time_limit`` (seconds, in all) runs out.
    Larger ones return the best constructive plan at once when the LP bound proves it
    within ``gap_limit`` (relative), and otherwise let CP-SAT improve it on the restricted
    model until that gap is reached, ``_STALL_SECONDS`` pass without a better solution or
    the time is up. Falls back to the best constructive plan (status "greedy") if CP-SAT
    finds no solution in time.
    """
    started = time.perf_counter()
    prep = _prepare(problem)
    if not problem.visits:
        return _finish(prep, {}, "empty", started)
    classes = _classes(prep)
    if not classes:
        # Nothing to decide: the fixed visits are the whole plan.
        return _finish(prep, dict(prep.fixed), "optimal", started)
    relax = _relaxation(prep, classes)
    plans = _plans(prep, classes, relax, baseline.assigned if baseline is not None else None)
    hint = max(
        (_finish(prep, plan, "feasible", started, bound=relax.bound) for plan in plans),
        key=lambda h: h.objective,
    )
    complete = sum(len(cls.cells) for cls in classes) <= _FULL_MODEL_CELLS
    if not complete and hint.gap <= gap_limit:
        hint.seconds = time.perf_counter() - started
        return hint
    cells = [cls.cells for cls in classes] if complete else _candidates(prep, classes, relax, plans)
    built = _build_model(prep, classes, cells)
    _add_hint(prep, classes, built, hint.assigned)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = None
    if not complete:
        # A light presolve: the hint comes out in a fraction of a second instead of
        # several on a prefecture office, and CP-SAT is only asked to polish it.
        solver.parameters.relative_gap_limit = gap_limit
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        solver.parameters.max_presolve_iterations = 1
        callback = _StopWithin(solver, relax.bound, gap_limit, _STALL_SECONDS)
        callback.arm(2 * _STALL_SECONDS)  # until the first solution
    try:
        status = solver.solve(built.model, callback)
    finally:
        if callback is not None:
            callback.disarm()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint.status = "greedy"
        hint.seconds = time.perf_counter() - started
        return hint

    counts = {key: solver.value(var) for key, var in built.x.items()}
    state = _State(prep, _disaggregate(prep, classes, counts))
    state.fill(prep.free)
    bound = min(relax.bound, solver.best_objective_bound) if complete else relax.bound
    solution = _finish(prep, state.assigned, "feasible", started, bound=bound)
    if solution.objective < hint.objective:
        # CP-SAT stopped before it found the hint again (or the flow kept fewer visits in
        # place than the model counted): the hint is the better plan.
        solution = _finish(prep, dict(hint.assigned), "feasible", started, bound=bound)
    elif status == cp_model.OPTIMAL and complete and solution.objective >= solver.objective_value:
        solution.status = "optimal"
    if solution.objective >= solution.bound:
        solution.status = "optimal"
    return solution


class _StopWithin(cp_model.CpSolverSolutionCallback):
    """Stops CP-SAT once a solution is within ``gap`` of the LP bound, or when ``stall``
    seconds pass without a better one (on large offices CP-SAT rarely improves the hint:
    the remaining gap is mostly the bound's)."""

    def __init__(self, solver: cp_model.CpSolver, bound: float, gap: float, stall: float) -> None:
        super().__init__()
        self.solver = solver
        self.target = bound - gap * abs(bound)
        self.stall = stall
        self.best = -float("inf")
        self.timer: threading.Timer | None = None

    def arm(self, seconds: float) -> None:
        """(Re)start the stall timer."""
        self.disarm()
        self.timer = threading.Timer(seconds, self.solver.stop_search)
        self.timer.daemon = True
        self.timer.start()

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if value >= self.target:
            self.stop_search()
        elif value > self.best:
            self.best = value
            self.arm(self.stall)
