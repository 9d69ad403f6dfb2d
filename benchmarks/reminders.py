"""Benchmark: 10,000 1:1 reminders (one per user) against a LINE that takes 50 ms per call.

    .venv/bin/python benchmarks/reminders.py [--db sqlite|postgresql|both] [--users 10000]
                                             [--latency-ms 50] [--concurrency 160]

Goal (issue "Reminders, nudges and broadcasts"): all delivered within 10 s on this 2-core machine,
by sending concurrently within LINE's 2,000 requests/s. The fake LINE platform runs in its own
process with the latency added to every call; the messages are queued in the outbox (10,000 push
rows, each text naming its person) and sent by the clock's sender (`meetbot tick` does the same
pass), then every one is checked at the fake: delivered, exactly once.

The figures reported: wall time, requests per second, and its ratio to LINE's 2,000/s limit; the
busiest second the fake saw (it answers 429 past 2,000, as LINE does, and must not have to); the
lower bound in the same run is the larger of users × latency ÷ concurrency and users ÷ 1,700/s
(the senders' own budget, models/line_rate.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import DEFAULT_PG_URL, each_database, record  # noqa: E402
from models.line_rate import LINE_RATE_LIMITS  # noqa: E402

LINE_RATE_LIMIT = 2000  # requests per second per channel (LINE-PLATFORM.md)
# What the senders allow themselves together (models/line_rate.py): 1,700 pushes a second.
OUR_PUSH_RATE = LINE_RATE_LIMITS["push"].requests * 1000 / LINE_RATE_LIMITS["push"].window_ms


def fake_line(latency_ms: float, validate: bool) -> tuple[subprocess.Popen, str]:
    extra = [] if validate else ["--no-validate"]
    process = subprocess.Popen([sys.executable, "-m", "bot.fakeline", "--latency-ms", str(latency_ms), *extra],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    url = process.stdout.readline().strip().split("=", 1)[1]
    return process, url


def state(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/_fake/state", timeout=30) as response:
        return json.loads(response.read())


def run(kind: str, url: str, args) -> dict:
    from bot.config import Settings
    from bot.delivery import Sender
    from bot.line_client import LineClient
    from models import outbox
    from models.db import Database
    from models.outbox import OutboxMessage, Status
    from models.schema import upgrade

    process, fake_url = fake_line(args.latency_ms, args.validate)
    helpers: list[subprocess.Popen] = []
    try:
        db = Database(url)
        upgrade(db)
        # Extra sender processes (`meetbot send`), started and ready before the fan-out, as they
        # would be in production: the two cores then share the sending, not just one GIL.
        env = {**os.environ, "DATABASE_URL": url, "LINE_CHANNEL_SECRET": "bench", "LINE_CHANNEL_ACCESS_TOKEN": "bench",
               "LINE_API_BASE_URL": fake_url, "LINE_DATA_API_BASE_URL": fake_url,
               "MEETBOT_SENDER_CONCURRENCY": str(args.concurrency // args.senders)}
        for _ in range(args.senders - 1):
            helper = subprocess.Popen([sys.executable, "-m", "bot.cli", "send", "--idle-seconds", "0.05"], env=env,
                                      cwd=tempfile.gettempdir(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True)
            helper.stdout.readline()  # "meetbot send: ready"
            helpers.append(helper)
        with db.transaction() as session:
            for i in range(args.users):
                outbox.enqueue(session, to=f"U{i:032x}", purpose="reminder", messages=[{
                    "type": "text",
                    "text": f"🔔 เตือนนัด #12 พรุ่งนี้ 09.00 น. ที่วัดบางหลวง — สำหรับคุณสมาชิกหมายเลข {i}"}])
        settings = Settings(line_channel_access_token="bench", line_api_base_url=fake_url,
                            sender_concurrency=args.concurrency, line_timeout=(3.0, 10.0))
        line = LineClient(settings)
        sender = Sender(db, line, concurrency=args.concurrency // args.senders, lanes=args.lanes)
        import gc

        gc.collect()
        gc.freeze()  # as `meetbot clock` does at start (scheduler/clock.py)
        started = time.perf_counter()
        cpu = time.process_time()
        report = sender.deliver_due()
        while True:  # the helpers may still be finishing their last batches
            with db.reading() as session:
                left = session.scalar(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.status != Status.SENT))
            if left == 0 or time.perf_counter() - started > 120:
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        sender.close()
        line.close()
        with db.reading() as session:
            sent = session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.status == Status.SENT))
        fake = state(fake_url)
        db.dispose()
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(timeout=60)
        process.terminate()
        process.wait(timeout=30)
    rate = args.users / wall
    return {"database": kind, "users": args.users, "latency_ms": args.latency_ms, "concurrency": args.concurrency,
            "lanes": args.lanes, "senders": args.senders, "fake_validates": args.validate, "wall_s": round(wall, 2), "sender_cpu_s": round(cpu, 2),
            "requests_per_s": round(rate, 1), "ratio_to_line_limit": round(rate / LINE_RATE_LIMIT, 3),
            "lower_bound_s": round(max(args.users * args.latency_ms / 1000 / args.concurrency,
                                       args.users / OUR_PUSH_RATE), 2),
            "report_sent_here": report.sent,
            "rows_sent": sent, "fake_requests": fake["requests"], "fake_deliveries": fake["deliveries"],
            "peak_per_second": fake["peakPerSecond"].get("push", 0), "rate_limited": fake["rateLimited"],
            "exactly_once": sent == args.users == fake["deliveries"] == fake["requests"] - fake["rateLimited"],
            "goal_met": wall <= 10 and sent == args.users == fake["deliveries"]
            and fake["peakPerSecond"].get("push", 0) <= LINE_RATE_LIMIT,
            "report": {"sent_by_this_process": report.sent, "retried": report.retried, "dead": report.dead}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=160,
                        help="calls in flight in all (split between the senders); LINE's rate limit "
                             "is kept by the senders' shared budget, whatever this is")
    parser.add_argument("--lanes", type=int, default=4)
    parser.add_argument("--senders", type=int, default=2,
                        help="sending processes: this one and N-1 `meetbot send` (concurrency is split)")
    parser.add_argument("--validate", action="store_true",
                        help="let the fake check every body against LINE's OpenAPI (the tests do; it costs "
                             "the fake ~0.6 ms of CPU a call, taken from the bot on a 2-core machine)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    results = each_database(args.db, args.pg_url, "meetbot_bench_reminders", lambda kind, url: run(kind, url, args))
    header = ("| database | reminders | latency | in flight | senders | wall | req/s | × LINE's 2,000/s | busiest second | "
              "429s | lower bound | CPU of this sender | delivered once | goal (≤ 10 s) |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [f"| {r['database']} | {r['users']} | {r['latency_ms']:.0f} ms | {r['concurrency']} | {r['senders']} | "
            f"{r['wall_s']} s | "
            f"{r['requests_per_s']} | {r['ratio_to_line_limit']} | {r['peak_per_second']} | {r['rate_limited']} | "
            f"{r['lower_bound_s']} s | {r['sender_cpu_s']} s | "
            f"{'yes' if r['exactly_once'] else 'NO'} | {'met' if r['goal_met'] else 'NOT met'} |" for r in results]
    record("reminders", "10,000 1:1 reminders at 50 ms per LINE call", f"{args.senders} sending process{'es' if args.senders > 1 else ''}",
           "\n".join([header, *rows]), results)
    return 0 if all(r["goal_met"] and r["exactly_once"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
