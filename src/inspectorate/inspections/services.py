"""Every write of checklists, inspections, findings and on-site measures.

Each function checks the actor's scope and role, validates everything before it writes,
writes in one transaction and appends the enforcement record in it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid as uuid_lib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.documents import document_issue
from inspectorate.core.errors import (
    ApplicationError,
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.evidence import evidence_store
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.inspections import rules
from inspectorate.inspections.models import (
    Answer,
    AnswerResult,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Finding,
    FindingEvidence,
    FindingStatus,
    HazardGrade,
    HeadSignature,
    Inspection,
    InspectionState,
    MeasureKind,
    OnSiteMeasure,
    Origin,
    VersionState,
)
from inspectorate.inspections.selectors import checklists_for_enterprise
from inspectorate.org.models import Certificate, JurisdictionLevel, User
from inspectorate.org.roles import Role
from inspectorate.registry.selectors import enterprise_get_for_user

INSPECTOR_ROLES = (Role.OFFICER, Role.TEAM_LEAD)


# --- certificates -------------------------------------------------------------------------


def require_certificate(user: Any, *, on: dt.date, field_name: str) -> Certificate:
    """Every enforcement act needs a valid certificate (安全生产法 Art. 67; 行政处罚法 Art. 42)."""
    certificate = user.valid_certificate(on) if user is not None else None
    if certificate is None:
        raise ValidationFailed.of_fields(
            {
                field_name: [
                    _("%(name)s has no valid enforcement certificate on %(day)s.")
                    % {"name": user.get_full_name() if user else "—", "day": on.isoformat()}
                ]
            }
        )
    return certificate


# --- checklists ---------------------------------------------------------------------------


def may_edit_checklists(actor: Any) -> bool:
    """Checklists are shared by every office: a province-level administrator keeps them."""
    agency = getattr(actor, "agency", None)
    return bool(
        actor.has_role(Role.ADMIN)
        and agency is not None
        and agency.jurisdiction.level == JurisdictionLevel.PROVINCE
    )


def _require_admin(actor: Any) -> None:
    if not may_edit_checklists(actor):
        raise PermissionDenied(
            _("Only an administrator of a province-level office may edit checklists.")
        )


@transaction.atomic
def checklist_version_draft(*, actor: Any, code: str, note: str) -> ChecklistVersion:
    """A new draft version of a checklist: a copy of its latest version's items."""
    _require_admin(actor)
    try:
        checklist = Checklist.objects.select_for_update().get(code=code)
    except Checklist.DoesNotExist as exc:
        raise NotFound() from exc
    if checklist.versions.filter(state=VersionState.DRAFT).exists():
        raise IllegalTransition(_("This checklist already has a draft version; edit that one."))
    if not note.strip():
        raise ValidationFailed.of_fields({"note": [_("Say what changes in this version.")]})
    latest = checklist.versions.order_by("-number").first()
    draft = ChecklistVersion.objects.create(
        checklist=checklist,
        number=(latest.number + 1) if latest else 1,
        note=note.strip(),
        created_by=actor,
    )
    if latest is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                checklist_version=draft,
                code=item.code,
                sort=item.sort,
                section=item.section,
                text=item.text,
                legal_basis=item.legal_basis,
                major_hazard=item.major_hazard,
                criterion=item.criterion,
                suggested_measure=item.suggested_measure,
                rectification_days=item.rectification_days,
            )
            for item in latest.items.all()
        )
    record_append(
        kind=RecordKind.CHECKLIST_VERSION_CREATED,
        actor=actor,
        jurisdiction_code=actor.agency.jurisdiction_id if actor.agency_id else "000000",
        subject=draft,
        payload={"checklist": code, "number": draft.number, "note": draft.note},
    )
    return draft


ITEM_FIELDS = (
    "code",
    "section",
    "text",
    "legal_basis",
    "major_hazard",
    "criterion",
    "suggested_measure",
    "rectification_days",
    "sort",
)


