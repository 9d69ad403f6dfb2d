"""Engines, sessions and transactions for SQLite and PostgreSQL.

Every write happens in `db.transaction()`. On SQLite that transaction starts with
`BEGIN IMMEDIATE`, so a writer takes the write lock when it begins instead of upgrading a read
lock half-way (the upgrade is what produces "database is locked" between processes; with the lock
taken up front the busy timeout simply queues writers). Reads use `db.reading()`, a deferred
transaction, so WAL readers never wait on writers.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.is_postgresql = url.startswith("postgresql")
        if self.is_sqlite:
            if url in ("sqlite://", "sqlite:///:memory:"):
                raise ValueError("meetbot needs a SQLite file (several processes share it), not :memory:")
            self.engine = self._sqlite_engine(url, "IMMEDIATE", echo)
            self.read_engine = self._sqlite_engine(url, "DEFERRED", echo)
            # Threads of one process queue here for SQLite's single write lock instead of inside
            # SQLite's busy handler, which sleeps and retries and, under load, gives seconds-long
            # tails (measured in benchmarks/: write-lock wait p99 1.8 s without it).
            self._write_lock = threading.RLock()
        else:
            # No pre-ping: it costs a round trip on every checkout (3 per webhook event, measured).
            # Connections are recycled instead, and a connection found dead is dropped with its
            # pool by SQLAlchemy, so the next transaction reconnects.
            self.engine = create_engine(
                url, echo=echo, pool_pre_ping=False, pool_recycle=300, pool_size=pool_size,
                max_overflow=pool_size * 2
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
    def transaction(self) -> Iterator[Session]:
        """A read-write unit of work: commits on success, rolls back on any exception."""
        with self._write_lock or nullcontext(), self._write_sessions() as session, session.begin():
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
