"""The reporting chain (国务院令493 Arts. 9–11), the notices (Art. 10) and the casualty
updates (Art. 13) with the re-routing a new grade brings."""

from __future__ import annotations

from typing import Any

import pytest

from inspectorate.accidents import services
from inspectorate.accidents.models import Accident, CasualtyUpdate, ChainNotice, ChainStep
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_chain
from tests.accidents.conftest import AccidentWorld, at, report

pytestmark = pytest.mark.django_db


def steps(accident: Accident) -> list[tuple[str, str, Any, Any, bool]]:
    return [
        (s.from_level, s.to_level, s.due_at, s.reported_at, s.required)
        for s in ChainStep.objects.filter(accident=accident).order_by("seq")
    ]


def test_a_general_accident_goes_up_to_the_prefecture(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=2)
    assert accident.grade == "general"
    assert steps(accident) == [
        # the unit: within 1 hour of the accident (Art. 9)
        ("unit", "county", at(2026, 6, 1, 10, 30), at(2026, 6, 1, 10, 10), True),
        # the county: within 2 hours of receiving it (Art. 11)
        ("county", "prefecture", at(2026, 6, 1, 12, 10), None, True),
    ]
    step = ChainStep.objects.get(accident=accident, seq=1)
    assert step.to_name == "乌鲁木齐市应急管理局"
    assert step.legal_basis == "《生产安全事故报告和调查处理条例》（国务院令第493号）第十一条"
    assert not step.is_overdue(at(2026, 6, 1, 12, 10))
    assert step.is_overdue(at(2026, 6, 1, 12, 11))


def test_each_grade_reaches_its_level(aw: AccidentWorld) -> None:
    larger = report(aw, deaths=3)
    assert [s[1] for s in steps(larger)] == ["county", "prefecture", "province"]
    major = report(aw, serious_injuries=50)
    assert [s[1] for s in steps(major)] == ["county", "prefecture", "province", "ministry"]
    assert ChainStep.objects.get(accident=major, seq=3).to_name == "应急管理部"
    especially = report(aw, direct_loss=100_000_000)
    assert [s[1] for s in steps(especially)] == ["county", "prefecture", "province", "ministry"]


