"""Coordinators' meeting commands: create, invite, move, cancel; everyone's list and summary."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from handlers import cards, postbacks, replies
from handlers.commands import Summary
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from handlers.when import Unclear, When, format_thai_date, format_thai_datetime, parse_when
from models import conversations
from models.meetings import (
    Meeting,
    MeetingNotFound,
    MeetingStatus,
    cancel_meeting,
    create_meeting,
    get_meeting,
    invite,
    invited_chat_ids,
    move_meeting,
    open_meetings_in_chat,
    upcoming_meetings,
)
from models.network import Chat, FinancialGroup, GroupKind, SubDistrict, find_groups, find_sub_district, groups_in_chat
from models.quota import chat_cost
from models.tally import MeetingTally, tally

FLOW_CREATE = "meet"
FLOW_MOVE = "move"
COMMON_TIMES = (time(8, 0), time(8, 30), time(9, 0), time(9, 30), time(10, 0), time(13, 0), time(13, 30))
VENUE_WORDS = ("วัด", "มัสยิด", "ศาลา", "สนง", "สำนักงาน", "โรงเรียน", "อบต", "บ้าน", "ที่ทำการ", "หอประชุม",
               "ห้องประชุม", "ร้าน", "โรงแรม", "ศูนย์", "กศน", "Wat", "wat")


def card(turn: Turn, meeting: Meeting, current, *, group_id: int | None = None, lang: str | None = None,
         notice: str | None = None) -> dict:
    """A meeting's card as this deployment shows it (with the group's calendar link when known)."""
    return cards.meeting_card(meeting, current, lang=lang or turn.lang, group_id=group_id, notice=notice, now=turn.now,
                              calendar_url=turn.settings.calendar_link(group_id) if group_id else None)


def _require_coordinator(turn: Turn) -> bool:
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return False
    if not turn.person.is_coordinator:
        turn.say(replies.text(t(turn.lang, "need_coordinator")))
        return False
    return True


def _when_text(turn: Turn, when: datetime) -> str:
    if turn.lang == "en":
        return when.astimezone(turn.settings.timezone).strftime("%a %-d %b %Y, %H:%M")
    return format_thai_datetime(when, turn.settings.timezone)


def split_title_and_venue(rest: str) -> tuple[str, str | None]:
    """`วัดบางหลวง เรื่อง หารือ...` → ("หารือ...", "วัดบางหลวง"). Without `เรื่อง`, a first phrase
    that names a place (วัด…, มัสยิด…, ที่ …) is the venue and the rest the title."""
    rest = re.sub(r"\s+", " ", rest).strip()
    for marker in ("เรื่อง", "หัวข้อ", "about", "topic"):
        if marker in rest:
            before, after = rest.split(marker, 1)
            venue = before.strip().removeprefix("ที่").strip() or None
            return after.strip(" :") or "ประชุม", venue
    if rest.startswith("ที่"):
        words = rest[3:].strip().split(" ", 1)
        return (words[1] if len(words) > 1 else "ประชุม"), words[0] or None
    if rest.startswith("at "):
        words = rest[3:].strip().split(" ", 1)
        return (words[1] if len(words) > 1 else "meeting"), words[0] or None
    words = rest.split(" ", 1)
    if words and words[0].startswith(VENUE_WORDS):
        return (words[1] if len(words) > 1 else "ประชุม"), words[0]
    return rest or "ประชุม", None


# -- creating ------------------------------------------------------------------------------------


def handle_create(turn: Turn, command) -> None:
    """`นัด 15 ส.ค. 09:00 วัดบางหลวง เรื่อง ...`, or `นัด` alone for the guided flow."""
    if not _require_coordinator(turn):
        return
    found, rest = parse_when(command.text, turn.now, turn.settings.timezone, need_time=True)
    if isinstance(found, When):
        _create(turn, found.start, rest)
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW_CREATE,
                           {"text": rest if found is not None else command.text}, now=turn.now)
    _ask_when(turn, found, FLOW_CREATE)


def _ask_when(turn: Turn, unclear: Unclear | None, flow: str) -> None:
    """Ask for the date and time with LINE's picker (nothing to type) and the readings we saw."""
    tz = turn.settings.timezone
    local_now = turn.now.astimezone(tz)
    choices = []
    if unclear is not None and unclear.candidates:
        days = {c.date() for c in unclear.candidates}
        if len(days) == 1 and all(c.time() == time(0) for c in unclear.candidates):
            # The date is known, the time is not: offer the usual meeting times.
            day = unclear.candidates[0].date()
            for at in COMMON_TIMES:
                start = datetime.combine(day, at, tzinfo=tz)
                if start > turn.now:
                    choices.append(replies.postback_item(
                        f"{at:%H.%M} น.", postbacks.encode(Action.PICK_DATE, f=flow, at=start.strftime("%Y-%m-%dT%H:%M")),
                        display=f"{at:%H.%M} น."))
            text = t(turn.lang, "ask_time", date=format_thai_date(day, tz))
        else:
            for candidate in unclear.candidates[:10]:
                choices.append(replies.postback_item(
                    format_thai_datetime(candidate, tz).replace("วัน", "", 1)[:20],
                    postbacks.encode(Action.PICK_DATE, f=flow, at=candidate.astimezone(tz).strftime("%Y-%m-%dT%H:%M")),
                    display=format_thai_datetime(candidate, tz)))
            text = t(turn.lang, "unclear_when", reason=unclear.reason)
    else:
        text = t(turn.lang, "ask_when")
    choices.append(replies.datetime_picker_item(
        t(turn.lang, "pick_when"), postbacks.encode(Action.PICK_DATE, f=flow),
        initial=(local_now + timedelta(days=7)).replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M"),
        minimum=local_now.strftime("%Y-%m-%dT%H:%M")))
    turn.say(replies.text(text, choices))


