"""Inbound webhook events: recorded first, handled once.

LINE delivers the same event more than once (redelivery, and duplicates even with redelivery off:
LINE Messaging API docs, "Receive webhooks / Duplicate webhook events"). The unique
`webhook_event_id` makes the database the judge: the insert that wins handles the event, every
other copy is a no-op. Recording and handling are separate commits so that an event whose
handling crashed the process is still on disk and is handled by the clock later.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Index, LargeBinary, String, Text, and_, exists, or_, select, text, update
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from models.base import Base, BigId, insert_for, utcnow
from models.line_limits import is_user_id

# A reply token is good for about a minute (LINE docs, "Reply token"); we stop trusting it
# earlier so that a reply still in flight does not arrive with a dead token.
REPLY_TOKEN_FRESH_FOR = timedelta(seconds=50)


class EventStatus:
    PENDING = "pending"
    HANDLED = "handled"
    FAILED = "failed"


class InboundEvent(Base):
    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20), default="active")
    source_type: Mapped[str | None] = mapped_column(String(10))
    chat_id: Mapped[str | None] = mapped_column(String(64))  # userId, groupId or roomId
    user_id: Mapped[str | None] = mapped_column(String(64))
    reply_token: Mapped[str | None] = mapped_column(String(255))
    is_redelivery: Mapped[bool] = mapped_column(default=False)
    occurred_at: Mapped[datetime]  # the event's own `timestamp`
    received_at: Mapped[datetime]
    payload: Mapped[dict]
    status: Mapped[str] = mapped_column(String(10), default=EventStatus.PENDING)
    handled_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Handling attempts that hit a transient database error (connection lost, lock timeout, ...);
    # the event stays pending and is tried again from next_attempt_at (None: at once).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_inbound_events_status_received", "status", "received_at"),
        # The few events waiting for a retry, by chat: later events of that chat wait behind them.
        Index("ix_inbound_events_waiting_retry", "chat_id", "occurred_at",
              postgresql_where=text("status = 'pending' AND next_attempt_at IS NOT NULL"),
              sqlite_where=text("status = 'pending' AND next_attempt_at IS NOT NULL")),
    )

    @property
    def reply_deadline(self) -> datetime:
        # Both clocks matter: LINE's (occurred_at) for redelivered events that are minutes old,
        # ours (received_at) when LINE's clock runs ahead of ours.
        return min(self.occurred_at, self.received_at) + REPLY_TOKEN_FRESH_FOR


class RejectedBody(Base):
    """A validly signed request body we could not parse, kept for inspection."""

    __tablename__ = "rejected_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime]
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # as received, whatever the bytes (an excerpt)
    error: Mapped[str] = mapped_column(Text)
    # SHA-256 of the whole of what was rejected: a copy LINE delivers twice is kept once.
    digest: Mapped[str | None] = mapped_column(String(64), unique=True)


def _insert_ignoring_duplicates(session: Session):
    return insert_for(session, InboundEvent).on_conflict_do_nothing(index_elements=["webhook_event_id"])


def record_events(session: Session, events: list[dict[str, Any]], *, received_at: datetime) -> list[int]:
    """Insert each event unless a copy is already recorded; return the ids of the new rows.

    Insert-first (ON CONFLICT DO NOTHING ... RETURNING), never check-then-insert: twenty
    concurrent copies of one event produce exactly one row and one id.
    """
    new_ids: list[int] = []
    for event in sorted(events, key=lambda e: e.get("timestamp") or 0):
        event = without_nul(event)
        source_type, chat_id, user_id = _chat_and_person(event.get("source"))
        context = event.get("deliveryContext")
        row = {
            "webhook_event_id": event["webhookEventId"],
            "event_type": str(event.get("type") or "unknown")[:40],
            "mode": _text(event.get("mode"), 20) or "active",
            "source_type": source_type,
            "chat_id": chat_id,
            "user_id": user_id,
            "reply_token": _text(event.get("replyToken"), 255),
            "is_redelivery": isinstance(context, dict) and context.get("isRedelivery") is True,
            "occurred_at": datetime.fromtimestamp((event.get("timestamp") or 0) / 1000, timezone.utc),
            "received_at": received_at,
            "payload": event,
            "status": EventStatus.PENDING,
        }
        stmt = _insert_ignoring_duplicates(session).values(**row).returning(InboundEvent.id)
        inserted = session.execute(stmt).scalar_one_or_none()
        if inserted is not None:
            new_ids.append(inserted)
    return new_ids


def _text(value: Any, limit: int) -> str | None:
    """A string field as LINE sends it, or None for anything else (a number where a string belongs)."""
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def _chat_and_person(source: Any) -> tuple[str | None, str | None, str | None]:
    """(source type, chat id, user id) from a source the door has checked (bot/inbound.py).

    Only the kinds of chat we know name a chat and a person; a kind LINE adds later names neither.
    """
    if not isinstance(source, dict) or source.get("type") not in ("user", "group", "room"):
        return (None, None, None)
    kind = source["type"]
    user_id = source.get("userId") if is_user_id(source.get("userId")) else None
    chat_id = {"user": user_id, "group": source.get("groupId"), "room": source.get("roomId")}[kind]
    return (kind, chat_id, user_id)


def claim_event(session: Session, event_id: int, *, now: datetime | None = None) -> InboundEvent | None:
    """Take a pending event for handling inside the caller's transaction (None if already taken).

    The conditional UPDATE is the lock: the webhook thread and the clock's catch-up job may both
    try, exactly one succeeds. On PostgreSQL the row is picked with FOR UPDATE SKIP LOCKED, so
    the clock never waits behind a web request that is handling the same event: it moves on.
    """
    now = now or utcnow()
    earlier = aliased(InboundEvent)
    # A chat's events take effect in order: while an earlier event of the same chat waits for its
    # retry ("ไป 4" hit a lost connection), a later one ("ไม่ไป") waits too, and is handled after it.
    waiting_before = exists().where(
        earlier.chat_id == InboundEvent.chat_id, earlier.status == EventStatus.PENDING,
        earlier.next_attempt_at.is_not(None), earlier.id != InboundEvent.id,
        or_(earlier.occurred_at < InboundEvent.occurred_at,
            and_(earlier.occurred_at == InboundEvent.occurred_at, earlier.id < InboundEvent.id)))
    due = select(InboundEvent.id).where(
        InboundEvent.id == event_id, InboundEvent.status == EventStatus.PENDING,
        or_(InboundEvent.next_attempt_at.is_(None), InboundEvent.next_attempt_at <= now),
        ~waiting_before)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return session.scalars(
        update(InboundEvent)
        .where(InboundEvent.id.in_(due.scalar_subquery()))
        .values(status=EventStatus.HANDLED, handled_at=now)
        .returning(InboundEvent)
        .execution_options(populate_existing=True)
    ).one_or_none()


def mark_event_failed(session: Session, event_id: int, error: str, *, now: datetime | None = None) -> None:
    session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == event_id, InboundEvent.status == EventStatus.PENDING)
        .values(status=EventStatus.FAILED, handled_at=now or utcnow(), error=_storable(error[:4000]))
    )


def retry_event_later(session: Session, event_id: int, error: str, *, now: datetime, max_attempts: int) -> int:
    """Leave the event pending and due again after a backoff; returns its attempts so far.

    After `max_attempts` it is marked failed (kept for inspection): a database that has been
    failing for hours is an outage someone must look at, not something to retry forever.
    """
    from models.outbox import backoff_seconds

    attempts = (session.scalar(select(InboundEvent.attempts).where(InboundEvent.id == event_id)) or 0) + 1
    values: dict[str, Any] = {"attempts": attempts, "error": error[:4000]}
    if attempts >= max_attempts:
        values.update(status=EventStatus.FAILED, handled_at=now)
    else:
        values["next_attempt_at"] = now + timedelta(seconds=backoff_seconds(attempts))
    session.execute(update(InboundEvent)
                    .where(InboundEvent.id == event_id, InboundEvent.status == EventStatus.PENDING).values(values))
    return attempts


def pending_event_ids(session: Session, *, received_before: datetime, now: datetime | None = None,
                      limit: int = 100) -> list[int]:
    """Events recorded but not handled (the process died in between, or a transient database
    error put them back for a retry whose time has come), oldest first."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(InboundEvent.id)
            .where(InboundEvent.status == EventStatus.PENDING,
                   or_(and_(InboundEvent.next_attempt_at.is_(None), InboundEvent.received_at < received_before),
                       InboundEvent.next_attempt_at <= now))
            .order_by(InboundEvent.occurred_at, InboundEvent.id)
            .limit(limit)
        )
    )


# What is kept of a rejected body or event: enough to see what it was, never the whole of a flood.
REJECTED_EXCERPT_BYTES = 16 * 1024


def keep_rejected_body(session: Session, raw: bytes, error: str, *, now: datetime | None = None) -> None:
    """Keep the first REJECTED_EXCERPT_BYTES of what could not be understood, with why and its size."""
    if len(raw) > REJECTED_EXCERPT_BYTES:
        error = f"{error} ({len(raw)} bytes; the first {REJECTED_EXCERPT_BYTES} kept)"
    session.execute(insert_for(session, RejectedBody)
                    .values(received_at=now or utcnow(), raw=raw[:REJECTED_EXCERPT_BYTES],
                            error=_storable(error[:4000]), digest=hashlib.sha256(raw).hexdigest())
                    .on_conflict_do_nothing(index_elements=["digest"]))


def _storable(text: str) -> str:
    """An error message quotes what it failed on: no NUL or lone surrogate may reach PostgreSQL."""
    return text.replace("\x00", "\ufffd").encode("utf-8", errors="replace").decode("utf-8")


def without_nul(value: Any) -> Any:
    """PostgreSQL text and JSONB cannot hold U+0000; LINE text can. Replace it before storing."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value
