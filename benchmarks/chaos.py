"""Chaos: kill things mid-work and check that no message is lost or sent twice (issue 10).

    .venv/bin/python benchmarks/chaos.py [--db sqlite|postgresql|both] [--rounds 2]
                                         [--pushes 1500] [--events 60] [--fail-ratio 0.2]

Everything runs on this machine (loopback only) as production runs it: the Procfile's web line
(gunicorn, 2 workers × 4 threads), `meetbot clock`, one `meetbot send`, and the fake LINE platform
in its own process, answering every call after 50 ms and failing a share of the sending calls with
500 (fault injection, as LINE's bad moments do). Each round, on each database:

1. a reminder-sized fan-out (`--pushes` pushes in the outbox) starts, and a webhook client posts
   `--events` signed 1:1 messages (`วิธีใช้`, each from its own person, so each needs exactly one
   reply), re-posting a request that failed exactly as LINE redelivers (same webhookEventId);
2. mid fan-out the clock and the sender are killed with SIGKILL and started again;
3. mid webhooks one gunicorn worker is killed with SIGKILL (gunicorn starts another);
4. on PostgreSQL, every second of the round every connection of the bot is killed
   (pg_terminate_backend); SQLite has no server to drop connections (its "database is locked"
   path is covered by tests/test_event_retries.py).

Then the faults stop and the script waits (bounded) until every message has arrived, and counts
at the fake: **lost** (an expected message never delivered) and **duplicated** (delivered more
than once), which must both be 0, and how long after the last kill the last message arrived.
Exits 1 if anything was lost or duplicated. Results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import webhook as wb  # noqa: E402  (its process helpers: Procfile's web line, process groups)

from benchmarks.common import DEFAULT_PG_URL, each_database, record  # noqa: E402

SECRET = "chaos-secret"
TOKEN = "chaos-token"
SETTLE_LIMIT_S = 240  # bounded: a round that has not settled by then is reported as it stands


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


class Bot:
    """The bot's processes for one database: web (gunicorn), clock, one extra sender."""

    def __init__(self, procs: wb.Processes, env: dict, cwd: Path, port: int):
        self.procs, self.env, self.cwd, self.port = procs, env, cwd, port
        self.web = self.clock = self.sender = None

    def start_web(self) -> None:
        self.web = self.procs.start("web", wb.web_command(self.port, control_dir=self.cwd), env=self.env, cwd=self.cwd)
        wb.wait_healthy(self.web, f"http://127.0.0.1:{self.port}/healthz", "web")

    def start_clock_and_sender(self) -> None:
        self.clock = self.procs.start("clock", [wb.BIN / "meetbot", "clock"], env=self.env, cwd=self.cwd)
        self.sender = self.procs.start("sender", [wb.BIN / "meetbot", "send", "--idle-seconds", "0.2"],
                                       env=self.env, cwd=self.cwd)

    def kill_clock_and_sender(self) -> None:
        for proc in (self.clock, self.sender):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            self.procs.running = [(n, p) for n, p in self.procs.running if p is not proc]

    def kill_a_web_worker(self) -> bool:
        workers = [pid for pid in wb.group_members(self.web.pid) if pid != self.web.pid]
        if not workers:
            return False
        os.kill(workers[0], signal.SIGKILL)
        return True


def fake_messages(fake_url: str) -> list[dict]:
    status, body = wb.http_json("GET", f"{fake_url}/_fake/messages?since=0", timeout=60)
    assert status == 200, body
    return body


def database_outcomes(db) -> dict[str, int]:
    """What the database says after the round: events retried after a database error, and any
    event or outbox row that did not end well (each would also show up as lost)."""
    from sqlalchemy import func, select

    from models.events import EventStatus, InboundEvent
    from models.outbox import OutboxMessage, Status

    with db.reading() as session:
        events = dict(session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all())
        retried = session.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.attempts > 0))
        rows = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {"events_retried_after_a_database_error": retried or 0,
            "events_failed": events.get(EventStatus.FAILED, 0), "events_pending": events.get(EventStatus.PENDING, 0),
            "outbox_dead": rows.get(Status.DEAD, 0), "outbox_uncertain": rows.get(Status.UNCERTAIN, 0)}