PICKABLE_AHEAD = timedelta(days=3 * 366)


def handle_picked_when(turn: Turn, fields: dict) -> None:
    """The date-time picker (or a suggested time) answered a pending create or move."""
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id or "", now=turn.now)
    value = turn.event.postback_params.get("datetime") or fields.get("at")
    if step is None or step.flow != fields.get("f") or not postbacks.is_minute(value):
        turn.say(replies.text(t(turn.lang, "ask_when")))
        return
    start = datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=turn.settings.timezone)
    if start > turn.now + PICKABLE_AHEAD:  # the tap is untrusted: a year 9999 is no meeting
        turn.say(replies.text(t(turn.lang, "ask_when")))
        return
    handle_picked_when_value(turn, step, start)


def pending_when(turn: Turn):
    """When this person is in a create or move flow and typed a readable date: (step, start)."""
    if not turn.event.user_id:
        return None
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id, now=turn.now)
    if step is None or step.flow not in (FLOW_CREATE, FLOW_MOVE):
        return None
    found, _ = parse_when(turn.event.text, turn.now, turn.settings.timezone, need_time=True)
    return (step, found.start) if isinstance(found, When) else None


def complete_with_typed_when(turn: Turn, found) -> None:
    step, start = found
    handle_picked_when_value(turn, step, start)


def handle_picked_when_value(turn: Turn, step, start: datetime) -> None:
    conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
    if not _require_coordinator(turn):
        return
    if step.flow == FLOW_CREATE:
        _create(turn, start, step.data.get("text", ""))
    else:
        try:
            meeting = get_meeting(turn.session, int(step.data["meeting"]))
        except (MeetingNotFound, KeyError, ValueError):
            turn.say(replies.text(t(turn.lang, "move_which")))
            return
        _move(turn, meeting, start)


