"""The permission matrix's rows for the exams app (API and pages) and the objects they act on.

See tests/core/matrix_training.py for what tests/core/matrix.py reads from here:
TARGETS, MAKERS, path_keys(ctx), snapshot() and ENDPOINTS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.matrix import Ctx, Endpoint

TARGETS: frozenset[str] = frozenset()
MAKERS: dict[str, Callable[[Ctx], Any]] = {}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    return {}


def snapshot() -> dict[str, Any]:
    return {}


ENDPOINTS: list[Endpoint] = []
