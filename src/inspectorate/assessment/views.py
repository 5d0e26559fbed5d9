"""Pages of the annual assessment (mounted at /assessment/): the report of the user's own
office (``assessment:report``, with a year and office selector), the offices of the
user's scope (``assessment:offices``), one office's officers (``assessment:office``),
one officer's result with its inputs (``assessment:result``), the CSV export, and the
compute and confirm buttons. An office or result outside what the user may read is the
same 404 as a missing one."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.assessment import selectors, services
from inspectorate.assessment.forms import SchemeForm
from inspectorate.assessment.models import COMPONENTS, AssessmentResult, Grade
from inspectorate.assessment.selectors import COMPUTE_ROLES
from inspectorate.cases.models import ChallengeResult
from inspectorate.core.errors import ApplicationError, NotFound, PermissionDenied
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.org.models import Agency, JurisdictionLevel
from inspectorate.org.roles import Role

COMPONENT_LABELS = {
    "training": gettext_lazy("Training hours"),
    "exams": gettext_lazy("Exams"),
    "review": gettext_lazy("Case-file review"),
    "overturned": gettext_lazy("Decisions overturned"),
    "deadlines": gettext_lazy("Missed deadlines"),
}


def _today() -> dt.date:
    return timezone.localdate()


def _year(request: AuthedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = _today()
    if raw.isdigit() and services.FIRST_YEAR <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _years() -> list[int]:
    this = _today().year
    return list(range(this, this - 5, -1))


def _score_cells(result: AssessmentResult) -> list[dict[str, Any]]:
    return [
        {
            "key": c,
            "label": COMPONENT_LABELS[c],
            "score": result.score(c),
            "weight": result.weights_used.get(c),
        }
        for c in COMPONENTS
    ]


def _office_context(request: AuthedHttpRequest, agency: Agency, year: int) -> dict[str, Any]:
    user = request.user
    office = selectors.office_assessment(user=user, agency_id=agency.pk, year=year)
    results = selectors.office_results(office) if office is not None else []
    officers = selectors.assessed_officers(agency).count()
    summary = selectors.summarize(agency, office, results, officers)
    scheme = office.scheme if office else selectors.scheme_for(str(agency.jurisdiction_id), year)
    readable = [
        a
        for a in Agency.objects.filter(user.scope.q("jurisdiction_id")).order_by(
            "jurisdiction_id", "code"
        )
    ]
    return {
        "agency": agency,
        "year": year,
        "years": _years(),
        "agencies": readable,
        "office": office,
        "summary": summary,
        "scheme": scheme,
        "weights": [(COMPONENT_LABELS[c], scheme.weights()[c]) for c in COMPONENTS],
        "components": [COMPONENT_LABELS[c] for c in COMPONENTS],
        "rows": [{"r": r, "cells": _score_cells(r)} for r in results],
        "may_compute": (office is None or not office.confirmed) and user.has_role(*COMPUTE_ROLES),
        "may_confirm": office is not None
        and not office.confirmed
        and user.agency_id == agency.pk
        and user.has_role(Role.HEAD),
    }


@login_required
@require_safe
@staff_only
def report(request: AuthedHttpRequest) -> HttpResponseBase:
    """The user's own office (or the one chosen) in the year chosen; an officer who may
    not read the office's results sees their own."""
    user = request.user
    year = _year(request)
    agency_id = request.GET.get("agency") or user.agency_id
    agency = None
    if agency_id is not None:
        try:
            agency = selectors.agency_for_reader(user=user, agency_id=agency_id)
        except NotFound:
            if str(agency_id) != str(user.agency_id):
                raise Http404 from None
    if agency is None:
        return render(
            request,
            "assessment/own.html",
            {"results": selectors.own_results(user=user), "year": year},
        )
    return render(request, "assessment/office.html", _office_context(request, agency, year))


@login_required
@require_safe
@staff_only
def office(request: AuthedHttpRequest, agency: int, year: int) -> HttpResponseBase:
    try:
        found = selectors.agency_for_reader(user=request.user, agency_id=agency)
    except NotFound as exc:
        raise Http404 from exc
    if not services.FIRST_YEAR <= year <= _today().year:
        raise Http404
    return render(request, "assessment/office.html", _office_context(request, found, year))


@login_required
@require_safe
@staff_only
def offices(request: AuthedHttpRequest) -> HttpResponseBase:
    year = _year(request)
    rows = selectors.offices_for_user(user=request.user, year=year)
    return render(
        request,
        "assessment/offices.html",
        {"rows": rows, "year": year, "years": _years(), "grades": list(Grade)},
    )


def _explain(result: AssessmentResult) -> list[dict[str, Any]]:
    """Each component: its inputs and how its score was computed."""
    scheme = result.office.scheme
    out = []
    for c in COMPONENTS:
        inputs = result.inputs.get(c, {})
        out.append(
            {
                "key": c,
                "label": COMPONENT_LABELS[c],
                "score": result.score(c),
                "weight": scheme.weights()[c],
                "weight_used": result.weights_used.get(c),
                "inputs": inputs,
            }
        )
    return out


