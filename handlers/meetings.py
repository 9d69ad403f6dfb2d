"""Coordinators' meeting commands: create, invite, move, cancel; everyone's list and summary."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from handlers import cards, group_choices, postbacks, replies
from handlers.commands import MAX_HEADCOUNT, Summary
from handlers.postbacks import Action
from handlers.texts import date_text, datetime_text, status_word, t, time_text
from handlers.turn import Turn
from models import conversations
from models.meetings import (
    Meeting,
    MeetingClosed,
    MeetingNotFound,
    MeetingStatus,
    cancel_meeting,
    create_meeting,
    get_meeting,
    invite,
    meeting_chats,
    move_meeting,
    open_meetings_in_chat,
    upcoming_meetings,
)
from models.network import Chat, FinancialGroup, GroupKind, GroupMatch, groups_in_chat, match_groups
from models.quota import chat_cost
from models.tally import MeetingTally, tally
from thai.when import Recurring, Unclear, When, format_choice, format_choice_date, parse_when

FLOW_CREATE = "meet"
FLOW_MOVE = "move"
FLOW_CANCEL = "cancel"  # the confirming tap of a cancellation (no pending step: the tap says which meeting)
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
    return datetime_text(when, turn.settings.timezone, turn.lang)


def split_title_and_venue(rest: str) -> tuple[str, str | None]:
    """`วัดบางหลวง เรื่อง หารือ...` → ("หารือ...", "วัดบางหลวง"). Without `เรื่อง`, a first phrase
    that names a place (วัด…, มัสยิด…, ที่ …) is the venue and the rest the title."""
    rest = " ".join(rest.split())
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
    if isinstance(found, Recurring):
        turn.say(replies.text(t(turn.lang, "recurring_unsupported", phrase=found.phrase)))
        return
    if isinstance(found, When):
        _create(turn, found.start, rest)
        return
    if _said_a_past_day(turn, found):
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW_CREATE,
                           {"text": rest if found is not None else command.text}, now=turn.now)
    _ask_when(turn, found, FLOW_CREATE)


def _said_a_past_day(turn: Turn, found: Unclear | None) -> bool:
    """A date read without a clear time whose every reading is a day gone by (`15 ส.ค. 48`):
    say so instead of asking for a time nobody can pick."""
    if found is None or not found.candidates:
        return False
    today = turn.now.astimezone(turn.settings.timezone).date()
    days = sorted({c.date() for c in found.candidates})
    if days[-1] >= today:
        return False
    when = date_text(days[-1], turn.settings.timezone, turn.lang)
    turn.say(replies.text(t(turn.lang, "meeting_in_past", when=when)))
    return True


def _ask_when(turn: Turn, unclear: Unclear | None, flow: str) -> None:
    """Ask for the date and time with LINE's picker (nothing to type) and the readings we saw."""
    tz = turn.settings.timezone
    local_now = turn.now.astimezone(tz)
    choices = []
    if unclear is not None and unclear.candidates:
        days = list(dict.fromkeys(c.astimezone(tz).date() for c in unclear.candidates))
        if len(days) == 1 and not unclear.has_time:
            # The date is known, the time is not: offer the usual meeting times, and remember the
            # day so that a time typed next (`บ่ายสอง`) completes it.
            day = days[0]
            step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id or "", now=turn.now)
            if step is not None and step.flow == flow:
                conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, flow,
                                       {**step.data, "day": day.isoformat()}, now=turn.now)
            for at in COMMON_TIMES:
                start = datetime.combine(day, at, tzinfo=tz)
                if start > turn.now:
                    choices.append(replies.postback_item(
                        time_text(start, tz, turn.lang),
                        postbacks.encode(Action.PICK_DATE, f=flow, at=start.strftime("%Y-%m-%dT%H:%M")),
                        display=time_text(start, tz, turn.lang)))
            text = t(turn.lang, "ask_time", date=date_text(day, tz, turn.lang))
        elif not unclear.has_time:
            # Several days, no time yet (`วันที่ 25`: this month or next?): a day per tap, its
            # time asked next; never a meeting at midnight.
            for day in days[:10]:
                choices.append(replies.postback_item(
                    format_choice_date(day, tz, turn.lang), postbacks.encode(Action.PICK_DATE, f=flow, at=day.isoformat()),
                    display=date_text(day, tz, turn.lang)))
            text = t(turn.lang, "unclear_when", reason=unclear.reason_in(turn.lang))
        else:
            # Each reading shows its time first (`14:00 ศ. 14 ส.ค.`), so `2 โมง`'s two readings differ.
            for candidate in unclear.candidates[:10]:
                choices.append(replies.postback_item(
                    format_choice(candidate, tz, turn.lang),
                    postbacks.encode(Action.PICK_DATE, f=flow, at=candidate.astimezone(tz).strftime("%Y-%m-%dT%H:%M")),
                    display=datetime_text(candidate, tz, turn.lang)))
            text = t(turn.lang, "unclear_when", reason=unclear.reason_in(turn.lang))
    elif unclear is not None and unclear.reason:  # read but unusable (`ปี 1234`, `31 ก.พ.`): say why
        text = t(turn.lang, "unclear_when", reason=unclear.reason_in(turn.lang))
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
    if step is None or step.flow != fields.get("f") or not (postbacks.is_minute(value) or postbacks.is_day(value)):
        turn.say(replies.text(t(turn.lang, "ask_when")))
        return
    shape = "%Y-%m-%dT%H:%M" if "T" in value else "%Y-%m-%d"
    start = datetime.strptime(value, shape).replace(tzinfo=turn.settings.timezone)
    if start > turn.now + PICKABLE_AHEAD:  # the tap is untrusted: a year 9999 is no meeting
        turn.say(replies.text(t(turn.lang, "ask_when")))
        return
    if "T" not in value:  # a day was picked among several: a move keeps its time, a new meeting asks it
        meeting = _step_meeting(turn, step) if step.flow == FLOW_MOVE else None
        if meeting is not None:
            handle_picked_when_value(turn, step, _keeping_the_time(turn, meeting, start))
        elif not _said_a_past_day(turn, Unclear("", [start], has_time=False)):
            _ask_when(turn, Unclear("", [start], has_time=False), step.flow)
        return
    handle_picked_when_value(turn, step, start)


