"""The official documents of an inspection (执法文书): what each one says.

Each builder turns model rows into a :class:`~inspectorate.core.documents.DocumentContent`
for :func:`~inspectorate.core.documents.document_issue`, which calls it in Chinese::

    document_issue(
        kind=DocumentKind.INSPECTION_RECORD,
        agency=inspection.agency,
        subject=inspection,
        build=lambda number: inspection_record_content(inspection, number),
        actor=officer,
        jurisdiction_code=inspection.jurisdiction_code,
    )

* 现场检查记录 — 安全生产法 Art. 68: time, place, content, the problems found and how they
  were handled, signed by the inspectors and the unit's head (a refusal is recorded).
* 现场处理措施决定书 — Art. 65 ¶1 (2)/(3): the measure decided on the spot.
* 查封扣押决定书 — Art. 65 ¶1 (4) and 行政强制法 Arts. 24–25: party, reasons, basis,
  the list of sites/facilities/property, the 30-day period, the remedies.

Times are printed in Beijing time. The remedies are 行政复议 within 60 days (行政复议法
Art. 20) before the government at the agency's level (Art. 24), or 行政诉讼 within 6 months
(行政诉讼法 Art. 46); neither suspends the decision (行政复议法 Art. 42, 行政诉讼法 Art. 56).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from inspectorate.core.documents import (
    Block,
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    Signature,
    Signatures,
    Table,
    format_date,
)
from inspectorate.inspections.models import (
    AnswerResult,
    Finding,
    HazardGrade,
    HeadSignature,
    Inspection,
    MeasureKind,
    OnSiteMeasure,
)
from inspectorate.org.models import Agency, JurisdictionLevel, User
from inspectorate.registry.models import Enterprise

#: Documents print Beijing time, whatever the server's or the user's time zone.
DOCUMENT_TZ = ZoneInfo("Asia/Shanghai")

#: 行政强制法 Art. 25: a seal or seizure lasts at most 30 days (extendable once by 30).
SEAL_DAYS = 30

#: Measures after which production or use resumes only once the office has reviewed the
#: removal of the major hazard (安全生产法 Art. 65 ¶1 (3)).
RESUME_AFTER_REVIEW = frozenset(
    {MeasureKind.WITHDRAW_WORKERS, MeasureKind.STOP_EQUIPMENT, MeasureKind.STOP_PRODUCTION}
)


# ---------------------------------------------------------------------------------------
# Shared pieces (also used by inspectorate.rectification.documents)
# ---------------------------------------------------------------------------------------


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Beijing time."""
    return moment.astimezone(DOCUMENT_TZ)


def format_datetime(moment: dt.datetime) -> str:
    moment = local(moment)
    return f"{format_date(moment.date())} {moment:%H:%M}"


