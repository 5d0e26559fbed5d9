"""The password policy: Django's validators (length 10, common, numeric, similarity) + classes."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.utils import translation

from inspectorate.core.errors import ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Agency, User
from inspectorate.org.passwords import CharacterClassValidator
from inspectorate.org.services import user_create
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

TOO_SHORT = "This password is too short. It must contain at least 10 characters."
TOO_SIMPLE = (
    "The password must contain at least 3 of: lower-case letters, upper-case letters, "
    "digits and symbols."
)
TOO_COMMON = "This password is too common."
ALL_NUMERIC = "This password is entirely numeric."


@pytest.fixture
def agency() -> Agency:
    return AgencyFactory(jurisdiction_code="650102")


def _create(agency: Agency, password: str, username: str = "wangwei") -> User:
    return user_create(
        actor=None,
        username=username,
        password=password,
        name="王伟",
        roles=["officer"],
        agency=agency,
    )


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Ab1!xyz", [TOO_SHORT]),  # 7 characters, all four classes
        ("abcdefghijkm", [TOO_SIMPLE]),  # long enough, one class only
        ("abcdefgh1234", [TOO_SIMPLE]),  # two classes are not enough
        ("Password1!", [TOO_COMMON]),  # four classes, but "password1!" is on the list
        ("Password123", [TOO_COMMON]),
        ("8305176294", [ALL_NUMERIC, TOO_SIMPLE]),
        ("abc", [TOO_SHORT, TOO_COMMON, TOO_SIMPLE]),
    ],
)
def test_weak_passwords_are_refused_with_field_errors(
    agency: Agency, password: str, messages: list[str]
) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _create(agency, password)
    assert info.value.code == "validation_failed"
    assert info.value.extra == {"fields": {"password": messages}}
    assert not User.objects.filter(username="wangwei").exists()
    assert RecordEvent.objects.count() == 0


def test_a_password_like_the_username_is_refused(agency: Agency) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _create(agency, "Tianshan_Officer1", username="tianshan_officer1")
    assert info.value.extra == {
        "fields": {"password": ["The password is too similar to the username."]}
    }


def test_the_error_is_chinese_by_default(agency: Agency) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
        _create(agency, "Password1!")
    # Django's own catalogue: "This password is too common."
    assert info.value.extra == {"fields": {"password": ["这个密码太常见了。"]}}


def test_a_good_password_creates_the_user_and_records_it(agency: Agency) -> None:
    user = _create(agency, "Tianshan#2026x")
    assert user.check_password("Tianshan#2026x")
    assert identify_hasher(user.password).algorithm == "md5"  # the tests' fast hasher
    assert sorted(user.roles.values_list("role", flat=True)) == ["officer"]
    event = RecordEvent.objects.get()
    assert (event.kind, event.jurisdiction_code, event.subject_id) == (
        RecordKind.USER_CREATED,
        "650102",
        str(user.pk),
    )
    assert event.payload == {
        "username": "wangwei",
        "name": "王伟",
        "roles": ["officer"],
        "agency": agency.code,
    }


def test_a_duplicate_username_is_a_field_error(agency: Agency) -> None:
    _create(agency, "Tianshan#2026x")
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        _create(agency, "Tianshan#2026x")
    assert info.value.extra == {
        "fields": {"username": ["A user with that username already exists."]}
    }
    assert User.objects.filter(username="wangwei").count() == 1
    assert RecordEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdefgh12", True),
        ("abcdefgh1!", True),
        ("ABCDEFGH!!", False),
        ("密码密码密码密码12", False),
        ("Ab1", True),
    ],
)
def test_character_class_validator(password: str, ok: bool) -> None:
    validator = CharacterClassValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(Exception, match="at least 3 of"):
            with translation.override("en"):
                validator.validate(password)
