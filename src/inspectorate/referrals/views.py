"""Thin pages of crime transfers: the list of flags and transfers of the user's offices
with their time limits, flagging a case, a flag (dismiss or draft the report), a transfer
with its workflow steps, and the "应移未移" audit per office.

Every write is a POST that calls one service. Success redirects with a message; an
``ApplicationError`` renders the page again with the messages at the fields (400 invalid,
409 illegal step or a change made in between); a step the role may not take is the 403
page; an object outside the scope is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.cases.selectors import OPEN_STATES, case_queryset_for_user
from inspectorate.core.errors import ApplicationError, NotFound, PermissionDenied
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.core.models import DayCount, Deadline, IssuedDocument
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.referrals import actions, forms, rules, selectors, services
from inspectorate.referrals.models import FlagState, Referral, ReferralFlag
from inspectorate.referrals.workflows import REFERRAL

OFFICERS = (Role.OFFICER, Role.TEAM_LEAD)
DANGER = {
    "refuse",
    "police_refuse",
    "accept_refusal",
    "reconsideration_refuse",
    "police_return",
    "supervision_rejected",
}


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    legal_basis: str
    days: int
    day_count: str
    start: dt.date
    due: dt.date
    running: bool
    met: bool
    days_left: int | None
    late: int


def deadline_rows(deadlines: list[Deadline], today: dt.date) -> list[DeadlineRow]:
    rows = []
    for d in deadlines:
        left = (d.due_date - today).days if d.is_open else None
        rows.append(
            DeadlineRow(
                label=str(rules.DEADLINE_LABELS.get(d.kind, d.kind)),
                legal_basis=d.legal_basis,
                days=d.days,
                day_count=str(DayCount(d.day_count).label),
                start=d.start_date,
                due=d.due_date,
                running=d.is_open,
                met=d.met_at is not None,
                days_left=left,
                late=-left if left is not None and left < 0 else 0,
            )
        )
    return rows


def _nearest(deadlines: list[Deadline]) -> Deadline | None:
    running = [d for d in deadlines if d.is_open]
    return min(running, key=lambda d: d.due_date) if running else None


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def referral_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user, today = request.user, _today()
    now = timezone.now()
    flags = list(selectors.flag_list_for_user(user=user).filter(state=FlagState.OPEN)[:200])
    referrals = list(selectors.referral_list_for_user(user=user).order_by("-id")[:200])
    flag_deadlines = selectors.deadlines_of("referrals.referralflag", [f.pk for f in flags])
    ref_deadlines = selectors.deadlines_of("referrals.referral", [r.pk for r in referrals])
    flag_rows = []
    for f in flags:
        d = _nearest(flag_deadlines.get(f.pk, []))
        flag_rows.append(
            {"flag": f, "deadline": d, "left": (d.due_date - today).days if d else None}
        )
    referral_rows = []
    for r in referrals:
        d = _nearest(ref_deadlines.get(r.pk, []))
        referral_rows.append(
            {
                "referral": r,
                "deadline": d,
                "label": rules.DEADLINE_LABELS.get(d.kind, "") if d else "",
                "left": (d.due_date - today).days if d else None,
                "transfer_overdue": r.state == "approved" and selectors.transfer_overdue(r, now),
            }
        )
    return render(
        request,
        "referrals/list.html",
        {
            "flag_rows": flag_rows,
            "referral_rows": referral_rows,
            "may_flag": user.has_role(*OFFICERS, Role.HEAD),
            "today": today,
        },
    )


# --- flagging ----------------------------------------------------------------------------------


def _case_choices(user: Any) -> list[tuple[int, str]]:
    cases = (
        case_queryset_for_user(user=user)
        .filter(agency=user.agency_id, state__in=OPEN_STATES)
        .order_by("-id")[:300]
    )
    return [(c.pk, f"{c.number or '#' + str(c.pk)} · {c.party_name}") for c in cases]


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def flag_new(request: AuthedHttpRequest) -> HttpResponseBase:
    user, today = request.user, _today()
    initial = {"case": request.GET.get("case", "")}
    form = forms.FlagForm(
        request.POST or None,
        initial=initial,
        cases=_case_choices(user),
        triggers=rules.triggers_in_force(today),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                flag = services.screening_flag(
                    actor=user,
                    case_id=form.cleaned_data["case"],
                    trigger_code=form.cleaned_data["trigger"],
                    facts=form.facts(),
                    today=today,
                )
            except PermissionDenied as exc:
                return forbidden(request, exc.message)
            except ApplicationError as exc:
                apply_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The case was flagged for transfer."))
                return redirect("referrals:flag-detail", pk=flag.pk)
    return render(
        request,
        "referrals/flag_new.html",
        {"form": form, "triggers": rules.triggers_in_force(today)},
        status=status,
    )


def _flag_or_404(request: AuthedHttpRequest, pk: Any) -> ReferralFlag:
    try:
        return selectors.flag_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _colleagues(user: Any, on: dt.date) -> list[tuple[int, str]]:
    people = (
        User.objects.filter(agency=user.agency_id, is_active=True, roles__role__in=OFFICERS)
        .distinct()
        .order_by("id")
    )
    return [(u.pk, u.get_full_name() or u.username) for u in people if u.valid_certificate(on)]


def _flag_page(
    request: AuthedHttpRequest,
    flag: ReferralFlag,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    user, today = request.user, _today()
    bound = bound or {}
    own = user.agency_id == flag.agency_id
    is_open = flag.state == FlagState.OPEN
    dismiss_form = bound.get("dismiss") or (
        forms.DismissForm(initial={"version": flag.version})
        if own and is_open and user.has_role(Role.HEAD)
        else None
    )
    refer_form = bound.get("refer") or (
        forms.ReferForm(initial={"team": [user.pk]}, colleagues=_colleagues(user, today))
        if own and is_open and user.has_role(*OFFICERS, Role.HEAD)
        else None
    )
    trigger = flag.trigger
    facts = [
        (
            str(rules.FACT_LABELS.get(k, k)),
            (trigger.conducts or {}).get(v, v)
            if k == "conduct"
            else (f"{v:,}" if isinstance(v, int) else v),
        )
        for k, v in flag.facts.items()
    ]
    return render(
        request,
        "referrals/flag_detail.html",
        {
            "flag": flag,
            "trigger": trigger,
            "facts": facts,
            "own_office": own,
            "deadlines": deadline_rows(
                selectors.deadlines_of("referrals.referralflag", [flag.pk]).get(flag.pk, []), today
            ),
            "referrals": list(flag.referrals.order_by("id")),
            "dismiss_form": dismiss_form,
            "refer_form": refer_form,
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def flag_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _flag_page(request, _flag_or_404(request, pk))


@login_required
@require_POST
@staff_only
def flag_dismiss(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    flag = _flag_or_404(request, pk)
    form = forms.DismissForm(request.POST)
    if form.is_valid():
        try:
            services.flag_dismiss(
                actor=request.user,
                flag_id=flag.pk,
                reasons=form.cleaned_data["reasons"],
                expected_version=form.cleaned_data["version"],
                today=_today(),
            )
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            apply_errors(form, exc)
            return _flag_page(request, flag, {"dismiss": form}, exc.status_code)
        messages.success(request, _("The flag was dismissed; the reasons are kept."))
        return redirect("referrals:flag-detail", pk=flag.pk)
    return _flag_page(request, flag, {"dismiss": form}, 400)


@login_required
@require_POST
@staff_only
def flag_refer(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    flag = _flag_or_404(request, pk)
    form = forms.ReferForm(request.POST, colleagues=_colleagues(request.user, _today()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_open(
                actor=request.user,
                flag_id=flag.pk,
                team_ids=data["team"],
                report=data["report"],
                police=data["police"],
                items=actions.parse_items(data["items"]),
                today=_today(),
            )
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            apply_errors(form, exc)
            return _flag_page(request, flag, {"refer": form}, exc.status_code)
        messages.success(request, _("The special team's report was drafted."))
        return redirect("referrals:referral-detail", pk=referral.pk)
    return _flag_page(request, flag, {"refer": form}, 400)


# --- one transfer ------------------------------------------------------------------------------


def _referral_or_404(request: AuthedHttpRequest, pk: Any) -> Referral:
    try:
        return selectors.referral_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _referral_page(
    request: AuthedHttpRequest, referral: Referral, bound: Any = None, status: int = 200
) -> HttpResponseBase:
    user, today = request.user, _today()
    own = user.agency_id == referral.agency_id
    steps = []
    if own:
        seen: set[str] = set()
        for t in REFERRAL.actions_for(referral, user):
            if t.action in seen:
                continue
            seen.add(t.action)
            form = (
                bound
                if bound is not None and bound.action == t.action
                else forms.StepForm(initial={"version": referral.version}, action=t.action)
            )
            steps.append(
                {
                    "action": t.action,
                    "label": str(t.label),
                    "form": form,
                    "danger": t.action in DANGER,
                }
            )
    documents = IssuedDocument.objects.filter(
        subject_type="referrals.referral", subject_id=str(referral.pk)
    ).order_by("issued_at", "id")
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "flag": referral.flag,
            "own_office": own,
            "steps": steps,
            "team": list(referral.members.select_related("officer")),
            "attachments": list(referral.attachments.select_related("document")),
            "deadlines": deadline_rows(
                selectors.deadlines_of("referrals.referral", [referral.pk]).get(referral.pk, []),
                today,
            ),
            "transfer_overdue": selectors.transfer_overdue(referral),
            "documents": documents,
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def referral_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _referral_page(request, _referral_or_404(request, pk))


@login_required
@require_POST
@staff_only
def referral_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    referral = _referral_or_404(request, pk)
    if action not in actions.STEP_FIELDS:
        raise Http404
    form = forms.StepForm(request.POST, action=action)
    if not form.is_valid():
        return _referral_page(request, referral, form, 400)
    try:
        actions.perform(
            actor=request.user,
            referral_id=referral.pk,
            action=action,
            data={
                **request.POST.dict(),
                **{k: v for k, v in form.cleaned_data.items() if v is not None},
            },
        )
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    except ApplicationError as exc:
        apply_errors(form, exc)
        return _referral_page(request, _referral_or_404(request, pk), form, exc.status_code)
    messages.success(request, _("Done: %(step)s.") % {"step": REFERRAL.action_label(action)})
    return redirect("referrals:referral-detail", pk=referral.pk)


# --- the audit ---------------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def audit(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.AuditForm(request.GET or None)
    on = _today()
    if form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    rows = selectors.omitted_transfers(user=request.user, on=on)
    return render(
        request,
        "referrals/audit.html",
        {"form": form, "on": on, "rows": rows, "counts": selectors.omitted_counts(rows)},
    )
