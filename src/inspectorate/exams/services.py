"""Writes of the exams app: the question bank, exams, attempts and marking.

Every write checks the role and the scope, validates its input (field errors, nothing
written on bad input), checks the optimistic ``version`` where the row can be edited by
several people (409 when stale) and appends its event to the record in the same
transaction.

Rules (the numbers are data on the exam, not in code):
- a paper is drawn per attempt from the active questions serving the organising office
  (its own and those of the offices above), line by line of the rules, without repeating
  a question; the draw is random with a recorded seed;
- an attempt is due at start + time limit, or when the window closes if that is earlier;
  answers are saved only before the due moment; a submission received at or after the
  due moment is recorded at the due moment with the answers saved before it (the late
  answers are ignored, the moment it arrived is kept in ``late_submit_at``);
- objective items are scored on submission, all-or-nothing (a multiple-choice item
  scores only when exactly the correct options are chosen: no partial credit);
- a case analysis is marked per rubric criterion (0 to the criterion's points, in steps of
  0.5) by a team lead, legal reviewer or head of the organising office or above, never by
  the candidate; its score is the marked points scaled to the rule line's points;
- an attempt's percentage is score / maximum × 100 (1 decimal, half up); passed when it
  reaches the exam's pass mark; the exam counts the best or the last finished attempt.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import secrets
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.scoping import Scope
from inspectorate.core.workflow import transition_apply
from inspectorate.exams import selectors
from inspectorate.exams.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Counting,
    Difficulty,
    Exam,
    ExamCandidate,
    ExamRule,
    ExamState,
    Question,
    QuestionKind,
    QuestionState,
)
from inspectorate.exams.selectors import MARKERS, WRITERS, percent_of
from inspectorate.exams.workflows import EXAM
from inspectorate.legal.models import Article, Law
from inspectorate.org.models import User
from inspectorate.org.roles import STAFF_ROLES

TRUE_FALSE_OPTIONS = ["正确", "错误"]
MAX_OPTIONS = 8
MAX_TAGS = 10
MAX_TAG_LENGTH = 32
MAX_POINTS = 100
MAX_RULE_LINES = 10
MAX_COUNT = 100
MAX_TIME_LIMIT = 600  # minutes
MAX_ATTEMPTS = 10
MAX_ANSWER = 10000
HALF = Decimal("0.5")
CENT = Decimal("0.01")


def _require_writer(actor: Any) -> None:
    if not actor.is_authenticated or actor.agency_id is None or not actor.has_role(*WRITERS):
        raise PermissionDenied(
            _(
                "Only team leads, legal reviewers, heads and administrators write questions and exams."
            )
        )


# --- questions ----------------------------------------------------------------------------


def _clean_tags(tags: Any, errors: dict[str, list[str]]) -> list[str]:
    if tags is None:
        return []
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        errors["tags"] = [_("Give the tags as a list of words.")]
        return []
    cleaned: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if not tag or tag in cleaned:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            errors["tags"] = [_("A tag has at most %(n)d characters.") % {"n": MAX_TAG_LENGTH}]
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        errors["tags"] = [_("At most %(n)d tags.") % {"n": MAX_TAGS}]
    return cleaned


def _int_list(value: Any) -> list[int] | None:
    if not isinstance(value, list | tuple):
        return None
    out: list[int] = []
    for v in value:
        if isinstance(v, bool):
            return None
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            return None
    return out


def clean_question(
    *,
    kind: Any,
    stem: Any,
    options: Any,
    correct: Any,
    explanation: Any,
    model_answer: Any,
    rubric: Any,
    difficulty: Any,
    article_ids: Any,
    tags: Any,
    points: Any,
) -> dict[str, Any]:
    """The question's fields, checked; ``ValidationFailed`` with every field error."""
    errors: dict[str, list[str]] = {}
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Choose a kind of question.")]
    stem = (stem or "").strip() if isinstance(stem, str) else ""
    if not stem:
        errors["stem"] = [_("Write the question.")]
    elif len(stem) > 4000:
        errors["stem"] = [_("At most %(n)d characters.") % {"n": 4000}]
    if difficulty not in Difficulty.values:
        errors["difficulty"] = [_("Choose a difficulty.")]
    try:
        pts = int(points)
    except (TypeError, ValueError):
        pts = 0
    if isinstance(points, bool) or not 1 <= pts <= MAX_POINTS:
        errors["points"] = [_("Points are a whole number from 1 to %(n)d.") % {"n": MAX_POINTS}]
        pts = 0
    ids = _int_list(article_ids)
    articles: list[Article] = []
    if not ids:
        errors["articles"] = [_("Cite at least one article of the law library.")]
    else:
        found = {a.pk: a for a in Article.objects.filter(pk__in=ids).select_related("law_version")}
        if len(found) != len(set(ids)):
            errors["articles"] = [_("No such article in the law library.")]
        else:
            articles = [found[i] for i in dict.fromkeys(ids)]
    opts: list[str] = []
    right: list[int] = []
    answer_text = (model_answer or "").strip() if isinstance(model_answer, str) else ""
    rub: list[dict[str, Any]] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not isinstance(options, list | tuple) or not all(isinstance(o, str) for o in options):
            errors["options"] = [_("Give the options as a list of texts.")]
        else:
            opts = [o.strip() for o in options if o.strip()]
            if len(opts) < 2:
                errors["options"] = [_("A choice question has at least 2 options.")]
            elif len(opts) > MAX_OPTIONS:
                errors["options"] = [_("At most %(n)d options.") % {"n": MAX_OPTIONS}]
            elif len(set(opts)) != len(opts):
                errors["options"] = [_("Two options have the same text.")]
    elif kind == QuestionKind.TRUE_FALSE:
        opts = list(TRUE_FALSE_OPTIONS)
    if kind in OBJECTIVE:
        chosen = _int_list(correct)
        if chosen is None or any(not 0 <= c < max(len(opts), 1) for c in chosen):
            errors["correct"] = [_("Mark the correct answer among the options.")]
        else:
            right = sorted(set(chosen))
            if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(right) != 1:
                errors["correct"] = [_("Exactly one answer is correct.")]
            elif kind == QuestionKind.MULTIPLE and len(right) < 2:
                errors["correct"] = [
                    _("A multiple-choice question has at least 2 correct options.")
                ]
            elif kind == QuestionKind.MULTIPLE and len(right) == len(opts):
                errors["correct"] = [_("At least one option must be wrong.")]
    if kind == QuestionKind.CASE:
        if not answer_text:
            errors["model_answer"] = [_("Write the model answer.")]
        rub = _clean_rubric(rubric, pts, errors)
    explanation = (explanation or "").strip() if isinstance(explanation, str) else ""
    clean_tags = _clean_tags(tags, errors)
    if errors:
        raise ValidationFailed.of_fields(errors)
    return {
        "kind": kind,
        "stem": stem,
        "options": opts,
        "correct": right,
        "explanation": explanation,
        "model_answer": answer_text if kind == QuestionKind.CASE else "",
        "rubric": rub,
        "difficulty": difficulty,
        "articles": articles,
        "tags": clean_tags,
        "points": pts,
    }


