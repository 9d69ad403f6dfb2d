"""A named lease in the database: which process is the clock right now.

A second `meetbot clock` started by mistake finds the lease held and waits as a standby; when the
holder stops renewing (it died), the lease runs out and the standby takes over. The lease is for
tidiness, not for correctness: outbox rows are claimed row by row and reminders are queued under
unique keys, so even two clocks acting at once could not send a message twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, insert_for


class Lease(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


def acquire(session: Session, name: str, holder: str, *, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; True if `holder` holds it until now + ttl."""
    renewed = session.execute(
        update(Lease)
        .where(Lease.name == name, (Lease.holder == holder) | (Lease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)
    )
    if renewed.rowcount == 1:
        return True
    created = session.execute(
        insert_for(session, Lease).values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
        .on_conflict_do_nothing(index_elements=["name"]).returning(Lease.name)
    )
    # RETURNING, not rowcount: psycopg reports -1 for a single-row INSERT here.
    return created.scalar_one_or_none() is not None


def release(session: Session, name: str, holder: str) -> None:
    session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


def holder_of(session: Session, name: str, *, now: datetime) -> str | None:
    lease = session.scalar(select(Lease).where(Lease.name == name))
    if lease is None or lease.expires_at < now:
        return None
    return lease.holder
