"""An accident through the pages in a real browser, on the demo province.

天山区's officer records a report of a fire an hour ago (1 dead: 一般), informs the police on
the accident page and reports to the prefecture; then one of the injured dies: a second
death keeps it 一般, and the page shows the update. 乌鲁木齐市's officer sees both the new
accident and the demo's 较大 accident (taken through the chain, the investigation, the reply
and the findings that opened two penalty cases) and follows a finding to its case. The list,
the report form and both accident pages are photographed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from inspectorate.accidents.models import Accident, ChainNotice
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def _moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_an_accident_report_its_chain_and_the_demo_accident_with_its_cases(
    demo: str,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    now = timezone.now()
    officer = new_page()
    login(officer, demo, "county_officer")
    officer.goto(f"{demo}/accidents/")
    assert officer.locator("main h1").inner_text() == zh("Accidents")
    click(officer, "[data-testid=accident-new]")
    form = "[data-testid=accident-form]"
    officer.fill(f"{form} [name=unit_name]", "天山区某商场")
    officer.fill(f"{form} [name=occurred_at]", _moment(now - dt.timedelta(hours=1)))
    officer.fill(f"{form} [name=place]", "天山区中山路商场三层")
    officer.select_option(f"{form} [name=kind]", "fire")
    officer.fill(f"{form} [name=deaths]", "1")
    officer.fill(f"{form} [name=serious_injuries]", "2")
    officer.fill(f"{form} [name=direct_loss]", "800000")
    officer.fill(f"{form} [name=brief]", "商场三层电气线路短路引发火灾。")
    officer.fill(f"{form} [name=unit_reported_at]", _moment(now - dt.timedelta(minutes=30)))
    screenshot(officer, "accidents-new")
    click(officer, f"{form} button[type=submit]")
    success(officer)
    accident = Accident.objects.get(unit_name="天山区某商场")
    assert accident.grade == "general"
    assert officer.locator("[data-testid=grade]").inner_text() == zh("General accident")
    # Art. 10: the county informs the police
    notice = "[data-testid=chain-notice-0]"
    officer.select_option(f"{notice} [name=party]", "police")
    officer.fill(f"{notice} [name=notified_at]", _moment(now - dt.timedelta(minutes=20)))
    click(officer, f"{notice} button[type=submit]")
    success(officer)
    assert ChainNotice.objects.filter(step__accident=accident, party="police").count() == 1
    # Art. 11: the county reports to the prefecture
    step = "[data-testid=chain-report-1]"
    officer.fill(f"{step} [name=reported_at]", _moment(now - dt.timedelta(minutes=10)))
    click(officer, f"{step} button[type=submit]")
    success(officer)
    accident.refresh_from_db()
    assert accident.chain.get(seq=1).reported_at is not None
    # Art. 13: an injured person dies; still 一般 (2 deaths)
    update = "[data-testid=form-casualties]"
    officer.fill(f"{update} [name=deaths]", "2")
    officer.fill(f"{update} [name=serious_injuries]", "1")
    officer.fill(f"{update} [name=reported_at]", _moment(now - dt.timedelta(minutes=5)))
    officer.fill(f"{update} [name=note]", "一名重伤人员抢救无效死亡")
    click(officer, f"{update} button[type=submit]")
    success(officer)
    accident.refresh_from_db()
    assert (accident.deaths, accident.grade) == (2, "general")
    assert officer.locator("[data-testid=updates] tbody tr").count() == 1
    no_horizontal_overflow(officer)
    screenshot(officer, "accidents-detail-new")

    # the prefecture: the list and the demo's 较大 accident
    pref = new_page()
    login(pref, demo, "pref_officer")
    pref.goto(f"{demo}/accidents/")
    rows = pref.locator("[data-testid=accident-table] tbody tr")
    assert rows.count() == 3
    screenshot(pref, "accidents-list")
    larger = Accident.objects.get(grade="larger")
    pref.goto(f"{demo}/accidents/{larger.pk}/")
    assert pref.locator("[data-testid=state]").inner_text() == zh("Accident closed")
    amounts = pref.locator("[data-testid=findings] [data-testid=amount]").all_inner_texts()
    assert amounts == ["1500000", "216000"]
    assert pref.locator("[data-testid=screened]").count() == 1
    no_horizontal_overflow(pref)
    screenshot(pref, "accidents-detail-larger")
    click(pref, "[data-testid=case-link] >> nth=0")
    assert "/cases/" in pref.url
