"""Reads of the organisation, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.core.errors import NotFound
from inspectorate.org.models import Agency, Jurisdiction, User


def jurisdiction_list_for_user(*, user: Any) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(user.scope.q("code")).order_by("code")


def agency_list_for_user(*, user: Any) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(user.scope.q("jurisdiction_id"))
        .select_related("jurisdiction")
        .order_by("jurisdiction_id", "code")
    )


def officer_list_for_user(*, user: Any) -> QuerySet[User]:
    return (
        User.objects.filter(user.scope.q("agency__jurisdiction_id"), agency__isnull=False)
        .select_related("agency__jurisdiction")
        .prefetch_related("roles", "certificates__sectors")
        .order_by("agency__jurisdiction_id", "username")
    )


def officer_get_for_user(*, user: Any, pk: Any) -> User:
    try:
        return officer_list_for_user(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
