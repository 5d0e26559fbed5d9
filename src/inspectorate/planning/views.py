"""Thin pages of the planning module: parse, call one selector or service, render.

Every write is a POST that calls one service. Success redirects to the plan with a message;
an ``ApplicationError`` renders the plan again with the message, the user's input kept and
the error's status (400 invalid, 403 not allowed, 409 stale version or illegal transition);
``NotFound`` is the same 404 page as a missing URL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from inspectorate.core.errors import ApplicationError, ConcurrentModification, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.planning import selectors, services
from inspectorate.planning.coverage import coverage_for_user
from inspectorate.planning.forms import (
    ActionForm,
    AdjustForm,
    CapacityForm,
    DrawCommitForm,
    PlanCreateForm,
    VersionForm,
    YearForm,
)
from inspectorate.planning.models import (
    Plan,
    PlanState,
    UnitOrigin,
    UnitState,
)
from inspectorate.registry.models import RiskClass

ASSIGN_TIME_LIMIT = 10.0  # seconds the solver may take while the user waits
SOLVER_STATUS = {
    "optimal": gettext_lazy("Optimal"),
    "feasible": gettext_lazy("Feasible (stopped at the time limit)"),
    "greedy": gettext_lazy("Greedy plan (the solver found none in time)"),
    "empty": gettext_lazy("Nothing to assign"),
}
ACTIONS: dict[str, Callable[..., Plan]] = {
    "submit": services.plan_submit,
    "return": services.plan_return,
    "approve": services.plan_approve,
    "file": services.plan_file,
}


# --- helpers ----------------------------------------------------------------------------------


def _plan_or_404(request: AuthedHttpRequest, pk: int) -> Plan:
    try:
        return selectors.plan_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _can_edit(user: Any, plan: Plan) -> bool:
    """What the services allow: a team lead or head of the office that owns the plan."""
    return selectors.plan_is_own(user, plan) and user.has_role(*services.PLANNERS)


def _apply_errors(form: Any, error: ApplicationError) -> None:
    """Put the service's field errors at the form's fields (the rest above the form)."""
    for name, msgs in error.extra.get("fields", {}).items():
        target = form.service_field(name) if hasattr(form, "service_field") else name
        for message in msgs:
            form.add_error(target if target in form.fields else None, message)


def _keep_input_after_conflict(form: Any, error: ApplicationError) -> bool:
    """A stale version: keep what the user typed, now against the current version.

    The page shows the plan as it is now; saving again applies the kept input knowingly.
    Forms that are only a button keep nothing (the user just presses it again).
    """
    current = error.extra.get("current_version")
    if not isinstance(error, ConcurrentModification) or current is None:
        return False
    if not [f for f in form.visible_fields() if f.name != "reason"]:
        return False
    data = form.data.copy()
    data["version"] = str(current)
    form.data = data
    return True


def _month_label(month: int) -> str:
    return str(MONTHS_AP[month])


def _months_text(months: list[int]) -> str:
    """Months as words, separated as the language separates a list (七月、八月 / July, Aug.)."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(_month_label(m) for m in months)


# --- the plan list ----------------------------------------------------------------------------


def _may_create(user: Any) -> bool:
    return services.office_of(user) is not None and user.has_role(*services.PLANNERS)


def _list_context(request: AuthedHttpRequest, create_form: PlanCreateForm | None) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    years = sorted(
        set(selectors.plan_list_for_user(user=user).values_list("year", flat=True))
        | {today.year, today.year + 1},
        reverse=True,
    )
    filters = YearForm(request.GET or None, years=years)
    year = filters.cleaned_data["year"] if filters.is_valid() else None
    may_create = _may_create(user)
    if create_form is None and may_create:
        create_form = PlanCreateForm(initial={"year": today.year})
    return {
        "filters": filters,
        "plans": list(selectors.plan_list_for_user(user=user, year=year)),
        "create_form": create_form if may_create else None,
        "office": services.office_of(user),
    }


@login_required
@require_safe
def plan_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "planning/plan_list.html", _list_context(request, None))


