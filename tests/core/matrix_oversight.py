"""The permission matrix's rows for the oversight app (API and pages) and the objects they act on.

tests/core/matrix.py reads from this module: TARGETS (page targets: an object
endpoint's target), MAKERS (target -> function of the ctx making that object once,
stored in ctx._pages), path_keys(ctx) (the {keys} of paths: what was made before,
else MISSING; read only), snapshot() (the tables the endpoints write, compared
before and after a refused call) and ENDPOINTS.

Objects: "supervision" is a supervision order of 乌鲁木齐 (650100) to 天山区 (650102) about
``world.ent_tianshan``; "review_case" a closed case of 天山区 (investigated by its officer
and team lead, decided by its head); "review" the prefecture's review of that case file.
The upper levels are the main users: the same jurisdiction (the addressed office) replies
to the order, the issuing office (the prefecture) answers it, the province reads it; a
sibling (克拉玛依) gets the 404 of a missing object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from inspectorate.cases.models import CaseState
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.oversight import services
from inspectorate.oversight.models import (
    CaseFileReview,
    ScoringSheet,
    SupervisionOrder,
    SupervisionReply,
)
from tests.core.matrix import MISSING, Ctx, Endpoint, page_object
from tests.factories import UserFactory

TARGETS: frozenset[str] = frozenset({"supervision", "review_case", "review"})
TITLE = "督促天山化工整改重大事故隐患"


def _pref_head(ctx: Ctx) -> User:
    user = User.objects.filter(username="ov_pref_head").first()
    if user is None:
        user = UserFactory(
            username="ov_pref_head", agency=ctx.world.prefecture, roles=[Role.HEAD, Role.SUPERVISOR]
        )
    return user


def make_supervision(ctx: Ctx) -> SupervisionOrder:
    today = timezone.localdate()
    return services.supervision_issue(
        actor=_pref_head(ctx),
        addressee_id=ctx.world.tianshan.pk,
        subject_kind="enterprise",
        enterprise_id=ctx.world.ent_tianshan.pk,
        title=TITLE,
        requirements="立即组织复查，依法查处。",
        due_date=today + dt.timedelta(days=30),
        today=today,
    )


def make_review_case(ctx: Ctx) -> Any:
    from tests.oversight.conftest import case

    return case(
        ctx.world.tianshan,
        ctx.world.ent_tianshan,
        state=CaseState.CLOSED,
        decided_by=ctx.world.tianshan_head,
    )


def _full_marks(case: Any) -> dict[str, dict[str, Any]]:
    sheet = services.sheet_in_force(case.jurisdiction_code)
    return {i.code: {"points": i.max_points, "note": ""} for i in sheet.items.all()}


def make_review(ctx: Ctx) -> CaseFileReview:
    case = page_object(ctx, "review_case")
    return services.case_file_review_create(
        actor=_pref_head(ctx), case_id=case.pk, scores=_full_marks(case), conclusion="规范"
    )


MAKERS: dict[str, Callable[[Ctx], Any]] = {
    "supervision": make_supervision,
    "review_case": make_review_case,
    "review": make_review,
}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    return {
        name: ctx._pages[name].pk if name in ctx._pages else MISSING for name in sorted(TARGETS)
    }


def snapshot() -> dict[str, Any]:
    return {
        "supervision_orders": list(
            SupervisionOrder.objects.order_by("pk").values_list("pk", "state", "version")
        ),
        "supervision_replies": SupervisionReply.objects.count(),
        "case_file_reviews": CaseFileReview.objects.count(),
        "scoring_sheets": list(
            ScoringSheet.objects.order_by("pk").values_list("pk", "state", "version")
        ),
    }


def _order(ctx: Ctx) -> SupervisionOrder:
    order: SupervisionOrder = page_object(ctx, "supervision")
    return order


def _review(ctx: Ctx) -> CaseFileReview:
    review: CaseFileReview = page_object(ctx, "review")
    return review


def _order_version(**more: Any) -> Callable[[Ctx], dict[str, Any]]:
    return lambda ctx: {"version": getattr(ctx._pages.get("supervision"), "version", 1), **more}


def _new_order(ctx: Ctx) -> dict[str, Any]:
    return {
        "addressee": ctx.world.tianshan.pk,
        "subject_kind": "other",
        "subject_text": "安全生产大检查情况",
        "title": "督促开展安全生产大检查",
        "requirements": "按要求开展检查并报告结果。",
        "due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    }


def _review_body(ctx: Ctx) -> dict[str, Any]:
    case = ctx._pages.get("review_case")
    scores = _full_marks(case) if case is not None else {}
    return {"case": case.pk if case is not None else MISSING, "scores": scores}


def _review_form(ctx: Ctx) -> dict[str, Any]:
    case = ctx._pages.get("review_case")
    scores = _full_marks(case) if case is not None else {}
    return {f"score_{code}": s["points"] for code, s in scores.items()} | {"conclusion": "规范"}


def _sheet(ctx: Ctx) -> dict[str, Any]:
    return {
        "name": "新疆案卷评查表",
        "source": "自治区规定",
        "items": [
            {"code": "S1", "section": "实体", "text": "事实清楚", "max_points": 60},
            {"code": "C1", "section": "程序", "text": "程序合法", "max_points": 40},
        ],
        "grade_bands": [
            {"grade": "pass", "label": "合格", "min": 60},
            {"grade": "fail", "label": "不合格", "min": 0},
        ],
    }


_TITLE: Callable[[Ctx], str] = lambda ctx: TITLE  # noqa: E731
_TS_NAME: Callable[[Ctx], str] = lambda ctx: ctx.world.tianshan.name  # noqa: E731
_API = "/api/v1/oversight"

ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint("api-oversight-dashboard", "GET", f"{_API}/dashboard/", "api"),
    Endpoint(
        "api-oversight-order-list", "GET", f"{_API}/orders/", "api", setup=_order, contains=_TITLE
    ),
    Endpoint(
        "api-oversight-order-list",
        "POST",
        f"{_API}/orders/",
        "api",
        ok=400,  # a county has no office below it
        other_ok=400,  # 天山区 is not below 克拉玛依
        upper_ok=201,
        body=_new_order,
        writes=True,
    ),
    Endpoint(
        "api-oversight-order-detail",
        "GET",
        f"{_API}/orders/{{pk}}/",
        "api",
        "supervision",
        contains=_TITLE,
    ),
    Endpoint(
        "api-oversight-order-action",
        "POST",
        f"{_API}/orders/{{pk}}/actions/",
        "api",
        "supervision",
        body=_order_version(action="reply", measures="已责令停产整改", result="隐患已整改"),
        upper_ok=403,  # only the supervised office replies
        writes=True,
    ),
    Endpoint(
        "api-oversight-order-action",
        "POST",
        f"{_API}/orders/{{pk}}/actions/",
        "api",
        "supervision",
        body=_order_version(action="withdraw", reason="已由上级直接督办"),
        ok=403,  # the supervised office may not withdraw the upper office's order
        upper_ok=403,
        by_actor={"prefecture": 200},  # the issuing office
        writes=True,
    ),
    Endpoint(
        "api-oversight-review-list",
        "GET",
        f"{_API}/reviews/",
        "api",
        setup=_review,
        contains=lambda ctx: '"conclusion":"规范"',
    ),
    Endpoint(
        "api-oversight-review-list",
        "POST",
        f"{_API}/reviews/",
        "api",
        ok=201,
        other_ok=404,
        body=_review_body,
        setup=lambda ctx: page_object(ctx, "review_case"),
        writes=True,
    ),
    Endpoint("api-oversight-review-detail", "GET", f"{_API}/reviews/{{pk}}/", "api", "review"),
    Endpoint(
        "api-oversight-review-results",
        "GET",
        f"{_API}/review-results/",
        "api",
        setup=_review,
        contains=_TS_NAME,
    ),
    Endpoint("api-oversight-sheet-list", "GET", f"{_API}/sheets/", "api"),
    Endpoint(
        "api-oversight-sheet-list",
        "POST",
        f"{_API}/sheets/",
        "api",
        ok=403,  # only a province's administrator
        other_ok=403,
        upper_ok=403,
        by_actor={"province": 201},
        body=_sheet,
        writes=True,
    ),
    Endpoint(
        "api-oversight-sheet-publish",
        "POST",
        f"{_API}/sheets/publish/",
        "api",
        ok=403,
        other_ok=403,
        upper_ok=403,
        by_actor={"province": 404},  # no draft of the province's with that id
        body=lambda ctx: {"sheet": MISSING, "version": 1},
        writes=True,
    ),
    Endpoint("api-oversight-missed", "GET", f"{_API}/missed/", "api"),
    Endpoint("api-oversight-inaction", "GET", f"{_API}/inaction/", "api"),
    # --- pages
    Endpoint("oversight:dashboard", "GET", "/oversight/", "page"),
    Endpoint(
        "oversight:dashboard-list",
        "GET",
        "/oversight/dashboard/hazards/?area=650102",
        "page",
        other_ok=404,
    ),
    Endpoint(
        "oversight:order-list", "GET", "/oversight/orders/", "page", setup=_order, contains=_TITLE
    ),
    Endpoint(
        "oversight:order-new",
        "GET",
        "/oversight/orders/new/",
        "page",
        ok=403,  # a county has no office below it
        other_ok=403,  # neither has 克拉玛依 in this world
        upper_ok=200,
    ),
    Endpoint(
        "oversight:order-new",
        "POST",
        "/oversight/orders/new/",
        "page",
        ok=403,
        other_ok=403,
        upper_ok=302,
        body=_new_order,
        writes=True,
    ),
    Endpoint(
        "oversight:order-detail",
        "GET",
        "/oversight/orders/{pk}/",
        "page",
        "supervision",
        contains=_TITLE,
    ),
    Endpoint(
        "oversight:order-action",
        "POST",
        "/oversight/orders/{pk}/reply/",
        "page",
        "supervision",
        ok=302,
        upper_ok=403,
        body=_order_version(measures="已责令停产整改", result="隐患已整改"),
        writes=True,
    ),
    Endpoint(
        "oversight:review-list",
        "GET",
        "/oversight/reviews/",
        "page",
        setup=_review,
        contains=lambda ctx: "/oversight/reviews/new/",
    ),
    Endpoint("oversight:review-new", "GET", "/oversight/reviews/new/{pk}/", "page", "review_case"),
    Endpoint(
        "oversight:review-new",
        "POST",
        "/oversight/reviews/new/{pk}/",
        "page",
        "review_case",
        ok=302,
        body=_review_form,
        writes=True,
    ),
    Endpoint(
        "oversight:review-results",
        "GET",
        "/oversight/reviews/results/",
        "page",
        setup=_review,
        contains=_TS_NAME,
    ),
    Endpoint("oversight:review-detail", "GET", "/oversight/reviews/{pk}/", "page", "review"),
    Endpoint("oversight:missed", "GET", "/oversight/missed/", "page"),
    Endpoint("oversight:inaction", "GET", "/oversight/inaction/", "page"),
]
