"""``python -m bot.fakeline``: run the fake LINE API in the foreground.

Prints one line ``FAKE_LINE_URL=http://127.0.0.1:PORT`` (flushed) once it accepts connections,
then serves until SIGINT/SIGTERM.  Only loopback addresses are allowed.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys


def _loopback(host: str) -> str:
    if host == "localhost":
        return "127.0.0.1"
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise SystemExit(f"fakeline: --host must be a loopback address (127.0.0.0/8 or ::1), not {host!r}")
    if not addr.is_loopback:
        raise SystemExit(f"fakeline: refusing to listen on non-loopback address {host!r}")
    return str(addr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.fakeline", description="Local fake of the LINE Messaging API")
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    ap.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API call")
    ap.add_argument("--seed", type=int, default=None, help="seed for ratio faults")
    ap.add_argument("--quota", type=int, default=None, help="monthly message quota (default: unlimited)")
    ap.add_argument("--access-token", default=None, help="accept only this bearer token (default: any)")
    ap.add_argument("--reply-token-ttl", type=float, default=60.0, help="seconds a reply token stays valid")
    ap.add_argument("--no-validate", action="store_true",
                    help="skip the OpenAPI check of request bodies (benchmarks: it is the fake's main CPU cost)")
    ap.add_argument("--no-rate-limit", action="store_true",
                    help="accept any number of requests per second (default: LINE's limits, 429 above them)")
    args = ap.parse_args(argv)

    host = _loopback(args.host)
    from .server import FakeLine

    fake = FakeLine(seed=args.seed, host=host, port=args.port, latency=args.latency_ms / 1000.0,
                    access_token=args.access_token, reply_token_ttl=args.reply_token_ttl,
                    validate=not args.no_validate, rate_limits={} if args.no_rate_limit else None)
    if args.quota is not None:
        fake.set_quota(args.quota)
    fake.bind()

    def _term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    print(f"FAKE_LINE_URL={fake.url}", flush=True)
    try:
        fake.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