def connection_killer(url: str, stop: threading.Event, counts: Counter) -> None:
    """Every second, end every other connection to the bot's PostgreSQL database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        while not stop.wait(1.0):
            try:
                with engine.begin() as conn:
                    killed = conn.execute(text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND backend_type = 'client backend'")).scalar_one()
                counts["connections_killed"] += killed
            except Exception as exc:  # keep killing; report what failed
                counts[f"killer error {type(exc).__name__}"] += 1
    finally:
        engine.dispose()


def post_events(web_url: str, fake_url: str, users: list[str], deadline: float, counts: Counter,
                posted: threading.Event, threshold: int) -> None:
    """Post one 1:1 message per user, re-posting failures as LINE redelivers them."""
    import http.client

    lock = threading.Lock()
    done = [0]

    def one(user: str) -> None:
        status, token = wb.http_json("POST", f"{fake_url}/_fake/reply-token", {"chatId": user, "ttl": 120})
        body = {"destination": "U" + "f" * 32, "events": [{
            "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user}, "webhookEventId": uuid.uuid4().hex[:26].upper(),
            "deliveryContext": {"isRedelivery": False}, "replyToken": token["replyToken"],
            "message": {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": "วิธีใช้",
                        "quoteToken": uuid.uuid4().hex}}]}
        while time.monotonic() < deadline:
            raw = json.dumps(body, ensure_ascii=False).encode()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", int(web_url.rsplit(":", 1)[1]), timeout=30)
                conn.request("POST", "/callback", raw, {"Content-Type": "application/json",
                                                         "X-Line-Signature": sign(raw)})
                code = conn.getresponse().status
                conn.close()
            except OSError:
                code = None
            if code == 200:
                break
            counts["webhook_redeliveries"] += 1
            body["events"][0]["deliveryContext"]["isRedelivery"] = True
            time.sleep(0.5)
        with lock:
            done[0] += 1
            if done[0] >= threshold:
                posted.set()

    threads = []
    per_thread = [users[i::4] for i in range(4)]
    for chunk in per_thread:
        t = threading.Thread(target=lambda c=chunk: [one(u) for u in c], daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(max(1.0, deadline - time.monotonic()))


def run(kind: str, url: str, args) -> dict:
    from models import outbox
    from models.db import Database
    from models.schema import upgrade

    db = Database(url)
    upgrade(db)
    workdir = Path(tempfile.mkdtemp(prefix="meetbot-chaos-"))
    procs = wb.Processes(workdir)
    rounds = []
    try:
        fake = procs.start("fake", [sys.executable, "-m", "bot.fakeline", "--latency-ms", "50", "--seed", "7",
                                    "--no-validate", "--reply-token-ttl", "120"],
                           env=wb.base_env(), cwd=ROOT, pipe_stdout=True)
        fake_url = fake.stdout.readline().strip().split("=", 1)[1]
        port = wb.free_port()
        env = {**wb.base_env(), "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET,
               "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake_url,
               "LINE_DATA_API_BASE_URL": fake_url, "MEETBOT_TICK_SECONDS": "0.5",
               "MEETBOT_SENDER_CONCURRENCY": "8", "PORT": str(port)}
        bot = Bot(procs, env, workdir, port)
        bot.start_web()
        bot.start_clock_and_sender()
        for number in range(1, args.rounds + 1):
            counts: Counter = Counter()
            texts = [f"🔔 chaos {kind} round {number} #{i}" for i in range(args.pushes)]
            users = [f"U{uuid.uuid4().hex}" for _ in range(args.events)]
            with db.transaction() as session:
                for i, message in enumerate(texts):
                    outbox.enqueue(session, to=f"U{number:08x}{i:024x}", purpose="reminder",
                                   messages=[{"type": "text", "text": message}])
            db.dispose()
            wb.http_json("POST", f"{fake_url}/_fake/faults", {"action": "fail", "status": 500,
                                                              "ratio": args.fail_ratio})
            stop_killing = threading.Event()
            killer = None
            if kind == "postgresql":
                killer = threading.Thread(target=connection_killer, args=(url, stop_killing, counts), daemon=True)
                killer.start()
            posted = threading.Event()
            poster = threading.Thread(target=post_events, daemon=True, args=(
                f"http://127.0.0.1:{port}", fake_url, users, time.monotonic() + 120, counts, posted,
                args.events // 3))
            poster.start()
            started = time.monotonic()
            # Mid fan-out: the clock and the sender die, then come back.
            wanted = set(texts)
            while time.monotonic() - started < 60:
                seen = sum(1 for m in fake_messages(fake_url) if m["message"].get("text") in wanted)
                if seen >= args.pushes // 4:
                    break
                time.sleep(0.2)
            counts["pushes_seen_at_kill"] = seen
            bot.kill_clock_and_sender()
            # Mid webhooks: a web worker dies.
            posted.wait(60)
            counts["web_workers_killed"] += bot.kill_a_web_worker()
            bot.start_clock_and_sender()
            poster.join(130)
            stop_killing.set()
            if killer:
                killer.join(10)
            last_kill = time.monotonic()
            wb.http_json("POST", f"{fake_url}/_fake/faults", {"action": "clear"})
            # Settle: until every expected message has arrived (bounded).
            expected_users = set(users)
            while True:
                messages = fake_messages(fake_url)
                pushes = Counter(m["message"].get("text") for m in messages if m["message"].get("text") in wanted)
                replies = Counter()
                for m in messages:
                    if m["to"] in expected_users:
                        replies[(m["to"], m["seq"])] += 1
                per_user = Counter(to for to, _ in replies)
                arrived = len(pushes) == len(wanted) and len(per_user) == len(expected_users)
                if arrived or time.monotonic() - last_kill > SETTLE_LIMIT_S:
                    break
                time.sleep(0.25)
            settle = time.monotonic() - last_kill
            counts.update(database_outcomes(db))
            db.dispose()
            lost = (len(wanted) - len(pushes)) + (len(expected_users) - len(per_user))
            duplicated = sum(n - 1 for n in pushes.values() if n > 1) + sum(n - 1 for n in per_user.values() if n > 1)
            rounds.append({"round": number, "pushes": args.pushes, "events": args.events, "lost": lost,
                           "duplicated": duplicated, "last_message_after_last_kill_s": round(settle, 1),
                           **{k: v for k, v in counts.items()}})
            print(f"{kind} round {number}: lost {lost}, duplicated {duplicated}, "
                  f"last message {settle:.1f} s after the last kill; {dict(counts)}", flush=True)
    finally:
        procs.stop_all()
        db.dispose()
    return {"database": kind, "rounds": rounds, "lost": sum(r["lost"] for r in rounds),
            "duplicated": sum(r["duplicated"] for r in rounds),
            "latest_s": max((r["last_message_after_last_kill_s"] for r in rounds), default=None)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pushes", type=int, default=1500)
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--fail-ratio", type=float, default=0.2)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    results = each_database(args.db, args.pg_url, "meetbot_chaos", lambda kind, url: run(kind, url, args))
    header = ("| database | rounds | pushes + webhook events a round | LINE calls failing | lost | duplicated | "
              "last message after the last kill |\n|---|---|---|---|---|---|---|")
    rows = [f"| {r['database']} | {len(r['rounds'])} | {args.pushes} + {args.events} | {args.fail_ratio:.0%} | "
            f"{r['lost']} | {r['duplicated']} | {r['latest_s']} s |" for r in results]
    record("chaos", "Chaos: clock, sender and a web worker killed mid-work, connections killed",
           "SIGKILL mid fan-out and mid webhooks" + (", pg_terminate_backend every second" if args.db != "sqlite" else ""),
           "\n".join([header, *rows]), results)
    return 0 if all(r["lost"] == 0 and r["duplicated"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
