"""Reading the test database back: short helpers the tests share."""

from __future__ import annotations

from sqlalchemy import func, select

from models.base import Base


def one(db, model, *where):
    with db.reading() as session:
        return session.scalars(select(model).where(*where)).one()


def count(db, model, *where) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def all_of(db, model):
    with db.reading() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def row_counts(db) -> dict[str, int]:
    """Rows in every table of the schema, by table name."""
    with db.reading() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
