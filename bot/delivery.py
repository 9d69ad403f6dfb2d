"""The sender: delivers outbox rows through the LINE client and records what happened.

Used by the web process right after a webhook commits (so a reply goes out within a second) and
by the clock for everything else (retries after backoff, reminders, rows a dead process left
behind). Both claim rows with a lease, so they never send the same row at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from bot.line_client import LineClient, Outcome, Result
from models import line_rate, outbox
from models.base import utcnow
from models.db import Database
from models.line_rate import LINE_RATE_LIMITS, RateLimit
from models.outbox import Kind, OutboxMessage, Status

log = logging.getLogger("meetbot.delivery")


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    uncertain: int = 0
    lost_claims: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "DeliveryReport") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        self.uncertain += other.uncertain
        self.lost_claims += other.lost_claims
        self.errors.extend(other.errors)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.dead + self.uncertain


def _chat_of(row) -> str:
    """The chat a row goes to; each multicast counts as a chat of its own."""
    return row.to or f"multicast:{row.id}"


def _token_fresh(row, now: datetime) -> bool:
    return row.reply_deadline is not None and now < row.reply_deadline


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Sender:
    """Claims due outbox rows and sends them, several LINE calls at a time."""

    def __init__(self, db: Database, line: LineClient, *, concurrency: int = 32, lanes: int = 1,
                 lease: timedelta = outbox.DEFAULT_LEASE, clock: Callable[[], datetime] = utcnow,
                 rate_limits: dict[str, RateLimit] | None = None):
        self.db = db
        self.line = line
        self.concurrency = max(1, concurrency)
        # Lanes claim and record side by side, so the next batch is claimed while one is still on
        # the wire (a big fan-out is then limited by LINE's latency, not by our batches). One lane
        # keeps every chat's messages strictly in order; with several, two messages to the same
        # chat queued apart may swap, which a reminder fan-out does not mind.
        self.lanes = max(1, lanes)
        self.lease = lease
        self.clock = clock
        # LINE's per-endpoint rate limits, reserved in the database with each claim so that every
        # sending process together stays under them (models/line_rate.py). Its clock is the real
        # one even when a test passes `now=`: LINE counts real seconds.
        self.rate_limits = LINE_RATE_LIMITS if rate_limits is None else rate_limits
        self.rate_clock_ms: Callable[[], int] = lambda: int(time.time() * 1000)
        self.worker = worker_name()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid: int | None = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="meetbot-send")
            self._pool_pid = os.getpid()
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def deliver_due(self, *, now: datetime | None = None, max_batches: int | None = None,
                    ids: list[int] | None = None) -> DeliveryReport:
        """Send everything due at `now` (default: the real time, re-read for every batch)."""
        if self.lanes == 1:
            return self._lane(now, max_batches, ids, self.concurrency * 2)
        per_lane = max(1, self.concurrency // 2)
        with ThreadPoolExecutor(self.lanes, thread_name_prefix="meetbot-lane") as lanes:
            futures = [lanes.submit(self._lane, now, max_batches, ids, per_lane) for _ in range(self.lanes)]
            report = DeliveryReport()
            for future in futures:
                report.add(future.result())
        return report

    def _lane(self, now: datetime | None, max_batches: int | None, ids: list[int] | None,
              batch_size: int) -> DeliveryReport:
        report = DeliveryReport()
        batches = 0
        while max_batches is None or batches < max_batches:
            batch_now = now or self.clock()
            wait_ms = None
            with self.db.transaction() as session:
                rows = outbox.claim_batch(session, worker=self.worker, now=batch_now, limit=batch_size,
                                          lease=self.lease, ids=ids)
                if rows and self.rate_limits:
                    rows, wait_ms = self._within_rate_limits(session, rows, batch_now)
            if not rows:
                if wait_ms is not None:  # due rows, but LINE's limit is used up for this moment
                    time.sleep(wait_ms / 1000)
                    continue
                break
            batches += 1
            report.add(self._send_batch(rows, now))
        return report

    def _within_rate_limits(self, session, rows: list, now: datetime) -> tuple[list, int | None]:
        """Reserve LINE's rate budget for claimed rows; give back what does not fit.

        Returns the rows to send now and, when some were given back, the milliseconds until the
        budget's next window (None if that is far off: those rows are then due only from it).
        A chat whose row is given back has its later rows in the batch given back too, so its
        messages keep their order.
        """
        at_ms = self.rate_clock_ms()
        endpoints = [self._endpoint_of(row, now) for row in rows]
        wanted: dict[str, int] = defaultdict(int)
        for endpoint in endpoints:
            wanted[endpoint] += 1
        room = {endpoint: line_rate.reserve(session, endpoint, count, at_ms=at_ms, limit=self.rate_limits[endpoint])
                for endpoint, count in wanted.items() if endpoint in self.rate_limits}
        kept, refused, blocked_chats = [], defaultdict(list), set()
        for row, endpoint in zip(rows, endpoints):
            chat = _chat_of(row)
            if chat not in blocked_chats and room.get(endpoint, 1) > 0:
                if endpoint in room:
                    room[endpoint] -= 1
                kept.append(row)
            else:
                blocked_chats.add(chat)
                refused[endpoint].append(row.id)
        wait_ms = None
        for endpoint, ids in refused.items():
            limit = self.rate_limits.get(endpoint)
            wait = limit.wait_ms(at_ms) if limit else None  # None: only held back behind its chat
            if wait is not None and wait > 1000:
                outbox.release(session, self.worker, ids, not_before=now + timedelta(milliseconds=wait))
                continue
            outbox.release(session, self.worker, ids)
            if wait is not None:
                wait_ms = wait if wait_ms is None else min(wait_ms, wait)
        return kept, wait_ms

    @staticmethod
    def _endpoint_of(row, now: datetime) -> str:
        """The LINE endpoint this row will be sent to (a reply whose token is stale goes as a push)."""
        if row.kind == Kind.REPLY:
            return Kind.REPLY if _token_fresh(row, now) else Kind.PUSH
        return row.kind

    def _send_batch(self, rows: list[OutboxMessage], now: datetime | None) -> DeliveryReport:
        # Rows for the same chat go one after another, in the order they were written, so a
        # reply and its follow-ups arrive in order; different chats go in parallel.
        by_target: dict[str, list[OutboxMessage]] = defaultdict(list)
        for row in rows:
            by_target[_chat_of(row)].append(row)
        pool = self._executor()
        futures = [pool.submit(self._send_in_order, group, now) for group in by_target.values()]
        decisions: list[Decision] = []
        errors: list[str] = []
        for future in futures:
            done, failed = future.result()
            decisions += done
            errors += failed
        # Every outcome of the batch in one transaction: one write-lock turn instead of one per
        # message. If the process dies before this commit, the rows come back when their lease
        # runs out and are re-sent with the same retry key (LINE answers 409: not sent twice).
        report = self._record(decisions)
        report.errors += errors
        return report

    def _send_in_order(self, rows: list[OutboxMessage], now: datetime | None) -> tuple[list["Decision"], list[str]]:
        decisions, errors = [], []
        for row in rows:
            try:
                decisions.append(self.deliver(row, now or self.clock()))
            except Exception as exc:  # a bug must not stop the other rows; the lease brings it back
                log.exception("delivering outbox row %s failed", row.id)
                errors.append(f"{row.id}: {exc!r}")
        return decisions, errors

    # -- one row -------------------------------------------------------------------------------

    def deliver(self, row: OutboxMessage, now: datetime) -> "Decision":
        """Send one claimed row and decide what becomes of it (recorded by the caller)."""
        if row.kind == Kind.REPLY:
            return self._deliver_reply(row, now)
        return self._deliver_push(row, now)

    def _deliver_reply(self, row: OutboxMessage, now: datetime) -> "Decision":
        fresh = _token_fresh(row, now)
        earlier_attempt = row.maybe_delivered
        if not fresh:
            if earlier_attempt:
                return Decision.final(row, Status.UNCERTAIN, now, None,
                                      "reply outcome unknown and its token is too old to retry; "
                                      "not re-sent as a push, which could duplicate it")
            # Never tried (or certainly not delivered): the token is too old, so push instead.
            return self._deliver_push(row, now, converted=True)
        outcome = self.line.reply(row.reply_token, row.messages)
        if outcome.result == Result.OK:
            return Decision.sent(row, now, Kind.REPLY, outcome)
        if outcome.result == Result.TOKEN_REJECTED:
            if earlier_attempt:
                # A fresh token is refused only once used, and only we hold it: the earlier
                # attempt (which timed out on our side) did arrive.
                return Decision.sent(row, now, Kind.REPLY, outcome, note="delivered by an earlier attempt")
            return self._deliver_push(row, now, converted=True)
        if outcome.result == Result.RETRY:
            return Decision.retry(row, now, outcome, maybe_delivered=earlier_attempt or outcome.maybe_delivered)
        return Decision.final(row, Status.DEAD, now, outcome.status, outcome.error)

    def _deliver_push(self, row: OutboxMessage, now: datetime, converted: bool = False) -> "Decision":
        if now - row.created_at > outbox.GIVE_UP_AFTER:
            # The retry key stops protecting us after 24 hours: a retry then could duplicate.
            return Decision.final(row, Status.DEAD, now, row.last_status,
                                  f"gave up after {row.attempts} attempts over 23 hours: {row.last_error or ''}")
        if row.kind == Kind.MULTICAST:
            outcome = self.line.multicast(row.recipients or [], row.messages, row.retry_key)
        elif row.kind == Kind.BROADCAST:
            outcome = self.line.broadcast(row.messages, row.retry_key)
        else:
            outcome = self.line.push(row.to, row.messages, row.retry_key)
        sent_as = Kind.PUSH if converted else row.kind
        if outcome.result == Result.OK:
            return Decision.sent(row, now, sent_as, outcome, became_push=converted)
        if outcome.result == Result.RETRY:
            return Decision.retry(row, now, outcome, become_push=converted)
        return Decision.final(row, Status.DEAD, now, outcome.status, outcome.error, became_push=converted)

    # -- recording -----------------------------------------------------------------------------

    def _record(self, decisions: list["Decision"]) -> DeliveryReport:
        report = DeliveryReport()
        if not decisions:
            return report
        with self.db.transaction() as session:
            matched = outbox.record_outcomes(session, self.worker, [d.columns() for d in decisions])
            outbox.record_sent_messages(session, [(d.row_id, list(d.sent_message_ids)) for d in decisions
                                                  if d.kind == "sent" and d.sent_message_ids], now=decisions[0].now)
        report.lost_claims = len(decisions) - matched
        for decision in decisions:
            report.sent += decision.kind == "sent"
            report.retried += decision.kind == "retry"
            report.dead += decision.kind == "final" and decision.final_status == Status.DEAD
            report.uncertain += decision.kind == "final" and decision.final_status == Status.UNCERTAIN
            if decision.kind == "final":
                log.warning("outbox row %s is %s: %s", decision.row_id, decision.final_status, decision.error)
        return report


@dataclass
class Decision:
    """What becomes of a row after one attempt; applied with the rest of its batch."""

    kind: str  # sent | retry | final
    row_id: int
    now: datetime
    status: int | None = None
    error: str = ""
    sent_as: str | None = None
    request_id: str | None = None
    attempts: int = 0
    maybe_delivered: bool = False
    became_push: bool = False
    final_status: str | None = None
    sent_message_ids: tuple[str, ...] = ()

    @classmethod
    def sent(cls, row, now, sent_as, outcome: Outcome, note=None, became_push=False) -> "Decision":
        return cls("sent", row.id, now, outcome.status, note or outcome.error or "", sent_as=sent_as,
                   request_id=outcome.request_id, became_push=became_push, sent_message_ids=outcome.sent_message_ids)

    @classmethod
    def retry(cls, row, now, outcome: Outcome, *, maybe_delivered=False, become_push=False) -> "Decision":
        return cls("retry", row.id, now, outcome.status, outcome.error, attempts=row.attempts,
                   maybe_delivered=maybe_delivered, became_push=become_push)

    @classmethod
    def final(cls, row, final_status, now, status, error, became_push=False) -> "Decision":
        return cls("final", row.id, now, status, error, final_status=final_status, became_push=became_push)

    def columns(self) -> dict:
        """The outbox columns this decision sets (see models.outbox.record_outcomes)."""
        values: dict = {"id": self.row_id, "last_status": self.status, "lease_until": None}
        if self.kind == "sent":
            values.update(status=Status.SENT, sent_at=self.now, sent_as=self.sent_as, line_request_id=self.request_id,
                          last_error=self.error[:4000] or None)
        elif self.kind == "retry":
            values.update(status=Status.PENDING, claimed_by=None, last_error=self.error[:4000],
                          next_attempt_at=self.now + timedelta(seconds=outbox.backoff_seconds(self.attempts)))
            if self.maybe_delivered:
                values["maybe_delivered"] = True
        else:
            values.update(status=self.final_status, last_error=self.error[:4000], finished_at=self.now)
        if self.became_push:
            values.update(kind=Kind.PUSH, reply_token=None, reply_deadline=None, cost=1)
        return values


class DeliveryThread:
    """Runs the sender in the background of a web worker, woken after each webhook commits.

    The webhook never waits for LINE: it commits the outbox rows, pokes this thread and answers.
    Started lazily in the process that uses it, because gunicorn forks workers after import.
    """

    def __init__(self, sender: Sender):
        self.sender = sender
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stopping = False

    def poke(self) -> None:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="meetbot-delivery", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(timeout=5.0)
            self._wake.clear()
            if self._stopping:
                break
            try:
                self.sender.deliver_due()
            except Exception:
                log.exception("background delivery pass failed; the clock will retry")

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
