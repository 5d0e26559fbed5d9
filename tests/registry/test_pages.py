"""Registry pages: forms with field errors, workflow buttons, history, home summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import User
from inspectorate.registry import services
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.importing import COLUMNS
from inspectorate.registry.models import Enterprise
from tests.conftest import World
from tests.factories import ClosedEnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def _form(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "credit_code": make_credit_code("9", "1", "650102", "MA7PAGE01"),
        "name": "天山页面有限公司",
        "address": "天山区新华路9号",
        "jurisdiction": "650102",
        "supervising_agency": world.tianshan.pk,
        "sector": "commerce",
        "size": "micro",
        "standardisation_level": "none",
        "risk_class": "low",
        "employees": "8",
    }
    data.update(overrides)
    return data


def test_create_page_registers_and_redirects(world: World, client_for: ClientFor) -> None:
    response = client_for(world.tianshan_officer).post("/registry/enterprises/new/", _form(world))
    e = Enterprise.objects.get(name="天山页面有限公司")
    assert (response.status_code, response["Location"]) == (302, f"/registry/enterprises/{e.pk}/")
    assert (e.employees, e.size, e.supervising_agency_id) == (8, "micro", world.tianshan.pk)


def test_create_page_shows_field_errors_in_chinese(world: World, client_for: ClientFor) -> None:
    before = Enterprise.objects.count()
    response = client_for(world.tianshan_officer).post(
        "/registry/enterprises/new/", _form(world, name="", credit_code="91350100M000100Y4X")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="name"' in html
    assert "该字段是必填项。" in html  # Django's own Chinese catalogue
    form = response.context["form"]
    assert set(form.errors) == {"name"}
    assert Enterprise.objects.count() == before


def test_create_page_reports_the_services_field_errors(world: World, client_for: ClientFor) -> None:
    response = client_for(world.tianshan_officer).post(
        "/registry/enterprises/new/",
        _form(world, credit_code="91350100M000100Y4X", supervising_agency=world.tianshan.pk),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "credit_code": ["The check character is wrong: expected 3, found X."]
    }


def test_create_page_offers_only_places_in_scope(world: World, client_for: ClientFor) -> None:
    response = client_for(world.karamay_lead).post(
        "/registry/enterprises/new/", _form(world, supervising_agency=world.karamay.pk)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"jurisdiction"}
    assert not Enterprise.objects.filter(name="天山页面有限公司").exists()
    choices = {c[0].value for c in response.context["form"].fields["jurisdiction"].choices if c[0]}
    assert choices == {"650200", "650202", "650203", "650204", "650205"}


def test_edit_page_with_a_stale_version(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    services.enterprise_update(
        actor=world.tianshan_lead, pk=e.pk, expected_version=1, changes={"employees": 99}
    )
    data = _form(world, credit_code=e.credit_code, name="新名字", version=1)
    response = client_for(world.tianshan_officer).post(
        f"/registry/enterprises/{e.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Someone else changed this enterprise after you opened it. Reload and try again."
    ]
    e.refresh_from_db()
    assert (e.name, e.version, e.employees) == ("乌鲁木齐天山化工有限公司", 2, 99)


def test_edit_page_saves_and_the_history_shows_the_change(
    world: World, client_for: ClientFor
) -> None:
    e = world.ent_tianshan
    client = client_for(world.tianshan_officer)
    data = _form(
        world,
        credit_code="ignored, the field is disabled",
        name=e.name,
        risk_class="major",
        version=1,
        sector=e.sector_id,
        size=e.size,
        standardisation_level=e.standardisation_level,
        employees="50",
        address=e.address,
        industry_code=e.industry_code,
        legal_representative=e.legal_representative,
        contact_phone=e.contact_phone,
    )
    response = client.post(f"/registry/enterprises/{e.pk}/edit/", data)
    assert (response.status_code, response["Location"]) == (302, f"/registry/enterprises/{e.pk}/")
    e.refresh_from_db()
    assert (e.risk_class, e.version, e.credit_code[:8]) == ("major", 2, "91650102")
    event = RecordEvent.objects.get()
    assert event.payload == {"before": {"risk_class": "general"}, "after": {"risk_class": "major"}}
    page = client.get(f"/registry/enterprises/{e.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    rows = page.context["history"]
    assert [(c.label, c.before, c.after) for c in rows[0].changes] == [
        ("risk class", "General (yellow)", "Major (red)")
    ]
    assert "General (yellow) → Major (red)" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "actions"),
    [
        ("tianshan_officer", []),
        ("tianshan_lead", ["suspend"]),
        ("tianshan_head", ["suspend", "close"]),
        ("tianshan_admin", ["close"]),
        ("enterprise_user", []),
    ],
)
def test_detail_page_offers_the_actions_of_the_users_roles(
    world: World, client_for: ClientFor, who: str, actions: list[str]
) -> None:
    response = client_for(getattr(world, who)).get(
        f"/registry/enterprises/{world.ent_tianshan.pk}/"
    )
    assert [t.action for t in response.context["actions"]] == actions
    html = response.content.decode()
    for action in ("suspend", "close", "resume", "reopen"):
        assert (f'data-action="{action}"' in html) is (action in actions)
    assert response.context["can_edit"] is (
        who in ("tianshan_officer", "tianshan_lead", "tianshan_admin")
    )


def test_transition_page(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    client = client_for(world.tianshan_lead)
    response = client.post(
        f"/registry/enterprises/{e.pk}/actions/suspend/",
        {"reason": "重大事故隐患未整改", "version": 1},
    )
    assert (response.status_code, response["Location"]) == (302, f"/registry/enterprises/{e.pk}/")
    e.refresh_from_db()
    assert (e.status, e.version) == ("suspended", 2)
    detail = client.get(f"/registry/enterprises/{e.pk}/")
    assert detail.context["history"][0].reason == "重大事故隐患未整改"
    assert "重大事故隐患未整改" in detail.content.decode()


@pytest.mark.parametrize(
    ("action", "who", "factory", "data"),
    [
        ("suspend", "tianshan_lead", "closed", {"reason": "x", "version": 1}),  # illegal
        ("close", "tianshan_lead", "operating", {"reason": "x", "version": 1}),  # wrong role
        ("suspend", "tianshan_lead", "operating", {"reason": "", "version": 1}),  # no reason
        ("suspend", "tianshan_lead", "operating", {"reason": "x", "version": 7}),  # stale
    ],
)
def test_refused_transitions_on_the_page_change_nothing(
    world: World,
    client_for: ClientFor,
    action: str,
    who: str,
    factory: str,
    data: dict[str, object],
) -> None:
    e = (
        ClosedEnterpriseFactory(supervising_agency=world.tianshan)
        if factory == "closed"
        else world.ent_tianshan
    )
    client = client_for(getattr(world, who))
    response = client.post(f"/registry/enterprises/{e.pk}/actions/{action}/", data)
    assert (response.status_code, response["Location"]) == (302, f"/registry/enterprises/{e.pk}/")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    before_status = e.status
    e.refresh_from_db()
    assert (e.status, e.version) == (before_status, 1)
    assert RecordEvent.objects.count() == 0


def test_unknown_page_action_is_404(world: World, client_for: ClientFor) -> None:
    e = world.ent_tianshan
    response = client_for(world.tianshan_admin).post(
        f"/registry/enterprises/{e.pk}/actions/demolish/", {"reason": "x", "version": 1}
    )
    assert response.status_code == 404


def test_home_summary_counts_the_scope(world: World, client_for: ClientFor) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    LicenceFactory(
        enterprise=world.ent_tianshan,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    LicenceFactory(
        enterprise=world.ent_tianshan_2,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today + dt.timedelta(days=90),
    )
    LicenceFactory(
        enterprise=world.ent_karamay,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    services.enterprise_suspend(
        actor=world.tianshan_lead, pk=world.ent_tianshan_2.pk, reason="停产整顿"
    )
    summary = client_for(world.tianshan_officer).get("/").context["summary"]
    assert summary["total"] == 2
    assert [(s.value, n) for s, n in summary["by_status"]] == [
        ("operating", 1),
        ("suspended", 1),
        ("closed", 0),
    ]
    assert [(r.value, n) for r, n in summary["by_risk"]] == [
        ("major", 0),
        ("significant", 0),
        ("general", 2),
        ("low", 0),
    ]
    assert (summary["licences_expired"], summary["licences_expiring"]) == (1, 1)
    province = client_for(world.province_officer).get("/").context["summary"]
    assert (province["total"], province["licences_expired"]) == (5, 2)


def test_module_placeholders(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)
    response = client.get("/modules/disclosure/")
    assert response.status_code == 200
    assert b'data-testid="not-built"' in response.content
    assert client.get("/modules/registry/").status_code == 404  # built: it has its own page
    assert client.get("/modules/nonsense/").status_code == 404


def test_import_template(world: World, client_for: ClientFor) -> None:
    response = client_for(world.tianshan_lead).get("/registry/imports/template.csv")
    assert response.content.decode("utf-8") == (
        "\ufeff" + ",".join(names[0] for names in COLUMNS.values()) + "\r\n"
    )


def test_profile_pdf(world: World, client_for: ClientFor) -> None:
    import io

    from pypdf import PdfReader

    e = world.ent_tianshan
    response = client_for(world.tianshan_officer).get(f"/registry/enterprises/{e.pk}/profile.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="enterprise-{e.credit_code}.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert e.name in text
    assert e.credit_code in text.replace(" ", "")  # pypdf may split a run of glyphs
