"""Every write of the oversight app: supervision orders (督办) on the workflow kernel, the
case-file scoring sheets and the case-file reviews (案卷评查)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.cases.models import Case, CaseState
from inspectorate.core.deadlines import deadline_fixed
from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed, check_version
from inspectorate.core.models import EvidenceFile
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.inspections.models import Finding
from inspectorate.org.models import Agency
from inspectorate.org.roles import Role
from inspectorate.oversight import documents
from inspectorate.oversight.models import (
    CaseFileReview,
    ReplyOutcome,
    ReviewScore,
    ScoringItem,
    ScoringSheet,
    SheetState,
    SubjectKind,
    SupervisionOrder,
    SupervisionReply,
)
from inspectorate.oversight.workflows import (
    ISSUERS,
    REPLY_BASIS,
    REPLY_DEADLINE,
    SUPERVISION,
)
from inspectorate.registry.models import Enterprise

REVIEWERS = frozenset({Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.TEAM_LEAD})
REVIEWABLE_STATES = frozenset({CaseState.CLOSED, CaseState.ARCHIVED})


def _agency(actor: Any) -> Agency:
    agency = getattr(actor, "agency", None)
    if agency is None:
        raise PermissionDenied(_("Only the staff of an enforcement office may do this."))
    return agency


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def below(code: str, upper: Agency) -> bool:
    """Whether jurisdiction ``code`` lies strictly below the office ``upper``."""
    return code != upper.jurisdiction_id and code.startswith(upper.jurisdiction.prefix)


# ---------------------------------------------------------------------------------------
# supervision orders
# ---------------------------------------------------------------------------------------


def _subject(
    *,
    actor: Any,
    addressee: Agency,
    kind: str,
    case_id: Any,
    finding_id: Any,
    enterprise_id: Any,
    text: str,
) -> dict[str, Any]:
    """The order's subject, checked: in the issuer's scope and in the addressee's area."""
    scope = actor.scope
    prefix = addressee.jurisdiction.prefix
    bad = ValidationFailed.of_fields(
        {kind: [_("Choose one in the area of the supervised office.")]}
    )
    if kind == SubjectKind.CASE:
        case = Case.objects.select_related("enterprise").filter(pk=case_id or 0).first()
        if case is None or not scope.covers(case.jurisdiction_code):
            raise bad
        if not (
            case.jurisdiction_code.startswith(prefix)
            or case.enterprise.jurisdiction_id.startswith(prefix)
        ):
            raise bad
        return {"case": case, "enterprise": case.enterprise}
    if kind == SubjectKind.FINDING:
        finding = Finding.objects.select_related("enterprise").filter(pk=finding_id or 0).first()
        if finding is None or not scope.covers(finding.jurisdiction_code):
            raise bad
        if not finding.enterprise.jurisdiction_id.startswith(prefix):
            raise bad
        return {"finding": finding, "enterprise": finding.enterprise}
    if kind == SubjectKind.ENTERPRISE:
        enterprise = Enterprise.objects.filter(pk=enterprise_id or 0).first()
        if enterprise is None or not enterprise.jurisdiction_id.startswith(prefix):
            raise bad
        if not scope.covers(enterprise.jurisdiction_id):
            raise bad
        return {"enterprise": enterprise}
    if kind == SubjectKind.OTHER:
        if not text.strip():
            raise ValidationFailed.of_fields({"subject_text": [_("Describe the matter.")]})
        return {}
    raise ValidationFailed.of_fields({"subject_kind": [_("Choose what the order is about.")]})


