"""The plan lifecycle, as a table (ARCHITECTURE rule 4; 2017 编制办法 Art. 5).

| from      | action  | to        | who                     |
|-----------|---------|-----------|-------------------------|
| draft     | submit  | submitted | team lead               |
| submitted | return  | draft     | agency head (reason)    |
| submitted | approve | approved  | agency head, not the one who submitted |
| approved  | file    | filed     | team lead, agency head  |

Once approved, a plan changes only by adjustments with a reason (``plan_adjust``).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import ApplicationError, PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.planning.models import PlanState as S

_KIND = RecordKind.PLAN_STATE_CHANGED


def plan_is_built(plan: Any, actor: Any, params: dict[str, Any]) -> None:
    if plan.assigned_at is None:
        raise ApplicationError(
            _("Compose the plan, run the draw and assign the teams before submitting it."),
            code="plan_not_built",
        )


def approver_did_not_submit(plan: Any, actor: Any, params: dict[str, Any]) -> None:
    if params.get("submitted_by") == actor.pk:
        raise PermissionDenied(_("The person who submitted the plan may not approve it."))


PLAN = Workflow(
    name="plan",
    state_field="state",
    states=(S.DRAFT, S.SUBMITTED, S.APPROVED, S.FILED),
    transitions=(
        Transition(
            S.DRAFT,
            "submit",
            S.SUBMITTED,
            gettext_lazy("Submit for approval"),
            frozenset({Role.TEAM_LEAD}),
            _KIND,
            guards=(plan_is_built,),
        ),
        Transition(
            S.SUBMITTED,
            "return",
            S.DRAFT,
            gettext_lazy("Return for revision"),
            frozenset({Role.HEAD}),
            _KIND,
            reason_required=True,
        ),
        Transition(
            S.SUBMITTED,
            "approve",
            S.APPROVED,
            gettext_lazy("Approve"),
            frozenset({Role.HEAD}),
            _KIND,
            guards=(approver_did_not_submit,),
        ),
        Transition(
            S.APPROVED,
            "file",
            S.FILED,
            gettext_lazy("File with the level above"),
            frozenset({Role.TEAM_LEAD, Role.HEAD}),
            _KIND,
        ),
    ),
)
