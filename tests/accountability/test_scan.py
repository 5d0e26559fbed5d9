"""The scan raises exactly the right items, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspectorate.accountability.models import AccountabilityItem, ItemKind
from inspectorate.accountability.services import accountability_scan
from inspectorate.cases import rules
from inspectorate.core.deadlines import DeadlineRule, deadline_fixed, deadline_start
from inspectorate.core.models import DayCount, Deadline, RecordEvent
from inspectorate.core.record_kinds import RecordKind
from tests.accountability.conftest import act
from tests.cases.conftest import FILED, CaseWorld, filed
from tests.factories import CertificateFactory

DUE = dt.date(2026, 4, 20)  # 2026-01-20 + 90 calendar days


def _decision(case_id: int) -> Deadline:
    return Deadline.objects.get(
        subject_type="cases.case", subject_id=str(case_id), kind=rules.DECISION
    )


def _items() -> list[tuple[str, str, str, str, str]]:
    return sorted(
        AccountabilityItem.objects.values_list(
            "kind", "subject_type", "subject_id", "ref", "person__username"
        )
    )


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_a_decision_limit_one_day_overdue_raises_for_the_investigator_and_the_head(
    cw: CaseWorld,
) -> None:
    case = filed(cw)
    deadline = _decision(case.pk)
    assert (deadline.start_date, deadline.due_date, deadline.days) == (FILED, DUE, 90)

    on_due_day = accountability_scan(on=DUE, jurisdiction_prefix="650102")
    assert on_due_day.total_raised == 0
    assert AccountabilityItem.objects.count() == 0

    result = accountability_scan(on=DUE + dt.timedelta(days=1), jurisdiction_prefix="650102")
    ref = f"deadline:{deadline.pk}"
    assert _items() == [
        ("deadline_missed", "cases.case", str(case.pk), ref, "ts_head"),
        ("deadline_missed", "cases.case", str(case.pk), ref, "ts_officer"),
    ]
    assert result.raised == {"deadline_missed": 2}
    item = AccountabilityItem.objects.get(person=cw.officer)
    assert item.agency == cw.w.tianshan
    assert item.jurisdiction_code == "650102"
    assert item.detected_on == dt.date(2026, 4, 21)
    assert item.subject_url == f"/cases/{case.pk}/"
    assert item.subject_label.startswith(case.number)
    assert item.facts["due_date"] == "2026-04-20"
    assert item.facts["days_late"] == 1
    assert item.facts["met_on"] is None
    assert item.facts["act"] == "investigation"
    assert item.legal_basis.startswith("《行政处罚法》第六十条")
    assert RecordEvent.objects.filter(kind=RecordKind.ACCOUNTABILITY_RAISED).count() == 2


def test_a_second_scan_raises_nothing_again(cw: CaseWorld) -> None:
    filed(cw)
    first = accountability_scan(on=dt.date(2026, 5, 1))
    events = RecordEvent.objects.count()
    second = accountability_scan(on=dt.date(2026, 5, 2))
    assert (first.total_raised, second.total_raised, second.already_raised) == (2, 0, 2)
    assert AccountabilityItem.objects.count() == 2
    assert RecordEvent.objects.count() == events


def test_a_deadline_met_on_its_due_day_raises_nothing_and_met_a_day_late_raises(
    cw: CaseWorld,
) -> None:
    on_time = filed(cw)
    late = filed(cw)
    Deadline.objects.filter(pk=_decision(on_time.pk).pk).update(met_at=_local(DUE, 23))
    Deadline.objects.filter(pk=_decision(late.pk).pk).update(
        met_at=_local(DUE + dt.timedelta(days=1), 0)
    )
    result = accountability_scan(on=dt.date(2026, 6, 1), jurisdiction_prefix="65")
    assert {i[2] for i in _items()} == {str(late.pk)}
    assert result.total_raised == 2
    item = AccountabilityItem.objects.get(person=cw.officer)
    assert (item.facts["met_on"], item.facts["days_late"]) == ("2026-04-21", 1)


def test_a_partys_own_period_and_a_cancelled_deadline_raise_nothing(cw: CaseWorld) -> None:
    case = filed(cw)
    Deadline.objects.filter(pk=_decision(case.pk).pk).update(cancelled_at=_local(DUE, 9))
    # the statement period is the party's (not in the matrix): overdue, but nobody's breach
    deadline_start(
        rule=DeadlineRule(rules.STATEMENT, 5, DayCount.WORKING, rules.LEGAL_BASIS[rules.STATEMENT]),
        subject=case,
        jurisdiction_code=case.jurisdiction_code,
        start_date=FILED,
    )
    assert accountability_scan(on=dt.date(2026, 6, 1)).total_raised == 0


def test_the_scan_reads_only_its_subtree(cw: CaseWorld) -> None:
    filed(cw)
    assert accountability_scan(on=dt.date(2026, 6, 1), jurisdiction_prefix="6502").raised == {}
    assert accountability_scan(on=dt.date(2026, 6, 1), jurisdiction_prefix="6501").raised == {
        "deadline_missed": 2
    }


def test_a_deadline_of_an_unknown_subject_falls_to_the_offices_head(cw: CaseWorld) -> None:
    deadline = deadline_fixed(
        kind=rules.SERVICE,
        legal_basis=rules.LEGAL_BASIS[rules.SERVICE],
        subject=cw.w.ent_tianshan,
        jurisdiction_code="650102",
        start_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 9),
    )
    accountability_scan(on=dt.date(2026, 3, 10))
    subject = ("registry.enterprise", str(cw.w.ent_tianshan.pk))
    assert _items() == [("deadline_missed", *subject, f"deadline:{deadline.pk}", "ts_head")]


def test_a_reinspection_deadline_is_the_issuing_officers(cw: CaseWorld) -> None:
    from tests.core.matrix import build_order

    order = build_order(cw.w)
    deadline = deadline_fixed(
        kind="reinspection",
        legal_basis="复查",
        subject=order,
        jurisdiction_code=order.jurisdiction_code,
        start_date=dt.date(2026, 4, 1),
        due_date=dt.date(2026, 4, 11),
    )
    accountability_scan(on=dt.date(2026, 4, 12))
    subject = ("rectification.rectificationorder", str(order.pk))
    assert _items() == [
        ("deadline_missed", *subject, f"deadline:{deadline.pk}", order.issued_by.username)
    ]
    assert order.issued_by == cw.w.tianshan_lead


@pytest.mark.parametrize(
    ("act_day", "raised"),
    [(dt.date(2026, 3, 1), 0), (dt.date(2026, 3, 2), 1)],
    ids=["last-valid-day", "day-after-expiry"],
)
def test_an_act_after_the_certificate_expired(world: object, act_day: dt.date, raised: int) -> None:
    from tests.conftest import World

    assert isinstance(world, World)
    officer = world.shayibake_officer
    CertificateFactory(
        officer=officer, valid_from=dt.date(2024, 3, 2), valid_until=dt.date(2026, 3, 1)
    )
    act(officer, act_day)
    act(officer, act_day, RecordKind.FINDING_RECORDED)
    act(officer, act_day, RecordKind.CASE_DECIDED)  # the head's kind of act: not counted
    result = accountability_scan(on=dt.date(2026, 3, 31))
    assert result.raised.get(ItemKind.NO_CERTIFICATE, 0) == raised
    if raised:
        item = AccountabilityItem.objects.get()
        assert (item.kind, item.subject_type, item.subject_id, item.ref) == (
            "no_certificate",
            "org.user",
            str(officer.pk),
            "2026-03-02",
        )
        assert (item.person, item.agency, item.jurisdiction_code) == (
            officer,
            world.shayibake,
            "650103",
        )
        assert item.facts["acts"] == 2
        assert [e["kind"] for e in item.facts["events"]] == [
            RecordKind.INSPECTION_STARTED,
            RecordKind.FINDING_RECORDED,
        ]
        assert item.facts["certificates"][0]["valid_until"] == "2026-03-01"


def test_an_officer_without_any_certificate_raises_one_item_per_day(world: object) -> None:
    from tests.conftest import World

    assert isinstance(world, World)
    officer = world.karamay_officer
    for day in (dt.date(2026, 5, 4), dt.date(2026, 5, 4), dt.date(2026, 5, 6)):
        act(officer, day)
    act(officer, dt.date(2026, 5, 8))  # after the day scanned
    accountability_scan(on=dt.date(2026, 5, 7), jurisdiction_prefix="6502")
    assert sorted(AccountabilityItem.objects.values_list("ref", "facts__acts")) == [
        ("2026-05-04", 2),
        ("2026-05-06", 1),
    ]
    assert accountability_scan(on=dt.date(2026, 5, 7)).total_raised == 0


def test_a_suspended_certificate_is_not_valid(world: object) -> None:
    from tests.conftest import World

    assert isinstance(world, World)
    CertificateFactory(officer=world.tianshan_officer, status="suspended")
    act(world.tianshan_officer, dt.date(2026, 5, 4))
    assert accountability_scan(on=dt.date(2026, 5, 4)).raised == {"no_certificate": 1}


def _flag(cw: CaseWorld, case_id: int, day: dt.date) -> object:
    from inspectorate.referrals import services as referrals

    return referrals.screening_flag(
        actor=cw.officer,
        case_id=case_id,
        trigger_code="tampered_monitoring",
        facts={"equipment": "可燃气体报警器", "conduct_description": "关闭报警器"},
        today=day,
    )


def test_a_transfer_report_missing_raises_for_the_officer_and_the_head(cw: CaseWorld) -> None:
    case = filed(cw)
    flagged = dt.date(2026, 2, 2)
    _flag(cw, case.pk, flagged)
    report_due = Deadline.objects.get(subject_type="referrals.referralflag").due_date
    assert report_due == dt.date(2026, 2, 5)  # 3 calendar days (a setting of the system)

    assert accountability_scan(on=report_due, jurisdiction_prefix="650102").total_raised == 0
    result = accountability_scan(on=dt.date(2026, 2, 6), jurisdiction_prefix="650102")
    assert result.transfers_checked
    assert result.raised == {"transfer_omitted": 2}
    assert _items() == [
        ("transfer_omitted", "cases.case", str(case.pk), "no_report", "ts_head"),
        ("transfer_omitted", "cases.case", str(case.pk), "no_report", "ts_officer"),
    ]
    item = AccountabilityItem.objects.get(person=cw.officer)
    assert item.facts["triggers"] == ["tampered_monitoring"]
    assert item.facts["post"] == "officer"
    assert item.legal_basis == "《行政执法机关移送涉嫌犯罪案件的规定》第十一条、第十六条"
    again = accountability_scan(on=dt.date(2026, 2, 7), jurisdiction_prefix="650102")
    assert (again.total_raised, again.already_raised) == (0, 2)


def test_a_dismissed_flag_is_reviewed_in_the_referrals_audit_not_raised(cw: CaseWorld) -> None:
    from inspectorate.referrals import services as referrals

    case = filed(cw)
    flag = _flag(cw, case.pk, dt.date(2026, 2, 2))
    referrals.flag_dismiss(
        actor=cw.head,
        flag_id=flag.pk,
        reasons="经核实报警器系检修停用",
        today=dt.date(2026, 2, 3),  # type: ignore[attr-defined]
    )
    result = accountability_scan(on=dt.date(2026, 2, 10), jurisdiction_prefix="650102")
    assert result.raised.get("transfer_omitted", 0) == 0