def _create(turn: Turn, start: datetime, rest: str) -> None:
    if start <= turn.now:
        turn.say(replies.text(t(turn.lang, "meeting_in_past", when=_when_text(turn, start))))
        return
    title, venue = split_title_and_venue(rest.removeprefix("นัด").strip())
    chat_groups = groups_in_chat(turn.session, turn.event.chat_id) if turn.event.in_group else []
    sub_ids = {g.sub_district_id for g in chat_groups if g.sub_district_id}
    meeting = create_meeting(turn.session, title=title, starts_at=start, venue_name=venue,
                             sub_district_id=sub_ids.pop() if len(sub_ids) == 1 else None,
                             created_by=turn.person, created_in_chat=turn.event.chat_id, now=turn.now)
    for group in chat_groups:  # by default the chat where it was made is invited
        invite(turn.session, meeting, group, None, by=turn.person, now=turn.now)
    note = t(turn.lang, "meeting_created", code=meeting.code, when=_when_text(turn, start))
    if not turn.event.in_group:
        note += "\n" + t(turn.lang, "meeting_created_direct", code=meeting.code)
    elif not chat_groups:
        note += "\n" + t(turn.lang, "meeting_created_unlinked")
    turn.say(replies.text(note))
    current = tally(turn.session, meeting)
    group_id = chat_groups[0].id if len(chat_groups) == 1 else None
    turn.say(card(turn, meeting, current, group_id=group_id))


def _card_key(meeting: Meeting, chat_id: str, what: str = "invite") -> str:
    return f"card:{meeting.id}:{chat_id}:{what}"


# -- which meeting -------------------------------------------------------------------------------


def resolve_meeting(turn: Turn, code: int | None, *, open_only: bool = True) -> Meeting | None:
    """The meeting a command means: the code given, else the only open one here; else ask."""
    if code is not None:
        try:
            meeting = get_meeting(turn.session, code)
        except MeetingNotFound:
            turn.say(replies.text(t(turn.lang, "meeting_not_found", code=code)))
            return None
        return meeting
    if turn.event.in_group:
        candidates = open_meetings_in_chat(turn.session, turn.event.chat_id, now=turn.now)
    else:
        person = turn.person
        groups = person.member_group_ids() if person else set()
        candidates = upcoming_meetings(turn.session, now=turn.now, group_ids=groups or None,
                                       chat_id=turn.event.chat_id)
        if not candidates and person is not None and (person.is_coordinator or person.is_facilitator):
            candidates = upcoming_meetings(turn.session, now=turn.now)
        candidates = [m for m in candidates if m.is_open] if open_only else candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        turn.say(replies.text(t(turn.lang, "no_open_meeting")))
    return None


def meeting_choices(turn: Turn, meetings: list[Meeting], make_data) -> list[dict]:
    tz = turn.settings.timezone
    return [replies.postback_item(f"{m.code} {format_thai_date(m.starts_at, tz).split(' ', 1)[-1]}",
                                  make_data(m), display=f"{m.code} {m.title}") for m in meetings[:12]]


# -- invite --------------------------------------------------------------------------------------


def handle_invite(turn: Turn, command) -> None:
    """`เชิญ <กลุ่ม|ตำบล> <จำนวน> [#12]`: invite a group, or every group of a sub-district."""
    if not _require_coordinator(turn):
        return
    meeting = resolve_meeting(turn, command.meeting)
    if meeting is None:
        if command.meeting is None and not turn.answers:
            turn.say(replies.text(t(turn.lang, "invite_which_meeting")))
        return
    if not meeting.is_open:
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=MeetingStatus.THAI[meeting.status])))
        return
    groups = _invite_targets(turn, command.target)
    if groups is None:
        return
    _invite_groups(turn, meeting, groups, command.quota)


def _invite_targets(turn: Turn, target: str) -> list[FinancialGroup] | None:
    """A sub-district (optionally narrowed by kind: กองทุน / ออมทรัพย์), else a group by name."""
    kind = None
    words = target
    for needle, group_kind in (("กองทุน", GroupKind.VILLAGE_FUND), ("ออมทรัพย์", GroupKind.SAVINGS_GROUP),
                               ("fund", GroupKind.VILLAGE_FUND), ("saving", GroupKind.SAVINGS_GROUP)):
        if needle in target.lower():
            kind = group_kind
            words = re.sub(needle + r"\S*", " ", target, flags=re.IGNORECASE)
    sub = _sub_district_in(turn, words)
    if sub is not None:
        from sqlalchemy import select

        query = select(FinancialGroup).where(FinancialGroup.sub_district_id == sub.id).order_by(FinancialGroup.id)
        groups = [g for g in turn.session.scalars(query) if kind is None or g.kind == kind]
        if groups:
            return groups
    found = find_groups(turn.session, target)
    if len(found) == 1:
        return found
    if found:
        turn.say(replies.text(t(turn.lang, "invite_pick", target=target), [
            replies.message_item(g.name, f"เชิญ {g.name}") for g in found[:12]]))
        return None
    turn.say(replies.text(t(turn.lang, "invite_no_target", target=target)))
    return None


