"""`บันทึกการประชุม #12` / `/minutes #12`: the minutes of a meeting as chat messages.

For coordinators and facilitators (the recorder asks for them and shares them in the team chat).
Without a code: in a group chat, the meeting in progress for that chat or its latest one (the
meeting notes go to); in a 1:1 chat, the latest meeting the asker took notes in; else the usual
"which meeting?" answer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from exports.minutes import MinutesReading, one_line, read_minutes
from handlers import replies
from handlers.meetings import resolve_meeting
from handlers.turn import Turn
from handlers.texts import date_text, status_word, t, time_text
from models.line_limits import MAX_MESSAGES_PER_REQUEST, MAX_TEXT_UTF16, split_text, utf16_len
from models.meetings import Meeting, MeetingStatus
from models.minutes import MinutesData, minutes_data
from models.notes import Note, meeting_for_note
from models.paper_words import local
from models.safe_text import strip_bidi
from thai.when import BANGKOK

NEED_FACILITATOR = (
    "ขออภัยครับ บันทึกการประชุมดูได้เฉพาะผู้ประสานงานและคุณอำนวยครับ",
    "Sorry, only coordinators and facilitators can see the minutes.",
)
PICK_MEETING = (
    "บันทึกการประชุมของนัดไหนครับ? แตะเลือกด้านล่าง หรือพิมพ์ เช่น บันทึกการประชุม #12",
    "Minutes of which meeting? Tap one below, or type e.g. /minutes #12",
)
RECENT_CHOICES = 5


# --------------------------------------------------------------------------- the minutes as LINE messages


def _text_lines(mm: MinutesReading, *, names: bool, say: Callable[..., str]) -> list[tuple[str, bool]]:
    """The chat version, line by line; the flag marks note lines (the part cut first).
    `say(key, **fields)`: the catalogue in the reader's language."""
    lines: list[tuple[str, bool]] = [(say("minutes_heading", code=mm.code), False), (mm.title, False),
                                     (say("minutes_when", number=mm.number, date=mm.date, time=mm.time_range), False),
                                     (say("minutes_venue", venue=mm.venue), False)]
    if mm.status:
        lines.append((say("minutes_status", status=mm.status), False))
    counts = say("minutes_attended", n=mm.attended)
    if mm.groups_invited:
        counts += say("minutes_attended_groups", present=mm.groups_present, invited=mm.groups_invited)
    if mm.proxies:
        counts += say("minutes_attended_proxies", n=mm.proxies)
    lines += [("", False), (say("minutes_present", counts=counts), False)]
    for group, people in mm.present:
        lines.append((f"• {group} ({len(people)})" + (f": {', '.join(people)}" if names else ""), False))
    if mm.absent:
        lines.append((say("minutes_absent", n=len(mm.absent), names=", ".join(mm.absent)), False))
    if mm.agenda:
        lines += [("", False), (say("minutes_agenda"), False)] + [(line, False) for line in mm.agenda]
    lines += _decision_lines(mm, say)
    lines += [("", False), (say("minutes_notes", n=len(mm.notes)), False)]
    for n in mm.notes:
        photo = say("minutes_note_photos", n=len(n.photos)) if n.photos else ""
        lines.append((f"{n.at[:5]} {n.author}: {one_line(n.text)}{photo}", True))
    if mm.photo_count:
        lines.append((say("minutes_photos", n=mm.photo_count), False))
    lines += [("", False), (say("minutes_start_end", start=mm.start, end=mm.end), False)]
    if mm.recorders:
        lines.append((say("minutes_recorders", names=", ".join(mm.recorders)), False))
    # Plain text in LINE needs no escaping, but a right-to-left override in a name or a note would
    # turn the rest of the message around.
    return [(strip_bidi(line), is_note) for line, is_note in lines]


def _decision_lines(mm: MinutesReading, say: Callable[..., str]) -> list[tuple[str, bool]]:
    """Resolutions, problems and action items, numbered."""
    lines: list[tuple[str, bool]] = []
    for heading, items in ((say("minutes_resolutions"), mm.resolutions), (say("minutes_problems"), mm.problems)):
        if items:
            lines += [("", False), (heading, False)]
            lines += [(f"{i}. {one_line(text)}", False) for i, text in enumerate(items, 1)]
    if mm.actions:
        lines += [("", False), (say("minutes_actions"), False)]
        lines += [(f"{i}. {one_line(a.text)}" + say("minutes_action_owner", owner=a.owner)
                   + (say("minutes_action_due", due=a.due) if a.due != "-" else ""),
                   False) for i, a in enumerate(mm.actions, 1)]
    return lines