@login_required
@require_safe
@staff_only
def result(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        found = selectors.result_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "assessment/result.html",
        {
            "result": found,
            "scheme": found.office.scheme,
            "components": _explain(found),
            "results_labels": dict(ChallengeResult.choices),
        },
    )


def _post(
    request: AuthedHttpRequest, agency: int, year: int, call: Any, done: str
) -> HttpResponseBase:
    version = request.POST.get("version", "")
    target = reverse("assessment:office", args=[agency, year])
    try:
        call(int(version) if version.isdigit() else None)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        try:
            found = selectors.agency_for_reader(user=request.user, agency_id=agency)
        except NotFound:
            return redirect(target)
        context = _office_context(request, found, year)
        return render(request, "assessment/office.html", context, status=exc.status_code)
    messages.success(request, done)
    return redirect(target)


@login_required
@require_POST
@staff_only
def compute(request: AuthedHttpRequest, agency: int, year: int) -> HttpResponseBase:
    return _post(
        request,
        agency,
        year,
        lambda version: services.assessment_compute(
            actor=request.user,
            agency=agency,
            year=year,
            today=_today(),
            expected_version=version,
        ),
        _("The assessment was computed."),
    )


@login_required
@require_POST
@staff_only
def confirm(request: AuthedHttpRequest, agency: int, year: int) -> HttpResponseBase:
    return _post(
        request,
        agency,
        year,
        lambda version: services.assessment_confirm(
            actor=request.user,
            agency=agency,
            year=year,
            today=_today(),
            expected_version=version,
        ),
        _("The assessment was confirmed."),
    )


def _may_publish(user: Any) -> bool:
    agency = user.agency
    return bool(
        agency is not None
        and agency.jurisdiction.level == JurisdictionLevel.PROVINCE
        and user.has_role(*COMPUTE_ROLES)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def scheme(request: AuthedHttpRequest) -> HttpResponseBase:
    """The scheme in force for the user's province in the year; a provincial office's head
    or admin publishes the province's own (from a year on)."""
    user = request.user
    year = _year(request)
    code = str(user.agency.jurisdiction_id) if user.agency is not None else ""
    current = selectors.scheme_for(code, year)
    may = _may_publish(user)
    status = 200
    if request.method == "POST":
        form = SchemeForm(request.POST)
        if not may:
            return forbidden(request, _("Only a provincial office publishes an assessment scheme."))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.scheme_save(
                    actor=user,
                    year=data["year"],
                    name=data["name"],
                    source=data["source"],
                    values={k: data[k] for k in SchemeForm.VALUES},
                    today=_today(),
                    expected_version=data.get("version"),
                )
            except PermissionDenied as exc:
                return forbidden(request, exc.message)
            except ApplicationError as exc:
                apply_errors(form, exc)
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The scheme was published."))
                return redirect(f"{reverse('assessment:scheme')}?year={data['year']}")
        else:
            messages.error(request, _("The data is not valid."))
    else:
        own = current if current.jurisdiction_code == code and code else None
        initial = {k: getattr(current, k) for k in SchemeForm.VALUES}
        initial.update(
            year=year,
            name=current.name,
            source=current.source if own else "",
            version=own.version if own and own.year == year else None,
        )
        form = SchemeForm(initial=initial)
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": current,
            "year": year,
            "years": _years(),
            "weights": [(COMPONENT_LABELS[c], current.weights()[c]) for c in COMPONENTS],
            "form": form if may else None,
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def export_docx(request: AuthedHttpRequest, agency: int, year: int) -> HttpResponseBase:
    """The office's report as a DOCX document (core.documents)."""
    from inspectorate.assessment.documents import report_docx

    try:
        office = selectors.office_assessment(user=request.user, agency_id=agency, year=year)
    except NotFound as exc:
        raise Http404 from exc
    if office is None:
        raise Http404
    response = HttpResponse(
        report_docx(office),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{agency}-{year}.docx"'
    return response


@login_required
@require_safe
@staff_only
def export(request: AuthedHttpRequest, agency: int, year: int) -> HttpResponseBase:
    """The office's report as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    try:
        office = selectors.office_assessment(user=request.user, agency_id=agency, year=year)
    except NotFound as exc:
        raise Http404 from exc
    if office is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assessment-{agency}-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Office"),
            _("Year"),
            _("Officer"),
            *[f"{COMPONENT_LABELS[c]}" for c in COMPONENTS],
            *[_("Weight used: %(c)s") % {"c": COMPONENT_LABELS[c]} for c in COMPONENTS],
            _("Total"),
            pgettext("assessment", "Grade"),
            _("Confirmed"),
        ]
    )
    for r in selectors.office_results(office):
        writer.writerow(
            [
                office.agency.name,
                year,
                r.officer.get_full_name(),
                *["" if r.score(c) is None else r.score(c) for c in COMPONENTS],
                *[r.weights_used.get(c, "") for c in COMPONENTS],
                "" if r.total is None else r.total,
                r.get_grade_display(),
                _("yes") if office.confirmed else _("no"),
            ]
        )
    return response
