"""Section timers for `webhook.py --instrument DIR`: where a webhook's time goes, without py-spy.

Loaded into the benchmark's processes only (never by meetbot itself):
  - gunicorn: `-c benchmarks/instrument.py` (the hooks below: install after fork, dump on exit);
  - the clock: `python -c "import instrument; instrument.run_clock()"` instead of `meetbot clock`.

It wraps, by monkeypatching at run time:
  - `Database.transaction()` / `Database.reading()`: wall time of each unit of work, labelled by the
    code that opened it (file:function:line), split into the wait for BEGIN (on SQLite: waiting for
    the write lock), the rest until COMMIT starts, and the COMMIT itself;
  - pool pre-ping round trips, every SQL statement (count per transaction);
  - `LineClient._send` (each LINE call, by endpoint), `Sender.deliver_due` passes;
  - each HTTP request in a gunicorn worker (pre_request -> post_request), and `process_event`.

Each process writes DIR/<role>-<pid>.json on exit; `python benchmarks/instrument.py DIR` prints the
summary (webhook.py does too).
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

OUT_DIR = os.environ.get("MEETBOT_BENCH_INSTRUMENT_DIR")
MAX_SAMPLES = 50_000

_samples: dict[str, list[float]] = defaultdict(list)
_counts: dict[str, int] = defaultdict(int)
_local = threading.local()
_installed = False
_role = "?"


_lock = threading.Lock()


def record(name: str, seconds: float) -> None:
    with _lock:
        _counts[name] += 1
        samples = _samples[name]
        if len(samples) < MAX_SAMPLES:
            samples.append(seconds)


def _caller(skip_files: tuple[str, ...]) -> str:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not any(filename.endswith(s) for s in skip_files):
            parts = Path(filename).parts
            short = "/".join(parts[-2:])
            return f"{short}:{frame.f_code.co_name}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


class _Timed:
    """Wraps the context manager of a unit of work and times its phases."""

    def __init__(self, inner, kind: str, label: str):
        self.inner, self.kind, self.label = inner, kind, label

    def __enter__(self):
        self.t0 = time.perf_counter()
        self.outer = getattr(_local, "tx", None)
        _local.tx = self
        self.begin_s = self.commit_s = 0.0
        self.statements = 0
        self.commit_started = None
        return self.inner.__enter__()

    def __exit__(self, *exc):
        try:
            return self.inner.__exit__(*exc)
        finally:
            end = time.perf_counter()
            name = f"{self.kind} {self.label}"
            record(f"{name} | total", end - self.t0)
            record(f"{name} | begin (lock wait on SQLite)", self.begin_s)
            record(f"{name} | commit", self.commit_s)
            record(f"{name} | work between begin and commit",
                   (self.commit_started or end) - self.t0 - self.begin_s)
            with _lock:
                _counts[f"{name} | statements"] += self.statements
            _local.tx = self.outer


def _engine_hooks(engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        t0 = conn.info.pop("bench_t0", None)
        tx = getattr(_local, "tx", None)
        if t0 is None or tx is None:
            return
        if statement.startswith("BEGIN"):
            tx.begin_s += time.perf_counter() - t0
        else:
            tx.statements += 1

    dialect = engine.dialect
    do_commit, do_ping = dialect.do_commit, dialect.do_ping

    def timed_commit(dbapi_connection):
        t0 = time.perf_counter()
        tx = getattr(_local, "tx", None)
        if tx is not None and tx.commit_started is None:
            tx.commit_started = t0
        try:
            return do_commit(dbapi_connection)
        finally:
            if tx is not None:
                tx.commit_s += time.perf_counter() - t0

    def timed_ping(dbapi_connection):
        t0 = time.perf_counter()
        try:
            return do_ping(dbapi_connection)
        finally:
            record("pool pre-ping (SELECT 1 per checkout)", time.perf_counter() - t0)

    dialect.do_commit = timed_commit
    dialect.do_ping = timed_ping


def install(role: str) -> None:
    global _installed, _role
    if _installed:
        return
    _installed, _role = True, role
    from models import db as db_module

    Database = db_module.Database
    init, transaction, reading = Database.__init__, Database.transaction, Database.reading
    skip = ("models/db.py", "contextlib.py", "benchmarks/instrument.py")

    def patched_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        _engine_hooks(self.engine)
        if self.read_engine is not self.engine:
            _engine_hooks(self.read_engine)

    def patched_transaction(self):
        return _Timed(transaction(self), "write tx", _caller(skip))

    def patched_reading(self):
        return _Timed(reading(self), "read tx", _caller(skip))

    Database.__init__ = patched_init
    Database.transaction = patched_transaction
    Database.reading = patched_reading

    from bot import line_client

    send = line_client.LineClient._send

    def timed_send(self, endpoint, call):
        t0 = time.perf_counter()
        try:
            return send(self, endpoint, call)
        finally:
            record(f"LINE call {endpoint} (SDK + HTTP to the fake + logging)", time.perf_counter() - t0)

    line_client.LineClient._send = timed_send

    from bot import delivery

    deliver_due = delivery.Sender.deliver_due

    def timed_deliver_due(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            report = deliver_due(self, *args, **kwargs)
            record(f"Sender.deliver_due pass ({role}) rows sent", report.sent)
            return report
        finally:
            record(f"Sender.deliver_due pass ({role})", time.perf_counter() - t0)

    delivery.Sender.deliver_due = timed_deliver_due

    import handlers

    process_event = handlers.process_event

    def timed_process_event(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return process_event(*args, **kwargs)
        finally:
            record("process_event (claim + route + outbox, one write tx)", time.perf_counter() - t0)

    handlers.process_event = timed_process_event
    try:  # the webhook imported the name before we patched it
        import bot.webhook as webhook

        webhook.process_event = timed_process_event
    except Exception:
        pass
    atexit.register(dump)


def dump() -> None:
    if not OUT_DIR:
        return
    path = Path(OUT_DIR) / f"{_role}-{os.getpid()}.json"
    data = {"role": _role, "pid": os.getpid(), "counts": dict(_counts),
            "samples": {k: v for k, v in _samples.items()}}
    path.write_text(json.dumps(data))


# -- gunicorn hooks (this file is also a gunicorn config: `gunicorn -c benchmarks/instrument.py`) --


def post_fork(server, worker):
    install("web")


def pre_request(worker, req):
    _local.request_t0 = time.perf_counter()


def post_request(worker, req, environ, resp):
    t0 = getattr(_local, "request_t0", None)
    if t0 is not None:
        record(f"HTTP request in the worker ({req.method} {req.path})", time.perf_counter() - t0)


def worker_exit(server, worker):
    dump()


# -- the clock --------------------------------------------------------------------------------


def run_clock() -> None:
    install("clock")
    from bot.cli import main

    try:
        main(["clock"], standalone_mode=False)
    finally:
        dump()


# -- summary ----------------------------------------------------------------------------------


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-len(ordered) * p // 100)) - 1))]


def summarize(directory: str | Path, events: int | None = None, prefix: str = "") -> list[str]:
    """Lines of text: per role, per section: count, per event, mean, p50, p99, total seconds."""
    merged: dict[str, dict] = {}
    for path in sorted(Path(directory).glob(f"{prefix}*.json")):
        data = json.loads(path.read_text())
        role = data["role"]
        bucket = merged.setdefault(role, {"counts": defaultdict(int), "samples": defaultdict(list)})
        for k, n in data["counts"].items():
            bucket["counts"][k] += n
        for k, v in data["samples"].items():
            bucket["samples"][k].extend(v)
    lines = []
    for role, bucket in merged.items():
        lines.append(f"[{role}]  section | count{' | per event' if events else ''} | mean ms | p50 ms | p99 ms | total s")
        for name in sorted(bucket["samples"], key=lambda k: -sum(bucket["samples"][k])):
            values = bucket["samples"][name]
            n = bucket["counts"][name]
            if not values:
                continue
            if name.endswith("rows sent"):
                lines.append(f"  {name} | {n} passes, {sum(values):.0f} rows, {sum(values) / max(1, len(values)):.2f} rows/pass")
                continue
            per_event = f" | {n / events:.2f}" if events else ""
            lines.append(f"  {name} | {n}{per_event} | {1000 * sum(values) / len(values):.2f} | "
                         f"{1000 * _pct(values, 50):.2f} | {1000 * _pct(values, 99):.2f} | {sum(values):.2f}")
        for name, n in sorted(bucket["counts"].items()):
            if name.endswith("| statements"):
                tx = name[: -len("| statements")] + "| total"
                lines.append(f"  {name} | {n} ({n / max(1, bucket['counts'].get(tx, 0)):.1f} per tx)")
    return lines


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Summarise `webhook.py --instrument DIR` output")
    ap.add_argument("dir")
    ap.add_argument("--events", type=int, default=None, help="events sent, for per-event counts")
    ap.add_argument("--prefix", default="", help="only files starting with this (e.g. sqlite-)")
    a = ap.parse_args()
    print("\n".join(summarize(a.dir, a.events, a.prefix)))
