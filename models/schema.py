"""Schema migrations (Alembic) run from code, so `meetbot db upgrade` needs no alembic.ini."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import migrations

from models.db import Database

MIGRATIONS_DIR = Path(migrations.__file__).parent


class SchemaOutOfDate(RuntimeError):
    pass


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # `%` would be read as interpolation by ConfigParser (passwords in URLs).
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db.url)
    with db.engine.begin() as connection:
        if not db.is_sqlite:
            # A migration may rewrite a big table: the bot's 30-second statement limit is not for it.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@functools.cache  # the migration scripts do not change while the process runs (/healthz asks often)
def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def schema_state(db: Database) -> dict:
    with db.read_engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = head_revision()
    return {"revision": current, "head": head, "current": current == head}


def require_current(db: Database) -> None:
    state = schema_state(db)
    if not state["current"]:
        raise SchemaOutOfDate(
            f"the database schema is {'empty' if state['revision'] is None else 'at ' + state['revision']}, "
            f"the code needs {state['head']}: run `meetbot db upgrade`"
        )
