"""Pages of the exams app: my exams and results, the question bank, exams with their rule
lines, taking an attempt (a countdown to the due moment; the server decides), the marking
queue and the results. Objects outside the user's scope are the same 404 as missing ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.core.errors import ApplicationError, NotFound, ValidationFailed
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.exams import selectors, services
from inspectorate.exams.forms import LETTERS, ExamForm, MarkForm, QuestionFilterForm, QuestionForm
from inspectorate.exams.models import (
    Attempt,
    AttemptState,
    Exam,
    ExamState,
    QuestionKind,
    QuestionState,
)
from inspectorate.exams.workflows import EXAM
from inspectorate.inspections.views import apply_errors, forbidden, staff_only

PAGE_SIZE = 25


def _writer(user: Any) -> bool:
    return bool(user.agency_id is not None and user.has_role(*selectors.WRITERS))


def _bank_reader(user: Any) -> bool:
    return bool(user.agency_id is not None and user.has_role(*selectors.BANK_READERS))


def _marker(user: Any) -> bool:
    return bool(user.agency_id is not None and user.has_role(*selectors.MARKERS))


def _version(request: AuthedHttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


# --- my exams -----------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def exam_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    now = timezone.now()
    open_exams = []
    for exam in selectors.exams_open_to(user=user, now=now):
        attempts = list(Attempt.objects.filter(exam=exam, candidate=user).order_by("number"))
        current = next(
            (a for a in attempts if a.state == AttemptState.IN_PROGRESS and a.due_at > now), None
        )
        open_exams.append(
            {
                "exam": exam,
                "attempts": len(attempts),
                "current": current,
                "can_start": current is None
                and len(attempts) < exam.max_attempts
                and exam.opens_at <= now < exam.closes_at,
                "not_yet": now < exam.opens_at,
            }
        )
    organised = (
        Paginator(selectors.exams_organised_for_user(user=user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if _writer(user) or user.has_role("supervisor")
        else None
    )
    return render(
        request,
        "exams/exam_list.html",
        {
            "open_exams": open_exams,
            "my_attempts": selectors.my_attempts(user=user)[:50],
            "organised": organised,
            "can_write": _writer(user),
            "can_read_bank": _bank_reader(user),
            "can_mark": _marker(user),
            "marking_count": selectors.marking_queue_for_user(user=user).count(),
        },
    )


# --- question bank ------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def question_list(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _bank_reader(request.user):
        return forbidden(
            request,
            _(
                "The question bank is for team leads, legal reviewers, heads, supervisors and administrators."
            ),
        )
    form = QuestionFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = selectors.question_list_for_user(user=request.user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/question_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_write": _writer(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def question_add(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _writer(request.user):
        return forbidden(
            request,
            _(
                "Only team leads, legal reviewers, heads and administrators write questions and exams."
            ),
        )
    if request.method != "POST":
        form = QuestionForm(initial={"difficulty": "medium", "points": 2})
        return render(request, "exams/question_form.html", {"form": form})
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            q = services.question_create(actor=request.user, **form.service_kwargs())
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("exams:question-edit", pk=q.pk)
    return render(request, "exams/question_form.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def question_edit(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        q = selectors.question_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    editable = selectors.question_editable_by(request.user, q)
    ctx: dict[str, Any] = {"question": q, "editable": editable, "letters": LETTERS}
    if request.method != "POST":
        ctx["form"] = QuestionForm(initial=QuestionForm.initial_for(q))
        return render(request, "exams/question_form.html", ctx)
    if not editable:
        return forbidden(request, _("A question is edited by its office or the offices above it."))
    form = QuestionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.question_update(
                actor=request.user,
                question_id=q.pk,
                expected_version=form.cleaned_data["version"] or 0,
                **form.service_kwargs(),
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The question was saved."))
            return redirect("exams:question-edit", pk=q.pk)
    ctx["form"] = form
    return render(request, "exams/question_form.html", ctx, status=status)


@login_required
@require_POST
@staff_only
def question_state(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        q = selectors.question_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    state = request.POST.get("state", "")
    try:
        services.question_set_state(
            actor=request.user, question_id=q.pk, expected_version=_version(request), state=state
        )
    except ApplicationError as exc:
        if exc.status_code == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
        return redirect("exams:question-edit", pk=q.pk)
    messages.success(
        request,
        _("The question was retired.")
        if state == QuestionState.RETIRED
        else _("The question is active again."),
    )
    return redirect("exams:question-edit", pk=q.pk)


# --- exams --------------------------------------------------------------------------------


def _officers(prefix: str) -> list[tuple[str, str]]:
    return [
        (str(u.pk), f"{u.get_full_name() or u.username} · {u.agency.name if u.agency else ''}")
        for u in services._subtree_officers(prefix)
        .select_related("agency")
        .order_by("agency__jurisdiction_id", "username")[:500]
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def exam_add(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _writer(request.user):
        return forbidden(
            request,
            _(
                "Only team leads, legal reviewers, heads and administrators write questions and exams."
            ),
        )
    agency = request.user.agency
    if agency is None:  # a writer belongs to an office (checked above)
        raise Http404
    officers = _officers(agency.jurisdiction.prefix)
    if request.method != "POST":
        form = ExamForm(
            initial={"time_limit": 60, "pass_mark": 60, "max_attempts": 2, "counting": "best"},
            officers=officers,
        )
        return render(request, "exams/exam_form.html", {"form": form})
    form = ExamForm(request.POST, officers=officers)
    if form.is_valid():
        try:
            exam = services.exam_create(actor=request.user, **form.service_kwargs())
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The exam was saved as a draft."))
            return redirect("exams:exam-detail", pk=exam.pk)
    return render(request, "exams/exam_form.html", {"form": form}, status=400)


def _exam_or_404(request: AuthedHttpRequest, pk: int) -> Exam:
    try:
        return selectors.exam_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _organised_or_404(request: AuthedHttpRequest, pk: int) -> Exam:
    exam = _exam_or_404(request, pk)
    if not selectors.exam_organised_by(request.user, exam):
        raise Http404
    return exam


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def exam_edit(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    exam = _organised_or_404(request, pk)
    if not _writer(request.user):
        return forbidden(
            request,
            _(
                "Only team leads, legal reviewers, heads and administrators write questions and exams."
            ),
        )
    officers = _officers(exam.agency.jurisdiction.prefix)
    if request.method != "POST":
        form = ExamForm(initial=ExamForm.initial_for(exam), officers=officers)
        return render(request, "exams/exam_form.html", {"form": form, "exam": exam})
    form = ExamForm(request.POST, officers=officers)
    status = 400
    if form.is_valid():
        try:
            services.exam_update(
                actor=request.user,
                exam_id=exam.pk,
                expected_version=form.cleaned_data["version"] or 0,
                **form.service_kwargs(),
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The exam was saved."))
            return redirect("exams:exam-detail", pk=exam.pk)
    return render(request, "exams/exam_form.html", {"form": form, "exam": exam}, status=status)


@login_required
@require_safe
@staff_only
def exam_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    exam = _exam_or_404(request, pk)
    user = request.user
    organiser = selectors.exam_organised_by(user, exam)
    now = timezone.now()
    attempts = list(Attempt.objects.filter(exam=exam, candidate=user).order_by("number"))
    is_candidate = exam.candidates.filter(user=user).exists()
    current = next(
        (a for a in attempts if a.state == AttemptState.IN_PROGRESS and a.due_at > now), None
    )
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "rules": exam.rules.select_related("law").order_by("position"),
            "organiser": organiser,
            "actions": EXAM.actions_for(exam, user) if organiser else [],
            "candidates": exam.candidates.select_related("user__agency").order_by("user__username")
            if organiser
            else [],
            "is_candidate": is_candidate,
            "attempts": attempts,
            "current": current,
            "can_start": is_candidate
            and exam.state == ExamState.PUBLISHED
            and current is None
            and len(attempts) < exam.max_attempts
            and exam.opens_at <= now < exam.closes_at,
            "counted": selectors.counted_result(exam, user.pk, attempts) if attempts else None,
        },
    )


@login_required
@require_POST
@staff_only
def exam_transition(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponseBase:
    exam = _organised_or_404(request, pk)
    fn = services.exam_publish if action == "publish" else services.exam_close
    try:
        fn(actor=request.user, exam_id=exam.pk, expected_version=_version(request))
    except ApplicationError as exc:
        if exc.status_code == 403:
            return forbidden(request, exc.message)
        fields = exc.extra.get("fields") or {}
        for msgs in fields.values():
            for m in msgs:
                messages.error(request, m)
        if not fields:
            messages.error(request, exc.message)
        return redirect("exams:exam-detail", pk=exam.pk)
    messages.success(
        request, _("The exam was published.") if action == "publish" else _("The exam was closed.")
    )
    return redirect("exams:exam-detail", pk=exam.pk)


@login_required
@require_safe
@staff_only
def exam_results(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    exam = _organised_or_404(request, pk)
    attempts: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(exam=exam).order_by("number"):
        attempts.setdefault(a.candidate_id, []).append(a)
    summary = selectors.exam_summary(exam)
    rows = [(u, r, attempts.get(u.pk, [])) for u, r in summary.rows]
    return render(
        request, "exams/exam_results.html", {"exam": exam, "summary": summary, "rows": rows}
    )


# --- attempts -----------------------------------------------------------------------------


@login_required
@require_POST
@staff_only
def attempt_start(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    exam = _exam_or_404(request, pk)
    try:
        attempt = services.attempt_start(actor=request.user, exam_id=exam.pk)
    except ApplicationError as exc:
        if exc.status_code == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
        return redirect("exams:exam-detail", pk=exam.pk)
    return redirect("exams:attempt", pk=attempt.pk)


def _attempt_or_404(request: AuthedHttpRequest, pk: int) -> Attempt:
    try:
        return selectors.attempt_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _items(attempt: Attempt) -> list[dict[str, Any]]:
    rows = []
    for i in selectors.attempt_items(attempt):
        rows.append(
            {
                "item": i,
                "options": [
                    (n, LETTERS[n], text, n in (i.answer or []), n in i.correct)
                    for n, text in enumerate(i.options)
                ],
                "multiple": i.kind == QuestionKind.MULTIPLE,
                "case": i.kind == QuestionKind.CASE,
                "right": i.score is not None and i.score == i.points,
                "answer_letters": ",".join(LETTERS[n] for n in i.answer or [] if n < len(LETTERS)),
                "correct_letters": ",".join(LETTERS[n] for n in i.correct),
                "marks": list(zip(i.rubric, i.marks or [""] * len(i.rubric), strict=False)),
            }
        )
    return rows


@login_required
@require_safe
@staff_only
def attempt_page(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    attempt = _attempt_or_404(request, pk)
    mine = attempt.candidate_id == request.user.pk
    now = timezone.now()
    taking = mine and attempt.state == AttemptState.IN_PROGRESS and now < attempt.due_at
    template = "exams/attempt_take.html" if taking else "exams/attempt_result.html"
    return render(
        request,
        template,
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "items": _items(attempt),
            "mine": mine,
            "overdue": attempt.state == AttemptState.IN_PROGRESS and now >= attempt.due_at,
            "remaining": max(int((attempt.due_at - now).total_seconds()), 0),
        },
    )


def _posted_answers(request: AuthedHttpRequest, attempt: Attempt) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for i in attempt.items.all():
        key = f"q{i.position}"
        if i.kind == QuestionKind.CASE:
            if key in request.POST:
                answers[str(i.position)] = request.POST.get(key, "")
        else:
            answers[str(i.position)] = request.POST.getlist(key)
    return answers


@login_required
@require_POST
@staff_only
def attempt_answer(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The attempt form: "save" keeps the answers, "submit" hands the paper in."""
    attempt = _attempt_or_404(request, pk)
    if attempt.candidate_id != request.user.pk:
        return forbidden(request, _("Only the candidate answers and hands in an attempt."))
    answers = _posted_answers(request, attempt)
    submit = "submit" in request.POST
    try:
        if submit:
            services.attempt_submit(actor=request.user, attempt_id=attempt.pk, answers=answers)
        else:
            services.attempt_save(actor=request.user, attempt_id=attempt.pk, answers=answers)
    except ValidationFailed as exc:
        for msgs in (exc.extra.get("fields") or {}).values():
            for m in msgs:
                messages.error(request, m)
        return redirect("exams:attempt", pk=attempt.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("exams:attempt", pk=attempt.pk)
    if submit:
        attempt.refresh_from_db()
        if attempt.late_submit_at:
            messages.warning(
                request,
                _(
                    "The time was up: the paper was handed in at the due time with the answers saved before it."
                ),
            )
        else:
            messages.success(request, _("Your paper was handed in."))
    else:
        messages.success(request, _("Your answers were saved."))
    return redirect("exams:attempt", pk=attempt.pk)


@login_required
@require_safe
@staff_only
def marking_queue(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _marker(request.user):
        return forbidden(request, _("Only team leads, legal reviewers and heads mark exams."))
    page = Paginator(selectors.marking_queue_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "exams/marking_queue.html", {"page": page})


def _markable(request: AuthedHttpRequest, pk: int) -> Attempt:
    attempt = _attempt_or_404(request, pk)
    if not selectors.exam_organised_by(request.user, attempt.exam):
        raise Http404
    return attempt


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def attempt_mark(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    attempt = _markable(request, pk)
    if not _marker(request.user):
        return forbidden(request, _("Only team leads, legal reviewers and heads mark exams."))
    if attempt.candidate_id == request.user.pk:
        return forbidden(request, _("You may not mark your own attempt."))
    cases = list(selectors.case_items(attempt))
    forms_by_pos: dict[int, MarkForm] = {
        i.position: MarkForm(
            prefix=f"i{i.position}",
            rubric=i.rubric,
            initial={
                "comment": i.comment,
                **{f"mark_{n}": m for n, m in enumerate(i.marks or [], start=1)},
            },
        )
        for i in cases
    }
    status = 200
    if request.method == "POST":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            position = 0
        item = next((i for i in cases if i.position == position), None)
        if item is None:
            messages.error(request, _("No case analysis with this number in the paper."))
            return redirect("exams:attempt-mark", pk=attempt.pk)
        form = MarkForm(request.POST, prefix=f"i{position}", rubric=item.rubric)
        forms_by_pos[position] = form
        status = 400
        if form.is_valid():
            try:
                services.attempt_mark(
                    actor=request.user,
                    attempt_id=attempt.pk,
                    position=position,
                    marks=form.marks(),
                    comment=form.cleaned_data["comment"],
                    expected_version=_version(request),
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The marks were saved."))
                return redirect("exams:attempt-mark", pk=attempt.pk)
    return render(
        request,
        "exams/attempt_mark.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "cases": [(i, forms_by_pos[i.position]) for i in cases],
            "items": _items(attempt),
        },
        status=status,
    )
