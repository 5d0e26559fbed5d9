"""The pages and the API of crime transfers, through a browser-like client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from inspectorate.org.models import User
from inspectorate.referrals.models import FlagState, Referral, ReferralFlag, ReferralState
from tests.cases.conftest import CaseWorld, filed
from tests.conftest import zh
from tests.referrals.conftest import flag, referral

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def test_flag_a_case_refer_it_and_submit_the_report(cw: CaseWorld, client_for: ClientFor) -> None:
    case = filed(cw)
    officer = client_for(cw.officer)
    page = officer.get(f"/referrals/flags/new/?case={case.pk}")
    assert page.status_code == 200
    bad = officer.post(
        "/referrals/flags/new/",
        {
            "case": case.pk,
            "trigger": "accident_consequence",
            "deaths": 0,
            "serious_injuries": 2,
            "direct_loss": 999_999,
            "accident": "罐区爆燃",
        },
    )
    assert bad.status_code == 400
    message = zh("None of the thresholds is reached: the facts do not meet %(citation)s.")
    assert message.split("%(citation)s")[0] in bad.content.decode()
    assert ReferralFlag.objects.count() == 0
    done = officer.post(
        "/referrals/flags/new/",
        {
            "case": case.pk,
            "trigger": "accident_consequence",
            "serious_injuries": 3,
            "accident": "罐区爆燃",
        },
    )
    assert done.status_code == 302
    the_flag = ReferralFlag.objects.get()
    assert done["Location"] == f"/referrals/flags/{the_flag.pk}/"
    detail = officer.get(done["Location"]).content.decode()
    assert 'data-testid="refer-form"' in detail
    assert 'data-testid="dismiss-form"' not in detail  # the head dismisses
    assert (
        'data-testid="dismiss-form"' in client_for(cw.head).get(done["Location"]).content.decode()
    )
    listing = officer.get("/referrals/").content.decode()
    assert f'data-flag="{the_flag.pk}"' in listing
    refer = officer.post(
        f"/referrals/flags/{the_flag.pk}/refer/",
        {
            "team": [cw.officer.pk, cw.lead.pk],
            "police": "天山区公安分局",
            "report": "涉嫌重大责任事故罪",
            "items": "压力表，1只，已封存",
        },
    )
    assert refer.status_code == 302
    r = Referral.objects.get()
    assert r.items == [{"name": "压力表", "quantity": "1只", "note": "已封存"}]
    assert ReferralFlag.objects.get().state == FlagState.REFERRED
    page = officer.get(f"/referrals/{r.pk}/").content.decode()
    assert 'data-testid="step-submit"' in page
    stale = officer.post(f"/referrals/{r.pk}/action/submit/", {"version": r.version - 1})
    assert stale.status_code == 409
    ok = officer.post(f"/referrals/{r.pk}/action/submit/", {"version": r.version})
    assert ok.status_code == 302
    assert Referral.objects.get().state == ReferralState.SUBMITTED
    # the head's step is refused to an officer
    assert (
        officer.post(f"/referrals/{r.pk}/action/approve/", {"version": r.version + 1}).status_code
        == 403
    )
    # another prefecture gets the 404 of a missing transfer
    other = client_for(cw.w.karamay_officer)
    assert other.get(f"/referrals/{r.pk}/").status_code == 404
    assert other.get(f"/referrals/flags/{the_flag.pk}/").status_code == 404


def test_the_api_flags_and_reads(cw: CaseWorld, client_for: ClientFor) -> None:
    case = filed(cw)
    api = client_for(cw.officer)
    bad = api.post(
        "/api/v1/referral-flags/",
        {
            "case": case.pk,
            "trigger": "accident_consequence",
            "facts": {"deaths": 0, "serious_injuries": 1, "direct_loss": 10_000, "accident": "x"},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"facts"}
    ok = api.post(
        "/api/v1/referral-flags/",
        {
            "case": case.pk,
            "trigger": "accident_consequence",
            "facts": {"deaths": 1, "accident": "x"},
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["facts"] == {
        "deaths": 1,
        "serious_injuries": 0,
        "direct_loss": 0,
        "accident": "x",
    }
    listed = api.get("/api/v1/referral-flags/").json()
    assert [f["id"] for f in listed["results"]] == [ok.json()["id"]]
    assert client_for(cw.w.karamay_officer).get("/api/v1/referral-flags/").json()["results"] == []
    r = referral(cw, ReferralFlag.objects.get())
    body = api.get(f"/api/v1/referrals/{r.pk}/").json()
    assert (body["state"], body["actions"]) == ("drafting", ["submit"])
    moved = api.post(
        f"/api/v1/referrals/{r.pk}/actions/",
        {"action": "submit", "version": r.version},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["state"] == "submitted"
    again = api.post(
        f"/api/v1/referrals/{r.pk}/actions/",
        {"action": "submit", "version": moved.json()["version"]},
        content_type="application/json",
    )
    assert again.status_code == 409
    audit = client_for(cw.head).get("/api/v1/referrals/audit/?on=2026-12-30").json()
    assert audit["rows"][0]["reason"] == "approval_overdue"
    assert audit["per_office"] == [
        {"agency": cw.w.tianshan.pk, "name": cw.w.tianshan.name, "cases": 1}
    ]


def test_the_audit_page_per_office(cw: CaseWorld, client_for: ClientFor) -> None:
    f = flag(cw)
    page = client_for(cw.w.prefecture_officer).get("/referrals/audit/?on=2026-12-04")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-reason="no_report" data-case="{f.case_id}"' in html
    assert cw.w.tianshan.name in html
    assert dt.date(2026, 12, 4).isoformat() in html
