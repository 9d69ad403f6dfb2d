"""The LINE account's monthly message quota, as last read from LINE, and what is already promised.

LINE counts every pushed message per recipient (a push to a group counts each member; replies
are free) against a small monthly limit. The webhook never calls LINE, so handlers read the
snapshot the clock refreshes every few minutes and add what the outbox has queued since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base
from models.outbox import OutboxMessage, Status

REFRESH_EVERY = timedelta(minutes=5)
# A group whose member count LINE has not told us yet is assumed this big: over-estimating the
# cost holds a reminder for a person to look at; under-estimating could spend the month's quota.
UNKNOWN_GROUP_SIZE = 20


class QuotaSnapshot(Base):
    __tablename__ = "quota_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    limit: Mapped[int | None]  # None: the plan has no limit
    used: Mapped[int]
    checked_at: Mapped[datetime]


@dataclass(frozen=True)
class QuotaView:
    limit: int | None
    used: int
    promised: int  # queued but not yet sent, or sent after the snapshot was read
    checked_at: datetime | None

    @property
    def known(self) -> bool:
        return self.checked_at is not None

    @property
    def left(self) -> int | None:
        if self.limit is None:
            return None
        return max(0, self.limit - self.used - self.promised)

    def allows(self, cost: int) -> bool:
        return self.left is None or cost <= self.left


def record(session: Session, *, limit: int | None, used: int, now: datetime) -> None:
    snapshot = session.get(QuotaSnapshot, 1)
    if snapshot is None:
        session.add(QuotaSnapshot(id=1, limit=limit, used=used, checked_at=now))
    else:
        snapshot.limit, snapshot.used, snapshot.checked_at = limit, used, now


def needs_refresh(session: Session, now: datetime) -> bool:
    snapshot = session.get(QuotaSnapshot, 1)
    return snapshot is None or snapshot.checked_at < now - REFRESH_EVERY


def view(session: Session) -> QuotaView:
    snapshot = session.get(QuotaSnapshot, 1)
    waiting = session.scalar(select(func.coalesce(func.sum(OutboxMessage.cost), 0)).where(
        OutboxMessage.status.in_([Status.PENDING, Status.SENDING]))) or 0
    sent_since = 0
    if snapshot is not None:
        sent_since = session.scalar(select(func.coalesce(func.sum(OutboxMessage.cost), 0)).where(
            OutboxMessage.status == Status.SENT, OutboxMessage.sent_at > snapshot.checked_at)) or 0
    return QuotaView(limit=snapshot.limit if snapshot else None, used=snapshot.used if snapshot else 0,
                     promised=int(waiting) + int(sent_since), checked_at=snapshot.checked_at if snapshot else None)


def chat_cost(member_count: int | None) -> int:
    return member_count or UNKNOWN_GROUP_SIZE
