"""Jurisdiction scoping (ARCHITECTURE rule 1): what each kind of user may see."""

from __future__ import annotations

import pytest
from django.db.models import Q

from inspectorate.core.scoping import NOTHING, Scope, code_range, prefix_for
from inspectorate.org.models import Jurisdiction, User
from inspectorate.org.roles import Role
from inspectorate.org.selectors import (
    agency_list_for_user,
    jurisdiction_list_for_user,
    officer_list_for_user,
)
from inspectorate.registry.selectors import EnterpriseFilters, enterprise_list_for_user
from tests.conftest import World
from tests.factories import AgencyFactory, UserFactory


def test_prefixes_and_ranges() -> None:
    assert prefix_for("650000", "province") == "65"
    assert prefix_for("650100", "prefecture") == "6501"
    assert prefix_for("650102", "county") == "650102"
    assert code_range("6501") == ("650100", "650199")
    assert code_range("65") == ("650000", "659999")
    assert code_range("650102") == ("650102", "650102")


def test_scope_q_and_covers() -> None:
    county = Scope(prefix="650102")
    assert (county.covers("650102"), county.covers("650103")) == (True, False)
    prefecture = Scope(prefix="6501")
    assert (prefecture.covers("650103"), prefecture.covers("650203")) == (True, False)
    assert Scope(prefix="").covers("110101")
    assert not NOTHING.covers("650102")
    assert NOTHING.is_empty
    assert not Scope(prefix=None, enterprise_ids=frozenset({1})).is_empty
    assert Scope(prefix="6501").q("code") == Q(code__gte="650100", code__lte="650199")
    assert Scope(prefix="").q("code") == Q()


def _codes(user: User) -> set[str]:
    return set(jurisdiction_list_for_user(user=user).values_list("code", flat=True))


@pytest.mark.django_db
def test_each_level_sees_its_subtree(world: World) -> None:
    assert world.province_officer.scope == Scope(prefix="65")
    assert world.prefecture_officer.scope == Scope(prefix="6501")
    assert world.tianshan_officer.scope == Scope(prefix="650102")
    assert world.karamay_officer.scope == Scope(prefix="6502")

    assert _codes(world.tianshan_officer) == {"650102"}
    assert _codes(world.prefecture_officer) == {
        "650100",
        "650102",
        "650103",
        "650104",
        "650105",
        "650106",
        "650107",
        "650109",
        "650121",
    }
    province = _codes(world.province_officer)
    assert province == set(
        Jurisdiction.objects.filter(code__startswith="65").values_list("code", flat=True)
    )
    assert {"650000", "650100", "650102", "650203", "652301"} <= province
    assert not any(code.startswith("11") for code in province)


@pytest.mark.django_db
def test_enterprise_lists_follow_the_scope(world: World) -> None:
    def names(user: User) -> set[str]:
        return set(
            enterprise_list_for_user(user=user, filters=EnterpriseFilters()).values_list(
                "name", flat=True
            )
        )

    tianshan = {"乌鲁木齐天山化工有限公司", "天山区第二机械厂"}
    urumqi = tianshan | {"沙依巴克建材有限公司"}
    assert names(world.tianshan_officer) == tianshan
    assert names(world.shayibake_officer) == {"沙依巴克建材有限公司"}
    assert names(world.prefecture_officer) == urumqi
    assert names(world.karamay_officer) == {"克拉玛依石化有限公司"}
    assert names(world.province_officer) == urumqi | {
        "克拉玛依石化有限公司",
        "昌吉市新材料有限公司",
    }
    assert names(world.enterprise_user) == {"乌鲁木齐天山化工有限公司"}
    assert names(world.inactive_officer) == set()


@pytest.mark.django_db
def test_enterprise_user_sees_only_its_enterprise(world: World) -> None:
    scope = world.enterprise_user.scope
    assert scope == Scope(prefix=None, enterprise_ids=frozenset({world.ent_tianshan.pk}))
    assert not scope.covers("650102")  # it sees no jurisdiction, only its own unit
    assert _codes(world.enterprise_user) == set()
    assert list(agency_list_for_user(user=world.enterprise_user)) == []
    assert list(officer_list_for_user(user=world.enterprise_user)) == []


@pytest.mark.django_db
def test_inactive_and_roleless_users_see_nothing(world: World) -> None:
    assert world.inactive_officer.scope is NOTHING
    assert _codes(world.inactive_officer) == set()
    no_roles = UserFactory(agency=world.tianshan, roles=[])
    assert no_roles.scope is NOTHING
    # an enterprise role given to an agency member does not open the agency's scope
    odd = UserFactory(agency=world.tianshan, roles=[Role.ENTERPRISE])
    assert odd.scope is NOTHING
    assert list(enterprise_list_for_user(user=odd, filters=EnterpriseFilters())) == []


@pytest.mark.django_db
def test_a_superuser_without_an_agency_sees_everything() -> None:
    root = UserFactory(agency=None, roles=[], is_superuser=True)
    assert root.scope == Scope(prefix="")
    assert jurisdiction_list_for_user(user=root).count() == Jurisdiction.objects.count() == 3223


@pytest.mark.django_db
def test_agency_and_officer_lists(world: World) -> None:
    assert [a.name for a in agency_list_for_user(user=world.prefecture_officer)] == [
        "乌鲁木齐市应急管理局",
        "天山区应急管理局",
        "沙依巴克区应急管理局",
    ]
    assert set(
        officer_list_for_user(user=world.tianshan_officer).values_list("username", flat=True)
    ) == {
        "ts_officer",
        "ts_lead",
        "ts_head",
        "ts_admin",
        "ts_reviewer",
        "ts_inactive",
    }
    assert set(
        officer_list_for_user(user=world.karamay_officer).values_list("username", flat=True)
    ) == {
        "klmy_officer",
        "klmy_lead",
        "klmy_head",
    }
    other = AgencyFactory(jurisdiction_code="110101", name="东城区应急管理局")
    UserFactory(agency=other, username="beijing")
    assert "beijing" not in set(
        officer_list_for_user(user=world.province_officer).values_list("username", flat=True)
    )
