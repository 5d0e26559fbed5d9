"""Responsibility findings open penalty cases (国务院令493 Art. 32 ¶2) against the unit
(安全生产法 Art. 114) and persons (Arts. 95, 96, 110) at the amounts the discretion engine
gives, and a unit's case is flagged for transfer screening when the consequences reach
the criminal threshold (2015 两高解释 Art. 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from inspectorate.accidents import services
from inspectorate.accidents.models import Accident, AccidentState, ResponsibilityFinding
from inspectorate.cases import services as cases
from inspectorate.cases.models import Case, CaseState
from inspectorate.core.errors import IllegalTransition, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.referrals.models import ReferralFlag
from tests.accidents.conftest import AccidentWorld, report

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 8, 10)


def replied(aw: AccidentWorld, **kw: Any) -> Accident:
    """A 较大 accident (3 deaths by default) taken by 乌鲁木齐市 up to the reply."""
    kw.setdefault("deaths", 3)
    accident = report(aw, **kw)
    services.investigation_start(
        actor=aw.pref_officer,
        accident_id=accident.pk,
        group_leader="李明",
        group_members="市应急管理局、市公安局、市总工会",
        set_up_on=D(2026, 6, 2),
        today=D(2026, 6, 2),
    )
    services.report_submit(
        actor=aw.pref_officer,
        accident_id=accident.pk,
        received_on=D(2026, 7, 20),
        summary="违章作业导致有毒气体泄漏。",
        today=D(2026, 7, 20),
    )
    return services.reply_record(
        actor=aw.pref_head,
        accident_id=accident.pk,
        replied_on=D(2026, 8, 3),
        authority="乌鲁木齐市人民政府",
        text="同意调查报告，对事故责任单位和责任人员依法处罚。",
        today=D(2026, 8, 3),
    )


def find(aw: AccidentWorld, accident: Accident, **kw: Any) -> ResponsibilityFinding:
    params: dict[str, Any] = {
        "actor": aw.pref_officer,
        "accident_id": accident.pk,
        "party": "unit",
        "provision_code": "114-0-unit-accident",
        "facts": "未落实安全生产主体责任，导致事故发生。",
        "second_investigator_id": aw.pref_lead.pk,
        "today": TODAY,
    }
    params.update(kw)
    return services.finding_record(**params)


def file_and_add(aw: AccidentWorld, finding: ResponsibilityFinding) -> ResponsibilityFinding:
    cases.filing_approve(actor=aw.pref_head, case_id=finding.case_id, today=TODAY)
    return services.finding_violation_add(actor=aw.pref_officer, finding_id=finding.pk, today=TODAY)


def test_a_finding_against_the_unit_opens_a_case_at_the_article_114_amount(
    aw: AccidentWorld,
) -> None:
    accident = replied(aw)
    finding = find(aw, accident)
    case = Case.objects.get(pk=finding.case_id)
    assert case.source == "accident"
    assert case.source_reference.startswith(f"生产安全事故 #{accident.pk} 2026-06-01 ")
    assert case.state == CaseState.FILING
    assert case.agency_id == aw.w.prefecture.pk
    assert case.party_kind == "unit"
    assert case.enterprise_id == aw.w.ent_tianshan.pk
    assert case.act_date == D(2026, 6, 1)
    # 3 deaths: screened for transfer (重大责任事故罪 etc.)
    assert finding.crime_screened
    flag = ReferralFlag.objects.get(case=case)
    assert flag.trigger_code == "accident_consequence"
    finding = file_and_add(aw, finding)
    violation = finding.violation
    assert violation is not None
    # 较大: 100万–200万 (Art. 114 (2)); the general band 30–70 %: 130万–170万, middle 150万
    assert (violation.range_min, violation.range_max) == (1_300_000, 1_700_000)
    assert violation.proposed == 1_500_000
    assert violation.provision.code == "114-0-unit-accident"
    assert violation.reasons[0] == (
        "Statutory range under 《中华人民共和国安全生产法》第一百一十四条 (larger accident): "
        "1,000,000–2,000,000 yuan."
    )
    with pytest.raises(IllegalTransition):
        services.finding_violation_add(actor=aw.pref_officer, finding_id=finding.pk, today=TODAY)


def test_the_principal_head_pays_60_percent_of_last_years_income(aw: AccidentWorld) -> None:
    accident = replied(aw)
    finding = find(
        aw,
        accident,
        party="principal",
        provision_code="95-0-principal-accident",
        person_name="张三",
        person_id_number="650102197001010011",
        previous_year_income=300_000,
    )
    case = Case.objects.get(pk=finding.case_id)
    assert (case.party_kind, case.party_name, case.party_position) == (
        "person",
        "张三",
        "主要负责人",
    )
    assert not finding.crime_screened  # only the unit's case is screened
    finding = file_and_add(aw, finding)
    assert finding.violation is not None
    assert finding.violation.proposed == 180_000  # 300,000 × 60 % (较大, Art. 95 (2))
    assert finding.violation.tier == "fixed"


def test_article_110_for_absconding_is_60_to_100_percent(aw: AccidentWorld) -> None:
    accident = replied(aw)
    finding = file_and_add(
        aw,
        find(
            aw,
            accident,
            party="principal",
            provision_code="110-1-principal-accident",
            person_name="张三",
            previous_year_income=200_000,
        ),
    )
    assert finding.violation is not None
    # 120,000–200,000; the general band 30–70 %: 144,000–176,000, middle 160,000
    assert (finding.violation.range_min, finding.violation.range_max) == (144_000, 176_000)
    assert finding.violation.proposed == 160_000


def test_a_wrong_article_or_missing_income_is_refused_and_changes_nothing(
    aw: AccidentWorld,
) -> None:
    accident = replied(aw)
    events = RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as info:
        find(aw, accident, provision_code="95-0-principal-accident")
    assert info.value.extra["fields"]["provision"] == [
        "This provision applies to another kind of party."
    ]
    with pytest.raises(ValidationFailed) as info:
        find(aw, accident, party="principal", provision_code="95-0-principal-accident")
    assert set(info.value.extra["fields"]) == {"person_name", "previous_year_income"}
    with pytest.raises(ValidationFailed) as info:  # the second investigator must be certified
        find(aw, accident, second_investigator_id=aw.pref_head.pk)
    assert "second_investigator" in info.value.extra["fields"]
    assert not ResponsibilityFinding.objects.exists()
    assert not Case.objects.exists()
    assert RecordEvent.objects.count() == events


def test_findings_wait_for_the_reply_and_an_unregistered_unit_cannot_be_charged(
    aw: AccidentWorld,
) -> None:
    accident = report(aw, deaths=3)
    with pytest.raises(IllegalTransition):
        find(aw, accident)
    unregistered = replied(aw, enterprise_id=None, unit_name="无证小作坊")
    with pytest.raises(ValidationFailed) as info:
        find(aw, unregistered)
    assert "enterprise" in info.value.extra["fields"]


def test_a_loss_of_a_million_is_screened_and_closing_waits_for_the_violations(
    aw: AccidentWorld,
) -> None:
    accident = replied(aw, deaths=0, serious_injuries=2, direct_loss=10_000_000)  # 较大 by loss
    assert accident.grade == "larger"
    finding = find(aw, accident)
    # 2 serious injuries, no death, but 1000万 ≥ 100万: screened
    assert finding.crime_screened
    with pytest.raises(IllegalTransition):
        services.accident_close(actor=aw.pref_head, accident_id=accident.pk, today=TODAY)
    file_and_add(aw, finding)
    closed = services.accident_close(actor=aw.pref_head, accident_id=accident.pk, today=TODAY)
    assert closed.state == AccidentState.CLOSED


def test_a_general_accident_below_the_criminal_threshold_is_not_screened(
    aw: AccidentWorld,
) -> None:
    accident = report(aw, serious_injuries=2, direct_loss=500_000)
    services.investigation_start(
        actor=aw.officer,
        accident_id=accident.pk,
        group_leader="王强",
        group_members="",
        set_up_on=D(2026, 6, 2),
        today=D(2026, 6, 2),
    )
    services.report_submit(
        actor=aw.officer,
        accident_id=accident.pk,
        received_on=D(2026, 7, 1),
        summary="x",
        today=D(2026, 7, 1),
    )
    services.reply_record(
        actor=aw.head,
        accident_id=accident.pk,
        replied_on=D(2026, 7, 10),
        authority="天山区人民政府",
        text="同意",
        today=D(2026, 7, 10),
    )
    finding = services.finding_record(
        actor=aw.officer,
        accident_id=accident.pk,
        party="unit",
        provision_code="114-0-unit-accident",
        facts="未落实主体责任。",
        second_investigator_id=aw.lead.pk,
        today=TODAY,
    )
    assert not finding.crime_screened
    assert not ReferralFlag.objects.exists()
    cases.filing_approve(actor=aw.head, case_id=finding.case_id, today=TODAY)
    finding = services.finding_violation_add(actor=aw.officer, finding_id=finding.pk, today=TODAY)
    assert finding.violation is not None
    # 一般: 30万–100万; general band: 51万–79万, middle 65万
    assert finding.violation.proposed == 650_000
