"""Inspections: saving an inspection, the open-hazards list over 2,000,000 findings, documents.

Setup (not measured), in a fresh SQLite database in a temporary directory (the database
of ``make run``, as in the planning benchmark), migrated (the jurisdictions of China and
the default checklists come with the migrations):

- the demo organisation without enterprises (``org.demo.load_demo(enterprises=0)``);
- two generated officers for every bureau of the province (the officer role, the first
  also team lead), each with an enforcement certificate valid today for every sector;
- 100,000 generated enterprises (the registry benchmark's generator), supervised by their
  county's bureau, a few by the prefecture's or the province's;
- about 430,000 past inspections over the last three years (none to twelve findings
  each, 4.65 on average), and 2,000,000 findings on them, inserted by ``executemany`` in
  one transaction (the findings' secondary indexes dropped for the load and built again):
  the jurisdiction of the inspecting bureau, 3 % major accident hazards (each naming its
  official criterion), about 10 % still open with due dates around today (about 60 % of
  them overdue, the rest not yet due), the others rectified or corrected on the spot.
  The historic findings hang on no answer row (``answer_id`` NULL): 50 answer
  rows per past inspection would be another 21 million rows that nothing here reads.
- a checklist version of 50 items (copied from the loaded checklists: the general one,
  then the major-hazard criteria of chemicals, industry and trade, and mines).

Measured:

1. Save. ``SAVES`` times: an officer of the 天山区 bureau starts an inspection of a unit
   with the 50-item checklist (``POST /api/v1/inspections/``, reported, no target), then
   sends every answer in one ``POST /api/v1/inspections/<id>/sync/`` (42 compliant, 3 not
   applicable with a reason, 5 findings with their 5 new findings in the same request,
   one on a major-hazard item), then 10 photos, two per finding, each one
   ``POST /api/v1/findings/<id>/evidence/`` (distinct JPEGs of 200-500 KB made with Pillow,
   half with EXIF DateTimeOriginal and GPS, a quarter with the time only, the rest with the
   device's position in the form). Every write carries an ``Idempotency-Key``. Bodies are
   encoded before the clock starts; the time is the wall time of ``django.test.Client``
   with a session login (middleware, authentication, DRF, the service, the enforcement
   record, the idempotency record, the JSON answer). save_ms is the p95 of the sync
   request; the start and each photo upload are reported separately. Afterwards the first
   sync and one photo are sent again with the same keys: the rows of every table involved
   must not change (hard check). SQL queries per request are counted on one extra save.
2. Open hazards (``GET /api/v1/hazards/``): a province user (scope 65) and a county user
   (650102): the first page, ``grade=major``, ``overdue=1``, and for the province a
   prefecture (``jurisdiction=6501``) and pages 2-5; median and p95 of 60 requests each
   after 5 warm-up requests; the SQL queries per request must be the same for every
   variant and page. The time of the summary query and of the page query (measured apart,
   on 10 more requests) and SQLite's query plans are reported.
3. Documents. For ``DOCUMENTS`` of the saved inspections (signed, ended), one 现场检查记录
   (``inspections.documents.inspection_record_content``) and one 责令限期整改指令书 for its
   findings (``rectification.documents.order_content``; the order and its lines are set up
   beforehand) through ``core.documents.document_issue``, each in its own transaction:
   numbering, PDF (WeasyPrint) and DOCX (docxtpl), storing both files, the record event.
   One document is issued first to warm up (fonts loaded); docs_per_s is documents per
   second over the others. Whether ``libharfbuzz-subset0`` is installed is reported:
   WeasyPrint's font subsetting is about 40 times slower without it.

Targets: save_ms <= 300; hazards_p95_ms (the largest p95 of the variants) <= 150;
docs_per_s >= 5; replays change nothing; queries per hazards request constant.
``BENCH_QUICK=1``: 5,000 enterprises, 50,000 findings, 3 saves, 10 requests per variant, 3
documents of each kind; the report printed, not appended. ``BENCH_PROFILE=<file>`` writes a
cProfile of the timed sync requests. ``BENCH_GC_FREEZE=1`` calls ``gc.freeze()`` after the
first (untimed) save, as a server could after warming up a worker (the application does
not): the time each sync spends in Python's garbage collection is reported either way.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import cProfile
import ctypes.util
import datetime as dt
import functools
import gc
import io
import os
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import bench

NAME = "inspections"
SUMMARY = (
    "SQLite (a file in a temporary directory, like `make run`'s database). With 100,000 "
    "enterprises, about 430,000 past inspections and 2,000,000 findings generated, times "
    "saving an inspection through the API (one sync request with 50 answers and 5 new "
    "findings, then 10 photo uploads of 200-500 KB, each with an Idempotency-Key; replays "
    "must change nothing), the open-hazards list for a province user and a county user "
    "(first page and filters, median and p95 of 60 requests each, SQL queries per request "
    "constant), and issuing inspection records and rectification orders (PDF + DOCX) through "
    "`document_issue`. Targets: sync p95 <= 300 ms; hazards p95 <= 150 ms; >= 5 documents/s."
)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")  # a smoke run: small, no report
# gc.freeze() after the first (untimed) save, as a server may do after warming up a worker
GC_FREEZE = os.environ.get("BENCH_GC_FREEZE", "") not in ("", "0")
ENTERPRISES = 5_000 if QUICK else 100_000
FINDINGS = 50_000 if QUICK else 2_000_000
SAVES = 3 if QUICK else 40
DOCUMENTS = 3 if QUICK else 20  # of each kind
SAMPLES = 10 if QUICK else 60
WARMUP = 2 if QUICK else 5
DIAGNOSTIC_SAMPLES = 3 if QUICK else 10
SAVE_TARGET_MS = 300.0
HAZARDS_P95_TARGET_MS = 150.0
DOCS_TARGET_PER_S = 5.0
SEED = 20261130
HISTORY_DAYS = 3 * 365
BATCH = 20_000  # inspections per executemany batch (with their findings)
ITEMS = 50
FINDING_ANSWERS = 5  # findings per saved inspection (one on a major-hazard item)
NA_ANSWERS = 3
PHOTOS_PER_FINDING = 2
PROVINCE_USER = "prov_officer"
COUNTY_USER = "county_officer"
COUNTY = "650102"
BOUNDARY = "BenchInspectionsBoundary7MA4YWxkTrZu0gW"

# findings per past inspection: 0..12, 4.65 on average
FINDINGS_PER_INSPECTION = list(range(13))
FINDINGS_PER_INSPECTION_WEIGHTS = [6, 10, 12, 13, 12, 11, 9, 8, 6, 5, 4, 2, 2]
MAJOR_SHARE = 0.03
# the rectification period in calendar days (about 10 to 60 working days) and its weight
GENERAL_PERIODS = ([14, 30, 60, 90], [30, 30, 25, 15])
MAJOR_PERIODS = ([42, 90, 180], [30, 40, 30])

# What officers write, with the article it breaks (general hazards) ...
GENERAL_PROBLEMS = [
    ("消防通道被成品货物堵塞，宽度不足1米", "《安全生产法》第四十二条"),
    ("安全出口锁闭，疏散指示标志损坏", "《安全生产法》第四十二条"),
    ("员工宿舍设在生产车间内，与车间未有效分隔", "《安全生产法》第四十二条"),
    ("配电箱未设置安全警示标志，箱门未上锁", "《安全生产法》第三十五条"),
    ("有限空间入口未设置安全警示标志", "《安全生产法》第三十五条"),
    ("压力表超过检定有效期，未定期检测", "《安全生产法》第三十六条第一款、第二款"),
    ("可燃气体报警器处于关闭状态", "《安全生产法》第三十六条第三款"),
    ("作业人员未佩戴安全帽和防护眼镜", "《安全生产法》第四十五条"),
    ("未为打磨岗位配发合格的防尘口罩", "《安全生产法》第四十五条"),
    ("未建立隐患排查治理台账，排查记录不全", "《安全生产法》第四十一条第二款"),
    ("安全风险辨识不全，未建立风险分级管控清单", "《安全生产法》第四十一条第一款"),
    ("新入职员工未经三级安全教育即上岗作业", "《安全生产法》第二十八条"),
    ("安全培训档案缺少考核结果记录", "《安全生产法》第二十八条"),
    ("电焊作业人员未取得特种作业操作证", "《安全生产法》第三十条"),
    ("动火作业未办理审批手续，现场无监护人员", "《安全生产法》第四十三条"),
    ("临时用电线路私拉乱接，未使用漏电保护器", "《安全生产法》第四十三条"),
    ("应急救援预案未按规定组织演练", "《安全生产法》第八十一条"),
    ("与承租单位未签订安全生产管理协议", "《安全生产法》第四十九条"),
    ("未设置安全生产管理机构或配备专职安全生产管理人员", "《安全生产法》第二十四条"),
    ("全员安全生产责任制未明确考核标准", "《安全生产法》第二十二条"),
    ("砂轮机防护罩缺失", "《安全生产法》第三十六条第一款、第二款"),
    ("叉车超期未检验仍在使用", "《安全生产法》第三十六条第一款、第二款"),
]
# ... and major accident hazards, with the official criterion they meet.
MAJOR_PROBLEMS = [
    (
        "涉及重点监管危险化工工艺的装置未实现自动化控制",
        "安监总管三〔2017〕121号",
        "121号 化工第（四）项",
    ),
    ("液化烃储罐区未设置紧急切断装置", "安监总管三〔2017〕121号", "121号 化工第（五）项"),
    ("爆炸危险场所未使用防爆电气设备", "安监总管三〔2017〕121号", "121号 化工第（十二）项"),
    (
        "粉尘爆炸危险场所设置在多层建筑物内并设有员工休息室",
        "《工贸企业重大事故隐患判定标准》专项类（粉尘爆炸）",
        "部令第10号 专项类·粉尘爆炸",
    ),
    (
        "有限空间作业未履行审批，未先通风检测",
        "《工贸企业重大事故隐患判定标准》专项类（有限空间）",
        "部令第10号 专项类·有限空间",
    ),
    (
        "特种作业人员未持证上岗作业",
        "《工贸企业重大事故隐患判定标准》第三条",
        "部令第10号 第三条第（二）项",
    ),
]
LOCATIONS = [
    "一号车间",
    "二号车间",
    "成品仓库",
    "原料库",
    "配电室",
    "锅炉房",
    "装卸区",
    "罐区",
    "办公楼一层",
    "员工宿舍",
    "维修间",
    "空压机房",
    "污水处理站",
    "厂区东门",
]
NA_REASON = "本单位无此类场所或作业"
ORIGINS = (
    ["planned", "complaint", "campaign", "accident", "other"],
    [70, 10, 15, 2, 3],
)
ORIGIN_NOTES = {
    "complaint": "群众举报（12350）",
    "campaign": "安全生产专项整治行动",
    "accident": "一般生产安全事故调查",
    "other": "上级交办",
}
HANDLING = "现场责令企业对检查发现的问题立即组织整改，对不能立即整改的问题下达责令限期整改指令书。"


def say_from(started: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    return say


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Callable[[], Any]:
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def pick() -> Any:
        return items[bisect.bisect_right(cumulative, rng.random() * total)]

    return pick


def _insert_sql(model: Any, columns: list[str]) -> str:
    from django.db import connection

    quote = connection.ops.quote_name
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )


# --- setup: the organisation ---------------------------------------------------------------


@dataclass
class Officer:
    pk: int
    certificate: str


def add_officers(today: dt.date) -> dict[str, tuple[Officer, Officer]]:
    """Two officers with a certificate valid today for every sector, per bureau; returns
    jurisdiction code -> (lead, second)."""
    from django.db import transaction

    from inspectorate.org.demo import GIVEN, SURNAMES
    from inspectorate.org.models import Agency, AgencyKind, Certificate, RoleAssignment, User
    from inspectorate.org.roles import Role
    from inspectorate.registry.models import Sector

    rng = random.Random(SEED + 1)
    password = User.objects.filter(username="prov_lead").values_list("password", flat=True)[0]
    bureaus = list(Agency.objects.filter(kind=AgencyKind.BUREAU).order_by("jurisdiction_id"))
    sectors = list(Sector.objects.values_list("code", flat=True))
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"bench_{b.jurisdiction_id}_{n}",
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                agency=b,
                password=password,
            )
            for b in bureaus
            for n in (1, 2)
        )
        if users[0].pk is None:
            ids = dict(
                User.objects.filter(username__startswith="bench_").values_list("username", "pk")
            )
            for u in users:
                u.pk = ids[u.username]
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=u.pk, role=Role.OFFICER) for u in users]
            + [
                RoleAssignment(user_id=u.pk, role=Role.TEAM_LEAD)
                for u in users
                if u.username.endswith("_1")
            ]
        )
        valid_from = today - dt.timedelta(days=400)
        certificates = Certificate.objects.bulk_create(
            Certificate(
                officer_id=u.pk,
                number=f"BI{u.agency.jurisdiction_id}{n:05d}",
                issuing_authority="新疆维吾尔自治区人民政府",
                valid_from=valid_from,
                valid_until=valid_from + dt.timedelta(days=3 * 365 - 1),
            )
            for n, u in enumerate(users, start=1)
        )
        if certificates[0].pk is None:
            ids = dict(
                Certificate.objects.filter(number__startswith="BI").values_list("number", "pk")
            )
            for c in certificates:
                c.pk = ids[c.number]
        through = Certificate.sectors.through
        through.objects.bulk_create(
            through(certificate_id=c.pk, sector_id=s) for c in certificates for s in sectors
        )
    officers: dict[str, list[Officer]] = collections.defaultdict(list)
    for u, c in zip(users, certificates, strict=True):
        officers[u.agency.jurisdiction_id].append(Officer(u.pk, c.number))
    return {code: (pair[0], pair[1]) for code, pair in officers.items()}


@dataclass
class Unit:
    pk: int
    county: str
    agency_id: int
    address: str
    head: str


def insert_enterprises(world: Any, count: int, seed: int) -> None:
    """``count`` generated enterprises (the registry benchmark's generator) by executemany in
    one transaction, with a spread of credit classes."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_registry import COPY_COLUMNS, generate
    from inspectorate.registry.models import Enterprise

    columns = [c for c in COPY_COLUMNS if c not in ("version", "created_at", "updated_at")]
    now = timezone.now()
    rng = random.Random(seed + 3)
    credit = ["A"] * 15 + ["B"] * 27 + ["C"] * 5 + ["D"] * 3 + [""] * 50
    sql = _insert_sql(Enterprise, [*columns, "credit_class", "version", "created_at", "updated_at"])
    rows = (
        [r[c] for c in columns] + [rng.choice(credit), 1, now, now]
        for r in generate(world, count, start=0, seed=seed)
    )
    with transaction.atomic(), connection.cursor() as cur:
        while batch := [row for _, row in zip(range(20_000), rows, strict=False)]:
            cur.executemany(sql, batch)


def add_enterprises(world: Any) -> list[Unit]:
    """ENTERPRISES enterprises by executemany (the registry benchmark's generator)."""
    from inspectorate.registry.models import Enterprise

    insert_enterprises(world, ENTERPRISES, SEED)
    return [
        Unit(*row)
        for row in Enterprise.objects.order_by("pk").values_list(
            "pk", "jurisdiction_id", "supervising_agency_id", "address", "legal_representative"
        )
    ]


# --- setup: 2,000,000 findings -------------------------------------------------------------

INSPECTION_COLUMNS = [
    "id",
    "uuid",
    "agency_id",
    "jurisdiction_code",
    "enterprise_id",
    "origin",
    "origin_note",
    "lead_officer_id",
    "lead_certificate",
    "second_officer_id",
    "second_certificate",
    "place",
    "started_at",
    "ended_at",
    "state",
    "handling",
    "unit_head_name",
    "unit_head_signature",
    "unit_head_refusal_note",
    "officers_signed_at",
    "version",
]
FINDING_COLUMNS = [
    "uuid",
    "inspection_id",
    "enterprise_id",
    "jurisdiction_code",
    "description",
    "location",
    "grade",
    "violated_article",
    "criterion",
    "status",
    "found_on",
    "due_date",
    "closed_on",
    "created_by_id",
]


@dataclass
class Facts:
    inspections: int = 0
    findings: int = 0
    open: int = 0
    overdue: int = 0
    major: int = 0
    major_open: int = 0
    by_status: collections.Counter[str] = field(default_factory=collections.Counter)
    seconds: float = 0.0
    index_seconds: float = 0.0
    scope_open: dict[str, int] = field(default_factory=dict)
    db_bytes: int = 0


def _open_probability(due: int, today: int) -> float:
    """Whether a finding due on day ``due`` is still open on ``today``: most are open until
    they are due; afterwards fewer and fewer (rectified late, or escalated)."""
    late = today - due
    if late <= 0:
        return 0.95
    if late <= 30:
        return 0.40
    if late <= 180:
        return 0.15
    return 0.035


def add_findings(
    units: list[Unit],
    officers: dict[str, tuple[Officer, Officer]],
    today: dt.date,
    say: Callable[[str], None],
) -> Facts:
    """Past inspections and FINDINGS findings, by executemany in batches; the findings'
    secondary indexes are dropped for the load and built again afterwards."""
    from django.db import connection, transaction

    from inspectorate.inspections.models import Finding, Inspection
    from inspectorate.org.models import Agency

    rng = random.Random(SEED + 2)
    rand, choice, randrange = rng.random, rng.choice, rng.randrange
    facts = Facts()
    started = time.perf_counter()
    agency_code = dict(Agency.objects.values_list("pk", "jurisdiction_id"))
    counts = []
    per_inspection = _weighted(rng, FINDINGS_PER_INSPECTION, FINDINGS_PER_INSPECTION_WEIGHTS)
    total = 0
    while total < FINDINGS:
        k = min(per_inspection(), FINDINGS - total)
        counts.append(k)
        total += k
    n_inspections = len(counts)
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    today_n = HISTORY_DAYS
    day_iso = [(first_day + dt.timedelta(days=d)).isoformat() for d in range(HISTORY_DAYS + 400)]
    origin = _weighted(rng, *ORIGINS)
    general_period = _weighted(rng, *GENERAL_PERIODS)
    major_period = _weighted(rng, *MAJOR_PERIODS)
    # an escalated hazard stays open until it is removed: the closed ones were removed
    closed_status = _weighted(rng, ["rectified", "corrected"], [85, 15])
    uuid_base = rng.getrandbits(64) << 64  # sequential UUIDs: the unique index is appended to
    insp_sql = _insert_sql(Inspection, INSPECTION_COLUMNS)
    finding_sql = _insert_sql(Finding, FINDING_COLUMNS)
    table = Finding._meta.db_table
    with connection.cursor() as cur:
        indexes = _secondary_indexes(cur, table)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    by_status = facts.by_status
    finding_n = 0
    with transaction.atomic(), connection.cursor() as cur:
        for start in range(0, n_inspections, BATCH):
            inspections = []
            findings = []
            for n in range(start, min(start + BATCH, n_inspections)):
                unit = choice(units)
                code = agency_code[unit.agency_id]
                lead, second = officers[code]
                day = n * HISTORY_DAYS // n_inspections
                minute = randrange(9 * 60, 17 * 60) - 8 * 60  # Beijing 09:00-17:00 in UTC
                started_at = f"{day_iso[day]} {minute // 60:02d}:{minute % 60:02d}:00"
                ended = minute + randrange(60, 180)
                ended_at = f"{day_iso[day]} {ended // 60:02d}:{ended % 60:02d}:00"
                why = origin()
                inspection_id = n + 1
                inspections.append(
                    (
                        inspection_id,
                        f"{uuid_base | inspection_id:032x}",
                        unit.agency_id,
                        code,
                        unit.pk,
                        why,
                        ORIGIN_NOTES.get(why, ""),
                        lead.pk,
                        lead.certificate,
                        second.pk,
                        second.certificate,
                        unit.address,
                        started_at,
                        ended_at,
                        "closed",
                        HANDLING,
                        unit.head,
                        "signed",
                        "",
                        ended_at,
                        3,
                    )
                )
                for _k in range(counts[n]):
                    finding_n += 1
                    if rand() < MAJOR_SHARE:
                        description, article, criterion = choice(MAJOR_PROBLEMS)
                        grade = "major"
                        due = day + major_period()
                    else:
                        description, article = choice(GENERAL_PROBLEMS)
                        criterion = ""
                        grade = "general"
                        due = day + general_period()
                    if rand() < _open_probability(due, today_n):
                        status, closed_on = "open", None
                        facts.open += 1
                        facts.overdue += due < today_n
                        facts.major_open += grade == "major"
                    else:
                        status = closed_status()
                        if status == "corrected":
                            due = None
                            closed_on = day_iso[day]
                        else:
                            closed_on = day_iso[min(today_n, day + randrange(3, 120))]
                    by_status[status] += 1
                    facts.major += grade == "major"
                    findings.append(
                        (
                            f"{uuid_base | finding_n:032x}",
                            inspection_id,
                            unit.pk,
                            code,
                            description,
                            choice(LOCATIONS),
                            grade,
                            article,
                            criterion,
                            status,
                            day_iso[day],
                            None if due is None else day_iso[due],
                            closed_on,
                            lead.pk,
                        )
                    )
            cur.executemany(insp_sql, inspections)
            cur.executemany(finding_sql, findings)
            if (start // BATCH) % 25 == 24:
                say(f"  {finding_n:,} findings inserted")
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        for _name, definition in indexes:
            cur.execute(definition)
    facts.index_seconds = time.perf_counter() - started - load_seconds
    facts.inspections = n_inspections
    facts.findings = finding_n
    facts.seconds = time.perf_counter() - started
    return facts


def _secondary_indexes(cur: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that are not constraints."""
    from django.db import connection

    if connection.vendor == "sqlite":
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
    else:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT i.indisunique",
            [table],
        )
    return list(cur.fetchall())


def bench_checklist() -> Any:
    """A published checklist version of ITEMS items copied from the loaded checklists."""
    from django.utils import timezone

    from inspectorate.inspections.models import (
        Checklist,
        ChecklistItem,
        ChecklistVersion,
        VersionState,
    )
    from inspectorate.registry.models import Sector

    source = []
    for code in ("general", "major-hazchem-2017", "major-industry-trade-2023", "major-mine-2022"):
        version = ChecklistVersion.objects.get(checklist__code=code, state=VersionState.PUBLISHED)
        source += list(version.items.order_by("sort", "id"))
    checklist = Checklist.objects.create(
        code="bench-50",
        name="基准测试检查表（50项）",
        name_en="Benchmark checklist (50 items)",
        source="bench/bench_inspections.py",
    )
    checklist.sectors.set(Sector.objects.all())
    version = ChecklistVersion.objects.create(
        checklist=checklist,
        number=1,
        state=VersionState.PUBLISHED,
        published_at=timezone.now(),
        note="基准测试",
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist_version=version,
            code=item.code,
            sort=n,
            section=item.section,
            text=item.text,
            legal_basis=item.legal_basis,
            major_hazard=item.major_hazard,
            criterion=item.criterion,
            suggested_measure=item.suggested_measure,
            rectification_days=item.rectification_days,
        )
        for n, item in enumerate(source[:ITEMS], start=1)
    )
    return version


# --- photos --------------------------------------------------------------------------------


def make_photo(n: int, today: dt.date) -> tuple[bytes, str]:
    """A distinct JPEG of 200-500 KB (1600x1200); EXIF time and GPS on half of them, the
    time only on a quarter. Returns the bytes and what metadata they carry."""
    from PIL import ExifTags, Image, ImageDraw

    rng = random.Random(SEED + 1000 + n)
    w, h = 1600, 1200
    img = Image.new("RGB", (w, h), tuple(rng.randrange(90, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.rectangle(
            (x, y, x + rng.randrange(40, 500), y + rng.randrange(40, 400)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    img = Image.blend(img, Image.effect_noise((w, h), 40).convert("RGB"), rng.uniform(0.07, 0.18))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HUAWEI"
    exif[ExifTags.Base.Model] = "MatePad 11"
    kind = "none"
    if n % 4 in (0, 2):
        kind = "exif time + GPS"
    elif n % 4 == 1:
        kind = "exif time"
    if kind != "none":
        moment = f"{today:%Y:%m:%d} {9 + n % 8:02d}:{n % 60:02d}:00"
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = moment
    if kind == "exif time + GPS":
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[1] = "N"
        gps[2] = (43.0, 47.0, round(rng.uniform(0, 59), 2))
        gps[3] = "E"
        gps[4] = (87.0, 36.0, round(rng.uniform(0, 59), 2))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue(), kind


# --- the measured part: saving ---------------------------------------------------------------


@dataclass
class Saved:
    inspection_id: int
    finding_ids: list[int]
    start_ms: float
    sync_ms: float
    sync_commit_ms: float  # of sync_ms: COMMIT (with any WAL checkpoint it triggers)
    sync_gc_ms: float  # of sync_ms: Python's garbage collections (generation, ms)
    sync_gc_generations: list[int]
    photo_ms: list[float]
    sync_body: bytes
    sync_key: str
    photo_body: bytes
    photo_key: str
    photo_url: str


@dataclass
class SaveRun:
    saves: list[Saved] = field(default_factory=list)
    photo_bytes: list[int] = field(default_factory=list)
    photo_kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    metadata_sources: collections.Counter[str] = field(default_factory=collections.Counter)
    queries: dict[str, list[int]] = field(default_factory=dict)  # request kind -> counts
    replay: dict[str, Any] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    gc_frozen: int = 0

    @property
    def sync_ms(self) -> list[float]:
        return [s.sync_ms for s in self.saves]

    @property
    def photo_ms(self) -> list[float]:
        return [ms for s in self.saves for ms in s.photo_ms]

    @property
    def start_ms(self) -> list[float]:
        return [s.start_ms for s in self.saves]


def _json(data: Any) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode()


def _check(response: Any, expected: int, what: str) -> Any:
    if response.status_code != expected:
        raise RuntimeError(f"{what}: HTTP {response.status_code}: {response.content[:500]!r}")
    return response


def save_one(
    client: Any,
    *,
    n: int,
    enterprise_id: int,
    second_id: int,
    version_id: int,
    today: dt.date,
    run: SaveRun,
    profiler: cProfile.Profile | None = None,
    queries: dict[str, list[int]] | None = None,
) -> Saved:
    """Start an inspection, sync its 50 answers with 5 findings, upload 10 photos.

    ``queries``: when given, the SQL queries of each request are counted (kind -> counts).
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.client import encode_multipart
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspectorate.inspections.models import ChecklistItem

    commits = COMMITS_MS

    def post(kind: str, url: str, body: bytes, content_type: str, key: str = "") -> Any:
        headers = {"Idempotency-Key": key} if key else {}
        if queries is None:
            return client.post(url, body, content_type=content_type, headers=headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, body, content_type=content_type, headers=headers)
        queries.setdefault(kind, []).append(len(ctx.captured_queries))
        return response

    rng = random.Random(SEED + 100 + n)
    body = _json(
        {
            "enterprise": enterprise_id,
            "second_officer": second_id,
            # "planned" needs a visit of an approved plan: campaigns and complaints instead
            "origin": "campaign" if n % 3 else "complaint",
            "origin_note": ORIGIN_NOTES["campaign" if n % 3 else "complaint"],
            "checklist_versions": [version_id],
            "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        }
    )
    t0 = time.perf_counter()
    response = post("start", reverse("api-inspection-list"), body, "application/json")
    start_ms = (time.perf_counter() - t0) * 1000
    inspection = _check(response, 201, "start").json()
    answers = inspection["answers"]
    if len(answers) != ITEMS:
        raise RuntimeError(f"the inspection has {len(answers)} lines, not {ITEMS}")
    major = {a["id"] for a in answers if a["item"] and a["item"]["major_hazard"]}
    general = [a["id"] for a in answers if a["id"] not in major]
    finding_answers = rng.sample(general, FINDING_ANSWERS - 1) + [rng.choice(sorted(major))]
    rest = [a["id"] for a in answers if a["id"] not in finding_answers]
    na = set(rng.sample(rest, NA_ANSWERS))
    items = {a["id"]: a["item"]["code"] for a in answers}
    suggested = dict(
        ChecklistItem.objects.filter(checklist_version_id=version_id).values_list(
            "code", "suggested_measure"
        )
    )
    sync = {
        "answers": [
            {
                "answer_id": a["id"],
                "result": "finding"
                if a["id"] in finding_answers
                else "na"
                if a["id"] in na
                else "compliant",
                "note": NA_REASON if a["id"] in na else "",
                "base_revision": a["revision"],
            }
            for a in answers
        ],
        "findings": [
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                "answer_id": answer_id,
                "description": rng.choice(GENERAL_PROBLEMS)[0]
                + f"（检查项{items[answer_id]}：{suggested[items[answer_id]][:12]}）",
                "location": rng.choice(LOCATIONS),
                "grade": "general",
            }
            for answer_id in finding_answers
        ],
    }
    sync_body = _json(sync)
    sync_key = f"bench-sync-{inspection['id']}-{uuid.UUID(int=rng.getrandbits(128))}"
    url = reverse("api-inspection-sync", args=[inspection["id"]])
    if profiler is not None:
        profiler.enable()
    commits.clear()
    GC_PAUSES.clear()
    t0 = time.perf_counter()
    response = post("sync", url, sync_body, "application/json", sync_key)
    sync_ms = (time.perf_counter() - t0) * 1000
    sync_commit_ms = sum(commits)
    gcs = list(GC_PAUSES)
    if profiler is not None:
        profiler.disable()
    result = _check(response, 200, "sync").json()
    if len(result["applied"]) != ITEMS or len(result["findings"]) != FINDING_ANSWERS:
        raise RuntimeError(
            f"sync applied {len(result['applied'])} answers and made "
            f"{len(result['findings'])} findings"
        )
    finding_ids = [f["id"] for f in result["findings"]]
    photo_ms = []
    first_photo: tuple[bytes, str, str] | None = None
    for p in range(FINDING_ANSWERS * PHOTOS_PER_FINDING):
        content, kind = make_photo(n * 100 + p, today)
        run.photo_bytes.append(len(content))
        run.photo_kinds[kind] += 1
        fields: dict[str, Any] = {
            "file": SimpleUploadedFile(f"IMG_{n:03d}_{p:02d}.jpg", content, "image/jpeg")
        }
        if kind == "none":  # the browser's position and the file's time
            fields["latitude"] = f"{43.79 + rng.uniform(-0.01, 0.01):.6f}"
            fields["longitude"] = f"{87.60 + rng.uniform(-0.01, 0.01):.6f}"
            fields["taken_at"] = f"{today.isoformat()}T10:{p:02d}:00+08:00"
        photo_body = encode_multipart(BOUNDARY, fields)
        photo_key = f"bench-photo-{inspection['id']}-{p}"
        photo_url = reverse("api-finding-evidence", args=[finding_ids[p // PHOTOS_PER_FINDING]])
        t0 = time.perf_counter()
        response = post(
            "photo", photo_url, photo_body, f"multipart/form-data; boundary={BOUNDARY}", photo_key
        )
        photo_ms.append((time.perf_counter() - t0) * 1000)
        evidence = _check(response, 201, "photo upload").json()
        run.metadata_sources[evidence["metadata_source"] or "none"] += 1
        if first_photo is None:
            first_photo = (photo_body, photo_key, photo_url)
    assert first_photo is not None
    return Saved(
        inspection_id=inspection["id"],
        finding_ids=finding_ids,
        start_ms=start_ms,
        sync_ms=sync_ms,
        sync_commit_ms=sync_commit_ms,
        sync_gc_ms=sum(ms for _g, ms in gcs),
        sync_gc_generations=[g for g, _ms in gcs],
        photo_ms=photo_ms,
        sync_body=sync_body,
        sync_key=sync_key,
        photo_body=first_photo[0],
        photo_key=first_photo[1],
        photo_url=first_photo[2],
    )


COMMITS_MS: list[float] = []  # durations of the connection's COMMITs since last cleared
GC_PAUSES: list[tuple[int, float]] = []  # (generation, ms) of garbage collections since cleared
_GC_STARTED = [0.0]


def _gc_callback(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _GC_STARTED[0] = time.perf_counter()
    else:
        GC_PAUSES.append((info["generation"], (time.perf_counter() - _GC_STARTED[0]) * 1000))


@contextlib.contextmanager
def _commit_timer() -> Iterator[None]:
    """Record how long each COMMIT of the default connection takes (in COMMITS_MS)."""
    from django.db import connection

    original = connection._commit

    def timed() -> Any:
        started = time.perf_counter()
        try:
            return original()
        finally:
            COMMITS_MS.append((time.perf_counter() - started) * 1000)

    connection._commit = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connection._commit


def _row_counts(inspection_id: int) -> dict[str, int]:
    from django.db.models import Sum

    from inspectorate.core.models import EvidenceFile, IdempotencyRecord, RecordEvent
    from inspectorate.inspections.models import Answer, Finding, FindingEvidence, Inspection

    return {
        "findings": Finding.objects.count(),
        "answer revisions of the inspection": Answer.objects.filter(
            inspection_id=inspection_id
        ).aggregate(s=Sum("revision"))["s"]
        or 0,
        "inspection version": Inspection.objects.get(pk=inspection_id).version,
        "evidence files": EvidenceFile.objects.count(),
        "finding evidence": FindingEvidence.objects.count(),
        "record events": RecordEvent.objects.count(),
        "idempotency records": IdempotencyRecord.objects.count(),
    }


def measure_saves(
    officers: dict[str, tuple[Officer, Officer]],
    version_id: int,
    today: dt.date,
    say: Callable[[str], None],
) -> SaveRun:
    from django.test import Client
    from django.urls import reverse

    from inspectorate.org.models import User
    from inspectorate.registry.models import Enterprise

    run = SaveRun()
    lead, second = officers[COUNTY]
    in_scope = list(
        Enterprise.objects.filter(
            jurisdiction_id=COUNTY, supervising_agency__jurisdiction_id=COUNTY, status="operating"
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: SAVES + 1]
    )
    client = Client()
    client.force_login(User.objects.get(pk=lead.pk))
    profile_path = os.environ.get("BENCH_PROFILE", "")
    profiler = cProfile.Profile() if profile_path else None
    # one save first, not timed: the SQL queries of each of its requests are counted
    save_one(
        client,
        n=0,
        enterprise_id=in_scope[0],
        second_id=second.pk,
        version_id=version_id,
        today=today,
        run=SaveRun(),
        queries=run.queries,
    )
    say(f"SQL queries per request (one save, not timed): {run.queries}")
    if GC_FREEZE:
        gc.collect()
        gc.freeze()
        say(f"BENCH_GC_FREEZE: {gc.get_freeze_count():,} objects frozen")
    run.gc_frozen = gc.get_freeze_count()
    gc.callbacks.append(_gc_callback)
    load_before = os.getloadavg()[0]
    for n, enterprise_id in enumerate(in_scope[1:], start=1):
        with _commit_timer():
            saved = save_one(
                client,
                n=n,
                enterprise_id=enterprise_id,
                second_id=second.pk,
                version_id=version_id,
                today=today,
                run=run,
                profiler=profiler,
            )
        run.saves.append(saved)
        say(
            f"  save {n}: start {saved.start_ms:.0f} ms, sync {saved.sync_ms:.0f} ms (commit "
            f"{saved.sync_commit_ms:.0f} ms, gc {saved.sync_gc_ms:.0f} ms), photos {min(saved.photo_ms):.0f}-"
            f"{max(saved.photo_ms):.0f} ms; load average {os.getloadavg()[0]:.1f}"
        )
    run.load = (load_before, os.getloadavg()[0])
    gc.callbacks.remove(_gc_callback)
    if profiler is not None:
        profiler.dump_stats(profile_path)
        say(f"profile of the sync requests written to {profile_path}")

    # replays: the same requests with the same keys change nothing
    first = run.saves[0]
    before = _row_counts(first.inspection_id)
    sync = client.post(
        reverse("api-inspection-sync", args=[first.inspection_id]),
        first.sync_body,
        content_type="application/json",
        headers={"Idempotency-Key": first.sync_key},
    )
    photo = client.post(
        first.photo_url,
        first.photo_body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers={"Idempotency-Key": first.photo_key},
    )
    after = _row_counts(first.inspection_id)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    problems = []
    if sync.status_code != 200 or sync.headers.get("Idempotent-Replayed") != "true":
        problems.append(
            f"sync replay: HTTP {sync.status_code}, Idempotent-Replayed "
            f"{sync.headers.get('Idempotent-Replayed')!r}"
        )
    if photo.status_code != 201 or photo.headers.get("Idempotent-Replayed") != "true":
        problems.append(
            f"photo replay: HTTP {photo.status_code}, Idempotent-Replayed "
            f"{photo.headers.get('Idempotent-Replayed')!r}"
        )
    if changed:
        problems.append(
            "rows changed by the replays: "
            + ", ".join(f"{k} {a} -> {b}" for k, (a, b) in changed.items())
        )
    run.replay = {"counts": before, "problems": problems}
    say(f"replays of a sync and a photo: {'; '.join(problems) or 'nothing changed'}")
    return run


# --- the measured part: the hazards list -------------------------------------------------------


@dataclass
class Variant:
    key: str
    label: str
    username: str
    params: dict[str, str]
    pages: int = 1  # requests rotate over pages 1..pages
    timings_ms: list[float] = field(default_factory=list)
    queries: dict[int, int] = field(default_factory=dict)  # page -> SQL queries
    summary: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    query_ms: dict[str, list[float]] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def median(self) -> float:
        return bench.median(self.timings_ms)

    @property
    def p95(self) -> float:
        return bench.p95(self.timings_ms)


def run_variant(variant: Variant) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspectorate.org.models import User

    url = reverse("api-hazard-list")
    client = Client()
    client.force_login(User.objects.get(username=variant.username))

    def get(page: int) -> dict[str, Any]:
        params = dict(variant.params)
        if page > 1:
            params["page"] = str(page)
        return _check(client.get(url, params), 200, variant.key).json()

    for page in sorted({1, 2, variant.pages}):
        with CaptureQueriesContext(connection) as ctx:
            body = get(page)
        variant.queries[page] = len(ctx.captured_queries)
        if page == 1:
            variant.summary = body["summary"]
            variant.rows = len(body["results"])
    for n in range(WARMUP):
        get(1 + n % variant.pages)
    load_before = os.getloadavg()[0]
    for n in range(SAMPLES):
        page = 1 + n % variant.pages
        started = time.perf_counter()
        get(page)
        variant.timings_ms.append((time.perf_counter() - started) * 1000)
    variant.load = (load_before, os.getloadavg()[0])
    # apart from the timed requests: where the time goes, query by query
    times: dict[str, list[float]] = collections.defaultdict(list)

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = (
                "summary"
                if "COUNT(" in sql and "inspections_finding" in sql
                else "page"
                if "inspections_finding" in sql
                else "session, user, scope"
            )
            times[kind].append((time.perf_counter() - started) * 1000)

    for n in range(DIAGNOSTIC_SAMPLES):
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            get(1 + n % variant.pages)
            times["request"].append((time.perf_counter() - started) * 1000)
    variant.query_ms = dict(times)


def hazard_plans(username: str, params: dict[str, str]) -> dict[str, str]:
    """SQLite's plans of the summary and page queries of one request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspectorate.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as ctx:
        _check(client.get(reverse("api-hazard-list"), params), 200, "plan")
    plans = {}
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for query in ctx.captured_queries:
        sql = query["sql"]
        if "inspections_finding" not in sql:
            continue
        kind = "summary" if "COUNT(" in sql else "page"
        with connection.cursor() as cur:
            cur.execute(explain + sql)
            rows = cur.fetchall()
        plans[kind] = "; ".join(str(r[-1]) for r in rows)
    return plans


# --- the measured part: documents --------------------------------------------------------------


@dataclass
class DocumentRun:
    harfbuzz_subset: str
    first_ms: float = 0.0
    timings_ms: dict[str, list[float]] = field(default_factory=dict)
    pdf_ms: list[float] = field(default_factory=list)
    docx_ms: list[float] = field(default_factory=list)
    pdf_bytes: dict[str, list[int]] = field(default_factory=dict)
    docx_bytes: dict[str, list[int]] = field(default_factory=dict)
    pdf_pages: dict[str, list[int]] = field(default_factory=dict)
    seconds: float = 0.0
    count: int = 0
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def per_s(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


@contextlib.contextmanager
def _render_timer(run: DocumentRun, active: list[bool]) -> Iterator[None]:
    """Time ``render_content_pdf`` and ``render_content_docx`` (document_issue looks them up
    in their module at each call)."""
    from inspectorate.core import documents

    saved = {}
    for name, sink in (
        ("render_content_pdf", run.pdf_ms),
        ("render_content_docx", run.docx_ms),
    ):
        original = getattr(documents, name)

        def timed(*args: Any, _original: Any = original, _sink: Any = sink, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kw)
            finally:
                if active[0]:
                    _sink.append((time.perf_counter() - started) * 1000)

        saved[name] = original
        setattr(documents, name, functools.wraps(original)(timed))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(documents, name, original)


def prepare_documents(saves: list[Saved], today: dt.date) -> list[tuple[Any, Any]]:
    """Sign and end the saved inspections; an order with one line per finding for each."""
    from django.db import transaction

    from inspectorate.inspections import services
    from inspectorate.inspections.models import Finding, Inspection
    from inspectorate.org.models import User
    from inspectorate.rectification.models import OrderLine, RectificationOrder
    from inspectorate.rectification.services import rectification_days, suggested_measure

    pairs = []
    for saved in saves[:DOCUMENTS]:
        inspection = Inspection.objects.get(pk=saved.inspection_id)
        actor = User.objects.get(pk=inspection.lead_officer_id)
        services.record_sign(
            actor=actor,
            inspection_id=inspection.pk,
            handling=HANDLING,
            unit_head_name=inspection.unit_head_name or "王建国",
            signature="signed",
        )
        Inspection.objects.filter(pk=inspection.pk).update(
            ended_at=inspection.started_at + dt.timedelta(hours=2, minutes=15)
        )
        with transaction.atomic():
            findings = list(
                Finding.objects.filter(pk__in=saved.finding_ids).select_related("answer__item")
            )
            lines = [
                (f, suggested_measure(f), _working_days_later(today, rectification_days(f)))
                for f in findings
            ]
            order = RectificationOrder.objects.create(
                inspection=inspection,
                enterprise_id=inspection.enterprise_id,
                agency_id=inspection.agency_id,
                jurisdiction_code=inspection.jurisdiction_code,
                issued_on=today,
                due_date=max(due for _f, _m, due in lines),
                issued_by=actor,
            )
            OrderLine.objects.bulk_create(
                OrderLine(order=order, finding=f, measure=m, due_date=due) for f, m, due in lines
            )
            for f, _m, due in lines:
                Finding.objects.filter(pk=f.pk).update(due_date=due)
        inspection = Inspection.objects.select_related(
            "enterprise", "agency__jurisdiction__parent", "lead_officer", "second_officer"
        ).get(pk=inspection.pk)
        order = RectificationOrder.objects.select_related(
            "inspection__lead_officer",
            "inspection__second_officer",
            "enterprise",
            "agency__jurisdiction__parent",
        ).get(pk=order.pk)
        pairs.append((inspection, order))
    return pairs


CALENDAR_GAPS: set[int] = set()  # years chinese-calendar does not know (reported)


def _working_days_later(today: dt.date, days: int) -> dt.date:
    """``add_working_days``; where the holiday calendar of the year is not published
    (``CalendarUnknown``), five working days a week instead (setup only)."""
    from inspectorate.core.calendar import CalendarUnknown, add_working_days

    try:
        return add_working_days(today, days)
    except CalendarUnknown:
        CALENDAR_GAPS.add(today.year + 1)
        return today + dt.timedelta(days=days * 7 // 5)


def measure_documents(pairs: list[tuple[Any, Any]], today: dt.date) -> DocumentRun:
    from django.db import transaction

    from inspectorate.core.document_kinds import DocumentKind
    from inspectorate.core.documents import document_issue
    from inspectorate.inspections.documents import inspection_record_content
    from inspectorate.org.models import User
    from inspectorate.rectification.documents import order_content

    run = DocumentRun(harfbuzz_subset=ctypes.util.find_library("harfbuzz-subset") or "")
    active = [False]
    actors = {u.pk: u for u in User.objects.filter(pk__in={i.lead_officer_id for i, _o in pairs})}

    def issue(kind: str, subject: Any, inspection: Any) -> Any:
        build = (
            (lambda number: inspection_record_content(subject, number))
            if kind == DocumentKind.INSPECTION_RECORD
            else (lambda number: order_content(subject, number))
        )
        with transaction.atomic():
            return document_issue(
                kind=kind,
                agency=inspection.agency,
                subject=subject,
                build=build,
                actor=actors[inspection.lead_officer_id],
                jurisdiction_code=inspection.jurisdiction_code,
                on=today,
            )

    with _render_timer(run, active):
        inspection, _order = pairs[0]
        started = time.perf_counter()
        issue(DocumentKind.INSPECTION_RECORD, inspection, inspection)  # warm-up: fonts
        run.first_ms = (time.perf_counter() - started) * 1000
        active[0] = True
        issued = []
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for inspection, order in pairs:
            for kind, subject in (
                (DocumentKind.INSPECTION_RECORD, inspection),
                (DocumentKind.RECTIFICATION_ORDER, order),
            ):
                t0 = time.perf_counter()
                document = issue(kind, subject, inspection)
                run.timings_ms.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                issued.append((kind, document))
        run.seconds = time.perf_counter() - started
        run.load = (load_before, os.getloadavg()[0])
        run.count = len(issued)
    for kind, document in issued:
        pdf = document.pdf.read()
        document.pdf.close()
        run.pdf_bytes.setdefault(kind, []).append(len(pdf))
        run.docx_bytes.setdefault(kind, []).append(document.docx.size)
        run.pdf_pages.setdefault(kind, []).append(_pages(pdf))
    return run


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception:  # noqa: BLE001 - pypdf is a dev tool; count page objects instead
        return len(re.findall(rb"/Type\s*/Page\b", pdf))


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
    call_command("migrate", verbosity=0)
    demo = load_demo(enterprises=0)
    world = World.load()
    officers = add_officers(today)
    units = add_enterprises(world)
    version = bench_checklist()
    say(
        f"organisation: {demo.agencies} agencies, {2 * len(officers)} generated officers; "
        f"{len(units):,} enterprises; checklist {version.checklist.code} with "
        f"{version.items.count()} items"
    )
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -1000000")  # 1 GB for the load only
    facts = add_findings(units, officers, today, say)
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -2000")  # SQLite's default again
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    facts.db_bytes = sum(
        os.path.getsize(os.path.join(var_dir, f))
        for f in os.listdir(var_dir)
        if f.startswith("bench.sqlite3")
    )
    from inspectorate.inspections.models import Finding

    for prefix in ("65", "6501", COUNTY):
        facts.scope_open[prefix] = Finding.objects.filter(
            status="open",
            jurisdiction_code__gte=prefix.ljust(6, "0"),
            jurisdiction_code__lte=prefix.ljust(6, "9"),
        ).count()
    setup_seconds = time.perf_counter() - started
    say(
        f"generated {facts.inspections:,} inspections and {facts.findings:,} findings in "
        f"{facts.seconds:.0f} s (of which {facts.index_seconds:.0f} s building the findings' "
        f"indexes); open {facts.open:,} ({facts.overdue:,} overdue), major {facts.major:,}; "
        f"open in 65 / 6501 / {COUNTY}: "
        + " / ".join(f"{v:,}" for v in facts.scope_open.values())
        + f"; database {facts.db_bytes / 1e9:.2f} GB; setup {setup_seconds:.0f} s"
    )

    enterprises = len(units)
    del units  # the setup's objects: Python's full collections would walk them in every request
    gc.collect()
    saves = measure_saves(officers, version.pk, today, say)
    say(
        f"sync of {ITEMS} answers + {FINDING_ANSWERS} findings: median "
        f"{bench.median(saves.sync_ms):.1f} ms, p95 {bench.p95(saves.sync_ms):.1f} ms; photo "
        f"upload median {bench.median(saves.photo_ms):.1f} ms, p95 "
        f"{bench.p95(saves.photo_ms):.1f} ms; start median {bench.median(saves.start_ms):.1f} ms"
    )

    variants = [
        Variant(
            "prov_first", f"Province user ({PROVINCE_USER}, 65), first page", PROVINCE_USER, {}
        ),
        Variant("prov_pages", "Province user, pages 1–5 in turn", PROVINCE_USER, {}, pages=5),
        Variant("prov_major", "Province user, grade=major", PROVINCE_USER, {"grade": "major"}),
        Variant("prov_overdue", "Province user, overdue=1", PROVINCE_USER, {"overdue": "1"}),
        Variant(
            "prov_prefecture",
            "Province user, jurisdiction=6501 (a prefecture)",
            PROVINCE_USER,
            {"jurisdiction": "6501"},
        ),
        Variant(
            "county_first", f"County user ({COUNTY_USER}, {COUNTY}), first page", COUNTY_USER, {}
        ),
        Variant("county_major", "County user, grade=major", COUNTY_USER, {"grade": "major"}),
        Variant("county_overdue", "County user, overdue=1", COUNTY_USER, {"overdue": "1"}),
    ]
    for variant in variants:
        run_variant(variant)
        say(
            f"{variant.key}: median {variant.median:.1f} ms, p95 {variant.p95:.1f} ms, queries "
            f"{variant.queries}, open {variant.summary.get('open', 0):,}"
        )
    plans = {
        "province, first page": hazard_plans(PROVINCE_USER, {}),
        "province, grade=major": hazard_plans(PROVINCE_USER, {"grade": "major"}),
        "county, first page": hazard_plans(COUNTY_USER, {}),
    }
    for label, plan in plans.items():
        say(f"plan {label}: {plan}")

    pairs = prepare_documents(saves.saves, today)
    documents = measure_documents(pairs, today)
    say(
        f"documents: {documents.count} in {documents.seconds:.1f} s = {documents.per_s:.2f}/s "
        f"(first {documents.first_ms:.0f} ms); libharfbuzz-subset: "
        f"{documents.harfbuzz_subset or 'NOT installed'}"
    )

    save_ms = bench.p95(saves.sync_ms)
    hazards_p95 = max(v.p95 for v in variants)
    all_queries = {q for v in variants for q in v.queries.values()}
    failures = []
    if save_ms > SAVE_TARGET_MS:
        failures.append(f"sync p95 {save_ms:.1f} ms > {SAVE_TARGET_MS:.0f} ms")
    if hazards_p95 > HAZARDS_P95_TARGET_MS:
        worst = max(variants, key=lambda v: v.p95)
        failures.append(
            f"hazards p95 {hazards_p95:.1f} ms > {HAZARDS_P95_TARGET_MS:.0f} ms ({worst.key})"
        )
    if documents.per_s < DOCS_TARGET_PER_S:
        failures.append(f"{documents.per_s:.2f} documents/s < {DOCS_TARGET_PER_S:.0f}")
    if len(all_queries) != 1:
        failures.append(
            "SQL queries per hazards request vary: "
            + ", ".join(f"{v.key} {v.queries}" for v in variants)
        )
    failures += saves.replay["problems"]

    figures = {
        "save_ms": f"{save_ms:.1f}",
        "hazards_p95_ms": f"{hazards_p95:.1f}",
        "docs_per_s": f"{documents.per_s:.2f}",
    }
    line = bench.last_line(NAME, figures)
    report = _report(
        machine=machine,
        sqlite_version=sqlite3.sqlite_version,
        demo_agencies=demo.agencies,
        officers=2 * len(officers),
        enterprises=enterprises,
        facts=facts,
        setup_seconds=setup_seconds,
        saves=saves,
        variants=variants,
        plans=plans,
        documents=documents,
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


def _ms(samples: list[float]) -> str:
    return f"{bench.median(samples):.1f} / {bench.p95(samples):.1f}" if samples else "–"


def _report(
    *,
    machine: dict[str, str],
    sqlite_version: str,
    demo_agencies: int,
    officers: int,
    enterprises: int,
    facts: Facts,
    setup_seconds: float,
    saves: SaveRun,
    variants: list[Variant],
    plans: dict[str, dict[str, str]],
    documents: DocumentRun,
    failures: list[str],
    elapsed: float,
    line: str,
) -> str:
    from inspectorate.core.document_kinds import DocumentKind

    out = io.StringIO()
    w = out.write
    w(
        f"Machine: {machine['cpus']} CPUs, {machine['memory']} RAM, {machine['os']}; Python "
        f"{machine['python']}; SQLite {sqlite_version} (WAL, synchronous NORMAL, a file in a "
        f"temporary directory, SQLite's default page cache of 2 MB; no ANALYZE, as the "
        f"application runs it). Run time {elapsed:.0f} s, of which setup "
        f"{setup_seconds:.0f} s (not measured).\n\n"
    )
    w(
        f"Data: the demo organisation ({demo_agencies} agencies) and {officers} generated "
        f"officers (two per bureau); {enterprises:,} enterprises; {facts.inspections:,} past "
        f"inspections over {HISTORY_DAYS // 365} years and **{facts.findings:,} findings**, "
        f"generated in **{facts.seconds:.0f} s** (executemany in one transaction, of which "
        f"{facts.index_seconds:.0f} s building the findings' secondary indexes after the "
        f"load); database {facts.db_bytes / 1e9:.2f} GB. Findings: {facts.major:,} major "
        f"({100 * facts.major / facts.findings:.1f} %); {facts.open:,} open "
        f"({100 * facts.open / facts.findings:.1f} %, {facts.major_open:,} of them major), "
        f"{facts.overdue:,} of the open ones overdue; "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(facts.by_status.items()))
        + ". Open findings in the scope of the province (65), of the prefecture 6501 and of "
        f"the county {COUNTY}: " + " / ".join(f"{v:,}" for v in facts.scope_open.values()) + ".\n\n"
    )
    sizes = saves.photo_bytes
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(saves.photo_kinds.items()))
    sources = ", ".join(f"{k} {v}" for k, v in sorted(saves.metadata_sources.items()))
    w(
        f"Save: {len(saves.saves)} inspections by an officer of the {COUNTY} bureau, each "
        f"with the {ITEMS}-item checklist: start, one sync request with all {ITEMS} answers "
        f"({ITEMS - FINDING_ANSWERS - NA_ANSWERS} compliant, {NA_ANSWERS} not applicable, "
        f"{FINDING_ANSWERS} findings, one on a major-hazard item) and the {FINDING_ANSWERS} new "
        f"findings, then {FINDING_ANSWERS * PHOTOS_PER_FINDING} photo uploads "
        f"({min(sizes) // 1024}–{max(sizes) // 1024} KB JPEGs, 1600×1200; {kinds}; the "
        f"service took the time and place from: {sources}), every write with an "
        "Idempotency-Key. Wall time of the request in django.test.Client, session login, "
        "body encoded beforehand; 1-minute load average "
        f"{saves.load[0]:.1f}–{saves.load[1]:.1f}.\n\n"
    )
    w("| Request | Requests | Median ms | p95 ms | Max ms |\n|---|---|---|---|---|\n")
    for label, samples in (
        (f"**Sync: {ITEMS} answers + {FINDING_ANSWERS} findings** (save_ms)", saves.sync_ms),
        ("Photo upload (one photo)", saves.photo_ms),
        (f"Start (creates the {ITEMS} answer lines; informational)", saves.start_ms),
    ):
        w(
            f"| {label} | {len(samples)} | {bench.median(samples):.1f} | "
            f"{bench.p95(samples):.1f} | {max(samples):.1f} |\n"
        )
    slow = sorted(saves.saves, key=lambda s: -s.sync_ms)[:4]
    full = [s for s in saves.saves if 2 in s.sync_gc_generations]
    rest = [s.sync_ms for s in saves.saves if 2 not in s.sync_gc_generations]
    w(
        "\nWhere the slow syncs lose their time: the slowest "
        + ", ".join(
            f"{s.sync_ms:.0f} ms (garbage collection {s.sync_gc_ms:.0f} ms"
            + (", a full one" if 2 in s.sync_gc_generations else "")
            + f"; COMMIT {s.sync_commit_ms:.0f} ms)"
            for s in slow
        )
        + f". {len(full)} of the {len(saves.saves)} syncs ran a full (generation 2) garbage "
        "collection of the process"
        + (
            f" (median {bench.median([s.sync_gc_ms for s in full]):.0f} ms of collection)"
            if full
            else ""
        )
        + (
            f"; the others took median {bench.median(rest):.1f} ms, max {max(rest):.1f} ms"
            if rest
            else ""
        )
        + ". The COMMIT (with the WAL checkpoint SQLite runs in it every 1,000 pages) took "
        f"median {bench.median([s.sync_commit_ms for s in saves.saves]):.1f} ms, max "
        f"{max(s.sync_commit_ms for s in saves.saves):.1f} ms. "
        + (
            f"`BENCH_GC_FREEZE=1`: {saves.gc_frozen:,} objects frozen (`gc.freeze()`) after "
            "the first save."
            if GC_FREEZE
            else "No `gc.freeze()` (the application does not call it)."
        )
        + "\n"
    )
    per_save = [s.sync_ms + sum(s.photo_ms) for s in saves.saves]
    w(
        f"\nSync and its {FINDING_ANSWERS * PHOTOS_PER_FINDING} photos together: median "
        f"{bench.median(per_save):.0f} ms, p95 {bench.p95(per_save):.0f} ms per inspection. "
        "SQL queries per request (counted on one more save, not timed): "
        + ", ".join(
            f"{kind} {min(n)}" + (f"–{max(n)}" if max(n) != min(n) else "")
            for kind, n in saves.queries.items()
        )
        + ".\n\n"
    )
    replay = saves.replay
    w(
        "Idempotency (hard check): the first sync and its first photo sent again with the "
        "same Idempotency-Key: "
        + (
            "answered from the stored response (`Idempotent-Replayed: true`), and no row "
            "changed (" + ", ".join(f"{k} {v:,}" for k, v in replay["counts"].items()) + ")."
            if not replay["problems"]
            else "**FAILED**: " + "; ".join(replay["problems"]) + "."
        )
        + "\n\n"
    )
    w(
        f"Open hazards (`GET /api/v1/hazards/`): wall time of the request, page size 50, "
        f"{SAMPLES} requests per variant after {WARMUP} warm-up requests. The summary and page "
        f"query times are medians of {DIAGNOSTIC_SAMPLES} further requests timed query by "
        "query.\n\n"
    )
    w(
        "| Variant | Median ms | p95 ms | Open (summary) | Overdue / major (summary) | "
        "Summary query ms | Page query ms | Queries per request (page: n) | Load average |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    for v in variants:
        q = v.query_ms
        w(
            f"| {v.label} | {v.median:.1f} | **{v.p95:.1f}** | {v.summary.get('open', 0):,} | "
            f"{v.summary.get('overdue', 0):,} / {v.summary.get('major', 0):,} | "
            f"{bench.median(q.get('summary', [0])):.1f} | {bench.median(q.get('page', [0])):.1f} "
            f"| {', '.join(f'{p}: {n}' for p, n in sorted(v.queries.items()))} | "
            f"{v.load[0]:.1f}–{v.load[1]:.1f} |\n"
        )
    pooled = [t for v in variants for t in v.timings_ms]
    w(
        f"\nAll {len(pooled)} requests pooled: median {bench.median(pooled):.1f} ms, p95 "
        f"{bench.p95(pooled):.1f} ms. hazards_p95_ms is the largest p95 of the variants.\n\n"
        "Query plans (SQLite `EXPLAIN QUERY PLAN`):\n\n"
    )
    for label, plan in plans.items():
        for kind, text in plan.items():
            w(f"- {label}, {kind} query: `{text}`\n")
    labels = {
        DocumentKind.INSPECTION_RECORD: "现场检查记录 (inspection record)",
        DocumentKind.RECTIFICATION_ORDER: "责令限期整改指令书 (rectification order)",
    }
    w(
        f"\nDocuments: `document_issue` with the real builders, each in its own transaction "
        f"(number, PDF, DOCX, both files stored, the record event), for {DOCUMENTS} saved "
        f"inspections ({ITEMS} lines, {FINDING_ANSWERS} findings, signed) and their orders "
        f"({FINDING_ANSWERS} lines). libharfbuzz-subset: "
        + (
            f"installed (`{documents.harfbuzz_subset}`)"
            if documents.harfbuzz_subset
            else "**not installed** (fontTools subsets the fonts, about 40× slower)"
        )
        + f". The first document of the process (fonts loaded) took {documents.first_ms:.0f} ms "
        f"and is not counted. Load average {documents.load[0]:.1f}–{documents.load[1]:.1f}.\n\n"
        "| Document | Issued | Median ms / p95 ms | PDF pages | PDF KB | DOCX KB |\n"
        "|---|---|---|---|---|---|\n"
    )
    for kind, samples in documents.timings_ms.items():
        pages = documents.pdf_pages.get(kind, [0])
        w(
            f"| {labels.get(kind, kind)} | {len(samples)} | {_ms(samples)} | "
            f"{min(pages)}–{max(pages)} | "
            f"{bench.median(documents.pdf_bytes[kind]) / 1024:.0f} | "
            f"{bench.median(documents.docx_bytes[kind]) / 1024:.0f} |\n"
        )
    w(
        f"\n**{documents.count} documents in {documents.seconds:.1f} s = {documents.per_s:.2f} "
        f"per second** (each a PDF and a DOCX). Rendering the PDF took {_ms(documents.pdf_ms)} "
        f"ms (median / p95), the DOCX {_ms(documents.docx_ms)} ms.\n"
    )
    if CALENDAR_GAPS:
        years = ", ".join(str(y) for y in sorted(CALENDAR_GAPS))
        w(
            f"\nThe orders' due dates falling in {years} were set (setup) at five working days "
            f"a week: chinese-calendar has no holiday calendar for {years}, so "
            "`add_working_days` raises `CalendarUnknown` there, and `order_issue` with it.\n"
        )
    if failures:
        w("\n**Targets missed:** " + "; ".join(failures) + ".\n")
    else:
        w(
            f"\nAll targets met (sync p95 <= {SAVE_TARGET_MS:.0f} ms; hazards p95 <= "
            f"{HAZARDS_P95_TARGET_MS:.0f} ms; >= {DOCS_TARGET_PER_S:.0f} documents/s; replays "
            "change nothing; queries per hazards request constant).\n"
        )
    w(f"\n```\n{line}\n```\n")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
