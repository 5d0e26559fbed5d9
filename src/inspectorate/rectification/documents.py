"""The official documents of a rectification (执法文书): what each one says.

* 责令限期整改指令书 — 安全生产法 Art. 65 ¶1 (2) and Art. 102: the problems, the measure and
  due date of each, the overall deadline, the duty to report, the re-inspection, what
  follows a failure (Art. 102; for a 重大事故隐患, 刑法 Art. 134-1), the remedies.
* 整改复查意见书 — the outcome of the re-inspection, line by line, and the conclusion.

Builders for :func:`inspectorate.core.documents.document_issue`; see
:mod:`inspectorate.inspections.documents` for the shared pieces.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inspectorate.core.documents import (
    Block,
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    Signatures,
    Table,
    format_date,
)
from inspectorate.inspections.documents import (
    finding_article,
    finding_description,
    format_period,
    government_of,
    is_major,
    local,
    officer_signatures,
    officers_text,
    receipt_signature,
    unit_head_signature,
)
from inspectorate.inspections.models import Answer, AnswerResult, Finding, Inspection
from inspectorate.rectification.models import RectificationOrder

#: What a re-inspection answer means for the reviewed finding.
REVIEW_OUTCOMES = {
    AnswerResult.COMPLIANT: gettext_noop("Rectified"),
    AnswerResult.FINDING: gettext_noop("Not rectified"),
    AnswerResult.NOT_APPLICABLE: gettext_noop("Not applicable"),
    AnswerResult.UNANSWERED: gettext_noop("Not reviewed"),
}


def _crime_warning() -> Paragraph:
    return Paragraph(
        _(
            "Refusing to carry out an order, given because of a major accident hazard, to "
            "suspend production or business, to stop using equipment, facilities or sites, or "
            "to remove the danger at once, where there is a real danger of a major accident "
            "or other serious consequences, is suspected of being the crime of dangerous "
            "operations under Article 134-1 of the Criminal Law and will be transferred to "
            "the judicial authorities."
        )
    )


# ---------------------------------------------------------------------------------------
# 责令限期整改指令书
# ---------------------------------------------------------------------------------------


def order_content(
    order: RectificationOrder, number: str, *, on: dt.date | None = None
) -> DocumentContent:
    """责令限期整改指令书. ``on`` defaults to the day the order was issued."""
    inspection = order.inspection
    enterprise = order.enterprise
    lines = list(order.lines.select_related("finding").order_by("id"))
    blocks: list[Block] = [
        Paragraph(
            _(
                "On %(date)s, the inspectors of this bureau inspected your unit on site at "
                "%(place)s and found the problems listed below. Under %(basis)s, you are "
                "ordered to rectify them within the time limits below:"
            )
            % {
                "date": format_date(local(inspection.started_at).date()),
                "place": inspection.place,
                "basis": _("Article 65(1)(ii) and Article 102 of the Work Safety Law"),
            }
        ),
        Table(
            headers=(
                _("No."),
                _("Problem found"),
                _("Provision violated"),
                _("Required measure"),
                _("Rectify by"),
            ),
            rows=tuple(
                (
                    str(n),
                    _("%(problem)s (%(grade)s)")
                    % {
                        "problem": finding_description(line.finding),
                        "grade": line.finding.get_grade_display(),
                    },
                    finding_article(line.finding),
                    line.measure,
                    format_date(line.due_date),
                )
                for n, line in enumerate(lines, start=1)
            ),
            widths=(8, 27, 21, 24, 20),
        ),
        Paragraph(
            _(
                "All the problems above must be rectified by %(date)s, each one by the date "
                "given for it."
            )
            % {"date": format_date(order.due_date)}
        ),
        Paragraph(
            _(
                "While rectifying, take the measures needed to keep the work safe. When the "
                "rectification is complete, report it to this bureau in writing (you may report "
                "through the enterprise portal) with the supporting evidence; this bureau will "
                "then re-inspect."
            )
        ),
        Paragraph(
            _(
                "If you do not take measures to remove the hazards, this bureau will impose a "
                "fine of up to 50,000 yuan under Article 102 of the Work Safety Law; if you "
                "refuse to comply, you will be ordered to suspend production and business for "
                "rectification, and the persons directly in charge and other directly "
                "responsible persons will be fined 50,000 to 100,000 yuan; where a crime is "
                "constituted, criminal liability will be pursued."
            )
        ),
    ]
    if any(is_major(line.finding) for line in lines):
        blocks.append(_crime_warning())
    blocks.append(
        Paragraph(
            _(
                "If you do not accept this order, you may apply to %(government)s for "
                "administrative reconsideration within 60 days of receiving it, or bring an "
                "administrative lawsuit before a people's court within 6 months of receiving "
                "it. The order is not suspended during reconsideration or litigation."
            )
            % {"government": government_of(order.agency)}
        )
    )
    blocks.append(
        Paragraph(officers_text(inspection), label=_("Law-enforcement officers: "), style="plain")
    )
    blocks.append(
        Signatures(
            lines=(
                *officer_signatures(inspection),
                receipt_signature(inspection.unit_head_name),
            )
        )
    )
    return DocumentContent(
        title=_("Order to rectify within a time limit"),
        number=number,
        issuer=order.agency.name,
        party=enterprise.name,
        date=on or order.issued_on,
        blocks=tuple(blocks),
        addressed=True,
    )


# ---------------------------------------------------------------------------------------
# 整改复查意见书
# ---------------------------------------------------------------------------------------


def _due_date(finding: Finding) -> str:
    try:
        return format_date(finding.order_line.due_date)
    except ObjectDoesNotExist:
        return format_date(finding.due_date) if finding.due_date else ""


def _outcome(answer: Answer) -> str:
    return _(REVIEW_OUTCOMES[AnswerResult(answer.result)])


def review_content(
    reinspection: Inspection, number: str, *, on: dt.date | None = None
) -> DocumentContent:
    """整改复查意见书 for a re-inspection (``reinspection.reinspection_of`` is the order).

    ``on`` defaults to the day the re-inspection began.
    """
    order = reinspection.reinspection_of
    if order is None:
        raise ValueError("review_content needs a re-inspection of a rectification order")
    enterprise = reinspection.enterprise
    day = on or local(reinspection.started_at).date()
    answers = list(
        reinspection.answers.filter(prior_finding__isnull=False)
        .select_related("prior_finding")
        .order_by("sort", "id")
    )
    values = {
        "issued": format_date(order.issued_on),
        "due": format_date(order.due_date),
        "date": format_date(day),
        "place": reinspection.place,
    }
    if order.document_id is not None and order.document is not None:
        intro = _(
            "On %(issued)s this bureau issued to your unit the Order to rectify within a time "
            "limit %(number)s, ordering the problems below to be rectified by %(due)s. On "
            "%(date)s, the inspectors of this bureau re-inspected the rectification at "
            "%(place)s. The opinion of the review is as follows:"
        ) % {**values, "number": order.document.number}
    else:
        intro = (
            _(
                "On %(issued)s this bureau ordered your unit to rectify the problems below by "
                "%(due)s. On %(date)s, the inspectors of this bureau re-inspected the "
                "rectification at %(place)s. The opinion of the review is as follows:"
            )
            % values
        )
    blocks: list[Block] = [
        Paragraph(intro),
        Fields(
            rows=(
                FieldRow(
                    _("Time of re-inspection"),
                    format_period(reinspection.started_at, reinspection.ended_at),
                ),
                FieldRow(_("Place of re-inspection"), reinspection.place),
                FieldRow(_("Inspectors"), officers_text(reinspection)),
            )
        ),
        Table(
            headers=(
                _("No."),
                _("Problem found"),
                _("Rectify by"),
                _("Review result"),
                _("Review note"),
            ),
            rows=tuple(
                (
                    str(n),
                    finding_description(answer.prior_finding),
                    _due_date(answer.prior_finding),
                    _outcome(answer),
                    answer.note,
                )
                for n, answer in enumerate(answers, start=1)
                if answer.prior_finding is not None
            ),
            widths=(8, 33, 20, 12, 27),
        ),
    ]
    # Only a finding found compliant is rectified (as rectification.services.review_conclude
    # decides): one marked not applicable, or not reviewed, stays open on the order.
    remaining = [
        answer.prior_finding
        for answer in answers
        if answer.prior_finding is not None and answer.result != AnswerResult.COMPLIANT
    ]
    if answers and not remaining:
        blocks.append(
            Paragraph(
                _(
                    "The problems above have all been rectified. The rectification passes the "
                    "review and the order is closed."
                ),
                label=_("Conclusion: "),
            )
        )
    else:
        listed = _("; ").join(
            _("%(n)s. %(problem)s") % {"n": n, "problem": f.description}
            for n, f in enumerate(remaining, start=1)
        )
        blocks.append(
            Paragraph(
                _("The following problems have not been rectified: %(list)s.") % {"list": listed},
                label=_("Conclusion: "),
            )
        )
        blocks.append(
            Paragraph(
                _(
                    "Continue the rectification and keep the work safe meanwhile. This bureau "
                    "will deal with the hazards not removed under Article 102 of the Work "
                    "Safety Law: a penalty case is opened and, if you refuse to comply, you "
                    "will be ordered to suspend production and business for rectification."
                )
            )
        )
        if any(is_major(f) for f in remaining):
            blocks.append(_crime_warning())
    blocks.append(
        Signatures(lines=(*officer_signatures(reinspection), unit_head_signature(reinspection)))
    )
    return DocumentContent(
        title=_("Rectification review opinion"),
        number=number,
        issuer=reinspection.agency.name,
        party=enterprise.name,
        date=day,
        blocks=tuple(blocks),
        addressed=True,
    )
