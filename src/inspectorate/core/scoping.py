"""Jurisdiction scoping (ARCHITECTURE rule 1).

A jurisdiction's subtree is a code prefix: 65 (province), 6501 (prefecture), 650102
(county). Every selector narrows its queryset with ``Scope.q``. The prefix is turned into
a range on the 6-digit code (``650100``..``650199``) so that a plain B-tree index serves
it on every database, without ``LIKE`` and its collation pitfalls.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

LEVEL_PREFIX_LENGTH = {"province": 2, "prefecture": 4, "county": 6}


def prefix_for(code: str, level: str) -> str:
    return code[: LEVEL_PREFIX_LENGTH[level]]


def code_range(prefix: str) -> tuple[str, str]:
    return prefix.ljust(6, "0"), prefix.ljust(6, "9")


@dataclass(frozen=True)
class Scope:
    """What one user may see. ``prefix`` None means no jurisdiction at all."""

    prefix: str | None
    enterprise_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return self.prefix is None and not self.enterprise_ids

    def covers(self, code: str) -> bool:
        return self.prefix is not None and code.startswith(self.prefix)

    def q(self, field: str) -> Q:
        """A filter on a 6-digit jurisdiction-code column (or FK to Jurisdiction)."""
        if self.prefix is None:
            return Q(pk__in=[])
        if self.prefix == "":
            return Q()
        low, high = code_range(self.prefix)
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})


NOTHING = Scope(prefix=None)
