"""Inspection pages: the workbench, starting an inspection, open and overdue hazards, the
checklist library and the downloads of issued documents.

The pages are driven as 天山区's officers, its administrator, an upper level, another
jurisdiction and the enterprise's user would. Inspections and orders are built through the
services (``tests.core.matrix.build_order``); the pages run on PAGE_DAY (``timezone.now``
and ``localdate`` are frozen, since the services the pages call read the clock).

Texts are compared with ``zh()`` (gettext under zh-hans), so the assertions hold before and
after the Chinese catalogue has these pages' translations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from inspectorate.inspections import selectors
from inspectorate.inspections import services as inspecting
from inspectorate.inspections.models import (
    ChecklistItem,
    ChecklistVersion,
    Finding,
    Inspection,
    Origin,
    VersionState,
)
from inspectorate.org.models import User
from inspectorate.planning.models import Plan, PlannedUnit, PlannedVisit, PlanState, UnitOrigin
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.core.matrix import MISSING, build_order, certify
from tests.core.matrix import province_admin as _province_admin
from tests.factories import EnterpriseFactory, EnterpriseUserFactory, UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]

PAGE_DAY = dt.date(2026, 6, 15)  # a Monday; orders of March and April are overdue by then
PAGE_NOW = dt.datetime.combine(PAGE_DAY, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages and the services they call run on PAGE_DAY (the working-day calendar only
    knows 2025–2026, and "overdue" depends on the day)."""
    original = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return PAGE_DAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    monkeypatch.setattr("django.utils.timezone.now", lambda: PAGE_NOW)


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def html(response: Any) -> str:
    return bytes(response.content).decode()


