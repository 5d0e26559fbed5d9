"""The "应移未移" audit and the dashboard's pending counts: the reasons, the officer
responsible, the counts per office and the scope (an upper level sees its lower offices')."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.cases.models import Case
from inspectorate.referrals import selectors, services
from inspectorate.referrals.models import Referral, ReferralState
from tests.cases.conftest import CaseWorld, filed
from tests.referrals.conftest import FLAG_DAY, at, flag, referral

pytestmark = pytest.mark.django_db
D = dt.date


def _reasons(user: object, on: dt.date) -> list[tuple[str, int]]:
    return [(r.reason, r.case_id) for r in selectors.omitted_transfers(user=user, on=on)]


def test_a_flag_without_a_report_is_listed_after_its_three_days(cw: CaseWorld) -> None:
    f = flag(cw)  # flagged 2026-11-30: report due 12-03
    assert _reasons(cw.head, D(2026, 12, 3)) == []
    rows = selectors.omitted_transfers(user=cw.head, on=D(2026, 12, 4))
    assert [(r.reason, r.case_id, r.detail) for r in rows] == [
        ("no_report", f.case_id, "2026-12-03")
    ]
    row = rows[0]
    assert (row.officer_id, row.agency_id, row.jurisdiction_code, row.trigger) == (
        cw.officer.pk,
        cw.w.tianshan.pk,
        "650102",
        "accident_consequence",
    )
    assert row.head_id is None
    # the upper levels see it; another prefecture does not
    assert _reasons(cw.w.prefecture_officer, D(2026, 12, 4)) == [("no_report", f.case_id)]
    assert _reasons(cw.w.province_officer, D(2026, 12, 4)) == [("no_report", f.case_id)]
    assert _reasons(cw.w.karamay_officer, D(2026, 12, 4)) == []
    assert selectors.omitted_counts(rows) == [(cw.w.tianshan.pk, cw.w.tianshan.name, 1)]


def test_a_late_decision_and_a_late_transfer_are_listed(cw: CaseWorld) -> None:
    r = referral(cw)
    services.referral_submit(actor=cw.officer, referral_id=r.pk, now=at(D(2026, 12, 2)))
    # the head's 3 days end on Monday 12-07
    assert _reasons(cw.head, D(2026, 12, 7)) == []
    assert _reasons(cw.head, D(2026, 12, 8)) == [("approval_overdue", r.case_id)]
    approved = at(D(2026, 12, 8), 9)
    Referral.objects.filter(pk=r.pk).update(
        state=ReferralState.APPROVED,
        decided_at=approved,
        decided_by=cw.head,
        transfer_due_at=approved + dt.timedelta(hours=24),
    )
    from inspectorate.core.deadlines import deadline_stop

    deadline_stop(subject=r, kind="referral_approval")
    assert _reasons(cw.head, D(2026, 12, 8)) == []
    assert _reasons(cw.head, D(2026, 12, 9)) == [("not_transferred", r.case_id)]


def test_dismissed_flags_and_a_fine_instead_of_the_transfer_are_listed(cw: CaseWorld) -> None:
    f = flag(cw)
    services.flag_dismiss(actor=cw.head, flag_id=f.pk, reasons="与作业无关", today=FLAG_DAY)
    other = filed(cw)
    g = flag(cw, case=other)
    # decided with a fine alone before the flag (以罚代移): listed
    Case.objects.filter(pk=other.pk).update(fine=50_000, decided_on=D(2026, 11, 1))
    rows = selectors.omitted_transfers(user=cw.head, on=FLAG_DAY)
    assert sorted((r.reason, r.case_id, r.detail) for r in rows) == sorted(
        [("dismissed", f.case_id, "与作业无关"), ("fined_instead", g.case_id, "50,000")]
    )


def test_pending_by_agency_counts_open_flags_and_transfers(cw: CaseWorld) -> None:
    assert selectors.pending_by_agency([cw.w.tianshan.pk, cw.w.karamay.pk]) == {}
    flag(cw)
    r = referral(cw)  # a second case: its flag is referred, its transfer drafting
    assert r.state == ReferralState.DRAFTING
    assert selectors.pending_by_agency([cw.w.tianshan.pk, cw.w.karamay.pk]) == {cw.w.tianshan.pk: 2}
    services.referral_submit(actor=cw.officer, referral_id=r.pk, now=at(FLAG_DAY))
    services.referral_refuse(actor=cw.head, referral_id=r.pk, reasons="证据不足", now=at(FLAG_DAY))
    assert selectors.pending_by_agency([cw.w.tianshan.pk]) == {cw.w.tianshan.pk: 1}
    refused = [
        x for x in selectors.omitted_transfers(user=cw.head, on=FLAG_DAY) if x.reason == "refused"
    ]
    assert [(x.head_id, x.detail) for x in refused] == [(cw.head.pk, "证据不足")]
