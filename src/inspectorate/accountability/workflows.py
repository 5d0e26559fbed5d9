"""The review of an accountability item, as a table (ARCHITECTURE rule 4).

| from         | action        | to           | who               | guard                                   |
|--------------|---------------|--------------|-------------------|-----------------------------------------|
| raised       | start_review  | under_review | head, supervisor  | not the person; same or upper office    |
| under_review | conclude      | concluded    | head, supervisor  | the reviewer; an outcome; a finding     |

The reviewer is never the person the item is about (403). An upper level sees its lower
offices' items and may review them; another jurisdiction's item is the same 404 as a missing
one. A concluded item is final: a new breach is a new item.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.accountability.models import ItemState as S
from inspectorate.core.errors import PermissionDenied
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.org.roles import Role

REVIEWERS = frozenset({Role.HEAD, Role.SUPERVISOR})


def not_the_person(item: Any, actor: Any, params: dict[str, Any]) -> None:
    if actor.pk == item.person_id:
        raise PermissionDenied(_("The person an item is about may not review it."))


def the_reviewer(item: Any, actor: Any, params: dict[str, Any]) -> None:
    if actor.pk != item.reviewer_id:
        raise PermissionDenied(_("Only the reviewer who took up this item concludes it."))


ITEM = Workflow(
    name="accountability_item",
    state_field="state",
    states=tuple(S.values),
    transitions=(
        Transition(
            S.RAISED,
            "start_review",
            S.UNDER_REVIEW,
            gettext_lazy("Take up the review"),
            REVIEWERS,
            RecordKind.ACCOUNTABILITY_STATE_CHANGED,
            guards=(not_the_person,),
        ),
        Transition(
            S.UNDER_REVIEW,
            "conclude",
            S.CONCLUDED,
            gettext_lazy("Conclude"),
            REVIEWERS,
            RecordKind.ACCOUNTABILITY_STATE_CHANGED,
            guards=(not_the_person, the_reviewer),
        ),
    ),
)
