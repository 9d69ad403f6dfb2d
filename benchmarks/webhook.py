"""The webhook benchmark: meetbot under load, against a bare Flask floor, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/webhook.py [--db sqlite|postgresql|both] [--seconds 10] [--clients 16]

One run:
  1. starts the fake LINE platform (`python -m bot.fakeline --reply-token-ttl 600`);
  2. the floor: `benchmarks/floor_app.py` (verify the signature, answer 200) served by gunicorn
     exactly as the Procfile's web line serves meetbot (same workers, threads, timeout, access log);
  3. per database: a fresh SQLite file or a fresh PostgreSQL database, `meetbot db upgrade`, the
     Procfile's web line and `meetbot clock`, pointed at the fake;
  4. the same closed-loop load (`benchmarks/load.py`, a separate process) against each;
  5. after each bot phase, waits (at most --drain-timeout seconds) until every acknowledged event
     is in `inbound_events` and every reply has reached the fake, and checks both exactly;
  6. prints a table, writes `benchmarks/results/webhook-<date>.json` and appends to
     `benchmarks/RESULTS.md`;
  7. stops everything it started (also on Ctrl-C) and drops its PostgreSQL database.

Exit status: 0 when every phase was correct (whether or not the goal was met; see --check-goal),
1 when an event was lost, a reply missing or a request answered other than 200, 2 on a setup error.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import select
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from load import percentile  # benchmarks/ is on the path: this script runs from it

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
BIN = Path(sys.executable).parent
SECRET = "bench-channel-secret"
ACCESS_TOKEN = "bench-access-token"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0
DEFAULT_WEB = 'gunicorn "bot:create_app()" --workers 2 --threads 4 --bind 0.0.0.0:${PORT:-8000} --timeout 30 --access-logfile -'
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Where meetbot's code comes from: the working tree (default), or a `git archive` of --rev.
SOURCE = ROOT


class SetupError(RuntimeError):
    pass


def say(message: str = "") -> None:
    print(message, flush=True)


# -- processes ----------------------------------------------------------------------------------


def group_members(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read_stat(int(entry))
            if stat and stat[1] == pgid:
                pids.append(int(entry))
    return pids


class Processes:
    """Every process this run starts, each the leader of its own process group."""

    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], *, env: dict, cwd: Path, pipe_stdout: bool = False) -> subprocess.Popen:
        log = open(self.logdir / f"{name}.log", "ab")
        proc = subprocess.Popen([str(a) for a in argv], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE if pipe_stdout else log, stderr=log,
                                start_new_session=True, text=pipe_stdout or None)
        log.close()
        self.running.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen, timeout: float = 20.0) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(5)
        for pid in group_members(proc.pid):  # e.g. a gunicorn worker that outlived its master
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if proc.stdout:
            proc.stdout.close()
        self.running = [(n, p) for n, p in self.running if p is not proc]

    def stop_all(self) -> None:
        for _, proc in reversed(list(self.running)):
            try:
                self.stop(proc)
            except Exception as exc:  # keep stopping the others
                say(f"could not stop process {proc.pid}: {exc!r}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(method: str, url: str, body: dict | None = None, timeout: float = 30.0):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, data, {"Content-Type": "application/json"} if data else {})
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)
    finally:
        conn.close()


def wait_healthy(proc: subprocess.Popen, url: str, name: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SetupError(f"{name} exited with status {proc.returncode} while starting")
        try:
            status, body = http_json("GET", url, timeout=5)
            if status == 200:
                return
            last = f"{status} {body}"
        except (OSError, ValueError) as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise SetupError(f"{name} not healthy after {timeout:.0f} s: {last}")


_CONTROL_SOCKET: bool | None = None


def gunicorn_has_control_socket() -> bool:
    """gunicorn >= 24 opens a control socket at ~/.gunicorn/gunicorn.ctl, shared by every gunicorn of
    the user; the benchmark gives each of its servers its own so it never touches anyone else's."""
    global _CONTROL_SOCKET
    if _CONTROL_SOCKET is None:
        out = subprocess.run([BIN / "gunicorn", "--help"], capture_output=True, text=True, timeout=60).stdout
        _CONTROL_SOCKET = "--control-socket" in out
    return _CONTROL_SOCKET


