"""The grade of 国务院令493 Art. 3 at every boundary: "以上" includes the number, "以下"
excludes it, and the highest grade one of whose criteria is reached decides."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.accidents import services
from inspectorate.accidents.models import AccidentGradeRule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)
WAN = 10_000


def grade(deaths: int = 0, injuries: int = 0, loss: int = 0) -> str:
    return services.grade_compute(
        deaths=deaths, serious_injuries=injuries, direct_loss=loss, on=ON
    )[0]


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, "general"),
        (2, "general"),
        (3, "larger"),
        (9, "larger"),
        (10, "major"),
        (29, "major"),
        (30, "especially_major"),
    ],
)
def test_deaths(deaths: int, expected: str) -> None:
    assert grade(deaths=deaths) == expected


@pytest.mark.parametrize(
    ("injuries", "expected"),
    [
        (9, "general"),
        (10, "larger"),
        (49, "larger"),
        (50, "major"),
        (99, "major"),
        (100, "especially_major"),
    ],
)
def test_serious_injuries(injuries: int, expected: str) -> None:
    assert grade(injuries=injuries) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (999 * WAN + 9999, "general"),
        (1000 * WAN, "larger"),
        (5000 * WAN - 1, "larger"),
        (5000 * WAN, "major"),
        (10000 * WAN - 1, "major"),
        (10000 * WAN, "especially_major"),
    ],
)
def test_direct_loss(loss: int, expected: str) -> None:
    assert grade(loss=loss) == expected


def test_the_highest_criterion_reached_decides() -> None:
    # 2 deaths (一般), 10 serious injuries (较大), 5000万 (重大): 重大
    assert grade(deaths=2, injuries=10, loss=5000 * WAN) == "major"
    # 30 deaths beat everything else
    assert grade(deaths=30, injuries=0, loss=0) == "especially_major"
    # 9 deaths (较大) and 50 injuries (重大): 重大
    assert grade(deaths=9, injuries=50) == "major"


def test_the_basis_names_the_article_and_the_criterion() -> None:
    found, basis = services.grade_compute(deaths=3, serious_injuries=0, direct_loss=0, on=ON)
    assert found == "larger"
    assert basis == "《生产安全事故报告和调查处理条例》（国务院令第493号）第三条第一款第（三）项"


def test_the_rules_are_data_with_effective_dates() -> None:
    rules = {r.grade: r for r in AccidentGradeRule.objects.all()}
    assert set(rules) == {"general", "larger", "major", "especially_major"}
    assert (rules["larger"].min_deaths, rules["larger"].min_serious_injuries) == (3, 10)
    assert rules["especially_major"].min_direct_loss == 100_000_000
    assert rules["general"].effective_from == dt.date(2007, 6, 1)
    # a supplementary rule (Art. 3 ¶2) in force later replaces a row from its day on
    AccidentGradeRule.objects.filter(grade="larger").update(effective_until=dt.date(2026, 12, 31))
    AccidentGradeRule.objects.create(
        grade="larger",
        rank=2,
        min_deaths=2,
        min_serious_injuries=10,
        min_direct_loss=10_000_000,
        legal_basis="test",
        effective_from=dt.date(2027, 1, 1),
    )
    assert grade(deaths=2) == "general"
    assert (
        services.grade_compute(deaths=2, serious_injuries=0, direct_loss=0, on=dt.date(2027, 1, 2))[
            0
        ]
        == "larger"
    )
