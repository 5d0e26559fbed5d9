"""Every write of a penalty case: filing, investigation, review, notice, hearing, decision,
service, payment, enforcement, closing and archiving; and the simple procedure.

Each service checks who acts (the case's own office; the investigators for investigation
acts; anyone but an investigator for review, decision and the hearing chair), changes the
case through the workflow table where the state moves, issues its document and appends
the enforcement record, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.cases import discretion, rules
from inspectorate.cases import documents as case_documents
from inspectorate.cases.challenges import RESULT_RULES
from inspectorate.cases.law_data import DEFAULT_BENCHMARK
from inspectorate.cases.models import (
    ArrangementKind,
    Benchmark,
    Case,
    CaseEvidence,
    CaseExtension,
    CaseSource,
    CaseState,
    CaseViolation,
    ChallengeKind,
    ChallengeResult,
    ConsistencyFlag,
    DecisionChallenge,
    EnforcementApplication,
    EvidenceKind,
    Hearing,
    Interview,
    Outcome,
    PartyKind,
    Payment,
    PaymentArrangement,
    PaymentSuspension,
    Procedure,
    Provision,
    ProvisionParty,
    Review,
    Statement,
    SuspensionKind,
)
from inspectorate.cases.selectors import case_queryset_for_user, open_deadline
from inspectorate.cases.workflows import CASE
from inspectorate.core.deadlines import (
    DeadlineRule,
    deadline_extend,
    deadline_fixed,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadline_stop,
)
from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.models import DayCount, IssuedDocument
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.scoping import Scope
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import User
from inspectorate.org.roles import STAFF_ROLES, Role
from inspectorate.rectification.services import closure_check_evaluate
from inspectorate.registry.models import Enterprise

_OFFICER_ROLES = (Role.OFFICER, Role.TEAM_LEAD)
Errors = dict[str, list[str]]


# ---------------------------------------------------------------------------------------
# who may act
# ---------------------------------------------------------------------------------------


def _own_cases(actor: Any, case_id: Any) -> Any:
    """The cases of the actor's office. A case the actor may see but another office runs
    (an upper level looking at a county's case) is refused, not hidden."""
    visible = case_queryset_for_user(user=actor)
    if str(case_id).isdigit() and (
        visible.filter(pk=case_id).exclude(agency=actor.agency_id).exists()
    ):
        raise PermissionDenied(_("Only the office that runs the case acts on it."))
    return visible.filter(agency=actor.agency_id)


def _party_cases(actor: Any) -> Any:
    return case_queryset_for_user(user=actor)


def _locked(actor: Any, case_id: Any, *, party: bool = False) -> Case:
    qs = _party_cases(actor) if party and actor.has_role(Role.ENTERPRISE) else None
    if qs is None:
        qs = _own_cases(actor, case_id)
    try:
        case: Case = qs.select_for_update(of=("self",)).select_related("agency").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    return case


def _require_state(case: Case, *states: str) -> None:
    if case.state not in states:
        raise IllegalTransition(
            _("This cannot be done while the case is “%(state)s”.")
            % {"state": case.get_state_display()}
        )


def _require_investigator(case: Case, actor: Any) -> None:
    if actor.pk not in case.investigator_ids:
        raise PermissionDenied(_("Only the two investigators of the case may do this."))


def _colleague(actor: Any, user_id: Any, field: str, on: dt.date) -> tuple[User, str]:
    """A second certified officer of the actor's office (行政处罚法 Art. 42)."""
    errors: Errors = {}
    try:
        other = User.objects.get(pk=user_id, agency=actor.agency_id, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError):
        raise ValidationFailed.of_fields(
            {field: [_("Choose a second officer of your office.")]}
        ) from None
    if other.pk == actor.pk:
        errors[field] = [_("The second officer must be another person.")]
    elif not other.has_role(*_OFFICER_ROLES):
        errors[field] = [_("The second officer must be an enforcement officer.")]
    certificate = other.valid_certificate(on)
    if certificate is None and field not in errors:
        errors[field] = [_("The second officer holds no valid enforcement certificate that day.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    return other, certificate.number if certificate else ""


def _own_certificate(actor: Any, on: dt.date) -> str:
    certificate = actor.valid_certificate(on)
    if certificate is None:
        raise PermissionDenied(_("You hold no valid enforcement certificate that day."))
    number: str = certificate.number
    return number


def _apply(
    actor: Any,
    case_id: Any,
    action: str,
    *,
    version: int | None,
    today: dt.date,
    reason: str = "",
    params: Mapping[str, Any] | None = None,
    party: bool = False,
) -> Case:
    qs = _party_cases(actor) if party and actor.has_role(Role.ENTERPRISE) else None
    if qs is None:
        qs = _own_cases(actor, case_id)
    return transition_apply(
        workflow=CASE,
        queryset=qs,
        pk=case_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda c: c.jurisdiction_code,
        expected_version=version,
        reason=reason,
        params={"today": today, **(params or {})},
        today=today,
    )


def _record(
    kind: RecordKind, actor: Any, case: Case, payload: dict[str, Any], subject: Any = None
) -> None:
    record_append(
        kind=kind,
        actor=actor,
        jurisdiction_code=case.jurisdiction_code,
        subject=subject or case,
        payload={"case": case.pk, **payload},
    )


def _start(case: Case, kind: str, days: int, count: str, start: dt.date) -> Any:
    return deadline_start(
        rule=DeadlineRule(kind, days, DayCount(count), rules.LEGAL_BASIS[kind]),
        subject=case,
        jurisdiction_code=case.jurisdiction_code,
        start_date=start,
    )


def _bump(case: Case, *fields: str) -> None:
    """Save ``fields`` and the row version (for changes made outside a transition)."""
    case.version += 1
    case.save(update_fields=[*fields, "version"])


# ---------------------------------------------------------------------------------------
# the discretion engine on the stored law
# ---------------------------------------------------------------------------------------

_FACT_FIELDS = frozenset(discretion.Facts.__dataclass_fields__)


def provision_spec(provision: Provision) -> discretion.Provision:
    return discretion.Provision.from_dict(
        {
            "code": provision.code,
            "article": provision.article,
            "item": provision.item,
            "party": provision.party,
            "stage": provision.stage,
            "method": provision.method,
            "min_amount": provision.min_amount,
            "max_amount": provision.max_amount,
            "params": provision.params,
            "other_penalties": provision.other_penalties,
            "violation": provision.violation,
            "citation": provision.citation,
        }
    )


def benchmark_for(code: str, on: dt.date) -> tuple[Benchmark, discretion.Benchmark]:
    """The benchmark in force on ``on``: the province's own, else the national default."""
    from django.db.models import Q

    row = (
        Benchmark.objects.filter(jurisdiction_code__in=[code[:2], ""], effective_from__lte=on)
        .filter(Q(effective_until=None) | Q(effective_until__gte=on))
        .order_by("-jurisdiction_code", "-effective_from")
        .first()
    )
    if row is None:
        raise LookupError(f"No discretion benchmark in force on {on} for {code}")
    data = {
        "code": row.code,
        "name": row.name,
        "source": row.source,
        "bands": row.bands,
        "mitigated_floor": str(row.mitigated_floor),
        "round_to": row.round_to,
    }
    spec = discretion.Benchmark.from_dict(data)
    overrides = {
        (o.provision.code, o.tier): (o.min_amount, o.max_amount)
        for o in row.overrides.select_related("provision")
    }
    if overrides:
        spec = discretion.Benchmark(
            code=spec.code,
            name=spec.name,
            source=spec.source,
            bands=spec.bands,
            mitigated_floor=spec.mitigated_floor,
            round_to=spec.round_to,
            overrides=overrides,
        )
    return row, spec


def provision_in_force(code: str, on: dt.date) -> Provision:
    from django.db.models import Q

    found = (
        Provision.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(effective_until=None) | Q(effective_until__gte=on))
        .first()
    )
    if found is None:
        raise ValidationFailed.of_fields(
            {"provision": [_("Choose a provision of the law in force on the day of the act.")]}
        )
    return found


def facts_parse(raw: Mapping[str, Any]) -> discretion.Facts:
    """The circumstances as the engine takes them; unknown or malformed keys are field
    errors, never ignored."""
    errors: Errors = {}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("daily_original", "daily_order_date"):
            continue
        if key not in _FACT_FIELDS:
            errors[key] = [_("Unknown circumstance.")]
            continue
        default = discretion.Facts.__dataclass_fields__[key].default
        if isinstance(default, bool):
            values[key] = value in (True, "true", "on", "1", 1)
        elif key == "accident_grade":
            if value not in ("", "general", "larger", "major", "especially_major"):
                errors[key] = [_("Choose an accident grade.")]
            values[key] = value or ""
        elif value in (None, ""):
            values[key] = None
        else:
            try:
                number = int(value)
            except (TypeError, ValueError):
                errors[key] = [_("Enter a whole number of yuan.")]
                continue
            if number < 0:
                errors[key] = [_("Enter a whole number of yuan.")]
            values[key] = number
    if errors:
        raise ValidationFailed.of_fields(errors)
    return discretion.Facts(**values)


def _daily(raw: Mapping[str, Any], today: dt.date) -> tuple[int, int, dt.date] | None:
    """安全生产法 Art. 112: (original fine, days, order date) when asked for."""
    original, order_date = raw.get("daily_original"), raw.get("daily_order_date")
    if original in (None, "") and order_date in (None, ""):
        return None
    errors: Errors = {}
    try:
        amount = int(str(original))
        if amount <= 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["daily_original"] = [_("Enter the original fine in whole yuan.")]
        amount = 0
    try:
        day = dt.date.fromisoformat(str(order_date))
    except ValueError:
        errors["daily_order_date"] = [_("Enter the date of the correction order.")]
        day = today
    if errors:
        raise ValidationFailed.of_fields(errors)
    days, _total = discretion.daily_total(amount, day, today)
    return amount, days, day


def discretion_compute(
    *, jurisdiction_code: str, provision_code: str, facts: Mapping[str, Any], on: dt.date
) -> tuple[discretion.Recommendation, Provision, Benchmark]:
    """The recommendation for one violation (the calculator and the case use this)."""
    provision = provision_in_force(provision_code, on)
    parsed = facts_parse(facts)
    row, bench = benchmark_for(jurisdiction_code, on)
    try:
        rec = discretion.recommend(provision_spec(provision), parsed, bench)
    except discretion.DiscretionError as exc:
        raise ValidationFailed.of_fields({"facts": [str(exc)]}) from exc
    daily = _daily(facts, on)
    if daily is not None:
        original, days, order_day = daily
        total = original * days
        rec = discretion.Recommendation(
            outcome="penalty",
            tier=discretion.Tier.FIXED,
            range_min=total,
            range_max=total,
            amount=total,
            statutory_min=rec.statutory_min,
            statutory_max=rec.statutory_max,
            other_penalties=rec.other_penalties,
            reasons=(
                *rec.reasons,
                _(
                    "Continuing daily penalty (安全生产法 Art. 112): the original fine of "
                    "%(fine)s yuan for each of the %(days)s days from %(start)s to %(end)s: "
                    "%(total)s yuan."
                )
                % {
                    "fine": f"{original:,}",
                    "days": days,
                    "start": (order_day + dt.timedelta(days=1)).isoformat(),
                    "end": on.isoformat(),
                    "total": f"{total:,}",
                },
            ),
        )
    return rec, provision, row


# ---------------------------------------------------------------------------------------
# filing
# ---------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Any,
    enterprise_id: Any,
    source: str,
    summary: str,
    facts: str,
    act_date: dt.date,
    discovered_on: dt.date,
    second_investigator_id: Any,
    act_end_date: dt.date | None = None,
    endangered_life: bool = False,
    complex_case: bool = False,
    party_kind: str = PartyKind.UNIT,
    party_name: str = "",
    party_id_number: str = "",
    party_position: str = "",
    party_address: str = "",
    proposal_id: Any = None,
    source_reference: str = "",
    today: dt.date | None = None,
) -> Case:
    """Propose a case for filing (立案审批): two certified investigators, the party, the
    facts; the limitation period (行政处罚法 Art. 36) is checked here."""
    from inspectorate.rectification.models import PenaltyProposal, ProposalState

    today = today or timezone.localdate()
    if not actor.has_role(*_OFFICER_ROLES) or actor.agency_id is None:
        raise PermissionDenied(_("Only enforcement officers propose a case."))
    errors: Errors = {}
    if source not in CaseSource.values:
        errors["source"] = [_("Choose where the case comes from.")]
    if party_kind not in PartyKind.values:
        errors["party_kind"] = [_("Choose the kind of party.")]
    if not summary.strip():
        errors["summary"] = [_("State the cause of action.")]
    if not facts.strip():
        errors["facts"] = [_("State the facts found so far.")]
    if party_kind == PartyKind.PERSON and not party_name.strip():
        errors["party_name"] = [_("Name the person the case is against.")]
    if discovered_on > today:
        errors["discovered_on"] = [_("This date is in the future.")]
    visible = Enterprise.objects.filter(actor.scope.q("jurisdiction_id"))
    enterprise = visible.filter(pk=enterprise_id).first() if str(enterprise_id).isdigit() else None
    if enterprise is None:
        errors["enterprise"] = [_("Choose an enterprise in your jurisdiction.")]
    proposal = None
    if proposal_id not in (None, ""):
        proposal = (
            PenaltyProposal.objects.select_for_update()
            .filter(pk=proposal_id, agency=actor.agency_id)
            .first()
        )
        if proposal is None:
            errors["proposal"] = [_("Choose a penalty proposal of your office.")]
        elif proposal.state != ProposalState.PROPOSED:
            errors["proposal"] = [_("This proposal has already been handled.")]
        elif enterprise is not None and proposal.enterprise_id != enterprise.pk:
            errors["proposal"] = [_("The proposal concerns another enterprise.")]
    if errors or enterprise is None:
        raise ValidationFailed.of_fields(errors)
    rules.limitation_check(
        act_date=act_date,
        act_end_date=act_end_date,
        discovered_on=discovered_on,
        endangered=endangered_life,
    )
    own_certificate = _own_certificate(actor, today)
    second, second_certificate = _colleague(
        actor, second_investigator_id, "second_investigator", today
    )
    case = Case.objects.create(
        agency=actor.agency,
        jurisdiction_code=enterprise.jurisdiction_id,
        source=source,
        source_reference=source_reference.strip(),
        proposal=proposal,
        enterprise=enterprise,
        party_kind=party_kind,
        party_name=party_name.strip() if party_kind == PartyKind.PERSON else enterprise.name,
        party_id_number=party_id_number.strip(),
        party_position=party_position.strip(),
        party_address=party_address.strip(),
        summary=summary.strip(),
        facts=facts.strip(),
        act_date=act_date,
        act_end_date=act_end_date,
        discovered_on=discovered_on,
        endangered_life=endangered_life,
        complex_case=complex_case,
        filed_by=actor,
        applied_on=today,
        investigator_1=actor,
        investigator_2=second,
        certificate_1=own_certificate,
        certificate_2=second_certificate,
    )
    if proposal is not None:
        proposal.state = ProposalState.TAKEN
        proposal.save(update_fields=["state"])
    _record(
        RecordKind.CASE_OPENED,
        actor,
        case,
        {
            "source": source,
            "proposal": proposal.pk if proposal else None,
            "enterprise": enterprise.pk,
            "party_kind": party_kind,
            "investigators": [actor.pk, second.pk],
            "certificates": [own_certificate, second_certificate],
            "act_date": act_date,
            "discovered_on": discovered_on,
            "limitation_years": rules.limitation_years(endangered_life),
        },
    )
    if proposal is not None and proposal.suspected_crime:
        from inspectorate.referrals.services import flag_from_proposal

        flag_from_proposal(actor=actor, case=case, today=today)
    return case


@transaction.atomic
def filing_approve(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    """立案: the head approves; the 90-day decision limit (Art. 60) runs from today."""
    today = today or timezone.localdate()
    case = _apply(actor, case_id, "approve_filing", version=expected_version, today=today)
    case.filed_on = today
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    _start(case, rules.DECISION, the_rules.decision_days, DayCount.CALENDAR, today)
    document = case_documents.issue(DocumentKind.FILING_APPROVAL, case=case, actor=actor, on=today)
    case.number = document.number
    _bump(case, "filed_on", "number")
    return case


@transaction.atomic
def filing_reject(
    *,
    actor: Any,
    case_id: Any,
    reason: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    from inspectorate.rectification.models import ProposalState

    today = today or timezone.localdate()
    case = _apply(
        actor, case_id, "reject_filing", version=expected_version, today=today, reason=reason
    )
    if case.proposal_id is not None:
        proposal = case.proposal
        if proposal is None:  # pragma: no cover - the FK is set
            raise NotFound()
        proposal.state = ProposalState.DISMISSED
        proposal.save(update_fields=["state"])
    return case


# ---------------------------------------------------------------------------------------
# investigation
# ---------------------------------------------------------------------------------------


def _party_fits(case: Case, provision: Provision) -> bool:
    if case.party_kind == PartyKind.UNIT:
        return provision.party == ProvisionParty.UNIT
    return provision.party in (ProvisionParty.PERSON, ProvisionParty.PRINCIPAL)


@transaction.atomic
def violation_add(
    *,
    actor: Any,
    case_id: Any,
    provision_code: str,
    description: str,
    facts: Mapping[str, Any],
    act: int = 1,
    proposed: int | None = None,
    justification: str = "",
    today: dt.date | None = None,
) -> CaseViolation:
    """Record a violation with the engine's recommendation; an amount outside the
    recommended range needs a written justification, which the record keeps."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    _require_state(case, CaseState.INVESTIGATING)
    _require_investigator(case, actor)
    errors: Errors = {}
    if not description.strip():
        errors["description"] = [_("Describe the facts of this violation.")]
    if act < 1:
        errors["act"] = [_("Number the acts from 1.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    rec, provision, bench = discretion_compute(
        jurisdiction_code=case.jurisdiction_code,
        provision_code=provision_code,
        facts=facts,
        on=case.act_date,
    )
    if not _party_fits(case, provision):
        raise ValidationFailed.of_fields(
            {"provision": [_("This provision applies to another kind of party.")]}
        )
    amount = rec.amount if proposed is None else proposed
    if amount < 0:
        raise ValidationFailed.of_fields({"proposed": [_("Enter a whole number of yuan.")]})
    if not rec.allows(amount) and not justification.strip():
        raise ValidationFailed.of_fields(
            {
                "justification": [
                    _(
                        "%(amount)s yuan is outside the recommended %(low)s–%(high)s yuan: "
                        "write why."
                    )
                    % {
                        "amount": f"{amount:,}",
                        "low": f"{rec.range_min:,}",
                        "high": f"{rec.range_max:,}",
                    }
                ]
            }
        )
    if amount > rec.statutory_max and rec.tier != discretion.Tier.FIXED:
        raise ValidationFailed.of_fields(
            {
                "proposed": [
                    _("The law allows at most %(max)s yuan.") % {"max": f"{rec.statutory_max:,}"}
                ]
            }
        )
    violation = CaseViolation.objects.create(
        case=case,
        act=act,
        provision=provision,
        description=description.strip(),
        facts=dict(facts),
        tier=rec.tier,
        range_min=rec.range_min,
        range_max=rec.range_max,
        recommended=rec.amount,
        reasons=[str(r) for r in rec.reasons],
        proposed=amount,
        justification=justification.strip(),
        benchmark=bench,
    )
    _bump(case, "state")
    _record(
        RecordKind.CASE_VIOLATION_RECORDED,
        actor,
        case,
        {
            "violation": violation.pk,
            "provision": provision.code,
            "facts": dict(facts),
            "tier": rec.tier,
            "range": [rec.range_min, rec.range_max],
            "recommended": rec.amount,
            "proposed": amount,
            "justification": violation.justification,
            "benchmark": bench.pk,
        },
    )
    return violation


@transaction.atomic
def violation_remove(
    *, actor: Any, case_id: Any, violation_id: Any, today: dt.date | None = None
) -> None:
    case = _locked(actor, case_id)
    _require_state(case, CaseState.INVESTIGATING)
    _require_investigator(case, actor)
    deleted, _rows = CaseViolation.objects.filter(case=case, pk=violation_id).delete()
    if not deleted:
        raise NotFound()
    _bump(case, "state")
    _record(RecordKind.CASE_VIOLATION_REMOVED, actor, case, {"violation": violation_id})


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    case_id: Any,
    second_officer_id: Any,
    kind: str,
    description: str,
    collected_on: dt.date,
    file: Any = None,
    today: dt.date | None = None,
) -> CaseEvidence:
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    _require_state(case, CaseState.INVESTIGATING)
    _require_investigator(case, actor)
    errors: Errors = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = [_("Choose the kind of evidence (行政处罚法 Art. 46).")]
    if not description.strip():
        errors["description"] = [_("Describe the evidence.")]
    if collected_on > today:
        errors["collected_on"] = [_("This date is in the future.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    _own_certificate(actor, collected_on)
    second, _cert = _colleague(actor, second_officer_id, "second_officer", collected_on)
    evidence = CaseEvidence.objects.create(
        case=case,
        kind=kind,
        description=description.strip(),
        file=file,
        collected_on=collected_on,
        officer_1=actor,
        officer_2=second,
    )
    _record(
        RecordKind.CASE_EVIDENCE_ADDED,
        actor,
        case,
        {
            "evidence": evidence.pk,
            "kind": kind,
            "file_sha256": getattr(file, "sha256", None),
            "officers": [actor.pk, second.pk],
        },
    )
    return evidence


@transaction.atomic
def interview_add(
    *,
    actor: Any,
    case_id: Any,
    second_officer_id: Any,
    person: str,
    position: str,
    place: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    record: list[dict[str, str]],
    today: dt.date | None = None,
) -> Interview:
    """询问笔录 by two certified officers (行政处罚法 Arts. 42, 55)."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    _require_state(case, CaseState.INVESTIGATING)
    _require_investigator(case, actor)
    errors: Errors = {}
    if not person.strip():
        errors["person"] = [_("Name the person interviewed.")]
    if not place.strip():
        errors["place"] = [_("Say where the interview took place.")]
    if ended_at <= started_at:
        errors["ended_at"] = [_("The interview must end after it started.")]
    pairs = [{"q": str(p.get("q", "")).strip(), "a": str(p.get("a", "")).strip()} for p in record]
    if not pairs or any(not p["q"] or not p["a"] for p in pairs):
        errors["record"] = [_("Write each question with its answer.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    day = timezone.localdate(started_at)
    _own_certificate(actor, day)
    second, _cert = _colleague(actor, second_officer_id, "second_officer", day)
    interview = Interview.objects.create(
        case=case,
        person=person.strip(),
        position=position.strip(),
        place=place.strip(),
        started_at=started_at,
        ended_at=ended_at,
        record=pairs,
        officer_1=actor,
        officer_2=second,
    )
    interview.document = case_documents.issue(
        DocumentKind.INTERVIEW_RECORD, case=case, actor=actor, on=day, subject=interview
    )
    interview.save(update_fields=["document"])
    _record(
        RecordKind.CASE_INTERVIEW_RECORDED,
        actor,
        case,
        {"interview": interview.pk, "person": interview.person, "officers": [actor.pk, second.pk]},
    )
    return interview


def _totals(case: Case, field: str) -> tuple[int, set[int]]:
    """行政处罚法 Art. 29: per act, only the highest fine counts."""
    lines = list(case.violations.order_by("act", "id"))
    total, absorbed = discretion.one_fine_per_act((v.act, getattr(v, field) or 0) for v in lines)
    return total, {lines[i].pk for i in absorbed}


def _classify(case: Case, today: dt.date) -> None:
    """Whether the intended penalty gives a hearing, needs legal review or discussion."""
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    total, absorbed = _totals(case, "proposed")
    CaseViolation.objects.filter(case=case).update(absorbed=False)
    CaseViolation.objects.filter(pk__in=absorbed).update(absorbed=True)
    other = "、".join(
        sorted(
            {
                v.provision.other_penalties
                for v in case.violations.select_related("provision")
                if v.provision.other_penalties
            }
        )
    )
    heavy = rules.heavy_other_penalty(other)
    kind = case.party_kind
    case.other_penalties = other
    case.hearing_right = heavy or total >= rules.threshold(the_rules, "hearing", kind)
    case.legal_review_required = (
        heavy
        or case.complex_case
        or total >= rules.threshold(the_rules, "review", kind)
        or case.hearing_right
    )
    case.discussion_required = case.complex_case or total >= rules.threshold(
        the_rules, "discussion", kind
    )


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    case_id: Any,
    report: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    today = today or timezone.localdate()
    if not report.strip():
        raise ValidationFailed.of_fields({"report": [_("Write the investigation report.")]})
    case = _apply(actor, case_id, "submit_report", version=expected_version, today=today)
    case.report = report.strip()
    _classify(case, today)
    case.save(
        update_fields=[
            "report",
            "other_penalties",
            "hearing_right",
            "legal_review_required",
            "discussion_required",
        ]
    )
    case_documents.issue(DocumentKind.INVESTIGATION_REPORT, case=case, actor=actor, on=today)
    return case


# ---------------------------------------------------------------------------------------
# review, legal review, collective discussion, notice
# ---------------------------------------------------------------------------------------

REVIEW_ACTIONS = ("return_investigation", "to_legal_review", "to_discussion", "notify")
LEGAL_ACTIONS = ("legal_return", "legal_to_discussion", "legal_notify")
DISCUSSION_ACTIONS = ("discussion_notify", "discussion_return")


@transaction.atomic
def review_conclude(
    *,
    actor: Any,
    case_id: Any,
    action: str,
    opinion: str,
    complex_case: bool | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """案件审理 by someone who did not investigate; routes to legal review, collective
    discussion or the notice as the rules require."""
    today = today or timezone.localdate()
    if action not in REVIEW_ACTIONS:
        raise ValidationFailed.of_fields({"action": [_("Choose what the review concludes.")]})
    if not opinion.strip():
        raise ValidationFailed.of_fields({"opinion": [_("Write the review opinion.")]})
    if complex_case is not None:
        case = _locked(actor, case_id)
        _require_state(case, CaseState.REVIEWING)
        if case.complex_case != complex_case:
            case.complex_case = complex_case
            _classify(case, today)
            case.save(
                update_fields=["complex_case", "discussion_required", "legal_review_required"]
            )
    reason = opinion if action == "return_investigation" else ""
    case = _apply(actor, case_id, action, version=expected_version, today=today, reason=reason)
    case.reviewer = actor
    case.save(update_fields=["reviewer"])
    return _review_concluded(case, actor, Review.Step.CASE, action, opinion, today)


@transaction.atomic
def legal_review_conclude(
    *,
    actor: Any,
    case_id: Any,
    action: str,
    opinion: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """法制审核 (行政处罚法 Art. 58) by a qualified reviewer who did not investigate."""
    today = today or timezone.localdate()
    if action not in LEGAL_ACTIONS:
        raise ValidationFailed.of_fields({"action": [_("Choose what the legal review concludes.")]})
    if not opinion.strip():
        raise ValidationFailed.of_fields({"opinion": [_("Write the legal review opinion.")]})
    reason = opinion if action == "legal_return" else ""
    case = _apply(actor, case_id, action, version=expected_version, today=today, reason=reason)
    return _review_concluded(
        case,
        actor,
        Review.Step.LEGAL,
        action,
        opinion,
        today,
        document=DocumentKind.LEGAL_REVIEW_OPINION,
    )


@transaction.atomic
def discussion_conclude(
    *,
    actor: Any,
    case_id: Any,
    action: str,
    participants: str,
    record: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """集体讨论 (行政处罚法 Art. 57 ¶2), chaired by the head."""
    today = today or timezone.localdate()
    errors: Errors = {}
    if action not in DISCUSSION_ACTIONS:
        errors["action"] = [_("Choose what the discussion concludes.")]
    if not participants.strip():
        errors["participants"] = [_("List who took part.")]
    if not record.strip():
        errors["record"] = [_("Write the record of the discussion.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    reason = record if action == "discussion_return" else ""
    case = _apply(actor, case_id, action, version=expected_version, today=today, reason=reason)
    return _review_concluded(
        case,
        actor,
        Review.Step.DISCUSSION,
        action,
        record,
        today,
        document=DocumentKind.DISCUSSION_RECORD,
        participants=participants,
    )


def _review_concluded(
    case: Case,
    actor: Any,
    step: str,
    action: str,
    opinion: str,
    today: dt.date,
    *,
    document: str | None = None,
    participants: str = "",
) -> Case:
    """What every examination step leaves once the case has moved: the review row, its
    record event, its document (if the step has one) and, when the case reached the
    notice, the notice."""
    review = Review.objects.create(
        case=case,
        step=step,
        actor=actor,
        on=today,
        conclusion=action,
        opinion=opinion,
        participants=participants,
    )
    _record(RecordKind.CASE_REVIEWED, actor, case, {"step": step, "conclusion": action}, review)
    if document is not None:
        case_documents.issue(document, case=case, actor=actor, on=today)
    if case.state == CaseState.NOTIFIED:
        _notice(case, actor, today)
    return case


def _notice(case: Case, actor: Any, today: dt.date) -> None:
    """告知 (Art. 44): the intended penalty, the statement period and, where the penalty
    gives one, the right to a hearing (Arts. 63–64)."""
    _classify(case, today)
    total, absorbed = _totals(case, "proposed")
    for v in case.violations.all():
        v.notified = 0 if v.pk in absorbed else v.proposed
        v.save(update_fields=["notified"])
    case.notified_on = today
    case.notified_amount = total
    case.save(
        update_fields=[
            "notified_on",
            "notified_amount",
            "other_penalties",
            "hearing_right",
            "legal_review_required",
            "discussion_required",
        ]
    )
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    statement = _start(case, rules.STATEMENT, the_rules.statement_days, DayCount.WORKING, today)
    extra: dict[str, Any] = {"statement_until": statement.due_date}
    case_documents.issue(DocumentKind.PENALTY_NOTICE, case=case, actor=actor, on=today, extra=extra)
    if case.hearing_right:
        hearing = _start(
            case, rules.HEARING_REQUEST, the_rules.hearing_request_days, DayCount.WORKING, today
        )
        extra["hearing_until"] = hearing.due_date
        case_documents.issue(
            DocumentKind.HEARING_NOTICE, case=case, actor=actor, on=today, extra=extra
        )
    _record(
        RecordKind.CASE_NOTIFIED,
        actor,
        case,
        {
            "amount": total,
            "hearing_right": case.hearing_right,
            "statement_until": statement.due_date,
            "hearing_until": extra.get("hearing_until"),
        },
    )


# ---------------------------------------------------------------------------------------
# statement and hearing
# ---------------------------------------------------------------------------------------


@transaction.atomic
def statement_file(
    *, actor: Any, case_id: Any, text: str, waives: bool = False, today: dt.date | None = None
) -> Statement:
    """陈述申辩: the party on the portal, or officers recording what it said. It can never
    make the penalty heavier (Art. 45): the decision is capped at the amount notified."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id, party=True)
    if actor.has_role(Role.ENTERPRISE):
        pass
    elif not actor.has_role(*_OFFICER_ROLES):
        raise PermissionDenied(_("Your role may not perform this action."))
    _require_state(case, CaseState.NOTIFIED, CaseState.HEARING)
    if not text.strip():
        raise ValidationFailed.of_fields({"text": [_("Write the statement.")]})
    statement = Statement.objects.create(
        case=case, text=text.strip(), waives=waives, submitted_by=actor, submitted_on=today
    )
    _bump(case, "state")
    _record(
        RecordKind.CASE_STATEMENT_FILED,
        actor,
        case,
        {"statement": statement.pk, "waives": waives, "by_party": actor.has_role(Role.ENTERPRISE)},
        statement,
    )
    return statement


@transaction.atomic
def hearing_request(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    today = today or timezone.localdate()
    case = _apply(
        actor, case_id, "request_hearing", version=expected_version, today=today, party=True
    )
    Hearing.objects.create(case=case, requested_on=today, requested_by=actor)
    return case


@transaction.atomic
def hearing_schedule(
    *,
    actor: Any,
    case_id: Any,
    chair_id: Any,
    date: dt.date,
    place: str,
    notice_on: dt.date,
    public: bool = True,
    today: dt.date | None = None,
) -> Hearing:
    """The chair is not an investigator; the party is told 7 working days ahead (Art. 64)."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.LEGAL_REVIEWER):
        raise PermissionDenied(_("Your role may not perform this action."))
    _require_state(case, CaseState.HEARING)
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    errors: Errors = {}
    chair = (
        User.objects.filter(pk=chair_id, agency=case.agency_id, is_active=True).first()
        if (str(chair_id).isdigit())
        else None
    )
    if chair is None or not (chair.role_set & STAFF_ROLES):
        errors["chair"] = [_("Choose a chair from the office.")]
    elif chair.pk in case.investigator_ids:
        errors["chair"] = [_("The chair may not be an investigator of the case (Art. 64).")]
    if not place.strip():
        errors["place"] = [_("Say where the hearing takes place.")]
    if notice_on < today - dt.timedelta(days=30) or notice_on > date:
        errors["notice_on"] = [_("The notice is served before the hearing.")]
    else:
        earliest = rules.due(notice_on, the_rules.hearing_notice_days, DayCount.WORKING)
        if date < earliest:
            errors["date"] = [
                _(
                    "The party must be told %(days)s working days before the hearing "
                    "(行政处罚法 Art. 64): the earliest date is %(day)s."
                )
                % {"days": the_rules.hearing_notice_days, "day": earliest.isoformat()}
            ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    hearing = case.hearing
    hearing.chair = chair
    hearing.date = date
    hearing.place = place.strip()
    hearing.public = public
    hearing.notice_on = notice_on
    hearing.save()
    _bump(case, "state")
    _record(
        RecordKind.CASE_HEARING_SCHEDULED,
        actor,
        case,
        {"chair": chair_id, "date": date, "notice_on": notice_on, "public": public},
        hearing,
    )
    return hearing


@transaction.atomic
def hearing_hold(
    *,
    actor: Any,
    case_id: Any,
    record: str,
    party_present: bool = True,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    today = today or timezone.localdate()
    if not record.strip():
        raise ValidationFailed.of_fields({"record": [_("Write the hearing record.")]})
    case = _apply(actor, case_id, "hold_hearing", version=expected_version, today=today)
    hearing = case.hearing
    hearing.held_on = today
    hearing.record = record.strip()
    hearing.party_present = party_present
    hearing.save(update_fields=["held_on", "record", "party_present"])
    case_documents.issue(DocumentKind.HEARING_RECORD, case=case, actor=actor, on=today)
    return case


def proceed_to_decision(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    today = today or timezone.localdate()
    with transaction.atomic():
        return _apply(actor, case_id, "to_decision", version=expected_version, today=today)


# ---------------------------------------------------------------------------------------
# decision
# ---------------------------------------------------------------------------------------


def _fences(values: list[int]) -> tuple[int, int, int]:
    """(median, lower fence, upper fence): Tukey's 1.5 × IQR; ±20 % of the median when
    every comparable decision was the same."""
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    iqr = q3 - q1
    if iqr == 0:
        return round(median), round(median * 0.8), round(median * 1.2)
    return round(median), round(q1 - 1.5 * iqr), round(q3 + 1.5 * iqr)


#: Fewer comparable decisions than this say nothing about consistency.
MIN_SAMPLE = 5


def consistency_check(case: Case, today: dt.date) -> list[ConsistencyFlag]:
    """同案同罚: compare each decided amount with past decisions of the same provision and
    tier in the province; flag outliers for the reviewer and the upper level."""
    flags = []
    province = Scope(prefix=case.jurisdiction_code[:2])
    for v in case.violations.filter(absorbed=False, decided__gt=0):
        past = list(
            CaseViolation.objects.filter(
                province.q("case__jurisdiction_code"),
                provision_id=v.provision_id,
                tier=v.tier,
                decided__gt=0,
                absorbed=False,
            )
            .exclude(case_id=case.pk)
            .order_by("-case__decided_on", "-id")
            .values_list("decided", flat=True)[:500]
        )
        if len(past) < MIN_SAMPLE:
            continue
        median, low, high = _fences([p or 0 for p in past])
        amount = v.decided or 0
        if low <= amount <= high:
            continue
        flags.append(
            ConsistencyFlag.objects.create(
                violation=v,
                case=case,
                jurisdiction_code=case.jurisdiction_code,
                amount=amount,
                median=median,
                low=low,
                high=high,
                sample=len(past),
                direction="high" if amount > high else "low",
                flagged_on=today,
            )
        )
    return flags


def _amount(value: Any, field: str) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed.of_fields({field: [_("Enter a whole number of yuan.")]}) from None
    if number < 0:
        raise ValidationFailed.of_fields({field: [_("Enter a whole number of yuan.")]})
    return number


@transaction.atomic
def decide(
    *,
    actor: Any,
    case_id: Any,
    amounts: Mapping[Any, Any],
    justifications: Mapping[Any, str] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """行政处罚决定 by the head. Per violation: never more than notified (Art. 45); outside
    the recommended range only with a written justification. One fine per act (Art. 29)."""
    today = today or timezone.localdate()
    justifications = justifications or {}
    case = _apply(actor, case_id, "decide", version=expected_version, today=today)
    errors: Errors = {}
    violations = list(case.violations.select_related("provision").order_by("act", "id"))
    for v in violations:
        field = f"amount_{v.pk}"
        raw = amounts.get(v.pk, amounts.get(str(v.pk)))
        if raw in (None, ""):
            errors[field] = [_("Enter the amount decided.")]
            continue
        amount = _amount(raw, field)
        why = str(justifications.get(v.pk, justifications.get(str(v.pk), "")) or "").strip()
        if v.notified is not None and amount > v.notified:
            errors[field] = [
                _(
                    "The decision may not exceed the %(amount)s yuan notified: the party's "
                    "statement or hearing never makes the penalty heavier (行政处罚法 Art. 45)."
                )
                % {"amount": f"{v.notified:,}"}
            ]
            continue
        if not v.absorbed and not (v.range_min <= amount <= v.range_max) and not why:
            errors[f"justification_{v.pk}"] = [
                _("%(amount)s yuan is outside the recommended %(low)s–%(high)s yuan: write why.")
                % {
                    "amount": f"{amount:,}",
                    "low": f"{v.range_min:,}",
                    "high": f"{v.range_max:,}",
                }
            ]
        v.decided = 0 if v.absorbed else amount
        v.decision_justification = why
    if errors:
        raise ValidationFailed.of_fields(errors)
    for v in violations:
        v.save(update_fields=["decided", "decision_justification"])
    total, _absorbed = _totals(case, "decided")
    if total <= 0 and not case.other_penalties:
        raise ValidationFailed.of_fields(
            {"amounts": [_("Nothing is decided: decide not to penalise instead.")]}
        )
    case.fine = total
    case.decided_on = today
    case.decided_by = actor
    case.outcome = Outcome.PENALTY
    case.save(update_fields=["fine", "decided_on", "decided_by", "outcome"])
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    _start(case, rules.SERVICE, the_rules.service_days, DayCount.WORKING, today)
    decision = case_documents.issue(DocumentKind.PENALTY_DECISION, case=case, actor=actor, on=today)
    flags = consistency_check(case, today)
    _record(
        RecordKind.CASE_DECIDED,
        actor,
        case,
        {
            "fine": total,
            "amounts": {str(v.pk): v.decided for v in violations},
            "justifications": {str(v.pk): v.decision_justification for v in violations},
            "document": decision.number,
            "outliers": [f.pk for f in flags],
        },
    )
    closure_check_evaluate(actor=actor, enterprise_id=case.enterprise_id, on=today)
    for flag in flags:
        _record(
            RecordKind.CASE_CONSISTENCY_FLAGGED,
            actor,
            case,
            {
                "violation": flag.violation_id,
                "amount": flag.amount,
                "median": flag.median,
                "fences": [flag.low, flag.high],
                "sample": flag.sample,
            },
            flag,
        )
    return case


@transaction.atomic
def no_penalty(
    *,
    actor: Any,
    case_id: Any,
    reason: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """不予行政处罚 (Arts. 33, 57): decided by the head, with the reason."""
    today = today or timezone.localdate()
    case = _apply(
        actor, case_id, "no_penalty", version=expected_version, today=today, reason=reason
    )
    case.outcome = Outcome.NO_PENALTY
    case.decided_on = today
    case.decided_by = actor
    case.fine = 0
    case.save(update_fields=["outcome", "decided_on", "decided_by", "fine"])
    case_documents.issue(
        DocumentKind.PENALTY_DECISION, case=case, actor=actor, on=today, extra={"reason": reason}
    )
    return case


@transaction.atomic
def case_end(
    *,
    actor: Any,
    case_id: Any,
    action: str,
    reason: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Terminate (撤销) or transfer (移送) a case, with the head's reason."""
    today = today or timezone.localdate()
    if action not in ("terminate", "transfer"):
        raise ValidationFailed.of_fields({"action": [_("Choose terminate or transfer.")]})
    return _apply(actor, case_id, action, version=expected_version, today=today, reason=reason)


def _is_upper_office(actor: Any, case: Case) -> bool:
    """The actor's office is the one directly above the case's office."""
    if actor.agency is None:
        return False
    if case.agency.parent_id is not None:
        return bool(actor.agency_id == case.agency.parent_id)
    return bool(actor.agency.jurisdiction_id == case.agency.jurisdiction.parent_id)


@transaction.atomic
def case_extend(
    *, actor: Any, case_id: Any, level: str, days: int, reason: str, today: dt.date | None = None
) -> CaseExtension:
    """Extend the decision limit at one level of approval (本级 head / 上级 head), as the
    province's rules set them; each level once, within its days."""
    today = today or timezone.localdate()
    case = (
        case_queryset_for_user(user=actor)
        .select_for_update(of=("self",))
        .select_related("agency__jurisdiction")
        .filter(pk=case_id)
        .first()
        if str(case_id).isdigit()
        else None
    )
    if case is None:
        raise NotFound()
    if not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the head of an office approves an extension."))
    the_rules = rules.rules_for(case.jurisdiction_code, today)
    levels = {row["level"]: int(row["days"]) for row in the_rules.extension_levels}
    errors: Errors = {}
    if level not in levels:
        errors["level"] = [_("Choose a level of approval the rules provide.")]
    elif level == "head" and actor.agency_id != case.agency_id:
        raise PermissionDenied(_("The head of the office that runs the case approves this."))
    elif level == "upper" and not _is_upper_office(actor, case):
        raise PermissionDenied(_("The head of the office one level up approves this."))
    if level == "upper" and not case.extensions.filter(level="head").exists():
        errors["level"] = [_("The office's own head extends first.")]
    if level in levels and not 0 < days <= levels[level]:
        errors["days"] = [
            _("At this level the limit may be extended by 1 to %(days)s days.")
            % {"days": levels[level]}
        ]
    if not reason.strip():
        errors["reason"] = [_("A reason is required.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    deadline = open_deadline(case, rules.DECISION)
    if deadline is None:
        raise IllegalTransition(_("The decision limit is not running."))
    try:
        with transaction.atomic():
            extension = CaseExtension.objects.create(
                case=case,
                level=level,
                days=days,
                reason=reason.strip(),
                approved_by=actor,
                approved_on=today,
            )
    except IntegrityError:
        raise IllegalTransition(_("This level has already extended the limit.")) from None
    extended = deadline_extend(deadline_id=deadline.pk, approver=actor, days=days, reason=reason)
    _bump(case, "state")
    _record(
        RecordKind.CASE_EXTENDED,
        actor,
        case,
        {"level": level, "days": days, "reason": reason, "due_date": extended.due_date},
        extension,
    )
    return extension


def _decision_deadline_for_head(actor: Any, case_id: Any) -> Any:
    case = _locked(actor, case_id)
    if not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the head of the office pauses or resumes the limit."))
    deadline = open_deadline(case, rules.DECISION)
    if deadline is None:
        raise IllegalTransition(_("The decision limit is not running."))
    return case, deadline


@transaction.atomic
def decision_pause(*, actor: Any, case_id: Any, reason: str, today: dt.date | None = None) -> Any:
    """Stop the decision limit's clock for time the law does not count against the office
    (a hearing, an expert appraisal, testing), with the head's reason."""
    today = today or timezone.localdate()
    case, deadline = _decision_deadline_for_head(actor, case_id)
    paused = deadline_pause(deadline_id=deadline.pk, actor=actor, reason=reason, on=today)
    _bump(case, "state")
    return paused


@transaction.atomic
def decision_resume(*, actor: Any, case_id: Any, today: dt.date | None = None) -> Any:
    """Start the clock again; the due date moves by the days it stood still."""
    today = today or timezone.localdate()
    case, deadline = _decision_deadline_for_head(actor, case_id)
    resumed = deadline_resume(deadline_id=deadline.pk, actor=actor, on=today)
    _bump(case, "state")
    return resumed


@transaction.atomic
def execution_complete(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    """A decision with nothing (more) to pay — another penalty only, or paid — moves on to
    closing."""
    today = today or timezone.localdate()
    probe = _locked(actor, case_id)
    owed = payment_state(probe, today)["owed"]
    return _apply(
        actor, case_id, "paid", version=expected_version, today=today, params={"owed": owed}
    )


# ---------------------------------------------------------------------------------------
# service, payment, enforcement, closing
# ---------------------------------------------------------------------------------------


@transaction.atomic
def serve(
    *,
    actor: Any,
    case_id: Any,
    served_on: dt.date,
    method: str,
    recipient: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """送达 (Art. 61); the 15 days to pay run from service (Art. 67)."""
    today = today or timezone.localdate()
    errors: Errors = {}
    if not method.strip():
        errors["method"] = [_("Say how the decision was served.")]
    if not recipient.strip():
        errors["recipient"] = [_("Name who received it.")]
    if served_on > today:
        errors["served_on"] = [_("This date is in the future.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    case = _apply(actor, case_id, "serve", version=expected_version, today=today)
    if case.decided_on and served_on < case.decided_on:
        raise ValidationFailed.of_fields(
            {"served_on": [_("A decision cannot be served before it was made.")]}
        )
    the_rules = rules.rules_for(case.jurisdiction_code, served_on)
    case.served_on = served_on
    if case.fine:
        payment = _start(case, rules.PAYMENT, the_rules.payment_days, DayCount.CALENDAR, served_on)
        case.payment_due = payment.due_date
    case.save(update_fields=["served_on", "payment_due"])
    decision = (
        IssuedDocument.objects.filter(
            subject_type="cases.case", subject_id=str(case.pk), kind=DocumentKind.PENALTY_DECISION
        )
        .order_by("-id")
        .first()
    )
    case_documents.issue(
        DocumentKind.SERVICE_RECEIPT,
        case=case,
        actor=actor,
        on=served_on,
        extra={
            "method": method.strip(),
            "recipient": recipient.strip(),
            "document_number": getattr(decision, "number", ""),
            "document_title": getattr(decision, "title", ""),
        },
    )
    return case


def payment_state(case: Case, on: dt.date) -> dict[str, Any]:
    """What is owed on ``on``: fine, surcharge (capped, paused), paid, still owed."""
    if not case.fine or case.payment_due is None:
        zero = Decimal("0.00")
        return {"fine": case.fine or 0, "surcharge": zero, "paid": zero, "owed": zero}
    the_rules = rules.rules_for(case.jurisdiction_code, on)
    arrangement = getattr(case, "arrangement", None) if _has_arrangement(case) else None
    if arrangement is not None:
        schedule = [(dt.date.fromisoformat(d), Decimal(str(a))) for d, a in arrangement.schedule]
    else:
        schedule = [(case.payment_due, Decimal(case.fine))]
    extra, paid, owed = rules.outstanding(
        fine=case.fine,
        schedule=schedule,
        payments=[(p.paid_on, p.amount) for p in case.payments.all()],
        suspensions=[(s.started_on, s.ended_on) for s in case.suspensions.all()],
        on=on,
        rate=the_rules.surcharge_rate,
    )
    return {"fine": case.fine, "surcharge": extra, "paid": paid, "owed": owed, "schedule": schedule}


def _has_arrangement(case: Case) -> bool:
    return PaymentArrangement.objects.filter(case=case).exists()


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    case_id: Any,
    paid_on: dt.date,
    amount: Any,
    receipt_number: str,
    channel: str,
    today: dt.date | None = None,
) -> Payment:
    """The bank's receipt (罚缴分离, Art. 67): the office records it, it never collects.
    When nothing is owed any more, the case moves on to closing."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(*_OFFICER_ROLES):
        raise PermissionDenied(_("Your role may not perform this action."))
    _require_state(case, CaseState.EXECUTING, CaseState.ENFORCEMENT)
    errors: Errors = {}
    try:
        value = Decimal(str(amount)).quantize(rules.CENT)
        if value <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["amount"] = [_("Enter the amount the bank received.")]
        value = Decimal(0)
    if not receipt_number.strip():
        errors["receipt_number"] = [_("Enter the bank's receipt number.")]
    elif Payment.objects.filter(receipt_number=receipt_number.strip()).exists():
        errors["receipt_number"] = [_("This receipt has already been recorded.")]
    if not channel.strip():
        errors["channel"] = [_("Say through which bank or channel it was paid.")]
    if paid_on > today or (case.served_on and paid_on < case.served_on):
        errors["paid_on"] = [_("The date must lie between service and today.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    before = payment_state(case, paid_on)
    if value > before["owed"]:
        raise ValidationFailed.of_fields(
            {"amount": [_("Only %(owed)s yuan is owed.") % {"owed": before["owed"]}]}
        )
    payment = Payment.objects.create(
        case=case,
        paid_on=paid_on,
        amount=value,
        receipt_number=receipt_number.strip(),
        channel=channel.strip(),
        recorded_by=actor,
    )
    after = payment_state(case, paid_on)
    _record(
        RecordKind.CASE_PAYMENT_RECORDED,
        actor,
        case,
        {
            "payment": payment.pk,
            "amount": value,
            "receipt": payment.receipt_number,
            "surcharge": after["surcharge"],
            "owed": after["owed"],
        },
        payment,
    )
    if after["owed"] <= 0:
        _apply(actor, case.pk, "paid", version=None, today=today, params={"owed": after["owed"]})
    else:
        _bump(case, "state")
    return payment


@transaction.atomic
def payment_arrange(
    *,
    actor: Any,
    case_id: Any,
    kind: str,
    schedule: list[tuple[dt.date, Any]],
    reason: str,
    today: dt.date | None = None,
) -> PaymentArrangement:
    """Deferral or instalments (Art. 66 ¶2), approved by the head before the fine is due."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the head approves deferral or instalments."))
    _require_state(case, CaseState.EXECUTING)
    if _has_arrangement(case):
        raise IllegalTransition(_("A payment arrangement has already been approved."))
    errors: Errors = {}
    if kind not in ArrangementKind.values:
        errors["kind"] = [_("Choose deferral or instalments.")]
    if not reason.strip():
        errors["reason"] = [_("Write the party's reason (financial difficulty).")]
    rows: list[tuple[dt.date, Decimal]] = []
    try:
        rows = sorted((d, Decimal(str(a)).quantize(rules.CENT)) for d, a in schedule)
    except (InvalidOperation, ValueError):
        errors["schedule"] = [_("Enter a date and an amount on each line.")]
    if rows:
        if kind == ArrangementKind.DEFERRAL and len(rows) != 1:
            errors["schedule"] = [_("A deferral has one new due date for the whole fine.")]
        elif kind == ArrangementKind.INSTALMENTS and len(rows) < 2:
            errors["schedule"] = [_("Instalments need at least two dates.")]
        elif sum(a for _d, a in rows) != Decimal(case.fine or 0):
            errors["schedule"] = [
                _("The amounts must add up to the fine of %(fine)s yuan.") % {"fine": case.fine}
            ]
        elif any(a <= 0 for _d, a in rows) or rows[0][0] < (case.payment_due or today):
            errors["schedule"] = [_("Each date falls on or after the present due date.")]
    elif "schedule" not in errors:
        errors["schedule"] = [_("Enter a date and an amount on each line.")]
    if case.payment_due and today > case.payment_due:
        errors["kind"] = [_("The fine is already overdue.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    arrangement = PaymentArrangement.objects.create(
        case=case,
        kind=kind,
        schedule=[[d.isoformat(), str(a)] for d, a in rows],
        reason=reason.strip(),
        approved_by=actor,
        approved_on=today,
    )
    deadline_stop(subject=case, kind=rules.PAYMENT)
    last = rows[-1][0]
    deadline_fixed(
        kind=rules.PAYMENT,
        legal_basis="《行政处罚法》第六十六条第二款",
        subject=case,
        jurisdiction_code=case.jurisdiction_code,
        start_date=today,
        due_date=last,
    )
    case.payment_due = last
    _bump(case, "payment_due")
    _record(
        RecordKind.CASE_PAYMENT_ARRANGED,
        actor,
        case,
        {"kind": kind, "schedule": arrangement.schedule, "reason": arrangement.reason},
        arrangement,
    )
    return arrangement


@transaction.atomic
def payment_suspend(
    *,
    actor: Any,
    case_id: Any,
    kind: str,
    reference: str,
    started_on: dt.date,
    today: dt.date | None = None,
) -> PaymentSuspension:
    """Reconsideration or litigation began: the surcharge stops (Art. 73 ¶3)."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(*_OFFICER_ROLES, Role.HEAD, Role.LEGAL_REVIEWER):
        raise PermissionDenied(_("Your role may not perform this action."))
    _require_state(case, CaseState.EXECUTING, CaseState.ENFORCEMENT)
    errors: Errors = {}
    if kind not in SuspensionKind.values:
        errors["kind"] = [_("Choose reconsideration or litigation.")]
    if not reference.strip():
        errors["reference"] = [_("Enter the reference of the application or suit.")]
    if started_on > today or (case.served_on and started_on < case.served_on):
        errors["started_on"] = [_("The date must lie between service and today.")]
    if case.suspensions.filter(ended_on=None).exists():
        errors["kind"] = [_("A reconsideration or suit is already running.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    suspension = PaymentSuspension.objects.create(
        case=case, kind=kind, reference=reference.strip(), started_on=started_on
    )
    _bump(case, "state")
    _record(
        RecordKind.CASE_PAYMENT_SUSPENDED,
        actor,
        case,
        {"kind": kind, "reference": suspension.reference, "from": started_on},
        suspension,
    )
    return suspension


@transaction.atomic
def payment_resume(
    *, actor: Any, case_id: Any, ended_on: dt.date, today: dt.date | None = None
) -> PaymentSuspension:
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(*_OFFICER_ROLES, Role.HEAD, Role.LEGAL_REVIEWER):
        raise PermissionDenied(_("Your role may not perform this action."))
    suspension = case.suspensions.filter(ended_on=None).first()
    if suspension is None:
        raise IllegalTransition(_("No reconsideration or suit is running."))
    if ended_on < suspension.started_on or ended_on > today:
        raise ValidationFailed.of_fields(
            {"ended_on": [_("The date must lie between the start and today.")]}
        )
    suspension.ended_on = ended_on
    suspension.save(update_fields=["ended_on"])
    _bump(case, "state")
    _record(RecordKind.CASE_PAYMENT_RESUMED, actor, case, {"until": ended_on}, suspension)
    return suspension


@transaction.atomic
def payment_remind(*, actor: Any, case_id: Any, today: dt.date | None = None) -> Case:
    """催告 (行政强制法 Art. 54): the notice urging payment, once the fine is overdue."""
    today = today or timezone.localdate()
    case = _locked(actor, case_id)
    if not actor.has_role(*_OFFICER_ROLES, Role.HEAD):
        raise PermissionDenied(_("Your role may not perform this action."))
    _require_state(case, CaseState.EXECUTING)
    if case.payment_due is None or today <= case.payment_due:
        raise IllegalTransition(_("The payment is not overdue."))
    state = payment_state(case, today)
    if state["owed"] <= 0:
        raise IllegalTransition(_("Nothing is owed."))
    case.reminded_on = today
    _bump(case, "reminded_on")
    case_documents.issue(
        DocumentKind.PAYMENT_REMINDER,
        case=case,
        actor=actor,
        on=today,
        extra={k: state[k] for k in ("surcharge", "paid", "owed")},
    )
    _record(
        RecordKind.CASE_REMINDED,
        actor,
        case,
        {"surcharge": state["surcharge"], "owed": state["owed"]},
    )
    return case


@transaction.atomic
def enforcement_apply(
    *,
    actor: Any,
    case_id: Any,
    court: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> EnforcementApplication:
    today = today or timezone.localdate()
    if not court.strip():
        raise ValidationFailed.of_fields({"court": [_("Name the court.")]})
    probe = _locked(actor, case_id)
    state = payment_state(probe, today)
    the_rules = rules.rules_for(probe.jurisdiction_code, today)
    case = _apply(
        actor,
        case_id,
        "apply_enforcement",
        version=expected_version,
        today=today,
        params={"owed": state["owed"], "rules": the_rules},
    )
    application = EnforcementApplication.objects.create(
        case=case, court=court.strip(), applied_on=today, amount=state["owed"], applied_by=actor
    )
    _record(
        RecordKind.CASE_ENFORCEMENT_APPLIED,
        actor,
        case,
        {"court": application.court, "amount": state["owed"]},
        application,
    )
    return application


@transaction.atomic
def enforcement_conclude(
    *,
    actor: Any,
    case_id: Any,
    result: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    today = today or timezone.localdate()
    case = _apply(
        actor,
        case_id,
        "enforcement_concluded",
        version=expected_version,
        today=today,
        reason=result,
    )
    EnforcementApplication.objects.filter(case=case).update(result=result.strip())
    return case


@transaction.atomic
def case_close(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    """结案审批."""
    today = today or timezone.localdate()
    case = _apply(actor, case_id, "close", version=expected_version, today=today)
    case.closed_on = today
    case.save(update_fields=["closed_on"])
    case_documents.issue(DocumentKind.CLOSING_APPROVAL, case=case, actor=actor, on=today)
    return case


@transaction.atomic
def case_archive(
    *, actor: Any, case_id: Any, expected_version: int | None = None, today: dt.date | None = None
) -> Case:
    """归档: the case file (案卷) is assembled in the official order as one PDF."""
    today = today or timezone.localdate()
    case = _apply(actor, case_id, "archive", version=expected_version, today=today)
    case.archived_on = today
    case.case_file = case_documents.case_file_build(case, actor=actor, on=today)
    case.save(update_fields=["archived_on", "case_file"])
    _record(
        RecordKind.CASE_FILE_ASSEMBLED,
        actor,
        case,
        {"document": case.case_file.number, "sha256": case.case_file.pdf_sha256},
    )
    return case


# ---------------------------------------------------------------------------------------
# simple procedure
# ---------------------------------------------------------------------------------------


@transaction.atomic
def simple_decide(
    *,
    actor: Any,
    second_officer_id: Any,
    enterprise_id: Any,
    provision_code: str,
    description: str,
    amount: Any,
    act_date: dt.date,
    place: str,
    party_kind: str = PartyKind.UNIT,
    party_name: str = "",
    party_id_number: str = "",
    facts: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Case:
    """当场处罚 (行政处罚法 Arts. 51–52): facts certain, a legal basis, and a fine within the
    simple-procedure caps (200 yuan for a person, 3,000 for a unit) or a warning; two
    officers; the decision is handed over at once and filed with the office."""
    today = today or timezone.localdate()
    if not actor.has_role(*_OFFICER_ROLES) or actor.agency_id is None:
        raise PermissionDenied(_("Only enforcement officers decide on the spot."))
    the_rules = rules.rules_for(actor.agency.jurisdiction_id, today)
    fine = _amount(amount, "amount")
    errors: Errors = {}
    if party_kind not in PartyKind.values:
        errors["party_kind"] = [_("Choose the kind of party.")]
    cap = rules.threshold(the_rules, "simple", party_kind)
    if fine > cap:
        errors["amount"] = [
            _(
                "On the spot at most %(cap)s yuan for this party (行政处罚法 Art. 51); use the "
                "general procedure."
            )
            % {"cap": f"{cap:,}"}
        ]
    if not description.strip():
        errors["description"] = [_("Describe the facts of this violation.")]
    if not place.strip():
        errors["place"] = [_("Say where the decision was made.")]
    if party_kind == PartyKind.PERSON and not party_name.strip():
        errors["party_name"] = [_("Name the person the case is against.")]
    if act_date > today:
        errors["act_date"] = [_("This date is in the future.")]
    enterprise = (
        Enterprise.objects.filter(actor.scope.q("jurisdiction_id"), pk=enterprise_id).first()
        if str(enterprise_id).isdigit()
        else None
    )
    if enterprise is None:
        errors["enterprise"] = [_("Choose an enterprise in your jurisdiction.")]
    if errors or enterprise is None:
        raise ValidationFailed.of_fields(errors)
    rec, provision, bench = discretion_compute(
        jurisdiction_code=enterprise.jurisdiction_id,
        provision_code=provision_code,
        facts=facts or {},
        on=act_date,
    )
    if fine > rec.statutory_max or (fine < rec.statutory_min and rec.tier != "mitigated"):
        raise ValidationFailed.of_fields(
            {
                "amount": [
                    _("The law allows %(low)s–%(high)s yuan for this provision.")
                    % {"low": f"{rec.statutory_min:,}", "high": f"{rec.statutory_max:,}"}
                ]
            }
        )
    own = _own_certificate(actor, today)
    second, second_cert = _colleague(actor, second_officer_id, "second_officer", today)
    case = Case.objects.create(
        agency=actor.agency,
        jurisdiction_code=enterprise.jurisdiction_id,
        procedure=Procedure.SIMPLE,
        source=CaseSource.INSPECTION,
        source_reference=place.strip(),
        enterprise=enterprise,
        party_kind=party_kind,
        party_name=party_name.strip() if party_kind == PartyKind.PERSON else enterprise.name,
        party_id_number=party_id_number.strip(),
        summary=provision.violation,
        facts=description.strip(),
        act_date=act_date,
        discovered_on=today,
        state=CaseState.EXECUTING,
        outcome=Outcome.PENALTY,
        filed_by=actor,
        applied_on=today,
        filed_on=today,
        investigator_1=actor,
        investigator_2=second,
        certificate_1=own,
        certificate_2=second_cert,
        decided_by=actor,
        decided_on=today,
        fine=fine,
        served_on=today,
    )
    CaseViolation.objects.create(
        case=case,
        provision=provision,
        description=description.strip(),
        facts=dict(facts or {}),
        tier=rec.tier,
        range_min=rec.range_min,
        range_max=rec.range_max,
        recommended=rec.amount,
        reasons=[str(r) for r in rec.reasons],
        proposed=fine,
        notified=fine,
        decided=fine,
        justification=_("Simple procedure within the statutory cap."),
        benchmark=bench,
    )
    if fine:
        payment = _start(case, rules.PAYMENT, the_rules.payment_days, DayCount.CALENDAR, today)
        case.payment_due = payment.due_date
    document = case_documents.issue(
        DocumentKind.SIMPLE_DECISION, case=case, actor=actor, on=today, extra={"place": place}
    )
    case.number = document.number
    case.save(update_fields=["payment_due", "number"])
    _record(
        RecordKind.CASE_SIMPLE_DECIDED,
        actor,
        case,
        {
            "provision": provision.code,
            "fine": fine,
            "cap": cap,
            "officers": [actor.pk, second.pk],
            "certificates": [own, second_cert],
            "document": document.number,
        },
    )
    closure_check_evaluate(actor=actor, enterprise_id=enterprise.pk, on=today)
    return case


# ---------------------------------------------------------------------------------------
# consistency flags
# ---------------------------------------------------------------------------------------


@transaction.atomic
def flag_acknowledge(
    *, actor: Any, flag_id: Any, text: str, today: dt.date | None = None
) -> ConsistencyFlag:
    """The reviewer or the upper level answers an outlier flag in writing."""
    if not actor.has_role(Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR):
        raise PermissionDenied(_("Your role may not perform this action."))
    flag = (
        ConsistencyFlag.objects.select_for_update(of=("self",))
        .filter(actor.scope.q("jurisdiction_code"), pk=flag_id)
        .select_related("case")
        .first()
        if str(flag_id).isdigit()
        else None
    )
    if flag is None:
        raise NotFound()
    if flag.acknowledged_by_id is not None:
        raise IllegalTransition(_("This flag has already been answered."))
    if not text.strip():
        raise ValidationFailed.of_fields({"text": [_("Write your assessment.")]})
    flag.acknowledged_by = actor
    flag.acknowledgement = text.strip()
    flag.save(update_fields=["acknowledged_by", "acknowledgement"])
    _record(RecordKind.CASE_FLAG_ACKNOWLEDGED, actor, flag.case, {"flag": flag.pk}, flag)
    return flag


def default_benchmark_data() -> dict[str, Any]:
    return dict(DEFAULT_BENCHMARK)


# ---------------------------------------------------------------------------------------
# reconsideration and lawsuits against the decision (行政复议 / 行政诉讼)
# ---------------------------------------------------------------------------------------

# the states of a case whose decision has been made (and may be challenged)
DECIDED_STATES = (
    CaseState.DECIDED,
    CaseState.EXECUTING,
    CaseState.ENFORCEMENT,
    CaseState.CLOSING,
    CaseState.CLOSED,
    CaseState.ARCHIVED,
)
# who records a challenge and its result: the officers, the legal reviewer and the head
CHALLENGE_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD)
_SUSPENSION_KIND = {
    ChallengeKind.RECONSIDERATION: SuspensionKind.REVIEW,
    ChallengeKind.LAWSUIT: SuspensionKind.LITIGATION,
}


@transaction.atomic
def challenge_record(
    *,
    actor: Any,
    case_id: Any,
    kind: str,
    body: str,
    reference: str,
    filed_on: dt.date,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> DecisionChallenge:
    """A reconsideration or lawsuit against the case's decision was filed.

    Only a decided case can be challenged, and one proceeding runs at a time (a party
    that applied for reconsideration sues after its decision, 行政复议法 Art. 29). While a
    fine is being executed, the late surcharge stops from the filing day (行政处罚法
    Art. 73 ¶3) through ``payment_suspend``, unless a suspension is already running.
    """
    today = today or timezone.localdate()
    if not actor.has_role(*CHALLENGE_ROLES):
        raise PermissionDenied(_("Your role may not perform this action."))
    case = _locked(actor, case_id)
    check_version(case.version, expected_version)
    if case.state not in DECIDED_STATES or case.decided_on is None:
        raise IllegalTransition(_("Only a decided case can be challenged."))
    if case.challenges.filter(result="").exists():
        raise IllegalTransition(_("A reconsideration or lawsuit is already running."))
    errors: Errors = {}
    if kind not in ChallengeKind.values:
        errors["kind"] = [_("Choose reconsideration or lawsuit.")]
    if not body.strip():
        errors["body"] = [_("Enter the reconsideration body or the court.")]
    if not reference.strip():
        errors["reference"] = [_("Enter the reference of the application or suit.")]
    if filed_on > today or filed_on < case.decided_on:
        errors["filed_on"] = [_("The date must lie between the decision and today.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    suspension = None
    paying = case.state in (CaseState.EXECUTING, CaseState.ENFORCEMENT) and bool(case.fine)
    if (
        paying
        and not case.suspensions.filter(ended_on=None).exists()
        and (case.served_on is None or filed_on >= case.served_on)
    ):
        suspension = payment_suspend(
            actor=actor,
            case_id=case.pk,
            kind=_SUSPENSION_KIND[ChallengeKind(kind)],
            reference=reference.strip(),
            started_on=filed_on,
            today=today,
        )
        case.refresh_from_db()
    else:
        _bump(case, "state")
    challenge = DecisionChallenge.objects.create(
        case=case,
        jurisdiction_code=case.jurisdiction_code,
        kind=kind,
        body=body.strip(),
        reference=reference.strip(),
        filed_on=filed_on,
        recorded_by=actor,
        suspension=suspension,
    )
    _record(
        RecordKind.CASE_CHALLENGE_RECORDED,
        actor,
        case,
        {
            "challenge": challenge.pk,
            "kind": kind,
            "body": challenge.body,
            "reference": challenge.reference,
            "filed_on": filed_on,
            "suspension": suspension.pk if suspension else None,
        },
        challenge,
    )
    return challenge


@transaction.atomic
def challenge_decide(
    *,
    actor: Any,
    case_id: Any,
    challenge_id: Any,
    result: str,
    result_on: dt.date,
    result_reference: str,
    note: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> DecisionChallenge:
    """The result of a reconsideration or lawsuit, with its date and document.

    The surcharge the filing suspended runs again from the result day when the decision
    stands (upheld, dismissed, withdrawn). When it is overturned the suspension is left
    open: the decision no longer stands as it was, and what the party owes follows the
    new decision, which this system does not compute.
    """
    today = today or timezone.localdate()
    if not actor.has_role(*CHALLENGE_ROLES):
        raise PermissionDenied(_("Your role may not perform this action."))
    case = _locked(actor, case_id)
    try:
        challenge = (
            DecisionChallenge.objects.select_for_update(of=("self",))
            .select_related("suspension")
            .get(pk=challenge_id, case=case)
        )
    except (DecisionChallenge.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    check_version(challenge.version, expected_version)
    if challenge.result:
        raise IllegalTransition(_("The result has already been recorded."))
    errors: Errors = {}
    if result not in ChallengeResult.values:
        errors["result"] = [_("Choose the result.")]
    if result_on > today or result_on < challenge.filed_on:
        errors["result_on"] = [_("The date must lie between the filing and today.")]
    if not result_reference.strip():
        errors["result_reference"] = [_("Enter the reference of the decision or judgment.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    rule = RESULT_RULES[result]
    challenge.result = result
    challenge.result_on = result_on
    challenge.result_reference = result_reference.strip()
    challenge.result_note = note.strip()
    challenge.decided_by = actor
    challenge.version += 1
    challenge.save()
    suspension = challenge.suspension
    resumed = False
    if suspension is not None and suspension.ended_on is None and not rule.overturned:
        payment_resume(actor=actor, case_id=case.pk, ended_on=result_on, today=today)
        resumed = True
    else:
        _bump(case, "state")
    _record(
        RecordKind.CASE_CHALLENGE_DECIDED,
        actor,
        case,
        {
            "challenge": challenge.pk,
            "result": result,
            "result_on": result_on,
            "reference": challenge.result_reference,
            "overturned": rule.overturned,
            "basis": rule.basis(challenge.kind),
            "surcharge_resumed": resumed,
        },
        challenge,
    )
    return challenge
