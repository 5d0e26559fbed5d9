"""The planning pages in a real browser: a team lead builds the 2026 plan of 天山区 with the
page's buttons (create → capacity → compose → commit → draw → assign → submit), looks at
an officer's calendar, the head approves it, the public sees it and can download the draw,
and the prefecture's supervisor looks at the coverage of the plans.

The demo province (``demo`` fixture, 300 enterprises, about twenty of them supervised by
天山区) already holds a filed 2026 plan for 天山区; it is removed first so that the team
lead makes it again through the pages. Texts are compared with the catalogue (``zh()``),
so the assertions hold before and after the planning pages' Chinese is compiled.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from inspectorate.org.demo import DEMO_PASSWORD
from inspectorate.org.models import User
from inspectorate.planning.models import Plan, PlanState
from tests.browser.conftest import REPO

pytestmark = pytest.mark.browser

YEAR = 2026
TODAY = dt.date(2026, 3, 16)
TIANSHAN = "650102"


def zh(text: Any) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-testid=current-user]").count() == 1


def click(page: Any, selector: str) -> None:
    """Press a button that posts a form, and wait for the page it leads to."""
    with page.expect_navigation(timeout=60_000):
        page.click(selector)


def success(page: Any) -> str:
    assert page.locator(".messages .error").count() == 0, page.locator(".messages").inner_text()
    text: str = page.locator(".messages .success").inner_text()
    return text


def no_horizontal_overflow(page: Any) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width}px wide in a {inner}px window"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """``timezone.localdate()`` in 2026, for the tests and the live server's thread alike: a
    plan is made for this year or the next, and the holiday calendar knows 2026 at most."""
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return TODAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def test_team_lead_builds_the_plan_head_approves_public_verifies(
    demo: str,
    today: dt.date,
    new_page: Callable[..., Any],
    screenshot: Callable[..., Path],
    tmp_path: Path,
) -> None:
    Plan.objects.filter(agency__jurisdiction_id=TIANSHAN, year=YEAR).delete()
    lead_user = User.objects.get(username="county_lead")

    # the team lead creates the plan from the list
    page = new_page()
    login(page, demo, "county_lead")
    page.goto(demo + "/planning/")
    assert page.locator("main h1").inner_text() == zh("Annual inspection plans")
    assert page.locator("nav.side a.active").inner_text().strip() == zh("Planned inspection")
    page.fill("[data-testid=plan-create] input[name=year]", str(YEAR))
    click(page, "[data-testid=plan-create] button[data-action=create]")
    plan = Plan.objects.get(agency__jurisdiction_id=TIANSHAN, year=YEAR)
    assert page.url == f"{demo}/planning/{plan.pk}/"
    assert success(page)
    assert page.locator("[data-testid=plan-state]").inner_text() == zh(PlanState.DRAFT.label)
    steps = page.locator("[data-testid=capacity-steps] tbody tr")
    assert "248" in steps.nth(4).inner_text()  # 国家法定工作日 2026
    assert "国家法定工作日" in steps.nth(4).inner_text()

    # capacity: a bad share is refused at its field and nothing changes
    form = page.locator("[data-testid=capacity-form]")
    form.locator("input[name=reserve_share]").fill("1.5")
    click(page, "button[data-action=capacity]")
    assert page.locator("ul.errorlist[data-field=reserve_share]").count() == 1
    assert page.locator("input[name=reserve_share]").input_value() == "1.5"
    plan.refresh_from_db()
    assert (plan.version, str(plan.reserve_share)) == (1, "0.10")

    # ... then the days of the office: 60 on duty per officer, and one officer away in July
    officers = plan.roster.count()
    page.fill("input[name=reserve_share]", "0.10")
    page.fill("input[name=d_duty]", str(60 * officers))
    page.fill("input[name=d_annual_leave]", str(10 * officers))
    page.fill("input[name=d_study]", str(15 * officers))
    page.fill("input[name=d_comprehensive]", str(20 * officers))
    page.locator(f".month-checks[data-officer='{lead_user.pk}'] input[value='7']").check()
    click(page, "button[data-action=capacity]")
    assert success(page)
    plan.refresh_from_db()
    assert plan.capacity["non_enforcement_days"] == 85 * officers
    assert plan.roster.get(officer=lead_user).leave_months == [7]

    # compose, commit, draw, assign
    click(page, "button[data-action=compose]")
    assert success(page)
    assert page.locator("button[data-action=compose]").inner_text() == zh("Compose again")
    click(page, "button[data-action=commit]")
    assert success(page)
    seed_hash = page.locator("[data-testid=seed-hash]").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", seed_hash)
    assert page.locator("[data-testid=seed]").count() == 0  # secret until the draw
    click(page, "button[data-action=run-draw]")
    assert success(page)
    assert page.locator("[data-testid=draw-verified] .badge.verified").count() == 1
    assert page.locator("[data-testid=drawn-units] tbody tr").count() > 0
    assert page.locator("[data-testid=capacity-form]").count() == 0  # fixed by the draw
    click(page, "button[data-action=assign]")
    assert success(page)
    calendar = page.locator("[data-testid=team-calendar]")
    assert calendar.is_visible()
    assert calendar.locator("tbody tr").count() == 2  # four officers: two teams
    assert calendar.locator("thead th").count() == 14  # team, twelve months, total
    july = calendar.locator("tbody tr", has=page.locator(f"a[href$='/officers/{lead_user.pk}/']"))
    assert "away" in (july.locator("td.month").nth(6).get_attribute("class") or "")
    no_horizontal_overflow(page)
    page.locator("#assignment").scroll_into_view_if_needed()
    screenshot(page, "planning-plan")

    # an officer's calendar, from the team table
    click(page, f"[data-testid=team-calendar] a[href$='/officers/{lead_user.pk}/']")
    assert lead_user.name in page.locator("[data-testid=officer-title]").inner_text()
    july_card = page.locator("[data-testid=officer-calendar] .month-card[data-month='7']")
    assert "away" in (july_card.get_attribute("class") or "")
    total = int(page.locator("[data-testid=officer-total]").inner_text())
    assert total == page.locator("[data-testid=officer-calendar] ul.visits li").count() > 0
    no_horizontal_overflow(page)
    screenshot(page, "planning-calendar")

    # submit
    page.goto(f"{demo}/planning/{plan.pk}/")
    click(page, "button[data-action=submit]")
    assert success(page)
    assert page.locator("[data-testid=plan-state]").inner_text() == zh(PlanState.SUBMITTED.label)
    assert page.locator("button[data-action=approve]").count() == 0  # not the lead's to approve

    # the head approves
    head = new_page()
    login(head, demo, "county_head")
    head.goto(f"{demo}/planning/{plan.pk}/")
    assert head.locator("button[data-action=return]").count() == 1
    click(head, "button[data-action=approve]")
    assert success(head)
    assert head.locator("[data-testid=plan-state]").inner_text() == zh(PlanState.APPROVED.label)
    assert head.locator("#adjustments [data-testid=adjust-form]").count() == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED

    # the public, without signing in: the plan, the draw verified, no officer's name
    public = new_page()
    public.goto(demo + "/public/plans/")
    with public.expect_navigation():
        public.click(f"[data-testid=public-plans] a[href='/public/plans/{plan.pk}/']")
    assert public.locator("[data-testid=current-user]").count() == 0
    assert public.locator("[data-testid=draw-verified] .badge.verified").count() == 1
    assert public.locator("[data-testid=seed-hash]").inner_text() == seed_hash
    assert public.locator("[data-testid=public-drawn] tbody tr").count() > 0
    text = public.locator("main").inner_text()
    for po in plan.roster.select_related("officer"):
        assert po.officer.name not in text
    no_horizontal_overflow(public)
    screenshot(public, "planning-public")
    with public.expect_download() as download_info:
        public.click("[data-testid=public-draw] a[data-testid=draw-json]")
    path = tmp_path / "draw.json"
    download_info.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["seed_hash"] == seed_hash
    result = subprocess.run(  # noqa: S603 - our own script on the file just downloaded
        [sys.executable, str(REPO / "scripts" / "verify_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout
    assert "VERIFIED" in result.stdout

    # the prefecture's supervisor: the coverage of the plans in its jurisdiction
    supervisor = new_page()
    login(supervisor, demo, "pref_supervisor")
    supervisor.goto(f"{demo}/planning/coverage/?year={YEAR}")
    stats = supervisor.locator("[data-testid=coverage-stats] .stat .n")
    assert (
        int(stats.first.inner_text())
        == Plan.objects.filter(agency__jurisdiction__code__startswith="6501", year=YEAR).count()
    )
    supervisor.wait_for_selector("[data-testid=coverage-chart] svg")
    assert supervisor.locator("[data-testid=by-month] tbody tr").count() >= 12
    no_horizontal_overflow(supervisor)
    screenshot(supervisor, "planning-coverage")
    # an upper level reads the plan but has no button
    supervisor.goto(f"{demo}/planning/{plan.pk}/")
    assert supervisor.locator("main button[data-action]").count() == 0
