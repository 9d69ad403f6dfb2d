"""Reminder plans and firing them exactly once.

A plan is a list of moments before a meeting's start: "the evening before at 17:00" and offsets
such as two hours. What is due is computed from the meeting's current start, so moving a meeting
reschedules its reminders and cancelling it stops them, with nothing to keep in step.

Each firing is a `ReminderRun` row, unique per (meeting, moment, start): the insert decides, so
two clocks, a restarted clock or a retried tick cannot send a reminder twice; the outbox rows it
queues are written in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, BigId, insert_for

log = logging.getLogger("meetbot.reminders")

EVENING_BEFORE = "eve@17:00"   # the day before at 17:00 local time
DEFAULT_PLAN = (EVENING_BEFORE, "120m")
# How long before a meeting its reminders are looked at; a longer offset is refused in the plan.
HORIZON = timedelta(days=60)


class RunStatus:
    SENT = "sent"          # queued in the outbox
    HELD = "held"          # kept back: the monthly quota would run out
    DROPPED = "dropped"    # missed while the bot was down and the meeting had started
    SKIPPED = "skipped"    # superseded by a later reminder that was due at the same time


class ReminderRun(Base):
    __tablename__ = "reminder_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    moment: Mapped[str] = mapped_column(String(30))   # a plan entry: eve@17:00, 120m, …
    for_start: Mapped[datetime]                         # the start it was computed from
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10))
    chats: Mapped[int] = mapped_column(default=0)
    nudged: Mapped[int] = mapped_column(default=0)
    cost: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("meeting_id", "moment", "for_start", name="uq_reminder_runs_moment"),)


# -- plans -----------------------------------------------------------------------------------------


def plan_of(meeting) -> tuple[str, ...]:
    return tuple(meeting.reminder_plan) if meeting.reminder_plan is not None else DEFAULT_PLAN


def plan_from_offsets(offsets: list[timedelta]) -> list[str]:
    entries = []
    for offset in sorted(set(offsets), reverse=True):
        minutes = int(offset.total_seconds() // 60)
        if minutes <= 0 or offset > HORIZON:
            raise ValueError(f"a reminder must be between 1 minute and {HORIZON.days} days before")
        entries.append(f"{minutes}m")
    return entries


# Reminders this close to the start are short (when, where, the buttons): the card with the
# answers has been seen already, and on the day people want the time and the way there.
SHORT_BEFORE = timedelta(hours=12)


def is_short(moment: str) -> bool:
    """Whether a plan entry is sent as a short reminder rather than the full card."""
    return not moment.startswith("eve@") and timedelta(minutes=int(moment.rstrip("m"))) < SHORT_BEFORE


def due_at(moment: str, starts_at: datetime, tz: ZoneInfo) -> datetime:
    if moment.startswith("eve@"):
        hour, minute = (int(x) for x in moment[4:].split(":"))
        day_before = starts_at.astimezone(tz).date() - timedelta(days=1)
        return datetime.combine(day_before, time(hour, minute), tzinfo=tz)
    return starts_at - timedelta(minutes=int(moment.rstrip("m")))


def describe_moment(moment: str, lang: str = "th") -> str:
    if moment.startswith("eve@"):
        return f"วันก่อนนัด {moment[4:].replace(':', '.')} น." if lang != "en" else f"the day before at {moment[4:]}"
    minutes = int(moment.rstrip("m"))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if lang == "en":
        parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
        return " ".join(p for p in parts if p) + " before"
    parts = [f"{days} วัน" if days else "", f"{hours} ชม." if hours else "", f"{mins} นาที" if mins else ""]
    return "ก่อนนัด " + " ".join(p for p in parts if p)


# -- what is due -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    meeting_id: int
    moment: str
    due_at: datetime
    starts_at: datetime
    late: bool  # the meeting has started: drop it with a log line


def due_reminders(session: Session, *, now: datetime, tz: ZoneInfo) -> list[Due]:
    """Reminders due by `now` and not yet fired, for open meetings that have not ended.

    After downtime several moments of one meeting may be due together: only the latest is sent
    (one reminder, not a burst of stale ones); the others are recorded as skipped.
    """
    from models.meetings import Meeting, MeetingStatus

    meetings = session.scalars(select(Meeting).where(
        Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.MOVED]),
        Meeting.starts_at > now - timedelta(days=1), Meeting.starts_at <= now + HORIZON)).all()
    if not meetings:
        return []
    fired = {(r.meeting_id, r.moment, r.for_start) for r in session.execute(
        select(ReminderRun.meeting_id, ReminderRun.moment, ReminderRun.for_start)
        .where(ReminderRun.meeting_id.in_([m.id for m in meetings])))}
    due: list[Due] = []
    for meeting in meetings:
        for moment in plan_of(meeting):
            at = due_at(moment, meeting.starts_at, tz)
            if at <= now and (meeting.id, moment, meeting.starts_at) not in fired:
                due.append(Due(meeting.id, moment, at, meeting.starts_at, late=now >= meeting.starts_at))
    return sorted(due, key=lambda d: (d.meeting_id, d.due_at))


def claim_run(session: Session, due: Due, *, now: datetime, status: str) -> ReminderRun | None:
    """Insert the run row first; None when another clock (or an earlier tick) already fired it.

    Also None, on PostgreSQL, while a web request is changing the meeting (moving, cancelling it):
    the clock skips the meeting for this pass rather than wait behind the request's row lock, and
    fires it on the next pass from what was committed. NO KEY UPDATE, so answers being inserted
    (which lock the meeting only against key changes) never make it skip.
    """
    if session.get_bind().dialect.name == "postgresql":
        from models.meetings import Meeting

        free = session.scalar(select(Meeting.id).where(Meeting.id == due.meeting_id)
                              .with_for_update(key_share=True, skip_locked=True))
        if free is None:
            return None
    created = session.execute(insert_for(session, ReminderRun).values(
        meeting_id=due.meeting_id, moment=due.moment, for_start=due.starts_at, due_at=due.due_at, fired_at=now,
        status=status, chats=0, nudged=0, cost=0,
    ).on_conflict_do_nothing(index_elements=["meeting_id", "moment", "for_start"]).returning(ReminderRun.id))
    run_id = created.scalar_one_or_none()
    return session.get(ReminderRun, run_id) if run_id is not None else None