def _sub_district_in(turn: Turn, text: str) -> SubDistrict | None:
    cleaned = re.sub(r"\s+", " ", text.replace("ตำบล", " ").replace("ต.", " ")).strip()
    if not cleaned:
        return None
    sub = find_sub_district(turn.session, cleaned)
    if sub is not None:
        return sub
    from sqlalchemy import select

    for candidate in turn.session.scalars(select(SubDistrict)):
        if candidate.name in cleaned or (candidate.name_en and candidate.name_en.lower() in cleaned.lower()):
            return candidate
    return None


def _invite_groups(turn: Turn, meeting: Meeting, groups: list[FinancialGroup], quota: int | None) -> None:
    pushed_chats: set[str] = set()
    unlinked = []
    cost = 0
    for group in groups:
        invite(turn.session, meeting, group, quota, by=turn.person, now=turn.now)
        if not group.chat_id:
            unlinked.append(group)
    current = tally(turn.session, meeting)
    for group in groups:
        chat_id = group.chat_id
        if not chat_id or chat_id in pushed_chats:
            continue
        pushed_chats.add(chat_id)
        if chat_id == turn.event.chat_id:
            turn.say(card(turn, meeting, current, group_id=group.id))
            continue
        if chat_id == meeting.created_in_chat:
            continue  # it got the card in the reply that created the meeting
        chat = turn.session.get(Chat, chat_id)
        if chat is not None and chat.left_at is not None:
            continue
        members = chat_cost(chat.member_count if chat else None)
        rows = turn.push(chat_id, [card(turn, meeting, current, lang=(chat.language if chat else None) or "th",
                                        group_id=group.id)],
                         purpose="invitation", meeting_id=meeting.id, dedupe_key=_card_key(meeting, chat_id),
                         cost=members)
        cost += sum(r.cost for r in rows)
    text = t(turn.lang, "invited", count=len(groups), code=meeting.code,
             quota=t(turn.lang, "invited_quota", quota=quota) if quota is not None else "",
             chats=len(pushed_chats),
             unlinked=t(turn.lang, "invited_unlinked", n=len(unlinked), names=", ".join(g.name for g in unlinked[:5])
                        + (" …" if len(unlinked) > 5 else "")) if unlinked else "")
    if cost:
        text += t(turn.lang, "invited_cost", cost=cost)
    turn.answers.insert(0, replies.text(text))


# -- list and summary ----------------------------------------------------------------------------


def handle_list(turn: Turn, _) -> None:
    """`นัดหมาย`: upcoming meetings for this chat or person."""
    person = turn.person
    if turn.event.in_group:
        meetings = upcoming_meetings(turn.session, now=turn.now, chat_id=turn.event.chat_id, limit=12)
    elif person is not None and (person.is_coordinator or person.is_facilitator):
        meetings = upcoming_meetings(turn.session, now=turn.now, limit=12)
    else:
        groups = person.member_group_ids() if person else set()
        meetings = upcoming_meetings(turn.session, now=turn.now, group_ids=groups, limit=12) if groups else []
    if not meetings:
        turn.say(replies.text(t(turn.lang, "no_meetings")))
        return
    turn.say(cards.meetings_list_message([(m, tally(turn.session, m)) for m in meetings], lang=turn.lang, now=turn.now))


def handle_summary(turn: Turn, command) -> None:
    """`สรุป [#12]`: tallies by sub-district, village and group against quota; who has not answered."""
    meeting = resolve_meeting(turn, command.meeting, open_only=False)
    if meeting is None:
        if not turn.answers:
            if turn.event.in_group:
                candidates = open_meetings_in_chat(turn.session, turn.event.chat_id, now=turn.now)
            else:
                candidates = upcoming_meetings(turn.session, now=turn.now)
            turn.say(replies.text(t(turn.lang, "pick_meeting"), meeting_choices(
                turn, candidates, lambda m: postbacks.encode(Action.SUMMARY, m=m.id))))
        return
    turn.say(*cards.summary_messages(meeting, tally(turn.session, meeting), lang=turn.lang))


