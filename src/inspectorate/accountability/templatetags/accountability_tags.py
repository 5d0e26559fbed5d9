"""Small filters of the accountability pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]`` (0 when absent)."""
    return mapping.get(key, 0)


@register.filter
def open_count(row: Any) -> int:
    """The items of a summary row not yet concluded."""
    return int(row.by_state.get("raised", 0)) + int(row.by_state.get("under_review", 0))
