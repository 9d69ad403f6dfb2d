"""Handlers: one chat event in, one domain call and one answer out."""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime

from handlers.events import ChatEvent
from handlers.turn import BotSettings, Turn
from models import events as event_store
from models.base import utcnow
from models.db import Database

log = logging.getLogger("meetbot.handlers")


_SEEN_MAX = 20_000


def learn_who_is_where(session, event: ChatEvent, now: datetime, seen: "OrderedDict[tuple, None]") -> tuple | None:
    """Record the chat and the person (and the group they last spoke in), cheaply.

    Every chat message passes here, most of them chatter the bot does not answer, so this is two
    insert-or-ignore statements at most, and none for a (person, chat) this process has seen.
    Returns the key to remember once the transaction has committed (None: nothing new).
    """
    key = (event.chat_id, event.user_id)
    if key in seen:
        seen.move_to_end(key)
        return None
    from models.network import record_chat
    from models.people import record_person

    if event.chat_id:
        record_chat(session, event.chat_id, event.source_type or "user", now=now)
    if event.user_id:
        record_person(session, event.user_id, last_chat_id=event.chat_id if event.in_group else None)
    return key


def _remember(seen: "OrderedDict[tuple, None]", key: tuple) -> None:
    seen[key] = None
    if len(seen) > _SEEN_MAX:
        seen.popitem(last=False)


# A database that keeps failing for this many tries (about two hours with the backoff) is an
# outage for a person to look at; the event is then marked failed and kept.
MAX_EVENT_ATTEMPTS = 16


def is_transient_database_error(exc: BaseException) -> bool:
    """A failure of the database, not of the handler: the same event may well succeed on a retry.

    Connection lost or killed (pg_terminate_backend, a restart), serialization failure, deadlock
    detected, lock or statement timeout, SQLite's "database is locked"; the DB-API reports all of
    these as OperationalError (psycopg's TransactionRollbackError and QueryCanceled included), and
    SQLAlchemy flags a connection it had to drop. A handler's own bug (a TypeError, a constraint it
    broke, bad SQL) is none of these.
    """
    from sqlalchemy import exc as sa_exc

    while exc is not None:
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.DisconnectionError, sa_exc.TimeoutError)):
            return True
        if isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or
                                                   isinstance(exc, sa_exc.InterfaceError)):
            return True
        if isinstance(exc, sa_exc.InternalError) and "idle-in-transaction" in str(exc):
            return True
        if isinstance(exc, sa_exc.ResourceClosedError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def process_event(db: Database, event_id: int, settings: BotSettings, *, now: datetime | None = None) -> str | None:
    """Handle one recorded event exactly once; return the route that took it, if any.

    The claim, the domain changes and the outbox rows commit together. If that fails because the
    database did (see is_transient_database_error), all of it rolls back and the event stays
    pending, due again after a backoff (the clock's events job takes it then): the person's action
    is not lost. If the handler itself raises, the event is marked failed (kept for inspection,
    never retried in a loop: a bug would fail again the same way).
    """
    from handlers.routes import router  # the routes import the domain; keep start-up light

    now = now or utcnow()
    seen = db.memo.setdefault("seen", OrderedDict())
    learned = None
    try:
        with db.transaction() as session:
            row = event_store.claim_event(session, event_id, now=now)
            if row is None:
                return None  # another worker has it, had it, or its retry is not due yet
            turn = Turn(session=session, event=ChatEvent.from_row(row), now=now, settings=settings)
            if turn.event.type in ("message", "postback", "join", "follow", "memberJoined") and not turn.event.is_standby:
                # Learn who is where, even from chatter the bot does not answer: names are
                # looked up later (scheduler.jobs.refresh_profiles), and group chats are known.
                learned = learn_who_is_where(session, turn.event, now, seen)
            route = router.dispatch(turn)
            turn.finish()
        if learned:
            _remember(seen, learned)  # only what was committed: a rolled-back turn learned nothing
        return route
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        transient = is_transient_database_error(exc)
        try:
            with db.transaction() as session:
                if transient:
                    attempts = event_store.retry_event_later(session, event_id, error, now=now,
                                                             max_attempts=MAX_EVENT_ATTEMPTS)
                else:
                    event_store.mark_event_failed(session, event_id, error, now=now)
        except Exception:
            # The database is still down: the event is still pending, so the clock retries it.
            log.warning("event %s: could not record the failure (%s); it stays pending", event_id, error,
                        exc_info=True)
            return "retry"
        if transient:
            log.warning("event %s hit a database error (attempt %d), retried later: %s", event_id, attempts, error)
            return "retry"
        log.exception("event %s failed", event_id)
        return "failed"
