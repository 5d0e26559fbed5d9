"""Oversight through the pages in a real browser, on the demo province on 2026-11-30.

乌鲁木齐市's head looks at the dashboard of its counties and drills into a number, issues a
supervision order to 天山区, whose officer replies; the head returns the reply once with
reasons and then accepts the second one. 乌鲁木齐市's supervisor reads the demo's case-file
review and the results per office; the region's head reads the missed-detection report.
The dashboard, the order, the review and the report are photographed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.org.models import Agency
from inspectorate.oversight.models import SupervisionOrder, SupervisionReply, SupervisionState
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 11, 30)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return DAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return DAY


def _as(new_page: Callable[..., Any], base: str, username: str) -> Any:
    page = new_page()
    login(page, base, username)
    return page


def test_supervision_and_review_through_the_pages(
    demo: str,
    today: dt.date,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    county = Agency.objects.filter(jurisdiction_id="650102").order_by("id").first()
    assert county is not None
    head = _as(new_page, demo, "pref_head")
    head.goto(f"{demo}/oversight/")
    table = head.locator("[data-testid=dashboard]")
    assert table.locator("tr[data-office='650102']").count() == 1
    no_horizontal_overflow(head)
    screenshot(head, "oversight-dashboard")
    row = table.locator("tr[data-office='650102']")
    overdue = row.locator("[data-testid=hazards]").inner_text()
    with head.expect_navigation():
        row.locator("[data-testid=hazards]").click()
    assert head.locator("[data-testid=metric-list] tbody tr").count() == max(int(overdue), 1)

    # the head issues an order to 天山区
    head.goto(f"{demo}/oversight/orders/new/")
    form = "[data-testid=order-form]"
    head.select_option(f"{form} [name=addressee]", str(county.pk))
    head.select_option(f"{form} [name=subject_kind]", "other")
    head.fill(f"{form} [name=subject_text]", "辖区加油站安全检查")
    head.fill(f"{form} [name=title]", "督办辖区加油站安全检查")
    head.fill(f"{form} [name=requirements]", "请于12月15日前完成检查并报告。")
    head.fill(f"{form} [name=due_date]", "2026-12-15")
    click(head, f"{form} button[type=submit]")
    success(head)
    order = SupervisionOrder.objects.get(title="督办辖区加油站安全检查")
    assert head.locator("[data-testid=notice]").inner_text() == order.document.number

    # 天山区 replies
    officer = _as(new_page, demo, "county_officer")
    officer.goto(f"{demo}/oversight/orders/{order.pk}/")
    reply = "[data-testid=reply-form]"
    officer.fill(f"{reply} [name=measures]", "已检查辖区12座加油站")
    officer.fill(f"{reply} [name=result]", "发现隐患5项，已整改4项")
    click(officer, f"{reply} button[type=submit]")
    success(officer)

    # the head returns it, the county replies again, the head accepts
    head.goto(f"{demo}/oversight/orders/{order.pk}/")
    head.fill("[data-testid=answer-form] [name=reason]", "请补充未整改隐患的处理措施")
    click(head, "[data-testid=return]")
    success(head)
    officer.goto(f"{demo}/oversight/orders/{order.pk}/")
    officer.fill(f"{reply} [name=measures]", "对未整改的1项隐患已责令停业整改")
    officer.fill(f"{reply} [name=result]", "5项隐患全部整改完毕")
    click(officer, f"{reply} button[type=submit]")
    head.goto(f"{demo}/oversight/orders/{order.pk}/")
    head.fill("[data-testid=answer-form] [name=reason]", "同意办结")
    click(head, "[data-testid=accept]")
    success(head)
    order.refresh_from_db()
    assert order.state == SupervisionState.ACCEPTED
    assert SupervisionReply.objects.filter(order=order).count() == 2
    no_horizontal_overflow(head)
    screenshot(head, "oversight-order")

    # the review and the results
    supervisor = _as(new_page, demo, "pref_supervisor")
    supervisor.goto(f"{demo}/oversight/reviews/")
    with supervisor.expect_navigation():
        supervisor.locator("[data-testid=review-table] tbody a").first.click()
    assert supervisor.locator("[data-testid=total]").inner_text().startswith("93 / 100")
    screenshot(supervisor, "oversight-review")
    supervisor.goto(f"{demo}/oversight/reviews/results/")
    assert supervisor.locator("[data-testid=results] tbody tr").count() == 1

    # the region reads the missed-detection report
    region = _as(new_page, demo, "prov_head")
    region.goto(f"{demo}/oversight/missed/?start=2025-12-01&end=2026-11-30")
    assert region.locator("main h1").count() == 1
    no_horizontal_overflow(region)
    screenshot(region, "oversight-missed")
