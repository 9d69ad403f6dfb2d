"""Facilitators' quick notes during meetings, their photos, and the minutes made from them.

A note is never lost. It goes to the meeting named with `#12`; else to the meeting in progress (from
two hours before the start to three hours after the end) of the chat it was written in; else to
the one in progress that its author is part of (their group is invited, they facilitate its
sub-district, they created it; a coordinator is part of every meeting); else to the meeting of the
author's note of the last half hour in that chat. Otherwise it is kept unfiled (`meeting_id` None)
and the author is asked which meeting, among the recent and upcoming ones they are part of; a tap,
or `บันทึก #12` alone later, files it. A long-past meeting is never guessed. Tags
make the structure of Thai minutes: `#มติ` a resolution, `#ปัญหา` a problem, `#งาน` an action
item with an owner (an @mention) and a due date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, or_, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, BigId
from models.meetings import Invitation, Meeting, MeetingStatus
from models.network import FinancialGroup
from models.people import Person, Role
from thai.when import parse_date

IN_PROGRESS_BEFORE = timedelta(hours=2)  # notes while people gather and set up
IN_PROGRESS_AFTER = timedelta(hours=3)   # after the end: the recorder tidies up on the way home
FOLLOW_WINDOW = timedelta(minutes=30)    # a note this soon after the author's last one joins the same meeting
CHOICE_SPAN = timedelta(days=30)         # the meetings offered when none is clear: this far back and ahead
MAX_CHOICES = 10
PHOTO_WINDOW = timedelta(minutes=2)      # a photo this soon after a note belongs to it
MAX_PHOTO_BYTES = 5 * 1024 * 1024        # flip-chart photos; LINE's own limit is 10 MB


class Tag:
    RESOLUTION = "resolution"  # #มติ
    PROBLEM = "problem"        # #ปัญหา
    ACTION = "action"          # #งาน

    WORDS = {"มติ": RESOLUTION, "ปัญหา": PROBLEM, "งาน": ACTION,
             "resolution": RESOLUTION, "decision": RESOLUTION, "problem": PROBLEM, "issue": PROBLEM,
             "action": ACTION, "todo": ACTION, "task": ACTION}
    THAI = {RESOLUTION: "มติ", PROBLEM: "ปัญหา", ACTION: "งาน"}


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # None: kept unfiled until its author says which meeting (a note is never lost for want of one).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    line_message_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # an action item's owner
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])
    photos: Mapped[list["NotePhoto"]] = relationship(back_populates="note", order_by="NotePhoto.id")

    __table_args__ = (Index("ix_notes_meeting", "meeting_id"),)


class NotePhoto(Base):
    """A photo kept with a note; its bytes are fetched from LINE by the clock, not the webhook."""

    __tablename__ = "note_photos"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # None until a note claims it: a photo sent just before its note waits here a couple of minutes,
    # and one no note claims is never fetched (we keep no stray photos from group chats).
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    line_message_id: Mapped[str] = mapped_column(String(40), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    received_at: Mapped[datetime]
    fetched_at: Mapped[datetime | None]
    fetch_error: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None]

    note: Mapped[Note | None] = relationship(back_populates="photos")


# -- reading a note's text -------------------------------------------------------------------------

# Thai is written without spaces ("#มติที่ประชุม"), so Thai tags need no word boundary; and \b would
# not work anyway after a vowel sign such as the ิ of มติ, which is not a word character.
TAG_PATTERN = re.compile(r"#(มติ|ปัญหา|งาน|(?:resolution|decision|problem|issue|action|todo|task)(?![a-z]))",
                  re.IGNORECASE)


@dataclass(frozen=True)
class ParsedNote:
    text: str
    tags: list[str]
    due: date | None


def parse_note(text: str, *, now: datetime, tz) -> ParsedNote:
    """Tags out of the text; an action item's due date read with the Thai date reader."""
    tags = []
    for match in TAG_PATTERN.finditer(text):
        tag = Tag.WORDS[match.group(1).lower()]
        if tag not in tags:
            tags.append(tag)
    due = None
    if Tag.ACTION in tags:
        found = parse_date(text, now, tz)
        due = found if isinstance(found, date) else None
    return ParsedNote(text=text.strip(), tags=tags, due=due)


# -- which meeting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotePlace:
    """Where a new note goes: a meeting when that is clear, else the meetings to ask about."""

    meeting: Meeting | None
    choices: list[Meeting]


