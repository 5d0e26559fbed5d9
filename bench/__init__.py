"""Benchmarks: ``python -m bench`` runs them all, ``python -m bench registry`` runs one.

Each benchmark is a module ``bench/bench_<name>.py`` with ``NAME``, ``SUMMARY`` (one line
for the intro of ``docs/benchmarks.md``) and ``main() -> int`` (the exit status). It
prints its figures and, as its last line, ``<name>: key=value ...``, and appends a dated
section to ``docs/benchmarks.md``.

Benchmarks that need PostgreSQL use ``BENCH_DATABASE_URL`` (default: the local server,
``postgres://postgres@127.0.0.1:5432/postgres``): the database named in it is only used
to create and drop the benchmark's own database, ``inspectorate_bench_<pid>``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import statistics
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
DOCS = ROOT / "docs" / "benchmarks.md"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"

INTRO = """# Benchmarks

`make bench` runs every benchmark in `bench/` (the modules `bench/bench_<name>.py`); `make
bench BENCH=registry` runs one. Each run prints its progress, appends a dated section to
this file (the machine, its load, the figures) and ends with the line `<name>: key=value
...`; the exit status is non-zero when a target is missed. `BENCH_QUICK=1` makes a small
smoke run that appends nothing.

Benchmarks that need PostgreSQL connect to `BENCH_DATABASE_URL` (default: the local server,
`postgres://postgres@127.0.0.1:5432/postgres`; the database named there is only used to
create and drop others), create their own database `inspectorate_bench_<pid>` (UTF-8,
`LC_COLLATE 'C'`, `LC_CTYPE 'C.UTF-8'`) and drop it at the end, also on failure. The server
is used as it is configured; the benchmarks tune nothing.

Figures: the median is `statistics.median`; p95 is the nearest-rank 95th percentile (the
smallest sample that at least 95 % of the samples do not exceed). Times are wall-clock, so
they depend on what else the machine is doing: every section records the 1-minute load
average, and the import also the CPU time of the Python process and of its PostgreSQL
backend.

What each benchmark measures:

{summaries}
"""


def ensure_src_on_path() -> None:
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))


# --- PostgreSQL ---------------------------------------------------------------------------


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "") or DEFAULT_SERVER_URL


def database_url(dbname: str, base: str | None = None) -> str:
    """``base`` (a postgres:// URL) with its database name replaced."""
    parts = urlsplit(base or server_url())
    return urlunsplit(parts._replace(path="/" + dbname))


def _connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def server_version() -> str:
    with _connect(server_url()) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _close_django_connections() -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not be set up; what follows matters
        pass


@contextmanager
def temporary_database(
    prefix: str = "inspectorate_bench", *, template: str | None = None
) -> Iterator[str]:
    """Create ``<prefix>_<pid>`` on the benchmark server (an empty UTF-8 database, or a
    copy of the database ``template``, which must then have no open connection); yield
    its URL; always drop it."""
    name = f"{prefix}_{os.getpid()}"
    source = (
        f'TEMPLATE "{template}"'
        if template
        else "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
    )
    with _connect(server_url()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            _close_django_connections()
        conn.execute(f'CREATE DATABASE "{name}" {source}')
    try:
        yield database_url(name)
    finally:
        if not template:
            _close_django_connections()
        with _connect(server_url()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- figures -------------------------------------------------------------------------------


def median(samples: Sequence[float]) -> float:
    return float(statistics.median(samples))


def p95(samples: Sequence[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return float(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)])


def last_line(name: str, figures: dict[str, object]) -> str:
    return f"{name}: " + " ".join(f"{k}={v}" for k, v in figures.items())


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus": f"{cores} ({cpu})",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _summaries() -> str:
    from bench.__main__ import discover

    lines = []
    for name, module in discover().items():
        summary = getattr(__import__(module, fromlist=["SUMMARY"]), "SUMMARY", "")
        lines.append(f"- **{name}** — {summary}")
    return "\n".join(lines)


def append_report(title: str, body: str) -> None:
    """Append a dated section to docs/benchmarks.md (created with its intro if missing)."""
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    if not DOCS.exists():
        DOCS.write_text(INTRO.format(summaries=_summaries()), encoding="utf-8")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with DOCS.open("a", encoding="utf-8") as fh:
        fh.write(f"\n## {stamp} — {title}\n\n{body.rstrip()}\n")
