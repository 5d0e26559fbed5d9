"""The kinds of official enforcement documents (执法文书) the system issues.

Each kind is numbered per office, kind and year (``core.models.DocumentCounter``); its
number carries the kind's *number word* (文书代字), e.g. ``（新天）应急检记〔2026〕3号``
for the third 现场检查记录 of 2026. The number words are part of the legal identifier
and are never translated. The names of the documents (LEGAL-RULES §1.10) are the
labels; documents themselves are always rendered in Chinese.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("On-site inspection record")
    MEASURE_DECISION = "measure_decision", _("Decision on on-site measures")
    RECTIFICATION_ORDER = "rectification_order", _("Order to rectify within a time limit")
    REVIEW_OPINION = "review_opinion", _("Rectification review opinion")
    SEAL_SEIZE = "seal_seize", _("Decision to seal up or seize")
    # penalty cases (LEGAL-RULES §1.10)
    FILING_APPROVAL = "filing_approval", _("Case filing approval form")
    INTERVIEW_RECORD = "interview_record", _("Interview record")
    INVESTIGATION_REPORT = "investigation_report", _("Case investigation report")
    LEGAL_REVIEW_OPINION = "legal_review_opinion", _("Legal review opinion")
    DISCUSSION_RECORD = "discussion_record", _("Record of collective discussion")
    PENALTY_NOTICE = "penalty_notice", _("Notice of intended administrative penalty")
    HEARING_NOTICE = "hearing_notice", _("Notice of the right to a hearing")
    HEARING_RECORD = "hearing_record", _("Hearing record")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")
    SIMPLE_DECISION = "simple_decision", _("On-the-spot administrative penalty decision")
    SERVICE_RECEIPT = "service_receipt", _("Service receipt")
    PAYMENT_REMINDER = "payment_reminder", _("Notice urging payment of a fine")
    CLOSING_APPROVAL = "closing_approval", _("Case closing approval form")
    CASE_FILE = "case_file", _("Case file")
    # crime transfers (国务院令310 Arts. 5, 6, 9)
    REFERRAL_APPROVAL = "referral_approval", _("Approval form for transferring a suspected crime")
    REFERRAL_LETTER = "referral_letter", _("Letter transferring a case of suspected crime")
    REFERRAL_ITEM_LIST = "referral_item_list", _("List of items involved in the case")
    REFERRAL_RECONSIDERATION = "referral_reconsideration", _("Request for reconsideration")
    # oversight
    SUPERVISION_ORDER = "supervision_order", _("Supervision notice")


#: The number word (文书代字) of each kind, between "应急" and the year.
NUMBER_WORDS: dict[str, str] = {
    DocumentKind.INSPECTION_RECORD: "检记",
    DocumentKind.MEASURE_DECISION: "现决",
    DocumentKind.RECTIFICATION_ORDER: "责改",
    DocumentKind.REVIEW_OPINION: "复查",
    DocumentKind.SEAL_SEIZE: "强制",
    DocumentKind.FILING_APPROVAL: "立",
    DocumentKind.INTERVIEW_RECORD: "询",
    DocumentKind.INVESTIGATION_REPORT: "调查",
    DocumentKind.LEGAL_REVIEW_OPINION: "法审",
    DocumentKind.DISCUSSION_RECORD: "集议",
    DocumentKind.PENALTY_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听告",
    DocumentKind.HEARING_RECORD: "听记",
    DocumentKind.PENALTY_DECISION: "罚",
    DocumentKind.SIMPLE_DECISION: "当罚",
    DocumentKind.SERVICE_RECEIPT: "送",
    DocumentKind.PAYMENT_REMINDER: "催",
    DocumentKind.CLOSING_APPROVAL: "结",
    DocumentKind.CASE_FILE: "卷",
    DocumentKind.REFERRAL_APPROVAL: "移批",
    DocumentKind.REFERRAL_LETTER: "移",
    DocumentKind.REFERRAL_ITEM_LIST: "物",
    DocumentKind.REFERRAL_RECONSIDERATION: "复议",
    DocumentKind.SUPERVISION_ORDER: "督",
}


def number_word(kind: str) -> str:
    """The number word of ``kind``.

    Raises:
        ValueError: if ``kind`` is not a registered document kind.
    """
    try:
        return NUMBER_WORDS[kind]
    except KeyError:
        raise ValueError(f"Unknown document kind: {kind!r}") from None