OBJECTIVE = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


def _clean_rubric(rubric: Any, points: int, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(rubric, list | tuple) or not rubric:
        errors["rubric"] = [
            _("A case analysis needs a marking rubric with at least one criterion.")
        ]
        return []
    out: list[dict[str, Any]] = []
    for n, line in enumerate(rubric, start=1):
        crit = line.get("criterion") if isinstance(line, dict) else None
        pts = line.get("points") if isinstance(line, dict) else None
        text = crit.strip() if isinstance(crit, str) else ""
        try:
            value = int(pts) if isinstance(pts, int | str) and not isinstance(pts, bool) else 0
        except ValueError:
            value = 0
        if not text or value < 1:
            errors["rubric"] = [
                _("Criterion %(n)d needs a description and at least 1 point.") % {"n": n}
            ]
            return []
        out.append({"criterion": text, "points": value})
    total = sum(c["points"] for c in out)
    if points and total != points:
        errors["rubric"] = [
            _("The rubric's points add up to %(sum)d; the question is worth %(points)d.")
            % {"sum": total, "points": points}
        ]
    return out


def _question_payload(q: Question) -> dict[str, Any]:
    return {
        "kind": q.kind,
        "difficulty": q.difficulty,
        "points": q.points,
        "law": q.law.code,
        "articles": sorted(a.pk for a in q.articles.all()),
        "state": q.state,
        "version": q.version,
    }


@transaction.atomic
def question_create(*, actor: Any, now: dt.datetime | None = None, **fields: Any) -> Question:
    """A question of the actor's office's bank (fields as in ``clean_question``)."""
    _require_writer(actor)
    data = clean_question(**fields)
    articles = data.pop("articles")
    agency = actor.agency
    q = Question.objects.create(
        agency=agency,
        jurisdiction_code=agency.jurisdiction_id,
        share_prefix=agency.jurisdiction.prefix,
        law=articles[0].law_version.law,
        author=actor,
        updated_at=now or timezone.now(),
        **data,
    )
    q.articles.set(articles)
    record_append(
        kind=RecordKind.QUESTION_SAVED,
        actor=actor,
        jurisdiction_code=q.jurisdiction_code,
        subject=q,
        payload={"created": True, **_question_payload(q)},
    )
    return q


def _locked_question(actor: Any, question_id: Any, expected_version: int) -> Question:
    try:
        q = selectors.question_queryset_for_user(user=actor).select_for_update().get(pk=question_id)
    except (Question.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not selectors.question_editable_by(actor, q):
        raise PermissionDenied(_("A question is edited by its office or the offices above it."))
    if q.version != expected_version:
        raise ConcurrentModification.stale(q.version)
    return q


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question_id: Any,
    expected_version: int,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Question:
    """Edit a question. Papers already drawn keep their snapshot."""
    _require_writer(actor)
    q = _locked_question(actor, question_id, expected_version)
    data = clean_question(**fields)
    articles = data.pop("articles")
    for name, value in data.items():
        setattr(q, name, value)
    q.law = articles[0].law_version.law
    q.updated_at = now or timezone.now()
    q.version = F("version") + 1
    q.save()
    q.refresh_from_db()
    q.articles.set(articles)
    record_append(
        kind=RecordKind.QUESTION_SAVED,
        actor=actor,
        jurisdiction_code=q.jurisdiction_code,
        subject=q,
        payload={"created": False, **_question_payload(q)},
    )
    return q


@transaction.atomic
def question_set_state(
    *,
    actor: Any,
    question_id: Any,
    expected_version: int,
    state: str,
    now: dt.datetime | None = None,
) -> Question:
    """Retire a question (no longer drawn) or bring it back."""
    _require_writer(actor)
    q = _locked_question(actor, question_id, expected_version)
    if state not in QuestionState.values:
        raise ValidationFailed.of_fields({"state": [_("Choose a state.")]})
    if q.state == state:
        raise IllegalTransition(_("The question is already in that state."))
    before = q.state
    q.state = state
    q.updated_at = now or timezone.now()
    q.version = F("version") + 1
    q.save(update_fields=["state", "updated_at", "version"])
    q.refresh_from_db()
    record_append(
        kind=RecordKind.QUESTION_RETIRED
        if state == QuestionState.RETIRED
        else RecordKind.QUESTION_SAVED,
        actor=actor,
        jurisdiction_code=q.jurisdiction_code,
        subject=q,
        payload={"before": {"state": before}, "after": {"state": state}, "version": q.version},
    )
    return q


# --- exams --------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _clean_rules(rules: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(rules, list | tuple) or not rules:
        errors["rules"] = [_("Add at least one rule line.")]
        return []
    if len(rules) > MAX_RULE_LINES:
        errors["rules"] = [_("At most %(n)d rule lines.") % {"n": MAX_RULE_LINES}]
        return []
    laws = {law.code: law for law in Law.objects.all()}
    out: list[dict[str, Any]] = []
    messages: list[str] = []
    for n, line in enumerate(rules, start=1):
        if not isinstance(line, dict):
            messages.append(_("Line %(n)d: not a rule line.") % {"n": n})
            continue
        law_code = line.get("law") or ""
        tag = (line.get("tag") or "").strip() if isinstance(line.get("tag"), str | None) else None
        kind = line.get("kind")
        difficulty = line.get("difficulty") or ""
        count = line.get("count")
        points = line.get("points")
        if law_code and law_code not in laws:
            messages.append(_("Line %(n)d: no such law.") % {"n": n})
        elif tag is None or len(tag) > MAX_TAG_LENGTH:
            messages.append(_("Line %(n)d: the tag is not valid.") % {"n": n})
        elif kind not in QuestionKind.values:
            messages.append(_("Line %(n)d: choose a kind of question.") % {"n": n})
        elif difficulty and difficulty not in Difficulty.values:
            messages.append(_("Line %(n)d: choose a difficulty.") % {"n": n})
        elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            messages.append(
                _("Line %(n)d: the number of questions is from 1 to %(max)d.")
                % {"n": n, "max": MAX_COUNT}
            )
        elif (
            isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_POINTS
        ):
            messages.append(
                _("Line %(n)d: the points per question are from 1 to %(max)d.")
                % {"n": n, "max": MAX_POINTS}
            )
        else:
            out.append(
                {
                    "law": laws[law_code] if law_code else None,
                    "tag": tag,
                    "kind": kind,
                    "difficulty": difficulty,
                    "count": count,
                    "points": points,
                }
            )
    if messages:
        errors["rules"] = messages
    return out


def _subtree_officers(prefix: str) -> Any:
    return User.objects.filter(
        Scope(prefix=prefix).q("agency__jurisdiction_id"),
        is_active=True,
        roles__role__in=STAFF_ROLES,
    ).distinct()


def clean_exam(
    *,
    prefix: str,
    title: Any,
    time_limit: Any,
    opens_at: Any,
    closes_at: Any,
    pass_mark: Any,
    max_attempts: Any,
    counting: Any,
    rules: Any,
    candidate_roles: Any = (),
    candidate_ids: Any = (),
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        errors["title"] = [_("This field is required.")]
    elif len(title) > 255:
        errors["title"] = [_("At most 255 characters.")]
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int)
        or not (1 <= time_limit <= MAX_TIME_LIMIT)
    ):
        errors["time_limit"] = [
            _("The time limit is from 1 to %(n)d minutes.") % {"n": MAX_TIME_LIMIT}
        ]
    for name, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            errors[name] = [_("Give a date and time.")]
    if "opens_at" not in errors and "closes_at" not in errors and closes_at <= opens_at:
        errors["closes_at"] = [_("The window closes after it opens.")]
    mark = _decimal(pass_mark)
    if (
        mark is None
        or not Decimal(0) <= mark <= Decimal(100)
        or mark != mark.quantize(Decimal("0.1"))
    ):
        errors["pass_mark"] = [_("The pass mark is a percentage from 0 to 100 (1 decimal).")]
    if (
        isinstance(max_attempts, bool)
        or not isinstance(max_attempts, int)
        or not (1 <= max_attempts <= MAX_ATTEMPTS)
    ):
        errors["max_attempts"] = [
            _("The maximum number of attempts is from 1 to %(n)d.") % {"n": MAX_ATTEMPTS}
        ]
    if counting not in Counting.values:
        errors["counting"] = [_("Choose which attempt counts.")]
    lines = _clean_rules(rules, errors)
    roles = list(candidate_roles or [])
    if any(r not in STAFF_ROLES for r in roles):
        errors["candidate_roles"] = [_("Choose roles of the offices.")]
    ids = _int_list(list(candidate_ids or []))
    if ids is None:
        errors["candidate_ids"] = [_("Choose officers of the office's subtree.")]
        ids = []
    elif ids and _subtree_officers(prefix).filter(pk__in=ids).count() != len(set(ids)):
        errors["candidate_ids"] = [_("Choose officers of the office's subtree.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    return {
        "title": title,
        "time_limit": time_limit,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "pass_mark": mark,
        "max_attempts": max_attempts,
        "counting": counting,
        "candidate_roles": sorted(set(roles)),
        "candidate_ids": sorted(set(ids)),
        "rules": lines,
    }


def _write_rules(exam: Exam, lines: list[dict[str, Any]]) -> None:
    exam.rules.all().delete()
    ExamRule.objects.bulk_create(
        [ExamRule(exam=exam, position=n, **line) for n, line in enumerate(lines, start=1)]
    )


def _exam_payload(exam: Exam) -> dict[str, Any]:
    return {
        "title": exam.title,
        "time_limit": exam.time_limit,
        "opens_at": exam.opens_at.isoformat(),
        "closes_at": exam.closes_at.isoformat(),
        "pass_mark": str(exam.pass_mark),
        "max_attempts": exam.max_attempts,
        "counting": exam.counting,
        "rules": rule_rows(exam),
        "candidate_roles": exam.candidate_roles,
        "candidate_ids": exam.candidate_ids,
    }


def rule_rows(exam: Exam) -> list[dict[str, Any]]:
    return [
        {
            "line": r.position,
            "law": r.law.code if r.law else "",
            "tag": r.tag,
            "kind": r.kind,
            "difficulty": r.difficulty,
            "count": r.count,
            "points": r.points,
        }
        for r in exam.rules.select_related("law").order_by("position")
    ]


@transaction.atomic
def exam_create(*, actor: Any, **fields: Any) -> Exam:
    """A draft exam organised by the actor's office."""
    _require_writer(actor)
    agency = actor.agency
    data = clean_exam(prefix=agency.jurisdiction.prefix, **fields)
    lines = data.pop("rules")
    exam = Exam.objects.create(
        agency=agency, jurisdiction_code=agency.jurisdiction_id, created_by=actor, **data
    )
    _write_rules(exam, lines)
    record_append(
        kind=RecordKind.EXAM_SAVED,
        actor=actor,
        jurisdiction_code=exam.jurisdiction_code,
        subject=exam,
        payload={"created": True, **_exam_payload(exam)},
    )
    return exam


def _locked_exam(actor: Any, exam_id: Any, expected_version: int | None) -> Exam:
    try:
        exam = (
            Exam.objects.filter(actor.scope.q("jurisdiction_code"))
            .select_for_update()
            .select_related("agency__jurisdiction")
            .get(pk=exam_id)
        )
    except (Exam.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    check_version(exam.version, expected_version)
    return exam


@transaction.atomic
def exam_update(*, actor: Any, exam_id: Any, expected_version: int, **fields: Any) -> Exam:
    """Edit a draft exam (a published exam's rules are frozen)."""
    if not actor.is_authenticated or not selectors._staff(actor):
        raise NotFound()
    exam = _locked_exam(actor, exam_id, expected_version)
    _require_writer(actor)
    if exam.state != ExamState.DRAFT:
        raise IllegalTransition(_("Only a draft exam can be edited."))
    data = clean_exam(prefix=exam.agency.jurisdiction.prefix, **fields)
    lines = data.pop("rules")
    for name, value in data.items():
        setattr(exam, name, value)
    exam.version = F("version") + 1
    exam.save()
    exam.refresh_from_db()
    _write_rules(exam, lines)
    record_append(
        kind=RecordKind.EXAM_SAVED,
        actor=actor,
        jurisdiction_code=exam.jurisdiction_code,
        subject=exam,
        payload={"created": False, **_exam_payload(exam)},
    )
    return exam


def _pool(prefix: str, rule: dict[str, Any] | ExamRule) -> list[int]:
    """The ids of the active questions serving ``prefix`` that a rule line matches."""
    get = rule.get if isinstance(rule, dict) else lambda k: getattr(rule, k)
    law = get("law")
    qs = selectors.bank_for_prefix(prefix).filter(state=QuestionState.ACTIVE, kind=get("kind"))
    if law is not None:
        qs = qs.filter(law_id=law.pk if isinstance(law, Law) else law)
    if get("difficulty"):
        qs = qs.filter(difficulty=get("difficulty"))
    tag = get("tag")
    rows = qs.order_by("id").values_list("id", "tags")
    return [pk for pk, tags in rows if not tag or tag in (tags or [])]


def check_supply(prefix: str, rules: Sequence[ExamRule]) -> list[str]:
    """The lines the bank cannot fill (messages naming them); empty when every line can be
    filled together without repeating a question (Hall's condition over the lines)."""
    pools = [set(_pool(prefix, r)) for r in rules]
    messages: list[str] = []
    for rule, pool in zip(rules, pools, strict=True):
        if len(pool) < rule.count:
            messages.append(
                _(
                    "Line %(n)d: the bank has %(have)d active questions matching it; "
                    "%(need)d are needed."
                )
                % {"n": rule.position, "have": len(pool), "need": rule.count}
            )
    if messages:
        return messages
    idx = range(len(rules))
    for size in range(2, len(rules) + 1):
        for group in itertools.combinations(idx, size):
            union = set().union(*(pools[i] for i in group))
            need = sum(rules[i].count for i in group)
            if len(union) < need:
                return [
                    _(
                        "Lines %(lines)s draw from the same questions: together they need "
                        "%(need)d, the bank has %(have)d."
                    )
                    % {
                        "lines": "、".join(str(rules[i].position) for i in group),
                        "need": need,
                        "have": len(union),
                    }
                ]
    return []


def _guard_supply(exam: Exam, actor: Any, params: dict[str, Any]) -> None:
    rules = list(exam.rules.select_related("law").order_by("position"))
    if not rules:
        raise ValidationFailed.of_fields({"rules": [_("Add at least one rule line.")]})
    messages = check_supply(exam.agency.jurisdiction.prefix, rules)
    if messages:
        raise ValidationFailed.of_fields({"rules": messages})


def resolve_candidates(exam: Exam) -> list[int]:
    prefix = exam.agency.jurisdiction.prefix
    officers = _subtree_officers(prefix)
    by_role = (
        officers.filter(roles__role__in=exam.candidate_roles) if exam.candidate_roles else None
    )
    ids = set(officers.filter(pk__in=exam.candidate_ids).values_list("pk", flat=True))
    if by_role is not None:
        ids |= set(by_role.values_list("pk", flat=True))
    return sorted(ids)


def _guard_candidates(exam: Exam, actor: Any, params: dict[str, Any]) -> None:
    if not resolve_candidates(exam):
        raise ValidationFailed.of_fields(
            {"candidate_ids": [_("Choose the candidates by role or by name.")]}
        )
    if params["now"] >= exam.closes_at:
        raise ValidationFailed.of_fields({"closes_at": [_("The window has already closed.")]})


@transaction.atomic
def exam_publish(
    *, actor: Any, exam_id: Any, expected_version: int, now: dt.datetime | None = None
) -> Exam:
    moment = now or timezone.now()
    exam = _locked_exam(actor, exam_id, expected_version)
    _require_writer(actor)
    t = EXAM.get(exam.state, "publish")
    if t is not None:
        _guard_supply(exam, actor, {})
        _guard_candidates(exam, actor, {"now": moment})
    exam = transition_apply(
        workflow=EXAM,
        queryset=Exam.objects.filter(pk=exam.pk),
        pk=exam.pk,
        action="publish",
        actor=actor,
        jurisdiction_code=lambda e: e.jurisdiction_code,
        expected_version=expected_version,
        params={"now": moment.isoformat()},
    )
    ids = resolve_candidates(exam)
    ExamCandidate.objects.bulk_create([ExamCandidate(exam=exam, user_id=i) for i in ids])
    Exam.objects.filter(pk=exam.pk).update(frozen_rules=rule_rows(exam), published_at=moment)
    exam.refresh_from_db()
    return exam


@transaction.atomic
def exam_close(
    *, actor: Any, exam_id: Any, expected_version: int, now: dt.datetime | None = None
) -> Exam:
    """Close the exam; attempts in progress are submitted at their due time or now."""
    moment = now or timezone.now()
    exam = _locked_exam(actor, exam_id, expected_version)
    _require_writer(actor)
    exam = transition_apply(
        workflow=EXAM,
        queryset=Exam.objects.filter(pk=exam.pk),
        pk=exam.pk,
        action="close",
        actor=actor,
        jurisdiction_code=lambda e: e.jurisdiction_code,
        expected_version=expected_version,
        params={"now": moment.isoformat()},
    )
    for attempt in Attempt.objects.select_for_update().filter(
        exam=exam, state=AttemptState.IN_PROGRESS
    ):
        _submit(attempt, actor=actor, at=min(moment, attempt.due_at), received=moment)
    return exam


# --- attempts -----------------------------------------------------------------------------


def draw_paper(prefix: str, rules: Sequence[ExamRule], seed: str) -> list[tuple[ExamRule, int]]:
    """A paper: (rule line, question id) per slot, drawn at random (``seed``) without
    repeating a question. Slots are matched to questions by augmenting paths, so a paper is
    found whenever the bank can fill every line together."""
    rng = random.Random(seed)  # noqa: S311 - a recorded draw, not a secret
    slots: list[ExamRule] = [r for r in rules for _ in range(r.count)]
    pools: list[list[int]] = []
    for r in slots:
        pool = _pool(prefix, r)
        rng.shuffle(pool)
        pools.append(pool)
    owner: dict[int, int] = {}  # question id -> slot index

    def place(slot: int, seen: set[int]) -> bool:
        for q in pools[slot]:
            if q in seen:
                continue
            seen.add(q)
            if q not in owner or place(owner[q], seen):
                owner[q] = slot
                return True
        return False

    for slot in range(len(slots)):
        if not place(slot, set()):
            raise ValidationFailed.of_fields(
                {
                    "__all__": [
                        _(
                            "The question bank no longer holds enough active questions for this exam."
                        )
                    ]
                }
            )
    by_slot = {slot: q for q, slot in owner.items()}
    return [(slots[i], by_slot[i]) for i in range(len(slots))]


def _finalise_overdue(exam: Exam, candidate: Any, now: dt.datetime) -> None:
    for attempt in Attempt.objects.select_for_update().filter(
        exam=exam, candidate=candidate, state=AttemptState.IN_PROGRESS, due_at__lte=now
    ):
        _submit(attempt, actor=candidate, at=attempt.due_at, received=None)


@transaction.atomic
def attempt_start(
    *, actor: Any, exam_id: Any, now: dt.datetime | None = None, seed: str | None = None
) -> Attempt:
    """A candidate starts an attempt inside the window and within the maximum attempts."""
    moment = now or timezone.now()
    exam = selectors.exam_get_for_user(user=actor, pk=exam_id)
    exam = Exam.objects.select_for_update().select_related("agency__jurisdiction").get(pk=exam.pk)
    if not ExamCandidate.objects.filter(exam=exam, user=actor).exists():
        raise PermissionDenied(_("You are not a candidate of this exam."))
    if exam.state != ExamState.PUBLISHED:
        raise IllegalTransition(_("The exam is not open."))
    if moment < exam.opens_at:
        raise IllegalTransition(_("The exam's window has not opened yet."))
    if moment >= exam.closes_at:
        raise IllegalTransition(_("The exam's window has closed."))
    _finalise_overdue(exam, actor, moment)
    attempts = list(Attempt.objects.filter(exam=exam, candidate=actor).order_by("number"))
    if any(a.state == AttemptState.IN_PROGRESS for a in attempts):
        raise IllegalTransition(_("You already have an attempt in progress."))
    if len(attempts) >= exam.max_attempts:
        raise IllegalTransition(
            _("You have used all %(n)d attempts of this exam.") % {"n": exam.max_attempts}
        )
    rules = list(exam.rules.select_related("law").order_by("position"))
    seed = seed or secrets.token_hex(8)
    paper = draw_paper(exam.agency.jurisdiction.prefix, rules, seed)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=[q for _, q in paper]).prefetch_related(
            "articles__law_version__law"
        )
    }
    max_score = sum((Decimal(r.points) for r, _ in paper), Decimal(0))
    attempt = Attempt.objects.create(
        exam=exam,
        candidate=actor,
        number=len(attempts) + 1,
        seed=seed,
        started_at=moment,
        due_at=min(moment + dt.timedelta(minutes=exam.time_limit), exam.closes_at),
        max_score=max_score,
    )
    AttemptItem.objects.bulk_create(
        [
            AttemptItem(
                attempt=attempt,
                position=n,
                rule_position=rule.position,
                question=questions[qid],
                question_version=questions[qid].version,
                kind=questions[qid].kind,
                stem=questions[qid].stem,
                options=list(questions[qid].options),
                correct=list(questions[qid].correct),
                explanation=questions[qid].explanation,
                model_answer=questions[qid].model_answer,
                rubric=list(questions[qid].rubric),
                citations=[
                    f"《{a.law_version.law.short_title}》{a.label}"
                    for a in questions[qid].articles.all()
                ],
                question_points=questions[qid].points,
                points=Decimal(rule.points),
            )
            for n, (rule, qid) in enumerate(paper, start=1)
        ]
    )
    record_append(
        kind=RecordKind.ATTEMPT_STARTED,
        actor=actor,
        jurisdiction_code=exam.jurisdiction_code,
        subject=attempt,
        payload={
            "exam": exam.pk,
            "number": attempt.number,
            "seed": seed,
            "questions": [qid for _, qid in paper],
            "due_at": attempt.due_at.isoformat(),
        },
    )
    return attempt


def _own_attempt(actor: Any, attempt_id: Any) -> Attempt:
    """The actor's own attempt, locked; another's that the actor may see is a 403."""
    try:
        attempt = (
            selectors.attempt_queryset_for_user(user=actor)
            .select_for_update(of=("self",))
            .get(pk=attempt_id)
        )
    except (Attempt.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if attempt.candidate_id != actor.pk:
        raise PermissionDenied(_("Only the candidate answers and hands in an attempt."))
    return attempt


def _apply_answers(attempt: Attempt, answers: Any, now: dt.datetime) -> int:
    """Check and store answers keyed by item number; bad input stores nothing."""
    if not isinstance(answers, dict):
        raise ValidationFailed.of_fields({"answers": [_("Give the answers by question number.")]})
    items = {i.position: i for i in attempt.items.all()}
    errors: dict[str, list[str]] = {}
    changes: list[tuple[AttemptItem, list[int], str]] = []
    for key, value in answers.items():
        try:
            position = int(key)
        except (TypeError, ValueError):
            position = -1
        item = items.get(position)
        if item is None:
            errors[str(key)] = [_("No such question in this paper.")]
            continue
        if item.kind == QuestionKind.CASE:
            text = value if isinstance(value, str) else None
            if text is None or len(text) > MAX_ANSWER:
                errors[str(key)] = [
                    _("Write the answer (at most %(n)d characters).") % {"n": MAX_ANSWER}
                ]
                continue
            changes.append((item, [], text))
            continue
        chosen = _int_list(
            value if isinstance(value, list | tuple) else [value] if value not in (None, "") else []
        )
        if chosen is None or any(not 0 <= c < len(item.options) for c in chosen):
            errors[str(key)] = [_("Choose among the options.")]
            continue
        chosen = sorted(set(chosen))
        if item.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
            errors[str(key)] = [_("Choose one option.")]
            continue
        changes.append((item, chosen, ""))
    if errors:
        raise ValidationFailed.of_fields(errors)
    for item, chosen, text in changes:
        item.answer = chosen
        item.answer_text = text
        item.answered_at = now
        item.save(update_fields=["answer", "answer_text", "answered_at"])
    return len(changes)


@transaction.atomic
def attempt_save(
    *, actor: Any, attempt_id: Any, answers: Any, now: dt.datetime | None = None
) -> Attempt:
    """Save answers before the due moment (``{number: [option indexes] | text}``)."""
    moment = now or timezone.now()
    attempt = _own_attempt(actor, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise IllegalTransition(_("This attempt has been submitted."))
    if moment >= attempt.due_at:
        raise IllegalTransition(_("The time is up: answers are no longer accepted."))
    _apply_answers(attempt, answers, moment)
    return attempt


def _score_objective(item: AttemptItem) -> Decimal:
    """All-or-nothing: exactly the correct options (no partial credit)."""
    return item.points if sorted(item.answer or []) == sorted(item.correct) else Decimal(0)


def _finish(attempt: Attempt, items: Iterable[AttemptItem]) -> None:
    total = sum((i.score or Decimal(0) for i in items), Decimal(0))
    attempt.score = total
    attempt.percent = percent_of(total, attempt.max_score)
    attempt.passed = attempt.percent >= attempt.exam.pass_mark
    attempt.state = AttemptState.FINISHED


def _submit(attempt: Attempt, *, actor: Any, at: dt.datetime, received: dt.datetime | None) -> None:
    items = list(attempt.items.order_by("position"))
    for item in items:
        if item.kind != QuestionKind.CASE:
            item.score = _score_objective(item)
            item.save(update_fields=["score"])
    attempt.submitted_at = at
    attempt.late_submit_at = received if received is not None and received > at else None
    if any(i.kind == QuestionKind.CASE for i in items):
        attempt.state = AttemptState.MARKING
    else:
        _finish(attempt, items)
    attempt.version = F("version") + 1
    attempt.save()
    attempt.refresh_from_db()
    record_append(
        kind=RecordKind.ATTEMPT_SUBMITTED,
        actor=actor,
        jurisdiction_code=attempt.exam.jurisdiction_code,
        subject=attempt,
        payload={
            "exam": attempt.exam_id,
            "number": attempt.number,
            "submitted_at": at.isoformat(),
            "late_received_at": attempt.late_submit_at.isoformat()
            if attempt.late_submit_at
            else None,
            "objective_score": str(
                sum(
                    (i.score or Decimal(0) for i in items if i.kind != QuestionKind.CASE),
                    Decimal(0),
                )
            ),
            "state": attempt.state,
        },
    )


@transaction.atomic
def attempt_submit(
    *, actor: Any, attempt_id: Any, answers: Any = None, now: dt.datetime | None = None
) -> Attempt:
    """Submit. Before the due moment the answers given are saved first; at or after it the
    submission is recorded at the due moment with the answers saved before it."""
    moment = now or timezone.now()
    attempt = _own_attempt(actor, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise IllegalTransition(_("This attempt has been submitted."))
    if moment < attempt.due_at:
        if answers:
            _apply_answers(attempt, answers, moment)
        _submit(attempt, actor=actor, at=moment, received=None)
    else:
        _submit(attempt, actor=actor, at=attempt.due_at, received=moment)
    return attempt


@transaction.atomic
def attempt_mark(
    *,
    actor: Any,
    attempt_id: Any,
    position: Any,
    marks: Any,
    comment: Any,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Attempt:
    """Mark one case analysis per rubric criterion; the attempt is finished (score, passed)
    when its last case analysis is marked."""
    moment = now or timezone.now()
    if not selectors._staff(actor):
        raise NotFound()
    try:
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("exam", "candidate")
            .filter(actor.scope.q("exam__jurisdiction_code"))
            .get(pk=attempt_id)
        )
    except (Attempt.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not actor.has_role(*MARKERS):
        raise PermissionDenied(_("Only team leads, legal reviewers and heads mark exams."))
    if attempt.candidate_id == actor.pk:
        raise PermissionDenied(_("You may not mark your own attempt."))
    if attempt.version != expected_version:
        raise ConcurrentModification.stale(attempt.version)
    if attempt.state != AttemptState.MARKING:
        raise IllegalTransition(_("This attempt is not awaiting marking."))
    try:
        item = attempt.items.get(position=int(position), kind=QuestionKind.CASE)
    except (AttemptItem.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationFailed.of_fields(
            {"position": [_("No case analysis with this number in the paper.")]}
        ) from exc
    errors: dict[str, list[str]] = {}
    values: list[Decimal] = []
    if not isinstance(marks, list | tuple) or len(marks) != len(item.rubric):
        errors["marks"] = [
            _("Give points for each of the %(n)d criteria.") % {"n": len(item.rubric)}
        ]
    else:
        for n, (raw, crit) in enumerate(zip(marks, item.rubric, strict=True), start=1):
            d = _decimal(raw)
            if (
                d is None
                or d < 0
                or d > crit["points"]
                or (d / HALF) != (d / HALF).to_integral_value()
            ):
                errors["marks"] = [
                    _("Criterion %(n)d: from 0 to %(max)d points, in steps of 0.5.")
                    % {"n": n, "max": crit["points"]}
                ]
                break
            values.append(d)
    text = comment.strip() if isinstance(comment, str) else ""
    if not text:
        errors["comment"] = [_("Write a comment for the candidate.")]
    elif len(text) > 2000:
        errors["comment"] = [_("At most %(n)d characters.") % {"n": 2000}]
    if errors:
        raise ValidationFailed.of_fields(errors)
    raw_total = sum(values, Decimal(0))
    item.marks = [str(v) for v in values]
    item.comment = text
    item.score = (raw_total * item.points / item.question_points).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    item.marker = actor
    item.marked_at = moment
    item.save(update_fields=["marks", "comment", "score", "marker", "marked_at"])
    items = list(attempt.items.all())
    complete = all(i.score is not None for i in items)
    if complete:
        _finish(attempt, items)
    attempt.version = F("version") + 1
    attempt.save()
    attempt.refresh_from_db()
    record_append(
        kind=RecordKind.ATTEMPT_MARKED,
        actor=actor,
        jurisdiction_code=attempt.exam.jurisdiction_code,
        subject=attempt,
        payload={
            "item": item.position,
            "marks": item.marks,
            "score": str(item.score),
            "complete": complete,
            "percent": str(attempt.percent) if complete else None,
            "passed": attempt.passed if complete else None,
        },
    )
    return attempt
