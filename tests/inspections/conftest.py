"""An inspection world on top of ``world``: certified officers and helpers that drive the services.

天山区 has two certified officers (``world.tianshan_officer``, ``world.tianshan_lead``);
沙依巴克区 one (``world.shayibake_officer``) plus a colleague. ``world.ent_tianshan`` is a
hazardous-chemicals producer, so an inspection there uses the general checklist (17 items)
and the 化工和危险化学品 major-hazard criteria (15 items): 32 lines.

Dates are given to the services explicitly (``now=``), on 2026-09-28, a Monday before the
National Day holiday (2026-10-01 to 10-07; Saturday 10-10 is a make-up working day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.inspections import services
from inspectorate.inspections.models import Answer, Inspection, Origin
from inspectorate.org.models import User
from tests.conftest import World
from tests.factories import CertificateFactory, UserFactory

DAY = dt.date(2026, 9, 28)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


NOW = at(DAY)


@dataclass
class InspectionWorld:
    w: World
    officer: User
    lead: User
    syb_colleague: User


@pytest.fixture
def iw(world: World) -> InspectionWorld:
    for user in (world.tianshan_officer, world.tianshan_lead, world.shayibake_officer):
        CertificateFactory(officer=user)
    colleague = UserFactory(username="syb_officer2", agency=world.shayibake)
    CertificateFactory(officer=colleague)
    return InspectionWorld(
        w=world, officer=world.tianshan_officer, lead=world.tianshan_lead, syb_colleague=colleague
    )


def start(iw: InspectionWorld, **kwargs: Any) -> Inspection:
    params: dict[str, Any] = {
        "actor": iw.officer,
        "enterprise_id": iw.w.ent_tianshan.pk,
        "second_officer_id": iw.lead.pk,
        "origin": Origin.COMPLAINT,
        "origin_note": "12350 举报：储罐区可燃气体报警器停用",
        "started_at": NOW,
    }
    params.update(kwargs)
    return services.inspection_start(**params)


def answer_all(
    iw: InspectionWorld, inspection: Inspection, result: str = "compliant", *, now: Any = NOW
) -> None:
    changes = [
        services.AnswerChange(answer_id=a.pk, result=result, note="", base_revision=a.revision)
        for a in inspection.answers.filter(result="")
    ]
    services.answers_save(actor=iw.officer, inspection_id=inspection.pk, changes=changes, now=now)


def line(inspection: Inspection, code: str) -> Answer:
    return inspection.answers.get(item__code=code)
