"""The penalty case's procedure, as a table (ARCHITECTURE rule 4; 行政处罚法 Chapter V).

| from          | action               | to            | who                       | guard                          |
|---------------|----------------------|---------------|---------------------------|--------------------------------|
| filing        | approve_filing       | investigating | head                      |                                |
| filing        | reject_filing        | not_filed     | head (reason)             |                                |
| investigating | submit_report        | reviewing     | an investigator           | violations, report             |
| reviewing     | return_investigation | investigating | reviewer (reason)         | not an investigator            |
| reviewing     | to_legal_review      | legal_review  | reviewer                  | not an investigator; required  |
| reviewing     | to_discussion        | discussion    | reviewer                  | no legal review; required      |
| reviewing     | notify               | notified      | reviewer                  | neither required               |
| legal_review  | legal_return         | reviewing     | legal reviewer (reason)   | qualified, not an investigator |
| legal_review  | legal_to_discussion  | discussion    | legal reviewer            | qualified; discussion required |
| legal_review  | legal_notify         | notified      | legal reviewer            | qualified; no discussion       |
| discussion    | discussion_notify    | notified      | head                      | not an investigator            |
| discussion    | discussion_return    | reviewing     | head (reason)             |                                |
| notified      | request_hearing      | hearing       | enterprise, officers      | right to a hearing; in time    |
| notified      | to_decision          | deciding      | officers, reviewers       | period over, or waived         |
| hearing       | hold_hearing         | deciding      | the chair                 | scheduled; date reached        |
| deciding      | decide               | decided       | head                      | not an investigator; no fine   |
|               |                      |               |                           |  alone while a transfer is     |
|               |                      |               |                           |  pending (国务院令310 Art. 11)  |
| reviewing,    | no_penalty           | closing       | head (reason)             | not an investigator            |
|  deciding     |                      |               |                           |                                |
| decided       | serve                | executing     | officers                  |                                |
| executing,    | paid                 | closing       | officers                  | nothing owed                   |
|  enforcement  |                      |               |                           |                                |
| executing     | apply_enforcement    | enforcement   | head                      | overdue; reminded; no appeal   |
| enforcement   | enforcement_concluded| closing       | head (reason)             |                                |
| closing       | close                | closed        | head                      | no transfer pending (Art. 11)  |
| closed        | archive              | archived      | officers, reviewers       |                                |
| (open states) | terminate            | terminated    | head (reason)             |                                |
| (open states) | transfer             | transferred   | head (reason)             |                                |

A simple-procedure case (当场处罚) is created in ``executing``. A state condition that does
not hold is an ``IllegalTransition`` (409); a separation-of-duty breach is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.cases import rules
from inspectorate.cases.models import CaseState as S
from inspectorate.core.errors import IllegalTransition, PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role

_KIND = RecordKind.CASE_STATE_CHANGED
OFFICERS = frozenset({Role.OFFICER, Role.TEAM_LEAD})
REVIEWERS = frozenset({Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD})
HEAD = frozenset({Role.HEAD})
LEGAL = frozenset({Role.LEGAL_REVIEWER})
ENTERPRISE_OR_OFFICERS = frozenset({Role.ENTERPRISE, Role.OFFICER, Role.TEAM_LEAD})


def _today(params: dict[str, Any]) -> Any:
    return params.get("today") or timezone.localdate()


def is_investigator(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if actor.pk not in case.investigator_ids:
        raise PermissionDenied(_("Only the two investigators of the case may do this."))


def not_investigator(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """行政处罚法 Arts. 57–58, 64: who investigated may not review, decide or chair."""
    if actor.pk in case.investigator_ids:
        raise PermissionDenied(
            _("An investigator of this case may not review it, decide it or chair its hearing.")
        )


def has_violations(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if not case.violations.exists():
        raise IllegalTransition(_("Record at least one violation before submitting the report."))


def legally_qualified(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """行政处罚法 Art. 58 ¶2: legal reviewers hold the legal professional qualification."""
    today = _today(params)
    if not actor.certificates.filter(
        legal_qualification=True, valid_from__lte=today, valid_until__gte=today, status="valid"
    ).exists():
        raise PermissionDenied(
            _("Legal review needs a reviewer with a valid legal professional qualification.")
        )


def legal_review_needed(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if not case.legal_review_required:
        raise IllegalTransition(_("This case does not need legal review."))


def no_legal_review(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if case.legal_review_required:
        raise IllegalTransition(
            _("This case needs legal review (行政处罚法 Art. 58) before it goes further.")
        )


def discussion_needed(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if not case.discussion_required:
        raise IllegalTransition(_("This case does not need collective discussion."))


def no_discussion(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if case.discussion_required:
        raise IllegalTransition(
            _("This case needs collective discussion (行政处罚法 Art. 57 ¶2) before the notice.")
        )


def _open_deadline(case: Any, kind: str) -> Any:
    from inspectorate.core.models import Deadline

    return Deadline.objects.filter(
        subject_type="cases.case",
        subject_id=str(case.pk),
        kind=kind,
        met_at=None,
        cancelled_at=None,
    ).first()


def hearing_allowed(case: Any, actor: Any, params: dict[str, Any]) -> None:
    if not case.hearing_right:
        raise IllegalTransition(
            _("The intended penalty does not give a right to a hearing (行政处罚法 Art. 63).")
        )
    deadline = _open_deadline(case, rules.HEARING_REQUEST)
    if deadline is None or _today(params) > deadline.due_date:
        raise IllegalTransition(
            _("The period to request a hearing (5 working days, 行政处罚法 Art. 64) has ended.")
        )


def statement_period_over(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """The decision waits until the party has had its time (Art. 44), unless it waived it."""
    if case.statements.filter(waives=True).exists():
        return
    today = _today(params)
    for kind in (rules.STATEMENT, rules.HEARING_REQUEST):
        deadline = _open_deadline(case, kind)
        if deadline is not None and today <= deadline.due_date:
            raise IllegalTransition(
                _("The party may still state its case or request a hearing until %(day)s.")
                % {"day": deadline.due_date.isoformat()}
            )


def is_chair(case: Any, actor: Any, params: dict[str, Any]) -> None:
    hearing = getattr(case, "hearing", None)
    if hearing is None or hearing.chair_id is None or hearing.date is None:
        raise IllegalTransition(_("Schedule the hearing and name its chair first."))
    if actor.pk != hearing.chair_id:
        raise PermissionDenied(_("Only the chair holds the hearing."))
    if _today(params) < hearing.date:
        raise IllegalTransition(
            _("The hearing is set for %(day)s.") % {"day": hearing.date.isoformat()}
        )


def fully_paid(case: Any, actor: Any, params: dict[str, Any]) -> None:
    owed = params.get("owed")
    if owed is None or owed > 0:
        raise IllegalTransition(_("The fine and any surcharge are not fully paid."))


def enforcement_allowed(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """行政强制法 Arts. 53–54: after the time to appeal has passed and ten days after a
    reminder, when the fine is still unpaid."""
    today = _today(params)
    if params.get("owed") is None or params["owed"] <= 0:
        raise IllegalTransition(_("Nothing is owed."))
    if case.payment_due is None or today <= case.payment_due:
        raise IllegalTransition(_("The payment is not overdue."))
    if case.suspensions.filter(ended_on=None).exists():
        raise IllegalTransition(_("Reconsideration or litigation is under way."))
    wait = params["rules"]
    if case.reminded_on is None or (today - case.reminded_on).days < wait.reminder_days:
        raise IllegalTransition(
            _("Send a payment reminder and wait %(days)s days (行政强制法 Art. 54).")
            % {"days": wait.reminder_days}
        )
    appeal_end = rules.add_months(case.served_on, wait.appeal_months)
    if today <= appeal_end:
        raise IllegalTransition(
            _("The party may still sue until %(day)s (行政强制法 Art. 53).")
            % {"day": appeal_end.isoformat()}
        )


def no_fine_instead_of_transfer(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """国务院令310 Art. 11: a case flagged as a suspected crime is not decided with a fine
    alone, nor closed, while its transfer is pending (warning, suspension and licence
    penalties stay allowed)."""
    from inspectorate.referrals.rules import fine_only_refused_message, transfer_pending

    if not case.other_penalties and transfer_pending(case.pk):
        raise IllegalTransition(fine_only_refused_message())


def not_pending_transfer(case: Any, actor: Any, params: dict[str, Any]) -> None:
    """国务院令310 Art. 11: nor is it closed while its transfer is pending."""
    from inspectorate.referrals.rules import fine_only_refused_message, transfer_pending

    if transfer_pending(case.pk):
        raise IllegalTransition(fine_only_refused_message())


ALL_DEADLINES = (
    rules.DECISION,
    rules.STATEMENT,
    rules.HEARING_REQUEST,
    rules.SERVICE,
    rules.PAYMENT,
)
_OPEN = (
    S.INVESTIGATING,
    S.REVIEWING,
    S.LEGAL_REVIEW,
    S.DISCUSSION,
    S.NOTIFIED,
    S.HEARING,
    S.DECIDING,
)


def _t(
    source: str,
    action: str,
    target: str,
    label: Any,
    roles: frozenset[str],
    *guards: Any,
    stops: tuple[str, ...] = (),
    reason: bool = False,
) -> Transition:
    return Transition(
        source,
        action,
        target,
        label,
        roles,
        _KIND,
        guards=guards,
        stops_deadlines=stops,
        reason_required=reason,
    )


_NOTICE_STOPS = (rules.STATEMENT, rules.HEARING_REQUEST)

CASE = Workflow(
    name="penalty_case",
    state_field="state",
    states=tuple(S.values),
    transitions=(
        _t(S.FILING, "approve_filing", S.INVESTIGATING, gettext_lazy("Approve filing"), HEAD),
        _t(
            S.FILING,
            "reject_filing",
            S.NOT_FILED,
            gettext_lazy("Refuse filing"),
            HEAD,
            reason=True,
        ),
        _t(
            S.INVESTIGATING,
            "submit_report",
            S.REVIEWING,
            gettext_lazy("Submit the investigation report"),
            OFFICERS,
            is_investigator,
            has_violations,
        ),
        _t(
            S.REVIEWING,
            "return_investigation",
            S.INVESTIGATING,
            gettext_lazy("Return for further investigation"),
            REVIEWERS,
            not_investigator,
            reason=True,
        ),
        _t(
            S.REVIEWING,
            "to_legal_review",
            S.LEGAL_REVIEW,
            gettext_lazy("Send to legal review"),
            REVIEWERS,
            not_investigator,
            legal_review_needed,
        ),
        _t(
            S.REVIEWING,
            "to_discussion",
            S.DISCUSSION,
            gettext_lazy("Send to collective discussion"),
            REVIEWERS,
            not_investigator,
            no_legal_review,
            discussion_needed,
        ),
        _t(
            S.REVIEWING,
            "notify",
            S.NOTIFIED,
            gettext_lazy("Notify the party of the intended penalty"),
            REVIEWERS,
            not_investigator,
            no_legal_review,
            no_discussion,
        ),
        _t(
            S.LEGAL_REVIEW,
            "legal_return",
            S.REVIEWING,
            gettext_lazy("Legal review: return"),
            LEGAL,
            not_investigator,
            legally_qualified,
            reason=True,
        ),
        _t(
            S.LEGAL_REVIEW,
            "legal_to_discussion",
            S.DISCUSSION,
            gettext_lazy("Legal review: pass to collective discussion"),
            LEGAL,
            not_investigator,
            legally_qualified,
            discussion_needed,
        ),
        _t(
            S.LEGAL_REVIEW,
            "legal_notify",
            S.NOTIFIED,
            gettext_lazy("Legal review: pass, notify the party"),
            LEGAL,
            not_investigator,
            legally_qualified,
            no_discussion,
        ),
        _t(
            S.DISCUSSION,
            "discussion_notify",
            S.NOTIFIED,
            gettext_lazy("Discussion concluded: notify the party"),
            HEAD,
            not_investigator,
        ),
        _t(
            S.DISCUSSION,
            "discussion_return",
            S.REVIEWING,
            gettext_lazy("Discussion: return for review"),
            HEAD,
            reason=True,
        ),
        _t(
            S.NOTIFIED,
            "request_hearing",
            S.HEARING,
            gettext_lazy("Request a hearing"),
            ENTERPRISE_OR_OFFICERS,
            hearing_allowed,
            stops=(rules.HEARING_REQUEST,),
        ),
        _t(
            S.NOTIFIED,
            "to_decision",
            S.DECIDING,
            gettext_lazy("Proceed to the decision"),
            OFFICERS | REVIEWERS,
            statement_period_over,
            stops=_NOTICE_STOPS,
        ),
        _t(
            S.HEARING,
            "hold_hearing",
            S.DECIDING,
            gettext_lazy("Record the hearing"),
            OFFICERS | REVIEWERS,
            not_investigator,
            is_chair,
            stops=_NOTICE_STOPS,
        ),
        _t(
            S.DECIDING,
            "decide",
            S.DECIDED,
            gettext_lazy("Decide the penalty"),
            HEAD,
            not_investigator,
            no_fine_instead_of_transfer,
            stops=(rules.DECISION,),
        ),
        _t(
            S.DECIDING,
            "no_penalty",
            S.CLOSING,
            gettext_lazy("Decide not to penalise"),
            HEAD,
            not_investigator,
            stops=(rules.DECISION,),
            reason=True,
        ),
        _t(
            S.REVIEWING,
            "no_penalty",
            S.CLOSING,
            gettext_lazy("Decide not to penalise"),
            HEAD,
            not_investigator,
            stops=(rules.DECISION,),
            reason=True,
        ),
        _t(
            S.DECIDED,
            "serve",
            S.EXECUTING,
            gettext_lazy("Record service of the decision"),
            OFFICERS,
            stops=(rules.SERVICE,),
        ),
        _t(
            S.EXECUTING,
            "paid",
            S.CLOSING,
            gettext_lazy("Paid in full"),
            OFFICERS,
            fully_paid,
            stops=(rules.PAYMENT,),
        ),
        _t(
            S.ENFORCEMENT,
            "paid",
            S.CLOSING,
            gettext_lazy("Paid in full"),
            OFFICERS,
            fully_paid,
            stops=(rules.PAYMENT,),
        ),
        _t(
            S.EXECUTING,
            "apply_enforcement",
            S.ENFORCEMENT,
            gettext_lazy("Apply to the court for enforcement"),
            HEAD,
            enforcement_allowed,
        ),
        _t(
            S.ENFORCEMENT,
            "enforcement_concluded",
            S.CLOSING,
            gettext_lazy("Court enforcement concluded"),
            HEAD,
            stops=(rules.PAYMENT,),
            reason=True,
        ),
        _t(
            S.CLOSING,
            "close",
            S.CLOSED,
            gettext_lazy("Approve closing"),
            HEAD,
            not_pending_transfer,
        ),
        _t(S.CLOSED, "archive", S.ARCHIVED, gettext_lazy("Archive"), OFFICERS | REVIEWERS),
        *(
            _t(
                state,
                "terminate",
                S.TERMINATED,
                gettext_lazy("Terminate the case"),
                HEAD,
                stops=ALL_DEADLINES,
                reason=True,
            )
            for state in _OPEN
        ),
        *(
            _t(
                state,
                "transfer",
                S.TRANSFERRED,
                gettext_lazy("Transfer the case"),
                HEAD,
                stops=ALL_DEADLINES,
                reason=True,
            )
            for state in _OPEN
        ),
    ),
)

#: Actions that carry their own form (and service) on the case page.
FORM_ACTIONS = frozenset(
    {
        "submit_report",
        "decide",
        "serve",
        "hold_hearing",
        "request_hearing",
        "paid",
        "apply_enforcement",
        "legal_return",
        "legal_to_discussion",
        "legal_notify",
        "discussion_notify",
    }
)
