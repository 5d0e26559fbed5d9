"""The annual assessment in a real browser, on the demo province.

The demo computed the 2026 assessment of every office of the province with enforcement
officers (from the demo's training, exams, case-file review, the reconsideration that
revoked a 天山区 decision and the accountability scan's missed deadlines) and 天山区's head
confirmed 天山区's. The province's head opens the province view, drills into 天山区 and
opens an officer's detail (photographed: assessment-province, assessment-office,
assessment-officer). 天山区's head then computes and confirms the office's 2025 assessment
(2026's is confirmed already).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspectorate.assessment.models import AssessmentResult, OfficeAssessment
from inspectorate.cases.models import DecisionChallenge
from inspectorate.org.models import Agency, User
from tests.browser.test_planning import click, login, no_horizontal_overflow, success
from tests.conftest import zh

pytestmark = pytest.mark.browser


def test_province_report_drill_down_and_confirm(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    tianshan = Agency.objects.filter(jurisdiction_id="650102").order_by("id").first()
    assert tianshan is not None
    office = OfficeAssessment.objects.get(agency=tianshan, year=2026)
    assert office.confirmed
    officer = User.objects.get(username="county_officer")
    result = AssessmentResult.objects.get(office=office, officer=officer)
    assert result.overturned_score is not None
    assert result.overturned_score < 100  # the reconsideration that revoked its decision

    page = new_page()
    login(page, demo, "prov_head")
    page.goto(f"{demo}/assessment/offices/?year=2026")
    rows = page.locator("[data-testid=offices-table] tbody tr[data-agency]")
    assert rows.count() == OfficeAssessment.objects.filter(year=2026).count()
    row = page.locator(f"[data-testid=offices-table] tr[data-agency='{tianshan.pk}']")
    assert zh("Confirmed") in row.inner_text()
    screenshot(page, "assessment-province")
    no_horizontal_overflow(page)

    with page.expect_navigation():
        row.locator("a").click()
    assert page.locator("[data-testid=office-table] tbody tr[data-officer]").count() == (
        office.results.count()
    )
    assert zh("Confirmed") in page.locator("[data-testid=office-state]").inner_text()
    assert page.locator("[data-testid=compute-form]").count() == 0  # confirmed: no recompute
    screenshot(page, "assessment-office")

    with page.expect_navigation():
        page.locator(f"tr[data-officer='{officer.pk}'] a").click()
    assert page.locator("[data-testid=total]").inner_text() == str(result.total)
    overturned = page.locator("[data-component=overturned]").inner_text()
    assert str(result.overturned_score) in overturned
    screenshot(page, "assessment-officer")

    # the revoked decision on its case page, with the result's legal basis
    challenge = DecisionChallenge.objects.get(result="revoked")
    page.goto(f"{demo}/cases/{challenge.case_id}/")
    section = page.locator("[data-testid=challenges]")
    assert challenge.result_reference in section.inner_text()
    assert "《行政复议法》第六十四条" in section.inner_text()

    # 天山区's head computes and confirms the 2025 assessment of the office
    page = new_page()
    login(page, demo, "county_head")
    page.goto(f"{demo}/assessment/?year=2025")
    assert page.locator("[data-testid=not-computed]").count() == 1
    click(page, "[data-testid=compute-form] button")
    success(page)
    click(page, "[data-testid=confirm-form] button")
    success(page)
    confirmed = OfficeAssessment.objects.get(agency=tianshan, year=2025)
    assert confirmed.confirmed_on is not None
    assert page.locator("[data-testid=compute-form]").count() == 0
