"""The permission matrix's rows for the accountability app (API and pages) and the objects they act on.

tests/core/matrix.py reads from this module: TARGETS (page targets: an object
endpoint's target), MAKERS (target -> function of the ctx making that object once,
stored in ctx._pages), path_keys(ctx) (the {keys} of paths: what was made before,
else MISSING; read only), snapshot() (the tables the endpoints write, compared
before and after a refused call) and ENDPOINTS.

The "acc_item" target is an item raised in 天山区 about its officer (as the scan raises
it; the scan is tested in tests/accountability/). The matrix's actors hold every staff role
and are not the person, so the same office and the upper levels take up its review; a
conclusion before the review is a conflict (409) that changes nothing. Only an
administrator of the region's office edits the region's duties (``by_actor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.accountability.models import AccountabilityItem, Duty, ItemKind
from tests.core.matrix import MISSING, Ctx, Endpoint

LABEL = "天山区无证执法核查"


def make_item(ctx: Ctx) -> AccountabilityItem:
    officer = ctx.world.tianshan_officer
    return AccountabilityItem.objects.create(
        kind=ItemKind.NO_CERTIFICATE,
        subject_type="org.user",
        subject_id=str(officer.pk),
        ref="2026-03-02",
        subject_label=LABEL,
        person=officer,
        agency=ctx.world.tianshan,
        jurisdiction_code="650102",
        detected_on=dt.date(2026, 3, 31),
        facts={"day": "2026-03-02", "acts": 1},
        legal_basis="《行政处罚法》第四十二条",
    )


TARGETS: frozenset[str] = frozenset({"acc_item"})
MAKERS: dict[str, Callable[[Ctx], Any]] = {"acc_item": make_item}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    item = ctx._pages.get("acc_item")
    return {"acc_item": item.pk if item is not None else MISSING}


def snapshot() -> dict[str, Any]:
    return {
        "accountability_items": list(
            AccountabilityItem.objects.order_by("pk").values_list(
                "pk", "state", "version", "reviewer_id", "outcome_id", "finding"
            )
        ),
        "accountability_duties": list(
            Duty.objects.order_by("pk").values_list("pk", "responsibility", "version", "active")
        ),
    }


def _item(ctx: Ctx) -> AccountabilityItem:
    from tests.core.matrix import page_object

    item: AccountabilityItem = page_object(ctx, "acc_item")
    return item


def _version(**more: Any) -> Callable[[Ctx], dict[str, Any]]:
    return lambda ctx: {"version": getattr(ctx._pages.get("acc_item"), "version", 1), **more}


_LABEL: Callable[[Ctx], str] = lambda ctx: LABEL  # noqa: E731
_DUTY = {
    "act": "service",
    "act_name": "送达",
    "post": "officer",
    "responsibility": "处罚决定书宣告后当场交付当事人；不在场的，七日内送达。",
    "legal_basis": "《行政处罚法》第六十一条",
    "deadline_kind": "case_service",
    "active": True,
}
_CONCLUDE = {"outcome": "no_fault", "finding": "证件已续期，系系统录入延迟。"}
_ITEM = "/accountability/{pk}/"

ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-accountability-item-list",
        "GET",
        "/api/v1/accountability/items/",
        "api",
        setup=_item,
        contains=_LABEL,
    ),
    Endpoint(
        "api-accountability-item-detail",
        "GET",
        "/api/v1/accountability/items/{pk}/",
        "api",
        "acc_item",
        contains=_LABEL,
    ),
    Endpoint(
        "api-accountability-item-review",
        "POST",
        "/api/v1/accountability/items/{pk}/review/",
        "api",
        "acc_item",
        body=_version(),
        writes=True,
    ),
    Endpoint(
        "api-accountability-item-conclude",
        "POST",
        "/api/v1/accountability/items/{pk}/conclude/",
        "api",
        "acc_item",
        ok=409,  # not under review yet
        body=_version(**_CONCLUDE),
        writes=True,
    ),
    Endpoint("api-accountability-scan", "POST", "/api/v1/accountability/scan/", "api"),
    Endpoint(
        "api-accountability-matrix",
        "GET",
        "/api/v1/accountability/matrix/",
        "api",
    ),
    Endpoint(
        "api-accountability-duty-define",
        "POST",
        "/api/v1/accountability/duties/",
        "api",
        ok=403,  # an administrator of the region's office only
        by_actor={"province": 201},
        body=lambda ctx: _DUTY,
        writes=True,
    ),
    Endpoint(
        "api-accountability-summary",
        "GET",
        "/api/v1/accountability/summary/",
        "api",
        setup=_item,
        contains=lambda ctx: ctx.world.tianshan.name,
    ),
    # --- pages
    Endpoint(
        "accountability:item-list",
        "GET",
        "/accountability/",
        "page",
        setup=_item,
        contains=_LABEL,
    ),
    Endpoint("accountability:scan", "POST", "/accountability/scan/", "page", ok=302),
    Endpoint("accountability:matrix", "GET", "/accountability/matrix/", "page"),
    Endpoint(
        "accountability:duty-define",
        "POST",
        "/accountability/matrix/define/",
        "page",
        ok=403,
        by_actor={"province": 302},
        body=lambda ctx: {**_DUTY, "active": "on"},
        writes=True,
    ),
    Endpoint(
        "accountability:summary",
        "GET",
        "/accountability/summary/",
        "page",
        setup=_item,
        contains=lambda ctx: ctx.world.tianshan.name,
    ),
    Endpoint("accountability:item-detail", "GET", _ITEM, "page", "acc_item", contains=_LABEL),
    Endpoint(
        "accountability:item-review",
        "POST",
        _ITEM + "review/",
        "page",
        "acc_item",
        ok=302,
        body=_version(),
        writes=True,
    ),
    Endpoint(
        "accountability:item-conclude",
        "POST",
        _ITEM + "conclude/",
        "page",
        "acc_item",
        ok=409,
        body=_version(**_CONCLUDE),
        writes=True,
    ),
]
