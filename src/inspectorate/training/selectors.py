"""Reads of the training app, scoped to the user (out of scope = NotFound)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from inspectorate.core.errors import NotFound
from inspectorate.core.scoping import code_range
from inspectorate.legal import selectors as legal_selectors
from inspectorate.org.models import User
from inspectorate.org.roles import STAFF_ROLES
from inspectorate.training.models import (
    Attendance,
    Course,
    LibraryCase,
    Session,
    SessionState,
    StudyNote,
    TrainingPlan,
)

ZERO = Decimal("0")
ONE_PLACE = Decimal("0.1")

# the prefix lengths of the levels (province, prefecture, county)
_LEVEL_LENGTHS = (2, 4, 6)


def _staff(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.agency_id is not None and user.role_set & STAFF_ROLES:
        return True
    return bool(user.is_superuser and user.agency_id is None and user.enterprise_id is None)


def library_queryset_for_user(*, user: Any) -> QuerySet[LibraryCase]:
    """The entries the user may see: the case's office and the offices above it (the
    scope covers the case), and the offices under the entry's share prefix."""
    if not _staff(user):
        return LibraryCase.objects.none()
    scope = user.scope
    if scope.prefix is None:
        return LibraryCase.objects.none()
    if scope.prefix == "":
        return LibraryCase.objects.all()
    prefixes = [scope.prefix[:n] for n in _LEVEL_LENGTHS if n <= len(scope.prefix)]
    return LibraryCase.objects.filter(scope.q("jurisdiction_code") | Q(share_prefix__in=prefixes))


def library_list_for_user(
    *, user: Any, article: str = "", tag: str = "", q: str = ""
) -> QuerySet[LibraryCase]:
    qs = library_queryset_for_user(user=user)
    if article:
        qs = qs.filter(provisions__code=article)
    if tag:
        ids = [e.pk for e in qs.only("id", "tags") if tag in (e.tags or [])]
        qs = qs.filter(pk__in=ids)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.select_related("agency").prefetch_related("provisions").distinct()


