"""The demo data of the referrals app (loaded by ``make run`` through org.demo), made
through the same services officers use, in 天山区 (650102):

* An accident with one death at a unit (2015 解释 Art. 6): the case is filed, flagged, the
  special team (the county officer and team lead) reports, the head approves, the case is
  transferred the same afternoon with its letter, report and list of items, the police
  sign the receipt, file the case two days later (the administrative case ends as
  ``transferred``) and receive the items.
* A unit found storing dangerous chemicals without a licence (刑法 Art. 134-1 (3)): the
  case is flagged on 2026-11-27 and waits for the special team's report (due 11-30).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inspectorate.cases import services as cases
from inspectorate.cases.models import CaseSource
from inspectorate.org.models import User
from inspectorate.referrals import services
from inspectorate.registry.models import Enterprise

D = dt.date


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


def load_referrals_demo() -> None:
    users = {u.username: u for u in User.objects.filter(username__startswith="county_")}
    officer, lead, head = (
        users.get("county_officer"),
        users.get("county_lead"),
        users.get("county_head"),
    )
    if not (officer and lead and head):
        return
    units = list(
        Enterprise.objects.filter(jurisdiction_id="650102", status="operating")
        .exclude(users__isnull=False)
        .order_by("id")[4:6]
    )
    if len(units) < 2:
        return
    _transferred(officer, lead, head, units[0])
    _flagged(officer, lead, head, units[1])


def _transferred(officer: User, lead: User, head: User, unit: Enterprise) -> None:
    case = cases.case_open(
        actor=officer,
        enterprise_id=unit.pk,
        source=CaseSource.ACCIDENT,
        source_reference="天山区“11·12”机械伤害事故",
        summary="违章作业导致发生生产安全事故",
        facts="2026年11月12日，该单位冲压车间作业人员在未停机状态下清理模具，被冲床压伤致死。",
        act_date=D(2026, 11, 12),
        discovered_on=D(2026, 11, 12),
        endangered_life=True,
        second_investigator_id=lead.pk,
        today=D(2026, 11, 13),
    )
    cases.filing_approve(actor=head, case_id=case.pk, today=D(2026, 11, 13))
    flag = services.screening_flag(
        actor=officer,
        case_id=case.pk,
        trigger_code="accident_consequence",
        facts={
            "deaths": 1,
            "serious_injuries": 0,
            "direct_loss": 1_350_000,
            "accident": "2026-11-12 冲压车间机械伤害事故，死亡1人",
        },
        today=D(2026, 11, 16),
    )
    referral = services.referral_open(
        actor=officer,
        flag_id=flag.pk,
        team_ids=[officer.pk, lead.pk],
        report=(
            "经调查核实，该单位冲压车间安全联锁装置被人为短接，车间主任明知仍组织在未停机"
            "状态下清理模具，致1名作业人员死亡，直接经济损失135万元，已达到《最高人民法院、"
            "最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释》第六条规定的"
            "“造成严重后果”标准，涉嫌重大责任事故罪，建议移送公安机关。"
        ),
        police="乌鲁木齐市公安局天山区分局",
        items=[
            {"name": "被短接的安全联锁装置", "quantity": "1套", "note": "已封存"},
            {"name": "车间监控录像", "quantity": "1份", "note": "U盘存储"},
        ],
        today=D(2026, 11, 17),
    )
    services.referral_submit(actor=officer, referral_id=referral.pk, now=_at(D(2026, 11, 17), 16))
    services.referral_approve(actor=head, referral_id=referral.pk, now=_at(D(2026, 11, 18), 9, 30))
    services.referral_transfer(actor=officer, referral_id=referral.pk, now=_at(D(2026, 11, 18), 15))
    services.referral_receipt(
        actor=officer,
        referral_id=referral.pk,
        received_on=D(2026, 11, 18),
        signed_by="王建国",
        today=D(2026, 11, 18),
    )
    services.referral_police_decide(
        actor=head,
        referral_id=referral.pk,
        accepted=True,
        document_number="天公（刑）立字〔2026〕1127号",
        decided_on=D(2026, 11, 20),
        notice_received_on=D(2026, 11, 20),
        today=D(2026, 11, 20),
    )
    services.referral_hand_over(
        actor=officer,
        referral_id=referral.pk,
        handed_over_on=D(2026, 11, 23),
        receiver="王建国",
        items=[
            {"name": "被短接的安全联锁装置", "quantity": "1套", "note": ""},
            {"name": "车间监控录像", "quantity": "1份", "note": "U盘存储"},
            {"name": "询问笔录及调查材料", "quantity": "1卷", "note": "复印件"},
        ],
        today=D(2026, 11, 23),
    )


def _flagged(officer: User, lead: User, head: User, unit: Enterprise) -> None:
    case = cases.case_open(
        actor=lead,
        enterprise_id=unit.pk,
        source=CaseSource.INSPECTION,
        summary="未取得危险化学品经营许可证擅自储存危险化学品",
        facts="现场检查发现该单位仓库储存甲醇约12吨，未取得危险化学品经营许可证。",
        act_date=D(2026, 11, 1),
        discovered_on=D(2026, 11, 25),
        endangered_life=True,
        second_investigator_id=officer.pk,
        today=D(2026, 11, 26),
    )
    cases.filing_approve(actor=head, case_id=case.pk, today=D(2026, 11, 26))
    services.screening_flag(
        actor=lead,
        case_id=case.pk,
        trigger_code="unlicensed_high_risk",
        facts={"conduct": "dangerous_goods", "licence": "危险化学品经营许可证"},
        today=D(2026, 11, 27),
    )
