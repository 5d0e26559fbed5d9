"""Writes of the training app: the case library (典型案例库) and training (培训).

``library_case_add`` makes a de-identified entry from a closed or archived penalty case;
``library_comment_add`` adds an officer's discussion comment. Each write appends its
event to the record in the same transaction; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accountability.models import Post
from inspectorate.cases.models import Case, CaseState, PartyKind
from inspectorate.cases.selectors import case_get_for_user
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
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import Role
from inspectorate.training import selectors
from inspectorate.training.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseCategory,
    LecturerKind,
    LibraryCase,
    LibraryComment,
    NoteKind,
    PlanLine,
    Session,
    SessionState,
    StudyNote,
    TrainingPlan,
)
from inspectorate.training.selectors import ZERO
from inspectorate.training.workflows import ORGANISERS, SESSION

# who may write to the case library and comment: the officers and their superiors
AUTHORS = (Role.OFFICER, Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR)
LIBRARY_STATES = (CaseState.CLOSED, CaseState.ARCHIVED)
MAX_TAGS = 10
MAX_TAG_LENGTH = 32
MASK = "＊＊＊"
GENERIC_SECTOR = "other"  # registry.Sector code of 其他


@dataclass
class Deidentified:
    party_label: str
    sector_name: str
    summary: str
    facts: str
    replacements: dict[str, int] = field(default_factory=dict)


def _person_label(name: str) -> str:
    """王明 → 王某 (the first character taken as the surname)."""
    name = name.strip()
    return f"{name[0]}某" if name else "某人"


def deidentify(case: Case) -> Deidentified:
    """The party's label and the case's texts without the identifying strings.

    A unit becomes "某<sector>企业" (or "某企业" without a sector or in the sector 其他); a person "<surname>某".
    The party's name, the enterprise's name, credit code, address, the identity number,
    the person's address and the legal representative's name are replaced in the cause and
    the facts; ``replacements`` counts the replacements per kind of string.
    """
    enterprise = case.enterprise
    sector = enterprise.sector if enterprise is not None else None
    # the catch-all sector "其他" names no sector: such a unit is plain "某企业"
    sector_name = sector.name if sector is not None and sector.code != GENERIC_SECTOR else ""
    if case.party_kind == PartyKind.PERSON:
        label = _person_label(case.party_name)
    else:
        label = f"某{sector_name}企业" if sector_name else "某企业"
    targets: list[tuple[str, str, str]] = [("party_name", case.party_name, label)]
    if enterprise is not None:
        targets += [
            ("party_name", enterprise.name, label),
            ("credit_code", enterprise.credit_code, MASK),
            ("address", enterprise.address, MASK),
        ]
        if enterprise.legal_representative:
            targets.append(
                (
                    "person_name",
                    enterprise.legal_representative,
                    _person_label(enterprise.legal_representative),
                )
            )
    targets += [
        ("id_number", case.party_id_number, MASK),
        ("address", case.party_address, MASK),
    ]
    summary, facts = case.summary, case.facts
    counts: dict[str, int] = {}
    # longest strings first, so that a name containing another is replaced whole
    for kind, value, replacement in sorted(targets, key=lambda t: -len(t[1])):
        value = value.strip()
        if not value:
            continue
        n = summary.count(value) + facts.count(value)
        if n:
            counts[kind] = counts.get(kind, 0) + n
            summary = summary.replace(value, replacement)
            facts = facts.replace(value, replacement)
    return Deidentified(label, sector_name, summary, facts, counts)


def _require_author(actor: Any) -> None:
    if actor.agency_id is None or not actor.has_role(*AUTHORS):
        raise PermissionDenied(_("Only an officer of an office may write to the case library."))


def _clean_tags(tags: Any) -> list[str]:
    if tags is None:
        return []
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        raise ValidationFailed.of_fields({"tags": [_("Give the tags as a list of words.")]})
    cleaned: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if not tag or tag in cleaned:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationFailed.of_fields(
                {"tags": [_("A tag has at most %(n)d characters.") % {"n": MAX_TAG_LENGTH}]}
            )
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed.of_fields({"tags": [_("At most %(n)d tags.") % {"n": MAX_TAGS}]})
    return cleaned


@transaction.atomic
def library_case_add(
    *,
    actor: Any,
    case_id: Any,
    title: str,
    teaching_notes: str,
    tags: Any = None,
    province_wide: bool = False,
    today: dt.date | None = None,
) -> LibraryCase:
    """Add a closed or archived case of the actor's office (or of an office below) to the
    case library, de-identified and tagged with its violation types and articles."""
    _require_author(actor)
    day = today or timezone.localdate()
    try:
        case = case_get_for_user(user=actor, pk=case_id)
    except NotFound as exc:
        raise ValidationFailed.of_fields(
            {"case": [_("No such case in your jurisdiction.")]}
        ) from exc
    errors: dict[str, list[str]] = {}
    if case.state not in LIBRARY_STATES:
        errors["case"] = [_("Only a closed or archived case can enter the case library.")]
    elif LibraryCase.objects.filter(case=case).exists():
        errors["case"] = [_("This case is already in the case library.")]
    title = (title or "").strip()
    notes = (teaching_notes or "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    elif len(title) > 255:
        errors["title"] = [_("At most 255 characters.")]
    if not notes:
        errors["teaching_notes"] = [_("Write the teaching notes.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    clean_tags = _clean_tags(tags)
    violations = list(case.violations.select_related("provision"))
    # the violation types of the case come first among the tags
    kinds = [v.provision.violation for v in violations]
    all_tags = list(dict.fromkeys([*kinds, *clean_tags]))
    data = deidentify(case)
    agency = actor.agency
    prefix = agency.jurisdiction.prefix
    entry = LibraryCase.objects.create(
        case=case,
        jurisdiction_code=case.jurisdiction_code,
        share_prefix=case.jurisdiction_code[:2] if province_wide else prefix,
        province_wide=bool(province_wide),
        agency=agency,
        author=actor,
        title=title,
        party_kind=case.party_kind,
        party_label=data.party_label,
        sector_name=data.sector_name,
        summary=data.summary,
        facts=data.facts,
        replacements=data.replacements,
        decided_on=case.decided_on,
        fine=case.fine,
        tags=all_tags,
        teaching_notes=notes,
        created_on=day,
    )
    entry.provisions.set({v.provision_id for v in violations})
    record_append(
        kind=RecordKind.LIBRARY_CASE_ADDED,
        actor=actor,
        jurisdiction_code=case.jurisdiction_code,
        subject=entry,
        payload={
            "case": case.pk,
            "province_wide": entry.province_wide,
            "share_prefix": entry.share_prefix,
            "replacements": data.replacements,
        },
    )
    return entry


@transaction.atomic
def library_comment_add(
    *, actor: Any, entry_id: Any, text: str, today: dt.date | None = None
) -> LibraryComment:
    """An officer's comment in the discussion of an entry the officer can see."""
    _require_author(actor)
    entry = selectors.library_get_for_user(user=actor, pk=entry_id)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed.of_fields({"text": [_("Write the comment.")]})
    if len(text) > 2000:
        raise ValidationFailed.of_fields({"text": [_("At most 2000 characters.")]})
    comment = LibraryComment.objects.create(
        entry=entry,
        author=actor,
        author_name=actor.get_full_name(),
        agency_name=actor.agency.name,
        text=text,
        created_on=today or timezone.localdate(),
    )
    record_append(
        kind=RecordKind.LIBRARY_COMMENTED,
        actor=actor,
        jurisdiction_code=entry.jurisdiction_code,
        subject=comment,
        payload={"entry": entry.pk},
    )
    return comment


