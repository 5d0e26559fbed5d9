"""The permission matrix's table and checks (ARCHITECTURE rule 1); the tests are in
``test_permission_matrix_api.py`` and ``test_permission_matrix_pages.py``.

Every endpoint and page, every kind of actor.

Actors: anonymous, an officer of another jurisdiction (克拉玛依 for a 天山区 enterprise), an
officer of the same jurisdiction (天山区) and the upper levels (乌鲁木齐市 and the region).
Officers hold every staff role, so that only the scope decides. For object endpoints the
out-of-scope answer is the same 404, byte for byte, as for an id that does not exist, and a
denied write changes nothing. ``test_every_url_is_in_the_matrix`` fails when an endpoint
is added without a row in ``ENDPOINTS``.

Planning rows act on 天山区's 2026 plan, made by its team lead and head through the services
up to the stage the endpoint needs (``Ctx.plan``); the upper levels read it but their writes
are refused (``upper_ok``), and public rows answer everyone alike (``public``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import STAFF_ROLES
from inspectorate.planning import draw as drawing
from inspectorate.planning import services as planning
from inspectorate.planning.models import (
    AgencyEquipment,
    ClassificationRule,
    Draw,
    EquipmentKind,
    Plan,
    PlanAdjustment,
    PlannedUnit,
    PlannedVisit,
    RiskSignal,
)
from inspectorate.registry import services
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.models import (
    Enterprise,
    ImportBatch,
    Licence,
    MajorHazardSource,
)
from tests.conftest import World
from tests.factories import CertificateFactory, UserFactory, subject_identifier

MISSING = 987654321
ALL_STAFF = sorted(STAFF_ROLES)
PLAN_DAY = dt.date(2026, 3, 2)  # "today" for the planning rows (the services read the date)
PLAN_SEED = "5eed" * 16
PLAN_STAGES = ("created", "composed", "committed", "drawn", "built", "approved")


def _code(n: int) -> str:
    return make_credit_code("9", "1", "650102", subject_identifier(70_000 + n))


def _csv(*codes: str) -> bytes:
    lines = ["统一社会信用代码,单位名称,地址,行政区划代码,行业类别,规模,风险等级"]
    lines += [f"{c},导入企业{c[-4:]},天山区人民路1号,650102,商贸,小型,一般" for c in codes]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _upload(data: bytes, name: str = "upload.csv") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


@dataclass
class Ctx:
    world: World
    _batch: ImportBatch | None = None
    _plan: Plan | None = None

    @property
    def batch(self) -> ImportBatch:
        """A file checked by 天山区's team lead (jurisdiction_code 650102), made when needed."""
        if self._batch is None:
            self._batch = services.enterprise_import_validate(
                actor=self.world.tianshan_lead, file_name="batch.csv", data=_csv(_code(9))
            )
        return self._batch

    def plan(self, stage: str) -> Plan:
        """天山区's 2026 plan up to ``stage`` (one of PLAN_STAGES), made when needed."""
        if self._plan is None:
            self._plan = _plan_up_to(self.world, stage)
        return Plan.objects.get(pk=self._plan.pk)


def _plan_up_to(world: World, stage: str) -> Plan:
    """Its two officers hold certificates, so the draw forms one team, and the office has the
    gas detector that inspections of chemical plants need."""
    lead, head = world.tianshan_lead, world.tianshan_head
    AgencyEquipment.objects.create(agency=world.tianshan, kind=EquipmentKind.GAS_DETECTOR, count=1)
    for n, officer in enumerate((world.tianshan_officer, lead), start=1):
        CertificateFactory(officer=officer, number=f"6501022026{n:04d}")
    plan = planning.plan_create(actor=lead, year=2026, today=dt.date(2026, 1, 5))
    stages = PLAN_STAGES[1 : PLAN_STAGES.index(stage) + 1]
    steps: dict[str, Callable[[int], Any]] = {
        "composed": lambda v: planning.plan_compose(
            actor=lead, plan_id=plan.pk, expected_version=v
        ),
        "committed": lambda v: planning.draw_commit(
            actor=lead, plan_id=plan.pk, expected_version=v, seed=PLAN_SEED
        ),
        "drawn": lambda v: planning.draw_execute(actor=lead, plan_id=plan.pk, expected_version=v),
        "built": lambda v: planning.plan_assign(
            actor=lead, plan_id=plan.pk, expected_version=v, time_limit=1
        ),
        "approved": lambda v: planning.plan_approve(
            actor=head,
            plan_id=plan.pk,
            expected_version=planning.plan_submit(
                actor=lead, plan_id=plan.pk, expected_version=v
            ).version,
        ),
    }
    for name in stages:
        steps[name](Plan.objects.get(pk=plan.pk).version)
    return plan


