"""An accident world on top of ``world``.

天山区 (650102) records reports and investigates 一般 accidents; 乌鲁木齐市 (650100)
investigates 较大 ones and runs their penalty cases, so it gets a second certified officer
(a team lead) and a head here. Times are passed to the services explicitly.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone, translation

from inspectorate.accidents import services
from inspectorate.accidents.models import Accident, AccidentGradeRule
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import CertificateFactory, UserFactory


def at(*args: int) -> dt.datetime:
    """A moment in Beijing time."""
    year, month, day, *rest = args
    return dt.datetime(year, month, day, *rest, tzinfo=timezone.get_current_timezone())


OCCURRED = at(2026, 6, 1, 9, 30)
NOW = at(2026, 11, 30, 12, 0)


@dataclass
class AccidentWorld:
    w: World
    officer: User  # 天山区
    lead: User  # 天山区
    head: User  # 天山区
    pref_officer: User  # 乌鲁木齐市
    pref_lead: User
    pref_head: User
    prov_officer: User
    prov_head: User


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _grade_rules(db: None) -> None:
    """A browser test's live server flushes every table; the seeded rules come back here."""
    if AccidentGradeRule.objects.count() != 4:
        importlib.import_module("inspectorate.accidents.migrations.0002_seed_grade_rules").load(
            apps, None
        )


@pytest.fixture
def aw(world: World) -> AccidentWorld:
    pref_lead = UserFactory(
        username="pref_lead", agency=world.prefecture, roles=[Role.TEAM_LEAD, Role.OFFICER]
    )
    pref_head = UserFactory(username="pref_head", agency=world.prefecture, roles=[Role.HEAD])
    prov_head = UserFactory(username="prov_head", agency=world.province, roles=[Role.HEAD])
    for user in (
        world.tianshan_officer,
        world.tianshan_lead,
        world.prefecture_officer,
        pref_lead,
        world.province_officer,
    ):
        CertificateFactory(officer=user)
    return AccidentWorld(
        w=world,
        officer=world.tianshan_officer,
        lead=world.tianshan_lead,
        head=world.tianshan_head,
        pref_officer=world.prefecture_officer,
        pref_lead=pref_lead,
        pref_head=pref_head,
        prov_officer=world.province_officer,
        prov_head=prov_head,
    )


def report(aw: AccidentWorld, **kwargs: Any) -> Accident:
    params: dict[str, Any] = {
        "actor": aw.officer,
        "jurisdiction_code": "650102",
        "enterprise_id": aw.w.ent_tianshan.pk,
        "occurred_at": OCCURRED,
        "place": "天山区化工园区2号车间",
        "kind": "hazchem",
        "brief": "反应釜泄漏引发中毒",
        "deaths": 0,
        "serious_injuries": 0,
        "missing": 0,
        "direct_loss": 0,
        "unit_reported_at": at(2026, 6, 1, 10, 10),
        "now": at(2026, 6, 1, 11, 0),
    }
    params.update(kwargs)
    return services.accident_report(**params)
