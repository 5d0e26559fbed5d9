"""Pages of the case library (典型案例库): the list with filters, one entry with its
discussion, the form that adds a closed case. An entry outside the user's scope is the
same 404 as a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.cases.selectors import case_queryset_for_user
from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.training import selectors, services
from inspectorate.training.forms import CommentForm, LibraryCaseForm, LibraryFilterForm
from inspectorate.training.models import LibraryCase

PAGE_SIZE = 25

REPLACEMENT_LABELS = {
    "party_name": gettext_lazy("party name"),
    "credit_code": gettext_lazy("credit code"),
    "person_name": gettext_lazy("person's name"),
    "id_number": gettext_lazy("identity number"),
    "address": gettext_lazy("address"),
}


def _can_write(user: object) -> bool:
    return bool(
        getattr(user, "agency_id", None) is not None and user.has_role(*services.AUTHORS)  # type: ignore[attr-defined]
    )


def _entry_or_404(request: AuthedHttpRequest, pk: int) -> LibraryCase:
    try:
        return selectors.library_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_safe
@staff_only
def library_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    base = selectors.library_queryset_for_user(user=user)
    articles = sorted(
        {
            (p.code, f"{p.citation} · {p.violation}")
            for e in base.prefetch_related("provisions")
            for p in e.provisions.all()
        }
    )
    form = LibraryFilterForm(
        request.GET or None, articles=articles, tags=selectors.library_tags_for_user(user=user)
    )
    filters = {"article": "", "tag": "", "q": ""}
    if form.is_valid():
        filters = {k: form.cleaned_data[k] or "" for k in filters}
    qs = selectors.library_list_for_user(user=user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/library_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_write": _can_write(user)},
    )


@login_required
@require_safe
@staff_only
def library_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    entry = _entry_or_404(request, pk)
    return _detail(request, entry, CommentForm())


def _detail(
    request: AuthedHttpRequest, entry: LibraryCase, form: CommentForm, status: int = 200
) -> HttpResponseBase:
    replacements = [
        (str(REPLACEMENT_LABELS.get(k, k)), n) for k, n in sorted(entry.replacements.items())
    ]
    return render(
        request,
        "training/library_detail.html",
        {
            "entry": entry,
            "replacements": replacements,
            "comment_form": form if _can_write(request.user) else None,
        },
        status=status,
    )


@login_required
@require_POST
@staff_only
def library_comment(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    entry = _entry_or_404(request, pk)
    if not _can_write(request.user):
        return forbidden(request, _("Only an officer of an office may write to the case library."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.library_comment_add(
                actor=request.user, entry_id=entry.pk, text=form.cleaned_data["text"]
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("training:library-detail", pk=entry.pk)
    return _detail(request, entry, form, status=400)


def _candidate_cases(request: AuthedHttpRequest) -> list[tuple[str, str]]:
    taken = LibraryCase.objects.values("case_id")
    qs = (
        case_queryset_for_user(user=request.user)
        .filter(state__in=services.LIBRARY_STATES)
        .exclude(pk__in=taken)
        .order_by("-id")[:200]
    )
    return [(str(c.pk), f"{c.number or c.pk} · {c.summary}") for c in qs]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def library_add(request: AuthedHttpRequest) -> HttpResponseBase:
    if not _can_write(request.user):
        return forbidden(request, _("Only an officer of an office may write to the case library."))
    cases = _candidate_cases(request)
    if request.method != "POST":
        initial = {"case": request.GET.get("case", "")}
        form = LibraryCaseForm(initial=initial, cases=cases)
        return render(request, "training/library_add.html", {"form": form})
    form = LibraryCaseForm(request.POST, cases=cases)
    if form.is_valid():
        try:
            entry = services.library_case_add(
                actor=request.user,
                case_id=int(form.cleaned_data["case"]),
                title=form.cleaned_data["title"],
                teaching_notes=form.cleaned_data["teaching_notes"],
                tags=form.tag_list(),
                province_wide=form.cleaned_data["province_wide"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case was added to the case library."))
            return redirect("training:library-detail", pk=entry.pk)
    return render(request, "training/library_add.html", {"form": form}, status=400)
