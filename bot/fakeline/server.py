"""A local fake of the LINE Messaging API, answering like LINE at the HTTP level.

See ``bot/fakeline/__init__.py`` for the overview.  Everything here is thread-safe: the HTTP
server runs one thread per connection and every piece of shared state sits behind ``self._lock``
(an RLock shared with the Condition that :meth:`FakeLine.wait_for` waits on).
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import itertools
import json
import random
import re
import secrets
import socket
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from .spec import BODY_MAX_BYTES, load_spec

# --------------------------------------------------------------------------- constants

SENDING = frozenset({"reply", "push", "multicast", "broadcast", "narrowcast"})
RETRY_KEY_ENDPOINTS = frozenset({"push", "multicast", "broadcast", "narrowcast"})
ENDPOINTS = frozenset(SENDING | {
    "profile", "group_member_profile", "group_summary", "group_members_count", "group_members_ids",
    "quota", "quota_consumption", "content", "loading", "bot_info", "unknown",
})

MSG_AUTH = "Authentication failed. Confirm that the access token in the authorization header is valid."
MSG_NOT_FOUND = "Not found"
MSG_RATE_LIMIT = "The API rate limit has been exceeded. Try again later."
MSG_MONTHLY_LIMIT = "You have reached your monthly limit."
MSG_SERVER_ERROR = "Internal server error"
MSG_INVALID_REPLY_TOKEN = "Invalid reply token"
MSG_RETRY_KEY_ACCEPTED = "The retry key is already accepted"

ID_RE = re.compile(r"^[UCR][0-9a-f]{32}$")
USER_ID_RE = re.compile(r"^U[0-9a-f]{32}$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
QUOTABLE_TYPES = frozenset({"text", "textV2", "sticker", "image", "video"})
# LINE's per-channel rate limits ("Rate limits" in the Messaging API reference): requests in any
# one second, per endpoint. Over them LINE answers 429, and so does the fake.
RATE_LIMITS = {"reply": 2000, "push": 2000, "multicast": 200}

_ROUTES: list[tuple[str, re.Pattern, str]] = [
    (m, re.compile(p), name)
    for m, p, name in [
        ("POST", r"^/v2/bot/message/reply$", "reply"),
        ("POST", r"^/v2/bot/message/push$", "push"),
        ("POST", r"^/v2/bot/message/multicast$", "multicast"),
        ("POST", r"^/v2/bot/message/broadcast$", "broadcast"),
        ("POST", r"^/v2/bot/message/narrowcast$", "narrowcast"),
        ("GET", r"^/v2/bot/message/quota$", "quota"),
        ("GET", r"^/v2/bot/message/quota/consumption$", "quota_consumption"),
        ("GET", r"^/v2/bot/message/(?P<messageId>[^/]+)/content$", "content"),
        ("GET", r"^/v2/bot/profile/(?P<userId>[^/]+)$", "profile"),
        ("GET", r"^/v2/bot/group/(?P<groupId>[^/]+)/member/(?P<userId>[^/]+)$", "group_member_profile"),
        ("GET", r"^/v2/bot/group/(?P<groupId>[^/]+)/summary$", "group_summary"),
        ("GET", r"^/v2/bot/group/(?P<groupId>[^/]+)/members/count$", "group_members_count"),
        ("GET", r"^/v2/bot/group/(?P<groupId>[^/]+)/members/ids$", "group_members_ids"),
        ("POST", r"^/v2/bot/chat/loading/start$", "loading"),
        ("GET", r"^/v2/bot/info$", "bot_info"),
    ]
]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _route(method: str, path: str) -> tuple[str, dict]:
    for m, rx, name in _ROUTES:
        if m == method:
            mt = rx.match(path)
            if mt:
                return name, mt.groupdict()
    return "unknown", {}


# --------------------------------------------------------------------------- records


@dataclass
class Recorded:
    """One request the fake received (control requests under /_fake/ are not recorded).

    Recorded at arrival with ``status=None`` and completed in place when answered; once ``status``
    is set the record no longer changes (treat it as read-only).
    """

    seq: int
    at: datetime
    method: str
    path: str
    endpoint: str
    headers: dict
    body: Any
    raw: bytes
    status: int | None = None
    response: Any = None
    retry_key: str | None = None
    request_id: str = ""
    accepted_request_id: str | None = None
    errors: list = field(default_factory=list)
    query: str = ""
    recipients: list = field(default_factory=list)  # chat/user ids a delivery reached
    fault: str | None = None  # "fail:500", "hang:1.0" when a fault was applied

    def to_dict(self) -> dict:
        d = {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "endpoint": self.endpoint,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "response": self.response,
            "retryKey": self.retry_key,
            "requestId": self.request_id,
            "acceptedRequestId": self.accepted_request_id,
            "errors": self.errors,
            "recipients": self.recipients,
            "fault": self.fault,
        }
        if self.body is None and self.raw:
            d["rawBase64"] = base64.b64encode(self.raw).decode("ascii")
        return d


@dataclass
class _Fault:
    kind: str  # "fail" | "hang"
    paths: frozenset
    times: int | None = None
    ratio: float | None = None
    status: int = 500
    body: Any = None
    seconds: float = 0.0


class _Reply:
    """What a handler answers: status, JSON (or bytes) body, extra headers."""

    __slots__ = ("status", "body", "headers", "content_type")

    def __init__(self, status: int, body: Any = None, headers: dict | None = None, content_type: str | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type


def _error(status: int, message: str, details: list | None = None, **extra) -> _Reply:
    body: dict = {"message": message}
    if details:
        body["details"] = details
    body.update(extra)
    return _Reply(status, body)


def _default_fault_body(status: int) -> dict:
    if status == 429:
        return {"message": MSG_RATE_LIMIT}
    if status >= 500:
        return {"message": MSG_SERVER_ERROR}
    try:
        return {"message": HTTPStatus(status).phrase}
    except ValueError:
        return {"message": "Error"}


# --------------------------------------------------------------------------- HTTP handler


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive; every method goes to FakeLine._http."""

    protocol_version = "HTTP/1.1"
    timeout = 120  # idle keep-alive connections end eventually
    server_version = "fakeline"
    sys_version = ""
    wbufsize = 64 * 1024  # headers and body leave in one write (flushed per response)
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.server.fakeline._track_connection(self.connection, True)

    def finish(self):
        self.server.fakeline._track_connection(self.connection, False)
        try:
            super().finish()
        except OSError:
            pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self):
        try:
            raw = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        # http.server folds a leading "//" into "/"; LINE does not (an SDK host with a trailing
        # slash sends "//v2/..." and gets 404), so route on the path as it was sent
        words = self.requestline.split()
        target = words[1] if len(words) >= 2 else self.path
        status, headers, data = self.server.fakeline._http(self.command, target, self.headers, raw)
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. it timed out during a hang)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format, *args):  # quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, addr, fakeline):
        self.fakeline = fakeline
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, _Handler)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # dropped connections are normal here
            return
        super().handle_error(request, client_address)


