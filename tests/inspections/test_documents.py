"""The official documents (执法文书): numbered per office, kind and year, rendered to PDF and
DOCX with the same legally required fields, hashed and recorded.

One inspection of 乌鲁木齐天山化工有限公司 is built with the ORM (a refused signature, a major
and a general finding, a suspension and a seal, a rectification order and its re-inspection)
and each of the five documents is issued once, in ``issued`` (module scope). The tests read
the PDF (pypdf) and the DOCX (python-docx) text and look for every value the law asks for.
Labels are compared through gettext, so the tests hold whether or not the Chinese
catalogue has them yet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from pypdf import PdfReader

from inspectorate.core.document_kinds import NUMBER_WORDS, DocumentKind, number_word
from inspectorate.core.documents import (
    DocumentContent,
    Paragraph,
    content_json,
    document_context,
    document_issue,
    format_date,
    render_content_docx,
    sha256_hex,
)
from inspectorate.core.models import DocumentCounter, IssuedDocument, RecordEvent
from inspectorate.core.record import subject_of, verify_chain
from inspectorate.core.record_kinds import RecordKind
from inspectorate.inspections.documents import (
    inspection_record_content,
    measure_decision_content,
    seal_end_date,
    seal_seize_content,
)
from inspectorate.inspections.models import (
    Answer,
    AnswerResult,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Finding,
    HazardGrade,
    HeadSignature,
    Inspection,
    MeasureKind,
    OnSiteMeasure,
    Origin,
    VersionState,
)
from inspectorate.org.models import Agency, User
from inspectorate.rectification.documents import order_content, review_content
from inspectorate.rectification.models import OrderLine, RectificationOrder
from inspectorate.registry.models import Enterprise
from tests.core.test_documents import _fonts
from tests.factories import AgencyFactory, CertificateFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
JURISDICTION = "650102"
YEAR = 2026
INSPECTED_ON = dt.date(2026, 3, 2)
REVIEWED_ON = dt.date(2026, 3, 20)

UNIT = "乌鲁木齐天山化工有限公司"
ADDRESS = "新疆乌鲁木齐市天山区人民路188号"
PLACE = "天山化工有限公司液氨储罐区及生产车间"
LEAD_NAME, SECOND_NAME = "张建国", "李明"
LEAD_CERT, SECOND_CERT = "65010220250101", "65010220250102"
HEAD_NAME = "赵强"
REFUSAL = "赵强称需请示总公司，拒绝在检查记录上签字，执法人员张建国、李明在场见证。"
MAJOR = "液氨储罐区未设置泄漏报警装置，且与值班室安全距离不足"
MAJOR_ARTICLE = "《中华人民共和国安全生产法》第三十六条第一款"
CRITERION = "121号 化工第（九）项"
GENERAL = "生产车间东侧安全出口被杂物堵塞"
GENERAL_ARTICLE = "《中华人民共和国安全生产法》第四十二条"
SUSPEND_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第三项"
SEAL_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第四项"
ITEMS = [
    {"name": "液氨储罐（无泄漏报警）", "quantity": "2台", "location": "液氨储罐区"},
    {"name": "未经检验的压力表", "quantity": "6只"},  # no location: tolerated
    {"name": "不合格的防爆电机"},  # name only
]
MAJOR_DUE, GENERAL_DUE, ORDER_DUE = dt.date(2026, 4, 1), dt.date(2026, 3, 16), dt.date(2026, 4, 1)
NOT_RECTIFIED_NOTE = "泄漏报警装置已采购，尚未安装"
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def _beijing(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def zh(message: str) -> str:
    """``message`` as the documents print it (in Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        return _(message)


def _date(day: dt.date) -> str:
    with translation.override("zh-hans"):
        return format_date(day)


def squash(text: str) -> str:
    """Text without whitespace: PDF lines wrap anywhere, and wrapping adds newlines."""
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    """The text of every page, without the page numbers ("— 1 —") in the bottom margin."""
    pages = PdfReader(io.BytesIO(data)).pages
    return squash("".join(PAGE_NUMBER.sub("", page.extract_text()) for page in pages))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return squash("\n".join(parts))


@dataclass
class Issued:
    document: IssuedDocument
    pdf: bytes  # the stored files' bytes, read back from storage
    docx: bytes
    pdf_text: str = field(init=False)
    docx_text: str = field(init=False)

    def __post_init__(self) -> None:
        self.pdf_text = pdf_text(self.pdf)
        self.docx_text = docx_text(self.docx)

    def missing(self, *values: str) -> dict[str, list[str]]:
        """The values absent from the PDF and from the DOCX (both empty when all are there)."""
        wanted = [squash(v) for v in values]
        return {
            "pdf": [v for v in wanted if v not in self.pdf_text],
            "docx": [v for v in wanted if v not in self.docx_text],
        }


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    lead: User
    enterprise: Enterprise
    inspection: Inspection
    major: Finding
    general: Finding
    suspension: OnSiteMeasure
    seal: OnSiteMeasure
    order: RectificationOrder
    reinspection: Inspection
    docs: dict[str, Issued]


def _build(lead: User, second: User, agency: Agency, enterprise: Enterprise) -> dict[str, Any]:
    checklist = Checklist.objects.create(
        code="docs-test", name="通用安全生产检查表", name_en="General work-safety checklist"
    )
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=1, state=VersionState.PUBLISHED
    )
    items = [
        ChecklistItem.objects.create(
            checklist_version=version,
            code=f"T-{n}",
            sort=n,
            text=text,
            legal_basis="《安全生产法》",
        )
        for n, text in enumerate(["安全生产责任制", "设备设施", "安全出口", "有限空间", "保险"])
    ]
    inspection = Inspection.objects.create(
        agency=agency,
        jurisdiction_code=JURISDICTION,
        enterprise=enterprise,
        origin=Origin.PLANNED,
        lead_officer=lead,
        lead_certificate=LEAD_CERT,
        second_officer=second,
        second_certificate=SECOND_CERT,
        place=PLACE,
        started_at=_beijing(INSPECTED_ON, 9, 30),
        ended_at=_beijing(INSPECTED_ON, 11, 45),
        handling="当场责令立即清理安全出口；液氨储罐区责令暂时停产并予以查封。",
        unit_head_name=HEAD_NAME,
        unit_head_signature=HeadSignature.REFUSED,
        unit_head_refusal_note=REFUSAL,
    )
    inspection.checklist_versions.add(version)
    results = [
        AnswerResult.COMPLIANT,
        AnswerResult.FINDING,
        AnswerResult.FINDING,
        AnswerResult.NOT_APPLICABLE,
        AnswerResult.COMPLIANT,
    ]
    answers = [
        Answer.objects.create(
            inspection=inspection,
            sort=n,
            item=item,
            result=result,
            note="本单位无有限空间" if result == AnswerResult.NOT_APPLICABLE else "",
        )
        for n, (item, result) in enumerate(zip(items, results, strict=True))
    ]
    common: dict[str, Any] = {
        "inspection": inspection,
        "enterprise": enterprise,
        "jurisdiction_code": JURISDICTION,
        "found_on": INSPECTED_ON,
        "created_by": lead,
    }
    major = Finding.objects.create(
        answer=answers[1],
        description=MAJOR,
        grade=HazardGrade.MAJOR,
        violated_article=MAJOR_ARTICLE,
        criterion=CRITERION,
        due_date=MAJOR_DUE,
        **common,
    )
    general = Finding.objects.create(
        answer=answers[2],
        description=GENERAL,
        location="生产车间东侧",
        grade=HazardGrade.GENERAL,
        violated_article=GENERAL_ARTICLE,
        due_date=GENERAL_DUE,
        **common,
    )
    suspension = OnSiteMeasure.objects.create(
        inspection=inspection,
        kind=MeasureKind.STOP_PRODUCTION,
        description="责令液氨储罐区及相关生产装置暂时停产停业，撤出作业人员",
        legal_basis=SUSPEND_BASIS,
        decided_by=lead,
        decided_at=_beijing(INSPECTED_ON, 11, 0),
    )
    suspension.findings.add(major)
    seal = OnSiteMeasure.objects.create(
        inspection=inspection,
        kind=MeasureKind.SEAL,
        description="液氨储罐不符合保障安全生产的国家标准，继续使用有发生泄漏中毒事故的危险",
        legal_basis=SEAL_BASIS,
        items=ITEMS,
        decided_by=lead,
        decided_at=_beijing(INSPECTED_ON, 11, 20),
    )
    seal.findings.add(major)
    order = RectificationOrder.objects.create(
        inspection=inspection,
        enterprise=enterprise,
        agency=agency,
        jurisdiction_code=JURISDICTION,
        issued_on=INSPECTED_ON,
        due_date=ORDER_DUE,
        issued_by=lead,
    )
    OrderLine.objects.create(
        order=order,
        finding=major,
        measure="加装液氨泄漏报警装置并与紧急切断连锁",
        due_date=MAJOR_DUE,
    )
    OrderLine.objects.create(
        order=order, finding=general, measure="清除堵塞物，保持安全出口畅通", due_date=GENERAL_DUE
    )
    reinspection = Inspection.objects.create(
        agency=agency,
        jurisdiction_code=JURISDICTION,
        enterprise=enterprise,
        origin=Origin.REINSPECTION,
        reinspection_of=order,
        lead_officer=lead,
        lead_certificate=LEAD_CERT,
        second_officer=second,
        second_certificate=SECOND_CERT,
        place=PLACE,
        started_at=_beijing(REVIEWED_ON, 14, 0),
        ended_at=_beijing(REVIEWED_ON, 15, 10),
        unit_head_name=HEAD_NAME,
        unit_head_signature=HeadSignature.SIGNED,
    )
    Answer.objects.create(
        inspection=reinspection,
        sort=0,
        prior_finding=major,
        result=AnswerResult.FINDING,
        note=NOT_RECTIFIED_NOTE,
    )
    Answer.objects.create(
        inspection=reinspection, sort=1, prior_finding=general, result=AnswerResult.COMPLIANT
    )
    return {
        "inspection": inspection,
        "major": major,
        "general": general,
        "suspension": suspension,
        "seal": seal,
        "order": order,
        "reinspection": reinspection,
    }


