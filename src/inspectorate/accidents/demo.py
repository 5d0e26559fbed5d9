"""The demo data of the accidents app (loaded by ``make run`` through org.demo), made
through the services the officers use.

* A 较大 accident in 天山区 (650102): reported on 2026-08-12 as 一般 (2 dead, 8 seriously
  injured, 650万 loss), one of the injured dies: 3 dead, 较大 (Art. 3), so the report goes
  on to the region; 乌鲁木齐市 investigates (Art. 19), the government replies, and the
  findings open two penalty cases: the unit (安全生产法 Art. 114, screened for transfer: 3
  deaths) and its principal head (Art. 95, 60 % of last year's income). Closed.
* A road accident of an unregistered unit reported this morning: the county's report to
  the prefecture is due within 2 hours.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inspectorate.accidents import services
from inspectorate.cases import services as cases
from inspectorate.org.models import User
from inspectorate.registry.models import Enterprise

D = dt.date


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


def load_accidents_demo() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "county_officer",
                "county_lead",
                "county_head",
                "pref_officer",
                "pref_lead",
                "pref_head",
            ]
        )
    }
    if len(users) < 6:
        return
    ent_user = User.objects.filter(username="enterprise_user").first()
    skip = ent_user.enterprise_id if ent_user and ent_user.enterprise_id else 0
    enterprise = (
        Enterprise.objects.filter(jurisdiction_id="650102", status="operating")
        .exclude(pk=skip)
        .order_by("id")[5:6]
        .first()
    )
    if enterprise is None:
        return
    _larger_accident(users, enterprise)
    _fresh_road_accident(users)


def _larger_accident(users: dict[str, User], enterprise: Enterprise) -> None:
    officer, lead, head = users["county_officer"], users["county_lead"], users["county_head"]
    p_officer, p_lead, p_head = users["pref_officer"], users["pref_lead"], users["pref_head"]
    day = D(2026, 8, 12)
    accident = services.accident_report(
        actor=officer,
        jurisdiction_code="650102",
        enterprise_id=enterprise.pk,
        occurred_at=_at(day, 9, 20),
        place=f"{enterprise.address} 2号生产车间",
        kind="hazchem",
        brief="检修作业时反应釜物料泄漏，有毒气体扩散，造成作业人员中毒。",
        measures="启动应急预案，疏散人员，送医救治，封锁现场。",
        deaths=2,
        serious_injuries=8,
        missing=0,
        direct_loss=6_500_000,
        unit_reported_at=_at(day, 10, 5),
        now=_at(day, 10, 15),
    )
    pk = accident.pk
    for party in ("police", "labour", "union", "procuratorate"):
        services.chain_notice(
            actor=officer,
            accident_id=pk,
            seq=0,
            party=party,
            notified_at=_at(day, 10, 30),
            now=_at(day, 11, 0),
        )
    services.chain_report(
        actor=officer, accident_id=pk, seq=1, reported_at=_at(day, 11, 40), now=_at(day, 12, 0)
    )
    for party in ("police", "labour", "union", "procuratorate"):
        services.chain_notice(
            actor=p_officer,
            accident_id=pk,
            seq=1,
            party=party,
            notified_at=_at(day, 12, 10),
            now=_at(day, 13, 0),
        )
    # one of the injured dies on 2026-08-20: 3 deaths, 较大; the region must be told
    update_day = D(2026, 8, 20)
    services.casualties_update(
        actor=officer,
        accident_id=pk,
        deaths=3,
        serious_injuries=7,
        missing=0,
        direct_loss=6_500_000,
        reported_at=_at(update_day, 14, 0),
        note="一名重伤人员经抢救无效死亡。",
        now=_at(update_day, 14, 30),
    )
    services.chain_report(
        actor=p_officer,
        accident_id=pk,
        seq=2,
        reported_at=_at(update_day, 15, 10),
        now=_at(update_day, 15, 30),
    )
    services.investigation_start(
        actor=p_officer,
        accident_id=pk,
        group_leader="乌鲁木齐市应急管理局副局长",
        group_members="市应急管理局、市公安局、市人社局、市总工会，邀请市人民检察院参加",
        set_up_on=D(2026, 8, 21),
        today=D(2026, 8, 21),
    )
    services.report_submit(
        actor=p_officer,
        accident_id=pk,
        received_on=D(2026, 10, 9),
        summary="直接原因：检修前未置换清洗、未检测有毒气体浓度。性质：生产安全责任事故。"
        "建议对事故单位及其主要负责人依法予以行政处罚。",
        today=D(2026, 10, 9),
    )
    services.reply_record(
        actor=p_head,
        accident_id=pk,
        replied_on=D(2026, 10, 20),
        authority="乌鲁木齐市人民政府",
        text="同意事故调查报告，由市应急管理局对事故单位及其主要负责人依法实施行政处罚。",
        today=D(2026, 10, 20),
    )
    today = D(2026, 10, 22)
    unit = services.finding_record(
        actor=p_officer,
        accident_id=pk,
        party="unit",
        provision_code="114-0-unit-accident",
        facts="未落实检修作业安全管理制度，对事故发生负有责任。",
        second_investigator_id=p_lead.pk,
        today=today,
    )
    principal = services.finding_record(
        actor=p_officer,
        accident_id=pk,
        party="principal",
        provision_code="95-0-principal-accident",
        facts="主要负责人未组织制定并实施检修作业安全操作规程，导致事故发生。",
        person_name="马建国",
        previous_year_income=360_000,
        second_investigator_id=p_lead.pk,
        today=today,
    )
    for finding in (unit, principal):
        cases.filing_approve(actor=p_head, case_id=finding.case_id, today=today)
        services.finding_violation_add(actor=p_officer, finding_id=finding.pk, today=today)
    services.accident_close(actor=p_head, accident_id=pk, today=D(2026, 10, 23))
    del lead, head  # the county's lead and head have no step in this accident


def _fresh_road_accident(users: dict[str, User]) -> None:
    now = timezone.now()
    occurred = now - dt.timedelta(hours=3)
    services.accident_report(
        actor=users["county_officer"],
        jurisdiction_code="650102",
        unit_name="乌鲁木齐某物流运输队（未登记）",
        occurred_at=occurred,
        place="天山区新华南路与解放南路交叉口",
        kind="road",
        brief="货车制动失灵与公交车碰撞。",
        deaths=1,
        serious_injuries=2,
        missing=0,
        direct_loss=400_000,
        unit_reported_at=occurred + dt.timedelta(minutes=50),
        now=now,
    )
