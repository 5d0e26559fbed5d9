"""The officers' pages and the certificate API: list, history, admin actions, expiring soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from inspectorate.org.models import Certificate, CertificateEvent, User
from inspectorate.org.services import certificate_issue
from tests.conftest import World, zh

ClientFor = Callable[[User | None], Client]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def cert(world: World) -> Certificate:
    return certificate_issue(
        actor=world.tianshan_admin,
        officer=world.tianshan_officer,
        number="65010220260009",
        issuing_authority="新疆维吾尔自治区人民政府",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        sectors=[],
    )


def _counts() -> tuple[int, int]:
    return Certificate.objects.filter(status="valid").count(), CertificateEvent.objects.count()


def test_officer_list_shows_status_and_expiry(
    world: World, cert: Certificate, client_for: ClientFor
) -> None:
    page = client_for(world.tianshan_head).get("/officers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "65010220260009" in html
    assert "2026-12-31" in html
    assert zh("Valid today") in html
    assert world.karamay_officer.username not in html  # outside the scope


def test_admin_suspends_from_the_officer_page(
    world: World, cert: Certificate, client_for: ClientFor
) -> None:
    admin = client_for(world.tianshan_admin)
    page = admin.get(f"/officers/{world.tianshan_officer.pk}/")
    assert 'data-testid="action-suspend"' in page.content.decode()
    before = _counts()
    bad = admin.post(f"/officers/certificates/{cert.pk}/suspend/", {"on": "2026-06-01"})
    assert bad.status_code == 400
    assert 'class="errorlist"' in bad.content.decode()  # at the reason field
    assert _counts() == before
    ok = admin.post(
        f"/officers/certificates/{cert.pk}/suspend/",
        {"on": "2026-06-01", "reason": "涉嫌违纪", "version": "1"},
    )
    assert ok.status_code == 302
    cert.refresh_from_db()
    assert (cert.status, cert.version) == ("suspended", 2)
    html = admin.get(f"/officers/{world.tianshan_officer.pk}/").content.decode()
    assert "涉嫌违纪" in html
    assert 'data-testid="action-reinstate"' in html
    assert 'data-testid="action-suspend"' not in html


def test_other_roles_see_no_actions_and_are_refused(
    world: World, cert: Certificate, client_for: ClientFor
) -> None:
    head = client_for(world.tianshan_head)
    page = head.get(f"/officers/{world.tianshan_officer.pk}/")
    assert page.status_code == 200
    assert "action-suspend" not in page.content.decode()
    before = _counts()
    refused = head.post(
        f"/officers/certificates/{cert.pk}/suspend/", {"on": "2026-06-01", "reason": "r"}
    )
    assert refused.status_code == 403
    outside = client_for(world.karamay_head).post(
        f"/officers/certificates/{cert.pk}/suspend/", {"on": "2026-06-01", "reason": "r"}
    )
    assert outside.status_code == 404
    assert _counts() == before


def test_expiring_page(world: World, cert: Certificate, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_head)
    html = client.get("/officers/expiring/").content.decode()
    assert "65010220260009" in html  # 2026-12-31 is within 60 days of today (2026-11-30)
    days_left = (dt.date(2026, 12, 31) - timezone.localdate()).days
    assert f"<td>{days_left}</td>" in html
    html = client.get("/officers/expiring/?days=10").content.decode()
    assert ("65010220260009" in html) == (days_left <= 10)


def test_api_actions(world: World, cert: Certificate, client_for: ClientFor) -> None:
    admin = client_for(world.tianshan_admin)
    url = f"/api/v1/certificates/{cert.pk}/"
    bad = admin.post(url + "renew/", {"valid_from": "2027-01-01"}, content_type="application/json")
    assert bad.status_code == 400
    assert list(bad.json()["extra"]["fields"]) == ["valid_until"]
    before = _counts()
    refused = client_for(world.tianshan_officer).post(
        url + "suspend/", {"on": "2026-06-01", "reason": "r"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert _counts() == before
    ok = admin.post(
        url + "renew/",
        {"valid_from": "2027-01-01", "valid_until": "2031-12-31", "number": "65010220270001"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    body = ok.json()
    assert (body["number"], body["valid_until"], body["version"]) == (
        "65010220270001",
        "2031-12-31",
        2,
    )
    assert [(e["kind"], e["number"]) for e in body["events"]] == [
        ("issued", "65010220260009"),
        ("renewed", "65010220270001"),
    ]
    assert admin.post(url + "explode/", {}, content_type="application/json").status_code == 404
