"""LINE's rate limits, one budget shared by every process that sends.

LINE allows a channel about 2,000 requests a second on the reply and on the push endpoint, 200 on
multicast and 60 an hour on broadcast, each counted on its own; past that it answers 429 ("Rate
limits" in the Messaging API reference). Several processes send at once (the web's delivery
thread, the clock, any `meetbot send` workers) and a fast LINE answers in a few milliseconds, so
neither "few threads" nor a per-process limit keeps the channel under it. The budget therefore
lives in the database: time is cut into short windows, and a sender reserves requests from the
current window in the same transaction that claims its rows (see `bot.delivery`).

A 100 ms window allows 170 pushes (or replies, or 16 multicasts). Any one second of sending
overlaps at most 11 windows, so even full windows back to back stay under LINE's limit with a
margin (11 × 170 = 1,870 < 2,000; 11 × 16 = 176 < 200). Sends follow their claim by a few
milliseconds, which is why the margin is needed: `benchmarks/reminders.py` saw 1,972 pushes in
one second at the fake with 180 a window and 400 calls in flight.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, String, case, literal, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, insert_for


@dataclass(frozen=True)
class RateLimit:
    requests: int   # at most this many requests ...
    window_ms: int  # ... in each window of this many milliseconds

    def window_of(self, at_ms: int) -> int:
        return at_ms - at_ms % self.window_ms

    def wait_ms(self, at_ms: int) -> int:
        """Milliseconds from `at_ms` until the next window opens."""
        return self.window_ms - at_ms % self.window_ms


# Per endpoint, as the outbox's kinds name them. Broadcast is 60 an hour at LINE: one per 72 s
# window keeps any hour at 51 or fewer.
LINE_RATE_LIMITS: dict[str, RateLimit] = {
    "reply": RateLimit(170, 100),
    "push": RateLimit(170, 100),
    "multicast": RateLimit(16, 100),
    "broadcast": RateLimit(1, 72_000),
}


class RateWindow(Base):
    """The requests reserved so far in the current window of one endpoint."""

    __tablename__ = "line_rate_windows"

    endpoint: Mapped[str] = mapped_column(String(20), primary_key=True)
    window_start_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    used: Mapped[int] = mapped_column(default=0)
    granted: Mapped[int] = mapped_column(default=0)  # the last reservation's grant (see reserve)


def _smaller(a, b):
    return case((a < b, a), else_=b)


def reserve(session: Session, endpoint: str, wanted: int, *, at_ms: int, limit: RateLimit) -> int:
    """Reserve up to `wanted` requests to `endpoint` in the window holding `at_ms`; returns how
    many were granted (0 when the window is full).

    One UPDATE … RETURNING: the right-hand sides all read the row as it was, so `granted` is what
    was left in this window (or a fresh window's whole allowance) capped at `wanted`. The row lock
    it takes makes two senders' reservations queue for a moment instead of both being granted.
    """
    if wanted <= 0:
        return 0
    table = RateWindow.__table__
    window = limit.window_of(at_ms)
    same_window = table.c.window_start_ms == window
    left = case((same_window, literal(limit.requests) - table.c.used), else_=literal(limit.requests))
    grant = _smaller(literal(wanted), left)
    statement = (update(table).where(table.c.endpoint == endpoint)
                 .values(granted=grant,
                         used=case((same_window, table.c.used + grant), else_=grant),
                         window_start_ms=window)
                 .returning(table.c.granted))
    granted = session.execute(statement).scalar_one_or_none()
    if granted is None:  # the endpoint's first request ever: make its row, then reserve again
        session.execute(insert_for(session, table).values(endpoint=endpoint, window_start_ms=0, used=0, granted=0)
                        .on_conflict_do_nothing(index_elements=["endpoint"]))
        granted = session.execute(statement).scalar_one()
    return max(0, granted)