def _in_language(mm: MinutesReading, data: MinutesData, tz: ZoneInfo, lang: str) -> MinutesReading:
    """The minutes' dates, times and status in the reader's language (the papers stay Thai)."""
    if lang != "en":
        return mm
    m = data.meeting
    start, end = time_text(m.starts_at, tz, lang), time_text(m.ends_at, tz, lang)
    same_day = m.ends_at and local(m.starts_at, tz).date() == local(m.ends_at, tz).date()
    return replace(
        mm, date=date_text(m.starts_at, tz, lang), start=start, end=end,
        time_range=f"{start}–{end}" if same_day else f"{start} – {date_text(m.ends_at, tz, lang)} {end}",
        status=status_word(lang, m.status) if mm.status else None,
        venue=" ".join(filter(None, [m.venue_name, m.venue_address])) or "-",
        actions=[replace(a, due=date_text(n.due_date, tz, lang) if n.due_date else "-")
                 for a, n in zip(mm.actions, data.actions)])


def _pack(lines: list[str], limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            if current.strip():
                out.append(current)
            current = line
    if current.strip():
        out.append(current)
    return out


def _cut_to_fit(condensed: list[tuple[str, bool]], notice: Callable[[int], str], max_messages: int) -> list[str]:
    """The condensed lines in at most `max_messages` texts, cut where they no longer fit, the last
    ending with `notice(notes shown)`."""
    limit = MAX_TEXT_UTF16
    # Room for the notice in the last message (its longest form), then fill line by line.
    room_last = limit - utf16_len(notice(0)) - 2
    out: list[str] = []
    current = ""
    shown = 0
    for line, is_note in condensed:
        room = room_last if len(out) == max_messages - 1 else limit
        parts = split_text(line, room_last) if utf16_len(line) > room_last else [line]
        stop = False
        for part in parts:
            candidate = f"{current}\n{part}" if current else part
            if utf16_len(candidate) <= room:
                current = candidate
                continue
            if len(out) == max_messages - 1:
                stop = True
                break
            out.append(current)
            current = part
            room = room_last if len(out) == max_messages - 1 else limit
        if stop:
            break
        shown += int(is_note)
    tail = notice(shown)
    if current.strip() and utf16_len(current.rstrip()) + 2 + utf16_len(tail) <= limit:
        out.append(current.rstrip() + "\n\n" + tail)
    else:  # only before the last message, so there is a message left for the notice
        out.append(current)
        out.append(tail)
    return out


def minutes_messages(data: MinutesData, tz: ZoneInfo = BANGKOK, *, lang: str = "th",
                     max_messages: int = MAX_MESSAGES_PER_REQUEST) -> list[dict[str, Any]]:
    """The minutes as LINE text messages: each at most 5,000 UTF-16 units, at most `max_messages`.

    When the whole does not fit, the attendees' names give way to counts per group, then the notes
    are cut from the end, and the last message says so and names the command that prints it all.
    """
    if max_messages < 1:
        raise ValueError("max_messages must be at least 1")
    mm = _in_language(read_minutes(data, tz), data, tz, lang)
    limit = MAX_TEXT_UTF16

    def say(key: str, **fields) -> str:
        return t(lang, key, **fields)

    full = [line for line, _ in _text_lines(mm, names=True, say=say)]
    expanded = [p for line in full for p in (split_text(line, limit) if utf16_len(line) > limit else [line])]
    texts = _pack(expanded, limit)
    if len(texts) <= max_messages:
        return [{"type": "text", "text": text.strip("\n")} for text in texts]

    condensed = _text_lines(mm, names=False, say=say)
    total_notes = sum(1 for _, is_note in condensed if is_note)

    def notice(shown: int) -> str:
        left = total_notes - shown
        return (say("minutes_cut") + (say("minutes_cut_left", n=left) if left > 0 else "")
                + say("minutes_cut_full", code=mm.meeting_id))

    out = _cut_to_fit(condensed, notice, max_messages)
    return [{"type": "text", "text": text.strip("\n")} for text in out if text.strip()]


# --------------------------------------------------------------------------- the command


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
