"""Adding laws and versions, the study items a version assigns, and completing them."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.legal import selectors, services
from inspectorate.legal.models import Article, Law, LawVersion, StudyItem, StudyState
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import AgencyFactory, CertificateFactory, UserFactory
from tests.legal.conftest import DAY, V1, V2, add_v1, add_v2

pytestmark = pytest.mark.django_db

NOTE = "认真学习了修订后的规范，第二条要求持有效证件并不得转借，第六条明确了执法记录保存期限。"

XINJIANG_ENFORCEMENT = {
    "prov_officer",
    "pref_officer",
    "ts_officer",
    "ts_lead",
    "ts_head",
    "ts_reviewer",
    "syb_officer",
    "klmy_officer",
    "klmy_lead",
    "klmy_head",
}


def assigned(version: LawVersion) -> set[str]:
    return set(version.study_items.values_list("officer__username", flat=True))


def state() -> tuple[int, int, int, int]:
    return (
        LawVersion.objects.count(),
        Article.objects.count(),
        StudyItem.objects.count(),
        RecordEvent.objects.count(),
    )


# --- assignment ------------------------------------------------------------------------------


def test_province_policy_reaches_the_province_enforcement_roles_only(
    world: World, admin: User, policy: Law, gansu_officer: User
) -> None:
    """No certificate needed (the law concerns every sector); not the admins, not the
    inactive account, not the enterprise user, not another province's officer."""
    version = add_v1(admin, policy)
    assert assigned(version) == XINJIANG_ENFORCEMENT
    assert "gs_officer" not in assigned(version)
    assert version.articles.count() == 6
    item = version.study_items.get(officer=world.karamay_officer)
    assert (item.agency, item.jurisdiction_code) == (world.karamay, "650200")
    records = RecordEvent.objects.filter(kind="legal.study_assigned")
    assert records.count() == 1  # one per version, not one per officer
    assert records.get().payload["count"] == 10


def test_national_law_with_sectors_reaches_certified_officers_anywhere(
    certified: World, admin: User, gansu_officer: User
) -> None:
    """危险化学品安全管理条例 concerns the hazchem sectors: an officer whose certificate
    valid on the day covers one of them (in any province); not one whose certificate lacks
    them (天山区's lead: fireworks; 克拉玛依's officer: non-coal mines), not one without a
    certificate."""
    w = certified
    CertificateFactory(officer=gansu_officer, sectors=["hazchem_use"])
    expired = UserFactory(username="ts_expired", agency=w.tianshan)
    CertificateFactory(
        officer=expired,
        sectors=["hazchem_production"],
        valid_from=dt.date(2023, 1, 1),
        valid_until=DAY - dt.timedelta(days=1),
    )
    law = Law.objects.get(code="hazchem-regulation")
    version = services.version_add(
        actor=admin,
        law_code=law.code,
        label="演示修订",
        promulgated_on=dt.date(2026, 9, 1),
        effective_on=dt.date(2026, 12, 1),
        changes="演示",
        text=V2,
        today=DAY,
    )
    assert assigned(version) == {"ts_officer", "ts_head", "ts_reviewer", "gs_officer"}


def test_roles_concerned_narrow_the_assignment(world: World, admin: User, policy: Law) -> None:
    services.law_save(
        actor=admin,
        code=policy.code,
        title=policy.title,
        short_title=policy.short_title,
        kind=policy.kind,
        issuer=policy.issuer,
        concerns_roles=[Role.LEGAL_REVIEWER],
        expected_version=1,
    )
    assert assigned(add_v1(admin, policy)) == {"ts_reviewer"}