# --- training (培训): courses, sessions, attendance, notes, the yearly plan ----------------------

MAX_HOURS = Decimal("100")  # hours of one session or a course's default: a sanity bound
MAX_PLAN_HOURS = Decimal("999")
ONE_PLACE = Decimal("0.1")


def _require_organiser(actor: Any) -> None:
    """The role first (an enterprise user or an officer: 403 before any lookup)."""
    if getattr(actor, "agency_id", None) is None or not actor.has_role(*ORGANISERS):
        raise PermissionDenied(
            _("Only a team lead, the head or the administrator of an office may organise training.")
        )


def _hours(
    value: Any, field_name: str, errors: dict[str, list[str]], *, maximum: Decimal
) -> Decimal:
    """A positive number of hours with at most one decimal (0.5 h steps are common)."""
    try:
        hours = Decimal(str(value)).quantize(ONE_PLACE) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite():
        errors[field_name] = [_("Give the hours as a number.")]
        return ZERO
    if Decimal(str(value)) != hours:
        errors[field_name] = [_("Give the hours with at most one decimal.")]
    elif hours <= 0:
        errors[field_name] = [_("The hours must be more than 0.")]
    elif hours > maximum:
        errors[field_name] = [_("At most %(n)s hours.") % {"n": maximum}]
    return hours