def format_period(start: dt.datetime, end: dt.datetime | None) -> str:
    """``2026年3月2日 09:30至11:45`` (or two full times when the inspection ran overnight)."""
    if end is None:
        return _("from %(start)s") % {"start": format_datetime(start)}
    start, end = local(start), local(end)
    if start.date() == end.date():
        return _("%(date)s %(start)s to %(end)s") % {
            "date": format_date(start.date()),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return _("%(start)s to %(end)s") % {
        "start": format_datetime(start),
        "end": format_datetime(end),
    }


def person_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def officer_text(user: User, certificate: str) -> str:
    """``张三（执法证号：650102202500001）``."""
    return _("%(name)s (enforcement certificate No. %(number)s)") % {
        "name": person_name(user),
        "number": certificate,
    }


def officers_text(inspection: Inspection) -> str:
    return _(", ").join(
        [
            officer_text(inspection.lead_officer, inspection.lead_certificate),
            officer_text(inspection.second_officer, inspection.second_certificate),
        ]
    )


def officer_signatures(inspection: Inspection) -> list[Signature]:
    return [
        Signature(role=_("Inspector"), name=person_name(inspection.lead_officer)),
        Signature(role=_("Inspector"), name=person_name(inspection.second_officer)),
    ]


def unit_head_signature(inspection: Inspection) -> Signature:
    """The unit's head signs, or their refusal is printed with the officers' note (Art. 68)."""
    refused = inspection.unit_head_signature == HeadSignature.REFUSED
    return Signature(
        role=_("Head of the inspected unit"),
        name=inspection.unit_head_name,
        refused=refused,
        refusal_note=inspection.unit_head_refusal_note if refused else "",
    )


def receipt_signature(head_name: str = "") -> Signature:
    """The party's head signs for receipt (the decision is handed over on the spot)."""
    return Signature(role=_("Party (acknowledging receipt)"), name=head_name)


def party_fields(enterprise: Enterprise) -> Fields:
    """行政强制法 Art. 24 (1): the party's name and address (and who answers for it)."""
    return Fields(
        rows=(
            FieldRow(_("Party"), enterprise.name),
            FieldRow(_("Unified social credit code"), enterprise.credit_code),
            FieldRow(_("Address"), enterprise.address),
            FieldRow(_("Legal representative (person in charge)"), enterprise.legal_representative),
        )
    )


def is_major(finding: Finding) -> bool:
    return finding.grade == HazardGrade.MAJOR


def finding_description(finding: Finding) -> str:
    if finding.location:
        return _("%(description)s (location: %(location)s)") % {
            "description": finding.description,
            "location": finding.location,
        }
    return finding.description


def finding_article(finding: Finding) -> str:
    if finding.criterion:
        return _("%(article)s; major-hazard criterion: %(criterion)s") % {
            "article": finding.violated_article,
            "criterion": finding.criterion,
        }
    return finding.violated_article


def findings_table(findings: Iterable[Finding]) -> Table:
    """序号 | 问题 | 隐患等级 | 违反条款 (and the major-hazard criterion)."""
    return Table(
        headers=(_("No."), _("Problem found"), _("Hazard grade"), _("Provision violated")),
        rows=tuple(
            (str(n), finding_description(f), f.get_grade_display(), finding_article(f))
            for n, f in enumerate(findings, start=1)
        ),
        widths=(8, 44, 17, 31),
    )


def government_of(agency: Agency) -> str:
    """The people's government at the agency's level (the 行政复议 body, 行政复议法 Art. 24).

    A district is named with its city (乌鲁木齐市天山区人民政府), as its government is.
    """
    place = agency.jurisdiction
    name = place.name
    if place.level == JurisdictionLevel.COUNTY and name.endswith("区") and place.parent:
        name = place.parent.name + name
    return _("the People's Government of %(place)s") % {"place": name}


def remedies_paragraph(agency: Agency) -> Paragraph:
    """行政复议 within 60 days or 行政诉讼 within 6 months; the decision is not suspended."""
    return Paragraph(
        _(
            "If you do not accept this decision, you may apply to %(government)s for "
            "administrative reconsideration within 60 days of receiving it, or bring an "
            "administrative lawsuit before a people's court within 6 months of receiving "
            "it. The decision is not suspended during reconsideration or litigation."
        )
        % {"government": government_of(agency)}
    )


# ---------------------------------------------------------------------------------------
# 现场检查记录
# ---------------------------------------------------------------------------------------


def _scope_paragraphs(inspection: Inspection) -> list[Block]:
    versions = inspection.checklist_versions.select_related("checklist").order_by(
        "checklist__code", "number"
    )
    names = _(", ").join(
        _("%(name)s (version %(number)s)") % {"name": v.checklist.name, "number": v.number}
        for v in versions
    )
    results = Counter(
        inspection.answers.filter(item__isnull=False).values_list("result", flat=True)
    )
    text = (
        _(
            "Under Articles 65 and 68 of the Work Safety Law, the inspectors checked how the "
            "unit complies with the work-safety laws, regulations and national or industry "
            "standards, against %(checklists)s."
        )
        % {"checklists": names}
        if names
        else _(
            "Under Articles 65 and 68 of the Work Safety Law, the inspectors checked how the "
            "unit complies with the work-safety laws, regulations and national or industry "
            "standards."
        )
    )
    blocks: list[Block] = [Paragraph(_("Scope of the inspection"), style="heading")]
    blocks.append(Paragraph(text))
    if results:
        counts = _(
            "Items checked: %(total)s; compliant: %(compliant)s; problems found: "
            "%(finding)s; not applicable: %(na)s."
        ) % {
            "total": sum(results.values()),
            "compliant": results[AnswerResult.COMPLIANT],
            "finding": results[AnswerResult.FINDING],
            "na": results[AnswerResult.NOT_APPLICABLE],
        }
        if results[AnswerResult.UNANSWERED]:
            counts += _("Not answered: %(count)s.") % {"count": results[AnswerResult.UNANSWERED]}
        blocks.append(Paragraph(counts))
    return blocks


def _measure_line(n: int, measure: OnSiteMeasure) -> str:
    text = _("%(n)s. %(measure)s: %(details)s") % {
        "n": n,
        "measure": measure.get_kind_display(),
        "details": measure.description,
    }
    if measure.document_id is not None and measure.document is not None:
        text += _(" (document %(number)s)") % {"number": measure.document.number}
    return text


def inspection_record_content(
    inspection: Inspection, number: str, *, on: dt.date | None = None
) -> DocumentContent:
    """现场检查记录 (安全生产法 Art. 68). ``on`` defaults to the day the inspection began."""
    enterprise = inspection.enterprise
    day = on or local(inspection.started_at).date()
    blocks: list[Block] = [
        Fields(
            rows=(
                FieldRow(_("Inspected unit"), enterprise.name),
                FieldRow(_("Address"), enterprise.address),
                FieldRow(_("Legal representative"), enterprise.legal_representative),
                FieldRow(_("Person in charge on site"), inspection.unit_head_name),
                FieldRow(_("Contact phone"), enterprise.contact_phone),
                FieldRow(
                    _("Time of inspection"),
                    format_period(inspection.started_at, inspection.ended_at),
                ),
                FieldRow(_("Place of inspection"), inspection.place),
                FieldRow(_("Inspectors"), officers_text(inspection)),
            )
        ),
        *_scope_paragraphs(inspection),
        Paragraph(_("Problems found"), style="heading"),
    ]
    findings = list(inspection.findings.order_by("id"))
    blocks.append(findings_table(findings) if findings else Paragraph(_("No problems were found.")))
    blocks.append(Paragraph(_("Handling of the problems"), style="heading"))
    if inspection.handling:
        blocks.append(Paragraph(inspection.handling))
    measures = list(inspection.measures.select_related("document").order_by("decided_at", "id"))
    if measures:
        blocks.append(Paragraph(_("On-site measures taken:"), style="plain"))
        blocks.extend(
            Paragraph(_measure_line(n, m), style="plain") for n, m in enumerate(measures, 1)
        )
    if not inspection.handling and not measures:
        blocks.append(Paragraph(_("None.")))
    blocks.append(
        Signatures(lines=(*officer_signatures(inspection), unit_head_signature(inspection)))
    )
    return DocumentContent(
        title=_("On-site inspection record"),
        number=number,
        issuer=inspection.agency.name,
        party=enterprise.name,
        date=day,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 现场处理措施决定书
# ---------------------------------------------------------------------------------------


def _facts_paragraph(inspection: Inspection) -> Paragraph:
    return Paragraph(
        _(
            "On %(date)s, the inspectors of this bureau inspected your unit on site at "
            "%(place)s and found the following problems:"
        )
        % {"date": format_date(local(inspection.started_at).date()), "place": inspection.place}
    )


def measure_decision_content(
    measure: OnSiteMeasure, number: str, *, on: dt.date | None = None
) -> DocumentContent:
    """现场处理措施决定书 (安全生产法 Art. 65 ¶1 (2)/(3)). ``on``: the day it was decided."""
    inspection = measure.inspection
    enterprise = inspection.enterprise
    day = on or local(measure.decided_at).date()
    findings = list(measure.findings.order_by("id"))
    blocks: list[Block] = [party_fields(enterprise), _facts_paragraph(inspection)]
    if findings:
        blocks.append(findings_table(findings))
    blocks.append(
        Paragraph(
            _("Under %(basis)s, this bureau decides to take the following on-site measure:")
            % {"basis": measure.legal_basis}
        )
    )
    blocks.append(
        Paragraph(
            measure.description, label=_("%(measure)s: ") % {"measure": measure.get_kind_display()}
        )
    )
    if measure.kind in RESUME_AFTER_REVIEW:
        blocks.append(
            Paragraph(
                _(
                    "Production, business or the use of the facilities and equipment may "
                    "resume only after the major accident hazard has been removed and this "
                    "bureau has reviewed and approved it (Work Safety Law, Article 65(1)(iii))."
                )
            )
        )
    blocks.append(remedies_paragraph(inspection.agency))
    blocks.append(
        Signatures(
            lines=(
                *officer_signatures(inspection),
                receipt_signature(inspection.unit_head_name),
            )
        )
    )
    return DocumentContent(
        title=_("Decision on on-site measures"),
        number=number,
        issuer=inspection.agency.name,
        party=enterprise.name,
        date=day,
        blocks=tuple(blocks),
    )


# ---------------------------------------------------------------------------------------
# 查封扣押决定书
# ---------------------------------------------------------------------------------------


def seal_end_date(decided_on: dt.date) -> dt.date:
    """The last day of a 30-day seal or seizure decided on ``decided_on``.

    The day of the decision is not counted (民法典 Art. 201: a period counted in days starts
    on the next day), so the period ends 30 days later.
    """
    return decided_on + dt.timedelta(days=SEAL_DAYS)


def _item_rows(items: object) -> tuple[tuple[str, str, str, str], ...]:
    rows = []
    for n, item in enumerate(items if isinstance(items, list) else [], start=1):
        entry = item if isinstance(item, dict) else {"name": item}
        rows.append(
            (
                str(n),
                str(entry.get("name") or ""),
                str(entry.get("quantity") or ""),
                str(entry.get("location") or ""),
            )
        )
    return tuple(rows)


def seal_seize_content(
    measure: OnSiteMeasure, number: str, *, on: dt.date | None = None
) -> DocumentContent:
    """查封扣押决定书 (行政强制法 Art. 24). ``on``: the day it was decided (the period's start)."""
    inspection = measure.inspection
    enterprise = inspection.enterprise
    day = on or local(measure.decided_at).date()
    action = _("seal up") if measure.kind == MeasureKind.SEAL else _("seize")
    findings = list(measure.findings.order_by("id"))
    blocks: list[Block] = [party_fields(enterprise), _facts_paragraph(inspection)]
    if findings:
        blocks.append(findings_table(findings))
    blocks.append(Paragraph(measure.description, label=_("Reasons: ")))
    blocks.append(
        Paragraph(
            _(
                "Under %(basis)s and Articles 24 and 25 of the Administrative Coercion Law, "
                "this bureau decides to %(action)s the following sites, facilities or property:"
            )
            % {"basis": measure.legal_basis, "action": action}
        )
    )
    rows = _item_rows(measure.items) or (("1", measure.description, "", ""),)
    blocks.append(
        Table(
            caption=_("List of the sites, facilities or property"),
            headers=(_("No."), _("Name"), _("Quantity"), _("Where kept")),
            rows=rows,
            widths=(8, 46, 16, 30),
        )
    )
    blocks.append(
        Paragraph(
            _(
                "The period of the measure (%(action)s) is 30 days: it is counted from the day "
                "after this decision and ends on %(end)s (Administrative Coercion Law, "
                "Article 25). If the case is complex, the head of this bureau may approve an "
                "extension of no more than 30 days; you will be told of it in writing, with "
                "the reasons."
            )
            % {"action": action, "end": format_date(seal_end_date(day))}
        )
    )
    blocks.append(
        Paragraph(
            _(
                "You must not break the seals, or move, hide, use or dispose of the sealed or "
                "seized sites, facilities or property. The list is made in two copies, kept by "
                "the party and by this bureau."
            )
        )
    )
    blocks.append(remedies_paragraph(inspection.agency))
    blocks.append(
        Signatures(
            lines=(
                *officer_signatures(inspection),
                receipt_signature(inspection.unit_head_name),
            )
        )
    )
    return DocumentContent(
        title=_("Decision to seal up or seize"),
        number=number,
        issuer=inspection.agency.name,
        party=enterprise.name,
        date=day,
        blocks=tuple(blocks),
    )
