"""The permission matrix for the API (the table is in ``matrix.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from inspectorate.org.models import User
from tests.conftest import World
from tests.core.matrix import (
    ACTORS,
    ENDPOINTS,
    MISSING,
    OWN_RULES,
    PAGE_TARGETS,
    PUBLIC,
    Ctx,
    Endpoint,
    actor_for,
    check,
    content_of,
    is_plan,
    request_endpoint,
    snapshot,
    target_pk,
)

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
API = [ep for ep in ENDPOINTS if ep.kind in ("api", "docs")]


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("ep", API, ids=lambda ep: ep.id)
def test_matrix(ctx: Ctx, client_for: ClientFor, ep: Endpoint, who: str) -> None:
    check(ctx, client_for, ep, who)


def _url_names(patterns: list[Any], namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in OWN_RULES:
                continue
            inner = namespace
            if p.namespace:
                inner = f"{namespace}:{p.namespace}" if namespace else p.namespace
            names |= _url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name is not None:
            names.add(f"{namespace}:{p.name}" if namespace else p.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {ep.name for ep in ENDPOINTS} | PUBLIC
    assert _url_names(get_resolver().url_patterns) == covered


@pytest.mark.parametrize(
    "url", ["/api/v1/enterprises/", "/api/v1/enterprises/export/", "/registry/enterprises/"]
)
def test_another_jurisdiction_lists_none_of_ours(ctx: Ctx, client_for: ClientFor, url: str) -> None:
    content = content_of(client_for(actor_for(ctx, "other")).get(url))
    assert ctx.world.ent_karamay.credit_code.encode() in content
    for e in (
        ctx.world.ent_tianshan,
        ctx.world.ent_tianshan_2,
        ctx.world.ent_shayibake,
        ctx.world.ent_changji,
    ):
        assert e.credit_code.encode() not in content


# --- the enterprise's own user -------------------------------------------------------------


@pytest.mark.parametrize(
    "ep",
    [ep for ep in API if ep.target == "enterprise" and ep.method == "GET"],
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


# What an enterprise user may write through the API: its reports on its own orders.
ENTERPRISE_WRITES = {"POST api-order-submissions"}


@pytest.mark.parametrize(
    "ep", [ep for ep in API if ep.writes and ep.id not in ENTERPRISE_WRITES], ids=lambda ep: ep.id
)
def test_enterprise_user_cannot_write(ctx: Ctx, client_for: ClientFor, ep: Endpoint) -> None:
    client = client_for(ctx.world.enterprise_user)
    if ep.setup is not None:
        ep.setup(ctx)
    pk = (
        target_pk(ctx, ep.target)
        if is_plan(ep) or ep.target in PAGE_TARGETS
        else ctx.world.ent_tianshan.pk
    )
    before = snapshot()
    response = request_endpoint(client, ep, ctx, pk)
    if is_plan(ep) or ep.target == "case":
        # an enterprise sees no plan at all, and its cases only from the notice on
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


def test_enterprise_user_lists(ctx: Ctx, client_for: ClientFor) -> None:
    client = client_for(ctx.world.enterprise_user)
    body = client.get("/api/v1/enterprises/").json()
    assert [e["credit_code"] for e in body["results"]] == [ctx.world.ent_tianshan.credit_code]
    assert client.get("/api/v1/officers/").json()["results"] == []
    assert client.get("/api/v1/jurisdictions/").json()["results"] == []
    assert client.get("/api/v1/agencies/").json()["results"] == []


# --- lists: a county sees its county, upper levels see their lower levels -----------------


LIST_CASES = [
    ("tianshan_officer", ["ent_tianshan", "ent_tianshan_2"]),
    ("shayibake_officer", ["ent_shayibake"]),
    ("prefecture_officer", ["ent_tianshan", "ent_tianshan_2", "ent_shayibake"]),
    ("karamay_officer", ["ent_karamay"]),
    (
        "province_officer",
        ["ent_tianshan", "ent_tianshan_2", "ent_shayibake", "ent_karamay", "ent_changji"],
    ),
    ("enterprise_user", ["ent_tianshan"]),
    ("inactive_officer", []),
]


@pytest.mark.parametrize(("who", "expected"), LIST_CASES)
def test_api_list_is_exactly_the_scope(
    world: World, client_for: ClientFor, who: str, expected: list[str]
) -> None:
    response = client_for(getattr(world, who)).get("/api/v1/enterprises/")
    if who == "inactive_officer":  # the session of a switched-off account is no session
        assert response.status_code == 403
        return
    body = response.json()
    assert body["count"] == len(expected)
    assert {e["credit_code"] for e in body["results"]} == {
        getattr(world, n).credit_code for n in expected
    }


def test_a_filter_cannot_widen_the_scope(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)

    def codes(**params: str) -> set[str]:
        body = client.get("/api/v1/enterprises/", params).json()
        return {e["credit_code"] for e in body["results"]}

    ours = {world.ent_tianshan.credit_code, world.ent_tianshan_2.credit_code}
    assert codes(jurisdiction="65") == ours
    assert codes(jurisdiction="6501") == ours
    assert codes(jurisdiction="6502") == set()
    assert codes(jurisdiction="650203") == set()
    assert codes(q=world.ent_karamay.credit_code) == set()
    assert codes(q=world.ent_tianshan.credit_code) == {world.ent_tianshan.credit_code}