def web_command(port: int, app: str | None = None, pythonpath: Path | None = None,
                control_dir: Path | None = None) -> list[str]:
    """The Procfile's web line bound to 127.0.0.1:port (optionally serving another app)."""
    line = DEFAULT_WEB
    procfile = SOURCE / "Procfile"
    if procfile.exists():
        for raw in procfile.read_text().splitlines():
            if raw.startswith("web:"):
                line = raw[4:].strip()
                break
    argv = shlex.split(line)
    if Path(argv[0]).name != "gunicorn":
        raise SetupError(f"the Procfile's web line does not start with gunicorn: {line!r}")
    argv[0] = str(BIN / "gunicorn")
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg in ("--bind", "-b"):
            skip = True
            continue
        if arg.startswith("--bind=") or (arg.startswith("-b") and len(arg) > 2):
            continue
        if app is not None and arg == "bot:create_app()":
            arg = app
        out.append(arg)
    out += ["--bind", f"127.0.0.1:{port}"]
    if control_dir is not None and gunicorn_has_control_socket():
        out += ["--control-socket", str(control_dir / f"gunicorn-{port}.ctl")]
    if pythonpath is not None:
        out += ["--pythonpath", str(pythonpath)]
    return out


def base_env() -> dict[str, str]:
    """The environment without settings that would point the processes elsewhere.

    MEETBOT_* settings pass through (and are recorded), so they can be experimented with.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LINE_") and k not in ("DATABASE_URL", "PORT", "WEB_CONCURRENCY")
           and not k.startswith("GUNICORN")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["PYTHONUNBUFFERED"] = "1"
    if SOURCE != ROOT:  # the exported revision comes before the editable install
        env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), *filter(None, [env.get("PYTHONPATH")])])
    return env


# -- CPU accounting -----------------------------------------------------------------------------


def _read_stat(pid: int):
    """(comm, pgid, cpu seconds) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    return comm, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_snapshot() -> dict:
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read_stat(int(entry))
            if stat:
                procs[int(entry)] = stat
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    busy = sum(values[:8]) - idle
    return {"t": time.monotonic(), "procs": procs, "busy": busy / CLK_TCK, "total": (busy + idle) / CLK_TCK}


def cpu_breakdown(before: dict, after: dict, roles: dict[str, int], requests: int) -> dict:
    """Cores used per role during the window (role -> process group id; postgres by name)."""
    wall = after["t"] - before["t"]
    used: Counter[str] = Counter()
    for pid, (comm, pgid, cpu) in after["procs"].items():
        previous = before["procs"].get(pid)
        delta = cpu - (previous[2] if previous and previous[0] == comm else 0.0)
        role = next((name for name, group in roles.items() if group == pgid), None)
        if role is None and comm.startswith("postgres"):
            role = "postgres"
        if role is None:
            role = "other"
        used[role] += max(0.0, delta)
    machine_busy = after["busy"] - before["busy"]
    machine_total = after["total"] - before["total"]
    out = {
        "window_s": round(wall, 3),
        "machine_busy_cores": round(machine_busy / wall, 2) if wall else None,
        "machine_cores": round(machine_total / wall, 2) if wall else None,
        "cores": {role: round(seconds / wall, 3) for role, seconds in sorted(used.items())} if wall else {},
        "cpu_ms_per_request": {role: round(seconds * 1000 / requests, 3) for role, seconds in sorted(used.items())}
        if requests else {},
    }
    return out


# -- databases ----------------------------------------------------------------------------------


class Store:
    """Read-only checks on the benchmark's database."""

    def __init__(self, kind: str, url: str, sqlite_path: Path | None = None, pg_dsn: str | None = None):
        self.kind, self.url, self.sqlite_path, self.pg_dsn = kind, url, sqlite_path, pg_dsn

    def _query(self, sql: str) -> list[tuple]:
        if self.kind == "sqlite":
            conn = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def counts(self) -> dict:
        events = dict(self._query("SELECT status, count(*) FROM inbound_events GROUP BY status"))
        outbox = {f"{status}/{sent_as or kind}": n for status, kind, sent_as, n in
                  self._query("SELECT status, kind, sent_as, count(*) FROM outbox GROUP BY status, kind, sent_as")}
        return {"events": events, "events_total": sum(events.values()), "outbox": outbox,
                "outbox_sent": sum(n for key, n in outbox.items() if key.startswith("sent/")),
                "outbox_total": sum(outbox.values())}

    def reply_rows(self) -> dict[str, datetime]:
        """reply token -> when the webhook wrote the reply (outbox.created_at, UTC)."""
        out = {}
        for token, created in self._query("SELECT reply_token, created_at FROM outbox WHERE reply_token IS NOT NULL"):
            if isinstance(created, str):
                created = datetime.fromisoformat(created)
            if created.tzinfo is None:
                created = created.replace(tzinfo=timezone.utc)
            out[token] = created
        return out