@login_required
@require_POST
def plan_create(request: AuthedHttpRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, year=form.cleaned_data["year"])
        except ApplicationError as exc:
            _apply_errors(form, exc)
            if not exc.extra.get("fields"):
                messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("The plan for %(year)s was created with %(officers)s officers on its roster.")
                % {"year": plan.year, "officers": plan.capacity.get("officers", 0)},
            )
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(request, "planning/plan_list.html", _list_context(request, form), status=status)


# --- the plan and its builder -------------------------------------------------------------------


def _capacity_form(plan: Plan, data: Any = None) -> CapacityForm:
    other, non = selectors.deduction_rows(plan)
    roster = selectors.roster_rows(plan)
    initial: dict[str, Any] = {
        "version": plan.version,
        "random_share": f"{plan.random_share:.2f}",
        "reserve_share": f"{plan.reserve_share:.2f}",
    }
    for row in [*other, *non]:
        initial[f"d_{row.category}"] = row.days
    for r in roster:
        initial[f"leave_{r['officer_id']}"] = [str(m) for m in r["leave_months"]]
    return CapacityForm(
        data,
        initial=initial,
        categories=[(row.category, row.label) for row in [*other, *non]],
        officers=[(r["officer_id"], r["name"]) for r in roster],
    )


def _adjust_form(
    plan: Plan, data: Any = None, rows: list[selectors.UnitRow] | None = None
) -> AdjustForm:
    if rows is None:
        rows = selectors.unit_rows(plan)
    units = [(u.pk, f"{u.name} · {u.credit_code}") for u in rows if u.state == UnitState.PLANNED]
    officers = [(r["officer_id"], r["name"]) for r in selectors.roster_rows(plan)]
    return AdjustForm(data, initial={"version": plan.version}, units=units, officers=officers)