def _step_meeting(turn: Turn, step) -> Meeting | None:
    try:
        return get_meeting(turn.session, int(step.data["meeting"]))
    except (MeetingNotFound, KeyError, ValueError, TypeError):
        return None


def pending_when(turn: Turn):
    """When this person is in a create or move flow and typed a readable date (or a time for the
    day already known, or a repeating phrase to refuse): (step, what was read)."""
    if not turn.event.user_id:
        return None
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id, now=turn.now)
    if step is None or step.flow not in (FLOW_CREATE, FLOW_MOVE):
        return None
    tz = turn.settings.timezone
    day, moving = None, step.flow == FLOW_MOVE
    if moving:
        meeting = _step_meeting(turn, step)
        day = meeting.starts_at.astimezone(tz).date() if meeting is not None else None
    elif step.data.get("day"):
        day = date.fromisoformat(step.data["day"])
    found, _ = parse_when(turn.event.text, turn.now, tz, need_time=not moving, day=day)
    return (step, found) if isinstance(found, When | Recurring) else None


def complete_with_typed_when(turn: Turn, pending) -> None:
    step, found = pending
    if isinstance(found, Recurring):  # the step stays: a single date may follow
        turn.say(replies.text(t(turn.lang, "recurring_unsupported", phrase=found.phrase)))
        return
    start = found.start
    if not found.has_time and step.flow == FLOW_MOVE and (meeting := _step_meeting(turn, step)) is not None:
        start = _keeping_the_time(turn, meeting, start)
    handle_picked_when_value(turn, step, start)


def handle_picked_when_value(turn: Turn, step, start: datetime) -> None:
    conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
    if not _require_coordinator(turn):
        return
    if step.flow == FLOW_CREATE:
        _create(turn, start, step.data.get("text", ""))
    else:
        meeting = _step_meeting(turn, step)
        if meeting is None:
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
    """A tap per meeting: `#12 14 ส.ค. 09:00` (code, day and time within LINE's 20 characters;
    the code tells apart two meetings of one day and hour)."""
    tz = turn.settings.timezone
    return [replies.postback_item(f"{m.code} {format_choice_date(m.starts_at, tz, turn.lang).split(' ', 1)[-1]} "
                                  f"{m.starts_at.astimezone(tz):%H:%M}",
                                  make_data(m), display=f"{m.code} {m.title}") for m in meetings[:12]]


# -- invite --------------------------------------------------------------------------------------


