"""Writes of the legal app: laws, new versions, and the study items a new version assigns.

Who keeps the library: a system administrator of a province office (or a national user,
a superuser without an office). A province's own law or policy document
(``Law.jurisdiction_code`` set) is kept only by the administrators of that province.

``version_add`` parses the full text (``parsing.parse``), writes the version and its
articles, and in the same transaction assigns a study item (学法任务) to every officer the
law concerns (``concerned_officers``), with one ``legal.study_assigned`` record per version.
``study_complete`` is the officer's own completion with a study note (学习心得).

The study period and hours are the office's own rule, entered with each version (default
30 days and 2 hours: ``DEFAULT_STUDY_DAYS``/``DEFAULT_STUDY_HOURS``); no law sets them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.legal import selectors
from inspectorate.legal.models import (
    Article,
    Law,
    LawKind,
    LawVersion,
    StudyItem,
    StudyState,
)
from inspectorate.legal.parsing import parse
from inspectorate.org.models import Certificate, Jurisdiction, JurisdictionLevel, User
from inspectorate.org.roles import STAFF_ROLES, Role
from inspectorate.registry.models import Sector

# the roles that study a new version when the law names none: the enforcement roles
ENFORCEMENT_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD)
DEFAULT_STUDY_DAYS = 30  # the office's own rule (no law sets a period for studying a new law)
DEFAULT_STUDY_HOURS = Decimal("2.0")  # idem
MAX_STUDY_DAYS = 365
MAX_STUDY_HOURS = Decimal("40.0")
MIN_NOTE_LENGTH = 20
MAX_NOTE_LENGTH = 5000
MAX_TEXT_LENGTH = 2_000_000
# the kinds a province may issue itself (its local regulations, rules and documents)
PROVINCE_KINDS = (LawKind.LOCAL, LawKind.RULE, LawKind.POLICY)

STUDY_WORKFLOW = Workflow(
    name="legal.study",
    state_field="state",
    states=(StudyState.ASSIGNED, StudyState.COMPLETED),
    transitions=(
        Transition(
            source=StudyState.ASSIGNED,
            action="complete",
            target=StudyState.COMPLETED,
            label=gettext_lazy("Complete"),
            roles=frozenset(STAFF_ROLES),  # and only the item's own officer (a guard)
            record_kind=RecordKind.STUDY_COMPLETED,
        ),
    ),
)


def _chain(actor: Any, law: Law) -> str:
    """The record chain of a library write: the province's for its own law, else the
    actor's office (a national user: 000000)."""
    if law.jurisdiction_code:
        return str(law.jurisdiction_code)
    return str(actor.agency.jurisdiction_id) if actor.agency_id else "000000"


def keeper_province(actor: Any) -> str | None:
    """The province code (e.g. "650000") whose library the actor keeps, "" for a national
    user, None when the actor keeps none."""
    if not selectors.is_staff(actor):
        return None
    if actor.agency_id is None:
        return "" if actor.is_superuser else None
    if not actor.has_role(Role.ADMIN):
        return None
    jurisdiction = actor.agency.jurisdiction
    if jurisdiction.level != JurisdictionLevel.PROVINCE:
        return None
    return str(jurisdiction.code)


def can_keep(actor: Any, law: Law | None = None) -> bool:
    province = keeper_province(actor)
    if province is None:
        return False
    if province == "" or law is None:
        return True
    # a national law: any province's administrator may add its new text
    return not law.jurisdiction_code or law.jurisdiction_code == province


def _require_keeper(actor: Any, law: Law | None = None) -> None:
    if not can_keep(actor, law):
        raise PermissionDenied(
            _(
                "Only a system administrator of a province office keeps the law library "
                "(a province's own law: only that province's)."
            )
        )


# --- laws ------------------------------------------------------------------------------------