def library_get_for_user(*, user: Any, pk: Any) -> LibraryCase:
    try:
        return (
            library_queryset_for_user(user=user)
            .select_related("agency", "author")
            .prefetch_related("provisions", "comments")
            .get(pk=pk)
        )
    except (LibraryCase.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def library_tags_for_user(*, user: Any) -> list[str]:
    tags: set[str] = set()
    for entry in library_queryset_for_user(user=user).only("id", "tags"):
        tags.update(entry.tags or [])
    return sorted(tags)


# --- training (培训) ---------------------------------------------------------------------------


def _share_prefixes(prefix: str) -> list[str]:
    return [prefix[:n] for n in _LEVEL_LENGTHS if n <= len(prefix)]


def course_queryset_for_user(*, user: Any) -> QuerySet[Course]:
    """The courses the user sees: those of the user's office and of the offices under it
    (the scope covers the organiser) and those of the offices above it (shared with their
    subtree)."""
    if not _staff(user):
        return Course.objects.none()
    scope = user.scope
    if scope.prefix is None:
        return Course.objects.none()
    if scope.prefix == "":
        return Course.objects.all()
    return Course.objects.filter(
        scope.q("jurisdiction_code") | Q(share_prefix__in=_share_prefixes(scope.prefix))
    )


def course_list_for_user(
    *, user: Any, category: str = "", year: int | None = None, q: str = ""
) -> QuerySet[Course]:
    qs = course_queryset_for_user(user=user)
    if category:
        qs = qs.filter(category=category)
    if year is not None:
        qs = qs.filter(sessions__date__year=year)
    if q:
        qs = qs.filter(title__icontains=q)
    return (
        qs.select_related("agency")
        .annotate(
            session_count=Count("sessions", distinct=True),
            last_date=Max("sessions__date"),
        )
        .order_by("-last_date", "-id")
        .distinct()
    )


def course_get_for_user(*, user: Any, pk: Any) -> Course:
    try:
        return course_queryset_for_user(user=user).select_related("agency").get(pk=pk)
    except (Course.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def course_manageable_by(*, user: Any) -> QuerySet[Course]:
    """The courses the user may organise: of the user's office or of an office under it."""
    if not _staff(user):
        return Course.objects.none()
    return Course.objects.filter(user.scope.q("jurisdiction_code"))


def session_queryset_for_user(*, user: Any) -> QuerySet[Session]:
    return Session.objects.filter(course__in=course_queryset_for_user(user=user))


def session_list_for_user(
    *, user: Any, year: int | None = None, state: str = "", category: str = ""
) -> QuerySet[Session]:
    qs = session_queryset_for_user(user=user)
    if year is not None:
        qs = qs.filter(date__year=year)
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(course__category=category)
    return qs.select_related("course", "course__agency", "lecturer")


def session_get_for_user(*, user: Any, pk: Any) -> Session:
    try:
        return (
            session_queryset_for_user(user=user)
            .select_related("course", "course__agency", "lecturer")
            .get(pk=pk)
        )
    except (Session.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def session_manageable_by(*, user: Any) -> QuerySet[Session]:
    return Session.objects.filter(course__in=course_manageable_by(user=user))


def officers_in_prefix(prefix: str) -> QuerySet[User]:
    """The active staff members of the offices in a subtree (the people a class invites)."""
    qs = User.objects.filter(is_active=True, agency__isnull=False, roles__role__in=STAFF_ROLES)
    if prefix:
        low, high = code_range(prefix)
        qs = qs.filter(agency__jurisdiction_id__gte=low, agency__jurisdiction_id__lte=high)
    return qs.distinct().select_related("agency").order_by("agency__jurisdiction_id", "name", "id")


def officers_for_user(*, user: Any, agency_id: int | None = None) -> QuerySet[User]:
    """The officers whose records the user may read (the user's scope), optionally of one
    office."""
    if not _staff(user) or user.scope.prefix is None:
        return User.objects.none()
    qs = officers_in_prefix(user.scope.prefix)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs


def officer_get_for_user(*, user: Any, pk: Any) -> User:
    """An officer's training record is read by the officer and by the offices above."""
    if getattr(user, "is_authenticated", False) and str(user.pk) == str(pk) and _staff(user):
        return user
    try:
        return officers_for_user(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def notes_for_session(session: Session) -> QuerySet[StudyNote]:
    return session.notes.all()


# --- the yearly plan and the progress against it -----------------------------------------------


def plans_for_codes(*, year: int, codes: Iterable[str]) -> dict[str, TrainingPlan | None]:
    """The plan that applies to each office jurisdiction code in ``year``: the plan whose
    subtree holds the code with the longest prefix (the office's own, else the nearest
    office above)."""
    codes = set(codes)
    prefixes = {c[:n] for c in codes for n in _LEVEL_LENGTHS}
    plans = list(
        TrainingPlan.objects.filter(year=year, prefix__in=prefixes)
        .prefetch_related("lines__post")
        .order_by("id")
    )
    out: dict[str, TrainingPlan | None] = {}
    for code in codes:
        best: TrainingPlan | None = None
        for plan in plans:
            if code.startswith(plan.prefix) and (
                best is None or len(plan.prefix) > len(best.prefix)
            ):
                best = plan
        out[code] = best
    return out


def plan_for_agency(*, agency: Any, year: int) -> TrainingPlan | None:
    """The plan that applies to an office: its own, or the nearest office above's."""
    own = (
        TrainingPlan.objects.filter(agency=agency, year=year)
        .prefetch_related("lines__post")
        .first()
    )
    if own is not None:
        return own
    return plans_for_codes(year=year, codes=[agency.jurisdiction_id])[agency.jurisdiction_id]


def plan_list_for_user(*, user: Any) -> QuerySet[TrainingPlan]:
    """Plans of the offices the user sees or falls under."""
    if not _staff(user) or user.scope.prefix is None:
        return TrainingPlan.objects.none()
    scope = user.scope
    if scope.prefix == "":
        return TrainingPlan.objects.select_related("agency")
    return TrainingPlan.objects.filter(
        scope.q("jurisdiction_code") | Q(prefix__in=_share_prefixes(scope.prefix))
    ).select_related("agency")


@dataclass(frozen=True)
class Requirement:
    hours: Decimal
    minimums: dict[str, Decimal]


def requirement_for(plan: TrainingPlan | None, roles: Iterable[str]) -> Requirement:
    """The largest requirement over the plan's posts whose role the officer holds (the
    total and each category minimum taken separately)."""
    if plan is None:
        return Requirement(ZERO, {})
    roles = set(roles)
    hours = ZERO
    minimums: dict[str, Decimal] = {}
    for line in plan.lines.all():
        if line.post.role not in roles:
            continue
        hours = max(hours, line.required_hours)
        for category, value in (line.minimums or {}).items():
            minimums[category] = max(minimums.get(category, ZERO), Decimal(str(value)))
    return Requirement(hours, minimums)


@dataclass(frozen=True)
class TrainingProgress:
    required_hours: Decimal
    session_hours: Decimal
    study_hours: Decimal
    total_hours: Decimal
    by_category: dict[str, Decimal]
    plan_id: int | None
    # the plan's per-category minimums for this officer (category -> hours)
    minimums: dict[str, Decimal] = field(default_factory=dict)

    @property
    def remaining_hours(self) -> Decimal:
        return max(ZERO, self.required_hours - self.total_hours).quantize(ONE_PLACE)

    @property
    def shortfalls(self) -> dict[str, Decimal]:
        """Per category: the hours still missing to reach its minimum (only those short)."""
        return {
            c: m - self.by_category.get(c, ZERO)
            for c, m in self.minimums.items()
            if self.by_category.get(c, ZERO) < m
        }

    @property
    def on_track(self) -> bool:
        return self.remaining_hours == ZERO and not self.shortfalls


def training_progress(*, year: int, user_ids: Iterable[int]) -> dict[int, TrainingProgress]:
    """Each officer's training in ``year`` against the plan that applies to the officer's
    office: the hours of the sessions held in that year at which the officer was (fully or
    partly) present, by course category, plus the law-update study hours. Every id given
    is in the result (an unknown id or an officer without an office: no plan, no
    requirement). No user scoping: an internal read."""
    ids = sorted({int(i) for i in user_ids})
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=ids).select_related("agency").prefetch_related("roles")
    }
    codes = {u.agency.jurisdiction_id for u in users.values() if u.agency is not None}
    plans = plans_for_codes(year=year, codes=codes)
    own = {
        p.agency_id: p
        for p in TrainingPlan.objects.filter(
            year=year, agency_id__in={u.agency_id for u in users.values() if u.agency_id}
        ).prefetch_related("lines__post")
    }
    by_user: dict[int, dict[str, Decimal]] = {i: {} for i in ids}
    rows = (
        Attendance.objects.filter(
            officer_id__in=ids,
            session__state=SessionState.HELD,
            session__date__year=year,
            hours__gt=0,
        )
        .values("officer_id", "session__course__category")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        by_user[row["officer_id"]][row["session__course__category"]] = Decimal(
            row["total"]
        ).quantize(ONE_PLACE)
    study = legal_selectors.study_hours(year=year, user_ids=ids)  # law-update study
    out: dict[int, TrainingProgress] = {}
    for uid in ids:
        user = users.get(uid)
        plan: TrainingPlan | None = None
        roles: set[str] = set()
        if user is not None and user.agency is not None:
            plan = own.get(user.agency.pk) or plans.get(user.agency.jurisdiction_id)
            roles = {r.role for r in user.roles.all()}
        req = requirement_for(plan, roles)
        categories = by_user[uid]
        session_hours = sum(categories.values(), ZERO).quantize(ONE_PLACE)
        study_hours = Decimal(study.get(uid, ZERO)).quantize(ONE_PLACE)
        out[uid] = TrainingProgress(
            required_hours=req.hours.quantize(ONE_PLACE),
            session_hours=session_hours,
            study_hours=study_hours,
            total_hours=session_hours + study_hours,
            by_category=categories,
            plan_id=plan.pk if plan is not None else None,
            minimums=req.minimums,
        )
    return out


def officer_attendance(*, officer: Any, year: int) -> QuerySet[Attendance]:
    """The officer's attendance at the sessions held in ``year`` (the officer's record)."""
    return (
        Attendance.objects.filter(
            officer=officer, session__state=SessionState.HELD, session__date__year=year
        )
        .select_related("session", "session__course")
        .order_by("session__date", "session_id")
    )