def _issue(world: dict[str, Any], lead: User, agency: Agency) -> dict[str, IssuedDocument]:
    inspection, order = world["inspection"], world["order"]
    suspension, seal = world["suspension"], world["seal"]
    common: dict[str, Any] = {"agency": agency, "actor": lead, "jurisdiction_code": JURISDICTION}
    docs: dict[str, IssuedDocument] = {
        DocumentKind.INSPECTION_RECORD: document_issue(
            kind=DocumentKind.INSPECTION_RECORD,
            subject=inspection,
            build=lambda n: inspection_record_content(inspection, n),
            on=INSPECTED_ON,
            **common,
        ),
        DocumentKind.MEASURE_DECISION: document_issue(
            kind=DocumentKind.MEASURE_DECISION,
            subject=suspension,
            build=lambda n: measure_decision_content(suspension, n),
            on=INSPECTED_ON,
            **common,
        ),
        DocumentKind.SEAL_SEIZE: document_issue(
            kind=DocumentKind.SEAL_SEIZE,
            subject=seal,
            build=lambda n: seal_seize_content(seal, n),
            on=INSPECTED_ON,
            **common,
        ),
        DocumentKind.RECTIFICATION_ORDER: document_issue(
            kind=DocumentKind.RECTIFICATION_ORDER,
            subject=order,
            build=lambda n: order_content(order, n),
            on=INSPECTED_ON,
            **common,
        ),
    }
    order.document = docs[DocumentKind.RECTIFICATION_ORDER]
    order.save(update_fields=["document"])
    reinspection = world["reinspection"]
    docs[DocumentKind.REVIEW_OPINION] = document_issue(
        kind=DocumentKind.REVIEW_OPINION,
        subject=reinspection,
        build=lambda n: review_content(reinspection, n),
        on=REVIEWED_ON,
        **common,
    )
    return docs


