"""Exams in a real browser, on the demo province.

天山区's officer (``county_officer``) takes 天山区's December practice exam: starts it from
the exams tab, sees the countdown to the due time, answers (one multiple-choice item only
half right: no partial credit), hands it in and reads the score and the feedback. The
region's legal reviewer marks the case analysis that awaited marking in the region's 2026
exam, and the results page of that exam then shows every candidate scored.

The clock is fixed at 1 December 2026, 10:00 (Beijing) inside the practice exam's window.
Photographed: the exams list, the attempt, the result, the marking page and the results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.exams.models import Attempt, Exam
from tests.browser.test_planning import click, login, no_horizontal_overflow, success
from tests.conftest import zh

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LETTERS = "ABCDEFGH"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``timezone.now()`` runs from 1 December 2026 10:00 (test and live server alike)."""
    real = timezone.now
    started = real()
    monkeypatch.setattr(timezone, "now", lambda: NOW + (real() - started))
    return


def test_take_the_practice_exam_and_mark_the_region_exam(
    demo: str,
    clock: None,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    practice = Exam.objects.get(title="2026年12月天山区执法人员法律知识练习考试")
    page = new_page()
    login(page, demo, "county_officer")
    page.goto(f"{demo}/exams/")
    assert page.locator("nav.tabs a.active").inner_text() == zh("Exams")
    row = page.locator(f"[data-testid=open-exams] tr[data-exam='{practice.pk}']")
    assert row.count() == 1
    # the region's exam, taken in September: 91.0, passed
    assert "91.0" in page.locator("[data-testid=my-results]").inner_text()
    screenshot(page, "exams-list")
    no_horizontal_overflow(page)

    click(
        page, f"[data-testid=open-exams] tr[data-exam='{practice.pk}'] [data-testid=start-attempt]"
    )
    attempt = Attempt.objects.get(exam=practice, candidate__username="county_officer")
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/")
    assert (
        attempt.due_at == NOW.replace(minute=0) + dt.timedelta(minutes=30) or attempt.due_at > NOW
    )
    countdown = page.locator("[data-testid=time-left]").inner_text()
    assert countdown.startswith(("29:", "30:")), countdown
    items = list(attempt.items.order_by("position"))
    assert [i.kind for i in items] == ["single"] * 4 + ["multiple"] * 2 + ["true_false"] * 5
    for item in items:
        chosen = item.correct[:1] if item.position == 5 else item.correct
        for n in chosen:
            page.check(f"[data-testid=option-{item.position}-{LETTERS[n]}]")
    screenshot(page, "exams-attempt")
    click(page, "[data-testid=attempt-submit]")
    success(page)
    attempt.refresh_from_db()
    # 4 × 10 + 15 (item 6) + 5 × 6 = 85 of 100: item 5 half right scores nothing
    assert (attempt.state, attempt.score, attempt.percent, attempt.passed) == (
        "finished",
        Decimal("85.00"),
        Decimal("85.0"),
        True,
    )
    assert page.locator("[data-testid=attempt-percent]").inner_text() == "85.0 %"
    assert page.locator("[data-testid=item-score-5]").inner_text().startswith(zh("Wrong"))
    screenshot(page, "exams-result")
    no_horizontal_overflow(page)

    # the region's legal reviewer marks the case analysis awaiting marking
    region = Exam.objects.get(title="2026年度全区安全生产执法人员法律知识考试")
    waiting = Attempt.objects.get(exam=region, state="marking")
    assert waiting.candidate.username == "officer_650100_1"
    marker = new_page()
    login(marker, demo, "prov_reviewer")
    marker.goto(f"{demo}/exams/marking/")
    click(marker, f"[data-testid=mark-{waiting.pk}]")
    case = waiting.items.get(kind="case")
    for n, criterion in enumerate(case.rubric, start=1):
        marker.fill(f"[name=i{case.position}-mark_{n}]", str(criterion["points"]))
    marker.fill(f"[name=i{case.position}-comment]", "依据和期限均准确。")
    screenshot(marker, "exams-marking")
    click(marker, f"[data-testid=mark-save-{case.position}]")
    success(marker)
    waiting.refresh_from_db()
    # 75 objective points (item 6 wrong) + 20 of 20 = 95.0
    assert (waiting.state, waiting.percent, waiting.passed) == ("finished", Decimal("95.0"), True)

    marker.goto(f"{demo}/exams/{region.pk}/results/")
    assert marker.locator("[data-testid=n-candidates]").inner_text() == "5"
    assert marker.locator("[data-testid=n-took]").inner_text() == "4"
    assert marker.locator("[data-testid=n-passed]").inner_text() == "4"
    assert marker.locator("[data-testid=n-pending]").inner_text() == "0"
    assert marker.locator("[data-testid=pass-rate]").inner_text() == "100.0 %"
    # (91.0 + 90.0 + 77.0 + 95.0) / 4 = 88.25 → 88.3
    assert marker.locator("[data-testid=average]").inner_text() == "88.3 %"
    retake = marker.locator("[data-testid=results-table] tr[data-user=officer_650102_1]")
    assert "53.5" in retake.inner_text()
    assert "90.0" in retake.inner_text()
    screenshot(marker, "exams-results")
    no_horizontal_overflow(marker)
