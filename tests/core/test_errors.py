"""The one error body of the API: ``{"code", "message", "extra"}``, Chinese by default."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from inspectorate.core.api import error_body
from inspectorate.org.models import User
from tests.conftest import World

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def _zh_catalogue_compiled() -> bool:
    with translation.override("zh-hans"):
        return translation.gettext("The data is not valid.") != "The data is not valid."


def _post(client: Client, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/enterprises/", json.dumps(body), content_type="application/json", **headers
    )


def test_error_body_shape() -> None:
    assert error_body("not_found", "Not found.") == {
        "code": "not_found",
        "message": "Not found.",
        "extra": {},
    }


def test_validation_error_names_the_fields_in_chinese_by_default(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.tianshan_officer)
    response = _post(client, {"name": "缺少代码的公司", "size": "huge"})  # no Accept-Language
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == "validation_failed"
    fields = body["extra"]["fields"]
    assert set(fields) == {
        "credit_code",
        "address",
        "jurisdiction",
        "supervising_agency",
        "sector",
        "size",
        "risk_class",
    }
    # DRF's own messages come from its Chinese catalogue
    assert fields["credit_code"] == ["该字段是必填项。"]
    assert fields["size"] == ["“huge” 不是合法选项。"]
    if not _zh_catalogue_compiled():
        pytest.skip("the project's Chinese catalogue (django.mo) is not compiled yet")
    assert CJK.search(body["message"]), body["message"]


def test_the_same_error_in_english(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.tianshan_officer)
    response = _post(client, {"name": "缺少代码的公司"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    body = response.json()
    assert body["message"] == "The data is not valid."
    assert body["extra"]["fields"]["credit_code"] == ["This field is required."]


def _wrong_check_character(code: str) -> str:
    """``code`` with a check character that is not its own (a factory's code may end in 0)."""
    return code[:17] + ("1" if code[17] == "0" else "0")


def test_a_service_field_error_has_the_same_shape(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    """Errors raised by the services (not the serializer) render identically."""
    client = client_for(world.tianshan_officer)
    response = _post(
        client,
        {
            "credit_code": _wrong_check_character(world.ent_karamay.credit_code),
            "name": "甲",
            "address": "乙",
            "jurisdiction": "650102",
            "supervising_agency": world.karamay.code,
            "sector": "other",
            "size": "small",
            "risk_class": "low",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["message"] == "The data is not valid."
    assert list(body["extra"]["fields"]) == ["credit_code"]
    assert body["extra"]["fields"]["credit_code"][0].startswith("The check character is wrong")


def test_supervising_office_outside_the_place_is_a_field_error(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    from inspectorate.registry.credit_code import make_credit_code

    client = client_for(world.tianshan_officer)
    response = _post(
        client,
        {
            "credit_code": make_credit_code("9", "1", "650102", "MA7ABCDE1"),
            "name": "甲公司",
            "address": "天山区",
            "jurisdiction": "650102",
            "supervising_agency": world.karamay.code,
            "sector": "other",
            "size": "small",
            "risk_class": "low",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_failed",
        "message": "The data is not valid.",
        "extra": {
            "fields": {
                "supervising_agency": ["克拉玛依市应急管理局 has no jurisdiction over 天山区."]
            }
        },
    }


def test_concurrent_patch_is_409_and_the_row_unchanged(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    e = world.ent_tianshan
    first = client_for(world.tianshan_officer)
    second = client_for(world.tianshan_lead)
    url = f"/api/v1/enterprises/{e.pk}/"
    ok = first.patch(
        url, json.dumps({"version": 1, "employees": 80}), content_type="application/json"
    )
    assert (ok.status_code, ok.json()["version"], ok.json()["employees"]) == (200, 2, 80)
    stale = second.patch(
        url,
        json.dumps({"version": 1, "employees": 5, "name": "改名"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert stale.status_code == 409
    assert stale.json() == {
        "code": "concurrent_modification",
        "message": "Someone else changed this enterprise after you opened it. Reload and try again.",
        "extra": {"current_version": 2},
    }
    e.refresh_from_db()
    assert (e.version, e.employees, e.name) == (2, 80, "乌鲁木齐天山化工有限公司")


def test_patch_validation_comes_after_the_scope(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    """A bad body for an object outside the scope is still the plain 404."""
    client = client_for(world.karamay_officer)
    response = client.patch(
        f"/api/v1/enterprises/{world.ent_tianshan.pk}/",
        json.dumps({"employees": "many"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"risk_class": "purple"}, "risk_class"),
        ({"jurisdiction": "65x"}, "jurisdiction"),
        ({"status": "bankrupt"}, "status"),
        ({"page_size": "10", "q": "x" * 101}, "q"),
    ],
)
def test_bad_filters_are_field_errors(
    world: World, client_for: Callable[[User | None], Client], params: dict[str, str], field: str
) -> None:
    response = client_for(world.tianshan_officer).get("/api/v1/enterprises/", params)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert list(response.json()["extra"]["fields"]) == [field]


def test_missing_object_and_page(world: World, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(world.tianshan_officer)
    response = client.get("/api/v1/enterprises/0/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "extra": {}}
    assert client.get("/api/v1/enterprises/?page=99").json()["code"] == "not_found"
