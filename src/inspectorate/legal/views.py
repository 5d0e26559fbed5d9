"""Pages of the law library and of the law-update study (学法任务).

Every staff user reads the library; a province office's administrator adds laws and
versions; an officer completes their own study items; heads, team leads and supervisors
follow the completion in their scope. A law or an item outside the user's reach is the same
404 as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspectorate.core.errors import ApplicationError, NotFound
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.inspections.views import apply_errors, forbidden, staff_only
from inspectorate.legal import selectors, services
from inspectorate.legal.forms import LawFilterForm, LawForm, StudyNoteForm, VersionForm
from inspectorate.legal.models import Law, LawKind, LawVersion, StudyItem, StudyState
from inspectorate.org.models import Jurisdiction
from inspectorate.org.roles import Role

PAGE_SIZE = 25
KEEPER_MESSAGE = gettext_lazy(
    "Only a system administrator of a province office keeps the law library."
)


def _law_or_404(request: AuthedHttpRequest, code: str) -> Law:
    try:
        return selectors.law_get_for_user(user=request.user, code=code)
    except NotFound as exc:
        raise Http404 from exc


def _version_or_404(law: Law, pk: Any) -> LawVersion:
    try:
        return selectors.version_of(law, pk)
    except NotFound as exc:
        raise Http404 from exc


# --- the library -----------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def law_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = LawFilterForm(request.GET or None)
    kind = q = ""
    if form.is_valid():
        kind, q = form.cleaned_data["kind"] or "", form.cleaned_data["q"] or ""
    laws = selectors.law_list_for_user(user=request.user, kind=kind, q=q)
    rows = selectors.law_rows(laws, timezone.localdate())
    articles = None
    if q.strip():
        articles = Paginator(
            selectors.article_list_for_user(user=request.user, q=q, day=timezone.localdate()),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/law_list.html",
        {
            "form": form,
            "rows": rows,
            "q": q.strip(),
            "articles": articles,
            "can_keep": services.can_keep(request.user),
        },
    )


@login_required
@require_safe
@staff_only
def law_detail(request: AuthedHttpRequest, code: str) -> HttpResponseBase:
    law = _law_or_404(request, code)
    today = timezone.localdate()
    row = selectors.law_rows([law], today)[0]
    versions = list(law.versions.all())
    chosen = row.current or row.latest
    if request.GET.get("version"):
        chosen = next((v for v in versions if str(v.pk) == request.GET["version"]), None)
        if chosen is None:
            raise Http404
    previous = selectors.previous_version(chosen) if chosen is not None else None
    return render(
        request,
        "legal/law_detail.html",
        {
            "law": law,
            "row": row,
            "versions": versions,
            "chosen": chosen,
            "previous": previous,
            "chapters": selectors.chapters(chosen) if chosen is not None else [],
            "can_keep": services.can_keep(request.user, law),
            "today": today,
            "jurisdiction": Jurisdiction.objects.filter(code=law.jurisdiction_code).first(),
            "roles": [str(Role(r).label) for r in law.concerns_roles or [] if r in Role.values],
        },
    )


@login_required
@require_safe
@staff_only
def article_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        article = selectors.article_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "legal/article_detail.html", {"article": article})


@login_required
@require_safe
@staff_only
def compare(request: AuthedHttpRequest, code: str) -> HttpResponseBase:
    law = _law_or_404(request, code)
    versions = list(law.versions.all())
    if len(versions) < 2:
        return render(
            request,
            "legal/compare.html",
            {"law": law, "versions": versions, "comparison": None},
        )
    new = _version_or_404(law, request.GET["new"]) if request.GET.get("new") else versions[0]
    if request.GET.get("old"):
        old: LawVersion | None = _version_or_404(law, request.GET["old"])
    else:
        old = selectors.previous_version(new)
    if old is None:
        old = next(v for v in versions if v.pk != new.pk)
    return render(
        request,
        "legal/compare.html",
        {"law": law, "versions": versions, "comparison": selectors.compare(old, new)},
    )


def _kinds(user: Any) -> list[tuple[str, str]]:
    if services.keeper_province(user):
        return [(k, str(label)) for k, label in LawKind.choices if k in services.PROVINCE_KINDS]
    return [(k, str(label)) for k, label in LawKind.choices]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def law_add(request: AuthedHttpRequest) -> HttpResponseBase:
    if not services.can_keep(request.user):
        return forbidden(request, str(KEEPER_MESSAGE))
    kinds = _kinds(request.user)
    if request.method != "POST":
        form = LawForm(initial={"kind": LawKind.POLICY}, kinds=kinds)
        return render(request, "legal/law_add.html", {"form": form})
    form = LawForm(request.POST, kinds=kinds)
    if form.is_valid():
        try:
            law = services.law_save(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.status_code == 403:
                return forbidden(request, exc.message)
            apply_errors(form, exc)
        else:
            messages.success(request, _("The law was added to the library. Add its text."))
            return redirect("legal:version-add", code=law.code)
    return render(request, "legal/law_add.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def version_add(request: AuthedHttpRequest, code: str) -> HttpResponseBase:
    law = _law_or_404(request, code)
    if not services.can_keep(request.user, law):
        return forbidden(request, str(KEEPER_MESSAGE))
    context: dict[str, Any] = {"law": law, "law_version": law.version}
    if request.method != "POST":
        context["form"] = VersionForm()
        return render(request, "legal/version_add.html", context)
    form = VersionForm(request.POST, request.FILES)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            expected = int(request.POST.get("law_version", ""))
        except ValueError:
            expected = None
        try:
            version = services.version_add(
                actor=request.user,
                law_code=law.code,
                label=data["label"],
                promulgated_on=data["promulgated_on"],
                effective_on=data["effective_on"],
                changes=data["changes"],
                study_hours=data["study_hours"],
                study_days=data["study_days"],
                text=data["text"],
                expected_version=expected,
            )
        except ApplicationError as exc:
            if exc.status_code == 403:
                return forbidden(request, exc.message)
            apply_errors(form, exc)
            status = exc.status_code if exc.status_code == 409 else 400
            return render(request, "legal/version_add.html", context, status=status)
        count = version.study_items.count()
        messages.success(
            request,
            _(
                "The version was added with %(articles)d articles; %(count)d officers were assigned its study."
            )
            % {"articles": version.articles.count(), "count": count},
        )
        return redirect(f"{law_detail_url(law)}?version={version.pk}")
    return render(request, "legal/version_add.html", context, status=400)


def law_detail_url(law: Law) -> str:
    return reverse("legal:law-detail", args=[law.code])


# --- study items -----------------------------------------------------------------------------


@login_required
@require_safe
@staff_only
def study_list(request: AuthedHttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    items = list(selectors.study_list_for_user(user=request.user))
    pending = [i for i in items if i.state == StudyState.ASSIGNED]
    done = [i for i in items if i.state == StudyState.COMPLETED]
    return render(
        request,
        "legal/study_list.html",
        {
            "pending": pending,
            "done": done,
            "today": today,
            "overdue": sum(1 for i in pending if i.is_overdue(today)),
            "is_tracker": selectors.is_tracker(request.user),
        },
    )


def _item_or_404(request: AuthedHttpRequest, pk: int) -> StudyItem:
    try:
        return selectors.study_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _study_page(
    request: AuthedHttpRequest, item: StudyItem, form: StudyNoteForm | None, status: int = 200
) -> HttpResponseBase:
    version = item.law_version
    previous = selectors.previous_version(version)
    comparison = selectors.compare(previous, version) if previous is not None else None
    own = item.officer_id == request.user.pk and item.state == StudyState.ASSIGNED
    return render(
        request,
        "legal/study_detail.html",
        {
            "item": item,
            "version": version,
            "previous": previous,
            "comparison": comparison,
            "form": (form or StudyNoteForm(initial={"version": item.version})) if own else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_safe
@staff_only
def study_detail(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    return _study_page(request, _item_or_404(request, pk), None)


@login_required
@require_POST
@staff_only
def study_complete(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    item = _item_or_404(request, pk)
    if item.officer_id != request.user.pk:
        return forbidden(request, _("Only the officer it was assigned to completes a study item."))
    form = StudyNoteForm(request.POST)
    if form.is_valid():
        try:
            services.study_complete(
                actor=request.user,
                item_id=item.pk,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ApplicationError as exc:
            if exc.status_code == 403:
                return forbidden(request, exc.message)
            apply_errors(form, exc)
            return _study_page(request, item, form, status=exc.status_code)
        messages.success(request, _("Your study of this version is recorded."))
        return redirect("legal:study-list")
    return _study_page(request, item, form, status=400)


# --- completion (heads, team leads, supervisors) ----------------------------------------------


@login_required
@require_safe
@staff_only
def completion_list(request: AuthedHttpRequest) -> HttpResponseBase:
    if not selectors.is_tracker(request.user):
        return forbidden(
            request,
            _("Only a head, team lead or supervisor follows the completion of study items."),
        )
    today = timezone.localdate()
    rows = [
        (v, selectors.completion_for_user(user=request.user, version=v, day=today).total)
        for v in selectors.tracked_versions_for_user(user=request.user)
    ]
    return render(request, "legal/completion_list.html", {"rows": rows, "today": today})


@login_required
@require_safe
@staff_only
def completion(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    try:
        version = selectors.version_get_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    if not selectors.is_tracker(request.user):
        return forbidden(
            request,
            _("Only a head, team lead or supervisor follows the completion of study items."),
        )
    today = timezone.localdate()
    summary = selectors.completion_for_user(user=request.user, version=version, day=today)
    agency = request.GET.get("agency") or None
    items = None
    office = None
    if agency is not None:
        office = next((o for o in summary.offices if str(o.agency_id) == agency), None)
        if office is None:
            raise Http404
        items = list(
            selectors.completion_items(user=request.user, version=version, agency_id=agency)
        )
    return render(
        request,
        "legal/completion.html",
        {
            "version": version,
            "summary": summary,
            "office": office,
            "items": items,
            "today": today,
        },
    )
