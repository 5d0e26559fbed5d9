"""Officers and enforcement certificates in a real browser, on the demo province.

The demo's certificate office renewed a lapsed 克拉玛依 certificate, suspended 新市区's
``officer_650104_2`` on 2026-11-18 and suspended and reinstated a 米东区 certificate.
乌鲁木齐's administrator sees the suspension in the list (乌鲁木齐's offices only) and the
history, is told in Chinese that a reinstatement needs its date, then reinstates; the
region's administrator reads the certificates expiring within 60 days of 2026-11-30. The
pages are photographed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from inspectorate.org.models import Agency, Certificate, CertificateEventKind, CertificateStatus
from tests.browser.test_planning import click, login, no_horizontal_overflow, success, zh

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """``timezone.localdate()`` is the demo's 2026-11-30, in the tests and the live server."""
    from django.utils import timezone

    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return TODAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def test_prefecture_admin_reinstates_and_the_region_reads_the_expiring_list(
    demo: str,
    today: dt.date,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
) -> None:
    cert = Certificate.objects.select_related("officer").get(officer__username="officer_650104_2")
    assert cert.status == CertificateStatus.SUSPENDED
    page = new_page()
    login(page, demo, "pref_admin")
    page.goto(f"{demo}/officers/")
    rows = page.locator("[data-testid=officer-list] tbody tr[data-officer]")
    # 乌鲁木齐's offices only, the city's own and its districts'
    offices = set(rows.locator("td:nth-child(2)").all_inner_texts())
    expected = set(
        Agency.objects.filter(jurisdiction__code__startswith="6501")
        .exclude(members__isnull=True)
        .values_list("name", flat=True)
    )
    assert offices == expected
    assert "新市区应急管理局" in offices
    assert "克拉玛依市应急管理局" not in offices
    row = page.locator(f"[data-testid=officer-list] tr[data-officer='{cert.officer_id}']")
    assert cert.number in row.inner_text()
    with translation.override("zh-hans"):
        assert str(CertificateStatus.SUSPENDED.label) == "暂扣"
    assert "暂扣" in row.inner_text()
    screenshot(page, "officers-list")
    no_horizontal_overflow(page)

    page.goto(f"{demo}/officers/{cert.officer_id}/")
    history = page.locator(f"[data-testid=certificate-{cert.pk}] [data-testid=certificate-history]")
    assert "2026-11-18" in history.inner_text()
    assert "调查核实期间暂停执法资格" in history.inner_text()
    form = page.locator(f"[data-testid=certificate-{cert.pk}] [data-testid=action-reinstate]")
    form.locator("[name=on]").fill("")
    click(page, f"[data-testid=certificate-{cert.pk}] [data-testid=action-reinstate] button")
    form = page.locator(f"[data-testid=certificate-{cert.pk}] [data-testid=action-reinstate]")
    assert zh("Enter a valid date.") in form.inner_text()
    revoke = page.locator(f"[data-testid=certificate-{cert.pk}] [data-testid=action-revoke]")
    assert zh("Enter a valid date.") not in revoke.inner_text()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED  # nothing written
    screenshot(page, "officers-detail")

    form = page.locator(f"[data-testid=certificate-{cert.pk}] [data-testid=action-reinstate]")
    form.locator("[name=on]").fill("2026-11-30")
    form.locator("[name=reason]").fill("经调查投诉不属实，恢复执法资格")
    click(page, f"[data-testid=certificate-{cert.pk}] [data-testid=action-reinstate] button")
    success(page)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    assert list(cert.events.order_by("on", "id").values_list("kind", flat=True))[-2:] == [
        CertificateEventKind.SUSPENDED,
        CertificateEventKind.REINSTATED,
    ]
    # suspended from 11-18 to 11-29, valid again from 11-30
    assert cert.officer.valid_certificate(dt.date(2026, 11, 29)) is None
    assert cert.officer.valid_certificate(dt.date(2026, 11, 30)) == cert
    assert "经调查投诉不属实" in page.locator("main").inner_text()
    no_horizontal_overflow(page)

    region = new_page()
    login(region, demo, "prov_admin")
    region.goto(f"{demo}/officers/expiring/")
    table = region.locator("[data-testid=expiring-list]").inner_text()
    expiring = Certificate.objects.filter(
        valid_until__gte=TODAY, valid_until__lte=TODAY + dt.timedelta(days=60)
    ).exclude(status=CertificateStatus.REVOKED)
    assert expiring.count() >= 1
    for number in expiring.values_list("number", flat=True):
        assert number in table
    # the certificate renewed in advance is not on the list any more
    renewed = Certificate.objects.get(officer__username="officer_650000_3")
    assert renewed.valid_until == dt.date(2029, 12, 29)
    assert renewed.number not in table
    screenshot(region, "officers-expiring")
    no_horizontal_overflow(region)
