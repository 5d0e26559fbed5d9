"""Every read of the registry, already scoped to the user (ARCHITECTURE rule 1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from inspectorate.core.errors import NotFound
from inspectorate.core.models import RecordEvent
from inspectorate.core.scoping import Scope, code_range
from inspectorate.registry.models import (
    Enterprise,
    EnterpriseStatus,
    ImportBatch,
    Licence,
    RiskClass,
)


def enterprise_scope_q(scope: Scope) -> Q:
    if scope.prefix is None and scope.enterprise_ids:  # an enterprise user: its own units
        return Q(pk__in=sorted(scope.enterprise_ids))
    return scope.q("jurisdiction_id")


def enterprise_queryset_for_user(*, user: Any) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(enterprise_scope_q(user.scope))


@dataclass(frozen=True)
class EnterpriseFilters:
    jurisdiction: str = ""  # a code prefix inside the user's scope
    sector: str = ""
    risk_class: str = ""
    status: str = ""
    q: str = ""


def enterprise_list_for_user(*, user: Any, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = enterprise_queryset_for_user(user=user)
    if filters.jurisdiction:
        low, high = code_range(filters.jurisdiction)
        qs = qs.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    if filters.risk_class:
        qs = qs.filter(risk_class=filters.risk_class)
    if filters.status:
        qs = qs.filter(status=filters.status)
    first_key: Any = "jurisdiction_id"
    term = filters.q.strip()
    if term:
        upper = term.upper()
        if len(upper) == 18 and upper.isalnum():
            qs = qs.filter(credit_code=upper)
        else:
            qs = qs.filter(
                Q(name__contains=term)
                | Q(address__contains=term)
                | Q(credit_code__startswith=upper)
            )
            # The same order as below, but through an expression that no index gives: the
            # planner then collects the matches (with the trigram indexes of migration 0003
            # on PostgreSQL, for terms of three characters or more) and sorts them. With
            # the bare columns it may instead walk enterprise_scope_name_idx, or the
            # jurisdictions' primary key, in that order, testing row after row until it
            # has a page: most of a million rows whenever it overestimates the matches,
            # as its LIKE '%...%' estimates often do (30 ms or 1.5 s for the same search,
            # depending on ANALYZE's sample). The price: a term that matches a large part
            # of the registry sorts all its matches, about a second for 400,000 rows,
            # where the walk would stop early; counting them costs half of that anyway.
            first_key = Concat("jurisdiction_id", Value(""), output_field=CharField())
    return qs.select_related("jurisdiction", "sector", "supervising_agency").order_by(
        first_key, "name", "id"
    )


def enterprise_get_for_user(*, user: Any, pk: Any) -> Enterprise:
    try:
        return (
            enterprise_queryset_for_user(user=user)
            .select_related("jurisdiction__parent__parent", "sector", "supervising_agency")
            .get(pk=pk)
        )
    except (Enterprise.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def enterprise_history(*, enterprise: Enterprise) -> QuerySet[RecordEvent]:
    """The change history: the enforcement-record events about this enterprise."""
    return RecordEvent.objects.filter(
        subject_type="registry.enterprise", subject_id=str(enterprise.pk)
    ).order_by("-occurred_at", "-seq")


def import_batch_get_for_user(*, user: Any, pk: Any) -> ImportBatch:
    scope: Scope = user.scope
    try:
        batch = ImportBatch.objects.get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not scope.covers(batch.jurisdiction_code):
        raise NotFound()
    return batch


def enterprise_summary_for_user(*, user: Any) -> dict[str, Any]:
    """Counts for the home page: by status and by risk class, within the user's scope."""
    qs = enterprise_queryset_for_user(user=user)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    by_risk = dict(qs.values_list("risk_class").annotate(n=Count("id")).order_by())
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=settings.LICENCE_EXPIRY_WARNING_DAYS)
    licences = Licence.objects.filter(enterprise__in=qs)
    return {
        "total": sum(by_status.values()),
        "by_status": [(s, by_status.get(s.value, 0)) for s in EnterpriseStatus],
        "by_risk": [(r, by_risk.get(r.value, 0)) for r in RiskClass],
        "licences_expired": licences.filter(valid_until__lt=today).count(),
        "licences_expiring": licences.filter(
            valid_until__gte=today, valid_until__lte=horizon
        ).count(),
    }


def licence_list_for_enterprise(*, enterprise: Enterprise) -> list[tuple[Licence, str]]:
    today = timezone.localdate()
    return [(lic, lic.expiry_state(today)) for lic in enterprise.licences.all()]