@transaction.atomic
def law_save(
    *,
    actor: Any,
    code: str,
    title: str,
    short_title: str,
    kind: str,
    issuer: str,
    jurisdiction_code: str = "",
    concerns_roles: Iterable[str] = (),
    concerns_sectors: Iterable[str] = (),
    sort: int = 500,
    expected_version: int | None = None,
) -> Law:
    """Add a law (a province's own law or a policy document) or edit one's description.

    A province administrator's law is that province's (``jurisdiction_code`` is the
    province's code whatever is given); a national user may add a national law (empty
    code) or one of any province."""
    province = keeper_province(actor)
    if province is None:
        _require_keeper(actor)
    code = (code or "").strip()
    existing = Law.objects.select_for_update().filter(code=code).first() if code else None
    if existing is not None:
        _require_keeper(actor, existing)
        if existing.jurisdiction_code == "" and province:
            # a province keeps national laws' texts, not their description
            raise PermissionDenied(_("A national law's description is kept nationally."))
        check_version(existing.version, expected_version)
    errors: dict[str, list[str]] = {}
    title, short_title, issuer = (
        (title or "").strip(),
        (short_title or "").strip(),
        (issuer or "").strip(),
    )
    if existing is None:
        if not code:
            errors["code"] = [_("This field is required.")]
        elif (
            len(code) > 48 or not all(c.isalnum() or c in "-_" for c in code) or not code.isascii()
        ):
            errors["code"] = [_("Letters, digits and hyphens, at most 48 characters.")]
    for name, value, limit in (
        ("title", title, 255),
        ("short_title", short_title, 64),
        ("issuer", issuer, 128),
    ):
        if not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if kind not in LawKind.values:
        errors["kind"] = [_("Choose a kind of law.")]
    if province:
        jurisdiction_code = province
        if kind in LawKind.values and kind not in PROVINCE_KINDS:
            errors["kind"] = [
                _("A province issues local regulations, rules and policy documents only.")
            ]
    else:
        jurisdiction_code = (jurisdiction_code or "").strip()
        if (
            jurisdiction_code
            and not Jurisdiction.objects.filter(
                code=jurisdiction_code, level=JurisdictionLevel.PROVINCE
            ).exists()
        ):
            errors["jurisdiction_code"] = [_("Give a province's code, or none for a national law.")]
    roles = sorted(set(concerns_roles or ()))
    if any(r not in STAFF_ROLES for r in roles):
        errors["concerns_roles"] = [_("Choose roles of the enforcement offices.")]
    sectors = sorted(set(concerns_sectors or ()))
    if len(Sector.objects.filter(code__in=sectors)) != len(sectors):
        errors["concerns_sectors"] = [_("Choose sectors from the list.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    fields = {
        "title": title,
        "short_title": short_title,
        "kind": kind,
        "issuer": issuer,
        "jurisdiction_code": jurisdiction_code,
        "concerns_roles": roles,
        "sort": sort,
    }
    if existing is None:
        if Law.objects.filter(code=code).exists():
            raise ValidationFailed.of_fields({"code": [_("A law with this code exists.")]})
        law = Law.objects.create(code=code, **fields)
        before: dict[str, Any] = {}
    else:
        law = existing
        before = {k: getattr(law, k) for k in fields}
        for k, v in fields.items():
            setattr(law, k, v)
        law.version = F("version") + 1
        law.save()
        law.refresh_from_db()
    law.concerns_sectors.set(Sector.objects.filter(code__in=sectors))
    record_append(
        kind=RecordKind.LAW_SAVED,
        actor=actor,
        jurisdiction_code=_chain(actor, law),
        subject=law,
        payload={
            "code": law.code,
            "created": existing is None,
            "before": before,
            "after": fields,
            "sectors": sectors,
        },
    )
    return law


# --- new versions ----------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def concerned_officers(law: Law, day: dt.date) -> QuerySet[User]:
    """The officers a new version of ``law`` concerns on ``day``.

    Active users of an office holding one of ``law.concerns_roles`` (empty: the
    enforcement roles), in the law's jurisdiction (national: every office; a province's
    law: that province's offices), and, when the law names sectors, whose certificate valid
    on ``day`` covers one of them (a law of every sector reaches an officer without a valid
    certificate too).
    """
    roles = list(law.concerns_roles or ENFORCEMENT_ROLES)
    qs = User.objects.filter(is_active=True, agency__isnull=False, roles__role__in=roles)
    if law.jurisdiction_code:
        qs = qs.filter(agency__jurisdiction__code__startswith=law.jurisdiction_code[:2])
    sectors = list(law.concerns_sectors.values_list("code", flat=True))
    if sectors:
        certified = Certificate.objects.valid_on(day).filter(sectors__code__in=sectors)
        qs = qs.filter(pk__in=certified.values("officer_id"))
    return User.objects.filter(pk__in=qs.values("pk")).select_related("agency").order_by("pk")


@transaction.atomic
def version_add(
    *,
    actor: Any,
    law_code: str,
    label: str,
    promulgated_on: Any,
    effective_on: Any,
    text: str,
    changes: str = "",
    study_hours: Any = DEFAULT_STUDY_HOURS,
    study_days: Any = DEFAULT_STUDY_DAYS,
    source: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> LawVersion:
    """Add a version of a law from its full text and assign the study items it brings.

    The study is assigned when the version is the law's latest (no version takes effect
    after it); an older text added for reference assigns nothing."""
    day = today or timezone.localdate()
    if not selectors.is_staff(actor):
        _require_keeper(actor)
    try:
        law = selectors.law_queryset_for_user(user=actor).select_for_update().get(code=law_code)
    except Law.DoesNotExist as exc:
        raise NotFound() from exc
    _require_keeper(actor, law)
    check_version(law.version, expected_version)
    errors: dict[str, list[str]] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = [_("This field is required.")]
    elif len(label) > 128:
        errors["label"] = [_("At most %(n)d characters.") % {"n": 128}]
    promulgated = _date(promulgated_on)
    effective = _date(effective_on)
    if promulgated is None:
        errors["promulgated_on"] = [_("Enter a valid date.")]
    if effective is None:
        errors["effective_on"] = [_("Enter a valid date.")]
    elif promulgated is not None and effective < promulgated:
        errors["effective_on"] = [_("A law takes effect on or after its promulgation.")]
    elif law.versions.filter(effective_on=effective).exists():
        errors["effective_on"] = [_("This law already has a version taking effect on that day.")]
    changes = (changes or "").strip()
    if not changes and law.versions.exists():
        errors["changes"] = [_("Say what changed from the previous version.")]
    try:
        hours = Decimal(str(study_hours)).quantize(Decimal("0.1"))
        if not Decimal("0") < hours <= MAX_STUDY_HOURS:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["study_hours"] = [_("Between 0.1 and %(n)s hours.") % {"n": MAX_STUDY_HOURS}]
        hours = DEFAULT_STUDY_HOURS
    try:
        days = int(study_days)
        if not 1 <= days <= MAX_STUDY_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["study_days"] = [_("Between 1 and %(n)d days.") % {"n": MAX_STUDY_DAYS}]
        days = DEFAULT_STUDY_DAYS
    text = text or ""
    parsed = None
    if len(text) > MAX_TEXT_LENGTH:
        errors["text"] = [_("The text is too long.")]
    else:
        try:
            parsed = parse(text)
        except ValueError:
            parsed = None
        if parsed is None or not parsed.articles:
            errors["text"] = [
                _("No article was found: each article starts a paragraph with “第…条”.")
            ]
        else:
            seen: set[tuple[int, str]] = set()
            for article in parsed.articles:
                key = (article.number, article.suffix)
                if key in seen:
                    errors["text"] = [
                        _("%(label)s appears twice in the text.") % {"label": article.label}
                    ]
                    break
                seen.add(key)
                if not article.text:
                    errors["text"] = [_("%(label)s has no text.") % {"label": article.label}]
                    break
                if len(article.chapter) > 128 or len(article.label) > 32:
                    errors["text"] = [
                        _("A heading or an article number is too long: %(label)s.")
                        % {"label": article.label}
                    ]
                    break
    if errors or parsed is None or promulgated is None or effective is None:
        raise ValidationFailed.of_fields(errors)
    version = LawVersion.objects.create(
        law=law,
        label=label,
        promulgated_on=promulgated,
        effective_on=effective,
        history=parsed.history,
        changes=changes,
        source=(source or "").strip()[:255],
        added_on=day,
        added_by=actor if actor.pk else None,
        study_hours=hours,
        study_days=days,
    )
    Article.objects.bulk_create(
        Article(
            law_version=version,
            number=a.number,
            suffix=a.suffix,
            label=a.label,
            chapter=a.chapter,
            text=a.text,
            sort=index,
        )
        for index, a in enumerate(parsed.articles, start=1)
    )
    Law.objects.filter(pk=law.pk).update(version=F("version") + 1)
    chain = _chain(actor, law)
    record_append(
        kind=RecordKind.LAW_VERSION_ADDED,
        actor=actor,
        jurisdiction_code=chain,
        subject=version,
        payload={
            "law": law.code,
            "label": label,
            "promulgated_on": promulgated,
            "effective_on": effective,
            "articles": len(parsed.articles),
            "study_hours": str(hours),
            "study_days": days,
        },
    )
    if not law.versions.filter(effective_on__gt=effective).exists():
        # a text older than one the library holds is kept for reference: nobody studies it
        _assign_study(actor=actor, law=law, version=version, day=day, chain=chain)
    return version


def _assign_study(*, actor: Any, law: Law, version: LawVersion, day: dt.date, chain: str) -> int:
    officers = [(o, o.agency) for o in concerned_officers(law, day) if o.agency is not None]
    due = day + dt.timedelta(days=version.study_days)
    StudyItem.objects.bulk_create(
        StudyItem(
            law_version=version,
            officer=officer,
            agency=agency,
            jurisdiction_code=agency.jurisdiction_id,
            assigned_on=day,
            due_on=due,
            hours=version.study_hours,
        )
        for officer, agency in officers
    )
    by_code: dict[str, int] = {}
    for _officer, agency in officers:
        code = agency.jurisdiction_id
        by_code[code] = by_code.get(code, 0) + 1
    record_append(
        kind=RecordKind.STUDY_ASSIGNED,
        actor=actor,
        jurisdiction_code=chain,
        subject=version,
        payload={
            "law": law.code,
            "count": len(officers),
            "assigned_on": day,
            "due_on": due,
            "hours": str(version.study_hours),
            "by_jurisdiction": by_code,
        },
    )
    return len(officers)


# --- completing a study item -----------------------------------------------------------------


@transaction.atomic
def study_complete(
    *,
    actor: Any,
    item_id: Any,
    note: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StudyItem:
    """The officer completes their own study item with a study note (学习心得)."""
    if not selectors.is_staff(actor):
        raise PermissionDenied(_("Only the officer it was assigned to completes a study item."))
    day = today or timezone.localdate()
    try:
        item = selectors.study_queryset_for_user(user=actor).select_for_update().get(pk=item_id)
    except (StudyItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if item.officer_id != actor.pk:
        raise PermissionDenied(_("Only the officer it was assigned to completes a study item."))
    check_version(item.version, expected_version)
    transition = STUDY_WORKFLOW.get(item.state, "complete")
    if transition is None:
        raise IllegalTransition(
            _("This study item is already completed."),
            extra={"state": item.state, "action": "complete"},
        )
    if not actor.has_role(*transition.roles):
        raise PermissionDenied(_("Your role may not perform this action."))
    note = (note or "").strip()
    if len(note) < MIN_NOTE_LENGTH:
        raise ValidationFailed.of_fields(
            {
                "note": [
                    _("Write your study note, at least %(n)d characters.") % {"n": MIN_NOTE_LENGTH}
                ]
            }
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed.of_fields(
            {"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE_LENGTH}]}
        )
    if day < item.assigned_on:
        raise ValidationFailed.of_fields(
            {"__all__": [_("A study item cannot be completed before it was assigned.")]}
        )
    source = item.state
    StudyItem.objects.filter(pk=item.pk).update(
        state=transition.target,
        completed_on=day,
        note=note,
        version=F("version") + 1,
    )
    item.refresh_from_db()
    record_append(
        kind=transition.record_kind,
        actor=actor,
        jurisdiction_code=item.jurisdiction_code,
        subject=item,
        payload={
            "workflow": STUDY_WORKFLOW.name,
            "action": transition.action,
            "before": {"state": source},
            "after": {"state": item.state},
            "law_version": item.law_version_id,
            "completed_on": day,
            "due_on": item.due_on,
            "late": day > item.due_on,
            "hours": str(item.hours),
            "note_length": len(note),
        },
    )
    return item


def overdue_q(day: dt.date) -> Q:
    return Q(state=StudyState.ASSIGNED, due_on__lt=day)
