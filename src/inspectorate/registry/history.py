"""The change history of an enterprise, read from the enforcement record, for display."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from inspectorate.core.models import RecordEvent
from inspectorate.registry.models import Enterprise
from inspectorate.registry.selectors import enterprise_history

HIDDEN = {"credit_code"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    event: RecordEvent
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(
    model_field: models.Field[Any, Any], value: Any, names: dict[tuple[str, str], str]
) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.name, str(value)), str(value))
    return str(value)


def enterprise_history_rows(*, enterprise: Enterprise, limit: int = 50) -> list[HistoryRow]:
    events = list(enterprise_history(enterprise=enterprise)[:limit])
    meta = Enterprise._meta
    wanted: dict[str, set[str]] = {}
    for ev in events:
        for side in ("before", "after"):
            for key, value in (ev.payload.get(side) or {}).items():
                try:
                    f = meta.get_field(key)
                except Exception:  # noqa: S112 - keys of other kinds of payload
                    continue
                if f.is_relation and value not in (None, ""):
                    wanted.setdefault(key, set()).add(str(value))
    names: dict[tuple[str, str], str] = {}
    for key, ids in wanted.items():
        related = meta.get_field(key).related_model
        if not (isinstance(related, type) and issubclass(related, models.Model)):
            continue
        for obj in related._default_manager.filter(pk__in=ids):
            names[(key, str(obj.pk))] = str(obj)
    rows = []
    for ev in events:
        before = ev.payload.get("before") or {}
        after = ev.payload.get("after") or {}
        row = HistoryRow(event=ev, reason=ev.payload.get("reason", ""))
        if before:  # a change: show what changed; a registration shows nothing more
            for key in after:
                if key in HIDDEN:
                    continue
                try:
                    f = meta.get_field(key)
                except Exception:  # noqa: S112
                    continue
                if not isinstance(f, models.Field):
                    continue
                row.changes.append(
                    Change(
                        label=str(f.verbose_name),
                        before=_display(f, before.get(key), names),
                        after=_display(f, after.get(key), names),
                    )
                )
        rows.append(row)
    return rows
