"""Query-count guards: list endpoints cost the same number of queries for 10 rows or 100."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.org.models import Jurisdiction, User
from inspectorate.registry.models import Enterprise, Sector
from tests.conftest import World
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world: World) -> World:
    """120 more enterprises in 天山区, with varied sectors and supervising offices."""
    place = Jurisdiction.objects.get(code="650102")
    sectors = list(Sector.objects.all())
    agencies = [world.tianshan, world.prefecture, world.province]
    Enterprise.objects.bulk_create(
        EnterpriseFactory.build(
            jurisdiction=place,
            sector=sectors[n % len(sectors)],
            supervising_agency=agencies[n % 3],
            name=f"天山区批量企业{n:03d}",
        )
        for n in range(120)
    )
    return world


def _queries(client: Client, url: str, **params: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response.status_code


def _api_rows(client: Client, **params: str) -> int:
    return len(client.get("/api/v1/enterprises/", params).json()["results"])


@pytest.mark.parametrize("who", ["tianshan_officer", "province_officer", "enterprise_user"])
def test_api_list_queries_do_not_grow_with_the_page(
    many: World, client_for: Callable[[User | None], Client], who: str
) -> None:
    client = client_for(getattr(many, who))
    client.get("/api/v1/enterprises/")  # warm up: session, content types
    small, _ = _queries(client, "/api/v1/enterprises/", page_size="10")
    large, _ = _queries(client, "/api/v1/enterprises/", page_size="100")
    assert small == large
    if who != "enterprise_user":
        assert (_api_rows(client, page_size="10"), _api_rows(client, page_size="100")) == (10, 100)
    filtered_small, _ = _queries(
        client, "/api/v1/enterprises/", page_size="10", sector="commerce", risk_class="general"
    )
    filtered_large, _ = _queries(
        client, "/api/v1/enterprises/", page_size="100", sector="commerce", risk_class="general"
    )
    assert filtered_small == filtered_large


def test_api_list_query_count_is_small(
    many: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(many.tianshan_officer)
    client.get("/api/v1/enterprises/")
    count, _ = _queries(client, "/api/v1/enterprises/", page_size="100")
    # session, user, roles, agency + jurisdiction, count, page: no query per row
    assert count <= 8, count


def test_page_list_queries_do_not_grow_with_the_rows(
    many: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(many.tianshan_officer)
    client.get("/registry/enterprises/")
    full, _ = _queries(client, "/registry/enterprises/")  # 25 rows
    few, _ = _queries(client, "/registry/enterprises/", q="天山区批量企业00")  # 10 rows
    one, _ = _queries(client, "/registry/enterprises/", q="乌鲁木齐天山化工")  # 1 row
    assert full == few == one
    htmx = client.get("/registry/enterprises/", {"page": "2"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert b"<html" not in htmx.content  # the table only
    with CaptureQueriesContext(connection) as small_htmx:
        client.get("/registry/enterprises/", {"q": "乌鲁木齐天山化工"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as large_htmx:
        client.get("/registry/enterprises/", {"page": "3"}, HTTP_HX_REQUEST="true")
    assert len(small_htmx.captured_queries) == len(large_htmx.captured_queries)


def test_page_list_shows_25_rows_per_page(
    many: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(many.tianshan_officer)
    response = client.get("/registry/enterprises/")
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list), page.paginator.num_pages) == (122, 25, 5)
    last = client.get("/registry/enterprises/", {"page": "5"}).context["page"]
    assert len(last.object_list) == 22
