"""The permission matrix's rows for the referrals app (API and pages) and the objects they act on.

tests/core/matrix.py reads from this module: TARGETS (page targets: an object
endpoint's target), MAKERS (target -> function of the ctx making that object once,
stored in ctx._pages), path_keys(ctx) (the {keys} of paths: what was made before,
else MISSING; read only), snapshot() (the tables the endpoints write, compared
before and after a refused call) and ENDPOINTS.

The objects: "referral_flag", a flag (one death, 2015 解释 Art. 6) on the matrix's 天山区
case, raised by its officer on ``CASE_DAY``; "referral", the transfer its officer and team
lead (the special team) drafted on it. The matrix's actors hold every staff role but are on
no special team: in their own office they flag, dismiss and draft (the head's and the
officers' acts succeed), but submitting the team's report is refused to them (403). The
levels above read everything and act on nothing (403); another jurisdiction gets the 404 of
a missing object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.referrals import services
from inspectorate.referrals.models import (
    Referral,
    ReferralAttachment,
    ReferralFlag,
    ReferralMember,
)
from tests.core.matrix import MISSING, Ctx, Endpoint, page_object

CASE_DAY = dt.date(2026, 3, 2)
AUDIT_DAY = dt.date(2026, 3, 10)  # the flag's 3 days are over: it is in the audit

TARGETS: frozenset[str] = frozenset({"referral_flag", "referral"})


def _flag(ctx: Ctx) -> ReferralFlag:
    case = page_object(ctx, "case")
    return services.screening_flag(
        actor=ctx.world.tianshan_officer,
        case_id=case.pk,
        trigger_code="accident_consequence",
        facts={"deaths": 1, "accident": "2026-02-27 罐区爆燃"},
        today=CASE_DAY,
    )


def _referral(ctx: Ctx) -> Referral:
    flag: ReferralFlag = page_object(ctx, "referral_flag")
    return services.referral_open(
        actor=ctx.world.tianshan_officer,
        flag_id=flag.pk,
        team_ids=[ctx.world.tianshan_officer.pk, ctx.world.tianshan_lead.pk],
        report="涉嫌重大责任事故罪。",
        police="乌鲁木齐市公安局天山区分局",
        today=CASE_DAY,
    )


MAKERS: dict[str, Callable[[Ctx], Any]] = {"referral_flag": _flag, "referral": _referral}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    flag = ctx._pages.get("referral_flag")
    referral = ctx._pages.get("referral")
    return {
        "referral_flag": flag.pk if flag is not None else MISSING,
        "referral": referral.pk if referral is not None else MISSING,
    }


def snapshot() -> dict[str, Any]:
    return {
        "referral_flags": list(
            ReferralFlag.objects.order_by("pk").values_list("pk", "state", "version")
        ),
        "referrals": list(Referral.objects.order_by("pk").values_list("pk", "state", "version")),
        "referral_members": ReferralMember.objects.count(),
        "referral_attachments": ReferralAttachment.objects.count(),
    }


def _make(name: str) -> Callable[[Ctx], Any]:
    return lambda ctx: page_object(ctx, name)


def _made(ctx: Ctx, name: str) -> Any:
    """What was made before (a body is read after the snapshot: it makes nothing)."""
    return ctx._pages.get(name)


def _version(name: str, **more: Any) -> Callable[[Ctx], dict[str, Any]]:
    return lambda ctx: {"version": getattr(_made(ctx, name), "version", 1), **more}


def _case_pk(ctx: Ctx) -> int:
    return int(getattr(_made(ctx, "case"), "pk", MISSING))


_CODE: Callable[[Ctx], str] = lambda ctx: '"jurisdiction_code":"650102"'  # noqa: E731
_ENT: Callable[[Ctx], str] = lambda ctx: ctx.world.ent_tianshan.name  # noqa: E731
_OFFICE: Callable[[Ctx], str] = lambda ctx: ctx.world.tianshan.name  # noqa: E731


def _team(ctx: Ctx) -> list[int]:
    return [ctx.world.tianshan_officer.pk, ctx.world.tianshan_lead.pk]


ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-referral-flag-list",
        "GET",
        "/api/v1/referral-flags/",
        "api",
        setup=_make("referral_flag"),
        contains=_CODE,
    ),
    Endpoint(
        "api-referral-flag-list",
        "POST",
        "/api/v1/referral-flags/",
        "api",
        ok=201,
        body=lambda ctx: {
            "case": _case_pk(ctx),
            "trigger": "accident_consequence",
            "facts": {"serious_injuries": 3, "accident": "2026-02-27 罐区爆燃"},
        },
        setup=_make("case"),
        other_ok=404,  # the case is not theirs to see
        upper_ok=403,  # the office that runs the case flags it
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-referral-flag-dismiss",
        "POST",
        "/api/v1/referral-flags/{pk}/dismiss/",
        "api",
        "referral_flag",
        body=_version("referral_flag", reasons="死者系突发疾病，与作业无关。"),
        upper_ok=403,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-referral-list",
        "GET",
        "/api/v1/referrals/",
        "api",
        setup=_make("referral"),
        contains=_CODE,
    ),
    Endpoint(
        "api-referral-list",
        "POST",
        "/api/v1/referrals/",
        "api",
        ok=201,
        body=lambda ctx: {
            "flag": getattr(_made(ctx, "referral_flag"), "pk", MISSING),
            "team": _team(ctx),
            "report": "涉嫌重大责任事故罪。",
            "police": "乌鲁木齐市公安局天山区分局",
        },
        setup=_make("referral_flag"),
        other_ok=404,
        upper_ok=403,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-referral-detail",
        "GET",
        "/api/v1/referrals/{pk}/",
        "api",
        "referral",
        contains=lambda ctx: "乌鲁木齐市公安局天山区分局",
    ),
    Endpoint(
        "api-referral-action",
        "POST",
        "/api/v1/referrals/{pk}/actions/",
        "api",
        "referral",
        ok=403,  # only a member of the special team submits its report
        body=_version("referral", action="submit"),
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "api-referral-audit",
        "GET",
        "/api/v1/referrals/audit/",
        "api",
        setup=_make("referral_flag"),
        contains=_CODE,
        today=AUDIT_DAY,
    ),
    # --- pages
    Endpoint(
        "referrals:list", "GET", "/referrals/", "page", setup=_make("referral"), contains=_ENT
    ),
    Endpoint(
        "referrals:audit",
        "GET",
        "/referrals/audit/",
        "page",
        setup=_make("referral_flag"),
        contains=_OFFICE,
        today=AUDIT_DAY,
    ),
    Endpoint("referrals:flag-new", "GET", "/referrals/flags/new/", "page"),
    Endpoint(
        "referrals:flag-new",
        "POST",
        "/referrals/flags/new/",
        "page",
        ok=302,
        body=lambda ctx: {
            "case": _case_pk(ctx),
            "trigger": "accident_consequence",
            "deaths": 1,
            "accident": "2026-02-27 罐区爆燃",
        },
        setup=_make("case"),
        other_ok=400,  # not a case they may choose
        upper_ok=400,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "referrals:flag-detail",
        "GET",
        "/referrals/flags/{pk}/",
        "page",
        "referral_flag",
        contains=_ENT,
    ),
    Endpoint(
        "referrals:flag-dismiss",
        "POST",
        "/referrals/flags/{pk}/dismiss/",
        "page",
        "referral_flag",
        ok=302,
        body=_version("referral_flag", reasons="死者系突发疾病，与作业无关。"),
        upper_ok=403,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "referrals:flag-refer",
        "POST",
        "/referrals/flags/{pk}/refer/",
        "page",
        "referral_flag",
        ok=302,
        body=lambda ctx: {
            "team": _team(ctx),
            "police": "乌鲁木齐市公安局天山区分局",
            "report": "涉嫌重大责任事故罪。",
        },
        upper_ok=400,  # the team must be officers of their own office
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "referrals:referral-detail",
        "GET",
        "/referrals/{pk}/",
        "page",
        "referral",
        contains=_ENT,
    ),
    Endpoint(
        "referrals:referral-action",
        "POST",
        "/referrals/{pk}/action/submit/",
        "page",
        "referral",
        ok=403,  # only a member of the special team
        body=_version("referral"),
        today=CASE_DAY,
        writes=True,
    ),
]