def create_pg_database() -> tuple[str, str, str]:
    import psycopg

    name = f"meetbot_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise SetupError(f"cannot create a PostgreSQL database at 127.0.0.1:5432: {exc}") from exc
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    return name, dsn, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_server_version() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


# -- one phase ----------------------------------------------------------------------------------


def run_load(procs: Processes, name: str, url: str, args, *, fake: str | None, max_requests: int,
             roles: dict[str, int], cwd: Path) -> dict:
    run_id = uuid.uuid4().hex[:8]
    argv = [sys.executable, BENCH / "load.py", "--url", url, "--secret", SECRET, "--clients", args.clients,
            "--seconds", args.seconds, "--warmup", args.warmup, "--users", args.users,
            "--max-requests", max_requests, "--run-id", run_id]
    if fake:
        argv += ["--fake", fake]
    proc = procs.start(f"load-{name}", argv, env=base_env(), cwd=cwd, pipe_stdout=True)
    roles = {**roles, "load": proc.pid}
    deadline = time.monotonic() + args.warmup + args.seconds + 200  # token issuing is capped at 120 s
    before = after = None
    spies: list[subprocess.Popen] = []
    result = None
    tokens = None
    try:
        while result is None:
            if time.monotonic() > deadline:
                raise SetupError(f"load process for {name} did not finish in time")
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    raise SetupError(f"load process for {name} exited with {proc.returncode} (see its log)")
                continue
            line = proc.stdout.readline()
            if not line:
                if proc.wait(10) != 0 or result is None:
                    raise SetupError(f"load process for {name} exited with {proc.returncode} (see its log)")
                break
            message = json.loads(line)
            if message["event"] == "measure_start":
                before = cpu_snapshot()
                if args.py_spy:
                    spies = start_py_spy(procs, name, roles, args, cwd)
            elif message["event"] == "measure_end":
                after = cpu_snapshot()
            elif message["event"] == "tokens_issued":
                tokens = message
            elif message["event"] == "result":
                result = message
        proc.wait(30)
        for spy in spies:
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                pass
    finally:
        procs.stop(proc)
        for spy in spies:
            procs.stop(spy)
    result["run_id"] = run_id
    result["tokens_issued"] = tokens
    if before and after:
        result["cpu"] = cpu_breakdown(before, after, roles, result["requests"])
    return result


def start_py_spy(procs: Processes, phase: str, roles: dict[str, int], args, cwd: Path) -> list[subprocess.Popen]:
    """Sample every Python process of the phase (gunicorn workers, clock, fake) for the measured window."""
    spy = BIN / "py-spy"
    if not spy.exists():
        say("  --py-spy: py-spy is not installed in this venv (pip install py-spy); not profiling")
        return []
    out_dir = Path(args.py_spy).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    spies = []
    for role, pgid in roles.items():
        if role == "load":
            continue
        for pid in group_members(pgid):
            if role == "web" and pid == pgid:
                continue  # the gunicorn master only supervises
            argv = [spy, "record", "--pid", pid, "--duration", max(1, int(args.seconds)), "--rate", "100",
                    "--format", "raw", "--threads", "--nonblocking", "--output",
                    out_dir / f"{phase}-{role}-{pid}.txt"]
            if args.py_spy_mode == "gil":
                argv.append("--gil")
            elif args.py_spy_mode == "idle":
                argv.append("--idle")
            spies.append(procs.start(f"py-spy-{phase}-{role}-{pid}", argv, env=base_env(), cwd=cwd))
    return spies


