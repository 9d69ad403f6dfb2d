"""Benchmark: how long a process takes to import what it runs, against the libraries it cannot avoid.

    .venv/bin/python benchmarks/imports.py [--repeat 10]

Goal (issue "Speed": light processes): `import bot.app` under 1 s. Each round starts fresh Python
processes, interleaved: the baseline imports Flask and SQLAlchemy's ORM alone (the floor any web
worker of this house pays), then `bot.app` (the web worker), `scheduler.clock` (the clock) and
`bot.cli` (every `meetbot` command). line-bot-sdk is imported on a process's first LINE call
(bot/line_client.py), so it is in none of these. Appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import record  # noqa: E402

GOAL_S = 1.0
CASES = {
    "baseline: flask + sqlalchemy.orm": "import flask, sqlalchemy.orm",
    "bot.app (web worker)": "import bot.app",
    "scheduler.clock (clock)": "import scheduler.clock",
    "bot.cli (meetbot …)": "import bot.cli",
}


def _seconds(statement: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, statement in CASES.items():
            times[name].append(_seconds(statement))
    base = statistics.median(times["baseline: flask + sqlalchemy.orm"])
    rows, results = [], []
    for name, values in times.items():
        median = statistics.median(values)
        rows.append(f"| {name} | {median:.2f} | {max(values):.2f} | {median / base:.2f}× |")
        results.append({"case": name, "median_s": median, "worst_s": max(values)})
    web = statistics.median(times["bot.app (web worker)"])
    table = ("| process imports | median s | worst s | × baseline |\n|---|---|---|---|\n" + "\n".join(rows)
             + f"\n\nGoal `import bot.app` < {GOAL_S:.0f} s (median): {'met' if web < GOAL_S else 'NOT met'}.")
    record("imports", "Process start-up imports", f"{args.repeat} interleaved rounds of fresh processes",
           table, results)
    return 0 if web < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
