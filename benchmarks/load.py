"""Closed-loop load for the webhook benchmark: N clients, each a thread with one keep-alive connection.

Each request is a signed LINE webhook carrying one text event in a 1:1 chat: a unique
`webhookEventId`, a user picked round-robin from a few hundred user ids unique to this run, the
current `timestamp`, and a reply token. With `--fake`, the reply tokens are issued by the fake
LINE platform before the clock starts (`POST /_fake/reply-token`), so issuing is not measured;
without it (the floor, which sends no replies) they are random strings of the same shape. The
bodies are otherwise identical.

Phases: a warm-up (not counted), then the measured window. A client starts no request after the
window ends; the measured throughput is the requests started in the window divided by the time
from the window's start to the last of them finishing.

Stdout is JSON lines, for webhook.py: {"event": "measure_start"}, {"event": "measure_end"}, then
{"event": "result", ...} (latencies in milliseconds). Stdlib only.

    python benchmarks/load.py --url http://127.0.0.1:8000/callback --secret S --clients 16 --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import secrets
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.signature import sign  # noqa: E402  (the one copy of LINE's signature)

REQUEST_TIMEOUT = 10.0  # seconds for one request; a slower one counts as an error
TEXT = "สวัสดีครับ"


def emit(event: str, **fields) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100)
    return sorted_values[int(min(rank, len(sorted_values))) - 1]


def user_ids(run_id: str, count: int) -> list[str]:
    """`count` LINE-shaped user ids (U + 32 hex digits) unique to this run."""
    return [f"U{run_id}{i:0{32 - len(run_id)}x}" for i in range(count)]


def issue_tokens(fake_url: str, users: list[str], count: int, threads: int = 8) -> list[str]:
    """Reply tokens from the fake: token k belongs to users[k % len(users)]."""
    parts = urlsplit(fake_url)
    tokens: list[str | None] = [None] * count
    counter = itertools.count()
    deadline = time.monotonic() + 120

    def work() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
        try:
            for k in counter:
                if k >= count:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("issuing reply tokens took longer than 120 s")
                body = json.dumps({"chatId": users[k % len(users)]}).encode()
                conn.request("POST", "/_fake/reply-token", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                data = response.read()
                if response.status != 200:
                    raise RuntimeError(f"fake refused a reply token: {response.status} {data[:200]!r}")
                tokens[k] = json.loads(data)["replyToken"]
        finally:
            conn.close()

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(work) for _ in range(threads)]:
            future.result()
    return tokens  # type: ignore[return-value]


class Client(threading.Thread):
    def __init__(self, load: "Load", index: int):
        super().__init__(name=f"client-{index}", daemon=True)
        self.load = load
        # (phase, latency seconds, status) per request; phase 0 = warm-up, 1 = measured
        self.samples: list[tuple[int, float, int]] = []
        self.sent_ok: Counter[str] = Counter()  # user id -> requests answered 200 (warm-up included)
        self.errors: list[str] = []
        self.last_end = 0.0

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.load.host, self.load.port, timeout=REQUEST_TIMEOUT)

    def run(self) -> None:
        load = self.load
        conn = self._connect()
        load.barrier.wait()
        try:
            while True:
                started = time.perf_counter()
                if started >= load.measure_end:
                    return
                k = next(load.counter)
                if k >= load.max_requests:
                    load.exhausted = True
                    return
                user, body = load.request(k)
                signature = sign(load.secret, body)
                headers = {"Content-Type": "application/json; charset=utf-8", "X-Line-Signature": signature}
                started = time.perf_counter()
                try:
                    conn.request("POST", load.path, body, headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    if response.will_close:
                        conn.close()
                        conn = self._connect()
                except (OSError, http.client.HTTPException) as exc:
                    status = 0
                    if len(self.errors) < 5:
                        self.errors.append(f"{type(exc).__name__}: {exc}")
                    conn.close()
                    conn = self._connect()
                ended = time.perf_counter()
                self.samples.append((1 if started >= load.measure_start else 0, ended - started, status))
                if status == 200:
                    self.sent_ok[user] += 1
                self.last_end = ended
        finally:
            conn.close()


class Load:
    def __init__(self, args: argparse.Namespace):
        url = urlsplit(args.url)
        self.host, self.port, self.path = url.hostname, url.port or 80, url.path or "/"
        self.secret = args.secret.encode("utf-8")
        self.run_id = args.run_id or secrets.token_hex(4)
        self.users = user_ids(self.run_id, args.users)
        self.tokens: list[str] | None = None
        self.max_requests = args.max_requests
        self.counter = itertools.count()
        self.exhausted = False
        self.barrier = threading.Barrier(args.clients + 1)
        self.measure_start = self.measure_end = 0.0

    def request(self, k: int) -> tuple[str, bytes]:
        user = self.users[k % len(self.users)]
        token = self.tokens[k] if self.tokens is not None else secrets.token_hex(16)
        event = {
            "type": "message",
            "message": {"id": str(10**17 + k), "type": "text", "text": TEXT},
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user},
            "replyToken": token,
            "webhookEventId": f"{self.run_id.upper()}{k:0{26 - len(self.run_id)}d}",
            "deliveryContext": {"isRedelivery": False},
        }
        body = {"destination": "U" + "0" * 32, "events": [event]}
        return user, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the webhook, e.g. http://127.0.0.1:8000/callback")
    ap.add_argument("--secret", required=True, help="the channel secret to sign with")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0, help="measured window")
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up before the window (not counted)")
    ap.add_argument("--users", type=int, default=300, help="distinct 1:1 chats")
    ap.add_argument("--fake", default=None, help="fake LINE platform URL: issue real reply tokens there first")
    ap.add_argument("--max-requests", type=int, default=100_000,
                    help="hard cap on requests (with --fake: the number of reply tokens issued beforehand)")
    ap.add_argument("--run-id", default=None, help="8 hex digits making user and event ids unique (default random)")
    args = ap.parse_args(argv)
    if args.run_id and (len(args.run_id) > 12 or any(c not in "0123456789abcdef" for c in args.run_id)):
        ap.error("--run-id must be at most 12 lowercase hex digits")

    load = Load(args)
    if args.fake:
        t = time.monotonic()
        load.tokens = issue_tokens(args.fake, load.users, args.max_requests)
        emit("tokens_issued", count=len(load.tokens), seconds=round(time.monotonic() - t, 2))

    clients = [Client(load, i) for i in range(args.clients)]
    for client in clients:
        client.start()
    begin = time.perf_counter()
    load.measure_start = begin + args.warmup
    load.measure_end = load.measure_start + args.seconds
    load.barrier.wait()
    time.sleep(max(0.0, load.measure_start - time.perf_counter()))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    emit("measure_start")
    time.sleep(max(0.0, load.measure_end - time.perf_counter()))
    cpu1, wall1 = time.process_time(), time.perf_counter()
    emit("measure_end")
    for client in clients:
        client.join(timeout=REQUEST_TIMEOUT + 5)
    stuck = sum(client.is_alive() for client in clients)

    measured = [(lat, status) for c in clients for phase, lat, status in c.samples if phase == 1]
    warmup = sum(1 for c in clients for phase, _, _ in c.samples if phase == 0)
    last_end = max([c.last_end for c in clients] + [load.measure_end])
    elapsed = last_end - load.measure_start
    latencies = sorted(lat * 1000 for lat, _ in measured)
    statuses = Counter(str(status) for c in clients for _, _, status in c.samples)
    sent_ok: Counter[str] = Counter()
    for c in clients:
        sent_ok.update(c.sent_ok)
    emit(
        "result",
        run_id=load.run_id,
        clients=args.clients,
        requests=len(measured),
        warmup_requests=warmup,
        elapsed_s=round(elapsed, 4),
        throughput_rps=round(len(measured) / elapsed, 1) if elapsed > 0 else None,
        latency_ms={
            "mean": round(sum(latencies) / len(latencies), 3) if latencies else None,
            **{name: round(percentile(latencies, p), 3) if latencies else None
               for name, p in (("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99))},
            "max": round(latencies[-1], 3) if latencies else None,
        },
        statuses=dict(statuses),  # every request, warm-up included
        non_200=sum(n for s, n in statuses.items() if s != "200"),
        sent_ok=sum(sent_ok.values()),  # events the server acknowledged, warm-up included
        sent_ok_by_user=dict(sent_ok),
        errors=[e for c in clients for e in c.errors][:10],
        tokens_exhausted=load.exhausted,
        stuck_clients=stuck,
        load_cpu_s=round(cpu1 - cpu0, 3),  # this process's CPU in the measured window
        load_wall_s=round(wall1 - wall0, 3),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
