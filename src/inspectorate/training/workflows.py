"""The workflow of a training session (a table, ``core.workflow``).

planned → held (the organiser, on or after the session's date), planned → cancelled (the
organiser, with a reason). A held or cancelled session changes no more; attendance is
recorded only on a held session.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import ValidationFailed
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role
from inspectorate.training.models import SessionState

# who organises training: a team lead, the head or the administrator of the office
ORGANISERS = frozenset({Role.TEAM_LEAD, Role.HEAD, Role.ADMIN})


def _held_not_before_date(session: Any, actor: Any, params: dict[str, Any]) -> None:
    today = params.get("today")
    if today is not None and session.date > today:
        raise ValidationFailed.of_fields(
            {"action": [_("A session can be marked as held only on or after its date.")]}
        )


SESSION = Workflow(
    name="training_session",
    state_field="state",
    states=(SessionState.PLANNED, SessionState.HELD, SessionState.CANCELLED),
    transitions=(
        Transition(
            SessionState.PLANNED,
            "hold",
            SessionState.HELD,
            gettext_lazy("Mark as held"),
            ORGANISERS,
            RecordKind.SESSION_SAVED,
            guards=(_held_not_before_date,),
        ),
        Transition(
            SessionState.PLANNED,
            "cancel",
            SessionState.CANCELLED,
            gettext_lazy("Cancel the session"),
            ORGANISERS,
            RecordKind.SESSION_CANCELLED,
            reason_required=True,
        ),
    ),
)
