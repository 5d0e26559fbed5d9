"""Thin pages of penalty cases: the officer's workbench, the list, filing, the case page
with one form per step the user may take, the discretion calculator, the simple procedure
(当场处罚), the 同案同罚 outliers, and the party's case on the enterprise portal.

Every write is a POST that calls one service (``actions.perform`` for the steps of the
procedure). Each form carries the version of the case the user saw. Success redirects to
the case with a message; an ``ApplicationError`` renders the case page again with the
messages at the fields and the user's input kept, with the error's status (400 invalid,
409 illegal step or a change made in between); a step the user's role may not take is the
403 page; a case outside the user's scope is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.cases import actions, forms, pages, rules, selectors, services
from inspectorate.cases.challenge_pages import (
    ChallengeForm,
    ChallengeResultForm,
    challenge_context,
)
from inspectorate.cases.models import (
    Case,
    CaseState,
    CaseViolation,
    ProvisionParty,
)
from inspectorate.cases.workflows import CASE
from inspectorate.core.errors import (
    ApplicationError,
    ConcurrentModification,
    NotFound,
    PermissionDenied,
)
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections import workbench as inspection_reads
from inspectorate.inspections.views import (
    CONTENT_TYPES,
    apply_errors,
    forbidden,
    not_found,
    staff_only,
)
from inspectorate.org.roles import Role
from inspectorate.rectification.views import enterprise_only

View = Callable[..., HttpResponseBase]
OFFICERS = (Role.OFFICER, Role.TEAM_LEAD)


def _case_or_404(request: AuthedHttpRequest, pk: Any) -> Case:
    try:
        return selectors.case_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _today() -> dt.date:
    return timezone.localdate()


def _jurisdiction(user: Any) -> str:
    return str(user.agency.jurisdiction_id) if user.agency_id else ""


# --- the workbench and the list --------------------------------------------------------------

URGENCY = ("overdue", "soon", "later", "none")


@login_required
@require_safe
@staff_only
def workbench(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = _today()
    rows = pages.workbench_rows(user, today)
    labels = {
        "overdue": _("Overdue"),
        "soon": _("Due within 3 days"),
        "later": _("Later"),
        "none": _("No running deadline"),
    }
    groups = [(key, labels[key], [r for r in rows if r["urgency"] == key]) for key in URGENCY]
    proposals = list(pages.proposals_awaiting(user)[:50])
    return render(
        request,
        "cases/workbench.html",
        {
            "today": today,
            "groups": [g for g in groups if g[2]],
            "count": len(rows),
            "proposals": proposals,
            "may_file": user.has_role(*OFFICERS),
            "is_head": user.has_role(Role.HEAD),
            "may_acknowledge": user.has_role(Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR),
        },
    )


@login_required
@require_safe
@staff_only
def case_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = forms.CaseFilterForm(request.GET or None)
    state, mine = "", False
    if form.is_valid():
        state, mine = form.cleaned_data["state"] or "", bool(form.cleaned_data["mine"])
    qs = selectors.case_list_for_user(user=request.user, state=state, mine=mine)
    page = pages.keyset_page(qs, before=request.GET.get("before"), after=request.GET.get("after"))
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("after", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, pages.yuan(c.fine) if c.fine is not None else "") for c in page.rows],
            "query": query.urlencode(),
        },
    )


# --- filing ------------------------------------------------------------------------------------


def _proposal_initial(request: AuthedHttpRequest, proposals: list[Any]) -> dict[str, Any]:
    chosen = request.GET.get("proposal", "")
    proposal = next((p for p in proposals if str(p.pk) == chosen), None)
    if proposal is None:
        return {}
    articles = "、".join(proposal.articles)
    return {
        "proposal": proposal.pk,
        "enterprise": proposal.enterprise.credit_code,
        "source": "inspection",
        "source_reference": getattr(proposal.order.document, "number", "")
        if proposal.order.document_id
        else "",
        "summary": _("Accident hazards not eliminated as ordered (%(articles)s)")
        % {"articles": articles},
        "facts": proposal.statement,
        "act_date": proposal.order.due_date,
        "discovered_on": proposal.proposed_on,
    }


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def case_new(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = _today()
    proposals = list(pages.proposals_awaiting(user)[:200])
    colleagues = pages.colleague_choices(user, today)
    initial: dict[str, Any] = {"act_date": None, "discovered_on": today}
    if request.method == "GET":
        initial.update(_proposal_initial(request, proposals))
    form = forms.CaseOpenForm(
        request.POST or None,
        initial=initial,
        colleagues=colleagues,
        proposals=[(p.pk, pages.proposal_label(p)) for p in proposals],
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            enterprise = inspection_reads.enterprise_by_reference(
                user=user, reference=data["enterprise"]
            )
            if enterprise is None:
                form.add_error(
                    "enterprise",
                    _("No enterprise with this credit code or number is in your jurisdiction."),
                )
            else:
                try:
                    case = services.case_open(
                        actor=user,
                        enterprise_id=enterprise.pk,
                        source=data["source"],
                        source_reference=data["source_reference"],
                        proposal_id=data["proposal"],
                        summary=data["summary"],
                        facts=data["facts"],
                        act_date=data["act_date"],
                        act_end_date=data["act_end_date"],
                        discovered_on=data["discovered_on"],
                        endangered_life=data["endangered_life"],
                        complex_case=data["complex_case"],
                        party_kind=data["party_kind"],
                        party_name=data["party_name"],
                        party_id_number=data["party_id_number"],
                        party_position=data["party_position"],
                        second_investigator_id=data["second_investigator"],
                        today=today,
                    )
                except ApplicationError as exc:
                    apply_errors(form, exc)
                    status = exc.status_code
                else:
                    messages.success(
                        request,
                        _("The case against %(party)s was proposed for filing.")
                        % {"party": case.party_name},
                    )
                    return redirect("cases:case-detail", pk=case.pk)
    return render(
        request,
        "cases/case_new.html",
        {
            "form": form,
            "no_colleagues": not colleagues,
            "may_file": user.has_role(*OFFICERS),
            "proposals": proposals,
        },
        status=status,
    )


# --- one case ----------------------------------------------------------------------------------

#: Steps shown as a button (no fields of their own).
DANGER_STEPS = {"reject_filing", "terminate", "transfer", "no_penalty", "discussion_return"}


def _violations_for_decision(case: Case) -> list[CaseViolation]:
    """The violations with their amounts written out (``v.texts``) for the decision form."""
    violations = list(case.violations.select_related("provision").order_by("act", "id"))
    for v in violations:
        v.texts = {  # type: ignore[attr-defined]
            "notified": pages.yuan(v.notified),
            "range": pages.yuan_range(v.range_min, v.range_max),
            "recommended": pages.yuan(v.recommended),
        }
    return violations


def _step_form(case: Case, action: str, today: dt.date) -> forms.StepForm:
    initial: dict[str, Any] = {
        "version": case.version,
        "served_on": today,
        "complex_case": case.complex_case,
        "party_present": True,
    }
    violations = _violations_for_decision(case) if action == "decide" else []
    return forms.StepForm(initial=initial, action=action, violations=violations)


def _extension_levels(user: Any, case: Case) -> list[tuple[str, Any]]:
    """The levels at which the user may extend the decision limit now."""
    if not user.has_role(Role.HEAD):
        return []
    done = set(case.extensions.values_list("level", flat=True))
    the_rules = rules.rules_for(case.jurisdiction_code, _today())
    offered = []
    for row in the_rules.extension_levels:
        level = row["level"]
        if level in done:
            continue
        if level == "head" and user.agency_id == case.agency_id:
            offered.append((level, f"{pages.EXTENSION_LEVELS.get(level, level)} · ≤ {row['days']}"))
        if level == "upper" and user.agency_id != case.agency_id and "head" in done:
            offered.append((level, f"{pages.EXTENSION_LEVELS.get(level, level)} · ≤ {row['days']}"))
    return offered


def _detail_context(
    request: AuthedHttpRequest, case: Case, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    user = request.user
    today = _today()
    own = user.agency_id is not None and user.agency_id == case.agency_id
    initial = {"version": case.version}
    steps = []
    hearing = getattr(case, "hearing", None)
    if own:
        seen = set()
        for t in CASE.actions_for(case, user):
            if not pages.offered(t, case, user, hearing=hearing) or t.action in seen:
                continue
            seen.add(t.action)
            form = bound.get(f"step:{t.action}") or _step_form(case, t.action, today)
            steps.append(
                {
                    "action": t.action,
                    "label": str(t.label),
                    "form": form,
                    "danger": t.action in DANGER_STEPS,
                    "plain": not actions.STEP_FIELDS.get(t.action),
                }
            )
    investigating = own and case.state == CaseState.INVESTIGATING
    investigator = user.pk in case.investigator_ids
    colleagues: list[tuple[int, str]] = []
    extra: dict[str, Any] = {}
    hearing_open = hearing is not None and hearing.held_on is None

    def want(key: str, condition: bool, make: Callable[[], Any]) -> None:
        extra[key] = bound.get(key) or (make() if condition else None)

    if investigating and investigator:
        colleagues = pages.colleague_choices(user, today)
    want(
        "violation_form",
        investigating and investigator,
        lambda: forms.ViolationForm(
            initial={**initial, "act": 1},
            provisions=pages.provision_choices(case.act_date, party_kind=case.party_kind),
        ),
    )
    want(
        "evidence_form",
        investigating and investigator,
        lambda: forms.EvidenceForm(
            initial={**initial, "collected_on": today}, colleagues=colleagues
        ),
    )
    want(
        "interview_form",
        investigating and investigator,
        lambda: forms.InterviewForm(initial=initial, colleagues=colleagues),
    )
    want(
        "hearing_form",
        own
        and hearing_open
        and case.state == CaseState.HEARING
        and user.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.LEGAL_REVIEWER),
        lambda: forms.HearingScheduleForm(
            initial={
                **initial,
                "notice_on": today,
                "place": getattr(hearing, "place", ""),
                "public": True,
            },
            chairs=pages.chair_choices(case),
        ),
    )
    want(
        "statement_form",
        own and case.state in (CaseState.NOTIFIED, CaseState.HEARING) and user.has_role(*OFFICERS),
        lambda: forms.StatementForm(initial=initial),
    )
    paying = own and case.state in (CaseState.EXECUTING, CaseState.ENFORCEMENT)
    pay = pages.payment_summary(case, today) if case.fine else None
    want(
        "payment_form",
        paying and user.has_role(*OFFICERS),
        lambda: forms.PaymentForm(initial={**initial, "paid_on": today}),
    )
    arranged = getattr(case, "arrangement", None)
    want(
        "arrangement_form",
        own
        and case.state == CaseState.EXECUTING
        and user.has_role(Role.HEAD)
        and arranged is None
        and bool(case.fine),
        lambda: forms.ArrangementForm(initial=initial),
    )
    suspensions = list(case.suspensions.all())
    running = next((s for s in suspensions if s.ended_on is None), None)
    may_suspend = paying and user.has_role(*OFFICERS, Role.HEAD, Role.LEGAL_REVIEWER)
    want(
        "suspension_form",
        may_suspend and running is None,
        lambda: forms.SuspensionForm(initial={**initial, "started_on": today}),
    )
    want(
        "suspension_end_form",
        may_suspend and running is not None,
        lambda: forms.SuspensionEndForm(initial={**initial, "ended_on": today}),
    )
    overdue_payment = (
        own
        and case.state == CaseState.EXECUTING
        and case.payment_due is not None
        and today > case.payment_due
        and pay is not None
        and pay["owed_raw"] not in ("0", "0.00")
    )
    extra["may_remind"] = overdue_payment and user.has_role(*OFFICERS, Role.HEAD)
    decision = selectors.open_deadline(case, rules.DECISION)
    decision_running = decision is not None
    extra["may_pause"] = own and decision_running and user.has_role(Role.HEAD)
    extra["decision_paused"] = bool(
        decision is not None and decision.pauses.filter(ended_on=None).exists()
    )
    levels = _extension_levels(user, case) if decision_running else []
    want(
        "extend_form",
        bool(levels),
        lambda: forms.ExtendForm(initial=initial, levels=levels),
    )
    documents = selectors.documents_of(case)
    return {
        "case": case,
        "today": today,
        "own_office": own,
        "is_investigator": investigator,
        "steps": steps,
        "main_steps": [s for s in steps if not s["danger"]],
        "other_steps": [s for s in steps if s["danger"]],
        "deadlines": pages.deadline_rows(case, today),
        "violations": pages.violation_rows(case),
        "evidence": list(case.evidence.select_related("file", "officer_1", "officer_2")),
        "interviews": list(case.interviews.select_related("officer_1", "officer_2", "document")),
        "reviews": list(case.reviews.select_related("actor")),
        "statements": list(case.statements.select_related("submitted_by")),
        "hearing": hearing,
        "extensions": list(case.extensions.select_related("approved_by")),
        "pay": pay,
        "payments": list(case.payments.select_related("recorded_by")),
        "arrangement": arranged,
        "suspensions": suspensions,
        "enforcement": getattr(case, "enforcement", None),
        "flags": list(case.consistency_flags.select_related("violation__provision")),
        "documents": documents,
        "timeline": pages.timeline(case),
        "notified_amount": pages.yuan(case.notified_amount),
        "fine": pages.yuan(case.fine),
        **extra,
        **challenge_context(user, case, bound, today),
    }


def _render_detail(
    request: AuthedHttpRequest,
    case: Case,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request, "cases/case_detail.html", _detail_context(request, case, bound), status=status
    )


@login_required
@require_safe
@staff_only
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _render_detail(request, _case_or_404(request, pk))


def _keep_input_after_conflict(form: Any, error: ApplicationError) -> None:
    """A stale version: keep what the user typed, now against the current version."""
    current = error.extra.get("current_version")
    if current is None:
        return
    data = form.data.copy()
    data["version"] = str(current)
    form.data = data


def _submit(
    request: AuthedHttpRequest,
    pk: int,
    form: Any,
    key: str,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    anchor: str = "",
) -> HttpResponseBase:
    """Run one service for a POSTed form of the case page; success: back to the case with
    ``done``; otherwise the case page again with the form as the user sent it."""
    _case_or_404(request, pk)  # outside the scope: the same 404 as a missing case
    status = 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
            if isinstance(exc, ConcurrentModification):
                _keep_input_after_conflict(form, exc)
                messages.warning(
                    request,
                    _(
                        "The case below is shown as it is now. Your input is kept: check it "
                        "against the current case, then send it again."
                    ),
                )
        else:
            messages.success(request, done)
            return redirect(reverse("cases:case-detail", args=[pk]) + anchor)
    else:
        messages.error(request, _("The data is not valid."))
    return _render_detail(request, _case_or_404(request, pk), {key: form}, status=status)


@login_required
@require_POST
@staff_only
def case_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    case = _case_or_404(request, pk)
    if action not in actions.STEPS:
        raise Http404
    violations = _violations_for_decision(case) if action == "decide" else []
    form = forms.StepForm(request.POST, action=action, violations=violations)
    fields = actions.STEP_FIELDS.get(action, ())

    def call(cleaned: dict[str, Any]) -> Case:
        data = request.POST.dict()
        for name in ("complex_case", "party_present"):
            if name in fields and name not in data:
                data[name] = ""  # an unticked box: no
        return actions.perform(
            actor=request.user, case_id=pk, action=action, data=data, today=_today()
        )

    label = CASE.action_label(action)
    return _submit(
        request, pk, form, f"step:{action}", call, _("Done: %(step)s.") % {"step": label}
    )


def _version(data: dict[str, Any]) -> int | None:
    value = data.get("version")
    return int(value) if value is not None else None


@login_required
@require_POST
@staff_only
def violation_add(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    case = _case_or_404(request, pk)
    form = forms.ViolationForm(
        request.POST,
        provisions=pages.provision_choices(case.act_date, party_kind=case.party_kind),
    )

    def call(data: dict[str, Any]) -> Any:
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.violation_add(
                actor=request.user,
                case_id=pk,
                provision_code=data["provision"],
                description=data["description"],
                facts=form.facts(),
                act=data["act"],
                proposed=data["proposed"],
                justification=data["justification"],
                today=_today(),
            ),
        )

    return _submit(
        request, pk, form, "violation_form", call, _("The violation was recorded."), "#violations"
    )


@login_required
@require_POST
@staff_only
def violation_remove(request: AuthedHttpRequest, pk: int, vid: int) -> HttpResponseBase:
    form = forms.VersionForm(request.POST)

    def call(data: dict[str, Any]) -> Any:
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.violation_remove(
                actor=request.user, case_id=pk, violation_id=vid, today=_today()
            ),
        )

    return _submit(
        request, pk, form, "remove_form", call, _("The violation was removed."), "#violations"
    )


@login_required
@require_POST
@staff_only
def evidence_add(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    case = _case_or_404(request, pk)
    form = forms.EvidenceForm(
        request.POST, request.FILES, colleagues=pages.colleague_choices(request.user, _today())
    )

    def call(data: dict[str, Any]) -> Any:
        def add(stored: Any) -> Any:
            return services.evidence_add(
                actor=request.user,
                case_id=pk,
                second_officer_id=data["second_officer"],
                kind=data["kind"],
                description=data["description"],
                collected_on=data["collected_on"],
                file=stored,
                today=_today(),
            )

        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: pages.evidence_with_file(
                user=request.user, case=case, upload=data.get("file"), call=add
            ),
        )

    return _submit(
        request, pk, form, "evidence_form", call, _("The evidence was added."), "#evidence"
    )


@login_required
@require_POST
@staff_only
def interview_add(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = forms.InterviewForm(
        request.POST, colleagues=pages.colleague_choices(request.user, _today())
    )

    def call(data: dict[str, Any]) -> Any:
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.interview_add(
                actor=request.user,
                case_id=pk,
                second_officer_id=data["second_officer"],
                person=data["person"],
                position=data["position"],
                place=data["place"],
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                record=forms.parse_interview(data["record"]),
                today=_today(),
            ),
        )

    return _submit(
        request, pk, form, "interview_form", call, _("The interview was recorded."), "#interviews"
    )


@login_required
@require_POST
@staff_only
def hearing_schedule(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    case = _case_or_404(request, pk)
    form = forms.HearingScheduleForm(request.POST, chairs=pages.chair_choices(case))

    def call(data: dict[str, Any]) -> Any:
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.hearing_schedule(
                actor=request.user,
                case_id=pk,
                chair_id=data["chair"],
                date=data["date"],
                place=data["place"],
                notice_on=data["notice_on"],
                public=data["public"],
                today=_today(),
            ),
        )

    return _submit(
        request, pk, form, "hearing_form", call, _("The hearing was scheduled."), "#hearing"
    )


def _guarded_form_view(
    form_class: Any,
    key: str,
    message: Any,
    anchor: str,
    run: Callable[[AuthedHttpRequest, int, dict[str, Any]], Any],
) -> Callable[[AuthedHttpRequest, int], HttpResponseBase]:
    """A POST view for one of the case page's forms that are not workflow steps: the form's
    fields, the version the user saw checked under the case's lock (``pages.guarded``), the
    service called by ``run``, and the page again with errors or a message."""

    @login_required
    @require_POST
    @staff_only
    def view(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
        form = form_class(request.POST)

        def call(data: dict[str, Any]) -> Any:
            return pages.guarded(request.user, pk, _version(data), lambda: run(request, pk, data))

        return _submit(request, pk, form, key, call, str(message), anchor)

    return view


statement_add = _guarded_form_view(
    forms.StatementForm,
    "statement_form",
    gettext_lazy("The statement was recorded."),
    "#statements",
    lambda request, pk, data: services.statement_file(
        actor=request.user, case_id=pk, text=data["text"], waives=data["waives"], today=_today()
    ),
)
payment_add = _guarded_form_view(
    forms.PaymentForm,
    "payment_form",
    gettext_lazy("The payment was recorded."),
    "#payment",
    lambda request, pk, data: services.payment_record(
        actor=request.user,
        case_id=pk,
        paid_on=data["paid_on"],
        amount=data["amount"],
        receipt_number=data["receipt_number"],
        channel=data["channel"],
        today=_today(),
    ),
)
suspension_start = _guarded_form_view(
    forms.SuspensionForm,
    "suspension_form",
    gettext_lazy("The surcharge is suspended while the proceedings run."),
    "#payment",
    lambda request, pk, data: services.payment_suspend(
        actor=request.user,
        case_id=pk,
        kind=data["kind"],
        reference=data["reference"],
        started_on=data["started_on"],
        today=_today(),
    ),
)
suspension_end = _guarded_form_view(
    forms.SuspensionEndForm,
    "suspension_end_form",
    gettext_lazy("The surcharge runs again."),
    "#payment",
    lambda request, pk, data: services.payment_resume(
        actor=request.user, case_id=pk, ended_on=data["ended_on"], today=_today()
    ),
)
remind = _guarded_form_view(
    forms.VersionForm,
    "remind_form",
    gettext_lazy("The payment reminder was issued."),
    "#payment",
    lambda request, pk, data: services.payment_remind(
        actor=request.user, case_id=pk, today=_today()
    ),
)


@login_required
@require_POST
@staff_only
def challenge_record(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """A reconsideration or lawsuit against the decision (the case's version checked)."""
    form = ChallengeForm(request.POST)

    def call(data: dict[str, Any]) -> Any:
        return services.challenge_record(
            actor=request.user,
            case_id=pk,
            kind=data["kind"],
            body=data["body"],
            reference=data["reference"],
            filed_on=data["filed_on"],
            expected_version=_version(data),
            today=_today(),
        )

    return _submit(
        request, pk, form, "challenge_form", call, _("The challenge was recorded."), "#challenges"
    )


@login_required
@require_POST
@staff_only
def challenge_decide(request: AuthedHttpRequest, pk: int, cid: int) -> HttpResponseBase:
    """The result of the running challenge (the challenge's version checked)."""
    form = ChallengeResultForm(request.POST)

    def call(data: dict[str, Any]) -> Any:
        return services.challenge_decide(
            actor=request.user,
            case_id=pk,
            challenge_id=cid,
            result=data["result"],
            result_on=data["result_on"],
            result_reference=data["result_reference"],
            note=data["note"],
            expected_version=_version(data),
            today=_today(),
        )

    return _submit(
        request,
        pk,
        form,
        "challenge_result_form",
        call,
        _("The result was recorded."),
        "#challenges",
    )


@login_required
@require_POST
@staff_only
def arrangement_add(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    form = forms.ArrangementForm(request.POST)

    def call(data: dict[str, Any]) -> Any:
        schedule, bad = forms.parse_schedule(data["schedule"])
        if bad:
            from inspectorate.core.errors import ValidationFailed

            raise ValidationFailed.of_fields(
                {"schedule": [_("Not “YYYY-MM-DD amount”: %(lines)s") % {"lines": "; ".join(bad)}]}
            )
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.payment_arrange(
                actor=request.user,
                case_id=pk,
                kind=data["kind"],
                schedule=schedule,
                reason=data["reason"],
                today=_today(),
            ),
        )

    return _submit(
        request,
        pk,
        form,
        "arrangement_form",
        call,
        _("The payment arrangement was approved."),
        "#payment",
    )


@login_required
@require_POST
@staff_only
def extend(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    case = _case_or_404(request, pk)
    levels = [(k, str(v)) for k, v in pages.EXTENSION_LEVELS.items()]
    form = forms.ExtendForm(request.POST, levels=levels)

    def call(data: dict[str, Any]) -> Any:
        return pages.guarded(
            request.user,
            pk,
            _version(data),
            lambda: services.case_extend(
                actor=request.user,
                case_id=case.pk,
                level=data["level"],
                days=data["days"],
                reason=data["reason"],
                today=_today(),
            ),
        )

    return _submit(
        request, pk, form, "extend_form", call, _("The decision limit was extended."), "#deadlines"
    )


@login_required
@require_POST
@staff_only
def decision_pause(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """Pause (with a reason) or resume the decision limit's clock: the head's step."""
    resume = request.POST.get("resume") == "1"
    reason = str(request.POST.get("reason", "")).strip()
    try:
        if resume:
            services.decision_resume(actor=request.user, case_id=pk, today=_today())
            messages.success(request, _("The decision limit runs again."))
        else:
            services.decision_pause(actor=request.user, case_id=pk, reason=reason, today=_today())
            messages.success(request, _("The decision limit is paused."))
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except ApplicationError as error:
        if isinstance(error, NotFound):
            raise Http404 from error
        fields = (error.extra or {}).get("fields") or {}
        detail = next(iter(fields.values()), [error.message])[0] if fields else error.message
        messages.error(request, str(detail))
    return redirect(reverse("cases:case-detail", args=[pk]) + "#deadlines")


# --- the discretion calculator -------------------------------------------------------------------


def _date_param(value: Any, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return default


def _recommendation(rec: Any, provision: Any, bench: Any) -> dict[str, Any]:
    return {
        "provision": provision,
        "benchmark": bench,
        "outcome": rec.outcome,
        "tier": pages.tier_label(str(rec.tier)),
        "tier_code": str(rec.tier),
        "range": pages.yuan_range(rec.range_min, rec.range_max),
        "amount": pages.yuan(rec.amount),
        "amount_raw": rec.amount,
        "statutory": pages.yuan_range(rec.statutory_min, rec.statutory_max),
        "other_penalties": rec.other_penalties,
        "reasons": [str(r) for r in rec.reasons],
    }


@login_required
@require_safe
@staff_only
def calculator(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = _today()
    on = _date_param(request.GET.get("on"), today)
    party = request.GET.get("party", "")
    party = party if party in ProvisionParty.values else ""
    params = request.GET.copy()
    if request.GET and not params.get("on"):
        params["on"] = on.isoformat()  # the day the law is taken from, shown
    form = forms.CalculatorForm(
        params if request.GET else None,
        initial={"on": today},
        provisions=pages.provision_choices(on, party=party),
        parties=list(ProvisionParty.choices),
    )
    result = None
    status = 200
    if request.GET.get("provision"):
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                rec, provision, bench = services.discretion_compute(
                    jurisdiction_code=_jurisdiction(user),
                    provision_code=data["provision"],
                    facts={**form.facts(), **form.daily()},
                    on=data["on"] or today,
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
                status = exc.status_code
            else:
                result = _recommendation(rec, provision, bench)
                status = 200
    elif request.GET:  # another party chosen: the form again, its provisions filtered
        form = forms.CalculatorForm(
            initial={**request.GET.dict(), "on": on, "party": party},
            provisions=pages.provision_choices(on, party=party),
            parties=list(ProvisionParty.choices),
        )
    context = {"form": form, "result": result, "today": today}
    if request.htmx:
        return render(request, "cases/_recommendation.html", context, status=status)
    return render(request, "cases/calculator.html", context, status=status)


# --- the simple procedure (当场处罚) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def simple_new(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = _today()
    colleagues = pages.colleague_choices(user, today)
    form = forms.SimpleForm(
        request.POST or None,
        initial={"act_date": today, "amount": 0},
        provisions=pages.provision_choices(today),
        colleagues=colleagues,
    )
    the_rules = rules.rules_for(_jurisdiction(user), today)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            enterprise = inspection_reads.enterprise_by_reference(
                user=user, reference=data["enterprise"]
            )
            if enterprise is None:
                form.add_error(
                    "enterprise",
                    _("No enterprise with this credit code or number is in your jurisdiction."),
                )
            else:
                try:
                    case = services.simple_decide(
                        actor=user,
                        second_officer_id=data["second_officer"],
                        enterprise_id=enterprise.pk,
                        provision_code=data["provision"],
                        description=data["description"],
                        amount=data["amount"],
                        act_date=data["act_date"],
                        place=data["place"],
                        party_kind=data["party_kind"],
                        party_name=data["party_name"],
                        party_id_number=data["party_id_number"],
                        facts=form.facts(),
                        today=today,
                    )
                except ApplicationError as exc:
                    apply_errors(form, exc)
                    status = exc.status_code
                else:
                    messages.success(
                        request,
                        _("The on-the-spot decision %(number)s was issued.")
                        % {"number": case.number},
                    )
                    return redirect("cases:case-detail", pk=case.pk)
    return render(
        request,
        "cases/simple_new.html",
        {
            "form": form,
            "cap_unit": pages.yuan(the_rules.simple_unit),
            "cap_person": pages.yuan(the_rules.simple_person),
            "no_colleagues": not colleagues,
            "may_file": user.has_role(*OFFICERS),
        },
        status=status,
    )


# --- 同案同罚: the outliers ----------------------------------------------------------------------

OUTLIERS_SHOWN = 200


def _outliers_page(
    request: AuthedHttpRequest, bound: dict[int, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    may = user.has_role(Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR)
    flags = list(selectors.flags_for_user(user=user)[:OUTLIERS_SHOWN])
    rows = [
        {
            "flag": f,
            "amount": pages.yuan(f.amount),
            "median": pages.yuan(f.median),
            "fences": pages.yuan_range(f.low, f.high),
            "tier": pages.tier_label(f.violation.tier),
            "form": bound.get(f.pk)
            or (forms.AcknowledgeForm() if may and f.acknowledged_by_id is None else None),
        }
        for f in flags
    ]
    return render(
        request,
        "cases/outliers.html",
        {"rows": rows, "may_acknowledge": may, "shown": OUTLIERS_SHOWN},
        status=status,
    )


@login_required
@require_safe
@staff_only
def outliers(request: AuthedHttpRequest) -> HttpResponseBase:
    return _outliers_page(request)


@login_required
@require_POST
@staff_only
def outlier_acknowledge(request: AuthedHttpRequest, fid: int) -> HttpResponseBase:
    if not selectors.flags_for_user(user=request.user).filter(pk=fid).exists():
        raise Http404
    form = forms.AcknowledgeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.flag_acknowledge(
                actor=request.user, flag_id=fid, text=form.cleaned_data["text"], today=_today()
            )
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except ApplicationError as exc:
            apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Your assessment of the outlier was recorded."))
            return redirect("cases:outliers")
    return _outliers_page(request, {fid: form}, status=status)


# --- the enterprise portal ----------------------------------------------------------------------


def _portal_context(
    request: AuthedHttpRequest, case: Case, bound: dict[str, Any]
) -> dict[str, Any]:
    today = _today()
    statement_open = case.state in (CaseState.NOTIFIED, CaseState.HEARING)
    hearing_deadline = pages.hearing_request_open(case, today)
    waived = case.statements.filter(waives=True).exists()
    return {
        "case": case,
        "today": today,
        "violations": pages.violation_rows(case),
        "notified_amount": pages.yuan(case.notified_amount),
        "fine": pages.yuan(case.fine),
        "pay": pages.payment_summary(case, today) if case.fine and case.payment_due else None,
        "deadlines": [
            d
            for d in pages.deadline_rows(case, today)
            if d.state == "running" and d.kind in pages.PARTY_DEADLINES
        ],
        "documents": pages.party_documents(case),
        "statements": list(case.statements.all()),
        "statement_form": bound.get("statement")
        or (
            forms.PortalStatementForm(initial={"version": case.version})
            if statement_open and not waived
            else None
        ),
        "hearing_form": bound.get("hearing")
        or (
            forms.VersionForm(initial={"version": case.version})
            if hearing_deadline and not waived
            else None
        ),
        "hearing_deadline": hearing_deadline,
        "hearing": getattr(case, "hearing", None),
        "waived": waived,
    }


@login_required
@require_http_methods(["GET", "POST"])
@enterprise_only
@not_found
def portal_case(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    case = selectors.case_get_for_user(user=user, pk=pk)
    status = 200
    bound: dict[str, Any] = {}
    if request.method == "POST":
        which = request.POST.get("form")
        form: Any
        if which == "hearing":
            form = forms.VersionForm(request.POST)
            key, done = "hearing", _("Your request for a hearing was sent to the office.")

            def call(data: dict[str, Any]) -> Any:
                return services.hearing_request(
                    actor=user, case_id=case.pk, expected_version=_version(data), today=_today()
                )
        else:
            form = forms.PortalStatementForm(request.POST)
            key, done = "statement", _("Your statement was sent to the office.")

            def call(data: dict[str, Any]) -> Any:
                return pages.guarded(
                    user,
                    case.pk,
                    _version(data),
                    lambda: services.statement_file(
                        actor=user,
                        case_id=case.pk,
                        text=data["text"],
                        waives=data["waives"],
                        today=_today(),
                    ),
                )

        status = 400
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except PermissionDenied as exc:
                return forbidden(request, exc.message)
            except NotFound:
                raise
            except ApplicationError as exc:
                apply_errors(form, exc)
                status = exc.status_code
                if isinstance(exc, ConcurrentModification):
                    _keep_input_after_conflict(form, exc)
            else:
                messages.success(request, done)
                return redirect("portal:case", pk=case.pk)
        bound[key] = form
        case = selectors.case_get_for_user(user=user, pk=pk)
    return render(request, "portal/case.html", _portal_context(request, case, bound), status=status)


@login_required
@require_safe
@enterprise_only
@not_found
def portal_case_document(
    request: AuthedHttpRequest, pk: int, doc: int, ext: str
) -> HttpResponseBase:
    """A document of the case issued to the party (not the office's internal forms)."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    document = next((d for d in pages.party_documents(case) if d.pk == doc), None)
    if document is None or ext not in CONTENT_TYPES:
        raise Http404
    stored = document.pdf if ext == "pdf" else document.docx
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type=CONTENT_TYPES[ext],
        as_attachment=ext == "docx",
        filename=f"{document.number}.{ext}",
    )
