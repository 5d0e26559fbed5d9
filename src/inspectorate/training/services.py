"""Writes of the training app: the case library (典型案例库).

``library_case_add`` makes a de-identified entry from a closed or archived penalty case;
``library_comment_add`` adds an officer's discussion comment. Each write appends its
event to the record in the same transaction; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.cases.models import Case, CaseState, PartyKind
from inspectorate.cases.selectors import case_get_for_user
from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.roles import Role
from inspectorate.training import selectors
from inspectorate.training.models import LibraryCase, LibraryComment

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
