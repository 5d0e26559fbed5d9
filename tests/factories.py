"""factory-boy factories. Jurisdictions and sectors are the real rows the migrations load.

Every factory yields rows that pass ``full_clean``: credit codes are built with the
GB 32100 check character, the supervising agency covers the enterprise's place, and the
workflow-state subclasses (``SuspendedEnterpriseFactory``, ``ClosedEnterpriseFactory``)
only set the state a transition would have reached.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from inspectorate.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CertificateStatus,
    Jurisdiction,
    RoleAssignment,
    User,
)
from inspectorate.org.roles import Role
from inspectorate.registry.credit_code import CHARSET, make_credit_code
from inspectorate.registry.models import (
    Enterprise,
    EnterpriseStatus,
    HazardLevel,
    Licence,
    LicenceKind,
    MajorHazardSource,
    RiskClass,
    Sector,
    Size,
    StandardisationLevel,
)

PASSWORD = "Inspect@2026"  # satisfies the password policy


@cache
def _password_hash(raw: str) -> str:
    """Hashed once per process with MD5, the hasher the test settings use (conftest)."""
    return make_password(raw, hasher="md5")


_REFERENCE: dict[tuple[type, str], Any] = {}


def jurisdiction(code: str) -> Jurisdiction:
    """A real GB/T 2260 row loaded by the data migration (read once per process)."""
    key = (Jurisdiction, code)
    if key not in _REFERENCE:
        _REFERENCE[key] = Jurisdiction.objects.get(code=code)
    return _REFERENCE[key]  # type: ignore[no-any-return]


def sector(code: str) -> Sector:
    """A supervised-sector row loaded by the data migration (read once per process)."""
    key = (Sector, code)
    if key not in _REFERENCE:
        _REFERENCE[key] = Sector.objects.get(code=code)
    return _REFERENCE[key]  # type: ignore[no-any-return]


def subject_identifier(n: int) -> str:
    """Nine characters of the credit-code alphabet, distinct for every ``n``."""
    base = len(CHARSET)
    chars = []
    for _ in range(9):
        n, digit = divmod(n, base)
        chars.append(CHARSET[digit])
    return "".join(reversed(chars))


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    class Params:
        jurisdiction_code = "650102"

    code = factory.Sequence(lambda n: f"T{n:05d}")
    jurisdiction = factory.LazyAttribute(lambda o: jurisdiction(o.jurisdiction_code))
    name = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}应急管理局")
    short_name = factory.LazyAttribute(lambda o: f"新{o.jurisdiction.name[0]}")
    kind = AgencyKind.BUREAU


class UserFactory(DjangoModelFactory):
    """An officer of an agency. ``roles=[...]`` sets the role assignments.

    The default is one officer role (one enterprise role for an enterprise user).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    name = factory.Sequence(lambda n: f"执法人员{n}")
    agency = factory.SubFactory(AgencyFactory)
    enterprise = None
    is_active = True

    password = factory.LazyFunction(lambda: _password_hash(PASSWORD))

    @factory.post_generation
    def raw_password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        """``UserFactory(raw_password="...")`` sets another password."""
        if extracted:
            obj.set_password(extracted)
            if create:
                obj.save(update_fields=["password"])

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if extracted is None:
            extracted = [Role.ENTERPRISE] if obj.enterprise_id else [Role.OFFICER]
        roles = list(extracted)
        if create:
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=obj, role=r) for r in sorted(set(roles))]
            )
        # role_set and scope are cached properties: forget anything read before.
        obj.__dict__.pop("role_set", None)
        obj.__dict__.pop("scope", None)


class EnterpriseUserFactory(UserFactory):
    agency = None
    enterprise = factory.SubFactory("tests.factories.EnterpriseFactory")


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    officer = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"65010220250{n:04d}")
    issuing_authority = "新疆维吾尔自治区人民政府"
    valid_from = dt.date(2025, 1, 1)
    valid_until = dt.date(2027, 12, 31)
    status = CertificateStatus.VALID
    legal_qualification = False

    @factory.post_generation
    def sectors(obj: Certificate, create: bool, extracted: list[str] | None, **kw: Any) -> None:
        if create:
            obj.sectors.set(extracted if extracted is not None else ["hazchem_production"])


class EnterpriseFactory(DjangoModelFactory):
    """An operating enterprise in 天山区 supervised by a 天山区 bureau, unless told otherwise."""

    class Meta:
        model = Enterprise

    class Params:
        jurisdiction_code = "650102"
        serial = factory.Sequence(lambda n: n + 1)

    jurisdiction = factory.LazyAttribute(lambda o: jurisdiction(o.jurisdiction_code))
    credit_code = factory.LazyAttribute(
        lambda o: make_credit_code("9", "1", o.jurisdiction.code, subject_identifier(o.serial))
    )
    name = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}测试化工有限公司{o.serial}")
    address = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}人民路{o.serial}号")
    supervising_agency = factory.SubFactory(
        AgencyFactory, jurisdiction_code=factory.SelfAttribute("..jurisdiction_code")
    )
    sector = factory.LazyFunction(lambda: sector("hazchem_production"))
    industry_code = "2614"
    size = Size.SMALL
    employees = 50
    standardisation_level = StandardisationLevel.LEVEL3
    risk_class = RiskClass.GENERAL
    status = EnterpriseStatus.OPERATING
    legal_representative = "王伟"
    contact_phone = "13900000000"
    version = 1


class SuspendedEnterpriseFactory(EnterpriseFactory):
    status = EnterpriseStatus.SUSPENDED


class ClosedEnterpriseFactory(EnterpriseFactory):
    status = EnterpriseStatus.CLOSED


class LicenceFactory(DjangoModelFactory):
    class Meta:
        model = Licence

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = LicenceKind.SAFETY_PRODUCTION
    number = factory.Sequence(lambda n: f"（新）WH安许证字〔2025〕{n:05d}号")
    issued_by = "新疆维吾尔自治区应急管理厅"
    valid_from = dt.date(2025, 1, 1)
    valid_until = dt.date(2027, 12, 31)


class MajorHazardSourceFactory(DjangoModelFactory):
    class Meta:
        model = MajorHazardSource

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"储罐区{n}")
    level = HazardLevel.TWO
    identified_on = dt.date(2025, 6, 1)
