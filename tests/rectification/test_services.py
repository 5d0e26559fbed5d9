"""The rectification loop: order with working-day deadlines, report, re-inspection, escalation."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.core.errors import (
    ApplicationError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline, IssuedDocument, RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.inspections import services as insp
from inspectorate.inspections.models import Finding, FindingStatus, Inspection, MeasureKind
from inspectorate.rectification import services
from inspectorate.rectification.models import (
    ClosureCheck,
    LineState,
    OrderState,
    PenaltyProposal,
    RectificationOrder,
)
from tests.inspections.conftest import DAY, NOW, InspectionWorld, answer_all, at, line, start

pytestmark = pytest.mark.django_db


def _inspection_with_order(
    iw: InspectionWorld, *, day: dt.date = DAY, corrected: bool = True
) -> tuple[Inspection, RectificationOrder, dict[str, Finding]]:
    """Three findings: one corrected on the spot, a general and a major hazard ordered."""
    now = at(day)
    inspection = start(iw, started_at=now)
    found = {}
    for code, text in (
        ("GEN-13", "疏散通道堆放货物"),
        ("GEN-05", "三名新员工无培训记录"),
        ("HC-12", "罐区可燃气体检测报警器停用"),
    ):
        found[code] = insp.finding_record(
            actor=iw.officer,
            inspection_id=inspection.pk,
            data={"answer_id": line(inspection, code).pk, "description": text},
            now=now,
        )
    answer_all(iw, inspection, now=now)
    if corrected:
        insp.measure_decide(
            actor=iw.officer,
            inspection_id=inspection.pk,
            kind=MeasureKind.CORRECT_NOW,
            finding_ids=[found["GEN-13"].pk],
            description="当场清理疏散通道",
            now=now,
        )
    ordered = [found["GEN-05"].pk, found["HC-12"].pk] + ([] if corrected else [found["GEN-13"].pk])
    insp.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=ordered,
        measures={found["GEN-05"].pk: "补充三名新员工三级安全教育并建档"},
        now=now,
    )
    insp.record_sign(
        actor=iw.officer,
        inspection_id=inspection.pk,
        handling="当场改正1项，责令限期整改2项",
        unit_head_name="王伟",
        signature="signed",
        now=now,
    )
    insp.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=now)
    order = RectificationOrder.objects.get(inspection=inspection)
    return inspection, order, {k: Finding.objects.get(pk=f.pk) for k, f in found.items()}


def test_deadlines_count_working_days_across_the_national_day_holiday(
    iw: InspectionWorld,
) -> None:
    _inspection, order, found = _inspection_with_order(iw)
    lines = {line.finding_id: line for line in order.lines.all()}
    # issued Monday 2026-09-28; 10-01..10-07 are holidays, Saturday 10-10 is a working day
    assert lines[found["GEN-05"].pk].due_date == dt.date(2026, 10, 16)  # 10 working days
    assert lines[found["HC-12"].pk].due_date == dt.date(2026, 11, 13)  # 30 for a major hazard
    assert order.due_date == dt.date(2026, 11, 13)
    assert found["GEN-05"].due_date == dt.date(2026, 10, 16)
    assert lines[found["GEN-05"].pk].measure == "补充三名新员工三级安全教育并建档"
    assert lines[found["HC-12"].pk].measure == "加装检测报警装置，更换防爆电气设备"
    deadline = Deadline.objects.get(kind="rectification")
    assert (deadline.day_count, deadline.days, deadline.due_date) == (
        "working",
        30,
        dt.date(2026, 11, 13),
    )
    assert order.document.kind == "rectification_order"


def test_deadline_across_the_spring_festival(iw: InspectionWorld) -> None:
    _inspection, order, found = _inspection_with_order(iw, day=dt.date(2026, 2, 10))
    general = order.lines.get(finding=found["GEN-05"])
    # 2026-02-15..02-23 are the Spring Festival holidays; 02-14 and 02-28 are working Saturdays
    assert general.due_date == dt.date(2026, 3, 2)


def test_the_enterprise_reports_completion_with_evidence(iw: InspectionWorld) -> None:
    _inspection, order, _found = _inspection_with_order(iw)
    user = iw.w.enterprise_user
    with pytest.raises(ValidationFailed) as exc:
        services.submission_add(
            actor=user, order_id=order.pk, kind="completion", note="已整改", now=at(DAY)
        )
    assert "files" in exc.value.extra["fields"]
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED
    services.submission_add(
        actor=user,
        order_id=order.pk,
        kind="completion",
        note="已加装报警器并完成培训",
        files=[("报警器.jpg", "image/jpeg", b"\xff\xd8photo")],
        now=at(dt.date(2026, 10, 12)),
    )
    order.refresh_from_db()
    assert order.state == OrderState.REPORTED
    recheck = Deadline.objects.get(kind="reinspection")
    assert (recheck.start_date, recheck.due_date) == (dt.date(2026, 10, 12), dt.date(2026, 10, 22))
    # another unit's user, and officers, cannot report on this order
    with pytest.raises(PermissionDenied):
        services.submission_add(actor=iw.officer, order_id=order.pk, kind="progress", note="x")
    from tests.factories import EnterpriseUserFactory

    stranger = EnterpriseUserFactory(username="other_ent", enterprise=iw.w.ent_tianshan_2)
    with pytest.raises(NotFound):
        services.submission_add(actor=stranger, order_id=order.pk, kind="progress", note="x")


def test_reinspection_preloads_only_the_open_findings(iw: InspectionWorld) -> None:
    _inspection, order, found = _inspection_with_order(iw)
    review = services.reinspection_start(
        actor=iw.lead, order_id=order.pk, second_officer_id=iw.officer.pk, now=at(DAY)
    )
    lines = list(review.answers.order_by("sort"))
    assert [a.prior_finding_id for a in lines] == [found["GEN-05"].pk, found["HC-12"].pk]
    assert all(a.item_id is None for a in lines)
    order.refresh_from_db()
    assert order.state == OrderState.REINSPECTING
    with pytest.raises(IllegalTransition):  # one re-inspection at a time
        services.reinspection_start(
            actor=iw.lead, order_id=order.pk, second_officer_id=iw.officer.pk, now=at(DAY)
        )


def _review(
    iw: InspectionWorld, order: RectificationOrder, results: dict[int, str], day: dt.date
) -> Inspection:
    now = at(day)
    review = services.reinspection_start(
        actor=iw.lead, order_id=order.pk, second_officer_id=iw.officer.pk, now=now
    )
    insp.answers_save(
        actor=iw.lead,
        inspection_id=review.pk,
        changes=[
            insp.AnswerChange(a.pk, results[a.prior_finding_id], "", 0)
            for a in review.answers.all()
        ],
        now=now,
    )
    insp.record_sign(
        actor=iw.lead,
        inspection_id=review.pk,
        handling="复查",
        unit_head_name="王伟",
        signature="signed",
        now=now,
    )
    return insp.inspection_close(actor=iw.lead, inspection_id=review.pk, now=now)


def test_everything_rectified_closes_the_order(iw: InspectionWorld) -> None:
    _inspection, order, found = _inspection_with_order(iw)
    _review(
        iw,
        order,
        {found["GEN-05"].pk: "compliant", found["HC-12"].pk: "compliant"},
        dt.date(2026, 10, 20),
    )
    order.refresh_from_db()
    assert (order.state, order.closed_on) == (OrderState.CLOSED, dt.date(2026, 10, 20))
    assert set(Finding.objects.values_list("status", flat=True)) == {"rectified", "corrected"}
    assert IssuedDocument.objects.filter(kind="review_opinion").count() == 1
    assert Deadline.objects.get(kind="rectification").met_at is not None


def test_unrectified_is_extended_by_the_head_or_escalated(iw: InspectionWorld) -> None:
    _inspection, order, found = _inspection_with_order(iw)
    _review(
        iw,
        order,
        {found["GEN-05"].pk: "compliant", found["HC-12"].pk: "finding"},
        dt.date(2026, 11, 16),
    )
    order.refresh_from_db()
    assert order.state == OrderState.UNRECTIFIED
    assert order.lines.get(finding=found["HC-12"]).state == LineState.OPEN
    with pytest.raises(PermissionDenied):
        services.order_extend(
            actor=iw.officer, order_id=order.pk, working_days=10, reason="设备到货延迟"
        )
    with pytest.raises(ValidationFailed):
        services.order_extend(
            actor=iw.w.tianshan_head, order_id=order.pk, working_days=10, reason=" "
        )
    services.order_extend(
        actor=iw.w.tianshan_head,
        order_id=order.pk,
        working_days=10,
        reason="报警器供货延迟，已签订采购合同",
        now=at(dt.date(2026, 11, 16)),
    )
    order.refresh_from_db()
    assert (order.state, order.due_date) == (OrderState.ISSUED, dt.date(2026, 11, 30))
    assert Finding.objects.get(pk=found["HC-12"].pk).due_date == dt.date(2026, 11, 30)
    # before the new deadline, escalation is refused
    with pytest.raises(ApplicationError) as exc:
        services.order_escalate(
            actor=iw.officer,
            order_id=order.pk,
            refused=False,
            statement="逾期未整改",
            now=at(dt.date(2026, 11, 20)),
        )
    assert exc.value.code == "not_overdue"
    proposal = services.order_escalate(
        actor=iw.officer,
        order_id=order.pk,
        refused=True,
        refusal_kind="no_reason",
        statement="责令限期整改后，报警器仍处于停用状态，企业无正当理由拒不整改",
        now=at(dt.date(2026, 12, 1)),
    )
    assert proposal.reason == "refused"
    assert proposal.major_hazard
    assert proposal.suspected_crime
    assert proposal.crime_basis == "《刑法》第一百三十四条之一第（二）项；两高《解释（二）》第三条"
    assert proposal.articles == ["《安全生产法》第一百零二条", "安监总管三〔2017〕121号"]
    assert list(proposal.findings.values_list("pk", flat=True)) == [found["HC-12"].pk]
    # the hazard is still there: open, and in the open-hazards list, until it is removed
    assert Finding.objects.get(pk=found["HC-12"].pk).status == FindingStatus.OPEN
    assert order.lines.get(finding=found["HC-12"]).state == LineState.ESCALATED
    order.refresh_from_db()
    assert order.state == OrderState.ESCALATED
    assert RecordEvent.objects.filter(kind="rectification.penalty_proposed").count() == 1
    assert verify_chain("650102") == []


def test_a_general_hazard_overdue_is_a_penalty_proposal_without_crime_flag(
    iw: InspectionWorld,
) -> None:
    inspection = start(iw)
    finding = insp.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "GEN-07").pk, "description": "无警示标志"},
        now=NOW,
    )
    insp.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[finding.pk],
        now=NOW,
    )
    order = RectificationOrder.objects.get()
    proposal = services.order_escalate(
        actor=iw.officer,
        order_id=order.pk,
        refused=True,
        refusal_kind="no_reason",
        statement="逾期未设置警示标志",
        now=at(dt.date(2026, 10, 19)),
    )
    assert not proposal.suspected_crime
    assert proposal.crime_basis == ""
    with pytest.raises(ValidationFailed) as exc:
        services.order_escalate(
            actor=iw.officer, order_id=order.pk, refused=True, refusal_kind="", statement="x"
        )
    assert "refusal_kind" in exc.value.extra["fields"]


def _penalise(iw: InspectionWorld, day: dt.date) -> None:
    """An on-the-spot penalty (简易程序) of the unit: a decided administrative penalty."""
    from inspectorate.cases.services import simple_decide

    simple_decide(
        actor=iw.officer,
        second_officer_id=iw.lead.pk,
        enterprise_id=iw.w.ent_tianshan.pk,
        provision_code="99-1-unit-base",
        description="未设置明显的安全警示标志",
        amount=1000,
        act_date=day,
        place="厂区",
        today=day,
    )


def test_repeated_penalties_with_a_major_hazard_open_the_closure_check(
    iw: InspectionWorld,
) -> None:
    _inspection, order, _found = _inspection_with_order(iw, day=dt.date(2026, 3, 2))
    # the escalation proposes a case; a proposal is not a penalty
    services.order_escalate(
        actor=iw.officer,
        order_id=order.pk,
        refused=True,
        refusal_kind="no_reason",
        statement="拒不整改",
        now=at(dt.date(2026, 5, 4)),
    )
    assert not ClosureCheck.objects.exists()
    days = [dt.date(2026, 3, 9), dt.date(2026, 5, 11), dt.date(2026, 7, 6)]
    for day in days:
        _penalise(iw, day)
        expected = 1 if day == days[-1] else 0
        assert ClosureCheck.objects.count() == expected
    check = ClosureCheck.objects.get()
    assert (check.window_days, check.count, check.basis) == (
        180,
        3,
        "《安全生产法》第一百一十三条第（一）项",
    )
    assert PenaltyProposal.objects.count() == 1


def test_two_penalties_do_not_open_the_closure_check(iw: InspectionWorld) -> None:
    _inspection_with_order(iw, day=dt.date(2026, 3, 2))
    for day in (dt.date(2026, 3, 9), dt.date(2026, 5, 11)):
        _penalise(iw, day)
    # three, but not within 180 days
    _penalise(iw, dt.date(2026, 11, 20))
    assert not ClosureCheck.objects.exists()


def test_a_deadline_in_a_year_without_holiday_notice_is_set_by_the_office(
    iw: InspectionWorld,
) -> None:
    """30 working days from 2026-12-07 end in 2027, whose holiday notice the calendar does
    not have: the order is refused with a field error until the office sets the date."""
    day = dt.date(2026, 12, 7)
    inspection = start(iw, started_at=at(day))
    finding = insp.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "HC-12").pk, "description": "报警器停用"},
        now=at(day),
    )
    with pytest.raises(ValidationFailed) as exc:
        insp.measure_decide(
            actor=iw.officer,
            inspection_id=inspection.pk,
            kind=MeasureKind.ORDER_RECTIFICATION,
            finding_ids=[finding.pk],
            now=at(day),
        )
    assert list(exc.value.extra["fields"]) == ["due_date"]
    assert not RectificationOrder.objects.exists()
    insp.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[finding.pk],
        due_date=dt.date(2027, 1, 20),
        now=at(day),
    )
    order = RectificationOrder.objects.get()
    assert order.due_date == dt.date(2027, 1, 20)
    assert Deadline.objects.get(kind="rectification").due_date == dt.date(2027, 1, 20)


def test_a_finding_recorded_after_the_order_gets_an_order_of_its_own(
    iw: InspectionWorld,
) -> None:
    inspection = start(iw)
    first = insp.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "GEN-07").pk, "description": "无警示标志"},
        now=NOW,
    )
    insp.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[first.pk],
        now=NOW,
    )
    later = insp.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "GEN-10").pk, "description": "未配发防护手套"},
        now=NOW,
    )
    with pytest.raises(ValidationFailed) as exc:  # the first is on an order already
        insp.measure_decide(
            actor=iw.officer,
            inspection_id=inspection.pk,
            kind=MeasureKind.ORDER_RECTIFICATION,
            finding_ids=[first.pk, later.pk],
            now=NOW,
        )
    assert "findings" in exc.value.extra["fields"]
    insp.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[later.pk],
        now=NOW,
    )
    numbers = list(
        RectificationOrder.objects.filter(inspection=inspection)
        .order_by("id")
        .values_list("document__number", flat=True)
    )
    assert [n[-3:] for n in numbers] == ["〕1号", "〕2号"]
