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

from inspectorate.core.models import IssuedDocument, RecordEvent
from inspectorate.inspections import services as inspecting
from inspectorate.inspections.models import (
    Answer,
    ChecklistItem,
    ChecklistVersion,
    Finding,
    FindingEvidence,
    HeadSignature,
    Inspection,
    MeasureKind,
    OnSiteMeasure,
    Origin,
)
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import STAFF_ROLES, Role
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
from inspectorate.rectification.models import (
    ClosureCheck,
    Extension,
    OrderLine,
    PenaltyProposal,
    RectificationOrder,
    Submission,
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
    # the inspection and rectification pages' objects, made when needed (see page_object)
    _pages: dict[str, Any] = field(default_factory=dict)

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
    kind: str  # "api", "page", "docs" (the API's HTML documentation) or "portal" (see below)
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


# === Inspection and rectification pages (the pages helper's block) ==========================
#
# The objects: an inspection in progress of 天山区 (``inspection``), a closed inspection with
# its rectification order for a general and a major hazard, issued on ORDER_DAY and overdue
# since (``order``, ``document`` = the order's 责令限期整改指令书), and a draft version 2 of
# the general checklist (``draft``). Objects are made by ``setup`` or ``target_pk``, before
# the snapshot; ``page_path_keys`` only reads them ({order}, {draft}, {item} in a path).
# The services take the real time where the pages call them: the order is months overdue.
#
# Checklists are shared by every office: only an administrator of the region's office edits
# them (``by_actor``), as with the classification table.
# The enterprise portal's rows are kind "portal": staff are refused (403) and the enterprise
# user writes there, so they are checked by tests/rectification/test_pages.py, not by the
# page matrix's enterprise-user tests.

ORDER_DAY = dt.date(2026, 3, 2)
# The day the order rows act on: the order is overdue, the calendar knows the year.
ACTION_DAY = dt.date(2026, 6, 1)
# the apps whose rows live in tests/core/matrix_<app>.py (TARGETS, MAKERS, path_keys,
# snapshot, ENDPOINTS): imported when first needed, as they import this module
MATRIX_APPS = (
    "referrals",
    "accidents",
    "oversight",
    "accountability",
    "training",
    "officers",
    "legal",
    "exams",
    "assessment",
)


def _matrix_app(name: str) -> Any:
    import importlib

    return importlib.import_module(f"tests.core.matrix_{name}")


class _PageTargets:
    """The page targets: the ones below and each matrix app's ``TARGETS``."""

    BASE = frozenset({"inspection", "order", "document", "finding", "case"})

    def __contains__(self, target: object) -> bool:
        return target in self.BASE or any(
            target in _matrix_app(name).TARGETS for name in MATRIX_APPS
        )


PAGE_TARGETS = _PageTargets()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def certify(*users: User) -> None:
    """An enforcement certificate (valid 2025–2027) for each user who has none."""
    for user in users:
        if not user.certificates.exists():
            CertificateFactory(officer=user)


def _certify_actors(ctx: Ctx) -> None:
    """The matrix's actors and 天山区's officer (the second officer) hold certificates."""
    certify(ctx.world.tianshan_officer, *User.objects.filter(username__startswith="all_"))


def start_inspection(world: World, *, now: dt.datetime) -> Inspection:
    """天山区's team lead and officer start inspecting ``world.ent_tianshan``."""
    certify(world.tianshan_lead, world.tianshan_officer)
    return inspecting.inspection_start(
        actor=world.tianshan_lead,
        enterprise_id=world.ent_tianshan.pk,
        second_officer_id=world.tianshan_officer.pk,
        origin=Origin.COMPLAINT,
        origin_note="12350 举报",
        started_at=now,
    )


def build_order(
    world: World, *, day: dt.date = ORDER_DAY, major: bool = True
) -> RectificationOrder:
    """A closed inspection of ``world.ent_tianshan`` on ``day``: a general hazard (a blocked
    exit) and, if ``major``, a major accident hazard on the first official criterion; the
    rest compliant; rectification ordered for both; the record signed."""
    now = _at(day)
    lead = world.tianshan_lead
    inspection = start_inspection(world, now=now)
    answers = list(inspection.answers.select_related("item").order_by("sort"))
    general = next(a for a in answers if a.item is not None and not a.item.major_hazard)
    found = [(general, {"grade": "general", "description": "安全出口被货物堵塞"})]
    criterion = next((a for a in answers if a.item is not None and a.item.major_hazard), None)
    if major and criterion is not None:
        found.append((criterion, {"description": "罐区可燃气体检测报警器停用"}))
    chosen = {a.pk for a, _data in found}
    result = inspecting.answers_save(
        actor=lead,
        inspection_id=inspection.pk,
        changes=[
            inspecting.AnswerChange(answer_id=a.pk, result="compliant")
            for a in answers
            if a.pk not in chosen
        ],
        findings=[{"answer_id": a.pk, **data} for a, data in found],
        now=now,
    )
    inspecting.measure_decide(
        actor=lead,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[f.pk for f in result.findings],
        now=now,
    )
    inspecting.record_sign(
        actor=lead,
        inspection_id=inspection.pk,
        handling="责令限期整改",
        unit_head_name="王伟",
        signature=HeadSignature.SIGNED,
        now=now,
    )
    inspecting.inspection_close(actor=lead, inspection_id=inspection.pk, now=now)
    return RectificationOrder.objects.select_related("document").get(inspection=inspection)


def province_admin(world: World) -> User:
    """An administrator of the region's office: the one who keeps the checklists."""
    existing = User.objects.filter(username="prov_checklist_admin").first()
    if existing is not None:
        return existing
    user: User = UserFactory(
        username="prov_checklist_admin", agency=world.province, roles=[Role.ADMIN]
    )
    return user


def page_object(ctx: Ctx, name: str) -> Any:
    """One of the pages' objects ("inspection", "order", "draft"), made once per test."""
    if name not in ctx._pages:
        from tests.core.matrix_cases import make_case

        makers: dict[str, Callable[[], Any]] = {
            "case": lambda: make_case(ctx),
            "inspection": lambda: start_inspection(ctx.world, now=_at(ORDER_DAY)),
            "order": lambda: build_order(ctx.world),
            "draft": lambda: inspecting.checklist_version_draft(
                actor=province_admin(ctx.world), code="general", note="补充检查项"
            ),
        }
        for app in MATRIX_APPS:
            for target, make in _matrix_app(app).MAKERS.items():
                makers[target] = lambda make=make: make(ctx)
        ctx._pages[name] = makers[name]()
    return ctx._pages[name]


def page_target_pk(ctx: Ctx, target: str) -> int:
    if target == "document":
        return int(page_object(ctx, "order").document_id)
    if target == "finding":
        return int(page_object(ctx, "order").lines.order_by("id").first().finding_id)
    return int(page_object(ctx, target).pk)


def page_path_keys(ctx: Ctx) -> dict[str, Any]:
    """{order}, {draft} and {item} of a path (and the page targets' pks): what was made
    before (read only: nothing is made here, after the snapshot); a missing one is a number
    that is nobody's."""
    order = ctx._pages.get("order")
    draft = ctx._pages.get("draft")
    item = draft.items.order_by("sort", "id").first() if draft is not None else None
    inspection = ctx._pages.get("inspection")
    from tests.core.matrix_case_pages import case_path_keys

    extra: dict[str, Any] = {}
    for app in MATRIX_APPS:
        extra.update(_matrix_app(app).path_keys(ctx))
    return {
        **extra,
        **case_path_keys(ctx),
        "inspection": inspection.pk if inspection is not None else MISSING,
        "document": order.document_id if order is not None else MISSING,
        "order": order.pk if order is not None else MISSING,
        "draft": draft.number if draft is not None else 2,
        "item": item.pk if item is not None else MISSING,
    }


def pages_snapshot() -> dict[str, Any]:
    """The tables the inspection and rectification pages write."""
    return {
        "inspections": list(
            Inspection.objects.order_by("pk").values_list("pk", "state", "version")
        ),
        "answers": list(Answer.objects.order_by("pk").values_list("pk", "result", "revision")),
        "findings": list(Finding.objects.order_by("pk").values_list("pk", "status", "due_date")),
        "finding_evidence": FindingEvidence.objects.count(),
        "measures": OnSiteMeasure.objects.count(),
        "orders": list(
            RectificationOrder.objects.order_by("pk").values_list(
                "pk", "state", "version", "due_date"
            )
        ),
        "order_lines": list(
            OrderLine.objects.order_by("pk").values_list("pk", "state", "due_date")
        ),
        "submissions": Submission.objects.count(),
        "extensions": Extension.objects.count(),
        "proposals": PenaltyProposal.objects.count(),
        "closure_checks": ClosureCheck.objects.count(),
        "checklist_versions": list(
            ChecklistVersion.objects.order_by("pk").values_list("pk", "state", "version")
        ),
        "checklist_items": ChecklistItem.objects.count(),
        "issued_documents": IssuedDocument.objects.count(),
        **_cases_snapshot(),
        **{k: v for app in MATRIX_APPS for k, v in _matrix_app(app).snapshot().items()},
    }


def _cases_snapshot() -> dict[str, Any]:
    from tests.core.matrix_cases import cases_snapshot

    return cases_snapshot()


def _order(ctx: Ctx) -> RectificationOrder:
    order: RectificationOrder = page_object(ctx, "order")
    return order


def _draft(ctx: Ctx) -> ChecklistVersion:
    draft: ChecklistVersion = page_object(ctx, "draft")
    return draft


def _first_code(ctx: Ctx) -> str:
    """The code of the draft's first item (read only, like every body)."""
    draft = ctx._pages.get("draft")
    item = draft.items.order_by("sort", "id").first() if draft is not None else None
    return item.code if item is not None else "GEN-01"


def _order_version(**more: Any) -> Body:
    """The order's version (read only, like every body: the order is made before)."""
    return lambda ctx: {"version": getattr(ctx._pages.get("order"), "version", 1), **more}


_ENT_NAME: Callable[[Ctx], str] = lambda ctx: ctx.world.ent_tianshan.name  # noqa: E731
_DRAFT = "/inspections/checklists/general/v{draft}"
_ITEM = {
    "code": "GEN-90",
    "section": "应急管理",
    "text": "应急物资按预案配备并定期检查",
    "legal_basis": "《安全生产法》第八十一条",
    "suggested_measure": "按预案补齐应急物资并建立检查记录",
    "rectification_days": "10",
}


def _start_form(ctx: Ctx) -> dict[str, Any]:
    return {
        "enterprise": ctx.world.ent_tianshan.credit_code,
        "second_officer": ctx.world.tianshan_officer.pk,
        "origin": "complaint",
        "origin_note": "12350 举报",
        "place": "",
        "planned_visit": "",
    }


INSPECTION_PAGE_ENDPOINTS = [
    # --- inspections
    Endpoint("inspections:workbench", "GET", "/inspections/", "page"),
    Endpoint("inspections:start", "GET", "/inspections/new/", "page"),
    Endpoint(
        "inspections:start",
        "POST",
        "/inspections/new/",
        "page",
        ok=302,
        body=_start_form,
        setup=_certify_actors,
        other_ok=400,  # not a unit in its scope, not a colleague
        upper_ok=400,  # 天山区's officer is not of its office
        writes=True,
    ),
    Endpoint(
        "inspections:detail",
        "GET",
        "/inspections/{pk}/",
        "page",
        "inspection",
        contains=_ENT_NAME,
    ),
    Endpoint("inspections:service-worker", "GET", "/inspections/sw.js", "page", public=True),
    Endpoint(
        "inspections:hazards",
        "GET",
        "/inspections/hazards/",
        "page",
        setup=_order,
        contains=_ENT_NAME,
    ),
    Endpoint("inspections:checklists", "GET", "/inspections/checklists/", "page"),
    Endpoint(
        "inspections:checklist-version",
        "GET",
        "/inspections/checklists/general/v1/",
        "page",
    ),
    Endpoint(
        "inspections:checklist-draft",
        "POST",
        "/inspections/checklists/general/draft/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 302},
        body=lambda ctx: {"note": "补充检查项"},
        writes=True,
    ),
    Endpoint(
        "inspections:checklist-item-add",
        "GET",
        _DRAFT + "/items/new/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 200},
        setup=_draft,
    ),
    Endpoint(
        "inspections:checklist-item-add",
        "POST",
        _DRAFT + "/items/new/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 302},
        body=lambda ctx: dict(_ITEM),
        setup=_draft,
        writes=True,
    ),
    Endpoint(
        "inspections:checklist-item-edit",
        "GET",
        _DRAFT + "/items/{item}/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 200},
        setup=_draft,
    ),
    Endpoint(
        "inspections:checklist-item-edit",
        "POST",
        _DRAFT + "/items/{item}/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 302},
        body=lambda ctx: {
            **_ITEM,
            "code": _first_code(ctx),
            "text": "建立并落实全员安全生产责任制",
        },
        setup=_draft,
        writes=True,
    ),
    Endpoint(
        "inspections:checklist-item-delete",
        "POST",
        _DRAFT + "/items/{item}/delete/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 302},
        setup=_draft,
        writes=True,
    ),
    Endpoint(
        "inspections:checklist-publish",
        "POST",
        _DRAFT + "/publish/",
        "page",
        ok=403,
        upper_ok=403,
        by_actor={"province": 302},
        setup=_draft,
        writes=True,
    ),
    Endpoint(
        "inspections:document-pdf", "GET", "/inspections/documents/{pk}.pdf", "page", "document"
    ),
    Endpoint(
        "inspections:document-docx", "GET", "/inspections/documents/{pk}.docx", "page", "document"
    ),
    # --- rectification
    Endpoint(
        "rectification:order-list",
        "GET",
        "/rectification/",
        "page",
        setup=_order,
        contains=_ENT_NAME,
    ),
    Endpoint(
        "rectification:order-detail",
        "GET",
        "/rectification/{pk}/",
        "page",
        "order",
        contains=_ENT_NAME,
    ),
    Endpoint(
        "rectification:order-reinspect",
        "POST",
        "/rectification/{pk}/reinspect/",
        "page",
        "order",
        ok=302,
        body=lambda ctx: _order_version(second_officer=ctx.world.tianshan_officer.pk)(ctx),
        setup=_certify_actors,
        upper_ok=400,  # 天山区's officer is not a colleague of theirs
        today=ACTION_DAY,
        writes=True,
    ),
    Endpoint(
        "rectification:order-extend",
        "POST",
        "/rectification/{pk}/extend/",
        "page",
        "order",
        ok=302,
        body=_order_version(working_days="5", reason="整改所需设备到货延迟"),
        upper_ok=403,  # only the office that issued the order
        today=ACTION_DAY,
        writes=True,
    ),
    Endpoint(
        "rectification:order-escalate",
        "POST",
        "/rectification/{pk}/escalate/",
        "page",
        "order",
        ok=302,
        body=_order_version(refused="no", refusal_kind="", statement="逾期未整改"),
        upper_ok=403,
        today=ACTION_DAY,
        writes=True,
    ),
    # --- the enterprise portal: staff are refused (see above)
    Endpoint("portal:home", "GET", "/portal/", "portal", ok=403),
    Endpoint("portal:order", "GET", "/portal/orders/{order}/", "portal", ok=403, setup=_order),
    Endpoint(
        "portal:order",
        "POST",
        "/portal/orders/{order}/",
        "portal",
        ok=403,
        body=lambda ctx: {"kind": "progress", "note": "已清理安全出口"},
        multipart=True,
        setup=_order,
        writes=True,
    ),
]
# === end of the inspection and rectification pages' block ================================


# === Inspection and rectification API =====================================================
#
# Same objects as the pages' block. Recording an inspection (sync, findings, evidence,
# measures, signature, closing) is for its two officers only: the matrix's officers, who
# hold every role but did not start it, are refused (403) in scope and get 404 outside it;
# the officers' own successes are tested in tests/inspections/. Acting on an order is for
# the office that issued it: the upper levels, who see it, are refused (403).


def _inspection(ctx: Ctx) -> Inspection:
    inspection: Inspection = page_object(ctx, "inspection")
    return inspection


def _sync_body(ctx: Ctx) -> dict[str, Any]:
    inspection = ctx._pages.get("inspection")
    answer = inspection.answers.order_by("sort").first() if inspection is not None else None
    answer_id = answer.pk if answer is not None else MISSING
    return {"answers": [{"answer_id": answer_id, "result": "compliant", "base_revision": 0}]}


_VERSIONS = "/api/v1/checklists/general/versions/"
_PROVINCE_WRITES: dict[str, Any] = {"ok": 403, "upper_ok": 403, "writes": True}

INSPECTION_API_ENDPOINTS = [
    Endpoint("api-checklist-list", "GET", "/api/v1/checklists/", "api"),
    Endpoint("api-checklist-detail", "GET", "/api/v1/checklists/general/", "api"),
    Endpoint(
        "api-checklist-versions",
        "POST",
        _VERSIONS,
        "api",
        body=lambda ctx: {"note": "补充检查项"},
        by_actor={"province": 201},
        **_PROVINCE_WRITES,
    ),
    Endpoint("api-checklist-version", "GET", _VERSIONS + "1/", "api"),
    Endpoint(
        "api-checklist-items",
        "POST",
        _VERSIONS + "{draft}/items/",
        "api",
        body=lambda ctx: {**_ITEM, "rectification_days": 10},
        setup=_draft,
        by_actor={"province": 201},
        **_PROVINCE_WRITES,
    ),
    Endpoint(
        "api-checklist-item",
        "PATCH",
        _VERSIONS + "{draft}/items/{item}/",
        "api",
        body=lambda ctx: {"text": "建立并落实全员安全生产责任制（修订）"},
        setup=_draft,
        by_actor={"province": 200},
        **_PROVINCE_WRITES,
    ),
    Endpoint(
        "api-checklist-item",
        "DELETE",
        _VERSIONS + "{draft}/items/{item}/",
        "api",
        setup=_draft,
        by_actor={"province": 204},
        **_PROVINCE_WRITES,
    ),
    Endpoint(
        "api-checklist-publish",
        "POST",
        _VERSIONS + "{draft}/publish/",
        "api",
        setup=_draft,
        by_actor={"province": 200},
        **_PROVINCE_WRITES,
    ),
    Endpoint("api-inspection-list", "GET", "/api/v1/inspections/", "api", setup=_inspection),
    Endpoint(
        "api-inspection-list",
        "POST",
        "/api/v1/inspections/",
        "api",
        ok=201,
        body=lambda ctx: {
            "enterprise": ctx.world.ent_tianshan.pk,
            "second_officer": ctx.world.tianshan_officer.pk,
            "origin": "complaint",
            "origin_note": "12350 举报",
        },
        setup=_certify_actors,
        other_ok=404,  # not a unit in its scope
        upper_ok=400,  # 天山区's officer is not of its office
        writes=True,
    ),
    Endpoint(
        "api-inspection-detail",
        "GET",
        "/api/v1/inspections/{pk}/",
        "api",
        "inspection",
        contains=_ENT_NAME,
    ),
    *[
        Endpoint(
            f"api-inspection-{name}",
            "POST",
            f"/api/v1/inspections/{{pk}}/{name}/",
            "api",
            "inspection",
            ok=403,
            body=body,
            writes=True,
        )
        for name, body in (
            ("sync", _sync_body),
            ("findings", lambda ctx: {"description": "安全出口被货物堵塞"}),
            ("measures", lambda ctx: {"kind": "correct_now", "findings": [MISSING]}),
            (
                "sign",
                lambda ctx: {"handling": "x", "unit_head_name": "王伟", "signature": "signed"},
            ),
            ("close", lambda ctx: {}),
        )
    ],
    Endpoint(
        "api-finding-evidence",
        "POST",
        "/api/v1/findings/{pk}/evidence/",
        "api",
        "finding",
        ok=403,
        body=lambda ctx: {"file": _upload(b"\xff\xd8 photo")},
        multipart=True,
        writes=True,
    ),
    Endpoint("api-hazard-list", "GET", "/api/v1/hazards/", "api", setup=_order),
    Endpoint("api-order-list", "GET", "/api/v1/rectification-orders/", "api", setup=_order),
    Endpoint(
        "api-order-detail",
        "GET",
        "/api/v1/rectification-orders/{pk}/",
        "api",
        "order",
        contains=_ENT_NAME,
    ),
    Endpoint(
        "api-order-submissions",
        "POST",
        "/api/v1/rectification-orders/{pk}/submissions/",
        "api",
        "order",
        ok=403,  # the enterprise reports, not the office
        body=lambda ctx: {"kind": "progress", "note": "已清理安全出口"},
        multipart=True,
        writes=True,
    ),
    Endpoint(
        "api-order-reinspection",
        "POST",
        "/api/v1/rectification-orders/{pk}/reinspection/",
        "api",
        "order",
        ok=201,
        body=lambda ctx: _order_version(second_officer=ctx.world.tianshan_officer.pk)(ctx),
        setup=_certify_actors,
        upper_ok=403,
        today=ACTION_DAY,
        writes=True,
    ),
    Endpoint(
        "api-order-extend",
        "POST",
        "/api/v1/rectification-orders/{pk}/extend/",
        "api",
        "order",
        body=_order_version(working_days=5, reason="整改所需设备到货延迟"),
        upper_ok=403,
        today=ACTION_DAY,
        writes=True,
    ),
    Endpoint(
        "api-order-escalate",
        "POST",
        "/api/v1/rectification-orders/{pk}/escalate/",
        "api",
        "order",
        ok=201,
        body=_order_version(refused=False, statement="逾期未整改"),
        upper_ok=403,
        today=ACTION_DAY,
        writes=True,
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
    Endpoint("module", "GET", "/modules/disclosure/", "page"),
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
    *INSPECTION_PAGE_ENDPOINTS,
    *INSPECTION_API_ENDPOINTS,
]
from tests.core.matrix_cases import CASE_API_ENDPOINTS  # noqa: E402  (rows use Endpoint)

ENDPOINTS += CASE_API_ENDPOINTS
from tests.core.matrix_case_pages import CASE_PAGE_ENDPOINTS  # noqa: E402

ENDPOINTS += CASE_PAGE_ENDPOINTS
for _app in MATRIX_APPS:
    ENDPOINTS += _matrix_app(_app).ENDPOINTS
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
    if target in PAGE_TARGETS:
        return page_target_pk(ctx, target)
    return {
        "enterprise": ctx.world.ent_tianshan.pk,
        "import": ctx.batch.pk,
        "officer": ctx.world.tianshan_officer.pk,
    }[target]


def is_plan(ep: Endpoint) -> bool:
    return (ep.target or "").startswith("plan:")


@contextmanager
def on_day(day: dt.date | None) -> Iterator[None]:
    """``timezone.localdate()`` is ``day`` (when given) for the duration of a call, and
    ``timezone.now()`` a moment of it (10:00), with the clock running from there."""
    if day is None:
        yield
        return
    original = timezone.localdate
    real_now = timezone.now
    started = real_now()
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return day if value is None else original(value, timezone)

    def now() -> dt.datetime:
        return moment + (real_now() - started)

    with (
        mock.patch("django.utils.timezone.localdate", localdate),
        mock.patch("django.utils.timezone.now", now),
    ):
        yield


def request_endpoint(client: Client, ep: Endpoint, ctx: Ctx, pk: int | None) -> Any:
    if pk is None and ep.target in PAGE_TARGETS:  # an object page, on its object if made
        pk = page_path_keys(ctx)[ep.target]
    url = ep.path.format(pk=pk, officer=ctx.world.tianshan_officer.pk, **page_path_keys(ctx))
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
        **pages_snapshot(),
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