def verify_bot(store: Store, fake: str, seq0: int, deliveries0: int, result: dict, timeout: float) -> dict:
    """Wait until every acknowledged event is recorded and every reply delivered; check exactly."""
    expected = result["sent_ok"]
    users = result["sent_ok_by_user"]
    started = time.monotonic()
    counts = {}
    delivered = 0
    while True:
        counts = store.counts()
        _, state = http_json("GET", f"{fake}/_fake/state")
        delivered = state["deliveries"] - deliveries0
        done = (counts["events_total"] >= expected and counts["outbox_sent"] >= expected
                and delivered >= expected and counts["outbox_sent"] == counts["outbox_total"])
        if done or time.monotonic() - started > timeout:
            break
        time.sleep(0.25)
    drain = time.monotonic() - started
    time.sleep(0.5)  # anything arriving late (a duplicate) shows up in the exact check below
    counts = store.counts()
    _, requests = http_json("GET", f"{fake}/_fake/requests?since={seq0}", timeout=120)
    api = [r for r in requests if r["endpoint"] in ("reply", "push", "multicast", "broadcast", "narrowcast")]
    accepted = [r for r in api if r["status"] is not None and 200 <= r["status"] < 300]
    refused = [r for r in api if not (r["status"] is not None and 200 <= r["status"] < 300)]
    per_user: Counter[str] = Counter()
    by_endpoint: Counter[str] = Counter()
    for r in accepted:
        by_endpoint[r["endpoint"]] += 1
        for recipient in r["recipients"]:
            per_user[recipient] += 1
    wrong_users = {u: (per_user.get(u, 0), users.get(u, 0)) for u in set(per_user) | set(users)
                   if per_user.get(u, 0) != users.get(u, 0)}
    # Reply lag: from the webhook writing the reply (outbox.created_at) to its arrival at the fake.
    written = store.reply_rows()
    lags = []
    for r in accepted:
        token = (r.get("body") or {}).get("replyToken")
        if r["endpoint"] == "reply" and token in written:
            lags.append((datetime.fromisoformat(r["at"]) - written[token]).total_seconds() * 1000)
    lags.sort()
    problems = []
    if counts["events_total"] != expected:
        problems.append(f"{counts['events_total']} events recorded, {expected} acknowledged")
    if counts["events"].get("handled", 0) != expected:
        problems.append(f"{counts['events'].get('handled', 0)} events handled, {expected} acknowledged")
    if sum(per_user.values()) != expected or wrong_users:
        problems.append(f"{sum(per_user.values())} replies delivered, {expected} expected; "
                        f"{len(wrong_users)} users with the wrong count")
    if refused:
        problems.append(f"{len(refused)} LINE API calls refused by the fake, e.g. "
                        f"{refused[0]['endpoint']} {refused[0]['status']} {refused[0]['errors'][:1]}")
    if counts["outbox_sent"] != counts["outbox_total"]:
        problems.append(f"outbox rows not sent: {counts['outbox']}")
    return {
        "events_sent": expected,
        "events_recorded": counts["events_total"],
        "events_by_status": counts["events"],
        "replies_sent": expected,
        "replies_delivered": sum(per_user.values()),
        "deliveries_by_endpoint": dict(by_endpoint),
        "outbox": counts["outbox"],
        "api_calls_refused": len(refused),
        "drain_s": round(drain, 2),
        "reply_lag_ms": {name: round(percentile(lags, p), 1) if lags else None
                         for name, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))},
        "problems": problems,
    }


def summarize(name: str, db: str | None, load: dict, floor_rps: float | None, check: dict | None) -> dict:
    rps = load["throughput_rps"] or 0.0
    ratio = rps / floor_rps if floor_rps else None
    p99 = load["latency_ms"]["p99"]
    problems = list(check["problems"]) if check else []
    if load["non_200"]:
        problems.append(f"{load['non_200']} requests not answered 200: {load['statuses']} {load['errors'][:2]}")
    if load["tokens_exhausted"]:
        problems.append("the load ran out of pre-issued reply tokens (raise --max-rps)")
    if load["stuck_clients"]:
        problems.append(f"{load['stuck_clients']} clients still waiting at the end")
    correct = not problems
    phase = {
        "phase": name,
        "database": db,
        "requests": load["requests"],
        "warmup_requests": load["warmup_requests"],
        "throughput_rps": rps,
        "ratio_to_floor": round(ratio, 3) if ratio is not None else None,
        "latency_ms": load["latency_ms"],
        "statuses": load["statuses"],
        "correct": correct,
        "problems": problems,
        "load": {k: load.get(k) for k in ("run_id", "elapsed_s", "load_cpu_s", "load_wall_s", "tokens_issued",
                                          "sent_ok", "errors")},
        "cpu": load.get("cpu"),
    }
    if check is not None:
        phase.update({k: v for k, v in check.items() if k != "problems"})
        phase["goal"] = {"ratio_ok": ratio is not None and ratio >= GOAL_RATIO,
                         "p99_ok": p99 is not None and p99 < GOAL_P99_MS,
                         "correct": correct}
        phase["goal_met"] = all(phase["goal"].values())
    return phase


