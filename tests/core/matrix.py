"""The permission matrix's table and checks (ARCHITECTURE rule 1); the tests are in
``test_permission_matrix_api.py`` and ``test_permission_matrix_pages.py``.

Every endpoint and page, every kind of actor.

Actors: anonymous, an officer of another jurisdiction (克拉玛依 for a 天山区 enterprise), an
officer of the same jurisdiction (天山区) and the upper levels (乌鲁木齐市 and the region).
Officers hold every staff role, so that only the scope decides. For object endpoints the
out-of-scope answer is the same 404, byte for byte, as for an id that does not exist, and a
denied write changes nothing. ``test_every_url_is_in_the_matrix`` fails when an endpoint
is added without a row in ``ENDPOINTS``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import STAFF_ROLES
from inspectorate.registry import services
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.models import (
    Enterprise,
    ImportBatch,
    Licence,
    MajorHazardSource,
)
from tests.conftest import World
from tests.factories import UserFactory, subject_identifier

MISSING = 987654321
ALL_STAFF = sorted(STAFF_ROLES)


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

    @property
    def batch(self) -> ImportBatch:
        """A file checked by 天山区's team lead (jurisdiction_code 650102), made when needed."""
        if self._batch is None:
            self._batch = services.enterprise_import_validate(
                actor=self.world.tianshan_lead, file_name="batch.csv", data=_csv(_code(9))
            )
        return self._batch


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

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def _ent_code(ctx: Ctx) -> str:
    return ctx.world.ent_tianshan.credit_code


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
    return {
        "enterprise": ctx.world.ent_tianshan.pk,
        "import": ctx.batch.pk,
        "officer": ctx.world.tianshan_officer.pk,
    }[target]


def request_endpoint(client: Client, ep: Endpoint, ctx: Ctx, pk: int | None) -> Any:
    url = ep.path.format(pk=pk)
    body = ep.body(ctx) if ep.body else {}
    headers = {"HTTP_ACCEPT": "application/json"} if ep.kind == "api" else {}
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
    secrets = (
        ctx.world.ent_tianshan.credit_code,
        ctx.world.ent_tianshan.name,
        ctx.world.tianshan_officer.username,
    ) + ((ctx.batch.file_sha256,) if ep.target == "import" else ())
    before = snapshot()
    response = request_endpoint(client, ep, ctx, pk)
    content = content_of(response)

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