def handle_invite(turn: Turn, command) -> None:
    """`เชิญ <กลุ่ม|ตำบล> <จำนวน> [#12]`: invite a group, or every group (of a kind) of a sub-district.

    A group's full name invites that group alone. Several groups are invited only after the
    coordinator has seen how many, which chats get the card and the quota, and tapped to confirm;
    a name that fits several groups asks which one, and the tap completes the invitation."""
    if not _require_coordinator(turn):
        return
    meeting = _open_meeting_to_invite(turn, command.meeting)
    if meeting is None:
        return
    found = match_groups(turn.session, command.target)
    if not found.groups:
        turn.say(replies.text(t(turn.lang, "invite_no_target", target=command.target)))
    elif len(found.groups) == 1:
        _invite_groups(turn, meeting, found.groups, command.quota)
    elif found.sub_district is None:
        _ask_which_group(turn, meeting, found.groups, command.quota, command.target)
    else:
        _ask_to_confirm(turn, meeting, found, command.quota)


def _open_meeting_to_invite(turn: Turn, code: int | None) -> Meeting | None:
    meeting = resolve_meeting(turn, code)
    if meeting is None:
        if code is None and not turn.answers:
            turn.say(replies.text(t(turn.lang, "invite_which_meeting")))
        return None
    if not meeting.is_open:
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=status_word(turn.lang, meeting.status))))
        return None
    return meeting


def _ask_which_group(turn: Turn, meeting: Meeting, groups: list[FinancialGroup], quota: int | None,
                     target: str) -> None:
    """A tap per group, each carrying the meeting and the quota, so one tap completes the command."""
    def said(group: FinancialGroup) -> str:
        return " ".join(p for p in ("เชิญ", group.name, str(quota) if quota else "", meeting.code) if p)

    items = group_choices.group_items(groups, turn.lang, lambda g: postbacks.encode(Action.INVITE, m=meeting.id, g=g.id,
                                                                                     q=quota), said)
    chats = {g.chat_id for g in groups}
    if len({g.village_id for g in groups}) == 1 and groups[0].village_id is not None and len(chats) == 1:
        # One village's groups sharing one chat (Tha Rai): one tap may invite them all, one card.
        items.append(replies.postback_item(
            t(turn.lang, "link_all_in_village", n=len(groups)),
            postbacks.encode(Action.INVITE, m=meeting.id, v=groups[0].village_id, q=quota),
            display=" ".join(p for p in ("เชิญ", " + ".join(g.name for g in groups), str(quota) if quota else "",
                                         meeting.code) if p)))
    text = t(turn.lang, "invite_pick", target=target)
    if len(groups) > len(items):
        text += t(turn.lang, "invite_pick_more", shown=len(items), total=len(groups))
    turn.say(replies.text(text, items))


def handle_invite_tap(turn: Turn, fields: dict) -> None:
    """A tap on one group under "which group?": the invitation it was asked for, quota and all."""
    if not _require_coordinator(turn):
        return
    meeting = _open_meeting_to_invite(turn, postbacks.int_field(fields, "m"))
    if meeting is None:
        return
    if "v" in fields:  # every group of one village that shares one chat
        groups = list(turn.session.scalars(select(FinancialGroup).where(
            FinancialGroup.village_id == (postbacks.int_field(fields, "v") or 0)).order_by(FinancialGroup.id)))
    else:
        groups = [g for g in [turn.session.get(FinancialGroup, postbacks.int_field(fields, "g") or 0)] if g]
    quota = postbacks.int_field(fields, "q")
    if not groups or len({g.chat_id for g in groups}) > 1 or (quota is not None and not 1 <= quota <= MAX_HEADCOUNT):
        turn.say(replies.text(t(turn.lang, "invite_expired")))
        return
    _invite_groups(turn, meeting, groups, quota)


FLOW_INVITE = "invite"
MAX_CHAT_LINES = 12


