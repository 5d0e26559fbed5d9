"""Reads for the rectification pages and the enterprise portal that ``selectors`` does not
give: the documents around one order, the portal's list of orders and the documents of the
unit's closed inspections. Every read starts from a scoped selector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from inspectorate.core.models import IssuedDocument
from inspectorate.core.record import subject_of
from inspectorate.inspections.models import Inspection, InspectionState, OnSiteMeasure
from inspectorate.inspections.selectors import inspection_queryset_for_user
from inspectorate.rectification.models import RectificationOrder
from inspectorate.rectification.selectors import (
    OPEN_STATES,
    order_is_overdue,
    order_list_for_user,
)

PORTAL_DOCUMENTS_SHOWN = 100


def _subjects_q(subjects: list[Any]) -> Q:
    by_type: dict[str, list[str]] = {}
    for subject in subjects:
        subject_type, subject_id = subject_of(subject)
        by_type.setdefault(subject_type, []).append(subject_id)
    q = Q(pk__in=[])
    for subject_type, ids in by_type.items():
        q |= Q(subject_type=subject_type, subject_id__in=ids)
    return q


def order_documents(order: RectificationOrder, reinspections: list[Inspection]) -> list[Any]:
    """The order's documents, those of its inspection and of its re-inspections, in the order
    they were issued."""
    measures = list(OnSiteMeasure.objects.filter(inspection=order.inspection_id))
    subjects: list[Any] = [order, order.inspection, *reinspections, *measures]
    return list(IssuedDocument.objects.filter(_subjects_q(subjects)).order_by("issued_at", "id"))


def portal_orders(*, user: Any, today: dt.date) -> list[tuple[RectificationOrder, bool]]:
    """The enterprise's orders, open ones first (soonest due first), with "overdue"."""
    orders = list(order_list_for_user(user=user, today=today))
    orders.sort(key=lambda o: (o.state not in OPEN_STATES, o.due_date, o.pk))
    return [(o, order_is_overdue(o, today)) for o in orders]


def portal_documents(*, user: Any) -> list[IssuedDocument]:
    """The documents of the unit's closed inspections (records, measures, review opinions)
    and of its orders: what was handed to it, newest first."""
    inspections = list(
        inspection_queryset_for_user(user=user)
        .filter(state=InspectionState.CLOSED)
        .order_by("-started_at")[:PORTAL_DOCUMENTS_SHOWN]
    )
    measures = list(OnSiteMeasure.objects.filter(inspection__in=inspections))
    orders = list(RectificationOrder.objects.filter(inspection__in=inspections))
    subjects: list[Any] = [*inspections, *measures, *orders]
    if not subjects:
        return []
    return list(
        IssuedDocument.objects.filter(_subjects_q(subjects)).order_by("-issued_at", "-id")[
            :PORTAL_DOCUMENTS_SHOWN
        ]
    )


def documents_visible_to(documents: list[Any], *, user: Any) -> list[Any]:
    """Of ``documents``, those the user may download (an enterprise: what was issued to it)."""
    from inspectorate.rectification.selectors import enterprise_may_see_document

    enterprise_ids = user.scope.enterprise_ids
    if not enterprise_ids:
        return [d for d in documents if user.scope.covers(d.jurisdiction_code)]
    return [d for d in documents if enterprise_may_see_document(d, enterprise_ids)]
