"""Every write of the transfer of suspected crimes: flagging a case, dismissing a flag, the
special team's report, the head's decision, the transfer with its documents, and the
police's answers as the police gave them (numbers and dates of their notices).

Each service checks who acts (the office that runs the case; the head where the
regulation names the head), changes the row through the workflow table, starts and stops
the deadlines of ``referrals.rules``, issues its document and appends the enforcement
record, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.cases.models import Case, CaseState
from inspectorate.cases.selectors import case_queryset_for_user
from inspectorate.core.deadlines import DeadlineRule, deadline_start, deadline_stop
from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.referrals import documents as referral_documents
from inspectorate.referrals import rules
from inspectorate.referrals.models import (
    AttachmentKind,
    Referral,
    ReferralAttachment,
    ReferralFlag,
    ReferralMember,
    ReferralState,
)
from inspectorate.referrals.selectors import flag_queryset_for_user, referral_queryset_for_user
from inspectorate.referrals.workflows import FLAG, REFERRAL

Errors = dict[str, list[str]]
_STAFF = (Role.OFFICER, Role.TEAM_LEAD, Role.HEAD)
_OFFICERS = (Role.OFFICER, Role.TEAM_LEAD)


# ---------------------------------------------------------------------------------------
# who may act
# ---------------------------------------------------------------------------------------


def _own(visible: Any, actor: Any, pk: Any) -> Any:
    """The rows of the actor's office: one the actor sees but another office runs (an upper
    level looking at a county's) is refused, not hidden."""
    if str(pk).isdigit() and visible.filter(pk=pk).exclude(agency=actor.agency_id).exists():
        raise PermissionDenied(_("Only the office that runs the case acts on it."))
    return visible.filter(agency=actor.agency_id)


def _own_case(actor: Any, case_id: Any) -> Case:
    qs = _own(case_queryset_for_user(user=actor), actor, case_id)
    try:
        case: Case = qs.select_for_update(of=("self",)).select_related("agency").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    return case


def _own_flags(actor: Any, flag_id: Any) -> Any:
    return _own(flag_queryset_for_user(user=actor), actor, flag_id)


def _own_referrals(actor: Any, referral_id: Any) -> Any:
    return _own(referral_queryset_for_user(user=actor), actor, referral_id)


def _require_staff(actor: Any, *roles: str) -> None:
    if actor.agency_id is None or not actor.has_role(*roles):
        raise PermissionDenied(_("Your role may not perform this action."))


def _start(rule: DeadlineRule, subject: Any, start: dt.date) -> Deadline:
    return deadline_start(
        rule=rule, subject=subject, jurisdiction_code=subject.jurisdiction_code, start_date=start
    )


def _record(kind: RecordKind, actor: Any, subject: Any, payload: dict[str, Any]) -> None:
    record_append(
        kind=kind,
        actor=actor,
        jurisdiction_code=subject.jurisdiction_code,
        subject=subject,
        payload=payload,
    )


def _bump(obj: Any, *fields: str) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version"])


def _date(value: Any, field: str, *, today: dt.date, not_before: dt.date | None = None) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationFailed.of_fields({field: [_("Enter a date.")]})
    if value > today:
        raise ValidationFailed.of_fields({field: [_("This date is in the future.")]})
    if not_before is not None and value < not_before:
        raise ValidationFailed.of_fields(
            {field: [_("This date is before %(day)s.") % {"day": not_before.isoformat()}]}
        )
    return value


def _text(value: Any, field: str, errors: Errors, message: str, limit: int = 0) -> str:
    text = str(value or "").strip()
    if not text:
        errors[field] = [message]
    return text[:limit] if limit else text


# ---------------------------------------------------------------------------------------
# screening
# ---------------------------------------------------------------------------------------


