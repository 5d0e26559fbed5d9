"""An oversight world on top of ``world``: heads at the prefecture and the province, and
helpers that put inspections, findings, cases and deadlines straight into the tables (the
oversight app only reads them; the other apps' tests cover how they are made)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from inspectorate.cases import rules as case_rules
from inspectorate.cases.models import Case, CaseSource, CaseState, PartyKind
from inspectorate.core.deadlines import deadline_fixed
from inspectorate.core.models import Deadline
from inspectorate.inspections.models import (
    Answer,
    ChecklistItem,
    Finding,
    FindingStatus,
    HazardGrade,
    Inspection,
    InspectionState,
    Origin,
)
from inspectorate.org.models import Agency, User
from inspectorate.org.roles import Role
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.factories import CertificateFactory, UserFactory

TODAY = dt.date(2026, 11, 30)
_n = itertools.count(1)


@dataclass
class OversightWorld:
    w: World
    pref_head: User  # 乌鲁木齐市: head and supervisor
    prov_head: User  # 自治区: head and supervisor
    prov_admin: User  # 自治区: administrator
    ts_head: User  # 天山区: head
    ts_officer: User
    ts_lead: User


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def ow(world: World) -> OversightWorld:
    for user in (world.tianshan_officer, world.tianshan_lead, world.shayibake_officer):
        CertificateFactory(officer=user)
    return OversightWorld(
        w=world,
        pref_head=UserFactory(
            username="pref_head", agency=world.prefecture, roles=[Role.HEAD, Role.SUPERVISOR]
        ),
        prov_head=UserFactory(
            username="prov_head", agency=world.province, roles=[Role.HEAD, Role.SUPERVISOR]
        ),
        prov_admin=UserFactory(username="prov_admin", agency=world.province, roles=[Role.ADMIN]),
        ts_head=world.tianshan_head,
        ts_officer=world.tianshan_officer,
        ts_lead=world.tianshan_lead,
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def officers_of(agency: Agency) -> tuple[User, User]:
    users = list(User.objects.filter(agency=agency).order_by("id")[:2])
    while len(users) < 2:
        users.append(UserFactory(agency=agency))
    return users[0], users[1]


def inspection(
    agency: Agency,
    enterprise: Enterprise,
    day: dt.date,
    *,
    state: str = InspectionState.CLOSED,
    origin: str = Origin.OTHER,
    planned_visit: Any = None,
    officers: tuple[User, User] | None = None,
) -> Inspection:
    lead, second = officers or officers_of(agency)
    return Inspection.objects.create(
        agency=agency,
        jurisdiction_code=agency.jurisdiction_id,
        enterprise=enterprise,
        origin=origin,
        planned_visit=planned_visit,
        lead_officer=lead,
        lead_certificate="C1",
        second_officer=second,
        second_certificate="C2",
        place="现场",
        started_at=at(day),
        ended_at=at(day, 12) if state == InspectionState.CLOSED else None,
        state=state,
    )


def finding(
    insp: Inspection,
    *,
    article: str = "《安全生产法》第四十一条",
    item: ChecklistItem | None = None,
    status: str = FindingStatus.OPEN,
    due: dt.date | None = None,
    found_on: dt.date | None = None,
) -> Finding:
    answer = None
    if item is not None:
        answer = Answer.objects.create(inspection=insp, sort=next(_n), item=item, result="finding")
    return Finding.objects.create(
        inspection=insp,
        answer=answer,
        enterprise=insp.enterprise,
        jurisdiction_code=insp.jurisdiction_code,
        description="未建立隐患排查治理台账",
        grade=HazardGrade.GENERAL,
        violated_article=article,
        status=status,
        found_on=found_on or timezone.localtime(insp.started_at).date(),
        due_date=due,
        created_by=insp.lead_officer,
    )


def case(
    agency: Agency,
    enterprise: Enterprise,
    *,
    state: str = CaseState.INVESTIGATING,
    decision_due: dt.date | None = None,
    decided_by: User | None = None,
) -> Case:
    first, second = officers_of(agency)
    c = Case.objects.create(
        agency=agency,
        jurisdiction_code=agency.jurisdiction_id,
        source=CaseSource.COMPLAINT,
        enterprise=enterprise,
        party_kind=PartyKind.UNIT,
        party_name=enterprise.name,
        summary="未如实记录事故隐患排查治理情况",
        facts="经查属实。",
        act_date=dt.date(2026, 1, 5),
        discovered_on=dt.date(2026, 1, 10),
        state=state,
        filed_by=first,
        applied_on=dt.date(2026, 1, 10),
        filed_on=dt.date(2026, 1, 12),
        investigator_1=first,
        investigator_2=second,
        certificate_1="C1",
        certificate_2="C2",
        decided_by=decided_by,
    )
    if decision_due is not None:
        deadline_fixed(
            kind=case_rules.DECISION,
            legal_basis=case_rules.LEGAL_BASIS[case_rules.DECISION],
            subject=c,
            jurisdiction_code=c.jurisdiction_code,
            start_date=decision_due - dt.timedelta(days=90),
            due_date=decision_due,
        )
    return c


def decision_deadline(c: Case) -> Deadline:
    return Deadline.objects.get(subject_type="cases.case", subject_id=str(c.pk))