def _of_chat(chat_id: str | None):
    """Meetings of a chat: one of its groups is invited, or it was created there."""
    invited = (select(Invitation.meeting_id).join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
               .where(FinancialGroup.chat_id == chat_id))
    return or_(Meeting.id.in_(invited), Meeting.created_in_chat == chat_id)


def _of_person(person: Person):
    """Meetings a person is part of: created by them, their group invited, or in the area they facilitate."""
    if person.is_coordinator:
        return true()  # coordinators run the network's meetings, all of them
    areas = {r.sub_district_id for r in person.roles if r.role == Role.FACILITATOR}
    if None in areas:
        return true()  # a facilitator with no sub-district of their own serves every meeting
    conditions = [Meeting.created_by_id == person.id]
    groups = person.member_group_ids()
    if groups:
        conditions.append(Meeting.id.in_(select(Invitation.meeting_id).where(Invitation.group_id.in_(groups))))
    if areas:
        conditions.append(Meeting.sub_district_id.in_(areas))
        conditions.append(Meeting.id.in_(
            select(Invitation.meeting_id).join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
            .where(FinancialGroup.sub_district_id.in_(areas))))
    return or_(*conditions)


def _in_progress(now: datetime):
    return (Meeting.starts_at <= now + IN_PROGRESS_BEFORE) & (Meeting.ends_at >= now - IN_PROGRESS_AFTER)


def place_for_note(session: Session, *, author: Person, chat_id: str | None, now: datetime) -> NotePlace:
    """The meeting a note without `#12` belongs to (see the module's docstring), or what to ask."""
    not_cancelled = Meeting.status != MeetingStatus.CANCELLED

    def meetings(*where) -> list[Meeting]:
        return list(session.scalars(select(Meeting).where(not_cancelled, *where)
                                    .order_by(Meeting.starts_at, Meeting.id)))

    for mine in (_of_chat(chat_id), _of_person(author)):
        live = meetings(mine, _in_progress(now))
        if len(live) == 1:
            return NotePlace(live[0], [])
        if live:
            return NotePlace(None, live)
    previous = session.scalars(select(Note).where(
        Note.author_id == author.id, Note.chat_id == chat_id, Note.deleted_at.is_(None),
        Note.meeting_id.is_not(None), Note.created_at >= now - FOLLOW_WINDOW)
        .order_by(Note.created_at.desc(), Note.id.desc())).first()
    if previous is not None:
        followed = session.get(Meeting, previous.meeting_id)
        if followed is not None and followed.status != MeetingStatus.CANCELLED:
            return NotePlace(followed, [])
    near = meetings(or_(_of_chat(chat_id), _of_person(author)),
                    Meeting.starts_at >= now - CHOICE_SPAN, Meeting.starts_at <= now + CHOICE_SPAN)
    nearest = sorted(near, key=lambda m: abs((m.starts_at - now).total_seconds()))[:MAX_CHOICES]
    return NotePlace(None, sorted(nearest, key=lambda m: (m.starts_at, m.id)))


def meeting_for_note(session: Session, chat_id: str, *, now: datetime) -> Meeting | None:
    """For the minutes asked for in a chat: its meeting in progress, else its latest that has started."""
    mine = _of_chat(chat_id)
    live = session.scalars(select(Meeting).where(
        mine, Meeting.status != MeetingStatus.CANCELLED, _in_progress(now))
        .order_by(Meeting.starts_at.desc())).first()
    if live is not None:
        return live
    return session.scalars(select(Meeting).where(mine, Meeting.status != MeetingStatus.CANCELLED,
                                                 Meeting.starts_at <= now + IN_PROGRESS_BEFORE)
                           .order_by(Meeting.starts_at.desc())).first()


def file_note(session: Session, note: Note, meeting: Meeting, *, now: datetime) -> list[Note]:
    """File a kept note under a meeting, with the author's other unfiled notes of that sitting
    (same chat, within half an hour of it): one tap for a burst of notes. Returns those filed."""
    notes = [note]
    if note.author_id is not None:
        notes += list(session.scalars(select(Note).where(
            Note.author_id == note.author_id, Note.chat_id == note.chat_id, Note.meeting_id.is_(None),
            Note.deleted_at.is_(None), Note.id != note.id,
            Note.created_at >= note.created_at - FOLLOW_WINDOW, Note.created_at <= note.created_at + FOLLOW_WINDOW)))
    for each in notes:
        each.meeting_id, each.updated_at = meeting.id, now
    session.flush()
    return notes


