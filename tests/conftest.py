"""Shared fixtures: fast password hashing, a private media root, the reference data, and a
small 新疆 world of agencies, users and enterprises (``world``).

The world uses the real jurisdictions loaded by the data migration:

    650000 新疆维吾尔自治区 (province)
      650100 乌鲁木齐市 (prefecture)
        650102 天山区, 650103 沙依巴克区 (counties)
      650200 克拉玛依市 (prefecture; its enterprise sits in 650203 克拉玛依区)
      652300 昌吉回族自治州 (prefecture)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from inspectorate.org.models import Agency, User
from inspectorate.org.roles import Role
from inspectorate.registry.models import Enterprise
from tests.factories import AgencyFactory, EnterpriseFactory, EnterpriseUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """MD5 instead of PBKDF2: hashing is slow on purpose, and the tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns, for every test client, that var/static/ (collectstatic's output) is
    # absent; the tests do not serve collected static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _no_static_file_scan(request: pytest.FixtureRequest, settings: Any) -> None:
    """Every test client builds its own middleware, and WhiteNoise's finder mode then hashes
    every static file (~0.1 s a client). Only the browser tests need static files served."""
    if request.node.get_closest_marker("browser") is None:
        settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path: Path) -> None:
    """Uploaded imports and evidence files go to a per-test directory, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


# The reference data the data migrations load, and how to load it again.
REFERENCE_DATA = {
    "inspectorate.org.migrations.0003_load_jurisdictions": ("org.Jurisdiction", 3223),
    "inspectorate.registry.migrations.0002_load_sectors": ("registry.Sector", 16),
    "inspectorate.planning.migrations.0002_default_classification": (
        "planning.ClassificationRule",
        64,
    ),
    "inspectorate.legal.migrations.0002_load_laws": ("legal.Article", 822),
    "inspectorate.assessment.migrations.0002_default_scheme": ("assessment.Scheme", 1),
}


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language (Simplified Chinese).

    A request made by the test client with ``Accept-Language: en`` leaves English active in
    the thread (the locale middleware activates it and nothing deactivates it), so a later
    test on the same worker would see a service's message in English.
    """
    from django.conf import settings

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _uses_db(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "django_db_setup" in getattr(
        item, "fixturenames", ()
    )


@pytest.fixture(scope="module", autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Make sure the jurisdictions and sectors are there before a module's database tests.

    A transactional test (the browser tests' live server) flushes every table when it ends,
    the migrations' reference data included; on the same xdist worker the next module would
    then find no 天山区. Reloading is idempotent and costs one query when nothing is missing.
    """
    module_items = [i for i in request.session.items if i.getparent(pytest.Module) is request.node]
    if not any(_uses_db(i) for i in module_items):
        return
    request.getfixturevalue("django_db_setup")
    blocker: Any = request.getfixturevalue("django_db_blocker")
    from django.apps import apps

    with blocker.unblock():
        for module_name, (model_label, expected) in REFERENCE_DATA.items():
            if apps.get_model(model_label).objects.count() != expected:
                importlib.import_module(module_name).load(apps, None)  # type: ignore[attr-defined]


@dataclass
class World:
    province: Agency  # 650000
    prefecture: Agency  # 650100 乌鲁木齐市
    tianshan: Agency  # 650102 天山区
    shayibake: Agency  # 650103 沙依巴克区
    karamay: Agency  # 650200 克拉玛依市
    changji: Agency  # 652300 昌吉州

    province_officer: User
    prefecture_officer: User
    tianshan_officer: User
    tianshan_lead: User  # team lead + officer
    tianshan_head: User
    tianshan_admin: User
    tianshan_reviewer: User  # legal reviewer: staff, but no registry writes
    shayibake_officer: User
    karamay_officer: User
    karamay_lead: User
    karamay_head: User
    inactive_officer: User  # a 天山区 officer whose account was switched off
    enterprise_user: User  # user of ent_tianshan

    ent_tianshan: Enterprise  # 650102
    ent_tianshan_2: Enterprise  # 650102
    ent_shayibake: Enterprise  # 650103
    ent_karamay: Enterprise  # 650203 克拉玛依区, supervised by 克拉玛依市
    ent_changji: Enterprise  # 652301 昌吉市, supervised by 昌吉州


@pytest.fixture
def world(db: None) -> World:
    province = AgencyFactory(jurisdiction_code="650000", name="新疆维吾尔自治区应急管理厅")
    prefecture = AgencyFactory(jurisdiction_code="650100", name="乌鲁木齐市应急管理局")
    tianshan = AgencyFactory(jurisdiction_code="650102", name="天山区应急管理局")
    shayibake = AgencyFactory(jurisdiction_code="650103", name="沙依巴克区应急管理局")
    karamay = AgencyFactory(jurisdiction_code="650200", name="克拉玛依市应急管理局")
    changji = AgencyFactory(jurisdiction_code="652300", name="昌吉回族自治州应急管理局")
    ent_tianshan = EnterpriseFactory(
        jurisdiction_code="650102", supervising_agency=tianshan, name="乌鲁木齐天山化工有限公司"
    )
    return World(
        province=province,
        prefecture=prefecture,
        tianshan=tianshan,
        shayibake=shayibake,
        karamay=karamay,
        changji=changji,
        province_officer=UserFactory(username="prov_officer", agency=province),
        prefecture_officer=UserFactory(username="pref_officer", agency=prefecture),
        tianshan_officer=UserFactory(username="ts_officer", agency=tianshan),
        tianshan_lead=UserFactory(
            username="ts_lead", agency=tianshan, roles=[Role.TEAM_LEAD, Role.OFFICER]
        ),
        tianshan_head=UserFactory(username="ts_head", agency=tianshan, roles=[Role.HEAD]),
        tianshan_admin=UserFactory(username="ts_admin", agency=tianshan, roles=[Role.ADMIN]),
        tianshan_reviewer=UserFactory(
            username="ts_reviewer", agency=tianshan, roles=[Role.LEGAL_REVIEWER]
        ),
        shayibake_officer=UserFactory(username="syb_officer", agency=shayibake),
        karamay_officer=UserFactory(username="klmy_officer", agency=karamay),
        karamay_lead=UserFactory(
            username="klmy_lead", agency=karamay, roles=[Role.TEAM_LEAD, Role.OFFICER]
        ),
        karamay_head=UserFactory(username="klmy_head", agency=karamay, roles=[Role.HEAD]),
        inactive_officer=UserFactory(username="ts_inactive", agency=tianshan, is_active=False),
        enterprise_user=EnterpriseUserFactory(username="ent_user", enterprise=ent_tianshan),
        ent_tianshan=ent_tianshan,
        ent_tianshan_2=EnterpriseFactory(
            jurisdiction_code="650102", supervising_agency=tianshan, name="天山区第二机械厂"
        ),
        ent_shayibake=EnterpriseFactory(
            jurisdiction_code="650103", supervising_agency=shayibake, name="沙依巴克建材有限公司"
        ),
        ent_karamay=EnterpriseFactory(
            jurisdiction_code="650203", supervising_agency=karamay, name="克拉玛依石化有限公司"
        ),
        ent_changji=EnterpriseFactory(
            jurisdiction_code="652301", supervising_agency=changji, name="昌吉市新材料有限公司"
        ),
    )


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    """A test client signed in as the user (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def zh(message: str) -> str:
    """``message`` as a page in the default language (Simplified Chinese) shows it."""
    with translation.override("zh-hans"):
        return translation.gettext(message)
