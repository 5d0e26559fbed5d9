"""The law library and the law-update study in a real browser, on the demo province.

The demo added a fictional policy document of the region (演示文本) in two versions; the
second (effective 2026-10-01) changed Arts. 4 and 6 and added Art. 6之一. 天山区's officer
opens the library and the document, finds the study item in "my study items", reads the
comparison, and completes the item with a study note. 天山区's head then sees the
completion of the version in 天山区 and the officer's note in the drill-down.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspectorate.legal.demo import CODE
from inspectorate.legal.models import StudyItem
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser

NOTE = "对照修订前后条文，第四条要求持有效执法证件并随机抽查，第六条明确音像资料上传和保存期限。"


def test_study_a_new_version_and_follow_completion(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    item = StudyItem.objects.select_related("law_version").get(
        law_version__law__code=CODE,
        law_version__label__startswith="2026年修订",
        officer__username="county_officer",
    )
    assert item.state == "assigned"
    page = new_page()
    login(page, demo, "county_officer")

    page.goto(f"{demo}/legal/")
    assert page.locator("[data-testid=law-table] tbody tr[data-law]").count() == 18
    screenshot(page, "legal-laws")
    no_horizontal_overflow(page)

    page.click(f"tr[data-law={CODE}] a")
    page.wait_for_load_state()
    assert "演示文本" in page.locator("[data-testid=law-title]").inner_text()
    assert page.locator("[data-testid=articles] .article").count() == 9
    screenshot(page, "legal-law-detail")
    no_horizontal_overflow(page)

    page.goto(f"{demo}/legal/study/")
    row = page.locator(f"[data-testid=study-pending] tr[data-item='{item.pk}']")
    assert row.count() == 1
    screenshot(page, "legal-study")
    no_horizontal_overflow(page)

    row.locator("a.btn").click()
    page.wait_for_load_state()
    page.click("[data-testid=study-compare]")
    page.wait_for_load_state()
    changed = page.locator("[data-testid=changed]")
    assert [changed.nth(i).get_attribute("data-article") for i in range(changed.count())] == [
        "第四条",
        "第六条",
    ]
    assert page.locator("[data-testid=added]").get_attribute("data-article") == "第六条之一"
    assert page.locator("[data-testid=removed]").count() == 0
    screenshot(page, "legal-compare")
    no_horizontal_overflow(page)

    page.go_back()
    page.wait_for_load_state()
    page.fill("[data-testid=study-form] [name=note]", NOTE)
    click(page, "[data-testid=study-complete]")
    success(page)
    item.refresh_from_db()
    assert (item.state, item.note) == ("completed", NOTE)
    assert page.locator(f"[data-testid=study-done] tr[data-item='{item.pk}']").count() == 1

    head = new_page()
    login(head, demo, "county_head")
    head.goto(f"{demo}/legal/completion/{item.law_version_id}/")
    done = StudyItem.objects.filter(
        law_version=item.law_version, jurisdiction_code="650102", state="completed"
    ).count()
    assert head.locator("[data-testid=t-completed]").inner_text() == str(done)
    head.click("[data-testid=completion-offices] tr[data-agency] a >> nth=0")
    head.wait_for_load_state()
    officer_row = head.locator("[data-testid=completion-items] tr[data-officer=county_officer]")
    assert NOTE[:20] in officer_row.inner_text()
    screenshot(head, "legal-completion")
    no_horizontal_overflow(head)
