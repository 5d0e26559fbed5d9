"""The enterprise status workflow, as a table (ARCHITECTURE rule 4).

| from      | action  | to        | who                      |
|-----------|---------|-----------|--------------------------|
| operating | suspend | suspended | team lead, agency head   |
| suspended | resume  | operating | team lead, agency head   |
| operating | close   | closed    | agency head, admin       |
| suspended | close   | closed    | agency head, admin       |
| closed    | reopen  | operating | admin                    |

Every action needs a written reason, which the enforcement record keeps.
"""

from django.utils.translation import gettext_lazy as _

from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.registry.models import EnterpriseStatus as S

_LEADS = frozenset({Role.TEAM_LEAD, Role.HEAD})
_CLOSERS = frozenset({Role.HEAD, Role.ADMIN})
_KIND = RecordKind.ENTERPRISE_STATUS_CHANGED

ENTERPRISE_STATUS = Workflow(
    name="enterprise_status",
    state_field="status",
    states=(S.OPERATING, S.SUSPENDED, S.CLOSED),
    transitions=(
        Transition(
            S.OPERATING, "suspend", S.SUSPENDED, _("Suspend"), _LEADS, _KIND, reason_required=True
        ),
        Transition(
            S.SUSPENDED, "resume", S.OPERATING, _("Resume"), _LEADS, _KIND, reason_required=True
        ),
        Transition(
            S.OPERATING, "close", S.CLOSED, _("Close"), _CLOSERS, _KIND, reason_required=True
        ),
        Transition(
            S.SUSPENDED, "close", S.CLOSED, _("Close"), _CLOSERS, _KIND, reason_required=True
        ),
        Transition(
            S.CLOSED,
            "reopen",
            S.OPERATING,
            _("Reopen"),
            frozenset({Role.ADMIN}),
            _KIND,
            reason_required=True,
        ),
    ),
)
