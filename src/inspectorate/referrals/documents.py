"""The documents of a transfer (国务院令310 Arts. 5, 6, 9), issued through
:func:`inspectorate.core.documents.document_issue` (numbered, rendered in Chinese to PDF
and DOCX, hashed, recorded) in the caller's transaction:

* 涉嫌犯罪案件移送审批表 — the case, the trigger met with its law, the special team and
  their certificates (Art. 5 ¶1), the written report, and the head's decision: approved
  with the moment the transfer is due (24 hours), or not approved with the reasons (¶2).
* 涉嫌犯罪案件移送书 — to the police at the same level, with the attachments of Art. 6 and
  the receipt the police sign (Art. 7).
* 涉案物品清单 — Art. 4 ¶2, Art. 6 (3).
* 提请复议书 — Art. 9 ¶1: the refusal notice and the grounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.documents import (
    Block,
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    Signature,
    Signatures,
    Table,
    document_issue,
    format_date,
)
from inspectorate.core.models import IssuedDocument
from inspectorate.core.record import subject_of
from inspectorate.inspections.documents import format_datetime, officer_text, person_name
from inspectorate.referrals import rules
from inspectorate.referrals.models import AttachmentKind, Referral, ReferralState

K = DocumentKind


@dataclass(frozen=True)
class Request:
    referral: Referral
    actor: Any
    on: dt.date
    extra: dict[str, Any]


Builder = Callable[[Request, str], DocumentContent]


def latest(referral: Referral, kind: str) -> IssuedDocument | None:
    subject_type, subject_id = subject_of(referral)
    return (
        IssuedDocument.objects.filter(subject_type=subject_type, subject_id=subject_id, kind=kind)
        .order_by("-issued_at", "-id")
        .first()
    )


def _case_rows(referral: Referral) -> tuple[FieldRow, ...]:
    case = referral.case
    trigger = referral.flag.trigger
    return (
        FieldRow(_("Case number"), case.number or f"#{case.pk}"),
        FieldRow(_("Party"), case.party_name),
        FieldRow(_("Cause of action"), case.summary),
        FieldRow(_("Suspected crime"), f"{trigger.crime}（{trigger.criminal_article}）"),
        FieldRow(_("Standard met"), trigger.citation or trigger.criminal_article),
    )


def _facts_text(referral: Referral) -> str:
    trigger = referral.flag.trigger
    parts = []
    for key, value in (referral.flag.facts or {}).items():
        if key == "conduct":
            value = (trigger.conducts or {}).get(value, value)
        elif isinstance(value, int):
            value = f"{value:,}"
        parts.append(f"{rules.FACT_LABELS.get(key, key)}：{value}")
    return _("; ").join(str(p) for p in parts)


def _team(referral: Referral) -> str:
    return _(", ").join(
        officer_text(m.officer, m.certificate) for m in referral.members.select_related("officer")
    )


def approval_content(request: Request, number: str) -> DocumentContent:
    referral = request.referral
    head = request.actor
    if referral.state == ReferralState.REFUSED:
        decision = _("Transfer not approved. Reasons: %(reasons)s") % {
            "reasons": referral.refusal_reasons
        }
    else:
        decision = _(
            "Transfer to %(police)s approved. Under Article 5 ¶2 of the Regulation on the "
            "transfer of suspected crimes by administrative law-enforcement organs, the case "
            "is to be transferred within 24 hours, by %(due)s."
        ) % {
            "police": referral.police,
            "due": format_datetime(referral.transfer_due_at or timezone.now()),
        }
    submitted = referral.submitted_at
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(referral),
                FieldRow(_("Facts that met the standard"), _facts_text(referral)),
                FieldRow(_("Special team (Art. 5)"), _team(referral)),
                FieldRow(
                    _("Report submitted on"),
                    format_datetime(submitted) if submitted else "",
                ),
                FieldRow(_("Police at the same level"), referral.police),
            )
        ),
        Paragraph(_("Written report on the transfer of a suspected crime"), style="heading"),
        Paragraph(referral.report),
        Paragraph(decision, label=_("Decision of the head of the bureau: ")),
        Signatures(
            lines=(
                *(
                    Signature(role=_("Special team member"), name=person_name(m.officer))
                    for m in referral.members.select_related("officer")
                ),
                Signature(role=_("Head of the bureau"), name=person_name(head)),
            )
        ),
    ]
    return DocumentContent(
        title=_("Approval form for transferring a suspected crime"),
        number=number,
        issuer=referral.agency.name,
        party=referral.case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


def _attachment_lines(referral: Referral) -> list[str]:
    lines = [
        str(_("Investigation report on the suspected crime")),
        str(_("List of items involved in the case")),
    ]
    for a in referral.attachments.filter(kind__in=(AttachmentKind.EXPERT, AttachmentKind.OTHER)):
        lines.append(a.title)
    return lines


def letter_content(request: Request, number: str) -> DocumentContent:
    referral = request.referral
    case = referral.case
    trigger = referral.flag.trigger
    attachments = _attachment_lines(referral)
    blocks: list[Block] = [
        Paragraph(_("%(police)s:") % {"police": referral.police}, style="plain"),
        Paragraph(
            _(
                "In investigating the case of %(party)s (%(cause)s), this bureau found that the "
                "facts meet the standard of %(citation)s and are suspected of the crime of "
                "%(crime)s (%(article)s). Under Articles 3 and 6 of the Regulation on the "
                "transfer of suspected crimes by administrative law-enforcement organs, the "
                "case is transferred to you to be dealt with according to law. Please sign "
                "the receipt below (Article 7)."
            )
            % {
                "party": case.party_name,
                "cause": case.summary,
                "citation": trigger.citation or trigger.criminal_article,
                "crime": trigger.crime,
                "article": trigger.criminal_article,
            }
        ),
        Paragraph(_("Attachments (Article 6)"), style="heading"),
        *(Paragraph(f"{n}. {line}", style="plain") for n, line in enumerate(attachments, start=1)),
        Paragraph(_("Receipt of the transfer letter"), style="heading"),
        Paragraph(
            _(
                "The letter %(number)s and its %(count)s attachments were received on "
                "________ at ____:____."
            )
            % {"number": number, "count": len(attachments)},
            style="plain",
        ),
        Signatures(
            lines=(
                Signature(role=_("Receiving public security organ (seal)")),
                Signature(role=_("Received by (police officer)")),
            )
        ),
    ]
    return DocumentContent(
        title=_("Letter transferring a case of suspected crime"),
        number=number,
        issuer=referral.agency.name,
        party=referral.police,
        date=request.on,
        blocks=tuple(blocks),
    )


def item_list_content(request: Request, number: str) -> DocumentContent:
    referral = request.referral
    rows = tuple(
        (str(n), item.get("name", ""), item.get("quantity", ""), item.get("note", ""))
        for n, item in enumerate(referral.items or [], start=1)
    )
    body: Block
    if rows:
        body = Table(
            headers=(_("No."), _("Item involved"), _("Quantity"), _("Note")),
            rows=rows,
            widths=(8, 42, 18, 32),
        )
    else:
        body = Paragraph(_("No item was seized in this case."), style="plain")
    blocks: list[Block] = [
        Fields(rows=_case_rows(referral)[:3]),
        body,
        Signatures(
            lines=tuple(
                Signature(role=_("Special team member"), name=person_name(m.officer))
                for m in referral.members.select_related("officer")
            )
        ),
    ]
    return DocumentContent(
        title=_("List of items involved in the case"),
        number=number,
        issuer=referral.agency.name,
        party=referral.case.party_name,
        date=request.on,
        blocks=tuple(blocks),
    )


def reconsideration_content(request: Request, number: str) -> DocumentContent:
    referral = request.referral
    grounds = str(request.extra.get("grounds", "")).strip()
    blocks: list[Block] = [
        Paragraph(_("%(police)s:") % {"police": referral.police}, style="plain"),
        Paragraph(
            _(
                "On %(date)s you notified this bureau (%(notice)s) that you would not file the "
                "case of %(party)s that this bureau transferred to you as a suspected crime of "
                "%(crime)s. This bureau holds that the case should be filed, for these "
                "reasons: %(grounds)s"
            )
            % {
                "date": format_date(referral.police_decided_on or request.on),
                "notice": referral.police_document,
                "party": referral.case.party_name,
                "crime": referral.flag.trigger.crime,
                "grounds": grounds,
            }
        ),
        Paragraph(
            _(
                "Under Article 9 ¶1 of the Regulation on the transfer of suspected crimes by "
                "administrative law-enforcement organs, this bureau asks you to reconsider and "
                "to notify it in writing of your decision within 3 days of receiving this "
                "request."
            )
        ),
    ]
    return DocumentContent(
        title=_("Request for reconsideration"),
        number=number,
        issuer=referral.agency.name,
        party=referral.police,
        date=request.on,
        blocks=tuple(blocks),
    )


BUILDERS: dict[str, Builder] = {
    K.REFERRAL_APPROVAL: approval_content,
    K.REFERRAL_LETTER: letter_content,
    K.REFERRAL_ITEM_LIST: item_list_content,
    K.REFERRAL_RECONSIDERATION: reconsideration_content,
}


def issue(
    kind: str,
    *,
    referral: Referral,
    actor: Any,
    on: dt.date,
    extra: dict[str, Any] | None = None,
) -> IssuedDocument:
    """Build the document ``kind`` from the transfer as it stands and issue it in the
    caller's transaction. ``extra``: the reconsideration request's ``grounds``."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"No transfer document builder for {kind!r}")
    request = Request(referral=referral, actor=actor, on=on, extra=extra or {})
    return document_issue(
        kind=kind,
        agency=referral.agency,
        subject=referral,
        build=lambda number: builder(request, number),
        actor=actor,
        jurisdiction_code=referral.jurisdiction_code,
        on=on,
    )
