"""The documents of a penalty case (执法文书) and its case file (案卷).

One general-procedure case against 乌鲁木齐天山化工有限公司 is built with the ORM (three
violations, one absorbed under 行政处罚法 Art. 29, evidence, an interview, legal review,
collective discussion, a statement, a hearing, a decision of 50,000 yuan, service, a
reminder, payments) and each of its twelve documents is issued once, then bound into the
case file; a case against a person ends without a penalty and a simple-procedure case gets
an on-the-spot decision. All of it happens once, in ``issued`` (module scope).

The tests read the PDF text (pypdf) and look for every value the law asks for. Sentences are
compared through gettext, so they hold whether or not the Chinese catalogue has them yet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from pypdf import PdfReader

from inspectorate.cases import documents as case_docs
from inspectorate.cases.documents import amount_in_words, case_file_build, issue
from inspectorate.cases.models import (
    Benchmark,
    Case,
    CaseEvidence,
    CaseSource,
    CaseState,
    CaseViolation,
    EvidenceKind,
    Hearing,
    Interview,
    Outcome,
    PartyKind,
    Payment,
    Procedure,
    ProcedureRules,
    Provision,
    Review,
    Statement,
)
from inspectorate.cases.rules import DEFAULT_RULES
from inspectorate.core.document_kinds import DocumentKind as K
from inspectorate.core.documents import format_date, sha256_hex
from inspectorate.core.models import IssuedDocument, RecordEvent
from inspectorate.core.record import subject_of, verify_documents
from inspectorate.org.models import Agency, User
from inspectorate.registry.models import Enterprise
from tests.factories import AgencyFactory, CertificateFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
JURISDICTION = "650102"
UNIT = "乌鲁木齐天山化工有限公司"
ADDRESS = "新疆乌鲁木齐市天山区人民路188号"
LEGAL_REP = "王伟"
FIRST, SECOND = "张建国", "李明"
FIRST_CERT, SECOND_CERT = "65010220250101", "65010220250102"
HEAD, REVIEWER, CHAIR = "马局长", "周法审", "陈主持"
REVIEWER_CERT = "65010220250199"
SUMMARY = "未对安全设备进行经常性维护、保养和定期检测"
FACTS = "经查，当事人液氨储罐区泄漏报警装置自2025年10月起未进行定期检测，且未组织从业人员安全培训。"
EVIDENCE = ("设备检测台账复印件", "现场检查记录及照片")
QA = [
    {
        "q": "你单位液氨储罐区的泄漏报警装置最近一次检测是什么时候？",
        "a": "2025年10月，之后没有再检测。",
    },
    {"q": "你单位2026年组织过从业人员安全培训吗？", "a": "还没有组织。"},
]
VIOLATIONS = (
    # description, provision code, act, tier, proposed/decided, absorbed
    ("泄漏报警装置未定期检测", "t-99-3", 1, "general", 30_000, False),
    ("未组织从业人员安全生产教育和培训", "t-97-3", 2, "lighter", 20_000, False),
    ("危险物品储存未采取可靠的安全措施", "t-101-1", 1, "general", 12_000, True),
)
FINE = 50_000
STATEMENT = "我单位已于2026年4月1日完成报警装置检测，请求从轻处罚。"
REPLY = "检测系事后整改，不影响违法事实的认定，不予采纳"
HEARING_RECORD = "当事人委托代理人到场，对违法事实无异议，请求从轻处罚。"
HEARING_PLACE = "天山区应急管理局第一听证室"
BANK = "中国工商银行乌鲁木齐天山支行"
OFFICE_ADDRESS = "乌鲁木齐市天山区解放南路100号"
NO_PENALTY_REASON = (
    "违法行为轻微并及时改正，没有造成危害后果（《中华人民共和国行政处罚法》第三十三条第一款）"
)
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")

FILED, INTERVIEWED = dt.date(2026, 3, 4), dt.date(2026, 3, 6)
REPORTED, LEGAL_ON, DISCUSSED = dt.date(2026, 3, 20), dt.date(2026, 3, 24), dt.date(2026, 3, 26)
NOTIFIED, STATEMENT_UNTIL, HEARING_UNTIL = (
    dt.date(2026, 3, 30),
    dt.date(2026, 4, 7),
    dt.date(2026, 4, 7),
)
HEARD, DECIDED, SERVED = dt.date(2026, 4, 15), dt.date(2026, 4, 20), dt.date(2026, 4, 21)
DUE, REMINDED, CLOSED = dt.date(2026, 5, 6), dt.date(2026, 5, 20), dt.date(2026, 6, 30)
SURCHARGE, PAID, OWED = Decimal("12600.00"), Decimal("0.00"), Decimal("62600.00")


def zh(message: str, **values: Any) -> str:
    """``message`` as the documents print it (in Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        text = _(message)
        return text % values if values else text


def zh_date(day: dt.date) -> str:
    with translation.override("zh-hans"):
        return format_date(day)


def zh_call(function: Any, *args: Any) -> Any:
    with translation.override("zh-hans"):
        return function(*args)


def squash(text: str) -> str:
    """Text without whitespace: PDF lines wrap anywhere, and wrapping adds newlines."""
    return "".join(text.split())


def page_texts(data: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [squash(PAGE_NUMBER.sub("", page.extract_text())) for page in pages]


@dataclass
class Issued:
    document: IssuedDocument
    pdf: bytes
    docx: bytes
    pages: list[str] = field(init=False)
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.pages = page_texts(self.pdf)
        self.text = "".join(self.pages)

    def missing(self, *values: str) -> list[str]:
        """The values absent from the PDF (empty when all are there)."""
        return [v for v in (squash(v) for v in values) if v not in self.text]


@dataclass
class World:
    agency: Agency
    head: User
    first: User
    second: User
    enterprise: Enterprise
    case: Case
    person_case: Case
    simple_case: Case
    docs: dict[str, Issued]
    case_file: Issued
    media: str  # where the module's files are stored


def _read(document: IssuedDocument) -> Issued:
    with document.pdf.open("rb") as pdf, document.docx.open("rb") as docx:
        return Issued(document, pdf.read(), docx.read())


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def _provisions() -> dict[str, Provision]:
    rows = {
        "t-99-3": (
            99,
            3,
            0,
            50_000,
            "情节严重的，责令停产停业整顿",
            "未对安全设备进行经常性维护、保养和定期检测",
        ),
        "t-97-3": (97, 3, 0, 100_000, "", "未按照规定对从业人员进行安全生产教育和培训"),
        "t-101-1": (101, 1, 0, 100_000, "", "储存危险物品未采取可靠的安全措施"),
    }
    return {
        code: Provision.objects.create(
            code=code,
            article=article,
            item=item,
            party="unit",
            stage="base",
            method="range",
            min_amount=low,
            max_amount=high,
            other_penalties=other,
            violation=violation,
            citation=f"《中华人民共和国安全生产法》第{article}条第（{item}）项",
            effective_from=dt.date(2021, 9, 1),
        )
        for code, (article, item, low, high, other, violation) in rows.items()
    }


def _case(agency: Agency, enterprise: Enterprise, users: dict[str, User], **kw: Any) -> Case:
    values: dict[str, Any] = {
        "number": "新天应急罚字〔2026〕7号",
        "agency": agency,
        "jurisdiction_code": JURISDICTION,
        "source": CaseSource.INSPECTION,
        "source_reference": "（新天）应急检记〔2026〕3号",
        "enterprise": enterprise,
        "party_kind": PartyKind.UNIT,
        "party_name": UNIT,
        "summary": SUMMARY,
        "facts": FACTS,
        "act_date": dt.date(2026, 2, 20),
        "discovered_on": dt.date(2026, 3, 2),
        "filed_by": users["first"],
        "applied_on": dt.date(2026, 3, 3),
        "filed_on": FILED,
        "investigator_1": users["first"],
        "investigator_2": users["second"],
        "certificate_1": FIRST_CERT,
        "certificate_2": SECOND_CERT,
        "state": CaseState.INVESTIGATING,
    }
    values.update(kw)
    return Case.objects.create(**values)


def _violations(case: Case, provisions: dict[str, Provision], benchmark: Benchmark) -> None:
    for description, code, act, tier, amount, absorbed in VIOLATIONS:
        CaseViolation.objects.create(
            case=case,
            act=act,
            provision=provisions[code],
            description=description,
            tier=tier,
            range_min=15_000,
            range_max=35_000,
            recommended=25_000 if not absorbed else amount,
            reasons=["没有从轻、从重情节", "一年内首次违法"],
            proposed=amount,
            justification="报警装置长期未检测，风险较高" if code == "t-99-3" else "",
            notified=0 if absorbed else amount,
            decided=None if absorbed else amount,
            absorbed=absorbed,
            benchmark=benchmark,
        )


def _issue_main(case: Case, users: dict[str, User]) -> dict[str, IssuedDocument]:
    head, first, second = users["head"], users["first"], users["second"]
    docs: dict[str, IssuedDocument] = {
        K.FILING_APPROVAL: issue(K.FILING_APPROVAL, case=case, actor=head, on=FILED)
    }
    interview = Interview.objects.create(
        case=case,
        person="赵强",
        position="安全生产管理人员",
        place="天山化工有限公司会议室",
        started_at=_at(INTERVIEWED, 10, 0),
        ended_at=_at(INTERVIEWED, 11, 10),
        record=QA,
        officer_1=first,
        officer_2=second,
    )
    docs[K.INTERVIEW_RECORD] = issue(
        K.INTERVIEW_RECORD, case=case, actor=first, on=INTERVIEWED, subject=interview
    )
    case.report = "当事人的违法事实清楚，证据确实充分，建议合并处罚款人民币50,000元。"
    case.save()
    docs[K.INVESTIGATION_REPORT] = issue(
        K.INVESTIGATION_REPORT, case=case, actor=first, on=REPORTED
    )
    Review.objects.create(
        case=case,
        step=Review.Step.LEGAL,
        actor=users["reviewer"],
        on=LEGAL_ON,
        conclusion="legal_to_discussion",
        opinion="事实清楚，证据充分，适用法律正确，程序合法，裁量适当。",
    )
    docs[K.LEGAL_REVIEW_OPINION] = issue(
        K.LEGAL_REVIEW_OPINION, case=case, actor=users["reviewer"], on=LEGAL_ON
    )
    Review.objects.create(
        case=case,
        step=Review.Step.DISCUSSION,
        actor=head,
        on=DISCUSSED,
        conclusion="discussion_notify",
        opinion="同意调查人员的处罚建议。",
        participants="马局长、刘副局长、周法审",
    )
    docs[K.DISCUSSION_RECORD] = issue(K.DISCUSSION_RECORD, case=case, actor=head, on=DISCUSSED)
    case.notified_on, case.notified_amount, case.state = NOTIFIED, FINE, CaseState.NOTIFIED
    case.save()
    extra: dict[str, Any] = {"statement_until": STATEMENT_UNTIL, "office_address": OFFICE_ADDRESS}
    docs[K.PENALTY_NOTICE] = issue(
        K.PENALTY_NOTICE, case=case, actor=head, on=NOTIFIED, extra=extra
    )
    extra["hearing_until"] = HEARING_UNTIL
    docs[K.HEARING_NOTICE] = issue(
        K.HEARING_NOTICE, case=case, actor=head, on=NOTIFIED, extra=extra
    )
    Statement.objects.create(
        case=case,
        text=STATEMENT,
        submitted_by=first,
        submitted_on=dt.date(2026, 4, 2),
        reply=REPLY,
    )
    Hearing.objects.create(
        case=case,
        requested_on=dt.date(2026, 4, 1),
        requested_by=first,
        notice_on=dt.date(2026, 4, 3),
        date=HEARD,
        place=HEARING_PLACE,
        chair=users["chair"],
        held_on=HEARD,
        record=HEARING_RECORD,
    )
    docs[K.HEARING_RECORD] = issue(K.HEARING_RECORD, case=case, actor=users["chair"], on=HEARD)
    case.fine, case.decided_on, case.decided_by = FINE, DECIDED, head
    case.outcome, case.state = Outcome.PENALTY, CaseState.DECIDED
    case.save()
    docs[K.PENALTY_DECISION] = issue(
        K.PENALTY_DECISION, case=case, actor=head, on=DECIDED, extra={"bank": BANK}
    )
    decision = docs[K.PENALTY_DECISION]
    case.served_on, case.payment_due = SERVED, DUE
    case.save()
    docs[K.SERVICE_RECEIPT] = issue(
        K.SERVICE_RECEIPT,
        case=case,
        actor=first,
        on=SERVED,
        extra={
            "document_number": decision.number,
            "document_title": decision.title,
            "method": "direct",
            "recipient": "赵强",
        },
    )
    case.reminded_on = REMINDED
    case.save()
    docs[K.PAYMENT_REMINDER] = issue(
        K.PAYMENT_REMINDER,
        case=case,
        actor=head,
        on=REMINDED,
        extra={
            "surcharge": SURCHARGE,
            "paid": PAID,
            "owed": OWED,
            "office_address": OFFICE_ADDRESS,
        },
    )
    for paid_on, amount, receipt in (
        (dt.date(2026, 5, 25), Decimal("40000.00"), "ICBC-20260525-001"),
        (dt.date(2026, 6, 10), Decimal("22600.00"), "ICBC-20260610-002"),
    ):
        Payment.objects.create(
            case=case,
            paid_on=paid_on,
            amount=amount,
            receipt_number=receipt,
            channel="银行柜台",
            recorded_by=first,
        )
    case.closed_on, case.state = CLOSED, CaseState.CLOSING
    case.save()
    docs[K.CLOSING_APPROVAL] = issue(K.CLOSING_APPROVAL, case=case, actor=head, on=CLOSED)
    return docs


def _setup_users(agency: Agency) -> dict[str, User]:
    users = {
        "head": UserFactory(agency=agency, name=HEAD),
        "first": UserFactory(agency=agency, name=FIRST),
        "second": UserFactory(agency=agency, name=SECOND),
        "reviewer": UserFactory(agency=agency, name=REVIEWER),
        "chair": UserFactory(agency=agency, name=CHAIR),
    }
    CertificateFactory(officer=users["first"], number=FIRST_CERT)
    CertificateFactory(officer=users["second"], number=SECOND_CERT)
    CertificateFactory(officer=users["reviewer"], number=REVIEWER_CERT, legal_qualification=True)
    return users


def _other_cases(
    agency: Agency, enterprise: Enterprise, users: dict[str, User], provisions: Any, bench: Any
) -> tuple[Case, Case, IssuedDocument, IssuedDocument]:
    person = _case(
        agency,
        enterprise,
        users,
        number="新天应急罚字〔2026〕8号",
        party_kind=PartyKind.PERSON,
        party_name="李四",
        party_id_number="650102199001011234",
        party_position="车间主任",
        outcome=Outcome.NO_PENALTY,
        decided_on=DECIDED,
        state=CaseState.CLOSING,
    )
    CaseViolation.objects.create(
        case=person,
        provision=provisions["t-97-3"],
        description="未参加安全生产教育和培训即上岗",
        tier="none",
        range_min=0,
        range_max=0,
        recommended=0,
        proposed=0,
        benchmark=bench,
    )
    no_penalty = issue(
        K.PENALTY_DECISION,
        case=person,
        actor=users["head"],
        on=DECIDED,
        extra={"reason": NO_PENALTY_REASON},
    )
    simple = _case(
        agency,
        enterprise,
        users,
        number="新天应急当罚〔2026〕2号",
        procedure=Procedure.SIMPLE,
        summary="未设置明显的安全警示标志案",
        facts="当事人液氨储罐区未设置明显的安全警示标志",
        fine=2_000,
        decided_on=DECIDED,
        outcome=Outcome.PENALTY,
        state=CaseState.EXECUTING,
    )
    CaseViolation.objects.create(
        case=simple,
        provision=provisions["t-99-3"],
        description="未设置明显的安全警示标志",
        tier="lighter",
        range_min=0,
        range_max=15_000,
        recommended=2_000,
        proposed=2_000,
        decided=2_000,
        benchmark=bench,
    )
    on_spot = issue(
        K.SIMPLE_DECISION,
        case=simple,
        actor=users["first"],
        on=DECIDED,
        extra={"place": "天山化工有限公司液氨储罐区"},
    )
    return person, simple, no_penalty, on_spot


@pytest.fixture(scope="module")
def issued(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Every document issued once, in a transaction rolled back after the module."""
    media = tmp_path_factory.mktemp("case-documents-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        if not ProcedureRules.objects.filter(jurisdiction_code="").exists():
            ProcedureRules.objects.create(**DEFAULT_RULES)
        agency = AgencyFactory(
            jurisdiction_code=JURISDICTION, name="乌鲁木齐市天山区应急管理局", short_name="新天"
        )
        users = _setup_users(agency)
        enterprise = EnterpriseFactory(
            jurisdiction_code=JURISDICTION,
            supervising_agency=agency,
            name=UNIT,
            address=ADDRESS,
            legal_representative=LEGAL_REP,
        )
        provisions = _provisions()
        bench = Benchmark.objects.create(
            jurisdiction_code=JURISDICTION,
            code="doc-test",
            name="测试裁量基准",
            source="测试",
            effective_from=dt.date(2024, 1, 1),
        )
        case = _case(agency, enterprise, users, hearing_right=True)
        _violations(case, provisions, bench)
        for n, description in enumerate(EVIDENCE):
            CaseEvidence.objects.create(
                case=case,
                kind=(EvidenceKind.DOCUMENT, EvidenceKind.SITE)[n],
                description=description,
                collected_on=dt.date(2026, 3, 5 + n),
                officer_1=users["first"],
                officer_2=users["second"],
            )
        documents = _issue_main(case, users)
        person, simple, no_penalty, on_spot = _other_cases(
            agency, enterprise, users, provisions, bench
        )
        case_file = case_file_build(case, actor=users["head"], on=dt.date(2026, 7, 1))
        docs = {kind: _read(document) for kind, document in documents.items()}
        docs["no_penalty"], docs[K.SIMPLE_DECISION] = _read(no_penalty), _read(on_spot)
        yield World(
            agency=agency,
            head=users["head"],
            first=users["first"],
            second=users["second"],
            enterprise=enterprise,
            case=case,
            person_case=person,
            simple_case=simple,
            docs=docs,
            case_file=_read(case_file),
            media=str(media),
        )
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# 大写金额
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (10, "壹拾元整"),
        (105, "壹佰零伍元整"),
        (1000, "壹仟元整"),
        (10001, "壹万零壹元整"),
        (12345, "壹万贰仟叁佰肆拾伍元整"),
        (50000, "伍万元整"),
        (100000000, "壹亿元整"),
        (100010, "壹拾万零壹拾元整"),
        (1001000, "壹佰万壹仟元整"),
        (30000500, "叁仟万零伍佰元整"),
        (100001000, "壹亿零壹仟元整"),
        (110000000, "壹亿壹仟万元整"),
        (200000, "贰拾万元整"),
        (20000001, "贰仟万零壹元整"),
        (1000100000000, "壹万零壹亿元整"),
        (9999999999999999, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("amount", [-1, 10**16])
def test_amount_in_words_refuses_what_it_cannot_write(amount: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        amount_in_words(amount)


# ---------------------------------------------------------------------------------------
# Every document: numbered, titled, about the right subject, recorded
# ---------------------------------------------------------------------------------------

TITLES: dict[str, str] = {
    K.FILING_APPROVAL: "Case filing approval form",
    K.INTERVIEW_RECORD: "Interview record",
    K.INVESTIGATION_REPORT: "Case investigation report",
    K.LEGAL_REVIEW_OPINION: "Legal review opinion",
    K.DISCUSSION_RECORD: "Record of collective discussion",
    K.PENALTY_NOTICE: "Notice of intended administrative penalty",
    K.HEARING_NOTICE: "Notice of the right to a hearing",
    K.HEARING_RECORD: "Hearing record",
    K.PENALTY_DECISION: "Administrative penalty decision",
    K.SIMPLE_DECISION: "On-the-spot administrative penalty decision",
    K.SERVICE_RECEIPT: "Service receipt",
    K.PAYMENT_REMINDER: "Notice urging payment of a fine",
    K.CLOSING_APPROVAL: "Case closing approval form",
}
WORDS: dict[str, str] = {
    K.FILING_APPROVAL: "立",
    K.INTERVIEW_RECORD: "询",
    K.INVESTIGATION_REPORT: "调查",
    K.LEGAL_REVIEW_OPINION: "法审",
    K.DISCUSSION_RECORD: "集议",
    K.PENALTY_NOTICE: "罚告",
    K.HEARING_NOTICE: "听告",
    K.HEARING_RECORD: "听记",
    K.PENALTY_DECISION: "罚",
    K.SIMPLE_DECISION: "当罚",
    K.SERVICE_RECEIPT: "送",
    K.PAYMENT_REMINDER: "催",
    K.CLOSING_APPROVAL: "结",
}


def test_every_kind_but_the_case_file_has_a_builder() -> None:
    assert set(case_docs.BUILDERS) == set(TITLES)
    assert K.CASE_FILE not in case_docs.BUILDERS


@pytest.mark.parametrize("kind", list(TITLES))
def test_each_document_is_numbered_titled_and_recorded(issued: World, kind: str) -> None:
    doc = issued.docs[kind].document
    assert doc.kind == kind
    assert doc.agency == issued.agency
    assert doc.jurisdiction_code == JURISDICTION
    assert doc.title == zh(TITLES[kind])
    # the first (and only) of its kind this year; the decision is the second 罚 (the
    # person's no-penalty decision came after it)
    assert doc.number == f"（新天）应急{WORDS[kind]}〔2026〕1号"
    issued_doc = issued.docs[kind]
    assert issued_doc.missing(doc.number, zh(TITLES[kind]), issued.agency.name) == []
    assert sha256_hex(issued_doc.pdf) == doc.pdf_sha256
    event = RecordEvent.objects.get(kind="core.document_issued", payload__number=doc.number)
    assert doc.pdf_sha256 in event.evidence


def test_the_interview_record_is_about_the_interview(issued: World) -> None:
    doc = issued.docs[K.INTERVIEW_RECORD].document
    interview = issued.case.interviews.get()
    assert (doc.subject_type, doc.subject_id) == subject_of(interview)
    others = [issued.docs[k].document for k in TITLES if k != K.INTERVIEW_RECORD]
    assert {(d.subject_type, d.subject_id) for d in others if d.kind != K.SIMPLE_DECISION} == {
        subject_of(issued.case)
    }


def test_the_no_penalty_decision_shares_the_decision_numbers(issued: World) -> None:
    doc = issued.docs["no_penalty"].document
    assert doc.kind == K.PENALTY_DECISION
    assert doc.number == "（新天）应急罚〔2026〕2号"
    assert doc.title == zh("Decision not to impose an administrative penalty")


# ---------------------------------------------------------------------------------------
# What each document says
# ---------------------------------------------------------------------------------------


def _decision_values(world: World) -> dict[str, Any]:
    with translation.override("zh-hans"):
        return {
            "you": _("your unit"),
            "days": 15,
            "bank": BANK,
            "rate": "3",
            "full": case_docs.yuan_in_full(FINE),
            "first": case_docs.yuan(30_000),
            "second": case_docs.yuan(20_000),
            "remedies": case_docs.remedies(world.case).text,
        }


def test_the_decision_carries_the_six_items_of_article_59(issued: World) -> None:
    doc, v = issued.docs[K.PENALTY_DECISION], _decision_values(issued)
    notice = issued.docs[K.PENALTY_NOTICE].document.number
    assert "伍万元整" in doc.text
    assert doc.missing(v["full"]) == []
    assert (
        doc.missing(
            # (1) the party: name and address
            UNIT,
            issued.enterprise.credit_code,
            ADDRESS,
            LEGAL_REP,
            # (2) facts and evidence
            FACTS,
            *EVIDENCE,
            # how the party was heard
            notice,
            STATEMENT.rstrip("。"),
            REPLY,
            zh_date(HEARD),
            # (3) the provisions and the penalty, per violation and in total
            "《中华人民共和国安全生产法》第99条第（3）项",
            "《中华人民共和国安全生产法》第97条第（3）项",
            zh("A fine of %(amount)s is imposed.", amount=v["first"]),
            zh("A fine of %(amount)s is imposed.", amount=v["second"]),
            zh(
                "This bureau therefore decides to impose on the party a fine of %(amount)s.",
                amount=v["full"],
            ),
            # (4) how and when: 15 days at the bank, never the office; the 3 % surcharge
            zh(
                "%(you)s must pay the fine within %(days)s days of receiving this decision, at "
                "%(bank)s or through the electronic payment system (Administrative Penalty Law, "
                "Article 67). Fines are decided and collected separately: this bureau and its "
                "officers do not collect the fine.",
                **v,
            ),
            zh(
                "If the fine is not paid when due, this bureau will add a surcharge of "
                "%(rate)s%% of the fine for each day of delay, the surcharge not exceeding the "
                "fine (Administrative Penalty Law, Article 72(1)(i)), and may apply to a "
                "people's court for enforcement. If %(you)s has real financial difficulty, "
                "%(you)s may apply to this bureau to pay later or in instalments (Article 66).",
                **v,
            ),
            # (5) remedies: reconsideration within 60 days, suit within 6 months
            v["remedies"],
            # (6) the office and the date
            issued.agency.name,
            zh_date(DECIDED),
        )
        == []
    )


def test_the_absorbed_line_carries_no_fine_of_its_own(issued: World) -> None:
    absorbed = zh_call(case_docs._absorbed_text)
    twelve = zh_call(case_docs.yuan, 12_000)
    for kind in (K.PENALTY_DECISION, K.PENALTY_NOTICE, K.INVESTIGATION_REPORT):
        assert issued.docs[kind].missing(absorbed, "危险物品储存未采取可靠的安全措施") == [], kind
    decision, notice = issued.docs[K.PENALTY_DECISION], issued.docs[K.PENALTY_NOTICE]
    assert squash(zh("A fine of %(amount)s is imposed.", amount=twelve)) not in decision.text
    assert squash(zh("This bureau intends to impose a fine of %(amount)s.", amount=twelve)) not in (
        notice.text
    )


def test_the_decision_docx_says_the_same(issued: World) -> None:
    document = Document(io.BytesIO(issued.docs[K.PENALTY_DECISION].docx))
    text = squash("\n".join(p.text for p in document.paragraphs))
    assert "伍万元整" in text
    assert squash(_decision_values(issued)["remedies"]) in text


def test_the_no_penalty_decision_gives_its_reason_and_the_remedies(issued: World) -> None:
    doc = issued.docs["no_penalty"]
    with translation.override("zh-hans"):
        you = _("you")
        remedies = case_docs.remedies(issued.person_case, suspended=False).text
    assert (
        doc.missing(
            zh("Decision not to impose an administrative penalty"),
            "李四",
            "650102199001011234",
            "车间主任",
            NO_PENALTY_REASON,
            zh(
                "Under Article 57(1) of the Administrative Penalty Law, this bureau decides not "
                "to impose an administrative penalty on %(you)s.",
                you=you,
            ),
            remedies,
        )
        == []
    )
    assert "元整" not in doc.text
    with translation.override("zh-hans"):
        not_suspended = case_docs.remedies(issued.person_case).text
    assert squash(not_suspended) not in doc.text  # nothing to suspend


def test_the_notice_gives_the_intended_penalty_and_the_rights(issued: World) -> None:
    doc = issued.docs[K.PENALTY_NOTICE]
    with translation.override("zh-hans"):
        you, full = _("your unit"), case_docs.yuan_in_full(FINE)
        first = case_docs.yuan(30_000)
    assert (
        doc.missing(
            UNIT,
            FACTS,
            *EVIDENCE,
            "未对安全设备进行经常性维护、保养和定期检测",
            "《中华人民共和国安全生产法》第99条第（3）项",
            zh("This bureau intends to impose a fine of %(amount)s.", amount=first),
            zh("In total, this bureau intends to impose a fine of %(amount)s.", amount=full),
            "情节严重的，责令停产停业整顿",
            zh(
                "Under Articles 44 and 45 of the Administrative Penalty Law, %(you)s has the "
                "right to state its case and to defend itself. Submit the statement and defence "
                "to this bureau by %(until)s (%(days)s working days), in writing, orally or "
                "online in the enterprise portal; if none is received by then, the right is "
                "deemed waived. This bureau will review the facts, reasons and evidence put "
                "forward and adopt those that are established. Stating one's case and "
                "defending oneself will not make the penalty heavier.",
                you=you,
                until=zh_date(STATEMENT_UNTIL),
                days=5,
            ),
            zh(
                "The intended penalty gives %(you)s the right to request a hearing "
                "(Administrative Penalty Law, Article 63) within %(days)s working days of this "
                "notice; see the notice of the right to a hearing.",
                you=you,
                days=5,
            ),
            OFFICE_ADDRESS,
        )
        == []
    )


def test_the_hearing_notice_gives_the_right_free_of_charge(issued: World) -> None:
    doc = issued.docs[K.HEARING_NOTICE]
    notice = issued.docs[K.PENALTY_NOTICE].document.number
    values = {"you": zh("your unit"), "until": zh_date(HEARING_UNTIL), "days": 5}
    assert (
        doc.missing(
            notice,
            zh_call(case_docs.yuan_in_full, FINE),
            zh(
                "Under Articles 63 and 64 of the Administrative Penalty Law, %(you)s has the "
                "right to request a hearing. A request must reach this bureau by %(until)s "
                "(%(days)s working days after this notice was served), in writing or orally, or "
                "online in the enterprise portal; if none is received by then, the right to a "
                "hearing is deemed waived. The hearing is free of charge: the party bears none "
                "of its costs.",
                **values,
            ),
            OFFICE_ADDRESS,
        )
        == []
    )


def test_the_hearing_record(issued: World) -> None:
    doc = issued.docs[K.HEARING_RECORD]
    assert (
        doc.missing(
            zh_date(HEARD),
            HEARING_PLACE,
            CHAIR,
            zh("Held in public"),
            zh("The party attended"),
            HEARING_RECORD,
        )
        == []
    )


def test_the_filing_approval(issued: World) -> None:
    doc = issued.docs[K.FILING_APPROVAL]
    with translation.override("zh-hans"):
        limitation = case_docs.limitation_text(issued.case)
        officers = [
            _("%(name)s (enforcement certificate No. %(number)s)")
            % {"name": name, "number": number}
            for name, number in ((FIRST, FIRST_CERT), (SECOND, SECOND_CERT))
        ]
    assert zh_date(dt.date(2028, 2, 20)) in limitation  # 2 years from the act
    assert (
        doc.missing(
            "新天应急罚字〔2026〕7号",
            "（新天）应急检记〔2026〕3号",
            UNIT,
            issued.enterprise.credit_code,
            ADDRESS,
            LEGAL_REP,
            SUMMARY,
            FACTS,
            zh_date(dt.date(2026, 2, 20)),
            limitation,
            *officers,
            HEAD,
            zh_date(FILED),
        )
        == []
    )


def test_the_interview_record(issued: World) -> None:
    doc = issued.docs[K.INTERVIEW_RECORD]
    assert (
        doc.missing(
            "赵强",
            "安全生产管理人员",
            "天山化工有限公司会议室",
            "10:00",
            "11:10",
            FIRST_CERT,
            SECOND_CERT,
            *(item["q"] for item in QA),
            *(item["a"] for item in QA),
            zh_call(lambda: _("Q: ")),
            zh(
                "We are law-enforcement officers of %(agency)s, %(officers)s, and have shown you "
                "our enforcement certificates (Administrative Penalty Law, Article 55). We are "
                "investigating the case of %(cause)s and will ask you some questions. You must "
                "answer truthfully and assist the investigation, and may not refuse or obstruct "
                "it; you may refuse to answer questions unrelated to the case; if you consider "
                "that an officer has a direct interest in the case, you may ask for him or her "
                "to withdraw (Article 43). You will read this record before signing it and may "
                "add to it or correct it.",
                agency=issued.agency.name,
                officers=zh(", ").join((FIRST, SECOND)),
                cause=SUMMARY,
            ),
        )
        == []
    )


def test_the_investigation_report(issued: World) -> None:
    doc = issued.docs[K.INVESTIGATION_REPORT]
    with translation.override("zh-hans"):
        total = _("Total fine proposed: %(amount)s.") % {
            "amount": case_docs.yuan_in_full(FINE)
        } + _(
            "Lines %(lines)s are absorbed under Article 29 of the Administrative Penalty Law "
            "and not counted."
        ) % {"lines": "2"}
        discretion = case_docs._discretion_lines(1, issued.case.violations.order_by("act", "id")[0])
    assert (
        doc.missing(
            FACTS,
            *EVIDENCE,
            *(d for d, *_rest in VIOLATIONS),
            "没有从轻、从重情节",
            "报警装置长期未检测，风险较高",
            total,
            "当事人的违法事实清楚",
            *(block.text for block in discretion if hasattr(block, "text")),
        )
        == []
    )


def test_the_legal_review_and_the_discussion(issued: World) -> None:
    legal, discussion = issued.docs[K.LEGAL_REVIEW_OPINION], issued.docs[K.DISCUSSION_RECORD]
    assert (
        legal.missing(
            "事实清楚，证据充分，适用法律正确，程序合法，裁量适当",
            REVIEWER,
            REVIEWER_CERT,
            zh_date(LEGAL_ON),
            zh("Passed: submit the case to collective discussion"),
            zh_call(case_docs.yuan_in_full, FINE),
        )
        == []
    )
    assert (
        discussion.missing(
            "同意调查人员的处罚建议",
            "马局长、刘副局长、周法审",
            HEAD,
            zh_date(DISCUSSED),
            zh("Agreed: notify the party of the intended penalty"),
        )
        == []
    )


def test_the_service_receipt(issued: World) -> None:
    doc = issued.docs[K.SERVICE_RECEIPT]
    decision = issued.docs[K.PENALTY_DECISION].document
    assert (
        doc.missing(
            decision.number,
            decision.title,
            UNIT,
            zh_date(SERVED),
            zh("Direct service"),
            "赵强",
            FIRST_CERT,
            SECOND_CERT,
        )
        == []
    )


def test_the_payment_reminder(issued: World) -> None:
    doc = issued.docs[K.PAYMENT_REMINDER]
    decision = issued.docs[K.PENALTY_DECISION].document.number
    with translation.override("zh-hans"):
        amounts = [case_docs.yuan(a) for a in (SURCHARGE, PAID, OWED)]
        full = case_docs.yuan_in_full(FINE)
    assert "12,600.00" in amounts[0]
    assert (
        doc.missing(
            decision,
            zh_date(DECIDED),
            zh_date(DUE),
            zh_date(REMINDED),
            full,
            *amounts,
            zh(
                "%(you)s is urged to pay the amount owed within %(days)s days of receiving this "
                "notice, at %(bank)s or through the electronic payment system. If it is not "
                "paid by then, this bureau will apply to the people's court for enforcement "
                "(Administrative Coercion Law, Articles 53 and 54). %(you)s has the right to "
                "state its case and defend itself (Administrative Coercion Law, Articles 35 and "
                "36).",
                you=zh("your unit"),
                days=10,
                bank=zh("the designated bank"),
            ),
        )
        == []
    )


def test_the_closing_approval(issued: World) -> None:
    doc = issued.docs[K.CLOSING_APPROVAL]
    decision = issued.docs[K.PENALTY_DECISION].document.number
    assert (
        doc.missing(
            decision,
            zh_date(DECIDED),
            zh_date(SERVED),
            zh_call(case_docs.yuan_in_full, FINE),
            "ICBC-20260525-001",
            "ICBC-20260610-002",
            zh_call(case_docs.yuan, Decimal("62600.00")),
            HEAD,
        )
        == []
    )


def test_the_simple_decision(issued: World) -> None:
    doc = issued.docs[K.SIMPLE_DECISION]
    with translation.override("zh-hans"):
        full = case_docs.yuan_in_full(2_000)
        remedies = case_docs.remedies(issued.simple_case).text
    assert "贰仟元整" in full
    assert (
        doc.missing(
            full,
            "天山化工有限公司液氨储罐区",
            "当事人液氨储罐区未设置明显的安全警示标志",
            "《中华人民共和国安全生产法》第99条第（3）项",
            FIRST_CERT,
            SECOND_CERT,
            remedies,
            zh(
                "This decision is filed with %(agency)s (Administrative Penalty Law, Article "
                "52(3)).",
                agency=issued.agency.name,
            ),
        )
        == []
    )


# ---------------------------------------------------------------------------------------
# issue(): what it refuses
# ---------------------------------------------------------------------------------------


def test_issue_refuses_the_case_file_and_unknown_kinds(issued: World) -> None:
    for kind in (K.CASE_FILE, "no_such_kind"):
        with pytest.raises(ValueError, match="No case document builder"):
            issue(kind, case=issued.case, actor=issued.head, on=CLOSED)


def test_issue_refuses_a_document_without_what_it_must_say(issued: World) -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="statement_until"):
        issue(K.PENALTY_NOTICE, case=issued.case, actor=issued.head, on=NOTIFIED)
    with transaction.atomic(), pytest.raises(ValueError, match="Interview"):
        issue(K.INTERVIEW_RECORD, case=issued.case, actor=issued.first, on=INTERVIEWED)


# ---------------------------------------------------------------------------------------
# The case file
# ---------------------------------------------------------------------------------------

FILE_ORDER = (
    K.PENALTY_DECISION,
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


def _outline(data: bytes) -> list[tuple[str, int]]:
    """The top-level bookmarks: (title, page index)."""
    reader = PdfReader(io.BytesIO(data))
    return [
        (str(item.title), reader.get_destination_page_number(item) or 0)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def test_the_case_file_binds_every_document_in_the_official_order(issued: World) -> None:
    file = issued.case_file
    outline = _outline(file.pdf)
    titles = [title for title, _page in outline]
    assert titles[:2] == [zh("Administrative penalty case file"), zh("Index of the case file")]
    expected = [issued.docs[kind].document for kind in FILE_ORDER]
    assert titles[2:] == [f"{d.title} {d.number}" for d in expected]
    # the documents follow the cover and the index, each page numbered from 1 at the top
    front = outline[2][1]
    assert front >= 2
    page = 1
    for (_title, start), kind in zip(outline[2:], FILE_ORDER, strict=True):
        bound = issued.docs[kind]
        assert start == front + page - 1
        for offset, text in enumerate(bound.pages):
            number = str(page + offset)  # stamped last, so extracted last
            assert file.pages[start + offset].endswith(number), (kind, offset)
            assert file.pages[start + offset][: -len(number)] == text, (kind, offset)
        page += len(bound.pages)
    assert len(file.pages) == front + page - 1


def test_the_case_file_index_and_cover(issued: World) -> None:
    file = issued.case_file
    front = _outline(file.pdf)[2][1]
    cover_index = "".join(file.pages[:front])
    page, position = 1, 0
    for n, kind in enumerate(FILE_ORDER, start=1):
        bound = issued.docs[kind]
        pages = len(bound.pages)
        span = str(page) if pages == 1 else f"{page}-{page + pages - 1}"
        row = squash(f"{n}{bound.document.title}{bound.document.number}")
        found = cover_index.find(row, position)
        assert found >= 0, (kind, row)
        date = zh_date(dt.date.fromisoformat(bound.document.content["date"]))
        assert cover_index[found + len(row) :].startswith(squash(date + span)), kind
        position = found
        page += pages
    with translation.override("zh-hans"):
        outcome = case_docs.outcome_text(issued.case)
        contents = _("%(documents)s documents, %(pages)s pages") % {
            "documents": len(FILE_ORDER),
            "pages": page - 1,
        }
    for value in (
        issued.agency.name,
        "新天应急罚字〔2026〕7号",
        UNIT,
        SUMMARY,
        outcome,
        zh_date(FILED),
        zh_date(CLOSED),
        zh("Permanent"),
        contents,
        issued.case_file.document.number,
    ):
        assert squash(value) in cover_index, value
    # the other cases' documents are not in this file
    for other in ("no_penalty", K.SIMPLE_DECISION):
        assert issued.docs[other].document.number not in cover_index


def test_the_case_file_is_stored_and_recorded(issued: World) -> None:
    doc = issued.case_file.document
    assert doc.kind == K.CASE_FILE
    assert doc.number == "（新天）应急卷〔2026〕1号"
    assert doc.title == zh("Administrative penalty case file")
    assert (doc.subject_type, doc.subject_id) == subject_of(issued.case)
    assert sha256_hex(issued.case_file.pdf) == doc.pdf_sha256
    assert sha256_hex(issued.case_file.docx) == doc.docx_sha256
    # the DOCX and the JSON carry the cover and index (the bound documents keep their own)
    docx = Document(io.BytesIO(issued.case_file.docx))
    cells = squash("".join(c.text for t in docx.tables for r in t.rows for c in r.cells))
    assert all(issued.docs[k].document.number in cells for k in FILE_ORDER)
    index = next(b for b in doc.content["blocks"] if b["kind"] == "table")
    assert [row[2] for row in index["rows"]] == [issued.docs[k].document.number for k in FILE_ORDER]
    event = RecordEvent.objects.get(kind="core.document_issued", payload__number=doc.number)
    assert event.payload["docx"] == "content_only"
    assert (event.subject_type, event.subject_id) == subject_of(issued.case)
    assert sorted(event.evidence) == sorted([doc.pdf_sha256, doc.docx_sha256])


def test_a_case_without_documents_has_no_case_file(issued: World) -> None:
    with pytest.raises(ValueError, match="no documents"):
        case_file_build(Case(pk=0), actor=issued.head, on=CLOSED)


def test_every_stored_file_matches_its_recorded_hash(issued: World, settings: Any) -> None:
    """The case file keeps a real DOCX (its cover and index), so re-hashing covers it too."""
    settings.MEDIA_ROOT = issued.media
    assert verify_documents(jurisdiction_prefix=JURISDICTION) == []
