"""The responsibility matrix, the outcomes of a review and the enforcement acts, as data.

LEGAL-RULES §4: "行政执法责任制 / 评议考核 details beyond 处罚法 Art. 75 and 安法 Art. 90:
not researched." So the posts, their duties and the outcomes below are the national default
rows that migration 0002 loads, each with the article it rests on; a province replaces them
through ``services.duty_define`` and the outcomes are rows an administrator may edit. Only
the articles quoted here were checked against ../shared/legal/texts/.
"""

from __future__ import annotations

from typing import Any

from inspectorate.core.record_kinds import RecordKind

#: The source of the matrix as a whole (kept with every default duty row's basis).
MATRIX_SOURCE = (
    "《行政处罚法》第七十五条（行政执法评议、考核）、第七十六条（违法实施行政处罚的处分）；"
    "《安全生产法》第九十条；《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第十六条。"
    "岗位职责的划分为各地行政执法责任制的通行做法，具体规定未经研究（LEGAL-RULES §4），"
    "作为可配置数据，各省按本省规定修改。"
)

POSTS: list[dict[str, Any]] = [
    {
        "code": "officer",
        "name": "执法人员",
        "role": "officer",
        "sort": 1,
        "description": "持有效行政执法证件，实施检查、调查取证、送达、复查。",
    },
    {
        "code": "team_lead",
        "name": "执法队长",
        "role": "team_lead",
        "sort": 2,
        "description": "组织执法小组，审核调查终结报告。",
    },
    {
        "code": "legal_reviewer",
        "name": "法制审核员",
        "role": "legal_reviewer",
        "sort": 3,
        "description": "对重大执法决定进行法制审核。",
    },
    {
        "code": "head",
        "name": "机关负责人",
        "role": "head",
        "sort": 4,
        "description": "审批立案，作出处罚决定，批准移送，逐级上报事故。",
    },
]

#: Deadline kinds (``core.Deadline.kind``) of the other modules that the posts answer for.
CASE_DECISION = "case_decision"
CASE_SERVICE = "case_service"
REINSPECTION = "reinspection"
SUPERVISION_REPLY = "supervision_reply"  # oversight.workflows.REPLY_DEADLINE

DUTIES: list[dict[str, Any]] = [
    # (act, post) cells; sort orders the acts
    {
        "act": "filing",
        "act_name": "立案审批",
        "sort": 10,
        "post": "officer",
        "responsibility": "发现依法应当给予行政处罚的行为，填写立案审批表，提出立案建议。",
        "legal_basis": "《行政处罚法》第五十四条",
    },
    {
        "act": "filing",
        "act_name": "立案审批",
        "sort": 10,
        "post": "head",
        "responsibility": "对符合立案标准的案件及时批准立案；不及时立案的依法追究。",
        "legal_basis": "《行政处罚法》第五十四条第二款、第七十六条第二款",
    },
    {
        "act": "investigation",
        "act_name": "调查取证（两名执法人员）",
        "sort": 20,
        "post": "officer",
        "responsibility": (
            "两名以上具有行政执法资格的执法人员调查取证，主动出示执法证件；"
            "在办案期限内完成调查（承办人员）。"
        ),
        "legal_basis": "《行政处罚法》第四十二条、第五十五条、第六十条",
        "deadline_kind": CASE_DECISION,
    },
    {
        "act": "investigation",
        "act_name": "调查取证（两名执法人员）",
        "sort": 20,
        "post": "team_lead",
        "responsibility": "指派承办人员，审核调查终结报告，退回补充调查。",
        "legal_basis": "《行政处罚法》第五十七条",
    },
    {
        "act": "legal_review",
        "act_name": "法制审核",
        "sort": 30,
        "post": "legal_reviewer",
        "responsibility": "在机关负责人作出决定之前进行法制审核；未经审核或审核未通过的，不得作出决定。",
        "legal_basis": "《行政处罚法》第五十八条",
    },
    {
        "act": "decision",
        "act_name": "作出处罚决定",
        "sort": 40,
        "post": "head",
        "responsibility": (
            "对调查结果进行审查，作出决定；情节复杂或者重大违法行为集体讨论决定；"
            "自立案之日起九十日内作出决定。"
        ),
        "legal_basis": "《行政处罚法》第五十七条、第六十条",
        "deadline_kind": CASE_DECISION,
    },
    {
        "act": "service",
        "act_name": "送达",
        "sort": 50,
        "post": "officer",
        "responsibility": "处罚决定书宣告后当场交付当事人；当事人不在场的，七日内送达。",
        "legal_basis": "《行政处罚法》第六十一条",
        "deadline_kind": CASE_SERVICE,
    },
    {
        "act": "inspection",
        "act_name": "现场检查",
        "sort": 60,
        "post": "officer",
        "responsibility": "出示有效的行政执法证件；如实书面记录检查情况，由检查人员和被检查单位负责人签字。",
        "legal_basis": "《安全生产法》第六十七条第二款、第六十八条",
    },
    {
        "act": "reinspection",
        "act_name": "整改复查",
        "sort": 70,
        "post": "officer",
        "responsibility": "下达责令限期整改指令的执法人员，在整改期限届满或收到整改报告后按期复查。",
        "legal_basis": "《安全生产法》第六十五条第一款第（三）项；原总局令第15号（复查期限待核）",
        "deadline_kind": REINSPECTION,
    },
    {
        "act": "crime_transfer",
        "act_name": "涉嫌犯罪案件移送",
        "sort": 80,
        "post": "officer",
        "responsibility": "两名以上执法人员组成专案组，核实情况后提出移送涉嫌犯罪案件的书面报告。",
        "legal_basis": "《行政执法机关移送涉嫌犯罪案件的规定》第五条",
    },
    {
        "act": "crime_transfer",
        "act_name": "涉嫌犯罪案件移送",
        "sort": 80,
        "post": "head",
        "responsibility": (
            "自接到报告之日起3日内作出批准移送或者不批准移送的决定；批准的，24小时内移送；"
            "不得以行政处罚代替移送（逾期不移送或不移送的，对正职负责人给予记过以上处分）。"
        ),
        "legal_basis": "《行政执法机关移送涉嫌犯罪案件的规定》第五条、第十一条、第十六条",
    },
    {
        "act": "supervision_reply",
        "act_name": "上级督办事项办理",
        "sort": 85,
        "post": "head",
        "responsibility": "被督办机关的负责人组织办理上级督办事项，在督办通知书确定的期限内回复。",
        "legal_basis": "督办通知书确定的办结期限（督办制度的具体规定未经研究，LEGAL-RULES §4）",
        "deadline_kind": SUPERVISION_REPLY,
    },
    {
        "act": "accident_report",
        "act_name": "事故逐级上报",
        "sort": 90,
        "post": "head",
        "responsibility": "接到事故报告后按规定逐级上报，每级上报的时间不得超过2小时。",
        "legal_basis": "《生产安全事故报告和调查处理条例》第十条、第十一条",
    },
]