Body = Callable[[Ctx], dict[str, Any]]


def _enterprise_json(ctx: Ctx) -> dict[str, Any]:
    return {
        "credit_code": _code(1),
        "name": "天山新登记有限公司",
        "address": "天山区解放路1号",
        "jurisdiction": "650102",
        "supervising_agency": ctx.world.tianshan.code,
        "sector": "commerce",
        "size": "small",
        "risk_class": "low",
    }


def _enterprise_form(ctx: Ctx) -> dict[str, Any]:
    e = ctx.world.ent_tianshan
    return {
        "credit_code": _code(2),
        "name": "天山表单登记有限公司",
        "address": "天山区解放路2号",
        "jurisdiction": "650102",
        "supervising_agency": ctx.world.tianshan.pk,
        "sector": "commerce",
        "size": "small",
        "standardisation_level": "none",
        "risk_class": "low",
        "employees": "",
        "industry_code": "",
        "legal_representative": "",
        "contact_phone": "",
        "version": e.version,
    }


def _edit_form(ctx: Ctx) -> dict[str, Any]:
    e = ctx.world.ent_tianshan
    data = _enterprise_form(ctx)
    data.update(
        credit_code=e.credit_code,
        name=e.name,
        address=e.address,
        employees="77",
        sector=e.sector_id,
        risk_class=e.risk_class,
        size=e.size,
        standardisation_level=e.standardisation_level,
    )
    return data


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name
    method: str
    path: str  # with {pk} for object endpoints
    kind: str  # "api", "page" or "docs" (the API's HTML documentation)
    target: str | None = None  # "enterprise", "import", "officer": an object endpoint
    ok: int = 200  # the answer to an actor in scope
    body: Body | None = None
    multipart: bool = False
    other_ok: int | None = None  # a non-object endpoint's answer to another jurisdiction
    writes: bool = False
    contains: Callable[[Ctx], str] | None = field(default=None, compare=False)
    upper_ok: int | None = None  # the answer to the upper levels, when not ``ok``
    by_actor: dict[str, int] = field(default_factory=dict, compare=False)  # when they differ
    public: bool = False  # the same answer to everyone, anonymous included
    setup: Callable[[Ctx], object] | None = field(default=None, compare=False)  # before the call
    today: dt.date | None = None  # the date the call is made on

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def _ent_code(ctx: Ctx) -> str:
    return ctx.world.ent_tianshan.credit_code


def _version(stage: str, **more: Any) -> Body:
    return lambda ctx: {"version": ctx.plan(stage).version, **more}


def _approved(ctx: Ctx) -> Plan:
    return ctx.plan("approved")


def _planning(*args: Any, **kwargs: Any) -> Endpoint:
    """A planning row: 2 March 2026; a write by an upper level is refused (403)."""
    if kwargs.get("writes") and not kwargs.get("public"):
        kwargs.setdefault("upper_ok", 403)
    return Endpoint(*args, today=PLAN_DAY, **kwargs)


_TS_NAME: Callable[[Ctx], str] = lambda ctx: ctx.world.tianshan.name  # noqa: E731
_CAPACITY = {"random_share": "0.30", "reserve_share": "0.10"}
_ADJUST_NOTE = {"reason": "accident", "note": "事故后检查"}

