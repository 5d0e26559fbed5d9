"""Reads of the exams app, scoped to the user (out of scope = NotFound, as missing).

Who sees what:
- the question bank: the writers of questions (team leads, legal reviewers, heads,
  admins) and supervisors, for the questions of their office, the offices above it and
  the offices below it (``question_queryset_for_user``);
- exams: an exam is seen by the offices whose scope covers the organising office (the
  organisers) and by its candidates;
- attempts: the candidate sees their own; the organisers (scope covers the exam) see all.

``exam_results`` is the internal read the annual assessment uses (no user scoping).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from inspectorate.core.errors import NotFound
from inspectorate.exams.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Counting,
    Exam,
    ExamCandidate,
    ExamState,
    Question,
    QuestionKind,
)
from inspectorate.org.roles import STAFF_ROLES, Role

# who writes the bank and organises exams
WRITERS = (Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD, Role.ADMIN)
# who reads the bank (with its answers): the writers and the supervisors
BANK_READERS = (*WRITERS, Role.SUPERVISOR)
# who marks case analyses (of the organising office or above)
MARKERS = (Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD)
# the prefix lengths of the levels (province, prefecture, county)
_LEVEL_LENGTHS = (2, 4, 6)
ONE_DECIMAL = Decimal("0.1")


def _staff(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.role_set & STAFF_ROLES
    )


def _prefixes_above(prefix: str) -> list[str]:
    """The prefixes of the office's level and of every level above it."""
    return [prefix[:n] for n in _LEVEL_LENGTHS if n <= len(prefix)]


def bank_for_prefix(prefix: str) -> QuerySet[Question]:
    """The questions that serve an office whose subtree is ``prefix``: those of the office
    and of the offices above it."""
    return Question.objects.filter(share_prefix__in=_prefixes_above(prefix))


# --- questions ----------------------------------------------------------------------------


def question_queryset_for_user(*, user: Any) -> QuerySet[Question]:
    if not _staff(user) or not user.has_role(*BANK_READERS):
        return Question.objects.none()
    scope = user.scope
    if scope.prefix is None:
        return Question.objects.none()
    return Question.objects.filter(
        scope.q("jurisdiction_code") | Q(share_prefix__in=_prefixes_above(scope.prefix))
    )


def question_list_for_user(
    *,
    user: Any,
    law: str = "",
    kind: str = "",
    difficulty: str = "",
    state: str = "",
    tag: str = "",
    q: str = "",
) -> QuerySet[Question]:
    qs = question_queryset_for_user(user=user)
    if law:
        qs = qs.filter(law__code=law)
    if kind:
        qs = qs.filter(kind=kind)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(stem__icontains=q)
    if tag:
        ids = [x.pk for x in qs.only("id", "tags") if tag in (x.tags or [])]
        qs = qs.filter(pk__in=ids)
    return qs.select_related("law", "agency").prefetch_related("articles__law_version__law")


