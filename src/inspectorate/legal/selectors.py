"""Reads of the legal app.

The law library is read by every staff user: national laws by everyone, a province's own
law or policy document (``Law.jurisdiction_code`` set) by the offices of that province
(and a national user). A law outside that is the same ``NotFound`` as a missing one.

Study items (学法任务) are read by their officer, and by the heads, team leads and
supervisors whose scope covers the officer's office (``StudyItem.jurisdiction_code``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from inspectorate.core.errors import NotFound, PermissionDenied
from inspectorate.legal.models import Article, Law, LawVersion, StudyItem, StudyState
from inspectorate.org.roles import STAFF_ROLES, Role

# who follows the completion of the study items of the officers in their scope
TRACKERS = (Role.HEAD, Role.TEAM_LEAD, Role.SUPERVISOR)


def is_staff(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.agency_id is not None and user.role_set & STAFF_ROLES:
        return True
    return bool(user.is_superuser and user.agency_id is None and user.enterprise_id is None)


def is_tracker(user: Any) -> bool:
    if not is_staff(user):
        return False
    if user.agency_id is None:  # a national user (superuser without an office)
        return True
    return bool(user.has_role(*TRACKERS))


# --- the library -----------------------------------------------------------------------------


def law_queryset_for_user(*, user: Any) -> QuerySet[Law]:
    if not is_staff(user):
        return Law.objects.none()
    prefix = user.scope.prefix
    if prefix is None:
        return Law.objects.none()
    if prefix == "":
        return Law.objects.all()
    return Law.objects.filter(Q(jurisdiction_code="") | Q(jurisdiction_code__startswith=prefix[:2]))


@dataclass(frozen=True)
class LawRow:
    law: Law
    current: LawVersion | None  # the version in force on the day (None: none yet)
    latest: LawVersion | None  # the latest version (may take effect later)
    article_count: int


def law_rows(laws: Iterable[Law], day: dt.date) -> list[LawRow]:
    """Each law with its version in force on ``day`` and that version's article count.

    ``laws`` must prefetch ``versions`` annotated with ``n_articles``."""
    rows = []
    for law in laws:
        versions = sorted(law.versions.all(), key=lambda v: v.effective_on, reverse=True)
        current = next((v for v in versions if v.effective_on <= day), None)
        latest = versions[0] if versions else None
        shown = current or latest
        count = getattr(shown, "n_articles", 0) if shown is not None else 0
        rows.append(LawRow(law=law, current=current, latest=latest, article_count=count))
    return rows


def _with_versions(qs: QuerySet[Law]) -> QuerySet[Law]:
    return qs.prefetch_related(
        Prefetch(
            "versions",
            queryset=LawVersion.objects.annotate(n_articles=Count("articles")).order_by(
                "-effective_on"
            ),
        ),
        "concerns_sectors",
    )


def law_list_for_user(*, user: Any, kind: str = "", q: str = "") -> QuerySet[Law]:
    """The laws the user may read; ``q`` matches the title or the text of any article."""
    qs = law_queryset_for_user(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        with_text = Article.objects.filter(text__icontains=q).values("law_version__law_id")
        qs = qs.filter(Q(title__icontains=q) | Q(short_title__icontains=q) | Q(pk__in=with_text))
    return _with_versions(qs).order_by("sort", "code")


def law_get_for_user(*, user: Any, code: str) -> Law:
    try:
        return _with_versions(law_queryset_for_user(user=user)).get(code=code)
    except Law.DoesNotExist as exc:
        raise NotFound() from exc


def version_of(law: Law, pk: Any) -> LawVersion:
    try:
        return law.versions.get(pk=pk)
    except (LawVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def version_get_for_user(*, user: Any, pk: Any) -> LawVersion:
    try:
        return LawVersion.objects.select_related("law").get(
            pk=pk, law__in=law_queryset_for_user(user=user)
        )
    except (LawVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def chapters(version: LawVersion) -> list[tuple[str, list[Article]]]:
    """The articles of a version grouped by chapter, in order."""
    groups: list[tuple[str, list[Article]]] = []
    for article in version.articles.order_by("sort"):
        if not groups or groups[-1][0] != article.chapter:
            groups.append((article.chapter, []))
        groups[-1][1].append(article)
    return groups


def article_list_for_user(
    *,
    user: Any,
    law: str = "",
    q: str = "",
    version: int | None = None,
    day: dt.date | None = None,
) -> QuerySet[Article]:
    """Articles of the laws the user may read: of ``version`` when given, else of each
    law's version in force on ``day`` (the articles a question or a citation names)."""
    laws = law_queryset_for_user(user=user)
    qs = Article.objects.filter(law_version__law__in=laws)
    if law:
        qs = qs.filter(law_version__law__code=law)
    if version is not None:
        qs = qs.filter(law_version_id=version)
    elif day is not None:
        current = []
        for one in _with_versions(laws.filter(code=law) if law else laws):
            in_force = law_rows([one], day)[0].current
            if in_force is not None:
                current.append(in_force.pk)
        qs = qs.filter(law_version_id__in=current)
    q = q.strip()
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(label=q))
    return qs.select_related("law_version__law").order_by(
        "law_version__law__sort", "law_version__law__code", "law_version_id", "sort"
    )