def handle_summary_tap(turn: Turn, fields: dict) -> None:
    """A tap on สรุป, or on a meeting in the list (`v=card`: show its card to answer from)."""
    code = postbacks.int_field(fields, "m")
    if fields.get("v") == cards.CARD_VIEW and code is not None:
        meeting = resolve_meeting(turn, code)
        if meeting is None:
            return
        here = [inv.group_id for inv in meeting.invitations if inv.group.chat_id == turn.event.chat_id]
        turn.say(card(turn, meeting, tally(turn.session, meeting), group_id=here[0] if len(here) == 1 else None))
        return
    handle_summary(turn, Summary(code))


# -- cancel and move -----------------------------------------------------------------------------


def _tell_invited(turn: Turn, meeting: Meeting, current: MeetingTally, notice, what: str) -> int:
    """Push the updated card with a notice to every invited chat but this one; returns how many."""
    told = 0
    for chat_id in invited_chat_ids(meeting):
        if chat_id == turn.event.chat_id:
            continue
        chat = turn.session.get(Chat, chat_id)
        if chat is not None and chat.left_at is not None:
            continue
        group_id = next((inv.group_id for inv in meeting.invitations if inv.group.chat_id == chat_id), None)
        lang = (chat.language if chat else None) or "th"
        turn.push(chat_id, [card(turn, meeting, current, lang=lang, group_id=group_id, notice=notice(lang))],
                  purpose=what, meeting_id=meeting.id,
                  dedupe_key=f"{what}:{meeting.id}:{chat_id}:{meeting.updated_at.isoformat()}",
                  cost=chat_cost(chat.member_count if chat else None))
        told += 1
    return told


def _meeting_to_change(turn: Turn, code: int | None, ask_which: str) -> Meeting | None:
    """A coordinator's cancel or move names its meeting with a code (never guessed)."""
    if not _require_coordinator(turn):
        return None
    if code is None:
        turn.say(replies.text(t(turn.lang, ask_which)))
        return None
    return resolve_meeting(turn, code, open_only=False)


def handle_cancel(turn: Turn, command) -> None:
    """`ยกเลิกนัด #12`: cancel; every invited chat is told once."""
    meeting = _meeting_to_change(turn, command.meeting, "cancel_which")
    if meeting is None:
        return
    if meeting.status == MeetingStatus.CANCELLED:
        turn.say(replies.text(t(turn.lang, "already_cancelled", code=meeting.code)))
        return
    cancel_meeting(turn.session, meeting, now=turn.now)
    when = _when_text(turn, meeting.starts_at)

    def notice(lang: str) -> str:
        return t(lang, "cancel_notice", code=meeting.code, title=meeting.title, when=when)

    current = tally(turn.session, meeting)
    told = _tell_invited(turn, meeting, current, notice, "cancellation")
    turn.say(replies.text(t(turn.lang, "cancelled", code=meeting.code, chats=told)),
             card(turn, meeting, current, notice=notice(turn.lang)))


def handle_move(turn: Turn, command) -> None:
    """`เลื่อนนัด #12 <วันเวลา>`: move; answers are kept and invited chats are told."""
    meeting = _meeting_to_change(turn, command.meeting, "move_which")
    if meeting is None:
        return
    if not meeting.is_open:
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=MeetingStatus.THAI[meeting.status])))
        return
    found, _ = parse_when(command.when_text, turn.now, turn.settings.timezone, need_time=False)
    if isinstance(found, When):
        start = found.start
        if not found.has_time:  # a new day, the same hour
            local = meeting.starts_at.astimezone(turn.settings.timezone)
            start = start.replace(hour=local.hour, minute=local.minute)
        _move(turn, meeting, start)
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW_MOVE,
                           {"meeting": meeting.id}, now=turn.now)
    _ask_when(turn, found, FLOW_MOVE)


