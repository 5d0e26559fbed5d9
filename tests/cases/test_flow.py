"""A case from filing to archiving, with every statutory deadline on the working-day
calendar across the 2026 Spring Festival, the roles that may and may not act, and the
payment with its surcharge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from inspectorate.cases import rules, services
from inspectorate.cases.models import Case, CaseState, CaseViolation, Payment
from inspectorate.cases.selectors import case_deadlines, open_deadline
from inspectorate.core.errors import (
    IllegalTransition,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline, IssuedDocument, RecordEvent
from inspectorate.core.record import verify_chain
from tests.cases.conftest import FILED, CaseWorld, filed, investigated, open_case

pytestmark = pytest.mark.django_db

D = dt.date


def _kinds(case: Case) -> list[str]:
    return list(
        IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_filing_starts_the_90_day_limit(cw: CaseWorld) -> None:
    case = filed(cw)
    assert case.state == CaseState.INVESTIGATING
    assert case.filed_on == FILED
    deadline = open_deadline(case, rules.DECISION)
    assert deadline is not None
    # 2026-01-20 + 90 calendar days = 2026-04-20, a Monday (行政处罚法 Art. 60)
    assert deadline.due_date == D(2026, 4, 20)
    assert deadline.legal_basis == "《行政处罚法》第六十条"
    assert case.number.startswith("（")
    assert "应急立〔2026〕1号" in case.number


def test_decision_limit_ending_in_the_spring_festival_moves_to_the_next_working_day(
    cw: CaseWorld,
) -> None:
    case = open_case(
        cw, act_date=D(2025, 11, 1), discovered_on=D(2025, 11, 18), today=D(2025, 11, 19)
    )
    services.filing_approve(actor=cw.head, case_id=case.pk, today=D(2025, 11, 19))
    deadline = open_deadline(case, rules.DECISION)
    assert deadline is not None
    # + 90 days = 2026-02-17, the Spring Festival; the holiday ends on 02-23
    assert deadline.due_date == D(2026, 2, 24)


def test_limitation_two_years_and_five_where_life_was_endangered(cw: CaseWorld) -> None:
    with pytest.raises(ValidationFailed) as info:
        open_case(cw, act_date=D(2023, 12, 1), discovered_on=D(2026, 1, 15))
    assert "act_date" in info.value.extra["fields"]
    assert "2025-12-01" in info.value.extra["fields"]["act_date"][0]
    assert not Case.objects.exists()
    # 5 years where life and health were endangered and harm followed (Art. 36)
    case = open_case(
        cw, act_date=D(2023, 12, 1), discovered_on=D(2026, 1, 15), endangered_life=True
    )
    assert case.state == CaseState.FILING
    # a continuing act runs from its end
    case2 = open_case(cw, act_date=D(2020, 1, 1), act_end_date=D(2025, 6, 30))
    assert case2.pk


def test_filing_needs_two_certified_investigators(cw: CaseWorld) -> None:
    with pytest.raises(ValidationFailed) as info:
        open_case(cw, second_investigator_id=cw.head.pk)
    assert "second_investigator" in info.value.extra["fields"]
    with pytest.raises(ValidationFailed):
        open_case(cw, second_investigator_id=cw.officer.pk)
    assert not Case.objects.exists()


def test_the_investigator_may_not_review_decide_or_chair(cw: CaseWorld) -> None:
    case = investigated(cw)
    version = Case.objects.get(pk=case.pk).version
    with pytest.raises(PermissionDenied):
        services.review_conclude(
            actor=cw.lead, case_id=case.pk, action="to_legal_review", opinion="同意", today=FILED
        )
    after = Case.objects.get(pk=case.pk)
    assert after.state == CaseState.REVIEWING
    assert after.version == version


def test_illegal_transition_is_409_and_changes_nothing(cw: CaseWorld) -> None:
    case = filed(cw)
    before = Case.objects.get(pk=case.pk)
    events = RecordEvent.objects.count()
    with pytest.raises(IllegalTransition):
        services.decide(actor=cw.head, case_id=case.pk, amounts={}, today=FILED)
    with pytest.raises(IllegalTransition):
        services.serve(
            actor=cw.officer,
            case_id=case.pk,
            served_on=FILED,
            method="直接送达",
            recipient="张三",
            today=FILED,
        )
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.version) == (before.state, before.version)
    assert RecordEvent.objects.count() == events


def test_stale_version_is_refused(cw: CaseWorld) -> None:
    case = open_case(cw)
    from inspectorate.core.errors import ConcurrentModification

    with pytest.raises(ConcurrentModification):
        services.filing_approve(
            actor=cw.head, case_id=case.pk, expected_version=case.version + 1, today=FILED
        )
    assert Case.objects.get(pk=case.pk).state == CaseState.FILING


def test_legal_review_needs_the_qualification(cw: CaseWorld) -> None:
    case = investigated(cw)
    services.review_conclude(
        actor=cw.head, case_id=case.pk, action="to_legal_review", opinion="事实清楚", today=FILED
    )
    unqualified = cw.w.tianshan_admin
    unqualified.roles.create(role="legal_reviewer")
    unqualified = type(unqualified).objects.get(pk=unqualified.pk)
    with pytest.raises(PermissionDenied):
        services.legal_review_conclude(
            actor=unqualified,
            case_id=case.pk,
            action="legal_to_discussion",
            opinion="同意",
            today=FILED,
        )
    assert Case.objects.get(pk=case.pk).state == CaseState.LEGAL_REVIEW


def test_from_filing_to_archive(cw: CaseWorld) -> None:
    case = investigated(cw)
    violation = CaseViolation.objects.get(case=case)
    # 安全生产法 Art. 97 (5): ≤ 100,000 yuan; no circumstances → the general tier 30–70 %
    assert (violation.tier, violation.range_min, violation.range_max) == ("general", 30_000, 70_000)
    assert violation.recommended == 50_000
    case = Case.objects.get(pk=case.pk)
    # 50,000 ≥ the unit thresholds: hearing (30,000), legal review, discussion (50,000)
    assert (case.hearing_right, case.legal_review_required, case.discussion_required) == (
        True,
        True,
        True,
    )
    # the route is fixed by the rules: straight to the notice is refused
    with pytest.raises(IllegalTransition):
        services.review_conclude(
            actor=cw.head, case_id=case.pk, action="notify", opinion="同意", today=FILED
        )
    services.review_conclude(
        actor=cw.head,
        case_id=case.pk,
        action="to_legal_review",
        opinion="事实清楚",
        today=D(2026, 2, 2),
    )
    services.legal_review_conclude(
        actor=cw.reviewer,
        case_id=case.pk,
        action="legal_to_discussion",
        opinion="主体适格，事实清楚，证据充分，适用法律正确，程序合法，裁量适当。",
        today=D(2026, 2, 10),
    )
    # the notice on 2026-02-12: 5 working days across the Spring Festival → 02-26
    case = services.discussion_conclude(
        actor=cw.head,
        case_id=case.pk,
        action="discussion_notify",
        participants="局长、副局长、法规科科长",
        record="同意按一般阶次罚款五万元。",
        today=D(2026, 2, 12),
    )
    assert case.state == CaseState.NOTIFIED
    assert case.notified_amount == 50_000
    statement = open_deadline(case, rules.STATEMENT)
    hearing = open_deadline(case, rules.HEARING_REQUEST)
    assert statement is not None
    assert hearing is not None
    assert statement.due_date == D(2026, 2, 26)
    assert hearing.due_date == D(2026, 2, 26)
    # the decision waits for the party
    with pytest.raises(IllegalTransition):
        services.proceed_to_decision(actor=cw.officer, case_id=case.pk, today=D(2026, 2, 25))
    # the party states its case and asks for a hearing on the portal
    party = cw.w.enterprise_user
    services.statement_file(
        actor=party, case_id=case.pk, text="我单位已立即整改，请求从轻处罚。", today=D(2026, 2, 24)
    )
    services.hearing_request(actor=party, case_id=case.pk, today=D(2026, 2, 24))
    # the chair may not be an investigator; the hearing is 7 working days after the notice
    with pytest.raises(ValidationFailed) as info:
        services.hearing_schedule(
            actor=cw.head,
            case_id=case.pk,
            chair_id=cw.lead.pk,
            date=D(2026, 3, 4),
            place="局三楼会议室",
            notice_on=D(2026, 2, 25),
            today=D(2026, 2, 25),
        )
    assert set(info.value.extra["fields"]) == {"chair", "date"}
    assert "2026-03-05" in info.value.extra["fields"]["date"][0]
    services.hearing_schedule(
        actor=cw.head,
        case_id=case.pk,
        chair_id=cw.reviewer.pk,
        date=D(2026, 3, 5),
        place="局三楼会议室",
        notice_on=D(2026, 2, 25),
        today=D(2026, 2, 25),
    )
    with pytest.raises(PermissionDenied):
        services.hearing_hold(actor=cw.head, case_id=case.pk, record="……", today=D(2026, 3, 5))
    services.hearing_hold(
        actor=cw.reviewer, case_id=case.pk, record="当事人陈述了整改情况。", today=D(2026, 3, 5)
    )
    # the statement never raises the penalty (Art. 45)
    with pytest.raises(ValidationFailed) as info:
        services.decide(
            actor=cw.head,
            case_id=case.pk,
            amounts={violation.pk: 60_000},
            justifications={violation.pk: "情节严重"},
            today=D(2026, 3, 10),
        )
    assert f"amount_{violation.pk}" in info.value.extra["fields"]
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDING
    # below the recommendation only with a written justification
    with pytest.raises(ValidationFailed) as info:
        services.decide(
            actor=cw.head, case_id=case.pk, amounts={violation.pk: 20_000}, today=D(2026, 3, 10)
        )
    assert f"justification_{violation.pk}" in info.value.extra["fields"]
    case = services.decide(
        actor=cw.head,
        case_id=case.pk,
        amounts={violation.pk: 40_000},
        today=D(2026, 3, 10),
    )
    assert (case.state, case.fine) == (CaseState.DECIDED, 40_000)
    service = open_deadline(case, rules.SERVICE)
    assert service is not None
    assert service.due_date == D(2026, 3, 19)
    assert open_deadline(case, rules.DECISION) is None  # met
    case = services.serve(
        actor=cw.officer,
        case_id=case.pk,
        served_on=D(2026, 3, 11),
        method="直接送达",
        recipient="王经理",
        today=D(2026, 3, 11),
    )
    assert case.payment_due == D(2026, 3, 26)  # 15 days (Art. 67)
    # paid four days late: 3 % × 40,000 × 4 = 4,800 yuan surcharge (Art. 72)
    state = services.payment_state(case, D(2026, 3, 30))
    assert state["surcharge"] == Decimal("4800.00")
    assert state["owed"] == Decimal("44800.00")
    services.payment_record(
        actor=cw.officer,
        case_id=case.pk,
        paid_on=D(2026, 3, 30),
        amount="40000",
        receipt_number="BANK-0001",
        channel="中国工商银行",
        today=D(2026, 3, 30),
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.EXECUTING
    # once the fine is paid, the surcharge stops growing
    assert services.payment_state(case, D(2026, 4, 30))["owed"] == Decimal("4800.00")
    services.payment_record(
        actor=cw.officer,
        case_id=case.pk,
        paid_on=D(2026, 3, 31),
        amount="4800",
        receipt_number="BANK-0002",
        channel="中国工商银行",
        today=D(2026, 3, 31),
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSING
    assert Payment.objects.filter(case=case).count() == 2
    case = services.case_close(actor=cw.head, case_id=case.pk, today=D(2026, 4, 2))
    case = services.case_archive(actor=cw.officer, case_id=case.pk, today=D(2026, 4, 3))
    assert case.state == CaseState.ARCHIVED
    assert case.case_file is not None
    assert case.case_file.kind == "case_file"
    assert _kinds(case) == [
        "filing_approval",
        "investigation_report",
        "legal_review_opinion",
        "discussion_record",
        "penalty_notice",
        "hearing_notice",
        "hearing_record",
        "penalty_decision",
        "service_receipt",
        "closing_approval",
        "case_file",
    ]
    assert all(not d.is_open for d in case_deadlines(case))
    assert verify_chain("650102") == []


def test_surcharge_is_capped_at_the_fine_and_paused_during_litigation() -> None:
    due = D(2026, 3, 26)
    plan = [(due, Decimal(10_000))]
    rate = Decimal("0.03")
    # 100 days late would be 30,000 yuan: capped at the fine (Art. 72)
    assert rules.surcharge(
        fine=10_000, schedule=plan, payments=[], suspensions=[], on=D(2026, 7, 4), rate=rate
    ) == Decimal("10000.00")
    # 10 days late, 5 of them in litigation (Art. 73): 5 × 300
    assert rules.surcharge(
        fine=10_000,
        schedule=plan,
        payments=[],
        suspensions=[(D(2026, 3, 28), D(2026, 4, 2))],
        on=D(2026, 4, 5),
        rate=rate,
    ) == Decimal("1500.00")
    # on the due date nothing is late
    assert rules.surcharge(
        fine=10_000, schedule=plan, payments=[], suspensions=[], on=due, rate=rate
    ) == Decimal("0.00")


def test_simple_procedure_within_its_cap(cw: CaseWorld) -> None:
    common = {
        "actor": cw.officer,
        "second_officer_id": cw.lead.pk,
        "enterprise_id": cw.w.ent_tianshan.pk,
        "provision_code": "99-1-unit-base",
        "description": "未设置明显的安全警示标志",
        "act_date": FILED,
        "place": "厂区",
        "today": FILED,
    }
    with pytest.raises(ValidationFailed) as info:
        services.simple_decide(amount=3_001, **common)
    assert "amount" in info.value.extra["fields"]
    assert not Case.objects.exists()
    case = services.simple_decide(amount=3_000, **common)
    assert (case.procedure, case.state, case.fine) == ("simple", CaseState.EXECUTING, 3_000)
    assert case.payment_due == D(2026, 2, 4)  # 15 days, 02-04 is a Wednesday
    assert _kinds(case) == ["simple_decision"]
    assert Deadline.objects.filter(subject_id=str(case.pk), kind=rules.PAYMENT).count() == 1


def test_a_limit_reaching_an_unpublished_year_is_provisional_until_the_notice(
    cw: CaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from inspectorate.core.calendar import calendar_reset
    from inspectorate.core.holidays import calendar_year_enter
    from tests.factories import UserFactory

    calendar_reset()
    case = open_case(
        cw, act_date=D(2026, 11, 2), discovered_on=D(2026, 11, 10), today=D(2026, 11, 12)
    )
    services.filing_approve(actor=cw.head, case_id=case.pk, today=D(2026, 11, 12))
    deadline = open_deadline(case, rules.DECISION)
    assert deadline is not None
    # + 90 days = 2027-02-10, a Wednesday: counted, but the 2027 notice is not out yet
    assert (deadline.due_date, deadline.provisional) == (D(2027, 2, 10), True)
    from django.test import Client

    client = Client()
    client.force_login(cw.officer)
    assert b'data-testid="provisional"' in client.get(f"/cases/{case.pk}/").content
    admin = UserFactory(username="prov_cal_admin", agency=cw.w.province, roles=["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(
            actor=admin,
            year=2027,
            source="测试用节假日安排（非真实通知）",
            holidays=[D(2027, 1, 1), *[D(2027, 2, d) for d in range(8, 13)]],
            workdays=[D(2027, 2, 20)],
        )
    deadline.refresh_from_db()
    # the last day falls in the (test) Spring Festival: the next working day, no longer provisional
    assert (deadline.due_date, deadline.provisional) == (D(2027, 2, 15), False)
    calendar_reset()


def test_the_decision_limit_paused_for_an_appraisal_moves_by_the_days_it_stood(
    cw: CaseWorld,
) -> None:
    case = filed(cw)
    with pytest.raises(PermissionDenied):
        services.decision_pause(
            actor=cw.officer, case_id=case.pk, reason="鉴定", today=D(2026, 2, 2)
        )
    services.decision_pause(
        actor=cw.head, case_id=case.pk, reason="委托司法鉴定", today=D(2026, 2, 2)
    )
    with pytest.raises(IllegalTransition):  # already paused
        services.decision_pause(actor=cw.head, case_id=case.pk, reason="x", today=D(2026, 2, 3))
    services.decision_resume(actor=cw.head, case_id=case.pk, today=D(2026, 2, 12))
    deadline = open_deadline(case, rules.DECISION)
    assert deadline is not None
    # 2026-04-20 + the 10 days it stood still = 2026-04-30, a Thursday
    assert deadline.due_date == D(2026, 4, 30)


def test_a_decision_with_nothing_to_pay_moves_on_to_closing(cw: CaseWorld) -> None:
    case = services.simple_decide(
        actor=cw.officer,
        second_officer_id=cw.lead.pk,
        enterprise_id=cw.w.ent_tianshan.pk,
        provision_code="99-1-unit-base",
        description="未设置明显的安全警示标志",
        amount=0,
        act_date=FILED,
        place="厂区",
        today=FILED,
    )
    case = services.execution_complete(actor=cw.officer, case_id=case.pk, today=FILED)
    assert case.state == CaseState.CLOSING


def test_the_decision_limit_is_extended_by_the_office_then_the_level_above(
    cw: CaseWorld,
) -> None:
    from tests.factories import UserFactory

    case = filed(cw)
    upper_head = UserFactory(username="pref_head_x", agency=cw.w.prefecture, roles=["head"])
    karamay_head = cw.w.karamay_head
    with pytest.raises(ValidationFailed) as info:  # the office's own head extends first
        services.case_extend(
            actor=upper_head,
            case_id=case.pk,
            level="upper",
            days=60,
            reason="案情复杂",
            today=FILED,
        )
    assert "level" in info.value.extra["fields"]
    with pytest.raises(ValidationFailed) as info:  # at most 30 days at the office's level
        services.case_extend(
            actor=cw.head, case_id=case.pk, level="head", days=31, reason="案情复杂", today=FILED
        )
    assert "days" in info.value.extra["fields"]
    services.case_extend(
        actor=cw.head, case_id=case.pk, level="head", days=30, reason="需补充鉴定", today=FILED
    )
    with pytest.raises(IllegalTransition):  # each level once
        services.case_extend(
            actor=cw.head, case_id=case.pk, level="head", days=5, reason="再延", today=FILED
        )
    from inspectorate.core.errors import NotFound

    with pytest.raises(NotFound):  # another prefecture's head does not see the case
        services.case_extend(
            actor=karamay_head, case_id=case.pk, level="upper", days=60, reason="x", today=FILED
        )
    services.case_extend(
        actor=upper_head, case_id=case.pk, level="upper", days=60, reason="重大复杂", today=FILED
    )
    deadline = open_deadline(case, rules.DECISION)
    assert deadline is not None
    # 90 + 30 + 60 = 180 days from 2026-01-20: 2026-07-19, a Sunday → Monday 07-20
    assert deadline.due_date == D(2026, 7, 20)
