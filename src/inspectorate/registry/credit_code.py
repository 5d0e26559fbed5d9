"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), the registering
office's administrative-division code (6 digits), the subject identifier (9) and a check
character computed modulo 31 over the first 17 with weights 3^(i-1) mod 31. The character
set is the digits and the capital letters without I, O, Z, S and V.
"""

from __future__ import annotations

import re
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, ...

# Registration authority (position 1) and the organisation types it uses (position 2).
ORGANISATION_TYPES = {
    "1": "129",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体
    "2": "19",  # 外交
    "3": "12",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "123459",  # 农业
    "Y": "1",  # 其他
}
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(first17: str) -> str:
    total = sum(map(mul, map(VALUES.__getitem__, first17), WEIGHTS))  # hot in imports
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when valid; otherwise the reason, translated."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {
            "n": len(code)
        }
    if not PATTERN.match(code):
        return _(
            "A unified social credit code uses digits and capital letters except I, O, Z, S "
            "and V, with digits in positions 3 to 8."
        )
    allowed = ORGANISATION_TYPES.get(code[0])
    if allowed is None or code[1] not in allowed:
        return _("The registration authority and organisation type (positions 1–2) are not valid.")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("The check character is wrong: expected %(expected)s, found %(found)s.") % {
            "expected": expected,
            "found": code[17],
        }
    return None


def normalise_credit_code(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


def make_credit_code(registration: str, org_type: str, region: str, subject9: str) -> str:
    """Build a valid code (used by the demo data and the tests' factories)."""
    first17 = f"{registration}{org_type}{region}{subject9}"
    return first17 + check_character(first17)