@pytest.fixture(scope="module")
def issued(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Every document issued once, in a transaction rolled back after the module."""
    media = tmp_path_factory.mktemp("documents-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        agency = AgencyFactory(
            jurisdiction_code=JURISDICTION, name="乌鲁木齐市天山区应急管理局", short_name="新天"
        )
        other = AgencyFactory(
            jurisdiction_code="650103", name="沙依巴克区应急管理局", short_name="新沙"
        )
        lead = UserFactory(agency=agency, name=LEAD_NAME)
        second = UserFactory(agency=agency, name=SECOND_NAME)
        CertificateFactory(officer=lead, number=LEAD_CERT)
        CertificateFactory(officer=second, number=SECOND_CERT)
        enterprise = EnterpriseFactory(
            jurisdiction_code=JURISDICTION,
            supervising_agency=agency,
            name=UNIT,
            address=ADDRESS,
            legal_representative="王伟",
        )
        world = _build(lead, second, agency, enterprise)
        documents = _issue(world, lead, agency)
        docs = {}
        for kind, document in documents.items():
            with document.pdf.open("rb") as pdf, document.docx.open("rb") as docx:
                docs[kind] = Issued(document, pdf.read(), docx.read())
        yield World(
            agency=agency,
            other_agency=other,
            lead=lead,
            enterprise=enterprise,
            docs=docs,
            **world,
        )
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- numbering


def test_kinds_have_number_words() -> None:
    assert {str(k) for k in DocumentKind} == set(NUMBER_WORDS)
    assert number_word(DocumentKind.INSPECTION_RECORD) == "检记"
    assert number_word(DocumentKind.MEASURE_DECISION) == "现决"
    assert number_word(DocumentKind.RECTIFICATION_ORDER) == "责改"
    assert number_word(DocumentKind.REVIEW_OPINION) == "复查"
    assert number_word(DocumentKind.SEAL_SEIZE) == "强制"
    with pytest.raises(ValueError, match="Unknown document kind"):
        number_word("no_such_document")


def test_each_document_is_numbered_per_office_kind_and_year(issued: World) -> None:
    numbers = {kind: doc.document.number for kind, doc in issued.docs.items()}
    assert numbers == {kind: f"（新天）应急{NUMBER_WORDS[kind]}〔2026〕1号" for kind in issued.docs}
    assert len(numbers) == 5  # the inspection and rectification documents
    for kind, doc in issued.docs.items():
        assert (doc.document.kind, doc.document.year, doc.document.seq) == (kind, YEAR, 1)
        assert doc.document.agency == issued.agency
        assert doc.document.pdf.name.endswith(f"/{kind}-2026-1.pdf")
        assert doc.document.docx.name.endswith(f"/{kind}-2026-1.docx")
        assert DocumentCounter.objects.get(agency=issued.agency, kind=kind, year=YEAR).last == 1


def _small(number: str) -> DocumentContent:
    return DocumentContent(
        title="现场检查记录",
        number=number,
        issuer="测试局",
        party=UNIT,
        date=INSPECTED_ON,
        blocks=(Paragraph("测试"),),
    )


def test_next_number_follows_and_another_office_or_year_starts_at_one(issued: World) -> None:
    kind = DocumentKind.INSPECTION_RECORD
    common: dict[str, Any] = {
        "kind": kind,
        "subject": issued.inspection,
        "build": _small,
        "actor": issued.lead,
        "jurisdiction_code": JURISDICTION,
    }
    second = document_issue(agency=issued.agency, on=dt.date(2026, 5, 1), **common)
    assert (second.seq, second.number) == (2, "（新天）应急检记〔2026〕2号")
    other = document_issue(agency=issued.other_agency, on=dt.date(2026, 5, 1), **common)
    assert (other.seq, other.number) == (1, "（新沙）应急检记〔2026〕1号")
    # an office with no short name on file: its name stands in
    unnamed = AgencyFactory(jurisdiction_code="650103", name="沙依巴克区应急管理局", short_name="")
    third = document_issue(agency=unnamed, on=dt.date(2026, 5, 1), **common)
    assert third.number == "（沙依巴克区应急管理局）应急检记〔2026〕1号"
    earlier = document_issue(agency=issued.agency, on=dt.date(2025, 12, 31), **common)
    assert (earlier.year, earlier.seq, earlier.number) == (2025, 1, "（新天）应急检记〔2025〕1号")
    assert DocumentCounter.objects.get(agency=issued.agency, kind=kind, year=YEAR).last == 2


# ----------------------------------------------------------------- files, hashes, record


def test_files_are_pdf_and_docx_and_their_hashes_are_stored(issued: World) -> None:
    for doc in issued.docs.values():
        assert doc.pdf.startswith(b"%PDF-")
        assert doc.docx.startswith(b"PK")
        assert doc.document.pdf_sha256 == sha256_hex(doc.pdf)
        assert doc.document.docx_sha256 == sha256_hex(doc.docx)
    subjects = {
        DocumentKind.INSPECTION_RECORD: issued.inspection,
        DocumentKind.MEASURE_DECISION: issued.suspension,
        DocumentKind.SEAL_SEIZE: issued.seal,
        DocumentKind.RECTIFICATION_ORDER: issued.order,
        DocumentKind.REVIEW_OPINION: issued.reinspection,
    }
    for kind, subject in subjects.items():
        document = issued.docs[kind].document
        assert (document.subject_type, document.subject_id) == subject_of(subject)
        assert document.jurisdiction_code == JURISDICTION
        assert document.issued_by == issued.lead


def test_issuing_appends_a_record_event_with_both_hashes(issued: World) -> None:
    for kind, doc in issued.docs.items():
        document = doc.document
        event = RecordEvent.objects.get(
            kind=RecordKind.DOCUMENT_ISSUED,
            subject_type=document.subject_type,
            subject_id=document.subject_id,
            payload__document=kind,
        )
        assert event.jurisdiction_code == JURISDICTION
        assert event.actor_id == issued.lead.pk
        assert event.payload == {
            "document": kind,
            "number": document.number,
            "pdf_sha256": document.pdf_sha256,
            "docx_sha256": document.docx_sha256,
        }
        assert event.evidence == sorted([document.pdf_sha256, document.docx_sha256])
    assert verify_chain(JURISDICTION) == []


def test_content_is_stored_as_json(issued: World) -> None:
    document = issued.docs[DocumentKind.SEAL_SEIZE].document
    content = document.content
    assert content["number"] == document.number
    assert content["title"] == document.title
    assert content["party"] == UNIT
    assert content["date"] == "2026-03-02"
    kinds = [block["kind"] for block in content["blocks"]]
    assert kinds[0] == "fields"
    assert "table" in kinds
    assert kinds[-1] == "signatures"
    with translation.override("zh-hans"):
        again = seal_seize_content(issued.seal, document.number, on=INSPECTED_ON)
    assert content == content_json(again)


def test_pdfs_draw_every_character_in_the_cjk_font(issued: World) -> None:
    for doc in issued.docs.values():
        reader = PdfReader(io.BytesIO(doc.pdf))
        boxes = [f["boxes"] for f in _fonts(reader) if f["boxes"]]
        assert boxes == []
        page = reader.pages[0]
        assert float(page.mediabox.width) == pytest.approx(210 * 72 / 25.4, abs=0.5)
        assert doc.pdf_text.startswith(squash(issued.agency.name))


def test_docx_is_a4_with_chinese_fonts(issued: World) -> None:
    document = Document(io.BytesIO(issued.docs[DocumentKind.INSPECTION_RECORD].docx))
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.right_margin,
        section.bottom_margin,
        section.left_margin,
    ]
    assert [s.mm if s is not None else None for s in sizes] == pytest.approx(
        [210, 297, 37, 26, 35, 28], abs=0.1
    )
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "宋体"
    )
    # no Jinja tag survives rendering
    text = docx_text(issued.docs[DocumentKind.INSPECTION_RECORD].docx)
    assert "{{" not in text
    assert "{%" not in text


# ------------------------------------------------------------- what each document says


def _common(issued: World, kind: str) -> list[str]:
    doc = issued.docs[kind].document
    return [issued.agency.name, doc.title, doc.number, UNIT]


def test_inspection_record_has_the_art_68_contents(issued: World) -> None:
    doc = issued.docs[DocumentKind.INSPECTION_RECORD]
    assert doc.document.title == zh("On-site inspection record")
    expected = [
        *_common(issued, DocumentKind.INSPECTION_RECORD),
        ADDRESS,
        "王伟",  # legal representative
        HEAD_NAME,
        _date(INSPECTED_ON),
        "09:30",
        "11:45",
        PLACE,
        LEAD_NAME,
        LEAD_CERT,
        SECOND_NAME,
        SECOND_CERT,
        "通用安全生产检查表",
        MAJOR,
        MAJOR_ARTICLE,
        CRITERION,
        GENERAL,
        GENERAL_ARTICLE,
        zh("Major accident hazard (重大事故隐患)"),
        zh("General hazard (一般隐患)"),
        "当场责令立即清理安全出口",
        zh("Suspend production or business"),
        zh("Seal (查封)"),
        zh("%(role)s refused to sign (%(name)s).")
        % {"role": zh("Head of the inspected unit"), "name": HEAD_NAME},
        REFUSAL,
    ]
    assert doc.missing(*expected) == {"pdf": [], "docx": []}
    with translation.override("zh-hans"):
        counts = _(
            "Items checked: %(total)s; compliant: %(compliant)s; problems found: "
            "%(finding)s; not applicable: %(na)s."
        ) % {"total": 5, "compliant": 2, "finding": 2, "na": 1}
    assert doc.missing(counts) == {"pdf": [], "docx": []}


def test_inspection_record_prints_a_signature_line_when_the_head_signs(issued: World) -> None:
    issued.inspection.unit_head_signature = HeadSignature.SIGNED
    try:
        with translation.override("zh-hans"):
            content = inspection_record_content(issued.inspection, "N")
            signatures = document_context(content)["blocks"][-1]
            head = zh("Head of the inspected unit")
            line = _("%(role)s: %(name)s    Signature: ______________    Date:") % {
                "role": head,
                "name": HEAD_NAME,
            }
    finally:
        issued.inspection.unit_head_signature = HeadSignature.REFUSED
    assert signatures["kind"] == "signatures"
    assert signatures["lines"][-1] == {"text": line, "refused": False}
    assert REFUSAL not in str(content_json(content))


def _rights(template: str) -> str:
    with translation.override("zh-hans"):
        government = _("the People's Government of %(place)s") % {"place": "乌鲁木齐市天山区"}
        return _(template) % {"government": government}


DECISION_RIGHTS = (
    "If you do not accept this decision, you may apply to %(government)s for "
    "administrative reconsideration within 60 days of receiving it, or bring an "
    "administrative lawsuit before a people's court within 6 months of receiving "
    "it. The decision is not suspended during reconsideration or litigation."
)
CRIME_WARNING = (
    "Refusing to carry out an order, given because of a major accident hazard, to "
    "suspend production or business, to stop using equipment, facilities or sites, or "
    "to remove the danger at once, where there is a real danger of a major accident "
    "or other serious consequences, is suspected of being the crime of dangerous "
    "operations under Article 134-1 of the Criminal Law and will be transferred to "
    "the judicial authorities."
)
ORDER_RIGHTS = (
    "If you do not accept this order, you may apply to %(government)s for "
    "administrative reconsideration within 60 days of receiving it, or bring an "
    "administrative lawsuit before a people's court within 6 months of receiving "
    "it. The order is not suspended during reconsideration or litigation."
)


def test_rights_texts_give_60_days_and_6_months() -> None:
    for template in (DECISION_RIGHTS, ORDER_RIGHTS):
        assert "60 days" in template
        assert "6 months" in template


def test_measure_decision_states_basis_measure_resumption_and_rights(issued: World) -> None:
    doc = issued.docs[DocumentKind.MEASURE_DECISION]
    expected = [
        *_common(issued, DocumentKind.MEASURE_DECISION),
        ADDRESS,
        MAJOR,
        MAJOR_ARTICLE,
        SUSPEND_BASIS,
        zh("Suspend production or business"),
        issued.suspension.description,
        zh(
            "Production, business or the use of the facilities and equipment may "
            "resume only after the major accident hazard has been removed and this "
            "bureau has reviewed and approved it (Work Safety Law, Article 65(1)(iii))."
        ),
        _rights(DECISION_RIGHTS),
        _date(INSPECTED_ON),
        zh("(seal)"),
        LEAD_NAME,
        SECOND_NAME,
    ]
    assert doc.missing(*expected) == {"pdf": [], "docx": []}
    assert GENERAL not in doc.pdf_text  # only the measure's own findings


def test_seal_decision_has_the_art_24_contents_and_the_30_day_period(issued: World) -> None:
    doc = issued.docs[DocumentKind.SEAL_SEIZE]
    end = seal_end_date(INSPECTED_ON)
    assert end == dt.date(2026, 4, 1)
    with translation.override("zh-hans"):
        period = _(
            "The period of the measure (%(action)s) is 30 days: it is counted from the day "
            "after this decision and ends on %(end)s (Administrative Coercion Law, "
            "Article 25). If the case is complex, the head of this bureau may approve an "
            "extension of no more than 30 days; you will be told of it in writing, with "
            "the reasons."
        ) % {"action": _("seal up"), "end": format_date(end)}
    expected = [
        *_common(issued, DocumentKind.SEAL_SEIZE),
        ADDRESS,  # (1) name and address
        issued.seal.description,  # (2) reasons
        SEAL_BASIS,  # (2) basis
        period,  # (2) period
        _date(end),
        *[value for item in ITEMS for value in item.values()],  # (3) the list
        _rights(DECISION_RIGHTS),  # (4) remedies
        issued.agency.name,  # (5) agency and date
        _date(INSPECTED_ON),
        zh("(seal)"),
    ]
    assert doc.missing(*expected) == {"pdf": [], "docx": []}


def test_rectification_order_lists_measures_deadlines_consequences(issued: World) -> None:
    doc = issued.docs[DocumentKind.RECTIFICATION_ORDER]
    expected = [
        *_common(issued, DocumentKind.RECTIFICATION_ORDER),
        zh("%(party)s:") % {"party": UNIT},
        _date(INSPECTED_ON),
        MAJOR,
        MAJOR_ARTICLE,
        GENERAL,
        GENERAL_ARTICLE,
        zh("Major accident hazard (重大事故隐患)"),
        "加装液氨泄漏报警装置并与紧急切断连锁",
        "清除堵塞物，保持安全出口畅通",
        _date(MAJOR_DUE),
        _date(GENERAL_DUE),
        _date(ORDER_DUE),
        zh("Article 65(1)(ii) and Article 102 of the Work Safety Law"),
        zh(
            "While rectifying, take the measures needed to keep the work safe. When the "
            "rectification is complete, report it to this bureau in writing (you may report "
            "through the enterprise portal) with the supporting evidence; this bureau will "
            "then re-inspect."
        ),
        zh(
            "If you do not take measures to remove the hazards, this bureau will impose a "
            "fine of up to 50,000 yuan under Article 102 of the Work Safety Law; if you "
            "refuse to comply, you will be ordered to suspend production and business for "
            "rectification, and the persons directly in charge and other directly "
            "responsible persons will be fined 50,000 to 100,000 yuan; where a crime is "
            "constituted, criminal liability will be pursued."
        ),
        zh(CRIME_WARNING),
        _rights(ORDER_RIGHTS),
        LEAD_NAME,
        LEAD_CERT,
        SECOND_NAME,
        SECOND_CERT,
    ]
    assert doc.missing(*expected) == {"pdf": [], "docx": []}


def test_review_opinion_gives_each_outcome_and_the_conclusion(issued: World) -> None:
    doc = issued.docs[DocumentKind.REVIEW_OPINION]
    order_number = issued.docs[DocumentKind.RECTIFICATION_ORDER].document.number
    expected = [
        *_common(issued, DocumentKind.REVIEW_OPINION),
        order_number,
        _date(REVIEWED_ON),
        "14:00",
        "15:10",
        PLACE,
        LEAD_NAME,
        LEAD_CERT,
        MAJOR,
        GENERAL,
        zh("Rectified"),
        zh("Not rectified"),
        NOT_RECTIFIED_NOTE,
        zh("The following problems have not been rectified: %(list)s.")
        % {"list": zh("%(n)s. %(problem)s") % {"n": 1, "problem": MAJOR}},
        zh(CRIME_WARNING),
        zh("Head of the inspected unit"),
        HEAD_NAME,
    ]
    assert doc.missing(*expected) == {"pdf": [], "docx": []}
    assert squash(zh("%(role)s refused to sign.") % {"role": ""}) not in doc.pdf_text


def test_review_concludes_closed_when_everything_is_rectified(issued: World) -> None:
    issued.reinspection.answers.filter(prior_finding=issued.major).update(
        result=AnswerResult.COMPLIANT
    )
    with translation.override("zh-hans"):
        content = review_content(issued.reinspection, "N")
        closed = _(
            "The problems above have all been rectified. The rectification passes the "
            "review and the order is closed."
        )
    texts = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert closed in texts


def test_docx_renders_user_text_safely(issued: World) -> None:
    """Markup characters and control characters in user text do not break the DOCX."""
    content = DocumentContent(
        title="现场检查记录",
        number="N",
        issuer="测试局",
        party="A&B <公司>",
        date=INSPECTED_ON,
        blocks=(Paragraph("第一行\n第二行\t{{ x }} {% if %}\x07\x0c"),),
        addressed=True,
    )
    data = render_content_docx(content)
    text = docx_text(data)
    assert "A&B<公司>" in text
    assert "第一行第二行{{x}}{%if%}" in text
