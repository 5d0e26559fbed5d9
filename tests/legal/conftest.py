"""Fixtures of the legal tests: a province administrator and certified officers."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.legal import services
from inspectorate.legal.models import Law, LawVersion
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import AgencyFactory, CertificateFactory, UserFactory

DAY = dt.date(2026, 10, 1)

V1 = """# 演示规范

<!-- INFO END -->

## 第一章 总则

第一条 为了规范执法，制定本规范。

第二条 执法人员应当持证上岗。

第三条 执法人员应当着装规范。

## 第二章 程序

第四条 检查应当两人以上进行。

第四条之一 检查应当全程记录。

第五条 本规范自发布之日起施行。
"""

V2 = """# 演示规范

<!-- INFO END -->

## 第一章 总则

第一条 为了规范执法，制定本规范。

第二条 执法人员应当持有效执法证件上岗。

不得转借执法证件。

第三条 执法人员应当着装规范。

## 第二章 程序

第四条 检查应当两人以上进行。

第五条 本规范自2026年10月1日起施行。

第六条 执法记录仪数据保存不少于六个月。
"""


@pytest.fixture
def admin(world: World) -> User:
    """An administrator of the region's office (650000)."""
    user: User = UserFactory(username="prov_admin", agency=world.province, roles=[Role.ADMIN])
    return user


@pytest.fixture
def certified(world: World) -> World:
    """Certificates valid on DAY: 天山区's officer (hazchem_production), lead (fireworks),
    head and reviewer (hazchem_production), 克拉玛依's officer (noncoal_mine)."""
    CertificateFactory(officer=world.tianshan_officer, sectors=["hazchem_production"])
    CertificateFactory(officer=world.tianshan_lead, sectors=["fireworks"])
    CertificateFactory(officer=world.tianshan_head, sectors=["hazchem_production"])
    CertificateFactory(officer=world.tianshan_reviewer, sectors=["hazchem_production"])
    CertificateFactory(officer=world.karamay_officer, sectors=["noncoal_mine"])
    return world


@pytest.fixture
def gansu_officer(world: World) -> User:
    """An officer of another province (甘肃省 兰州市 城关区 620102)."""
    agency = AgencyFactory(jurisdiction_code="620102", name="城关区应急管理局")
    user: User = UserFactory(username="gs_officer", agency=agency)
    return user


@pytest.fixture
def policy(admin: User) -> Law:
    """The region's own policy document, with a first version added on 2026-03-01."""
    law = services.law_save(
        actor=admin,
        code="xj-demo-policy",
        title="演示规范",
        short_title="演示规范",
        kind="policy",
        issuer="新疆维吾尔自治区应急管理厅",
    )
    return law


def add_v1(admin: User, law: Law, day: dt.date = dt.date(2026, 3, 1)) -> LawVersion:
    return services.version_add(
        actor=admin,
        law_code=law.code,
        label="2026年3月版",
        promulgated_on=day,
        effective_on=day,
        text=V1,
        today=day,
    )


def add_v2(admin: User, law: Law, day: dt.date = DAY, **more: object) -> LawVersion:
    kwargs: dict[str, object] = {
        "label": "2026年10月修订",
        "promulgated_on": dt.date(2026, 9, 20),
        "effective_on": dt.date(2026, 10, 1),
        "text": V2,
        "changes": "修改第二条、第五条，删除第四条之一，增加第六条。",
        "study_hours": "3",
        "study_days": 30,
        "today": day,
    }
    kwargs.update(more)
    return services.version_add(actor=admin, law_code=law.code, **kwargs)  # type: ignore[arg-type]