def test_due_date_and_overdue_the_day_after(world: World, admin: User, policy: Law) -> None:
    add_v1(admin, policy)
    version = add_v2(admin, policy)  # added on 2026-10-01, 30 days
    item = version.study_items.get(officer=world.tianshan_officer)
    assert (item.assigned_on, item.due_on, item.hours) == (DAY, dt.date(2026, 10, 31), 3)
    assert item.is_overdue(dt.date(2026, 10, 31)) is False
    assert item.is_overdue(dt.date(2026, 11, 1)) is True
    head = world.tianshan_head
    on_due = selectors.completion_for_user(user=head, version=version, day=dt.date(2026, 10, 31))
    after = selectors.completion_for_user(user=head, version=version, day=dt.date(2026, 11, 1))
    assert (on_due.total.assigned, on_due.total.overdue) == (4, 0)
    assert (after.total.assigned, after.total.overdue) == (4, 4)
    services.study_complete(
        actor=world.tianshan_officer, item_id=item.pk, note=NOTE, today=dt.date(2026, 11, 2)
    )
    after = selectors.completion_for_user(user=head, version=version, day=dt.date(2026, 11, 2))
    assert (after.total.completed, after.total.overdue, str(after.total.rate)) == (1, 3, "25.0")
    assert [(o.agency_name, o.assigned) for o in after.offices] == [("天山区应急管理局", 4)]


def test_completion_per_office_for_the_region(world: World, admin: User, policy: Law) -> None:
    version = add_v1(admin, policy)
    lead = world.tianshan_lead
    item = version.study_items.get(officer=lead)
    services.study_complete(actor=lead, item_id=item.pk, note=NOTE, today=dt.date(2026, 3, 5))
    supervisor = UserFactory(agency=world.province, roles=[Role.SUPERVISOR])
    summary = selectors.completion_for_user(
        user=supervisor, version=version, day=dt.date(2026, 3, 5)
    )
    rows = [(o.jurisdiction_code, o.assigned, o.completed, str(o.rate)) for o in summary.offices]
    assert rows == [
        ("650000", 1, 0, "0.0"),
        ("650100", 1, 0, "0.0"),
        ("650102", 4, 1, "25.0"),
        ("650103", 1, 0, "0.0"),
        ("650200", 3, 0, "0.0"),
    ]
    karamay = selectors.completion_for_user(
        user=world.karamay_head, version=version, day=dt.date(2026, 3, 5)
    )
    assert [o.jurisdiction_code for o in karamay.offices] == ["650200"]
    with pytest.raises(PermissionDenied):
        selectors.completion_for_user(
            user=world.tianshan_officer, version=version, day=dt.date(2026, 3, 5)
        )


# --- comparison ------------------------------------------------------------------------------


def test_comparison_lists(world: World, admin: User, policy: Law) -> None:
    v1 = add_v1(admin, policy)
    v2 = add_v2(admin, policy)
    c = selectors.compare(v1, v2)
    assert [a.label for a in c.added] == ["第六条"]
    assert [a.label for a in c.removed] == ["第四条之一"]
    assert [(ch.old.label, ch.new.label) for ch in c.changed] == [
        ("第二条", "第二条"),
        ("第五条", "第五条"),
    ]
    assert c.changed[0].old.text == "执法人员应当持证上岗。"
    assert c.changed[0].new.text == "执法人员应当持有效执法证件上岗。\n不得转借执法证件。"
    assert c.unchanged == 3
    back = selectors.compare(v2, v1)
    assert ([a.label for a in back.added], [a.label for a in back.removed]) == (
        ["第四条之一"],
        ["第六条"],
    )
    assert selectors.previous_version(v2) == v1
    assert selectors.previous_version(v1) is None


# --- completing ------------------------------------------------------------------------------


