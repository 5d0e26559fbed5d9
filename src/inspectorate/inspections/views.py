"""Thin pages of the inspections module: parse, call one selector or service, render.

The officer's workbench, starting an inspection, the open and overdue hazards, the
checklist library and the downloads of issued documents. The inspection itself (the
tablet form) is ``views_inspection``.

Every write is a POST that calls one service. Success redirects with a message; an
``ApplicationError`` renders the page again with the messages at the fields, the user's
input kept and the error's status (400 invalid, 403 not allowed, 409 illegal transition);
``NotFound`` is the same 404 page as a missing URL. Enterprise users have the portal; the
staff pages refuse them (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections import selectors, services
from inspectorate.inspections import workbench as reads
from inspectorate.inspections.forms import DraftForm, HazardFilterForm, ItemForm, StartForm
from inspectorate.inspections.models import (
    ChecklistItem,
    ChecklistVersion,
    Origin,
    VersionState,
)
from inspectorate.org.selectors import jurisdiction_list_for_user

View = Callable[..., HttpResponseBase]


# --- helpers (shared with the rectification pages) -----------------------------------------


def is_staff(user: Any) -> bool:
    """An office's staff member (or a superuser of no office): not an enterprise user."""
    if user.is_staff_member:
        return True
    return bool(user.is_superuser and user.agency_id is None and user.enterprise_id is None)


def forbidden(request: AuthedHttpRequest, message: str) -> HttpResponse:
    return render(request, "inspections/forbidden.html", {"message": message}, status=403)


