"""The penalty cases' rows of the permission matrix (API; the pages' rows are in
``matrix_case_pages.py``) and the case they act on.

The "case" page target is a case of 天山区 against ``world.ent_tianshan``, proposed by its
officer with its team lead as second investigator and filed by its head: it is being
investigated. The matrix's "same" actor holds every staff role but investigated nothing,
so the investigators' steps are refused to it (403) while the head's are allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.cases import services as cases
from inspectorate.cases.models import (
    Case,
    CaseViolation,
    Payment,
    Statement,
)
from tests.core.matrix import Ctx, Endpoint, certify

CASE_DAY = dt.date(2026, 3, 2)


def make_case(ctx: Ctx) -> Case:
    world = ctx.world
    certify(world.tianshan_officer, world.tianshan_lead)
    case = cases.case_open(
        actor=world.tianshan_officer,
        enterprise_id=world.ent_tianshan.pk,
        source="complaint",
        summary="未如实记录事故隐患排查治理情况",
        facts="经查，未建立事故隐患排查治理台账。",
        act_date=dt.date(2026, 1, 5),
        discovered_on=dt.date(2026, 2, 20),
        second_investigator_id=world.tianshan_lead.pk,
        today=CASE_DAY,
    )
    return cases.filing_approve(actor=world.tianshan_head, case_id=case.pk, today=CASE_DAY)


def _case(ctx: Ctx) -> Case:
    from tests.core.matrix import page_object

    case: Case = page_object(ctx, "case")
    return case


def _version(**more: Any) -> Any:
    return lambda ctx: {"version": getattr(ctx._pages.get("case"), "version", 1), **more}


def _certified(ctx: Ctx) -> None:
    from tests.core.matrix import _certify_actors

    _certify_actors(ctx)


def cases_snapshot() -> dict[str, Any]:
    return {
        "cases": list(Case.objects.order_by("pk").values_list("pk", "state", "version")),
        "case_violations": CaseViolation.objects.count(),
        "case_statements": Statement.objects.count(),
        "case_payments": Payment.objects.count(),
    }


def _new_case(ctx: Ctx) -> dict[str, Any]:
    return {
        "enterprise": ctx.world.ent_tianshan.pk,
        "source": "complaint",
        "summary": "未设置安全警示标志",
        "facts": "现场检查发现配电室未设置安全警示标志。",
        "act_date": "2026-02-10",
        "discovered_on": "2026-02-20",
        "second_investigator": ctx.world.tianshan_officer.pk,
    }


_ENT: Any = lambda ctx: ctx.world.ent_tianshan.name  # noqa: E731

CASE_API_ENDPOINTS = [
    Endpoint("api-case-list", "GET", "/api/v1/cases/", "api", setup=_case, contains=_ENT),
    Endpoint(
        "api-case-list",
        "POST",
        "/api/v1/cases/",
        "api",
        ok=201,
        body=_new_case,
        other_ok=400,  # 克拉玛依 cannot choose a 天山区 unit
        upper_ok=400,  # the second investigator is not of their office
        setup=_certified,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint("api-case-detail", "GET", "/api/v1/cases/{pk}/", "api", "case", contains=_ENT),
    Endpoint(
        "api-case-action",
        "POST",
        "/api/v1/cases/{pk}/actions/",
        "api",
        "case",
        body=_version(action="terminate", reason="当事人已注销，终止调查"),
        upper_ok=403,  # the office that runs the case acts on it
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-case-violations",
        "POST",
        "/api/v1/cases/{pk}/violations/",
        "api",
        "case",
        ok=403,  # only the case's two investigators
        body=lambda ctx: {"provision": "97-5-unit-base", "description": "未记录"},
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-case-statements",
        "POST",
        "/api/v1/cases/{pk}/statements/",
        "api",
        "case",
        ok=409,  # before the notice there is nothing to answer
        upper_ok=403,
        body=lambda ctx: {"text": "我单位已整改"},
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-case-payments",
        "POST",
        "/api/v1/cases/{pk}/payments/",
        "api",
        "case",
        ok=409,  # nothing is decided yet
        upper_ok=403,
        body=lambda ctx: {
            "paid_on": "2026-03-02",
            "amount": "100.00",
            "receipt_number": "R-1",
            "channel": "银行",
        },
        today=CASE_DAY,
        writes=True,
    ),
    # --- reconsideration and lawsuits ("challenged_case": see tests/core/matrix_assessment.py)
    Endpoint(
        "api-case-challenges",
        "GET",
        "/api/v1/cases/{pk}/challenges/",
        "api",
        "challenged_case",
        contains=lambda ctx: "天政复〔2026〕1号",
    ),
    Endpoint(
        "api-case-challenges",
        "POST",
        "/api/v1/cases/{pk}/challenges/",
        "api",
        "challenged_case",
        ok=409,  # a reconsideration is already running
        upper_ok=403,  # the office that runs the case acts on it
        body=lambda ctx: {
            "kind": "lawsuit",
            "body": "天山区人民法院",
            "reference": "（2026）新0102行初1号",
            "filed_on": "2026-03-02",
        },
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-case-challenge-decide",
        "POST",
        "/api/v1/cases/{pk}/challenges/{challenge}/decide/",
        "api",
        "challenged_case",
        upper_ok=403,
        body=lambda ctx: {
            "result": "upheld",
            "result_on": "2026-03-02",
            "result_reference": "天政复决〔2026〕1号",
        },
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-discretion",
        "POST",
        "/api/v1/discretion/",
        "api",
        body=lambda ctx: {"provision": "97-5-unit-base", "facts": {"repeat": True}},
        today=CASE_DAY,
    ),
]