def article_get_for_user(*, user: Any, pk: Any) -> Article:
    try:
        return Article.objects.select_related("law_version__law").get(
            pk=pk, law_version__law__in=law_queryset_for_user(user=user)
        )
    except (Article.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- comparing two versions -----------------------------------------------------------------


@dataclass(frozen=True)
class ChangedArticle:
    old: Article
    new: Article


@dataclass(frozen=True)
class Comparison:
    old: LawVersion
    new: LawVersion
    added: list[Article] = field(default_factory=list)
    removed: list[Article] = field(default_factory=list)
    changed: list[ChangedArticle] = field(default_factory=list)
    unchanged: int = 0


def _key(article: Article) -> tuple[int, str]:
    return (article.number, article.suffix)


def compare(old: LawVersion, new: LawVersion) -> Comparison:
    """Articles matched by number and suffix (第N条之一): those only in ``new`` were added,
    only in ``old`` removed; a matched article whose text differs (ignoring whitespace at
    the ends of lines) changed."""
    before = {_key(a): a for a in old.articles.order_by("sort")}
    after = {_key(a): a for a in new.articles.order_by("sort")}

    def norm(text: str) -> str:
        return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())

    added = [a for k, a in after.items() if k not in before]
    removed = [a for k, a in before.items() if k not in after]
    changed = [
        ChangedArticle(old=before[k], new=a)
        for k, a in after.items()
        if k in before and norm(before[k].text) != norm(a.text)
    ]
    unchanged = sum(1 for k, a in after.items() if k in before) - len(changed)
    return Comparison(old, new, added, removed, changed, unchanged)


def previous_version(version: LawVersion) -> LawVersion | None:
    return (
        LawVersion.objects.filter(law_id=version.law_id, effective_on__lt=version.effective_on)
        .order_by("-effective_on")
        .first()
    )


# --- study items ----------------------------------------------------------------------------


def study_queryset_for_user(*, user: Any) -> QuerySet[StudyItem]:
    """The user's own items, and for a head, team lead or supervisor the items of the
    officers of the offices in their scope."""
    if not is_staff(user):
        return StudyItem.objects.none()
    own = Q(officer_id=user.pk)
    if is_tracker(user):
        return StudyItem.objects.filter(own | user.scope.q("jurisdiction_code"))
    return StudyItem.objects.filter(own)


def study_list_for_user(*, user: Any, state: str = "") -> QuerySet[StudyItem]:
    """The user's own study items (the "my study items" page)."""
    qs = study_queryset_for_user(user=user).filter(officer_id=user.pk)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("law_version__law", "agency").order_by("state", "due_on", "-id")


