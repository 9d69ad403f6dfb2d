"""Answers to invitations, by text (`ไป 4`) or by tapping a card, for oneself or for a group."""

from __future__ import annotations

from handlers import cards, postbacks, replies
from handlers.commands import MAX_HEADCOUNT
from handlers.meetings import meeting_choices, resolve_meeting
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from models.meetings import (
    Meeting,
    MeetingClosed,
    MeetingStatus,
    Response,
    open_meetings_in_chat,
    record_answer,
    upcoming_meetings,
)
from models.network import FinancialGroup
from models.people import Role, grant
from models.tally import tally

RESPONSE_WORDS = {
    "th": Response.THAI,
    "en": {Response.GOING: "going", Response.NOT_GOING: "not going", Response.MAYBE: "maybe"},
}


def handle_answer_text(turn: Turn, command) -> None:
    """`ไป`, `ไป 4 คน`, `ไม่ไป`, `ไม่แน่ใจ`, `yes 4 #12` …"""
    answer(turn, response=command.response, headcount=command.headcount, code=command.meeting,
           names=list(command.names), via="text")


def handle_answer_tap(turn: Turn, fields: dict) -> None:
    """A tap on ไป / ไม่ไป / ไม่แน่ใจ on a card, or on a headcount under it."""
    answer(turn, response=fields.get("r", ""), headcount=postbacks.int_field(fields, "n"),
           code=postbacks.int_field(fields, "m"), group_id=postbacks.int_field(fields, "g"),
           only_me=fields.get("s") == "1", via="button")


def _answerable(turn: Turn) -> list[Meeting]:
    if turn.event.in_group:
        return open_meetings_in_chat(turn.session, turn.event.chat_id, now=turn.now)
    groups = turn.person.member_group_ids()
    meetings = upcoming_meetings(turn.session, now=turn.now, group_ids=groups) if groups else []
    if not meetings:
        meetings = upcoming_meetings(turn.session, now=turn.now)  # anyone may answer for themselves
    return [m for m in meetings if m.is_open]


def _data(meeting: Meeting | None, response: str, headcount: int | None, group_id: int | None, only_me: bool) -> str:
    return postbacks.encode(Action.ANSWER, m=meeting.id if meeting else None, r=response, n=headcount, g=group_id,
                            s="1" if only_me else None)


def answer(turn: Turn, *, response: str, headcount: int | None, code: int | None, group_id: int | None = None,
           names: list[str] | None = None, only_me: bool = False, via: str) -> None:
    person = turn.person
    if person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    if response not in Response.ALL:
        return
    if headcount is not None and not 1 <= headcount <= MAX_HEADCOUNT:
        turn.say(replies.text(t(turn.lang, "bad_headcount")))
        return

    # Which meeting: the one named, else the only one open here, else ask with a tap each.
    if code is not None:
        meeting = resolve_meeting(turn, code)
        if meeting is None:
            return
    else:
        open_here = _answerable(turn)
        if not open_here:
            turn.say(replies.text(t(turn.lang, "no_open_meeting")))
            return
        if len(open_here) > 1:
            turn.say(replies.text(t(turn.lang, "pick_meeting"), meeting_choices(
                turn, open_here, lambda m: _data(m, response, headcount, group_id, only_me))))
            return
        meeting = open_here[0]
    if not meeting.is_open or meeting.ends_at <= turn.now:
        status = MeetingStatus.THAI[meeting.status] if meeting.is_open is False else "จบแล้ว"
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=status)))
        return

    # For which group, and for the whole group or only oneself.
    invited = {inv.group_id: inv.group for inv in meeting.invitations}
    if turn.event.in_group:
        here = [g for g in invited.values() if g.chat_id == turn.event.chat_id]
    else:
        here = [g for g in invited.values() if g.id in person.member_group_ids()]
    chosen: FinancialGroup | None = invited.get(group_id) if group_id is not None else None
    if group_id is not None and chosen not in here:
        # A tap names its group (`g=`): only a group of this chat (or, 1:1, one's own) invited to
        # this meeting; data edited to another group changes nothing.
        turn.say(replies.text(t(turn.lang, "tap_not_allowed")))
        return
    led = [g for g in here if g.id in person.led_group_ids()]
    if chosen is not None and chosen.id in person.led_group_ids():
        led = [chosen]
    for_group = bool(led) and not only_me
    if for_group:
        if len(led) > 1:
            turn.say(replies.text(t(turn.lang, "pick_group"), [
                replies.postback_item(g.short_label, _data(meeting, response, headcount, g.id, False),
                                      display=g.name) for g in led[:12]]))
            return
        group = led[0]
    else:
        if headcount is not None and headcount > 1:
            target = chosen or (here[0] if len(here) == 1 else None)
            turn.say(replies.text(t(turn.lang, "leader_only_headcount", n=headcount), [
                replies.postback_item(t(turn.lang, "for_me"),
                                      _data(meeting, Response.GOING, 1, target.id if target else None, True),
                                      display=t(turn.lang, "for_me"))]))
            return
        if chosen is not None:
            group = chosen
        elif len(here) == 1:
            group = here[0]
        elif len(here) > 1:
            mine = [g for g in here if g.id in person.member_group_ids()]
            if len(mine) == 1:
                group = mine[0]
            else:
                turn.say(replies.text(t(turn.lang, "pick_group"), [
                    replies.postback_item(g.short_label, _data(meeting, response, 1, g.id, True), display=g.name)
                    for g in here[:12]]))
                return
        else:
            group = None

    if for_group:
        if response == Response.GOING:
            count = headcount or _previous_group_headcount(turn, meeting, group) or 1
        elif response == Response.MAYBE:
            count = headcount or 1
        else:
            count = 0
    else:
        count = 1
    try:
        recorded = record_answer(turn.session, meeting=meeting, person=person, response=response, group=group,
                                 headcount=count, for_group=for_group, names=", ".join(names) if names else None,
                                 via=via, event_id=turn.event.row_id, now=turn.now)
    except MeetingClosed:
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=MeetingStatus.THAI[meeting.status])))
        return
    if group is not None and not for_group and group.id not in person.member_group_ids():
        grant(turn.session, person, Role.MEMBER, group_id=group.id, by="answered in the group's chat")
    _confirm(turn, meeting, group, recorded, for_group=for_group, asked_count=headcount is not None)


