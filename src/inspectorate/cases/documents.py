"""The official documents of a penalty case (执法文书, LEGAL-RULES §1.10): what each one says.

:func:`issue` builds the document of a kind from the case as it stands and issues it with
:func:`~inspectorate.core.documents.document_issue` (numbered, rendered in Chinese to PDF and
DOCX, hashed, recorded), in the caller's transaction::

    issue(DocumentKind.PENALTY_DECISION, case=case, actor=head, on=today, extra={"bank": …})

* 立案审批表 — the case, its source, party, cause, facts, the limitation period (行政处罚法
  Art. 36), the two investigators with their certificates (Art. 42), the approval.
* 询问笔录 — the two officers showed their certificates (Art. 55), the person's duties and
  rights, the questions and answers, signatures.
* 案件调查报告 — facts, evidence (Art. 46), each violation with its discretion, the total
  under Art. 29 (one fine for one act), the conclusion.
* 法制审核意见书 / 集体讨论记录 — the latest review of that step (Arts. 58, 57 ¶2).
* 行政处罚告知书 — Art. 44: intended penalty, facts, reasons, basis, the right to state one's
  case and, where due, to a hearing; Art. 45: no heavier penalty for it.
* 听证告知书 / 听证笔录 — Arts. 63–64.
* 行政处罚决定书 — Art. 59's six items, the fine in figures and in capital numerals, payment
  within 15 days at a bank (Art. 67, 罚缴分离), the 3 % daily surcharge capped at the fine
  (Art. 72), the remedies; 不予行政处罚决定书 for a case decided without a penalty.
* 当场行政处罚决定书 — Arts. 51–52, filed (备案) with the office.
* 送达回执 — Art. 61. 罚款催缴通知书 — 行政强制法 Arts. 35, 53–54. 结案审批表 — execution.

:func:`case_file_build` binds every document of the case, in the official order, behind a
cover (案卷首页) and an index (卷内目录) into one PDF, the 案卷.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from inspectorate.cases import rules
from inspectorate.cases.models import (
    Case,
    CaseViolation,
    Interview,
    Outcome,
    PartyKind,
    Review,
)
from inspectorate.core.document_kinds import DocumentKind
from inspectorate.core.documents import (
    MARGIN_RIGHT_MM,
    Block,
    DocumentContent,
    FieldRow,
    Fields,
    Paragraph,
    Signature,
    Signatures,
    Table,
    document_issue,
    document_issue_assembled,
    format_date,
    render_content_pdf,
)
from inspectorate.core.models import IssuedDocument
from inspectorate.core.record import subject_of
from inspectorate.inspections.documents import (
    format_period,
    government_of,
    local,
    officer_text,
    person_name,
)
from inspectorate.org.models import User

K = DocumentKind

# ---------------------------------------------------------------------------------------
# 大写金额
# ---------------------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")


def _group_in_words(group: int) -> str:
    """1–9999 in capital numerals, one 零 for each run of zeros between digits."""
    words: list[str] = []
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words.append("零")
            zero = False
        words.append(_DIGITS[digit] + _PLACES[place])
    return "".join(words)


def _in_words(number: int) -> str:
    """A positive number: 亿 above 万 above the units, 零 where a section starts with zeros."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if number >= size:
            high, low = divmod(number, size)
            rest = ("零" if low < size // 10 else "") + _in_words(low) if low else ""
            return _in_words(high) + unit + rest
    return _group_in_words(number)


def amount_in_words(amount: int) -> str:
    """A whole amount of yuan in Chinese capital numerals (大写), as fines are written:
    50000 → 伍万元整, 12345 → 壹万贰仟叁佰肆拾伍元整, 10001 → 壹万零壹元整.

    Raises:
        ValueError: for a negative amount or one of 10^16 yuan or more.
    """
    if amount < 0 or amount >= 10**16:
        raise ValueError(f"amount out of range: {amount}")
    return (_in_words(amount) if amount else "零") + "元整"


def _figure(amount: int | Decimal) -> str:
    return f"{amount:,.2f}" if isinstance(amount, Decimal) else f"{amount:,}"


def yuan(amount: int | Decimal) -> str:
    """``50,000元`` (a Decimal with its fen: ``1,234.50元``)."""
    return _("%(amount)s yuan") % {"amount": _figure(amount)}


def yuan_in_full(amount: int) -> str:
    """``人民币50,000元（大写：伍万元整）``."""
    return _("%(amount)s yuan (in words: %(words)s)") % {
        "amount": _figure(amount),
        "words": amount_in_words(amount),
    }


# ---------------------------------------------------------------------------------------
# What a builder is given
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What :func:`issue` was asked for: the case, who issues, on which day, the subject
    (an interview for its record) and the values the case does not hold (``extra``)."""

    case: Case
    actor: Any
    on: dt.date
    subject: Model | None
    extra: dict[str, Any]

    def need(self, key: str) -> Any:
        try:
            return self.extra[key]
        except KeyError:
            raise ValueError(f"extra[{key!r}] is required for this document") from None


Builder = Callable[[Request, str], DocumentContent]

#: The discretion tiers of ``cases.discretion.Tier``.
TIER_LABELS = {
    "none": gettext_noop("no penalty"),
    "waivable": gettext_noop("first offence, penalty may be waived"),
    "mitigated": gettext_noop("mitigated penalty (below the minimum)"),
    "lighter": gettext_noop("lighter penalty"),
    "general": gettext_noop("general penalty"),
    "heavier": gettext_noop("heavier penalty"),
    "fixed": gettext_noop("amount fixed by law"),
}

#: Conclusions of a review step (``Review.conclusion`` holds the workflow action taken);
#: any other value is printed as it is.
CONCLUSION_LABELS = {
    "legal_notify": gettext_noop("Passed: notify the party of the intended penalty"),
    "legal_to_discussion": gettext_noop("Passed: submit the case to collective discussion"),
    "legal_return": gettext_noop("Returned for correction"),
    "discussion_notify": gettext_noop("Agreed: notify the party of the intended penalty"),
    "discussion_return": gettext_noop("Returned for further investigation or correction"),
}

#: Ways of service (民事诉讼法 Arts. 87–95, 行政处罚法 Art. 61); any other value is printed.
SERVICE_METHODS = {
    "direct": gettext_noop("Direct service"),
    "left": gettext_noop("Service by leaving the document"),
    "post": gettext_noop("Service by post"),
    "electronic": gettext_noop("Electronic service"),
    "entrusted": gettext_noop("Entrusted service"),
    "announcement": gettext_noop("Service by public announcement"),
}


def _label(labels: dict[str, str], value: str) -> str:
    return _(labels[value]) if value in labels else value


def _sentence(text: str) -> str:
    """User text without its closing punctuation (the template adds its own)."""
    return text.strip().rstrip("。．.;；,，")


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _rules(request: Request) -> Any:
    return rules.rules_for(request.case.jurisdiction_code, request.on)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


# ---------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------


def is_unit(case: Case) -> bool:
    return case.party_kind == PartyKind.UNIT


def you(case: Case) -> str:
    """How a document addresses the party: 你单位 or 你."""
    return _("your unit") if is_unit(case) else _("you")


def party_fields(case: Case) -> Fields:
    """行政处罚法 Art. 59 (1): the party's name and address (and who answers for a unit)."""
    enterprise = case.enterprise
    if is_unit(case):
        rows = (
            FieldRow(_("Party"), case.party_name),
            FieldRow(_("Unified social credit code"), enterprise.credit_code),
            FieldRow(_("Address"), enterprise.address),
            FieldRow(_("Legal representative (person in charge)"), enterprise.legal_representative),
        )
    else:
        rows = (
            FieldRow(_("Party"), case.party_name),
            FieldRow(_("Identity number"), case.party_id_number),
            FieldRow(_("Employer and position"), f"{enterprise.name} {case.party_position}"),
            (
                FieldRow(_("Address"), case.party_address)
                if case.party_address
                else FieldRow(_("Address of the employer"), enterprise.address)
            ),
        )
    return Fields(rows=rows)


def certificate_of(case: Case, user: User, day: dt.date) -> str:
    """The certificate number of an officer of the case (the one recorded on the case for
    its investigators, else the officer's certificate valid on ``day``)."""
    if user.pk == case.investigator_1_id:
        return case.certificate_1
    if user.pk == case.investigator_2_id:
        return case.certificate_2
    certificate = user.valid_certificate(day)
    return certificate.number if certificate is not None else ""


def _officer(case: Case, user: User, day: dt.date) -> str:
    number = certificate_of(case, user, day)
    return officer_text(user, number) if number else person_name(user)


def officers_text(case: Case, users: Iterable[User], day: dt.date) -> str:
    return _(", ").join(_officer(case, user, day) for user in users)


def investigators(case: Case) -> tuple[User, User]:
    return case.investigator_1, case.investigator_2


def _signatures(role: str, users: Iterable[User]) -> list[Signature]:
    return [Signature(role=role, name=person_name(user)) for user in users]


def violations_of(case: Case) -> list[CaseViolation]:
    return list(case.violations.select_related("provision").order_by("act", "id"))


def _amount(violation: CaseViolation, field_name: str) -> int:
    value: int | None = getattr(violation, field_name)
    if value is None:
        raise ValueError(f"violation {violation.pk} has no {field_name} amount")
    return value


def total(violations: Iterable[CaseViolation], field_name: str) -> int:
    """The sum of the lines that are not absorbed (行政处罚法 Art. 29)."""
    return sum(_amount(v, field_name) for v in violations if not v.absorbed)


def provision_penalties(violations: Iterable[CaseViolation]) -> str:
    """The other penalties (停产停业整顿 …) the violated provisions add, each once."""
    found = dict.fromkeys(
        v.provision.other_penalties.strip() for v in violations if v.provision.other_penalties
    )
    return _("; ").join(found)


def latest_document(case: Case, *kinds: str) -> IssuedDocument | None:
    subject_type, subject_id = subject_of(case)
    return (
        IssuedDocument.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .filter(kind__in=kinds)
        .order_by("-issued_at", "-id")
        .first()
    )


def _case_rows(case: Case) -> tuple[FieldRow, ...]:
    return (
        FieldRow(_("Case number"), case.number),
        FieldRow(_("Cause of action"), case.summary),
    )


def evidence_table(case: Case) -> Block:
    """行政处罚法 Art. 46: the evidence, by kind."""
    rows = tuple(
        (str(n), e.get_kind_display(), e.description, format_date(e.collected_on))
        for n, e in enumerate(case.evidence.order_by("collected_on", "id"), start=1)
    )
    if not rows:
        return Paragraph(_("No evidence has been recorded."), style="plain")
    return Table(
        headers=(_("No."), _("Kind of evidence"), _("Content of the evidence"), _("Collected on")),
        rows=rows,
        widths=(8, 20, 54, 18),
    )


def _absorbed_text() -> str:
    return _(
        "Under Article 29 of the Administrative Penalty Law, one act is fined only once and, "
        "where it breaks several provisions, under the one with the highest fine: this line "
        "is absorbed by that fine and carries no fine of its own."
    )


def violation_paragraph(n: int, violation: CaseViolation, amount_text: str) -> Paragraph:
    """One violation: the facts, the provision and its penalty basis, the discretion tier,
    then ``amount_text`` (or the Art. 29 note when the line is absorbed)."""
    provision = violation.provision
    text = _(
        '%(description)s. This is the violation "%(violation)s"; the penalty basis is '
        "%(citation)s (discretion: %(tier)s)."
    ) % {
        "description": _sentence(violation.description),
        "violation": provision.violation,
        "citation": provision.citation,
        "tier": _label(TIER_LABELS, violation.tier),
    }
    text += _absorbed_text() if violation.absorbed else amount_text
    return Paragraph(_("(%(n)s) %(text)s") % {"n": n, "text": text})


def _intended(violation: CaseViolation) -> str:
    if violation.absorbed:
        return ""
    return _("This bureau intends to impose a fine of %(amount)s.") % {
        "amount": yuan(_amount(violation, "notified"))
    }


def _decided(violation: CaseViolation) -> str:
    if violation.absorbed:
        return ""
    text = _("A fine of %(amount)s is imposed.") % {"amount": yuan(_amount(violation, "decided"))}
    if violation.decision_justification:
        text += _("Reasons: %(reasons)s.") % {
            "reasons": _sentence(violation.decision_justification)
        }
    return text


def _contact(request: Request) -> Paragraph:
    case = request.case
    values = {
        "address": request.extra.get("office_address", ""),
        "officers": _(", ").join(person_name(u) for u in investigators(case)),
    }
    if values["address"]:
        text = _("Address of this bureau: %(address)s. Officers in charge: %(officers)s.")
    else:
        text = _("Officers in charge: %(officers)s.")
    return Paragraph(text % values, style="plain")


def _payment_paragraphs(request: Request) -> list[Block]:
    """行政处罚法 Arts. 66–67 and 72: where and when to pay, and the surcharge."""
    case, procedure = request.case, _rules(request)
    values = {
        "you": you(case),
        "days": procedure.payment_days,
        "bank": request.extra.get("bank") or _("the designated bank"),
        "rate": _percent(procedure.surcharge_rate),
    }
    return [
        Paragraph(
            _(
                "%(you)s must pay the fine within %(days)s days of receiving this decision, at "
                "%(bank)s or through the electronic payment system (Administrative Penalty Law, "
                "Article 67). Fines are decided and collected separately: this bureau and its "
                "officers do not collect the fine."
            )
            % values
        ),
        Paragraph(
            _(
                "If the fine is not paid when due, this bureau will add a surcharge of "
                "%(rate)s%% of the fine for each day of delay, the surcharge not exceeding the "
                "fine (Administrative Penalty Law, Article 72(1)(i)), and may apply to a "
                "people's court for enforcement. If %(you)s has real financial difficulty, "
                "%(you)s may apply to this bureau to pay later or in instalments (Article 66)."
            )
            % values
        ),
    ]


def remedies(case: Case, *, suspended: bool = True) -> Paragraph:
    """行政复议 within 60 days (行政复议法 Art. 20) before the government at the office's
    level, or 行政诉讼 within 6 months (行政诉讼法 Art. 46); a penalty is not suspended
    meanwhile (行政处罚法 Art. 73), which a decision imposing none does not need to say."""
    values = {"you": you(case), "government": government_of(case.agency)}
    if suspended:
        text = _(
            "If %(you)s does not accept this decision, %(you)s may apply to %(government)s "
            "for administrative reconsideration within 60 days of receiving it, or bring an "
            "administrative lawsuit before a people's court within 6 months of receiving it. "
            "The decision is not suspended during reconsideration or litigation "
            "(Administrative Penalty Law, Article 73)."
        )
    else:
        text = _(
            "If %(you)s does not accept this decision, %(you)s may apply to %(government)s "
            "for administrative reconsideration within 60 days of receiving it, or bring an "
            "administrative lawsuit before a people's court within 6 months of receiving it."
        )
    return Paragraph(text % values)


# ---------------------------------------------------------------------------------------
# 立案审批表
# ---------------------------------------------------------------------------------------


def _source(case: Case) -> str:
    if case.source_reference:
        return _("%(source)s (%(reference)s)") % {
            "source": case.get_source_display(),
            "reference": case.source_reference,
        }
    return str(case.get_source_display())


def _act_period(case: Case) -> str:
    if case.act_end_date:
        return _("%(start)s to %(end)s (continuing act)") % {
            "start": format_date(case.act_date),
            "end": format_date(case.act_end_date),
        }
    return format_date(case.act_date)


def limitation_text(case: Case) -> str:
    """行政处罚法 Art. 36: 2 years, or 5 where life and health were endangered and harm
    followed, from the act (or from its end when it continued)."""
    years = rules.limitation_years(case.endangered_life)
    start = case.act_end_date or case.act_date
    last = _years_after(start, years)
    values = {
        "years": years,
        "start": format_date(start),
        "last": format_date(last),
        "found": format_date(case.discovered_on),
        "ground": (
            _("the act endangered life and health and caused harm")
            if case.endangered_life
            else _("the general period")
        ),
    }
    if case.discovered_on <= last:
        text = _(
            "%(years)s years (%(ground)s; Administrative Penalty Law, Article 36), counted "
            "from %(start)s and ending on %(last)s. The act was discovered on %(found)s, "
            "within the period."
        )
    else:
        text = _(
            "%(years)s years (%(ground)s; Administrative Penalty Law, Article 36), counted "
            "from %(start)s and ending on %(last)s. The act was discovered on %(found)s, "
            "after the period: it may not be penalised."
        )
    return text % values


def filing_approval_content(request: Request, number: str) -> DocumentContent:
    case, head = request.case, request.actor
    first, second = investigators(case)
    blocks: list[Block] = [
        Fields(rows=(*_case_rows(case), FieldRow(_("Source of the case"), _source(case)))),
        party_fields(case),
        Fields(
            rows=(
                FieldRow(_("Date of the act"), _act_period(case)),
                FieldRow(_("Discovered on"), format_date(case.discovered_on)),
                FieldRow(_("Limitation period"), limitation_text(case)),
                FieldRow(_("Investigators"), officers_text(case, (first, second), request.on)),
                FieldRow(_("Applied for by"), person_name(case.filed_by)),
                FieldRow(_("Applied for on"), format_date(case.applied_on)),
            )
        ),
        Paragraph(_("Facts of the case"), style="heading"),
        Paragraph(case.facts),
        Paragraph(
            _(
                "The facts above show a suspected violation that should be penalised and meets "
                "the standard for filing (Administrative Penalty Law, Article 54): it is "
                "proposed to file the case and investigate it."
            ),
            label=_("Opinion of the applicant: "),
        ),
        Paragraph(
            _("Filing approved on %(date)s; %(first)s and %(second)s are to investigate.")
            % {
                "date": format_date(case.filed_on or request.on),
                "first": person_name(first),
                "second": person_name(second),
            },
            label=_("Approval of the head of the bureau: "),
        ),
        Signatures(
            lines=(
                Signature(role=_("Applicant for filing"), name=person_name(case.filed_by)),
                Signature(role=_("Head of the bureau"), name=person_name(head)),
            )
        ),
    ]
    return DocumentContent(
        title=_("Case filing approval form"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 询问笔录
# ---------------------------------------------------------------------------------------


def _interview(request: Request) -> Interview:
    if not isinstance(request.subject, Interview):
        raise ValueError("an interview record needs the Interview as its subject")
    return request.subject


def _questions(record: object) -> list[Block]:
    blocks: list[Block] = []
    for item in record if isinstance(record, list) else []:
        entry = item if isinstance(item, dict) else {"q": "", "a": str(item)}
        blocks.append(Paragraph(str(entry.get("q") or ""), label=_("Q: "), style="plain"))
        blocks.append(Paragraph(str(entry.get("a") or ""), label=_("A: "), style="plain"))
    return blocks


def interview_record_content(request: Request, number: str) -> DocumentContent:
    case, interview = request.case, _interview(request)
    officers = (interview.officer_1, interview.officer_2)
    day = local(interview.started_at).date()
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(
                    _("Time of the interview"),
                    format_period(interview.started_at, interview.ended_at),
                ),
                FieldRow(_("Place of the interview"), interview.place),
                FieldRow(_("Interviewers"), officers_text(case, officers, day)),
                FieldRow(_("Person interviewed"), interview.person),
                FieldRow(_("Unit and position"), f"{case.enterprise.name} {interview.position}"),
            )
        ),
        Paragraph(
            _(
                "We are law-enforcement officers of %(agency)s, %(officers)s, and have shown you "
                "our enforcement certificates (Administrative Penalty Law, Article 55). We are "
                "investigating the case of %(cause)s and will ask you some questions. You must "
                "answer truthfully and assist the investigation, and may not refuse or obstruct "
                "it; you may refuse to answer questions unrelated to the case; if you consider "
                "that an officer has a direct interest in the case, you may ask for him or her "
                "to withdraw (Article 43). You will read this record before signing it and may "
                "add to it or correct it."
            )
            % {
                "agency": case.agency.name,
                "officers": _(", ").join(person_name(u) for u in officers),
                "cause": case.summary,
            }
        ),
        *_questions(interview.record),
        Paragraph(
            _(
                "The person interviewed has read this record (or had it read to them) and "
                "confirms that it is what they said."
            ),
            style="plain",
        ),
        Signatures(
            lines=(
                Signature(role=_("Person interviewed"), name=interview.person),
                *_signatures(_("Interviewer"), officers),
            )
        ),
    ]
    return DocumentContent(
        title=_("Interview record"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 案件调查报告
# ---------------------------------------------------------------------------------------


def _reasons(violation: CaseViolation) -> str:
    reasons = violation.reasons if isinstance(violation.reasons, list) else []
    return _("; ").join(_sentence(str(r)) for r in reasons if str(r).strip())


def _discretion_lines(n: int, violation: CaseViolation) -> list[Block]:
    provision = violation.provision
    lines: list[Block] = [
        Paragraph(
            _("(%(n)s) %(text)s") % {"n": n, "text": _sentence(violation.description)},
            style="plain",
        ),
        Paragraph(
            _("%(violation)s; penalty basis: %(citation)s.")
            % {"violation": provision.violation, "citation": provision.citation},
            label=_("Provision: "),
            style="plain",
        ),
        Paragraph(
            _(
                "%(tier)s, range %(min)s to %(max)s; recommended by the benchmark: "
                "%(recommended)s; proposed: %(proposed)s."
            )
            % {
                "tier": _label(TIER_LABELS, violation.tier),
                "min": yuan(violation.range_min),
                "max": yuan(violation.range_max),
                "recommended": yuan(violation.recommended),
                "proposed": yuan(violation.proposed),
            },
            label=_("Discretion: "),
            style="plain",
        ),
    ]
    if reasons := _reasons(violation):
        lines.append(Paragraph(reasons, label=_("Circumstances considered: "), style="plain"))
    if violation.justification:
        lines.append(
            Paragraph(
                violation.justification,
                label=_("Reason for departing from the recommendation: "),
                style="plain",
            )
        )
    if violation.absorbed:
        lines.append(Paragraph(_absorbed_text(), style="plain"))
    return lines


def _total_paragraph(violations: list[CaseViolation], amount: int, lead: str) -> Paragraph:
    absorbed = [str(n) for n, v in enumerate(violations, start=1) if v.absorbed]
    text = lead % {"amount": yuan_in_full(amount)}
    if absorbed:
        text += _(
            "Lines %(lines)s are absorbed under Article 29 of the Administrative Penalty Law "
            "and not counted."
        ) % {"lines": _(", ").join(absorbed)}
    return Paragraph(text)


def investigation_report_content(request: Request, number: str) -> DocumentContent:
    case = request.case
    violations = violations_of(case)
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(_("Source of the case"), _source(case)),
                FieldRow(_("Filed on"), format_date(case.filed_on) if case.filed_on else ""),
                FieldRow(_("Investigators"), officers_text(case, investigators(case), request.on)),
            )
        ),
        party_fields(case),
        Paragraph(_("Facts found"), style="heading"),
        Paragraph(case.facts),
        Paragraph(_("Evidence collected"), style="heading"),
        evidence_table(case),
        Paragraph(_("Violations and proposed penalty"), style="heading"),
    ]
    for n, violation in enumerate(violations, start=1):
        blocks.extend(_discretion_lines(n, violation))
    blocks.append(
        _total_paragraph(
            violations, total(violations, "proposed"), _("Total fine proposed: %(amount)s.")
        )
    )
    blocks.extend(_other_penalties(case, violations))
    blocks.append(Paragraph(_("Conclusion of the investigation"), style="heading"))
    blocks.append(Paragraph(case.report or _("None.")))
    blocks.append(Signatures(lines=tuple(_signatures(_("Investigator"), investigators(case)))))
    return DocumentContent(
        title=_("Case investigation report"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 法制审核意见书, 集体讨论记录
# ---------------------------------------------------------------------------------------


def latest_review(case: Case, step: str) -> Review:
    review = case.reviews.filter(step=step).order_by("-on", "-id").first()
    if review is None:
        raise ValueError(f"case {case.pk} has no {step} review")
    return review


def _proposal_text(case: Case, violations: list[CaseViolation]) -> str:
    text = _("Fine of %(amount)s") % {"amount": yuan_in_full(total(violations, "proposed"))}
    if penalties := case.other_penalties or provision_penalties(violations):
        text += _("; ") + penalties
    return text


def legal_review_content(request: Request, number: str) -> DocumentContent:
    case = request.case
    review = latest_review(case, Review.Step.LEGAL)
    violations = violations_of(case)
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(_("Party"), case.party_name),
                FieldRow(_("Investigators"), officers_text(case, investigators(case), request.on)),
                FieldRow(_("Penalty proposed"), _proposal_text(case, violations)),
                FieldRow(_("Reviewed on"), format_date(review.on)),
                FieldRow(_("Legal review officer"), _officer(case, review.actor, review.on)),
            )
        ),
        Paragraph(
            _(
                "Under Article 58 of the Administrative Penalty Law, the legal review examined "
                "whether this bureau may act and its officers hold enforcement certificates, "
                "whether the facts are clear and the evidence lawful and sufficient, whether the "
                "law is correctly applied and the discretion benchmark properly used, and "
                "whether the procedure is lawful."
            )
        ),
        Paragraph(review.opinion, label=_("Opinion of the legal review: ")),
        Paragraph(
            _label(CONCLUSION_LABELS, review.conclusion), label=_("Conclusion of the review: ")
        ),
        Signatures(
            lines=(Signature(role=_("Legal review officer"), name=person_name(review.actor)),)
        ),
    ]
    return DocumentContent(
        title=_("Legal review opinion"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


def discussion_record_content(request: Request, number: str) -> DocumentContent:
    case = request.case
    review = latest_review(case, Review.Step.DISCUSSION)
    violations = violations_of(case)
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(_("Party"), case.party_name),
                FieldRow(_("Date of the discussion"), format_date(review.on)),
                FieldRow(_("Presided over by"), person_name(review.actor)),
                FieldRow(_("Participants"), review.participants),
                FieldRow(
                    _("Reported by"), _(", ").join(person_name(u) for u in investigators(case))
                ),
            )
        ),
        Paragraph(
            _(
                "The case is complex or the violation serious: the heads of this bureau "
                "discussed it collectively before deciding (Administrative Penalty Law, Article "
                "57(2)). The investigators reported the facts, the evidence, the provisions and "
                "the penalty proposed: %(proposal)s."
            )
            % {"proposal": _proposal_text(case, violations)}
        ),
        Paragraph(review.opinion, label=_("Discussion: ")),
        Paragraph(
            _label(CONCLUSION_LABELS, review.conclusion),
            label=_("Decision of the discussion: "),
        ),
        Signatures(
            lines=(
                Signature(role=_("Presiding"), name=person_name(review.actor)),
                Signature(role=_("Participants")),
            )
        ),
    ]
    return DocumentContent(
        title=_("Record of collective discussion"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 行政处罚告知书
# ---------------------------------------------------------------------------------------


def _facts_and_evidence(case: Case) -> list[Block]:
    return [
        Paragraph(
            _(
                "This bureau has investigated the case of %(cause)s against %(you)s. The facts "
                "found are as follows:"
            )
            % {"cause": case.summary, "you": you(case)}
        ),
        Paragraph(case.facts),
        Paragraph(_("The facts above are proved by the following evidence:"), style="plain"),
        evidence_table(case),
    ]


def _other_penalties(case: Case, violations: list[CaseViolation] | None = None) -> list[Block]:
    """The other penalties of the case (``case.other_penalties``) or, before they are set and
    when ``violations`` are given, those the violated provisions provide for."""
    if case.other_penalties:
        return [Paragraph(case.other_penalties, label=_("Other penalties: "))]
    if violations and (penalties := provision_penalties(violations)):
        return [Paragraph(penalties, label=_("Other penalties provided by the provisions: "))]
    return []


def penalty_notice_content(request: Request, number: str) -> DocumentContent:
    """行政处罚法 Art. 44: the intended penalty, its facts, reasons and basis, and the rights."""
    case = request.case
    violations = violations_of(case)
    if case.notified_amount is None:
        raise ValueError("the notice needs case.notified_amount")
    procedure = _rules(request)
    blocks: list[Block] = [
        party_fields(case),
        *_facts_and_evidence(case),
        Paragraph(_("Provisions violated, penalty basis and intended penalty"), style="heading"),
        *(violation_paragraph(n, v, _intended(v)) for n, v in enumerate(violations, start=1)),
        _total_paragraph(
            violations,
            case.notified_amount,
            _("In total, this bureau intends to impose a fine of %(amount)s."),
        ),
        *_other_penalties(case, violations),
        Paragraph(_("Your rights"), style="heading"),
        Paragraph(
            _(
                "Under Articles 44 and 45 of the Administrative Penalty Law, %(you)s has the "
                "right to state its case and to defend itself. Submit the statement and defence "
                "to this bureau by %(until)s (%(days)s working days), in writing, orally or "
                "online in the enterprise portal; if none is received by then, the right is "
                "deemed waived. This bureau will review the facts, reasons and evidence put "
                "forward and adopt those that are established. Stating one's case and "
                "defending oneself will not make the penalty heavier."
            )
            % {
                "you": you(case),
                "until": format_date(request.need("statement_until")),
                "days": procedure.statement_days,
            }
        ),
    ]
    if case.hearing_right:
        blocks.append(_hearing_right(request, procedure))
    blocks.append(_contact(request))
    return DocumentContent(
        title=_("Notice of intended administrative penalty"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        addressed=True,
    )


def _hearing_right(request: Request, procedure: Any) -> Paragraph:
    until = request.extra.get("hearing_until")
    values = {"you": you(request.case), "days": procedure.hearing_request_days}
    if until is None:
        text = _(
            "The intended penalty gives %(you)s the right to request a hearing (Administrative "
            "Penalty Law, Article 63) within %(days)s working days of this notice; see the "
            "notice of the right to a hearing."
        )
    else:
        values["until"] = format_date(until)
        text = _(
            "The intended penalty gives %(you)s the right to request a hearing (Administrative "
            "Penalty Law, Article 63), by %(until)s (%(days)s working days); see the notice of "
            "the right to a hearing."
        )
    return Paragraph(text % values)


# ---------------------------------------------------------------------------------------
# 听证告知书, 听证笔录
# ---------------------------------------------------------------------------------------


def hearing_notice_content(request: Request, number: str) -> DocumentContent:
    """行政处罚法 Arts. 63–64: the right to a hearing, free of charge, within 5 working days."""
    case = request.case
    procedure = _rules(request)
    notice = latest_document(case, K.PENALTY_NOTICE)
    intended = yuan_in_full(case.notified_amount or total(violations_of(case), "notified"))
    if case.other_penalties:
        intended += _("; ") + case.other_penalties
    values = {
        "you": you(case),
        "penalty": intended,
        "notice": notice.number if notice is not None else "",
        "until": format_date(request.need("hearing_until")),
        "days": procedure.hearing_request_days,
        "notice_days": procedure.hearing_notice_days,
    }
    intro = (
        _(
            "This bureau intends to impose on %(you)s the following administrative penalty: "
            "%(penalty)s (see the notice of intended administrative penalty %(notice)s)."
        )
        if notice is not None
        else _(
            "This bureau intends to impose on %(you)s the following administrative penalty: %(penalty)s."
        )
    )
    blocks: list[Block] = [
        Paragraph(intro % values),
        Paragraph(
            _(
                "Under Articles 63 and 64 of the Administrative Penalty Law, %(you)s has the "
                "right to request a hearing. A request must reach this bureau by %(until)s "
                "(%(days)s working days after this notice was served), in writing or orally, or "
                "online in the enterprise portal; if none is received by then, the right to a "
                "hearing is deemed waived. The hearing is free of charge: the party bears none "
                "of its costs."
            )
            % values
        ),
        Paragraph(
            _(
                "This bureau will give notice of the time and place %(notice_days)s working days "
                "before the hearing. The hearing is public unless it concerns state secrets, "
                "commercial secrets or personal privacy; it is chaired by a person this bureau "
                "appoints who did not investigate the case, whose withdrawal may be requested; "
                "%(you)s may attend in person or appoint one or two representatives."
            )
            % values
        ),
        _contact(request),
    ]
    return DocumentContent(
        title=_("Notice of the right to a hearing"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        addressed=True,
    )


def hearing_record_content(request: Request, number: str) -> DocumentContent:
    case = request.case
    try:
        hearing = case.hearing
    except ObjectDoesNotExist:
        raise ValueError(f"case {case.pk} has no hearing") from None
    day = hearing.held_on or hearing.date
    chair = person_name(hearing.chair) if hearing.chair is not None else ""
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(_("Party"), case.party_name),
                FieldRow(_("Hearing requested on"), format_date(hearing.requested_on)),
                FieldRow(_("Date of the hearing"), format_date(day) if day else ""),
                FieldRow(_("Place of the hearing"), hearing.place),
                FieldRow(_("Hearing chair"), chair),
                FieldRow(
                    _("Public or not"),
                    _("Held in public") if hearing.public else _("Not held in public"),
                ),
                FieldRow(
                    _("Party present"),
                    _("The party attended") if hearing.party_present else _("The party was absent"),
                ),
                FieldRow(_("Investigators"), officers_text(case, investigators(case), request.on)),
            )
        ),
        Paragraph(
            _(
                "The chair announced the rules of the hearing, told the party its rights and "
                "duties and asked whether it requested anyone's withdrawal. The investigators "
                "presented the facts, evidence and intended penalty; the party stated its case, "
                "defended itself and cross-examined (Administrative Penalty Law, Article 64)."
            )
        ),
        Paragraph(_("Record of the hearing"), style="heading"),
        Paragraph(hearing.record or _("None.")),
        Signatures(
            lines=(
                Signature(role=_("Hearing chair"), name=chair),
                Signature(role=_("Party or representative")),
                *_signatures(_("Investigator"), investigators(case)),
            )
        ),
    ]
    return DocumentContent(
        title=_("Hearing record"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# 行政处罚决定书, 不予行政处罚决定书
# ---------------------------------------------------------------------------------------


def _procedure_paragraphs(case: Case) -> list[Block]:
    """How the party was heard (Arts. 44–45, 63–65): the notice, its statements, the hearing."""
    notice = latest_document(case, K.PENALTY_NOTICE)
    blocks: list[Block] = []
    if case.notified_on is not None:
        blocks.append(
            Paragraph(
                _(
                    "On %(date)s this bureau notified %(you)s of the intended penalty, its facts, "
                    "reasons and basis, and of the right to state its case and defend itself "
                    "(notice %(notice)s)."
                )
                % {
                    "date": format_date(case.notified_on),
                    "you": you(case),
                    "notice": notice.number if notice is not None else "",
                }
            )
        )
    for statement in case.statements.order_by("submitted_on", "id"):
        text = _("Statement and defence of %(date)s: %(text)s.") % {
            "date": format_date(statement.submitted_on),
            "text": _sentence(statement.text),
        }
        if statement.reply:
            text += _("Assessment of this bureau: %(reply)s.") % {
                "reply": _sentence(statement.reply)
            }
        blocks.append(Paragraph(text))
    if case.notified_on is not None and not case.statements.exists():
        blocks.append(
            Paragraph(
                _("%(you)s did not state its case or defend itself within the period.")
                % {"you": you(case)}
            )
        )
    hearing = getattr(case, "hearing", None)
    if hearing is not None and hearing.held_on is not None:
        blocks.append(
            Paragraph(
                _(
                    "A hearing was held on %(date)s; this decision is made on the basis of the "
                    "hearing record (Administrative Penalty Law, Article 65)."
                )
                % {"date": format_date(hearing.held_on)}
            )
        )
    return blocks


def _decision_blocks(request: Request) -> list[Block]:
    case = request.case
    violations = violations_of(case)
    if case.fine is None:
        raise ValueError("a penalty decision needs case.fine")
    blocks: list[Block] = [
        *_facts_and_evidence(case),
        *_procedure_paragraphs(case),
        Paragraph(_("Provisions violated, penalty basis and penalty"), style="heading"),
        *(violation_paragraph(n, v, _decided(v)) for n, v in enumerate(violations, start=1)),
        _total_paragraph(
            violations,
            case.fine,
            _("This bureau therefore decides to impose on the party a fine of %(amount)s."),
        ),
        *_other_penalties(case),
        Paragraph(
            _(
                "%(you)s is also ordered to correct the violations (Administrative Penalty "
                "Law, Article 28)."
            )
            % {"you": you(case)}
        ),
        *_payment_paragraphs(request),
    ]
    return blocks


def _no_penalty_blocks(request: Request) -> list[Block]:
    case = request.case
    blocks: list[Block] = [
        *_facts_and_evidence(case),
        *_procedure_paragraphs(case),
        Paragraph(str(request.need("reason")), label=_("Reasons: ")),
        Paragraph(
            _(
                "Under Article 57(1) of the Administrative Penalty Law, this bureau decides not "
                "to impose an administrative penalty on %(you)s."
            )
            % {"you": you(case)}
        ),
    ]
    if case.violations.exists():
        blocks.append(
            Paragraph(
                _(
                    "%(you)s is ordered to correct the violation and has been educated on the "
                    "law (Administrative Penalty Law, Articles 28 and 33(3))."
                )
                % {"you": you(case)}
            )
        )
    return blocks


def penalty_decision_content(request: Request, number: str) -> DocumentContent:
    """行政处罚法 Art. 59: (1) party, (2) facts and evidence, (3) penalty and basis, (4) how
    and when to carry it out, (5) remedies, (6) the office and the date."""
    case = request.case
    no_penalty = case.outcome == Outcome.NO_PENALTY
    body = _no_penalty_blocks(request) if no_penalty else _decision_blocks(request)
    blocks: list[Block] = [party_fields(case), *body, remedies(case, suspended=not no_penalty)]
    return DocumentContent(
        title=(
            _("Decision not to impose an administrative penalty")
            if no_penalty
            else _("Administrative penalty decision")
        ),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
    )


# ---------------------------------------------------------------------------------------
# 当场行政处罚决定书
# ---------------------------------------------------------------------------------------


def simple_decision_content(request: Request, number: str) -> DocumentContent:
    """行政处罚法 Arts. 51–52: the act, the penalty and its basis, the amount, time and place,
    the remedies, the office, the officers' signatures; filed with the office."""
    case = request.case
    if case.fine is None:
        raise ValueError("an on-the-spot decision needs case.fine")
    officers = investigators(case)
    basis = _(", ").join(dict.fromkeys(v.provision.citation for v in violations_of(case)))
    blocks: list[Block] = [
        party_fields(case),
        Fields(
            rows=(
                FieldRow(_("Time"), format_date(request.on)),
                FieldRow(_("Place"), str(request.extra.get("place", ""))),
                FieldRow(_("Law-enforcement officers"), officers_text(case, officers, request.on)),
            )
        ),
        Paragraph(
            _("The officers showed their enforcement certificates. The facts: %(facts)s.")
            % {"facts": _sentence(case.facts)}
        ),
        Paragraph(
            _(
                "Under %(basis)s and Articles 51 and 52 of the Administrative Penalty Law, the "
                "officers decide on the spot to impose on %(you)s a fine of %(amount)s."
            )
            % {"basis": basis, "you": you(case), "amount": yuan_in_full(case.fine)}
        ),
        *_other_penalties(case),
        *_payment_paragraphs(request),
        remedies(case),
        Paragraph(
            _("This decision is filed with %(agency)s (Administrative Penalty Law, Article 52(3)).")
            % {"agency": case.agency.name}
        ),
        Signatures(
            lines=(
                *_signatures(_("Law-enforcement officer"), officers),
                Signature(role=_("Party (acknowledging receipt)")),
            )
        ),
    ]
    return DocumentContent(
        title=_("On-the-spot administrative penalty decision"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
    )


# ---------------------------------------------------------------------------------------
# 送达回执
# ---------------------------------------------------------------------------------------


def _servers(request: Request) -> tuple[User, ...]:
    officers = request.extra.get("officers")
    return tuple(officers) if officers else investigators(request.case)


def service_receipt_content(request: Request, number: str) -> DocumentContent:
    """行政处罚法 Art. 61: what was served, on whom, when, how, received by whom."""
    case = request.case
    servers = _servers(request)
    served_on = request.extra.get("served_on") or request.on
    rows = [
        FieldRow(
            _("Document served"),
            _("%(title)s (%(number)s)")
            % {
                "title": request.need("document_title"),
                "number": request.need("document_number"),
            },
        ),
        FieldRow(_("Person served"), case.party_name),
        FieldRow(_("Date of service"), format_date(served_on)),
        FieldRow(_("Method of service"), _label(SERVICE_METHODS, request.need("method"))),
        FieldRow(_("Received by"), str(request.need("recipient"))),
        FieldRow(_("Served by"), officers_text(case, servers, request.on)),
    ]
    if place := request.extra.get("place"):
        rows.insert(3, FieldRow(_("Place of service"), str(place)))
    blocks: list[Block] = [Fields(rows=tuple(rows))]
    if note := request.extra.get("note"):
        blocks.append(Paragraph(str(note), label=_("Note: ")))
    blocks.append(
        Signatures(
            lines=(
                Signature(role=_("Recipient of the document"), name=str(request.need("recipient"))),
                *_signatures(_("Serving officer"), servers),
            )
        )
    )
    return DocumentContent(
        title=_("Service receipt"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
    )


# ---------------------------------------------------------------------------------------
# 罚款催缴通知书
# ---------------------------------------------------------------------------------------


def payment_reminder_content(request: Request, number: str) -> DocumentContent:
    """行政强制法 Arts. 35, 53–54: the amount owed, pay within 10 days, else the court."""
    case = request.case
    if case.fine is None:
        raise ValueError("a payment reminder needs case.fine")
    procedure = _rules(request)
    decision = latest_document(case, K.PENALTY_DECISION, K.SIMPLE_DECISION)
    values = {
        "you": you(case),
        "decided": format_date(case.decided_on) if case.decided_on else "",
        "decision": decision.number if decision is not None else "",
        "days": procedure.reminder_days,
        "bank": request.extra.get("bank") or _("the designated bank"),
    }
    blocks: list[Block] = [
        Paragraph(
            _(
                "By its administrative penalty decision %(decision)s of %(decided)s, this "
                "bureau imposed a fine on %(you)s. The period for payment has ended and the "
                "fine has not been paid in full:"
            )
            % values
        ),
        Fields(
            rows=(
                FieldRow(_("Fine decided"), yuan_in_full(case.fine)),
                FieldRow(
                    _("Payment due by"),
                    format_date(case.payment_due) if case.payment_due else "",
                ),
                FieldRow(_("Paid so far"), yuan(Decimal(request.need("paid")))),
                FieldRow(
                    _("Surcharge to date (Article 72 of the Administrative Penalty Law)"),
                    yuan(Decimal(request.need("surcharge"))),
                ),
                FieldRow(_("Amount owed"), yuan(Decimal(request.need("owed")))),
                FieldRow(_("Amount owed as of"), format_date(request.on)),
            )
        ),
        Paragraph(
            _(
                "%(you)s is urged to pay the amount owed within %(days)s days of receiving this "
                "notice, at %(bank)s or through the electronic payment system. If it is not "
                "paid by then, this bureau will apply to the people's court for enforcement "
                "(Administrative Coercion Law, Articles 53 and 54). %(you)s has the right to "
                "state its case and defend itself (Administrative Coercion Law, Articles 35 and 36)."
            )
            % values
        ),
        _contact(request),
    ]
    return DocumentContent(
        title=_("Notice urging payment of a fine"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        addressed=True,
    )


# ---------------------------------------------------------------------------------------
# 结案审批表
# ---------------------------------------------------------------------------------------


def outcome_text(case: Case) -> str:
    if case.outcome == Outcome.NO_PENALTY:
        return _("No administrative penalty")
    if case.fine is None:
        return ""
    text = _("Fine of %(amount)s") % {"amount": yuan_in_full(case.fine)}
    if case.other_penalties:
        text += _("; ") + case.other_penalties
    return text


def _execution_blocks(case: Case) -> list[Block]:
    payments = list(case.payments.order_by("paid_on", "id"))
    blocks: list[Block] = [Paragraph(_("Execution of the decision"), style="heading")]
    if payments:
        blocks.append(
            Table(
                headers=(
                    _("No."),
                    _("Paid on"),
                    _("Amount"),
                    _("Bank receipt"),
                    _("Payment channel"),
                ),
                rows=tuple(
                    (str(n), format_date(p.paid_on), yuan(p.amount), p.receipt_number, p.channel)
                    for n, p in enumerate(payments, start=1)
                ),
                widths=(8, 20, 22, 30, 20),
            )
        )
        paid = sum((p.amount for p in payments), Decimal(0))
        blocks.append(Paragraph(yuan(paid), label=_("Total paid: "), style="plain"))
    elif case.outcome == Outcome.NO_PENALTY:
        blocks.append(Paragraph(_("No penalty was imposed: nothing to execute."), style="plain"))
    else:
        blocks.append(Paragraph(_("No payment has been recorded."), style="plain"))
    arrangement = getattr(case, "arrangement", None)
    if arrangement is not None:
        blocks.append(
            Paragraph(
                _("%(kind)s approved on %(date)s: %(reason)s.")
                % {
                    "kind": arrangement.get_kind_display(),
                    "date": format_date(arrangement.approved_on),
                    "reason": _sentence(arrangement.reason),
                },
                style="plain",
            )
        )
    enforcement = getattr(case, "enforcement", None)
    if enforcement is not None:
        blocks.append(
            Paragraph(
                _(
                    "Enforcement applied for at %(court)s on %(date)s, for %(amount)s. Result: "
                    "%(result)s"
                )
                % {
                    "court": enforcement.court,
                    "date": format_date(enforcement.applied_on),
                    "amount": yuan(enforcement.amount),
                    "result": enforcement.result or _("None."),
                },
                style="plain",
            )
        )
    return blocks


def closing_approval_content(request: Request, number: str) -> DocumentContent:
    case = request.case
    decision = latest_document(case, K.PENALTY_DECISION, K.SIMPLE_DECISION)
    decided = format_date(case.decided_on) if case.decided_on else ""
    blocks: list[Block] = [
        Fields(
            rows=(
                *_case_rows(case),
                FieldRow(_("Party"), case.party_name),
                FieldRow(_("Filed on"), format_date(case.filed_on) if case.filed_on else ""),
                FieldRow(
                    _("Decision document"),
                    _("%(number)s of %(date)s") % {"number": decision.number, "date": decided}
                    if decision is not None
                    else decided,
                ),
                FieldRow(_("Outcome of the case"), outcome_text(case)),
                FieldRow(_("Served on"), format_date(case.served_on) if case.served_on else ""),
            )
        ),
        Paragraph(_("Summary of the case"), style="heading"),
        Paragraph(case.facts),
        *_execution_blocks(case),
        Paragraph(
            _("The case has been dealt with and the decision carried out: closing approved."),
            label=_("Approval of the head of the bureau: "),
        ),
        Signatures(
            lines=(
                *_signatures(_("Investigator"), investigators(case)),
                Signature(role=_("Head of the bureau"), name=person_name(request.actor)),
            )
        ),
    ]
    return DocumentContent(
        title=_("Case closing approval form"),
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=request.on,
        blocks=tuple(blocks),
        sealed=False,
    )


# ---------------------------------------------------------------------------------------
# issue()
# ---------------------------------------------------------------------------------------

BUILDERS: dict[str, Builder] = {
    K.FILING_APPROVAL: filing_approval_content,
    K.INTERVIEW_RECORD: interview_record_content,
    K.INVESTIGATION_REPORT: investigation_report_content,
    K.LEGAL_REVIEW_OPINION: legal_review_content,
    K.DISCUSSION_RECORD: discussion_record_content,
    K.PENALTY_NOTICE: penalty_notice_content,
    K.HEARING_NOTICE: hearing_notice_content,
    K.HEARING_RECORD: hearing_record_content,
    K.PENALTY_DECISION: penalty_decision_content,
    K.SIMPLE_DECISION: simple_decision_content,
    K.SERVICE_RECEIPT: service_receipt_content,
    K.PAYMENT_REMINDER: payment_reminder_content,
    K.CLOSING_APPROVAL: closing_approval_content,
}


def issue(
    kind: str,
    *,
    case: Case,
    actor: Any,
    on: dt.date,
    subject: Model | None = None,
    extra: dict[str, Any] | None = None,
) -> IssuedDocument:
    """Build the document ``kind`` from ``case`` as it stands and issue it (numbered,
    rendered, stored, recorded) in the caller's transaction, about ``subject`` (default the
    case). ``extra`` holds what the case does not:

    * interview_record: ``subject`` must be the ``Interview``;
    * penalty_notice: ``statement_until`` (date, required), ``hearing_until`` (date),
      ``office_address``; hearing_notice: ``hearing_until`` (required), ``office_address``;
    * penalty_decision: ``bank``; for a case without a penalty ``reason`` (required);
    * simple_decision: ``bank``, ``place``;
    * service_receipt: ``document_number``, ``document_title``, ``method``, ``recipient``
      (required), ``served_on`` (default ``on``), ``place``, ``note``, ``officers`` (two
      users, default the investigators);
    * payment_reminder: ``surcharge``, ``paid``, ``owed`` (Decimals, required), ``bank``,
      ``office_address``.

    The legal and discussion documents read the latest ``Review`` of their step; the
    hearing record ``case.hearing``; the decisions ``case.fine`` and each line's
    ``decided`` (``notified`` for the notice), absorbed lines excepted.

    Raises:
        ValueError: for a kind without a builder (the case file: :func:`case_file_build`),
            or when the case or ``extra`` lacks what the document must say.
    """
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"No case document builder for {kind!r}")
    request = Request(case=case, actor=actor, on=on, subject=subject, extra=extra or {})
    return document_issue(
        kind=kind,
        agency=case.agency,
        subject=subject or case,
        build=lambda number: builder(request, number),
        actor=actor,
        jurisdiction_code=case.jurisdiction_code,
        on=on,
    )


# ---------------------------------------------------------------------------------------
# 案卷: cover, index and the documents, in the official order
# ---------------------------------------------------------------------------------------

#: The order of the documents in the file ([TJ] 津安监管法字〔2009〕28号: the decision first,
#: then the filing approval, the evidence, the reports, the review, the notice, the hearing,
#: service, execution and closing). Several of a kind keep the order they were issued in.
CASE_FILE_ORDER: tuple[str, ...] = (
    K.PENALTY_DECISION,
    K.SIMPLE_DECISION,
    K.FILING_APPROVAL,
    K.INTERVIEW_RECORD,
    K.INVESTIGATION_REPORT,
    K.LEGAL_REVIEW_OPINION,
    K.DISCUSSION_RECORD,
    K.PENALTY_NOTICE,
    K.HEARING_NOTICE,
    K.HEARING_RECORD,
    K.SERVICE_RECEIPT,
    K.PAYMENT_REMINDER,
    K.CLOSING_APPROVAL,
)

#: Where the file's page number is printed on each page of a bound document: the top right
#: corner, inside the right margin, above the text block.
PAGE_NUMBER_FONT_PT = 12
_MM = 72 / 25.4


def case_documents(case: Case) -> list[IssuedDocument]:
    """Every document issued about the case or one of its interviews, reviews or its hearing
    (not an earlier case file), in the order of the file."""
    subjects: list[Model] = [case, *case.interviews.all(), *case.reviews.all()]
    hearing = getattr(case, "hearing", None)
    if hearing is not None:
        subjects.append(hearing)
    query = Q(pk__in=[])
    for subject in subjects:
        subject_type, subject_id = subject_of(subject)
        query |= Q(subject_type=subject_type, subject_id=subject_id)
    rank = {kind: n for n, kind in enumerate(CASE_FILE_ORDER)}
    documents = IssuedDocument.objects.filter(query).exclude(kind=K.CASE_FILE)
    return sorted(documents, key=lambda d: (rank.get(d.kind, len(rank)), d.issued_at, d.pk))


@dataclass(frozen=True)
class Bound:
    """A document in the file: its PDF, its page count and its first page in the file
    (the documents' pages are numbered from 1; the cover and index are not numbered)."""

    document: IssuedDocument
    pdf: bytes
    pages: int
    first: int

    @property
    def last(self) -> int:
        return self.first + self.pages - 1


def bind(documents: Iterable[IssuedDocument]) -> list[Bound]:
    bound: list[Bound] = []
    page = 1
    for document in documents:
        with document.pdf.open("rb") as handle:
            data = handle.read()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        bound.append(Bound(document, data, pages, page))
        page += pages
    return bound


def _document_date(document: IssuedDocument) -> str:
    value = document.content.get("date") if isinstance(document.content, dict) else None
    try:
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return format_date(local(document.issued_at).date())


def _page_range(item: Bound) -> str:
    return str(item.first) if item.pages == 1 else f"{item.first}-{item.last}"


def _cover_blocks(case: Case, bound: list[Bound], actor: Any, on: dt.date) -> list[Block]:
    pages = sum(item.pages for item in bound)
    return [
        Fields(
            rows=(
                FieldRow(_("Office in charge"), case.agency.name),
                *_case_rows(case),
                FieldRow(_("Party"), case.party_name),
                FieldRow(_("Outcome of the case"), outcome_text(case)),
                FieldRow(_("Filed on"), format_date(case.filed_on) if case.filed_on else ""),
                FieldRow(_("Closed on"), format_date(case.closed_on) if case.closed_on else ""),
                FieldRow(
                    _("Contents of the file"),
                    _("%(documents)s documents, %(pages)s pages")
                    % {"documents": len(bound), "pages": pages},
                ),
                FieldRow(_("Retention period"), _("Permanent")),
                FieldRow(_("Compiled by"), person_name(actor)),
                FieldRow(_("Compiled on"), format_date(on)),
            )
        )
    ]


def _index_blocks(bound: list[Bound]) -> list[Block]:
    return [
        Table(
            headers=(
                _("No."),
                _("Name of the document"),
                _("Document number"),
                _("Date"),
                _("Page numbers"),
            ),
            rows=tuple(
                (
                    str(n),
                    item.document.title,
                    item.document.number,
                    _document_date(item.document),
                    _page_range(item),
                )
                for n, item in enumerate(bound, start=1)
            ),
            widths=(7, 24, 38, 21, 10),
        ),
        Paragraph(
            _(
                "The pages of the documents are numbered from 1 at the top right; the cover and "
                "this index are not numbered."
            ),
            style="note",
        ),
    ]


def _front(
    title: str, number: str, case: Case, blocks: list[Block], on: dt.date
) -> DocumentContent:
    return DocumentContent(
        title=title,
        number=number,
        issuer=case.agency.name,
        party=case.party_name,
        date=on,
        blocks=tuple(blocks),
        sealed=False,
    )


def _stamp(page: PageObject, number: int) -> None:
    """Print the file's page number at the top right of ``page`` (Helvetica digits, one of
    the standard PDF fonts, so nothing is embedded)."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    text = str(number)
    x = width - MARGIN_RIGHT_MM * _MM - len(text) * PAGE_NUMBER_FONT_PT * 0.556
    y = height - 20 * _MM
    stamp = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    stamp[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FPage"): font})}
    )
    content = DecodedStreamObject()
    content.set_data(
        f"BT /FPage {PAGE_NUMBER_FONT_PT} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET".encode()
    )
    stamp[NameObject("/Contents")] = content
    page.merge_page(stamp)


def _merge(cover: bytes, index: bytes, bound: list[Bound], titles: tuple[str, str]) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)), outline_item=titles[0], import_outline=False)
    writer.append(PdfReader(io.BytesIO(index)), outline_item=titles[1], import_outline=False)
    for item in bound:
        start = len(writer.pages)
        writer.append(
            PdfReader(io.BytesIO(item.pdf)),
            outline_item=f"{item.document.title} {item.document.number}",
            import_outline=False,
        )
        for offset in range(item.pages):
            _stamp(writer.pages[start + offset], item.first + offset)
    writer.add_metadata({"/Title": titles[0]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _assemble(
    case: Case, bound: list[Bound], number: str, actor: Any, on: dt.date
) -> tuple[DocumentContent, bytes]:
    """The file's own content (cover and index, kept as JSON and DOCX) and the whole PDF."""
    title, index_title = _("Administrative penalty case file"), _("Index of the case file")
    cover_blocks, index_blocks = _cover_blocks(case, bound, actor, on), _index_blocks(bound)
    cover = render_content_pdf(_front(title, number, case, cover_blocks, on))
    index = render_content_pdf(_front(index_title, number, case, index_blocks, on))
    pdf = _merge(cover, index, bound, (title, index_title))
    heading = Paragraph(index_title, style="heading")
    content = _front(title, number, case, [*cover_blocks, heading, *index_blocks], on)
    return content, pdf


def case_file_build(case: Case, *, actor: Any, on: dt.date) -> IssuedDocument:
    """Bind every document of the case into the 案卷 (kind ``case_file``): a cover (案卷首页:
    office, case number, party, cause, outcome, dates, retention 永久), an index (卷内目录:
    number, title, document number, date, pages) and the documents' own PDFs in the order
    of :data:`CASE_FILE_ORDER`, each page numbered in the file. Stored as one PDF; its
    DOCX holds the cover and index only. The caller links it to the case.

    Raises:
        ValueError: when the case has no documents.
    """
    bound = bind(case_documents(case))
    if not bound:
        raise ValueError(f"case {case.pk} has no documents to bind")
    return document_issue_assembled(
        kind=K.CASE_FILE,
        agency=case.agency,
        subject=case,
        assemble=lambda number: _assemble(case, bound, number, actor, on),
        actor=actor,
        jurisdiction_code=case.jurisdiction_code,
        on=on,
    )
