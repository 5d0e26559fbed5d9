"""The discretion engine, against worked examples computed by hand from the law's numbers.

Sources: 行政处罚法 Arts. 29–33 and 49; 安全生产法 Arts. 93–114 (2021 amendment). The
default benchmark splits the statutory range 0–30 / 30–70 / 70–100 % and rounds to 100 yuan.
Pure unit tests: no database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from inspectorate.cases.discretion import (
    Benchmark,
    DiscretionError,
    Facts,
    Provision,
    Recommendation,
    Tier,
    daily_total,
    one_fine_per_act,
    recommend,
)
from inspectorate.cases.law_data import DEFAULT_BENCHMARK, PROVISIONS

PROVISION = {d["code"]: Provision.from_dict(d) for d in PROVISIONS}
DEFAULT = Benchmark.from_dict(DEFAULT_BENCHMARK)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def rec(code: str, benchmark: Benchmark = DEFAULT, **facts: Any) -> Recommendation:
    return recommend(PROVISION[code], Facts(**facts), benchmark)


def shape(r: Recommendation) -> tuple[str, str, int, int, int]:
    return (r.outcome, r.tier, r.range_min, r.range_max, r.amount)


# --------------------------------------------------------------------------- the data

EXPECTED_CODES = {
    "93-0-principal-accident",
    "94-0-principal-base",
    "94-0-principal-uncorrected",
    "95-0-principal-accident",
    "96-0-person-base",
    "96-0-person-accident",
    *(f"97-{i}-unit-base" for i in range(1, 8)),
    "97-0-unit-uncorrected",
    "97-0-person-uncorrected",
    *(f"98-{i}-unit-base" for i in range(1, 5)),
    "98-0-person-base",
    "98-0-unit-uncorrected",
    "98-0-person-uncorrected",
    *(f"99-{i}-unit-base" for i in range(1, 9)),
    "99-0-unit-uncorrected",
    "99-0-person-uncorrected",
    *(f"101-{i}-unit-base" for i in range(1, 6)),
    "101-0-unit-uncorrected",
    "101-0-person-uncorrected",
    "102-0-unit-base",
    "102-0-person-uncorrected",
    *(f"103-{i}-{party}-base" for i in range(1, 5) for party in ("unit", "person")),
    "104-0-unit-base",
    "104-0-person-base",
    "105-1-unit-base",
    "105-2-unit-base",
    "105-0-person-base",
    "106-0-principal-base",
    "108-0-unit-uncorrected",
    "108-0-person-uncorrected",
    "109-0-unit-base",
    "109-0-unit-uncorrected",
    "110-1-principal-accident",
    "110-2-principal-accident",
    "114-0-unit-accident",
}

# Every article of 93–114 whose text sets a fine. Not here: 100 (refers to the hazardous
# goods laws), 107 (internal discipline), 111 (处分 of officials), 112 (daily fine, a
# function), 113 (closure).
FINE_ARTICLES = {93, 94, 95, 96, 97, 98, 99, 101, 102, 103, 104, 105, 106, 108, 109, 110, 114}


def test_every_provision_loads_with_unique_codes_and_ordered_amounts() -> None:
    codes = [d["code"] for d in PROVISIONS]
    assert len(codes) == len(set(codes))
    keys = {(d["article"], d["item"], d["party"], d["stage"]) for d in PROVISIONS}
    assert len(keys) == len(PROVISIONS)
    for d in PROVISIONS:
        p = Provision.from_dict(d)
        assert p.code == f"{p.article}-{p.item}-{p.party}-{p.stage}"
        assert 0 <= p.min_amount <= p.max_amount
        assert p.citation.startswith("《中华人民共和国安全生产法》")
        assert p.violation
        assert d["effective_from"] == "2021-09-01"
        # The model's column widths.
        assert len(p.code) <= 48
        assert len(p.citation) <= 128
        assert len(p.other_penalties) <= 128
        assert len(p.violation) <= 255


def test_the_data_is_json_serialisable() -> None:
    assert json.loads(json.dumps(PROVISIONS)) == PROVISIONS
    assert json.loads(json.dumps(DEFAULT_BENCHMARK)) == DEFAULT_BENCHMARK


def test_the_fine_articles_and_items_are_all_there() -> None:
    assert set(PROVISION) == EXPECTED_CODES
    assert {d["article"] for d in PROVISIONS} == FINE_ARTICLES
    for article, items in ((97, 7), (98, 4), (99, 8), (101, 5), (105, 2)):
        assert {
            p.item for p in PROVISION.values() if p.article == article and p.party == "unit"
        } - {0} == set(range(1, items + 1))


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [
        ("93-0-principal-accident", 20_000, 200_000),
        ("94-0-principal-base", 20_000, 50_000),
        ("94-0-principal-uncorrected", 50_000, 100_000),
        ("96-0-person-base", 10_000, 30_000),
        ("97-5-unit-base", 0, 100_000),
        ("97-0-unit-uncorrected", 100_000, 200_000),
        ("97-0-person-uncorrected", 20_000, 50_000),
        ("98-1-unit-base", 100_000, 500_000),
        ("98-0-person-base", 20_000, 50_000),
        ("98-0-unit-uncorrected", 500_000, 1_000_000),
        ("98-0-person-uncorrected", 50_000, 100_000),
        ("99-4-unit-base", 0, 50_000),
        ("99-0-unit-uncorrected", 50_000, 200_000),
        ("99-0-person-uncorrected", 10_000, 20_000),
        ("101-4-unit-base", 0, 100_000),
        ("101-0-unit-uncorrected", 100_000, 200_000),
        ("101-0-person-uncorrected", 20_000, 50_000),
        ("102-0-unit-base", 0, 50_000),
        ("102-0-person-uncorrected", 50_000, 100_000),
        ("103-1-person-base", 10_000, 20_000),
        ("103-2-unit-base", 0, 50_000),
        ("103-2-person-base", 0, 10_000),
        ("103-3-unit-base", 0, 100_000),
        ("103-3-person-base", 0, 20_000),
        ("103-4-person-base", 50_000, 100_000),
        ("104-0-unit-base", 0, 50_000),
        ("104-0-person-base", 0, 10_000),
        ("105-2-unit-base", 0, 50_000),
        ("105-0-person-base", 0, 10_000),
        ("106-0-principal-base", 20_000, 100_000),
        ("108-0-unit-uncorrected", 20_000, 200_000),
        ("108-0-person-uncorrected", 10_000, 20_000),
        ("109-0-unit-base", 50_000, 100_000),
        ("109-0-unit-uncorrected", 100_000, 200_000),
    ],
)
def test_statutory_ranges_match_the_text(code: str, low: int, high: int) -> None:
    p = PROVISION[code]
    assert (p.method, p.min_amount, p.max_amount) == ("range", low, high)
    r = recommend(p, Facts(), DEFAULT)
    assert (r.statutory_min, r.statutory_max) == (low, high)


def test_formula_parameters_match_the_text() -> None:
    assert PROVISION["95-0-principal-accident"].params == {
        "shares": {"general": "0.40", "larger": "0.60", "major": "0.80", "especially_major": "1.00"}
    }
    assert PROVISION["96-0-person-accident"].params == {"low": "0.20", "high": "0.50"}
    assert PROVISION["110-1-principal-accident"].params == {"low": "0.60", "high": "1.00"}
    assert PROVISION["110-2-principal-accident"].params == {"low": "0.60", "high": "1.00"}
    assert PROVISION["114-0-unit-accident"].params == {
        "grades": {
            "general": [300_000, 1_000_000],
            "larger": [1_000_000, 2_000_000],
            "major": [2_000_000, 10_000_000],
            "especially_major": [10_000_000, 20_000_000],
        },
        "aggravated_multiple": [2, 5],
    }
    for code in ("103-1-unit-base", "103-4-unit-base"):
        assert PROVISION[code].params == {
            "threshold": 100_000,
            "multiple": [2, 5],
            "fallback": [100_000, 200_000],
        }
        assert "没收违法所得" in PROVISION[code].other_penalties


def test_the_default_benchmark_is_honest_about_its_source() -> None:
    assert DEFAULT.code == "default"
    assert [(b.tier, b.low, b.high) for b in DEFAULT.bands] == [
        ("lighter", Decimal("0.00"), Decimal("0.30")),
        ("general", Decimal("0.30"), Decimal("0.70")),
        ("heavier", Decimal("0.70"), Decimal("1.00")),
    ]
    assert DEFAULT.mitigated_floor == Decimal("0.50")
    assert DEFAULT.round_to == 100
    for phrase in (
        "应急〔2024〕90号",
        "未经核实",
        "地方实践",
        "郑州",
        "应急管理部令第12号",
        "同案同罚",
    ):
        assert phrase in DEFAULT_BENCHMARK["source"]
    assert DEFAULT_BENCHMARK["effective_from"] == "2024-01-01"


# --------------------------------------------------------------------------- tiers


def test_no_circumstances_give_the_general_tier() -> None:
    r = rec("97-3-unit-base")
    assert shape(r) == ("penalty", Tier.GENERAL, 30_000, 70_000, 50_000)
    assert (r.statutory_min, r.statutory_max) == (0, 100_000)
    assert r.reasons == (
        "Statutory range under 《中华人民共和国安全生产法》第九十七条第（三）项: 0–100,000 yuan.",
        "General tier (一般): no circumstance tips the balance; 30–70% of the statutory "
        "range: 30,000–70,000 yuan.",
        "Recommended amount: 50,000 yuan, the middle of the range rounded to 100 yuan.",
    )


def test_one_aggravating_circumstance_gives_the_heavier_tier() -> None:
    r = rec("97-3-unit-base", repeat=True)
    assert shape(r) == ("penalty", Tier.HEAVIER, 70_000, 100_000, 85_000)
    assert (
        "Aggravating (benchmark factor, 应急〔2024〕90号): another violation within one year."
        in (r.reasons)
    )


def test_emergency_cites_article_49() -> None:
    r = rec("99-0-unit-uncorrected", emergency=True)
    # 50,000 + 70 % × 150,000 = 155,000 … 200,000
    assert shape(r) == ("penalty", Tier.HEAVIER, 155_000, 200_000, 177_500)
    assert any("Art. 49" in reason for reason in r.reasons)


def test_one_mitigating_circumstance_gives_the_lighter_tier() -> None:
    r = rec("97-3-unit-base", eliminated_harm=True)
    assert shape(r) == ("penalty", Tier.LIGHTER, 0, 30_000, 15_000)
    assert (
        "Mitigating (行政处罚法 Art. 32(1)): eliminated or reduced the harm on its own initiative."
        in r.reasons
    )


def test_two_mandatory_circumstances_mitigate_below_the_minimum() -> None:
    # 安全生产法 Art. 94: 2–5万. 减轻: 50 % of 20,000 … 19,999.
    r = rec("94-0-principal-base", eliminated_harm=True, confessed=True)
    assert shape(r) == ("penalty", Tier.MITIGATED, 10_000, 19_999, 15_000)
    assert (r.statutory_min, r.statutory_max) == (20_000, 50_000)
    assert any(reason.startswith("Mitigated below the statutory minimum") for reason in r.reasons)
    assert not r.allows(20_000)


def test_minors_count_as_mandatory_mitigation() -> None:
    r = rec("96-0-person-base", minor_age=True, coerced=True)
    # 1–3万: 5,000 … 9,999, middle 7,499.5 → 7,500
    assert shape(r) == ("penalty", Tier.MITIGATED, 5_000, 9_999, 7_500)


def test_no_minimum_means_lighter_instead_of_mitigated() -> None:
    r = rec("97-3-unit-base", eliminated_harm=True, meritorious=True)
    assert shape(r) == ("penalty", Tier.LIGHTER, 0, 30_000, 15_000)
    assert "The statute sets no minimum to go below, so the lighter tier (从轻) applies." in (
        r.reasons
    )


def test_an_aggravating_circumstance_blocks_mitigation() -> None:
    # net = 2 − 1 > 0: lighter, 20,000 + 0 … 20,000 + 30 % × 30,000 = 29,000.
    r = rec("94-0-principal-base", eliminated_harm=True, confessed=True, serious_harm=True)
    assert shape(r) == ("penalty", Tier.LIGHTER, 20_000, 29_000, 24_500)


def test_optional_mitigation_and_balance() -> None:
    assert rec("109-0-unit-base", limited_capacity=True).tier == Tier.LIGHTER
    r = rec("109-0-unit-base", limited_capacity=True, obstruction=True)
    # 5–10万, general: 65,000 … 85,000
    assert shape(r) == ("penalty", Tier.GENERAL, 65_000, 85_000, 75_000)
    r = rec("109-0-unit-base", eliminated_harm=True, repeat=True, obstruction=True)
    assert shape(r) == ("penalty", Tier.HEAVIER, 85_000, 100_000, 92_500)


# --------------------------------------------------------------------------- formulas


def test_article_95_income_share_is_fixed() -> None:
    r = rec("95-0-principal-accident", accident_grade="larger", previous_year_income=300_000)
    assert shape(r) == ("penalty", Tier.FIXED, 180_000, 180_000, 180_000)
    assert (r.statutory_min, r.statutory_max) == (180_000, 180_000)
    assert r.reasons[0] == (
        "Fixed amount under 《中华人民共和国安全生产法》第九十五条 (larger accident): 60% of the "
        "previous year's income of 300,000 yuan, 180,000 yuan."
    )
    # Circumstances do not move a fixed amount.
    r = rec(
        "95-0-principal-accident",
        accident_grade="especially_major",
        previous_year_income=123_457,
        repeat=True,
    )
    assert shape(r) == ("penalty", Tier.FIXED, 123_457, 123_457, 123_457)
    # 40 % of 1,001 yuan = 400.4 → 400; of 1,004 → 401.6 → 402 (half up to the yuan).
    assert (
        rec("95-0-principal-accident", accident_grade="general", previous_year_income=1_001).amount
        == 400
    )
    assert (
        rec("95-0-principal-accident", accident_grade="general", previous_year_income=1_004).amount
        == 402
    )


def test_article_114_accident_grades_and_paragraph_2() -> None:
    r = rec("114-0-unit-accident", accident_grade="major")
    assert (r.statutory_min, r.statutory_max) == (2_000_000, 10_000_000)
    assert shape(r) == ("penalty", Tier.GENERAL, 4_400_000, 7_600_000, 6_000_000)
    r = rec("114-0-unit-accident", accident_grade="major", especially_serious=True)
    assert (r.statutory_min, r.statutory_max) == (4_000_000, 50_000_000)
    # 4,000,000 + 30 % / 70 % × 46,000,000
    assert shape(r) == ("penalty", Tier.GENERAL, 17_800_000, 36_200_000, 27_000_000)
    assert any("Art. 114 ¶2" in reason for reason in r.reasons)
    r = rec("114-0-unit-accident", accident_grade="general")
    assert (r.statutory_min, r.statutory_max) == (300_000, 1_000_000)
    r = rec("114-0-unit-accident", accident_grade="especially_major")
    assert (r.statutory_min, r.statutory_max) == (10_000_000, 20_000_000)


def test_income_ranges_of_articles_96_and_110() -> None:
    r = rec("96-0-person-accident", previous_year_income=200_000)
    assert (r.statutory_min, r.statutory_max) == (40_000, 100_000)
    assert shape(r) == ("penalty", Tier.GENERAL, 58_000, 82_000, 70_000)
    assert "暂停或者吊销" in r.other_penalties
    r = rec("110-2-principal-accident", previous_year_income=500_000)
    assert (r.statutory_min, r.statutory_max) == (300_000, 500_000)


def test_article_103_gains() -> None:
    r = rec("103-1-unit-base", illegal_gains=150_000)
    assert (r.statutory_min, r.statutory_max) == (300_000, 750_000)
    assert shape(r) == ("penalty", Tier.GENERAL, 435_000, 615_000, 525_000)
    r = rec("103-1-unit-base", illegal_gains=50_000)
    assert (r.statutory_min, r.statutory_max) == (100_000, 200_000)
    assert shape(r) == ("penalty", Tier.GENERAL, 130_000, 170_000, 150_000)
    # "十万元以上" includes 100,000 itself; "没有违法所得" takes the fallback.
    r = rec("103-4-unit-base", illegal_gains=100_000)
    assert (r.statutory_min, r.statutory_max) == (200_000, 500_000)
    r = rec("103-1-unit-base", illegal_gains=0)
    assert (r.statutory_min, r.statutory_max) == (100_000, 200_000)


@pytest.mark.parametrize(
    ("code", "facts", "message"),
    [
        ("95-0-principal-accident", {"previous_year_income": 1}, "the accident grade is needed"),
        ("95-0-principal-accident", {"accident_grade": "major"}, "previous year's income"),
        ("95-0-principal-accident", {"accident_grade": "huge", "previous_year_income": 1}, "huge"),
        ("114-0-unit-accident", {}, "the accident grade is needed"),
        ("96-0-person-accident", {}, "previous year's income"),
        ("110-1-principal-accident", {"previous_year_income": -1}, "previous year's income"),
        ("103-1-unit-base", {}, "illegal gains are needed"),
    ],
)
def test_missing_facts_raise(code: str, facts: dict[str, Any], message: str) -> None:
    with pytest.raises(DiscretionError, match=message):
        rec(code, **facts)


# --------------------------------------------------------------------------- Art. 33


def test_no_fault_means_no_penalty() -> None:
    r = rec("97-3-unit-base", no_fault=True, repeat=True)
    assert shape(r) == ("no_penalty", Tier.NONE, 0, 0, 0)
    assert (r.statutory_min, r.statutory_max) == (0, 100_000)
    assert r.reasons == (
        "No penalty: the party has proved it had no subjective fault (行政处罚法 Art. 33 ¶2).",
        "The party must be educated (行政处罚法 Art. 33 ¶3).",
    )
    assert r.other_penalties == ""
    # Formula facts are not needed when there is no penalty.
    assert rec("95-0-principal-accident", no_fault=True).outcome == "no_penalty"


def test_minor_corrected_harmless_means_no_penalty() -> None:
    r = rec("99-1-unit-base", minor=True, corrected_promptly=True, no_harm=True)
    assert shape(r) == ("no_penalty", Tier.NONE, 0, 0, 0)
    assert "(行政处罚法 Art. 33 ¶1)" in r.reasons[0]
    # Not harmless: penalised as usual.
    assert rec("99-1-unit-base", minor=True, corrected_promptly=True).outcome == "penalty"


def test_first_offence_may_be_waived_but_the_range_is_given() -> None:
    r = rec("97-3-unit-base", first_offence=True, minor_harm=True, corrected_promptly=True)
    assert shape(r) == ("may_waive", Tier.WAIVABLE, 30_000, 70_000, 50_000)
    assert r.reasons[0].startswith("May go unpunished")
    r = rec(
        "95-0-principal-accident",
        first_offence=True,
        minor_harm=True,
        corrected_promptly=True,
        accident_grade="general",
        previous_year_income=100_000,
    )
    assert shape(r) == ("may_waive", Tier.WAIVABLE, 40_000, 40_000, 40_000)


# --------------------------------------------------------------------------- benchmarks


def test_a_province_override_replaces_the_tier_range() -> None:
    province = Benchmark.from_dict(
        {
            **DEFAULT_BENCHMARK,
            "code": "650000",
            "name": "新疆裁量基准",
            "overrides": [
                {
                    "provision": "97-3-unit-base",
                    "tier": "general",
                    "min_amount": 20_000,
                    "max_amount": 60_000,
                },
                {
                    "provision": "94-0-principal-base",
                    "tier": "mitigated",
                    "min_amount": 12_000,
                    "max_amount": 18_000,
                },
            ],
        }
    )
    r = rec("97-3-unit-base", province)
    assert shape(r) == ("penalty", Tier.GENERAL, 20_000, 60_000, 40_000)
    assert "Range set by 新疆裁量基准 for this provision and tier: 20,000–60,000 yuan." in r.reasons
    # Other tiers and provisions keep the shares.
    assert shape(rec("97-3-unit-base", province, repeat=True))[2:] == (70_000, 100_000, 85_000)
    assert shape(rec("97-4-unit-base", province))[2:] == (30_000, 70_000, 50_000)
    r = rec("94-0-principal-base", province, eliminated_harm=True, coerced=True)
    assert shape(r) == ("penalty", Tier.MITIGATED, 12_000, 18_000, 15_000)
    # The mapping form of the overrides gives the same benchmark.
    same = Benchmark.from_dict(
        {**DEFAULT_BENCHMARK, "overrides": {("97-3-unit-base", "general"): (20_000, 60_000)}}
    )
    assert rec("97-3-unit-base", same).amount == 40_000


def test_rounding_stays_inside_the_range() -> None:
    narrow = Benchmark.from_dict(
        {**DEFAULT_BENCHMARK, "overrides": {("104-0-person-base", "general"): (145, 195)}}
    )
    r = rec("104-0-person-base", narrow)
    # The middle 170 rounds to 200, outside; no multiple of 100 inside: the middle itself.
    assert shape(r) == ("penalty", Tier.GENERAL, 145, 195, 170)
    assert r.reasons[-1] == "Recommended amount: 170 yuan, the middle of the range."
    coarse = Benchmark.from_dict({**DEFAULT_BENCHMARK, "round_to": 1000})
    # 99 base ≤5万, heavier 35,000 … 50,000: middle 42,500 → 43,000 (half up).
    assert rec("99-2-unit-base", coarse, repeat=True).amount == 43_000
    # The middle of 10,000 … 19,999 is 14,999.5 → 15,000 at 100 yuan.
    assert rec("94-0-principal-base", eliminated_harm=True, confessed=True).amount == 15_000


def test_allows() -> None:
    r = rec("97-3-unit-base")
    assert [r.allows(a) for a in (29_999, 30_000, 50_000, 70_000, 70_001)] == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_bad_data_is_refused() -> None:
    with pytest.raises(DiscretionError, match="no band for heavier"):
        Benchmark.from_dict({**DEFAULT_BENCHMARK, "bands": DEFAULT_BENCHMARK["bands"][:2]})
    with pytest.raises(DiscretionError, match="not a range"):
        Benchmark.from_dict({**DEFAULT_BENCHMARK, "overrides": {("x", "general"): (5, 1)}})
    row = next(d for d in PROVISIONS if d["code"] == "97-3-unit-base")
    with pytest.raises(DiscretionError, match="unknown calculation method"):
        Provision.from_dict({**row, "method": "guess"})
    with pytest.raises(DiscretionError, match="minimum"):
        Provision.from_dict({**row, "min_amount": 200_000})
    with pytest.raises(DiscretionError, match="needs the parameters"):
        Provision.from_dict({**row, "method": "gains"})


# --------------------------------------------------------------------------- other rules


def test_daily_total_counts_from_the_day_after_the_order() -> None:
    assert daily_total(20_000, dt.date(2026, 3, 2), dt.date(2026, 3, 12)) == (10, 200_000)
    assert daily_total(20_000, dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == (1, 20_000)
    assert daily_total(20_000, dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == (0, 0)
    assert daily_total(20_000, dt.date(2026, 3, 2), dt.date(2026, 3, 1)) == (0, 0)
    with pytest.raises(DiscretionError):
        daily_total(-1, dt.date(2026, 3, 2), dt.date(2026, 3, 12))


def test_one_fine_per_act_keeps_the_highest() -> None:
    lines = [("a", 10_000), ("a", 30_000), ("b", 5_000), ("a", 20_000), (("c", 1), 7_000)]
    assert one_fine_per_act(lines) == (42_000, {0, 3})
    assert one_fine_per_act([("a", 100), ("a", 100)]) == (100, {1})
    assert one_fine_per_act([]) == (0, set())
