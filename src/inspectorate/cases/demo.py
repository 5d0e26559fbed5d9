"""Penalty cases for the demo province, through the same services officers use.

* A case of 天山区 taken from filing to the archive (2026-03 to 2026-05): a complaint that
  a unit kept no hazard-screening records (安全生产法 Art. 97 (5)); an interview and
  evidence; the investigation report; legal review and collective discussion (the intended
  fine reaches both thresholds); the notice; the party's statement waiving a hearing;
  the decision; service; payment through the bank; closing; the case file (案卷) as one PDF.
* The demo enterprise user's unit, notified on 2026-11-26 of an intended fine that gives
  it the right to a hearing: on its portal it can state its case and ask for a hearing.
* A case under investigation (filed 2026-11-20) and an on-the-spot penalty (2026-11-16,
  payment due), for the workbench.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inspectorate.cases import services
from inspectorate.cases.models import CaseSource, EvidenceKind
from inspectorate.org.models import User
from inspectorate.registry.models import Enterprise

D = dt.date


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def load_cases_demo() -> None:
    users = {u.username: u for u in User.objects.filter(username__startswith="county_")}
    officer, lead = users.get("county_officer"), users.get("county_lead")
    head, reviewer = users.get("county_head"), users.get("county_reviewer")
    ent_user = User.objects.filter(username="enterprise_user").select_related("enterprise").first()
    if not (officer and lead and head and reviewer and ent_user and ent_user.enterprise):
        return
    others = list(
        Enterprise.objects.filter(jurisdiction_id="650102", status="operating")
        .exclude(pk=int(ent_user.enterprise_id or 0))
        .order_by("id")[:4]
    )
    if len(others) < 3:
        return
    _archived_case(officer, lead, head, reviewer, others[1])
    _notified_case(officer, lead, head, ent_user.enterprise)
    _investigating_case(officer, lead, head, others[2])
    services.simple_decide(
        actor=officer,
        second_officer_id=lead.pk,
        enterprise_id=others[0].pk,
        provision_code="99-1-unit-base",
        description="配电室门口未设置“有电危险”安全警示标志",
        amount=2000,
        act_date=D(2026, 11, 16),
        place="企业配电室",
        today=D(2026, 11, 16),
    )


def _archived_case(officer: User, lead: User, head: User, reviewer: User, unit: Enterprise) -> None:
    case = services.case_open(
        actor=officer,
        enterprise_id=unit.pk,
        source=CaseSource.COMPLAINT,
        source_reference="12350 举报 2026-0311",
        summary="未将事故隐患排查治理情况如实记录",
        facts="经核查举报，该单位2025年10月至2026年2月未建立事故隐患排查治理台账。",
        act_date=D(2025, 10, 1),
        act_end_date=D(2026, 2, 28),
        discovered_on=D(2026, 3, 11),
        second_investigator_id=lead.pk,
        today=D(2026, 3, 12),
    )
    services.filing_approve(actor=head, case_id=case.pk, today=D(2026, 3, 12))
    services.interview_add(
        actor=officer,
        case_id=case.pk,
        second_officer_id=lead.pk,
        person="李明",
        position="安全管理部经理",
        place="该单位办公楼二楼会议室",
        started_at=_at(D(2026, 3, 16), 10),
        ended_at=_at(D(2026, 3, 16), 11),
        record=[
            {
                "q": "我们是天山区应急管理局执法人员，已出示执法证件。你是否清楚你的权利？",
                "a": "清楚。",
            },
            {"q": "你单位是否建立了事故隐患排查治理台账？", "a": "2025年10月以后没有记录。"},
            {"q": "为什么没有记录？", "a": "原安全员离职后无人接手。"},
        ],
        today=D(2026, 3, 16),
    )
    services.evidence_add(
        actor=lead,
        case_id=case.pk,
        second_officer_id=officer.pk,
        kind=EvidenceKind.DOCUMENT,
        description="事故隐患排查治理台账复印件（2025年1月至9月），加盖单位公章",
        collected_on=D(2026, 3, 16),
        today=D(2026, 3, 16),
    )
    services.violation_add(
        actor=officer,
        case_id=case.pk,
        provision_code="97-5-unit-base",
        description="2025年10月至2026年2月未将事故隐患排查治理情况如实记录",
        facts={"corrected_promptly": True},
        today=D(2026, 3, 18),
    )
    services.report_submit(
        actor=officer,
        case_id=case.pk,
        report="事实清楚，证据确凿，建议依据《安全生产法》第九十七条第（五）项给予罚款。",
        today=D(2026, 3, 20),
    )
    services.review_conclude(
        actor=head,
        case_id=case.pk,
        action="to_legal_review",
        opinion="同意调查结论。",
        today=D(2026, 3, 23),
    )
    services.legal_review_conclude(
        actor=reviewer,
        case_id=case.pk,
        action="legal_to_discussion",
        opinion="主体适格，事实清楚，证据充分，定性准确，适用法律正确，程序合法，裁量适当。",
        today=D(2026, 3, 25),
    )
    services.discussion_conclude(
        actor=head,
        case_id=case.pk,
        action="discussion_notify",
        participants="局长、分管副局长、法规科科长、执法大队长",
        record="经集体讨论，同意按裁量基准一般阶次拟处罚款。",
        today=D(2026, 3, 27),
    )
    services.statement_file(
        actor=lead,
        case_id=case.pk,
        text="当事人口头陈述：已于3月补建台账并组织通报，放弃陈述申辩和听证。",
        waives=True,
        today=D(2026, 3, 30),
    )
    services.proceed_to_decision(actor=officer, case_id=case.pk, today=D(2026, 3, 30))
    violation = case.violations.get()
    services.decide(
        actor=head,
        case_id=case.pk,
        amounts={violation.pk: violation.notified},
        today=D(2026, 4, 1),
    )
    services.serve(
        actor=officer,
        case_id=case.pk,
        served_on=D(2026, 4, 2),
        method="直接送达",
        recipient=unit.legal_representative or "单位负责人",
        today=D(2026, 4, 2),
    )
    services.payment_record(
        actor=officer,
        case_id=case.pk,
        paid_on=D(2026, 4, 14),
        amount=str(violation.notified),
        receipt_number=f"ICBC-2026041400{case.pk:04d}",
        channel="中国工商银行乌鲁木齐分行（非税收入）",
        today=D(2026, 4, 15),
    )
    services.case_close(actor=head, case_id=case.pk, today=D(2026, 4, 20))
    services.case_archive(actor=officer, case_id=case.pk, today=D(2026, 4, 21))


def _notified_case(officer: User, lead: User, head: User, unit: Enterprise) -> None:
    case = services.case_open(
        actor=officer,
        enterprise_id=unit.pk,
        source=CaseSource.INSPECTION,
        source_reference="2026-09-15 专项检查",
        summary="未落实风险分级管控制度",
        facts="该单位未对储罐区进行安全风险辨识评估，未制定管控措施。",
        act_date=D(2026, 9, 15),
        discovered_on=D(2026, 9, 15),
        second_investigator_id=lead.pk,
        today=D(2026, 11, 2),
    )
    services.filing_approve(actor=head, case_id=case.pk, today=D(2026, 11, 2))
    services.violation_add(
        actor=officer,
        case_id=case.pk,
        provision_code="101-4-unit-base",
        description="未建立安全风险分级管控制度，储罐区未开展风险辨识",
        facts={},
        today=D(2026, 11, 10),
    )
    services.report_submit(
        actor=officer, case_id=case.pk, report="建议给予罚款。", today=D(2026, 11, 12)
    )
    reviewer = User.objects.get(username="county_reviewer")
    services.review_conclude(
        actor=head,
        case_id=case.pk,
        action="to_legal_review",
        opinion="同意。",
        today=D(2026, 11, 16),
    )
    services.legal_review_conclude(
        actor=reviewer,
        case_id=case.pk,
        action="legal_to_discussion",
        opinion="事实清楚，适用法律正确。",
        today=D(2026, 11, 20),
    )
    services.discussion_conclude(
        actor=head,
        case_id=case.pk,
        action="discussion_notify",
        participants="局长、分管副局长、法规科科长",
        record="同意拟处罚款，告知当事人听证权利。",
        today=D(2026, 11, 26),
    )


def _investigating_case(officer: User, lead: User, head: User, unit: Enterprise) -> None:
    case = services.case_open(
        actor=lead,
        enterprise_id=unit.pk,
        source=CaseSource.REFERRAL,
        source_reference="天山区市场监督管理局移送函",
        summary="特种作业人员未持证上岗",
        facts="市场监管部门检查发现该单位两名电焊工未取得特种作业操作证。",
        act_date=D(2026, 11, 5),
        discovered_on=D(2026, 11, 18),
        second_investigator_id=officer.pk,
        today=D(2026, 11, 19),
    )
    services.filing_approve(actor=head, case_id=case.pk, today=D(2026, 11, 20))
