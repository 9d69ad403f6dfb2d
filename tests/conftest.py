"""Fixtures: a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set), the fake
LINE platform on 127.0.0.1, the Flask app, and a `line` helper that sends signed webhooks.

The suite refuses the network: any connection outside the loopback range fails the test.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from bot.app import build_services, create_app
from bot.config import Settings
from bot.fakeline import FakeLine
from models.base import Base
from models.db import Database
from models.schema import upgrade
from tests.linechat import LineChat

# Hypothesis (tests/test_fuzz_webhook.py): "quick" in every run (a few seconds, the same examples
# each time, so CI is repeatable); "deep" on demand (MEETBOT_FUZZ=deep, or `--hypothesis-profile=deep`):
# 10,000 bodies, or MEETBOT_FUZZ_EXAMPLES.
settings.register_profile("quick", max_examples=15, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("deep", max_examples=int(os.environ.get("MEETBOT_FUZZ_EXAMPLES", "10000")), deadline=None,
                          database=None, print_blob=True)
settings.load_profile("deep" if os.environ.get("MEETBOT_FUZZ") == "deep" else "quick")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEST_SECRET = "test-channel-secret"
TEST_TOKEN = "test-access-token"


# -- no network beyond loopback ------------------------------------------------------------------

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _refuse_network():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


# -- databases ---------------------------------------------------------------------------------


def _admin_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _database_template(tmp_path_factory):
    """Migrate once per session; each test then gets a fresh copy (SQLite) or empty tables (PostgreSQL)."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        from bot.config import normalise_database_url

        pg_url = normalise_database_url(pg_url)
        name = f"meetbot_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = _admin_url(pg_url, name)
        database = Database(url)
        upgrade(database)
        database.dispose()
        yield ("postgresql", url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        database = Database(f"sqlite:///{path}")
        upgrade(database)
        database.dispose()
        yield ("sqlite", path)


@pytest.fixture
def database_url(_database_template, tmp_path) -> str:
    kind, where = _database_template
    if kind == "sqlite":
        target = tmp_path / "meetbot.db"
        with sqlite3.connect(where) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"
    engine = create_engine(where)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return where


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.dispose()


# -- the fake LINE platform --------------------------------------------------------------------


@pytest.fixture(scope="session")
def _fake_line_server():
    fake = FakeLine()  # validates against bot/fakeline/messaging-api.yml, which ships in the package
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_line(_fake_line_server, request):
    _fake_line_server.reset()
    _fake_line_server.clear_directory()
    _fake_line_server.set_quota(None)
    _fake_line_server.latency(0)
    _fake_line_server.set_rate_limits(None)
    yield _fake_line_server
    # Refused reply tokens are LINE's runtime answer, not a malformed request.
    invalid = [r for r in _fake_line_server.invalid_requests() if not all("replyToken" in e for e in r.errors)]
    _fake_line_server.reset()
    # Every request the bot made in any test must be one LINE would accept (unless the test
    # sends a refused one on purpose, to see how the bot copes).
    if request.node.get_closest_marker("sends_refused_requests"):
        return
    assert not invalid, f"the bot sent requests LINE would refuse: {[(r.path, r.errors) for r in invalid]}"


# -- the app -----------------------------------------------------------------------------------


@pytest.fixture
def settings(database_url, fake_line) -> Settings:
    return Settings(
        line_channel_secret=TEST_SECRET,
        line_channel_access_token=TEST_TOKEN,
        database_url=database_url,
        line_api_base_url=fake_line.url,
        line_data_api_base_url=fake_line.url,
        setup_code="ตั้งค่า-1234",
        line_timeout=(2.0, 3.0),
        sender_concurrency=8,
    )


@pytest.fixture
def services(settings, db):
    services = build_services(settings, background_delivery=False, db=db)
    yield services
    services.sender.close()
    services.line.close()


@pytest.fixture
def context(db, services):
    """What the clock's jobs are given, over this test's services (as `meetbot clock` builds it)."""
    from scheduler.jobs import ClockContext

    return ClockContext(db=db, sender=services.sender, bot_settings=services.bot_settings)


@pytest.fixture
def app(settings, services):
    return create_app(settings, services=services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def line(client, services, fake_line) -> LineChat:
    return LineChat(client=client, services=services, fake=fake_line, secret=TEST_SECRET)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the developer's LINE, meetbot or database settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "MEETBOT_", "DATABASE_URL"))}
    env.update(extra)
    return env


@pytest.fixture
def meetbot(database_url, tmp_path, monkeypatch):
    """Run `meetbot …` in-process against the test database, in an empty folder (no stray .env)."""
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith(("LINE_", "MEETBOT_"))}
    env["DATABASE_URL"] = database_url
    runner = CliRunner(env=env)
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def cli_env(settings) -> dict[str, str]:
    """Environment for running `meetbot` in a subprocess against this test's database and fake."""
    env = clean_env()
    env.update({
        "LINE_CHANNEL_SECRET": settings.line_channel_secret,
        "LINE_CHANNEL_ACCESS_TOKEN": settings.line_channel_access_token,
        "DATABASE_URL": settings.database_url,
        "LINE_API_BASE_URL": settings.line_api_base_url,
        "LINE_DATA_API_BASE_URL": settings.line_data_api_base_url,
        "LINE_API_TIMEOUT": "2,3",
    })
    return env
