"""Benchmark: reading long lines and rendering a 1,000-group summary, in one process.

    .venv/bin/python benchmarks/rendering.py [--repeat 20]

These goals used to be wall-clock assertions inside unit tests, where a busy shared machine made
them flaky and a fast one made them prove little. Here each is measured against a baseline in the
same run, interleaved and repeated:

- parse: `parse_command()` on each of the parser tests' pathological long lines (5,000 characters
  of repeated keywords, digits, junk) — goal: the slowest under 500 ms; baseline: splitting the
  same line into words (what any reader of the line must at least do).
- summary: `summary_messages()` for 1,000 groups and 10,000 answers, in Thai and English — goal:
  under 1 s; baseline: `json.dumps` of the messages it produced (what sending them costs anyway).

Prints median and worst in ms with the ratio to the baseline; appends to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import record  # noqa: E402
from handlers.cards import summary_messages  # noqa: E402
from handlers.commands import parse_command  # noqa: E402
from tests.test_cards import big_tally, make_meeting  # noqa: E402
from tests.test_commands import LONG_LINES  # noqa: E402

PARSE_GOAL_MS = 500
SUMMARY_GOAL_MS = 1000


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    tally = big_tally()
    meeting = make_meeting(99, title="สมัชชาเครือข่ายกลุ่มการเงินชุมชนทั้งจังหวัด 😀")
    cases = {f"parse {kind}": (lambda t=text: parse_command(t), lambda t=text: t.split())
             for kind, text in LONG_LINES.items()}
    for lang in ("th", "en"):
        produced = summary_messages(meeting, tally, lang=lang)  # warm-up, and the baseline's input
        cases[f"summary 1,000 groups ({lang})"] = (
            lambda lang=lang: summary_messages(meeting, tally, lang=lang),
            lambda produced=produced: json.dumps(produced, ensure_ascii=False),
        )
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in cases}
    for _ in range(args.repeat):  # interleaved: every case and its baseline in each round
        for name, (measured, baseline) in cases.items():
            times[name][1].append(_timed(baseline))
            times[name][0].append(_timed(measured))

    rows, results, ok = [], [], True
    for name, (measured, baseline) in times.items():
        goal = PARSE_GOAL_MS if name.startswith("parse") else SUMMARY_GOAL_MS
        worst, median, base = max(measured), statistics.median(measured), statistics.median(baseline)
        met = worst < goal
        ok &= met
        ratio = median / base if base else float("inf")
        rows.append(f"| {name} | {median:.2f} | {worst:.2f} | {base:.3f} | {ratio:.0f}× | < {goal} | "
                    f"{'yes' if met else 'NO'} |")
        results.append({"case": name, "median_ms": median, "worst_ms": worst, "baseline_median_ms": base,
                        "goal_ms": goal, "met": met})
    table = ("| case | median ms | worst ms | baseline median ms | × baseline | goal (worst) ms | met |\n"
             "|---|---|---|---|---|---|---|\n" + "\n".join(rows))
    record("rendering", "Parsing long lines and rendering a 1,000-group summary",
           f"{args.repeat} interleaved rounds", table, results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
