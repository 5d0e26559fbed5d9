"""The rectification order's lifecycle, as a table (ARCHITECTURE rule 4).

| from         | action             | to           | who                              |
|--------------|--------------------|--------------|----------------------------------|
| issued       | report             | reported     | the enterprise                   |
| issued       | start_reinspection | reinspecting | officer, team lead               |
| reported     | start_reinspection | reinspecting | officer, team lead               |
| reinspecting | conclude_rectified | closed       | (the re-inspection, when closed) |
| reinspecting | conclude_open      | unrectified  | (the re-inspection, when closed) |
| unrectified  | extend             | issued       | agency head (reason, days)       |
| issued       | extend             | issued       | agency head (reason, days)       |
| unrectified  | escalate           | escalated    | officer, team lead               |
| issued       | escalate           | escalated    | officer, team lead — once overdue|

The report starts the re-inspection deadline; starting the re-inspection stops it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import ApplicationError
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.rectification import rules
from inspectorate.rectification.models import OrderState as S

_KIND = RecordKind.ORDER_STATE_CHANGED
_OFFICERS = frozenset({Role.OFFICER, Role.TEAM_LEAD})


def is_overdue(order: Any, actor: Any, params: dict[str, Any]) -> None:
    today = params.get("today") or timezone.localdate()
    if order.due_date >= today:
        raise ApplicationError(
            _("The deadline has not passed yet; escalate after %(day)s or after a re-inspection.")
            % {"day": order.due_date},
            code="not_overdue",
        )


ORDER = Workflow(
    name="rectification_order",
    state_field="state",
    states=(S.ISSUED, S.REPORTED, S.REINSPECTING, S.UNRECTIFIED, S.CLOSED, S.ESCALATED),
    transitions=(
        Transition(
            S.ISSUED,
            "report",
            S.REPORTED,
            gettext_lazy("Report completion"),
            frozenset({Role.ENTERPRISE}),
            _KIND,
            starts_deadline=rules.REINSPECTION,
        ),
        Transition(
            S.ISSUED,
            "start_reinspection",
            S.REINSPECTING,
            gettext_lazy("Start the re-inspection"),
            _OFFICERS,
            _KIND,
        ),
        Transition(
            S.REPORTED,
            "start_reinspection",
            S.REINSPECTING,
            gettext_lazy("Start the re-inspection"),
            _OFFICERS,
            _KIND,
            stops_deadlines=(rules.REINSPECTION.kind,),
        ),
        Transition(
            S.REINSPECTING,
            "conclude_rectified",
            S.CLOSED,
            gettext_lazy("Conclude: rectified"),
            _OFFICERS,  # the re-inspection, when its officers close it
            _KIND,
            stops_deadlines=(rules.RECTIFICATION_KIND,),
        ),
        Transition(
            S.REINSPECTING,
            "conclude_open",
            S.UNRECTIFIED,
            gettext_lazy("Conclude: not rectified"),
            _OFFICERS,  # the re-inspection, when its officers close it
            _KIND,
        ),
        Transition(
            S.UNRECTIFIED,
            "extend",
            S.ISSUED,
            gettext_lazy("Extend the deadline"),
            frozenset({Role.HEAD}),
            _KIND,
            reason_required=True,
        ),
        Transition(
            S.ISSUED,
            "extend",
            S.ISSUED,
            gettext_lazy("Extend the deadline"),
            frozenset({Role.HEAD}),
            _KIND,
            reason_required=True,
        ),
        Transition(
            S.UNRECTIFIED,
            "escalate",
            S.ESCALATED,
            gettext_lazy("Escalate: propose a penalty case"),
            _OFFICERS,
            _KIND,
            stops_deadlines=(rules.RECTIFICATION_KIND,),
        ),
        Transition(
            S.ISSUED,
            "escalate",
            S.ESCALATED,
            gettext_lazy("Escalate: propose a penalty case"),
            _OFFICERS,
            _KIND,
            guards=(is_overdue,),
            stops_deadlines=(rules.RECTIFICATION_KIND,),
        ),
    ),
)

#: Actions a person takes on the order page (the two "conclude" ones follow the re-inspection).
USER_ACTIONS = ("report", "start_reinspection", "extend", "escalate")
