"""Transfer screening: the triggers as data, their thresholds at the exact boundaries, the
flag (idempotent, validated, recorded, scoped), the automatic flag of a refused order on
a major hazard, and the Art. 11 block on closing a flagged case with a fine alone."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.cases import services as cases
from inspectorate.cases.models import Case, CaseState
from inspectorate.core.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.models import Deadline, RecordEvent
from inspectorate.referrals import rules, services
from inspectorate.referrals.models import FlagState, ReferralFlag, ReferralTrigger
from tests.cases.conftest import CaseWorld, filed, notified
from tests.referrals.conftest import FLAG_DAY, flag

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_five_triggers_are_seeded_with_their_law() -> None:
    rows = {t.code: t for t in ReferralTrigger.objects.all()}
    assert set(rows) == {
        "accident_consequence",
        "refused_major_hazard",
        "tampered_monitoring",
        "unlicensed_high_risk",
        "false_accident_report",
    }
    accident = rows["accident_consequence"]
    assert accident.thresholds == {"deaths": 1, "serious_injuries": 3, "direct_loss": 1_000_000}
    assert accident.effective_from == D(2015, 12, 16)
    assert "第六条" in accident.citation
    assert "第一百三十四条" in accident.criminal_article
    assert rows["refused_major_hazard"].criminal_article == "《刑法》第一百三十四条之一第（二）项"
    assert "（二）" in rows["refused_major_hazard"].citation
    assert "第三条" in rows["refused_major_hazard"].citation
    assert rows["tampered_monitoring"].criminal_article == "《刑法》第一百三十四条之一第（一）项"
    assert rows["unlicensed_high_risk"].criminal_article == "《刑法》第一百三十四条之一第（三）项"
    false_report = rows["false_accident_report"]
    assert false_report.criminal_article == "《刑法》第一百三十九条之一"
    assert "第八条" in false_report.citation
    assert false_report.thresholds == {
        "added_deaths": 1,
        "added_serious_injuries": 3,
        "added_direct_loss": 1_000_000,
    }


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "met"),
    [
        (0, 0, 0, False),
        (1, 0, 0, True),  # 死亡一人以上
        (0, 2, 0, False),
        (0, 3, 0, True),  # 重伤三人以上
        (0, 0, 999_999, False),
        (0, 0, 1_000_000, True),  # 直接经济损失一百万元以上
        (0, 2, 999_999, False),
    ],
)
def test_accident_thresholds_at_their_boundaries(
    deaths: int, injuries: int, loss: int, met: bool
) -> None:
    found = rules.accident_meets(deaths, injuries, loss, D(2026, 11, 30))
    assert (found is not None) is met
    if met:
        assert found.code == "accident_consequence"


def test_before_the_2015_interpretation_no_trigger_is_in_force() -> None:
    assert rules.accident_meets(5, 0, 0, D(2015, 12, 15)) is None
    assert rules.accident_meets(5, 0, 0, D(2015, 12, 16)) is not None


def test_facts_below_every_threshold_are_a_field_error_and_change_nothing(cw: CaseWorld) -> None:
    case = filed(cw)
    events = RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as info:
        services.screening_flag(
            actor=cw.officer,
            case_id=case.pk,
            trigger_code="accident_consequence",
            facts={"deaths": 0, "serious_injuries": 1, "direct_loss": 10_000, "accident": "x"},
            today=FLAG_DAY,
        )
    fields = info.value.extra["fields"]
    assert set(fields) == {"facts"}
    assert "None of the thresholds is reached" in fields["facts"][0]
    assert fields["facts"][1] == (
        "Deaths at least 1; or Serious injuries at least 3; or "
        "Direct economic loss (yuan) at least 1,000,000"
    )
    assert ReferralFlag.objects.count() == 0
    assert RecordEvent.objects.count() == events
    assert Deadline.objects.filter(kind="referral_report").count() == 0


def test_bad_facts_and_unknown_triggers_are_field_errors(cw: CaseWorld) -> None:
    case = filed(cw)

    def errors(code: str, facts: dict[str, object]) -> set[str]:
        with pytest.raises(ValidationFailed) as info:
            services.screening_flag(
                actor=cw.officer, case_id=case.pk, trigger_code=code, facts=facts, today=FLAG_DAY
            )
        return set(info.value.extra["fields"])

    assert errors("no_such", {}) == {"trigger_code"}
    assert errors("accident_consequence", {"deaths": -1, "accident": "x"}) == {"deaths"}
    assert errors("accident_consequence", {"deaths": "two", "accident": "x"}) == {"deaths"}
    assert errors("accident_consequence", {"deaths": 1}) == {"accident"}
    # 两高解释（二）Art. 3: what the refusal consisted of is required
    assert errors("refused_major_hazard", {"order": "（新天）应急责改〔2026〕1号"}) == {"conduct"}
    assert errors("refused_major_hazard", {"order": "x", "conduct": "laziness"}) == {"conduct"}
    assert errors("tampered_monitoring", {"equipment": "可燃气体报警器"}) == {"conduct_description"}
    assert errors("unlicensed_high_risk", {"licence": "危险化学品经营许可证"}) == {"conduct"}
    # 139之一: below the thresholds and no listed conduct
    assert errors("false_accident_report", {"added_deaths": 0, "accident": "x"}) == {"facts"}
    assert ReferralFlag.objects.count() == 0


def test_a_flag_is_recorded_once_per_case_and_trigger(cw: CaseWorld) -> None:
    first = flag(cw)
    assert first.state == FlagState.OPEN
    assert first.facts == {
        "deaths": 1,
        "serious_injuries": 0,
        "direct_loss": 0,
        "accident": "2026-11-28 罐区爆燃",
    }
    assert (first.flagged_by, first.flagged_on, first.jurisdiction_code) == (
        cw.officer,
        FLAG_DAY,
        "650102",
    )
    event = RecordEvent.objects.get(kind="referrals.flagged")
    assert event.payload["trigger"] == "accident_consequence"
    assert event.payload["met_by"] == ["deaths≥1"]
    report = Deadline.objects.get(kind="referral_report")
    assert (report.start_date, report.due_date) == (FLAG_DAY, D(2026, 12, 3))
    again = flag(cw, case=first.case, deaths=2)
    assert again.pk == first.pk
    assert RecordEvent.objects.filter(kind="referrals.flagged").count() == 1
    # 139之一 by a listed conduct alone (2015 解释 Art. 8 ¶1 (2))
    other = services.screening_flag(
        actor=cw.officer,
        case_id=first.case_id,
        trigger_code="false_accident_report",
        facts={"conduct": "absconded", "accident": "2026-11-28 罐区爆燃"},
        today=FLAG_DAY,
    )
    assert other.pk != first.pk
    assert other.facts["conduct"] == "absconded"


def test_the_report_limit_counts_calendar_days_and_ends_after_a_holiday(cw: CaseWorld) -> None:
    """3 days from 2026-09-29 is 10-02, inside the National Day holiday (10-01..10-07):
    the period ends on the next working day, 10-08."""
    case = filed(cw)
    services.screening_flag(
        actor=cw.officer,
        case_id=case.pk,
        trigger_code="accident_consequence",
        facts={"serious_injuries": 3, "accident": "x"},
        today=D(2026, 9, 29),
    )
    report = Deadline.objects.get(kind="referral_report")
    assert (report.day_count, report.due_date) == ("calendar", D(2026, 10, 8))


def test_only_the_case_office_flags(cw: CaseWorld) -> None:
    case = filed(cw)
    w = cw.w
    for actor, error in (
        (w.karamay_officer, NotFound),
        (w.prefecture_officer, PermissionDenied),
        (w.enterprise_user, PermissionDenied),
        (w.tianshan_reviewer, PermissionDenied),
    ):
        with pytest.raises(error):
            services.screening_flag(
                actor=actor,
                case_id=case.pk,
                trigger_code="accident_consequence",
                facts={"deaths": 1, "accident": "x"},
                today=FLAG_DAY,
            )
    assert ReferralFlag.objects.count() == 0


def test_a_refused_major_hazard_order_flags_the_case_it_opens(cw: CaseWorld) -> None:
    from django.utils import timezone

    from inspectorate.rectification import services as rectifying
    from tests.core.matrix import build_order

    order = build_order(cw.w, day=D(2026, 3, 2))
    proposal = rectifying.order_escalate(
        actor=cw.lead,
        order_id=order.pk,
        refused=True,
        refusal_kind="faked",
        statement="企业虚报已整改，报警器仍停用。",
        now=dt.datetime(2026, 6, 1, 10, tzinfo=timezone.get_current_timezone()),
    )
    assert proposal.suspected_crime
    case = cases.case_open(
        actor=cw.officer,
        enterprise_id=cw.w.ent_tianshan.pk,
        source="inspection",
        summary="拒不执行重大事故隐患整改指令",
        facts=proposal.statement,
        act_date=D(2026, 5, 1),
        discovered_on=D(2026, 6, 1),
        second_investigator_id=cw.lead.pk,
        proposal_id=proposal.pk,
        today=D(2026, 6, 1),
    )
    the_flag = ReferralFlag.objects.get(case=case)
    assert the_flag.trigger_code == "refused_major_hazard"
    assert the_flag.automatic
    assert the_flag.facts == {"conduct": "faked", "order": order.document.number}


# --- 国务院令310 Art. 11: no fine instead of the transfer ------------------------------------


def _deciding(cw: CaseWorld) -> Case:
    case = notified(cw)
    cases.statement_file(
        actor=cw.w.enterprise_user, case_id=case.pk, text="放弃陈述。", waives=True, today=FLAG_DAY
    )
    return cases.proceed_to_decision(actor=cw.officer, case_id=case.pk, today=FLAG_DAY)


def _decide(cw: CaseWorld, case: Case) -> Case:
    violation = case.violations.get()
    return cases.decide(
        actor=cw.head, case_id=case.pk, amounts={violation.pk: 50_000}, today=FLAG_DAY
    )


def test_a_flagged_case_is_not_decided_with_a_fine_alone(cw: CaseWorld) -> None:
    case = _deciding(cw)
    the_flag = flag(cw, case=case)
    version = Case.objects.get(pk=case.pk).version
    with pytest.raises(IllegalTransition) as info:
        _decide(cw, case)
    assert info.value.status_code == 409
    assert "国务院令310 Art. 11" in info.value.message
    case.refresh_from_db()
    assert (case.state, case.fine, case.version) == (CaseState.DECIDING, None, version)
    # the head dismisses the flag with written reasons: the case goes on administratively
    with pytest.raises(ValidationFailed):
        services.flag_dismiss(actor=cw.head, flag_id=the_flag.pk, reasons="  ", today=FLAG_DAY)
    with pytest.raises(PermissionDenied):
        services.flag_dismiss(actor=cw.officer, flag_id=the_flag.pk, reasons="x", today=FLAG_DAY)
    dismissed = services.flag_dismiss(
        actor=cw.head,
        flag_id=the_flag.pk,
        reasons="死者系突发疾病死亡，与生产作业无关（医院死亡证明）。",
        today=FLAG_DAY,
    )
    assert (dismissed.state, dismissed.dismissed_by, dismissed.dismissed_on) == (
        FlagState.DISMISSED,
        cw.head,
        FLAG_DAY,
    )
    assert Deadline.objects.get(kind="referral_report").met_at is not None
    assert _decide(cw, case).state == CaseState.DECIDED


def test_a_suspension_may_still_be_decided_while_flagged(cw: CaseWorld) -> None:
    case = _deciding(cw)
    flag(cw, case=case)
    Case.objects.filter(pk=case.pk).update(other_penalties="责令停产停业整顿")
    decided = _decide(cw, Case.objects.get(pk=case.pk))
    assert (decided.state, decided.fine) == (CaseState.DECIDED, 50_000)


def test_a_flagged_case_is_not_closed(cw: CaseWorld) -> None:
    case = _deciding(cw)
    case = cases.no_penalty(actor=cw.head, case_id=case.pk, reason="不予处罚", today=FLAG_DAY)
    assert case.state == CaseState.CLOSING
    flag(cw, case=case)
    with pytest.raises(IllegalTransition) as info:
        cases.case_close(actor=cw.head, case_id=case.pk, today=FLAG_DAY)
    assert "Art. 11" in info.value.message
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSING
