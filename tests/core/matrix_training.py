"""The permission matrix's rows for the training app (API and pages) and the objects they act on.

``tests/core/matrix.py`` reads from this module: ``TARGETS`` (page targets: an object
endpoint's ``target``), ``MAKERS`` (target -> function of the ctx making that object once,
stored in ``ctx._pages``), ``path_keys(ctx)`` (the {keys} of paths: what was made before,
else ``MISSING``; read only), ``snapshot()`` (the tables the endpoints write, compared
before and after a refused call) and ``ENDPOINTS``.

The "lib_entry" target is a case-library entry made by 天山区's officer from a closed
天山区 case (seen by 天山区 and the offices above it; not by 克拉玛依). Adding a case
takes another closed 天山区 case (made in ``setup``): the upper offices may add it too;
克拉玛依 cannot see the case, a field error (400) that changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inspectorate.cases.models import Case
from inspectorate.training import services
from inspectorate.training.models import LibraryCase, LibraryComment
from tests.core.matrix import MISSING, Ctx, Endpoint

TITLE = "天山区台账缺失教学案例"


def _closed_case(ctx: Ctx) -> Case:
    from tests.cases.conftest import CaseWorld
    from tests.factories import CertificateFactory
    from tests.training.conftest import closed_case

    w = ctx.world
    if "lib_certs" not in ctx._pages:
        for user in (w.tianshan_officer, w.tianshan_lead):
            CertificateFactory(officer=user)
        CertificateFactory(officer=w.tianshan_reviewer, legal_qualification=True)
        ctx._pages["lib_certs"] = True
    cw = CaseWorld(
        w=w,
        officer=w.tianshan_officer,
        lead=w.tianshan_lead,
        head=w.tianshan_head,
        reviewer=w.tianshan_reviewer,
    )
    return closed_case(cw)


def make_entry(ctx: Ctx) -> LibraryCase:
    return services.library_case_add(
        actor=ctx.world.tianshan_officer,
        case_id=_closed_case(ctx).pk,
        title=TITLE,
        teaching_notes="注意第九十七条第（五）项的适用。",
        tags=["台账"],
    )


TARGETS: frozenset[str] = frozenset({"lib_entry"})
MAKERS: dict[str, Callable[[Ctx], Any]] = {"lib_entry": make_entry}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    entry = ctx._pages.get("lib_entry")
    return {"lib_entry": entry.pk if entry is not None else MISSING}


def snapshot() -> dict[str, Any]:
    return {
        "library_cases": list(
            LibraryCase.objects.order_by("pk").values_list("pk", "case_id", "title")
        ),
        "library_comments": list(
            LibraryComment.objects.order_by("pk").values_list("pk", "entry_id", "text")
        ),
    }


def _entry(ctx: Ctx) -> LibraryCase:
    from tests.core.matrix import page_object

    entry: LibraryCase = page_object(ctx, "lib_entry")
    return entry


def _new_case(ctx: Ctx) -> None:
    ctx._pages["lib_case"] = _closed_case(ctx)


def _add_body(ctx: Ctx) -> dict[str, Any]:
    case = ctx._pages.get("lib_case")  # none when a refused caller skips the setup
    return {"case": case.pk if case else MISSING, "title": "新增教学案例", "teaching_notes": "要点"}


_TITLE: Callable[[Ctx], str] = lambda ctx: TITLE  # noqa: E731
_COMMENT = {"text": "取证要点值得学习。"}

ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-training-library-list",
        "GET",
        "/api/v1/training/library/",
        "api",
        setup=_entry,
        contains=_TITLE,
    ),
    Endpoint(
        "api-training-library-list",
        "POST",
        "/api/v1/training/library/",
        "api",
        ok=201,
        other_ok=400,
        setup=_new_case,
        body=_add_body,
        writes=True,
    ),
    Endpoint(
        "api-training-library-detail",
        "GET",
        "/api/v1/training/library/{pk}/",
        "api",
        "lib_entry",
        contains=_TITLE,
    ),
    Endpoint(
        "api-training-library-comment",
        "POST",
        "/api/v1/training/library/{pk}/comments/",
        "api",
        "lib_entry",
        ok=201,
        body=lambda ctx: _COMMENT,
        writes=True,
    ),
    # --- pages
    Endpoint("training:library-list", "GET", "/training/", "page", setup=_entry, contains=_TITLE),
    Endpoint("training:library-add", "GET", "/training/library/add/", "page"),
    Endpoint(
        "training:library-add",
        "POST",
        "/training/library/add/",
        "page",
        ok=302,
        other_ok=400,
        setup=_new_case,
        body=_add_body,
        writes=True,
    ),
    Endpoint(
        "training:library-detail",
        "GET",
        "/training/library/{lib_entry}/",
        "page",
        "lib_entry",
        contains=_TITLE,
    ),
    Endpoint(
        "training:library-comment",
        "POST",
        "/training/library/{lib_entry}/comment/",
        "page",
        "lib_entry",
        ok=302,
        body=lambda ctx: _COMMENT,
        writes=True,
    ),
]
