"""The assessment world: 天山区's two enforcement officers (``officer``, ``lead``) with
constructed inputs. Training hours and exam results are the training and exams apps'
reads (``training_progress``, ``exam_results``), replaced here by fixed values so that each
component's score is exact; case-file reviews, overturned decisions and missed deadlines
are rows made here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from inspectorate.accountability.models import AccountabilityItem, ItemKind, OutcomeKind
from inspectorate.cases.models import Case, DecisionChallenge
from inspectorate.exams.selectors import ExamResult
from inspectorate.org.models import User
from inspectorate.oversight.models import CaseFileReview, ScoringSheet
from inspectorate.training.selectors import TrainingProgress
from tests.cases.conftest import CaseWorld, investigated
from tests.conftest import World
from tests.factories import CertificateFactory

TODAY = dt.date(2026, 12, 20)
D = dt.date


@dataclass
class Inputs:
    """What the training and exams apps answer, per user id."""

    hours: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # required, done
    exams: dict[int, list[ExamResult]] = field(default_factory=dict)


@pytest.fixture
def inputs(monkeypatch: pytest.MonkeyPatch) -> Inputs:
    data = Inputs()

    def progress(*, year: int, user_ids: Any) -> dict[int, TrainingProgress]:
        out = {}
        for uid in user_ids:
            required, done = data.hours.get(uid, (Decimal(0), Decimal(0)))
            out[uid] = TrainingProgress(
                required_hours=required,
                session_hours=done,
                study_hours=Decimal(0),
                total_hours=done,
                by_category={},
                plan_id=None,
            )
        return out

    def exams(*, year: int, user_ids: Any) -> dict[int, list[ExamResult]]:
        return {uid: list(data.exams.get(uid, [])) for uid in user_ids}

    monkeypatch.setattr("inspectorate.assessment.services.training_progress", progress)
    monkeypatch.setattr("inspectorate.assessment.services.exam_results", exams)
    return data


JUNE = D(2026, 6, 30)


def exam(n: int, score: str | None, closes: dt.date = JUNE, **kw: Any) -> ExamResult:
    return ExamResult(
        exam_id=n,
        title=f"考试{n}",
        closes_on=closes,
        score=None if score is None else Decimal(score),
        passed=bool(score and Decimal(score) >= 60),
        pending=kw.get("pending", False),
    )


@pytest.fixture
def aw(world: World) -> CaseWorld:
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


def a_case(aw: CaseWorld, **kw: Any) -> Case:
    """A 天山区 case investigated by ``officer`` and ``lead``, decided by the head."""
    case = investigated(aw, **kw)
    Case.objects.filter(pk=case.pk).update(decided_by=aw.head, decided_on=D(2026, 3, 2))
    case.refresh_from_db()
    return case


def review(case: Case, total: int, on: dt.date, max_total: int = 100) -> CaseFileReview:
    sheet = ScoringSheet.objects.order_by("id").first()
    assert sheet is not None
    reviewer = User.objects.get(username="pref_officer")
    return CaseFileReview.objects.create(
        case=case,
        sheet=sheet,
        jurisdiction_code=case.jurisdiction_code,
        reviewed_agency=case.agency,
        reviewing_agency=reviewer.agency,
        reviewer_code="650100",
        reviewer=reviewer,
        reviewed_on=on,
        total=total,
        max_total=max_total,
        grade="good",
        grade_label="良好",
    )


def overturn(case: Case, result: str, on: dt.date) -> DecisionChallenge:
    return DecisionChallenge.objects.create(
        case=case,
        jurisdiction_code=case.jurisdiction_code,
        kind="reconsideration",
        body="天山区人民政府",
        reference=f"复议{DecisionChallenge.objects.count() + 1}",
        filed_on=on - dt.timedelta(days=30),
        recorded_by=case.investigator_1,
        result=result,
        result_on=on,
        result_reference="复议决定书",
    )


def missed(person: User, on: dt.date, n: int, **kw: Any) -> AccountabilityItem:
    assert person.agency is not None
    return AccountabilityItem.objects.create(
        kind=ItemKind.DEADLINE_MISSED,
        subject_type="cases.case",
        subject_id=str(n),
        ref=str(n),
        subject_label=f"案件{n}",
        person=person,
        agency=person.agency,
        jurisdiction_code=person.agency.jurisdiction_id,
        detected_on=on,
        legal_basis="《行政处罚法》第六十条",
        **kw,
    )


def no_fault() -> OutcomeKind:
    return OutcomeKind.objects.create(
        code="test_no_fault", name="不予追责", source="测试", is_fault=False
    )
