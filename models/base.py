"""Declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A datetime that is always timezone-aware UTC in Python.

    PostgreSQL stores `timestamptz`; SQLite has no time zones, so we store naive UTC there and put
    the zone back on the way out. Naive datetimes are refused: they are the classic source of
    seven-hour errors in Bangkok.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# 64-bit ids on PostgreSQL; SQLite needs exactly INTEGER for an auto-incrementing rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# The largest id either database can hold (BIGINT; SQLite's INTEGER is the same 64 bits): a number
# typed or tapped past it names nothing, and must not reach a query, where it would overflow.
MAX_ID = 2**63 - 1

# JSON on SQLite, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, dict: JSONType, list: JSONType}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def insert_for(session: Session, entity):
    """An INSERT in the session's dialect, so that it can take `.on_conflict_do_nothing(...)`:
    PostgreSQL and SQLite share that syntax, and insert-then-ignore is how concurrent writers here
    agree on a row (events, answers, check-ins, reminder runs, leases)."""
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(entity)
