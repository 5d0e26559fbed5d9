"""Every write of the rectification loop: order, report, re-inspection, extension, escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.calendar import CalendarUnknown, add_working_days
from inspectorate.core.deadlines import DeadlineRule, deadline_fixed, deadline_start
from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.documents import document_issue
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.evidence import evidence_store
from inspectorate.core.models import DayCount, Deadline
from inspectorate.core.record import record_append, subject_of
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.inspections import rules as inspection_rules
from inspectorate.inspections.models import (
    Answer,
    AnswerResult,
    Finding,
    FindingStatus,
    HazardGrade,
    Inspection,
    Origin,
)
from inspectorate.org.roles import Role
from inspectorate.rectification import rules
from inspectorate.rectification.models import (
    ClosureCheck,
    ClosureCheckState,
    EscalationReason,
    Extension,
    LineState,
    OrderLine,
    OrderState,
    PenaltyProposal,
    RectificationOrder,
    RefusalKind,
    Submission,
    SubmissionKind,
)
from inspectorate.rectification.selectors import order_queryset_for_user
from inspectorate.rectification.workflows import ORDER


def _own_orders(actor: Any, order_id: Any) -> Any:
    """The orders the actor's office issued. An order the actor may see but another office
    issued (an upper level looking at a county's order) is refused, not hidden."""
    visible = order_queryset_for_user(user=actor)
    if str(order_id).isdigit() and (
        visible.filter(pk=order_id).exclude(agency=actor.agency_id).exists()
    ):
        raise PermissionDenied(_("Only the office that issued the order acts on it."))
    return visible.filter(agency=actor.agency_id)


def rectification_days(finding: Finding) -> int:
    """Working days to rectify: the checklist item's, or the default for the grade."""
    item = finding.answer.item if finding.answer_id and finding.answer else None
    if item is not None and item.rectification_days:
        return int(item.rectification_days)
    return inspection_rules.DEFAULT_RECTIFICATION_DAYS[finding.grade]


def suggested_measure(finding: Finding) -> str:
    item = finding.answer.item if finding.answer_id and finding.answer else None
    if item is not None and item.suggested_measure:
        return item.suggested_measure
    if finding.grade == HazardGrade.MAJOR:
        return _(
            "Draw up and carry out a plan for removing the major hazard (objectives, "
            "measures, funds, people, deadline, safety measures during the work)."
        )
    return _("Remove the hazard and report how it was removed.")


def order_issue(
    *,
    actor: Any,
    inspection: Inspection,
    findings: list[Finding],
    measures: dict[Any, str],
    on: dt.date,
    due_date: dt.date | None = None,
) -> RectificationOrder:
    """Issue the 责令限期整改指令书 for open findings of an inspection (inside its transaction).

    One order per inspection: a second call adds lines to it only while it has not been
    reported or re-inspected.
    """
    errors: dict[str, list[str]] = {}
    if due_date is not None and due_date <= on:
        errors["due_date"] = [_("The deadline must be after the day the order is issued.")]
    lines = []
    for finding in findings:
        if hasattr(finding, "order_line"):
            errors["findings"] = [_("A finding is already on a rectification order.")]
            continue
        measure = str(measures.get(finding.pk) or measures.get(str(finding.pk)) or "").strip()
        try:
            due = due_date or add_working_days(on, rectification_days(finding))
        except CalendarUnknown as exc:
            # the holiday notice of that year is not out yet: the office sets the date itself
            errors["due_date"] = [exc.message + " " + _("Enter the deadline date for this order.")]
            continue
        lines.append((finding, measure or suggested_measure(finding), due))
    if errors:
        raise ValidationFailed.of_fields(errors)
    order_due = max(line[2] for line in lines)
    order = RectificationOrder.objects.create(
        inspection=inspection,
        enterprise_id=inspection.enterprise_id,
        agency=inspection.agency,
        jurisdiction_code=inspection.jurisdiction_code,
        issued_on=on,
        due_date=order_due,
        issued_by=actor,
    )
    OrderLine.objects.bulk_create(
        OrderLine(order=order, finding=finding, measure=measure, due_date=due)
        for finding, measure, due in lines
    )
    for finding, _measure, due in lines:
        Finding.objects.filter(pk=finding.pk).update(due_date=due)
    if due_date is None:
        deadline = deadline_start(
            rule=DeadlineRule(
                kind=rules.RECTIFICATION_KIND,
                days=max(rectification_days(f) for f in findings),
                day_count=DayCount.WORKING,
                legal_basis=inspection_rules.RECTIFICATION_BASIS,
            ),
            subject=order,
            jurisdiction_code=order.jurisdiction_code,
            start_date=on,
        )
    else:  # a date the office set: kept as it is, counted in calendar days
        deadline = deadline_fixed(
            kind=rules.RECTIFICATION_KIND,
            legal_basis=inspection_rules.RECTIFICATION_BASIS,
            subject=order,
            jurisdiction_code=order.jurisdiction_code,
            start_date=on,
            due_date=due_date,
        )
    from inspectorate.rectification import documents

    order.document = document_issue(
        kind=DocumentKind.RECTIFICATION_ORDER,
        agency=order.agency,
        subject=order,
        build=lambda number: documents.order_content(order, number, on=on),
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        on=on,
    )
    order.save(update_fields=["document"])
    record_append(
        kind=RecordKind.ORDER_ISSUED,
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        subject=order,
        payload={
            "inspection": inspection.pk,
            "lines": [{"finding": f.pk, "due": due, "grade": f.grade} for f, _m, due in lines],
            "due_date": deadline.due_date,
            "document": order.document.number,
        },
    )
    return order


# --- the enterprise -----------------------------------------------------------------------


@transaction.atomic
def submission_add(
    *,
    actor: Any,
    order_id: Any,
    kind: str,
    note: str,
    files: list[tuple[str, str, bytes]] | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """The enterprise reports progress or completion (with evidence), or asks for time.

    A completion report moves the order to "reported" and starts the re-inspection clock.
    """
    now = now or timezone.now()
    try:
        order = order_queryset_for_user(user=actor).select_for_update().get(pk=order_id)
    except (RectificationOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not actor.has_role(Role.ENTERPRISE):
        raise PermissionDenied(_("Only the enterprise reports on its order."))
    errors: dict[str, list[str]] = {}
    if kind not in SubmissionKind.values:
        errors["kind"] = [_("Choose progress, completion or a request for time.")]
    if not note.strip():
        errors["note"] = [_("Say what was done.")]
    files = files or []
    if kind == SubmissionKind.COMPLETION and not files:
        errors["files"] = [_("Attach the evidence of the rectification (photos, documents).")]
    for name, _ctype, content in files:
        if not content:
            errors["files"] = [_("The file %(name)s is empty.") % {"name": name}]
        elif len(content) > 25 * 1024 * 1024:
            errors["files"] = [_("A file may be at most 25 MB.")]
    if order.state not in (OrderState.ISSUED, OrderState.REPORTED):
        raise IllegalTransition(_("This order is no longer open for reports."))
    if kind == SubmissionKind.COMPLETION and order.state != OrderState.ISSUED:
        raise IllegalTransition(_("Completion was already reported."))
    if errors:
        raise ValidationFailed.of_fields(errors)
    submission = Submission.objects.create(
        order=order, kind=kind, note=note.strip(), submitted_by=actor, submitted_at=now
    )
    stored = [
        evidence_store(
            actor=actor,
            jurisdiction_code=order.jurisdiction_code,
            content=content,
            original_name=name[:255],
            content_type=ctype[:100],
        )
        for name, ctype, content in files
    ]
    submission.files.set(stored)
    record_append(
        kind=RecordKind.ORDER_SUBMISSION,
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        subject=order,
        payload={"kind": kind, "note": submission.note, "files": [f.original_name for f in stored]},
        evidence=[f.sha256 for f in stored],
    )
    if kind == SubmissionKind.COMPLETION:
        transition_apply(
            workflow=ORDER,
            queryset=order_queryset_for_user(user=actor),
            pk=order.pk,
            action="report",
            actor=actor,
            jurisdiction_code=lambda o: o.jurisdiction_code,
            today=timezone.localdate(now),
        )
    return submission


# --- re-inspection ------------------------------------------------------------------------


@transaction.atomic
def reinspection_start(
    *,
    actor: Any,
    order_id: Any,
    second_officer_id: Any,
    place: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """Start the re-inspection (整改复查): one line per finding still open on the order."""
    from inspectorate.inspections.services import (
        _colleague,
        _require_inspector,
        require_certificate,
    )

    now = now or timezone.now()
    today = timezone.localdate(now)
    _require_inspector(actor)
    order = transition_apply(
        workflow=ORDER,
        queryset=_own_orders(actor, order_id),
        pk=order_id,
        action="start_reinspection",
        actor=actor,
        jurisdiction_code=lambda o: o.jurisdiction_code,
        expected_version=expected_version,
        today=today,
    )
    second = _colleague(actor, second_officer_id, "second_officer")
    if second.pk == actor.pk:
        raise ValidationFailed.of_fields(
            {"second_officer": [_("Two different officers must inspect.")]}
        )
    lead_cert = require_certificate(actor, on=today, field_name="lead_officer")
    second_cert = require_certificate(second, on=today, field_name="second_officer")
    open_lines = list(order.lines.filter(state=LineState.OPEN).select_related("finding"))
    inspection = Inspection.objects.create(
        agency=order.agency,
        jurisdiction_code=order.jurisdiction_code,
        enterprise=order.enterprise,
        origin=Origin.REINSPECTION,
        reinspection_of=order,
        lead_officer=actor,
        lead_certificate=lead_cert.number,
        second_officer=second,
        second_certificate=second_cert.number,
        place=place.strip() or order.enterprise.address,
        started_at=now,
        unit_head_name=order.enterprise.legal_representative,
    )
    Answer.objects.bulk_create(
        Answer(inspection=inspection, sort=i, prior_finding=line.finding)
        for i, line in enumerate(open_lines, 1)
    )
    record_append(
        kind=RecordKind.INSPECTION_STARTED,
        actor=actor,
        jurisdiction_code=inspection.jurisdiction_code,
        subject=inspection,
        payload={
            "enterprise": order.enterprise_id,
            "origin": Origin.REINSPECTION,
            "order": order.pk,
            "officers": [
                {"id": actor.pk, "certificate": lead_cert.number},
                {"id": second.pk, "certificate": second_cert.number},
            ],
            "open_findings": [line.finding_id for line in open_lines],
        },
    )
    return inspection


def review_conclude(*, actor: Any, reinspection: Inspection, on: dt.date) -> RectificationOrder:
    """Called when a re-inspection closes (inside its transaction): each reviewed finding is
    rectified or stays open; the order closes or waits for extension or escalation; the
    整改复查意见书 is issued."""
    order = RectificationOrder.objects.select_for_update().get(
        pk=int(reinspection.reinspection_of_id or 0)
    )
    reviews = list(
        Answer.objects.filter(inspection=reinspection, prior_finding__isnull=False).select_related(
            "prior_finding"
        )
    )
    rectified = [a.prior_finding_id for a in reviews if a.result == AnswerResult.COMPLIANT]
    Finding.objects.filter(pk__in=rectified).update(status=FindingStatus.RECTIFIED, closed_on=on)
    OrderLine.objects.filter(order=order, finding_id__in=rectified).update(
        state=LineState.RECTIFIED
    )
    still_open = OrderLine.objects.filter(order=order, state=LineState.OPEN).exists()
    from inspectorate.rectification import documents

    document_issue(
        kind=DocumentKind.REVIEW_OPINION,
        agency=order.agency,
        subject=reinspection,
        build=lambda number: documents.review_content(reinspection, number, on=on),
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        on=on,
    )
    order = transition_apply(
        workflow=ORDER,
        queryset=RectificationOrder.objects.all(),
        pk=order.pk,
        action="conclude_open" if still_open else "conclude_rectified",
        actor=actor,
        jurisdiction_code=lambda o: o.jurisdiction_code,
        today=on,
    )
    if not still_open:
        RectificationOrder.objects.filter(pk=order.pk).update(closed_on=on)
    record_append(
        kind=RecordKind.ORDER_REVIEWED,
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        subject=order,
        payload={
            "reinspection": reinspection.pk,
            "rectified": rectified,
            "open": [a.prior_finding_id for a in reviews if a.prior_finding_id not in rectified],
        },
    )
    return order


# --- extension ----------------------------------------------------------------------------


@transaction.atomic
def order_extend(
    *,
    actor: Any,
    order_id: Any,
    working_days: Any,
    reason: str,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> RectificationOrder:
    """Extend the deadline of the lines still open, with the head's approval: by working
    days, or to a date the head sets (needed while next year's holiday notice is not out)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    try:
        days = int(working_days or 0)
    except (TypeError, ValueError):
        days = -1
    if due_date is None and (days < 1 or days > 60):
        raise ValidationFailed.of_fields(
            {"working_days": [_("Give between 1 and 60 working days.")]}
        )
    if due_date is not None and due_date <= today:
        raise ValidationFailed.of_fields({"due_date": [_("The new deadline must be a later day.")]})
    order = transition_apply(
        workflow=ORDER,
        queryset=_own_orders(actor, order_id),
        pk=order_id,
        action="extend",
        actor=actor,
        jurisdiction_code=lambda o: o.jurisdiction_code,
        expected_version=expected_version,
        reason=reason,
        params={"working_days": days},
        today=today,
    )
    previous = order.due_date
    try:
        new_due = due_date or add_working_days(max(previous, today), days)
    except CalendarUnknown as exc:
        raise ValidationFailed.of_fields(
            {"due_date": [exc.message + " " + _("Enter the new deadline date.")]}
        ) from exc
    if due_date is not None:
        days = 0
    Extension.objects.create(
        order=order,
        working_days=days,
        reason=reason.strip(),
        previous_due=previous,
        new_due=new_due,
        approved_by=actor,
        approved_at=now,
    )
    open_lines = OrderLine.objects.filter(order=order, state=LineState.OPEN)
    Finding.objects.filter(order_line__in=open_lines).update(due_date=new_due)
    open_lines.update(due_date=new_due)
    RectificationOrder.objects.filter(pk=order.pk).update(due_date=new_due)
    order.due_date = new_due
    subject_type, subject_id = subject_of(order)
    Deadline.objects.filter(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=rules.RECTIFICATION_KIND,
        met_at=None,
        cancelled_at=None,
    ).update(due_date=new_due)
    record_append(
        kind=RecordKind.ORDER_EXTENDED,
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        subject=order,
        payload={
            "working_days": days,
            "previous_due": previous,
            "new_due": new_due,
            "reason": reason,
        },
    )
    return order


# --- escalation ---------------------------------------------------------------------------


@transaction.atomic
def order_escalate(
    *,
    actor: Any,
    order_id: Any,
    refused: bool,
    refusal_kind: str = "",
    statement: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> PenaltyProposal:
    """Escalate an overdue or unrectified order: propose a penalty case.

    A refusal (两高解释（二）Art. 3) to rectify a 重大事故隐患 after the order is flagged as
    suspected 危险作业罪 (刑法 Art. 134-1 (2)) for transfer. Then the unit is checked
    against 安全生产法 Art. 113 (1).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if refused and refusal_kind not in RefusalKind.values:
        errors["refusal_kind"] = [_("Say what the refusal consisted of.")]
    if not statement.strip():
        errors["statement"] = [_("State the facts: what was ordered, what was found.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    order = transition_apply(
        workflow=ORDER,
        queryset=_own_orders(actor, order_id),
        pk=order_id,
        action="escalate",
        actor=actor,
        jurisdiction_code=lambda o: o.jurisdiction_code,
        expected_version=expected_version,
        reason=statement,
        params={"today": today, "refused": refused},
        today=today,
    )
    open_lines = list(
        OrderLine.objects.filter(order=order, state=LineState.OPEN).select_related("finding")
    )
    findings = [line.finding for line in open_lines]
    major = any(f.grade == HazardGrade.MAJOR for f in findings)
    suspected_crime = bool(refused and major)
    articles = [rules.HAZARD_NOT_REMOVED] + sorted({f.violated_article for f in findings})
    proposal = PenaltyProposal.objects.create(
        order=order,
        enterprise=order.enterprise,
        agency=order.agency,
        jurisdiction_code=order.jurisdiction_code,
        reason=EscalationReason.REFUSED if refused else EscalationReason.OVERDUE,
        refusal_kind=refusal_kind if refused else "",
        major_hazard=major,
        articles=articles,
        suspected_crime=suspected_crime,
        crime_basis=rules.CRIME_BASIS if suspected_crime else "",
        statement=statement.strip(),
        proposed_by=actor,
        proposed_on=today,
    )
    proposal.findings.set(findings)
    # the hazards are still there: they stay open (and overdue) until they are removed
    OrderLine.objects.filter(pk__in=[line.pk for line in open_lines]).update(
        state=LineState.ESCALATED
    )
    record_append(
        kind=RecordKind.PENALTY_PROPOSED,
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        subject=proposal,
        payload={
            "order": order.pk,
            "reason": proposal.reason,
            "refusal_kind": proposal.refusal_kind,
            "major_hazard": major,
            "suspected_crime": suspected_crime,
            "crime_basis": proposal.crime_basis,
            "articles": articles,
        },
    )
    closure_check_evaluate(actor=actor, enterprise_id=order.enterprise_id, on=today)
    return proposal


def penalty_count(enterprise_id: int, since: dt.date, until: dt.date) -> int:
    """Administrative penalties the unit received in the window (since, until]: the
    decided penalty cases, by either procedure."""
    from inspectorate.cases.models import Case, Outcome

    return Case.objects.filter(
        enterprise_id=enterprise_id,
        outcome=Outcome.PENALTY,
        decided_on__gt=since,
        decided_on__lte=until,
    ).count()


def closure_check_evaluate(*, actor: Any, enterprise_id: int, on: dt.date) -> ClosureCheck | None:
    """安全生产法 Art. 113 (1): open a closure check when a unit with a major accident hazard
    was penalised 3 times within 180 days or 4 times within a year."""
    has_major = Finding.objects.filter(
        enterprise_id=enterprise_id,
        grade=HazardGrade.MAJOR,
        status=FindingStatus.OPEN,
    ).exists()
    if not has_major:
        return None
    if ClosureCheck.objects.filter(
        enterprise_id=enterprise_id, state=ClosureCheckState.OPEN
    ).exists():
        return None
    for window in rules.CLOSURE_WINDOWS:
        count = penalty_count(enterprise_id, on - dt.timedelta(days=window.days), on)
        if count >= window.penalties:
            from inspectorate.registry.models import Enterprise

            enterprise = Enterprise.objects.get(pk=enterprise_id)
            check = ClosureCheck.objects.create(
                enterprise=enterprise,
                jurisdiction_code=enterprise.jurisdiction_id,
                opened_on=on,
                window_days=window.days,
                count=count,
                basis=rules.CLOSURE_BASIS,
            )
            record_append(
                kind=RecordKind.CLOSURE_CHECK_OPENED,
                actor=actor,
                jurisdiction_code=enterprise.jurisdiction_id,
                subject=check,
                payload={"window_days": window.days, "count": count, "basis": rules.CLOSURE_BASIS},
            )
            return check
    return None