@transaction.atomic
def screening_flag(
    *, actor: Any, case_id: Any, trigger_code: str, facts: dict[str, Any], today: dt.date
) -> ReferralFlag:
    """Flag a case that met a transfer trigger (国务院令310 Art. 3): the facts are checked
    against the trigger's thresholds in force on ``today``. Once per case and trigger: a
    second call returns the flag already there. Starts the special team's report limit."""
    _require_staff(actor, *_STAFF)
    case = _own_case(actor, case_id)
    trigger = rules.trigger_in_force(str(trigger_code), today)
    if trigger is None:
        raise ValidationFailed.of_fields(
            {"trigger_code": [_("Choose a transfer trigger in force on that day.")]}
        )
    evaluation = rules.evaluate(trigger, facts or {})
    if evaluation.errors:
        raise ValidationFailed.of_fields(evaluation.errors)
    existing = ReferralFlag.objects.filter(case=case, trigger_code=trigger.code).first()
    if existing is not None:
        return existing
    if case.state == CaseState.TRANSFERRED:
        raise IllegalTransition(_("This case has already been transferred."))
    flag = ReferralFlag.objects.create(
        case=case,
        trigger=trigger,
        trigger_code=trigger.code,
        agency=case.agency,
        jurisdiction_code=case.jurisdiction_code,
        facts=evaluation.facts,
        automatic=bool(facts.get("automatic")) if isinstance(facts, Mapping) else False,
        flagged_by=actor,
        flagged_on=today,
        flagged_at=timezone.now(),
    )
    deadline = _start(rules.REPORT, flag, today)
    _record(
        RecordKind.REFERRAL_FLAGGED,
        actor,
        flag,
        {
            "case": case.pk,
            "trigger": trigger.code,
            "crime": trigger.crime,
            "article": trigger.criminal_article,
            "citation": trigger.citation,
            "facts": evaluation.facts,
            "met_by": list(evaluation.reasons),
            "report_due": deadline.due_date,
        },
    )
    return flag


def flag_from_proposal(*, actor: Any, case: Case, today: dt.date) -> ReferralFlag | None:
    """The automatic flag of a case opened from a penalty proposal that found a refused
    order on a 重大事故隐患 (刑法 Art. 134-1 (2); 两高解释（二）Art. 3)."""
    proposal = case.proposal
    if proposal is None or not proposal.suspected_crime:
        return None
    order = proposal.order
    number = order.document.number if order.document_id and order.document else f"#{order.pk}"
    return screening_flag(
        actor=actor,
        case_id=case.pk,
        trigger_code="refused_major_hazard",
        facts={
            "order": number,
            "conduct": proposal.refusal_kind or "no_reason",
            "automatic": True,
        },
        today=today,
    )


