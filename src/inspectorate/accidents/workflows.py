"""The investigation timeline of an accident, as a table (ARCHITECTURE rule 4; 国务院令493
Chapters III and IV).

| from          | action              | to            | who                  | guard                                  |
|---------------|---------------------|---------------|----------------------|----------------------------------------|
| reported      | start_investigation | investigating | officers, head       | the investigating level's office (Art. 19) |
| investigating | submit_report       | submitted     | officers, head       | the investigating office (Art. 29)     |
| submitted     | record_reply        | replied       | team lead, head      | the investigating office (Art. 32)     |
| replied       | close               | closed        | head                 | the investigating office; every finding's violation recorded |

Not state changes, but services with their own record events: the reporting chain
(Arts. 9–11), casualty updates (Art. 13), the extensions of the investigation (Art. 29)
and of the reply (Art. 32), and the responsibility findings (recorded in ``replied``).

The office that acts is the one at the level of government that investigates the grade
(Art. 19): the county's for 一般 (also when the county entrusts the unit, Art. 19 ¶3),
the prefecture's for 较大, the province's for 重大 and, for 特别重大 (investigated by the
State Council), the province's, which records what the State Council's group does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.accidents import law_data
from inspectorate.accidents.models import AccidentState as S
from inspectorate.accidents.models import InvestigatingLevel
from inspectorate.core.errors import IllegalTransition, PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role

_KIND = RecordKind.ACCIDENT_STATE_CHANGED
OFFICERS = frozenset({Role.OFFICER, Role.TEAM_LEAD, Role.HEAD})
LEADS = frozenset({Role.TEAM_LEAD, Role.HEAD})
HEAD = frozenset({Role.HEAD})


def level_for_grade(grade: str) -> str:
    return law_data.INVESTIGATING_LEVEL[grade]


def office_code(jurisdiction_code: str, level: str) -> str:
    """The jurisdiction code of the office at ``level`` above the place."""
    if level in (InvestigatingLevel.COUNTY, InvestigatingLevel.UNIT, "county"):
        return jurisdiction_code
    if level == "prefecture":
        return jurisdiction_code[:4] + "00"
    return jurisdiction_code[:2] + "0000"  # province; the State Council's group: the province


def investigating_office_code(accident: Any) -> str:
    level = accident.investigating_level or level_for_grade(accident.grade)
    return office_code(accident.jurisdiction_code, level)


def investigating_office(accident: Any, actor: Any, params: dict[str, Any]) -> None:
    """Art. 19: the level of government that investigates the grade acts."""
    if actor.agency_id is None or actor.agency.jurisdiction_id != investigating_office_code(
        accident
    ):
        raise PermissionDenied(
            _("Only the office at the level that investigates this accident (Art. 19) may do this.")
        )


def findings_complete(accident: Any, actor: Any, params: dict[str, Any]) -> None:
    if accident.findings.filter(violation=None).exists():
        raise IllegalTransition(
            _(
                "Every responsibility finding needs its violation recorded in the penalty "
                "case before the accident is closed."
            )
        )


ACCIDENT = Workflow(
    name="accident",
    state_field="state",
    states=tuple(S.values),
    transitions=(
        Transition(
            S.REPORTED,
            "start_investigation",
            S.INVESTIGATING,
            gettext_lazy("Set up the investigation group"),
            OFFICERS,
            _KIND,
            guards=(investigating_office,),
        ),
        Transition(
            S.INVESTIGATING,
            "submit_report",
            S.SUBMITTED,
            gettext_lazy("Submit the investigation report"),
            OFFICERS,
            _KIND,
            guards=(investigating_office,),
            stops_deadlines=(law_data.INVESTIGATION,),
        ),
        Transition(
            S.SUBMITTED,
            "record_reply",
            S.REPLIED,
            gettext_lazy("Record the government's reply"),
            LEADS,
            _KIND,
            guards=(investigating_office,),
            stops_deadlines=(law_data.REPLY,),
        ),
        Transition(
            S.REPLIED,
            "close",
            S.CLOSED,
            gettext_lazy("Close the accident"),
            HEAD,
            _KIND,
            guards=(investigating_office, findings_complete),
        ),
    ),
)