def _ask_to_confirm(turn: Turn, meeting: Meeting, found: GroupMatch, quota: int | None) -> None:
    """Say what a sub-district invitation is about to do, and ask once before any card is sent."""
    groups = found.groups
    chats: dict[str, list[FinancialGroup]] = {}
    for group in groups:
        chat = group.chat
        if chat is not None and chat.left_at is None:
            chats.setdefault(chat.id, []).append(group)
    lines = []
    for chat_id, in_chat in list(chats.items())[:MAX_CHAT_LINES]:
        title = in_chat[0].chat.title
        labels = ", ".join(group_choices.group_label(g, turn.lang, with_sub_district=False) for g in in_chat)
        lines.append(f"• {title} ({labels})" if title else f"• {labels}")
    if len(chats) > MAX_CHAT_LINES:
        lines.append(t(turn.lang, "invite_confirm_more", n=len(chats) - MAX_CHAT_LINES))
    sub = found.sub_district.name_en or found.sub_district.name if turn.lang == "en" else found.sub_district.name
    kind = (GroupKind.ENGLISH if turn.lang == "en" else GroupKind.THAI).get(found.kind or "")
    what = (t(turn.lang, "invite_confirm_kind_of", kind=kind, sub=sub) if kind
            else t(turn.lang, "invite_confirm_of", sub=sub))
    unlinked = sum(1 for g in groups if g.chat_id is None)
    text = t(turn.lang, "invite_confirm", count=len(groups), what=what, code=meeting.code, title=meeting.title,
             quota=t(turn.lang, "invite_confirm_quota", quota=quota) if quota is not None
             else t(turn.lang, "invite_confirm_no_quota"),
             chats=len(chats), chat_list="\n".join(lines) or t(turn.lang, "invite_no_chats"),
             unlinked=t(turn.lang, "invite_confirm_unlinked", n=unlinked) if unlinked else "")
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW_INVITE,
                           {"meeting": meeting.id, "groups": [g.id for g in groups], "quota": quota}, now=turn.now)
    turn.say(replies.text(text, [
        replies.postback_item(t(turn.lang, "invite_yes", count=len(groups)),
                              postbacks.encode(Action.CONFIRM, f=FLOW_INVITE, m=meeting.id)),
        replies.postback_item(t(turn.lang, "invite_no"), postbacks.encode(Action.CANCEL_STEP, f=FLOW_INVITE))]))


def invite_step_tap(turn: Turn):
    """A confirm or cancel tap under a sub-district invitation's question."""
    fields = turn.postback
    if fields.get("f") == FLOW_INVITE and fields.get("a") in (Action.CONFIRM, Action.CANCEL_STEP):
        return fields
    return None


def handle_invite_step(turn: Turn, fields: dict) -> None:
    """Confirm: invite exactly the groups that were shown. Cancel: nothing is sent or changed."""
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id or "", now=turn.now)
    pending = step is not None and step.flow == FLOW_INVITE
    if fields.get("a") == Action.CANCEL_STEP and pending:
        conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
        turn.say(replies.text(t(turn.lang, "invite_dropped")))
        return
    if fields.get("a") == Action.CANCEL_STEP:  # someone else's question, or one already answered
        turn.say(replies.text(t(turn.lang, "invite_expired")))
        return
    if not _require_coordinator(turn):
        return
    if not pending or step.data.get("meeting") != postbacks.int_field(fields, "m"):
        turn.say(replies.text(t(turn.lang, "invite_expired")))
        return
    conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
    meeting = _open_meeting_to_invite(turn, step.data["meeting"])
    if meeting is None:
        return
    groups = [g for g in (turn.session.get(FinancialGroup, i) for i in step.data.get("groups", [])) if g is not None]
    if not groups:
        turn.say(replies.text(t(turn.lang, "invite_expired")))
        return
    _invite_groups(turn, meeting, groups, step.data.get("quota"))


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


def _chats_to_tell(turn: Turn, meeting: Meeting) -> list[Chat]:
    """The chats a move or a cancellation is pushed to: every chat that can answer the meeting
    (models.meetings.meeting_chats) but this one. The cancel question counts them, the notice goes to them."""
    return [chat for chat in meeting_chats(turn.session, meeting) if chat.id != turn.event.chat_id]


def _tell_invited(turn: Turn, meeting: Meeting, current: MeetingTally, notice, what: str) -> int:
    """Push the updated card with a notice to every chat of the meeting but this one; returns how many."""
    told = 0
    for chat in _chats_to_tell(turn, meeting):
        group_id = next((inv.group_id for inv in meeting.invitations if inv.group.chat_id == chat.id), None)
        lang = chat.language or "th"
        turn.push(chat.id, [card(turn, meeting, current, lang=lang, group_id=group_id, notice=notice(lang))],
                  purpose=what, meeting_id=meeting.id,
                  dedupe_key=f"{what}:{meeting.id}:{chat.id}:{meeting.updated_at.isoformat()}",
                  cost=chat_cost(chat.member_count))
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
    """`ยกเลิกนัด #12`: ask once, showing the meeting and how many chats will be told."""
    meeting = _meeting_to_change(turn, command.meeting, "cancel_which")
    if meeting is None:
        return
    if meeting.status == MeetingStatus.CANCELLED:
        turn.say(replies.text(t(turn.lang, "already_cancelled", code=meeting.code)))
        return
    _ask_to_cancel(turn, meeting)


def _start_stamp(meeting: Meeting) -> int:
    return int(meeting.starts_at.timestamp())