def test_the_unit_late_and_the_chain_reported_level_by_level(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=3, unit_reported_at=None)
    unit = ChainStep.objects.get(accident=accident, seq=0)
    assert unit.due_at == at(2026, 6, 1, 10, 30)
    assert ChainStep.objects.get(accident=accident, seq=1).due_at is None  # not received yet
    # the county records the unit's report, 1 minute late
    step = services.chain_report(
        actor=aw.officer,
        accident_id=accident.pk,
        seq=0,
        reported_at=at(2026, 6, 1, 10, 31),
        now=at(2026, 6, 1, 11, 0),
    )
    assert step.is_late
    # the county reports to the prefecture exactly 2 hours later: in time
    step = services.chain_report(
        actor=aw.officer,
        accident_id=accident.pk,
        seq=1,
        reported_at=at(2026, 6, 1, 12, 31),
        now=at(2026, 6, 1, 13, 0),
    )
    assert step.due_at == at(2026, 6, 1, 12, 31)
    assert not step.is_late
    assert ChainStep.objects.get(accident=accident, seq=2).due_at == at(2026, 6, 1, 14, 31)
    # the county may not report for the prefecture; the prefecture does
    with pytest.raises(PermissionDenied):
        services.chain_report(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=2,
            reported_at=at(2026, 6, 1, 13, 0),
            now=at(2026, 6, 1, 14, 0),
        )
    step = services.chain_report(
        actor=aw.pref_officer,
        accident_id=accident.pk,
        seq=2,
        reported_at=at(2026, 6, 1, 14, 32),
        now=at(2026, 6, 1, 15, 0),
    )
    assert step.is_late
    with pytest.raises(IllegalTransition):
        services.chain_report(
            actor=aw.pref_officer,
            accident_id=accident.pk,
            seq=2,
            reported_at=at(2026, 6, 1, 14, 40),
            now=at(2026, 6, 1, 15, 0),
        )
    kinds = list(
        RecordEvent.objects.filter(subject_id=str(accident.pk), subject_type="accidents.accident")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["accidents.reported"] + ["accidents.chain_reported"] * 3
    assert verify_chain("650102") == []


def test_a_report_before_the_level_below_or_in_the_future_is_refused(aw: AccidentWorld) -> None:
    accident = report(aw, unit_reported_at=None)
    with pytest.raises(IllegalTransition):
        services.chain_report(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=1,
            reported_at=at(2026, 6, 1, 11, 0),
            now=at(2026, 6, 1, 12, 0),
        )
    with pytest.raises(ValidationFailed) as info:
        services.chain_report(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=0,
            reported_at=at(2026, 6, 1, 9, 0),
            now=at(2026, 6, 1, 12, 0),
        )
    assert "reported_at" in info.value.extra["fields"]
    with pytest.raises(ConcurrentModification):
        services.chain_report(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=0,
            reported_at=at(2026, 6, 1, 10, 0),
            expected_version=accident.version + 1,
            now=at(2026, 6, 1, 12, 0),
        )
    assert ChainStep.objects.get(accident=accident, seq=0).reported_at is None


def test_the_receiving_department_informs_the_four(aw: AccidentWorld) -> None:
    accident = report(aw)
    for party in ("police", "labour", "union", "procuratorate"):
        services.chain_notice(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=0,
            party=party,
            notified_at=at(2026, 6, 1, 10, 40),
            now=at(2026, 6, 1, 11, 0),
        )
    assert ChainNotice.objects.filter(step__accident=accident).count() == 4
    assert RecordEvent.objects.filter(kind="accidents.authority_informed").count() == 4
    with pytest.raises(IllegalTransition):
        services.chain_notice(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=0,
            party="police",
            notified_at=at(2026, 6, 1, 10, 50),
            now=at(2026, 6, 1, 11, 0),
        )
    # the prefecture has not received it yet, and the county is not the prefecture
    with pytest.raises(PermissionDenied):
        services.chain_notice(
            actor=aw.officer,
            accident_id=accident.pk,
            seq=1,
            party="police",
            notified_at=at(2026, 6, 1, 10, 50),
            now=at(2026, 6, 1, 11, 0),
        )
    with pytest.raises(ValidationFailed) as info:
        services.chain_notice(
            actor=aw.pref_officer,
            accident_id=accident.pk,
            seq=1,
            party="police",
            notified_at=at(2026, 6, 1, 10, 50),
            now=at(2026, 6, 1, 11, 0),
        )
    assert "seq" in info.value.extra["fields"]


def _update(aw: AccidentWorld, accident: Accident, when: Any, **counts: int) -> CasualtyUpdate:
    values = {"deaths": 0, "serious_injuries": 0, "missing": 0, "direct_loss": 0, **counts}
    return services.casualties_update(
        actor=aw.officer, accident_id=accident.pk, reported_at=when, now=at(2026, 11, 30), **values
    )


def test_updates_within_30_days_and_the_grade_re_routes_the_chain(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=2, missing=1)
    services.chain_report(
        actor=aw.officer,
        accident_id=accident.pk,
        seq=1,
        reported_at=at(2026, 6, 1, 11, 0),
        now=at(2026, 6, 1, 12, 0),
    )
    # the 30th day after 2026-06-01 is 2026-07-01 (Art. 13; the first day not counted)
    update = _update(aw, accident, at(2026, 7, 1, 23, 59), deaths=3)
    assert (update.grade_before, update.grade_after) == ("general", "larger")
    assert update.before == {"deaths": 2, "serious_injuries": 0, "missing": 1, "direct_loss": 0}
    assert update.after == {"deaths": 3, "serious_injuries": 0, "missing": 0, "direct_loss": 0}
    accident.refresh_from_db()
    assert accident.grade == "larger"
    assert accident.grade_basis.endswith("第三条第一款第（三）项")
    # the province is now on the chain: due 2 hours after the update that required it
    # (the prefecture had the first report long before)
    assert [s[1] for s in steps(accident)] == ["county", "prefecture", "province"]
    assert steps(accident)[2][2] == at(2026, 7, 2, 1, 59)
    event = RecordEvent.objects.filter(kind="accidents.casualties_updated").get()
    assert event.payload["before"]["grade"] == "general"
    assert event.payload["after"]["grade"] == "larger"
    # back to 2 deaths: the province step is no longer required
    _update(aw, accident, at(2026, 7, 1, 23, 59), deaths=2)
    assert [s[4] for s in steps(accident)] == [True, True, False]


def test_an_update_after_30_days_is_refused_and_changes_nothing(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=2)
    events = RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as info:
        _update(aw, accident, at(2026, 7, 2, 0, 0), deaths=3)
    assert info.value.extra["fields"]["reported_at"] == [
        "Casualty changes are reported within 30 days of the accident "
        "(《生产安全事故报告和调查处理条例》（国务院令第493号）第十三条第二款): "
        "the last day was 2026-07-01."
    ]
    accident.refresh_from_db()
    assert (accident.deaths, accident.grade) == (2, "general")
    assert not CasualtyUpdate.objects.exists()
    assert RecordEvent.objects.count() == events


@pytest.mark.parametrize("kind", ["road", "fire"])
def test_road_and_fire_accidents_have_7_days(aw: AccidentWorld, kind: str) -> None:
    accident = report(aw, kind=kind, deaths=1)
    _update(aw, accident, at(2026, 6, 8, 18, 0), deaths=2)
    with pytest.raises(ValidationFailed) as info:
        _update(aw, accident, at(2026, 6, 9, 8, 0), deaths=3)
    assert "within 7 days" in info.value.extra["fields"]["reported_at"][0]
    assert "2026-06-08" in info.value.extra["fields"]["reported_at"][0]


def test_bad_report_input_is_refused_field_by_field(aw: AccidentWorld) -> None:
    with pytest.raises(ValidationFailed) as info:
        report(
            aw,
            jurisdiction_code="650203",  # 克拉玛依区: not 天山区's
            deaths=-1,
            kind="volcano",
            brief=" ",
            occurred_at=at(2026, 6, 2, 9, 0),  # after "now"
        )
    assert set(info.value.extra["fields"]) == {
        "jurisdiction_code",
        "deaths",
        "kind",
        "brief",
        "occurred_at",
        "unit_reported_at",
    }
    assert not Accident.objects.exists()
    with pytest.raises(PermissionDenied):
        report(aw, actor=aw.w.tianshan_reviewer)
    # an unregistered unit is named
    accident = report(aw, enterprise_id=None, unit_name="无证小作坊")
    assert accident.unit_name == "无证小作坊"
    assert accident.enterprise is None
