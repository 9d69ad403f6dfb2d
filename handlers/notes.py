"""Facilitators' quick notes, their photos, corrections and LINE's unsend/edit events."""

from __future__ import annotations

from datetime import timedelta

from handlers import commands, postbacks, replies
from handlers.meetings import meeting_choices, resolve_meeting
from handlers.postbacks import Action
from handlers.texts import date_text, t
from handlers.turn import Turn
from models.notes import (
    Note,
    add_note,
    add_photo,
    delete_note,
    edit_note,
    file_note,
    latest_note_by,
    note_by_message,
    place_for_note,
    unfiled_notes_of,
    unsend,
)
from models.meetings import Meeting
from models.people import ensure_person

CORRECTION_WINDOW_HOURS = 24


def _may_note(turn: Turn, meeting) -> bool:
    person = turn.person
    if person is None:
        return False
    if person.is_facilitator:
        return True
    return meeting.leaders_may_note and bool(person.led_group_ids())


def handle_note(turn: Turn, command) -> None:
    """`บันทึก <ข้อความ>` / `/note`: a note for the meeting named, in progress, or asked about; never lost."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    if command.meeting is not None:
        meeting = resolve_meeting(turn, command.meeting)
        if meeting is None:
            return
        if not _may_note(turn, meeting):
            turn.say(replies.text(t(turn.lang, "note_not_allowed")))
            return
        kept = unfiled_notes_of(turn.session, turn.person) if not command.text else []
        if kept:  # `บันทึก #12` alone: the notes kept unfiled go to #12
            for note in kept:
                file_note(turn.session, note, meeting, now=turn.now)
            turn.say(replies.text(t(turn.lang, "note_filed", n=len(kept), code=meeting.code)))
            return
        _save(turn, meeting, command.text)
        return
    place = place_for_note(turn.session, author=turn.person, chat_id=turn.event.chat_id, now=turn.now)
    if place.meeting is not None:
        if not _may_note(turn, place.meeting):
            turn.say(replies.text(t(turn.lang, "note_not_allowed")))
            return
        _save(turn, place.meeting, command.text)
        return
    choices = [m for m in place.choices if _may_note(turn, m)]
    if not turn.person.is_facilitator and not choices:
        turn.say(replies.text(t(turn.lang, "note_not_allowed")))
        return
    note = _save(turn, None, command.text, quiet=True)
    if choices:
        turn.say(replies.text(t(turn.lang, "note_which_meeting"), meeting_choices(
            turn, choices, lambda m: postbacks.encode(Action.FILE_NOTE, n=note.id, m=m.id))))
    else:
        turn.say(replies.text(t(turn.lang, "note_kept_unfiled")))


def _save(turn: Turn, meeting: Meeting | None, text: str, *, quiet: bool = False):
    mentioned = [uid for uid in turn.event.mentioned_user_ids if uid]
    typed_names = dict(turn.event.mentions)  # the name typed in the mention, until LINE tells us theirs
    owner = ensure_person(turn.session, mentioned[0], display_name=typed_names.get(mentioned[0]) or None) \
        if mentioned else None
    note = add_note(turn.session, meeting=meeting, author=turn.person, text=text, chat_id=turn.event.chat_id,
                    line_message_id=turn.event.message_id, now=turn.now, tz=turn.settings.timezone, owner=owner)
    if not quiet:
        tags = "".join(f" #{t(turn.lang, 'tag_' + tag)}" for tag in note.tags)
        if note.due_date:
            tags += t(turn.lang, "note_due", date=date_text(note.due_date, turn.settings.timezone, turn.lang))
        turn.say(replies.text(t(turn.lang, "note_saved", code=meeting.code, tags=tags)))
    return note


def handle_file_tap(turn: Turn, fields: dict) -> None:
    """A tap on a meeting under "which meeting is this note for?": files the kept note (and its burst)."""
    person = turn.person
    note = turn.session.get(Note, postbacks.int_field(fields, "n") or 0)
    if person is None or note is None or note.deleted_at is not None or note.author_id != person.id:
        turn.say(replies.text(t(turn.lang, "note_none_to_change")))
        return
    meeting = resolve_meeting(turn, postbacks.int_field(fields, "m") or 0)
    if meeting is None:
        return
    if not _may_note(turn, meeting):
        turn.say(replies.text(t(turn.lang, "note_not_allowed")))
        return
    filed = file_note(turn.session, note, meeting, now=turn.now)
    turn.say(replies.text(t(turn.lang, "note_filed", n=len(filed), code=meeting.code)))


def handle_correction(turn: Turn, command) -> None:
    """`แก้บันทึก <ข้อความใหม่>` / `ลบบันทึก`: the author's own latest note."""
    person = turn.person
    note = latest_note_by(turn.session, person, since=turn.now - timedelta(hours=CORRECTION_WINDOW_HOURS)) \
        if person else None
    if note is None:
        turn.say(replies.text(t(turn.lang, "note_none_to_change")))
        return
    if isinstance(command, commands.DeleteNote):
        delete_note(turn.session, note, now=turn.now)
        turn.say(replies.text(t(turn.lang, "note_deleted")))
    else:
        edit_note(turn.session, note, command.text, now=turn.now, tz=turn.settings.timezone)
        turn.say(replies.text(t(turn.lang, "note_edited")))


def handle_edited_message(turn: Turn, _) -> None:
    """LINE's `messageEdited`: when the edited message was a note, the note follows the edit (the
    parser reads the edited text: `บันทึก ...` gives the note's text without the keyword)."""
    note = note_by_message(turn.session, turn.event.message_id or "")
    if note is None or turn.person is None or note.author_id != turn.person.id or not turn.event.text:
        return
    command = turn.command
    text = command.text if isinstance(command, commands.Note) else turn.event.text
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