def _ask_to_cancel(turn: Turn, meeting: Meeting, *, changed: bool = False) -> None:
    # The tap carries the meeting and the start it was shown with: a group has many people and
    # no conversation state could tell their taps apart; a start moved since is asked again.
    text = t(turn.lang, "cancel_confirm", code=meeting.code, title=meeting.title,
             when=_when_text(turn, meeting.starts_at), chats=len(_chats_to_tell(turn, meeting)))
    if changed:
        text = t(turn.lang, "cancel_changed", code=meeting.code) + "\n" + text
    yes, no = t(turn.lang, "cancel_yes", code=meeting.code), t(turn.lang, "cancel_no")
    turn.say(replies.text(text, [
        replies.postback_item(yes, postbacks.encode(Action.CONFIRM, f=FLOW_CANCEL, m=meeting.id, s=_start_stamp(meeting)),
                              display=yes),
        replies.postback_item(no, postbacks.encode(Action.CANCEL_STEP, f=FLOW_CANCEL, m=meeting.id), display=no)]))


def _tapped_meeting(turn: Turn, fields: dict) -> Meeting | None:
    if not _require_coordinator(turn):
        return None
    code = postbacks.int_field(fields, "m")
    if code is None:
        turn.say(replies.text(t(turn.lang, "cancel_which")))
        return None
    return resolve_meeting(turn, code, open_only=False)


def handle_cancel_kept(turn: Turn, fields: dict) -> None:
    """"ไม่ยกเลิก": nothing changes."""
    meeting = _tapped_meeting(turn, fields)
    if meeting is not None:
        turn.say(replies.text(t(turn.lang, "cancel_kept", code=meeting.code)))


def handle_cancel_confirmed(turn: Turn, fields: dict) -> None:
    """The confirming tap: cancel once, tell every invited chat once. A second tap, a stale
    button or two taps at once find it cancelled already (models.meetings.cancel_meeting claims
    the change with one conditional UPDATE) and send nothing more."""
    meeting = _tapped_meeting(turn, fields)
    if meeting is None:
        return
    if meeting.status == MeetingStatus.CANCELLED:
        turn.say(replies.text(t(turn.lang, "already_cancelled", code=meeting.code)))
        return
    if postbacks.int_field(fields, "s") != _start_stamp(meeting):
        _ask_to_cancel(turn, meeting, changed=True)
        return
    try:
        cancel_meeting(turn.session, meeting, now=turn.now)
    except MeetingClosed:
        turn.say(replies.text(t(turn.lang, "already_cancelled", code=meeting.code)))
        return
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
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=status_word(turn.lang, meeting.status))))
        return
    tz = turn.settings.timezone
    # A time alone keeps the day (`เลื่อนนัด #9 บ่ายสอง`); a day alone keeps the time.
    found, _ = parse_when(command.when_text, turn.now, tz, need_time=False, day=meeting.starts_at.astimezone(tz).date())
    if isinstance(found, Recurring):
        turn.say(replies.text(t(turn.lang, "recurring_unsupported", phrase=found.phrase)))
        return
    if isinstance(found, When):
        _move(turn, meeting, found.start if found.has_time else _keeping_the_time(turn, meeting, found.start))
        return
    if _said_a_past_day(turn, found):
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW_MOVE,
                           {"meeting": meeting.id}, now=turn.now)
    _ask_when(turn, found, FLOW_MOVE)


def _keeping_the_time(turn: Turn, meeting: Meeting, day: datetime) -> datetime:
    local = meeting.starts_at.astimezone(turn.settings.timezone)
    return day.replace(hour=local.hour, minute=local.minute)


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

def handle_meeting_setting(turn: Turn, command) -> None:
    """Per meeting: nudges to leaders who have not answered; notes from leaders too."""
    meeting = _meeting_to_change(turn, command.meeting, "move_which")
    if meeting is None:
        return
    state = t(turn.lang, "on" if command.on else "off")
    if command.setting == "nudges":
        meeting.nudges = command.on
        turn.say(replies.text(t(turn.lang, "nudges_set", code=meeting.code, state=state)))
    else:
        meeting.leaders_may_note = command.on
        turn.say(replies.text(t(turn.lang, "leader_notes_set", code=meeting.code, state=state)))


def handle_agenda(turn: Turn, command) -> None:
    """`วาระ #12 <ข้อความ>`: a meeting's agenda; it shows on the card and opens the minutes."""
    meeting = _meeting_to_change(turn, command.meeting, "move_which")
    if meeting is None:
        return
    meeting.agenda = command.text[:4000]
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