PLANNING_ENDPOINTS = [
    # --- API
    _planning(
        "api-plan-list",
        "GET",
        "/api/v1/plans/",
        "api",
        setup=_approved,
        contains=lambda ctx: ctx.world.tianshan.code,
    ),
    _planning(
        "api-plan-list",
        "POST",
        "/api/v1/plans/",
        "api",
        ok=201,
        body=lambda ctx: {"year": 2026},
        other_ok=201,  # its own office's plan
        writes=True,
        upper_ok=201,
    ),
    _planning(
        "api-plan-detail", "GET", "/api/v1/plans/{pk}/", "api", "plan:approved", contains=_TS_NAME
    ),
    _planning(
        "api-plan-capacity",
        "POST",
        "/api/v1/plans/{pk}/capacity/",
        "api",
        "plan:created",
        body=_version("created", deductions={"duty": 10}, **_CAPACITY),
        writes=True,
    ),
    _planning(
        "api-plan-compose",
        "POST",
        "/api/v1/plans/{pk}/compose/",
        "api",
        "plan:created",
        body=_version("created"),
        writes=True,
    ),
    _planning(
        "api-plan-draw",
        "GET",
        "/api/v1/plans/{pk}/draw/",
        "api",
        "plan:approved",
        contains=lambda ctx: drawing.seed_hash(PLAN_SEED),
    ),
    _planning(
        "api-plan-draw-commit",
        "POST",
        "/api/v1/plans/{pk}/draw/commit/",
        "api",
        "plan:composed",
        body=_version("composed", seed=PLAN_SEED),
        writes=True,
    ),
    _planning(
        "api-plan-draw-run",
        "POST",
        "/api/v1/plans/{pk}/draw/run/",
        "api",
        "plan:committed",
        body=_version("committed"),
        writes=True,
    ),
    _planning(
        "api-plan-assign",
        "POST",
        "/api/v1/plans/{pk}/assign/",
        "api",
        "plan:drawn",
        body=_version("drawn", time_limit=1),
        writes=True,
    ),
    _planning(
        "api-plan-transition",
        "POST",
        "/api/v1/plans/{pk}/transitions/submit/",
        "api",
        "plan:built",
        body=_version("built"),
        writes=True,
    ),
    _planning(
        "api-plan-adjustments", "GET", "/api/v1/plans/{pk}/adjustments/", "api", "plan:approved"
    ),
    _planning(
        "api-plan-adjustments",
        "POST",
        "/api/v1/plans/{pk}/adjustments/",
        "api",
        "plan:approved",
        ok=201,
        body=lambda ctx: (
            _version("approved", **_ADJUST_NOTE)(ctx)
            | {"add": [{"enterprise": ctx.world.ent_tianshan.pk}]}
        ),
        writes=True,
    ),
    _planning(
        "api-plan-units",
        "GET",
        "/api/v1/plans/{pk}/units/",
        "api",
        "plan:approved",
        contains=_ent_code,
    ),
    _planning("api-plan-teams", "GET", "/api/v1/plans/{pk}/teams/", "api", "plan:approved"),
    _planning("api-planning-coverage", "GET", "/api/v1/planning/coverage/?year=2026", "api"),
    _planning(
        "api-public-plan-list",
        "GET",
        "/api/v1/public/plans/",
        "api",
        public=True,
        setup=_approved,
        contains=_TS_NAME,
    ),
    _planning(
        "api-public-plan-detail",
        "GET",
        "/api/v1/public/plans/{pk}/",
        "api",
        "plan:approved",
        public=True,
        contains=_TS_NAME,
    ),
    # --- pages
    _planning(
        "planning:plan-list",
        "GET",
        "/planning/",
        "page",
        setup=_approved,
        contains=lambda ctx: f'href="/planning/{ctx.plan("approved").pk}/"',
    ),
    _planning(
        "planning:plan-create",
        "POST",
        "/planning/new/",
        "page",
        ok=302,
        body=lambda ctx: {"year": "2026"},
        other_ok=302,  # its own office's plan
        writes=True,
        upper_ok=302,
    ),
    _planning("planning:coverage", "GET", "/planning/coverage/?year=2026", "page"),
    _planning(
        "planning:classification",
        "GET",
        "/planning/classification/",
        "page",  # every office of the region reads the region's table
    ),
    _planning(
        "planning:classification",
        "POST",
        "/planning/classification/",
        "page",
        ok=403,  # only an administrator of a province-level office adds a rule
        body=lambda ctx: {
            "sector": "commerce",
            "basis": "standardisation",
            "class_value": "level2",
            "min_per_year": "1",
            "max_per_year": "2",
            "days_per_inspection": "0.5",
            "effective_from": "2026-04-01",
            "source": "新应急规〔2026〕1号 第5条",
        },
        writes=True,
        upper_ok=403,
        by_actor={"province": 302},
    ),
    _planning(
        "planning:plan-detail",
        "GET",
        "/planning/{pk}/",
        "page",
        "plan:approved",
        contains=_ent_code,
    ),
    _planning(
        "planning:plan-action",
        "POST",
        "/planning/{pk}/actions/submit/",
        "page",
        "plan:built",
        ok=302,
        body=_version("built", reason=""),
        writes=True,
    ),
    _planning(
        "planning:plan-capacity",
        "POST",
        "/planning/{pk}/capacity/",
        "page",
        "plan:created",
        ok=302,
        body=_version("created", d_duty="10", **_CAPACITY),
        writes=True,
    ),
    _planning(
        "planning:plan-compose",
        "POST",
        "/planning/{pk}/compose/",
        "page",
        "plan:created",
        ok=302,
        body=_version("created"),
        writes=True,
    ),
    _planning(
        "planning:draw-commit",
        "POST",
        "/planning/{pk}/draw/commit/",
        "page",
        "plan:composed",
        ok=302,
        body=_version("composed", seed=PLAN_SEED),
        writes=True,
    ),
    _planning(
        "planning:draw-execute",
        "POST",
        "/planning/{pk}/draw/run/",
        "page",
        "plan:committed",
        ok=302,
        body=_version("committed"),
        writes=True,
    ),
    _planning(
        "planning:plan-assign",
        "POST",
        "/planning/{pk}/assign/",
        "page",
        "plan:drawn",
        ok=302,
        body=_version("drawn"),
        writes=True,
    ),
    _planning(
        "planning:plan-adjust",
        "POST",
        "/planning/{pk}/adjust/",
        "page",
        "plan:approved",
        ok=302,
        body=lambda ctx: (
            _version("approved", **_ADJUST_NOTE)(ctx)
            | {"add_code": ctx.world.ent_tianshan.credit_code}
        ),
        writes=True,
    ),
    _planning(
        "planning:officer-calendar",
        "GET",
        "/planning/{pk}/officers/{officer}/",
        "page",
        "plan:approved",
        contains=lambda ctx: ctx.world.ent_tianshan.name,
    ),
    _planning(
        "public_plans:plan-list",
        "GET",
        "/public/plans/",
        "page",
        public=True,
        setup=_approved,
        contains=_TS_NAME,
    ),
    _planning(
        "public_plans:plan-detail",
        "GET",
        "/public/plans/{pk}/",
        "page",
        "plan:approved",
        public=True,
        contains=_TS_NAME,
    ),
    _planning(
        "public_plans:draw-json",
        "GET",
        "/public/plans/{pk}/draw.json",
        "page",
        "plan:approved",
        public=True,
        contains=lambda ctx: drawing.seed_hash(PLAN_SEED),
    ),
]


