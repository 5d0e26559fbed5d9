"""The case library in a real browser, on the demo province.

The demo put 天山区's archived case into the library, published to the province, with
teaching notes and a comment by 乌鲁木齐's officer. 天山区's officer finds it by its
article, opens it — the party is a de-identified label, the unit's name and credit code are
nowhere on the page — and adds a comment to the discussion. The list and the entry are photographed.

Training: 天山区's team lead records attendance, its officer writes a study note, and the
progress page shows the hours (photographed: the courses, a session, the progress).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from inspectorate.org.models import User
from inspectorate.registry.models import Enterprise
from inspectorate.training.models import Attendance, LibraryCase, LibraryComment, Session
from tests.browser.test_planning import click, login, no_horizontal_overflow, success
from tests.conftest import zh

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


def test_record_attendance_write_a_note_and_read_the_progress(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    """天山区's team lead opens the courses, corrects the attendance of the September class
    of 现场检查与调查取证实务 (an excused colleague was there for half the day: more hours
    than the class gives is refused, 4 hours are recorded), 天山区's officer writes a study
    note on it, and the progress page shows the hours."""
    session = Session.objects.get(course__title="现场检查与调查取证实务", date=dt.date(2026, 9, 10))
    colleague = User.objects.get(username="officer_650102_1")
    officer = User.objects.get(username="county_officer")
    lead_page = new_page()
    login(lead_page, demo, "county_lead")
    lead_page.goto(f"{demo}/training/courses/")
    assert lead_page.locator("nav.tabs a.active").inner_text() == zh("Training")
    titles = lead_page.locator("[data-testid=course-table] td.name").all_inner_texts()
    assert "行政诉讼中的行政处罚案件审查要点" in titles
    assert "特殊作业（动火、受限空间）监管执法专题培训班" in titles
    screenshot(lead_page, "training-courses")
    no_horizontal_overflow(lead_page)

    lead_page.goto(f"{demo}/training/sessions/{session.pk}/")
    row = f"[data-testid=attendance-form] tr[data-officer='{colleague.pk}']"
    lead_page.select_option(f"{row} select", "partial")
    lead_page.fill(f"{row} input", "9")
    click(lead_page, "[data-testid=attendance-form] button[type=submit]")
    assert lead_page.locator(f"{row} .errorlist").inner_text() == zh("At most %(n)s hours.") % {
        "n": "8.0"
    }
    assert Attendance.objects.get(session=session, officer=colleague).status == "excused"
    lead_page.select_option(f"{row} select", "partial")
    lead_page.fill(f"{row} input", "4")
    click(lead_page, "[data-testid=attendance-form] button[type=submit]")
    success(lead_page)
    record = Attendance.objects.get(session=session, officer=colleague)
    assert (record.status, record.hours) == ("partial", Decimal("4.0"))

    page = new_page()
    login(page, demo, "county_officer")
    page.goto(f"{demo}/training/sessions/{session.pk}/")
    assert page.locator("[data-testid=attendance-form]").count() == 0
    page.check("[data-testid=note-form] input[name=kind][value=note]")
    page.fill(
        "[data-testid=note-form] [name=text]",
        "询问笔录要先核实被询问人身份，再告知权利义务；现场检查记录须当场由被检查单位负责人签字。",
    )
    click(page, "[data-testid=note-form] button[type=submit]")
    success(page)
    assert page.locator("[data-testid=study-notes] .comment").count() == 1
    screenshot(page, "training-session")
    no_horizontal_overflow(page)

    lead_page.goto(f"{demo}/training/progress/?year=2026")
    cell = "[data-testid=progress-table] tr[data-officer='{}'] td[data-col=sessions]"
    assert lead_page.locator(cell.format(officer.pk)).inner_text() == "66.0"
    assert lead_page.locator(cell.format(colleague.pk)).inner_text() == "16.0"
    shortfalls = lead_page.locator(
        f"[data-testid=progress-table] tr[data-officer='{colleague.pk}'] td[data-col=shortfalls]"
    ).inner_text()
    assert zh("Laws and regulations") in shortfalls
    screenshot(lead_page, "training-progress")
    no_horizontal_overflow(lead_page)