def _team_table(plan: Plan, roster: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assignment calendar: teams × months, with used and available half days."""
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in roster:
        if r["team"] is not None:
            members[r["team"]].append(r)
    sectors = selectors.sector_names()
    rows = []
    for t in selectors.team_rows(plan):
        months = []
        for m in range(12):
            used, capacity = t.effort_by_month[m], t.capacity_by_month[m]
            months.append(
                {
                    "count": t.by_month[m],
                    "used": used,
                    "capacity": capacity,
                    "full": capacity > 0 and used >= capacity,
                    "away": capacity == 0,
                }
            )
        rows.append(
            {
                "number": t.number,
                "members": members.get(t.number, []),
                "sectors": [sectors.get(s, s) for s in t.sectors],
                "months": months,
                "total": t.total,
                "used": sum(t.effort_by_month),
                "capacity": sum(t.capacity_by_month),
            }
        )
    return rows


def _adjustment_rows(user: Any, plan: Plan, roster: list[dict[str, Any]]) -> list[dict[str, Any]]:
    adjustments = list(selectors.adjustments_for_plan(plan))
    ids: set[int] = set()
    for a in adjustments:
        ids.update(a.changes.get("added", []))
        ids.update(a.changes.get("removed", []))
    names = selectors.enterprise_names_for_user(user, ids)
    officers = {str(r["officer_id"]): r["name"] for r in roster}
    rows = []
    for a in adjustments:
        changes = a.changes
        rows.append(
            {
                "adjustment": a,
                "added": [names.get(i, str(i)) for i in changes.get("added", [])],
                "removed": [names.get(i, str(i)) for i in changes.get("removed", [])],
                "leave": [
                    (officers.get(k, k), _months_text(v) or "—")
                    for k, v in changes.get("leave", {}).items()
                ],
                "kept": changes.get("kept", 0),
                "moved": changes.get("moved", 0),
                "unassigned": changes.get("unassigned", 0),
                "frozen": _months_text(changes.get("frozen_months", [])),
            }
        )
    return rows


def _detail_context(
    request: AuthedHttpRequest, plan: Plan, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    forms = forms or {}
    user = request.user
    can_edit = _can_edit(user, plan)
    draw = selectors.draw_for_plan(plan)
    drawn = draw is not None and draw.drawn_at is not None
    draft = plan.state == PlanState.DRAFT
    approved = plan.state in selectors.PUBLIC_STATES
    roster = selectors.roster_rows(plan)
    for r in roster:
        r["leave_labels"] = _months_text(r["leave_months"])
    other, non = selectors.deduction_rows(plan)
    unit_rows = selectors.unit_rows(plan)  # one pass over the visits for every table
    key_rows = [r for r in unit_rows if r.origin == UnitOrigin.KEY]
    rank = {}
    if drawn and draw is not None:
        rank = {code: i for i, code in enumerate(draw.result.get("enterprises", []), start=1)}
    random_rows = sorted(
        (r for r in unit_rows if r.origin == UnitOrigin.RANDOM),
        key=lambda r: rank.get(r.credit_code, 10**9),
    )
    capacity_editable = can_edit and draft and not drawn
    capacity_form = forms.get("capacity") or (_capacity_form(plan) if capacity_editable else None)

    def field(name: str) -> Any:
        return capacity_form[name] if capacity_form is not None else None

    solver = dict(plan.solver)
    if solver:
        solver["status_label"] = SOLVER_STATUS.get(solver.get("status", ""), solver.get("status"))
        solver["gap_percent"] = f"{100 * float(solver.get('gap') or 0):.2f}%"
    context: dict[str, Any] = {
        "plan": plan,
        "can_edit": can_edit,
        "actions": [
            (
                action,
                label,
                forms.get(f"action_{action}") or ActionForm(initial={"version": plan.version}),
            )
            for action, label in selectors.available_actions(user, plan)
        ],
        "capacity": plan.capacity,
        "steps": selectors.capacity_steps(plan),
        "other_deductions": [(r, field(f"d_{r.category}")) for r in other],
        "non_deductions": [(r, field(f"d_{r.category}")) for r in non],
        "other_total": sum(r.days for r in other),
        "non_total": sum(r.days for r in non),
        "roster": [(r, field(f"leave_{r['officer_id']}")) for r in roster],
        "capacity_editable": capacity_editable,
        "capacity_form": capacity_form,
        "key_planned": [r for r in key_rows if r.state == UnitState.PLANNED],
        "key_uncovered": [r for r in key_rows if r.state == UnitState.UNCOVERED],
        "key_removed": [r for r in key_rows if r.state == UnitState.REMOVED],
        "key_cost": sum(r.cost for r in key_rows if r.state == UnitState.PLANNED),
        "can_compose": can_edit and draft and not drawn,
        "draw": draw,
        "drawn": drawn,
        "draw_verified": selectors.draw_verified(draw) if drawn and draw is not None else False,
        "random_rows": [(rank.get(r.credit_code), r) for r in random_rows],
        "random_cost": sum(r.cost for r in random_rows if r.state == UnitState.PLANNED),
        "can_commit": can_edit and draft and plan.composed_at is not None and not drawn,
        "can_run": can_edit and draft and draw is not None and not drawn,
        "commit_form": forms.get("commit") or DrawCommitForm(initial={"version": plan.version}),
        "public": approved,
        "can_assign": can_edit and draft and drawn,
        "solver": solver,
        "teams": _team_table(plan, roster) if drawn else [],
        "month_labels": [_month_label(m) for m in range(1, 13)],
        "show_adjustments": approved,
        "can_adjust": can_edit and approved,
        "adjustments": _adjustment_rows(user, plan, roster) if approved else [],
        "added_rows": [r for r in unit_rows if r.origin == UnitOrigin.ADJUSTMENT],
        "adjust_form": forms.get("adjust")
        or (_adjust_form(plan, rows=unit_rows) if can_edit and approved else None),
    }
    return context


def _render_detail(
    request: AuthedHttpRequest, plan: Plan, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request, "planning/plan_detail.html", _detail_context(request, plan, forms), status=status
    )


@login_required
@require_safe
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _plan_or_404(request, pk))


def _handle(
    request: AuthedHttpRequest,
    pk: int,
    form: Any,
    form_key: str,
    call: Callable[[], str],
    anchor: str,
) -> HttpResponse:
    """Run one service for a POSTed form; redirect on success, else show the plan again."""
    status = 400
    if form.is_valid():
        try:
            success = call()
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            _apply_errors(form, exc)
            messages.error(request, exc.message)
            if _keep_input_after_conflict(form, exc):
                messages.warning(
                    request,
                    _(
                        "Your input is kept below, and the figures around it are the current "
                        "ones. Check them, then save again to apply your input."
                    ),
                )
            status = exc.status_code
        else:
            messages.success(request, success)
            return redirect(reverse("planning:plan-detail", args=[pk]) + anchor)
    else:
        messages.error(request, _("The data is not valid."))
    plan = _plan_or_404(request, pk)  # as it is now: the service changed nothing
    return _render_detail(request, plan, {form_key: form}, status=status)


@login_required
@require_POST
def plan_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    _plan_or_404(request, pk)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    form = ActionForm(request.POST)

    def call() -> str:
        kwargs: dict[str, Any] = {
            "actor": request.user,
            "plan_id": pk,
            "expected_version": form.cleaned_data["version"],
        }
        if action == "return":
            kwargs["reason"] = form.cleaned_data["reason"]
        plan = service(**kwargs)
        return _("The plan is now: %(state)s.") % {"state": plan.get_state_display()}

    return _handle(request, pk, form, f"action_{action}", call, "")


@login_required
@require_POST
def plan_capacity(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = _capacity_form(plan, request.POST)

    def call() -> str:
        services.plan_capacity_set(
            actor=request.user,
            plan_id=pk,
            expected_version=form.cleaned_data["version"],
            deductions=form.deductions(),
            random_share=form.cleaned_data["random_share"],
            reserve_share=form.cleaned_data["reserve_share"],
            leave=form.leave(),
        )
        return _("The capacity was saved.")

    return _handle(request, pk, form, "capacity", call, "#capacity")


@login_required
@require_POST
def plan_compose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _plan_or_404(request, pk)
    form = VersionForm(request.POST)

    def call() -> str:
        plan = services.plan_compose(
            actor=request.user, plan_id=pk, expected_version=form.cleaned_data["version"]
        )
        return _("The key units were composed: %(used)s of %(days)s key days used.") % {
            "used": plan.capacity.get("key_used", 0),
            "days": plan.capacity.get("key_days", 0),
        }

    return _handle(request, pk, form, "compose", call, "#key-units")


@login_required
@require_POST
def draw_commit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _plan_or_404(request, pk)
    form = DrawCommitForm(request.POST)

    def call() -> str:
        draw = services.draw_commit(
            actor=request.user,
            plan_id=pk,
            expected_version=form.cleaned_data["version"],
            seed=form.cleaned_data["seed"] or None,
        )
        return _("The seed was committed. Its SHA-256 is %(hash)s.") % {"hash": draw.seed_hash}

    return _handle(request, pk, form, "commit", call, "#draw")


@login_required
@require_POST
def draw_execute(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _plan_or_404(request, pk)
    form = VersionForm(request.POST)

    def call() -> str:
        draw = services.draw_execute(
            actor=request.user, plan_id=pk, expected_version=form.cleaned_data["version"]
        )
        return _("The draw was run: %(units)s units and %(teams)s teams drawn.") % {
            "units": len(draw.result.get("enterprises", [])),
            "teams": len(draw.result.get("teams", [])),
        }

    return _handle(request, pk, form, "run", call, "#draw")


@login_required
@require_POST
def plan_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _plan_or_404(request, pk)
    form = VersionForm(request.POST)

    def call() -> str:
        plan = services.plan_assign(
            actor=request.user,
            plan_id=pk,
            expected_version=form.cleaned_data["version"],
            time_limit=ASSIGN_TIME_LIMIT,
        )
        return _(
            "The teams were assigned: %(assigned)s inspections scheduled, %(unassigned)s not."
        ) % {
            "assigned": plan.solver.get("assigned", 0),
            "unassigned": plan.solver.get("unassigned", 0),
        }

    return _handle(request, pk, form, "assign", call, "#assignment")


@login_required
@require_POST
def plan_adjust(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = _adjust_form(plan, request.POST)
    add_id: int | None = None
    if form.is_valid() and form.cleaned_data["add_code"]:
        add_id = selectors.enterprise_id_by_code_for_user(
            request.user, form.cleaned_data["add_code"]
        )
        if add_id is None:
            form.add_error(
                "add_code", _("No enterprise with this credit code is in your jurisdiction.")
            )

    def call() -> str:
        data = form.cleaned_data
        add = []
        if add_id is not None:
            add.append({"enterprise": add_id, "joint": data["joint"]})
        adjustment = services.plan_adjust(
            actor=request.user,
            plan_id=pk,
            expected_version=data["version"],
            reason=data["reason"],
            note=data["note"],
            add=add,
            remove=[data["remove"]] if data["remove"] is not None else [],
            leave=form.leave(),
            time_limit=ASSIGN_TIME_LIMIT,
        )
        changes = adjustment.changes
        return _(
            "The plan was adjusted: %(kept)s inspections kept, %(moved)s moved, "
            "%(unassigned)s not assigned."
        ) % {
            "kept": changes.get("kept", 0),
            "moved": changes.get("moved", 0),
            "unassigned": changes.get("unassigned", 0),
        }

    return _handle(request, pk, form, "adjust", call, "#adjustments")


@login_required
@require_safe
def officer_calendar(request: AuthedHttpRequest, pk: int, officer_id: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    roster = selectors.roster_rows(plan)
    officer = next((r for r in roster if r["officer_id"] == officer_id), None)
    if officer is None:
        raise Http404
    visits = selectors.officer_calendar(plan, officer_id)
    by_month: dict[int, list[selectors.OfficerVisit]] = defaultdict(list)
    for v in visits:
        by_month[v.month].append(v)
    months = [
        {
            "month": m,
            "label": _month_label(m),
            "visits": by_month.get(m, []),
            "away": m in officer["leave_months"],
        }
        for m in range(1, 13)
    ]
    teammates = [r for r in roster if r["team"] is not None and r["team"] == officer["team"]]
    return render(
        request,
        "planning/officer_calendar.html",
        {
            "plan": plan,
            "officer": officer,
            "teammates": [r for r in teammates if r["officer_id"] != officer_id],
            "months": months,
            "unassigned": by_month.get(0, []),
            "total": len([v for v in visits if v.month]),
            "leave_labels": _months_text(officer["leave_months"]),
        },
    )


# --- coverage -----------------------------------------------------------------------------------


@login_required
@require_safe
def coverage(request: AuthedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = sorted(
        set(selectors.plan_list_for_user(user=request.user).values_list("year", flat=True))
        | {today.year},
        reverse=True,
    )
    form = YearForm(request.GET or None, years=years, blank=False)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    result = coverage_for_user(user=request.user, year=year)
    severity = [str(label) for label in RiskClass.labels]  # major first
    result.by_risk_class.sort(key=lambda kv: severity.index(kv[0]) if kv[0] in severity else 99)
    months = [_month_label(m) for m in range(1, 13)]
    chart = {
        "months": months,
        "by_month": result.by_month,
        "sectors": [name for name, _n in result.by_sector],
        "by_sector": [n for _name, n in result.by_sector],
    }
    return render(
        request,
        "planning/coverage.html",
        {
            "form": form,
            "year": year,
            "coverage": result,
            "by_month": list(zip(months, result.by_month, strict=True)),
            "visits": sum(result.by_month) + result.unassigned,
            "chart": chart,
        },
    )


# --- public pages (no sign-in) -----------------------------------------------------------------


def _public_plan_or_404(pk: int) -> Plan:
    try:
        return selectors.public_plan_get(pk)
    except NotFound as exc:
        raise Http404 from exc


@require_safe
def public_plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.public_plans()
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else None
    return render(
        request,
        "planning/public_list.html",
        {"form": form, "plans": list(selectors.public_plans(year=year))},
    )


@require_safe
def public_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _public_plan_or_404(pk)
    summary = selectors.public_summary(plan)
    draw = selectors.draw_for_plan(plan)
    months = [_month_label(m) for m in range(1, 13)]
    return render(
        request,
        "planning/public_detail.html",
        {
            "plan": plan,
            "summary": summary,
            "draw": summary.draw,
            "draw_obj": draw,
            "has_draw": draw is not None,
            "verified": selectors.draw_verified(draw) if draw is not None else False,
            "by_month": list(zip(months, summary.by_month, strict=True)),
            "units": summary.key_units + summary.random_units + summary.adjustment_units,
        },
    )


@require_safe
def public_draw_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _public_plan_or_404(pk)
    draw = selectors.draw_for_plan(plan)
    if draw is None:
        raise Http404
    body = json.dumps(selectors.draw_public(draw), ensure_ascii=False, indent=2)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="draw-{plan.agency.jurisdiction_id}-{plan.year}.json"'
    )
    return response