def _move(turn: Turn, meeting: Meeting, start: datetime) -> None:
    if start <= turn.now:
        turn.say(replies.text(t(turn.lang, "meeting_in_past", when=_when_text(turn, start))))
        return
    old = move_meeting(turn.session, meeting, start, now=turn.now)
    old_text, new_text = _when_text(turn, old), _when_text(turn, start)

    def notice(lang: str) -> str:
        return t(lang, "move_notice", code=meeting.code, old=old_text, new=new_text)

    current = tally(turn.session, meeting)
    told = _tell_invited(turn, meeting, current, notice, "move")
    turn.say(replies.text(t(turn.lang, "moved", code=meeting.code, when=new_text, chats=told)),
             card(turn, meeting, current, notice=notice(turn.lang)))


# -- a meeting's settings ------------------------------------------------------------------------

SETTING = re.compile(
    r"^\s*(?P<what>/nudges|เตือนส่วนตัว|/leader-notes|ผู้นำบันทึก|อนุญาตผู้นำบันทึก)\s*#\s*(?P<code>[0-9๐-๙]+)\s*"
    r"(?P<value>on|off|เปิด|ปิด)\s*$", re.IGNORECASE)


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _code_of(match) -> int:
    """The meeting code a command pattern matched (Thai digits welcome)."""
    return int(match.group("code").translate(_THAI_DIGITS))


def meeting_setting(turn: Turn):
    """`เตือนส่วนตัว #12 ปิด` / `/nudges #12 off`; `ผู้นำบันทึก #12 เปิด` / `/leader-notes #12 on`."""
    return SETTING.match(turn.event.text) if turn.event.text else None


def handle_meeting_setting(turn: Turn, match) -> None:
    """Per meeting: nudges to leaders who have not answered; notes from leaders too."""
    meeting = _meeting_to_change(turn, _code_of(match), "move_which")
    if meeting is None:
        return
    on = match.group("value").lower() in ("on", "เปิด")
    state = t(turn.lang, "on" if on else "off")
    if match.group("what").lower() in ("/nudges", "เตือนส่วนตัว"):
        meeting.nudges = on
        turn.say(replies.text(t(turn.lang, "nudges_set", code=meeting.code, state=state)))
    else:
        meeting.leaders_may_note = on
        turn.say(replies.text(t(turn.lang, "leader_notes_set", code=meeting.code, state=state)))


AGENDA = re.compile(r"^\s*(?:วาระ|ระเบียบวาระ|/agenda)\s*#\s*(?P<code>[0-9๐-๙]+)\s+(?P<agenda>\S.*)$", re.S)


def agenda_command(turn: Turn):
    """`วาระ #12 <ข้อความ>` / `/agenda #12 <text>` (several lines welcome)."""
    return AGENDA.match(turn.event.text) if turn.event.text else None


def handle_agenda(turn: Turn, match) -> None:
    """Set a meeting's agenda: it shows on the card and opens the minutes."""
    meeting = _meeting_to_change(turn, _code_of(match), "move_which")
    if meeting is None:
        return
    meeting.agenda = match.group("agenda").strip()[:4000]
    meeting.updated_at = turn.now
    turn.say(replies.text(t(turn.lang, "agenda_set", code=meeting.code)))


def is_coordinator_location(turn: Turn):
    return (turn.event.type == "message" and turn.event.location is not None and turn.person is not None
            and turn.person.is_coordinator) or None


def handle_venue_location(turn: Turn, _) -> None:
    """A coordinator shares a LINE location: it becomes the map of their latest meeting made here."""
    from sqlalchemy import select

    meeting = turn.session.scalars(select(Meeting).where(
        Meeting.created_in_chat == turn.event.chat_id, Meeting.created_by_id == turn.person.id,
        Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.MOVED]), Meeting.ends_at > turn.now)
        .order_by(Meeting.created_at.desc(), Meeting.id.desc())).first()
    if meeting is None:
        return  # a location shared for another reason: not ours to answer
    place = turn.event.location
    meeting.venue_latitude, meeting.venue_longitude = place.get("latitude"), place.get("longitude")
    if place.get("address"):
        meeting.venue_address = str(place["address"])[:500]
    if place.get("title") and not meeting.venue_name:
        meeting.venue_name = str(place["title"])[:300]
    meeting.updated_at = turn.now
    turn.say(replies.text(t(turn.lang, "venue_set", code=meeting.code,
                            place=place.get("title") or place.get("address") or "")))