def _text(
    value: Any,
    field_name: str,
    errors: dict[str, list[str]],
    *,
    max_length: int,
    required: bool = True,
) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        errors[field_name] = [_("This field is required.")]
    elif len(text) > max_length:
        errors[field_name] = [_("At most %(n)d characters.") % {"n": max_length}]
    return text


def _check_version(obj: Any, expected_version: int | None) -> None:
    """An edit of training data must name the version it read (none is stale too)."""
    if expected_version is None:
        raise ConcurrentModification.stale(obj.version)
    check_version(obj.version, expected_version)


def _bump(obj: Any, fields: list[str]) -> None:
    obj.version = F("version") + 1
    obj.save(update_fields=[*fields, "version"])
    obj.refresh_from_db(fields=["version"])


def _course_fields(
    *, title: Any, category: Any, description: Any, default_hours: Any
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    data = {
        "title": _text(title, "title", errors, max_length=255),
        "description": _text(description, "description", errors, max_length=20000, required=False),
        "default_hours": _hours(default_hours, "default_hours", errors, maximum=MAX_HOURS),
        "category": category,
    }
    if category not in CourseCategory.values:
        errors["category"] = [_("Choose one of the categories.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    return data


def _course_payload(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "category": course.category,
        "default_hours": str(course.default_hours),
        "agency": course.agency_id,
    }


@transaction.atomic
def course_create(
    *,
    actor: Any,
    title: Any,
    category: Any,
    default_hours: Any,
    description: Any = "",
    today: dt.date | None = None,
) -> Course:
    """A course of the actor's office (its code scopes the course; its subtree sees it)."""
    _require_organiser(actor)
    data = _course_fields(
        title=title, category=category, description=description, default_hours=default_hours
    )
    agency = actor.agency
    course = Course.objects.create(
        **data,
        agency=agency,
        jurisdiction_code=agency.jurisdiction_id,
        share_prefix=agency.jurisdiction.prefix,
        created_by=actor,
        created_on=today or timezone.localdate(),
    )
    record_append(
        kind=RecordKind.COURSE_SAVED,
        actor=actor,
        jurisdiction_code=course.jurisdiction_code,
        subject=course,
        payload={"created": True, **_course_payload(course)},
    )
    return course


def _manageable_course(actor: Any, course_id: Any, *, lock: bool = False) -> Course:
    """The course if the actor organises it (its office or one above); seen but not
    organised: 403; not seen: 404."""
    _require_organiser(actor)
    course = selectors.course_get_for_user(user=actor, pk=course_id)
    qs = selectors.course_manageable_by(user=actor).filter(pk=course.pk)
    if lock:
        qs = qs.select_for_update()
    managed = qs.select_related("agency", "agency__jurisdiction").first()
    if managed is None:
        raise PermissionDenied(_("Only the organising office or an office above it may do this."))
    return managed


@transaction.atomic
def course_update(
    *,
    actor: Any,
    course_id: Any,
    expected_version: int | None,
    title: Any,
    category: Any,
    default_hours: Any,
    description: Any = "",
) -> Course:
    course = _manageable_course(actor, course_id, lock=True)
    _check_version(course, expected_version)
    data = _course_fields(
        title=title, category=category, description=description, default_hours=default_hours
    )
    for key, value in data.items():
        setattr(course, key, value)
    _bump(course, list(data))
    record_append(
        kind=RecordKind.COURSE_SAVED,
        actor=actor,
        jurisdiction_code=course.jurisdiction_code,
        subject=course,
        payload={"created": False, **_course_payload(course)},
    )
    return course


def _session_fields(
    course: Course,
    *,
    date: Any,
    start_time: Any,
    end_time: Any,
    place: Any,
    hours: Any,
    lecturer_kind: Any,
    lecturer_id: Any,
    lecturer_name: Any,
    lecturer_org: Any,
    lecturer_title: Any,
    invitee_ids: Any,
) -> tuple[dict[str, Any], list[User]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(date, dt.date):
        errors["date"] = [_("Give a date.")]
    if not isinstance(start_time, dt.time):
        errors["start_time"] = [_("Give a time.")]
    if not isinstance(end_time, dt.time):
        errors["end_time"] = [_("Give a time.")]
    elif isinstance(start_time, dt.time) and end_time <= start_time:
        errors["end_time"] = [_("The end must be after the start.")]
    data: dict[str, Any] = {
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "place": _text(place, "place", errors, max_length=128),
        "hours": _hours(
            course.default_hours if hours in (None, "") else hours,
            "hours",
            errors,
            maximum=MAX_HOURS,
        ),
        "lecturer_kind": lecturer_kind,
        "lecturer": None,
        "lecturer_name": "",
        "lecturer_org": "",
        "lecturer_title": "",
    }
    subtree = selectors.officers_in_prefix(course.share_prefix)
    if lecturer_kind == LecturerKind.INTERNAL:
        lecturer = subtree.filter(pk=lecturer_id).first() if lecturer_id else None
        if lecturer is None:
            errors["lecturer"] = [_("Choose an officer of the organising office as the lecturer.")]
        data["lecturer"] = lecturer
    elif lecturer_kind == LecturerKind.EXTERNAL:
        data["lecturer_name"] = _text(lecturer_name, "lecturer_name", errors, max_length=64)
        data["lecturer_org"] = _text(
            lecturer_org, "lecturer_org", errors, max_length=128, required=False
        )
        data["lecturer_title"] = _text(
            lecturer_title, "lecturer_title", errors, max_length=64, required=False
        )
    else:
        errors["lecturer_kind"] = [_("Choose an internal or an external lecturer.")]
    ids = list(invitee_ids or [])
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        wanted = set()
        errors["invitees"] = [_("Choose the invited officers from the list.")]
    invitees = list(subtree.filter(pk__in=wanted))
    if len(invitees) != len(wanted):
        errors["invitees"] = [
            _("Only officers of the organising office and the offices under it can be invited.")
        ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    return data, invitees


def _session_payload(session: Session) -> dict[str, Any]:
    return {
        "course": session.course_id,
        "date": session.date,
        "hours": str(session.hours),
        "lecturer_kind": session.lecturer_kind,
        "lecturer": session.lecturer_id,
        "lecturer_name": session.lecturer_name,
        "invitees": sorted(u.pk for u in session.invitees.all()),
    }


@transaction.atomic
def session_create(*, actor: Any, course_id: Any, **fields: Any) -> Session:
    """A planned session of a course the actor organises. ``fields``: date, start_time,
    end_time, place, hours (default: the course's), lecturer_kind, lecturer_id,
    lecturer_name, lecturer_org, lecturer_title, invitee_ids."""
    course = _manageable_course(actor, course_id)
    data, invitees = _session_fields(course, **_session_kwargs(fields))
    session = Session.objects.create(course=course, **data)
    session.invitees.set(invitees)
    record_append(
        kind=RecordKind.SESSION_SAVED,
        actor=actor,
        jurisdiction_code=course.jurisdiction_code,
        subject=session,
        payload={"created": True, **_session_payload(session)},
    )
    return session


SESSION_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "place",
    "hours",
    "lecturer_kind",
    "lecturer_id",
    "lecturer_name",
    "lecturer_org",
    "lecturer_title",
    "invitee_ids",
)


def _session_kwargs(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    return {name: fields.get(name) for name in SESSION_FIELDS}


def _manageable_session(actor: Any, session_id: Any) -> Session:
    _require_organiser(actor)
    session = selectors.session_get_for_user(user=actor, pk=session_id)
    _manageable_course(actor, session.course_id)
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


@transaction.atomic
def session_update(
    *, actor: Any, session_id: Any, expected_version: int | None, **fields: Any
) -> Session:
    """Change a planned session (a held or cancelled one no longer changes: 409)."""
    session = _manageable_session(actor, session_id)
    _check_version(session, expected_version)
    if session.state != SessionState.PLANNED:
        raise IllegalTransition(
            _("Only a planned session can be changed."), extra={"state": session.state}
        )
    data, invitees = _session_fields(session.course, **_session_kwargs(fields))
    for key, value in data.items():
        setattr(session, key, value)
    _bump(session, list(data))
    session.invitees.set(invitees)
    record_append(
        kind=RecordKind.SESSION_SAVED,
        actor=actor,
        jurisdiction_code=session.course.jurisdiction_code,
        subject=session,
        payload={"created": False, **_session_payload(session)},
    )
    return session


def session_transition(
    *,
    actor: Any,
    session_id: Any,
    action: str,
    expected_version: int | None,
    reason: str = "",
    today: dt.date | None = None,
) -> Session:
    """Mark a planned session as held (on or after its date) or cancel it."""
    with transaction.atomic():
        _require_organiser(actor)
        session = selectors.session_get_for_user(user=actor, pk=session_id)
        _manageable_course(actor, session.course_id)
        if action not in SESSION.all_actions():
            raise ValidationFailed.of_fields({"action": [_("Unknown action.")]})
        return transition_apply(
            workflow=SESSION,
            queryset=Session.objects.select_related("course"),
            pk=session.pk,
            action=action,
            actor=actor,
            jurisdiction_code=lambda s: s.course.jurisdiction_code,
            expected_version=expected_version if expected_version is not None else -1,
            reason=(reason or "").strip(),
            params={"today": today or timezone.localdate()},
            today=today,
        )


@dataclass(frozen=True)
class AttendanceEntry:
    officer_id: Any
    status: Any
    hours: Any = None


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    session_id: Any,
    entries: list[AttendanceEntry],
    today: dt.date | None = None,
) -> list[Attendance]:
    """Record (or correct) the attendance of a held session: present gives the session's
    hours, partly present the hours given (more than 0, at most the session's), absent
    and excused none. Only an invited officer or one of the organiser's subtree. Field
    errors are keyed ``<officer id>.status`` / ``<officer id>.hours``; any error writes
    nothing."""
    session = _manageable_session(actor, session_id)
    if session.state != SessionState.HELD:
        raise IllegalTransition(
            _("Attendance is recorded only after the session was held."),
            extra={"state": session.state},
        )
    if not entries:
        raise ValidationFailed.of_fields({"entries": [_("Record at least one officer.")]})
    invited = {u.pk for u in session.invitees.all()}
    errors: dict[str, list[str]] = {}
    rows: list[tuple[User, str, Decimal]] = []
    seen: set[int] = set()
    prefix = actor.scope.prefix
    for entry in entries:
        key = str(entry.officer_id)
        officer = (
            selectors.officers_in_prefix("").filter(pk=entry.officer_id).first()
            if str(entry.officer_id).isdigit()
            else None
        )
        if (
            officer is None
            or officer.agency is None
            or (
                officer.pk not in invited
                and not (prefix is not None and officer.agency.jurisdiction_id.startswith(prefix))
            )
        ):
            errors[f"{key}.officer"] = [
                _("Only an invited officer or an officer of your offices can be recorded.")
            ]
            continue
        if officer.pk in seen:
            errors[f"{key}.officer"] = [_("This officer is recorded twice.")]
            continue
        seen.add(officer.pk)
        status = entry.status
        hours = ZERO
        if status == AttendanceStatus.PRESENT:
            hours = session.hours
        elif status == AttendanceStatus.PARTIAL:
            field_errors: dict[str, list[str]] = {}
            hours = _hours(entry.hours, "hours", field_errors, maximum=session.hours)
            if field_errors:
                errors[f"{key}.hours"] = field_errors["hours"]
            elif hours > session.hours:  # pragma: no cover - _hours bounds it
                errors[f"{key}.hours"] = [_("At most the session's hours.")]
        elif status not in AttendanceStatus.values:
            errors[f"{key}.status"] = [_("Choose present, partly present, absent or excused.")]
            continue
        rows.append((officer, status, hours))
    if errors:
        raise ValidationFailed.of_fields(errors)
    day = today or timezone.localdate()
    saved: list[Attendance] = []
    for officer, status, hours in rows:
        row, _created = Attendance.objects.update_or_create(
            session=session,
            officer=officer,
            defaults={"status": status, "hours": hours, "recorded_by": actor, "recorded_on": day},
        )
        saved.append(row)
    record_append(
        kind=RecordKind.ATTENDANCE_RECORDED,
        actor=actor,
        jurisdiction_code=session.course.jurisdiction_code,
        subject=session,
        payload={"entries": [{"officer": o.pk, "status": s, "hours": str(h)} for o, s, h in rows]},
    )
    return saved


def may_write_note(user: Any, session: Session) -> bool:
    """A study note: an officer present (fully or partly) at the held session."""
    return (
        session.state == SessionState.HELD
        and Attendance.objects.filter(
            session=session,
            officer_id=user.pk,
            status__in=(AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL),
        ).exists()
    )


@transaction.atomic
def study_note_add(
    *, actor: Any, session_id: Any, kind: Any, text: Any, today: dt.date | None = None
) -> StudyNote:
    """An attendee's study note (学习心得) on a held session, or a discussion comment by
    any officer who sees the session."""
    _require_author(actor)
    session = selectors.session_get_for_user(user=actor, pk=session_id)
    if kind not in NoteKind.values:
        raise ValidationFailed.of_fields({"kind": [_("Choose a study note or a comment.")]})
    if kind == NoteKind.NOTE and not may_write_note(actor, session):
        raise PermissionDenied(_("Only an officer who attended the session writes a study note."))
    errors: dict[str, list[str]] = {}
    body = _text(text, "text", errors, max_length=5000)
    if errors:
        raise ValidationFailed.of_fields(errors)
    note = StudyNote.objects.create(
        session=session,
        kind=kind,
        author=actor,
        author_name=actor.get_full_name(),
        agency_name=actor.agency.name,
        text=body,
        created_on=today or timezone.localdate(),
    )
    record_append(
        kind=RecordKind.STUDY_NOTE_ADDED,
        actor=actor,
        jurisdiction_code=session.course.jurisdiction_code,
        subject=note,
        payload={"session": session.pk, "kind": kind},
    )
    return note


PLANNERS = (Role.HEAD, Role.ADMIN)


@dataclass(frozen=True)
class PlanLineInput:
    post: Any  # a Post's code
    required_hours: Any
    minimums: dict[str, Any] = field(default_factory=dict)


def plan_agency(*, actor: Any, agency_id: Any) -> Agency:
    """An office the actor's scope covers (else 404)."""
    if not getattr(actor, "is_authenticated", False) or actor.scope.prefix is None:
        raise NotFound()
    try:
        agency = Agency.objects.select_related("jurisdiction").get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not actor.scope.covers(agency.jurisdiction_id) or not actor.is_staff_member:
        raise NotFound()
    return agency


@transaction.atomic
def plan_save(
    *,
    actor: Any,
    agency_id: Any,
    year: Any,
    lines: list[PlanLineInput],
    source: Any = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> TrainingPlan:
    """Save an office's plan for a year (its lines replace the old ones). The head or the
    administrator of the office or of an office above it. A new plan takes no version;
    an existing one its current version (else 409)."""
    if getattr(actor, "agency_id", None) is None or not actor.has_role(*PLANNERS):
        raise PermissionDenied(_("Only the head or the administrator of an office saves its plan."))
    agency = plan_agency(actor=actor, agency_id=agency_id)
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed.of_fields({"year": [_("Give a year between 2000 and 2100.")]})
    plan = TrainingPlan.objects.select_for_update().filter(agency=agency, year=year).first()
    if plan is not None:
        _check_version(plan, expected_version)
    elif expected_version is not None:
        raise ConcurrentModification.stale(None)
    basis = _text(source, "source", errors, max_length=2000, required=False)
    posts = {p.code: p for p in Post.objects.all()}
    cleaned: list[tuple[Post, Decimal, dict[str, str]]] = []
    for line in lines:
        post = posts.get(str(line.post))
        key = str(line.post)
        if post is None:
            errors[f"{key}.post"] = [_("Unknown post.")]
            continue
        if any(p.pk == post.pk for p, _h, _m in cleaned):
            errors[f"{key}.post"] = [_("This post is given twice.")]
            continue
        line_errors: dict[str, list[str]] = {}
        hours = _hours(line.required_hours, "required_hours", line_errors, maximum=MAX_PLAN_HOURS)
        minimums: dict[str, str] = {}
        total = ZERO
        for category, value in (line.minimums or {}).items():
            if value in (None, ""):
                continue
            if category not in CourseCategory.values:
                line_errors[f"minimum_{category}"] = [_("Unknown category.")]
                continue
            m = _hours(value, f"minimum_{category}", line_errors, maximum=MAX_PLAN_HOURS)
            minimums[category] = str(m)
            total += m
        if "required_hours" not in line_errors and total > hours:
            line_errors["required_hours"] = [
                _("The category minimums add up to more than the required hours.")
            ]
        for name, msgs in line_errors.items():
            errors[f"{key}.{name}"] = msgs
        cleaned.append((post, hours, minimums))
    if not lines:
        errors["lines"] = [_("Give the required hours of at least one post.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    day = today or timezone.localdate()
    if plan is None:
        plan = TrainingPlan.objects.create(
            agency=agency,
            jurisdiction_code=agency.jurisdiction_id,
            prefix=agency.jurisdiction.prefix,
            year=year,
            source=basis,
            saved_by=actor,
            saved_on=day,
        )
    else:
        plan.source, plan.saved_by, plan.saved_on = basis, actor, day
        _bump(plan, ["source", "saved_by", "saved_on"])
        plan.lines.all().delete()
    PlanLine.objects.bulk_create(
        [PlanLine(plan=plan, post=p, required_hours=h, minimums=m) for p, h, m in cleaned]
    )
    record_append(
        kind=RecordKind.TRAINING_PLAN_SAVED,
        actor=actor,
        jurisdiction_code=plan.jurisdiction_code,
        subject=plan,
        payload={
            "year": year,
            "lines": [
                {"post": p.code, "required_hours": str(h), "minimums": m} for p, h, m in cleaned
            ],
        },
    )
    return plan
