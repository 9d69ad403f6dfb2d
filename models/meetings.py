"""Meetings, invitations with quotas, and answers with their full history.

An answer belongs to a meeting, a person and (usually) an invited group. A leader answering for
the whole group gives a headcount ("we come with 4": `for_group`, headcount 4); anyone else
answers for themselves (headcount 1). Every change is kept in `answer_changes`: who, when, from
what to what.

Over quota: the answer is accepted and flagged ("5/4"). Turning people away is the coordinator's
call, made face to face; a bot that refused a leader's fifth person would be wrong more often
than right (a substitute, an observer, a budget that allows it). The summary shows the overage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from models.base import MAX_ID, Base, BigId, insert_for, utcnow
from models.events import InboundEvent
from models.network import Chat, FinancialGroup
from models.people import Person

DEFAULT_DURATION = timedelta(hours=3)  # the seed's meetings run a morning


class MeetingStatus:
    SCHEDULED = "scheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"
    DONE = "done"

    THAI = {SCHEDULED: "นัดแล้ว", MOVED: "เลื่อนแล้ว", CANCELLED: "ยกเลิกแล้ว", DONE: "จบแล้ว"}


class Response:
    GOING = "going"
    NOT_GOING = "not_going"
    MAYBE = "maybe"

    ALL = (GOING, NOT_GOING, MAYBE)
    THAI = {GOING: "ไป", NOT_GOING: "ไม่ไป", MAYBE: "ไม่แน่ใจ"}


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)  # shown as #12
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue_name: Mapped[str | None] = mapped_column(String(300))
    venue_address: Mapped[str | None] = mapped_column(String(500))
    venue_latitude: Mapped[float | None]
    venue_longitude: Mapped[float | None]
    sub_district_id: Mapped[int | None] = mapped_column(ForeignKey("sub_districts.id"))
    agenda: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=MeetingStatus.SCHEDULED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_in_chat: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The reminder plan: minutes before the start, or None for the default plan (issue: reminders).
    reminder_plan: Mapped[list | None]
    nudges: Mapped[bool] = mapped_column(default=True)
    leaders_may_note: Mapped[bool] = mapped_column(default=False)  # notes from leaders too, if allowed

    invitations: Mapped[list["Invitation"]] = relationship(back_populates="meeting", order_by="Invitation.id",
                                                           cascade="all, delete-orphan")

    @property
    def code(self) -> str:
        return f"#{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED)

    @property
    def map_url(self) -> str | None:
        from urllib.parse import quote

        if self.venue_latitude is not None and self.venue_longitude is not None:
            return f"https://www.google.com/maps/search/?api=1&query={self.venue_latitude},{self.venue_longitude}"
        if self.venue_name:
            return "https://www.google.com/maps/search/?api=1&query=" + quote(
                " ".join(filter(None, [self.venue_name, self.venue_address])))
        return None


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("financial_groups.id"))
    quota: Mapped[int | None]
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    group: Mapped[FinancialGroup] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "group_id", name="uq_invitations_meeting_group"),)


class Answer(Base):
    """The current answer of one person (for themselves, or for a group they lead)."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("financial_groups.id"))
    # group_id or 0: SQL unique constraints let NULLs repeat, and one person has one answer per group.
    group_key: Mapped[int] = mapped_column(BigId)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    for_group: Mapped[bool] = mapped_column(default=False)
    response: Mapped[str] = mapped_column(String(10))
    headcount: Mapped[int] = mapped_column(default=1)
    names: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("meeting_id", "group_key", "person_id", name="uq_answers_meeting_group_person"),
        Index("ix_answers_meeting", "meeting_id"),
        # Covers the tally's GROUP BY: a 10,000-answer meeting is summed from the index alone.
        Index("ix_answers_tally", "meeting_id", "for_group", "group_id", "response", "headcount"),
    )


class AnswerChange(Base):
    __tablename__ = "answer_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(BigId)
    group_id: Mapped[int | None] = mapped_column(BigId)
    person_id: Mapped[int] = mapped_column(BigId)
    for_group: Mapped[bool]
    from_response: Mapped[str | None] = mapped_column(String(10))
    from_headcount: Mapped[int | None]
    to_response: Mapped[str] = mapped_column(String(10))
    to_headcount: Mapped[int]
    names: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
    via: Mapped[str] = mapped_column(String(20))  # text, button, cli, import
    event_id: Mapped[int | None] = mapped_column(BigId)

    __table_args__ = (Index("ix_answer_changes_meeting", "meeting_id"),)


# -- errors ----------------------------------------------------------------------------------------


class MeetingNotFound(LookupError):
    pass


class MeetingClosed(ValueError):
    """The meeting was cancelled or is over: answers and changes are no longer taken."""


