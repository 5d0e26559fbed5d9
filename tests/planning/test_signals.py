"""Recording risk signals, and what they do to next year's plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.org.roles import Role
from inspectorate.planning.models import RiskSignal
from inspectorate.planning.rules import KeyRule, key_reasons, risk_score
from inspectorate.planning.services import unit_facts
from inspectorate.planning.signals import risk_signal_add
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 16)


def test_an_accident_recorded_last_year_makes_a_key_unit_with_its_reason(world: World) -> None:
    ent = world.ent_tianshan_2
    facts = unit_facts(Enterprise.objects.filter(pk=ent.pk), 2026)[0]
    before = risk_score(facts)
    events = RecordEvent.objects.count()
    signal = risk_signal_add(
        actor=world.tianshan_officer,
        enterprise_pk=ent.pk,
        kind="accident",
        occurred_on=dt.date(2025, 9, 3),
        note="一人轻伤",
        today=TODAY,
    )
    assert (signal.kind, signal.occurred_on, signal.note) == (
        "accident",
        dt.date(2025, 9, 3),
        "一人轻伤",
    )
    facts = unit_facts(Enterprise.objects.filter(pk=ent.pk), 2026)[0]
    assert facts.signals == {"accident": 1}
    assert risk_score(facts) == before + 10
    from inspectorate.planning.rules import UNCLASSIFIED

    assert {"code": KeyRule.ACCIDENT_LAST_YEAR, "detail": {"count": 1}} in key_reasons(
        facts, UNCLASSIFIED
    )
    # a signal of this year counts for next year's plan, not this one's
    assert unit_facts(Enterprise.objects.filter(pk=ent.pk), 2025)[0].signals == {}
    assert RecordEvent.objects.count() == events + 1
    event = RecordEvent.objects.latest("pk")
    assert (event.kind, event.jurisdiction_code) == ("planning.risk_signal_added", "650102")
    assert event.payload["occurred_on"] == "2025-09-03"


@pytest.mark.parametrize(
    ("kind", "occurred_on", "field"),
    [
        ("fire", dt.date(2025, 1, 1), "kind"),
        ("complaint", None, "occurred_on"),
        ("complaint", dt.date(2026, 3, 17), "occurred_on"),
    ],
)
def test_bad_signals_are_refused_at_the_field(
    world: World, kind: str, occurred_on: dt.date | None, field: str
) -> None:
    count, events = RiskSignal.objects.count(), RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        risk_signal_add(
            actor=world.tianshan_officer,
            enterprise_pk=world.ent_tianshan.pk,
            kind=kind,
            occurred_on=occurred_on,
            today=TODAY,
        )
    assert list(caught.value.extra["fields"]) == [field]
    assert (RiskSignal.objects.count(), RecordEvent.objects.count()) == (count, events)


def test_out_of_scope_is_not_found_and_a_reviewer_may_not_record(world: World) -> None:
    with pytest.raises(NotFound):
        risk_signal_add(
            actor=world.karamay_officer,
            enterprise_pk=world.ent_tianshan.pk,
            kind="complaint",
            occurred_on=dt.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        risk_signal_add(
            actor=world.tianshan_reviewer,
            enterprise_pk=world.ent_tianshan.pk,
            kind="complaint",
            occurred_on=dt.date(2025, 1, 1),
        )
    assert RiskSignal.objects.count() == 0


def test_the_api_records_and_lists_in_chinese_and_english(world: World) -> None:
    client = Client()
    client.force_login(UserFactory(agency=world.tianshan, roles=[Role.OFFICER]))
    url = f"/api/v1/enterprises/{world.ent_tianshan.pk}/risk-signals/"
    bad = client.post(url, {"kind": "complaint"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["extra"]["fields"] == {"occurred_on": ["请输入发生日期。"]}
    bad_en = client.post(
        url,
        {"kind": "x", "occurred_on": "2025-02-01"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert bad_en.json()["extra"]["fields"] == {"kind": ["Choose a kind from the list."]}
    made = client.post(
        url,
        {"kind": "open_major_hazard", "occurred_on": "2025-02-01", "note": "储罐区未整改"},
        content_type="application/json",
    )
    assert made.status_code == 201
    listed = client.get(url).json()
    assert [(s["kind"], s["kind_label"], s["occurred_on"], s["note"]) for s in listed] == [
        ("open_major_hazard", "重大事故隐患未整改", "2025-02-01", "储罐区未整改")
    ]
