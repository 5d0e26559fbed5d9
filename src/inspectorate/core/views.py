"""Pages of the shell: home and the placeholders of modules not built yet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from inspectorate.core.http import AuthedHttpRequest
from inspectorate.core.navigation import MODULES_BY_SLUG
from inspectorate.registry.selectors import enterprise_summary_for_user


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"summary": enterprise_summary_for_user(user=request.user)}
    )


@login_required
def module_placeholder(request: AuthedHttpRequest, module: str) -> HttpResponse:
    item = MODULES_BY_SLUG.get(module)
    if item is None or item.url_name is not None:
        raise Http404
    return render(request, "core/module_placeholder.html", {"module": item})
