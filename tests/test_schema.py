"""The models and the migrations describe the same schema, on SQLite and on PostgreSQL.

A column added to a model without a migration (or the reverse) would work in tests that build
tables from the models and fail in production, which builds them from the migrations.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

import importlib
import pkgutil

import models
from models.base import Base
from models.schema import head_revision


def _all_tables():
    """Every model module imported, so every table is on Base.metadata (not only those some test loaded)."""
    for module in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"models.{module.name}")
    return Base.metadata


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert context.get_current_revision() == head_revision()
            return compare_metadata(context, _all_tables())
    finally:
        engine.dispose()


def test_the_migrated_database_matches_the_models(database_url):
    assert len(_all_tables().tables) >= 12
    differences = _differences(database_url)
    assert differences == [], f"models and migrations disagree: {differences}"
