"""Oversight: the upper-level dashboard of a province and the missed-detection report.

Setup (not measured), in a fresh SQLite database in a temporary directory, migrated:

- the demo organisation without enterprises (``org.demo.load_demo(enterprises=0)``), two
  generated officers per bureau with certificates (the inspections benchmark's
  ``add_officers``);
- 100,000 enterprises and about 430,000 past inspections over three years with 2,000,000
  findings (the inspections benchmark's generator, ``add_findings``: the jurisdiction of the
  inspecting bureau, about 10 % still open, most of those overdue);
- upper-level inspections: of the inspections of units a county supervises, 6 % are made
  over to the unit's prefecture bureau and 2 % to the province's (the inspection and its
  findings take that bureau's jurisdiction), so that the missed-detection rule has upper
  findings to examine;
- 500,000 penalty cases of the province's bureaus (executemany): 94 % decided, with their
  decision deadline met, and a payment deadline (met for 90 % of them); 6 % still open
  with a running decision deadline (行政处罚法 Art. 60, 90 days) spread from 80 days ago to
  90 days ahead, so that some are overdue and some near their limit;
- a 2026 plan per county bureau (approved), one planned unit per supervised key enterprise
  (30 % of the units) with one or two visits; 60 % of the visits done (a closed 2026
  inspection of the unit linked to the visit).

Measured:

1. The dashboard (``oversight.selectors.dashboard``) for a province user (scope 65): its
   prefectures, with plans executed, hazards overdue, cases near their limits and overdue,
   transfers pending; also a prefecture (6501) drilled into. Median and p95 of SAMPLES
   calls after WARMUP; and the page ``GET /oversight/`` through the test client (p95).
   dashboard_p95_ms is the largest p95 of the selector variants and the page.
2. The missed-detection report (``oversight.selectors.missed_detection``) over the last
   year for the province user with the default 90-day window: seconds, once (and the
   number of rows and pairs it found).

Targets: dashboard_p95_ms <= 300; missed_detection_s <= 60.
``BENCH_QUICK=1``: 5,000 enterprises, 50,000 findings, 20,000 cases, 10 samples; the report
printed, not appended.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import tempfile
import time
from collections import defaultdict
from typing import Any

import bench
from bench import bench_inspections as bi

NAME = "oversight"
SUMMARY = (
    "the upper-level dashboard of a province (2,000,000 findings, 500,000 cases) p95 ms, "
    "and the missed-detection report over a year (s)"
)
QUICK = bi.QUICK
CASES = 20_000 if QUICK else 500_000
SAMPLES = 10 if QUICK else 60
WARMUP = 2 if QUICK else 5
DASHBOARD_TARGET_MS = 300.0
MISSED_TARGET_S = 60.0
SEED = 20261130
OPEN_SHARE = 0.06
BATCH = 20_000


def say_from(started: float) -> Any:
    return bi.say_from(started)


def make_upper(say: Any) -> int:
    """Give 8 % of the inspections of county-supervised units to the prefecture (6 %) or
    the province (2 %) bureau above the unit."""
    from django.db import connection, transaction

    from inspectorate.org.models import Agency, AgencyKind

    bureau = dict(
        Agency.objects.filter(kind=AgencyKind.BUREAU).values_list("jurisdiction_id", "pk")
    )
    rng = random.Random(SEED + 7)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, jurisdiction_code FROM inspections_inspection "
            "WHERE substr(jurisdiction_code, 5, 2) <> '00'"
        )
        rows = cur.fetchall()
    updates = []
    for pk, code in rows:
        r = rng.random()
        if r < 0.06:
            upper = code[:4] + "00"
        elif r < 0.08:
            upper = code[:2] + "0000"
        else:
            continue
        if upper in bureau:
            updates.append((bureau[upper], upper, pk))
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            "UPDATE inspections_inspection SET agency_id = %s, jurisdiction_code = %s "
            "WHERE id = %s",
            updates,
        )
        cur.executemany(
            "UPDATE inspections_finding SET jurisdiction_code = %s WHERE inspection_id = %s",
            [(code, pk) for _agency, code, pk in updates],
        )
    say(f"upper-level inspections: {len(updates):,}")
    return len(updates)


CASE_COLUMNS = [
    "uuid",
    "number",
    "agency_id",
    "jurisdiction_code",
    "procedure",
    "source",
    "source_reference",
    "enterprise_id",
    "party_kind",
    "party_name",
    "party_id_number",
    "party_position",
    "party_address",
    "summary",
    "facts",
    "act_date",
    "discovered_on",
    "endangered_life",
    "complex_case",
    "state",
    "outcome",
    "filed_by_id",
    "applied_on",
    "filed_on",
    "investigator_1_id",
    "investigator_2_id",
    "certificate_1",
    "certificate_2",
    "report",
    "hearing_right",
    "legal_review_required",
    "discussion_required",
    "other_penalties",
    "version",
]
DEADLINE_COLUMNS = [
    "subject_type",
    "subject_id",
    "jurisdiction_code",
    "kind",
    "legal_basis",
    "day_count",
    "days",
    "start_date",
    "due_date",
    "provisional",
    "met_at",
    "created_at",
]


def add_cases(units: list[Any], officers: dict[str, Any], today: dt.date, say: Any) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from inspectorate.cases import rules
    from inspectorate.cases.models import Case
    from inspectorate.core.models import Deadline
    from inspectorate.org.models import Agency

    rng = random.Random(SEED + 11)
    agency_code = dict(Agency.objects.values_list("pk", "jurisdiction_id"))
    case_sql = bi._insert_sql(Case, ["id", *CASE_COLUMNS])
    deadline_sql = bi._insert_sql(Deadline, DEADLINE_COLUMNS)
    now = timezone.now()
    start_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    uuid_base = rng.getrandbits(64) << 64
    facts = {"open": 0, "deadlines": 0}
    with transaction.atomic(), connection.cursor() as cur:
        for start in range(0, CASES, BATCH):
            cases, deadlines = [], []
            for n in range(start, min(start + BATCH, CASES)):
                pk = start_id + n
                unit = rng.choice(units)
                code = agency_code[unit.agency_id]
                lead, second = officers[code]
                is_open = rng.random() < OPEN_SHARE
                if is_open:
                    due = today + dt.timedelta(days=rng.randrange(-80, 90))
                    state = rng.choice(["investigating", "reviewing", "notified", "deciding"])
                else:
                    due = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
                    state = rng.choice(["closed", "archived", "executing"])
                filed = due - dt.timedelta(days=90)
                cases.append(
                    (
                        pk,
                        f"{uuid_base | pk:032x}",
                        "",
                        unit.agency_id,
                        code,
                        "general",
                        "inspection",
                        "",
                        unit.pk,
                        "unit",
                        "生产经营单位",
                        "",
                        "",
                        "",
                        "未如实记录事故隐患排查治理情况",
                        "经查属实。",
                        filed.isoformat(),
                        filed.isoformat(),
                        False,
                        False,
                        state,
                        "" if is_open else "penalty",
                        lead.pk,
                        filed.isoformat(),
                        filed.isoformat(),
                        lead.pk,
                        second.pk,
                        lead.certificate,
                        second.certificate,
                        "",
                        False,
                        False,
                        False,
                        "",
                        1,
                    )
                )
                basis = rules.LEGAL_BASIS[rules.DECISION]
                deadlines.append(
                    (
                        "cases.case",
                        str(pk),
                        code,
                        rules.DECISION,
                        basis,
                        "calendar",
                        90,
                        filed.isoformat(),
                        due.isoformat(),
                        False,
                        None if is_open else now,
                        now,
                    )
                )
                if not is_open:
                    pay_due = due + dt.timedelta(days=22)
                    deadlines.append(
                        (
                            "cases.case",
                            str(pk),
                            code,
                            rules.PAYMENT,
                            rules.LEGAL_BASIS[rules.PAYMENT],
                            "calendar",
                            15,
                            (pay_due - dt.timedelta(days=15)).isoformat(),
                            pay_due.isoformat(),
                            False,
                            now if rng.random() < 0.9 else None,
                            now,
                        )
                    )
                facts["open"] += is_open
            cur.executemany(case_sql, cases)
            cur.executemany(deadline_sql, deadlines)
            facts["deadlines"] += len(deadlines)
    say(f"cases: {CASES:,} ({facts['open']:,} open), deadlines {facts['deadlines']:,}")
    return facts


def add_plans(units: list[Any], today: dt.date, say: Any) -> dict:
    from django.db import connection, transaction

    from inspectorate.org.models import Agency, User
    from inspectorate.planning.models import Plan, PlannedUnit, PlannedVisit

    rng = random.Random(SEED + 13)
    creator = User.objects.filter(agency__isnull=False).order_by("pk").first()
    assert creator is not None  # noqa: S101
    by_agency: dict[int, list[Any]] = defaultdict(list)
    for u in units:
        by_agency[u.agency_id].append(u)
    counties = {
        a.pk
        for a in Agency.objects.filter(pk__in=list(by_agency))
        if not a.jurisdiction_id.endswith("00")
    }
    year_start = dt.datetime(today.year, 1, 1, tzinfo=dt.UTC)
    inspected: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, enterprise_id FROM inspections_inspection WHERE started_at >= %s "
            "AND state = 'closed'",
            [year_start],
        )
        for pk, enterprise_id in cur.fetchall():
            inspected[enterprise_id].append(pk)
    visits_n = done_n = 0
    with transaction.atomic(), connection.cursor() as cur:
        for agency_id in sorted(counties):
            plan = Plan.objects.create(
                agency_id=agency_id, year=today.year, state="approved", created_by=creator
            )
            chosen = [u for u in by_agency[agency_id] if rng.random() < 0.3]
            planned_units = PlannedUnit.objects.bulk_create(
                PlannedUnit(
                    plan=plan,
                    enterprise_id=u.pk,
                    origin="key",
                    risk=rng.randrange(1, 100),
                    visits=rng.choice([1, 2]),
                    cost=2,
                )
                for u in chosen
            )
            visits = []
            for pu in planned_units:
                for s in range(1, pu.visits + 1):
                    m = rng.randrange(1, 13)
                    visits.append(
                        PlannedVisit(
                            unit=pu, plan=plan, sequence=s, month_from=m, month_to=m, effort=2
                        )
                    )
            visits = PlannedVisit.objects.bulk_create(visits, batch_size=5000)
            links = []
            for v, pu in ((v, v.unit) for v in visits):
                pool = inspected.get(pu.enterprise_id)
                if pool and rng.random() < 0.6:
                    links.append((v.pk, pool.pop()))
            cur.executemany(
                "UPDATE inspections_inspection SET planned_visit_id = %s WHERE id = %s", links
            )
            visits_n += len(visits)
            done_n += len(links)
    say(f"plans: {len(counties)} county plans, {visits_n:,} visits, {done_n:,} done")
    return {"plans": len(counties), "visits": visits_n, "done": done_n}


def main() -> int:
    started = time.perf_counter()
    machine = bench.machine()
    with tempfile.TemporaryDirectory(prefix="inspectorate-bench-") as var_dir:
        from bench.bench_registry import setup_django

        setup_django(f"sqlite:///{var_dir}/bench.sqlite3", var_dir)
        return run(machine, started, var_dir)


def _timed(fn: Any, n: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def run(machine: dict[str, str], started: float, var_dir: str) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.bench_registry import World
    from inspectorate.inspections.models import Finding
    from inspectorate.org.demo import load_demo
    from inspectorate.org.models import User
    from inspectorate.org.roles import Role
    from inspectorate.oversight import selectors

    say = say_from(started)
    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    load_demo(enterprises=0)
    world = World.load()
    officers = bi.add_officers(today)
    units = bi.add_enterprises(world)
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -1000000")
    facts = bi.add_findings(units, officers, today, say)
    say(f"findings: {facts.findings:,} on {facts.inspections:,} inspections")
    upper = make_upper(say)
    case_facts = add_cases(units, officers, today, say)
    plan_facts = add_plans(units, today, say)
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -2000")
        cur.execute("ANALYZE")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    del units
    gc.collect()
    setup_s = time.perf_counter() - started
    db_bytes = sum(
        os.path.getsize(os.path.join(var_dir, f))
        for f in os.listdir(var_dir)
        if f.startswith("bench.sqlite3")
    )
    say(f"setup {setup_s:.0f} s, database {db_bytes / 1e9:.2f} GB")

    province = User.objects.filter(agency__jurisdiction_id="650000", is_active=True).first()
    assert province is not None  # noqa: S101
    if not province.has_role(Role.SUPERVISOR):
        province.roles.create(role=Role.SUPERVISOR)
    province = User.objects.get(pk=province.pk)
    board = selectors.dashboard(user=province, today=today)
    total = board.total
    say(
        f"dashboard rows {len(board.rows)}; planned {total.planned:,} done {total.done:,}; "
        f"hazards overdue {total.hazards_overdue:,}; cases near {total.cases_near:,} "
        f"overdue {total.cases_overdue:,}; transfers {total.transfers_pending}"
    )
    variants = {
        "province (65)": lambda: selectors.dashboard(user=province, today=today),
        "prefecture 6501 drilled into": lambda: selectors.dashboard(
            user=province, code="650100", today=today
        ),
    }
    results: dict[str, list[float]] = {}
    for label, fn in variants.items():
        results[label] = _timed(fn, SAMPLES, WARMUP)
        say(
            f"dashboard {label}: median {bench.median(results[label]):.1f} ms, "
            f"p95 {bench.p95(results[label]):.1f} ms"
        )
    client = Client()
    client.force_login(province)

    def page() -> None:
        response = client.get("/oversight/")
        if response.status_code != 200:
            raise RuntimeError(f"GET /oversight/ answered {response.status_code}")

    results["page GET /oversight/"] = _timed(page, SAMPLES, WARMUP)
    say(
        f"page: median {bench.median(results['page GET /oversight/']):.1f} ms, "
        f"p95 {bench.p95(results['page GET /oversight/']):.1f} ms"
    )
    dashboard_p95 = max(bench.p95(v) for v in results.values())

    t = time.perf_counter()
    rows = selectors.missed_detection(
        user=province, start=today - dt.timedelta(days=365), end=today
    )
    missed_s = time.perf_counter() - t
    pairs = sum(len(r.misses) for r in rows)
    upper_findings = Finding.objects.filter(
        jurisdiction_code__in=["650000", *[f"65{p:02d}00" for p in range(1, 100)]],
        found_on__gte=today - dt.timedelta(days=365),
    ).count()
    say(
        f"missed detection over a year: {missed_s:.1f} s; {len(rows)} offices, {pairs:,} "
        f"pairs; findings by province/prefecture bureaus in the year {upper_findings:,}"
    )
    ok = dashboard_p95 <= DASHBOARD_TARGET_MS and missed_s <= MISSED_TARGET_S
    figures = {
        "dashboard_p95_ms": f"{dashboard_p95:.1f}",
        "missed_detection_s": f"{missed_s:.1f}",
    }
    body = "\n".join(
        [
            f"Machine: {machine['cpus']}, {machine['memory']}, {machine['os']}, Python "
            f"{machine['python']}; load average {os.getloadavg()[0]:.2f}. SQLite.",
            "",
            f"Data: {facts.findings:,} findings on {facts.inspections:,} inspections "
            f"({upper:,} of them made over to a prefecture or the province bureau); "
            f"{CASES:,} cases ({case_facts['open']:,} open), {case_facts['deadlines']:,} "
            f"deadlines; {plan_facts['plans']} county plans with {plan_facts['visits']:,} "
            f"visits ({plan_facts['done']:,} done); setup {setup_s:.0f} s, database "
            f"{db_bytes / 1e9:.2f} GB.",
            "",
            "| dashboard | median ms | p95 ms |",
            "|---|---|---|",
            *[f"| {k} | {bench.median(v):.1f} | {bench.p95(v):.1f} |" for k, v in results.items()],
            "",
            f"Missed detection over the last year (90-day window), province user: "
            f"**{missed_s:.1f} s**, {len(rows)} offices, {pairs:,} (finding, inspection) "
            f"pairs, out of {upper_findings:,} findings by province or prefecture bureaus.",
            "",
            f"Targets: dashboard p95 ≤ {DASHBOARD_TARGET_MS:.0f} ms, report ≤ "
            f"{MISSED_TARGET_S:.0f} s: **{'met' if ok else 'MISSED'}**.",
        ]
    )
    if not QUICK:
        bench.append_report("oversight", body)
    else:
        print(body)
    print(bench.last_line(NAME, figures))
    return 0 if ok else 1
