"""A penalty case through the pages in a real browser, and the party on the portal.

On the demo province (which holds 天山区's demo cases), on 2026-12-01: ``county_officer``
proposes a case against the demo enterprise user's unit (the team lead as second
investigator), the head approves the filing, the officer records the violation at the
recommendation the page shows before it is saved (安全生产法 Art. 97 (5): 一般,
30,000–70,000, 50,000 yuan) and submits the report; the head sends it to legal review, the
legal reviewer to collective discussion, and the head notifies the party. The enterprise
user then finds the case on its portal, states its case and asks for a hearing. The
workbench, the case page, the calculator and the portal's case are photographed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from inspectorate.cases.models import Case, CaseState, CaseViolation
from inspectorate.org.models import User
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 12, 1)  # a Tuesday; the demo's cases are of November 2026


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """``timezone.localdate()`` is DAY for the tests and the live server's thread alike."""
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return DAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return DAY


def _as(new_page: Callable[..., Any], base: str, username: str) -> Any:
    page = new_page()
    login(page, base, username)
    return page


def _step(page: Any, action: str, **fields: str) -> None:
    form = f"[data-testid=step-{action}]"
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    click(page, f"{form} button[type=submit]")
    success(page)


def test_a_case_from_filing_to_the_notice_and_the_party_on_the_portal(
    demo: str,
    today: dt.date,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    party_user = User.objects.select_related("enterprise").get(username="enterprise_user")
    unit = party_user.enterprise
    assert unit is not None
    lead = User.objects.get(username="county_lead")

    # 1. the officer proposes the case
    officer = _as(new_page, demo, "county_officer")
    officer.goto(f"{demo}/cases/")
    assert officer.locator("main h1").inner_text() == zh("My penalty cases")
    click(officer, "[data-testid=new-case-link]")
    form = "[data-testid=case-form]"
    officer.select_option(f"{form} [name=source]", "complaint")
    officer.fill(f"{form} [name=source_reference]", "12350-2026-1130")
    officer.fill(f"{form} [name=enterprise]", unit.credit_code)
    officer.fill(f"{form} [name=summary]", "未如实记录事故隐患排查治理情况")
    officer.fill(f"{form} [name=facts]", "经查，该单位2026年第三季度未记录事故隐患排查治理情况。")
    officer.fill(f"{form} [name=act_date]", "2026-10-31")
    officer.fill(f"{form} [name=discovered_on]", "2026-11-27")
    officer.select_option(f"{form} [name=second_investigator]", str(lead.pk))
    click(officer, f"{form} button[type=submit]")
    success(officer)
    case = Case.objects.filter(enterprise=unit, state=CaseState.FILING).get()
    assert officer.url.endswith(f"/cases/{case.pk}/")

    # 2. the head approves the filing
    head = _as(new_page, demo, "county_head")
    head.goto(f"{demo}/cases/{case.pk}/")
    _step(head, "approve_filing")
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert "应急立〔2026〕" in head.locator("[data-testid=case-title]").inner_text()

    # 3. the violation at the recommendation the page shows before it is saved
    officer.goto(f"{demo}/cases/{case.pk}/")
    vform = "[data-testid=violation-form]"
    officer.select_option(f"{vform} [name=provision]", "97-5-unit-base")
    officer.fill(f"{vform} [name=description]", "2026年第三季度未记录事故隐患排查治理情况")
    officer.click("[data-testid=preview]")
    amount = officer.locator("#violation-preview [data-testid=rec-amount]")
    amount.wait_for()
    assert amount.inner_text() == "50,000"
    assert (
        "30,000–70,000"
        in officer.locator("#violation-preview [data-testid=rec-range]").inner_text()
    )
    assert "一般" in officer.locator("#violation-preview [data-testid=rec-tier]").inner_text()
    click(officer, f"{vform} button[type=submit]")
    success(officer)
    violation = CaseViolation.objects.get(case=case)
    assert (violation.tier, violation.proposed) == ("general", 50_000)
    assert officer.locator("[data-testid=recommended]").inner_text().startswith("50,000")
    no_horizontal_overflow(officer)
    screenshot(officer, "cases-detail")
    _step(officer, "submit_report", report="事实清楚，证据确凿，建议按一般阶次罚款五万元。")
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEWING

    # 4. review, legal review, collective discussion, notice
    head.goto(f"{demo}/cases/{case.pk}/")
    _step(head, "to_legal_review", opinion="事实清楚，拟处罚款达到法制审核数额。")
    reviewer = _as(new_page, demo, "county_reviewer")
    reviewer.goto(f"{demo}/cases/{case.pk}/")
    _step(reviewer, "legal_to_discussion", opinion="主体适格，事实清楚，适用法律正确。")
    head.goto(f"{demo}/cases/{case.pk}/")
    _step(
        head,
        "discussion_notify",
        participants="局长、分管副局长、法规科科长",
        record="同意拟处罚款五万元，告知听证权利。",
    )
    case.refresh_from_db()
    assert (case.state, case.notified_amount, case.hearing_right) == (
        CaseState.NOTIFIED,
        50_000,
        True,
    )

    # 5. the party on its portal: its case, a statement, a hearing
    party = _as(new_page, demo, "enterprise_user")
    party.goto(f"{demo}/portal/")
    click(party, f"[data-case='{case.pk}'] a.btn")
    assert party.url.endswith(f"/portal/cases/{case.pk}/")
    assert "50,000" in party.locator("[data-testid=notified-amount]").inner_text()
    kinds = set(
        party.locator("[data-testid=documents] li").evaluate_all(
            "items => items.map(li => li.dataset.kind)"
        )
    )
    assert kinds == {"penalty_notice", "hearing_notice"}
    no_horizontal_overflow(party)
    screenshot(party, "cases-portal")
    party.fill(
        "[data-testid=statement-form] [name=text]", "我单位已补建隐患排查治理台账，请求从轻处罚。"
    )
    click(party, "[data-testid=statement-form] button[type=submit]")
    success(party)
    assert "请求从轻处罚" in party.locator("[data-testid=statements]").inner_text()
    click(party, "[data-testid=request-hearing]")
    success(party)
    assert Case.objects.get(pk=case.pk).state == CaseState.HEARING
    assert party.locator("[data-testid=hearing]").count() == 1

    # the office sees both on the case page
    officer.goto(f"{demo}/cases/{case.pk}/")
    assert "请求从轻处罚" in officer.locator("[data-testid=statements]").inner_text()
    assert officer.locator("[data-testid=hearing]").count() == 1

    # 6. the workbench and the calculator
    officer.goto(f"{demo}/cases/")
    assert officer.locator(f"[data-case='{case.pk}']").count() == 1
    no_horizontal_overflow(officer)
    screenshot(officer, "cases-workbench")
    officer.goto(f"{demo}/cases/calculator/")
    officer.select_option("[data-testid=calculator-form] [name=provision]", "97-5-unit-base")
    officer.check("[data-testid=calculator-form] [name=repeat]")
    click(officer, "[data-testid=calculate]")
    assert "从重" in officer.locator("[data-testid=rec-tier]").inner_text()
    assert officer.locator("[data-testid=rec-range]").inner_text() == "70,000–100,000"
    assert officer.locator("[data-testid=rec-amount]").inner_text() == "85,000"
    no_horizontal_overflow(officer)
    screenshot(officer, "cases-calculator")
