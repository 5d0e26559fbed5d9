"""Thin pages of accountability: the items (list, one item with its review), the scan
button of a head, the responsibility matrix (posts × duties) and the summary per office and
per person. An item outside the user's scope is the same 404 as a missing one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from inspectorate.accountability import selectors, services
from inspectorate.accountability.forms import (
    ConcludeForm,
    DutyForm,
    ItemFilterForm,
    ScanForm,
    VersionForm,
)
from inspectorate.accountability.models import AccountabilityItem, ItemKind, Post
from inspectorate.accountability.workflows import ITEM, REVIEWERS
from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.core.record_kinds import RecordKind
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.org.models import JurisdictionLevel
from inspectorate.org.roles import Role

PAGE_SIZE = 25


def _item_or_404(request: AuthedHttpRequest, pk: int) -> AccountabilityItem:
    try:
        return selectors.item_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _can_scan(user: Any) -> bool:
    return bool(user.agency_id is not None and user.has_role(*REVIEWERS))


def _can_define(user: Any) -> bool:
    agency = user.agency
    return bool(
        agency is not None
        and user.has_role(Role.ADMIN)
        and agency.jurisdiction.level == JurisdictionLevel.PROVINCE
    )


# --- the items ----------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def item_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    offices = [(a.pk, a.name) for a in selectors.offices_for_user(user=user)]
    persons = [(u.pk, str(u)) for u in selectors.persons_with_items(user=user)]
    form = ItemFilterForm(request.GET or None, offices=offices, persons=persons)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"] or "",
            "state": data["state"] or "",
            "agency_id": data["agency"],
            "person_id": data["person"],
        }
    qs = selectors.item_list_for_user(user=user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accountability/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_scan": _can_scan(user),
            "scan_form": ScanForm(initial={"on": timezone.localdate()}),
        },
    )


#: How the facts an item keeps are labelled on its page.
FACT_LABELS: dict[str, Any] = {
    "deadline_kind": gettext_lazy("Deadline kind"),
    "deadline_basis": gettext_lazy("Legal basis of the deadline"),
    "day_count": gettext_lazy("Counted in"),
    "days": gettext_lazy("Days"),
    "start_date": gettext_lazy("Started on"),
    "due_date": gettext_lazy("Due on"),
    "met_on": gettext_lazy("Met on"),
    "days_late": gettext_lazy("Days late"),
    "act_name": gettext_lazy("Act"),
    "post_name": gettext_lazy("Post"),
    "duty_basis": gettext_lazy("Legal basis of the duty"),
    "reason_label": gettext_lazy("Reason"),
    "trigger_names": gettext_lazy("Transfer triggers"),
    "flagged_on": gettext_lazy("Flagged on"),
    "details": gettext_lazy("Details"),
    "day": gettext_lazy("Day"),
    "acts": gettext_lazy("Enforcement acts that day"),
    "events": gettext_lazy("Acts in the record"),
    "certificates": gettext_lazy("Certificates held"),
}


def _event_row(event: dict[str, Any]) -> list[str]:
    try:
        kind = str(RecordKind(event.get("kind", "")).label)
    except ValueError:
        kind = str(event.get("kind", ""))
    subject = event.get("subject") or ["", ""]
    return [
        str(event.get("at", ""))[:19].replace("T", " "),
        kind,
        f"{subject[0]} #{subject[1]}",
        f"{event.get('jurisdiction_code', '')}#{event.get('seq', '')}",
    ]


def fact_rows(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The facts as labelled rows; the lists of events and certificates as small tables."""
    rows: list[dict[str, Any]] = []
    for key, label in FACT_LABELS.items():
        if key not in facts or facts[key] in (None, "", []):
            continue
        value = facts[key]
        if key == "events":
            rows.append(
                {
                    "label": label,
                    "head": [_("Time"), _("Act"), _("Subject"), _("Record")],
                    "table": [_event_row(e) for e in value],
                }
            )
        elif key == "certificates":
            rows.append(
                {
                    "label": label,
                    "head": [
                        _("Certificate number"),
                        _("Valid from"),
                        _("Valid until"),
                        _("Status"),
                    ],
                    "table": [
                        [c["number"], c["valid_from"], c["valid_until"], c["status"]] for c in value
                    ],
                }
            )
        elif isinstance(value, list):
            rows.append({"label": label, "text": "；".join(str(v) for v in value)})
        else:
            rows.append({"label": label, "text": str(value)})
    return rows


