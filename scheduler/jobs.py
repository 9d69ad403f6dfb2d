"""The clock's jobs. Each takes the context and `now`, finds what is due in the database and acts.

Jobs take `now` as a parameter so that `meetbot tick --now ...` and tests drive them at any time
without sleeping; the database, never a job store, says what is due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from bot.delivery import Sender
from handlers import process_event
from handlers.turn import BotSettings
from models import events as event_store
from models.db import Database
from models.safe_text import strip_bidi
from scheduler import reminders

log = logging.getLogger("meetbot.clock")

# The webhook handles its events within milliseconds; anything still pending after this long was
# left by a process that died between recording and handling.
STALE_EVENT_AFTER = timedelta(seconds=10)


@dataclass
class ClockContext:
    db: Database
    sender: Sender
    bot_settings: BotSettings


def handle_stale_events(ctx: ClockContext, now: datetime) -> int:
    """Handle events that were recorded but never handled (the web process died in between)."""
    with ctx.db.reading() as session:
        ids = event_store.pending_event_ids(session, received_before=now - STALE_EVENT_AFTER, now=now)
    for event_id in ids:
        process_event(ctx.db, event_id, ctx.bot_settings, now=now)
    if ids:
        log.info("handled %d events left pending", len(ids))
    return len(ids)


def relay_outbox(ctx: ClockContext, now: datetime) -> dict[str, int]:
    """Send every outbox row that is due: new pushes, retries after backoff, abandoned claims."""
    report = ctx.sender.deliver_due(now=now)
    if report.handled:
        log.info("outbox: %d sent, %d to retry, %d dead, %d uncertain",
                 report.sent, report.retried, report.dead, report.uncertain)
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead, "uncertain": report.uncertain}


PROFILE_MAX_AGE = timedelta(days=7)
CHAT_MAX_AGE = timedelta(days=1)


def refresh_profiles(ctx: ClockContext, now: datetime, *, limit: int = 20) -> dict[str, int]:
    """Fill in and refresh display names, group titles and member counts from LINE, a few a pass.

    Handlers never call LINE (the webhook must not wait on it); they record user and chat ids,
    and this job asks LINE for the names afterwards. A group's member count is what a push to it
    costs against the monthly quota.
    """
    from linebot.v3.messaging import ApiException
    from sqlalchemy import or_, select

    from models.network import Chat
    from models.people import Person

    line = ctx.sender.line
    with ctx.db.reading() as session:
        people = session.execute(
            select(Person.id, Person.line_user_id, Person.last_chat_id)
            .where(Person.line_user_id.is_not(None), Person.forgotten_at.is_(None),
                   or_(Person.profile_checked_at.is_(None), Person.profile_checked_at < now - PROFILE_MAX_AGE))
            .order_by(Person.profile_checked_at.is_not(None), Person.profile_checked_at, Person.id).limit(limit)).all()
        chats = session.execute(
            select(Chat.id).where(Chat.kind == "group", Chat.left_at.is_(None),
                                  or_(Chat.checked_at.is_(None), Chat.checked_at < now - CHAT_MAX_AGE))
            .order_by(Chat.checked_at.is_not(None), Chat.checked_at).limit(limit)).all()
    names = titles = 0
    for person_id, user_id, last_chat in people:
        try:
            if last_chat and last_chat.startswith("C"):
                profile = line.group_member_profile(last_chat, user_id)
            else:
                profile = line.profile(user_id)
            # A right-to-left override in a LINE name would turn every reply and paper naming them around.
            name = strip_bidi(profile.display_name) or None
        except ApiException as exc:
            if exc.status not in (400, 403, 404):
                continue  # LINE is having trouble: try again on a later pass
            name = None  # not a friend and not in that group any more: nothing to learn
        except Exception:
            log.warning("profile lookup for person %s failed", person_id, exc_info=True)
            continue
        with ctx.db.transaction() as session:
            person = session.get(Person, person_id)
            if name and person.display_name != name:
                person.display_name = name
                names += 1
            person.profile_checked_at = now
    for (chat_id,) in chats:
        try:
            title = line.group_summary(chat_id).group_name
            members = line.group_member_count(chat_id)
        except ApiException as exc:
            if exc.status not in (400, 403, 404):
                continue
            title, members = None, None
        except Exception:
            log.warning("group lookup for %s failed", chat_id, exc_info=True)
            continue
        with ctx.db.transaction() as session:
            chat = session.get(Chat, chat_id)
            chat.title = title or chat.title
            chat.member_count = members or chat.member_count
            chat.checked_at = now
            titles += 1
    return {"people": names, "chats": titles}


def fetch_photos(ctx: ClockContext, now: datetime, *, limit: int = 10) -> int:
    """Download the photos kept with notes from LINE's content API (a few per pass, size-limited)."""
    from linebot.v3.messaging import ApiException

    from models.notes import MAX_PHOTO_BYTES, NotePhoto, photos_to_fetch

    with ctx.db.reading() as session:
        pending = [(p.id, p.line_message_id) for p in photos_to_fetch(session, limit=limit)]
    fetched = 0
    for photo_id, message_id in pending:
        error = data = content_type = None
        try:
            data, content_type = ctx.sender.line.content(message_id)
        except ApiException as exc:
            if exc.status is not None and exc.status >= 500:
                continue  # LINE is having trouble: the next pass tries again
            error = f"LINE answered {exc.status}: the content is gone (LINE keeps it only for a while)"
        except Exception as exc:
            log.warning("photo %s: %s", photo_id, exc)
            continue
        if data is not None and len(data) > MAX_PHOTO_BYTES:
            error, data = f"{len(data)} bytes is over the {MAX_PHOTO_BYTES}-byte limit; not kept", None
        with ctx.db.transaction() as session:
            photo = session.get(NotePhoto, photo_id)
            if photo is None or photo.deleted_at is not None:
                continue  # unsent meanwhile: keep nothing
            photo.data, photo.content_type = data, content_type
            photo.size = len(data) if data is not None else None
            photo.fetch_error, photo.fetched_at = error, now
            fetched += data is not None
    return fetched


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[ClockContext, datetime], Any]


# In order: events first (they may queue messages), then whatever queues messages, then sending.
JOBS: list[Job] = [
    Job("events", handle_stale_events),
    Job("profiles", refresh_profiles),
    Job("photos", fetch_photos),
    Job("quota", reminders.refresh_quota),
    Job("reminders", reminders.fire_reminders),
    Job("dead_letters", reminders.report_dead_letters),
    Job("outbox", relay_outbox),
]


def run_pass(ctx: ClockContext, now: datetime) -> dict[str, Any]:
    """One pass of every job as if at `now`; one failing job does not stop the others."""
    results: dict[str, Any] = {}
    for job in JOBS:
        try:
            results[job.name] = job.run(ctx, now)
        except Exception as exc:
            log.exception("clock job %s failed", job.name)
            results[job.name] = f"failed: {exc!r}"
    return results
