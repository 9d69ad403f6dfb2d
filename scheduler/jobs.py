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
        ids = event_store.pending_event_ids(session, received_before=now - STALE_EVENT_AFTER)
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


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[ClockContext, datetime], Any]


# In order: events first (they may queue messages), then whatever queues messages, then sending.
JOBS: list[Job] = [
    Job("events", handle_stale_events),
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
