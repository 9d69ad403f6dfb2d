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


def learn_who_is_where(session, event: ChatEvent, now: datetime, seen: "OrderedDict[tuple, None]") -> None:
    """Record the chat and the person (and the group they last spoke in), cheaply.

    Every chat message passes here, most of them chatter the bot does not answer, so this is two
    insert-or-ignore statements at most, and none for a (person, chat) this process has seen.
    """
    key = (event.chat_id, event.user_id)
    if key in seen:
        seen.move_to_end(key)
        return
    from models.network import record_chat
    from models.people import record_person

    if event.chat_id:
        record_chat(session, event.chat_id, event.source_type or "user", now=now)
    if event.user_id:
        record_person(session, event.user_id, last_chat_id=event.chat_id if event.in_group else None)
    seen[key] = None
    if len(seen) > _SEEN_MAX:
        seen.popitem(last=False)


def process_event(db: Database, event_id: int, settings: BotSettings, *, now: datetime | None = None) -> str | None:
    """Handle one recorded event exactly once; return the route that took it, if any.

    The claim, the domain changes and the outbox rows commit together. If the handler raises,
    all of that rolls back and the event is marked failed (kept for inspection, never retried
    in a loop: a bug would fail again the same way).
    """
    from handlers.routes import router  # the routes import the domain; keep start-up light

    now = now or utcnow()
    try:
        with db.transaction() as session:
            row = event_store.claim_event(session, event_id, now=now)
            if row is None:
                return None  # another worker has it, or had it
            turn = Turn(session=session, event=ChatEvent.from_row(row), now=now, settings=settings)
            if turn.event.type in ("message", "postback", "join", "follow", "memberJoined") and not turn.event.is_standby:
                # Learn who is where, even from chatter the bot does not answer: names are
                # looked up later (scheduler.jobs.refresh_profiles), and group chats are known.
                learn_who_is_where(session, turn.event, now, db.memo.setdefault("seen", OrderedDict()))
            route = router.dispatch(turn)
            turn.finish()
            return route
    except Exception as exc:
        log.exception("event %s failed", event_id)
        with db.transaction() as session:
            event_store.mark_event_failed(session, event_id, f"{type(exc).__name__}: {exc}", now=now)
        return "failed"