def unfiled_notes_of(session: Session, author: Person) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.author_id == author.id, Note.meeting_id.is_(None),
                                                   Note.deleted_at.is_(None)).order_by(Note.created_at, Note.id)))


def add_note(session: Session, *, meeting: Meeting | None, author: Person | None, text: str, chat_id: str | None,
             line_message_id: str | None, now: datetime, tz, owner: Person | None = None) -> Note:
    parsed = parse_note(text, now=now, tz=tz)
    note = Note(meeting_id=meeting.id if meeting else None, chat_id=chat_id, author_id=author.id if author else None,
                line_message_id=line_message_id, text=parsed.text, tags=parsed.tags,
                owner_id=owner.id if owner and Tag.ACTION in parsed.tags else None,
                owner_name=(owner.full_name or owner.display_name) if owner and Tag.ACTION in parsed.tags else None,
                due_date=parsed.due, created_at=now, updated_at=now)
    session.add(note)
    session.flush()
    if author is not None:  # photos sent just before the note belong to it
        for photo in session.scalars(select(NotePhoto).where(
                NotePhoto.author_id == author.id, NotePhoto.note_id.is_(None), NotePhoto.chat_id == chat_id,
                NotePhoto.deleted_at.is_(None), NotePhoto.received_at >= now - PHOTO_WINDOW)):
            photo.note_id = note.id
    return note


def add_photo(session: Session, *, author: Person, chat_id: str | None, line_message_id: str,
              now: datetime) -> NotePhoto:
    """An image from a note-taker: joins their note of the last two minutes, or waits for the next."""
    recent = session.scalars(select(Note).where(
        Note.author_id == author.id, Note.chat_id == chat_id, Note.deleted_at.is_(None),
        Note.created_at >= now - PHOTO_WINDOW).order_by(Note.created_at.desc(), Note.id.desc())).first()
    photo = NotePhoto(note_id=recent.id if recent else None, chat_id=chat_id, line_message_id=line_message_id,
                      author_id=author.id, received_at=now)
    session.add(photo)
    session.flush()
    return photo


def photos_to_fetch(session: Session, *, limit: int = 10) -> list[NotePhoto]:
    return list(session.scalars(select(NotePhoto).where(
        NotePhoto.note_id.is_not(None), NotePhoto.fetched_at.is_(None), NotePhoto.deleted_at.is_(None))
        .order_by(NotePhoto.id).limit(limit)))


def edit_note(session: Session, note: Note, text: str, *, now: datetime, tz) -> None:
    parsed = parse_note(text, now=now, tz=tz)
    note.text, note.tags, note.updated_at = parsed.text, parsed.tags, now
    if Tag.ACTION in parsed.tags:
        note.due_date = parsed.due
    else:
        note.owner_id = note.owner_name = note.due_date = None


def delete_note(session: Session, note: Note, *, now: datetime) -> None:
    note.deleted_at = now
    for photo in note.photos:
        photo.deleted_at, photo.data = now, None


def note_by_message(session: Session, line_message_id: str) -> Note | None:
    return session.scalar(select(Note).where(Note.line_message_id == line_message_id, Note.deleted_at.is_(None)))


def latest_note_by(session: Session, author: Person, *, since: datetime) -> Note | None:
    """The author's most recent live note since `since` (a photo right after a note joins it)."""
    return session.scalars(select(Note).where(Note.author_id == author.id, Note.deleted_at.is_(None),
                                              Note.created_at >= since)
                           .order_by(Note.created_at.desc(), Note.id.desc())).first()


def notes_of(session: Session, meeting_id: int) -> list[Note]:
    # Minutes show each note's author (and whether they are the recorder), owner and photos.
    return list(session.scalars(select(Note).where(Note.meeting_id == meeting_id, Note.deleted_at.is_(None))
                                .order_by(Note.created_at, Note.id)
                                .options(selectinload(Note.author).selectinload(Person.roles),
                                         selectinload(Note.owner), selectinload(Note.photos))))


def unsend(session: Session, line_message_id: str, *, now: datetime) -> str | None:
    """A LINE `unsend` event: remove the note or photo that message made ('note', 'photo' or None)."""
    note = note_by_message(session, line_message_id)
    if note is not None:
        delete_note(session, note, now=now)
        note.text = ""  # unsent means the author wants it gone, not hidden
        return "note"
    photo = session.scalar(select(NotePhoto).where(NotePhoto.line_message_id == line_message_id,
                                                   NotePhoto.deleted_at.is_(None)))
    if photo is not None:
        photo.deleted_at, photo.data = now, None
        return "photo"
    return None
