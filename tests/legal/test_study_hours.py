"""``study_hours``: the interface the training hours read (helper A)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspectorate.legal import services
from inspectorate.legal.models import StudyItem
from inspectorate.legal.selectors import study_hours
from inspectorate.org.models import User
from tests.conftest import World
from tests.legal.conftest import add_v1, add_v2

pytestmark = pytest.mark.django_db

NOTE = "学习了新修订的执法规范，明确了持证上岗和执法记录的要求。"


def test_hours_of_items_completed_in_the_year(world: World, admin: User, policy: object) -> None:
    v1 = add_v1(admin, policy)  # type: ignore[arg-type]  # 2.0 hours, 2026-03-01
    v2 = add_v2(admin, policy)  # type: ignore[arg-type]  # 3.0 hours, 2026-10-01
    officer, lead = world.tianshan_officer, world.tianshan_lead
    for version, day in ((v1, dt.date(2026, 3, 10)), (v2, dt.date(2026, 12, 31))):
        item = StudyItem.objects.get(law_version=version, officer=officer)
        services.study_complete(actor=officer, item_id=item.pk, note=NOTE, today=day)
    item = StudyItem.objects.get(law_version=v2, officer=lead)
    services.study_complete(actor=lead, item_id=item.pk, note=NOTE, today=dt.date(2027, 1, 1))
    ids = [officer.pk, lead.pk, world.tianshan_head.pk]
    assert study_hours(year=2026, user_ids=ids) == {officer.pk: Decimal("5.0")}
    assert study_hours(year=2027, user_ids=ids) == {lead.pk: Decimal("3.0")}
    assert study_hours(year=2025, user_ids=ids) == {}
    assert study_hours(year=2026, user_ids=[]) == {}
