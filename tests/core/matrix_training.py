"""The permission matrix's rows for the training app (API and pages) and the objects they act on.

``tests/core/matrix.py`` reads from this module: ``TARGETS`` (page targets: an object
endpoint's ``target``), ``MAKERS`` (target -> function of the ctx making that object once,
stored in ``ctx._pages``), ``path_keys(ctx)`` (the {keys} of paths: what was made before,
else ``MISSING``; read only), ``snapshot()`` (the tables the endpoints write, compared
before and after a refused call) and ``ENDPOINTS``.
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
