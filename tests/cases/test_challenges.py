"""Reconsideration and lawsuits against a case's decision (行政复议 / 行政诉讼): only a
decided case, one proceeding at a time, the result and whether it overturns the decision
(行政复议法 Arts. 63–65, 行政诉讼法 Arts. 70, 74, 77), and the late surcharge stopped while
it runs (行政处罚法 Art. 73) and running again when the decision stands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.cases import services
from inspectorate.cases.challenges import OVERTURNED_RESULTS, RESULT_RULES
from inspectorate.cases.models import Case, CaseState, CaseViolation, DecisionChallenge
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from tests.cases.conftest import CaseWorld, investigated, notified

D = dt.date
SERVED = D(2026, 3, 3)


def executing(cw: CaseWorld) -> Case:
    """Notified on 02-12, decided 50,000 yuan on 03-02, served 03-03: payment due 03-18."""
    case = notified(cw)
    services.proceed_to_decision(actor=cw.officer, case_id=case.pk, today=D(2026, 2, 27))
    violation = CaseViolation.objects.get(case=case)
    services.decide(
        actor=cw.head, case_id=case.pk, amounts={violation.pk: 50_000}, today=D(2026, 3, 2)
    )
    return services.serve(
        actor=cw.officer,
        case_id=case.pk,
        served_on=SERVED,
        method="直接送达",
        recipient="王经理",
        today=SERVED,
    )


def _record(cw: CaseWorld, case: Case, **kw: Any) -> DecisionChallenge:
    params: dict[str, Any] = {
        "actor": cw.officer,
        "case_id": case.pk,
        "kind": "reconsideration",
        "body": "乌鲁木齐市天山区人民政府",
        "reference": "天政复〔2026〕12号",
        "filed_on": D(2026, 3, 10),
        "today": D(2026, 3, 10),
    }
    params.update(kw)
    return services.challenge_record(**params)


def _state(case: Case) -> tuple[Any, ...]:
    case = Case.objects.get(pk=case.pk)
    return (
        case.version,
        DecisionChallenge.objects.count(),
        case.suspensions.count(),
        RecordEvent.objects.count(),
    )


def test_the_overturning_results_are_data_with_their_source() -> None:
    assert OVERTURNED_RESULTS == {"revoked", "revoked_redo", "changed", "unlawful"}
    assert RESULT_RULES["changed"].basis("lawsuit") == "《行政诉讼法》第七十七条"
    assert RESULT_RULES["revoked"].basis("reconsideration") == "《行政复议法》第六十四条"
    assert RESULT_RULES["unlawful"].basis("lawsuit") == "《行政诉讼法》第七十四条"


def test_only_a_decided_case_can_be_challenged(cw: CaseWorld) -> None:
    case = investigated(cw)
    before = _state(case)
    with pytest.raises(IllegalTransition):
        _record(cw, case)
    assert _state(case) == before


def test_recording_stops_the_surcharge_and_an_upheld_decision_resumes_it(cw: CaseWorld) -> None:
    case = executing(cw)
    challenge = _record(cw, case, filed_on=D(2026, 3, 20), today=D(2026, 3, 20))
    assert challenge.suspension is not None
    assert challenge.suspension.started_on == D(2026, 3, 20)
    assert challenge.jurisdiction_code == "650102"
    # due 03-18: 03-19 counts (3 % of 50,000), nothing from the filing day on
    assert services.payment_state(case, D(2026, 4, 30))["surcharge"] == Decimal("1500.00")
    # a second proceeding while one runs is refused
    with pytest.raises(IllegalTransition):
        _record(cw, case, kind="lawsuit", today=D(2026, 3, 21))
    decided = services.challenge_decide(
        actor=cw.reviewer,
        case_id=case.pk,
        challenge_id=challenge.pk,
        result="upheld",
        result_on=D(2026, 5, 10),
        result_reference="天政复决〔2026〕12号",
        expected_version=challenge.version,
        today=D(2026, 5, 11),
    )
    assert decided.result == "upheld"
    assert decided.version == 2
    assert decided.suspension is not None
    decided.suspension.refresh_from_db()
    assert decided.suspension.ended_on == D(2026, 5, 10)
    # 03-19, then again from the result day: 05-10 and 05-11, 3 × 1,500
    assert services.payment_state(case, D(2026, 5, 11))["surcharge"] == Decimal("4500.00")
    kinds = list(
        RecordEvent.objects.filter(kind__startswith="cases.challenge").values_list(
            "kind", flat=True
        )
    )
    assert sorted(kinds) == ["cases.challenge_decided", "cases.challenge_recorded"]


def test_a_revoked_decision_leaves_the_surcharge_stopped(cw: CaseWorld) -> None:
    case = executing(cw)
    challenge = _record(
        cw,
        case,
        kind="lawsuit",
        body="天山区人民法院",
        filed_on=D(2026, 3, 16),
        today=D(2026, 3, 16),
    )
    services.challenge_decide(
        actor=cw.head,
        case_id=case.pk,
        challenge_id=challenge.pk,
        result="revoked",
        result_on=D(2026, 6, 1),
        result_reference="（2026）新0102行初5号",
        today=D(2026, 6, 2),
    )
    challenge.refresh_from_db()
    assert challenge.suspension is not None
    assert challenge.suspension.ended_on is None
    assert services.payment_state(case, D(2026, 7, 1))["surcharge"] == Decimal("0.00")


def test_a_closed_case_is_challenged_without_a_suspension(cw: CaseWorld) -> None:
    case = executing(cw)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_on=D(2026, 3, 20))
    challenge = _record(cw, case, filed_on=D(2026, 3, 25), today=D(2026, 3, 25))
    assert challenge.suspension is None


def test_bad_input_is_field_errors_and_changes_nothing(cw: CaseWorld) -> None:
    case = executing(cw)
    before = _state(case)
    with pytest.raises(ValidationFailed) as info:
        _record(cw, case, kind="appeal", body=" ", reference="", filed_on=D(2026, 3, 1))
    assert set(info.value.extra["fields"]) == {"kind", "body", "reference", "filed_on"}
    # the filing day lies between the decision (03-02) and today
    with pytest.raises(ValidationFailed) as info:
        _record(cw, case, filed_on=D(2026, 3, 11), today=D(2026, 3, 10))
    assert set(info.value.extra["fields"]) == {"filed_on"}
    assert _state(case) == before
    challenge = _record(cw, case)
    before = _state(case)
    with pytest.raises(ValidationFailed) as info:
        services.challenge_decide(
            actor=cw.officer,
            case_id=case.pk,
            challenge_id=challenge.pk,
            result="quashed",
            result_on=D(2026, 3, 9),
            result_reference="",
            today=D(2026, 4, 1),
        )
    assert set(info.value.extra["fields"]) == {"result", "result_on", "result_reference"}
    assert _state(case) == before
    assert DecisionChallenge.objects.get(pk=challenge.pk).result == ""


def test_who_records_and_stale_versions(cw: CaseWorld) -> None:
    case = executing(cw)
    before = _state(case)
    # another jurisdiction: the same 404 as a missing case
    with pytest.raises(NotFound):
        _record(cw, case, actor=cw.w.karamay_head)
    # the level above sees the case but does not run it
    with pytest.raises(PermissionDenied):
        _record(cw, case, actor=cw.w.prefecture_officer)
    # an admin of the office has no role in the case
    with pytest.raises(PermissionDenied):
        _record(cw, case, actor=cw.w.tianshan_admin)
    with pytest.raises(ConcurrentModification):
        _record(cw, case, expected_version=case.version - 1)
    assert _state(case) == before
    challenge = _record(cw, case, expected_version=Case.objects.get(pk=case.pk).version)
    before = _state(case)
    with pytest.raises(ConcurrentModification):
        services.challenge_decide(
            actor=cw.officer,
            case_id=case.pk,
            challenge_id=challenge.pk,
            result="upheld",
            result_on=D(2026, 4, 1),
            result_reference="决定书",
            expected_version=challenge.version + 1,
            today=D(2026, 4, 1),
        )
    assert _state(case) == before
    services.challenge_decide(
        actor=cw.officer,
        case_id=case.pk,
        challenge_id=challenge.pk,
        result="upheld",
        result_on=D(2026, 4, 1),
        result_reference="决定书",
        today=D(2026, 4, 1),
    )
    with pytest.raises(IllegalTransition):
        services.challenge_decide(
            actor=cw.officer,
            case_id=case.pk,
            challenge_id=challenge.pk,
            result="revoked",
            result_on=D(2026, 4, 1),
            result_reference="决定书",
            today=D(2026, 4, 1),
        )


def test_api_and_page(cw: CaseWorld, client_for: Any) -> None:
    case = executing(cw)
    api: Client = client_for(cw.officer)
    url = f"/api/v1/cases/{case.pk}/challenges/"
    bad = api.post(url, {"kind": "lawsuit"}, content_type="application/json")
    assert bad.status_code == 400
    assert DecisionChallenge.objects.count() == 0
    today = timezone.localdate().isoformat()
    made = api.post(
        url,
        {
            "kind": "lawsuit",
            "body": "天山区人民法院",
            "reference": "（2026）行初1号",
            "filed_on": today,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert made.json()["suspension"] is not None
    assert client_for(cw.w.karamay_head).get(url).status_code == 404
    listed = client_for(cw.w.prefecture_officer).get(url)
    assert listed.status_code == 200
    assert [c["reference"] for c in listed.json()] == ["（2026）行初1号"]
    done = api.post(
        f"{url}{cid}/decide/",
        {"result": "changed", "result_on": today, "result_reference": "判决书", "version": 1},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert (done.json()["overturned"], done.json()["basis"]) == (True, "《行政诉讼法》第七十七条")
    page = client_for(cw.head).get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert "判决书" in page.content.decode()
    assert 'data-testid="challenge-form"' in page.content.decode()


def test_page_form_records_and_shows_field_errors(cw: CaseWorld, client_for: Any) -> None:
    case = executing(cw)
    client = client_for(cw.officer)
    version = Case.objects.get(pk=case.pk).version
    bad = client.post(
        f"/cases/{case.pk}/challenges/",
        {
            "kind": "reconsideration",
            "body": "",
            "reference": "R1",
            "filed_on": "2026-03-10",
            "version": version,
        },
    )
    assert bad.status_code == 400
    assert DecisionChallenge.objects.count() == 0
    ok = client.post(
        f"/cases/{case.pk}/challenges/",
        {
            "kind": "reconsideration",
            "body": "天山区人民政府",
            "reference": "R1",
            "filed_on": timezone.localdate().isoformat(),
            "version": version,
        },
    )
    assert ok.status_code == 302
    challenge = DecisionChallenge.objects.get()
    stale = client.post(
        f"/cases/{case.pk}/challenges/{challenge.pk}/decide/",
        {
            "result": "revoked",
            "result_on": timezone.localdate().isoformat(),
            "result_reference": "复议决定书",
            "version": challenge.version + 5,
        },
    )
    assert stale.status_code == 409
    assert DecisionChallenge.objects.get().result == ""
