"""Facilitators' quick notes during meetings, their photos, and the minutes made from them.

A note belongs to the meeting in progress for its chat (from an hour before the start to three
hours after the end), else to the chat's latest meeting, or to the one named with `#12`. Tags
make the structure of Thai minutes: `#มติ` a resolution, `#ปัญหา` a problem, `#งาน` an action
item with an owner (an @mention) and a due date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, BigId
from models.meetings import Invitation, Meeting, MeetingStatus
from models.network import FinancialGroup
from models.people import Person
from thai.when import parse_date

IN_PROGRESS_BEFORE = timedelta(hours=1)
IN_PROGRESS_AFTER = timedelta(hours=3)
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
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
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


def meeting_for_note(session: Session, chat_id: str, *, now: datetime) -> Meeting | None:
    """The meeting in progress for this chat, else the chat's latest meeting that has started."""
    invited = (select(Invitation.meeting_id).join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
               .where(FinancialGroup.chat_id == chat_id))
    mine = or_(Meeting.id.in_(invited), Meeting.created_in_chat == chat_id)
    live = session.scalars(select(Meeting).where(
        mine, Meeting.status != MeetingStatus.CANCELLED,
        Meeting.starts_at <= now + IN_PROGRESS_BEFORE, Meeting.ends_at >= now - IN_PROGRESS_AFTER)
        .order_by(Meeting.starts_at.desc())).first()
    if live is not None:
        return live
    return session.scalars(select(Meeting).where(mine, Meeting.status != MeetingStatus.CANCELLED,
                                                 Meeting.starts_at <= now + IN_PROGRESS_BEFORE)
                           .order_by(Meeting.starts_at.desc())).first()


def add_note(session: Session, *, meeting: Meeting, author: Person | None, text: str, chat_id: str | None,
             line_message_id: str | None, now: datetime, tz, owner: Person | None = None) -> Note:
    parsed = parse_note(text, now=now, tz=tz)
    note = Note(meeting_id=meeting.id, chat_id=chat_id, author_id=author.id if author else None,
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
