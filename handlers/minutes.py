"""`บันทึกการประชุม #12` / `/minutes #12`: the minutes of a meeting as chat messages.

For coordinators and facilitators (the recorder asks for them and shares them in the team chat).
Without a code: in a group chat, the meeting in progress for that chat or its latest one (the
meeting notes go to); in a 1:1 chat, the latest meeting the asker took notes in; else the usual
"which meeting?" answer.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers import replies
from handlers.meetings import resolve_meeting
from handlers.turn import Turn
from handlers.texts import t
from models.meetings import Meeting, MeetingStatus
from models.minutes import minutes_data
from models.notes import Note, meeting_for_note
from models.papers import minutes_messages

NEED_FACILITATOR = (
    "ขออภัยครับ บันทึกการประชุมดูได้เฉพาะผู้ประสานงานและคุณอำนวยครับ",
    "Sorry, only coordinators and facilitators can see the minutes.",
)
PICK_MEETING = (
    "บันทึกการประชุมของนัดไหนครับ? แตะเลือกด้านล่าง หรือพิมพ์ เช่น บันทึกการประชุม #12",
    "Minutes of which meeting? Tap one below, or type e.g. /minutes #12",
)
RECENT_CHOICES = 5


def _words(turn: Turn, pair: tuple[str, str]) -> str:
    return pair[1] if turn.lang == "en" else pair[0]


def _my_recent_meetings(turn: Turn) -> list[Meeting]:
    """Meetings the asker wrote notes in, latest first (at most a few, for a choice)."""
    ids = turn.session.scalars(
        select(Note.meeting_id).where(Note.author_id == turn.person.id, Note.deleted_at.is_(None),
                                      Note.meeting_id.is_not(None))
        .order_by(Note.created_at.desc()).limit(200)).all()
    ordered = list(dict.fromkeys(ids))[:RECENT_CHOICES]
    meetings = {m.id: m for m in turn.session.scalars(select(Meeting).where(Meeting.id.in_(ordered)))} if ordered else {}
    return [meetings[i] for i in ordered if i in meetings and meetings[i].status != MeetingStatus.CANCELLED]


def _which(turn: Turn, code: int | None) -> Meeting | None:
    if code is not None:
        return resolve_meeting(turn, code, open_only=False)
    if turn.event.in_group and turn.event.chat_id:
        meeting = meeting_for_note(turn.session, turn.event.chat_id, now=turn.now)
        if meeting is not None:
            return meeting
    else:
        mine = _my_recent_meetings(turn)
        if len(mine) == 1:
            return mine[0]
        if mine:
            said = "/minutes" if turn.lang == "en" else "บันทึกการประชุม"
            turn.say(replies.text(_words(turn, PICK_MEETING), [
                replies.message_item(f"{m.code} {m.title}", f"{said} {m.code}") for m in mine]))
            return None
    said_before = len(turn.answers)
    meeting = resolve_meeting(turn, None, open_only=False)
    if meeting is None and len(turn.answers) == said_before:  # several candidates: it leaves the asking to us
        turn.say(replies.text(_words(turn, PICK_MEETING)))
    return meeting


def handle_minutes(turn: Turn, command) -> None:
    """Reply with the minutes of the meeting `command.meeting` (or the one meant here)."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    if not turn.person.is_facilitator:  # coordinators count as facilitators
        turn.say(replies.text(_words(turn, NEED_FACILITATOR)))
        return
    meeting = _which(turn, getattr(command, "meeting", None))
    if meeting is None:
        return
    turn.say(*minutes_messages(minutes_data(turn.session, meeting), turn.settings.timezone, lang=turn.lang))