ENDPOINTS = [
    # --- API: registry
    Endpoint("api-enterprise-list", "GET", "/api/v1/enterprises/", "api", contains=_ent_code),
    Endpoint(
        "api-enterprise-list",
        "POST",
        "/api/v1/enterprises/",
        "api",
        ok=201,
        body=_enterprise_json,
        other_ok=400,
        writes=True,
    ),
    Endpoint(
        "api-enterprise-import",
        "POST",
        "/api/v1/enterprises/import/",
        "api",
        ok=201,
        body=lambda ctx: {"file": _upload(_csv(_code(3)))},
        multipart=True,
        other_ok=400,
        writes=True,
    ),
    Endpoint(
        "api-enterprise-export",
        "GET",
        "/api/v1/enterprises/export/?format=csv",
        "api",
        contains=_ent_code,
    ),
    Endpoint(
        "api-enterprise-detail",
        "GET",
        "/api/v1/enterprises/{pk}/",
        "api",
        "enterprise",
        contains=_ent_code,
    ),
    Endpoint(
        "api-enterprise-detail",
        "PATCH",
        "/api/v1/enterprises/{pk}/",
        "api",
        "enterprise",
        body=lambda ctx: {"version": 1, "employees": 77},
        writes=True,
    ),
    Endpoint(
        "api-enterprise-history", "GET", "/api/v1/enterprises/{pk}/history/", "api", "enterprise"
    ),
    Endpoint(
        "api-enterprise-licences", "GET", "/api/v1/enterprises/{pk}/licences/", "api", "enterprise"
    ),
    Endpoint(
        "api-enterprise-licences",
        "POST",
        "/api/v1/enterprises/{pk}/licences/",
        "api",
        "enterprise",
        ok=201,
        writes=True,
        body=lambda ctx: {
            "kind": "safety_production",
            "number": "（新）WH安许证字〔2026〕1号",
            "issued_by": "新疆维吾尔自治区应急管理厅",
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
        },
    ),
    Endpoint(
        "api-enterprise-hazard-sources",
        "GET",
        "/api/v1/enterprises/{pk}/hazard-sources/",
        "api",
        "enterprise",
    ),
    Endpoint(
        "api-enterprise-hazard-sources",
        "POST",
        "/api/v1/enterprises/{pk}/hazard-sources/",
        "api",
        "enterprise",
        ok=201,
        writes=True,
        body=lambda ctx: {"name": "液氯储罐区", "level": 1},
    ),
    Endpoint(
        "api-enterprise-risk-signals",
        "GET",
        "/api/v1/enterprises/{pk}/risk-signals/",
        "api",
        "enterprise",
    ),
    Endpoint(
        "api-enterprise-risk-signals",
        "POST",
        "/api/v1/enterprises/{pk}/risk-signals/",
        "api",
        "enterprise",
        ok=201,
        writes=True,
        body=lambda ctx: {"kind": "complaint", "occurred_on": "2025-06-01", "note": "电话举报"},
    ),
    Endpoint(
        "api-enterprise-transition",
        "POST",
        "/api/v1/enterprises/{pk}/transitions/suspend/",
        "api",
        "enterprise",
        writes=True,
        body=lambda ctx: {"reason": "重大事故隐患", "version": 1},
    ),
    # --- API: org
    Endpoint("api-me", "GET", "/api/v1/me/", "api"),
    Endpoint("api-jurisdiction-list", "GET", "/api/v1/jurisdictions/", "api"),
    Endpoint("api-agency-list", "GET", "/api/v1/agencies/", "api"),
    Endpoint("api-officer-list", "GET", "/api/v1/officers/", "api"),
    Endpoint(
        "api-officer-detail",
        "GET",
        "/api/v1/officers/{pk}/",
        "api",
        "officer",
        contains=lambda ctx: ctx.world.tianshan_officer.username,
    ),
    Endpoint("schema", "GET", "/api/schema/", "api"),
    Endpoint("api-docs", "GET", "/api/docs/", "docs"),  # Swagger UI: an HTML page
    # --- pages
    Endpoint("home", "GET", "/", "page"),
    Endpoint("module", "GET", "/modules/cases/", "page"),
    Endpoint(
        "registry:enterprise-list", "GET", "/registry/enterprises/", "page", contains=_ent_code
    ),
    Endpoint("registry:enterprise-create", "GET", "/registry/enterprises/new/", "page"),
    Endpoint(
        "registry:enterprise-create",
        "POST",
        "/registry/enterprises/new/",
        "page",
        ok=302,
        body=_enterprise_form,
        other_ok=200,
        writes=True,
    ),
    Endpoint(
        "registry:enterprise-export", "GET", "/registry/enterprises/export/?format=xlsx", "page"
    ),
    Endpoint(
        "registry:enterprise-detail",
        "GET",
        "/registry/enterprises/{pk}/",
        "page",
        "enterprise",
        contains=_ent_code,
    ),
    Endpoint(
        "registry:enterprise-profile-pdf",
        "GET",
        "/registry/enterprises/{pk}/profile.pdf",
        "page",
        "enterprise",
    ),
    Endpoint(
        "registry:enterprise-edit",
        "GET",
        "/registry/enterprises/{pk}/edit/",
        "page",
        "enterprise",
        contains=_ent_code,
    ),
    Endpoint(
        "registry:enterprise-edit",
        "POST",
        "/registry/enterprises/{pk}/edit/",
        "page",
        "enterprise",
        ok=302,
        body=_edit_form,
        writes=True,
    ),
    Endpoint(
        "registry:enterprise-transition",
        "POST",
        "/registry/enterprises/{pk}/actions/suspend/",
        "page",
        "enterprise",
        ok=302,
        body=lambda ctx: {"reason": "重大事故隐患", "version": 1},
        writes=True,
    ),
    Endpoint("registry:import-upload", "GET", "/registry/imports/new/", "page"),
    Endpoint(
        "registry:import-upload",
        "POST",
        "/registry/imports/new/",
        "page",
        ok=302,
        body=lambda ctx: {"file": _upload(_csv(_code(4)))},
        multipart=True,
        other_ok=302,
        writes=True,
    ),
    Endpoint("registry:import-template", "GET", "/registry/imports/template.csv", "page"),
    Endpoint(
        "registry:import-detail",
        "GET",
        "/registry/imports/{pk}/",
        "page",
        "import",
        contains=lambda ctx: ctx.batch.file_sha256,
    ),
    Endpoint(
        "registry:import-commit",
        "POST",
        "/registry/imports/{pk}/commit/",
        "page",
        "import",
        ok=302,
        body=lambda ctx: {"mode": "good"},
        writes=True,
    ),
    Endpoint(
        "registry:import-rejects", "GET", "/registry/imports/{pk}/rejects.csv", "page", "import"
    ),
    *PLANNING_ENDPOINTS,
]
# Public: reachable without signing in; checked in their own tests below.
PUBLIC = {"login", "logout", "set_language", "api-token"}
# Django's admin keeps its own permission system (is_staff); checked once below.
OWN_RULES = {"admin"}


