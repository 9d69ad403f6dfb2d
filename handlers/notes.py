"""Facilitators' quick notes, their photos, corrections and LINE's unsend/edit events."""

from __future__ import annotations

import re

from handlers import replies
from handlers.meetings import resolve_meeting
from handlers.texts import date_text, t
from handlers.turn import Turn
from models.notes import (
    add_note,
    add_photo,
    delete_note,
    edit_note,
    latest_note_by,
    meeting_for_note,
    note_by_message,
    unsend,
)
from models.people import ensure_person

CORRECTION = re.compile(r"^\s*(?:(แก้บันทึก|/edit-note)\s+(?P<text>.+)|(?P<delete>ลบบันทึก|/delete-note))\s*$", re.S)
CORRECTION_WINDOW_HOURS = 24


def _may_note(turn: Turn, meeting) -> bool:
    person = turn.person
    if person is None:
        return False
    if person.is_facilitator:
        return True
    return meeting.leaders_may_note and bool(person.led_group_ids())


def handle_note(turn: Turn, command) -> None:
    """`บันทึก <ข้อความ>` / `/note`: a note for the meeting in progress here (or `#12`)."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    if command.meeting is not None:
        meeting = resolve_meeting(turn, command.meeting)
        if meeting is None:
            return
    else:
        meeting = meeting_for_note(turn.session, turn.event.chat_id, now=turn.now)
        if meeting is None and turn.event.in_direct_chat:
            meeting = resolve_meeting(turn, None, open_only=False)
            if meeting is None:
                return
    if meeting is None:
        turn.say(replies.text(t(turn.lang, "note_no_meeting")))
        return
    if not _may_note(turn, meeting):
        turn.say(replies.text(t(turn.lang, "note_not_allowed")))
        return
    mentioned = [uid for uid in turn.event.mentioned_user_ids if uid]
    owner = ensure_person(turn.session, mentioned[0]) if mentioned else None
    note = add_note(turn.session, meeting=meeting, author=turn.person, text=command.text, chat_id=turn.event.chat_id,
                    line_message_id=turn.event.message_id, now=turn.now, tz=turn.settings.timezone, owner=owner)
    tags = "".join(f" #{t(turn.lang, 'tag_' + tag)}" for tag in note.tags)
    if note.due_date:
        tags += t(turn.lang, "note_due", date=date_text(note.due_date, turn.settings.timezone, turn.lang))
    turn.say(replies.text(t(turn.lang, "note_saved", code=meeting.code, tags=tags)))


def correction(turn: Turn):
    """`แก้บันทึก <ข้อความใหม่>` / `ลบบันทึก`: the author's own latest note."""
    if not turn.event.text:
        return None
    match = CORRECTION.match(turn.event.text)
    return match


def handle_correction(turn: Turn, match) -> None:
    from datetime import timedelta

    person = turn.person
    note = latest_note_by(turn.session, person, since=turn.now - timedelta(hours=CORRECTION_WINDOW_HOURS)) \
        if person else None
    if note is None:
        turn.say(replies.text(t(turn.lang, "note_none_to_change")))
        return
    if match.group("delete"):
        delete_note(turn.session, note, now=turn.now)
        turn.say(replies.text(t(turn.lang, "note_deleted")))
    else:
        edit_note(turn.session, note, match.group("text"), now=turn.now, tz=turn.settings.timezone)
        turn.say(replies.text(t(turn.lang, "note_edited")))


def handle_edited_message(turn: Turn, _) -> None:
    """LINE's `messageEdited`: when the edited message was a note, the note follows the edit."""
    note = note_by_message(turn.session, turn.event.message_id or "")
    if note is None or turn.person is None or note.author_id != turn.person.id or not turn.event.text:
        return
    text = re.sub(r"^\s*(บันทึก|/note)\s*", "", turn.event.text)
    edit_note(turn.session, note, text, now=turn.now, tz=turn.settings.timezone)


def is_note_photo(turn: Turn):
    return (turn.event.type == "message" and turn.event.message_type == "image" and turn.person is not None
            and turn.event.message_id is not None and turn.person.is_facilitator) or None


def handle_photo(turn: Turn, _) -> None:
    """A flip-chart photo: kept with the author's note (fetched from LINE by the clock). Silent."""
    add_photo(turn.session, author=turn.person, chat_id=turn.event.chat_id, line_message_id=turn.event.message_id,
              now=turn.now)


def handle_unsend(turn: Turn, _) -> None:
    """LINE's `unsend`: the person took the message back, so the note or photo goes too. Silent."""
    if turn.event.unsent_message_id:
        unsend(turn.session, str(turn.event.unsent_message_id), now=turn.now)
