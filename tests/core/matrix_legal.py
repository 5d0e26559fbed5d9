"""The permission matrix's rows for the legal app (API and pages) and the objects they act on.

See tests/core/matrix_training.py for what tests/core/matrix.py reads from here:
TARGETS, MAKERS, path_keys(ctx), snapshot() and ENDPOINTS.

The library is read by every staff user (the national laws and the region's own policy
document are everyone's here, 克拉玛依 included: same province). Writes to the library are
a province office administrator's: only the region's actor (which holds every staff role)
adds a law or a version; the county, the prefecture and 克拉玛依 are refused (403) and
nothing changes.

The "study_item" target is 天山区's officer's study item of the region's policy document
(version added by the region's administrator): 天山区 and the offices above see it (their
actors are heads), only its officer completes it (403 for all of them), 克拉玛依 gets the
404 of a missing item. The completion report of that version shows 天山区's office to
天山区 and the offices above, not to 克拉玛依 (which sees its own offices).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.legal import services
from inspectorate.legal.models import Article, Law, LawVersion, StudyItem
from tests.core.matrix import MISSING, Ctx, Endpoint, province_admin

CODE = "matrix-policy"
TITLE = "矩阵测试规范"
TEXT = "# 矩阵测试规范\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了测试，制定本规范。\n\n第二条 执法人员应当持证上岗。\n"
TEXT_2 = TEXT.replace("持证上岗。", "持有效证件上岗。") + "\n第三条 本规范自发布之日起施行。\n"


def _policy(ctx: Ctx) -> Law:
    if "legal_law" not in ctx._pages:
        ctx._pages["legal_law"] = services.law_save(
            actor=province_admin(ctx.world),
            code=CODE,
            title=TITLE,
            short_title=TITLE,
            kind="policy",
            issuer="新疆维吾尔自治区应急管理厅",
        )
    law: Law = ctx._pages["legal_law"]
    return law


def _version(ctx: Ctx) -> LawVersion:
    """The policy's first version, added on 2026-10-01 (assigns 天山区's officer)."""
    if "legal_version" not in ctx._pages:
        ctx._pages["legal_version"] = services.version_add(
            actor=province_admin(ctx.world),
            law_code=_policy(ctx).code,
            label="2026年版",
            promulgated_on=dt.date(2026, 9, 20),
            effective_on=dt.date(2026, 10, 1),
            text=TEXT,
            today=dt.date(2026, 10, 1),
        )
    version: LawVersion = ctx._pages["legal_version"]
    return version


def _two_versions(ctx: Ctx) -> LawVersion:
    """A second version (2026-12-01: Art. 2 changed, Art. 3 added)."""
    if "legal_version_2" not in ctx._pages:
        _version(ctx)
        ctx._pages["legal_version_2"] = services.version_add(
            actor=province_admin(ctx.world),
            law_code=CODE,
            label="2026年修订",
            promulgated_on=dt.date(2026, 11, 1),
            effective_on=dt.date(2026, 12, 1),
            changes="修改第二条，增加第三条。",
            text=TEXT_2,
            today=dt.date(2026, 11, 1),
        )
    version: LawVersion = ctx._pages["legal_version_2"]
    return version


def make_item(ctx: Ctx) -> StudyItem:
    item: StudyItem = _version(ctx).study_items.get(officer=ctx.world.tianshan_officer)
    return item


TARGETS: frozenset[str] = frozenset({"study_item"})
MAKERS: dict[str, Callable[[Ctx], Any]] = {"study_item": make_item}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    item = ctx._pages.get("study_item")
    version = ctx._pages.get("legal_version")
    return {
        "study_item": item.pk if item is not None else MISSING,
        "legal_version": version.pk if version is not None else MISSING,
        "legal_article": Article.objects.order_by("pk").values_list("pk", flat=True).first(),
    }


def snapshot() -> dict[str, Any]:
    return {
        "laws": list(Law.objects.order_by("pk").values_list("pk", "code", "title", "version")),
        "law_versions": list(LawVersion.objects.order_by("pk").values_list("pk", "law_id")),
        "study_items": list(
            StudyItem.objects.order_by("pk").values_list("pk", "state", "note", "version")
        ),
    }


_KEEPER = {"other": 403, "same": 403, "prefecture": 403}  # only the region's administrator
_TIANSHAN: Callable[[Ctx], str] = lambda ctx: ctx.world.tianshan.name  # noqa: E731
_NOTE = {"note": "学习了本规范，执法人员应当持证上岗，不得转借执法证件。"}


def _law_body(ctx: Ctx) -> dict[str, Any]:
    return {
        "code": "matrix-new-policy",
        "title": "矩阵新增规范",
        "short_title": "矩阵新增规范",
        "kind": "policy",
        "issuer": "新疆维吾尔自治区应急管理厅",
    }


def _version_body(ctx: Ctx) -> dict[str, Any]:
    return {
        "label": "2026年修订",
        "promulgated_on": "2026-11-01",
        "effective_on": "2026-12-01",
        "changes": "修改第二条，增加第三条。",
        "study_hours": "2.0",
        "study_days": 30,
        "text": TEXT_2,
    }


def _patch_body(ctx: Ctx) -> dict[str, Any]:
    law = ctx._pages.get("legal_law")
    return {
        "title": TITLE + "（修订）",
        "short_title": TITLE,
        "kind": "policy",
        "issuer": "新疆维吾尔自治区应急管理厅",
        "version": law.version if law is not None else 1,
    }


ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint("api-legal-law-list", "GET", "/api/v1/legal/laws/", "api"),
    Endpoint(
        "api-legal-law-list",
        "POST",
        "/api/v1/legal/laws/",
        "api",
        ok=201,
        body=_law_body,
        writes=True,
        by_actor=_KEEPER,
    ),
    Endpoint("api-legal-law-detail", "GET", "/api/v1/legal/laws/work-safety-law/", "api"),
    Endpoint(
        "api-legal-law-detail",
        "PATCH",
        f"/api/v1/legal/laws/{CODE}/",
        "api",
        setup=_policy,
        body=_patch_body,
        writes=True,
        by_actor=_KEEPER,
    ),
    Endpoint(
        "api-legal-version-list",
        "GET",
        f"/api/v1/legal/laws/{CODE}/versions/",
        "api",
        setup=_version,
    ),
    Endpoint(
        "api-legal-version-list",
        "POST",
        f"/api/v1/legal/laws/{CODE}/versions/",
        "api",
        ok=201,
        setup=_version,
        body=_version_body,
        writes=True,
        by_actor=_KEEPER,
    ),
    Endpoint(
        "api-legal-version-detail",
        "GET",
        f"/api/v1/legal/laws/{CODE}/versions/{{legal_version}}/",
        "api",
        setup=_version,
    ),
    Endpoint(
        "api-legal-compare",
        "GET",
        f"/api/v1/legal/laws/{CODE}/compare/",
        "api",
        setup=_two_versions,
    ),
    Endpoint(
        "api-legal-article-list",
        "GET",
        "/api/v1/legal/articles/?law=work-safety-law&q=按日连续处罚",
        "api",
    ),
    Endpoint("api-legal-article-detail", "GET", "/api/v1/legal/articles/{legal_article}/", "api"),
    Endpoint("api-legal-study-list", "GET", "/api/v1/legal/study/", "api", setup=_version),
    Endpoint("api-legal-study-detail", "GET", "/api/v1/legal/study/{pk}/", "api", "study_item"),
    Endpoint(
        "api-legal-study-complete",
        "POST",
        "/api/v1/legal/study/{pk}/complete/",
        "api",
        "study_item",
        ok=403,  # only the item's own officer; tests/legal checks the officer's 200
        body=lambda ctx: _NOTE,
        writes=True,
    ),
    Endpoint(
        "api-legal-completion",
        "GET",
        "/api/v1/legal/completion/{legal_version}/",
        "api",
        setup=_version,
        contains=_TIANSHAN,
    ),
    # --- pages
    Endpoint("legal:law-list", "GET", "/legal/", "page"),
    Endpoint("legal:law-add", "GET", "/legal/laws/add/", "page", by_actor=_KEEPER),
    Endpoint(
        "legal:law-add",
        "POST",
        "/legal/laws/add/",
        "page",
        ok=302,
        body=_law_body,
        writes=True,
        by_actor=_KEEPER,
    ),
    Endpoint("legal:law-detail", "GET", "/legal/laws/work-safety-law/", "page"),
    Endpoint("legal:compare", "GET", f"/legal/laws/{CODE}/compare/", "page", setup=_two_versions),
    Endpoint(
        "legal:version-add",
        "GET",
        f"/legal/laws/{CODE}/versions/add/",
        "page",
        setup=_version,
        by_actor=_KEEPER,
    ),
    Endpoint(
        "legal:version-add",
        "POST",
        f"/legal/laws/{CODE}/versions/add/",
        "page",
        ok=302,
        setup=_version,
        body=_version_body,
        writes=True,
        by_actor=_KEEPER,
    ),
    Endpoint("legal:article-detail", "GET", "/legal/articles/{legal_article}/", "page"),
    Endpoint("legal:study-list", "GET", "/legal/study/", "page", setup=_version),
    Endpoint("legal:study-detail", "GET", "/legal/study/{study_item}/", "page", "study_item"),
    Endpoint(
        "legal:study-complete",
        "POST",
        "/legal/study/{study_item}/complete/",
        "page",
        "study_item",
        ok=403,
        body=lambda ctx: _NOTE,
        writes=True,
    ),
    Endpoint("legal:completion-list", "GET", "/legal/completion/", "page", setup=_version),
    Endpoint(
        "legal:completion",
        "GET",
        "/legal/completion/{legal_version}/",
        "page",
        setup=_version,
        contains=_TIANSHAN,
    ),
]
