"""Check-ins at the meeting (self, button, or by a facilitator for someone without a phone) and
`ลบข้อมูลของฉัน` (forget me)."""

from __future__ import annotations

from sqlalchemy import select

from handlers import postbacks, replies
from handlers.meetings import resolve_meeting
from handlers.postbacks import Action
from handlers.texts import datetime_text, t, time_text
from handlers.turn import Turn
from models.attendance import CheckInClosed, Method, attendance_at, came_with, check_in, check_in_open
from models.meetings import Meeting, MeetingStatus, open_meetings_in_chat
from models.network import FinancialGroup, find_groups, groups_in_chat, normalise_name
from models.people import Person, PersonRole, Role, forget, grant
from models.safe_text import strip_bidi


def _meeting_now(turn: Turn, code: int | None, ask=None) -> Meeting | None:
    """The meeting to check in to: the one named, else the only one open for check-in here; with
    two at once it asks with a tap each (`ask(meeting)` is the tap), never guesses."""
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
    live = sorted((m for m in candidates if check_in_open(m, turn.now)), key=lambda m: (m.starts_at, m.id))
    if len(live) == 1:
        return live[0]
    if live:
        ask = ask or (lambda m: replies.postback_item(
            f"{m.code} {m.title}", postbacks.encode(Action.CHECK_IN, m=m.id),
            display=f"{m.code} {m.title}"))
        turn.say(replies.text(t(turn.lang, "check_in_which_meeting"), [ask(m) for m in live[:12]]))
        return None
    if candidates:
        soonest = min(candidates, key=lambda m: m.starts_at)
        turn.say(replies.text(t(turn.lang, "check_in_closed",
                                when=datetime_text(soonest.starts_at, turn.settings.timezone, turn.lang))))
    else:
        turn.say(replies.text(t(turn.lang, "check_in_no_meeting")))
    return None


def _groups_to_ask(turn: Turn, meeting: Meeting) -> list[FinancialGroup]:
    """In a chat of several groups, the ones a newcomer may have come with: the chat's invited groups."""
    if not turn.event.in_group:
        return []
    of_chat = groups_in_chat(turn.session, turn.event.chat_id)
    invited = {inv.group_id for inv in meeting.invitations}
    return [g for g in of_chat if g.id in invited] or of_chat


def _group_for(turn: Turn, meeting: Meeting, person: Person) -> FinancialGroup | None:
    """The group they came with: theirs among the invited (in this chat first), else the chat's one group."""
    invited = [inv.group for inv in meeting.invitations]
    mine = [g for g in invited if g.id in person.member_group_ids()]
    here = [g for g in invited if turn.event.in_group and g.chat_id == turn.event.chat_id]
    mine_here = [g for g in mine if g in here]
    if len(mine_here) == 1 or (mine and not mine_here):
        return (mine_here or mine)[0]
    if not mine_here and len(here) == 1:
        return here[0]
    return None


def _check_in(turn: Turn, meeting: Meeting, person: Person, group: FinancialGroup | None, method: str,
              by: Person | None = None) -> None:
    tz = turn.settings.timezone
    try:
        row, new = check_in(turn.session, meeting=meeting, person=person, group_id=group.id if group else None,
                            method=method, by=by, now=turn.now)
    except CheckInClosed:
        turn.say(replies.text(t(turn.lang, "check_in_closed", when=datetime_text(meeting.starts_at, tz, turn.lang))))
        return
    at = time_text(row.checked_in_at, tz, turn.lang)
    group_name = group.name if group else "-"
    name = person.full_name or person.display_name
    # LINE has not told us their name yet (the clock asks): in a group a mention shows it.
    mention = not name and turn.event.in_group and bool(person.line_user_id)
    who = "{" + replies.MENTION_KEY + "}" if mention else name

    def say(body: str, quick_replies: list | None = None) -> None:
        message = replies.naming(body, person.line_user_id) if mention else replies.text(body)
        if quick_replies:
            message["quickReply"] = {"items": quick_replies[:replies.MAX_QUICK_REPLY_ITEMS]}
        turn.say(message)

    choices = _groups_to_ask(turn, meeting) if row.group_id is None else []
    if len(choices) > 1:  # a chat of several groups and nobody knows theirs yet: ask once, remember
        proxy = person.id if by is not None else None
        say(t(turn.lang, "checked_in_which_group", name=who or t(turn.lang, "you"), code=meeting.code, time=at),
            [replies.postback_item(g.short_label, postbacks.encode(Action.CHECK_IN_GROUP, m=meeting.id, g=g.id, p=proxy),
                                   display=g.name) for g in choices[:12]])
    elif who:
        if new:
            say(t(turn.lang, "checked_in", name=who, group=group_name, code=meeting.code, time=at))
        else:
            say(t(turn.lang, "already_checked_in", name=who, time=at))
    elif new:
        turn.say(replies.text(t(turn.lang, "checked_in_you", group=group_name, code=meeting.code, time=at)))
    else:
        turn.say(replies.text(t(turn.lang, "already_checked_in_you", time=at)))


