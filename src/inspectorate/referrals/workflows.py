"""The transfer of a suspected crime, as tables (ARCHITECTURE rule 4; 国务院令310).

The flag:

| from | action  | to        | who            | note                                   |
|------|---------|-----------|----------------|----------------------------------------|
| open | refer   | referred  | officers, head | the special team drafts the report     |
| open | dismiss | dismissed | head (reasons) | no suspected crime; reasons kept       |

The transfer (deadlines in ``referrals.rules``; each started and stopped by its service):

| from                    | action                  | to                      | who            | law        |
|-------------------------|-------------------------|-------------------------|----------------|------------|
| drafting                | submit                  | submitted               | team member    | Art. 5 ¶1  |
| submitted               | approve                 | approved                | head           | Art. 5 ¶2  |
| submitted               | refuse                  | refused                 | head (reasons) | Art. 5 ¶2  |
| approved                | transfer                | transferred             | officers, head | Arts. 5, 6 |
| transferred             | receipt                 | received                | officers, head | Art. 7     |
| received                | police_accept           | accepted                | head           | Art. 8     |
| received                | police_refuse           | police_refused          | officers, head | Art. 8     |
| accepted                | hand_over               | handed_over             | officers, head | Art. 12    |
| police_refused          | request_reconsideration | reconsideration         | head           | Art. 9 ¶1  |
| police_refused,         | propose_supervision     | supervision             | head           | Art. 9     |
|  reconsideration_refused|                         |                         |                |            |
| police_refused,         | accept_refusal          | concluded               | head (reasons) | Art. 10    |
|  reconsideration_refused|                         |                         |                |            |
| reconsideration         | reconsideration_accept  | accepted                | head           | Art. 9 ¶2  |
| reconsideration         | reconsideration_refuse  | reconsideration_refused | officers, head | Art. 9 ¶2  |
| supervision             | supervision_filed       | accepted                | head           | Art. 9 ¶3  |
| supervision             | supervision_rejected    | concluded               | officers, head | Art. 9 ¶3  |
| received, accepted,     | police_return           | returned                | officers, head | Art. 13    |
|  handed_over            |                         |                         |                |            |

The police's acceptance ends the administrative case (cases state ``transferred``), which is
the head's act; recording the police's other answers is the officers' work too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import IllegalTransition, PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.referrals import rules
from inspectorate.referrals.models import AttachmentKind, FlagState
from inspectorate.referrals.models import ReferralState as S

OFFICERS = frozenset({Role.OFFICER, Role.TEAM_LEAD})
HEAD = frozenset({Role.HEAD})
STAFF = OFFICERS | HEAD

_STATE = RecordKind.REFERRAL_STATE_CHANGED
_POLICE = RecordKind.REFERRAL_POLICE_ANSWER


def team_member(referral: Any, actor: Any, params: dict[str, Any]) -> None:
    if not referral.members.filter(officer=actor).exists():
        raise PermissionDenied(_("Only a member of the special team submits its report."))


def attachments_complete(referral: Any, actor: Any, params: dict[str, Any]) -> None:
    """Art. 6: the letter, the report and the item list go with the case (the documents
    issued at the transfer); an expert opinion and other materials when there are any."""
    if not str(referral.police).strip():
        raise IllegalTransition(_("Name the public security organ the case goes to."))


FLAG = Workflow(
    name="referral_flag",
    state_field="state",
    states=tuple(FlagState.values),
    transitions=(
        Transition(
            FlagState.OPEN,
            "refer",
            FlagState.REFERRED,
            gettext_lazy("Draft the transfer report"),
            STAFF,
            RecordKind.REFERRAL_OPENED,
        ),
        Transition(
            FlagState.OPEN,
            "dismiss",
            FlagState.DISMISSED,
            gettext_lazy("Dismiss the flag"),
            HEAD,
            RecordKind.REFERRAL_FLAG_DISMISSED,
            stops_deadlines=(rules.REPORT.kind,),
            reason_required=True,
        ),
    ),
)


def _t(
    source: str,
    action: str,
    target: str,
    label: Any,
    roles: frozenset[str],
    *guards: Any,
    kind: RecordKind = _STATE,
    stops: tuple[str, ...] = (),
    reason: bool = False,
) -> Transition:
    return Transition(
        source,
        action,
        target,
        label,
        roles,
        kind,
        guards=guards,
        stops_deadlines=stops,
        reason_required=reason,
    )


REFERRAL = Workflow(
    name="crime_transfer",
    state_field="state",
    states=tuple(S.values),
    transitions=(
        _t(
            S.DRAFTING,
            "submit",
            S.SUBMITTED,
            gettext_lazy("Submit the report to the head"),
            STAFF,
            team_member,
        ),
        _t(
            S.SUBMITTED,
            "approve",
            S.APPROVED,
            gettext_lazy("Approve the transfer"),
            HEAD,
            stops=(rules.APPROVAL.kind,),
        ),
        _t(
            S.SUBMITTED,
            "refuse",
            S.REFUSED,
            gettext_lazy("Do not approve the transfer"),
            HEAD,
            stops=(rules.APPROVAL.kind,),
            reason=True,
        ),
        _t(
            S.APPROVED,
            "transfer",
            S.TRANSFERRED,
            gettext_lazy("Transfer to the police"),
            STAFF,
            attachments_complete,
        ),
        _t(
            S.TRANSFERRED,
            "receipt",
            S.RECEIVED,
            gettext_lazy("Record the police's receipt"),
            STAFF,
            kind=_POLICE,
        ),
        _t(
            S.RECEIVED,
            "police_accept",
            S.ACCEPTED,
            gettext_lazy("Police filed a case"),
            HEAD,
            kind=_POLICE,
            stops=(rules.POLICE_DECISION.kind,),
        ),
        _t(
            S.RECEIVED,
            "police_refuse",
            S.POLICE_REFUSED,
            gettext_lazy("Police refused to file"),
            STAFF,
            kind=_POLICE,
            stops=(rules.POLICE_DECISION.kind,),
        ),
        _t(
            S.ACCEPTED,
            "hand_over",
            S.HANDED_OVER,
            gettext_lazy("Record the handover of items and materials"),
            STAFF,
            kind=RecordKind.REFERRAL_ITEMS_HANDED_OVER,
            stops=(rules.HANDOVER.kind,),
        ),
        _t(
            S.POLICE_REFUSED,
            "request_reconsideration",
            S.RECONSIDERATION,
            gettext_lazy("Ask the police to reconsider"),
            HEAD,
            stops=(rules.RECONSIDERATION_REQUEST.kind,),
        ),
        *(
            _t(
                state,
                "propose_supervision",
                S.SUPERVISION,
                gettext_lazy("Ask the procuratorate to supervise"),
                HEAD,
                stops=(rules.RECONSIDERATION_REQUEST.kind, rules.SUPERVISION_REQUEST.kind),
            )
            for state in (S.POLICE_REFUSED, S.RECONSIDERATION_REFUSED)
        ),
        *(
            _t(
                state,
                "accept_refusal",
                S.CONCLUDED,
                gettext_lazy("Accept the refusal and handle the case administratively"),
                HEAD,
                stops=(rules.RECONSIDERATION_REQUEST.kind, rules.SUPERVISION_REQUEST.kind),
                reason=True,
            )
            for state in (S.POLICE_REFUSED, S.RECONSIDERATION_REFUSED)
        ),
        _t(
            S.RECONSIDERATION,
            "reconsideration_accept",
            S.ACCEPTED,
            gettext_lazy("Police filed a case on reconsideration"),
            HEAD,
            kind=_POLICE,
            stops=(rules.RECONSIDERATION_DECISION.kind,),
        ),
        _t(
            S.RECONSIDERATION,
            "reconsideration_refuse",
            S.RECONSIDERATION_REFUSED,
            gettext_lazy("Police upheld the refusal"),
            STAFF,
            kind=_POLICE,
            stops=(rules.RECONSIDERATION_DECISION.kind,),
        ),
        _t(
            S.SUPERVISION,
            "supervision_filed",
            S.ACCEPTED,
            gettext_lazy("Filed after the procuratorate's supervision"),
            HEAD,
            kind=_POLICE,
        ),
        _t(
            S.SUPERVISION,
            "supervision_rejected",
            S.CONCLUDED,
            gettext_lazy("The procuratorate found the refusal lawful"),
            STAFF,
            kind=_POLICE,
        ),
        *(
            _t(
                state,
                "police_return",
                S.RETURNED,
                gettext_lazy("Police returned the case (Art. 13)"),
                STAFF,
                kind=_POLICE,
                stops=(rules.POLICE_DECISION.kind, rules.HANDOVER.kind),
            )
            for state in (S.RECEIVED, S.ACCEPTED, S.HANDED_OVER)
        ),
    ),
)

#: The attachments a transfer must carry (Art. 6 (1)–(3)); issued at the transfer.
REQUIRED_ATTACHMENTS = (AttachmentKind.LETTER, AttachmentKind.REPORT, AttachmentKind.ITEM_LIST)
