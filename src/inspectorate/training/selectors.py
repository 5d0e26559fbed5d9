"""Reads of the training app, scoped to the user (out of scope = NotFound)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from inspectorate.core.errors import NotFound
from inspectorate.org.roles import STAFF_ROLES
from inspectorate.training.models import LibraryCase

# the prefix lengths of the levels (province, prefecture, county)
_LEVEL_LENGTHS = (2, 4, 6)


def _staff(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.agency_id is not None and user.role_set & STAFF_ROLES:
        return True
    return bool(user.is_superuser and user.agency_id is None and user.enterprise_id is None)


def library_queryset_for_user(*, user: Any) -> QuerySet[LibraryCase]:
    """The entries the user may see: the case's office and the offices above it (the
    scope covers the case), and the offices under the entry's share prefix."""
    if not _staff(user):
        return LibraryCase.objects.none()
    scope = user.scope
    if scope.prefix is None:
        return LibraryCase.objects.none()
    if scope.prefix == "":
        return LibraryCase.objects.all()
    prefixes = [scope.prefix[:n] for n in _LEVEL_LENGTHS if n <= len(scope.prefix)]
    return LibraryCase.objects.filter(scope.q("jurisdiction_code") | Q(share_prefix__in=prefixes))


def library_list_for_user(
    *, user: Any, article: str = "", tag: str = "", q: str = ""
) -> QuerySet[LibraryCase]:
    qs = library_queryset_for_user(user=user)
    if article:
        qs = qs.filter(provisions__code=article)
    if tag:
        ids = [e.pk for e in qs.only("id", "tags") if tag in (e.tags or [])]
        qs = qs.filter(pk__in=ids)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.select_related("agency").prefetch_related("provisions").distinct()


def library_get_for_user(*, user: Any, pk: Any) -> LibraryCase:
    try:
        return (
            library_queryset_for_user(user=user)
            .select_related("agency", "author")
            .prefetch_related("provisions", "comments")
            .get(pk=pk)
        )
    except (LibraryCase.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def library_tags_for_user(*, user: Any) -> list[str]:
    tags: set[str] = set()
    for entry in library_queryset_for_user(user=user).only("id", "tags"):
        tags.update(entry.tags or [])
    return sorted(tags)
