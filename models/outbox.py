"""The outbox: every message the bot sends is first a row here.

Rows are written in the same transaction as the change that caused them, so a message exists if
and only if its cause was committed. Senders (the web process's delivery thread and the clock)
claim rows with a lease, call LINE, and record the outcome. The rules that keep a message from
being sent twice, all from LINE's docs ("Retry failed API requests", "Reply token"):

- A push/multicast/broadcast carries an X-Line-Retry-Key made when the row is written. Re-sending
  with the same key is safe: LINE answers 409 if it already accepted it, and 409 counts as sent.
- A reply token can be used once. Re-trying a reply with the same token is therefore safe too,
  while the token is fresh: "Invalid reply token" on a *re*-try means our earlier attempt used it.
  What is never safe is turning a reply whose outcome is unknown into a push: that is the one
  path to a duplicate, and it is not taken (the row becomes `uncertain`).
- A retry key is honoured for 24 hours; past that a retry could duplicate, so the row goes dead.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import Index, String, Text, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, BigId, utcnow
from models.line_limits import (
    MAX_MESSAGES_PER_REQUEST,
    MAX_MULTICAST_RECIPIENTS,
    chunks,
    fit_messages,
)


class Status:
    PENDING = "pending"      # waiting to be sent (possibly after a backoff)
    SENDING = "sending"      # claimed by a sender; `lease_until` says until when
    SENT = "sent"
    DEAD = "dead"            # LINE refused it for good; see `last_error`
    UNCERTAIN = "uncertain"  # a reply whose outcome is unknown and which can no longer be retried safely
    HELD = "held"            # kept back (e.g. the monthly quota would run out); a person decides
    CANCELLED = "cancelled"  # no longer wanted (e.g. a reminder for a cancelled meeting)

    FINAL = (SENT, DEAD, UNCERTAIN, CANCELLED)


class Kind:
    REPLY = "reply"
    PUSH = "push"
    MULTICAST = "multicast"
    BROADCAST = "broadcast"


RETRY_KEY_VALID_FOR = timedelta(hours=24)
GIVE_UP_AFTER = RETRY_KEY_VALID_FOR - timedelta(hours=1)  # a margin under the retry key's 24 hours
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
DEFAULT_LEASE = timedelta(seconds=30)


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(20), default="reply")
    # Where it goes: a reply's chat (used as the push fallback), a push's user/group/room.
    to: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list | None]  # multicast user ids (<= 500)
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_deadline: Mapped[datetime | None]
    messages: Mapped[list]  # LINE message objects in wire format (camelCase)
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    # Business-level idempotency: e.g. "reminder:12:day-before:C123" can be queued only once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    event_id: Mapped[int | None] = mapped_column(BigId)
    meeting_id: Mapped[int | None] = mapped_column(BigId)
    cost: Mapped[int] = mapped_column(default=0)  # messages counted against the monthly quota
    status: Mapped[str] = mapped_column(String(10), default=Status.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # A reply attempt may have reached LINE (timeout, 5xx, sender killed mid-call): from then on
    # the row may be retried only as the same reply, never as a push.
    maybe_delivered: Mapped[bool] = mapped_column(default=False)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    sent_at: Mapped[datetime | None]
    sent_as: Mapped[str | None] = mapped_column(String(10))  # how it finally went: reply or push
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    line_request_id: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None]  # when it went dead, uncertain or cancelled
    reported_at: Mapped[datetime | None]  # when coordinators were told it died or was held

    __table_args__ = (Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} to={self.to} {self.status}>"


def new_retry_key() -> str:
    return str(uuid.uuid4())


def enqueue(
    session: Session,
    *,
    to: str,
    messages: list[dict[str, Any]],
    reply_token: str | None = None,
    reply_deadline: datetime | None = None,
    event_id: int | None = None,
    meeting_id: int | None = None,
    purpose: str = "reply",
    dedupe_key: str | None = None,
    cost_per_request: int = 1,
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue messages for one chat: a reply when a reply token is given, else a push.

    Over-long texts are split, and more than five messages become several requests; only the
    first can use the reply token (it is single-use), the rest are pushes.
    """
    now = now or utcnow()
    fitted = fit_messages(messages)
    rows: list[OutboxMessage] = []
    for index, batch in enumerate(chunks(fitted, MAX_MESSAGES_PER_REQUEST)):
        use_reply = reply_token is not None and index == 0
        row = OutboxMessage(
            created_at=now,
            kind=Kind.REPLY if use_reply else Kind.PUSH,
            purpose=purpose,
            to=to,
            reply_token=reply_token if use_reply else None,
            reply_deadline=reply_deadline if use_reply else None,
            messages=batch,
            retry_key=new_retry_key(),
            dedupe_key=(f"{dedupe_key}#{index}" if index else dedupe_key) if dedupe_key else None,
            event_id=event_id,
            meeting_id=meeting_id,
            cost=0 if use_reply else cost_per_request,
            status=Status.PENDING,
            next_attempt_at=now,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def enqueue_once(session: Session, *, dedupe_key: str, **kw) -> list[OutboxMessage]:
    """Like `enqueue`, but a message with this dedupe key is queued at most once, ever.

    The unique key decides (a savepoint catches the duplicate), so two processes queueing the
    same reminder or card at the same moment still produce one message.
    """
    from sqlalchemy.exc import IntegrityError

    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None:
        return []
    try:
        with session.begin_nested():
            return enqueue(session, dedupe_key=dedupe_key, **kw)
    except IntegrityError:
        return []


def enqueue_to_users(
    session: Session,
    user_ids: Iterable[str],
    messages: list[dict[str, Any]],
    *,
    purpose: str,
    meeting_id: int | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue identical messages to many users: one push for one user, multicasts of <= 500 otherwise."""
    now = now or utcnow()
    unique = list(dict.fromkeys(user_ids))
    if len(unique) == 1:
        return enqueue(session, to=unique[0], messages=messages, purpose=purpose, meeting_id=meeting_id,
                       dedupe_key=dedupe_key, now=now)
    fitted = fit_messages(messages)
    rows = []
    for group_index, group in enumerate(chunks(unique, MAX_MULTICAST_RECIPIENTS)):
        for index, batch in enumerate(chunks(fitted, MAX_MESSAGES_PER_REQUEST)):
            key = f"{dedupe_key}#m{group_index}.{index}" if dedupe_key else None
            row = OutboxMessage(
                created_at=now, kind=Kind.MULTICAST, purpose=purpose, to=None, recipients=group,
                messages=batch, retry_key=new_retry_key(), dedupe_key=key, meeting_id=meeting_id,
                cost=len(group), status=Status.PENDING, next_attempt_at=now,
            )
            session.add(row)
            rows.append(row)
    session.flush()
    return rows


# ---------------------------------------------------------------------------------------------
# Claiming and recording outcomes (the sender's side)


def claim_batch(
    session: Session,
    *,
    worker: str,
    now: datetime,
    limit: int,
    lease: timedelta = DEFAULT_LEASE,
    ids: list[int] | None = None,
) -> list:
    """Claim due rows for `worker`: pending rows whose time has come, and rows whose sender's
    lease ran out (it crashed or was killed mid-send). Returns the claimed rows (read-only row
    objects with the outbox's columns), oldest first.

    One statement, the classic queue: `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP
    LOCKED) RETURNING …`. On PostgreSQL several senders claim side by side without waiting on each
    other; SQLite's BEGIN IMMEDIATE serialises them.
    """
    from sqlalchemy import and_, case

    table = OutboxMessage.__table__
    due = or_(
        and_(table.c.status == Status.PENDING, table.c.next_attempt_at <= now),
        and_(table.c.status == Status.SENDING, table.c.lease_until < now),
    )
    candidates = select(table.c.id).where(due).order_by(table.c.id).limit(limit)
    if ids is not None:
        candidates = candidates.where(table.c.id.in_(ids))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = session.connection().execute(
        table.update()
        .where(table.c.id.in_(candidates.scalar_subquery()))
        .values(
            status=Status.SENDING, lease_until=now + lease, claimed_by=worker, attempts=table.c.attempts + 1,
            # A reply whose sender's lease ran out may have been sent just before the sender died.
            maybe_delivered=case((and_(table.c.status == Status.SENDING, table.c.kind == Kind.REPLY), True),
                                 else_=table.c.maybe_delivered),
        )
        .returning(*table.c)
    ).all()
    return sorted(claimed, key=lambda row: row.id)


def release(session: Session, worker: str, ids: list[int], *, not_before: datetime | None = None) -> None:
    """Give claimed rows back unsent (LINE's rate limit had no room for them this moment): they
    are due again at once, or from `not_before`, and the claim does not count as an attempt."""
    from sqlalchemy import and_

    if not ids:
        return
    table = OutboxMessage.__table__
    values: dict[str, Any] = {"status": Status.PENDING, "claimed_by": None, "lease_until": None,
                              "attempts": table.c.attempts - 1}
    if not_before is not None:
        values["next_attempt_at"] = not_before
    session.connection().execute(
        table.update().where(and_(table.c.id.in_(ids), table.c.claimed_by == worker,
                                  table.c.status == Status.SENDING)).values(values))


def record_outcomes(session: Session, worker: str, outcomes: list[dict[str, Any]]) -> int:
    """Record a batch of outcomes with one executemany per kind; returns how many rows matched.

    Each outcome is a dict with `id` and the columns to set (status, sent_at, ...). Only rows still
    claimed by this worker change: a row whose lease ran out and was claimed by another sender is
    that sender's now. (Plain Core updates: the ORM's per-row bookkeeping cost more than sending.)
    """
    from sqlalchemy import bindparam

    table = OutboxMessage.__table__
    done = 0
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for outcome in outcomes:
        columns = tuple(sorted(k for k in outcome if k != "id"))
        by_columns.setdefault(columns, []).append({("b_" + k): v for k, v in outcome.items()})
    for columns, rows in by_columns.items():
        statement = (table.update()
                     .where(table.c.id == bindparam("b_id"), table.c.status == Status.SENDING,
                            table.c.claimed_by == worker)
                     .values({column: bindparam("b_" + column) for column in columns}))
        result = session.connection().execute(statement, rows)
        done += max(0, result.rowcount or 0)
    return done


def backoff_seconds(attempts: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: about 2, 4, 8 ... seconds, capped at ten minutes."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (2 ** max(0, attempts - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)


# ---------------------------------------------------------------------------------------------
# Reading


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: n for status, n in rows}


def dead_rows(session: Session, limit: int = 100) -> list[OutboxMessage]:
    return list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_([Status.DEAD, Status.UNCERTAIN]))
        .order_by(OutboxMessage.id.desc()).limit(limit)))


# ---------------------------------------------------------------------------------------------
# Messages LINE accepted, by the id LINE gave them (answers slice)


class SentMessage(Base):
    """One message of a delivered row, by the id LINE gave it (`sentMessages[].id` of a reply or
    push): a person's message that quotes it (`quotedMessageId`) can then be read against it, e.g.
    a 👍 quoting a meeting's card. `position` is its index in the row's `messages`."""

    __tablename__ = "sent_messages"

    line_message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    outbox_id: Mapped[int] = mapped_column(BigId)
    position: Mapped[int]
    sent_at: Mapped[datetime]


def record_sent_messages(session: Session, sent: list[tuple[int, list[str]]], *, now: datetime) -> None:
    """Remember the ids LINE gave the messages of delivered rows ((outbox id, ids in order));
    a redelivered id (409 with the first attempt's ids) is kept once."""
    from models.base import insert_for

    rows = [{"line_message_id": str(message_id)[:64], "outbox_id": outbox_id, "position": position, "sent_at": now}
            for outbox_id, ids in sent for position, message_id in enumerate(ids) if message_id]
    if rows:
        session.execute(insert_for(session, SentMessage).values(rows)
                        .on_conflict_do_nothing(index_elements=["line_message_id"]))


def sent_message(session: Session, line_message_id: str) -> tuple[OutboxMessage, dict[str, Any]] | None:
    """The outbox row and the message (wire format) LINE gave this id, or None if it is not ours."""
    found = session.get(SentMessage, str(line_message_id)[:64])
    if found is None:
        return None
    row = session.get(OutboxMessage, found.outbox_id)
    if row is None or not 0 <= found.position < len(row.messages or []):
        return None
    return row, row.messages[found.position]
