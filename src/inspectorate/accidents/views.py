"""Thin pages of accidents: the list with grades and the chain's deadlines, the report
form, and one accident with its chain, casualty updates, investigation and findings.

Every step POSTs to one view by name (``actions.STEPS``) with the version the user saw; a
refused step shows the page again with the input kept and the service's field errors.
"""

from __future__ import annotations

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

from inspectorate.accidents import actions, selectors, services
from inspectorate.accidents.forms import FORMS, AccidentForm
from inspectorate.accidents.models import (
    Accident,
    AccidentGrade,
    AccidentState,
    ChainLevel,
    InformParty,
)
from inspectorate.accidents.workflows import ACCIDENT, investigating_office_code
from inspectorate.core.errors import ApplicationError, ConcurrentModification, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections import workbench as inspection_reads
from inspectorate.inspections.views import apply_errors, staff_only
from inspectorate.org.roles import Role
from inspectorate.registry.models import Enterprise

PAGE_SIZE = 25


def _accident_or_404(request: AuthedHttpRequest, pk: int) -> Accident:
    try:
        return selectors.accident_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _next_due(accident: Accident, now: Any) -> tuple[Any, bool]:
    """The chain's next open step (its due moment and whether it is overdue)."""
    for step in accident.chain.all():
        if step.required and step.reported_at is None:
            return step, step.is_overdue(now)
    return None, False


@login_required
@require_safe
@staff_only
def accident_list(request: AuthedHttpRequest) -> HttpResponseBase:
    state = request.GET.get("state", "")
    grade = request.GET.get("grade", "")
    state = state if state in AccidentState.values else ""
    grade = grade if grade in AccidentGrade.values else ""
    qs = selectors.accident_list_for_user(user=request.user, state=state, grade=grade)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for accident in page:
        step, overdue = _next_due(accident, now)
        rows.append({"a": accident, "step": step, "overdue": overdue})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accidents/accident_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "state": state,
            "grade": grade,
            "states": AccidentState.choices,
            "grades": AccidentGrade.choices,
            "can_report": request.user.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD),
        },
    )


