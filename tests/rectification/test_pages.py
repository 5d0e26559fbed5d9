"""Rectification pages: the offices' orders and the actions on them (re-inspection,
extension, escalation), and the enterprise portal (its orders, a report with evidence).

天山区's team lead and officer inspect ``world.ent_tianshan`` on 2 March 2026 and order a
general and a major hazard rectified (``tests.core.matrix.build_order``); the pages run on
PAGE_DAY, when the order is overdue. Texts are compared with ``zh()``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from inspectorate.inspections.models import Inspection, Origin
from inspectorate.org.models import User
from inspectorate.rectification import rules
from inspectorate.rectification.models import (
    OrderState,
    PenaltyProposal,
    RectificationOrder,
    Submission,
)
from tests.conftest import World
from tests.core.matrix import (
    ACTORS,
    ENDPOINTS,
    MISSING,
    Ctx,
    Endpoint,
    build_order,
    certify,
    check,
    request_endpoint,
    snapshot,
)
from tests.factories import EnterpriseUserFactory, UserFactory
from tests.inspections.test_pages import _frozen, assert_chinese, field_errors, html, zh

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
__all__ = ["_frozen"]  # the autouse fixture: PAGE_DAY for the pages and the services


@pytest.fixture
def order(world: World) -> RectificationOrder:
    return build_order(world, day=dt.date(2026, 3, 2))


def _detail(client: Client, order: RectificationOrder) -> Any:
    return client.get(f"/rectification/{order.pk}/")


# --- the offices' list and the order page -------------------------------------------------


def test_order_list_flags_overdue_orders(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.tianshan_officer)
    listing = client.get("/rectification/")
    assert_chinese(listing)
    page = html(listing)
    assert zh("Rectification orders") in page
    assert order.document is not None
    assert order.document.number in page
    row = page.split(f'data-order="{order.pk}"')[1].split("</tr>")[0]
    assert f'data-order="{order.pk}" class="is-overdue"' in page
    assert 'data-testid="overdue"' in row
    assert f'data-order="{order.pk}"' in html(client.get("/rectification/?overdue=on"))
    assert f'data-order="{order.pk}"' in html(client.get("/rectification/?state=open"))
    assert f'data-order="{order.pk}"' not in html(client.get("/rectification/?state=closed"))
    other = html(client_for(world.karamay_officer).get("/rectification/"))
    assert world.ent_tianshan.name not in other


def test_order_page_shows_what_was_ordered_and_the_user_s_actions(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    officer = _detail(client_for(world.tianshan_officer), order)
    assert_chinese(officer)
    page = html(officer)
    assert escape(world.ent_tianshan.name) in page
    assert page.count("data-line=") == 2
    assert 'data-grade="major"' in page
    assert 'data-grade="general"' in page
    assert order.document is not None
    assert f'href="/inspections/documents/{order.document.pk}.pdf"' in page
    assert f'href="/inspections/{order.inspection_id}/"' in page
    # an officer re-inspects and (the deadline passed) escalates; only the head extends
    assert 'data-testid="reinspect-form"' in page
    assert 'data-testid="escalate-form"' in page
    assert 'data-testid="extend-form"' not in page
    assert f'name="version" value="{order.version}"' in page
    head = html(_detail(client_for(world.tianshan_head), order))
    assert 'data-testid="extend-form"' in head
    assert 'data-testid="reinspect-form"' not in head
    # the level above reads the order but acts on it only through its own office
    upper = _detail(client_for(world.prefecture_officer), order)
    assert upper.status_code == 200
    assert not re.findall(r'data-testid="(reinspect|extend|escalate)-form"', html(upper))
    assert escape(zh("Only the office that issued the order acts on it.")) in html(upper)


def test_another_jurisdiction_gets_the_same_404_as_for_a_missing_order(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.karamay_officer)
    for suffix, method in (("", "get"), ("extend/", "post"), ("escalate/", "post")):
        found = getattr(client, method)(f"/rectification/{order.pk}/{suffix}")
        missing = getattr(client, method)(f"/rectification/{MISSING}/{suffix}")
        assert found.status_code == missing.status_code == 404
        assert found.content == missing.content
        assert world.ent_tianshan.name.encode() not in found.content


def test_starting_the_reinspection_opens_it(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.tianshan_officer)
    response = client.post(
        f"/rectification/{order.pk}/reinspect/",
        {"version": order.version, "second_officer": world.tianshan_lead.pk, "place": ""},
    )
    reinspection = Inspection.objects.get(reinspection_of=order)
    assert response.status_code == 302
    assert response["Location"] == f"/inspections/{reinspection.pk}/"
    assert reinspection.origin == Origin.REINSPECTION
    assert reinspection.answers.count() == 2  # the two open lines
    order.refresh_from_db()
    assert order.state == OrderState.REINSPECTING
    page = html(_detail(client, order))
    assert f'href="/inspections/{reinspection.pk}/"' in page
    assert 'data-testid="reinspection-link"' in page


def test_escalating_a_refusal_on_a_major_hazard_flags_the_crime(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.tianshan_officer)
    response = client.post(
        f"/rectification/{order.pk}/escalate/",
        {
            "version": order.version,
            "refused": "yes",
            "refusal_kind": "no_reason",
            "statement": "责令整改后，该单位拒不整改罐区可燃气体检测报警器停用的重大事故隐患",
        },
    )
    assert response.status_code == 302
    proposal = PenaltyProposal.objects.get(order=order)
    assert proposal.suspected_crime
    order.refresh_from_db()
    assert order.state == OrderState.ESCALATED
    page = html(client.get(response["Location"]))
    assert 'data-testid="crime-flag"' in page
    assert 'data-testid="crime-badge"' in page  # next to the order's state, too
    assert zh("Suspected crime of dangerous operation") in page
    assert escape(rules.CRIME_BASIS) in page
    assert 'data-testid="escalate-form"' not in page  # done: no more actions


def test_escalating_without_refusal_is_no_crime(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.tianshan_officer)
    client.post(
        f"/rectification/{order.pk}/escalate/",
        {"version": order.version, "refused": "no", "statement": "逾期未整改"},
    )
    assert not PenaltyProposal.objects.get(order=order).suspected_crime
    page = html(_detail(client, order))
    assert 'data-testid="proposal"' in page
    assert 'data-testid="crime-flag"' not in page
    assert 'data-testid="crime-badge"' not in page


def test_action_errors_are_shown_at_their_fields(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    officer = client_for(world.tianshan_officer)
    url = f"/rectification/{order.pk}"
    no_kind = officer.post(
        f"{url}/escalate/", {"version": order.version, "refused": "yes", "statement": "拒不整改"}
    )
    assert no_kind.status_code == 400
    assert field_errors(html(no_kind), "refusal_kind") == [zh("Say what the refusal consisted of.")]
    no_statement = officer.post(f"{url}/escalate/", {"version": order.version, "refused": "no"})
    assert no_statement.status_code == 400
    assert field_errors(html(no_statement), "statement")
    uncertified = UserFactory(agency=world.tianshan, name="未持证执法员")
    second = officer.post(f"{url}/reinspect/", {"version": order.version, "second_officer": ""})
    assert field_errors(html(second), "second_officer")
    not_offered = officer.post(
        f"{url}/reinspect/", {"version": order.version, "second_officer": uncertified.pk}
    )
    assert field_errors(html(not_offered), "second_officer")
    head = client_for(world.tianshan_head)
    too_long = head.post(f"{url}/extend/", {"version": order.version, "working_days": "90"})
    assert too_long.status_code == 400
    assert field_errors(html(too_long), "working_days")
    assert field_errors(html(too_long), "reason")
    # an officer may not extend: the workflow says who may (403), nothing changes
    refused = officer.post(
        f"{url}/extend/", {"version": order.version, "working_days": "5", "reason": "设备未到"}
    )
    assert refused.status_code == 403
    assert escape(zh("Your role may not perform this action.")) in html(refused)
    fresh = RectificationOrder.objects.get(pk=order.pk)
    assert (fresh.state, fresh.version, fresh.due_date) == (
        order.state,
        order.version,
        order.due_date,
    )
    assert not PenaltyProposal.objects.exists()


def test_extension_and_a_stale_version(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    head = client_for(world.tianshan_head)
    url = f"/rectification/{order.pk}/extend/"
    done = head.post(url, {"version": order.version, "working_days": "5", "reason": "设备未到"})
    assert done.status_code == 302
    extended = RectificationOrder.objects.get(pk=order.pk)
    assert extended.due_date > order.due_date
    assert extended.version > order.version
    assert 'data-testid="extensions"' in html(_detail(head, extended))
    # the form the head opened before: a conflict, the input kept against the new version
    stale = head.post(url, {"version": order.version, "working_days": "3", "reason": "再延"})
    assert stale.status_code == 409
    page = html(stale)
    assert (
        escape(zh("Someone else changed this record after you opened it. Reload and try again."))
        in page
    )
    assert f'name="version" value="{extended.version}"' in page
    assert "再延" in page
    assert RectificationOrder.objects.get(pk=order.pk).due_date == extended.due_date


# --- the enterprise portal ----------------------------------------------------------------


def test_portal_lists_the_unit_s_orders_and_documents(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.enterprise_user)
    home = client.get("/portal/")
    assert_chinese(home)
    page = html(home)
    assert f'href="/portal/orders/{order.pk}/"' in page
    assert 'data-testid="overdue"' in page
    assert order.document is not None
    assert f'href="/inspections/documents/{order.document.pk}.pdf"' in page
    record = order.inspection
    assert "/inspections/documents/" in page.split('data-testid="portal-documents"')[1]
    assert record.state == "closed"
    detail = client.get(f"/portal/orders/{order.pk}/")
    assert_chinese(detail)
    text = html(detail)
    assert text.count("data-line=") == 2
    assert 'data-testid="submission-form"' in text
    assert 'enctype="multipart/form-data"' in text


def test_staff_are_refused_at_the_portal(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    for user in (world.tianshan_officer, world.tianshan_head, world.province_officer):
        client = client_for(user)
        assert client.get("/portal/").status_code == 403
        assert client.get(f"/portal/orders/{order.pk}/").status_code == 403
    assert client_for(world.enterprise_user).get(f"/rectification/{order.pk}/").status_code == 403


def test_another_unit_never_sees_the_order(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(EnterpriseUserFactory(enterprise=world.ent_tianshan_2))
    assert f"/portal/orders/{order.pk}/" not in html(client.get("/portal/"))
    found = client.get(f"/portal/orders/{order.pk}/")
    missing = client.get(f"/portal/orders/{MISSING}/")
    assert found.status_code == missing.status_code == 404
    assert found.content == missing.content
    posted = client.post(f"/portal/orders/{order.pk}/", {"kind": "progress", "note": "偷看"})
    assert posted.status_code == 404
    assert not Submission.objects.exists()


def test_the_unit_reports_completion_with_evidence(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.enterprise_user)
    photos = [
        SimpleUploadedFile("通道清理后.jpg", b"\xff\xd8\xff photo one", "image/jpeg"),
        SimpleUploadedFile("报警器检定证书.pdf", b"%PDF-1.4 certificate", "application/pdf"),
    ]
    response = client.post(
        f"/portal/orders/{order.pk}/",
        {"kind": "completion", "note": "已清理安全出口，报警器已修复并检定", "evidence": photos},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/portal/orders/{order.pk}/"
    order.refresh_from_db()
    assert order.state == OrderState.REPORTED
    submission = Submission.objects.get(order=order)
    stored = {f.original_name: f for f in submission.files.all()}
    assert set(stored) == {"通道清理后.jpg", "报警器检定证书.pdf"}
    with stored["通道清理后.jpg"].file.open("rb") as fh:
        assert fh.read() == b"\xff\xd8\xff photo one"
    page = html(client.get(f"/portal/orders/{order.pk}/"))
    assert "通道清理后.jpg" in page
    assert 'data-testid="overdue"' not in page  # reported: waiting for the office
    kinds = re.findall(r'<option value="(\w+)"', page.split('data-testid="submission-form"')[1])
    assert "completion" not in kinds  # already reported
    officer = html(_detail(client_for(world.tianshan_officer), order))
    assert "报警器检定证书.pdf" in officer


def test_portal_report_errors_are_shown_at_their_fields(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    client = client_for(world.enterprise_user)
    url = f"/portal/orders/{order.pk}/"
    bare = client.post(url, {"kind": "completion", "note": "已整改"})
    assert bare.status_code == 400
    assert field_errors(html(bare), "evidence") == [
        escape(zh("Attach the evidence of the rectification (photos, documents)."))
    ]
    silent = client.post(url, {"kind": "progress", "note": ""})
    assert silent.status_code == 400
    assert field_errors(html(silent), "note")
    empty_file = client.post(
        url,
        {
            "kind": "progress",
            "note": "进展",
            "evidence": [SimpleUploadedFile("空.jpg", b"", "image/jpeg")],
        },
    )
    assert empty_file.status_code == 400
    assert field_errors(html(empty_file), "evidence")
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED
    assert not Submission.objects.exists()


# --- the portal's rows of the permission matrix (kind "portal") ---------------------------

PORTAL = [ep for ep in ENDPOINTS if ep.kind == "portal"]


@pytest.fixture
def ctx(world: World) -> Ctx:
    return Ctx(world=world)


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("ep", PORTAL, ids=lambda ep: ep.id)
def test_portal_matrix(ctx: Ctx, client_for: ClientFor, ep: Endpoint, who: str) -> None:
    """Anonymous: to the sign-in; every staff member, in scope or not: 403, nothing written."""
    check(ctx, client_for, ep, who)


@pytest.mark.parametrize("ep", PORTAL, ids=lambda ep: ep.id)
def test_portal_matrix_for_the_enterprise(ctx: Ctx, client_for: ClientFor, ep: Endpoint) -> None:
    """The unit's own user is served; a neighbour's user gets the 404 of a missing order."""
    if ep.setup is not None:
        ep.setup(ctx)
    own = request_endpoint(client_for(ctx.world.enterprise_user), ep, ctx, None)
    assert own.status_code == (302 if ep.method == "POST" else 200)
    if "{order}" in ep.path:
        neighbour = client_for(EnterpriseUserFactory(enterprise=ctx.world.ent_tianshan_2))
        before = snapshot()
        assert request_endpoint(neighbour, ep, ctx, None).status_code == 404
        assert snapshot() == before


def test_certified_officers_only_are_offered(world: World, client_for: ClientFor) -> None:
    """The second-officer choice of the re-inspection offers certified colleagues only."""
    order = build_order(world, day=dt.date(2026, 3, 2))
    UserFactory(agency=world.tianshan, name="无证同事")
    certify(UserFactory(agency=world.tianshan, name="持证同事"))
    page = html(_detail(client_for(world.tianshan_officer), order))
    form = page.split('data-testid="reinspect-form"')[1].split("</form>")[0]
    assert "持证同事" in form
    assert "无证同事" not in form


def test_the_head_sets_a_date_where_working_days_cannot_be_counted(
    world: World, client_for: ClientFor, order: RectificationOrder
) -> None:
    """Working days into a year without a holiday notice are refused at the date field; the
    head then sets the date itself."""
    head = client_for(world.tianshan_head)
    url = f"/rectification/{order.pk}/extend/"
    RectificationOrder.objects.filter(pk=order.pk).update(due_date=dt.date(2026, 12, 28))
    order.refresh_from_db()
    counted = head.post(url, {"version": order.version, "working_days": "20", "reason": "待检修"})
    assert counted.status_code == 400
    assert field_errors(html(counted), "due_date")
    assert RectificationOrder.objects.get(pk=order.pk).due_date == dt.date(2026, 12, 28)
    dated = head.post(url, {"version": order.version, "due_date": "2027-01-29", "reason": "待检修"})
    assert dated.status_code == 302
    assert RectificationOrder.objects.get(pk=order.pk).due_date == dt.date(2027, 1, 29)
