"""Thin pages of the registry: parse, call one selector or service, render."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from inspectorate.core.documents import render_pdf
from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.org.selectors import jurisdiction_list_for_user
from inspectorate.registry import exporting, selectors, services
from inspectorate.registry.forms import EnterpriseForm, FilterForm, ImportForm, TransitionForm
from inspectorate.registry.history import enterprise_history_rows
from inspectorate.registry.importing import UnreadableFile, read_table, reject_rows
from inspectorate.registry.models import ImportStatus
from inspectorate.registry.workflows import ENTERPRISE_STATUS

PAGE_SIZE = 25


def _not_found(func: Any) -> Any:
    """Turn the services' NotFound into the same 404 page as a missing URL."""

    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = func(request, *args, **kwargs)
            return response
        except NotFound as exc:
            raise Http404 from exc

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _apply_errors(form: Any, error: ApplicationError) -> None:
    fields = error.extra.get("fields", {})
    for field, msgs in fields.items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, message)
    if not fields:
        form.add_error(None, error.message)


def _filter_form(request: AuthedHttpRequest) -> tuple[FilterForm, selectors.EnterpriseFilters]:
    # A province-wide user filters by prefecture; counties would make the list too long.
    prefix = request.user.scope.prefix or ""
    places = jurisdiction_list_for_user(user=request.user)
    jurisdictions = list(places.exclude(level="county") if len(prefix) < 4 else places)
    form = FilterForm(request.GET or None, jurisdictions=jurisdictions)
    if form.is_valid():
        return form, selectors.EnterpriseFilters(**form.cleaned_data)
    return form, selectors.EnterpriseFilters()


@login_required
def enterprise_list(request: AuthedHttpRequest) -> HttpResponse:
    form, filters = _filter_form(request)
    qs = selectors.enterprise_list_for_user(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = (
        "registry/_enterprise_table.html" if request.htmx else "registry/enterprise_list.html"
    )
    return render(request, template, context)


@login_required
def enterprise_export(request: AuthedHttpRequest) -> HttpResponseBase:
    _form, filters = _filter_form(request)
    qs = selectors.enterprise_list_for_user(user=request.user, filters=filters)
    return exporting.export_response(qs, request.GET.get("format", "csv"))


@login_required
@_not_found
def enterprise_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    history = enterprise_history_rows(enterprise=enterprise)
    context = {
        "enterprise": enterprise,
        "licences": selectors.licence_list_for_enterprise(enterprise=enterprise),
        "hazard_sources": list(enterprise.hazard_sources.all()),
        "history": history,
        "actions": ENTERPRISE_STATUS.actions_for(enterprise, request.user),
        "can_edit": request.user.is_staff_member and request.user.has_role(*services.EDITOR_ROLES),
        "transition_form": TransitionForm(initial={"version": enterprise.version}),
    }
    return render(request, "registry/enterprise_detail.html", context)


@login_required
@_not_found
def enterprise_profile_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """生产经营单位基本情况表 as a PDF, in the user's language."""
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    pdf = render_pdf(
        "documents/enterprise_profile.html",
        {
            "doc_number": "",
            "enterprise": {
                "name": enterprise.name,
                "credit_code": enterprise.credit_code,
                "address": enterprise.address,
                "sector": str(enterprise.sector),
                "size": enterprise.get_size_display(),
                "standardisation_level": enterprise.get_standardisation_level_display(),
                "risk_class": enterprise.get_risk_class_display(),
                "status": enterprise.get_status_display(),
                "supervising_agency": enterprise.supervising_agency.name,
            },
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="enterprise-{enterprise.credit_code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: AuthedHttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            enterprise = services.enterprise_register(actor=request.user, **data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The enterprise was registered."))
            return redirect("registry:enterprise-detail", pk=enterprise.pk)
    return render(request, "registry/enterprise_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
@_not_found
def enterprise_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    initial = {f: getattr(enterprise, f) for f in services.EDITABLE_FIELDS}
    initial.update(credit_code=enterprise.credit_code, version=enterprise.version)
    form = EnterpriseForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data.pop("credit_code", None)
        try:
            services.enterprise_update(
                actor=request.user, pk=pk, expected_version=version, changes=data
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:enterprise-detail", pk=pk)
    return render(
        request,
        "registry/enterprise_form.html",
        {"form": form, "creating": False, "enterprise": enterprise},
    )


@login_required
@require_POST
@_not_found
def enterprise_transition(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    selectors.enterprise_get_for_user(user=request.user, pk=pk)
    service = services.STATUS_SERVICES.get(action)
    if service is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required for this action."))
        return redirect("registry:enterprise-detail", pk=pk)
    try:
        service(
            actor=request.user,
            pk=pk,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        response = redirect("registry:enterprise-detail", pk=pk)
        return response
    messages.success(request, _("The status was changed."))
    return redirect("registry:enterprise-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.enterprise_import_validate(
                actor=request.user, file_name=upload.name, data=upload.read()
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registry:import-detail", pk=batch.pk)
    return render(request, "registry/import_upload.html", {"form": form})


@login_required
@_not_found
def import_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_batch_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "registry/import_detail.html",
        {
            "batch": batch,
            "errors": batch.errors[:500],
            "bad_rows": len({e["line"] for e in batch.errors}),
            "can_commit": batch.status == ImportStatus.VALIDATED,
        },
    )


@login_required
@require_POST
@_not_found
def import_commit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    # Missing or out of scope: the same 404 as every other page, not a redirect.
    selectors.import_batch_get_for_user(user=request.user, pk=pk)
    only_good = request.POST.get("mode") == "good"
    try:
        batch = services.enterprise_import_commit(
            actor=request.user, batch_id=pk, only_good_rows=only_good
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d enterprise was imported.",
                "%(n)d enterprises were imported.",
                batch.committed_rows,
            )
            % {"n": batch.committed_rows},
        )
    return redirect("registry:import-detail", pk=pk)


@login_required
@_not_found
def import_rejects(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_batch_get_for_user(user=request.user, pk=pk)
    with batch.file.open("rb") as fh:
        data = fh.read()
    try:
        table = read_table(batch.file_name, data)
    except UnreadableFile as exc:
        raise Http404 from exc
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(reject_rows(table, batch.errors))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejects-{batch.pk}.csv"'
    return response


@login_required
def import_template(request: AuthedHttpRequest) -> HttpResponse:
    """An empty CSV with the columns the importer reads."""
    response = HttpResponse(
        "\ufeff" + ",".join(exporting.HEADER) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.csv"'
    return response