def _draft_locked(version_id: int) -> ChecklistVersion:
    try:
        version = ChecklistVersion.objects.select_for_update().get(pk=version_id)
    except ChecklistVersion.DoesNotExist as exc:
        raise NotFound() from exc
    if version.state != VersionState.DRAFT:
        raise IllegalTransition(
            _("A published version never changes; draft a new version to change it.")
        )
    return version


@transaction.atomic
def checklist_item_save(
    *, actor: Any, version_id: int, data: dict[str, Any], item_id: int | None = None
) -> ChecklistItem:
    """Add an item to a draft version, or change one of its items."""
    _require_admin(actor)
    version = _draft_locked(version_id)
    if item_id is not None:
        try:
            item = version.items.get(pk=item_id)
        except ChecklistItem.DoesNotExist as exc:
            raise NotFound() from exc
    else:
        item = ChecklistItem(checklist_version=version, sort=version.items.count() + 1)
    errors: dict[str, list[str]] = {}
    for name in ("code", "text", "legal_basis"):
        if name in data and not str(data[name] or "").strip():
            errors[name] = [_("This field is required.")]
    if item_id is None:
        for name in ("code", "text", "legal_basis"):
            if not str(data.get(name) or "").strip():
                errors[name] = [_("This field is required.")]
    for name in ITEM_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(item, name, value)
    if item.major_hazard and not item.criterion:
        errors["criterion"] = [
            _("A major-hazard item must name the official criterion (standard and item).")
        ]
    if not item.major_hazard:
        item.criterion = ""
    same_code = version.items.filter(code=item.code)
    if item.pk is not None:
        same_code = same_code.exclude(pk=item.pk)
    if item.code and same_code.exists():
        errors["code"] = [_("Another item of this version has this code.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    item.save()
    version.version = F("version") + 1
    version.save(update_fields=["version"])
    return item


@transaction.atomic
def checklist_item_delete(*, actor: Any, version_id: int, item_id: int) -> None:
    _require_admin(actor)
    version = _draft_locked(version_id)
    deleted, _detail = version.items.filter(pk=item_id).delete()
    if not deleted:
        raise NotFound()


@transaction.atomic
def checklist_version_publish(*, actor: Any, version_id: int) -> ChecklistVersion:
    """Publish a draft: it becomes the version new inspections use; the previous one retires.

    Inspections that used the previous version keep it.
    """
    _require_admin(actor)
    version = _draft_locked(version_id)
    if not version.items.exists():
        raise ValidationFailed.of_fields(
            {"items": [_("A checklist version needs at least one item.")]}
        )
    ChecklistVersion.objects.filter(
        checklist=version.checklist_id, state=VersionState.PUBLISHED
    ).update(state=VersionState.RETIRED)
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["state", "published_at"])
    record_append(
        kind=RecordKind.CHECKLIST_VERSION_PUBLISHED,
        actor=actor,
        jurisdiction_code=actor.agency.jurisdiction_id if actor.agency_id else "000000",
        subject=version,
        payload={
            "checklist": version.checklist.code,
            "number": version.number,
            "items": version.items.count(),
        },
    )
    return version


# --- starting an inspection ---------------------------------------------------------------


def _colleague(actor: Any, user_id: Any, field_name: str) -> User:
    try:
        user = User.objects.select_related("agency").get(pk=user_id, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationFailed.of_fields(
            {field_name: [_("Choose an officer of your office.")]}
        ) from exc
    if user.agency_id is None or user.agency_id != actor.agency_id:
        raise ValidationFailed.of_fields({field_name: [_("Choose an officer of your office.")]})
    if not user.has_role(*INSPECTOR_ROLES):
        raise ValidationFailed.of_fields(
            {field_name: [_("This person is not an enforcement officer.")]}
        )
    return user


def _require_inspector(actor: Any) -> None:
    if not actor.has_role(*INSPECTOR_ROLES) or actor.agency_id is None:
        raise PermissionDenied(_("Only enforcement officers may inspect."))


@transaction.atomic
def inspection_start(
    *,
    actor: Any,
    enterprise_id: Any,
    second_officer_id: Any,
    origin: str,
    place: str = "",
    origin_note: str = "",
    planned_visit_id: Any = None,
    checklist_version_ids: Iterable[int] | None = None,
    uuid: uuid_lib.UUID | None = None,
    started_at: dt.datetime | None = None,
) -> Inspection:
    """Start an inspection by two certified officers, with one line per checklist item."""
    _require_inspector(actor)
    if uuid is not None:
        existing = Inspection.objects.filter(uuid=uuid).first()
        if existing is not None:
            if existing.lead_officer_id != actor.pk:
                raise ConcurrentModification(_("This inspection was already started."))
            return existing
    enterprise = enterprise_get_for_user(user=actor, pk=enterprise_id)
    started_at = started_at or timezone.now()
    today = timezone.localdate(started_at)
    errors: dict[str, list[str]] = {}
    if origin not in Origin.values or origin == Origin.REINSPECTION:
        errors["origin"] = [_("Choose why this inspection takes place.")]
    if origin in (Origin.COMPLAINT, Origin.ACCIDENT, Origin.CAMPAIGN, Origin.OTHER) and not (
        origin_note.strip()
    ):
        errors["origin_note"] = [_("Say which complaint, accident or campaign this is.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    second = _colleague(actor, second_officer_id, "second_officer")
    if second.pk == actor.pk:
        raise ValidationFailed.of_fields(
            {"second_officer": [_("Two different officers must inspect.")]}
        )
    lead_cert = require_certificate(actor, on=today, field_name="lead_officer")
    second_cert = require_certificate(second, on=today, field_name="second_officer")
    visit = None
    if origin == Origin.PLANNED:
        visit = _planned_visit(actor, planned_visit_id, enterprise.pk)
    if checklist_version_ids is None:
        versions = checklists_for_enterprise(enterprise)
    else:
        ids = list(checklist_version_ids)
        versions = list(
            ChecklistVersion.objects.filter(pk__in=ids, state=VersionState.PUBLISHED)
            .select_related("checklist")
            .order_by("checklist__code")
        )
        if len(versions) != len(set(ids)):
            raise ValidationFailed.of_fields({"checklists": [_("Choose published checklists.")]})
    if not versions:
        raise ValidationFailed.of_fields(
            {"checklists": [_("No checklist applies to this unit's sector.")]}
        )
    inspection = Inspection.objects.create(
        uuid=uuid or uuid_lib.uuid4(),
        agency=actor.agency,
        jurisdiction_code=actor.agency.jurisdiction_id,
        enterprise=enterprise,
        origin=origin,
        origin_note=origin_note.strip(),
        planned_visit=visit,
        lead_officer=actor,
        lead_certificate=lead_cert.number,
        second_officer=second,
        second_certificate=second_cert.number,
        place=place.strip() or enterprise.address,
        started_at=started_at,
        unit_head_name=enterprise.legal_representative,
    )
    inspection.checklist_versions.set(versions)
    items = ChecklistItem.objects.filter(checklist_version__in=versions).order_by(
        "checklist_version__checklist__code", "sort", "id"
    )
    order = {v.pk: i for i, v in enumerate(versions)}
    ordered = sorted(items, key=lambda it: (order[it.checklist_version_id], it.sort, it.pk))
    Answer.objects.bulk_create(
        Answer(inspection=inspection, sort=i, item=item) for i, item in enumerate(ordered, 1)
    )
    record_append(
        kind=RecordKind.INSPECTION_STARTED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=inspection,
        payload={
            "enterprise": enterprise.pk,
            "origin": origin,
            "officers": [
                {"id": actor.pk, "certificate": lead_cert.number},
                {"id": second.pk, "certificate": second_cert.number},
            ],
            "checklists": [f"{v.checklist.code}@{v.number}" for v in versions],
            "items": len(ordered),
            "planned_visit": visit.pk if visit else None,
        },
    )
    return inspection


def _planned_visit(actor: Any, visit_id: Any, enterprise_id: int) -> Any:
    from inspectorate.planning.models import PlannedVisit, PlanState

    try:
        visit = PlannedVisit.objects.select_related("plan", "unit").get(
            pk=visit_id,
            plan__agency=actor.agency_id,
            plan__state__in=[PlanState.APPROVED, PlanState.FILED],
            cancelled=False,
        )
    except (PlannedVisit.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationFailed.of_fields(
            {"planned_visit": [_("Choose a planned inspection of your office's approved plan.")]}
        ) from exc
    if visit.unit.enterprise_id != enterprise_id:
        raise ValidationFailed.of_fields(
            {"planned_visit": [_("This planned inspection is for another unit.")]}
        )
    if visit.inspections.exists():
        raise ValidationFailed.of_fields(
            {"planned_visit": [_("This planned inspection was already carried out.")]}
        )
    return visit


# --- answering ----------------------------------------------------------------------------


def _locked_inspection(actor: Any, inspection_id: Any) -> Inspection:
    from inspectorate.inspections.selectors import inspection_queryset_for_user

    try:
        inspection = (
            inspection_queryset_for_user(user=actor)
            .select_for_update()
            .select_related("enterprise", "agency")
            .get(pk=inspection_id)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if actor.pk not in (inspection.lead_officer_id, inspection.second_officer_id):
        raise PermissionDenied(_("Only the two officers of this inspection may record it."))
    if inspection.state != InspectionState.IN_PROGRESS:
        raise IllegalTransition(_("This inspection is closed; nothing can be changed."))
    return inspection


def _bump(inspection: Inspection) -> None:
    Inspection.objects.filter(pk=inspection.pk).update(version=F("version") + 1)
    inspection.refresh_from_db(fields=["version"])


@dataclass
class AnswerChange:
    answer_id: int
    result: str
    note: str = ""
    base_revision: int = 0


@dataclass
class SaveResult:
    inspection: Inspection
    applied: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@transaction.atomic
def answers_save(
    *,
    actor: Any,
    inspection_id: Any,
    changes: list[AnswerChange],
    findings: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Save answers (and new findings) from the form or from an offline tablet.

    Each change names the revision of the answer it was made on. When the answer changed
    since (the other officer, or another device), and to something else, the change is
    not applied: it comes back as a conflict with both values, for the officer to decide.
    Sending the same change again changes nothing.
    """
    now = now or timezone.now()
    inspection = _locked_inspection(actor, inspection_id)
    answers = {
        a.pk: a for a in inspection.answers.select_for_update(of=("self",)).select_related("item")
    }
    errors: dict[str, list[str]] = {}
    for change in changes:
        key = f"answers.{change.answer_id}"
        if change.answer_id not in answers:
            errors[key] = [_("This line is not part of the inspection.")]
        elif change.result not in AnswerResult.values:
            errors[key] = [_("Choose compliant, finding or not applicable.")]
        elif change.result == AnswerResult.NOT_APPLICABLE and not change.note.strip():
            errors[key] = [_("Give the reason why this item does not apply.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    result = SaveResult(inspection=inspection)
    changed: list[Answer] = []
    for change in changes:
        answer = answers[change.answer_id]
        note = change.note.strip()
        if answer.result == change.result and answer.note == note:
            result.unchanged.append(answer.pk)
            continue
        if change.base_revision != answer.revision:
            result.conflicts.append(
                {
                    "answer_id": answer.pk,
                    "item": answer.item.code if answer.item else None,
                    "server": {
                        "result": answer.result,
                        "note": answer.note,
                        "revision": answer.revision,
                        "by": answer.answered_by.get_full_name() if answer.answered_by else "",
                    },
                    "yours": {"result": change.result, "note": note},
                }
            )
            continue
        answer.result = change.result
        answer.note = note
        answer.revision += 1
        answer.answered_by = actor
        answer.answered_at = now
        changed.append(answer)
        result.applied.append(answer.pk)
    if changed:
        Answer.objects.bulk_update(
            changed, ["result", "note", "revision", "answered_by", "answered_at"]
        )
    for data in findings or []:
        result.findings.append(_finding_create(actor, inspection, answers, data, now))
    if changed or result.findings:
        _bump(inspection)
        record_append(
            kind=RecordKind.INSPECTION_ANSWERED,
            actor=actor,
            jurisdiction_code=inspection.jurisdiction_code,
            subject=inspection,
            payload={
                "answers": {str(a.pk): a.result for a in changed},
                "findings": [str(f.uuid) for f in result.findings],
                "conflicts": [c["answer_id"] for c in result.conflicts],
            },
        )
    return result


def _finding_create(
    actor: Any,
    inspection: Inspection,
    answers: dict[int, Answer],
    data: dict[str, Any],
    now: dt.datetime,
) -> Finding:
    raw_uuid = data.get("uuid")
    try:
        finding_uuid = uuid_lib.UUID(str(raw_uuid)) if raw_uuid else uuid_lib.uuid4()
    except ValueError as exc:
        raise ValidationFailed.of_fields({"uuid": [_("Not a valid UUID.")]}) from exc
    existing = Finding.objects.filter(uuid=finding_uuid).first()
    if existing is not None:  # sent twice: the first one counts
        if existing.inspection_id != inspection.pk:
            raise ValidationFailed.of_fields(
                {"uuid": [_("This finding belongs to another inspection.")]}
            )
        return existing
    errors: dict[str, list[str]] = {}
    answer = None
    answer_id = data.get("answer_id")
    if answer_id is not None:
        try:
            answer = answers[int(answer_id)]
        except (KeyError, ValueError, TypeError):
            errors["answer_id"] = [_("This line is not part of the inspection.")]
    description = str(data.get("description") or "").strip()
    if not description:
        errors["description"] = [_("Describe what was found.")]
    item = answer.item if answer is not None else None
    grade = str(data.get("grade") or HazardGrade.GENERAL)
    criterion = str(data.get("criterion") or "").strip()
    if item is not None and item.major_hazard:
        # the item is an official 重大事故隐患 criterion: a finding on it is major
        grade, criterion = HazardGrade.MAJOR, item.criterion
    if grade not in HazardGrade.values:
        errors["grade"] = [_("Choose general hazard or major accident hazard.")]
    elif grade == HazardGrade.MAJOR and not criterion:
        errors["criterion"] = [str(rules.GRADE_HELP)]
    article = str(data.get("violated_article") or "").strip() or (item.legal_basis if item else "")
    if not article:
        errors["violated_article"] = [_("Name the violated article.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    finding = Finding.objects.create(
        uuid=finding_uuid,
        inspection=inspection,
        answer=answer,
        enterprise_id=inspection.enterprise_id,
        jurisdiction_code=inspection.jurisdiction_code,
        description=description,
        location=str(data.get("location") or "").strip(),
        grade=grade,
        violated_article=article,
        criterion=criterion if grade == HazardGrade.MAJOR else "",
        found_on=timezone.localdate(now),
        created_by=actor,
    )
    if answer is not None and answer.result != AnswerResult.FINDING:
        answer.result = AnswerResult.FINDING
        answer.revision += 1
        answer.answered_by = actor
        answer.answered_at = now
        answer.save(update_fields=["result", "revision", "answered_by", "answered_at"])
    record_append(
        kind=RecordKind.FINDING_RECORDED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=finding,
        payload={
            "inspection": inspection.pk,
            "grade": grade,
            "article": article,
            "criterion": finding.criterion,
            "description": description,
        },
    )
    return finding


@transaction.atomic
def finding_record(
    *, actor: Any, inspection_id: Any, data: dict[str, Any], now: dt.datetime | None = None
) -> Finding:
    now = now or timezone.now()
    inspection = _locked_inspection(actor, inspection_id)
    answers = {
        a.pk: a for a in inspection.answers.select_for_update(of=("self",)).select_related("item")
    }
    finding = _finding_create(actor, inspection, answers, data, now)
    _bump(inspection)
    return finding


# --- evidence -----------------------------------------------------------------------------


def _photo_metadata(content: bytes) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """Time and place from a photo's EXIF data, where the device wrote them."""
    try:
        from PIL import ExifTags, Image

        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
    except Exception:  # not an image, or unreadable: no metadata  # noqa: BLE001
        return None, None, None
    taken = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(
        ExifTags.Base.DateTime
    )
    if raw:
        try:
            naive = dt.datetime.strptime(str(raw), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
            taken = timezone.make_aware(naive)
        except ValueError:
            taken = None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = lon = None
    try:
        if gps and 2 in gps and 4 in gps:
            lat = _dms(gps[2], gps.get(1, "N"))
            lon = _dms(gps[4], gps.get(3, "E"))
    except (TypeError, ValueError, ZeroDivisionError):
        lat = lon = None
    return taken, lat, lon


def _dms(value: Any, ref: str) -> Decimal:
    degrees, minutes, seconds = (float(v) for v in value)
    decimal = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W"):
        decimal = -decimal
    return Decimal(f"{decimal:.6f}")


def _coordinate(value: Any, limit: int, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValidationFailed.of_fields({name: [_("Not a number.")]}) from exc
    if not number.is_finite() or abs(number) > limit:
        raise ValidationFailed.of_fields({name: [_("Out of range.")]})
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def finding_evidence_add(
    *,
    actor: Any,
    finding_id: Any,
    content: bytes,
    name: str,
    content_type: str = "",
    taken_at: dt.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
) -> FindingEvidence:
    """Attach a photo or file to a finding, with the time and place it was taken.

    The photo's own EXIF time and GPS position are used first; otherwise what the device
    sent (browser geolocation and the file time). Adding the same file twice adds it once.
    """
    from inspectorate.inspections.selectors import hazard_queryset_for_user

    try:
        finding = (
            hazard_queryset_for_user(user=actor).select_related("inspection").get(pk=finding_id)
        )
    except (Finding.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    _locked_inspection(actor, finding.inspection_id)
    if not content:
        raise ValidationFailed.of_fields({"file": [_("The file is empty.")]})
    if len(content) > 25 * 1024 * 1024:
        raise ValidationFailed.of_fields({"file": [_("A file may be at most 25 MB.")]})
    lat = _coordinate(latitude, 90, "latitude")
    lon = _coordinate(longitude, 180, "longitude")
    exif_time, exif_lat, exif_lon = _photo_metadata(content)
    source = ""
    if exif_time or exif_lat is not None:
        source = "exif"
    elif taken_at or lat is not None:
        source = "device"
    stored = evidence_store(
        actor=actor,
        jurisdiction_code=finding.jurisdiction_code,
        content=content,
        original_name=name[:255],
        content_type=content_type[:100],
    )
    evidence, created = FindingEvidence.objects.get_or_create(
        finding=finding,
        file=stored,
        defaults={
            "taken_at": exif_time or taken_at,
            "latitude": exif_lat if exif_lat is not None else lat,
            "longitude": exif_lon if exif_lon is not None else lon,
            "metadata_source": source,
        },
    )
    if created:
        record_append(
            kind=RecordKind.FINDING_EVIDENCE_ADDED,
            actor=actor,
            jurisdiction_code=finding.jurisdiction_code,
            subject=finding,
            payload={
                "name": name,
                "taken_at": evidence.taken_at,
                "latitude": evidence.latitude,
                "longitude": evidence.longitude,
                "source": source,
            },
            evidence=[stored.sha256],
        )
    return evidence


# --- on-site measures ---------------------------------------------------------------------


@transaction.atomic
def measure_decide(
    *,
    actor: Any,
    inspection_id: Any,
    kind: str,
    finding_ids: list[Any],
    description: str = "",
    items: list[dict[str, Any]] | None = None,
    measures: dict[Any, str] | None = None,
    due_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> OnSiteMeasure:
    """Decide an on-site measure (安全生产法 Art. 65) for findings, with its document.

    Ordering rectification issues the 责令限期整改指令书 through the rectification order;
    the other measures issue a 现场处理措施决定书, and seal or seize a 查封扣押决定书.
    ``measures`` optionally overrides the suggested rectification measure per finding, and
    ``due_date`` the computed deadlines (the office may set a date; it must, while the
    holiday notice of the year the deadline falls in is not published).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    inspection = _locked_inspection(actor, inspection_id)
    errors: dict[str, list[str]] = {}
    if kind not in MeasureKind.values:
        errors["kind"] = [_("Choose a measure.")]
    ids = {str(i) for i in finding_ids}
    findings = [f for f in inspection.findings.select_for_update() if str(f.pk) in ids]
    if not findings or len(findings) != len(ids):
        errors["findings"] = [_("Choose the findings of this inspection the measure is for.")]
    elif any(f.status != FindingStatus.OPEN for f in findings):
        errors["findings"] = [_("A measure can only be decided for open findings.")]
    items = items or []
    if kind in rules.COERCIVE_MEASURES:
        if not items or any(not str(i.get("name") or "").strip() for i in items):
            errors["items"] = [_("List what is sealed or seized, each with its name.")]
    if kind != MeasureKind.ORDER_RECTIFICATION and not description.strip():
        errors["description"] = [_("Describe the measure.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    require_certificate(actor, on=today, field_name="actor")
    measure = OnSiteMeasure.objects.create(
        inspection=inspection,
        kind=kind,
        description=description.strip(),
        legal_basis=rules.MEASURE_BASIS[kind],
        items=[
            {k: str(v).strip() for k, v in i.items() if k in ("name", "quantity", "location")}
            for i in items
        ],
        decided_by=actor,
        decided_at=now,
    )
    measure.findings.set(findings)
    if kind == MeasureKind.ORDER_RECTIFICATION:
        from inspectorate.rectification.services import order_issue

        order = order_issue(
            actor=actor,
            inspection=inspection,
            findings=findings,
            measures=measures or {},
            on=today,
            due_date=due_date,
        )
        measure.document = order.document
    else:
        if kind == MeasureKind.CORRECT_NOW:
            Finding.objects.filter(pk__in=[f.pk for f in findings]).update(
                status=FindingStatus.CORRECTED_ON_SITE, closed_on=today
            )
        from inspectorate.inspections import documents

        document_kind = (
            DocumentKind.SEAL_SEIZE
            if kind in rules.COERCIVE_MEASURES
            else DocumentKind.MEASURE_DECISION
        )
        builder = (
            documents.seal_seize_content
            if kind in rules.COERCIVE_MEASURES
            else documents.measure_decision_content
        )
        measure.document = document_issue(
            kind=document_kind,
            agency=inspection.agency,
            subject=measure,
            build=lambda number: builder(measure, number, on=today),
            actor=actor,
            jurisdiction_code=inspection.jurisdiction_code,
            on=today,
        )
    measure.save(update_fields=["document"])
    _bump(inspection)
    record_append(
        kind=RecordKind.MEASURE_DECIDED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=inspection,
        payload={
            "measure": kind,
            "findings": [f.pk for f in findings],
            "basis": measure.legal_basis,
            "document": measure.document.number if measure.document else None,
        },
    )
    return measure


# --- the record (Art. 68) and closing -----------------------------------------------------


@transaction.atomic
def record_sign(
    *,
    actor: Any,
    inspection_id: Any,
    handling: str,
    unit_head_name: str,
    signature: str,
    refusal_note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """The inspection record is signed by the officers and the unit's head, or the head's
    refusal is noted (安全生产法 Art. 68)."""
    now = now or timezone.now()
    inspection = _locked_inspection(actor, inspection_id)
    check_version(inspection.version, expected_version)
    errors: dict[str, list[str]] = {}
    if not handling.strip():
        errors["handling"] = [_("Describe how the problems found were handled.")]
    if not unit_head_name.strip():
        errors["unit_head_name"] = [_("Name the unit's head who was present.")]
    if signature not in (HeadSignature.SIGNED, HeadSignature.REFUSED):
        errors["signature"] = [_("Say whether the unit's head signed or refused.")]
    elif signature == HeadSignature.REFUSED and not refusal_note.strip():
        errors["refusal_note"] = [
            _("Note the refusal and its circumstances; it is reported (Art. 68).")
        ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    inspection.handling = handling.strip()
    inspection.unit_head_name = unit_head_name.strip()
    inspection.unit_head_signature = signature
    inspection.unit_head_refusal_note = (
        refusal_note.strip() if signature == HeadSignature.REFUSED else ""
    )
    inspection.officers_signed_at = now
    inspection.version = F("version") + 1
    inspection.save(
        update_fields=[
            "handling",
            "unit_head_name",
            "unit_head_signature",
            "unit_head_refusal_note",
            "officers_signed_at",
            "version",
        ]
    )
    inspection.refresh_from_db(fields=["version"])
    record_append(
        kind=RecordKind.INSPECTION_SIGNED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=inspection,
        payload={
            "unit_head": inspection.unit_head_name,
            "signature": signature,
            "refusal_note": inspection.unit_head_refusal_note,
            "basis": rules.RECORD_BASIS,
        },
    )
    return inspection


def closing_problems(inspection: Inspection) -> dict[str, list[str]]:
    """What still stands in the way of closing, by field; empty when it may be closed."""
    problems: dict[str, list[str]] = {}
    answers = list(inspection.answers.select_related("item", "prior_finding"))
    unanswered = [a for a in answers if not a.result]
    if unanswered:
        labels = [a.item.code if a.item else f"#{a.sort}" for a in unanswered]
        more = len(labels) - 20
        problems["answers"] = [
            _("Not answered (不缺项): %(items)s")
            % {"items": ", ".join(labels[:20]) + (f" … (+{more})" if more > 0 else "")}
        ]
    with_findings = set(
        inspection.findings.exclude(answer=None).values_list("answer_id", flat=True)
    )
    bare = [
        a
        for a in answers
        if a.result == AnswerResult.FINDING and a.item_id and a.pk not in with_findings
    ]
    if bare:
        problems["findings"] = [
            _("Record the finding for items marked as findings: %(items)s")
            % {"items": ", ".join(a.item.code for a in bare if a.item)}
        ]
    if inspection.origin != Origin.REINSPECTION:
        unhandled = inspection.findings.filter(
            status=FindingStatus.OPEN, order_line__isnull=True
        ).count()
        if unhandled:
            problems["measures"] = [
                _(
                    "%(count)d open findings have no measure: order their rectification "
                    "or record that they were corrected on the spot."
                )
                % {"count": unhandled}
            ]
    if not inspection.unit_head_signature:
        problems["signature"] = [
            _("The record must be signed by the unit's head, or the refusal noted (Art. 68).")
        ]
    return problems


@transaction.atomic
def inspection_close(
    *,
    actor: Any,
    inspection_id: Any,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """Close the inspection: every item answered, every finding handled, the record signed.

    Issues the 现场检查记录; a re-inspection also concludes its rectification order and
    issues the 整改复查意见书.
    """
    now = now or timezone.now()
    inspection = _locked_inspection(actor, inspection_id)
    check_version(inspection.version, expected_version)
    problems = closing_problems(inspection)
    if problems:
        raise ApplicationError(
            _("The inspection cannot be closed yet."),
            code="inspection_incomplete",
            extra={"fields": problems},
        )
    today = timezone.localdate(now)
    require_certificate(inspection.lead_officer, on=today, field_name="lead_officer")
    require_certificate(inspection.second_officer, on=today, field_name="second_officer")
    inspection.state = InspectionState.CLOSED
    inspection.ended_at = now
    inspection.version = F("version") + 1
    inspection.save(update_fields=["state", "ended_at", "version"])
    inspection.refresh_from_db(fields=["version"])
    from inspectorate.inspections import documents

    record_doc = document_issue(
        kind=DocumentKind.INSPECTION_RECORD,
        agency=inspection.agency,
        subject=inspection,
        build=lambda number: documents.inspection_record_content(inspection, number, on=today),
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        on=today,
    )
    if inspection.reinspection_of_id is not None:
        from inspectorate.rectification.services import review_conclude

        review_conclude(actor=actor, reinspection=inspection, on=today)
    record_append(
        kind=RecordKind.INSPECTION_CLOSED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=inspection,
        payload={
            "findings": inspection.findings.count(),
            "major": inspection.findings.filter(grade=HazardGrade.MAJOR).count(),
            "document": record_doc.number,
        },
    )
    return inspection
