"""The inspection page: the form officers fill in on site, on a tablet, with or without network.

The page is rendered from the server's state; ``static/js/inspection-offline.js`` keeps
every change in the browser first (localStorage, photos in IndexedDB) and sends it to the
API with an ``Idempotency-Key`` when the network is there, so nothing is lost when the
tablet is offline and nothing is saved twice when a request is retried. A change that
meets a newer change on the server comes back as a conflict and is shown, never
overwritten. The service worker (``sw.js``) keeps the page and its assets for offline use.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from inspectorate.core.errors import NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections import selectors
from inspectorate.inspections.api import inspection_body
from inspectorate.inspections.models import (
    AnswerResult,
    HazardGrade,
    HeadSignature,
    InspectionState,
    MeasureKind,
)
from inspectorate.rectification.models import RefusalKind


@require_safe
@login_required
@never_cache
def inspection_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    detail = selectors.inspection_detail(inspection)
    sections: OrderedDict[str, list[Any]] = OrderedDict()
    for answer in detail["answers"]:
        answer.finding_list = detail["findings_by_answer"].get(answer.pk, [])
        if answer.item is not None:
            version = answer.item.checklist_version
            title = f"{version.checklist.name}（v{version.number}）"
        else:
            title = ""
        sections.setdefault(title, []).append(answer)
    is_officer = request.user.pk in (inspection.lead_officer_id, inspection.second_officer_id)
    editable = is_officer and inspection.state == InspectionState.IN_PROGRESS
    orders = list(inspection.orders.select_related("document").order_by("id"))
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": sections,
            "detail": detail,
            "answered": len(detail["answers"]) - detail["unanswered"],
            "findings_by_answer": detail["findings_by_answer"],
            "editable": editable,
            "is_reinspection": inspection.reinspection_of_id is not None,
            "results": [(r.value, r.label) for r in AnswerResult if r.value],
            "grades": HazardGrade.choices,
            "measure_kinds": MeasureKind.choices,
            "signatures": [
                (HeadSignature.SIGNED.value, HeadSignature.SIGNED.label),
                (HeadSignature.REFUSED.value, HeadSignature.REFUSED.label),
            ],
            "refusal_kinds": RefusalKind.choices,
            "open_findings": [f for f in detail["findings"] if f.status == "open"],
            "orders": orders,
            "state_json": inspection_body(inspection, detail),
        },
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /inspections/ so that it may control the pages there."""
    assets = [
        static("css/app.css"),
        static("js/inspection-offline.js"),
        static("vendor/htmx.min.js"),
        static("vendor/cjk-font.css"),
    ]
    body = SERVICE_WORKER.replace("__ASSETS__", repr(assets).replace("'", '"'))
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/inspections/"
    response["Cache-Control"] = "no-cache"
    return response


# Network first for pages (the latest state when online; the last copy when offline),
# cache first for static assets. API requests are never cached: the page's own queue
# handles them.
SERVICE_WORKER = """
const CACHE = "inspectorate-inspections-v1";
const ASSETS = __ASSETS__;
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(request, copy));
      return response;
    })));
  }
});
"""
