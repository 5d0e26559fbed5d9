"""The workflow kernel (ARCHITECTURE rule 4): workflows are tables.

A ``Workflow`` declares its states and its transitions as data. Each transition names
the state it leaves, the action, the state it reaches, the roles that may act, guards
(functions that raise ``ApplicationError`` when the transition may not happen), the
deadline it starts and the deadlines it stops, and the record kind it appends.

``transition_apply`` is what every per-transition service calls: it locks the row,
checks the optimistic version, the table, the roles and the guards, writes the new
state, starts and stops deadlines and appends the enforcement record, all in one
transaction. An action that the table does not allow from the current state is an
``IllegalTransition`` (HTTP 409), never a silent no-op.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from inspectorate.core.deadlines import DeadlineRule, deadline_start, deadline_stop
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind


class HasRoles(Protocol):
    pk: Any

    def has_role(self, *roles: str) -> bool: ...


Guard = Callable[[Any, Any, dict[str, Any]], None]


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    label: str | Promise
    roles: frozenset[str]
    record_kind: RecordKind
    guards: tuple[Guard, ...] = ()
    starts_deadline: DeadlineRule | None = None
    stops_deadlines: tuple[str, ...] = ()
    document: str | None = None
    reason_required: bool = False


@dataclass(frozen=True)
class Workflow:
    name: str
    state_field: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    _index: dict[tuple[str, str], Transition] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            if t.source not in self.states or t.target not in self.states:
                raise ValueError(f"{self.name}: {t.action} uses an undeclared state")
            key = (t.source, t.action)
            if key in self._index:
                raise ValueError(f"{self.name}: duplicate transition {key}")
            self._index[key] = t

    def get(self, source: str, action: str) -> Transition | None:
        return self._index.get((source, action))

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == state]

    def actions_for(self, obj: Any, user: HasRoles) -> list[Transition]:
        state = getattr(obj, self.state_field)
        return [t for t in self.actions_from(state) if user.has_role(*t.roles)]

    def action_label(self, action: str) -> str:
        for t in self.transitions:
            if t.action == action:
                return str(t.label)
        return action

    def all_actions(self) -> set[str]:
        return {t.action for t in self.transitions}


M = TypeVar("M", bound=models.Model)


def transition_apply(
    *,
    workflow: Workflow,
    queryset: models.QuerySet[M],
    pk: Any,
    action: str,
    actor: HasRoles,
    jurisdiction_code: Callable[[M], str],
    expected_version: int | None = None,
    reason: str = "",
    params: dict[str, Any] | None = None,
    today: dt.date | None = None,
    on_commit: Iterable[Callable[[], None]] = (),
) -> M:
    """Apply one transition. ``queryset`` must already be scoped to the actor."""
    params = params or {}
    with transaction.atomic():
        try:
            obj = queryset.select_for_update().get(pk=pk)
        except ObjectDoesNotExist as exc:  # missing, or outside the actor's scope
            raise NotFound() from exc
        check_version(getattr(obj, "version", None), expected_version)
        source = getattr(obj, workflow.state_field)
        t = workflow.get(source, action)
        if t is None:
            raise IllegalTransition(
                _("The action “%(action)s” is not allowed in the state “%(state)s”.")
                % {
                    "action": workflow.action_label(action),
                    "state": _state_label(obj, workflow, source),
                },
                extra={"state": source, "action": action},
            )
        if not actor.has_role(*t.roles):
            raise PermissionDenied(_("Your role may not perform this action."))
        if t.reason_required and not reason.strip():
            raise ValidationFailed(
                _("The data is not valid."),
                extra={"fields": {"reason": [_("A reason is required for this action.")]}},
            )
        for guard in t.guards:
            guard(obj, actor, params)
        setattr(obj, workflow.state_field, t.target)
        update_fields = [workflow.state_field]
        if hasattr(obj, "version"):
            obj.version = models.F("version") + 1
            update_fields.append("version")
        obj.save(update_fields=update_fields)
        obj.refresh_from_db(fields=["version"] if hasattr(obj, "version") else None)
        code = jurisdiction_code(obj)
        for kind in t.stops_deadlines:
            deadline_stop(subject=obj, kind=kind)
        deadline = None
        if t.starts_deadline is not None:
            deadline = deadline_start(
                rule=t.starts_deadline,
                subject=obj,
                jurisdiction_code=code,
                start_date=today or timezone.localdate(),
            )
        record_append(
            kind=t.record_kind,
            actor=actor,
            jurisdiction_code=code,
            subject=obj,
            payload={
                "workflow": workflow.name,
                "action": t.action,
                "before": {workflow.state_field: source},
                "after": {workflow.state_field: t.target},
                "reason": reason,
                "params": params,
                "deadline_due": deadline.due_date if deadline else None,
            },
        )
        for callback in on_commit:
            transaction.on_commit(callback)
    return obj


def _state_label(obj: Any, workflow: Workflow, state: str) -> str:
    getter = getattr(obj, f"get_{workflow.state_field}_display", None)
    return str(getter()) if getter else state