# -- reporting ----------------------------------------------------------------------------------


def fmt(value, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def table(phases: list[dict]) -> list[str]:
    head = ("| phase | requests | req/s | × floor | p50 ms | p95 ms | p99 ms | max ms "
            "| events recorded / sent | replies delivered / sent | reply lag p99 ms | goal |")
    rows = [head, "|" + "---|" * 12]
    for p in phases:
        lat = p["latency_ms"]
        if p["database"] is None:
            events = replies = lag = "-"
            goal = "(floor)" if p["correct"] else "FAILED"
        else:
            events = f"{p['events_recorded']} / {p['events_sent']}"
            replies = f"{p['replies_delivered']} / {p['replies_sent']}"
            lag = fmt(p["reply_lag_ms"]["p99"])
            goal = ("met" if p["goal_met"] else "not met: " + ", ".join(
                k for k, ok in (("throughput", p["goal"]["ratio_ok"]), ("p99", p["goal"]["p99_ok"]),
                                ("correctness", p["goal"]["correct"])) if not ok))
        rows.append(f"| {p['phase']} | {p['requests']} | {fmt(p['throughput_rps'])} | {fmt(p['ratio_to_floor'], '.2f')} "
                    f"| {fmt(lat['p50'])} | {fmt(lat['p95'])} | {fmt(lat['p99'])} | {fmt(lat['max'])} "
                    f"| {events} | {replies} | {lag} | {goal} |")
    return rows


def cpu_table(phases: list[dict]) -> list[str]:
    roles = ["web", "clock", "fake", "load", "postgres", "other"]
    rows = ["| phase | machine busy (cores) | " + " | ".join(roles) + " | web CPU ms / request |",
            "|" + "---|" * (len(roles) + 3)]
    for p in phases:
        cpu = p.get("cpu")
        if not cpu:
            continue
        cores = cpu["cores"]
        rows.append(f"| {p['phase']} | {fmt(cpu['machine_busy_cores'], '.2f')} of {fmt(cpu['machine_cores'], '.0f')} | "
                    + " | ".join(fmt(cores.get(r), ".2f") for r in roles)
                    + f" | {fmt(cpu['cpu_ms_per_request'].get('web'), '.2f')} |")
    return rows


def git(*args: str, strip: bool = True) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    except Exception:
        return ""
    return out.strip() if strip else out


def export_revision(rev: str, workdir: Path) -> tuple[Path, str]:
    """`git archive` of rev into workdir/src (the checkout itself is not touched)."""
    sha = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    if not sha:
        raise SetupError(f"--rev {rev!r} is not a commit of {ROOT}")
    src = workdir / "src"
    src.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True, timeout=120)
    if archive.returncode != 0:
        raise SetupError(f"git archive {sha} failed: {archive.stderr.decode()[-500:]}")
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True, timeout=120)
    return src, sha


def machine_info(rev_sha: str | None) -> dict:
    dirty = [] if rev_sha else [line[3:] for line in git("status", "--porcelain", strip=False).splitlines() if not line[3:].startswith("benchmarks/")]
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": rev_sha or git("rev-parse", "HEAD"),
        "code": f"git archive {rev_sha}" if rev_sha else "working tree",
        "uncommitted_changes_outside_benchmarks": dirty,
        "postgresql": pg_server_version(),
    }