def field_errors(page: str, field: str) -> list[str]:
    """The messages shown next to a form field (``ul.errorlist[data-field=...]``)."""
    match = re.search(rf'<ul class="errorlist" data-field="{field}">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


def assert_chinese(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html(response)


# --- the workbench and starting an inspection ----------------------------------------------


def _plan_with_visits(world: World) -> dict[str, PlannedVisit]:
    """天山区's approved 2026 plan (test data, written directly): visits due in June of
    ent_tianshan_2 (open) and ent_tianshan (carried out below), one in July, one cancelled;
    and a June visit of 沙依巴克区's plan."""

    def plan_of(agency: Any) -> Plan:
        return Plan.objects.create(
            agency=agency, year=2026, state=PlanState.APPROVED, created_by=world.tianshan_head
        )

    def visit(plan: Plan, enterprise: Enterprise, month: int, cancelled: bool = False) -> Any:
        unit = PlannedUnit.objects.create(
            plan=plan, enterprise=enterprise, origin=UnitOrigin.KEY, risk=10, visits=1, cost=2
        )
        return PlannedVisit.objects.create(
            unit=unit,
            plan=plan,
            sequence=1,
            month_from=month,
            month_to=month,
            effort=2,
            month=month,
            cancelled=cancelled,
        )

    ts, syb = plan_of(world.tianshan), plan_of(world.shayibake)

    def unit(name: str) -> Enterprise:
        made: Enterprise = EnterpriseFactory(supervising_agency=world.tianshan, name=name)
        return made

    return {
        "open": visit(ts, world.ent_tianshan_2, 6),
        "done": visit(ts, world.ent_tianshan, 6),
        "july": visit(ts, unit("天山七月计划企业"), 7),
        "cancelled": visit(ts, unit("天山取消计划企业"), 6, cancelled=True),
        "other_office": visit(syb, world.ent_shayibake, 6),
    }


def test_workbench_lists_my_inspections_and_the_month_s_planned_ones(
    world: World, client_for: ClientFor
) -> None:
    visits = _plan_with_visits(world)
    certify(world.tianshan_officer, world.tianshan_lead)
    closed = build_order(world, day=dt.date(2026, 3, 2)).inspection
    carried_out = inspecting.inspection_start(
        actor=world.tianshan_officer,
        enterprise_id=world.ent_tianshan.pk,
        second_officer_id=world.tianshan_lead.pk,
        origin=Origin.PLANNED,
        planned_visit_id=visits["done"].pk,
    )
    response = client_for(world.tianshan_officer).get("/inspections/")
    assert_chinese(response)
    page = html(response)
    assert zh("Inspection workbench") in page
    in_progress = page.split('data-testid="my-in-progress"')[1].split("</section>")[0]
    assert f'data-inspection="{carried_out.pk}"' in in_progress
    assert f'data-inspection="{closed.pk}"' not in in_progress  # closed: further down
    unanswered = carried_out.answers.filter(result="").count()
    assert f'data-testid="unanswered">{unanswered}<' in in_progress
    recent = page.split('data-testid="my-closed"')[1]
    assert f'href="/inspections/{closed.pk}/"' in recent
    planned = page.split('data-testid="planned-this-month"')[1].split("</section>")[0]
    assert f"?visit={visits['open'].pk}" in planned
    assert escape(world.ent_tianshan_2.name) in planned
    for name in ("done", "july", "cancelled", "other_office"):
        assert f'data-visit="{visits[name].pk}"' not in planned
    # another office's officer sees neither the inspections nor the plan
    other = html(client_for(world.karamay_officer).get("/inspections/"))
    assert world.ent_tianshan.name not in other
    assert world.ent_tianshan_2.name not in other


def test_start_from_a_planned_visit(world: World, client_for: ClientFor) -> None:
    visits = _plan_with_visits(world)
    certify(world.tianshan_officer, world.tianshan_lead)
    client = client_for(world.tianshan_officer)
    form = client.get(f"/inspections/new/?visit={visits['open'].pk}")
    assert_chinese(form)
    page = html(form)
    assert f'value="{world.ent_tianshan_2.credit_code}"' in page
    assert re.search(rf'<option value="{visits["open"].pk}" selected>', page)
    assert re.search(r'<option value="planned" selected>', page)
    response = client.post(
        "/inspections/new/",
        {
            "enterprise": world.ent_tianshan_2.credit_code,
            "second_officer": world.tianshan_lead.pk,
            "origin": "planned",
            "origin_note": "",
            "place": "",
            "planned_visit": visits["open"].pk,
        },
    )
    inspection = Inspection.objects.get(enterprise=world.ent_tianshan_2)
    assert response.status_code == 302
    assert response["Location"] == f"/inspections/{inspection.pk}/"
    assert inspection.planned_visit_id == visits["open"].pk
    assert inspection.lead_officer_id == world.tianshan_officer.pk
    assert inspection.answers.count() > 0  # one line per checklist item
    later = html(client.get("/inspections/"))
    assert f"?visit={visits['open'].pk}" not in later  # carried out now


def _start(client: Client, world: World, **changes: Any) -> Any:
    data = {
        "enterprise": world.ent_tianshan.credit_code,
        "second_officer": world.tianshan_lead.pk,
        "origin": "complaint",
        "origin_note": "12350 举报",
        "place": "",
        "planned_visit": "",
    } | changes
    return client.post("/inspections/new/", data)


def test_start_form_errors_are_shown_at_their_fields(world: World, client_for: ClientFor) -> None:
    certify(world.tianshan_officer, world.tianshan_lead)
    client = client_for(world.tianshan_officer)
    before = Inspection.objects.count()

    unknown = _start(client, world, enterprise="91650102MA000000XX")
    assert unknown.status_code == 400
    assert field_errors(html(unknown), "enterprise")
    outside = _start(client, world, enterprise=world.ent_karamay.credit_code)  # not in scope
    assert field_errors(html(outside), "enterprise")
    assert world.ent_karamay.name not in html(outside)

    no_note = _start(client, world, origin_note="")  # the service's rule
    assert no_note.status_code == 400
    assert field_errors(html(no_note), "origin_note") == [
        zh("Say which complaint, accident or campaign this is.")
    ]
    no_visit = _start(client, world, origin="planned", origin_note="")
    assert field_errors(html(no_visit), "planned_visit")
    uncertified = UserFactory(agency=world.tianshan, name="未持证执法员")
    not_offered = _start(client, world, second_officer=uncertified.pk)
    assert field_errors(html(not_offered), "second_officer")  # only certified colleagues
    assert "未持证执法员" not in html(client.get("/inspections/new/"))

    lead_without = client_for(UserFactory(agency=world.tianshan, name="证件过期者"))
    refused = _start(lead_without, world)
    assert refused.status_code == 400
    assert 'data-testid="form-errors"' in html(refused)  # the user's own certificate
    assert Inspection.objects.count() == before


def test_enterprise_users_have_the_portal_not_the_staff_pages(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.enterprise_user)
    for url in ("/inspections/", "/inspections/new/", "/inspections/hazards/"):
        response = client.get(url)
        assert response.status_code == 403
        assert 'href="/portal/"' in html(response)
    assert 'data-testid="portal-link"' in html(client.get("/inspections/checklists/"))
    staff = html(client_for(world.tianshan_officer).get("/"))
    assert 'data-testid="portal-link"' not in staff
    assert 'href="/inspections/"' in staff
    assert 'href="/rectification/"' in staff


# --- open and overdue hazards --------------------------------------------------------------


@pytest.fixture
def hazards(world: World) -> dict[str, Finding]:
    """A general and a major hazard ordered on 2 March (overdue by PAGE_DAY) and a general
    one ordered on 10 June (due after PAGE_DAY), all at ent_tianshan."""
    march = build_order(world, day=dt.date(2026, 3, 2))
    june = build_order(world, day=dt.date(2026, 6, 10), major=False)
    old = {f.grade: f for f in Finding.objects.filter(inspection=march.inspection)}
    return {
        "general_overdue": old["general"],
        "major_overdue": old["major"],
        "general_due": Finding.objects.get(inspection=june.inspection),
    }


def _rows(response: Any) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-finding="(\d+)"', html(response))}


def test_hazards_page_filters_and_counts(
    world: World, client_for: ClientFor, hazards: dict[str, Finding]
) -> None:
    ids = {k: f.pk for k, f in hazards.items()}
    client = client_for(world.tianshan_officer)
    page = client.get("/inspections/hazards/")
    assert_chinese(page)
    text = html(page)
    assert zh("Open and overdue hazards") in text
    assert _rows(page) == set(ids.values())
    assert 'data-testid="count-open">3<' in text
    assert 'data-testid="count-overdue">2<' in text
    assert 'data-testid="count-major">1<' in text
    assert text.count('data-testid="overdue"') == 2
    assert f'href="/inspections/{hazards["general_due"].inspection_id}/"' in text
    major = client.get("/inspections/hazards/?grade=major")
    assert _rows(major) == {ids["major_overdue"]}
    assert 'data-grade="major"' in html(major)
    overdue = client.get("/inspections/hazards/?overdue=on")
    assert _rows(overdue) == {ids["general_overdue"], ids["major_overdue"]}
    general_overdue = client.get("/inspections/hazards/?grade=general&overdue=on")
    assert _rows(general_overdue) == {ids["general_overdue"]}
    # most urgent first: the earliest deadline heads the table
    assert _first_row(page) == ids["general_overdue"]


def _first_row(response: Any) -> int:
    match = re.search(r'data-finding="(\d+)"', html(response))
    assert match is not None
    return int(match.group(1))


def test_hazards_pages_forward_without_counting(
    world: World,
    client_for: ClientFor,
    hazards: dict[str, Finding],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "HAZARD_PAGE_SIZE", 2)
    client = client_for(world.tianshan_officer)
    first = client.get("/inspections/hazards/?overdue=")
    assert len(_rows(first)) == 2
    assert 'data-testid="next-page"' in html(first)
    assert 'data-testid="previous-page"' not in html(first)
    second = client.get("/inspections/hazards/?overdue=&page=2")
    assert _rows(second) == {hazards["general_due"].pk}
    assert 'data-testid="next-page"' not in html(second)
    assert 'href="?overdue=&page=1"' in html(second)


def test_hazards_by_jurisdiction_and_scope(
    world: World, client_for: ClientFor, hazards: dict[str, Finding]
) -> None:
    prefecture = client_for(world.prefecture_officer)
    assert _rows(prefecture.get("/inspections/hazards/")) == {f.pk for f in hazards.values()}
    assert _rows(prefecture.get("/inspections/hazards/?jurisdiction=650102")) == {
        f.pk for f in hazards.values()
    }
    assert _rows(prefecture.get("/inspections/hazards/?jurisdiction=650103")) == set()
    # 克拉玛依 is not 乌鲁木齐's to choose: not offered, and asking shows only its own
    outside = prefecture.get("/inspections/hazards/?jurisdiction=6502")
    assert _rows(outside) == {f.pk for f in hazards.values()}
    assert 'value="6502"' not in html(outside)
    other = client_for(world.karamay_officer).get("/inspections/hazards/")
    assert _rows(other) == set()
    assert world.ent_tianshan.name not in html(other)
    assert 'data-testid="count-open">0<' in html(other)


# --- the checklist library -----------------------------------------------------------------


def test_checklist_library_pages(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)
    listing = client.get("/inspections/checklists/")
    assert_chinese(listing)
    text = html(listing)
    assert "通用安全生产检查表" in text
    assert 'href="/inspections/checklists/general/v1/"' in text
    major = client.get("/inspections/checklists/major-hazchem-2017/v1/")
    assert_chinese(major)
    page = html(major)
    item = ChecklistItem.objects.filter(
        checklist_version__checklist__code="major-hazchem-2017", major_hazard=True
    ).first()
    assert item is not None
    assert escape(item.legal_basis) in page
    assert escape(item.criterion) in page
    assert escape(item.suggested_measure) in page
    assert 'data-testid="major-criterion"' in page
    # an officer edits nothing: no draft form, no item controls
    for control in ("draft-form", "add-item", "edit-item", "delete-item", "publish"):
        assert f'data-testid="{control}"' not in page
    assert client.get("/inspections/checklists/general/v9/").status_code == 404
    assert client.get("/inspections/checklists/nothing/v1/").status_code == 404


def province_admin(world: World) -> User:
    """The administrator of the region's office, who keeps the checklists."""
    return _province_admin(world)


def _draft(world: World) -> ChecklistVersion:
    return inspecting.checklist_version_draft(
        actor=province_admin(world), code="general", note="补充应急物资检查项"
    )


def test_a_non_admin_cannot_change_a_checklist(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)
    refused = client.post("/inspections/checklists/general/draft/", {"note": "想改"})
    assert refused.status_code == 403
    assert ChecklistVersion.objects.filter(checklist__code="general").count() == 1
    draft = _draft(world)
    base = f"/inspections/checklists/general/v{draft.number}"
    items = draft.items.count()
    first = draft.items.order_by("sort", "id").first()
    assert first is not None
    assert client.post(f"{base}/publish/").status_code == 403
    assert client.get(f"{base}/items/new/").status_code == 403
    assert client.post(f"{base}/items/new/", {"code": "X-1"}).status_code == 403
    assert client.post(f"{base}/items/{first.pk}/delete/").status_code == 403
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT
    assert draft.items.count() == items
    published = ChecklistVersion.objects.get(checklist__code="general", number=1)
    assert published.state == VersionState.PUBLISHED
    page = html(client.get(f"{base}/"))
    assert 'data-testid="publish"' not in page
    assert 'data-testid="add-item"' not in page


def test_admin_drafts_adds_an_item_and_publishes(world: World, client_for: ClientFor) -> None:
    client = client_for(province_admin(world))
    v1 = html(client.get("/inspections/checklists/general/v1/"))
    assert 'data-testid="draft-form"' in v1
    assert 'data-testid="add-item"' not in v1
    drafted = client.post("/inspections/checklists/general/draft/", {"note": "补充应急物资检查项"})
    assert drafted.status_code == 302
    assert drafted["Location"] == "/inspections/checklists/general/v2/"
    page = html(client.get("/inspections/checklists/general/v2/"))
    assert 'data-testid="add-item"' in page
    assert 'data-testid="publish"' in page
    added = client.post(
        "/inspections/checklists/general/v2/items/new/",
        {
            "code": "GEN-90",
            "section": "应急管理",
            "text": "应急物资按预案配备并定期检查",
            "legal_basis": "《安全生产法》第八十一条",
            "suggested_measure": "按预案补齐应急物资",
            "rectification_days": "15",
        },
    )
    assert added.status_code == 302
    v2 = ChecklistVersion.objects.get(checklist__code="general", number=2)
    item = v2.items.get(code="GEN-90")
    assert (item.rectification_days, item.major_hazard) == (15, False)
    edited = client.post(
        f"/inspections/checklists/general/v2/items/{item.pk}/",
        {
            "code": "GEN-90",
            "text": "应急物资按预案配备，每月检查",
            "legal_basis": "《安全生产法》第八十一条",
        },
    )
    assert edited.status_code == 302
    item.refresh_from_db()
    assert item.text == "应急物资按预案配备，每月检查"
    published = client.post("/inspections/checklists/general/v2/publish/")
    assert published.status_code == 302
    states = dict(
        ChecklistVersion.objects.filter(checklist__code="general").values_list("number", "state")
    )
    assert states == {1: VersionState.RETIRED, 2: VersionState.PUBLISHED}
    assert (
        ChecklistVersion.objects.get(number=1, checklist__code="general")
        .items.filter(code="GEN-90")
        .count()
        == 0
    )  # the old version never changed
    after = html(client.get("/inspections/checklists/general/v2/"))
    for control in ("add-item", "edit-item", "delete-item", "publish"):
        assert f'data-testid="{control}"' not in after
    assert 'data-testid="draft-form"' in after  # the next version may be drafted
    # a published version is not edited, not even by the administrator
    again = client.get(f"/inspections/checklists/general/v2/items/{item.pk}/")
    assert again.status_code == 302
    late = client.post(f"/inspections/checklists/general/v2/items/{item.pk}/delete/", follow=False)
    assert late.status_code == 409
    assert v2.items.filter(pk=item.pk).exists()


def test_checklist_errors_are_shown_at_their_fields(world: World, client_for: ClientFor) -> None:
    client = client_for(province_admin(world))
    empty = client.post("/inspections/checklists/general/draft/", {"note": ""})
    assert empty.status_code == 400
    assert field_errors(html(empty), "note")
    _draft(world)
    second = client.post("/inspections/checklists/general/draft/", {"note": "再来一版"})
    assert second.status_code == 409
    assert escape(zh("This checklist already has a draft version; edit that one.")) in html(second)
    url = "/inspections/checklists/general/v2/items/new/"
    major = client.post(
        url, {"code": "GEN-91", "text": "储罐区报警", "legal_basis": "某条", "major_hazard": "on"}
    )
    assert major.status_code == 400
    assert field_errors(html(major), "criterion") == [
        escape(zh("A major-hazard item must name the official criterion (standard and item)."))
    ]
    duplicate = client.post(url, {"code": "GEN-01", "text": "重复", "legal_basis": "某条"})
    assert field_errors(html(duplicate), "code") == [
        escape(zh("Another item of this version has this code."))
    ]
    missing = client.post(url, {"code": "GEN-92", "legal_basis": "某条"})
    assert field_errors(html(missing), "text")
    assert not ChecklistItem.objects.filter(code__in=["GEN-91", "GEN-92"]).exists()


# --- issued documents ----------------------------------------------------------------------


def test_document_downloads(world: World, client_for: ClientFor) -> None:
    order = build_order(world, day=dt.date(2026, 3, 2))
    document = order.document
    assert document is not None
    officer = client_for(world.tianshan_officer)
    pdf = officer.get(f"/inspections/documents/{document.pk}.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    disposition = pdf["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''" in disposition.lower()
    from urllib.parse import quote

    assert quote(f"{document.number}.pdf") in disposition
    docx = officer.get(f"/inspections/documents/{document.pk}.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert docx["Content-Disposition"].startswith("attachment;")
    assert b"".join(docx.streaming_content).startswith(b"PK")
    # another jurisdiction: the same 404 as for a document that does not exist
    other = client_for(world.karamay_officer)
    refused = other.get(f"/inspections/documents/{document.pk}.pdf")
    missing = other.get(f"/inspections/documents/{MISSING}.pdf")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    # the enterprise downloads its own documents; another unit's user gets the same 404
    own = client_for(world.enterprise_user).get(f"/inspections/documents/{document.pk}.pdf")
    assert own.status_code == 200
    stranger = client_for(EnterpriseUserFactory(enterprise=world.ent_tianshan_2))
    assert stranger.get(f"/inspections/documents/{document.pk}.pdf").status_code == 404
