"""The permission matrix's rows for the officers' certificates (API and pages) and the objects
they act on.

``tests/core/matrix.py`` reads from this module: ``TARGETS`` (page targets: an object
endpoint's ``target``), ``MAKERS`` (target -> function of the ctx making that object once,
stored in ``ctx._pages``), ``path_keys(ctx)`` (the {keys} of paths: what was made before,
else ``MISSING``; read only), ``snapshot()`` (the tables the endpoints write, compared
before and after a refused call) and ``ENDPOINTS``.

The certificate is 天山区's officer's (valid 2025–2027). The matrix's actors hold every staff
role, admin included, so in 天山区 and the offices above they renew, suspend, reinstate and
revoke it; another jurisdiction gets the same 404 as for a missing certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.org.models import Certificate, CertificateEvent
from inspectorate.org.services import certificate_issue, certificate_suspend
from tests.core.matrix import MISSING, Ctx, Endpoint, page_object, province_admin

TARGETS: frozenset[str] = frozenset({"certificate"})
DAY = dt.date(2026, 11, 30)


def make_certificate(ctx: Ctx) -> Certificate:
    return certificate_issue(
        actor=province_admin(ctx.world),
        officer=ctx.world.tianshan_officer,
        number="MATRIX-650102-0001",
        issuing_authority="新疆维吾尔自治区人民政府",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 1, 15),
        sectors=[],
    )


MAKERS: dict[str, Callable[[Ctx], Any]] = {"certificate": make_certificate}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    made = ctx._pages.get("certificate")
    return {"certificate": made.pk if made is not None else MISSING}


def snapshot() -> dict[str, Any]:
    return {
        "certificates": list(
            Certificate.objects.order_by("pk").values_list(
                "pk", "number", "status", "valid_from", "valid_until", "version"
            )
        ),
        "certificate_events": CertificateEvent.objects.count(),
    }


def _suspended(ctx: Ctx) -> None:
    cert: Certificate = page_object(ctx, "certificate")
    cert.refresh_from_db()
    if cert.status == "valid":
        certificate_suspend(
            actor=province_admin(ctx.world), certificate_id=cert.pk, on=DAY, reason="涉嫌违纪"
        )


def _number(ctx: Ctx) -> str:
    return "MATRIX-650102-0001"


_API = "/api/v1/certificates/{pk}/"
_PAGE = "/officers/certificates/{pk}/"
_RENEW = {"valid_from": "2027-01-16", "valid_until": "2032-01-15", "reason": "期满换证"}
_STEP = {"on": "2026-11-30", "reason": "涉嫌违纪"}


def _body(data: dict[str, str]) -> Callable[[Ctx], dict[str, str]]:
    return lambda ctx: dict(data)


ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-certificate-expiring",
        "GET",
        "/api/v1/certificates/expiring/",
        "api",
        setup=lambda ctx: page_object(ctx, "certificate"),
        today=DAY,
    ),
    Endpoint("api-certificate-detail", "GET", _API, "api", "certificate", contains=_number),
    Endpoint(
        "api-certificate-action",
        "POST",
        _API + "renew/",
        "api",
        "certificate",
        body=_body(_RENEW),
        writes=True,
        today=DAY,
    ),
    Endpoint(
        "api-certificate-action",
        "POST",
        _API + "suspend/",
        "api",
        "certificate",
        body=_body(_STEP),
        writes=True,
        today=DAY,
    ),
    Endpoint(
        "api-certificate-action",
        "POST",
        _API + "reinstate/",
        "api",
        "certificate",
        body=_body({"on": "2026-12-01"}),
        writes=True,
        setup=_suspended,
        today=DAY,
    ),
    Endpoint(
        "api-certificate-action",
        "POST",
        _API + "revoke/",
        "api",
        "certificate",
        body=_body(_STEP),
        writes=True,
        today=DAY,
    ),
    # --- pages
    Endpoint("officers:officer-list", "GET", "/officers/", "page"),
    Endpoint(
        "officers:expiring",
        "GET",
        "/officers/expiring/",
        "page",
        setup=lambda ctx: page_object(ctx, "certificate"),
        today=DAY,
    ),
    Endpoint(
        "officers:officer-detail",
        "GET",
        "/officers/{officer}/",
        "page",
        "officer",
        setup=lambda ctx: page_object(ctx, "certificate"),
        contains=_number,
    ),
    Endpoint(
        "officers:certificate-action",
        "POST",
        _PAGE + "renew/",
        "page",
        "certificate",
        ok=302,
        body=_body({**_RENEW, "version": "1"}),
        writes=True,
        today=DAY,
    ),
    Endpoint(
        "officers:certificate-action",
        "POST",
        _PAGE + "suspend/",
        "page",
        "certificate",
        ok=302,
        body=_body(_STEP),
        writes=True,
        today=DAY,
    ),
    Endpoint(
        "officers:certificate-action",
        "POST",
        _PAGE + "reinstate/",
        "page",
        "certificate",
        ok=302,
        body=_body({"on": "2026-12-01"}),
        writes=True,
        setup=_suspended,
        today=DAY,
    ),
    Endpoint(
        "officers:certificate-action",
        "POST",
        _PAGE + "revoke/",
        "page",
        "certificate",
        ok=302,
        body=_body(_STEP),
        writes=True,
        today=DAY,
    ),
]
