"""Accountability in a real browser, on the demo province (whose loader ran the scan last).

An act without a valid certificate is made real: 天山区's ``county_officer``'s certificates
are taken to have expired yesterday and an inspection start of his is in today's record.
天山区's head runs the scan from the list page; 乌鲁木齐's head (the office above) opens the
item raised about the officer, takes up the review and concludes it with 暂扣执法证件 — the
certificate stays as it was (the certificate office acts on it). The list, the item, the
matrix and the summary are photographed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from inspectorate.accountability.models import AccountabilityItem, ItemKind
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Certificate, CertificateEvent, User
from tests.browser.test_planning import click, login, no_horizontal_overflow, success

pytestmark = pytest.mark.browser


def test_scan_review_and_conclude_an_act_without_a_certificate(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    today = timezone.localdate()
    officer = User.objects.select_related("agency").get(username="county_officer")
    assert officer.agency is not None
    expired = {
        "valid_from": today - dt.timedelta(days=700),
        "valid_until": today - dt.timedelta(days=1),
    }
    Certificate.objects.filter(officer=officer).update(**expired)
    # and the periods its history granted (validity is answered from the history)
    CertificateEvent.objects.filter(certificate__officer=officer, valid_from__isnull=False).update(
        **expired
    )
    with transaction.atomic():
        record_append(
            kind=RecordKind.INSPECTION_STARTED,
            actor=officer,
            jurisdiction_code=officer.agency.jurisdiction_id,
            subject=("inspections.inspection", "0"),
            payload={"browser_test": True},
        )

    # 1. 天山区's head runs the scan from the list page
    head = new_page()
    login(head, demo, "county_head")
    head.goto(f"{demo}/accountability/")
    assert head.locator("[data-testid=scan-form]").count() == 1
    click(head, "[data-testid=scan-button]")
    success(head)
    item = AccountabilityItem.objects.get(
        kind=ItemKind.NO_CERTIFICATE, person=officer, ref=today.isoformat()
    )
    assert item.jurisdiction_code == "650102"
    assert head.locator(f"tr[data-item='{item.pk}']").count() == 1

    # 2. the officer sees the item about him, without any review form
    own = new_page()
    login(own, demo, "county_officer")
    own.goto(f"{demo}/accountability/{item.pk}/")
    assert own.locator("[data-testid=person-note]").count() == 1
    assert own.locator("[data-testid=review-form]").count() == 0

    # 3. the prefecture's head reviews and concludes it
    upper = new_page()
    login(upper, demo, "pref_head")
    upper.goto(f"{demo}/accountability/?person={officer.pk}")
    screenshot(upper, "accountability-list")
    no_horizontal_overflow(upper)
    upper.goto(f"{demo}/accountability/{item.pk}/")
    click(upper, "[data-testid=review-form] button[type=submit]")
    success(upper)
    form = "[data-testid=conclude-form]"
    upper.select_option(f"{form} [name=outcome]", "certificate_suspended")
    upper.fill(f"{form} [name=finding]", "执法证件过期后仍实施现场检查，建议暂扣执法证件。")
    click(upper, f"{form} button[type=submit]")
    success(upper)
    assert upper.locator("[data-testid=item-outcome]").inner_text() == "暂扣执法证件"
    assert upper.locator("[data-testid=certificate-note]").count() == 1
    screenshot(upper, "accountability-item")
    item.refresh_from_db()
    assert (item.state, item.reviewer.username, item.outcome.code) == (  # type: ignore[union-attr]
        "concluded",
        "pref_head",
        "certificate_suspended",
    )
    assert set(Certificate.objects.filter(officer=officer).values_list("status", flat=True)) == {
        "valid"
    }

    # 4. the matrix and the summary
    upper.goto(f"{demo}/accountability/matrix/")
    assert upper.locator("[data-testid=matrix] tbody tr").count() == 10
    screenshot(upper, "accountability-matrix")
    upper.goto(f"{demo}/accountability/summary/")
    assert upper.locator("[data-testid=summary-offices] tbody tr").count() >= 1
    screenshot(upper, "accountability-summary")
