"""Every read of rectification orders, scoped: staff by jurisdiction, an enterprise by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from inspectorate.core.errors import NotFound
from inspectorate.core.models import IssuedDocument
from inspectorate.rectification.models import (
    OrderState,
    RectificationOrder,
)

OPEN_STATES = (
    OrderState.ISSUED,
    OrderState.REPORTED,
    OrderState.REINSPECTING,
    OrderState.UNRECTIFIED,
)


def order_queryset_for_user(*, user: Any) -> QuerySet[RectificationOrder]:
    scope = user.scope
    if scope.enterprise_ids:
        return RectificationOrder.objects.filter(enterprise_id__in=scope.enterprise_ids)
    return RectificationOrder.objects.filter(scope.q("jurisdiction_code"))


def order_get_for_user(*, user: Any, pk: Any) -> RectificationOrder:
    try:
        return (
            order_queryset_for_user(user=user)
            .select_related("enterprise", "agency", "inspection", "document", "issued_by")
            .get(pk=pk)
        )
    except (RectificationOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def order_list_for_user(
    *, user: Any, state: str = "", overdue: bool = False, today: dt.date | None = None
) -> QuerySet[RectificationOrder]:
    today = today or timezone.localdate()
    qs = (
        order_queryset_for_user(user=user)
        .select_related("enterprise", "document")
        .annotate(open_lines=Count("lines", filter=Q(lines__state="open")))
        .order_by("due_date", "id")
    )
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=OrderState.ISSUED, due_date__lt=today)
    return qs


def order_is_overdue(order: RectificationOrder, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return order.state == OrderState.ISSUED and order.due_date < today


def order_detail(order: RectificationOrder) -> dict[str, Any]:
    return {
        "lines": list(order.lines.select_related("finding").order_by("id")),
        "submissions": list(
            order.submissions.prefetch_related("files").select_related("submitted_by")
        ),
        "extensions": list(order.extensions.select_related("approved_by")),
        "reinspections": list(order.reinspections.order_by("started_at")),
        "proposals": list(order.proposals.all()),
    }


def enterprise_may_see_document(document: IssuedDocument, enterprise_ids: frozenset[int]) -> bool:
    """An enterprise sees the documents issued to it: about its inspections and orders."""
    from inspectorate.inspections.models import Inspection, OnSiteMeasure

    if document.subject_type == "inspections.inspection":
        return Inspection.objects.filter(
            pk=document.subject_id, enterprise_id__in=enterprise_ids, state="closed"
        ).exists()
    if document.subject_type == "inspections.onsitemeasure":
        return OnSiteMeasure.objects.filter(
            pk=document.subject_id, inspection__enterprise_id__in=enterprise_ids
        ).exists()
    if document.subject_type == "rectification.rectificationorder":
        return RectificationOrder.objects.filter(
            pk=document.subject_id, enterprise_id__in=enterprise_ids
        ).exists()
    return False
