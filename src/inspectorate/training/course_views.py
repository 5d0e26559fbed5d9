"""Pages of training (培训): courses and their sessions, attendance, study notes and the
discussion, the yearly plan of required hours per post and each officer's progress.

Thin: the forms parse, the services write (and check roles, scope and the version), the
selectors read. A course or session the user cannot see is the same 404 as a missing one.
"""

from __future__ import annotations

from decimal import Decimal
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

from inspectorate.accountability.models import Post
from inspectorate.core.errors import ApplicationError, ConcurrentModification, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.org.models import Agency
from inspectorate.training import selectors, services
from inspectorate.training.forms import (
    CourseFilterForm,
    CourseForm,
    NoteForm,
    SessionForm,
    TransitionForm,
    YearOfficeForm,
)
from inspectorate.training.models import (
    AttendanceStatus,
    Course,
    CourseCategory,
    Session,
    SessionState,
)
from inspectorate.training.workflows import ORGANISERS

PAGE_SIZE = 25


def _course_or_404(request: AuthedHttpRequest, pk: int) -> Course:
    try:
        return selectors.course_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _session_or_404(request: AuthedHttpRequest, pk: int) -> Session:
    try:
        return selectors.session_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _is_organiser(user: Any) -> bool:
    return bool(user.agency_id is not None and user.has_role(*ORGANISERS))


def _manages(user: Any, course: Course) -> bool:
    return _is_organiser(user) and user.scope.covers(course.jurisdiction_code)


def _years(today_year: int) -> list[int]:
    return list(range(today_year + 1, today_year - 4, -1))


def _keep_version(form: Any, error: ApplicationError) -> None:
    """After a stale version: keep what the user typed against the current version."""
    current = error.extra.get("current_version")
    if isinstance(error, ConcurrentModification) and current is not None:
        data = form.data.copy()
        data["version"] = str(current)
        form.data = data
    apply_errors(form, error)