def question_get_for_user(*, user: Any, pk: Any) -> Question:
    try:
        return (
            question_queryset_for_user(user=user)
            .select_related("law", "agency", "author")
            .prefetch_related("articles__law_version__law")
            .get(pk=pk)
        )
    except (Question.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def question_editable_by(user: Any, question: Question) -> bool:
    """The owner office and the offices above it may edit; the offices below only read."""
    return bool(
        _staff(user) and user.has_role(*WRITERS) and user.scope.covers(question.jurisdiction_code)
    )


# --- exams --------------------------------------------------------------------------------


def exam_queryset_for_user(*, user: Any) -> QuerySet[Exam]:
    """The organisers' exams (scope covers the organising office) and the published or
    closed exams the user is a candidate of."""
    if not _staff(user):
        return Exam.objects.none()
    scope = user.scope
    own = Q(pk__in=ExamCandidate.objects.filter(user=user).values("exam_id")) & ~Q(
        state=ExamState.DRAFT
    )
    return Exam.objects.filter(scope.q("jurisdiction_code") | own)


def exam_get_for_user(*, user: Any, pk: Any) -> Exam:
    try:
        return exam_queryset_for_user(user=user).select_related("agency").get(pk=pk)
    except (Exam.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def exam_organised_by(user: Any, exam: Exam) -> bool:
    """May the user manage the exam (edit, publish, close, read its results)?"""
    return bool(_staff(user) and user.scope.covers(exam.jurisdiction_code))


def exams_open_to(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Exam]:
    """Published exams the user is a candidate of, whose window has not closed."""
    moment = now or timezone.now()
    return (
        Exam.objects.filter(state=ExamState.PUBLISHED, closes_at__gt=moment, candidates__user=user)
        .select_related("agency")
        .order_by("closes_at", "id")
    )


def exams_organised_for_user(*, user: Any) -> QuerySet[Exam]:
    if not _staff(user):
        return Exam.objects.none()
    return Exam.objects.filter(user.scope.q("jurisdiction_code")).select_related("agency")


# --- attempts -----------------------------------------------------------------------------


def attempt_queryset_for_user(*, user: Any) -> QuerySet[Attempt]:
    """The user's own attempts; an organiser (writer, supervisor or marker) also sees the
    attempts of the exams of their office and the offices below."""
    if not _staff(user):
        return Attempt.objects.none()
    visible = Q(candidate=user)
    if user.has_role(*BANK_READERS, *MARKERS):
        visible |= user.scope.q("exam__jurisdiction_code")
    return Attempt.objects.filter(visible).select_related("exam", "candidate")


def attempt_get_for_user(*, user: Any, pk: Any) -> Attempt:
    try:
        return attempt_queryset_for_user(user=user).get(pk=pk)
    except (Attempt.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def marking_queue_for_user(*, user: Any) -> QuerySet[Attempt]:
    """Attempts awaiting marking that the user may mark (a marker of the organising office
    or above; never their own)."""
    if not _staff(user) or not user.has_role(*MARKERS):
        return Attempt.objects.none()
    return (
        Attempt.objects.filter(user.scope.q("exam__jurisdiction_code"), state=AttemptState.MARKING)
        .exclude(candidate=user)
        .select_related("exam", "candidate")
        .order_by("submitted_at", "id")
    )


def my_attempts(*, user: Any) -> QuerySet[Attempt]:
    return Attempt.objects.filter(candidate=user).select_related("exam").order_by("-started_at")


# --- results ------------------------------------------------------------------------------


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    if not max_score:
        return Decimal("0.0")
    return (score * 100 / max_score).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's standing in one exam. ``score`` is the counted percentage (best or
    last finished attempt), None without a finished attempt."""

    user_id: int
    attempts: int
    score: Decimal | None
    passed: bool
    pending: bool


def counted_result(exam: Exam, user_id: int, attempts: list[Attempt]) -> CandidateResult:
    """Best: the highest percentage among finished attempts; last: the finished attempt with
    the highest number. While an attempt awaits marking, the counted score is taken from
    the finished attempts and ``pending`` is True."""
    finished = [a for a in attempts if a.state == AttemptState.FINISHED and a.percent is not None]
    pending = any(a.state == AttemptState.MARKING for a in attempts)
    score: Decimal | None = None
    if finished:
        if exam.counting == Counting.LAST:
            score = max(finished, key=lambda a: a.number).percent
        else:
            score = max(a.percent for a in finished if a.percent is not None)
    passed = score is not None and score >= exam.pass_mark
    return CandidateResult(user_id, len(attempts), score, passed, pending)


@dataclass(frozen=True)
class ExamResult:
    exam_id: int
    title: str
    closes_on: dt.date
    score: Decimal | None
    passed: bool
    pending: bool


def exam_results(*, year: int, user_ids: Iterable[int]) -> dict[int, list[ExamResult]]:
    """Per user, one row per published or closed exam whose window closes in ``year`` and
    of which the user is a candidate (ordered by closing day). Every id given is in the
    result. No user scoping: an internal read for the annual assessment."""
    ids = sorted(set(user_ids))
    result: dict[int, list[ExamResult]] = {uid: [] for uid in ids}
    if not ids:
        return result
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    exams = {
        e.pk: e
        for e in Exam.objects.filter(
            state__in=[ExamState.PUBLISHED, ExamState.CLOSED],
            closes_at__gte=start,
            closes_at__lt=end,
        )
    }
    if not exams:
        return result
    pairs = ExamCandidate.objects.filter(exam_id__in=exams, user_id__in=ids).values_list(
        "exam_id", "user_id"
    )
    attempts: dict[tuple[int, int], list[Attempt]] = {}
    for a in Attempt.objects.filter(exam_id__in=exams, candidate_id__in=ids):
        attempts.setdefault((a.exam_id, a.candidate_id), []).append(a)
    for exam_id, user_id in pairs:
        exam = exams[exam_id]
        r = counted_result(exam, user_id, attempts.get((exam_id, user_id), []))
        result[user_id].append(
            ExamResult(
                exam_id=exam_id,
                title=exam.title,
                closes_on=timezone.localtime(exam.closes_at).date(),
                score=r.score,
                passed=r.passed,
                pending=r.pending,
            )
        )
    for rows in result.values():
        rows.sort(key=lambda r: (r.closes_on, r.exam_id))
    return result


@dataclass(frozen=True)
class ExamSummary:
    rows: list[tuple[Any, CandidateResult]]  # (user, result)
    candidates: int
    took: int
    passed: int
    pending: int
    pass_rate: Decimal | None  # of those with a counted score
    average: Decimal | None


def exam_summary(exam: Exam) -> ExamSummary:
    cands = list(
        ExamCandidate.objects.filter(exam=exam)
        .select_related("user__agency")
        .order_by("user__agency__jurisdiction_id", "user__username")
    )
    by_user: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(exam=exam).order_by("number"):
        by_user.setdefault(a.candidate_id, []).append(a)
    rows = [(c.user, counted_result(exam, c.user_id, by_user.get(c.user_id, []))) for c in cands]
    scored = [r for _, r in rows if r.score is not None]
    passed = sum(1 for r in scored if r.passed)
    return ExamSummary(
        rows=rows,
        candidates=len(rows),
        took=sum(1 for _, r in rows if r.attempts),
        passed=passed,
        pending=sum(1 for _, r in rows if r.pending),
        pass_rate=percent_of(Decimal(passed), Decimal(len(scored))) if scored else None,
        average=(
            (
                sum((r.score for r in scored if r.score is not None), Decimal(0)) / len(scored)
            ).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
            if scored
            else None
        ),
    )


def attempt_items(attempt: Attempt) -> QuerySet[AttemptItem]:
    return attempt.items.order_by("position")


def case_items(attempt: Attempt) -> QuerySet[AttemptItem]:
    return attempt.items.filter(kind=QuestionKind.CASE).order_by("position")
