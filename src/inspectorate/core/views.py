"""Pages of the shell: home, the placeholders of unbuilt modules, the CJK web font."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from inspectorate.core.fonts import cjk_font_path
from inspectorate.core.navigation import MODULES_BY_SLUG
from inspectorate.registry.selectors import enterprise_summary_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"summary": enterprise_summary_for_user(user=request.user)}
    )


@login_required
def module_placeholder(request: HttpRequest, module: str) -> HttpResponse:
    item = MODULES_BY_SLUG.get(module)
    if item is None or item.url_name is not None:
        raise Http404
    return render(request, "core/module_placeholder.html", {"module": item})


@require_GET
@cache_control(max_age=86400 * 30, public=True)
def cjk_font(request: HttpRequest) -> FileResponse:
    """The CJK font from its PyPI package, so pages render Chinese on a bare machine."""
    path = cjk_font_path()
    return FileResponse(path.open("rb"), content_type="font/otf")
