"""Thin pages of rectification: the offices' orders, and the enterprise portal.

The order page shows what was ordered and what happened since, and the actions the user
may take (``workflows.ORDER``): start the re-inspection, extend the deadline (the head),
escalate. Each action POSTs the version of the order the user saw: a change made in
between is a conflict (409) shown with the user's input kept, never an overwrite.

The portal is the enterprise's: its orders, a report with evidence, its documents. Staff
are refused there (403); an enterprise user sees only its own unit's orders (another
unit's is the same 404 as a missing one).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.core.errors import ApplicationError, ConcurrentModification, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections import workbench as inspection_reads
from inspectorate.inspections.views import apply_errors, forbidden, not_found, staff_only
from inspectorate.org.roles import Role
from inspectorate.rectification import pages, selectors, services
from inspectorate.rectification.forms import (
    EscalateForm,
    ExtendForm,
    OrderFilterForm,
    ReinspectForm,
    SubmissionForm,
)
from inspectorate.rectification.models import (
    OrderState,
    RectificationOrder,
    SubmissionKind,
)
from inspectorate.rectification.workflows import ORDER, USER_ACTIONS

PAGE_SIZE = 25
View = Callable[..., HttpResponseBase]


def _order_or_404(request: AuthedHttpRequest, pk: int) -> RectificationOrder:
    try:
        return selectors.order_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


# --- the offices' list --------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def order_list(request: AuthedHttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    form = OrderFilterForm(request.GET or None)
    state, overdue = "", False
    if form.is_valid():
        state, overdue = form.cleaned_data["state"] or "", bool(form.cleaned_data["overdue"])
    qs = selectors.order_list_for_user(user=request.user, state=state, overdue=overdue, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/order_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(o, selectors.order_is_overdue(o, today)) for o in page],
            "query": query.urlencode(),
            "today": today,
        },
    )


# --- one order ----------------------------------------------------------------------------


def _colleague_choices(request: AuthedHttpRequest) -> list[tuple[int, str]]:
    colleagues = inspection_reads.colleagues_for(user=request.user, on=timezone.localdate())
    return [(c.pk, c.get_full_name() or c.username) for c in colleagues]


def _detail_context(
    request: AuthedHttpRequest, order: RectificationOrder, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    forms = forms or {}
    user = request.user
    today = timezone.localdate()
    detail = selectors.order_detail(order)
    own_office = user.agency_id is not None and user.agency_id == order.agency_id
    actions = {
        t.action
        for t in ORDER.actions_for(order, user)
        if t.action in USER_ACTIONS and t.action != "report"
    }
    if not own_office:
        actions = set()
    overdue = selectors.order_is_overdue(order, today)
    initial = {"version": order.version}
    reinspect = forms.get("reinspect")
    if reinspect is None and "start_reinspection" in actions:
        reinspect = ReinspectForm(initial=initial, colleagues=_colleague_choices(request))
    extend = forms.get("extend")
    if extend is None and "extend" in actions:
        extend = ExtendForm(initial=initial)
    escalate = forms.get("escalate")
    escalate_ready = order.state != OrderState.ISSUED or overdue
    if escalate is None and "escalate" in actions and escalate_ready:
        escalate = EscalateForm(initial=initial)
    return {
        "order": order,
        "overdue": overdue,
        "today": today,
        "lines": detail["lines"],
        "submissions": detail["submissions"],
        "extensions": detail["extensions"],
        "reinspections": detail["reinspections"],
        "proposals": detail["proposals"],
        "suspected_crime": any(p.suspected_crime for p in detail["proposals"]),
        "documents": pages.order_documents(order, detail["reinspections"]),
        "own_office": own_office,
        "actions": actions,
        "reinspect_form": reinspect,
        "extend_form": extend,
        "escalate_form": escalate,
        "escalate_waits": "escalate" in actions and not escalate_ready,
    }


def _render_detail(
    request: AuthedHttpRequest,
    order: RectificationOrder,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "rectification/order_detail.html",
        _detail_context(request, order, forms),
        status=status,
    )


@login_required
@require_safe
@staff_only
def order_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _render_detail(request, _order_or_404(request, pk))


def _keep_input_after_conflict(form: Any, error: ApplicationError) -> None:
    """A stale version: keep what the user typed, now against the current version."""
    current = error.extra.get("current_version")
    if current is None:
        return
    data = form.data.copy()
    data["version"] = str(current)
    form.data = data


def _handle(
    request: AuthedHttpRequest,
    pk: int,
    form: Any,
    form_key: str,
    call: Callable[[dict[str, Any]], HttpResponseBase],
) -> HttpResponseBase:
    """Run one service for a POSTed form; success: its answer; else the order page again."""
    _order_or_404(request, pk)  # outside the scope: the same 404 as a missing order
    status = 400
    if form.is_valid():
        try:
            return call(form.cleaned_data)
        except NotFound:
            # The order is in the user's scope, but not of the user's office.
            messages.error(request, _("Only the office that issued the order acts on it."))
            status = 403
        except ApplicationError as exc:
            if exc.extra.get("fields"):
                apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
            if isinstance(exc, ConcurrentModification):
                _keep_input_after_conflict(form, exc)
                messages.warning(
                    request,
                    _(
                        "The order below is shown as it is now. Your input is kept: check "
                        "it against the current order, then send it again."
                    ),
                )
    else:
        messages.error(request, _("The data is not valid."))
    return _render_detail(request, _order_or_404(request, pk), {form_key: form}, status=status)


@login_required
@require_POST
@staff_only
def order_reinspect(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = ReinspectForm(request.POST, colleagues=_colleague_choices(request))

    def call(data: dict[str, Any]) -> HttpResponseBase:
        inspection = services.reinspection_start(
            actor=request.user,
            order_id=pk,
            second_officer_id=data["second_officer"],
            place=data["place"],
            expected_version=data["version"],
        )
        messages.success(request, _("The re-inspection was started."))
        return redirect("inspections:detail", pk=inspection.pk)

    return _handle(request, pk, form, "reinspect", call)


@login_required
@require_POST
@staff_only
def order_extend(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = ExtendForm(request.POST)

    def call(data: dict[str, Any]) -> HttpResponseBase:
        order = services.order_extend(
            actor=request.user,
            order_id=pk,
            working_days=data["working_days"],
            due_date=data["due_date"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        messages.success(
            request,
            _("The deadline was extended to %(day)s.") % {"day": order.due_date.isoformat()},
        )
        return redirect("rectification:order-detail", pk=pk)

    return _handle(request, pk, form, "extend", call)


@login_required
@require_POST
@staff_only
def order_escalate(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = EscalateForm(request.POST)

    def call(data: dict[str, Any]) -> HttpResponseBase:
        proposal = services.order_escalate(
            actor=request.user,
            order_id=pk,
            refused=form.refused_value(),
            refusal_kind=data["refusal_kind"] or "",
            statement=data["statement"],
            expected_version=data["version"],
        )
        messages.success(request, _("A penalty case was proposed."))
        if proposal.suspected_crime:
            messages.warning(
                request,
                _(
                    "Suspected crime of dangerous operation (危险作业罪): the unit refused to "
                    "rectify a major accident hazard. Prepare the transfer to the police."
                ),
            )
        return redirect(reverse("rectification:order-detail", args=[pk]) + "#proposals")

    return _handle(request, pk, form, "escalate", call)


# --- the enterprise portal ----------------------------------------------------------------


def enterprise_only(func: View) -> View:
    """The portal is the enterprise users'; staff are refused (403)."""

    @wraps(func)
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not (user.enterprise_id is not None and user.has_role(Role.ENTERPRISE)):
            return forbidden(request, _("The portal is for the users of enterprises."))
        return func(request, *args, **kwargs)

    return wrapper


