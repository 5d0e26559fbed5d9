"""Deadlines as data: legal basis, calendar or working days, pauses, extensions, overdue on read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from inspectorate.core.deadlines import (
    DeadlineRule,
    compute_due_date,
    deadline_extend,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadline_stop,
    is_overdue,
)
from inspectorate.core.errors import IllegalTransition, ValidationFailed
from inspectorate.core.models import DayCount, Deadline, RecordEvent
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import User
from inspectorate.registry.models import Enterprise
from tests.factories import EnterpriseFactory, UserFactory

D = dt.date
# 行政处罚法 Art. 60: a case is decided within 90 days of 立案.
DECISION = DeadlineRule(
    kind="case_decision", days=90, day_count=DayCount.CALENDAR, legal_basis="行政处罚法 第六十条"
)
REVIEW = DeadlineRule(
    kind="rectification_review",
    days=15,
    day_count=DayCount.WORKING,
    legal_basis="安全生产违法行为行政处罚办法 第二十三条",
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise() -> Enterprise:
    return EnterpriseFactory()


@pytest.fixture
def head() -> User:
    return UserFactory(roles=["head"], name="李局长")


def _start(rule: DeadlineRule, enterprise: Enterprise, start: dt.date) -> Deadline:
    return deadline_start(
        rule=rule, subject=enterprise, jurisdiction_code="650102", start_date=start
    )


def test_start_stores_the_rule_and_the_due_date(enterprise: Enterprise) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    deadline.refresh_from_db()
    assert (deadline.subject_type, deadline.subject_id) == (
        "registry.enterprise",
        str(enterprise.pk),
    )
    assert deadline.kind == "case_decision"
    assert deadline.legal_basis == "行政处罚法 第六十条"
    assert deadline.day_count == "calendar"
    assert deadline.days == 90
    assert deadline.start_date == D(2026, 3, 2)
    # Day 90 is Sunday 2026-05-31: the period ends on Monday 06-01.
    assert deadline.due_date == D(2026, 6, 1)
    assert deadline.is_open


def test_pause_and_resume_push_the_due_date_by_the_days_paused(
    enterprise: Enterprise, head: User
) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="听证", on=D(2026, 4, 1))
    deadline = deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 4, 11))
    # paused 04-01 .. 04-10 = 10 days: 100 days from 03-02 is Wednesday 06-10
    assert deadline.due_date == D(2026, 6, 10)
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 6, 10)
    pause = deadline.pauses.get()
    assert (pause.reason, pause.started_on, pause.ended_on) == (
        "听证",
        D(2026, 4, 1),
        D(2026, 4, 11),
    )
    events = list(
        RecordEvent.objects.filter(subject_id=str(enterprise.pk))
        .order_by("seq")
        .values_list("kind", "payload", "actor_name")
    )
    assert events == [
        (
            RecordKind.DEADLINE_PAUSED,
            {"deadline": "case_decision", "reason": "听证", "on": "2026-04-01"},
            "李局长",
        ),
        (
            RecordKind.DEADLINE_RESUMED,
            {"deadline": "case_decision", "on": "2026-04-11", "due_date": "2026-06-10"},
            "李局长",
        ),
    ]


def test_two_pauses_add_up(enterprise: Enterprise, head: User) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="听证", on=D(2026, 4, 1))
    deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 4, 6))  # 5 days
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="鉴定", on=D(2026, 5, 1))
    deadline = deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 5, 8))  # 7 days
    # 102 days from 03-02 = 06-12 (Friday)
    assert deadline.due_date == D(2026, 6, 12)


def test_pause_and_resume_are_checked(enterprise: Enterprise, head: User) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    with pytest.raises(IllegalTransition):
        deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 4, 1))
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        deadline_pause(deadline_id=deadline.pk, actor=head, reason="  ", on=D(2026, 4, 1))
    assert info.value.extra == {"fields": {"reason": ["A reason is required."]}}
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="听证", on=D(2026, 4, 1))
    with pytest.raises(IllegalTransition):
        deadline_pause(deadline_id=deadline.pk, actor=head, reason="again", on=D(2026, 4, 2))
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 3, 31))
    assert info.value.extra == {"fields": {"on": ["A pause cannot end before it started."]}}
    assert deadline.pauses.get().ended_on is None


def test_extension_adds_days_and_records_the_approver(enterprise: Enterprise, head: User) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    deadline = deadline_extend(
        deadline_id=deadline.pk, approver=head, days=30, reason="案情复杂，经负责人批准延长"
    )
    assert deadline.due_date == D(2026, 6, 30)  # 120 days from 03-02
    extension = deadline.extensions.get()
    assert (extension.days, extension.approved_by_id) == (30, head.pk)
    event = RecordEvent.objects.get(kind=RecordKind.DEADLINE_EXTENDED)
    assert event.payload == {
        "deadline": "case_decision",
        "days": 30,
        "reason": "案情复杂，经负责人批准延长",
        "due_date": "2026-06-30",
    }
    assert event.actor_id == head.pk


def test_extension_and_pause_combine(enterprise: Enterprise, head: User) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="听证", on=D(2026, 4, 1))
    deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 4, 11))
    deadline = deadline_extend(deadline_id=deadline.pk, approver=head, days=30, reason="延长")
    assert deadline.due_date == D(2026, 7, 10)  # 90 + 10 + 30 = 130 days


@pytest.mark.parametrize(
    ("days", "reason", "fields"),
    [
        (0, "延长", {"days": ["An extension must be at least one day."]}),
        (-5, "延长", {"days": ["An extension must be at least one day."]}),
        (30, " ", {"reason": ["A reason is required."]}),
        (
            0,
            "",
            {
                "days": ["An extension must be at least one day."],
                "reason": ["A reason is required."],
            },
        ),
    ],
)
def test_extension_needs_positive_days_and_a_reason(
    enterprise: Enterprise, head: User, days: int, reason: str, fields: dict[str, list[str]]
) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        deadline_extend(deadline_id=deadline.pk, approver=head, days=days, reason=reason)
    assert info.value.code == "validation_failed"
    assert info.value.extra == {"fields": fields}
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 6, 1)
    assert deadline.extensions.count() == 0
    assert RecordEvent.objects.count() == 0


def test_overdue_is_computed_when_read(enterprise: Enterprise) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))
    assert is_overdue(deadline, now=D(2026, 6, 1)) is False  # the due day itself
    assert is_overdue(deadline, now=D(2026, 6, 2)) is True
    assert deadline_stop(subject=enterprise, kind="case_decision") == 1
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assert is_overdue(deadline, now=D(2026, 6, 2)) is False
    with pytest.raises(IllegalTransition):
        deadline_extend(deadline_id=deadline.pk, approver=UserFactory(), days=5, reason="x")


def test_a_paused_deadline_is_not_overdue_while_its_clock_is_stopped(
    enterprise: Enterprise, head: User
) -> None:
    deadline = _start(DECISION, enterprise, D(2026, 3, 2))  # due 06-01
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="鉴定", on=D(2026, 5, 20))
    deadline.refresh_from_db()
    # On 06-15 the clock has been stopped since 05-20 (26 days): due 06-26, not overdue.
    assert compute_due_date(deadline, today=D(2026, 6, 15)) == D(2026, 6, 26)
    assert is_overdue(deadline, now=D(2026, 6, 15)) is False
    # A deadline paused only after it had run out stays overdue.
    late = _start(DECISION, EnterpriseFactory(), D(2026, 3, 2))
    deadline_pause(deadline_id=late.pk, actor=head, reason="鉴定", on=D(2026, 6, 5))
    late.refresh_from_db()
    assert is_overdue(late, now=D(2026, 6, 10)) is True


def test_deadline_stop_only_stops_the_named_kind(enterprise: Enterprise) -> None:
    decision = _start(DECISION, enterprise, D(2026, 3, 2))
    review = _start(REVIEW, enterprise, D(2026, 3, 2))
    assert deadline_stop(subject=enterprise, kind="rectification_review") == 1
    decision.refresh_from_db()
    review.refresh_from_db()
    assert (decision.is_open, review.is_open) == (True, False)
    assert deadline_stop(subject=enterprise) == 1  # the remaining one
    assert deadline_stop(subject=enterprise) == 0


def test_working_day_deadline_counts_working_days(enterprise: Enterprise) -> None:
    deadline = _start(REVIEW, enterprise, D(2026, 2, 9))
    # 15 working days from Monday 02-09 over the Spring Festival (with both make-up
    # Saturdays 02-14 and 02-28 counted) end on Friday 03-06.
    assert deadline.due_date == D(2026, 3, 6)


def test_working_day_deadline_paused_over_the_holiday_gives_back_only_working_days(
    enterprise: Enterprise, head: User
) -> None:
    deadline = _start(REVIEW, enterprise, D(2026, 2, 9))
    deadline_pause(deadline_id=deadline.pk, actor=head, reason="鉴定", on=D(2026, 2, 13))
    deadline = deadline_resume(deadline_id=deadline.pk, actor=head, on=D(2026, 2, 25))
    # Paused 02-13 .. 02-24: 12 calendar days but only 3 working days (02-13, the make-up
    # Saturday 02-14 and 02-24). 15 + 3 = 18 working days from 02-09 → Wednesday 03-11.
    assert deadline.due_date == D(2026, 3, 11)
    calendar = _start(
        DeadlineRule("x", 15, DayCount.CALENDAR, "test"), EnterpriseFactory(), D(2026, 2, 9)
    )
    deadline_pause(deadline_id=calendar.pk, actor=head, reason="鉴定", on=D(2026, 2, 13))
    calendar = deadline_resume(deadline_id=calendar.pk, actor=head, on=D(2026, 2, 25))
    # a calendar-day deadline gets all 12 days back: 27 days from 02-09 = 03-08 (Sunday) → 03-09
    assert calendar.due_date == D(2026, 3, 9)
