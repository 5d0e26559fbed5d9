"""The office's annual assessment report as a printable document (DOCX, through
core.documents: the same blocks as the system's other documents; not numbered or issued)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inspectorate.assessment import selectors
from inspectorate.assessment.models import COMPONENTS, OfficeAssessment
from inspectorate.core.documents import (
    DOCUMENT_LANGUAGE,
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    Table,
    render_content_docx,
)


def _number(value: object) -> str:
    return "—" if value is None else str(value)


def report_content(office: OfficeAssessment) -> DocumentContent:
    from inspectorate.assessment.views import COMPONENT_LABELS

    results = selectors.office_results(office)
    summary = selectors.summarize(office.agency, office, results, len(results))
    scheme = office.scheme
    grades = "，".join(f"{label} {n}" for _code, label, n in summary.grade_rows)
    notes: list[Paragraph] = []
    if summary.quota_exceeded:
        notes.append(
            Paragraph(
                _(
                    "The share rated 优秀 exceeds the quota of %(quota)s %% of those assessed "
                    "(《公务员考核规定》); the office decides, the system does not demote anyone."
                )
                % {"quota": scheme.excellent_quota},
                style="note",
            )
        )
    if summary.redistributed:
        notes.append(
            Paragraph(
                _(
                    "* A component without data (no exam, no case file reviewed, no training "
                    "plan) dropped out; its weight was shared among the others in proportion."
                ),
                style="note",
            )
        )
    return DocumentContent(
        title=_("Annual assessment report of %(year)s") % {"year": office.year},
        number="",
        issuer=office.agency.name,
        party="",
        date=office.confirmed_on or office.computed_on,
        sealed=office.confirmed,
        blocks=(
            Fields(
                rows=(
                    FieldRow(_("Office"), office.agency.name),
                    FieldRow(_("Year"), str(office.year)),
                    FieldRow(_("Scheme"), scheme.name),
                    FieldRow(
                        _("Weights"),
                        " · ".join(
                            f"{COMPONENT_LABELS[c]} {scheme.weights()[c]}" for c in COMPONENTS
                        ),
                    ),
                    FieldRow(_("Officers assessed"), str(summary.assessed)),
                    FieldRow(_("Average total"), _number(summary.average)),
                    FieldRow(pgettext("assessment", "Grade"), grades),
                    FieldRow(
                        _("State"), _("Confirmed") if office.confirmed else _("Not confirmed")
                    ),
                )
            ),
            Table(
                headers=(
                    _("Officer"),
                    *[str(COMPONENT_LABELS[c]) for c in COMPONENTS],
                    _("Total"),
                    pgettext("assessment", "Grade"),
                ),
                rows=tuple(
                    (
                        r.officer.get_full_name() + (" *" if r.redistributed else ""),
                        *[_number(r.score(c)) for c in COMPONENTS],
                        _number(r.total),
                        r.get_grade_display() if r.grade else "—",
                    )
                    for r in results
                ),
                widths=(16, 12, 10, 12, 12, 12, 10, 16),
            ),
            *notes,
        ),
    )


def report_docx(office: OfficeAssessment) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_content_docx(report_content(office))
