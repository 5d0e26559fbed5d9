"""Thin pages of the officers and their enforcement certificates: the officers of the user's
scope with their certificate's status and end of validity, one officer with each
certificate's history and the admin's actions, and the certificates expiring soon. An
officer or certificate outside the scope is the same 404 as a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, staff_only
from inspectorate.org import selectors, services
from inspectorate.org.certificate_rules import REMINDER_DAYS
from inspectorate.org.forms import CertificateStepForm
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.org.workflows import CERTIFICATE


def _officer_or_404(request: AuthedHttpRequest, pk: Any) -> User:
    try:
        return selectors.officer_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _rows(officers: Any, today: Any) -> list[dict[str, Any]]:
    rows = []
    for officer in officers:
        certificates = sorted(officer.certificates.all(), key=lambda c: c.valid_until)
        current = certificates[-1] if certificates else None
        rows.append(
            {
                "officer": officer,
                "certificate": current,
                "valid_today": bool(current and current.is_valid_on(today)),
                "days_left": (current.valid_until - today).days if current else None,
            }
        )
    return rows


@login_required
@require_safe
@staff_only
def officer_list(request: AuthedHttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    officers = selectors.officer_list_for_user(user=request.user).prefetch_related(
        "certificates__events"
    )
    return render(
        request, "org/officer_list.html", {"rows": _rows(officers, today), "today": today}
    )


def _render_detail(
    request: AuthedHttpRequest,
    officer: User,
    form: CertificateStepForm | None = None,
    form_for: int | None = None,
    status: int = 200,
    form_action: str = "",
) -> HttpResponseBase:
    today = timezone.localdate()
    certificates = list(
        officer.certificates.order_by("-valid_until").prefetch_related("events__by")
    )
    can_act = request.user.has_role(Role.ADMIN)
    blocks = []
    for cert in certificates:
        actions = [t.action for t in CERTIFICATE.actions_for(cert, request.user)]
        # one form per action; a refused step's form (with its errors) only under its action
        action_forms = [
            (
                action,
                form
                if form is not None and form_for == cert.pk and form_action == action
                else CertificateStepForm(initial={"version": cert.version, "on": today}),
            )
            for action in dict.fromkeys(actions)
        ]
        blocks.append(
            {
                "certificate": cert,
                "valid_today": cert.is_valid_on(today),
                "events": list(cert.events.all()),
                "action_forms": action_forms,
            }
        )
    return render(
        request,
        "org/officer_detail.html",
        {"officer": officer, "blocks": blocks, "can_act": can_act, "today": today},
        status=status,
    )


@login_required
@require_safe
@staff_only
def officer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _render_detail(request, _officer_or_404(request, pk))


@login_required
@require_POST
@staff_only
def certificate_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    try:
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    officer = _officer_or_404(request, certificate.officer_id)
    if action not in CERTIFICATE.all_actions():
        raise Http404
    form = CertificateStepForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        common = {"actor": request.user, "certificate_id": pk, "version": data["version"]}
        try:
            if action == "renew":
                services.certificate_renew(
                    **common,
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    number=data["number"] or "",
                    reason=data["reason"] or "",
                )
            else:
                step = {
                    "suspend": services.certificate_suspend,
                    "reinstate": services.certificate_reinstate,
                    "revoke": services.certificate_revoke,
                }[action]
                step(**common, on=data["on"], reason=data["reason"] or "")
        except ApplicationError as exc:
            apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("The certificate was updated."))
            return redirect("officers:officer-detail", pk=officer.pk)
    else:
        messages.error(request, _("The data is not valid."))
    return _render_detail(request, officer, form, pk, status=status, form_action=action)


@login_required
@require_safe
@staff_only
def expiring(request: AuthedHttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    try:
        days = int(request.GET.get("days", REMINDER_DAYS))
    except ValueError:
        days = REMINDER_DAYS
    days = max(1, min(days, 3650))
    certificates = selectors.certificates_expiring_for_user(
        user=request.user, today=today, within_days=days
    )
    rows = [{"certificate": c, "days_left": (c.valid_until - today).days} for c in certificates]
    return render(request, "org/expiring.html", {"rows": rows, "days": days, "today": today})
