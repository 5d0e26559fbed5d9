"""The permission matrix's rows for the accidents app (API and pages) and the objects they act on.

tests/core/matrix.py reads from this module: TARGETS (page targets: an object
endpoint's target), MAKERS (target -> function of the ctx making that object once,
stored in ctx._pages), path_keys(ctx) (the {keys} of paths: what was made before,
else MISSING; read only), snapshot() (the tables the endpoints write, compared
before and after a refused call) and ENDPOINTS.

The "accident" target is a 一般 accident at ``world.ent_tianshan`` (天山区 650102) reported
by 天山区's officer on 2026-03-01: 天山区 investigates it (Art. 19), so the "same" actor sets
up the group while the upper levels, who see it, are refused (403); another jurisdiction
gets the same 404 as for a missing accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from inspectorate.accidents import services
from inspectorate.accidents.models import (
    Accident,
    CasualtyUpdate,
    ChainNotice,
    ChainStep,
    ResponsibilityFinding,
)
from tests.core.matrix import MISSING, Ctx, Endpoint

ACCIDENT_DAY = dt.date(2026, 3, 2)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def make_accident(ctx: Ctx) -> Accident:
    world = ctx.world
    return services.accident_report(
        actor=world.tianshan_officer,
        jurisdiction_code="650102",
        enterprise_id=world.ent_tianshan.pk,
        occurred_at=_at(dt.date(2026, 3, 1), 9),
        place="天山区化工园区",
        kind="hazchem",
        brief="物料泄漏致一人受伤",
        serious_injuries=1,
        unit_reported_at=_at(dt.date(2026, 3, 1), 9) + dt.timedelta(minutes=40),
        now=_at(dt.date(2026, 3, 1), 11),
    )


TARGETS: frozenset[str] = frozenset({"accident"})
MAKERS: dict[str, Callable[[Ctx], Any]] = {"accident": make_accident}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    accident = ctx._pages.get("accident")
    return {"accident": accident.pk if accident is not None else MISSING}


def snapshot() -> dict[str, Any]:
    return {
        "accidents": list(Accident.objects.order_by("pk").values_list("pk", "state", "version")),
        "accident_chain": list(
            ChainStep.objects.order_by("pk").values_list("pk", "reported_at", "due_at")
        ),
        "accident_notices": ChainNotice.objects.count(),
        "accident_updates": CasualtyUpdate.objects.count(),
        "accident_findings": ResponsibilityFinding.objects.count(),
    }


def _accident(ctx: Ctx) -> Accident:
    from tests.core.matrix import page_object

    accident: Accident = page_object(ctx, "accident")
    return accident


def _start(ctx: Ctx) -> dict[str, Any]:
    accident = ctx._pages.get("accident")
    return {
        "action": "start_investigation",
        "version": getattr(accident, "version", 1),
        "group_leader": "王强",
        "group_members": "区应急管理局、区公安分局",
        "set_up_on": ACCIDENT_DAY.isoformat(),
    }


def _new(ctx: Ctx) -> dict[str, Any]:
    return {
        "enterprise": ctx.world.ent_tianshan.pk,
        "jurisdiction_code": "650102",
        "occurred_at": "2026-03-02T08:00",
        "place": "天山区解放路",
        "kind": "fire",
        "brief": "仓库起火",
        "deaths": 0,
        "serious_injuries": 0,
        "missing": 0,
        "direct_loss": 50000,
        "unit_reported_at": "2026-03-02T08:30",
    }


def _new_form(ctx: Ctx) -> dict[str, Any]:
    data = _new(ctx)
    data.update(unit_name="", measures="")
    return data


def _unit_name(ctx: Ctx) -> str:
    return ctx.world.ent_tianshan.name


ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-accident-list",
        "GET",
        "/api/v1/accidents/",
        "api",
        setup=_accident,
        contains=_unit_name,
    ),
    Endpoint(
        "api-accident-list",
        "POST",
        "/api/v1/accidents/",
        "api",
        ok=201,
        body=_new,
        other_ok=400,  # 克拉玛依 cannot choose 天山区 as the place nor its unit
        today=ACCIDENT_DAY,
        writes=True,
    ),
    Endpoint(
        "api-accident-detail",
        "GET",
        "/api/v1/accidents/{pk}/",
        "api",
        "accident",
        contains=_unit_name,
    ),
    Endpoint(
        "api-accident-action",
        "POST",
        "/api/v1/accidents/{pk}/actions/",
        "api",
        "accident",
        body=_start,
        upper_ok=403,  # a 一般 accident is the county's to investigate (Art. 19)
        today=ACCIDENT_DAY,
        writes=True,
    ),
    # --- pages
    Endpoint(
        "accidents:accident-list",
        "GET",
        "/accidents/",
        "page",
        setup=_accident,
        contains=_unit_name,
    ),
    Endpoint("accidents:accident-new", "GET", "/accidents/new/", "page"),
    Endpoint(
        "accidents:accident-new",
        "POST",
        "/accidents/new/",
        "page",
        ok=302,
        body=_new_form,
        other_ok=400,
        today=ACCIDENT_DAY,
        writes=True,
    ),
    Endpoint(
        "accidents:accident-detail",
        "GET",
        "/accidents/{pk}/",
        "page",
        "accident",
        contains=_unit_name,
    ),
    Endpoint(
        "accidents:accident-action",
        "POST",
        "/accidents/{pk}/action/start_investigation/",
        "page",
        "accident",
        ok=302,
        body=_start,
        upper_ok=403,
        today=ACCIDENT_DAY,
        writes=True,
    ),
]
