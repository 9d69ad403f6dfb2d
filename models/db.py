"""Engines, sessions and transactions for SQLite and PostgreSQL.

Every write happens in `db.transaction()`. On SQLite that transaction starts with
`BEGIN IMMEDIATE`, so a writer takes the write lock when it begins instead of upgrading a read
lock half-way (the upgrade is what produces "database is locked" between processes; with the lock
taken up front the busy timeout simply queues writers). Reads use `db.reading()`, a deferred
transaction, so WAL readers never wait on writers.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections import deque
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class PostgresTimeouts:
    """Limits every PostgreSQL session of the bot runs under, so a stuck transaction ends by itself.

    A web request or a clock job that waits on another's row lock gives up after `lock_timeout`
    (its event stays pending and is retried; see handlers.process_event), a transaction left open
    by a hung thread is ended by the server after `idle_in_transaction`, and no statement runs
    longer than `statement`. Milliseconds; 0 turns one off. The largest honest statement (the
    1,000-group summary) takes tens of milliseconds, a claim a few.
    """

    statement_ms: int = 30_000
    lock_ms: int = 5_000
    idle_in_transaction_ms: int = 60_000

    def options(self) -> str:
        return (f"-c statement_timeout={self.statement_ms} -c lock_timeout={self.lock_ms} "
                f"-c idle_in_transaction_session_timeout={self.idle_in_transaction_ms}")


class _SQLiteWriteLock:
    """SQLite's one write lock, taken before the transaction begins, handed out in turn.

    Threads of a process queue first-come first-served (a plain lock lets a thread that releases
    and at once re-takes it - the sender between two batches - starve the others), and a
    `priority` writer goes to the head of the queue: the clock's lease renewal must never wait
    behind a long fan-out, or its lease lapses while it is still sending (issue 10). Processes
    take an flock on a file beside the database; a priority writer first takes a second file
    exclusively, which other processes' writers pass through (shared, at once released) before
    they queue, so they let it go first.
    """

    def __init__(self, url: str):
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque = deque()
        self._owner: int | None = None
        self._depth = 0
        self._path = _sqlite_path(url) + ".writelock"
        self._fds: dict[str, int] = {}
        self._pid: int | None = None

    def _fd(self, suffix: str) -> int:
        if self._pid != os.getpid():  # fresh descriptors after fork
            self._fds, self._pid = {}, os.getpid()
        if suffix not in self._fds:
            self._fds[suffix] = os.open(self._path + suffix, os.O_RDWR | os.O_CREAT, 0o644)
        return self._fds[suffix]

    def waiting(self) -> int:
        """Threads of this process queued for the lock (for tests and diagnostics)."""
        with self._cond:
            return len(self._queue)

    @contextmanager
    def hold(self, *, priority: bool = False):
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:  # nested transaction in the same thread
                self._depth += 1
                reentered = True
            else:
                reentered = False
                ticket = object()
                self._queue.appendleft(ticket) if priority else self._queue.append(ticket)
                while self._owner is not None or self._queue[0] is not ticket:
                    self._cond.wait()
                self._queue.popleft()
                self._owner, self._depth = me, 1
        if not reentered:
            self._lock_file(priority)  # on failure it gives the thread lock back itself
        try:
            yield self
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    fcntl.flock(self._fd(""), fcntl.LOCK_UN)
                    self._owner = None
                    self._cond.notify_all()

    def _lock_file(self, priority: bool) -> None:
        try:
            gate = self._fd(".priority")
            if priority:
                fcntl.flock(gate, fcntl.LOCK_EX)
                try:
                    fcntl.flock(self._fd(""), fcntl.LOCK_EX)
                finally:
                    fcntl.flock(gate, fcntl.LOCK_UN)
            else:
                fcntl.flock(gate, fcntl.LOCK_SH)
                fcntl.flock(gate, fcntl.LOCK_UN)
                fcntl.flock(self._fd(""), fcntl.LOCK_EX)
        except BaseException:
            with self._cond:
                self._owner, self._depth = None, 0
                self._cond.notify_all()
            raise


def _sqlite_path(url: str) -> str:
    from sqlalchemy.engine import make_url

    return os.path.abspath(make_url(url).database or "meetbot.db")


class Database:
    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10,
                 pg_timeouts: PostgresTimeouts | None = None):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            if url in ("sqlite://", "sqlite:///:memory:"):
                raise ValueError("meetbot needs a SQLite file (several processes share it), not :memory:")
            self.engine = self._sqlite_engine(url, "IMMEDIATE", echo)
            self.read_engine = self._sqlite_engine(url, "DEFERRED", echo)
            # Writers queue for SQLite's single write lock here rather than in SQLite's busy
            # handler, which polls with sleeps of up to 100 ms and, under load, gave tails of one
            # to two seconds (benchmarks/webhook.py). Threads of a process take a lock; processes
            # (web workers, the clock) take an flock on a file beside the database, which the
            # kernel hands to the next waiter the moment it is released.
            self._write_lock = _SQLiteWriteLock(url)
        else:
            # No pre-ping: it costs a round trip on every checkout (3 per webhook event, measured).
            # Connections are recycled instead, and a connection found dead is dropped with its
            # pool by SQLAlchemy, so the next transaction reconnects.
            self.pg_timeouts = pg_timeouts or PostgresTimeouts()
            self.engine = create_engine(
                url, echo=echo, pool_pre_ping=False, pool_recycle=300, pool_size=pool_size,
                max_overflow=pool_size * 2, connect_args={"options": self.pg_timeouts.options()},
            )
            self.read_engine = self.engine
            self._write_lock = None
        # Small per-database caches of facts that never change once true (a chat is known, ...).
        self.memo: dict = {}
        self._write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @staticmethod
    def _sqlite_engine(url: str, begin: str, echo: bool) -> Engine:
        engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        # The pysqlite driver's own transaction handling emits a plain BEGIN lazily; turn it off
        # and emit ours (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql(f"BEGIN {begin}")

        return engine

    @contextmanager
    def transaction(self, *, priority: bool = False) -> Iterator[Session]:
        """A read-write unit of work: commits on success, rolls back on any exception.

        `priority` (SQLite): go ahead of every writer waiting for the write lock; for short
        transactions that must not wait behind bulk work (the clock's lease)."""
        lock = self._write_lock.hold(priority=priority) if self._write_lock else nullcontext()
        with lock, self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (never takes SQLite's write lock)."""
        with self._read_sessions() as session:
            yield session  # closing the session rolls the read transaction back

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
