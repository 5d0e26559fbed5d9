"""The classification table: defaults with sources, a province's own rule versions with
effective dates, who may add them, and the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from inspectorate.core.errors import PermissionDenied, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.org.roles import Role
from inspectorate.planning.classification import classification_rule_add, table_rows
from inspectorate.planning.models import ClassificationRule
from inspectorate.planning.rules import ClassificationTable, UnitFacts
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)


def facts(sector: str, level: str = "none", risk: str = "general") -> UnitFacts:
    return UnitFacts(
        enterprise_id=1,
        credit_code="X",
        county="650102",
        sector=sector,
        high_risk=True,
        risk_class=risk,
        standardisation_level=level,
    )


def rule_kwargs(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "sector": "hazchem_production",
        "basis": "standardisation",
        "class_value": "level3",
        "min_per_year": "2",
        "max_per_year": "6",
        "days_per_inspection": "1.0",
        "effective_from": dt.date(2026, 2, 1),
        "source": "新疆维吾尔自治区应急管理厅 2026 年分类分级执法检查办法 第八条",
    }
    base.update(overrides)
    return base


@pytest.fixture
def province_admin(world: World) -> object:
    return UserFactory(username="prov_admin", agency=world.province, roles=[Role.ADMIN])


def test_the_defaults_cite_their_source_and_carry_the_shanxi_maxima(world: World) -> None:
    table = ClassificationTable.load("650000", DAY)
    chem = table.rule_for(facts("hazchem_production", "none"))
    assert (chem.min_per_year, chem.max_per_year, chem.days_per_inspection) == (
        1,
        12,
        Decimal("1.5"),
    )
    assert "山西" in chem.source
    assert "本系统默认值" in chem.source
    level1 = table.rule_for(facts("hazchem_production", "level1"))
    assert (level1.min_per_year, level1.max_per_year) == (0, 2)
    mine = table.rule_for(facts("noncoal_mine", risk="major"))
    assert (mine.basis, mine.min_per_year, mine.max_per_year) == ("risk", 2, 4)
    shop = table.rule_for(facts("commerce", "none"))
    assert (shop.max_per_year, shop.days_per_inspection) == (6, Decimal("0.5"))
    assert ClassificationRule.objects.filter(province__isnull=True).count() == 64


def test_a_province_rule_replaces_the_default_from_its_date(world: World, province_admin) -> None:
    events = RecordEvent.objects.count()
    classification_rule_add(actor=province_admin, **rule_kwargs())
    before = ClassificationTable.load("650000", dt.date(2026, 1, 31))
    after = ClassificationTable.load("650000", DAY)
    assert before.rule_for(facts("hazchem_production", "level3")).max_per_year == 8
    ruled = after.rule_for(facts("hazchem_production", "level3"))
    assert (ruled.min_per_year, ruled.max_per_year, ruled.days_per_inspection) == (
        2,
        6,
        Decimal("1.0"),
    )
    # the other classes of the sector keep their defaults
    assert after.rule_for(facts("hazchem_production", "none")).max_per_year == 12
    # another province is not affected
    other = ClassificationTable.load("640000", DAY)
    assert other.rule_for(facts("hazchem_production", "level3")).max_per_year == 8
    assert RecordEvent.objects.count() == events + 1
    event = RecordEvent.objects.latest("pk")
    assert event.kind == "planning.classification_rule_added"
    assert event.jurisdiction_code == "650000"
    assert event.payload["max_per_year"] == 6
    assert verify_chain("650000") == []
    rows = [r for r in table_rows("650000", DAY) if r.sector == "hazchem_production"]
    own = [r for r in rows if r.own]
    assert len(own) == 1
    assert own[0].max_per_year == 6


def test_a_province_classifying_by_another_basis_drops_that_sectors_defaults(
    world: World, province_admin
) -> None:
    classification_rule_add(
        actor=province_admin,
        **rule_kwargs(sector="commerce", basis="credit", class_value="D", min_per_year="1"),
    )
    table = ClassificationTable.load("650000", DAY)
    bad_credit = UnitFacts(
        enterprise_id=1,
        credit_code="X",
        county="650102",
        sector="commerce",
        high_risk=False,
        risk_class="general",
        standardisation_level="none",
        credit_class="D",
    )
    assert table.rule_for(bad_credit).min_per_year == 1
    # a commerce unit without a credit class is no longer classified by standardisation
    assert table.rule_for(facts("commerce", "none")).source == ""


@pytest.mark.parametrize(
    "who", ["county_admin", "province_officer"], ids=["county administrator", "province officer"]
)
def test_only_a_province_administrator_adds_rules(world: World, who: str) -> None:
    actor = (
        UserFactory(agency=world.tianshan, roles=[Role.ADMIN])
        if who == "county_admin"
        else world.province_officer
    )
    count = ClassificationRule.objects.count()
    with pytest.raises(PermissionDenied):
        classification_rule_add(actor=actor, **rule_kwargs())
    assert ClassificationRule.objects.count() == count


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_per_year": "5", "max_per_year": "3"}, "max_per_year"),
        ({"max_per_year": "60"}, "max_per_year"),
        ({"min_per_year": "x"}, "min_per_year"),
        ({"days_per_inspection": "0.3"}, "days_per_inspection"),
        ({"days_per_inspection": "0"}, "days_per_inspection"),
        ({"class_value": "major"}, "class_value"),
        ({"sector": "coal"}, "sector"),
        ({"source": "  "}, "source"),
        ({"effective_from": None}, "effective_from"),
    ],
)
def test_bad_rules_are_refused_at_the_field_and_nothing_is_written(
    world: World, province_admin, overrides: dict[str, object], field: str
) -> None:
    count, events = ClassificationRule.objects.count(), RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        classification_rule_add(actor=province_admin, **rule_kwargs(**overrides))
    assert field in caught.value.extra["fields"]
    assert (ClassificationRule.objects.count(), RecordEvent.objects.count()) == (count, events)


def test_two_versions_on_the_same_day_are_refused(world: World, province_admin) -> None:
    classification_rule_add(actor=province_admin, **rule_kwargs())
    with pytest.raises(ValidationFailed) as caught:
        classification_rule_add(actor=province_admin, **rule_kwargs(max_per_year="7"))
    assert "effective_from" in caught.value.extra["fields"]


def test_the_page_shows_the_table_and_lets_only_the_administrator_add(
    world: World, province_admin
) -> None:
    officer = Client()
    officer.force_login(world.tianshan_officer)
    page = officer.get("/planning/classification/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "分类分级与检查频次" in html
    assert "危险化学品生产" in html
    assert "新增规则版本" not in html
    count = ClassificationRule.objects.count()
    assert officer.post("/planning/classification/", rule_kwargs()).status_code == 403
    assert ClassificationRule.objects.count() == count

    admin = Client()
    admin.force_login(province_admin)
    bad = admin.post("/planning/classification/", rule_kwargs(min_per_year="5", max_per_year="3"))
    assert bad.status_code == 400
    assert "上限不能低于下限" in bad.content.decode()
    assert ClassificationRule.objects.count() == count
    good = admin.post("/planning/classification/", rule_kwargs())
    assert good.status_code == 302
    assert ClassificationRule.objects.filter(province_id="650000").count() == 1


def test_anonymous_is_sent_to_the_login_page() -> None:
    response = Client().get("/planning/classification/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