# --- courses -----------------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def course_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()
    form = CourseFilterForm(request.GET or None, years=_years(today.year))
    category, year, q = "", None, ""
    if form.is_valid():
        category = form.cleaned_data["category"] or ""
        year = form.cleaned_data["year"]
        q = form.cleaned_data["q"] or ""
    qs = selectors.course_list_for_user(user=user, category=category, year=year, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    upcoming = (
        selectors.session_list_for_user(user=user, state=SessionState.PLANNED)
        .filter(date__gte=today)
        .order_by("date", "start_time")[:10]
    )
    return render(
        request,
        "training/course_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "upcoming": upcoming,
            "may_organise": _is_organiser(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def course_add(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _is_organiser(request.user):
        return forbidden(
            request,
            _(
                "Only a team lead, the head or the administrator of an office may organise training."
            ),
        )
    if request.method != "POST":
        return render(request, "training/course_form.html", {"form": CourseForm(), "course": None})
    form = CourseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                title=d["title"],
                category=d["category"],
                description=d["description"],
                default_hours=d["default_hours"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("training:course-detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": None}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def course_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    course = _course_or_404(request, pk)
    manages = _manages(request.user, course)
    form: CourseForm | None = None
    status = 200
    if request.method == "POST":
        if not manages:
            return forbidden(
                request, _("Only the organising office or an office above it may do this.")
            )
        form = CourseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.course_update(
                    actor=request.user,
                    course_id=course.pk,
                    expected_version=d["version"],
                    title=d["title"],
                    category=d["category"],
                    description=d["description"],
                    default_hours=d["default_hours"],
                )
            except ApplicationError as exc:
                _keep_version(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The course was saved."))
                return redirect("training:course-detail", pk=course.pk)
        else:
            status = 400
        course = _course_or_404(request, pk)
    elif manages:
        form = CourseForm(
            initial={
                "title": course.title,
                "category": course.category,
                "default_hours": course.default_hours,
                "description": course.description,
                "version": course.version,
            }
        )
    sessions = course.sessions.select_related("lecturer").order_by("-date", "-start_time")
    return render(
        request,
        "training/course_detail.html",
        {"course": course, "form": form, "sessions": sessions, "manages": manages},
        status=status,
    )


# --- sessions ----------------------------------------------------------------------------------


def _officer_choices(course: Course) -> list[tuple[int, str]]:
    return [
        (u.pk, f"{u.get_full_name()} · {u.agency.name if u.agency else ''}")
        for u in selectors.officers_in_prefix(course.share_prefix)
    ]


def _session_service_fields(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": d["date"],
        "start_time": d["start_time"],
        "end_time": d["end_time"],
        "place": d["place"],
        "hours": d["hours"],
        "lecturer_kind": d["lecturer_kind"],
        "lecturer_id": d["lecturer"],
        "lecturer_name": d["lecturer_name"],
        "lecturer_org": d["lecturer_org"],
        "lecturer_title": d["lecturer_title"],
        "invitee_ids": d["invitees"],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def session_add(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    course = _course_or_404(request, pk)
    if not _manages(request.user, course):
        return forbidden(
            request, _("Only the organising office or an office above it may do this.")
        )
    officers = _officer_choices(course)
    ctx: dict[str, Any] = {"course": course, "session": None}
    if request.method != "POST":
        form = SessionForm(
            initial={"hours": course.default_hours, "lecturer_kind": "external"},
            officers=officers,
        )
        return render(request, "training/session_form.html", {**ctx, "form": form})
    form = SessionForm(request.POST, officers=officers)
    if form.is_valid():
        try:
            session = services.session_create(
                actor=request.user,
                course_id=course.pk,
                **_session_service_fields(form.cleaned_data),
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session-detail", pk=session.pk)
    return render(request, "training/session_form.html", {**ctx, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def session_edit(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    session = _session_or_404(request, pk)
    course = session.course
    if not _manages(request.user, course):
        return forbidden(
            request, _("Only the organising office or an office above it may do this.")
        )
    officers = _officer_choices(course)
    ctx: dict[str, Any] = {"course": course, "session": session}
    if request.method != "POST":
        form = SessionForm(
            initial={
                "date": session.date,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "place": session.place,
                "hours": session.hours,
                "lecturer_kind": session.lecturer_kind,
                "lecturer": session.lecturer_id,
                "lecturer_name": session.lecturer_name,
                "lecturer_org": session.lecturer_org,
                "lecturer_title": session.lecturer_title,
                "invitees": [u.pk for u in session.invitees.all()],
                "version": session.version,
            },
            officers=officers,
        )
        return render(request, "training/session_form.html", {**ctx, "form": form})
    form = SessionForm(request.POST, officers=officers)
    status = 400
    if form.is_valid():
        try:
            services.session_update(
                actor=request.user,
                session_id=session.pk,
                expected_version=form.cleaned_data["version"],
                **_session_service_fields(form.cleaned_data),
            )
        except ApplicationError as exc:
            _keep_version(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:session-detail", pk=session.pk)
    return render(request, "training/session_form.html", {**ctx, "form": form}, status=status)


def _attendance_rows(
    session: Session, data: Any = None, errors: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """One row per invited officer and per officer already recorded."""
    recorded = {a.officer_id: a for a in session.attendance.select_related("officer__agency")}
    people = {u.pk: u for u in session.invitees.select_related("agency")}
    for rec in recorded.values():
        people.setdefault(rec.officer_id, rec.officer)
    errors = errors or {}
    rows = []
    for user in sorted(people.values(), key=lambda u: (u.agency_id or 0, u.get_full_name(), u.pk)):
        a = recorded.get(user.pk)
        status = data.get(f"status_{user.pk}", "") if data is not None else (a.status if a else "")
        hours = data.get(f"hours_{user.pk}", "") if data is not None else (a.hours if a else "")
        row_errors = [m for k, msgs in errors.items() if k.startswith(f"{user.pk}.") for m in msgs]
        rows.append(
            {
                "user": user,
                "record": a,
                "status": status,
                "hours": hours,
                "errors": row_errors,
            }
        )
    return rows


def _session_page(
    request: AuthedHttpRequest,
    session: Session,
    *,
    status: int = 200,
    note_form: NoteForm | None = None,
    attendance_data: Any = None,
    attendance_errors: dict[str, list[str]] | None = None,
    transition_error: str = "",
) -> HttpResponseBase:
    user = request.user
    manages = _manages(user, session.course)
    may_note = services.may_write_note(user, session)
    may_comment = user.agency_id is not None and user.has_role(*services.AUTHORS)
    notes = list(session.notes.all())
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "manages": manages,
            "actions": [t for t in services.SESSION.actions_for(session, user)] if manages else [],
            "transition_error": transition_error,
            "attendance_rows": _attendance_rows(session, attendance_data, attendance_errors)
            if manages or session.state == SessionState.HELD
            else [],
            "statuses": AttendanceStatus.choices,
            "attendance_errors": (attendance_errors or {}).get("entries", []),
            "study_notes": [n for n in notes if n.kind == "note"],
            "comments": [n for n in notes if n.kind == "comment"],
            "note_form": (note_form or NoteForm(may_note=may_note)) if may_comment else None,
            "invitees": session.invitees.select_related("agency"),
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def session_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _session_page(request, _session_or_404(request, pk))


@login_required
@require_POST
@staff_only
def session_action(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    session = _session_or_404(request, pk)
    if not _manages(request.user, session.course):
        return forbidden(
            request, _("Only the organising office or an office above it may do this.")
        )
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _session_page(
            request, session, status=400, transition_error=_("The data is not valid.")
        )
    d = form.cleaned_data
    try:
        services.session_transition(
            actor=request.user,
            session_id=session.pk,
            action=d["action"],
            expected_version=d["version"],
            reason=d["reason"],
        )
    except ApplicationError as exc:
        fields = exc.extra.get("fields") or {}
        message = " ".join(str(m) for msgs in fields.values() for m in msgs) or exc.message
        return _session_page(
            request,
            _session_or_404(request, pk),
            status=exc.status_code,
            transition_error=message,
        )
    messages.success(request, _("The session was updated."))
    return redirect("training:session-detail", pk=session.pk)


@login_required
@require_POST
@staff_only
def session_attendance(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    session = _session_or_404(request, pk)
    if not _manages(request.user, session.course):
        return forbidden(
            request, _("Only the organising office or an office above it may do this.")
        )
    entries = []
    for key, value in request.POST.items():
        if key.startswith("status_") and value:
            officer = key.removeprefix("status_")
            entries.append(
                services.AttendanceEntry(officer, value, request.POST.get(f"hours_{officer}"))
            )
    try:
        services.attendance_record(actor=request.user, session_id=session.pk, entries=entries)
    except ApplicationError as exc:
        errors = dict(exc.extra.get("fields") or {})
        if not errors:
            errors = {"entries": [exc.message]}
        return _session_page(
            request,
            session,
            status=exc.status_code,
            attendance_data=request.POST,
            attendance_errors=errors,
        )
    messages.success(request, _("The attendance was recorded."))
    return redirect("training:session-detail", pk=session.pk)


@login_required
@require_POST
@staff_only
def session_note(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    session = _session_or_404(request, pk)
    if not (request.user.agency_id is not None and request.user.has_role(*services.AUTHORS)):
        return forbidden(request, _("Only an officer of an office may write to the case library."))
    form = NoteForm(request.POST, may_note=services.may_write_note(request.user, session))
    if form.is_valid():
        try:
            services.study_note_add(
                actor=request.user,
                session_id=session.pk,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            return _session_page(request, session, status=exc.status_code, note_form=form)
        messages.success(request, _("Your text was added."))
        return redirect("training:session-detail", pk=session.pk)
    return _session_page(request, session, status=400, note_form=form)


# --- the yearly plan ---------------------------------------------------------------------------


def _agencies_in_scope(user: Any) -> list[Agency]:
    prefix = user.scope.prefix
    if prefix is None:
        return []
    qs = Agency.objects.select_related("jurisdiction").order_by("jurisdiction_id", "code")
    if prefix:
        qs = qs.filter(user.scope.q("jurisdiction_id"))
    return list(qs)


def _dec(value: Any) -> str:
    if value in (None, ""):
        return ""
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def plan(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()
    agencies = _agencies_in_scope(user)
    if not agencies:
        return forbidden(request, _("This page is for the staff of the enforcement offices."))
    source = request.POST if request.method == "POST" else request.GET
    default_agency = (
        user.agency_id if any(a.pk == user.agency_id for a in agencies) else agencies[0].pk
    )
    chooser = YearOfficeForm(
        {
            "year": source.get("year") or today.year,
            "agency": source.get("agency") or default_agency,
        },
        years=_years(today.year),
        agencies=[(a.pk, a.name) for a in agencies],
        all_label=None,
    )
    if not chooser.is_valid():
        raise Http404
    year = chooser.cleaned_data["year"]
    agency = next(a for a in agencies if a.pk == chooser.cleaned_data["agency"])
    current = selectors.plan_for_agency(agency=agency, year=year)
    may_edit = user.has_role(*services.PLANNERS)
    posts = list(Post.objects.all())
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not may_edit:
            return forbidden(
                request, _("Only the head or the administrator of an office saves its plan.")
            )
        lines = []
        for post in posts:
            hours = request.POST.get(f"hours_{post.code}", "").strip()
            if not hours:
                continue
            minimums = {
                c: request.POST.get(f"min_{post.code}_{c}", "").strip()
                for c in CourseCategory.values
            }
            lines.append(
                services.PlanLineInput(post.code, hours, {k: v for k, v in minimums.items() if v})
            )
        raw_version = request.POST.get("version", "")
        try:
            services.plan_save(
                actor=user,
                agency_id=agency.pk,
                year=year,
                lines=lines,
                source=request.POST.get("basis", ""),
                expected_version=int(raw_version) if raw_version.isdigit() else None,
            )
        except ApplicationError as exc:
            errors = dict(exc.extra.get("fields") or {}) or {"lines": [exc.message]}
            status = exc.status_code
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(f"{request.path}?agency={agency.pk}&year={year}")
    own = current if current is not None and current.agency_id == agency.pk else None
    by_post = {line.post_id: line for line in current.lines.all()} if current else {}
    rows = []
    for post in posts:
        line = by_post.get(post.pk)
        if request.method == "POST":
            hours = request.POST.get(f"hours_{post.code}", "")
            mins = {c: request.POST.get(f"min_{post.code}_{c}", "") for c in CourseCategory.values}
        else:
            hours = _dec(line.required_hours) if line else ""
            mins = {
                c: _dec((line.minimums or {}).get(c)) if line else "" for c in CourseCategory.values
            }
        rows.append(
            {
                "post": post,
                "hours": hours,
                "minimums": [(c, label, mins[c]) for c, label in CourseCategory.choices],
                "errors": [
                    m for k, msgs in errors.items() if k.startswith(f"{post.code}.") for m in msgs
                ],
            }
        )
    version = own.version if own else ""
    if status == 409:
        version = request.POST.get("version", "")
        if own is not None:
            version = own.version
    return render(
        request,
        "training/plan.html",
        {
            "chooser": chooser,
            "agency": agency,
            "year": year,
            "plan": current,
            "own": own,
            "rows": rows,
            "categories": CourseCategory.choices,
            "may_edit": may_edit,
            "errors": [m for k, msgs in errors.items() if "." not in k for m in msgs],
            "version": version,
            "basis": request.POST.get("basis", "")
            if request.method == "POST"
            else (own.source if own else ""),
        },
        status=status,
    )


# --- progress ----------------------------------------------------------------------------------


def _progress_rows(officers: list[Any], year: int) -> list[dict[str, Any]]:
    progress = selectors.training_progress(year=year, user_ids=[u.pk for u in officers])
    labels = dict(CourseCategory.choices)
    rows = []
    for user in officers:
        p = progress[user.pk]
        rows.append(
            {
                "user": user,
                "p": p,
                "shortfalls": [(str(labels.get(c, c)), h) for c, h in sorted(p.shortfalls.items())],
            }
        )
    return rows


@login_required
@require_safe
@staff_only
def progress(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()
    agencies = _agencies_in_scope(user)
    chooser = YearOfficeForm(
        {"year": request.GET.get("year") or today.year, "agency": request.GET.get("agency") or ""},
        years=_years(today.year),
        agencies=[(a.pk, a.name) for a in agencies],
        all_label=_("All offices in your scope"),
    )
    if chooser.is_valid():
        year, agency_id = chooser.cleaned_data["year"], chooser.cleaned_data["agency"]
    else:
        year, agency_id = today.year, None
    officers = list(selectors.officers_for_user(user=user, agency_id=agency_id))
    rows = _progress_rows(officers, year)
    behind = sum(1 for r in rows if not r["p"].on_track)
    return render(
        request,
        "training/progress.html",
        {
            "chooser": chooser,
            "year": year,
            "rows": rows,
            "behind": behind,
            "categories": CourseCategory.choices,
        },
    )


@login_required
@require_safe
@staff_only
def progress_officer(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        officer = selectors.officer_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    row = _progress_rows([officer], year)[0]
    labels = dict(CourseCategory.choices)
    categories = [
        (str(label), row["p"].by_category.get(code, Decimal(0)), row["p"].minimums.get(code))
        for code, label in CourseCategory.choices
    ]
    return render(
        request,
        "training/progress_officer.html",
        {
            "officer": officer,
            "year": year,
            "years": _years(today.year),
            "row": row,
            "p": row["p"],
            "categories": categories,
            "attendance": selectors.officer_attendance(officer=officer, year=year),
            "labels": labels,
        },
    )
