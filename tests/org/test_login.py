"""Signing in: the login page, the lockout after 5 failures (django-axes) and API tokens."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.authtoken.models import Token

from inspectorate.org.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def officer() -> User:
    return UserFactory(username="ts_officer")


@pytest.fixture
def colleague() -> User:
    return UserFactory(username="ts_colleague")


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_right_password_signs_in(officer: User) -> None:
    client = Client()
    response = _login(client, "ts_officer", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == officer.pk


def test_a_wrong_password_shows_the_form_again(officer: User) -> None:
    client = Client()
    response = _login(client, "ts_officer", "Wrong#Pass1")
    assert response.status_code == 200
    assert b'data-testid="login-error"' in response.content
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_even_for_the_right_password(
    officer: User, colleague: User
) -> None:
    attacker = Client()
    for attempt in range(1, 5):
        response = _login(attacker, "ts_officer", f"Wrong#Pass{attempt}")
        assert response.status_code == 200, attempt  # the form again, not yet locked
    response = _login(attacker, "ts_officer", "Wrong#Pass5")
    assert response.status_code == 429
    assert b'data-testid="locked-out"' in response.content
    assert AccessAttempt.objects.get(username="ts_officer").failures_since_start == 5

    # The officer, from another browser and with the right password, is refused too.
    owner = Client()
    response = _login(owner, "ts_officer", PASSWORD)
    assert response.status_code == 429
    assert b'data-testid="locked-out"' in response.content
    assert "_auth_user_id" not in owner.session
    assert owner.get("/").status_code == 302  # still not signed in

    # A colleague at the same office (same IP address) is not affected.
    response = _login(owner, "ts_colleague", PASSWORD)
    assert response.status_code == 302
    assert int(owner.session["_auth_user_id"]) == colleague.pk


def test_four_failures_then_success_resets_the_count(officer: User) -> None:
    client = Client()
    for attempt in range(4):
        _login(client, "ts_officer", f"Wrong#Pass{attempt}")
    assert _login(client, "ts_officer", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="ts_officer").exists()
    # counting starts again: four more failures do not lock
    other = Client()
    for attempt in range(4):
        assert _login(other, "ts_officer", f"Wrong#Pass{attempt}").status_code == 200
    assert _login(Client(), "ts_officer", PASSWORD).status_code == 302


def test_an_inactive_user_cannot_sign_in() -> None:
    UserFactory(username="gone", is_active=False)
    client = Client()
    assert _login(client, "gone", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def _token(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token/",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_api_token_for_the_right_password_and_its_use(officer: User) -> None:
    response = _token(Client(), "ts_officer", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "ts_officer"
    # the same token the next time
    assert _token(Client(), "ts_officer", PASSWORD).json() == {"token": token}


def test_api_token_wrong_password_and_lockout(officer: User) -> None:
    response = _token(Client(), "ts_officer", "Wrong#Pass1")
    assert response.status_code == 400
    assert response.json() == {
        "code": "authentication_failed",
        "message": "The username or password is wrong, or the account is locked.",
        "extra": {},
    }
    for attempt in range(2, 6):
        _token(Client(), "ts_officer", f"Wrong#Pass{attempt}")
    response = _token(Client(), "ts_officer", PASSWORD)
    # a locked-out username gets the API's error body, not the HTML lockout page
    assert response.status_code == 429
    assert response.json() == {
        "code": "account_locked",
        "message": "Too many failed sign-in attempts. The account is locked for 30 minutes.",
        "extra": {},
    }
    assert not Token.objects.filter(user=officer).exists()
    # the login page is locked as well
    assert _login(Client(), "ts_officer", PASSWORD).status_code == 429


def test_api_token_missing_fields_are_field_errors() -> None:
    response = _token(Client(), "", "")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert sorted(body["extra"]["fields"]) == ["password", "username"]


def test_logout_needs_post_and_ends_the_session(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert client.get("/").status_code == 302
