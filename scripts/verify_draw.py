#!/usr/bin/env python3
"""Re-run a published random draw of an inspection plan (algorithm sha256-rank-v1).

Usage: python3 verify_draw.py draw.json

``draw.json`` is the file the plan's public page offers for download: the seed, the
committed seed hash, the candidate lists, the budget and the published result. The script
uses only the Python standard library and none of Inspectorate's code: it checks that the
seed matches the hash committed before the draw, that the inputs match their hash, and that
the draw gives the published result.
"""

import hashlib
import json
import sys


def sha(text):
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def canonical(value):
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    seed = data["seed"]
    ok = True
    if sha(seed) != data["seed_hash"]:
        print("seed does not match the committed hash")
        ok = False
    inputs = {
        "algorithm": "sha256-rank-v1",
        "budget": data["budget"],
        "enterprises": data["enterprise_candidates"],
        "officers": data["officer_candidates"],
    }
    if sha(canonical(inputs)) != data["inputs_hash"]:
        print("inputs do not match their committed hash")
        ok = False
    ranked = sorted((sha(f"E|{seed}|{code}"), code, cost) for code, cost in inputs["enterprises"])
    drawn, remaining = [], data["budget"]
    for _rank, code, cost in ranked:
        if cost <= remaining:
            drawn.append(code)
            remaining -= cost
    officers = [c for _r, c in sorted((sha(f"O|{seed}|{c}"), c) for c in inputs["officers"])]
    teams = []
    if len(officers) >= 2:
        teams = [officers[i : i + 2] for i in range(0, len(officers) - 1, 2)]
        if len(officers) % 2:
            teams[-1].append(officers[-1])
    if drawn != data["result"]["enterprises"]:
        print("the enterprises drawn differ from the published result")
        ok = False
    if teams != data["result"]["teams"]:
        print("the teams drawn differ from the published result")
        ok = False
    print(f"{len(drawn)} enterprises, {len(teams)} teams: " + ("VERIFIED" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
