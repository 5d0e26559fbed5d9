"""The transfer workflow (国务院令310 Arts. 5–13): the special team, the head's 3 days, the
24 hours, the attachments, the police's receipt and 3 days, the filing and the handover,
the refusal, reconsideration and the procuratorate; every step's role, version and record."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.cases.models import Case, CaseState
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline, IssuedDocument, RecordEvent
from inspectorate.referrals import selectors, services
from inspectorate.referrals.models import (
    AttachmentKind,
    FlagState,
    Referral,
    ReferralFlag,
    ReferralState,
)
from tests.cases.conftest import CaseWorld
from tests.factories import UserFactory
from tests.referrals.conftest import FLAG_DAY, at, flag, referral

pytestmark = pytest.mark.django_db
D = dt.date


def _deadline(r: Referral, kind: str) -> Deadline:
    return Deadline.objects.get(subject_type="referrals.referral", subject_id=str(r.pk), kind=kind)


def test_the_special_team_has_two_certified_officers_of_the_office(cw: CaseWorld) -> None:
    the_flag = flag(cw)

    def team_error(ids: list[int]) -> list[str]:
        with pytest.raises(ValidationFailed) as info:
            services.referral_open(
                actor=cw.officer,
                flag_id=the_flag.pk,
                team_ids=ids,
                report="报告",
                police="天山区公安分局",
                today=FLAG_DAY,
            )
        return list(info.value.extra["fields"]["team"])

    assert team_error([cw.officer.pk]) == [
        "A special team has at least 2 officers (国务院令310 Art. 5)."
    ]
    assert team_error([cw.officer.pk, cw.officer.pk]) == [
        "A special team has at least 2 officers (国务院令310 Art. 5)."
    ]
    uncertified = UserFactory(username="ts_new", agency=cw.w.tianshan, name="新来的")
    assert team_error([cw.officer.pk, uncertified.pk]) == [
        "新来的 holds no valid enforcement certificate that day."
    ]
    assert team_error([cw.officer.pk, cw.w.shayibake_officer.pk]) == [
        "Choose enforcement officers of your office."
    ]
    with pytest.raises(ValidationFailed) as info:
        services.referral_open(
            actor=cw.officer,
            flag_id=the_flag.pk,
            team_ids=[cw.officer.pk, cw.lead.pk],
            report=" ",
            police="",
            today=FLAG_DAY,
        )
    assert set(info.value.extra["fields"]) == {"report", "police"}
    assert Referral.objects.count() == 0
    assert ReferralFlag.objects.get().state == FlagState.OPEN


def test_a_transfer_from_the_report_to_the_handover(cw: CaseWorld) -> None:
    r = referral(cw)
    assert r.state == ReferralState.DRAFTING
    assert r.flag.state == FlagState.REFERRED
    assert list(r.members.values_list("officer", "certificate")) == [
        (cw.officer.pk, cw.officer.valid_certificate(FLAG_DAY).number),
        (cw.lead.pk, cw.lead.valid_certificate(FLAG_DAY).number),
    ]
    # only a team member submits; the head's 3 days run from the report (calendar days:
    # 2026-12-02 + 3 = Saturday 12-05, a rest day, so Monday 12-07)
    with pytest.raises(PermissionDenied):
        services.referral_submit(actor=cw.head, referral_id=r.pk, now=at(D(2026, 12, 2)))
    r = services.referral_submit(
        actor=cw.lead, referral_id=r.pk, expected_version=r.version, now=at(D(2026, 12, 2))
    )
    assert r.state == ReferralState.SUBMITTED
    approval = _deadline(r, "referral_approval")
    assert (approval.start_date, approval.due_date) == (D(2026, 12, 2), D(2026, 12, 7))
    report = Deadline.objects.get(kind="referral_report")
    assert report.met_at is not None
    # a stale version is refused
    with pytest.raises(ConcurrentModification):
        services.referral_approve(
            actor=cw.head, referral_id=r.pk, expected_version=r.version - 1, now=at(D(2026, 12, 3))
        )
    with pytest.raises(PermissionDenied):
        services.referral_approve(actor=cw.officer, referral_id=r.pk, now=at(D(2026, 12, 3)))
    approved_at = at(D(2026, 12, 3), 16, 30)
    r = services.referral_approve(
        actor=cw.head, referral_id=r.pk, expected_version=r.version, now=approved_at
    )
    assert r.state == ReferralState.APPROVED
    assert r.transfer_due_at == approved_at + dt.timedelta(hours=24)
    assert _deadline(r, "referral_approval").met_at is not None
    assert not selectors.transfer_overdue(r, approved_at + dt.timedelta(hours=24))
    assert selectors.transfer_overdue(r, approved_at + dt.timedelta(hours=24, seconds=1))
    # transferred the next morning with the documents of Art. 6
    r = services.referral_transfer(
        actor=cw.officer, referral_id=r.pk, now=at(D(2026, 12, 4), 9, 15)
    )
    assert r.state == ReferralState.TRANSFERRED
    assert sorted(r.attachments.values_list("kind", flat=True)) == sorted(
        [AttachmentKind.LETTER, AttachmentKind.REPORT, AttachmentKind.ITEM_LIST]
    )
    kinds = list(
        IssuedDocument.objects.filter(subject_type="referrals.referral", subject_id=str(r.pk))
        .order_by("id")
        .values_list("kind", "number")
    )
    assert [k for k, _n in kinds] == ["referral_approval", "referral_item_list", "referral_letter"]
    assert kinds[0][1].endswith("应急移批〔2026〕1号")
    assert kinds[2][1].endswith("应急移〔2026〕1号")
    # the police sign the receipt the same day; their 3 days run to Monday 12-07
    with pytest.raises(ValidationFailed) as info:
        services.referral_receipt(
            actor=cw.officer,
            referral_id=r.pk,
            received_on=D(2026, 12, 3),
            signed_by="李警官",
            today=D(2026, 12, 4),
        )
    assert set(info.value.extra["fields"]) == {"received_on"}
    assert Referral.objects.get(pk=r.pk).state == ReferralState.TRANSFERRED  # nothing kept
    r = services.referral_receipt(
        actor=cw.officer,
        referral_id=r.pk,
        received_on=D(2026, 12, 4),
        signed_by="李警官",
        today=D(2026, 12, 4),
    )
    police = _deadline(r, "referral_police_decision")
    assert (police.start_date, police.due_date, police.day_count) == (
        D(2026, 12, 4),
        D(2026, 12, 7),
        "calendar",
    )
    # the police file the case: recorded by the head; the case is transferred
    with pytest.raises(PermissionDenied):
        services.referral_police_decide(
            actor=cw.officer,
            referral_id=r.pk,
            accepted=True,
            document_number="天公（刑）立字〔2026〕88号",
            decided_on=D(2026, 12, 7),
            notice_received_on=D(2026, 12, 7),
            today=D(2026, 12, 7),
        )
    r = services.referral_police_decide(
        actor=cw.head,
        referral_id=r.pk,
        accepted=True,
        document_number="天公（刑）立字〔2026〕88号",
        decided_on=D(2026, 12, 7),
        notice_received_on=D(2026, 12, 7),
        today=D(2026, 12, 7),
    )
    assert (r.state, r.police_document, r.police_decided_on) == (
        ReferralState.ACCEPTED,
        "天公（刑）立字〔2026〕88号",
        D(2026, 12, 7),
    )
    assert Case.objects.get(pk=r.case_id).state == CaseState.TRANSFERRED
    assert _deadline(r, "referral_police_decision").met_at is not None
    handover = _deadline(r, "referral_handover")
    assert handover.due_date == D(2026, 12, 10)  # Art. 12: 3 days from the filing notice
    with pytest.raises(ValidationFailed):
        services.referral_hand_over(
            actor=cw.officer,
            referral_id=r.pk,
            handed_over_on=D(2026, 12, 8),
            receiver="李警官",
            items=[],
            today=D(2026, 12, 8),
        )
    r = services.referral_hand_over(
        actor=cw.officer,
        referral_id=r.pk,
        handed_over_on=D(2026, 12, 8),
        receiver="李警官",
        items=[{"name": "破损压力表", "quantity": "1只"}, {"name": "监控录像", "quantity": "1份"}],
        today=D(2026, 12, 8),
    )
    assert r.state == ReferralState.HANDED_OVER
    assert [i["name"] for i in r.handover_list] == ["破损压力表", "监控录像"]
    assert _deadline(r, "referral_handover").met_at is not None
    kinds_recorded = list(
        RecordEvent.objects.filter(subject_type="referrals.referral", subject_id=str(r.pk))
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds_recorded.count("referrals.state_changed") == 3  # submit, approve, transfer
    assert kinds_recorded.count("referrals.police_answer") == 3  # receipt, filing + its detail
    assert "referrals.items_handed_over" in kinds_recorded
    # nothing is pending any more
    assert selectors.pending_by_agency([cw.w.tianshan.pk]) == {}
    # an illegal step is a 409
    with pytest.raises(IllegalTransition):
        services.referral_approve(actor=cw.head, referral_id=r.pk, now=at(D(2026, 12, 9)))


def test_a_refused_transfer_keeps_the_heads_reasons(cw: CaseWorld) -> None:
    r = referral(cw)
    r = services.referral_submit(actor=cw.officer, referral_id=r.pk, now=at(FLAG_DAY))
    with pytest.raises(ValidationFailed):
        services.referral_refuse(actor=cw.head, referral_id=r.pk, reasons="", now=at(FLAG_DAY))
    r = services.referral_refuse(
        actor=cw.head,
        referral_id=r.pk,
        reasons="证据不足以证明与事故有因果关系。",
        now=at(FLAG_DAY),
    )
    assert (r.state, r.refusal_reasons, r.decided_by) == (
        ReferralState.REFUSED,
        "证据不足以证明与事故有因果关系。",
        cw.head,
    )
    document = IssuedDocument.objects.get(kind="referral_approval")
    assert "证据不足以证明与事故有因果关系。" in str(document.content)


def test_police_refusal_reconsideration_and_the_procuratorate(cw: CaseWorld) -> None:
    r = referral(cw)
    r = services.referral_submit(actor=cw.officer, referral_id=r.pk, now=at(FLAG_DAY))
    Referral.objects.filter(pk=r.pk).update(
        state=ReferralState.RECEIVED, received_on=FLAG_DAY, police="天山区公安分局"
    )  # the approval and transfer are tested above; straight to the police here
    with pytest.raises(ValidationFailed) as info:
        services.referral_police_decide(
            actor=cw.officer,
            referral_id=r.pk,
            accepted=False,
            document_number="天公（刑）不立字〔2026〕9号",
            decided_on=D(2026, 12, 2),
            notice_received_on=D(2026, 12, 3),
            today=D(2026, 12, 3),
        )
    assert set(info.value.extra["fields"]) == {"reasons"}
    r = services.referral_police_decide(
        actor=cw.officer,
        referral_id=r.pk,
        accepted=False,
        document_number="天公（刑）不立字〔2026〕9号",
        decided_on=D(2026, 12, 2),
        notice_received_on=D(2026, 12, 3),
        reasons="犯罪事实显著轻微",
        today=D(2026, 12, 3),
    )
    assert r.state == ReferralState.POLICE_REFUSED
    window = _deadline(r, "referral_reconsideration_request")
    assert window.due_date == D(2026, 12, 7)  # 12-06 is a Sunday
    # Art. 9: too late after the 3 days
    with pytest.raises(IllegalTransition) as late:
        services.referral_reconsideration_request(
            actor=cw.head, referral_id=r.pk, grounds="理由", today=D(2026, 12, 8)
        )
    assert "2026-12-07" in late.value.message
    r = services.referral_reconsideration_request(
        actor=cw.head,
        referral_id=r.pk,
        grounds="死亡一人，已达立案追诉标准。",
        today=D(2026, 12, 7),
    )
    assert r.state == ReferralState.RECONSIDERATION
    assert IssuedDocument.objects.filter(kind="referral_reconsideration").count() == 1
    assert _deadline(r, "referral_reconsideration_decision").due_date == D(2026, 12, 10)
    r = services.referral_reconsideration_decide(
        actor=cw.officer,
        referral_id=r.pk,
        accepted=False,
        document_number="天公（刑）复字〔2026〕2号",
        decided_on=D(2026, 12, 9),
        notice_received_on=D(2026, 12, 9),
        reasons="维持不予立案决定",
        today=D(2026, 12, 9),
    )
    assert r.state == ReferralState.RECONSIDERATION_REFUSED
    assert _deadline(r, "referral_supervision_request").due_date == D(2026, 12, 14)
    # while the transfer is pending the flag blocks a fine alone (Art. 11)
    from inspectorate.referrals.rules import transfer_pending

    assert transfer_pending(r.case_id)
    r = services.referral_supervision_request(
        actor=cw.head, referral_id=r.pk, procuratorate="天山区人民检察院", today=D(2026, 12, 11)
    )
    assert r.state == ReferralState.SUPERVISION
    r = services.referral_supervision_outcome(
        actor=cw.officer,
        referral_id=r.pk,
        filed=False,
        outcome="检察院认为不立案理由成立。",
        concluded_on=D(2026, 12, 20),
        today=D(2026, 12, 21),
    )
    assert (r.state, r.concluded_on) == (ReferralState.CONCLUDED, D(2026, 12, 20))
    # Art. 10: the police finally refused; the office imposes the penalty due
    assert not transfer_pending(r.case_id)


def test_other_offices_cannot_act_on_a_transfer(cw: CaseWorld) -> None:
    r = referral(cw)
    with pytest.raises(NotFound):
        services.referral_submit(actor=cw.w.karamay_officer, referral_id=r.pk, now=at(FLAG_DAY))
    with pytest.raises(PermissionDenied):
        services.referral_submit(actor=cw.w.prefecture_officer, referral_id=r.pk, now=at(FLAG_DAY))
    assert Referral.objects.get(pk=r.pk).state == ReferralState.DRAFTING
