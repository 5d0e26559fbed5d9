"""The supervision notice (督办通知书): what it says, issued through core.documents.

The notice names the supervised office (the addressee), the matter (a case, a hazard, an
enterprise or a matter in words), what the issuer requires, and the date by which the
supervised office replies in writing with the measures it took and their result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.documents import (
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    document_issue,
    format_date,
)
from inspectorate.core.models import IssuedDocument
from inspectorate.oversight.models import SubjectKind, SupervisionOrder


def subject_text(order: SupervisionOrder) -> str:
    """The matter of the order in words (in the active language)."""
    if order.subject_kind == SubjectKind.CASE and order.case is not None:
        case = order.case
        return _("Penalty case %(number)s: %(party)s, %(summary)s") % {
            "number": case.number or f"#{case.pk}",
            "party": case.party_name,
            "summary": case.summary,
        }
    if order.subject_kind == SubjectKind.FINDING and order.finding is not None:
        finding = order.finding
        return _("Hazard found on %(day)s at %(unit)s: %(text)s") % {
            "day": format_date(finding.found_on),
            "unit": finding.enterprise.name,
            "text": finding.description,
        }
    if order.subject_kind == SubjectKind.ENTERPRISE and order.enterprise is not None:
        return _("The enterprise %(name)s (%(code)s)") % {
            "name": order.enterprise.name,
            "code": order.enterprise.credit_code,
        }
    return order.subject_text


def order_content(order: SupervisionOrder, number: str, on: dt.date) -> DocumentContent:
    return DocumentContent(
        title=_("Supervision notice"),
        number=number,
        issuer=order.issuing_agency.name,
        party=order.addressee.name,
        date=on,
        addressed=True,
        blocks=(
            Fields(
                rows=(
                    FieldRow(_("Supervised office"), order.addressee.name),
                    FieldRow(_("Matter supervised"), subject_text(order)),
                    FieldRow(_("Title"), order.title),
                    FieldRow(_("Reply due"), format_date(order.due_date)),
                )
            ),
            Paragraph(order.requirements, label=_("Requirements: ")),
            Paragraph(
                _(
                    "Deal with the matter above as required and report in writing to this "
                    "office by %(day)s the measures taken and their result, with the "
                    "supporting material. Where the matter cannot be dealt with by that "
                    "date, explain the reasons before it."
                )
                % {"day": format_date(order.due_date)}
            ),
        ),
    )


def issue_order(order: SupervisionOrder, *, actor: Any, on: dt.date) -> IssuedDocument:
    """Issue the notice in the caller's transaction (numbered by the issuing office)."""
    return document_issue(
        kind=DocumentKind.SUPERVISION_ORDER,
        agency=order.issuing_agency,
        subject=order,
        build=lambda number: order_content(order, number, on),
        actor=actor,
        jurisdiction_code=order.jurisdiction_code,
        on=on,
    )