def test_officer_completes_own_item(world: World, admin: User, policy: Law) -> None:
    version = add_v1(admin, policy)
    officer = world.tianshan_officer
    item = version.study_items.get(officer=officer)
    before = RecordEvent.objects.count()
    done = services.study_complete(
        actor=officer,
        item_id=item.pk,
        note=f"  {NOTE}  ",
        expected_version=1,
        today=dt.date(2026, 3, 20),
    )
    assert (done.state, done.completed_on, done.note, done.version) == (
        StudyState.COMPLETED,
        dt.date(2026, 3, 20),
        NOTE,
        2,
    )
    event = RecordEvent.objects.get(kind="legal.study_completed")
    assert RecordEvent.objects.count() == before + 1
    assert (event.jurisdiction_code, event.payload["late"]) == ("650102", False)
    with pytest.raises(IllegalTransition):
        services.study_complete(actor=officer, item_id=item.pk, note=NOTE)


def test_nobody_else_completes_an_item(world: World, admin: User, policy: Law) -> None:
    version = add_v1(admin, policy)
    item = version.study_items.get(officer=world.tianshan_officer)
    before = state()
    for other in (world.tianshan_head, world.tianshan_lead):  # in scope: 403
        with pytest.raises(PermissionDenied):
            services.study_complete(actor=other, item_id=item.pk, note=NOTE)
    with pytest.raises(NotFound):  # 克拉玛依 does not see it
        services.study_complete(actor=world.karamay_head, item_id=item.pk, note=NOTE)
    with pytest.raises(PermissionDenied):
        services.study_complete(actor=world.enterprise_user, item_id=item.pk, note=NOTE)
    item.refresh_from_db()
    assert (item.state, item.completed_on, item.note, item.version) == ("assigned", None, "", 1)
    assert state() == before


def test_completion_bad_note_and_stale_version(world: World, admin: User, policy: Law) -> None:
    version = add_v1(admin, policy)
    officer = world.tianshan_officer
    item = version.study_items.get(officer=officer)
    before = state()
    with pytest.raises(ValidationFailed) as short:
        services.study_complete(actor=officer, item_id=item.pk, note="学习了。" * 4)  # 16
    assert list(short.value.extra["fields"]) == ["note"]
    with pytest.raises(ConcurrentModification):
        services.study_complete(actor=officer, item_id=item.pk, note=NOTE, expected_version=2)
    with pytest.raises(ValidationFailed) as early:
        services.study_complete(
            actor=officer, item_id=item.pk, note=NOTE, today=dt.date(2026, 2, 28)
        )
    assert list(early.value.extra["fields"]) == ["__all__"]
    item.refresh_from_db()
    assert (item.state, item.version) == ("assigned", 1)
    assert state() == before
    services.study_complete(actor=officer, item_id=item.pk, note="学" * 20, today=DAY)


# --- adding versions and laws: input and permissions ----------------------------------------


def test_bad_version_input_is_a_field_error_and_writes_nothing(
    world: World, admin: User, policy: Law
) -> None:
    add_v1(admin, policy)
    before = state()
    with pytest.raises(ValidationFailed) as no_article:
        add_v2(admin, policy, text="# 标题\n\n这段文字没有条文。\n")
    assert list(no_article.value.extra["fields"]) == ["text"]
    with pytest.raises(ValidationFailed) as same_day:
        add_v2(admin, policy, effective_on=dt.date(2026, 3, 1))
    assert list(same_day.value.extra["fields"]) == ["effective_on"]
    with pytest.raises(ValidationFailed) as many:
        add_v2(
            admin,
            policy,
            label="",
            promulgated_on="2026-13-01",
            changes="",
            study_hours="0",
            study_days=0,
            text="第一条 甲。\n\n第一条 乙。",
        )
    assert sorted(many.value.extra["fields"]) == [
        "changes",
        "label",
        "promulgated_on",
        "study_days",
        "study_hours",
        "text",
    ]
    with pytest.raises(ValidationFailed) as backwards:
        add_v2(admin, policy, promulgated_on=dt.date(2026, 10, 2))
    assert list(backwards.value.extra["fields"]) == ["effective_on"]
    assert state() == before


