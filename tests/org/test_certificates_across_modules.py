"""An officer whose certificate is suspended or expired takes part in no enforcement act.

Each enforcement act service is driven with an officer whose certificate was suspended
through ``certificate_suspend`` (or has run out): the act is refused and nothing is written.
The history counts: a suspension from tomorrow does not stop an act today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.cases import services as cases
from inspectorate.cases.models import Case, CaseEvidence, Interview
from inspectorate.core.errors import PermissionDenied, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.inspections.models import Inspection
from inspectorate.org.models import User
from inspectorate.org.services import certificate_suspend
from inspectorate.rectification import services as rectification
from inspectorate.rectification.models import RectificationOrder
from inspectorate.referrals import services as referrals
from inspectorate.referrals.models import Referral
from tests.cases.conftest import FILED, CaseWorld, _english, filed  # noqa: F401
from tests.cases.conftest import cw as cw  # noqa: F401  (the fixture)
from tests.inspections.conftest import DAY, InspectionWorld, at, start
from tests.inspections.conftest import iw as iw  # noqa: F401  (the fixture)
from tests.referrals.conftest import FLAG_DAY, flag

Refused = (PermissionDenied, ValidationFailed)


def suspend(admin: User, officer: User, on: dt.date) -> None:
    certificate = officer.certificates.get()
    certificate_suspend(
        actor=admin, certificate_id=certificate.pk, on=on, reason="涉嫌违纪，暂扣执法证"
    )


def counts(*models: Any) -> tuple[int, ...]:
    return (RecordEvent.objects.count(), *(m.objects.count() for m in models))


def _message(exc: Any) -> str:
    fields = (exc.extra or {}).get("fields", {})
    return " ".join([str(exc.message), *[m for ms in fields.values() for m in ms]])


# --- inspections: both officers ----------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "lead"])
def test_inspection_start_refuses_a_suspended_officer(iw: InspectionWorld, who: str) -> None:
    suspend(iw.w.tianshan_admin, getattr(iw, who), DAY)
    before = counts(Inspection)
    with pytest.raises(Refused) as exc:
        start(iw)
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Inspection) == before


def test_inspection_start_before_the_suspension_day(iw: InspectionWorld) -> None:
    suspend(iw.w.tianshan_admin, iw.lead, DAY + dt.timedelta(days=1))
    inspection = start(iw)
    assert inspection.second_certificate == iw.lead.certificates.get().number


def test_inspection_start_refuses_an_expired_certificate(iw: InspectionWorld) -> None:
    cert = iw.lead.certificates.get()
    cert.valid_until = DAY - dt.timedelta(days=1)
    cert.save(update_fields=["valid_until"])
    before = counts(Inspection)
    with pytest.raises(Refused) as exc:
        start(iw)
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Inspection) == before


# --- rectification: the re-inspection names two officers --------------------------------


def test_reinspection_refuses_a_suspended_officer(iw: InspectionWorld) -> None:
    from tests.rectification.test_services import _inspection_with_order

    _inspection, order, _found = _inspection_with_order(iw)
    suspend(iw.w.tianshan_admin, iw.officer, DAY)
    before = counts(Inspection, RectificationOrder)
    with pytest.raises(Refused) as exc:
        rectification.reinspection_start(
            actor=iw.lead, order_id=order.pk, second_officer_id=iw.officer.pk, now=at(DAY)
        )
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Inspection, RectificationOrder) == before
    order.refresh_from_db()
    assert order.state != "reinspecting"


# --- cases: both investigators, interview, evidence, the simple procedure ----------------


@pytest.mark.parametrize("who", ["officer", "lead"])
def test_case_open_refuses_a_suspended_investigator(cw: CaseWorld, who: str) -> None:
    from tests.cases.conftest import open_case

    suspend(cw.w.tianshan_admin, getattr(cw, who), FILED)
    before = counts(Case)
    with pytest.raises(Refused) as exc:
        open_case(cw)
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Case) == before


def test_evidence_and_interview_refuse_a_suspended_officer(cw: CaseWorld) -> None:
    case = filed(cw)
    suspend(cw.w.tianshan_admin, cw.lead, FILED)
    before = counts(CaseEvidence, Interview)
    with pytest.raises(Refused) as first:
        cases.evidence_add(
            actor=cw.officer,
            case_id=case.pk,
            second_officer_id=cw.lead.pk,
            kind="document",
            description="隐患排查台账复印件",
            collected_on=FILED,
            today=FILED,
        )
    assert "no valid enforcement certificate" in _message(first.value)
    with pytest.raises(Refused) as second:  # the suspended officer as the actor
        cases.evidence_add(
            actor=cw.lead,
            case_id=case.pk,
            second_officer_id=cw.officer.pk,
            kind="document",
            description="隐患排查台账复印件",
            collected_on=FILED,
            today=FILED,
        )
    assert "no valid enforcement certificate" in _message(second.value)
    started = dt.datetime(2026, 1, 20, 10, tzinfo=timezone.get_current_timezone())
    with pytest.raises(Refused) as exc:
        cases.interview_add(
            actor=cw.officer,
            case_id=case.pk,
            second_officer_id=cw.lead.pk,
            person="李明",
            position="安全员",
            place="企业会议室",
            started_at=started,
            ended_at=started + dt.timedelta(hours=1),
            record=[{"q": "台账在哪里？", "a": "没有建立。"}],
            today=FILED,
        )
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(CaseEvidence, Interview) == before
    # evidence collected the day before the suspension still counts
    evidence = cases.evidence_add(
        actor=cw.officer,
        case_id=case.pk,
        second_officer_id=cw.lead.pk,
        kind="document",
        description="隐患排查台账复印件",
        collected_on=FILED - dt.timedelta(days=1),
        today=FILED,
    )
    assert evidence.officer_2 == cw.lead


def test_simple_procedure_refuses_a_suspended_officer(cw: CaseWorld) -> None:
    suspend(cw.w.tianshan_admin, cw.lead, FILED)
    before = counts(Case)
    with pytest.raises(Refused) as exc:
        cases.simple_decide(
            actor=cw.officer,
            second_officer_id=cw.lead.pk,
            enterprise_id=cw.w.ent_tianshan.pk,
            provision_code="99-1-unit-base",
            description="未设置明显的安全警示标志",
            amount=1_000,
            act_date=FILED,
            place="厂区",
            today=FILED,
        )
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Case) == before


# --- referrals: the transfer's special team ---------------------------------------------


def test_referral_team_refuses_a_suspended_officer(cw: CaseWorld) -> None:
    the_flag = flag(cw)
    suspend(cw.w.tianshan_admin, cw.lead, FLAG_DAY)
    before = counts(Referral)
    with pytest.raises(Refused) as exc:
        referrals.referral_open(
            actor=cw.officer,
            flag_id=the_flag.pk,
            team_ids=[cw.officer.pk, cw.lead.pk],
            report="经核实，该单位违章作业致1人死亡，涉嫌重大责任事故罪。",
            police="乌鲁木齐市公安局天山区分局",
            items=[],
            today=FLAG_DAY,
        )
    assert "no valid enforcement certificate" in _message(exc.value)
    assert counts(Referral) == before
