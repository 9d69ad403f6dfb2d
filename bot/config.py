"""Configuration from the environment (and a `.env` file in the working directory).

One frozen `Settings` object is built at the door and handed inward; nothing below `bot/` reads
the environment itself, so tests and the CLI can build settings explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite:///meetbot.db"
DEFAULT_LINE_API_BASE_URL = "https://api.line.me"
DEFAULT_LINE_DATA_API_BASE_URL = "https://api-data.line.me"


class MissingSetting(Exception):
    """A command needs a setting that is not configured."""

    def __init__(self, name: str, why: str = ""):
        self.name = name
        super().__init__(f"{name} is not set{': ' + why if why else ''} (see README, Configuration)")


class BadSetting(Exception):
    """A setting is present but unusable."""


@dataclass(frozen=True)
class Settings:
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    line_api_base_url: str = DEFAULT_LINE_API_BASE_URL
    line_data_api_base_url: str = DEFAULT_LINE_DATA_API_BASE_URL
    timezone_name: str = "Asia/Bangkok"
    setup_code: str | None = None
    # Seconds for one LINE call: (connect, read). LINE answers in well under a second normally;
    # the SDK has no default timeout at all, so a hung LINE would hang a sender forever.
    line_timeout: tuple[float, float] = (3.0, 10.0)
    # Parallel LINE calls per sending process. LINE's ~2,000 requests/s per channel is kept by the
    # senders' shared budget (models/line_rate.py), not by this.
    sender_concurrency: int = 64
    # How often the clock ticks (seconds).
    tick_seconds: float = 2.0
    # Base URL people reach this bot at (for calendar feeds and links); optional.
    public_base_url: str | None = None
    # PostgreSQL session limits in milliseconds (models/db.py PostgresTimeouts): a stuck
    # transaction or a wait on another's row lock ends by itself instead of holding a worker.
    pg_statement_timeout_ms: int = 30_000
    pg_lock_timeout_ms: int = 5_000
    pg_idle_in_transaction_timeout_ms: int = 60_000

    def database(self):
        """The database these settings name, with the PostgreSQL limits applied."""
        from models.db import Database, PostgresTimeouts

        return Database(self.database_url, pg_timeouts=PostgresTimeouts(
            statement_ms=self.pg_statement_timeout_ms, lock_ms=self.pg_lock_timeout_ms,
            idle_in_transaction_ms=self.pg_idle_in_transaction_timeout_ms))

    @property
    def timezone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadSetting(f"MEETBOT_TIMEZONE={self.timezone_name!r} is not a known time zone") from exc

    def require(self, *names: str) -> "Settings":
        """Raise MissingSetting for the first of `names` (attribute names) that is empty."""
        for name in names:
            if not getattr(self, name):
                raise MissingSetting(ENV_NAMES[name])
        return self

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, dotenv_path: str | Path | None = ".env") -> "Settings":
        env = dict(os.environ if environ is None else environ)
        if dotenv_path and Path(dotenv_path).is_file():
            from dotenv import dotenv_values

            # The real environment wins over the file, as with every twelve-factor tool.
            for key, value in dotenv_values(dotenv_path).items():
                if value is not None:
                    env.setdefault(key, value)

        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(name)
            return value if value not in (None, "") else default

        timeout = get("LINE_API_TIMEOUT")
        line_timeout = cls.line_timeout
        if timeout:
            try:
                parts = [float(p) for p in timeout.split(",")]
            except ValueError as exc:
                raise BadSetting(f"LINE_API_TIMEOUT={timeout!r} is not seconds like 10 or 3,10") from exc
            line_timeout = (parts[0], parts[-1])

        def number(name: str, default, kind=float):
            raw = get(name)
            if raw is None:
                return default
            try:
                return kind(raw)
            except ValueError as exc:
                raise BadSetting(f"{name}={raw!r} is not a number") from exc

        settings = cls(
            line_channel_secret=get("LINE_CHANNEL_SECRET"),
            line_channel_access_token=get("LINE_CHANNEL_ACCESS_TOKEN"),
            database_url=normalise_database_url(get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            line_api_base_url=get("LINE_API_BASE_URL", DEFAULT_LINE_API_BASE_URL).rstrip("/"),
            line_data_api_base_url=get("LINE_DATA_API_BASE_URL", DEFAULT_LINE_DATA_API_BASE_URL).rstrip("/"),
            timezone_name=get("MEETBOT_TIMEZONE", "Asia/Bangkok"),
            setup_code=get("MEETBOT_SETUP_CODE"),
            line_timeout=line_timeout,
            sender_concurrency=number("MEETBOT_SENDER_CONCURRENCY", 64, int),
            tick_seconds=number("MEETBOT_TICK_SECONDS", 2.0),
            public_base_url=(get("MEETBOT_PUBLIC_URL") or "").rstrip("/") or None,
            pg_statement_timeout_ms=number("MEETBOT_PG_STATEMENT_TIMEOUT_MS", 30_000, int),
            pg_lock_timeout_ms=number("MEETBOT_PG_LOCK_TIMEOUT_MS", 5_000, int),
            pg_idle_in_transaction_timeout_ms=number("MEETBOT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS", 60_000, int),
        )
        settings.timezone  # fail early on a bad zone name
        return settings


ENV_NAMES = {
    "line_channel_secret": "LINE_CHANNEL_SECRET",
    "line_channel_access_token": "LINE_CHANNEL_ACCESS_TOKEN",
    "database_url": "DATABASE_URL",
    "setup_code": "MEETBOT_SETUP_CODE",
}


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` URLs hosts hand out; we speak psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