@login_required
@require_safe
@enterprise_only
def portal_home(request: AuthedHttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {
            "orders": pages.portal_orders(user=request.user, today=today),
            "documents": pages.portal_documents(user=request.user),
            "cases": _portal_cases(request),
            "today": today,
        },
    )


def _portal_cases(request: AuthedHttpRequest) -> list[Any]:
    from inspectorate.cases.pages import portal_cases

    return portal_cases(user=request.user)


def _submission_kinds(order: RectificationOrder) -> list[str]:
    if order.state == OrderState.ISSUED:
        return list(SubmissionKind.values)
    if order.state == OrderState.REPORTED:
        return [SubmissionKind.PROGRESS, SubmissionKind.EXTENSION]
    return []


@login_required
@require_http_methods(["GET", "POST"])
@enterprise_only
@not_found
def portal_order(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    order = selectors.order_get_for_user(user=user, pk=pk)
    kinds = _submission_kinds(order)
    form = None
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submission_add(
                    actor=user,
                    order_id=order.pk,
                    kind=data["kind"],
                    note=data["note"],
                    files=[
                        (f.name or "file", getattr(f, "content_type", "") or "", f.read())
                        for f in data["evidence"]
                    ],
                )
            except NotFound:
                raise
            except ApplicationError as exc:
                apply_errors(form, exc)
                status = exc.status_code
            else:
                if data["kind"] == SubmissionKind.COMPLETION:
                    text = _("Your completion report was sent; the office will re-inspect.")
                else:
                    text = _("Your report was sent.")
                messages.success(request, text)
                return redirect("portal:order", pk=order.pk)
        order = selectors.order_get_for_user(user=user, pk=pk)
        kinds = _submission_kinds(order)
    elif kinds:
        form = SubmissionForm(kinds=kinds)
    today = timezone.localdate()
    detail = selectors.order_detail(order)
    documents = pages.order_documents(order, detail["reinspections"])
    return render(
        request,
        "portal/order.html",
        {
            "order": order,
            "overdue": selectors.order_is_overdue(order, today),
            "lines": detail["lines"],
            "submissions": detail["submissions"],
            "extensions": detail["extensions"],
            "documents": pages.documents_visible_to(documents, user=user),
            "form": form,
            "today": today,
        },
        status=status,
    )