def supervision_issue(
    *,
    actor: Any,
    addressee_id: Any,
    subject_kind: str,
    title: str,
    requirements: str,
    due_date: dt.date,
    case_id: Any = None,
    finding_id: Any = None,
    enterprise_id: Any = None,
    subject_text: str = "",
    today: dt.date | None = None,
) -> SupervisionOrder:
    """An upper office orders a lower one (directly or further below) to deal with a matter
    by ``due_date``; the 督办通知书 is issued with it."""
    today = _today(today)
    issuer = _agency(actor)
    if not actor.has_role(*ISSUERS):
        raise PermissionDenied(_("Only an office's head or supervisor issues supervision orders."))
    errors: dict[str, list[str]] = {}
    addressee = Agency.objects.select_related("jurisdiction").filter(pk=addressee_id or 0).first()
    if addressee is None or not below(addressee.jurisdiction_id, issuer):
        errors["addressee"] = [_("Choose an office below yours.")]
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    if not requirements.strip():
        errors["requirements"] = [_("This field is required.")]
    if due_date <= today:
        errors["due_date"] = [_("The reply is due after today.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    assert addressee is not None  # noqa: S101 (checked above)
    with transaction.atomic():
        subject = _subject(
            actor=actor,
            addressee=addressee,
            kind=subject_kind,
            case_id=case_id,
            finding_id=finding_id,
            enterprise_id=enterprise_id,
            text=subject_text,
        )
        order = SupervisionOrder(
            issuing_agency=issuer,
            issuer_code=issuer.jurisdiction_id,
            addressee=addressee,
            jurisdiction_code=addressee.jurisdiction_id,
            subject_kind=subject_kind,
            subject_text=subject_text.strip(),
            title=title.strip(),
            requirements=requirements.strip(),
            due_date=due_date,
            issued_by=actor,
            issued_on=today,
            **subject,
        )
        order.full_clean()
        order.save()
        deadline_fixed(
            kind=REPLY_DEADLINE,
            legal_basis=REPLY_BASIS,
            subject=order,
            jurisdiction_code=order.jurisdiction_code,
            start_date=today,
            due_date=due_date,
        )
        order.document = documents.issue_order(order, actor=actor, on=today)
        order.save(update_fields=["document"])
        record_append(
            kind=RecordKind.SUPERVISION_ISSUED,
            actor=actor,
            jurisdiction_code=order.jurisdiction_code,
            subject=order,
            payload={
                "issuer": issuer.pk,
                "addressee": addressee.pk,
                "subject_kind": subject_kind,
                "case": order.case_id,
                "finding": order.finding_id,
                "enterprise": order.enterprise_id,
                "due_date": due_date,
                "document": order.document.number,
            },
        )
    return order


def _scoped(actor: Any) -> Any:
    return SupervisionOrder.objects.filter(actor.scope.q("jurisdiction_code"))


def _apply(
    *,
    actor: Any,
    order_id: Any,
    version: int | None,
    action: str,
    reason: str = "",
    params: dict[str, Any] | None = None,
    today: dt.date,
) -> SupervisionOrder:
    return transition_apply(
        workflow=SUPERVISION,
        queryset=_scoped(actor),
        pk=order_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda o: o.jurisdiction_code,
        expected_version=version,
        reason=reason,
        params={"today": today, **(params or {})},
        today=today,
    )


def supervision_reply(
    *,
    actor: Any,
    order_id: Any,
    version: int | None,
    measures: str,
    result: str,
    attachment_ids: Iterable[int] = (),
    today: dt.date | None = None,
) -> SupervisionOrder:
    """The supervised office reports the measures it took and the result."""
    today = _today(today)
    errors: dict[str, list[str]] = {}
    if not measures.strip():
        errors["measures"] = [_("This field is required.")]
    if not result.strip():
        errors["result"] = [_("This field is required.")]
    ids = sorted(set(attachment_ids))
    files = list(EvidenceFile.objects.filter(pk__in=ids))
    if len(files) != len(ids):
        errors["attachments"] = [_("An attachment was not found.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    with transaction.atomic():
        order = _apply(
            actor=actor,
            order_id=order_id,
            version=version,
            action="reply",
            params={"measures": measures.strip(), "result": result.strip(), "attachments": ids},
            today=today,
        )
        reply = SupervisionReply.objects.create(
            order=order,
            round=order.replies.count() + 1,
            measures=measures.strip(),
            result=result.strip(),
            replied_by=actor,
            replied_on=today,
        )
        reply.attachments.set(files)
    return order


def _pending_reply(order: SupervisionOrder) -> SupervisionReply:
    reply = order.replies.filter(outcome=ReplyOutcome.PENDING).order_by("-round").first()
    if reply is None:  # pragma: no cover - the workflow's state guarantees one
        raise NotFound()
    return reply


def supervision_accept(
    *,
    actor: Any,
    order_id: Any,
    version: int | None,
    opinion: str = "",
    today: dt.date | None = None,
) -> SupervisionOrder:
    """The issuing office accepts the reply: the order is closed."""
    today = _today(today)
    with transaction.atomic():
        order = _apply(
            actor=actor,
            order_id=order_id,
            version=version,
            action="accept",
            reason=opinion.strip(),
            today=today,
        )
        reply = _pending_reply(order)
        reply.outcome = ReplyOutcome.ACCEPTED
        reply.outcome_reason = opinion.strip()
        reply.outcome_by = actor
        reply.outcome_on = today
        reply.save(update_fields=["outcome", "outcome_reason", "outcome_by", "outcome_on"])
        order.closed_on = today
        order.save(update_fields=["closed_on"])
    return order


def supervision_return(
    *,
    actor: Any,
    order_id: Any,
    version: int | None,
    reason: str,
    new_due_date: dt.date | None = None,
    today: dt.date | None = None,
) -> SupervisionOrder:
    """The issuing office returns the reply with its reasons. The reply deadline runs
    again: to the same date (it continues) or to ``new_due_date`` (it is reset)."""
    today = _today(today)
    if new_due_date is not None and new_due_date <= today:
        raise ValidationFailed.of_fields({"new_due_date": [_("The reply is due after today.")]})
    with transaction.atomic():
        order = _apply(
            actor=actor,
            order_id=order_id,
            version=version,
            action="return",
            reason=reason.strip(),
            params={"new_due_date": new_due_date},
            today=today,
        )
        reply = _pending_reply(order)
        reply.outcome = ReplyOutcome.RETURNED
        reply.outcome_reason = reason.strip()
        reply.outcome_by = actor
        reply.outcome_on = today
        reply.save(update_fields=["outcome", "outcome_reason", "outcome_by", "outcome_on"])
        if new_due_date is not None:
            order.due_date = new_due_date
            order.save(update_fields=["due_date"])
        deadline_fixed(
            kind=REPLY_DEADLINE,
            legal_basis=REPLY_BASIS,
            subject=order,
            jurisdiction_code=order.jurisdiction_code,
            start_date=order.issued_on if new_due_date is None else today,
            due_date=order.due_date,
        )
    return order


def supervision_withdraw(
    *,
    actor: Any,
    order_id: Any,
    version: int | None,
    reason: str,
    today: dt.date | None = None,
) -> SupervisionOrder:
    today = _today(today)
    with transaction.atomic():
        order = _apply(
            actor=actor,
            order_id=order_id,
            version=version,
            action="withdraw",
            reason=reason.strip(),
            today=today,
        )
        order.closed_on = today
        order.save(update_fields=["closed_on"])
    return order


# ---------------------------------------------------------------------------------------
# scoring sheets
# ---------------------------------------------------------------------------------------


def _province_admin(actor: Any) -> Agency:
    agency = _agency(actor)
    if not actor.has_role(Role.ADMIN) or agency.jurisdiction.level != "province":
        raise PermissionDenied(_("Only a province's administrator sets the scoring sheet."))
    return agency


def _check_bands(bands: Any) -> list[dict[str, Any]]:
    message = _("Give grade bands from the highest minimum down, the last with minimum 0.")
    try:
        cleaned: list[dict[str, Any]] = [
            {
                "grade": str(b["grade"]),
                "label": str(b["label"]),
                "label_en": str(b.get("label_en", b["label"])),
                "min": int(b["min"]),
            }
            for b in bands
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed.of_fields({"grade_bands": [message]}) from exc
    minimums: list[int] = [int(str(b["min"])) for b in cleaned]
    if not cleaned or minimums != sorted(minimums, reverse=True) or minimums[-1] != 0:
        raise ValidationFailed.of_fields({"grade_bands": [message]})
    if len(set(minimums)) != len(minimums):
        raise ValidationFailed.of_fields({"grade_bands": [message]})
    return cleaned


@transaction.atomic
def scoring_sheet_create(
    *,
    actor: Any,
    name: str,
    source: str,
    items: Iterable[Mapping[str, Any]],
    grade_bands: Any,
) -> ScoringSheet:
    """A draft sheet of the actor's province (its next version number)."""
    agency = _province_admin(actor)
    code = agency.jurisdiction_id
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    if not source.strip():
        errors["source"] = [_("Say where the items and points come from.")]
    rows = list(items)
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        try:
            points = int(row["max_points"])
            code_ = str(row["code"]).strip()
            ok = points > 0 and code_ and str(row["text"]).strip() and str(row["section"]).strip()
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok or code_ in seen:
            errors.setdefault("items", []).append(
                _("Item %(n)s needs a unique code, a section, a text and points above 0.")
                % {"n": n}
            )
        else:
            seen.add(code_)
    if not rows:
        errors["items"] = [_("A sheet needs at least one item.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    bands = _check_bands(grade_bands)
    last = ScoringSheet.objects.filter(jurisdiction_code=code).order_by("-number").first()
    sheet = ScoringSheet.objects.create(
        jurisdiction_code=code,
        name=name.strip(),
        number=(last.number + 1) if last else 1,
        source=source.strip(),
        grade_bands=bands,
        created_by=actor,
    )
    ScoringItem.objects.bulk_create(
        ScoringItem(
            sheet=sheet,
            code=str(row["code"]).strip(),
            sort=n,
            section=str(row["section"]).strip(),
            text=str(row["text"]).strip(),
            max_points=int(row["max_points"]),
            basis=str(row.get("basis", "")).strip(),
        )
        for n, row in enumerate(rows, start=1)
    )
    return sheet


@transaction.atomic
def scoring_sheet_publish(*, actor: Any, sheet_id: Any, version: int | None) -> ScoringSheet:
    """Publish a draft of the actor's province; the version in force before is retired."""
    agency = _province_admin(actor)
    try:
        sheet = ScoringSheet.objects.select_for_update().get(
            pk=sheet_id, jurisdiction_code=agency.jurisdiction_id
        )
    except (ScoringSheet.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    from inspectorate.core.errors import IllegalTransition

    check_version(sheet.version, version)
    if sheet.state != SheetState.DRAFT:
        raise IllegalTransition(_("Only a draft sheet can be published."))
    ScoringSheet.objects.filter(
        jurisdiction_code=sheet.jurisdiction_code, state=SheetState.PUBLISHED
    ).update(state=SheetState.RETIRED)
    sheet.state = SheetState.PUBLISHED
    sheet.published_at = timezone.now()
    sheet.version += 1
    sheet.save(update_fields=["state", "published_at", "version"])
    record_append(
        kind=RecordKind.SCORING_SHEET_PUBLISHED,
        actor=actor,
        jurisdiction_code=agency.jurisdiction_id,
        subject=sheet,
        payload={"number": sheet.number, "items": sheet.items.count(), "max": sheet.max_total},
    )
    return sheet


def sheet_in_force(code: str) -> ScoringSheet:
    """The published sheet of the province of ``code``, else the system's default."""
    sheet = (
        ScoringSheet.objects.filter(
            jurisdiction_code=code[:2] + "0000", state=SheetState.PUBLISHED
        ).first()
        or ScoringSheet.objects.filter(jurisdiction_code="", state=SheetState.PUBLISHED).first()
    )
    if sheet is None:  # pragma: no cover - migration 0002 loads the default
        raise NotFound()
    return sheet


def grade_for(sheet: ScoringSheet, total: int) -> dict[str, Any]:
    for band in sheet.grade_bands:
        if total >= int(band["min"]):
            return dict(band)
    return dict(sheet.grade_bands[-1])


# ---------------------------------------------------------------------------------------
# case-file review
# ---------------------------------------------------------------------------------------


@transaction.atomic
def case_file_review_create(
    *,
    actor: Any,
    case_id: Any,
    scores: Mapping[str, Mapping[str, Any]],
    conclusion: str = "",
    today: dt.date | None = None,
) -> CaseFileReview:
    """Score a closed or archived case of the actor's subtree on the sheet in force.

    ``scores`` maps each item's code to ``{"points": n, "note": "..."}``; every item is
    scored, from 0 to its maximum, and a deduction (points below the maximum) needs a note.
    The reviewer may not be one of the case's investigators or its decider.
    """
    today = _today(today)
    agency = _agency(actor)
    if not actor.has_role(*REVIEWERS):
        raise PermissionDenied(_("Your role may not review case files."))
    case = (
        Case.objects.filter(actor.scope.q("jurisdiction_code"))
        .select_related("agency")
        .filter(pk=case_id or 0)
        .first()
    )
    if case is None:
        raise NotFound()
    if case.state not in REVIEWABLE_STATES:
        raise ValidationFailed.of_fields(
            {"case": [_("Only a closed or archived case file is reviewed.")]}
        )
    if actor.pk in (case.investigator_1_id, case.investigator_2_id, case.decided_by_id):
        raise PermissionDenied(
            _("An investigator or the decider of a case may not review its file.")
        )
    sheet = sheet_in_force(case.jurisdiction_code)
    if CaseFileReview.objects.filter(case=case, reviewing_agency=agency, sheet=sheet).exists():
        raise ValidationFailed.of_fields(
            {"case": [_("Your office has already reviewed this case file on this sheet.")]}
        )
    items = list(sheet.items.all())
    errors: dict[str, list[str]] = {}
    rows: list[ReviewScore] = []
    for item in items:
        given = scores.get(item.code)
        key = f"score_{item.code}"
        if given is None or given.get("points") in (None, ""):
            errors[key] = [_("Score this item.")]
            continue
        try:
            points = int(given["points"])
        except (TypeError, ValueError):
            errors[key] = [_("Give a whole number of points.")]
            continue
        note = str(given.get("note") or "").strip()
        if not 0 <= points <= item.max_points:
            errors[key] = [_("Give from 0 to %(max)s points.") % {"max": item.max_points}]
        elif points < item.max_points and not note:
            errors[f"note_{item.code}"] = [_("Say why points were deducted.")]
        rows.append(ReviewScore(item=item, points=points, note=note))
    unknown = set(scores) - {i.code for i in items}
    if unknown:
        errors["scores"] = [_("Unknown items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationFailed.of_fields(errors)
    total = sum(r.points for r in rows)
    max_total = sum(i.max_points for i in items)
    band = grade_for(sheet, total)
    review = CaseFileReview.objects.create(
        case=case,
        sheet=sheet,
        jurisdiction_code=case.jurisdiction_code,
        reviewed_agency=case.agency,
        reviewing_agency=agency,
        reviewer_code=agency.jurisdiction_id,
        reviewer=actor,
        reviewed_on=today,
        total=total,
        max_total=max_total,
        grade=band["grade"],
        grade_label=band["label"],
        conclusion=conclusion.strip(),
    )
    for row in rows:
        row.review = review
    ReviewScore.objects.bulk_create(rows)
    record_append(
        kind=RecordKind.CASE_FILE_REVIEWED,
        actor=actor,
        jurisdiction_code=case.jurisdiction_code,
        subject=review,
        payload={
            "case": case.pk,
            "sheet": f"{sheet.jurisdiction_code or 'default'}@{sheet.number}",
            "total": total,
            "max": max_total,
            "grade": band["grade"],
            "scores": {r.item.code: r.points for r in rows},
        },
    )
    return review