class NotAllowed(PermissionError):
    pass


# -- operations ------------------------------------------------------------------------------------


def create_meeting(session: Session, *, title: str, starts_at: datetime, ends_at: datetime | None = None,
                   venue_name: str | None = None, venue_address: str | None = None,
                   latitude: float | None = None, longitude: float | None = None,
                   sub_district_id: int | None = None, agenda: str | None = None,
                   created_by: Person | None = None, created_in_chat: str | None = None,
                   now: datetime | None = None) -> Meeting:
    now = now or utcnow()
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be timezone-aware")
    meeting = Meeting(title=title.strip()[:300] or "ประชุม", starts_at=starts_at,
                      ends_at=ends_at or starts_at + DEFAULT_DURATION, venue_name=venue_name,
                      venue_address=venue_address, venue_latitude=latitude, venue_longitude=longitude,
                      sub_district_id=sub_district_id, agenda=agenda,
                      created_by_id=created_by.id if created_by else None, created_in_chat=created_in_chat,
                      created_at=now, updated_at=now, status=MeetingStatus.SCHEDULED)
    session.add(meeting)
    session.flush()
    return meeting


def invite(session: Session, meeting: Meeting, group: FinancialGroup, quota: int | None,
           *, by: Person | None = None, now: datetime | None = None) -> tuple[Invitation, bool]:
    """Invite a group (or change its quota); returns the invitation and whether it is new."""
    if quota is not None and quota < 0:
        raise ValueError("quota must be positive")
    for existing in meeting.invitations:
        if existing.group_id == group.id:
            if quota is not None:
                existing.quota = quota
            return existing, False
    invitation = Invitation(group=group, group_id=group.id, quota=quota, invited_at=now or utcnow(),
                            invited_by_id=by.id if by else None)
    meeting.invitations.append(invitation)
    session.flush()
    return invitation, True


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    if not 0 < meeting_id <= MAX_ID:  # `#99999999999999999999` names no meeting (and would overflow)
        raise MeetingNotFound(meeting_id)
    meeting = session.get(Meeting, meeting_id)  # invitations load when asked for (a summary needs none)
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    return meeting


