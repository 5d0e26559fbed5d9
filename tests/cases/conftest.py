"""A penalty-case world on top of ``world``.

天山区 has two certified investigators (``officer``, ``lead``), a head who decides, and a
legal reviewer with the legal professional qualification. Dates are passed to the services
explicitly: filing on 2026-01-20 puts the notice periods across the Spring Festival
(2026-02-15 to 02-23 off; Saturdays 02-14 and 02-28 are make-up working days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from inspectorate.cases import services
from inspectorate.cases.models import Case, CaseSource
from inspectorate.org.models import User
from tests.conftest import World
from tests.factories import CertificateFactory

FILED = dt.date(2026, 1, 20)


@dataclass
class CaseWorld:
    w: World
    officer: User
    lead: User
    head: User
    reviewer: User


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def cw(world: World) -> CaseWorld:
    for user in (world.tianshan_officer, world.tianshan_lead, world.shayibake_officer):
        CertificateFactory(officer=user)
    CertificateFactory(officer=world.tianshan_reviewer, legal_qualification=True)
    return CaseWorld(
        w=world,
        officer=world.tianshan_officer,
        lead=world.tianshan_lead,
        head=world.tianshan_head,
        reviewer=world.tianshan_reviewer,
    )


def open_case(cw: CaseWorld, **kwargs: Any) -> Case:
    params: dict[str, Any] = {
        "actor": cw.officer,
        "enterprise_id": cw.w.ent_tianshan.pk,
        "source": CaseSource.COMPLAINT,
        "summary": "未如实记录事故隐患排查治理情况",
        "facts": "经查，该单位2025年未建立事故隐患排查治理台账。",
        "act_date": dt.date(2025, 12, 1),
        "discovered_on": dt.date(2026, 1, 15),
        "second_investigator_id": cw.lead.pk,
        "today": FILED,
    }
    params.update(kwargs)
    return services.case_open(**params)


def filed(cw: CaseWorld, **kwargs: Any) -> Case:
    case = open_case(cw, **kwargs)
    return services.filing_approve(actor=cw.head, case_id=case.pk, today=FILED)


def investigated(
    cw: CaseWorld, *, code: str = "97-5-unit-base", facts: dict[str, Any] | None = None, **kw: Any
) -> Case:
    """Filed, one violation recorded at the recommended amount, report submitted."""
    case = filed(cw, **kw)
    services.violation_add(
        actor=cw.officer,
        case_id=case.pk,
        provision_code=code,
        description="未如实记录事故隐患排查治理情况",
        facts=facts or {},
        today=FILED,
    )
    return services.report_submit(
        actor=cw.officer, case_id=case.pk, report="事实清楚，证据确凿。", today=FILED
    )


NOTICE_DAY = dt.date(2026, 2, 12)


def notified(cw: CaseWorld, **kw: Any) -> Case:
    """Investigated (Art. 97 (5), 50,000 yuan), reviewed, legally reviewed, discussed and
    notified on 2026-02-12: the statement and hearing-request periods run to 2026-02-26."""
    case = investigated(cw, **kw)
    services.review_conclude(
        actor=cw.head, case_id=case.pk, action="to_legal_review", opinion="同意", today=FILED
    )
    services.legal_review_conclude(
        actor=cw.reviewer,
        case_id=case.pk,
        action="legal_to_discussion",
        opinion="适用法律正确",
        today=NOTICE_DAY,
    )
    return services.discussion_conclude(
        actor=cw.head,
        case_id=case.pk,
        action="discussion_notify",
        participants="局长、副局长",
        record="同意",
        today=NOTICE_DAY,
    )