def test_stale_law_version_is_409(world: World, admin: User, policy: Law) -> None:
    add_v1(admin, policy)  # the law's version 1 -> 2
    before = state()
    with pytest.raises(ConcurrentModification):
        add_v2(admin, policy, expected_version=1)
    assert state() == before
    add_v2(admin, policy, expected_version=2)


def test_who_keeps_the_library(world: World, admin: User, policy: Law) -> None:
    before = state()
    county_admin = world.tianshan_admin  # an administrator, but of a county office
    head = UserFactory(agency=world.province, roles=[Role.HEAD])  # province, not admin
    for actor in (county_admin, head, world.tianshan_officer):
        with pytest.raises(PermissionDenied):
            add_v1(actor, policy)
    gansu_admin = UserFactory(
        agency=AgencyFactory(jurisdiction_code="620000", name="甘肃省应急管理厅"),
        roles=[Role.ADMIN],
    )
    with pytest.raises(NotFound):  # another province's own law: not even seen
        add_v1(gansu_admin, policy)
    assert state() == before
    # a national law: any province's administrator may add its new text
    version = services.version_add(
        actor=gansu_admin,
        law_code="open-government-regulation",
        label="演示修订",
        promulgated_on=dt.date(2026, 9, 1),
        effective_on=dt.date(2026, 12, 1),
        changes="演示",
        text=V2,
        today=DAY,
    )
    assert "ts_officer" in assigned(version)


def test_law_save(world: World, admin: User) -> None:
    before = Law.objects.count()
    with pytest.raises(PermissionDenied):
        services.law_save(
            actor=world.tianshan_admin,
            code="x",
            title="x",
            short_title="x",
            kind="policy",
            issuer="x",
        )
    with pytest.raises(ValidationFailed) as bad:
        services.law_save(
            actor=admin,
            code="bad code",
            title="",
            short_title="x",
            kind="law",
            issuer="x",
            concerns_sectors=["nonexistent"],
        )
    assert sorted(bad.value.extra["fields"]) == ["code", "concerns_sectors", "kind", "title"]
    assert Law.objects.count() == before
    law = services.law_save(
        actor=admin,
        code="xj-rules",
        title="某规范",
        short_title="某规范",
        kind="policy",
        issuer="新疆维吾尔自治区应急管理厅",
        jurisdiction_code="",  # ignored: a province's law is the province's
        concerns_sectors=["fireworks"],
    )
    assert (law.jurisdiction_code, law.version) == ("650000", 1)
    assert [s.code for s in law.concerns_sectors.all()] == ["fireworks"]
    assert RecordEvent.objects.filter(kind="legal.law_saved").count() == 1
    with pytest.raises(ConcurrentModification):
        services.law_save(
            actor=admin,
            code="xj-rules",
            title="改",
            short_title="改",
            kind="policy",
            issuer="x",
            expected_version=7,
        )
    with pytest.raises(PermissionDenied):  # a national law's description
        services.law_save(
            actor=admin,
            code="work-safety-law",
            title="改",
            short_title="改",
            kind="law",
            issuer="x",
        )
    assert Law.objects.get(code="work-safety-law").title == "中华人民共和国安全生产法"


def test_an_older_text_added_for_reference_assigns_nothing(
    world: World, admin: User, policy: Law
) -> None:
    add_v2(admin, policy, changes="")  # the first version the library holds: 2026-10-01
    events = RecordEvent.objects.filter(kind="legal.study_assigned").count()
    older = services.version_add(
        actor=admin,
        law_code=policy.code,
        label="2026年3月版",
        promulgated_on=dt.date(2026, 3, 1),
        effective_on=dt.date(2026, 3, 1),
        changes="补录原版本",
        text=V1,
        today=dt.date(2026, 11, 1),
    )
    assert older.study_items.count() == 0
    assert RecordEvent.objects.filter(kind="legal.study_assigned").count() == events
    assert RecordEvent.objects.filter(kind="legal.version_added").count() == 2
