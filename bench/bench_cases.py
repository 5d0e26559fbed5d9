"""Penalty cases: the discretion engine, the case list over 500,000 cases, and one
transition under 20 concurrent attempts.

Setup of the SQLite part (not measured), in a fresh SQLite database in a temporary
directory (the database of ``make run``), migrated (the fine bands of 安全生产法, the
national default benchmark and procedural rules come with the migrations):

- the demo organisation without enterprises (``org.demo.load_demo(enterprises=0)``);
- generated staff for every bureau of the province: officers (3-10 per county bureau by
  its weight, 4 per prefecture, 6 for the province; the first also team lead), each with
  an enforcement certificate, and a head where the demo has none; the demo's officers of
  a bureau investigate its cases too (so ``mine=1`` finds the demo users' cases);
- 100,000 generated enterprises (the registry benchmark's generator: counties weighted as
  in the demo province, supervised by their county's bureau, a few by the prefecture's or
  the province's);
- 500,000 cases over the last three years, inserted by ``executemany`` in one transaction
  (the table's secondary indexes dropped for the load and built again), ids in the order
  of application. Each case belongs to the enterprise's supervising bureau, its two
  investigators are two different certified officers of that bureau; its course is drawn
  (filing 0-5 days, investigation 20-75 days, review, legal review and collective
  discussion by the default thresholds, notice, hearing for a quarter of those entitled,
  decision, service, payment within 15 days for most, reminders and court enforcement for
  the others, closing, archiving; 15 % simple procedure; some not filed, terminated,
  transferred or not penalised), and its state is where that course stands today, with
  the dates, numbers and amounts that go with it.

Measured:

1. Discretion. Every ``Provision`` row (``services.provision_spec``) and the benchmark in
   force (``services.benchmark_for``) are loaded once; 4,000 random sets of circumstances
   (each mitigating and aggravating circumstance drawn independently, accident grades,
   previous-year incomes and illegal gains for the formula provisions, missing in 5 % of
   the sets that need them) are paired with the provisions in turn. The pairs for which
   ``discretion.recommend`` raises ``DiscretionError`` (a needed fact missing) are counted
   and left out; ``recommend`` is then timed over 200,000 calls on the others, in five
   rounds: discretion_per_s is that rate, the engine alone. ``services.discretion_compute``
   (what the calculator and a new violation run: the provision in force, the parsed facts,
   the benchmark with its overrides, the engine) is timed over 2,000 calls on the same
   pairs, each call on its own, with its SQL queries counted.
2. Case list (``GET /api/v1/cases/``): a province user (scope 65), a prefecture user (6501)
   and a county user (650102), each: the first page, ``state=executing``, ``mine=1``, and
   pages 2-5 in turn; median and p95 of 60 requests per variant after 5 warm-up requests,
   wall time of ``django.test.Client`` with a session login. The SQL queries of each
   request are counted on pages 1, 2 and 5 of every variant and must be the same number
   everywhere (hard check). The COUNT and page queries are timed apart on 10 more requests
   and SQLite's query plans reported. ``state=open`` (the workbench's filter) is measured
   for the province user as well, informational only.
3. Concurrency, on PostgreSQL (``BENCH_DATABASE_URL``, a temporary database, migrated, the
   demo organisation; in a child process, since Django is set up on SQLite here): a case
   is proposed (``services.case_open`` by a certified officer of the 650102 bureau with a
   certified colleague), then 20 threads, each with its own connection (closed when the
   thread ends), released together by a ``threading.Barrier``, each call
   ``services.filing_approve(actor=<the bureau's head>, case_id=..., expected_version=<the
   version read before>)``. Winners and losers by exception are counted. Hard checks per
   round: exactly one winner; the case is ``investigating`` and its version went up by as
   much as one uncontended approval raises it (measured first, on a case of its own);
   exactly one ``cases.case_state_changed`` record event, one decision-limit deadline and
   one filing-approval document for the case; the record chains verify
   (``core.record.verify_chain``). Five rounds with the expected version, one without
   (the state guard alone must let one through).

Targets: discretion_per_s >= 5,000; list_p95_ms (the largest p95 of the required variants)
<= 150 with a constant number of queries per request; exactly one winner in every round.
``BENCH_QUICK=1``: 20,000 cases, 5,000 enterprises, 20,000 engine calls, 200
``discretion_compute`` calls, 10 requests per variant, two rounds with the expected version;
the report printed, not appended. ``BENCH_SAMPLES=1`` prints every timed request of each
list variant (to tell a one-off pause from a slow query).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import gc
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench

NAME = "cases"
SUMMARY = (
    "SQLite (a file in a temporary directory, like `make run`'s database) and PostgreSQL. "
    "Times the discretion engine (`discretion.recommend` on every provision of 安全生产法 "
    "with random circumstances, 200,000 calls; `services.discretion_compute` with its "
    "database reads, 2,000 calls), the case list API over 500,000 generated cases of the "
    "demo province for a province, a prefecture and a county user (first page, "
    "state=executing, mine=1, pages 2-5; median and p95 of 60 requests each, SQL queries "
    "per request constant), and, on PostgreSQL, the filing approval of one case attempted by "
    "20 threads at once, five rounds with the expected version and one without (exactly one "
    "must win; version, record events, deadline, document and record chain checked). "
    "Targets: >= 5,000 discretion computations/s; list p95 <= 150 ms; exactly one winner."
)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")  # a smoke run: small, no report
CASES = 20_000 if QUICK else 500_000
ENTERPRISES = 5_000 if QUICK else 100_000
FACT_SETS = 4_000
ENGINE_CALLS = 20_000 if QUICK else 200_000
ENGINE_ROUNDS = 5
COMPUTE_CALLS = 200 if QUICK else 2_000
SAMPLES = 10 if QUICK else 60
WARMUP = 2 if QUICK else 5
DIAGNOSTIC_SAMPLES = 3 if QUICK else 10
ROUNDS = 2 if QUICK else 5  # with the expected version; one more round without
THREADS = 20
DISCRETION_TARGET_PER_S = 5_000.0
LIST_P95_TARGET_MS = 150.0
SEED = 20261201
HISTORY_DAYS = 3 * 365
BATCH = 20_000
PAGE_SIZE = 50  # core.api.Pagination
MISSING_FACT_SHARE = 0.05  # formula provisions whose needed fact is left out
PROVINCE_USER = "prov_officer"
PREFECTURE_USER = "pref_officer"
COUNTY_USER = "county_officer"
COUNTY = "650102"
CONCURRENCY_COUNTY = "650102"

# the course of a case (shares)
SIMPLE_SHARE = 0.15
NOT_FILED_SHARE = 0.03
ENDED_SHARE = 0.025  # terminated or transferred during the investigation
NO_PENALTY_SHARE = 0.03
UNPAID_SHARE = 0.12  # not paid within the payment period
ENFORCED_SHARE = 0.7  # of the unpaid: court enforcement applied for
HEARING_SHARE = 0.25  # of those entitled, request a hearing
SOURCES: tuple[list[Any], list[float]] = (
    ["inspection", "complaint", "accident", "referral", "superior", "other"],
    [60, 15, 5, 8, 7, 5],
)
POSITIONS = {"person": "安全生产管理人员", "principal": "主要负责人"}


def say_from(started: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    return say


# --- 1. discretion -------------------------------------------------------------------------


@dataclass
class DiscretionRun:
    provisions: int = 0
    methods: collections.Counter[str] = field(default_factory=collections.Counter)
    benchmark: str = ""
    pairs: int = 0
    raising: collections.Counter[str] = field(default_factory=collections.Counter)  # by method
    tiers: collections.Counter[str] = field(default_factory=collections.Counter)
    calls: int = 0
    seconds: float = 0.0
    round_rates: list[float] = field(default_factory=list)
    compute_ms: list[float] = field(default_factory=list)
    compute_seconds: float = 0.0
    compute_queries: collections.Counter[int] = field(default_factory=collections.Counter)
    compute_errors: int = 0
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def per_s(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    @property
    def compute_per_s(self) -> float:
        n = len(self.compute_ms)
        return n / self.compute_seconds if self.compute_seconds else 0.0


def random_facts(rng: random.Random, method: str) -> Any:
    """Circumstances of one violation; the fact a formula method needs is left out in
    MISSING_FACT_SHARE of the sets (the engine must then refuse)."""
    from inspectorate.cases import discretion

    def p(share: float) -> bool:
        return rng.random() < share

    grade = rng.choice(discretion.ACCIDENT_GRADES)
    income = rng.choice([0, 1, 5, 20, 80, 300]) * 10_000 + rng.randrange(10_000)
    gains = rng.choice([0, 0, rng.randrange(100_000), 100_000 + rng.randrange(900_000)])
    missing = p(MISSING_FACT_SHARE)
    if method in ("income_share", "accident_range") and missing:
        grade = ""
    values: dict[str, Any] = {
        "no_fault": p(0.02),
        "minor": p(0.15),
        "corrected_promptly": p(0.3),
        "no_harm": p(0.3),
        "first_offence": p(0.25),
        "minor_harm": p(0.2),
        "eliminated_harm": p(0.12),
        "coerced": p(0.03),
        "confessed": p(0.05),
        "meritorious": p(0.04),
        "minor_age": p(0.01),
        "limited_capacity": p(0.01),
        "repeat": p(0.1),
        "serious_harm": p(0.12),
        "obstruction": p(0.04),
        "emergency": p(0.02),
        "accident_grade": grade if method in ("income_share", "accident_range") or p(0.1) else "",
        "previous_year_income": None
        if method in ("income_share", "income_range") and missing
        else income
        if method in ("income_share", "income_range") or p(0.1)
        else None,
        "especially_serious": p(0.1),
        "illegal_gains": None if method == "gains" and missing else gains,
    }
    return discretion.Facts(**values)


def raw_facts(facts: Any) -> dict[str, Any]:
    """The circumstances as the calculator posts them (only what differs from the default)."""
    defaults = {f.name: f.default for f in dataclasses.fields(facts)}
    return {
        name: getattr(facts, name) for name in defaults if getattr(facts, name) != defaults[name]
    }


def measure_discretion(today: dt.date, say: Callable[[str], None]) -> DiscretionRun:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspectorate.cases import discretion, services
    from inspectorate.cases.models import Provision
    from inspectorate.core.errors import ValidationFailed

    run = DiscretionRun()
    rng = random.Random(SEED + 10)
    rows = list(Provision.objects.order_by("article", "item", "party", "stage"))
    specs = [services.provision_spec(row) for row in rows]
    run.provisions = len(specs)
    run.methods.update(s.method for s in specs)
    bench_row, benchmark = services.benchmark_for(COUNTY, today)
    run.benchmark = f"{bench_row.name} ({bench_row.code}, from {bench_row.effective_from})"
    pairs = []
    for n in range(FACT_SETS):
        spec = specs[n % len(specs)]
        facts = random_facts(rng, spec.method)
        try:
            rec = discretion.recommend(spec, facts, benchmark)
        except discretion.DiscretionError:
            run.raising[spec.method] += 1
            continue
        run.tiers[str(rec.tier)] += 1
        pairs.append((spec, facts))
    run.pairs = len(pairs)
    rng.shuffle(pairs)
    recommend = discretion.recommend
    per_round = ENGINE_CALLS // ENGINE_ROUNDS
    work = [pairs[n % len(pairs)] for n in range(per_round)]
    for spec, facts in work[:1000]:  # warm-up: the reasons' texts are translated once
        recommend(spec, facts, benchmark)
    load_before = os.getloadavg()[0]
    for _round in range(ENGINE_ROUNDS):
        started = time.perf_counter()
        for spec, facts in work:
            recommend(spec, facts, benchmark)
        seconds = time.perf_counter() - started
        run.seconds += seconds
        run.calls += len(work)
        run.round_rates.append(len(work) / seconds)
    run.load = (load_before, os.getloadavg()[0])
    say(
        f"discretion engine: {run.calls:,} calls in {run.seconds:.2f} s = {run.per_s:,.0f}/s "
        f"(rounds {min(run.round_rates):,.0f}-{max(run.round_rates):,.0f}/s); "
        f"{sum(run.raising.values())} of {FACT_SETS:,} pairs raise DiscretionError"
    )

    calls = [
        (spec.code, raw_facts(facts)) for spec, facts in pairs[: min(COMPUTE_CALLS, len(pairs))]
    ]
    while len(calls) < COMPUTE_CALLS:
        calls += calls[: COMPUTE_CALLS - len(calls)]
    for code, raw in calls[:5]:  # the SQL queries of one call
        with CaptureQueriesContext(connection) as ctx:
            services.discretion_compute(
                jurisdiction_code=COUNTY, provision_code=code, facts=raw, on=today
            )
        run.compute_queries[len(ctx.captured_queries)] += 1
    started = time.perf_counter()
    for code, raw in calls:
        t0 = time.perf_counter()
        try:
            services.discretion_compute(
                jurisdiction_code=COUNTY, provision_code=code, facts=raw, on=today
            )
        except ValidationFailed:
            run.compute_errors += 1
        run.compute_ms.append((time.perf_counter() - t0) * 1000)
    run.compute_seconds = time.perf_counter() - started
    say(
        f"discretion_compute: {len(run.compute_ms):,} calls = {run.compute_per_s:,.0f}/s, "
        f"median {bench.median(run.compute_ms):.2f} ms, p95 {bench.p95(run.compute_ms):.2f} ms, "
        f"queries per call {dict(run.compute_queries)}"
    )
    return run


# --- setup: staff, enterprises, 500,000 cases --------------------------------------------


@dataclass
class Bureau:
    pk: int
    code: str  # jurisdiction code
    agency: Any
    officers: list[tuple[int, str]] = field(default_factory=list)  # (user pk, certificate)
    head: int = 0


def officers_for(level: str, weight: float) -> int:
    if level == "province":
        return 6
    if level == "prefecture":
        return 4
    return 10 if weight >= 40 else 6 if weight >= 8 else 4 if weight >= 4 else 3


def add_staff(world: Any, today: dt.date) -> dict[int, Bureau]:
    """Officers with certificates and a head for every bureau; returns agency pk -> Bureau."""
    from django.db import transaction

    from inspectorate.org.demo import GIVEN, SURNAMES
    from inspectorate.org.models import Agency, AgencyKind, Certificate, RoleAssignment, User
    from inspectorate.org.roles import Role

    rng = random.Random(SEED + 1)
    weight = dict(zip([c.code for c in world.counties], world.county_weights, strict=True))
    bureaus = {
        a.pk: Bureau(a.pk, a.jurisdiction_id, a)
        for a in Agency.objects.filter(kind=AgencyKind.BUREAU).select_related("jurisdiction")
    }
    password = User.objects.filter(username="prov_lead").values_list("password", flat=True)[0]
    heads = dict(
        RoleAssignment.objects.filter(role=Role.HEAD, user__agency__in=list(bureaus)).values_list(
            "user__agency_id", "user_id"
        )
    )
    new: list[Any] = []
    leads: set[str] = set()
    for b in bureaus.values():
        level = b.agency.jurisdiction.level
        for n in range(1, officers_for(level, weight.get(b.code, 2.0)) + 1):
            name = f"bench_{b.code}_{n}"
            new.append(
                User(
                    username=name,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    agency=b.agency,
                    password=password,
                )
            )
            if n == 1:
                leads.add(name)
        if b.pk not in heads:
            new.append(
                User(
                    username=f"bench_{b.code}_head",
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    agency=b.agency,
                    password=password,
                )
            )
    with transaction.atomic():
        User.objects.bulk_create(new)
        ids = dict(User.objects.filter(username__startswith="bench_").values_list("username", "pk"))
        for u in new:
            u.pk = ids[u.username]
        officers = [u for u in new if not u.username.endswith("_head")]
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=u.pk, role=Role.OFFICER) for u in officers]
            + [
                RoleAssignment(user_id=u.pk, role=Role.TEAM_LEAD)
                for u in new
                if u.username in leads
            ]
            + [RoleAssignment(user_id=u.pk, role=Role.HEAD) for u in new if u not in officers]
        )
        valid_from = today - dt.timedelta(days=400)
        Certificate.objects.bulk_create(
            Certificate(
                officer_id=u.pk,
                number=f"BC{u.agency.jurisdiction_id}{n:05d}",
                issuing_authority="新疆维吾尔自治区人民政府",
                valid_from=valid_from,
                valid_until=valid_from + dt.timedelta(days=3 * 365 - 1),
            )
            for n, u in enumerate(officers, start=1)
        )
    for u in new:
        if u.username.endswith("_head"):
            heads[u.agency_id] = u.pk
    # every officer of the bureau (the demo's too) with the certificate they hold longest
    holders = (
        Certificate.objects.filter(
            officer__agency__in=list(bureaus),
            officer__roles__role__in=[Role.OFFICER, Role.TEAM_LEAD],
        )
        .order_by("officer_id", "valid_until")
        .values_list("officer__agency_id", "officer_id", "number")
    )
    seen: dict[int, tuple[int, str]] = {}
    for agency_id, officer_id, number in holders:
        seen[officer_id] = (agency_id, number)
    for officer_id, (agency_id, number) in sorted(seen.items()):
        bureaus[agency_id].officers.append((officer_id, number))
    for b in bureaus.values():
        b.head = heads[b.pk]
    return bureaus


@dataclass
class Unit:
    pk: int
    county: str
    agency_id: int
    name: str
    address: str


def add_enterprises(world: Any) -> list[Unit]:
    """ENTERPRISES enterprises by executemany (the registry benchmark's generator)."""
    from bench.bench_inspections import insert_enterprises
    from inspectorate.registry.models import Enterprise

    insert_enterprises(world, ENTERPRISES, SEED)
    return [
        Unit(*row)
        for row in Enterprise.objects.order_by("pk").values_list(
            "pk", "jurisdiction_id", "supervising_agency_id", "name", "address"
        )
    ]


@dataclass
class CaseFacts:
    cases: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0
    by_state: collections.Counter[str] = field(default_factory=collections.Counter)
    simple: int = 0
    persons: int = 0
    db_bytes: int = 0
    scope: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> counts


def _course(
    rng: random.Random, applied: int, fine: int, party: str, simple: bool
) -> list[tuple[int, str, dict[str, Any]]]:
    """The course of one case: (day, state reached, fields set that day), in order."""
    randint = rng.randint
    rand = rng.random
    if simple:
        paid = applied + randint(0, 15)
        closed = paid + randint(0, 3)
        archived = closed + randint(15, 90)
        return [
            (applied, "executing", {"filed": applied, "decided": applied, "served": applied}),
            (paid, "closing", {}),
            (closed, "closed", {"closed": closed}),
            (archived, "archived", {"archived": archived}),
        ]
    filed = applied + randint(0, 5)
    if rand() < NOT_FILED_SHARE:
        return [(filed, "not_filed", {})]
    steps: list[tuple[int, str, dict[str, Any]]] = [(filed, "investigating", {"filed": filed})]
    investigated = filed + randint(20, 75)
    if rand() < ENDED_SHARE:
        end = filed + randint(5, investigated - filed)
        steps.append((end, "terminated" if rand() < 0.6 else "transferred", {}))
        return steps
    unit = party == "unit"
    steps.append((investigated, "reviewing", {"report": True}))
    day = investigated + randint(3, 12)
    if rand() < NO_PENALTY_SHARE:
        closed = day + randint(2, 10)
        archived = closed + randint(15, 90)
        steps += [
            (day, "closing", {"no_penalty": True, "decided": day}),
            (closed, "closed", {"closed": closed}),
            (archived, "archived", {"archived": archived}),
        ]
        return steps
    legal = fine >= (30_000 if unit else 10_000)
    discussion = fine >= (50_000 if unit else 20_000)
    if legal:
        steps.append((day, "legal_review", {}))
        day += randint(3, 10)
    if discussion:
        steps.append((day, "discussion", {}))
        day += randint(3, 10)
    steps.append((day, "notified", {"notified": day}))
    day += randint(6, 10)
    if legal and rand() < HEARING_SHARE:
        steps.append((day, "hearing", {}))
        day += randint(10, 25)
    steps.append((day, "deciding", {}))
    decided = day + randint(1, 7)
    served = decided + randint(1, 7)
    steps += [(decided, "decided", {"decided": decided}), (served, "executing", {"served": served})]
    due = served + 15
    if rand() < UNPAID_SHARE:
        reminded = due + randint(5, 30)
        steps.append((reminded, "executing", {"reminded": reminded}))
        if rand() < ENFORCED_SHARE:
            applied_court = served + randint(185, 240)
            steps.append((applied_court, "enforcement", {}))
            paid = applied_court + randint(60, 400)
        else:
            paid = due + randint(10, 120)
    else:
        paid = served + randint(1, 15)
    closed = paid + randint(1, 10)
    archived = closed + randint(15, 90)
    steps += [
        (paid, "closing", {}),
        (closed, "closed", {"closed": closed}),
        (archived, "archived", {"archived": archived}),
    ]
    return steps


def add_cases(
    units: list[Unit], bureaus: dict[int, Bureau], today: dt.date, say: Callable[[str], None]
) -> CaseFacts:
    """CASES cases by executemany in one transaction (secondary indexes rebuilt after)."""
    from django.db import connection, transaction

    from bench.bench_inspections import (
        GENERAL_PROBLEMS,
        LOCATIONS,
        _insert_sql,
        _secondary_indexes,
        _weighted,
    )
    from inspectorate.cases.law_data import PROVISIONS
    from inspectorate.cases.models import Case
    from inspectorate.core.document_kinds import DocumentKind
    from inspectorate.core.documents import document_number
    from inspectorate.org.demo import GIVEN, SURNAMES

    rng = random.Random(SEED + 2)
    rand, choice, randint, randrange = rng.random, rng.choice, rng.randint, rng.randrange
    facts = CaseFacts()
    started = time.perf_counter()
    columns = [f.column for f in Case._meta.concrete_fields if not f.generated]
    # a column added to the model since: its default (the generator names all the others)
    defaults = {f.column: f.get_default() for f in Case._meta.concrete_fields}
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    today_n = HISTORY_DAYS
    day_iso = [(first_day + dt.timedelta(days=d)).isoformat() for d in range(-200, 2000)]

    def iso(day: int) -> str:
        return day_iso[day + 200]

    by_party = {
        party: [p for p in PROVISIONS if p["party"] == party and p["method"] == "range"]
        for party in ("unit", "person", "principal")
    }
    source = _weighted(rng, *SOURCES)
    counters: collections.Counter[tuple[int, int, bool]] = collections.Counter()
    numbers: dict[tuple[int, int, bool], str] = {}
    uuid_base = rng.getrandbits(64) << 64
    sql = _insert_sql(Case, columns)
    table = Case._meta.db_table
    with connection.cursor() as cur:
        indexes = _secondary_indexes(cur, table)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')

    def one(n: int) -> list[Any]:
        unit = choice(units)
        bureau = bureaus[unit.agency_id]
        applied = n * HISTORY_DAYS // CASES
        simple = rand() < SIMPLE_SHARE
        party = "unit" if simple or rand() < 0.82 else choice(["person", "person", "principal"])
        provision = choice(by_party[party])
        low, high = provision["min_amount"], provision["max_amount"]
        if simple:
            fine = randint(1, 30 if party == "unit" else 2) * 100
        else:
            fine = max(low, (low + int((high - low) * rand() ** 1.5)) // 100 * 100)
        course = _course(rng, applied, fine, party, simple)
        state = "filing"
        done: dict[str, Any] = {}
        version = 1
        for day, reached, values in course:
            if day > today_n:
                break
            state = reached
            done.update(values)
            version += 1
        first, second = rng.sample(bureau.officers, 2)
        reviewer = choice([o for o in bureau.officers if o not in (first, second)] or [first])
        discovered = applied - randint(0, 20)
        act = discovered - randint(0, 60)
        problems = rng.sample(GENERAL_PROBLEMS, randint(1, 3))
        text = "；".join(f"{choice(LOCATIONS)}{p}" for p, _article in problems)
        person = party != "unit"
        filed = done.get("filed")
        number = ""
        if filed is not None:
            year = (first_day + dt.timedelta(days=filed)).year
            key = (bureau.pk, year, simple)
            counters[key] += 1
            kind = DocumentKind.SIMPLE_DECISION if simple else DocumentKind.FILING_APPROVAL
            prefix = numbers.get(key)
            if prefix is None:
                prefix = document_number(agency=bureau.agency, kind=kind, year=year, seq=0)[:-2]
                numbers[key] = prefix
            number = f"{prefix}{counters[key]}号"
        decided = done.get("decided")
        no_penalty = bool(done.get("no_penalty"))
        served = done.get("served")
        notified = done.get("notified")
        facts.by_state[state] += 1
        facts.simple += simple
        facts.persons += person
        row = {
            "id": n + 1,
            "uuid": f"{uuid_base | (n + 1):032x}",
            "number": number,
            "agency_id": bureau.pk,
            "jurisdiction_code": unit.county,
            "procedure": "simple" if simple else "general",
            "source": "inspection" if simple else source(),
            "source_reference": "",
            "proposal_id": None,
            "enterprise_id": unit.pk,
            "party_kind": "person" if person else "unit",
            "party_name": choice(SURNAMES) + choice(GIVEN) if person else unit.name,
            "party_id_number": f"6501{randrange(10**13, 10**14)}" if person else "",
            "party_position": POSITIONS.get(party, ""),
            "party_address": unit.address if person else "",
            "summary": provision["violation"][:255],
            "facts": f"经查，{unit.name}存在以下问题：{text}。",
            "act_date": iso(act),
            "act_end_date": None,
            "discovered_on": iso(discovered),
            "endangered_life": rand() < 0.03,
            "complex_case": rand() < 0.08,
            "state": state,
            "outcome": "" if decided is None else "no_penalty" if no_penalty else "penalty",
            "filed_by_id": first[0],
            "applied_on": iso(applied),
            "filed_on": None if filed is None else iso(filed),
            "investigator_1_id": first[0],
            "investigator_2_id": second[0],
            "certificate_1": first[1],
            "certificate_2": second[1],
            "reviewer_id": reviewer[0] if done.get("report") else None,
            "report": f"调查终结报告：{text}，建议依法给予行政处罚。" if done.get("report") else "",
            "notified_on": None if notified is None else iso(notified),
            "notified_amount": fine if notified is not None else None,
            "hearing_right": notified is not None
            and fine >= (30_000 if party == "unit" else 10_000),
            "legal_review_required": not simple
            and done.get("report") is not None
            and fine >= (30_000 if party == "unit" else 10_000),
            "discussion_required": not simple
            and done.get("report") is not None
            and fine >= (50_000 if party == "unit" else 20_000),
            "decided_by_id": None if decided is None else (first[0] if simple else bureau.head),
            "decided_on": None if decided is None else iso(decided),
            "fine": None if decided is None or no_penalty else fine,
            "other_penalties": provision["other_penalties"] if decided is not None else "",
            "served_on": None if served is None else iso(served),
            "payment_due": None if served is None or no_penalty else iso(served + 15),
            "reminded_on": None if "reminded" not in done else iso(done["reminded"]),
            "closed_on": None if "closed" not in done else iso(done["closed"]),
            "archived_on": None if "archived" not in done else iso(done["archived"]),
            "case_file_id": None,
            "version": version,
        }
        return [row[c] if c in row else defaults[c] for c in columns]

    with transaction.atomic(), connection.cursor() as cur:
        for start in range(0, CASES, BATCH):
            cur.executemany(sql, [one(n) for n in range(start, min(start + BATCH, CASES))])
            if (start // BATCH) % 5 == 4:
                say(f"  {min(start + BATCH, CASES):,} cases inserted")
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        for _name, definition in indexes:
            cur.execute(definition)
    facts.index_seconds = time.perf_counter() - started - load_seconds
    facts.cases = CASES
    facts.seconds = time.perf_counter() - started
    return facts


def scope_counts(facts: CaseFacts) -> None:
    """Cases in each user's scope: all, executing, open, and the user's own (not measured)."""
    from inspectorate.cases.selectors import case_list_for_user
    from inspectorate.org.models import User

    for username in (PROVINCE_USER, PREFECTURE_USER, COUNTY_USER):
        user = User.objects.get(username=username)
        facts.scope[username] = {
            "all": case_list_for_user(user=user).count(),
            "executing": case_list_for_user(user=user, state="executing").count(),
            "open": case_list_for_user(user=user, state="open").count(),
            "mine": case_list_for_user(user=user, mine=True).count(),
            "prefix": user.scope.prefix or "",
        }


# --- 2. the case list -------------------------------------------------------------------------


@dataclass
class Variant:
    key: str
    label: str
    username: str
    params: dict[str, str]
    pages: tuple[int, ...] = (1,)  # requests rotate over these pages
    required: bool = True  # counted in list_p95_ms
    timings_ms: list[float] = field(default_factory=list)
    queries: dict[int, int] = field(default_factory=dict)  # page -> SQL queries
    count: int = 0
    rows: int = 0
    query_ms: dict[str, list[float]] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def median(self) -> float:
        return bench.median(self.timings_ms)

    @property
    def p95(self) -> float:
        return bench.p95(self.timings_ms)


def _check(response: Any, expected: int, what: str) -> Any:
    if response.status_code != expected:
        raise RuntimeError(f"{what}: HTTP {response.status_code}: {response.content[:500]!r}")
    return response


def _kind(sql: str) -> str:
    if "cases_case" not in sql:
        return "session, user, scope"
    return "count" if "COUNT(" in sql else "page"


def run_variant(variant: Variant) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspectorate.org.models import User

    url = reverse("api-case-list")
    client = Client()
    client.force_login(User.objects.get(username=variant.username))

    def get(page: int) -> dict[str, Any]:
        params = dict(variant.params)
        if page > 1:
            params["page"] = str(page)
        return _check(client.get(url, params), 200, f"{variant.key} page {page}").json()

    first = get(variant.pages[0])
    variant.count = first["count"]
    variant.rows = len(first["results"])
    for page in sorted({*variant.pages, 1, 2, 5}):  # the pages there are
        if page == 1 or variant.count > PAGE_SIZE * (page - 1):
            with CaptureQueriesContext(connection) as ctx:
                get(page)
            variant.queries[page] = len(ctx.captured_queries)
    for n in range(WARMUP):
        get(variant.pages[n % len(variant.pages)])
    load_before = os.getloadavg()[0]
    for n in range(SAMPLES):
        page = variant.pages[n % len(variant.pages)]
        started = time.perf_counter()
        get(page)
        variant.timings_ms.append((time.perf_counter() - started) * 1000)
    variant.load = (load_before, os.getloadavg()[0])
    if os.environ.get("BENCH_SAMPLES"):
        print(variant.key, [round(t) for t in variant.timings_ms], file=sys.stderr)
    times: dict[str, list[float]] = collections.defaultdict(list)

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times[_kind(sql)].append((time.perf_counter() - started) * 1000)

    for n in range(DIAGNOSTIC_SAMPLES):
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            get(variant.pages[n % len(variant.pages)])
            times["request"].append((time.perf_counter() - started) * 1000)
    variant.query_ms = dict(times)


def list_plans(username: str, params: dict[str, str]) -> dict[str, str]:
    """SQLite's plans of the COUNT and page queries of one request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspectorate.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as ctx:
        _check(client.get(reverse("api-case-list"), params), 200, "plan")
    plans = {}
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for query in ctx.captured_queries:
        sql = query["sql"]
        kind = _kind(sql)
        if kind not in ("count", "page"):
            continue
        with connection.cursor() as cur:
            cur.execute(explain + sql)
            rows = cur.fetchall()
        plans[kind] = "; ".join(str(r[-1]) for r in rows)
        plans[f"{kind} sql"] = sql
    return plans


def list_variants() -> list[Variant]:
    variants = []
    for prefix, label, username in (
        ("prov", f"Province user ({PROVINCE_USER}, 65)", PROVINCE_USER),
        ("pref", f"Prefecture user ({PREFECTURE_USER}, 6501)", PREFECTURE_USER),
        ("county", f"County user ({COUNTY_USER}, {COUNTY})", COUNTY_USER),
    ):
        variants += [
            Variant(f"{prefix}_first", f"{label}, first page", username, {}),
            Variant(
                f"{prefix}_executing", f"{label}, state=executing", username, {"state": "executing"}
            ),
            Variant(f"{prefix}_mine", f"{label}, mine=1", username, {"mine": "1"}),
            Variant(f"{prefix}_pages", f"{label}, pages 2–5 in turn", username, {}, (2, 3, 4, 5)),
        ]
    variants.append(
        Variant(
            "prov_open",
            "Province user, state=open (informational)",
            PROVINCE_USER,
            {"state": "open"},
            required=False,
        )
    )
    return variants


# --- 3. concurrency on PostgreSQL (in a child process) ---------------------------------------


@dataclass
class Round:
    n: int
    expected_version: bool
    case_id: int = 0
    version_before: int = 0
    version_after: int = 0
    winners: int = 0
    losers: dict[str, int] = field(default_factory=dict)  # exception type -> count
    wall_ms: float = 0.0
    winner_ms: float = 0.0
    loser_ms: list[float] = field(default_factory=list)
    events: int = 0
    deadlines: int = 0
    documents: int = 0
    state: str = ""
    problems: list[str] = field(default_factory=list)


def concurrency_child() -> None:
    """Runs in a fresh process on PostgreSQL (DATABASE_URL): prints its figures as JSON."""
    from bench.bench_registry import setup_django

    started = time.perf_counter()
    setup_django(os.environ["DATABASE_URL"], os.environ["INSPECTORATE_VAR_DIR"])
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.bench_registry import World, generate
    from inspectorate.cases import rules, services
    from inspectorate.cases.models import Case
    from inspectorate.core.document_kinds import DocumentKind
    from inspectorate.core.models import Deadline, IssuedDocument, RecordChainHead, RecordEvent
    from inspectorate.core.record import verify_chain
    from inspectorate.core.record_kinds import RecordKind
    from inspectorate.org.demo import load_demo
    from inspectorate.org.models import Agency, AgencyKind, User
    from inspectorate.org.roles import Role
    from inspectorate.registry.models import Enterprise

    def say(message: str) -> None:
        print(
            f"  [pg {time.perf_counter() - started:5.1f}s] {message}", file=sys.stderr, flush=True
        )

    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    load_demo(enterprises=0)
    world = World.load()
    bureau = Agency.objects.get(kind=AgencyKind.BUREAU, jurisdiction_id=CONCURRENCY_COUNTY)
    rows = []
    for row in generate(world, 10, start=0, seed=SEED + 5):
        row.pop("supervising_agency_code")
        row.update(jurisdiction_id=CONCURRENCY_COUNTY, supervising_agency_id=bureau.pk)
        rows.append(Enterprise(**row))
    enterprises = [e.pk for e in Enterprise.objects.bulk_create(rows)]
    staff = User.objects.filter(agency=bureau, is_active=True).order_by("pk")
    certified = [
        u
        for u in staff
        if u.has_role(Role.OFFICER, Role.TEAM_LEAD) and u.valid_certificate(today) is not None
    ]
    officer, colleague = certified[0], certified[1]
    head_pk = next(u.pk for u in staff if u.has_role(Role.HEAD))
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        server = str(cur.fetchone()[0])
        cur.execute("SHOW max_connections")
        max_connections = str(cur.fetchone()[0])
        cur.execute("SHOW default_transaction_isolation")
        isolation = str(cur.fetchone()[0])
    setup_seconds = time.perf_counter() - started
    say(
        f"PostgreSQL {server} ready in {setup_seconds:.1f} s: proposer {officer.username}, "
        f"colleague {colleague.username}, head {head_pk}"
    )

    def propose(n: int) -> tuple[int, int]:
        case = services.case_open(
            actor=officer,
            enterprise_id=enterprises[n % len(enterprises)],
            source="complaint",
            source_reference=f"12350 举报 bench-{n}",
            summary="未按规定对安全设备进行经常性维护、保养和定期检测",
            facts="经群众举报，执法人员现场核实：压力表超过检定有效期，可燃气体报警器处于关闭状态。",
            act_date=today - dt.timedelta(days=30),
            discovered_on=today - dt.timedelta(days=3),
            second_investigator_id=colleague.pk,
        )
        return case.pk, case.version

    def attempt(
        case_id: int,
        version: int | None,
        barrier: threading.Barrier,
        out: list[tuple[str, float, int]],
    ) -> None:
        from django.db import connections

        from inspectorate.core.errors import ConcurrentModification, IllegalTransition

        try:
            head = User.objects.get(pk=head_pk)
            _ = head.scope, head.agency
            connection.ensure_connection()
            barrier.wait()
            t0 = time.perf_counter()
            returned = 0
            try:
                case = services.filing_approve(
                    actor=head, case_id=case_id, expected_version=version, today=today
                )
                outcome, returned = "winner", case.version
            except ConcurrentModification:
                outcome = "ConcurrentModification"
            except IllegalTransition:
                outcome = "IllegalTransition"
            except Exception as exc:  # noqa: BLE001 - anything else is a finding
                outcome = f"{type(exc).__name__}: {str(exc)[:200]}"
            out.append((outcome, (time.perf_counter() - t0) * 1000, returned))
        finally:
            connections.close_all()  # this thread's connections

    def run_round(n: int, with_version: bool, threads: int) -> Round:
        r = Round(n=n, expected_version=with_version)
        r.case_id, _v = propose(n)
        r.version_before = Case.objects.get(pk=r.case_id).version
        barrier = threading.Barrier(threads + 1, timeout=300)
        out: list[tuple[str, float, int]] = []
        workers = [
            threading.Thread(
                target=attempt,
                args=(r.case_id, r.version_before if with_version else None, barrier, out),
            )
            for _ in range(threads)
        ]
        for w in workers:
            w.start()
        barrier.wait()
        t0 = time.perf_counter()
        for w in workers:
            w.join()
        r.wall_ms = (time.perf_counter() - t0) * 1000
        losers: collections.Counter[str] = collections.Counter()
        for outcome, ms, _returned in out:
            if outcome == "winner":
                r.winners += 1
                r.winner_ms = ms
            else:
                losers[outcome] += 1
                r.loser_ms.append(ms)
        r.losers = dict(losers)
        case = Case.objects.get(pk=r.case_id)
        r.version_after, r.state = case.version, case.state
        subject = {"subject_type": "cases.case", "subject_id": str(case.pk)}
        r.events = RecordEvent.objects.filter(
            kind=str(RecordKind.CASE_STATE_CHANGED), **subject
        ).count()
        r.deadlines = Deadline.objects.filter(kind=rules.DECISION, **subject).count()
        r.documents = IssuedDocument.objects.filter(
            kind=DocumentKind.FILING_APPROVAL, **subject
        ).count()
        problems = verify_chain(case.jurisdiction_code)
        r.problems = [f"chain {p.jurisdiction_code}: {p.code} at {p.seq}" for p in problems]
        if len(out) != threads:
            r.problems.append(f"{threads - len(out)} threads reported nothing")
        return r

    reference = run_round(0, True, 1)  # one uncontended approval: what it does to the version
    say(
        f"uncontended approval: {reference.winner_ms:.0f} ms, version {reference.version_before} "
        f"-> {reference.version_after}"
    )
    rounds = []
    for n in range(1, ROUNDS + 2):
        r = run_round(n, n <= ROUNDS, THREADS)
        rounds.append(r)
        say(
            f"round {n} ({'expected_version' if r.expected_version else 'no version'}): "
            f"{r.winners} winner(s), losers {r.losers}, {r.wall_ms:.0f} ms"
        )
    chains = [
        f"{p.jurisdiction_code}: {p.code} at {p.seq}"
        for code in RecordChainHead.objects.values_list("jurisdiction_code", flat=True)
        for p in verify_chain(code)
    ]
    print(
        json.dumps(
            {
                "server": server,
                "max_connections": max_connections,
                "isolation": isolation,
                "setup_seconds": setup_seconds,
                "seconds": time.perf_counter() - started,
                "proposer": officer.username,
                "colleague": colleague.username,
                "head": User.objects.get(pk=head_pk).username,
                "chains_verified": RecordChainHead.objects.count(),
                "chain_problems": chains,
                "reference": dataclasses.asdict(reference),
                "rounds": [dataclasses.asdict(r) for r in rounds],
            }
        ),
        flush=True,
    )


@dataclass
class ConcurrencyRun:
    server: str = ""
    isolation: str = ""
    max_connections: str = ""
    setup_seconds: float = 0.0
    seconds: float = 0.0
    proposer: str = ""
    colleague: str = ""
    head: str = ""
    reference: Round | None = None
    rounds: list[Round] = field(default_factory=list)
    chains_verified: int = 0
    chain_problems: list[str] = field(default_factory=list)
    error: str = ""

    def problems(self) -> list[str]:
        found = [f"concurrency: {self.error}"] if self.error else []
        ref = self.reference
        step = ref.version_after - ref.version_before if ref else 0
        for r in self.rounds:
            where = f"round {r.n}"
            if r.winners != 1:
                found.append(f"{where}: {r.winners} winners")
            odd = {k: v for k, v in r.losers.items() if k not in _EXPECTED_LOSS[r.expected_version]}
            if odd:
                found.append(f"{where}: unexpected failures {odd}")
            if r.version_after - r.version_before != step:
                found.append(
                    f"{where}: version {r.version_before} -> {r.version_after} (one approval: +{step})"
                )
            if r.state != "investigating":
                found.append(f"{where}: state {r.state}")
            for what, n in (
                ("state-change events", r.events),
                ("decision deadlines", r.deadlines),
                ("filing approvals", r.documents),
            ):
                if n != 1:
                    found.append(f"{where}: {n} {what}")
            found += [f"{where}: {p}" for p in r.problems]
        found += [f"record chain {p}" for p in self.chain_problems]
        return found


_EXPECTED_LOSS = {True: {"ConcurrentModification"}, False: {"IllegalTransition"}}


def measure_concurrency(var_dir: str, say: Callable[[str], None]) -> ConcurrencyRun:
    run = ConcurrencyRun()
    child_dir = Path(var_dir) / "pg"
    child_dir.mkdir(exist_ok=True)
    try:
        with bench.temporary_database() as url:
            say(f"concurrency: PostgreSQL database {bench.database_name(url)}")
            proc = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.bench_cases", "concurrency-child"],
                cwd=bench.ROOT,
                env={**os.environ, "DATABASE_URL": url, "INSPECTORATE_VAR_DIR": str(child_dir)},
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
        if proc.returncode != 0:
            raise RuntimeError(f"the concurrency process failed (exit {proc.returncode})")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except Exception as exc:  # noqa: BLE001 - reported as a failed hard check
        run.error = f"{type(exc).__name__}: {exc}"
        return run
    for key in (
        "server",
        "isolation",
        "max_connections",
        "setup_seconds",
        "seconds",
        "proposer",
        "colleague",
        "head",
        "chains_verified",
        "chain_problems",
    ):
        setattr(run, key, data[key])
    run.reference = Round(**data["reference"])
    run.rounds = [Round(**r) for r in data["rounds"]]
    return run


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    started = time.perf_counter()
    machine = bench.machine()
    with tempfile.TemporaryDirectory(prefix="inspectorate-bench-") as var_dir:
        from bench.bench_registry import setup_django

        setup_django(f"sqlite:///{var_dir}/bench.sqlite3", var_dir)
        return run(machine, started, var_dir)


def run(machine: dict[str, str], started: float, var_dir: str) -> int:
    import sqlite3

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.bench_registry import World
    from inspectorate.org.demo import load_demo

    say = say_from(started)
    today = timezone.localdate()

    concurrency = measure_concurrency(var_dir, say)
    say(
        "concurrency: "
        + (
            concurrency.error
            or ", ".join(f"round {r.n}: {r.winners} winner(s)" for r in concurrency.rounds)
        )
    )

    sqlite_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo = load_demo(enterprises=0)
    discretion_run = measure_discretion(today, say)

    world = World.load()
    bureaus = add_staff(world, today)
    units = add_enterprises(world)
    officers = sum(len(b.officers) for b in bureaus.values())
    say(
        f"organisation: {demo.agencies} agencies, {len(bureaus)} bureaus, {officers} certified "
        f"officers on the bureaus' case teams; {len(units):,} enterprises"
    )
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -1000000")  # 1 GB for the load only
    facts = add_cases(units, bureaus, today, say)
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -2000")  # SQLite's default again
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    facts.db_bytes = sum(
        os.path.getsize(os.path.join(var_dir, f))
        for f in os.listdir(var_dir)
        if f.startswith("bench.sqlite3")
    )
    scope_counts(facts)
    setup_seconds = time.perf_counter() - sqlite_started
    say(
        f"generated {facts.cases:,} cases in {facts.seconds:.0f} s (of which "
        f"{facts.index_seconds:.0f} s building the indexes); database "
        f"{facts.db_bytes / 1e9:.2f} GB; setup {setup_seconds:.0f} s; scopes {facts.scope}"
    )
    del units, bureaus
    gc.collect()

    variants = list_variants()
    for variant in variants:
        run_variant(variant)
        q = variant.query_ms
        say(
            f"{variant.key}: median {variant.median:.1f} ms, p95 {variant.p95:.1f} ms, count "
            f"{variant.count:,}, queries {variant.queries}; COUNT "
            f"{bench.median(q.get('count', [0])):.1f} ms, page {bench.median(q.get('page', [0])):.1f} ms"
        )
    plans = {
        "province, first page": list_plans(PROVINCE_USER, {}),
        "province, page 5": list_plans(PROVINCE_USER, {"page": "5"}),
        "province, state=executing": list_plans(PROVINCE_USER, {"state": "executing"}),
        "province, mine=1": list_plans(PROVINCE_USER, {"mine": "1"}),
        "prefecture, mine=1": list_plans(PREFECTURE_USER, {"mine": "1"}),
        "county, first page": list_plans(COUNTY_USER, {}),
        "county, state=executing": list_plans(COUNTY_USER, {"state": "executing"}),
        "county, mine=1": list_plans(COUNTY_USER, {"mine": "1"}),
        "province, state=open": list_plans(PROVINCE_USER, {"state": "open"}),
    }
    for label, plan in plans.items():
        say(f"plan {label}: COUNT {plan.get('count')} | page {plan.get('page')}")

    required = [v for v in variants if v.required]
    list_p95 = max(v.p95 for v in required)
    all_queries = {q for v in variants for q in v.queries.values()}
    failures = []
    if discretion_run.per_s < DISCRETION_TARGET_PER_S:
        failures.append(
            f"{discretion_run.per_s:,.0f} discretion computations/s < {DISCRETION_TARGET_PER_S:,.0f}"
        )
    if list_p95 > LIST_P95_TARGET_MS:
        worst = max(required, key=lambda v: v.p95)
        failures.append(f"list p95 {list_p95:.1f} ms > {LIST_P95_TARGET_MS:.0f} ms ({worst.key})")
    if len(all_queries) != 1:
        failures.append(
            "SQL queries per list request vary: "
            + ", ".join(f"{v.key} {v.queries}" for v in variants)
        )
    empty = [v.key for v in variants if v.rows == 0]
    if empty:
        failures.append(f"variants with an empty page: {', '.join(empty)}")
    failures += concurrency.problems()

    figures: dict[str, object] = {
        "discretion_per_s": f"{discretion_run.per_s:.0f}",
        "list_p95_ms": f"{list_p95:.1f}",
        "concurrent_winners": ",".join(str(r.winners) for r in concurrency.rounds) or "-",
    }
    line = bench.last_line(NAME, figures)
    report = _report(
        machine=machine,
        sqlite_version=sqlite3.sqlite_version,
        demo_agencies=demo.agencies,
        officers=officers,
        enterprises=ENTERPRISES,
        discretion_run=discretion_run,
        facts=facts,
        setup_seconds=setup_seconds,
        variants=variants,
        plans=plans,
        concurrency=concurrency,
        failures=failures,
        elapsed=time.perf_counter() - started,
        line=line,
    )
    if QUICK:
        print(report)
    else:
        bench.append_report(NAME, report)
        say(f"report appended to {bench.DOCS.relative_to(bench.ROOT)}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}", file=sys.stderr, flush=True)
    print(line, flush=True)
    return 1 if failures else 0


def _report(
    *,
    machine: dict[str, str],
    sqlite_version: str,
    demo_agencies: int,
    officers: int,
    enterprises: int,
    discretion_run: DiscretionRun,
    facts: CaseFacts,
    setup_seconds: float,
    variants: list[Variant],
    plans: dict[str, dict[str, str]],
    concurrency: ConcurrencyRun,
    failures: list[str],
    elapsed: float,
    line: str,
) -> str:
    out = io.StringIO()
    w = out.write
    d = discretion_run
    w(
        f"Machine: {machine['cpus']} CPUs, {machine['memory']} RAM, {machine['os']}; Python "
        f"{machine['python']}; SQLite {sqlite_version} (WAL, synchronous NORMAL, a file in a "
        "temporary directory, SQLite's default page cache of 2 MB; no ANALYZE, as the "
        f"application runs it); PostgreSQL {concurrency.server or '?'} "
        f"({concurrency.isolation or '?'}, as configured). Run time {elapsed:.0f} s, of which "
        f"setup {setup_seconds:.0f} s on SQLite and {concurrency.setup_seconds:.0f} s on "
        "PostgreSQL (not measured).\n\n"
    )
    raising = sum(d.raising.values())
    w(
        f"**Discretion.** {d.provisions} provisions ("
        + ", ".join(f"{m} {n}" for m, n in d.methods.most_common())
        + f"), the benchmark {d.benchmark}; {FACT_SETS:,} random sets of circumstances paired "
        f"with the provisions in turn: {d.pairs:,} pairs recommend, {raising} raise "
        "`DiscretionError` (a needed fact left out on purpose: "
        + (", ".join(f"{m} {n}" for m, n in d.raising.most_common()) or "none")
        + ") and are left out. Outcomes of the pairs: "
        + ", ".join(f"{t} {n:,}" for t, n in d.tiers.most_common())
        + ".\n\n"
        "| What | Calls | Per second | Median / p95 ms per call | Load average |\n"
        "|---|---|---|---|---|\n"
        f"| **`discretion.recommend`** (the engine alone; discretion_per_s) | {d.calls:,} | "
        f"**{d.per_s:,.0f}** (rounds of {d.calls // ENGINE_ROUNDS:,}: "
        f"{min(d.round_rates):,.0f}–{max(d.round_rates):,.0f}) | "
        f"{1000 / d.per_s:.3f} (mean) | {d.load[0]:.1f}–{d.load[1]:.1f} |\n"
        f"| `services.discretion_compute` (provision in force, facts parsed, benchmark and "
        f"overrides read, the engine; "
        + "/".join(str(q) for q in sorted(d.compute_queries))
        + f" SQL queries per call) | {len(d.compute_ms):,} | {d.compute_per_s:,.0f} | "
        f"{bench.median(d.compute_ms):.2f} / {bench.p95(d.compute_ms):.2f} | – |\n\n"
    )
    counts = ", ".join(f"{s} {n:,}" for s, n in facts.by_state.most_common())
    w(
        f"**Data.** The demo organisation ({demo_agencies} agencies), {officers} certified "
        f"officers on the case teams of the bureaus (the demo's and generated ones), "
        f"{enterprises:,} enterprises, **{facts.cases:,} cases** over the last "
        f"{HISTORY_DAYS // 365} years ({facts.simple:,} simple procedure, {facts.persons:,} "
        f"against a person), generated in **{facts.seconds:.0f} s** (executemany in one "
        f"transaction, of which {facts.index_seconds:.0f} s building the secondary indexes "
        f"after the load); database {facts.db_bytes / 1e9:.2f} GB. States: {counts}.\n\n"
        "| User | Scope | Cases | executing | open | mine |\n|---|---|---|---|---|---|\n"
    )
    for username, n in facts.scope.items():
        w(
            f"| {username} | {n['prefix']} | {n['all']:,} | {n['executing']:,} | "
            f"{n['open']:,} | {n['mine']:,} |\n"
        )
    w(
        f"\n**Case list** (`GET /api/v1/cases/`): wall time of the request in "
        f"django.test.Client with a session login, page size 50, {SAMPLES} requests per "
        f"variant after {WARMUP} warm-up requests. COUNT and page query times are medians of "
        f"{DIAGNOSTIC_SAMPLES} further requests timed query by query.\n\n"
        "| Variant | Median ms | p95 ms | count | COUNT query ms | Page query ms | Other "
        "queries ms | Queries per request (page: n) | Load average |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    for v in variants:
        q = v.query_ms
        other = q.get("session, user, scope", [])
        per_request = sum(other) / DIAGNOSTIC_SAMPLES if other else 0.0
        w(
            f"| {v.label} | {v.median:.1f} | **{v.p95:.1f}** | {v.count:,} | "
            f"{bench.median(q.get('count', [0])):.1f} | {bench.median(q.get('page', [0])):.1f} | "
            f"{per_request:.1f} | "
            f"{', '.join(f'{p}: {n}' for p, n in sorted(v.queries.items()))} | "
            f"{v.load[0]:.1f}–{v.load[1]:.1f} |\n"
        )
    required = [v for v in variants if v.required]
    pooled = [t for v in required for t in v.timings_ms]
    w(
        f"\nThe {len(required)} required variants pooled ({len(pooled)} requests): median "
        f"{bench.median(pooled):.1f} ms, p95 {bench.p95(pooled):.1f} ms. list_p95_ms is the "
        "largest p95 of the required variants (not of the informational `state=open`).\n\n"
        "Query plans (SQLite `EXPLAIN QUERY PLAN`):\n\n"
    )
    for label, plan in plans.items():
        for kind in ("count", "page"):
            if kind in plan:
                w(f"- {label}, {'COUNT' if kind == 'count' else 'page'} query: `{plan[kind]}`\n")
    c = concurrency
    w("\n**Concurrency** (PostgreSQL): ")
    if c.error:
        w(f"**failed**: {c.error}\n")
    else:
        ref = c.reference
        w(
            f"the 650102 bureau's {c.proposer} proposes each case with {c.colleague}; "
            f"{THREADS} threads, each with its own connection, released together by a barrier, "
            f"call `services.filing_approve(actor={c.head}, ...)`. One uncontended approval "
            f"(first, on a case of its own) took {ref.winner_ms if ref else 0:.0f} ms and "
            f"raised the version from {ref.version_before if ref else 0} to "
            f"{ref.version_after if ref else 0} (the transition, then the number and filing "
            "date saved with another version step).\n\n"
            "| Round | expected_version | Winners | Losers | Version | Events / deadlines / "
            "documents | Wall ms | Winner ms | Losers ms (max) |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
        )
        for r in c.rounds:
            losers = ", ".join(f"{k} {n}" for k, n in sorted(r.losers.items())) or "–"
            w(
                f"| {r.n} | {'yes' if r.expected_version else 'no (None)'} | **{r.winners}** | "
                f"{losers} | {r.version_before} → {r.version_after} | {r.events} / "
                f"{r.deadlines} / {r.documents} | {r.wall_ms:.0f} | {r.winner_ms:.0f} | "
                f"{max(r.loser_ms, default=0):.0f} |\n"
            )
        problems = c.problems()
        w(
            f"\nHard checks (every round: exactly one winner, losers only "
            "`ConcurrentModification` with the version and `IllegalTransition` without, the "
            "version raised by one approval, the case `investigating`, one "
            "`cases.case_state_changed` event, one decision-limit deadline, one filing "
            f"approval, the chain of the county verifies; all {c.chains_verified} record chains "
            "verified at the end): "
            + ("all passed" if not problems else "**FAILED**: " + "; ".join(problems))
            + ".\n"
        )
    if failures:
        w("\n**Targets missed:** " + "; ".join(failures) + ".\n")
    else:
        w(
            f"\nAll targets met (>= {DISCRETION_TARGET_PER_S:,.0f} discretion computations/s; "
            f"list p95 <= {LIST_P95_TARGET_MS:.0f} ms with a constant number of queries per "
            "request; exactly one winner in every round).\n"
        )
    w(f"\n```\n{line}\n```\n")
    return out.getvalue()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "concurrency-child":
        concurrency_child()
    else:
        sys.exit(main())