def cancel_meeting(session: Session, meeting: Meeting, *, now: datetime | None = None) -> None:
    """Cancel, once. The change is claimed with one conditional UPDATE, so two confirming taps
    handled at the same time cancel (and notify) once: the second waits for the first to commit
    (PostgreSQL's row lock; SQLite's write lock, taken when the transaction begins), then finds
    nothing to change and raises MeetingClosed."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingClosed("already cancelled")
    stamp = now or utcnow()
    claimed = session.execute(
        update(Meeting).where(Meeting.id == meeting.id, Meeting.status != MeetingStatus.CANCELLED)
        .values(status=MeetingStatus.CANCELLED, updated_at=stamp).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        session.refresh(meeting)
        raise MeetingClosed("already cancelled")
    # The row is ours now; the object shows what the row says.
    set_committed_value(meeting, "status", MeetingStatus.CANCELLED)
    set_committed_value(meeting, "updated_at", stamp)


def move_meeting(session: Session, meeting: Meeting, starts_at: datetime, *, now: datetime | None = None) -> datetime:
    """Move to a new start, keeping the length and every answer; returns the old start."""
    if not meeting.is_open:
        raise MeetingClosed(meeting.status)
    old = meeting.starts_at
    length = meeting.ends_at - meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + length
    meeting.status = MeetingStatus.MOVED
    meeting.updated_at = now or utcnow()
    return old


def invited_chat_ids(meeting: Meeting) -> list[str]:
    """Every distinct LINE chat linked to an invited group, in invitation order."""
    return list(dict.fromkeys(inv.group.chat_id for inv in meeting.invitations if inv.group.chat_id))


def meeting_chats(session: Session, meeting: Meeting) -> list[Chat]:
    """The group chats (and rooms) that can answer a meeting, so the ones its notices go to.

    A chat linked to an invited group, the group chat the meeting was created in (linked to a
    group or not: everyone there can answer it), and any group chat where someone answered it.
    Reminders, move and cancellation notices all go to exactly these; chats the bot has left are
    not among them. In invitation order, then the others in the order they joined in.
    """
    ids = invited_chat_ids(meeting)
    if meeting.created_in_chat:
        ids.append(meeting.created_in_chat)
    ids += session.scalars(  # one row per chat, however many answers it gave
        select(InboundEvent.chat_id).join(AnswerChange, AnswerChange.event_id == InboundEvent.id)
        .where(AnswerChange.meeting_id == meeting.id, InboundEvent.source_type.in_(("group", "room")))
        .group_by(InboundEvent.chat_id).order_by(func.min(AnswerChange.id))).all()
    chats = []
    for chat_id in dict.fromkeys(i for i in ids if i):
        chat = session.get(Chat, chat_id)
        if chat is not None and chat.kind in ("group", "room") and chat.left_at is None:
            chats.append(chat)
    return chats


def open_meetings_in_chat(session: Session, chat_id: str, *, now: datetime) -> list[Meeting]:
    """Meetings a chat can answer: one of its groups is invited, or it was created there; not over."""
    invited = (select(Invitation.meeting_id).join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
               .where(FinancialGroup.chat_id == chat_id))
    return list(session.scalars(
        select(Meeting).where(
            or_(Meeting.id.in_(invited), Meeting.created_in_chat == chat_id),
            Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.MOVED]),
            Meeting.ends_at > now,
        ).order_by(Meeting.starts_at, Meeting.id)))


def upcoming_meetings(session: Session, *, now: datetime, group_ids: set[int] | None = None,
                      chat_id: str | None = None, limit: int = 10) -> list[Meeting]:
    query = select(Meeting).where(Meeting.ends_at > now, Meeting.status != MeetingStatus.CANCELLED)
    conditions = []
    if group_ids:
        conditions.append(Meeting.id.in_(select(Invitation.meeting_id).where(Invitation.group_id.in_(group_ids))))
    if chat_id:
        conditions.append(Meeting.id.in_(
            select(Invitation.meeting_id).join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
            .where(FinancialGroup.chat_id == chat_id)))
        conditions.append(Meeting.created_in_chat == chat_id)
    if conditions:
        query = query.where(or_(*conditions))
    return list(session.scalars(query.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


@dataclass(frozen=True)
class AnswerRecorded:
    answer: Answer
    previous_response: str | None
    previous_headcount: int | None
    quota: int | None

    @property
    def changed(self) -> bool:
        return (self.previous_response, self.previous_headcount) != (self.answer.response, self.answer.headcount)

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.answer.response == Response.GOING and self.answer.headcount > self.quota


def record_answer(session: Session, *, meeting: Meeting, person: Person, response: str,
                  group: FinancialGroup | None = None, headcount: int = 1, for_group: bool = False,
                  names: str | None = None, via: str = "text", event_id: int | None = None,
                  now: datetime | None = None) -> AnswerRecorded:
    """Record (or change) an answer and keep the change in the history.

    Several leaders may answer at the same moment: the row is created with an insert that ignores
    a concurrent twin, then locked and updated, so no answer is lost and none is doubled.
    """
    now = now or utcnow()
    if response not in Response.ALL:
        raise ValueError(f"unknown response {response!r}")
    if not meeting.is_open:
        raise MeetingClosed(meeting.status)
    if for_group and (group is None or group.id not in person.led_group_ids()):
        raise NotAllowed("only a group's leader answers for the whole group")
    if headcount < 0 or headcount > 999:
        raise ValueError("headcount out of range")
    if response != Response.GOING and not for_group:
        headcount = 1
    group_key = group.id if group else 0
    is_postgresql = session.get_bind().dialect.name == "postgresql"

    def current() -> Answer | None:
        query = select(Answer).where(Answer.meeting_id == meeting.id, Answer.group_key == group_key,
                                     Answer.person_id == person.id).execution_options(populate_existing=True)
        return session.scalar(query.with_for_update() if is_postgresql else query)

    answer = current()
    previous: tuple[str | None, int | None] = (None, None)
    if answer is None:
        created = session.execute(insert_for(session, Answer).values(
            meeting_id=meeting.id, group_id=group.id if group else None, group_key=group_key,
            person_id=person.id, for_group=for_group, response=response, headcount=headcount, names=names,
            created_at=now, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["meeting_id", "group_key", "person_id"]).returning(Answer.id))
        raced = created.scalar_one_or_none() is None  # a twin of this answer committed first
        answer = current()
        if raced:
            previous = (answer.response, answer.headcount)
    else:
        previous = (answer.response, answer.headcount)
    answer.response = response
    answer.headcount = headcount
    answer.for_group = for_group
    if names is not None:
        answer.names = names
    answer.updated_at = now
    session.add(AnswerChange(answer_id=answer.id, meeting_id=meeting.id, group_id=answer.group_id,
                             person_id=person.id, for_group=for_group, from_response=previous[0],
                             from_headcount=previous[1], to_response=response, to_headcount=headcount,
                             names=names, at=now, via=via, event_id=event_id))
    quota = next((inv.quota for inv in meeting.invitations if group and inv.group_id == group.id), None)
    session.flush()
    return AnswerRecorded(answer, previous[0], previous[1], quota)
