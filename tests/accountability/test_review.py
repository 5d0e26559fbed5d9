"""The review of an item: who may take it up and conclude it, and what a refusal leaves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from inspectorate.accountability import services
from inspectorate.accountability.models import AccountabilityItem, Duty, ItemState
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.roles import Role
from tests.accountability.conftest import make_item
from tests.conftest import World
from tests.factories import UserFactory

DAY = dt.date(2026, 4, 1)


def _state(item: Any) -> tuple[Any, ...]:
    row = AccountabilityItem.objects.get(pk=item.pk)
    return (row.state, row.version, row.reviewer_id, row.outcome_id, row.finding)


def test_the_head_reviews_and_concludes(world: World) -> None:
    item = make_item(world)
    head = world.tianshan_head
    reviewed = services.item_review_start(
        actor=head, item_id=item.pk, expected_version=1, today=DAY
    )
    assert (reviewed.state, reviewed.version, reviewed.reviewer, reviewed.review_started_on) == (
        ItemState.UNDER_REVIEW,
        2,
        head,
        DAY,
    )
    done = services.item_conclude(
        actor=head,
        item_id=item.pk,
        outcome="written_examination",
        finding="证件过期后仍参与检查，责令书面检查。",
        expected_version=2,
        today=dt.date(2026, 4, 3),
    )
    assert (done.state, done.version, done.outcome.code, done.concluded_on) == (
        ItemState.CONCLUDED,
        3,
        "written_examination",
        dt.date(2026, 4, 3),
    )
    events = list(
        RecordEvent.objects.filter(
            kind=RecordKind.ACCOUNTABILITY_STATE_CHANGED, subject_id=str(item.pk)
        ).order_by("seq")
    )
    assert [e.payload["action"] for e in events] == ["start_review", "conclude"]
    assert events[1].payload["params"]["outcome"] == "written_examination"
    assert events[1].jurisdiction_code == "650102"


def test_the_person_may_not_review_their_own_item(world: World) -> None:
    item = make_item(world, person=world.tianshan_head)
    events = RecordEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.item_review_start(actor=world.tianshan_head, item_id=item.pk, today=DAY)
    assert _state(item) == (ItemState.RAISED, 1, None, None, "")
    assert RecordEvent.objects.count() == events
    # the head of the office above reviews it
    prefecture_head = UserFactory(username="wlmq_head", agency=world.prefecture, roles=[Role.HEAD])
    services.item_review_start(actor=prefecture_head, item_id=item.pk, today=DAY)
    assert _state(item)[:3] == (ItemState.UNDER_REVIEW, 2, prefecture_head.pk)


def test_an_officer_may_not_review_and_another_jurisdiction_cannot_see(world: World) -> None:
    item = make_item(world)
    with pytest.raises(PermissionDenied):
        services.item_review_start(actor=world.tianshan_lead, item_id=item.pk, today=DAY)
    with pytest.raises(NotFound):
        services.item_review_start(actor=world.karamay_head, item_id=item.pk, today=DAY)
    sibling = UserFactory(username="syb_head", agency=world.shayibake, roles=[Role.HEAD])
    with pytest.raises(NotFound):
        services.item_review_start(actor=sibling, item_id=item.pk, today=DAY)
    assert _state(item) == (ItemState.RAISED, 1, None, None, "")


def test_a_stale_version_and_a_wrong_state_are_conflicts(world: World) -> None:
    item = make_item(world)
    with pytest.raises(ConcurrentModification):
        services.item_review_start(actor=world.tianshan_head, item_id=item.pk, expected_version=7)
    with pytest.raises(IllegalTransition):
        services.item_conclude(
            actor=world.tianshan_head, item_id=item.pk, outcome="no_fault", finding="理由"
        )
    assert _state(item) == (ItemState.RAISED, 1, None, None, "")


def test_concluding_needs_an_outcome_a_finding_and_the_reviewer(world: World) -> None:
    item = make_item(world)
    services.item_review_start(actor=world.tianshan_head, item_id=item.pk, today=DAY)
    before = _state(item)
    events = RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as bad:
        services.item_conclude(actor=world.tianshan_head, item_id=item.pk, outcome="x", finding=" ")
    assert set(bad.value.extra["fields"]) == {"outcome", "finding"}
    with pytest.raises(ValidationFailed) as no_reasons:
        services.item_conclude(
            actor=world.tianshan_head, item_id=item.pk, outcome="no_fault", finding=""
        )
    assert no_reasons.value.extra["fields"]["finding"] == [
        "Write the finding (for “no fault found”, the reasons)."
    ]
    other_head = UserFactory(username="ts_head_2", agency=world.tianshan, roles=[Role.HEAD])
    with pytest.raises(PermissionDenied):
        services.item_conclude(
            actor=other_head, item_id=item.pk, outcome="no_fault", finding="证件已续期"
        )
    assert _state(item) == before
    assert RecordEvent.objects.count() == events


def test_a_certificate_outcome_does_not_change_the_certificate(world: World) -> None:
    from tests.factories import CertificateFactory

    cert = CertificateFactory(officer=world.tianshan_officer)
    item = make_item(world)
    services.item_review_start(actor=world.tianshan_head, item_id=item.pk, today=DAY)
    services.item_conclude(
        actor=world.tianshan_head,
        item_id=item.pk,
        outcome="certificate_suspended",
        finding="多次无证执法，建议暂扣执法证件。",
    )
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_the_province_admin_defines_a_duty_for_the_province(world: World) -> None:
    admin = UserFactory(username="prov_admin", agency=world.province, roles=[Role.ADMIN])
    duty = services.duty_define(
        actor=admin,
        act="service",
        post_code="officer",
        responsibility="处罚决定书宣告后当场交付；不在场的，五个工作日内送达（本省规定）。",
        legal_basis="《行政处罚法》第六十一条；本省规定",
        deadline_kind="case_service",
    )
    assert (duty.jurisdiction_code, duty.act_name, duty.version) == ("650000", "送达", 1)
    event = RecordEvent.objects.get(kind=RecordKind.RESPONSIBILITY_DEFINED)
    assert event.payload["before"] is None
    assert event.payload["after"]["deadline_kind"] == "case_service"
    from inspectorate.accountability.selectors import duties_in_force

    in_xinjiang = {(d.act, d.post.code): d.jurisdiction_code for d in duties_in_force("650000")}
    elsewhere = {(d.act, d.post.code): d.jurisdiction_code for d in duties_in_force("110000")}
    assert (in_xinjiang[("service", "officer")], elsewhere[("service", "officer")]) == (
        "650000",
        "",
    )
    # taking a default duty away in the province
    services.duty_define(
        actor=admin,
        act="filing",
        post_code="officer",
        responsibility="",
        legal_basis="",
        active=False,
    )
    assert ("filing", "officer") not in {(d.act, d.post.code) for d in duties_in_force("650000")}
    assert Duty.objects.filter(jurisdiction_code="").count() == 13


@pytest.mark.parametrize("who", ["tianshan_admin", "tianshan_head"])
def test_only_a_province_admin_defines_duties(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.duty_define(
            actor=getattr(world, who),
            act="service",
            post_code="officer",
            responsibility="x",
            legal_basis="y",
        )
    assert Duty.objects.exclude(jurisdiction_code="").count() == 0
    assert not RecordEvent.objects.filter(kind=RecordKind.RESPONSIBILITY_DEFINED).exists()


def test_the_scan_button_is_a_heads(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.scan_for_user(actor=world.tianshan_officer)
    with pytest.raises(ValidationFailed):
        services.scan_for_user(actor=world.tianshan_head, on=dt.date(2099, 1, 1))
    result = services.scan_for_user(actor=world.tianshan_head, on=dt.date(2026, 3, 1))
    assert (result.jurisdiction_prefix, result.total_raised) == ("650102", 0)