def _previous_group_headcount(turn: Turn, meeting: Meeting, group: FinancialGroup) -> int | None:
    """A leader who taps ไป again keeps the number they gave before."""
    from sqlalchemy import select

    from models.meetings import Answer

    previous = turn.session.scalar(select(Answer).where(
        Answer.meeting_id == meeting.id, Answer.group_key == group.id, Answer.person_id == turn.person.id))
    if previous is not None and previous.response == Response.GOING:
        return previous.headcount
    return None


def _describe(turn: Turn, group: FinancialGroup | None, response: str, count: int, for_group: bool) -> str:
    words = RESPONSE_WORDS["en" if turn.lang == "en" else "th"][response]
    people = (f" {count} people" if turn.lang == "en" else f" {count} คน") if for_group and response != Response.NOT_GOING else ""
    if group is None:
        return f"{words}{people}"
    return f"{group.name} {words}{people}"


def _confirm(turn: Turn, meeting: Meeting, group: FinancialGroup | None, recorded, *, for_group: bool,
             asked_count: bool) -> None:
    person = turn.person
    who = f" คุณ{person.display_name}" if person.display_name and turn.lang != "en" else (
        f", {person.display_name}" if person.display_name else "")
    answer_row = recorded.answer
    what = f"{meeting.code} " + _describe(turn, group, answer_row.response, answer_row.headcount, for_group)
    if not recorded.changed:
        text = t(turn.lang, "answer_same", who=who, what=what)
    elif recorded.previous_response is None:
        text = t(turn.lang, "answer_saved", who=who, what=what)
    else:
        before = RESPONSE_WORDS["en" if turn.lang == "en" else "th"][recorded.previous_response]
        if for_group and recorded.previous_response == Response.GOING:
            before += f" {recorded.previous_headcount}"
        text = t(turn.lang, "answer_changed", who=who, what=what, before=before)
    current = tally(turn.session, meeting)
    if group is not None:
        group_tally = current.group(group.id)
        if group_tally is not None:
            text += "\n" + cards.group_tally_line(group_tally, lang=turn.lang)
            if group_tally.over_quota:
                text += t(turn.lang, "over_quota", coming=group_tally.coming, quota=group_tally.quota)
    quick = None
    if for_group and answer_row.response == Response.GOING and not asked_count:
        text += t(turn.lang, "how_many")
        quick = cards.answer_quick_replies(meeting.id, group.id if group else None, lang=turn.lang)
    message = replies.text(text)
    if quick:
        message["quickReply"] = quick
    turn.say(message)
