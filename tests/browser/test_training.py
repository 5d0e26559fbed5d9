"""The case library in a real browser, on the demo province.

The demo put 天山区's archived case into the library, published to the province, with
teaching notes and a comment by 乌鲁木齐's officer. 天山区's officer finds it by its
article, opens it — the party is a de-identified label, the unit's name and credit code are
nowhere on the page — and adds a comment to the discussion. The list and the entry are photographed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspectorate.registry.models import Enterprise
from inspectorate.training.models import LibraryCase, LibraryComment
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser


def test_find_read_and_discuss_a_library_case(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    entry = LibraryCase.objects.select_related("case__enterprise").get()
    assert entry.province_wide
    enterprise = entry.case.enterprise
    assert isinstance(enterprise, Enterprise)
    page = new_page()
    login(page, demo, "county_officer")
    page.goto(f"{demo}/training/?article=97-5-unit-base")
    rows = page.locator("[data-testid=library-table] tbody tr[data-entry]")
    assert rows.count() == 1
    screenshot(page, "training-library-list")
    no_horizontal_overflow(page)

    page.goto(f"{demo}/training/library/{entry.pk}/")
    assert page.locator("[data-testid=entry-party]").inner_text() == entry.party_label
    # the demo unit's sector: a named one gives 某<sector>企业, the catch-all 其他 plain 某企业
    assert entry.party_label in ("某企业", f"某{enterprise.sector.name}企业")
    assert entry.party_label != enterprise.name
    body = page.locator("main").inner_text()
    assert enterprise.name not in body
    assert enterprise.credit_code not in body
    assert page.locator("[data-testid=comments] .comment").count() == 1
    page.fill("[data-testid=comment-form] [name=text]", "询问笔录中台账中断原因的追问很关键。")
    click(page, "[data-testid=comment-form] button[type=submit]")
    success(page)
    assert page.locator("[data-testid=comments] .comment").count() == 2
    assert LibraryComment.objects.filter(entry=entry).count() == 2
    screenshot(page, "training-library-entry")
    no_horizontal_overflow(page)
