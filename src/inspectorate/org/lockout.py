"""What a locked-out sign-in gets: the page for browsers, the JSON error body for the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from inspectorate.core.api import error_body

LOCKED_STATUS = 429


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(
                "account_locked",
                _("Too many failed sign-in attempts. The account is locked for 30 minutes."),
            ),
            status=LOCKED_STATUS,
        )
    return render(request, "registration/locked_out.html", status=LOCKED_STATUS)