def _enterprises(request: AuthedHttpRequest) -> list[tuple[int, str]]:
    qs = Enterprise.objects.filter(request.user.scope.q("jurisdiction_id")).order_by("name")
    return [(e.pk, e.name) for e in qs[:500]]


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def accident_new(request: AuthedHttpRequest) -> HttpResponseBase:
    initial = {
        "jurisdiction_code": request.user.agency.jurisdiction_id if request.user.agency else ""
    }
    form = AccidentForm(request.POST or None, initial=initial, enterprises=_enterprises(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                accident = services.accident_report(
                    actor=request.user,
                    enterprise_id=d["enterprise"],
                    unit_name=d["unit_name"],
                    jurisdiction_code=d["jurisdiction_code"],
                    occurred_at=d["occurred_at"],
                    place=d["place"],
                    kind=d["kind"],
                    deaths=d["deaths"],
                    serious_injuries=d["serious_injuries"],
                    missing=d["missing"],
                    direct_loss=d["direct_loss"],
                    brief=d["brief"],
                    measures=d["measures"],
                    unit_reported_at=d["unit_reported_at"],
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("The accident was recorded as a %(grade)s.")
                    % {"grade": accident.get_grade_display()},
                )
                return redirect("accidents:accident-detail", pk=accident.pk)
        else:
            messages.error(request, _("The data is not valid."))
    return render(request, "accidents/accident_new.html", {"form": form}, status=status)


def _office(request: AuthedHttpRequest) -> str | None:
    agency = request.user.agency
    return agency.jurisdiction_id if agency is not None else None


def _detail_context(
    request: AuthedHttpRequest, accident: Accident, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    user = request.user
    now = timezone.now()
    today = timezone.localdate()
    office = _office(request)
    acting = user.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD)
    version = {"version": accident.version}
    chain = selectors.chain_of(accident)
    previous_reported = True
    rows = []
    for step in chain:
        sender = step.to_code if step.from_level == ChainLevel.UNIT else step.from_code
        can_report = (
            acting
            and step.required
            and step.reported_at is None
            and previous_reported
            and office == sender
        )
        done = {n.party: n for n in step.notices.all()}
        can_notify = (
            acting
            and step.reported_at is not None
            and step.to_level != ChainLevel.MINISTRY
            and office == step.to_code
        )
        rows.append(
            {
                "step": step,
                "overdue": step.is_overdue(now),
                "report_form": bound.get(f"chain_report:{step.seq}")
                or (
                    FORMS["chain_report"](initial={**version, "seq": step.seq})
                    if can_report
                    else None
                ),
                "notices": [(p, label, done.get(p)) for p, label in InformParty.choices],
                "notice_form": bound.get(f"chain_notice:{step.seq}")
                or (
                    FORMS["chain_notice"](initial={"seq": step.seq})
                    if can_notify and len(done) < len(InformParty.choices)
                    else None
                ),
            }
        )
        previous_reported = step.reported_at is not None
    window_end, window_days = services.update_window_end(accident)
    forms: dict[str, Any] = {}
    if acting and accident.state != AccidentState.CLOSED and today <= window_end:
        forms["casualties"] = bound.get("casualties") or FORMS["casualties"](
            initial={
                **version,
                "deaths": accident.deaths,
                "serious_injuries": accident.serious_injuries,
                "missing": accident.missing,
                "direct_loss": accident.direct_loss,
            }
        )
    own_level = office == investigating_office_code(accident)
    if own_level:
        for t in ACCIDENT.actions_for(accident, user):
            forms[t.action] = bound.get(t.action) or FORMS[t.action](initial=version)
        if (
            user.has_role(Role.HEAD)
            and accident.state == AccidentState.INVESTIGATING
            and not accident.extension_days
        ):
            forms["extend_investigation"] = bound.get("extend_investigation") or FORMS[
                "extend_investigation"
            ](initial=version)
        if (
            user.has_role(Role.HEAD)
            and accident.state == AccidentState.SUBMITTED
            and accident.grade == AccidentGrade.ESPECIALLY_MAJOR
            and not accident.reply_extension_days
        ):
            forms["extend_reply"] = bound.get("extend_reply") or FORMS["extend_reply"](
                initial=version
            )
    findings = selectors.findings_of(accident)
    if accident.state == AccidentState.REPLIED and user.has_role(Role.OFFICER, Role.TEAM_LEAD):
        colleagues = [
            (c.pk, c.get_full_name() or c.username)
            for c in inspection_reads.colleagues_for(user=user, on=today)
        ]
        forms["finding"] = bound.get("finding") or FORMS["finding"](colleagues=colleagues)  # type: ignore[call-arg]
    finding_rows = []
    for f in findings:
        can_add = (
            f.violation_id is None
            and f.case.state == "investigating"
            and user.pk in f.case.investigator_ids
        )
        finding_rows.append({"f": f, "can_add": can_add})
    deadlines = selectors.deadlines_of(accident)
    from inspectorate.core.deadlines import is_overdue

    return {
        "accident": accident,
        "chain": rows,
        "updates": selectors.updates_of(accident),
        "window_end": window_end,
        "window_days": window_days,
        "deadlines": [(d, is_overdue(d, now=today)) for d in deadlines],
        "findings": finding_rows,
        "forms": forms,
        "events": selectors.events_of(accident),
        "labels": {name: step.label for name, step in actions.STEPS.items()},
        "investigating_code": investigating_office_code(accident),
    }


def _render_detail(
    request: AuthedHttpRequest,
    accident: Accident,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "accidents/accident_detail.html",
        _detail_context(request, accident, bound),
        status=status,
    )


@login_required
@require_safe
@staff_only
def accident_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _render_detail(request, _accident_or_404(request, pk))


@login_required
@require_POST
@staff_only
def accident_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    _accident_or_404(request, pk)  # out of scope: the same 404 as a missing accident
    if action not in actions.STEPS:
        raise Http404
    form_class = FORMS[action]
    kwargs: dict[str, Any] = {}
    if action == "finding":
        kwargs["colleagues"] = [
            (c.pk, c.get_full_name() or c.username)
            for c in inspection_reads.colleagues_for(user=request.user, on=timezone.localdate())
        ]
    form = form_class(request.POST, **kwargs)
    key = action
    if action in ("chain_report", "chain_notice"):
        key = f"{action}:{request.POST.get('seq', '')}"
    status = 400
    if form.is_valid():
        try:
            actions.perform(
                actor=request.user,
                accident_id=pk,
                action=action,
                data=request.POST,
                now=timezone.now(),
            )
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
            if isinstance(exc, ConcurrentModification):
                data = request.POST.copy()
                data["version"] = str(exc.extra.get("current_version", ""))
                form.data = data
                messages.warning(
                    request,
                    _(
                        "The accident below is shown as it is now. Your input is kept: check it, then send it again."
                    ),
                )
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": actions.STEPS[action].label})
            return redirect(reverse("accidents:accident-detail", args=[pk]) + f"#{_anchor(action)}")
    else:
        messages.error(request, _("The data is not valid."))
    return _render_detail(request, _accident_or_404(request, pk), {key: form}, status=status)


def _anchor(action: str) -> str:
    if action.startswith("chain"):
        return "chain"
    if action == "casualties":
        return "updates"
    if action.startswith("finding"):
        return "findings"
    return "investigation"