def handle_here(turn: Turn, command) -> None:
    """`มาแล้ว` / `/here`: the person checks themself in."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    meeting = _meeting_now(turn, command.meeting)
    if meeting is not None:
        _check_in(turn, meeting, turn.person, _group_for(turn, meeting, turn.person), Method.SELF)


def handle_here_tap(turn: Turn, fields: dict) -> None:
    """The check-in button on the card, or a meeting tapped under "check in to which?"."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    meeting = _meeting_now(turn, postbacks.int_field(fields, "m"))
    if meeting is not None:
        _check_in(turn, meeting, turn.person, _group_for(turn, meeting, turn.person), Method.BUTTON)


def handle_check_in_group_tap(turn: Turn, fields: dict) -> None:
    """A group tapped under "which group are you with?": the check-in goes under it, remembered."""
    tapper = turn.person
    if tapper is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    proxy = postbacks.int_field(fields, "p")
    if proxy is not None and not tapper.is_facilitator:
        turn.say(replies.text(t(turn.lang, "check_in_not_allowed")))
        return
    person = turn.session.get(Person, proxy) if proxy is not None else tapper
    meeting = turn.session.get(Meeting, postbacks.int_field(fields, "m") or 0)
    row = attendance_at(turn.session, meeting.id, person.id) if meeting is not None and person is not None else None
    group = next((g for g in _groups_to_ask(turn, meeting) if g.id == postbacks.int_field(fields, "g")), None) \
        if row is not None else None
    if row is None or group is None:
        turn.say(replies.text(t(turn.lang, "check_in_no_meeting")))
        return
    came_with(turn.session, row, group, person=person)
    name = person.full_name or person.display_name
    if name or not person.line_user_id:
        turn.say(replies.text(t(turn.lang, "check_in_group_set", name=name or t(turn.lang, "you"), group=group.name,
                                code=meeting.code)))
    else:  # no name from LINE yet: a mention shows it, never a placeholder
        turn.say(replies.naming(t(turn.lang, "check_in_group_set", name="{" + replies.MENTION_KEY + "}",
                                  group=group.name, code=meeting.code), person.line_user_id))


def handle_check_in_other(turn: Turn, command) -> None:
    """`เช็คชื่อ <ชื่อ> <กลุ่ม>`: a facilitator checks in someone without a smartphone (by proxy)."""
    facilitator = turn.person
    if facilitator is None or not facilitator.is_facilitator:
        turn.say(replies.text(t(turn.lang, "check_in_not_allowed")))
        return
    # With two meetings on, the tap says the same again with the meeting's code.
    said = (turn.event.text or "").strip()
    meeting = _meeting_now(turn, command.meeting, ask=lambda m: replies.message_item(
        f"{m.code} {m.title}", f"{said} {m.code}"))
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
    name = command.name.strip()
    person = _person_named(turn, name, group)
    if group is None:
        group = _group_for(turn, meeting, person)
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
