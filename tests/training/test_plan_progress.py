"""The yearly plan (inheritance, the requirement per post) and each officer's progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspectorate.core.errors import ConcurrentModification, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.org.roles import Role
from inspectorate.training.models import CourseCategory, TrainingPlan
from inspectorate.training.selectors import TrainingProgress, training_progress
from tests.factories import UserFactory
from tests.training.courses_world import D, course, held_session, plan

LAW, POLITICAL, SKILLS = CourseCategory.LAW, CourseCategory.POLITICAL, CourseCategory.SKILLS


@pytest.fixture
def prov_head(world):  # type: ignore[no-untyped-def]
    return UserFactory(agency=world.province, roles=[Role.HEAD])


@pytest.fixture
def prov_plan(world, prov_head):  # type: ignore[no-untyped-def]
    return plan(
        prov_head,
        world.province,
        2026,
        [
            ("officer", "60", {LAW: "20", POLITICAL: "8"}),
            ("team_lead", "72", {LAW: "24"}),
            ("head", "40", {}),
        ],
    )


def test_exact_hours_by_category_and_shortfall(world, prov_plan) -> None:  # type: ignore[no-untyped-def]
    w = world
    law = course(w.tianshan_lead, LAW, "6")
    skills = course(w.tianshan_lead, SKILLS, "3.5")
    held_session(
        w.tianshan_lead, law, dt.date(2026, 3, 10), [(w.tianshan_officer, "present", None)]
    )
    held_session(
        w.tianshan_lead, law, dt.date(2026, 4, 10), [(w.tianshan_officer, "partial", "2.5")]
    )
    held_session(
        w.tianshan_lead, skills, dt.date(2026, 5, 10), [(w.tianshan_officer, "present", None)]
    )
    p = training_progress(year=2026, user_ids=[w.tianshan_officer.pk])[w.tianshan_officer.pk]
    assert p == TrainingProgress(
        required_hours=D("60.0"),
        session_hours=D("12.0"),
        study_hours=p.study_hours,
        total_hours=D("12.0") + p.study_hours,
        by_category={LAW: D("8.5"), SKILLS: D("3.5")},
        plan_id=prov_plan.pk,
        minimums={LAW: D("20"), POLITICAL: D("8")},
    )
    assert p.study_hours == D("0")
    assert p.shortfalls == {LAW: D("11.5"), POLITICAL: D("8")}
    assert p.remaining_hours == D("48.0")
    assert not p.on_track


def test_largest_requirement_over_the_posts_held(world, prov_plan) -> None:  # type: ignore[no-untyped-def]
    w = world
    result = training_progress(
        year=2026, user_ids=[w.tianshan_lead.pk, w.tianshan_head.pk, w.tianshan_reviewer.pk]
    )
    # team lead + officer: 72 h total, 法律法规 max(20, 24) = 24, 政治理论 8
    assert result[w.tianshan_lead.pk].required_hours == D("72")
    assert result[w.tianshan_lead.pk].minimums == {LAW: D("24"), POLITICAL: D("8")}
    assert result[w.tianshan_head.pk].required_hours == D("40")
    assert result[w.tianshan_head.pk].minimums == {}
    # a legal reviewer holds no post of the plan: nothing required
    assert result[w.tianshan_reviewer.pk].required_hours == D("0")
    assert result[w.tianshan_reviewer.pk].plan_id == prov_plan.pk


def test_an_office_plan_overrides_the_province_plan(world, prov_plan) -> None:  # type: ignore[no-untyped-def]
    w = world
    pref_head = UserFactory(agency=w.prefecture, roles=[Role.HEAD])
    pref_plan = plan(pref_head, w.prefecture, 2026, [("officer", "80", {SKILLS: "10"})])
    result = training_progress(
        year=2026,
        user_ids=[w.tianshan_officer.pk, w.karamay_officer.pk, w.prefecture_officer.pk],
    )
    # 天山区 falls under 乌鲁木齐's own plan; 克拉玛依 has none: the province's applies
    assert result[w.tianshan_officer.pk].plan_id == pref_plan.pk
    assert result[w.tianshan_officer.pk].required_hours == D("80")
    assert result[w.tianshan_officer.pk].minimums == {SKILLS: D("10")}
    assert result[w.prefecture_officer.pk].plan_id == pref_plan.pk
    assert result[w.karamay_officer.pk].plan_id == prov_plan.pk
    assert result[w.karamay_officer.pk].required_hours == D("60")
    # another year has no plan at all
    other = training_progress(year=2027, user_ids=[w.tianshan_officer.pk])
    assert other[w.tianshan_officer.pk].plan_id is None
    assert other[w.tianshan_officer.pk].required_hours == D("0")


def test_sessions_of_another_year_and_absences_do_not_count(world, prov_plan) -> None:  # type: ignore[no-untyped-def]
    w = world
    law = course(w.tianshan_lead, LAW, "4")
    held_session(
        w.tianshan_lead, law, dt.date(2025, 12, 31), [(w.tianshan_officer, "present", None)]
    )
    held_session(w.tianshan_lead, law, dt.date(2026, 1, 1), [(w.tianshan_officer, "present", None)])
    held_session(
        w.tianshan_lead, law, dt.date(2026, 12, 31), [(w.tianshan_officer, "absent", None)]
    )
    held_session(w.tianshan_lead, law, dt.date(2027, 1, 1), [(w.tianshan_officer, "excused", None)])
    r26 = training_progress(year=2026, user_ids=[w.tianshan_officer.pk])[w.tianshan_officer.pk]
    r25 = training_progress(year=2025, user_ids=[w.tianshan_officer.pk])[w.tianshan_officer.pk]
    assert r26.session_hours == D("4.0")
    assert r25.session_hours == D("4.0")
    assert r25.plan_id is None


def test_every_id_is_in_the_result(world) -> None:  # type: ignore[no-untyped-def]
    result = training_progress(year=2026, user_ids=[world.tianshan_officer.pk, 999999])
    assert set(result) == {world.tianshan_officer.pk, 999999}
    assert result[999999].total_hours == D("0")
    assert result[999999].by_category == {}


def test_plan_save_version_and_field_errors(world, prov_head, prov_plan) -> None:  # type: ignore[no-untyped-def]
    w = world
    events = RecordEvent.objects.count()
    with pytest.raises(ConcurrentModification):
        plan(prov_head, w.province, 2026, [("officer", "50", {})], version=prov_plan.version + 1)
    with pytest.raises(ConcurrentModification):  # an existing plan needs its version
        plan(prov_head, w.province, 2026, [("officer", "50", {})])
    with pytest.raises(ValidationFailed) as exc:
        plan(
            prov_head,
            w.province,
            2026,
            [("officer", "10", {LAW: "8", POLITICAL: "4"}), ("nope", "1", {})],
            version=prov_plan.version,
        )
    assert set(exc.value.extra["fields"]) == {"officer.required_hours", "nope.post"}
    with pytest.raises(ValidationFailed) as exc:
        plan(prov_head, w.province, 2026, [("officer", "-1", {})], version=prov_plan.version)
    assert set(exc.value.extra["fields"]) == {"officer.required_hours"}
    assert RecordEvent.objects.count() == events
    prov_plan.refresh_from_db()
    assert prov_plan.version == 1
    assert [(line.post.code, line.required_hours) for line in prov_plan.lines.all()] == [
        ("officer", Decimal("60.0")),
        ("team_lead", Decimal("72.0")),
        ("head", Decimal("40.0")),
    ]
    saved = plan(prov_head, w.province, 2026, [("officer", "64", {LAW: "20"})], version=1)
    assert saved.version == 2
    assert TrainingPlan.objects.count() == 1
    assert [(line.post.code, line.required_hours) for line in saved.lines.all()] == [
        ("officer", Decimal("64.0"))
    ]


def test_law_update_study_hours_count_towards_the_total_only(
    world, prov_plan, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The legal app's completed study (its own tests check which items count) is added to
    the total, not to the 法律法规 minimum."""
    from inspectorate.legal import selectors as legal_selectors

    w = world
    seen: list[tuple[int, list[int]]] = []

    def study_hours(*, year: int, user_ids: list[int]) -> dict[int, Decimal]:
        seen.append((year, list(user_ids)))
        return {w.tianshan_officer.pk: Decimal("5.5")}

    monkeypatch.setattr(legal_selectors, "study_hours", study_hours)
    law = course(w.tianshan_lead, LAW, "6")
    held_session(
        w.tianshan_lead, law, dt.date(2026, 3, 10), [(w.tianshan_officer, "present", None)]
    )
    result = training_progress(year=2026, user_ids=[w.tianshan_officer.pk, w.tianshan_lead.pk])
    p = result[w.tianshan_officer.pk]
    assert (p.session_hours, p.study_hours, p.total_hours, p.remaining_hours) == (
        D("6.0"),
        D("5.5"),
        D("11.5"),
        D("48.5"),
    )
    assert p.shortfalls == {LAW: D("14.0"), POLITICAL: D("8.0")}
    assert result[w.tianshan_lead.pk].study_hours == D("0")
    assert seen == [(2026, sorted([w.tianshan_officer.pk, w.tianshan_lead.pk]))]
