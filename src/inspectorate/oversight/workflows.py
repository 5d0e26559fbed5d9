"""The supervision order's workflow (督办), as a table (ARCHITECTURE rule 4).

=========  ========  =========  ===========================================================
from       action    to         who
=========  ========  =========  ===========================================================
issued     reply     replied    the supervised office's staff (stops the reply deadline)
replied    accept    accepted   the issuing office's head or supervisor (closes the order)
replied    return    issued     the issuing office's head or supervisor, with reasons; the
                                reply deadline runs again (same date or a new one)
issued     withdraw  withdrawn  the issuing office's head or supervisor, with reasons
replied    withdraw  withdrawn  the same
=========  ========  =========  ===========================================================

Which office may act is a guard (``addressed_office`` / ``issuing_office``): the roles in
the table say what kind of staff, the guards which office.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.oversight.models import SupervisionState as S

#: The reply deadline of a supervision order (core.Deadline.kind); its date is the issuer's.
REPLY_DEADLINE = "supervision_reply"
REPLY_BASIS = "督办通知书确定的办结期限"

ISSUERS = frozenset({Role.HEAD, Role.SUPERVISOR})
REPLIERS = frozenset({Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.SUPERVISOR})


def _code_of(user: Any) -> str:
    agency = getattr(user, "agency", None)
    return str(agency.jurisdiction_id) if agency is not None else ""


def addressed_office(order: Any, actor: Any, params: dict[str, Any]) -> None:
    if _code_of(actor) != order.jurisdiction_code:
        raise PermissionDenied(_("Only the supervised office replies to a supervision order."))


def issuing_office(order: Any, actor: Any, params: dict[str, Any]) -> None:
    if _code_of(actor) != order.issuer_code:
        raise PermissionDenied(_("Only the issuing office may do this."))


_KIND = RecordKind.SUPERVISION_STATE_CHANGED

SUPERVISION = Workflow(
    name="supervision",
    state_field="state",
    states=tuple(S.values),
    transitions=(
        Transition(
            S.ISSUED,
            "reply",
            S.REPLIED,
            gettext_lazy("Reply"),
            REPLIERS,
            _KIND,
            guards=(addressed_office,),
            stops_deadlines=(REPLY_DEADLINE,),
        ),
        Transition(
            S.REPLIED,
            "accept",
            S.ACCEPTED,
            gettext_lazy("Accept the reply"),
            ISSUERS,
            _KIND,
            guards=(issuing_office,),
        ),
        Transition(
            S.REPLIED,
            "return",
            S.ISSUED,
            gettext_lazy("Return the reply"),
            ISSUERS,
            _KIND,
            guards=(issuing_office,),
            reason_required=True,
        ),
        Transition(
            S.ISSUED,
            "withdraw",
            S.WITHDRAWN,
            gettext_lazy("Withdraw"),
            ISSUERS,
            _KIND,
            guards=(issuing_office,),
            stops_deadlines=(REPLY_DEADLINE,),
            reason_required=True,
        ),
        Transition(
            S.REPLIED,
            "withdraw",
            S.WITHDRAWN,
            gettext_lazy("Withdraw"),
            ISSUERS,
            _KIND,
            guards=(issuing_office,),
            reason_required=True,
        ),
    ),
)