OUTCOME_SOURCE = (
    "具体追究形式未经研究（LEGAL-RULES §4），取各地行政执法责任追究办法的通行做法，作为可配置数据。"
    "处分（警告、记过等）由任免机关或监察机关依法作出：《行政处罚法》第七十六条"
    "“依法给予处分”；国务院令第310号第十六条“给予记过以上的处分”、第十八条（线索移送监察机关）。"
)

OUTCOMES: list[dict[str, Any]] = [
    {
        "code": "no_fault",
        "name": "经审查不予追究",
        "is_fault": False,
        "sort": 1,
        "description": "经审查不存在过错或者有正当理由；书面结论写明理由。",
    },
    {"code": "criticism_education", "name": "批评教育", "sort": 2},
    {"code": "written_examination", "name": "责令书面检查", "sort": 3},
    {"code": "circulated_criticism", "name": "通报批评", "sort": 4},
    {
        "code": "certificate_suspended",
        "name": "暂扣执法证件",
        "sort": 5,
        "concerns_certificate": True,
        "description": "结论送执法证件管理机关办理；本结论不直接改变证件状态。",
    },
    {
        "code": "qualification_cancelled",
        "name": "取消执法资格",
        "sort": 6,
        "concerns_certificate": True,
        "description": "结论送执法证件管理机关办理；本结论不直接改变证件状态。",
    },
    {
        "code": "referred_to_discipline",
        "name": "移送纪检监察机关",
        "sort": 7,
        "description": "需要给予处分的，将线索移送纪检监察机关依法处理。",
    },
]

#: The record kinds that are enforcement acts (执法行为) done by an officer in person, which
#: need a valid enforcement certificate (《行政处罚法》第四十二条、第五十五条、第七十六条第一款第
#: （五）项; 《安全生产法》第六十七条第二款). Decisions and approvals by the head are not in it:
#: the head acts as the organ's head (机关负责人), not as the officer in the field.
ENFORCEMENT_ACT_KINDS: tuple[str, ...] = (
    RecordKind.INSPECTION_STARTED,
    RecordKind.INSPECTION_ANSWERED,
    RecordKind.FINDING_RECORDED,
    RecordKind.FINDING_EVIDENCE_ADDED,
    RecordKind.MEASURE_DECIDED,
    RecordKind.INSPECTION_SIGNED,
    RecordKind.ORDER_REVIEWED,
    RecordKind.CASE_OPENED,
    RecordKind.CASE_EVIDENCE_ADDED,
    RecordKind.CASE_INTERVIEW_RECORDED,
    RecordKind.CASE_SIMPLE_DECIDED,
)

NO_CERTIFICATE_BASIS = "《行政处罚法》第四十二条、第五十五条、第七十六条第一款第（五）项；《安全生产法》第六十七条第二款"
DEADLINE_BASIS = "《行政处罚法》第七十六条第一款第（三）项；《安全生产法》第九十条"
TRANSFER_BASIS = "《行政执法机关移送涉嫌犯罪案件的规定》第十一条、第十六条"

#: The reasons of the referrals app's audit rows (``referrals.selectors.omitted_transfers``)
#: that are breaches: no report, the head's decision late, not transferred or transferred
#: late, a fine instead of the transfer (国务院令310 Arts. 5, 11, 16). A dismissed flag or a
#: refused transfer carries its reasons and is reviewed in the referrals audit, not raised
#: here. The referrals deadlines (report, approval) are not in the matrix for the same
#: reason: the transfer source raises them, once.
TRANSFER_BREACH_REASONS = frozenset(
    {"no_report", "approval_overdue", "not_transferred", "transferred_late", "fined_instead"}
)