def write_results(report: dict) -> tuple[Path, Path]:
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    stamp = report["started_at"].replace(":", "").replace("+0000", "Z")
    path = results / f"webhook-{stamp}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)

    m, c = report["machine"], report["config"]
    dirty = m["uncommitted_changes_outside_benchmarks"]
    lines = [
        f"## {report['started_at'][:16].replace('T', ' ')} UTC — "
        + (f"code from {m['code'][len('--source '):]}" if m.get("code", "").startswith("--source")
           else f"commit {m['commit'][:10]}"
           + (f" + uncommitted changes ({len(dirty)} files)" if dirty else "")
           + (" (exported with git archive)" if m.get("code", "").startswith("git archive") else "")),
        "",
        f"`{report['command']}` — {c['clients']} clients, {c['seconds']:g} s measured after {c['warmup']:g} s warm-up; "
        f"nproc {m['nproc']} ({m['cpu_model']}), load average at start {m['loadavg_at_start'][0]}, "
        f"Python {m['python']}, PostgreSQL {m['postgresql'] or '-'}. "
        f"Goal: ≥ {GOAL_RATIO}× the floor's throughput and p99 < {GOAL_P99_MS:g} ms, every event recorded and "
        f"every reply delivered. Raw figures: `{path.relative_to(ROOT)}`.",
        "",
        *table(report["phases"]),
        "",
        "CPU during the measured window (cores):",
        "",
        *cpu_table(report["phases"]),
        "",
        f"Result: **{report['verdict']}**",
        "",
    ]
    md = BENCH / "RESULTS.md"
    if not md.exists():
        md.write_text("# Benchmark results\n\nAppended by `benchmarks/webhook.py`, newest last. "
                      "See `benchmarks/README.md` for what is measured and how to read it.\n\n")
    with md.open("a") as f:
        f.write("\n".join(lines) + "\n")
    return path, md