@transaction.atomic
def flag_dismiss(
    *,
    actor: Any,
    flag_id: Any,
    reasons: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> ReferralFlag:
    """The head finds no suspected crime: the written reasons are kept; the case goes on
    administratively (the audit lists dismissed flags for review)."""
    today = today or timezone.localdate()
    flag: ReferralFlag = transition_apply(
        workflow=FLAG,
        queryset=_own_flags(actor, flag_id),
        pk=flag_id,
        action="dismiss",
        actor=actor,
        jurisdiction_code=lambda f: f.jurisdiction_code,
        expected_version=expected_version,
        reason=reasons,
        params={"today": today},
        today=today,
    )
    flag.dismissed_by = actor
    flag.dismissed_on = today
    flag.dismissal_reasons = reasons.strip()
    flag.save(update_fields=["dismissed_by", "dismissed_on", "dismissal_reasons"])
    return flag


# ---------------------------------------------------------------------------------------
# the special team and its report
# ---------------------------------------------------------------------------------------


def _team(actor: Any, ids: Iterable[Any], on: dt.date) -> list[tuple[User, str]]:
    """Art. 5: two or more officers of the office, each with a valid certificate."""
    chosen: list[int] = []
    for raw in ids:
        if not str(raw).isdigit():
            raise ValidationFailed.of_fields({"team": [_("Choose officers of your office.")]})
        if int(raw) not in chosen:
            chosen.append(int(raw))
    if len(chosen) < rules.TEAM_MIN:
        raise ValidationFailed.of_fields(
            {
                "team": [
                    _("A special team has at least %(n)s officers (国务院令310 Art. 5).")
                    % {"n": rules.TEAM_MIN}
                ]
            }
        )
    users = {u.pk: u for u in User.objects.filter(pk__in=chosen, agency=actor.agency_id)}
    team: list[tuple[User, str]] = []
    problems: list[str] = []
    for pk in chosen:
        user = users.get(pk)
        if user is None or not user.is_active or not user.has_role(*_OFFICERS):
            problems.append(_("Choose enforcement officers of your office."))
            continue
        certificate = user.valid_certificate(on)
        if certificate is None:
            problems.append(
                _("%(name)s holds no valid enforcement certificate that day.")
                % {"name": user.get_full_name()}
            )
            continue
        team.append((user, certificate.number))
    if problems:
        raise ValidationFailed.of_fields({"team": list(dict.fromkeys(problems))})
    return team


def _items(raw: Any, field: str) -> list[dict[str, str]]:
    """Rows of a list of items: name, quantity, note (name and quantity required)."""
    rows: list[dict[str, str]] = []
    if raw in (None, ""):
        return rows
    if not isinstance(raw, list | tuple):
        raise ValidationFailed.of_fields({field: [_("Give the items as a list.")]})
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise ValidationFailed.of_fields({field: [_("Give the items as a list.")]})
        name = str(item.get("name", "")).strip()
        quantity = str(item.get("quantity", "")).strip()
        if not name or not quantity:
            raise ValidationFailed.of_fields(
                {field: [_("Item %(n)s: give its name and quantity.") % {"n": n}]}
            )
        rows.append(
            {
                "name": name[:128],
                "quantity": quantity[:32],
                "note": str(item.get("note", "")).strip()[:255],
            }
        )
    return rows


@transaction.atomic
def referral_open(
    *,
    actor: Any,
    flag_id: Any,
    team_ids: Sequence[Any],
    report: str,
    police: str,
    items: Any = None,
    today: dt.date | None = None,
) -> Referral:
    """The special team (≥ 2 certified officers, Art. 5) drafts the written report on a
    flagged case; the flag becomes ``referred``."""
    today = today or timezone.localdate()
    _require_staff(actor, *_STAFF)
    if not str(flag_id).isdigit() or not _own_flags(actor, flag_id).filter(pk=flag_id).exists():
        raise NotFound()
    errors: Errors = {}
    report = _text(
        report,
        "report",
        errors,
        _("Write the report: the facts found and why they are a suspected crime."),
    )
    police = _text(
        police, "police", errors, _("Name the public security organ at the same level."), 128
    )
    if errors:
        raise ValidationFailed.of_fields(errors)
    rows = _items(items, "items")
    team = _team(actor, team_ids, today)
    flag: ReferralFlag = transition_apply(
        workflow=FLAG,
        queryset=_own_flags(actor, flag_id),
        pk=flag_id,
        action="refer",
        actor=actor,
        jurisdiction_code=lambda f: f.jurisdiction_code,
        params={"today": today},
        today=today,
    )
    referral = Referral.objects.create(
        case_id=flag.case_id,
        flag=flag,
        agency_id=flag.agency_id,
        jurisdiction_code=flag.jurisdiction_code,
        suspected_crime=flag.trigger.crime[:64],
        police=police,
        report=report,
        items=rows,
        opened_by=actor,
        opened_on=today,
    )
    ReferralMember.objects.bulk_create(
        ReferralMember(referral=referral, officer=user, certificate=number) for user, number in team
    )
    _record(
        RecordKind.REFERRAL_OPENED,
        actor,
        referral,
        {
            "case": referral.case_id,
            "flag": flag.pk,
            "team": [user.pk for user, _n in team],
            "certificates": [number for _u, number in team],
            "police": police,
            "items": len(rows),
        },
    )
    return referral


def _apply(
    actor: Any,
    referral_id: Any,
    action: str,
    *,
    version: int | None,
    today: dt.date,
    reason: str = "",
    params: Mapping[str, Any] | None = None,
) -> Referral:
    referral: Referral = transition_apply(
        workflow=REFERRAL,
        queryset=_own_referrals(actor, referral_id),
        pk=referral_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda r: r.jurisdiction_code,
        expected_version=version,
        reason=reason,
        params={"today": today, **(params or {})},
        today=today,
    )
    return referral


@transaction.atomic
def referral_submit(
    *,
    actor: Any,
    referral_id: Any,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """The report goes to the head (正职负责人), who decides within 3 days (Art. 5 ¶2)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    referral = _apply(actor, referral_id, "submit", version=expected_version, today=today)
    referral.submitted_at = now
    referral.save(update_fields=["submitted_at"])
    deadline_stop(subject=referral.flag, kind=rules.REPORT.kind)
    _start(rules.APPROVAL, referral, today)
    return referral


@transaction.atomic
def referral_approve(
    *,
    actor: Any,
    referral_id: Any,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Approved: the transfer is due within 24 hours of this moment (Art. 5 ¶2)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    referral = _apply(actor, referral_id, "approve", version=expected_version, today=today)
    referral.decided_by = actor
    referral.decided_at = now
    referral.transfer_due_at = now + dt.timedelta(hours=rules.TRANSFER_HOURS)
    referral.save(update_fields=["decided_by", "decided_at", "transfer_due_at"])
    referral_documents.issue(
        DocumentKind.REFERRAL_APPROVAL, referral=referral, actor=actor, on=today
    )
    return referral


@transaction.atomic
def referral_refuse(
    *,
    actor: Any,
    referral_id: Any,
    reasons: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Not approved: the head's reasons are recorded (Art. 5 ¶2); the case goes on
    administratively."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    referral = _apply(
        actor, referral_id, "refuse", version=expected_version, today=today, reason=reasons
    )
    referral.decided_by = actor
    referral.decided_at = now
    referral.refusal_reasons = reasons.strip()
    referral.concluded_on = today
    referral.save(update_fields=["decided_by", "decided_at", "refusal_reasons", "concluded_on"])
    referral_documents.issue(
        DocumentKind.REFERRAL_APPROVAL, referral=referral, actor=actor, on=today
    )
    return referral


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    referral_id: Any,
    kind: str,
    title: str,
    today: dt.date | None = None,
) -> ReferralAttachment:
    """An inspection report, expert opinion (Art. 4) or other material (Art. 6 (4)–(5)),
    before the transfer; the letter, report and item list are issued at the transfer."""
    today = today or timezone.localdate()
    _require_staff(actor, *_STAFF)
    try:
        referral = _own_referrals(actor, referral_id).select_for_update().get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    errors: Errors = {}
    if kind not in (AttachmentKind.EXPERT, AttachmentKind.OTHER):
        errors["kind"] = [_("Choose an expert opinion or other material.")]
    title = _text(title, "title", errors, _("Say what the material is."), 255)
    if errors:
        raise ValidationFailed.of_fields(errors)
    if referral.state not in (
        ReferralState.DRAFTING,
        ReferralState.SUBMITTED,
        ReferralState.APPROVED,
    ):
        raise IllegalTransition(_("Materials are added before the transfer."))
    attachment = ReferralAttachment.objects.create(
        referral=referral, kind=kind, title=title, added_by=actor, added_on=today
    )
    _bump(referral)
    _record(
        RecordKind.REFERRAL_ATTACHMENT_ADDED,
        actor,
        referral,
        {"kind": kind, "title": title},
    )
    return attachment


@transaction.atomic
def referral_transfer(
    *,
    actor: Any,
    referral_id: Any,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """The case goes to the police with the attachments of Art. 6: the letter (移送书), the
    report, the list of items (issued now) and the expert opinions and other materials."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    referral = _apply(actor, referral_id, "transfer", version=expected_version, today=today)
    referral.transferred_at = now
    referral.save(update_fields=["transferred_at"])
    approval = referral_documents.latest(referral, DocumentKind.REFERRAL_APPROVAL)
    items = referral_documents.issue(
        DocumentKind.REFERRAL_ITEM_LIST, referral=referral, actor=actor, on=today
    )
    ReferralAttachment.objects.bulk_create(
        [
            ReferralAttachment(
                referral=referral,
                kind=AttachmentKind.REPORT,
                title=_("Investigation report on the suspected crime (in the approval form)"),
                document=approval,
                added_by=actor,
                added_on=today,
            ),
            ReferralAttachment(
                referral=referral,
                kind=AttachmentKind.ITEM_LIST,
                title=items.title,
                document=items,
                added_by=actor,
                added_on=today,
            ),
        ]
    )
    letter = referral_documents.issue(
        DocumentKind.REFERRAL_LETTER, referral=referral, actor=actor, on=today
    )
    ReferralAttachment.objects.create(
        referral=referral,
        kind=AttachmentKind.LETTER,
        title=letter.title,
        document=letter,
        added_by=actor,
        added_on=today,
    )
    late = referral.transfer_due_at is not None and now > referral.transfer_due_at
    _record(
        RecordKind.REFERRAL_ATTACHMENT_ADDED,
        actor,
        referral,
        {
            "letter": letter.number,
            "item_list": items.number,
            "report": approval.number if approval else "",
            "attachments": list(referral.attachments.values_list("kind", flat=True)),
            "due_at": referral.transfer_due_at,
            "late": late,
        },
    )
    return referral


@transaction.atomic
def referral_receipt(
    *,
    actor: Any,
    referral_id: Any,
    received_on: dt.date,
    signed_by: str,
    forwarded_to: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The police signed the receipt (Art. 7); their 3 days to decide run (Art. 8). Where
    the case was forwarded to the police with jurisdiction, the one named here."""
    today = today or timezone.localdate()
    errors: Errors = {}
    signed_by = _text(signed_by, "signed_by", errors, _("Who signed the receipt?"), 64)
    if errors:
        raise ValidationFailed.of_fields(errors)
    referral = _apply(actor, referral_id, "receipt", version=expected_version, today=today)
    transferred = timezone.localdate(referral.transferred_at) if referral.transferred_at else None
    received_on = _date(received_on, "received_on", today=today, not_before=transferred)
    referral.received_on = received_on
    referral.receipt_signed_by = signed_by
    referral.forwarded_to = forwarded_to.strip()[:128]
    referral.save(update_fields=["received_on", "receipt_signed_by", "forwarded_to"])
    _start(rules.POLICE_DECISION, referral, received_on)
    return referral


def _police_notice(
    document_number: str,
    decided_on: Any,
    notice_received_on: Any,
    today: dt.date,
    after: dt.date | None,
) -> tuple[str, dt.date, dt.date]:
    errors: Errors = {}
    number = _text(
        document_number, "document_number", errors, _("Give the number of the police's notice."), 64
    )
    if errors:
        raise ValidationFailed.of_fields(errors)
    decided = _date(decided_on, "decided_on", today=today, not_before=after)
    received = _date(notice_received_on, "notice_received_on", today=today, not_before=decided)
    return number, decided, received


def _transfer_case(actor: Any, referral: Referral, today: dt.date, number: str) -> str:
    """The police filed: the administrative case ends as transferred, where its state
    allows (a penalty already decided, such as a suspension, stays in force: Art. 11 ¶2)."""
    from inspectorate.cases.services import case_end
    from inspectorate.cases.workflows import CASE

    case = Case.objects.get(pk=referral.case_id)
    if CASE.get(case.state, "transfer") is None:
        return str(case.state)
    case_end(
        actor=actor,
        case_id=case.pk,
        action="transfer",
        reason=_("The police filed a criminal case (%(number)s).") % {"number": number},
        today=today,
    )
    return str(CaseState.TRANSFERRED)


@transaction.atomic
def referral_police_decide(
    *,
    actor: Any,
    referral_id: Any,
    accepted: bool,
    document_number: str,
    decided_on: dt.date,
    notice_received_on: dt.date,
    reasons: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The police's written answer (Art. 8): 立案 — the case is transferred and the items
    are due within 3 days (Art. 12); 不予立案 with its reasons — the office may ask for
    reconsideration within 3 days (Art. 9)."""
    today = today or timezone.localdate()
    if not accepted and not str(reasons).strip():
        raise ValidationFailed.of_fields({"reasons": [_("Give the reasons the police stated.")]})
    action = "police_accept" if accepted else "police_refuse"
    referral = _apply(actor, referral_id, action, version=expected_version, today=today)
    number, decided, received = _police_notice(
        document_number, decided_on, notice_received_on, today, referral.received_on
    )
    referral.police_decision = "accepted" if accepted else "refused"
    referral.police_document = number
    referral.police_decided_on = decided
    referral.police_notice_received_on = received
    referral.police_reasons = str(reasons).strip()
    referral.save(
        update_fields=[
            "police_decision",
            "police_document",
            "police_decided_on",
            "police_notice_received_on",
            "police_reasons",
        ]
    )
    if accepted:
        _start(rules.HANDOVER, referral, received)
        case_state = _transfer_case(actor, referral, today, number)
    else:
        _start(rules.RECONSIDERATION_REQUEST, referral, received)
        case_state = ""
    _record(
        RecordKind.REFERRAL_POLICE_ANSWER,
        actor,
        referral,
        {
            "decision": referral.police_decision,
            "document": number,
            "decided_on": decided,
            "received_on": received,
            "reasons": referral.police_reasons,
            "case_state": case_state,
        },
    )
    return referral


def _within(referral: Referral, kind: str, on: dt.date) -> None:
    deadline = Deadline.objects.filter(
        subject_type="referrals.referral",
        subject_id=str(referral.pk),
        kind=kind,
        met_at=None,
        cancelled_at=None,
    ).first()
    if deadline is not None and on > deadline.due_date:
        raise IllegalTransition(
            _("The 3 days for this (国务院令310 Art. 9) ended on %(day)s.")
            % {"day": deadline.due_date.isoformat()}
        )


@transaction.atomic
def referral_reconsideration_request(
    *,
    actor: Any,
    referral_id: Any,
    grounds: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """提请复议 within 3 days of the refusal notice (Art. 9 ¶1): the request is issued; the
    police decide within 3 days of receiving it (Art. 9 ¶2)."""
    today = today or timezone.localdate()
    errors: Errors = {}
    grounds = _text(grounds, "grounds", errors, _("Say why the police should file the case."))
    if errors:
        raise ValidationFailed.of_fields(errors)
    current = _own_referrals(actor, referral_id).filter(pk=referral_id).first()
    if current is not None and current.state == ReferralState.POLICE_REFUSED:
        _within(current, rules.RECONSIDERATION_REQUEST.kind, today)
    referral = _apply(
        actor,
        referral_id,
        "request_reconsideration",
        version=expected_version,
        today=today,
        reason=grounds,
    )
    referral.reconsideration_requested_on = today
    referral.save(update_fields=["reconsideration_requested_on"])
    referral_documents.issue(
        DocumentKind.REFERRAL_RECONSIDERATION,
        referral=referral,
        actor=actor,
        on=today,
        extra={"grounds": grounds},
    )
    _start(rules.RECONSIDERATION_DECISION, referral, today)
    return referral


@transaction.atomic
def referral_reconsideration_decide(
    *,
    actor: Any,
    referral_id: Any,
    accepted: bool,
    document_number: str,
    decided_on: dt.date,
    notice_received_on: dt.date,
    reasons: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The police's reconsideration decision (Art. 9 ¶2): filed — as an acceptance; upheld —
    the office may ask the procuratorate within 3 days."""
    today = today or timezone.localdate()
    if not accepted and not str(reasons).strip():
        raise ValidationFailed.of_fields({"reasons": [_("Give the reasons the police stated.")]})
    action = "reconsideration_accept" if accepted else "reconsideration_refuse"
    referral = _apply(actor, referral_id, action, version=expected_version, today=today)
    number, decided, received = _police_notice(
        document_number,
        decided_on,
        notice_received_on,
        today,
        referral.reconsideration_requested_on,
    )
    referral.reconsideration_document = number
    referral.reconsideration_decided_on = decided
    referral.reconsideration_notice_received_on = received
    if accepted:
        referral.police_decision = "accepted"
    referral.police_reasons = str(reasons).strip() or referral.police_reasons
    referral.save(
        update_fields=[
            "reconsideration_document",
            "reconsideration_decided_on",
            "reconsideration_notice_received_on",
            "police_decision",
            "police_reasons",
        ]
    )
    if accepted:
        _start(rules.HANDOVER, referral, received)
        case_state = _transfer_case(actor, referral, today, number)
    else:
        _start(rules.SUPERVISION_REQUEST, referral, received)
        case_state = ""
    _record(
        RecordKind.REFERRAL_POLICE_ANSWER,
        actor,
        referral,
        {
            "reconsideration": "accepted" if accepted else "upheld",
            "document": number,
            "decided_on": decided,
            "received_on": received,
            "case_state": case_state,
        },
    )
    return referral


@transaction.atomic
def referral_supervision_request(
    *,
    actor: Any,
    referral_id: Any,
    procuratorate: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """建议人民检察院立案监督 (Art. 9): after the refusal, or within 3 days of the
    reconsideration decision that upheld it."""
    today = today or timezone.localdate()
    errors: Errors = {}
    procuratorate = _text(procuratorate, "procuratorate", errors, _("Name the procuratorate."), 128)
    if errors:
        raise ValidationFailed.of_fields(errors)
    current = _own_referrals(actor, referral_id).filter(pk=referral_id).first()
    if current is not None:
        for kind in (rules.RECONSIDERATION_REQUEST.kind, rules.SUPERVISION_REQUEST.kind):
            _within(current, kind, today)
    referral = _apply(
        actor, referral_id, "propose_supervision", version=expected_version, today=today
    )
    referral.procuratorate = procuratorate
    referral.supervision_requested_on = today
    referral.save(update_fields=["procuratorate", "supervision_requested_on"])
    return referral


@transaction.atomic
def referral_supervision_outcome(
    *,
    actor: Any,
    referral_id: Any,
    filed: bool,
    outcome: str,
    concluded_on: dt.date,
    document_number: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The procuratorate's supervision concluded (Art. 9 ¶3): the police filed, or the
    refusal stands."""
    today = today or timezone.localdate()
    errors: Errors = {}
    outcome = _text(outcome, "outcome", errors, _("Record what the procuratorate concluded."))
    if filed and not str(document_number).strip():
        errors["document_number"] = [_("Give the number of the police's filing notice.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    action = "supervision_filed" if filed else "supervision_rejected"
    referral = _apply(actor, referral_id, action, version=expected_version, today=today)
    concluded_on = _date(
        concluded_on, "concluded_on", today=today, not_before=referral.supervision_requested_on
    )
    referral.supervision_outcome = outcome
    referral.supervision_concluded_on = concluded_on
    fields = ["supervision_outcome", "supervision_concluded_on"]
    case_state = ""
    if filed:
        referral.police_decision = "accepted"
        referral.police_document = str(document_number).strip()[:64]
        fields += ["police_decision", "police_document"]
        _start(rules.HANDOVER, referral, concluded_on)
        case_state = _transfer_case(actor, referral, today, referral.police_document)
    else:
        referral.concluded_on = concluded_on
        fields.append("concluded_on")
    referral.save(update_fields=fields)
    _record(
        RecordKind.REFERRAL_POLICE_ANSWER,
        actor,
        referral,
        {
            "supervision": "filed" if filed else "rejected",
            "outcome": outcome,
            "case_state": case_state,
        },
    )
    return referral


@transaction.atomic
def referral_accept_refusal(
    *,
    actor: Any,
    referral_id: Any,
    reasons: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The office accepts the police's refusal: it handles the case and imposes the
    administrative penalty due (Art. 10)."""
    today = today or timezone.localdate()
    referral = _apply(
        actor, referral_id, "accept_refusal", version=expected_version, today=today, reason=reasons
    )
    referral.concluded_on = today
    referral.save(update_fields=["concluded_on"])
    return referral


@transaction.atomic
def referral_hand_over(
    *,
    actor: Any,
    referral_id: Any,
    handed_over_on: dt.date,
    receiver: str,
    items: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """Items and materials handed over within 3 days of the filing notice (Art. 12), with
    the list of what was handed over and who received it."""
    today = today or timezone.localdate()
    errors: Errors = {}
    receiver = _text(receiver, "receiver", errors, _("Who received the items for the police?"), 64)
    if errors:
        raise ValidationFailed.of_fields(errors)
    rows = _items(items, "items")
    if not rows:
        raise ValidationFailed.of_fields({"items": [_("List what was handed over.")]})
    referral = _apply(actor, referral_id, "hand_over", version=expected_version, today=today)
    handed = _date(
        handed_over_on,
        "handed_over_on",
        today=today,
        not_before=referral.police_notice_received_on,
    )
    referral.handed_over_on = handed
    referral.handover_receiver = receiver
    referral.handover_list = rows
    referral.concluded_on = handed
    referral.save(
        update_fields=["handed_over_on", "handover_receiver", "handover_list", "concluded_on"]
    )
    _record(
        RecordKind.REFERRAL_ITEMS_HANDED_OVER,
        actor,
        referral,
        {"on": handed, "receiver": receiver, "items": rows},
    )
    return referral


@transaction.atomic
def referral_police_return(
    *,
    actor: Any,
    referral_id: Any,
    returned_on: dt.date,
    document_number: str,
    reasons: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Referral:
    """The police return a case that needs only an administrative penalty (Art. 13)."""
    today = today or timezone.localdate()
    errors: Errors = {}
    number = _text(
        document_number, "document_number", errors, _("Give the number of the police's letter."), 64
    )
    reasons = _text(reasons, "reasons", errors, _("Give the reasons the police stated."))
    if errors:
        raise ValidationFailed.of_fields(errors)
    referral = _apply(actor, referral_id, "police_return", version=expected_version, today=today)
    returned = _date(returned_on, "returned_on", today=today, not_before=referral.received_on)
    referral.returned_on = returned
    referral.return_document = number
    referral.return_reasons = reasons
    referral.concluded_on = returned
    referral.save(
        update_fields=["returned_on", "return_document", "return_reasons", "concluded_on"]
    )
    return referral
