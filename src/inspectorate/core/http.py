"""Request types for views behind ``login_required`` (for the type checker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from inspectorate.org.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
