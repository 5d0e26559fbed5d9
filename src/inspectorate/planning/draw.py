"""The verifiable random draw (双随机): which enterprises, and which officers in pairs.

Algorithm ``sha256-rank-v1`` — short enough to re-implement in any language:

1. The seed is 64 hexadecimal characters. Before the draw, SHA-256 of the seed (as ASCII)
   is written to the enforcement record together with SHA-256 of the published inputs.
2. Enterprises: every candidate ``[credit code, cost]`` gets the rank
   ``SHA-256("E|" + seed + "|" + credit code)`` in hexadecimal. Walk the candidates in
   ascending rank (ties by credit code) and take each one whose cost still fits in the
   remaining budget.
3. Officers: every certificate number gets the rank ``SHA-256("O|" + seed + "|" + number)``.
   In ascending rank, officers 1 and 2 form team 1, 3 and 4 team 2, and so on; an odd
   officer joins the last team. A single officer forms no team (inspections need two).

``scripts/verify_draw.py`` does the same with nothing but the Python standard library.
This module has no Django import so that it can be read and run on its own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from typing import Any

ALGORITHM = "sha256-rank-v1"


def seed_new() -> str:
    return secrets.token_hex(32)


def seed_valid(seed: str) -> bool:
    return len(seed) == 64 and all(c in "0123456789abcdef" for c in seed)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def seed_hash(seed: str) -> str:
    return sha256_text(seed)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def inputs_hash(
    enterprise_candidates: Sequence[Sequence[Any]], officer_candidates: Sequence[str], budget: int
) -> str:
    return sha256_text(
        canonical_json(
            {
                "algorithm": ALGORITHM,
                "budget": budget,
                "enterprises": [list(c) for c in enterprise_candidates],
                "officers": list(officer_candidates),
            }
        )
    )


def _rank(tag: str, seed: str, item: str) -> str:
    return sha256_text(f"{tag}|{seed}|{item}")


def draw_enterprises(seed: str, candidates: Sequence[Sequence[Any]], budget: int) -> list[str]:
    """Credit codes drawn, in draw order."""
    ranked = sorted((_rank("E", seed, str(c[0])), str(c[0]), int(c[1])) for c in candidates)
    drawn: list[str] = []
    remaining = budget
    for _rank_value, code, cost in ranked:
        if cost <= remaining:
            drawn.append(code)
            remaining -= cost
    return drawn


def draw_teams(seed: str, certificates: Sequence[str]) -> list[list[str]]:
    ranked = [c for _r, c in sorted((_rank("O", seed, c), c) for c in certificates)]
    if len(ranked) < 2:
        return []
    teams = [ranked[i : i + 2] for i in range(0, len(ranked) - 1, 2)]
    if len(ranked) % 2:
        teams[-1].append(ranked[-1])
    return teams


def result_hash(enterprises: Sequence[str], teams: Sequence[Sequence[str]]) -> str:
    return sha256_text(
        canonical_json({"enterprises": list(enterprises), "teams": [list(t) for t in teams]})
    )
