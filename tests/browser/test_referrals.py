"""Crime transfers in a real browser, on the demo province.

The demo has, in 天山区, a transfer taken to the police's filing and the handover, and a
case flagged for unlicensed storage of dangerous chemicals (刑法 Art. 134-1 (3)). 天山区's
officer forms the special team with the team lead and drafts the report on that flag; the
team lead submits it; the head approves (the 24 hours run). 乌鲁木齐's head (the office
above) reads the audit of omitted transfers per office. The list, the transfer and the
audit are photographed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspectorate.org.models import User
from inspectorate.referrals.models import Referral, ReferralFlag, ReferralState
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser


def test_draft_submit_and_approve_a_transfer(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    flag = ReferralFlag.objects.get(trigger_code="unlicensed_high_risk", state="open")
    done = Referral.objects.get(state=ReferralState.HANDED_OVER)
    lead = User.objects.get(username="county_lead")

    officer = new_page()
    login(officer, demo, "county_officer")
    officer.goto(f"{demo}/referrals/")
    assert officer.locator(f"tr[data-flag='{flag.pk}']").count() == 1
    assert officer.locator(f"tr[data-referral='{done.pk}']").count() == 1
    screenshot(officer, "referrals-list")
    no_horizontal_overflow(officer)

    # 1. the special team drafts the report
    officer.goto(f"{demo}/referrals/flags/{flag.pk}/")
    form = "[data-testid=refer-form]"
    officer.check(f"{form} input[name=team][value='{lead.pk}']")
    officer.fill(f"{form} [name=police]", "乌鲁木齐市公安局天山区分局")
    officer.fill(
        f"{form} [name=report]",
        "经核实，该单位未取得危险化学品经营许可证擅自储存甲醇约12吨，涉嫌危险作业罪。",
    )
    officer.fill(f"{form} [name=items]", "甲醇储罐，2个，已查封")
    click(officer, f"{form} button[type=submit]")
    success(officer)
    referral = Referral.objects.get(flag=flag)
    assert referral.state == ReferralState.DRAFTING
    assert referral.items == [{"name": "甲醇储罐", "quantity": "2个", "note": "已查封"}]

    # 2. the team lead submits it to the head
    team_lead = new_page()
    login(team_lead, demo, "county_lead")
    team_lead.goto(f"{demo}/referrals/{referral.pk}/")
    click(team_lead, "[data-testid=step-submit] button[type=submit]")
    success(team_lead)

    # 3. the head approves: the transfer is due within 24 hours
    head = new_page()
    login(head, demo, "county_head")
    head.goto(f"{demo}/referrals/{referral.pk}/")
    assert head.locator("[data-testid=step-refuse]").count() == 1
    click(head, "[data-testid=step-approve] button[type=submit]")
    success(head)
    referral.refresh_from_db()
    assert referral.state == ReferralState.APPROVED
    assert head.locator("[data-testid=transfer-due]").count() == 1
    assert head.locator("[data-kind=referral_approval]").count() == 1
    screenshot(head, "referrals-transfer")
    no_horizontal_overflow(head)

    # 4. the office above reads the audit per office
    upper = new_page()
    login(upper, demo, "pref_head")
    upper.goto(f"{demo}/referrals/audit/")
    assert upper.locator("[data-testid=per-office]").count() == 1
    screenshot(upper, "referrals-audit")
    no_horizontal_overflow(upper)
