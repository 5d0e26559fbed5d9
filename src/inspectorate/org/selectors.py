"""Reads of the organisation, scoped to the user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from inspectorate.core.errors import NotFound
from inspectorate.org.certificate_rules import REMINDER_DAYS
from inspectorate.org.models import Agency, Certificate, CertificateStatus, Jurisdiction, User


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


def certificate_list_for_user(*, user: Any) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(user.scope.q("officer__agency__jurisdiction_id"))
        .select_related("officer__agency")
        .order_by("valid_until", "number")
    )


def certificate_get_for_user(*, user: Any, pk: Any) -> Certificate:
    try:
        return certificate_list_for_user(user=user).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def certificates_expiring_for_user(
    *, user: Any, today: dt.date, within_days: int = REMINDER_DAYS
) -> QuerySet[Certificate]:
    """Certificates not revoked whose validity ends within ``within_days`` from ``today``."""
    return certificate_list_for_user(user=user).filter(
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=within_days),
        status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED],
    )


def certificates_expiring(
    *, today: dt.date, within_days: int = REMINDER_DAYS
) -> QuerySet[Certificate]:
    """All offices: for the reminder command (no user)."""
    return (
        Certificate.objects.filter(
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=within_days),
            status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED],
        )
        .select_related("officer__agency")
        .order_by("officer__agency__jurisdiction_id", "valid_until", "number")
    )
