"""统一社会信用代码 (GB 32100-2015): the check character and the shape of the code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from inspectorate.registry.credit_code import (
    CHARSET,
    ORGANISATION_TYPES,
    WEIGHTS,
    check_character,
    credit_code_problem,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
)

# Real codes, checked against the algorithm before being written here.
REAL_CODES = [
    "91350100M000100Y43",  # the example used in GB 32100 explanations
    "91110000802100433B",
    "91440300708461136T",  # 华为技术有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
]


def test_the_alphabet_and_weights() -> None:
    assert CHARSET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert len(CHARSET) == 31
    assert not set("IOZSV") & set(CHARSET)
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert credit_code_problem(code) is None
    assert check_character(code[:17]) == code[17]
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("911100001000013720", "The check character is wrong: expected F, found 0."),
        ("91350100M000100Y4", "A unified social credit code has 18 characters; this one has 17."),
        ("91350100M000100Y433", "A unified social credit code has 18 characters; this one has 19."),
        ("", "A unified social credit code has 18 characters; this one has 0."),
        (
            "91350100M000100YI3",
            "A unified social credit code uses digits and capital letters "
            "except I, O, Z, S and V, with digits in positions 3 to 8.",
        ),
        (
            "913501O0M000100Y43",
            "A unified social credit code uses digits and capital letters "
            "except I, O, Z, S and V, with digits in positions 3 to 8.",
        ),
        (
            "91350100m000100y43",
            "A unified social credit code uses digits and capital letters "
            "except I, O, Z, S and V, with digits in positions 3 to 8.",
        ),
        (
            "96350100M000100Y43",
            "The registration authority and organisation type (positions 1–2) are not valid.",
        ),
        (
            "B1350100M000100Y43",
            "The registration authority and organisation type (positions 1–2) are not valid.",
        ),
    ],
)
def test_invalid_codes_say_why(code: str, message: str) -> None:
    with translation.override("en"):
        assert credit_code_problem(code) == message
        with pytest.raises(ValidationError) as info:
            validate_credit_code(code)
    assert info.value.code == "invalid_credit_code"


def test_normalise() -> None:
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_credit_code("9135 0100 M000 100Y43") == "91350100M000100Y43"


def test_make_credit_code() -> None:
    assert make_credit_code("9", "1", "350100", "M000100Y4") == "91350100M000100Y43"
    assert make_credit_code("9", "1", "110000", "802100433") == "91110000802100433B"


# --- properties ---------------------------------------------------------------------------

authority_and_type = st.sampled_from(
    [(a, t) for a, types in ORGANISATION_TYPES.items() for t in types]
)
region = st.text(alphabet="0123456789", min_size=6, max_size=6)
subject = st.text(alphabet=CHARSET, min_size=9, max_size=9)


@st.composite
def codes(draw: st.DrawFn) -> str:
    authority, org_type = draw(authority_and_type)
    return make_credit_code(authority, org_type, draw(region), draw(subject))


@given(code=codes())
def test_every_made_code_is_valid(code: str) -> None:
    assert len(code) == 18
    assert credit_code_problem(code) is None


@given(code=codes(), position=st.integers(0, 17), data=st.data())
def test_changing_any_one_character_is_detected(
    code: str, position: int, data: st.DataObject
) -> None:
    replacement = data.draw(st.sampled_from(CHARSET).filter(lambda c: c != code[position]))
    changed = code[:position] + replacement + code[position + 1 :]
    # A mod-31 check with weights 3^i (never 0 mod 31) catches every single substitution:
    # either the code no longer has a valid shape, or its check character no longer matches.
    assert credit_code_problem(changed) is not None
    if position < 17:
        assert check_character(changed[:17]) != code[17]


@given(code=codes(), position=st.integers(0, 15))
def test_swapping_two_neighbours_is_detected(code: str, position: int) -> None:
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert credit_code_problem(swapped) is not None
