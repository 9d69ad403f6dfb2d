"""Check-ins at the meeting (self, button, or by a facilitator for someone without a phone) and
`ลบข้อมูลของฉัน` (forget me)."""

from __future__ import annotations

from sqlalchemy import select

from handlers import postbacks, replies
from handlers.meetings import resolve_meeting
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from handlers.when import format_thai_datetime, format_thai_time
from models.attendance import CheckInClosed, Method, check_in, check_in_open
from models.meetings import Meeting, MeetingStatus, open_meetings_in_chat
from models.network import FinancialGroup, find_groups, normalise_name
from models.people import Person, PersonRole, Role, forget, grant
from models.minutes import person_label
from models.safe_text import strip_bidi


def _meeting_now(turn: Turn, code: int | None) -> Meeting | None:
    if code is not None:
        return resolve_meeting(turn, code)
    if turn.event.in_group:
        candidates = open_meetings_in_chat(turn.session, turn.event.chat_id, now=turn.now)
    else:
        groups = turn.person.member_group_ids() if turn.person else set()
        candidates = list(turn.session.scalars(select(Meeting).where(
            Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.MOVED]), Meeting.ends_at >= turn.now)))
        if groups:
            mine = [m for m in candidates if any(inv.group_id in groups for inv in m.invitations)]
            candidates = mine or candidates
    live = [m for m in candidates if check_in_open(m, turn.now)]
    if len(live) >= 1:
        return sorted(live, key=lambda m: abs((m.starts_at - turn.now).total_seconds()))[0]
    if candidates:
        soonest = min(candidates, key=lambda m: m.starts_at)
        turn.say(replies.text(t(turn.lang, "check_in_closed",
                                when=format_thai_datetime(soonest.starts_at, turn.settings.timezone))))
    else:
        turn.say(replies.text(t(turn.lang, "check_in_no_meeting")))
    return None


def _group_for(turn: Turn, meeting: Meeting, person: Person) -> FinancialGroup | None:
    invited = [inv.group for inv in meeting.invitations]
    mine = [g for g in invited if g.id in person.member_group_ids()]
    if len(mine) >= 1:
        return mine[0]
    here = [g for g in invited if turn.event.in_group and g.chat_id == turn.event.chat_id]
    return here[0] if len(here) == 1 else None


def _check_in(turn: Turn, meeting: Meeting, person: Person, group: FinancialGroup | None, method: str,
              by: Person | None = None) -> None:
    tz = turn.settings.timezone
    try:
        row, new = check_in(turn.session, meeting=meeting, person=person, group_id=group.id if group else None,
                            method=method, by=by, now=turn.now)
    except CheckInClosed:
        turn.say(replies.text(t(turn.lang, "check_in_closed", when=format_thai_datetime(meeting.starts_at, tz))))
        return
    name = person_label(person)
    time_text = format_thai_time(row.checked_in_at, tz)
    if new:
        turn.say(replies.text(t(turn.lang, "checked_in", name=name, group=group.name if group else "-",
                                code=meeting.code, time=time_text)))
    else:
        turn.say(replies.text(t(turn.lang, "already_checked_in", name=name, time=time_text)))


def handle_here(turn: Turn, command) -> None:
    """`มาแล้ว` / `/here`: the person checks themself in."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    meeting = _meeting_now(turn, command.meeting)
    if meeting is not None:
        _check_in(turn, meeting, turn.person, _group_for(turn, meeting, turn.person), Method.SELF)


def handle_here_tap(turn: Turn, fields: dict) -> None:
    """The check-in button on the card."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    meeting = _meeting_now(turn, postbacks.int_field(fields, "m"))
    if meeting is not None:
        _check_in(turn, meeting, turn.person, _group_for(turn, meeting, turn.person), Method.BUTTON)


def handle_check_in_other(turn: Turn, command) -> None:
    """`เช็คชื่อ <ชื่อ> <กลุ่ม>`: a facilitator checks in someone without a smartphone (by proxy)."""
    facilitator = turn.person
    if facilitator is None or not facilitator.is_facilitator:
        turn.say(replies.text(t(turn.lang, "check_in_not_allowed")))
        return
    meeting = _meeting_now(turn, command.meeting)
    if meeting is None:
        return
    invited = [inv.group for inv in meeting.invitations]
    group = None
    if command.group:
        matches = [g for g in find_groups(turn.session, command.group) if g in invited]
        if len(matches) != 1:
            turn.say(replies.text(t(turn.lang, "check_in_which_group", group=command.group)))
            return
        group = matches[0]
    elif turn.event.in_group:
        here = [g for g in invited if g.chat_id == turn.event.chat_id]
        group = here[0] if len(here) == 1 else None
    name = command.name.strip()
    person = _person_named(turn, name, group)
    _check_in(turn, meeting, person, group, Method.PROXY, by=facilitator)


def _person_named(turn: Turn, name: str, group: FinancialGroup | None) -> Person:
    """The group's member of that name, or a new person without LINE (an elder with no phone)."""
    wanted = normalise_name(name)
    query = select(Person).where(Person.forgotten_at.is_(None))
    if group is not None:
        query = query.join(PersonRole, PersonRole.person_id == Person.id).where(PersonRole.group_id == group.id)
    for person in turn.session.scalars(query):
        if wanted in (normalise_name(person.full_name or ""), normalise_name(person.display_name or "")):
            return person
    person = Person(full_name=strip_bidi(name) or name, created_at=turn.now)
    turn.session.add(person)
    turn.session.flush()
    if group is not None:
        grant(turn.session, person, Role.MEMBER, group_id=group.id, by="checked in by proxy")
    return person


def handle_forget_me(turn: Turn, _) -> None:
    """`ลบข้อมูลของฉัน`: ask once, with a button, before anything is removed."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    turn.say(replies.text(t(turn.lang, "forget_ask"), [
        replies.postback_item(t(turn.lang, "forget_yes"), postbacks.encode(Action.CONFIRM, f="forget"),
                              display=t(turn.lang, "forget_yes"))]))


def handle_forget_confirmed(turn: Turn, _) -> None:
    if turn.person is None:
        return
    lang = turn.lang
    forget(turn.session, turn.person, now=turn.now)
    turn.say(replies.text(t(lang, "forget_done")))
