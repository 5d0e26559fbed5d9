"""Thin pages of the oversight of lower levels: the dashboard and the lists behind its
numbers, supervision orders (督办), case-file reviews (案卷评查) and their results, the
missed-detection report and the inaction indicators.

Every write is a POST that calls one service. An ``ApplicationError`` renders the page
again with the messages at the fields and the status of the error; an order or review
outside the user's scope is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.core.errors import ApplicationError, NotFound, PermissionDenied
from inspectorate.core.evidence import evidence_store
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, forbidden, not_found, staff_only
from inspectorate.org.models import Agency
from inspectorate.oversight import forms, selectors, services
from inspectorate.oversight.documents import subject_text
from inspectorate.oversight.workflows import ISSUERS, SUPERVISION


def _today() -> dt.date:
    return timezone.localdate()


def _own_code(user: Any) -> str:
    return str(user.agency.jurisdiction_id) if user.agency_id else ""


# --- the dashboard ---------------------------------------------------------------------


@login_required
@require_safe
@staff_only
@not_found
def dashboard(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.DashboardForm(request.GET or None)
    code, near = None, selectors.NEAR_DAYS
    if form.is_valid():
        code = form.cleaned_data["office"] or None
        near = form.cleaned_data["near"] or near
    board = selectors.dashboard(user=request.user, code=code, today=_today(), near_days=near)
    own = _own_code(request.user)
    up = None
    if (
        board.office.code != own
        and board.office.parent_id
        and request.user.scope.covers(board.office.parent_id)
    ):
        up = board.office.parent_id
    return render(
        request,
        "oversight/dashboard.html",
        {
            "board": board,
            "form": form,
            "near": near,
            "up": up,
            "referrals_url": _referrals_url(),
        },
    )


def _referrals_url() -> str | None:
    """The referrals app's list of transfers, when it has one."""
    for name in ("referrals:referral-list", "referrals:list", "referrals:workbench"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


METRIC_TITLES = {
    "plan": gettext_lazy("Planned inspections of this year"),
    "hazards": gettext_lazy("Hazards overdue"),
    "cases_near": gettext_lazy("Cases near their decision limit"),
    "cases_overdue": gettext_lazy("Cases past their decision limit"),
}


@login_required
@require_safe
@staff_only
@not_found
def dashboard_list(request: AuthedHttpRequest, metric: str) -> HttpResponseBase:
    area = request.GET.get("area", "")
    near = selectors.NEAR_DAYS
    try:
        near = max(1, min(90, int(request.GET.get("near", near))))
    except ValueError:
        pass
    rows = selectors.dashboard_list(
        user=request.user, metric=metric, area=area, today=_today(), near_days=near
    )
    return render(
        request,
        "oversight/dashboard_list.html",
        {
            "metric": metric,
            "title": str(METRIC_TITLES[metric]),
            "area": area,
            "rows": rows,
            "today": _today(),
            "near": near,
        },
    )


# --- supervision orders ----------------------------------------------------------------


@login_required
@require_safe
@staff_only
def order_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.OrderFilterForm(request.GET or None)
    state = direction = ""
    if form.is_valid():
        state, direction = form.cleaned_data["state"], form.cleaned_data["direction"]
    orders = list(
        selectors.supervision_list_for_user(user=request.user, state=state, direction=direction)[
            :200
        ]
    )
    today = _today()
    for order in orders:
        order.overdue = selectors.supervision_is_overdue(order, today)  # type: ignore[attr-defined]
    return render(
        request,
        "oversight/order_list.html",
        {"form": form, "orders": orders, "may_issue": _may_issue(request.user)},
    )


def _may_issue(user: Any) -> bool:
    return bool(user.has_role(*ISSUERS)) and bool(_lower_offices(user))


def _lower_offices(user: Any) -> list[tuple[int, str]]:
    if not user.agency_id:
        return []
    agency = user.agency
    return [
        (a.pk, f"{a.name}（{a.jurisdiction_id}）")
        for a in Agency.objects.filter(user.scope.q("jurisdiction_id"))
        .exclude(jurisdiction_id=agency.jurisdiction_id)
        .order_by("jurisdiction_id", "code")
    ]


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def order_new(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    if not _may_issue(user):
        return forbidden(
            request, _("Only the head or supervisor of an upper office issues supervision orders.")
        )
    offices = _lower_offices(user)
    initial = {
        k: request.GET[k]
        for k in ("addressee", "subject_kind", "case", "finding", "enterprise")
        if k in request.GET
    }
    form = forms.OrderForm(request.POST or None, offices=offices, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.supervision_issue(
                actor=user,
                addressee_id=data["addressee"],
                subject_kind=data["subject_kind"],
                case_id=data["case"],
                finding_id=data["finding"],
                enterprise_id=data["enterprise"],
                subject_text=data["subject_text"],
                title=data["title"],
                requirements=data["requirements"],
                due_date=data["due_date"],
                today=_today(),
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The supervision order was issued."))
            return redirect("oversight:order-detail", pk=order.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "oversight/order_new.html", {"form": form}, status=status)


def _order_page(
    request: AuthedHttpRequest,
    order: Any,
    *,
    reply_form: Any = None,
    answer_form: Any = None,
    status: int = 200,
) -> HttpResponseBase:
    user = request.user
    code = _own_code(user)
    today = _today()
    actions = {t.action for t in SUPERVISION.actions_for(order, user)}
    addressed = code == order.jurisdiction_code
    issuing = code == order.issuer_code
    return render(
        request,
        "oversight/order_detail.html",
        {
            "order": order,
            "subject": subject_text(order),
            "overdue": selectors.supervision_is_overdue(order, today),
            "replies": list(
                order.replies.select_related("replied_by", "outcome_by").prefetch_related(
                    "attachments"
                )
            ),
            "may_reply": addressed and "reply" in actions,
            "may_answer": issuing and bool(actions & {"accept", "return", "withdraw"}),
            "actions": actions,
            "reply_form": reply_form or forms.ReplyForm(initial={"version": order.version}),
            "answer_form": answer_form or forms.AnswerForm(initial={"version": order.version}),
            "addressed": addressed,
            "issuing": issuing,
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
@not_found
def order_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    order = selectors.supervision_get_for_user(user=request.user, pk=pk)
    return _order_page(request, order)


@login_required
@require_POST
@staff_only
@not_found
def order_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    order = selectors.supervision_get_for_user(user=request.user, pk=pk)
    if action not in SUPERVISION.all_actions():
        raise Http404
    user = request.user
    if action == "reply":
        form: Any = forms.ReplyForm(request.POST, request.FILES)
        if not form.is_valid():
            return _order_page(request, order, reply_form=form, status=400)
        data = form.cleaned_data
        try:
            ids = []
            upload = data.get("attachment")
            if upload is not None:
                stored = evidence_store(
                    actor=user,
                    jurisdiction_code=order.jurisdiction_code,
                    content=upload.read(),
                    original_name=upload.name,
                    content_type=upload.content_type or "",
                )
                ids.append(stored.pk)
            services.supervision_reply(
                actor=user,
                order_id=order.pk,
                version=data["version"],
                measures=data["measures"],
                result=data["result"],
                attachment_ids=ids,
                today=_today(),
            )
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            apply_errors(form, exc)
            return _order_page(request, order, reply_form=form, status=exc.status_code)
        messages.success(request, _("The reply was sent."))
        return redirect("oversight:order-detail", pk=order.pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, answer_form=form, status=400)
    data = form.cleaned_data
    try:
        if action == "accept":
            services.supervision_accept(
                actor=user,
                order_id=order.pk,
                version=data["version"],
                opinion=data["reason"],
                today=_today(),
            )
        elif action == "return":
            services.supervision_return(
                actor=user,
                order_id=order.pk,
                version=data["version"],
                reason=data["reason"],
                new_due_date=data["new_due_date"],
                today=_today(),
            )
        else:
            services.supervision_withdraw(
                actor=user,
                order_id=order.pk,
                version=data["version"],
                reason=data["reason"],
                today=_today(),
            )
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    except ApplicationError as exc:
        apply_errors(form, exc)
        return _order_page(request, order, answer_form=form, status=exc.status_code)
    messages.success(request, _("Done: %(action)s.") % {"action": SUPERVISION.action_label(action)})
    return redirect("oversight:order-detail", pk=order.pk)


# --- case-file review ------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def review_list(request: AuthedHttpRequest) -> HttpResponseBase:
    reviews = list(selectors.review_list_for_user(user=request.user)[:200])
    cases = list(selectors.reviewable_cases(user=request.user)[:50])
    return render(
        request,
        "oversight/review_list.html",
        {
            "reviews": reviews,
            "cases": cases,
            "may_review": request.user.has_role(*services.REVIEWERS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
@not_found
def review_new(request: AuthedHttpRequest, case_id: int) -> HttpResponseBase:
    user = request.user
    case = selectors.reviewable_cases(user=user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    if not user.has_role(*services.REVIEWERS):
        return forbidden(request, _("Your role may not review case files."))
    sheet = services.sheet_in_force(case.jurisdiction_code)
    items = list(sheet.items.all())
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        scores = {
            i.code: {
                "points": request.POST.get(f"score_{i.code}", ""),
                "note": request.POST.get(f"note_{i.code}", ""),
            }
            for i in items
        }
        values = {code: s for code, s in scores.items()}
        try:
            review = services.case_file_review_create(
                actor=user,
                case_id=case.pk,
                scores=scores,
                conclusion=request.POST.get("conclusion", ""),
                today=_today(),
            )
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            errors = exc.extra.get("fields") or {"__all__": [exc.message]}
            status = exc.status_code
        else:
            messages.success(request, _("The case file was reviewed."))
            return redirect("oversight:review-detail", pk=review.pk)
    rows = [
        {
            "item": i,
            "points": values.get(i.code, {}).get("points", i.max_points),
            "note": values.get(i.code, {}).get("note", ""),
            "errors": errors.get(f"score_{i.code}", []) + errors.get(f"note_{i.code}", []),
        }
        for i in items
    ]
    other = [m for k, v in errors.items() if not k.startswith(("score_", "note_")) for m in v]
    return render(
        request,
        "oversight/review_new.html",
        {
            "case": case,
            "sheet": sheet,
            "rows": rows,
            "errors": other,
            "conclusion": request.POST.get("conclusion", ""),
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
@not_found
def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    review = selectors.review_get_for_user(user=request.user, pk=pk)
    scores = list(review.scores.select_related("item").order_by("item__sort"))
    return render(request, "oversight/review_detail.html", {"review": review, "scores": scores})


def _period(form: Any, default_days: int = 365) -> tuple[dt.date, dt.date]:
    today = _today()
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    end = end or today
    start = start or end - dt.timedelta(days=default_days)
    return start, end


@login_required
@require_safe
@staff_only
def review_results(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.PeriodForm(request.GET or None)
    start, end = _period(form)
    results = selectors.review_results(user=request.user, start=start, end=end)
    return render(
        request,
        "oversight/review_results.html",
        {"form": form, "results": results, "start": start, "end": end},
    )


# --- missed detection and inaction -----------------------------------------------------


@login_required
@require_safe
@staff_only
def missed(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.PeriodForm(request.GET or None)
    start, end = _period(form)
    window = (
        form.cleaned_data.get("window") if form.is_valid() else None
    ) or selectors.MISSED_WINDOW_DAYS
    rows = selectors.missed_detection(user=request.user, start=start, end=end, window_days=window)
    return render(
        request,
        "oversight/missed.html",
        {"form": form, "rows": rows, "start": start, "end": end, "window": window},
    )


@login_required
@require_safe
@staff_only
def inaction(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.PeriodForm(request.GET or None)
    start, end = _period(form)
    minimum = (
        form.cleaned_data.get("minimum") if form.is_valid() else None
    ) or selectors.MIN_INSPECTIONS
    report = selectors.inaction(user=request.user, start=start, end=end, min_inspections=minimum)
    return render(request, "oversight/inaction.html", {"form": form, "report": report})
