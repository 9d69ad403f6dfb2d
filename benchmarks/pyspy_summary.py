"""Summarise the py-spy profiles written by `webhook.py --py-spy DIR`.

    .venv/bin/python benchmarks/pyspy_summary.py DIR [--phase sqlite] [--top 25] [--match TEXT]

For each phase and role (web workers together, clock, fake) prints, as a share of the samples:
which threads the samples were in (request threads, the delivery thread, the sender pool, ...),
the project's own functions (bot/, handlers/, models/, scheduler/) by inclusive time, and the
functions anywhere by self time (the leaf frame). `--match` adds the share of samples whose stack
contains TEXT (e.g. `--match "logging/"`, `--match "Session.commit"`).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = re.compile(r"\((bot|handlers|models|scheduler)/")
NAME = re.compile(r"^(?P<phase>[^-]+)-(?P<role>[^-]+)-(?P<pid>\d+)\.txt$")
# The library a leaf frame belongs to (first match wins).
LAYERS = [
    ("SQLAlchemy", "(sqlalchemy/"),
    ("psycopg", "(psycopg/"),
    ("logging", "(logging/"),
    ("logging", "(gunicorn/glogging"),
    ("line-bot-sdk / pydantic", "(linebot/"),
    ("line-bot-sdk / pydantic", "(pydantic/"),
    ("HTTP client (urllib3, http.client)", "(urllib3/"),
    ("HTTP client (urllib3, http.client)", "(http/client"),
    ("HTTP client (urllib3, http.client)", "(email/"),
    ("Flask / Werkzeug", "(flask/"),
    ("Flask / Werkzeug", "(werkzeug/"),
    ("gunicorn", "(gunicorn/"),
    ("json", "(json/"),
    ("jsonschema (fake)", "(jsonschema/"),
    ("threads, queues, selectors", "(threading.py"),
    ("threads, queues, selectors", "(concurrent/"),
    ("threads, queues, selectors", "(selectors.py"),
    ("threads, queues, selectors", "(queue.py"),
    ("sockets", "(socket.py"),
    ("meetbot code", "(bot/"),
    ("meetbot code", "(handlers/"),
    ("meetbot code", "(models/"),
    ("meetbot code", "(scheduler/"),
]


def layer(frames: list[str]) -> str:
    """The library of the deepest frame that belongs to a known one."""
    for frame in reversed(frames):
        for name, marker in LAYERS:
            if marker in frame:
                return name
    return "other"


def thread_kind(name: str) -> str:
    name = re.sub(r"^thread \(\d+\): ", "", name)
    if name.startswith("ThreadPoolExecutor-"):
        return "gunicorn request threads"
    if name.startswith("meetbot-send"):
        return "sender pool (meetbot-send)"
    if name.startswith("meetbot-delivery"):
        return "delivery thread"
    return re.sub(r"[-_]?\d+$", "", name) or "?"


def read(path: Path):
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        yield thread_kind(frames[0]), frames[1:], int(count)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--phase", default=None)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--match", action="append", default=[])
    args = ap.parse_args(argv)

    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in sorted(Path(args.dir).glob("*.txt")):
        m = NAME.match(path.name)
        if m and (args.phase is None or m["phase"] == args.phase):
            groups[(m["phase"], m["role"])].append(path)
    if not groups:
        print(f"no py-spy files in {args.dir}", file=sys.stderr)
        return 1
    for (phase, role), paths in groups.items():
        threads: Counter[str] = Counter()
        inclusive: Counter[str] = Counter()
        leaf: Counter[str] = Counter()
        matches: Counter[str] = Counter()
        layers: Counter[str] = Counter()
        total = 0
        for path in paths:
            for kind, frames, n in read(path):
                total += n
                threads[kind] += n
                for frame in set(frames):
                    if PROJECT.search(frame):
                        inclusive[frame] += n
                for text in args.match:
                    if any(text in f for f in frames):
                        matches[text] += n
                if frames:
                    leaf[frames[-1]] += n
                    layers[layer(frames)] += n
        if not total:
            continue
        print(f"\n=== {phase} / {role} ({len(paths)} process(es), {total} samples = {total / 100:.1f} s of threads running)")
        print("  by thread:")
        for kind, n in threads.most_common():
            print(f"    {100 * n / total:5.1f}%  {kind}")
        print("  by library of the leaf frame:")
        for name, n in layers.most_common():
            print(f"    {100 * n / total:5.1f}%  {name}")
        for text in args.match:
            print(f"  stacks containing {text!r}: {100 * matches[text] / total:.1f}%")
        print("  project functions, inclusive:")
        for frame, n in inclusive.most_common(args.top):
            print(f"    {100 * n / total:5.1f}%  {frame}")
        print("  self time (leaf frames):")
        for frame, n in leaf.most_common(args.top):
            print(f"    {100 * n / total:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
