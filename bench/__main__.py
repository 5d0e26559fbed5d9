"""``python -m bench [name ...]``: run the named benchmarks, or all of ``bench/bench_*.py``.

One benchmark runs in this process. Several run one after another, each in its own
process (each sets up Django against its own database). The exit status is non-zero
when any benchmark fails or misses a hard check.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> dict[str, str]:
    """Benchmark name -> module, from the files ``bench/bench_<name>.py``."""
    return {
        path.stem.removeprefix("bench_"): f"bench.{path.stem}"
        for path in sorted(HERE.glob("bench_*.py"))
    }


def main(argv: list[str]) -> int:
    available = discover()
    names = [a for a in argv if a.strip()] or list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        print(
            f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available)}.",
            file=sys.stderr,
        )
        return 2
    if len(names) == 1:
        module = importlib.import_module(available[names[0]])
        return int(module.main())
    failed = []
    for name in names:
        print(f"=== bench {name}", flush=True)
        status = subprocess.call([sys.executable, "-m", "bench", name])  # noqa: S603
        if status:
            failed.append(f"{name} (exit {status})")
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
