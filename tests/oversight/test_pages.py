"""The oversight pages and API: what they show and what a refused write leaves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.cases.models import CaseState
from inspectorate.org.models import User
from inspectorate.oversight.models import CaseFileReview, SupervisionOrder, SupervisionState
from tests.conftest import zh
from tests.oversight.conftest import OversightWorld, case, finding, inspection

ClientFor = Callable[[User | None], Client]


def test_dashboard_page_links_each_number(ow: OversightWorld, client_for: ClientFor) -> None:
    today = timezone.localdate()
    insp = inspection(ow.w.tianshan, ow.w.ent_tianshan, today - dt.timedelta(days=20))
    finding(insp, due=today - dt.timedelta(days=2))
    page = client_for(ow.prov_head).get("/oversight/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-office="650100"' in text
    assert "/oversight/dashboard/hazards/?area=6501" in text
    drill = client_for(ow.prov_head).get("/oversight/?office=650100")
    assert 'data-office="650102"' in drill.content.decode()
    listed = client_for(ow.prov_head).get("/oversight/dashboard/hazards/?area=650102")
    assert "未建立隐患排查治理台账" in listed.content.decode()
    assert client_for(ow.w.karamay_officer).get("/oversight/?office=650100").status_code == 404


def test_order_through_the_pages(ow: OversightWorld, client_for: ClientFor) -> None:
    due = timezone.localdate() + dt.timedelta(days=10)
    pref = client_for(ow.pref_head)
    bad = pref.post(
        "/oversight/orders/new/",
        {
            "addressee": ow.w.tianshan.pk,
            "subject_kind": "other",
            "title": "x",
            "requirements": "y",
            "due_date": due.isoformat(),
        },
    )
    assert bad.status_code == 400  # the matter is missing
    assert SupervisionOrder.objects.count() == 0
    made = pref.post(
        "/oversight/orders/new/",
        {
            "addressee": ow.w.tianshan.pk,
            "subject_kind": "other",
            "subject_text": "冬季安全检查",
            "title": "督办冬季安全检查",
            "requirements": "按期报告",
            "due_date": due.isoformat(),
        },
    )
    order = SupervisionOrder.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"/oversight/orders/{order.pk}/"
    county = client_for(ow.ts_officer)
    detail = county.get(f"/oversight/orders/{order.pk}/").content.decode()
    assert 'data-testid="reply-form"' in detail
    assert 'data-testid="answer-form"' not in detail
    refused = pref.post(
        f"/oversight/orders/{order.pk}/reply/",
        {"version": order.version, "measures": "a", "result": "b"},
    )
    assert refused.status_code == 403
    stale = county.post(
        f"/oversight/orders/{order.pk}/reply/",
        {"version": order.version + 5, "measures": "a", "result": "b"},
    )
    assert stale.status_code == 409
    assert SupervisionOrder.objects.get().state == SupervisionState.ISSUED
    sent = county.post(
        f"/oversight/orders/{order.pk}/reply/",
        {"version": order.version, "measures": "已检查", "result": "已整改"},
    )
    assert sent.status_code == 302
    order.refresh_from_db()
    accepted = pref.post(
        f"/oversight/orders/{order.pk}/accept/", {"version": order.version, "reason": "同意"}
    )
    assert accepted.status_code == 302
    assert SupervisionOrder.objects.get().state == SupervisionState.ACCEPTED


def test_review_form_keeps_input_on_error(ow: OversightWorld, client_for: ClientFor) -> None:
    c = case(ow.w.tianshan, ow.w.ent_tianshan, state=CaseState.ARCHIVED, decided_by=ow.ts_head)
    client = client_for(ow.pref_head)
    page = client.get(f"/oversight/reviews/new/{c.pk}/")
    assert page.status_code == 200
    assert 'name="score_E1"' in page.content.decode()
    form = {"score_E1": "10", "score_E2": "7"}
    bad = client.post(f"/oversight/reviews/new/{c.pk}/", form)
    assert bad.status_code == 400
    body = bad.content.decode()
    assert zh("Say why points were deducted.") in body
    assert zh("Score this item.") in body
    assert CaseFileReview.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/oversight/missed/?start=2026-01-01&end=2026-11-30&window=30",
        "/oversight/inaction/?minimum=2",
        "/oversight/reviews/results/",
    ],
)
def test_reports_render(ow: OversightWorld, client_for: ClientFor, url: str) -> None:
    assert client_for(ow.prov_head).get(url).status_code == 200


def test_api_dashboard_and_missed(ow: OversightWorld, client_for: ClientFor) -> None:
    client = client_for(ow.pref_head)
    body = client.get("/api/v1/oversight/dashboard/", HTTP_ACCEPT="application/json").json()
    assert body["office"] == "650100"
    assert [r["code"] for r in body["rows"]] == ["650100", "650102", "650103"]
    assert body["total"]["transfers_pending"] == 0
    bad = client.get("/api/v1/oversight/missed/?window=0", HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert "window" in bad.json()["extra"]["fields"]
    assert (
        client.get("/api/v1/oversight/missed/", HTTP_ACCEPT="application/json").json()["offices"]
        == []
    )
