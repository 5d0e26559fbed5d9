"""The investigation timeline (国务院令493 Arts. 19, 29, 32) on the workflow table: who
investigates by grade, the 60 days from the accident and one extension of at most 60, the
reply within 15 days (30, +30, for 特别重大), the version and the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from inspectorate.accidents import law_data, services
from inspectorate.accidents.models import Accident, AccidentState
from inspectorate.accidents.selectors import open_deadline
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline, RecordEvent
from inspectorate.core.record import verify_chain
from tests.accidents.conftest import AccidentWorld, at, report

pytestmark = pytest.mark.django_db
D = dt.date


def start(aw: AccidentWorld, accident: Accident, actor: Any = None, **kw: Any) -> Accident:
    params: dict[str, Any] = {
        "actor": actor or aw.officer,
        "accident_id": accident.pk,
        "group_leader": "王强",
        "group_members": "应急、公安、工会、人社",
        "set_up_on": D(2026, 6, 2),
        "expected_version": Accident.objects.get(pk=accident.pk).version,
        "today": D(2026, 6, 2),
    }
    params.update(kw)
    return services.investigation_start(**params)


def test_the_investigation_report_is_due_60_days_after_the_accident(aw: AccidentWorld) -> None:
    accident = report(aw)
    deadline = open_deadline(accident, law_data.INVESTIGATION)
    assert deadline is not None
    assert (deadline.start_date, deadline.due_date) == (D(2026, 6, 1), D(2026, 7, 31))
    assert deadline.legal_basis == "《生产安全事故报告和调查处理条例》（国务院令第493号）第二十九条"


def test_60_days_ending_in_the_national_day_holiday_move_to_the_next_working_day(
    aw: AccidentWorld,
) -> None:
    accident = report(
        aw,
        occurred_at=at(2026, 8, 5, 9, 0),
        unit_reported_at=at(2026, 8, 5, 9, 30),
        now=at(2026, 8, 5, 10, 0),
    )
    deadline = open_deadline(accident, law_data.INVESTIGATION)
    assert deadline is not None
    # 2026-08-05 + 60 days = 2026-10-04, inside 国庆 (10-01..10-07)
    assert deadline.due_date == D(2026, 10, 8)


def test_a_general_accident_is_investigated_by_the_county(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=1)
    with pytest.raises(PermissionDenied):
        start(aw, accident, actor=aw.pref_officer)
    accident = start(aw, accident)
    assert accident.state == AccidentState.INVESTIGATING
    assert accident.investigating_level == "county"
    assert accident.group_leader == "王强"


def test_a_larger_accident_is_investigated_by_the_prefecture(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=3)
    with pytest.raises(PermissionDenied):
        start(aw, accident)  # 天山区
    accident = start(aw, accident, actor=aw.pref_officer)
    assert accident.investigating_level == "prefecture"


def test_only_a_general_accident_without_casualties_is_entrusted_to_the_unit(
    aw: AccidentWorld,
) -> None:
    hurt = report(aw, deaths=1)
    with pytest.raises(ValidationFailed) as info:
        start(aw, hurt, entrusted_to_unit=True)
    assert "第十九条第三款" in info.value.extra["fields"]["entrusted_to_unit"][0]
    assert Accident.objects.get(pk=hurt.pk).state == AccidentState.REPORTED
    no_casualties = report(aw, direct_loss=200_000)
    assert start(aw, no_casualties, entrusted_to_unit=True).investigating_level == "unit"


def test_a_stale_version_is_a_conflict_and_changes_nothing(aw: AccidentWorld) -> None:
    accident = report(aw)
    events = RecordEvent.objects.count()
    with pytest.raises(ConcurrentModification):
        start(aw, accident, expected_version=accident.version - 1 or 99)
    assert Accident.objects.get(pk=accident.pk).state == AccidentState.REPORTED
    assert RecordEvent.objects.count() == events
    with pytest.raises(IllegalTransition):
        services.report_submit(
            actor=aw.officer,
            accident_id=accident.pk,
            received_on=D(2026, 7, 20),
            summary="x",
            today=D(2026, 7, 20),
        )


def test_one_extension_of_at_most_60_days_with_the_approver(aw: AccidentWorld) -> None:
    accident = start(aw, report(aw))
    with pytest.raises(PermissionDenied):  # the head records the approval
        services.investigation_extend(
            actor=aw.officer,
            accident_id=accident.pk,
            days=30,
            approved_by="天山区人民政府",
            reason="技术鉴定",
        )
    with pytest.raises(ValidationFailed) as info:
        services.investigation_extend(
            actor=aw.head,
            accident_id=accident.pk,
            days=61,
            approved_by="天山区人民政府",
            reason="技术鉴定",
        )
    assert info.value.extra["fields"]["days"] == [
        "The extension is at most 60 days "
        "(《生产安全事故报告和调查处理条例》（国务院令第493号）第二十九条)."
    ]
    accident = services.investigation_extend(
        actor=aw.head,
        accident_id=accident.pk,
        days=60,
        approved_by="天山区人民政府",
        reason="需进行技术鉴定",
        expected_version=Accident.objects.get(pk=accident.pk).version,
    )
    deadline = open_deadline(accident, law_data.INVESTIGATION)
    assert deadline is not None
    assert deadline.due_date == D(2026, 9, 29)  # 2026-06-01 + 120 days
    assert deadline.extensions.get().approved_by == aw.head
    assert accident.extension_approved_by == "天山区人民政府"
    event = RecordEvent.objects.get(kind="accidents.investigation_extended")
    assert event.payload["before"] == {"due_date": "2026-07-31"}
    assert event.payload["after"] == {"due_date": "2026-09-29"}
    with pytest.raises(IllegalTransition):
        services.investigation_extend(
            actor=aw.head,
            accident_id=accident.pk,
            days=1,
            approved_by="天山区人民政府",
            reason="再次",
        )


def _submitted(aw: AccidentWorld, accident: Accident, actor: Any = None) -> Accident:
    return services.report_submit(
        actor=actor or aw.officer,
        accident_id=accident.pk,
        received_on=D(2026, 7, 20),
        summary="事故原因：违规作业；性质：生产安全责任事故。",
        expected_version=Accident.objects.get(pk=accident.pk).version,
        today=D(2026, 7, 20),
    )


def test_the_reply_is_due_15_days_after_the_report(aw: AccidentWorld) -> None:
    accident = _submitted(aw, start(aw, report(aw)))
    assert accident.state == AccidentState.SUBMITTED
    assert open_deadline(accident, law_data.INVESTIGATION) is None  # met
    deadline = open_deadline(accident, law_data.REPLY)
    assert deadline is not None
    assert (deadline.start_date, deadline.due_date) == (D(2026, 7, 20), D(2026, 8, 4))
    with pytest.raises(IllegalTransition):  # only 特别重大 replies may be extended
        services.reply_extend(actor=aw.head, accident_id=accident.pk, days=10, reason="x")
    with pytest.raises(PermissionDenied):  # the reply is recorded by a lead or the head
        services.reply_record(
            actor=aw.officer,
            accident_id=accident.pk,
            replied_on=D(2026, 8, 3),
            authority="天山区人民政府",
            text="同意调查报告",
            today=D(2026, 8, 3),
        )
    accident = services.reply_record(
        actor=aw.lead,
        accident_id=accident.pk,
        replied_on=D(2026, 8, 3),
        authority="天山区人民政府",
        text="同意调查报告",
        today=D(2026, 8, 3),
    )
    assert accident.state == AccidentState.REPLIED
    assert open_deadline(accident, law_data.REPLY) is None
    accident = services.accident_close(actor=aw.head, accident_id=accident.pk, today=D(2026, 8, 10))
    assert accident.state == AccidentState.CLOSED
    assert list(
        RecordEvent.objects.filter(kind="accidents.state_changed")
        .order_by("id")
        .values_list("payload__action", flat=True)
    ) == ["start_investigation", "submit_report", "record_reply", "close"]
    assert verify_chain("650102") == []


def test_an_especially_major_accident_has_30_days_and_30_more(aw: AccidentWorld) -> None:
    accident = report(aw, deaths=30)
    assert accident.grade == "especially_major"
    # investigated by the State Council; recorded by the province office
    with pytest.raises(PermissionDenied):
        start(aw, accident, actor=aw.pref_officer)
    accident = start(aw, accident, actor=aw.prov_officer)
    assert accident.investigating_level == "state_council"
    accident = _submitted(aw, accident, actor=aw.prov_officer)
    deadline = open_deadline(accident, law_data.REPLY)
    assert deadline is not None
    assert deadline.due_date == D(2026, 8, 19)
    with pytest.raises(ValidationFailed) as info:
        services.reply_extend(actor=aw.prov_head, accident_id=accident.pk, days=31, reason="x")
    assert "at most 30 days" in info.value.extra["fields"]["days"][0]
    services.reply_extend(actor=aw.prov_head, accident_id=accident.pk, days=30, reason="特殊情况")
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 9, 18)
    with pytest.raises(IllegalTransition):
        services.reply_extend(actor=aw.prov_head, accident_id=accident.pk, days=1, reason="x")


def test_overdue_is_computed_when_read(aw: AccidentWorld) -> None:
    from inspectorate.core.deadlines import is_overdue

    accident = start(aw, report(aw))
    deadline = Deadline.objects.get(kind=law_data.INVESTIGATION, subject_id=str(accident.pk))
    assert not is_overdue(deadline, now=D(2026, 7, 31))
    assert is_overdue(deadline, now=D(2026, 8, 1))