# --------------------------------------------------------------------------- the fake


class FakeLine:
    """A local fake of the LINE Messaging API (see package docstring)."""

    def __init__(
        self,
        spec_path: str | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        seed: int | None = None,
        reply_token_ttl: float = 60.0,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        access_token: str | None = None,
        check_ids: bool = True,
        validate: bool = True,
        rate_limits: dict[str, int] | None = None,
    ):
        self._spec = load_spec(str(spec_path) if spec_path else None)
        # Benchmarks turn the spec check off: it costs the fake more CPU than the bot spends per
        # message, and on a 2-core machine the fake's CPU is taken from the bot being measured.
        self.validate = validate
        self.clock = clock or _utcnow
        self.reply_token_ttl = reply_token_ttl
        self.host = host
        self.port = port
        self.access_token = access_token  # None: any non-empty bearer token is accepted
        self.check_ids = check_ids  # push/multicast "to" must look like LINE ids (U/C/R + 32 hex)
        self.rate_limits = dict(RATE_LIMITS if rate_limits is None else rate_limits)
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._seq = itertools.count(1)
        self._msg_ids = itertools.count(int(time.time() * 1000) * 1000 % 10**17 + 10**17)
        self._latency = float(latency)
        self._server = None
        self._serving = False
        self._thread: threading.Thread | None = None
        self._conns: set = set()
        # data (kept by reset)
        self._profiles: dict[str, dict] = {}
        self._groups: dict[str, dict] = {}
        self._contents: dict[str, tuple[bytes, str]] = {}
        # quota
        self._quota_limit: int | None = None
        self._quota_used = 0
        self._reset_seq = 0  # requests with seq <= this arrived before the last reset()
        self._clear_state()

    def _clear_state(self) -> None:
        self._records: list[Recorded] = []
        self._deliveries: list[Recorded] = []
        self._faults: list[_Fault] = []
        self._tokens: dict[str, dict] = {}
        self._accepted_keys: dict[str, tuple[str, Any]] = {}
        self._quota_used = 0
        self._clear_rate_counts()

    def _clear_rate_counts(self) -> None:
        # Arrival times (monotonic) of the last second's requests per rate-limited endpoint, the
        # most seen in any one second, and how many were refused with 429 for it.
        self._arrivals: dict[str, collections.deque] = {e: collections.deque() for e in self.rate_limits}
        self._peak_per_second: dict[str, int] = {e: 0 for e in self.rate_limits}
        self._rate_limited = 0

    def _over_rate_limit(self, endpoint: str) -> bool:
        """Count an arrival (under the lock); True when it exceeds the endpoint's limit."""
        arrivals = self._arrivals.get(endpoint)
        if arrivals is None:
            return False
        now = time.monotonic()
        while arrivals and arrivals[0] <= now - 1.0:
            arrivals.popleft()
        arrivals.append(now)
        if len(arrivals) > self._peak_per_second[endpoint]:
            self._peak_per_second[endpoint] = len(arrivals)
        if len(arrivals) > self.rate_limits[endpoint]:
            self._rate_limited += 1
            return True
        return False

    def set_rate_limits(self, limits: dict[str, int] | None = None) -> None:
        """Requests per second allowed per endpoint (None: LINE's); counting starts afresh."""
        with self._lock:
            self.rate_limits = dict(RATE_LIMITS if limits is None else limits)
            self._clear_rate_counts()

    def peak_per_second(self, endpoint: str = "push") -> int:
        """The most requests to `endpoint` that arrived within any one second (sliding)."""
        with self._lock:
            return self._peak_per_second.get(endpoint, 0)

    @property
    def rate_limited(self) -> int:
        """How many requests were answered 429 for exceeding a rate limit."""
        with self._lock:
            return self._rate_limited

    # ------------------------------------------------------------------ lifecycle

    def bind(self) -> "FakeLine":
        """Open the listening socket (so ``url`` is known) without serving yet."""
        if self._server is None:
            server = _Server((self.host, self.port), self)
            self._server = server
            self.port = server.server_address[1]
        return self

    def start(self) -> "FakeLine":
        """Serve in a daemon thread; returns self."""
        if self._serving:
            return self
        self.bind()
        self._serving = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fakeline:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until stop() is called from another thread."""
        self.bind()
        self._serving = True
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._serving = False
            self._close()

    def stop(self) -> None:
        """Stop serving, close the socket and any idle keep-alive connections."""
        server = self._server
        if server is None:
            return
        if self._serving and threading.current_thread() is not self._thread:
            server.shutdown()  # returns once serve_forever has returned
        self._serving = False
        self._close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _close(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            conns = list(self._conns)
        if server is None:
            return
        server.server_close()
        for c in conns:  # end idle keep-alive connections too
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> "FakeLine":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _track_connection(self, conn, add: bool) -> None:
        with self._lock:
            (self._conns.add if add else self._conns.discard)(conn)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeLine is not started")
        host = self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def configuration(self, access_token: str = "fake-access-token"):
        """A line-bot-sdk ``Configuration`` pointed at this fake."""
        from linebot.v3.messaging import Configuration

        return Configuration(host=self.url, access_token=access_token)

    def reset(self) -> None:
        """Clear recorded requests, faults, reply tokens, accepted retry keys and quota usage.

        Profiles, groups, contents, the quota limit and the latency are kept; ``seq`` keeps
        growing (so a poller of /_fake/requests?since= does not miss anything).
        """
        with self._lock:
            self._clear_state()
            self._reset_seq = next(self._seq)  # skips one number, harmless
            self._cond.notify_all()

    def clear_directory(self) -> None:
        """Forget every profile, group and message content added: one test's people and groups
        must not change what a push costs or whose name is known in the next test."""
        with self._lock:
            self._profiles.clear()
            self._groups.clear()
            self._contents.clear()

    # ------------------------------------------------------------------ data

    def issue_reply_token(self, chat_id: str, ttl: float | None = None) -> str:
        token = secrets.token_hex(16)
        expires = self.clock() + timedelta(seconds=self.reply_token_ttl if ttl is None else ttl)
        with self._lock:
            self._tokens[token] = {"chat_id": chat_id, "expires": expires, "used": False}
        return token

    def add_profile(self, user_id: str, display_name: str, picture_url: str | None = None,
                    language: str | None = "th", status_message: str | None = None) -> None:
        p = {"userId": user_id, "displayName": display_name}
        if picture_url:
            p["pictureUrl"] = picture_url
        if status_message:
            p["statusMessage"] = status_message
        if language:
            p["language"] = language
        with self._lock:
            self._profiles[user_id] = p

    def add_group(self, group_id: str, name: str, members: dict[str, str] | None = None,
                  picture_url: str | None = None) -> None:
        with self._lock:
            self._groups[group_id] = {"name": name, "members": dict(members or {}), "pictureUrl": picture_url}

    def join_group(self, group_id: str, user_id: str, display_name: str, group_name: str = "group") -> None:
        """`user_id` becomes a member of the group (made if new, named `group_name`); others stay."""
        with self._lock:
            group = self._groups.setdefault(group_id, {"name": group_name, "members": {}, "pictureUrl": None})
            group["members"][user_id] = display_name

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        with self._lock:
            self._contents[str(message_id)] = (bytes(data), content_type)

    def set_quota(self, limit: int | None, used: int = 0) -> None:
        with self._lock:
            self._quota_limit = limit
            self._quota_used = used

    @property
    def quota_used(self) -> int:
        with self._lock:
            return self._quota_used

    # ------------------------------------------------------------------ faults

    @staticmethod
    def _paths(paths: Iterable[str] | str | None) -> frozenset:
        if paths is None:
            return SENDING
        if isinstance(paths, str):
            paths = (paths,)
        ps = frozenset(paths)
        if ps & {"*", "all"}:
            return ENDPOINTS
        unknown = ps - ENDPOINTS
        if unknown:
            raise ValueError(f"unknown endpoint name(s) {sorted(unknown)}; known: {sorted(ENDPOINTS)}")
        return ps

    def fail(self, status: int = 500, times: int | None = None, ratio: float | None = None,
             paths: Iterable[str] | str | None = None, body: Any = None) -> None:
        """Answer ``status`` (with ``body`` or LINE's default) to matching calls.

        ``times``: only the next N matching calls; ``ratio``: a random share (rng seeded by
        ``FakeLine(seed=)``); neither: every matching call until clear_faults().  ``paths``:
        endpoint names (default: the message-sending ones; "*" = all).
        """
        f = _Fault("fail", self._paths(paths), times, ratio, int(status),
                   _default_fault_body(int(status)) if body is None else body)
        with self._lock:
            self._faults.append(f)

    def hang(self, seconds: float, times: int | None = None, ratio: float | None = None,
             paths: Iterable[str] | str | None = None) -> None:
        """Sleep ``seconds`` before processing matching calls normally (a slow LINE)."""
        f = _Fault("hang", self._paths(paths), times, ratio, seconds=float(seconds))
        with self._lock:
            self._faults.append(f)

    def latency(self, seconds: float) -> None:
        """Delay every API call by ``seconds`` (a setting, kept by clear_faults/reset; 0 to remove)."""
        with self._lock:
            self._latency = float(seconds)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _pick_faults(self, endpoint: str) -> tuple[_Fault | None, _Fault | None]:
        picked: dict[str, _Fault] = {}
        with self._lock:
            for f in list(self._faults):
                if f.kind in picked or endpoint not in f.paths:
                    continue
                if f.ratio is not None and self._rng.random() >= f.ratio:
                    continue
                if f.times is not None:
                    f.times -= 1
                    if f.times <= 0:
                        self._faults.remove(f)
                picked[f.kind] = f
        return picked.get("hang"), picked.get("fail")

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[Recorded]:
        """Every recorded request in arrival order (a new list; in-flight ones are copies)."""
        with self._lock:
            return [r if r.status is not None else dataclasses.replace(r) for r in self._records]

    def requests_since(self, seq: int) -> list[Recorded]:
        with self._lock:
            return [r if r.status is not None else dataclasses.replace(r)
                    for r in self._records if r.seq > seq]

    def deliveries(self, endpoint: str | Iterable[str] | None = None) -> list[Recorded]:
        """Message-sending requests answered 2xx, in order of acceptance."""
        with self._lock:
            ds = list(self._deliveries)
        if endpoint is None:
            return ds
        eps = {endpoint} if isinstance(endpoint, str) else set(endpoint)
        return [r for r in ds if r.endpoint in eps]

    def delivered_messages(self, to: str | None = None) -> list[tuple[str, dict]]:
        """(recipient id, message dict) for every message of every delivery (optionally to one id)."""
        out = []
        for r in self.deliveries():
            msgs = r.body.get("messages", []) if isinstance(r.body, dict) else []
            for rcpt in r.recipients:
                if to is not None and rcpt != to:
                    continue
                for m in msgs:
                    out.append((rcpt, m))
        return out

    def invalid_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self._records if r.errors]

    def wait_for(self, predicate: Callable[["FakeLine"], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(self)`` is true (re-checked whenever a request is recorded or
        answered); False on timeout."""
        with self._cond:
            return bool(self._cond.wait_for(lambda: predicate(self), timeout=timeout))

    # ------------------------------------------------------------------ HTTP

    def _http(self, method: str, target: str, header_msg, raw: bytes) -> tuple[int, dict, bytes]:
        """Answer one HTTP request: (status, headers, body bytes)."""
        parts = urlsplit(target)
        path, query = parts.path, parts.query
        if target.startswith("//"):  # urlsplit would take "//v2/..." for a host; keep it as a path
            path, _, query = target.partition("?")
        path = unquote(path)
        headers = {k.lower(): v for k, v in header_msg.items()}
        if path.startswith("/_fake/"):
            try:
                reply = self._control(method, path, query, raw)
            except Exception as exc:
                traceback.print_exc(file=sys.stderr)
                reply = _error(500, f"fakeline internal error: {exc!r}")
            request_id = str(uuid.uuid4())
        else:
            reply, request_id = self._api(method, path, query, headers, raw)
        if isinstance(reply.body, (bytes, bytearray)):
            data = bytes(reply.body)
            ctype = reply.content_type or "application/octet-stream"
        else:
            data = json.dumps(reply.body if reply.body is not None else {}, ensure_ascii=False).encode("utf-8")
            ctype = "application/json"
        return reply.status, {"Content-Type": ctype, "x-line-request-id": request_id, **reply.headers}, data

    def _api(self, method: str, path: str, query: str, headers: dict, raw: bytes) -> tuple[_Reply, str]:
        endpoint, params = _route(method, path)
        body = None
        parse_error = False
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                parse_error = True
        rec = Recorded(
            seq=0, at=self.clock(), method=method, path=path, endpoint=endpoint, headers=headers,
            body=body, raw=raw, retry_key=headers.get("x-line-retry-key"), request_id=str(uuid.uuid4()),
            query=query,
        )
        with self._lock:
            rec.seq = next(self._seq)
            self._records.append(rec)
            over_rate_limit = self._over_rate_limit(endpoint)
            self._cond.notify_all()
        try:
            if over_rate_limit:
                rec.fault = "rate-limit"
                reply = _error(429, MSG_RATE_LIMIT)
            else:
                reply = self._process(rec, endpoint, params, parse_error)
        except Exception as exc:  # a bug in the fake: answer 500 and say so
            traceback.print_exc(file=sys.stderr)
            reply = _error(500, f"fakeline internal error: {exc!r}")
        with self._lock:
            if rec.status is None:  # accepted deliveries are completed inside _send
                rec.status = reply.status
                rec.response = reply.body if not isinstance(reply.body, (bytes, bytearray)) else None
                if reply.status == 409:
                    rec.accepted_request_id = reply.headers.get("x-line-accepted-request-id")
            self._cond.notify_all()
        return reply, rec.request_id

    def _process(self, rec: Recorded, endpoint: str, params: dict, parse_error: bool) -> _Reply:
        with self._lock:
            latency = self._latency
        if latency > 0:
            time.sleep(latency)
        auth = rec.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not token or (self.access_token is not None and token != self.access_token):
            return _error(401, MSG_AUTH)
        if endpoint == "unknown":
            return _error(404, MSG_NOT_FOUND)
        hang, fail = self._pick_faults(endpoint)
        if hang is not None:
            rec.fault = f"hang:{hang.seconds:g}"
            time.sleep(hang.seconds)
        if fail is not None:
            rec.fault = f"fail:{fail.status}"
            if isinstance(fail.body, (bytes, str)):
                b = fail.body.encode("utf-8") if isinstance(fail.body, str) else fail.body
                return _Reply(fail.status, b, content_type="application/json")
            return _Reply(fail.status, fail.body)
        if endpoint in SENDING:
            return self._send(rec, endpoint, parse_error)
        if endpoint == "loading":
            return self._loading(rec, parse_error)
        return self._get(endpoint, params)

    # ------------------------------------------------------------------ sending

    def _validation_error(self, rec: Recorded, details: list[dict]) -> _Reply:
        rec.errors = [f"{d.get('property', '')}: {d['message']}" for d in details]
        return _error(400, f"The request body has {len(details)} error(s)", details)

    def _check_body(self, rec: Recorded, endpoint: str, parse_error: bool) -> _Reply | None:
        if len(rec.raw) > BODY_MAX_BYTES:
            rec.errors = [f"request body is {len(rec.raw)} bytes; at most {BODY_MAX_BYTES}"]
            return _error(413, "Request Entity Too Large")
        if parse_error or not isinstance(rec.body, dict):
            return self._validation_error(rec, [{"message": "The request body must be a JSON object", "property": ""}])
        details = self._spec.validate(endpoint, rec.body) if self.validate else None
        if details:
            return self._validation_error(rec, details)
        return None

    def _send(self, rec: Recorded, endpoint: str, parse_error: bool) -> _Reply:
        key = rec.retry_key
        if key is not None:
            if endpoint not in RETRY_KEY_ENDPOINTS:
                rec.errors = ["X-Line-Retry-Key is not accepted by this endpoint"]
                return _error(400, "The X-Line-Retry-Key header cannot be used with this API")
            if not UUID_RE.match(key):
                rec.errors = [f"X-Line-Retry-Key {key!r} is not a UUID"]
                return _error(400, "The value of the X-Line-Retry-Key header must be a UUID")
        bad = self._check_body(rec, endpoint, parse_error)
        if bad is not None:
            return bad
        body = rec.body

        # recipients and cost (no shared state needed yet)
        recipients: list[str] = []
        if endpoint == "push":
            to = body["to"]
            if self.check_ids and not ID_RE.match(to):
                rec.errors = [f"to: {to!r} is not a user, group or room id"]
                return _error(400, "The property, 'to', in the request body is invalid (line: -, column: -)")
            recipients = [to]
        elif endpoint == "multicast":
            to = list(dict.fromkeys(body["to"]))
            bad_ids = [t for t in to if not USER_ID_RE.match(t)] if self.check_ids else []
            if bad_ids:
                rec.errors = [f"to: {bad_ids[0]!r} is not a user id"]
                return _error(400, "The property, 'to', in the request body is invalid (line: -, column: -)")
            recipients = to

        with self._lock:
            if key is not None and key in self._accepted_keys:
                accepted_id, accepted_body = self._accepted_keys[key]
                extra = {}
                if isinstance(accepted_body, dict) and accepted_body.get("sentMessages"):
                    extra["sentMessages"] = accepted_body["sentMessages"]
                reply = _error(409, MSG_RETRY_KEY_ACCEPTED, **extra)
                reply.headers["x-line-accepted-request-id"] = accepted_id
                return reply
            token_info = None
            if endpoint == "reply":
                token_info = self._tokens.get(body["replyToken"])
                if token_info is None or token_info["used"] or self.clock() >= token_info["expires"]:
                    rec.errors = ["replyToken: unknown, used or expired"]
                    return _error(400, MSG_INVALID_REPLY_TOKEN)
                recipients = [token_info["chat_id"]]
                cost = 0
            elif endpoint == "push":
                g = self._groups.get(recipients[0])
                cost = max(len(g["members"]), 1) if g else 1
            elif endpoint == "multicast":
                cost = len(recipients)
            else:  # broadcast / narrowcast: every friend (the profiles added)
                recipients = list(self._profiles) or ["*"]
                cost = len(self._profiles)
            if self._quota_limit is not None and self._quota_used + cost > self._quota_limit:
                return _error(429, MSG_MONTHLY_LIMIT)

            # accepted
            stale = rec.seq <= self._reset_seq  # arrived before a reset() (e.g. a hang from an earlier test)
            if token_info is not None:
                token_info["used"] = True
            self._quota_used += cost
            if endpoint in ("reply", "push"):
                sent = []
                for m in body["messages"]:
                    s = {"id": str(next(self._msg_ids))}
                    if m.get("type") in QUOTABLE_TYPES:
                        s["quoteToken"] = secrets.token_urlsafe(36)
                    sent.append(s)
                response = {"sentMessages": sent}
                status = 200
            elif endpoint == "narrowcast":
                response, status = {}, 202
            else:
                response, status = {}, 200
            rec.recipients = recipients
            rec.status = status
            rec.response = response
            if stale:  # answer it, but leave the fresh state alone
                self._quota_used -= cost
            else:
                if key is not None:
                    self._accepted_keys[key] = (rec.request_id, response)
                self._deliveries.append(rec)
            self._cond.notify_all()
        return _Reply(status, response)

    def _loading(self, rec: Recorded, parse_error: bool) -> _Reply:
        bad = self._check_body(rec, "loading", parse_error)
        return bad if bad is not None else _Reply(202, {})

    # ------------------------------------------------------------------ reading

    def _get(self, endpoint: str, params: dict) -> _Reply:
        with self._lock:
            if endpoint == "profile":
                p = self._profiles.get(params["userId"])
                return _Reply(200, dict(p)) if p else _error(404, MSG_NOT_FOUND)
            if endpoint in ("group_member_profile", "group_summary", "group_members_count", "group_members_ids"):
                g = self._groups.get(params["groupId"])
                if g is None:
                    return _error(404, MSG_NOT_FOUND)
                if endpoint == "group_summary":
                    out = {"groupId": params["groupId"], "groupName": g["name"]}
                    if g["pictureUrl"]:
                        out["pictureUrl"] = g["pictureUrl"]
                    return _Reply(200, out)
                if endpoint == "group_members_count":
                    return _Reply(200, {"count": len(g["members"])})
                if endpoint == "group_members_ids":  # needs a verified/premium account
                    return _error(403, "Access to this API is not available for your account")
                uid = params["userId"]
                if uid not in g["members"]:
                    return _error(404, MSG_NOT_FOUND)
                out = {"displayName": g["members"][uid], "userId": uid}
                pic = self._profiles.get(uid, {}).get("pictureUrl")
                if pic:
                    out["pictureUrl"] = pic
                return _Reply(200, out)
            if endpoint == "quota":
                if self._quota_limit is None:
                    return _Reply(200, {"type": "none"})
                return _Reply(200, {"type": "limited", "value": self._quota_limit})
            if endpoint == "quota_consumption":
                return _Reply(200, {"totalUsage": self._quota_used})
            if endpoint == "content":
                c = self._contents.get(params["messageId"])
                if c is None:
                    return _error(404, MSG_NOT_FOUND)
                return _Reply(200, c[0], content_type=c[1])
            if endpoint == "bot_info":
                return _Reply(200, {"userId": "U" + "0" * 31 + "1", "basicId": "@fakeline",
                                    "displayName": "meetbot (fake)", "chatMode": "bot",
                                    "markAsReadMode": "auto"})
        return _error(404, MSG_NOT_FOUND)

    # ------------------------------------------------------------------ control endpoints

    def _control(self, method: str, path: str, query: str, raw: bytes) -> _Reply:
        args = {k: v[-1] for k, v in parse_qs(query).items()}
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return _Reply(400, {"message": "control body must be JSON"})
        if not isinstance(data, dict):
            return _Reply(400, {"message": "control body must be a JSON object"})
        try:
            if method == "GET" and path == "/_fake/requests":
                since = int(args.get("since", 0))
                return _Reply(200, [r.to_dict() for r in self.requests_since(since)])
            if method == "GET" and path == "/_fake/messages":
                since = int(args.get("since", 0))
                out = []
                for r in self.deliveries():
                    if r.seq <= since:
                        continue
                    msgs = r.body.get("messages", []) if isinstance(r.body, dict) else []
                    for rcpt in r.recipients:
                        for m in msgs:
                            out.append({"seq": r.seq, "endpoint": r.endpoint, "to": rcpt, "message": m})
                return _Reply(200, out)
            if method == "POST" and path == "/_fake/reply-token":
                return _Reply(200, {"replyToken": self.issue_reply_token(data["chatId"], data.get("ttl"))})
            if method == "POST" and path == "/_fake/profile":
                self.add_profile(data["userId"], data["displayName"], data.get("pictureUrl"),
                                 data.get("language", "th"), data.get("statusMessage"))
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/group":
                self.add_group(data["groupId"], data["name"], data.get("members") or {}, data.get("pictureUrl"))
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/group/member":
                self.join_group(data["groupId"], data["userId"], data["displayName"], data.get("name") or "group")
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/content":
                self.add_content(data["messageId"], base64.b64decode(data["dataBase64"]),
                                 data.get("contentType", "image/jpeg"))
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/faults":
                action = data.get("action")
                if action == "fail":
                    self.fail(data.get("status", 500), data.get("times"), data.get("ratio"),
                              data.get("paths"), data.get("body"))
                elif action == "hang":
                    self.hang(data["seconds"], data.get("times"), data.get("ratio"), data.get("paths"))
                elif action == "latency":
                    self.latency(data["seconds"])
                elif action == "clear":
                    self.clear_faults()
                else:
                    return _Reply(400, {"message": "action must be one of fail, hang, latency, clear"})
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/quota":
                self.set_quota(data.get("limit"), data.get("used", 0))
                return _Reply(200, {})
            if method == "POST" and path == "/_fake/reset":
                self.reset()
                return _Reply(200, {})
            if method == "GET" and path == "/_fake/state":
                with self._lock:
                    return _Reply(200, {
                        "quota": {"limit": self._quota_limit, "used": self._quota_used},
                        "latency": self._latency,
                        "faults": [dataclasses.asdict(f) | {"paths": sorted(f.paths)} for f in self._faults],
                        "requests": len(self._records), "deliveries": len(self._deliveries),
                        "peakPerSecond": dict(self._peak_per_second), "rateLimited": self._rate_limited,
                    })
        except (KeyError, TypeError, ValueError) as exc:
            return _Reply(400, {"message": f"bad control request: {exc!r}"})
        return _Reply(404, {"message": MSG_NOT_FOUND})