def actor_for(ctx: Ctx, who: str) -> User | None:
    agencies: dict[str, Agency] = {
        "other": ctx.world.karamay,
        "same": ctx.world.tianshan,
        "prefecture": ctx.world.prefecture,
        "province": ctx.world.province,
    }
    if who == "anonymous":
        return None
    return UserFactory(username=f"all_{who}", agency=agencies[who], roles=ALL_STAFF)


def target_pk(ctx: Ctx, target: str) -> int:
    if target.startswith("plan:"):
        return ctx.plan(target.removeprefix("plan:")).pk
    return {
        "enterprise": ctx.world.ent_tianshan.pk,
        "import": ctx.batch.pk,
        "officer": ctx.world.tianshan_officer.pk,
    }[target]


def is_plan(ep: Endpoint) -> bool:
    return (ep.target or "").startswith("plan:")


@contextmanager
def on_day(day: dt.date | None) -> Iterator[None]:
    """``timezone.localdate()`` is ``day`` (when given) for the duration of a call."""
    if day is None:
        yield
        return
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return day if value is None else original(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def request_endpoint(client: Client, ep: Endpoint, ctx: Ctx, pk: int | None) -> Any:
    url = ep.path.format(pk=pk, officer=ctx.world.tianshan_officer.pk)
    body = ep.body(ctx) if ep.body else {}
    headers = {"HTTP_ACCEPT": "application/json"} if ep.kind == "api" else {}
    with on_day(ep.today):
        if ep.method == "GET":
            return client.get(url, **headers)
        if ep.kind == "api" and not ep.multipart:
            return client.generic(
                ep.method, url, json.dumps(body), content_type="application/json", **headers
            )
        return client.post(url, body, **headers)  # form or multipart


def snapshot() -> dict[str, Any]:
    return {
        "enterprises": list(
            Enterprise.objects.order_by("pk").values_list(
                "pk", "name", "status", "version", "employees", "jurisdiction_id"
            )
        ),
        "events": RecordEvent.objects.count(),
        "licences": Licence.objects.count(),
        "hazards": MajorHazardSource.objects.count(),
        "batches": list(
            ImportBatch.objects.order_by("pk").values_list("pk", "status", "committed_rows")
        ),
        "plans": list(
            Plan.objects.order_by("pk").values_list("pk", "state", "version", "random_share")
        ),
        "classification_rules": ClassificationRule.objects.count(),
        "risk_signals": RiskSignal.objects.count(),
        "planned": (
            PlannedUnit.objects.count(),
            PlannedVisit.objects.filter(team__isnull=False).count(),
            Draw.objects.filter(drawn_at__isnull=False).count(),
            Draw.objects.count(),
            PlanAdjustment.objects.count(),
        ),
    }


def content_of(response: Any) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return bytes(response.content)


ACTORS = ["anonymous", "other", "same", "prefecture", "province"]


def check(ctx: Ctx, client_for: Callable[[User | None], Client], ep: Endpoint, who: str) -> None:
    """Call ``ep`` as ``who`` and check the answer and that a denied write changed nothing."""
    actor = actor_for(ctx, who)
    client = client_for(actor)
    pk = target_pk(ctx, ep.target) if ep.target else None
    if ep.setup is not None:
        ep.setup(ctx)
    secrets = (
        ctx.world.ent_tianshan.credit_code,
        ctx.world.ent_tianshan.name,
        ctx.world.tianshan_officer.username,
    ) + ((ctx.batch.file_sha256,) if ep.target == "import" else ())
    before = snapshot()
    response = request_endpoint(client, ep, ctx, pk)
    content = content_of(response)

    if ep.public:
        # published to everyone alike, and without the officers' names
        assert response.status_code == ep.ok, content[:500]
        if ep.contains:
            assert ep.contains(ctx).encode() in content
        for officer in (ctx.world.tianshan_officer, ctx.world.tianshan_lead):
            assert officer.username.encode() not in content
            assert officer.name.encode() not in content
        assert snapshot() == before
        return

    if who == "anonymous":
        if ep.kind == "api":
            assert response.status_code in (401, 403)
            body = response.json()
            assert set(body) == {"code", "message", "extra"}
            assert (body["code"], body["extra"]) == ("not_authenticated", {})
            assert body["message"]
        elif ep.kind == "docs":
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        assert snapshot() == before
        return

    if who == "other" and ep.target:
        # Outside the scope: the very same answer as for an id that does not exist.
        assert response.status_code == 404
        missing = content_of(request_endpoint(client, ep, ctx, MISSING))
        assert content == missing
        for secret in secrets:
            assert secret.encode() not in content
        if ep.kind == "api":
            assert response.json()["code"] == "not_found"
        assert snapshot() == before  # a denied write changes nothing
        return

    expected = ep.other_ok if (who == "other" and ep.other_ok is not None) else ep.ok
    if who in ("prefecture", "province") and ep.upper_ok is not None:
        expected = ep.upper_ok
    expected = ep.by_actor.get(who, expected)
    assert response.status_code == expected, content[:500]
    if ep.contains:  # in scope: the 天山区 row is there; from 克拉玛依: it is not
        assert (ep.contains(ctx).encode() in content) is (who != "other")
    if who == "other":
        # a write outside the scope that is not an object endpoint: refused or harmless
        after = snapshot()
        assert after["enterprises"] == before["enterprises"]
        assert (after["licences"], after["hazards"]) == (before["licences"], before["hazards"])
    elif ep.writes and expected < 400:
        assert snapshot() != before
    elif ep.writes:  # refused: nothing changed
        assert snapshot() == before
