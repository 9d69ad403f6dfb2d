"""What the in-process benchmarks share: a database per phase, and recording the results."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_postgres(pg_url: str, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one phase, dropped afterwards (also on errors)."""
    name = f"{prefix}_{os.getpid()}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def each_database(which: str, pg_url: str, prefix: str, run: Callable[[str, str], dict]) -> list[dict]:
    """Run one phase on SQLite and/or PostgreSQL (`which`: sqlite, postgresql or both)."""
    results = []
    if which in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run("sqlite", f"sqlite:///{tmp}/bench.db"))
    if which in ("postgresql", "both"):
        with scratch_postgres(pg_url, prefix) as url:
            results.append(run("postgresql", url))
    return results


def record(name: str, title: str, details: str, table: str, results: list[dict]) -> None:
    """Print the table, keep the JSON under results/ and append a section to RESULTS.md."""
    print(table)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    stamp = datetime.now(timezone.utc)
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / f"{name}-{stamp:%Y%m%d-%H%M%S}.json").write_text(
        json.dumps({"commit": commit, "results": results}, ensure_ascii=False, indent=2))
    with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as out:
        out.write(f"\n## {title} — {stamp:%Y-%m-%d %H:%M} UTC\n\n"
                  f"Commit {commit}, {os.cpu_count()} cores, Python {platform.python_version()}, {details} "
                  f"(`benchmarks/{name}.py`).\n\n{table}\n")