# -- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    global SOURCE
    ap = argparse.ArgumentParser(description="meetbot webhook benchmark (see benchmarks/README.md)")
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--seconds", type=float, default=10.0, help="measured seconds per phase (default 10)")
    ap.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per phase, not counted (default 2)")
    ap.add_argument("--users", type=int, default=300, help="distinct 1:1 chats (default 300)")
    ap.add_argument("--drain-timeout", type=float, default=60.0,
                    help="seconds to wait after a bot phase for every event and reply (default 60)")
    ap.add_argument("--max-rps", type=float, default=None,
                    help="reply tokens pre-issued per bot phase = this × (warm-up + seconds); "
                         "default 1.25 × the floor's throughput")
    ap.add_argument("--py-spy", metavar="DIR", default=None,
                    help="profile: py-spy record (raw collapsed stacks, 100 Hz) every Python process of each phase "
                         "during the measured window into DIR (needs py-spy in the venv; slows the run a little)")
    ap.add_argument("--py-spy-mode", choices=["running", "gil", "idle"], default="running",
                    help="with --py-spy: sample threads not idle (default), only the thread holding the GIL "
                         "(Python CPU time), or every thread (waits too)")
    ap.add_argument("--instrument", metavar="DIR", default=None,
                    help="time sections (transactions, lock waits, commits, LINE calls, requests) in the bot's "
                         "processes with benchmarks/instrument.py and print where the time went (not saved)")
    ap.add_argument("--rev", default=None,
                    help="measure this commit (exported with git archive to a temporary directory) instead of "
                         "the working tree, e.g. --rev HEAD while others edit the checkout")
    ap.add_argument("--source", metavar="DIR", default=None,
                    help="measure the meetbot code in DIR (another checkout, or a patched copy) instead of "
                         "this working tree")
    ap.add_argument("--no-save", action="store_true", help="do not write results/ or RESULTS.md")
    ap.add_argument("--keep-logs", action="store_true", help="keep the temporary directory with every log")
    ap.add_argument("--check-goal", action="store_true", help="exit 3 when the goal is not met")
    args = ap.parse_args(argv)
    if not (1 <= args.clients <= 256 and 1 <= args.seconds <= 600 and 0 <= args.warmup <= 60):
        ap.error("--clients 1..256, --seconds 1..600, --warmup 0..60")

    if (args.py_spy or args.instrument) and not args.no_save:
        args.no_save = True  # a profiled run is slower: its figures are not results

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    started_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")
    workdir = Path(tempfile.mkdtemp(prefix="meetbot-bench-"))
    procs = Processes(workdir)
    pg_name = None
    failed = False
    phases: list[dict] = []
    report: dict = {}
    try:
        say(f"meetbot webhook benchmark: {args.clients} clients, {args.seconds:g} s per phase "
            f"(+{args.warmup:g} s warm-up); logs in {workdir}")
        rev_sha = None
        if args.source:
            SOURCE = Path(args.source).resolve()
            if not (SOURCE / "bot" / "__init__.py").exists():
                raise SetupError(f"--source {SOURCE} has no bot/ package")
            say(f"measuring the code in {SOURCE}, not this working tree")
        elif args.rev:
            SOURCE, rev_sha = export_revision(args.rev, workdir)
            say(f"measuring commit {rev_sha[:10]} (exported to {SOURCE}), not the working tree")
        machine = machine_info(rev_sha)
        if args.source:
            machine["code"] = f"--source {SOURCE}"
            machine["uncommitted_changes_outside_benchmarks"] = []
        if machine["uncommitted_changes_outside_benchmarks"]:
            say(f"note: measuring a working tree with uncommitted changes: "
                f"{', '.join(machine['uncommitted_changes_outside_benchmarks'][:8])}")

        # The fake LINE platform, shared by every phase.
        fake_proc = procs.start("fakeline", [sys.executable, "-m", "bot.fakeline", "--reply-token-ttl", "600"],
                                env=base_env(), cwd=workdir, pipe_stdout=True)
        ready, _, _ = select.select([fake_proc.stdout], [], [], 30)
        line = fake_proc.stdout.readline() if ready else ""
        match = re.match(r"FAKE_LINE_URL=(\S+)", line or "")
        if not match:
            raise SetupError(f"the fake LINE platform did not start (printed {line!r}; see fakeline.log)")
        fake = match.group(1)
        say(f"fake LINE platform at {fake}")

        # The floor.
        port = free_port()
        floor_env = {**base_env(), "LINE_CHANNEL_SECRET": SECRET}
        floor_cmd = web_command(port, app="floor_app:create_app()", pythonpath=BENCH, control_dir=workdir)
        floor = procs.start("floor-gunicorn", floor_cmd, env=floor_env, cwd=workdir)
        wait_healthy(floor, f"http://127.0.0.1:{port}/healthz", "the floor app")
        say(f"floor: {shlex.join(floor_cmd)}")
        load = run_load(procs, "floor", f"http://127.0.0.1:{port}/callback", args, fake=None,
                        max_requests=10_000_000, roles={"web": floor.pid, "fake": fake_proc.pid}, cwd=workdir)
        procs.stop(floor)
        phases.append(summarize("floor", None, load, None, None))
        floor_rps = load["throughput_rps"]
        say(f"  floor: {floor_rps} req/s, p99 {load['latency_ms']['p99']} ms")
        if not floor_rps:
            raise SetupError("the floor served nothing")

        max_rps = args.max_rps or 1.25 * floor_rps
        max_requests = int(max_rps * (args.warmup + args.seconds)) + 10 * args.clients
        bot_cmd = web_command(0)
        for db in databases:
            if db == "sqlite":
                path = workdir / "meetbot.db"
                url = f"sqlite:///{path}"
                store = Store("sqlite", url, sqlite_path=path)
            else:
                pg_name, dsn, url = create_pg_database()
                store = Store("postgresql", url, pg_dsn=dsn)
            env = {**base_env(), "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
                   "DATABASE_URL": url, "LINE_API_BASE_URL": fake, "LINE_DATA_API_BASE_URL": fake}
            upgrade = subprocess.run([BIN / "meetbot", "db", "upgrade"], env=env, cwd=workdir,
                                     capture_output=True, text=True, timeout=120)
            if upgrade.returncode != 0:
                raise SetupError(f"meetbot db upgrade failed on {db}: {upgrade.stderr[-2000:]}")
            port = free_port()
            bot_cmd = web_command(port, control_dir=workdir)
            clock_cmd = [BIN / "meetbot", "clock"]
            if args.instrument:
                out = Path(args.instrument).resolve() / db
                out.mkdir(parents=True, exist_ok=True)
                env["MEETBOT_BENCH_INSTRUMENT_DIR"] = str(out)
                env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(BENCH)]))
                bot_cmd += ["-c", str(BENCH / "instrument.py")]
                clock_cmd = [sys.executable, "-c", "import instrument; instrument.run_clock()"]
            clock = procs.start(f"{db}-clock", clock_cmd, env=env, cwd=workdir)
            web = procs.start(f"{db}-gunicorn", bot_cmd, env=env, cwd=workdir)
            wait_healthy(web, f"http://127.0.0.1:{port}/healthz", f"meetbot on {db}")
            if clock.poll() is not None:
                raise SetupError(f"meetbot clock exited with {clock.returncode} (see {db}-clock.log)")
            _, state = http_json("GET", f"{fake}/_fake/state")
            seq0, deliveries0 = state["requests"], state["deliveries"]
            say(f"{db}: {shlex.join(bot_cmd)} + meetbot clock; pre-issuing {max_requests} reply tokens")
            load = run_load(procs, db, f"http://127.0.0.1:{port}/callback", args, fake=fake,
                            max_requests=max_requests,
                            roles={"web": web.pid, "clock": clock.pid, "fake": fake_proc.pid}, cwd=workdir)
            check = verify_bot(store, fake, seq0, deliveries0, load, args.drain_timeout)
            for proc in (web, clock):
                procs.stop(proc)
            phase = summarize(db, db, load, floor_rps, check)
            phases.append(phase)
            say(f"  {db}: {phase['throughput_rps']} req/s ({fmt(phase['ratio_to_floor'], '.2f')}× floor), "
                f"p99 {phase['latency_ms']['p99']} ms, events {phase['events_recorded']}/{phase['events_sent']}, "
                f"replies {phase['replies_delivered']}/{phase['replies_sent']}, drained in {phase['drain_s']} s "
                f"(reply tokens issued beforehand in {(load.get('tokens_issued') or {}).get('seconds')} s)")
            for problem in phase["problems"]:
                say(f"  PROBLEM ({db}): {problem}")
            if args.instrument:
                from instrument import summarize as instrument_summary

                say(f"  where the time went on {db} (all processes, warm-up included; "
                    f"{load['sent_ok']} events):")
                for row in instrument_summary(Path(args.instrument).resolve() / db, load["sent_ok"]):
                    say(f"    {row}")
            if pg_name and db == "postgresql":
                drop_pg_database(pg_name)
                pg_name = None

        failed = any(not p["correct"] for p in phases)
        goal_met = all(p.get("goal_met") for p in phases if p["database"])
        verdict = ("FAILED: " + "; ".join(f"{p['phase']}: {', '.join(p['problems'])}" for p in phases if p["problems"])
                   if failed else ("goal met" if goal_met else "correct, goal NOT met"))
        report = {
            "benchmark": "webhook",
            "started_at": started_at,
            "command": shlex.join(["benchmarks/webhook.py", *(argv if argv is not None else sys.argv[1:])]),
            "machine": machine,
            "config": {"clients": args.clients, "seconds": args.seconds, "warmup": args.warmup, "users": args.users,
                       "floor_command": shlex.join(floor_cmd), "bot_command": shlex.join(bot_cmd),
                       "clock_command": "meetbot clock",
                       "meetbot_env": {k: v for k, v in os.environ.items() if k.startswith("MEETBOT_")},
                       "goal": {"ratio_to_floor_at_least": GOAL_RATIO, "p99_ms_below": GOAL_P99_MS}},
            "phases": phases,
            "goal_met": goal_met and not failed,
            "verdict": verdict,
        }
        say("")
        for row in table(phases):
            say(row)
        say("")
        say("CPU during the measured window (cores; 'other' is everything else on the machine):")
        for row in cpu_table(phases):
            say(row)
        say("")
        say(f"Result: {verdict}")
        if not args.no_save:
            json_path, md_path = write_results(report)
            say(f"wrote {json_path.relative_to(ROOT)} and appended to {md_path.relative_to(ROOT)}")
        if failed:
            say("\n*** BENCHMARK FAILED: events lost, replies missing or requests refused (see above) ***")
            return 1
        return 3 if args.check_goal and not goal_met else 0
    except SetupError as exc:
        failed = True
        say(f"\n*** benchmark setup failed: {exc} (logs kept in {workdir})")
        return 2
    except KeyboardInterrupt:
        failed = True
        say(f"\ninterrupted; stopping everything (logs kept in {workdir})")
        return 130
    finally:
        procs.stop_all()
        if pg_name:
            try:
                drop_pg_database(pg_name)
            except Exception as exc:
                say(f"could not drop the scratch database {pg_name}: {exc!r}")
        if not failed and not args.keep_logs:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)
        elif args.keep_logs:
            say(f"logs kept in {workdir}")


if __name__ == "__main__":
    sys.exit(main())