def not_found(func: View) -> View:
    """Turn the services' and selectors' NotFound into the same 404 as a missing URL."""

    @wraps(func)
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return func(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


def staff_only(func: View) -> View:
    """Pages of the offices; an enterprise user has the portal (403 here)."""

    @wraps(func)
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_staff(request.user):
            return forbidden(request, _("This page is for the staff of the enforcement offices."))
        return func(request, *args, **kwargs)

    return wrapper


def apply_errors(form: Any, error: ApplicationError) -> None:
    """Put the service's field errors at the form's fields (the rest above the form)."""
    fields = error.extra.get("fields") or {}
    for name, msgs in fields.items():
        target = form.service_field(name) if hasattr(form, "service_field") else name
        if target not in form.fields:
            target = None
        for message in msgs if isinstance(msgs, list | tuple) else [msgs]:
            form.add_error(target, str(message))
    if not fields:
        form.add_error(None, error.message)


# --- the workbench -------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def workbench(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()
    inspections = reads.my_inspections_in_order(user=user)
    return render(
        request,
        "inspections/workbench.html",
        {
            "today": today,
            "in_progress": [i for i in inspections if i.state == "in_progress"],
            "closed": [i for i in inspections if i.state != "in_progress"],
            "visits": reads.planned_visits_due(user=user, today=today),
            "may_inspect": user.has_role(*services.INSPECTOR_ROLES),
        },
    )


def _visit_label(visit: Any) -> str:
    team = str(visit.team) if visit.team_id else _("no team")
    return f"{visit.unit.enterprise.name} · {team}"


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def inspection_start(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()
    visits = reads.planned_visits_due(user=user, today=today)
    colleagues = list(reads.colleagues_for(user=user, on=today))
    initial: dict[str, Any] = {}
    if request.method == "GET":
        visit = next((v for v in visits if str(v.pk) == request.GET.get("visit")), None)
        if visit is not None:
            mate = reads.teammate_for(visit=visit, user=user)
            initial = {
                "enterprise": visit.unit.enterprise.credit_code,
                "origin": Origin.PLANNED,
                "planned_visit": visit.pk,
                "second_officer": mate if mate in {c.pk for c in colleagues} else None,
            }
        elif request.GET.get("enterprise"):
            found = reads.enterprise_by_reference(user=user, reference=request.GET["enterprise"])
            if found is not None:
                initial = {"enterprise": found.credit_code}
    form = StartForm(
        request.POST or None,
        initial=initial,
        colleagues=[(c.pk, c.get_full_name() or c.username) for c in colleagues],
        visits=[(v.pk, _visit_label(v)) for v in visits],
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            enterprise = reads.enterprise_by_reference(user=user, reference=data["enterprise"])
            if enterprise is None:
                form.add_error(
                    "enterprise",
                    _("No enterprise with this credit code or number is in your jurisdiction."),
                )
            else:
                try:
                    inspection = services.inspection_start(
                        actor=user,
                        enterprise_id=enterprise.pk,
                        second_officer_id=data["second_officer"],
                        origin=data["origin"],
                        origin_note=data["origin_note"],
                        place=data["place"],
                        planned_visit_id=data["planned_visit"],
                    )
                except NotFound:
                    form.add_error(
                        "enterprise",
                        _("No enterprise with this credit code or number is in your jurisdiction."),
                    )
                except ApplicationError as exc:
                    apply_errors(form, exc)
                    status = exc.status_code
                else:
                    messages.success(
                        request,
                        _("The inspection of %(name)s was started.") % {"name": enterprise.name},
                    )
                    return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        "inspections/start.html",
        {
            "form": form,
            "no_colleagues": not colleagues,
            "may_inspect": user.has_role(*services.INSPECTOR_ROLES),
        },
        status=status,
    )


# --- open and overdue hazards --------------------------------------------------------------


@login_required
@require_safe
@staff_only
def hazards(request: AuthedHttpRequest) -> HttpResponseBase:
    """The open hazards of the user's subtree, one page at a time (no count of the matches:
    a province has millions of findings; the selector says whether there is a next page)."""
    user = request.user
    prefix = user.scope.prefix or ""
    places = jurisdiction_list_for_user(user=user)
    jurisdictions = list(places.exclude(level="county") if len(prefix) < 4 else places)
    form = HazardFilterForm(request.GET or None, jurisdictions=jurisdictions)
    filters = selectors.HazardFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.HazardFilters(
            jurisdiction=data["jurisdiction"] or "",
            grade=data["grade"] or "",
            overdue=bool(data["overdue"]),
            page=data["page"] or 1,
        )
    result = selectors.open_hazards(user=user, filters=filters)
    today = result["today"]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/hazards.html",
        {
            "form": form,
            "show_jurisdiction": len(jurisdictions) > 1,
            "rows": [(f, bool(f.due_date and f.due_date < today)) for f in result["rows"]],
            "summary": result["summary"],
            "page": result["page"],
            "has_next": result["has_next"],
            "has_previous": result["page"] > 1,
            "query": query.urlencode(),
            "today": today,
        },
    )


# --- the checklist library -----------------------------------------------------------------


def _is_admin(user: Any) -> bool:
    """What the services allow: an administrator of a province-level office."""
    return services.may_edit_checklists(user)


@login_required
@require_safe
@staff_only
def checklist_list(request: AuthedHttpRequest) -> HttpResponseBase:
    drafts = reads.checklist_drafts()
    checklists = list(selectors.checklist_list())
    return render(
        request,
        "inspections/checklist_list.html",
        {"rows": [(c, drafts.get(c.pk)) for c in checklists], "is_admin": _is_admin(request.user)},
    )


def _render_version(
    request: AuthedHttpRequest,
    version: ChecklistVersion,
    *,
    draft_form: DraftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    checklist = selectors.checklist_get(version.checklist.code)
    versions = reads.checklist_versions(code=checklist.code)
    draft = next((v for v in versions if v.state == VersionState.DRAFT), None)
    admin = _is_admin(request.user)
    return render(
        request,
        "inspections/checklist_version.html",
        {
            "checklist": checklist,
            "version": version,
            "versions": versions,
            "items": list(version.items.all()),
            "draft": draft,
            "editable": admin and version.state == VersionState.DRAFT,
            "can_draft": admin and draft is None,
            "draft_form": draft_form or DraftForm(),
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
@not_found
def checklist_version(request: AuthedHttpRequest, code: str, number: int) -> HttpResponseBase:
    return _render_version(request, selectors.checklist_version_get(code, number))


def _version_url(version: ChecklistVersion) -> str:
    return reverse("inspections:checklist-version", args=[version.checklist.code, version.number])


@login_required
@require_POST
@staff_only
@not_found
def checklist_draft(request: AuthedHttpRequest, code: str) -> HttpResponseBase:
    selectors.checklist_get(code)
    form = DraftForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            draft = services.checklist_version_draft(
                actor=request.user, code=code, note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_errors(form, exc)
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(
                request, _("Version %(number)s was drafted.") % {"number": draft.number}
            )
            return redirect(_version_url(draft))
    versions = reads.checklist_versions(code=code)
    if not versions:
        raise Http404
    return _render_version(request, versions[0], draft_form=form, status=status)


def _item_form_page(
    request: AuthedHttpRequest, version: ChecklistVersion, item: ChecklistItem | None
) -> HttpResponseBase:
    if not _is_admin(request.user):
        return forbidden(request, _("Only an administrator may edit checklists."))
    if version.state != VersionState.DRAFT:
        messages.error(
            request, _("A published version never changes; draft a new version to change it.")
        )
        return redirect(_version_url(version))
    initial = {}
    if item is not None:
        initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.checklist_item_save(
                    actor=request.user,
                    version_id=version.pk,
                    data=form.data_for_service(),
                    item_id=item.pk if item is not None else None,
                )
            except ApplicationError as exc:
                if isinstance(exc, NotFound):
                    raise
                apply_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The item was saved."))
                return redirect(_version_url(version))
    return render(
        request,
        "inspections/checklist_item_form.html",
        {"form": form, "version": version, "item": item},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
@not_found
def checklist_item_add(request: AuthedHttpRequest, code: str, number: int) -> HttpResponseBase:
    return _item_form_page(request, selectors.checklist_version_get(code, number), None)


def _item_of(version: ChecklistVersion, item_id: int) -> ChecklistItem:
    item = next((i for i in version.items.all() if i.pk == item_id), None)
    if item is None:
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
@not_found
def checklist_item_edit(
    request: AuthedHttpRequest, code: str, number: int, item_id: int
) -> HttpResponseBase:
    version = selectors.checklist_version_get(code, number)
    return _item_form_page(request, version, _item_of(version, item_id))


def _version_action(
    request: AuthedHttpRequest, version: ChecklistVersion, call: Callable[[], str]
) -> HttpResponseBase:
    """Run one service on a version; refused: the version page with the message."""
    try:
        success = call()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        version = selectors.checklist_version_get(version.checklist.code, version.number)
        return _render_version(request, version, status=exc.status_code)
    messages.success(request, success)
    return redirect(_version_url(version))


@login_required
@require_POST
@staff_only
@not_found
def checklist_item_delete(
    request: AuthedHttpRequest, code: str, number: int, item_id: int
) -> HttpResponseBase:
    version = selectors.checklist_version_get(code, number)
    item = _item_of(version, item_id)

    def call() -> str:
        services.checklist_item_delete(actor=request.user, version_id=version.pk, item_id=item.pk)
        return _("The item %(code)s was deleted.") % {"code": item.code}

    return _version_action(request, version, call)


@login_required
@require_POST
@staff_only
@not_found
def checklist_publish(request: AuthedHttpRequest, code: str, number: int) -> HttpResponseBase:
    version = selectors.checklist_version_get(code, number)

    def call() -> str:
        services.checklist_version_publish(actor=request.user, version_id=version.pk)
        return _(
            "Version %(number)s was published; new inspections use it, the previous one is retired."
        ) % {"number": version.number}

    return _version_action(request, version, call)


# --- issued documents ----------------------------------------------------------------------

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _document(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponseBase:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    stored = document.pdf if kind == "pdf" else document.docx
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type=CONTENT_TYPES[kind],
        as_attachment=kind == "docx",
        filename=f"{document.number}.{kind}",
    )


@login_required
@require_safe
@not_found
def document_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The issued PDF as it was handed to the party (staff by scope, an enterprise its own)."""
    return _document(request, pk, "pdf")


@login_required
@require_safe
@not_found
def document_docx(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _document(request, pk, "docx")
