"""The permission matrix for the pages (the table is in ``matrix.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from inspectorate.org.models import User
from tests.conftest import World
from tests.core.matrix import (
    ACTORS,
    ENDPOINTS,
    MISSING,
    Ctx,
    Endpoint,
    check,
    content_of,
    is_plan,
    request_endpoint,
    snapshot,
    target_pk,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
PAGES = [ep for ep in ENDPOINTS if ep.kind == "page"]


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("ep", PAGES, ids=lambda ep: ep.id)
def test_matrix(ctx: Ctx, client_for: ClientFor, ep: Endpoint, who: str) -> None:
    check(ctx, client_for, ep, who)


@pytest.mark.parametrize(
    "ep",
    [ep for ep in PAGES if ep.target == "enterprise" and ep.method == "GET"],
    ids=lambda ep: ep.id,
)
def test_enterprise_user_reads_only_its_own_enterprise(
    ctx: Ctx, client_for: ClientFor, ep: Endpoint
) -> None:
    client = client_for(ctx.world.enterprise_user)
    assert request_endpoint(client, ep, ctx, ctx.world.ent_tianshan.pk).status_code == 200
    neighbour = request_endpoint(client, ep, ctx, ctx.world.ent_tianshan_2.pk)  # same county
    assert neighbour.status_code == 404
    assert content_of(neighbour) == content_of(request_endpoint(client, ep, ctx, MISSING))
    assert ctx.world.ent_tianshan_2.credit_code.encode() not in content_of(neighbour)


@pytest.mark.parametrize("ep", [ep for ep in PAGES if ep.writes], ids=lambda ep: ep.id)
def test_enterprise_user_cannot_write(ctx: Ctx, client_for: ClientFor, ep: Endpoint) -> None:
    client = client_for(ctx.world.enterprise_user)
    pk = ctx.world.ent_tianshan.pk if ep.target == "enterprise" else None
    if ep.target == "import" or is_plan(ep):
        pk = target_pk(ctx, ep.target)  # type: ignore[arg-type]
    before = snapshot()
    response = request_endpoint(client, ep, ctx, pk)
    if ep.target == "import" or is_plan(ep):  # another office's, not the enterprise's to see
        assert response.status_code == 404
    else:  # the form again with the error (403 when the role may not), or back with a message
        assert response.status_code in (200, 302, 403)
    assert snapshot() == before


def test_enterprise_user_pages(ctx: Ctx, client_for: ClientFor) -> None:
    client = client_for(ctx.world.enterprise_user)
    page = client.get("/registry/enterprises/")
    assert [e.pk for e in page.context["page"]] == [ctx.world.ent_tianshan.pk]
    assert b"registry/enterprises/new/" not in page.content  # no register button
    assert client.get(f"/registry/imports/{ctx.batch.pk}/").status_code == 404


LIST_CASES = [
    ("tianshan_officer", ["ent_tianshan", "ent_tianshan_2"]),
    ("shayibake_officer", ["ent_shayibake"]),
    ("prefecture_officer", ["ent_tianshan", "ent_tianshan_2", "ent_shayibake"]),
    ("karamay_officer", ["ent_karamay"]),
    (
        "province_officer",
        ["ent_tianshan", "ent_tianshan_2", "ent_shayibake", "ent_karamay", "ent_changji"],
    ),
]


@pytest.mark.parametrize(("who", "expected"), LIST_CASES)
def test_page_list_is_exactly_the_scope(
    world: World, client_for: ClientFor, who: str, expected: list[str]
) -> None:
    response = client_for(getattr(world, who)).get("/registry/enterprises/")
    assert {e.pk for e in response.context["page"]} == {getattr(world, n).pk for n in expected}


def test_public_endpoints(world: World) -> None:
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"
    token = client.post("/api/v1/auth/token/", {"username": "ts_officer", "password": PASSWORD})
    assert token.status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_admin_is_for_staff_only(world: World, client_for: ClientFor) -> None:
    for user in (None, world.province_officer):
        response = client_for(user).get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