def _detail_context(
    request: AuthedHttpRequest, item: AccountabilityItem, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    forms = forms or {}
    user = request.user
    actions = {t.action for t in ITEM.actions_for(item, user)}
    is_person = user.pk == item.person_id
    review_form = forms.get("review")
    if review_form is None and "start_review" in actions and not is_person:
        review_form = VersionForm(initial={"version": item.version})
    conclude_form = forms.get("conclude")
    outcome_choices = [(o.code, o.name) for o in selectors.outcomes()]
    if (
        conclude_form is None
        and "conclude" in actions
        and item.reviewer_id == user.pk
        and not is_person
    ):
        conclude_form = ConcludeForm(initial={"version": item.version}, outcomes=outcome_choices)
    return {
        "item": item,
        "facts": fact_rows(item.facts),
        "is_person": is_person,
        "review_form": review_form,
        "conclude_form": conclude_form,
        "outcomes": selectors.outcomes(),
    }


def _render_detail(
    request: AuthedHttpRequest,
    item: AccountabilityItem,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "accountability/item_detail.html",
        _detail_context(request, item, forms),
        status=status,
    )


@login_required
@require_safe
@staff_only
def item_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _render_detail(request, _item_or_404(request, pk))


def _handle(
    request: AuthedHttpRequest,
    pk: int,
    form: Any,
    form_key: str,
    call: Callable[[dict[str, Any]], HttpResponseBase],
) -> HttpResponseBase:
    _item_or_404(request, pk)
    status = 400
    if form.is_valid():
        try:
            return call(form.cleaned_data)
        except ApplicationError as exc:
            if exc.extra.get("fields"):
                apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
            current = exc.extra.get("current_version")
            if current is not None:
                data = form.data.copy()
                data["version"] = str(current)
                form.data = data
    else:
        messages.error(request, _("The data is not valid."))
    return _render_detail(request, _item_or_404(request, pk), {form_key: form}, status=status)


@login_required
@require_POST
@staff_only
def item_review(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = VersionForm(request.POST)

    def call(data: dict[str, Any]) -> HttpResponseBase:
        services.item_review_start(actor=request.user, item_id=pk, expected_version=data["version"])
        messages.success(request, _("You took up the review of this item."))
        return redirect("accountability:item-detail", pk=pk)

    return _handle(request, pk, form, "review", call)


@login_required
@require_POST
@staff_only
def item_conclude(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = ConcludeForm(request.POST, outcomes=[(o.code, o.name) for o in selectors.outcomes()])

    def call(data: dict[str, Any]) -> HttpResponseBase:
        services.item_conclude(
            actor=request.user,
            item_id=pk,
            outcome=data["outcome"] or "",
            finding=data["finding"] or "",
            expected_version=data["version"],
        )
        messages.success(request, _("The review was concluded."))
        return redirect("accountability:item-detail", pk=pk)

    return _handle(request, pk, form, "conclude", call)


@login_required
@require_POST
@staff_only
def scan(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ScanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The data is not valid."))
        return redirect("accountability:item-list")
    try:
        result = services.scan_for_user(actor=request.user, on=form.cleaned_data["on"])
    except ApplicationError as exc:
        if exc.status_code == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
        return redirect("accountability:item-list")
    messages.success(
        request,
        _(
            "Scan as of %(on)s: %(raised)d item(s) raised, %(already)d breach(es) already "
            "raised before."
        )
        % {
            "on": result.on.isoformat(),
            "raised": result.total_raised,
            "already": result.already_raised,
        },
    )
    return redirect("accountability:item-list")


# --- the matrix ---------------------------------------------------------------------------


def _post_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in Post.objects.order_by("sort", "code")]


def _render_matrix(
    request: AuthedHttpRequest, form: DutyForm | None = None, status: int = 200
) -> HttpResponse:
    can_define = _can_define(request.user)
    if form is None and can_define:
        form = DutyForm(posts=_post_choices(), initial={"active": True})
    return render(
        request,
        "accountability/matrix.html",
        {
            "matrix": selectors.matrix_for_user(user=request.user),
            "outcomes": selectors.outcomes(),
            "form": form if can_define else None,
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def matrix(request: AuthedHttpRequest) -> HttpResponseBase:
    return _render_matrix(request)


@login_required
@require_POST
@staff_only
def duty_define(request: AuthedHttpRequest) -> HttpResponseBase:
    form = DutyForm(request.POST, posts=_post_choices())
    if not form.is_valid():
        messages.error(request, _("The data is not valid."))
        return _render_matrix(request, form, status=400)
    data = form.cleaned_data
    try:
        services.duty_define(
            actor=request.user,
            act=data["act"],
            act_name=data["act_name"],
            post_code=data["post"],
            responsibility=data["responsibility"],
            legal_basis=data["legal_basis"],
            deadline_kind=data["deadline_kind"],
            active=data["active"],
        )
    except ApplicationError as exc:
        if exc.extra.get("fields"):
            apply_errors(form, exc)
        messages.error(request, exc.message)
        return _render_matrix(request, form, status=exc.status_code)
    messages.success(request, _("The duty was saved for your province."))
    return redirect("accountability:matrix")


# --- the summary --------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def summary(request: AuthedHttpRequest) -> HttpResponseBase:
    data = selectors.summary_for_user(user=request.user)
    return render(
        request,
        "accountability/summary.html",
        {"summary": data, "kinds": list(ItemKind)},
    )