def study_get_for_user(*, user: Any, pk: Any) -> StudyItem:
    try:
        return (
            study_queryset_for_user(user=user)
            .select_related("law_version__law", "officer", "agency")
            .get(pk=pk)
        )
    except (StudyItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


@dataclass(frozen=True)
class OfficeCompletion:
    agency_id: int
    agency_name: str
    jurisdiction_code: str
    assigned: int
    completed: int
    overdue: int

    @property
    def pending(self) -> int:
        return self.assigned - self.completed

    @property
    def rate(self) -> Decimal:
        """Completed / assigned, as a percentage with one decimal."""
        if not self.assigned:
            return Decimal("0.0")
        return (Decimal(self.completed) * 100 / self.assigned).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Completion:
    version: LawVersion
    offices: list[OfficeCompletion]
    total: OfficeCompletion


def _require_tracker(user: Any) -> None:
    if not is_tracker(user):
        raise PermissionDenied(
            _("Only a head, team lead or supervisor follows the completion of study items.")
        )


def completion_items(
    *, user: Any, version: LawVersion, agency_id: Any = None
) -> QuerySet[StudyItem]:
    """The study items of ``version`` of the officers in the user's scope."""
    _require_tracker(user)
    qs = StudyItem.objects.filter(law_version=version).filter(user.scope.q("jurisdiction_code"))
    if agency_id not in (None, ""):
        try:
            qs = qs.filter(agency_id=int(agency_id))
        except (TypeError, ValueError) as exc:
            raise NotFound() from exc
    return qs.select_related("officer", "agency").order_by("jurisdiction_code", "officer__name")


def completion_for_user(*, user: Any, version: LawVersion, day: dt.date) -> Completion:
    """Per office (of the officers in the user's scope): assigned, completed, overdue
    (not completed and ``day`` after the due date) and the completion rate."""
    rows = (
        completion_items(user=user, version=version)
        .values("agency_id", "agency__name", "jurisdiction_code")
        .annotate(
            assigned=Count("id"),
            completed=Count("id", filter=Q(state=StudyState.COMPLETED)),
            overdue=Count("id", filter=Q(state=StudyState.ASSIGNED, due_on__lt=day)),
        )
        .order_by("jurisdiction_code", "agency__name")
    )
    offices = [
        OfficeCompletion(
            agency_id=r["agency_id"],
            agency_name=r["agency__name"],
            jurisdiction_code=r["jurisdiction_code"],
            assigned=r["assigned"],
            completed=r["completed"],
            overdue=r["overdue"],
        )
        for r in rows
    ]
    total = OfficeCompletion(
        agency_id=0,
        agency_name="",
        jurisdiction_code="",
        assigned=sum(o.assigned for o in offices),
        completed=sum(o.completed for o in offices),
        overdue=sum(o.overdue for o in offices),
    )
    return Completion(version=version, offices=offices, total=total)


def tracked_versions_for_user(*, user: Any) -> QuerySet[LawVersion]:
    """The versions with study items of officers in the user's scope (newest first)."""
    _require_tracker(user)
    ids = StudyItem.objects.filter(user.scope.q("jurisdiction_code")).values("law_version_id")
    return (
        LawVersion.objects.filter(pk__in=ids)
        .select_related("law")
        .order_by("-added_on", "-effective_on", "-id")
    )


# --- for the training hours (helper interface) ----------------------------------------------


def study_hours(*, year: int, user_ids: Iterable[int]) -> dict[int, Decimal]:
    """Hours credited for the law-update study items each user completed in ``year``
    (by completion date). A user with none is absent. Not scoped: an internal read."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        StudyItem.objects.filter(
            officer_id__in=ids, state=StudyState.COMPLETED, completed_on__year=year
        )
        .values("officer_id")
        .annotate(total=Sum("hours"))
    )
    return {r["officer_id"]: Decimal(r["total"]) for r in rows if r["total"] is not None}
