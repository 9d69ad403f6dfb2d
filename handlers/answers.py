"""Answers to invitations, by text (`ไป 4`) or by tapping a card, for oneself or for a group."""

from __future__ import annotations

from datetime import timedelta

from handlers import cards, postbacks, replies
from handlers.commands import MAX_HEADCOUNT, UnclearAnswer, is_agreement, read_headcount, read_unclear_answer
from handlers.meetings import meeting_choices, resolve_meeting
from handlers.postbacks import Action
from handlers.texts import response_button, response_word, status_word, t
from handlers.turn import Turn
from models.conversations import (
    HEADCOUNT_QUESTION_LIFETIME,
    AnswerPrompt,
    PromptKind,
    close_prompts,
    open_prompt,
    remember_prompt,
    was_asked,
)
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
from models.outbox import sent_message
from models.people import Role, grant
from models.safe_text import strip_bidi
from models.tally import tally



def handle_answer_text(turn: Turn, command) -> None:
    """`ไป`, `ไป 4 คน`, `ไม่ไป`, `ไม่แน่ใจ`, `yes 4 #12` … (quoting a card picks that card's meeting)"""
    code = command.meeting if command.meeting is not None else quoted_meeting(turn)
    answer(turn, response=command.response, headcount=command.headcount, code=code,
           names=list(command.names), via="text")


# -- answers that are answers only in context (answers slice) --------------------------------------


def quoted_meeting(turn: Turn) -> int | None:
    """The meeting whose card (or any message with its answer buttons) this message quotes."""
    quoted = turn.event.quoted_message_id
    if not quoted:
        return None
    found = sent_message(turn.session, quoted)
    if found is None:
        return None
    row, message = found
    if row.to != turn.event.chat_id:
        return None  # a quote of a message we sent elsewhere cannot happen in LINE; be safe
    taps = [postbacks.decode(action["data"]) for action in _postback_actions(message)]
    meetings = {postbacks.int_field(tap, "m") for tap in taps if tap.get("a") == Action.ANSWER}
    meetings.discard(None)
    return meetings.pop() if len(meetings) == 1 else None


def _postback_actions(obj):
    if isinstance(obj, dict):
        if obj.get("type") == "postback" and isinstance(obj.get("data"), str):
            yield obj
        for value in obj.values():
            yield from _postback_actions(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _postback_actions(value)


def quoted_agreement(turn: Turn) -> int | None:
    """👍, `+1`, `ok`, `โอเค` or a sticker quoting a meeting's card: "going" (else chatter)."""
    event = turn.event
    if event.type != "message" or not event.quoted_message_id or turn.command is not None:
        return None
    if not (event.message_type == "sticker" or (event.text is not None and is_agreement(event.text))):
        return None
    return quoted_meeting(turn)


def handle_quoted_agreement(turn: Turn, meeting_id: int) -> None:
    answer(turn, response=Response.GOING, headcount=None, code=meeting_id, via="quote")


def headcount_reply(turn: Turn) -> tuple[AnswerPrompt, int] | None:
    """A bare number (`9`, `๙`, `เก้าคน`) from the person the bot just asked "ไปกี่คนครับ?", in that
    chat, while the question is fresh; anything else (and the same number anywhere else) is chatter."""
    event = turn.event
    if event.text is None or turn.command is not None or not event.user_id or not event.chat_id:
        return None
    n = read_headcount(event.text)
    if n is None or turn.person is None:
        return None
    prompt = open_prompt(turn.session, chat_id=event.chat_id, person_id=turn.person.id, kind=PromptKind.HEADCOUNT,
                         now=turn.now)
    return (prompt, n) if prompt is not None else None


def handle_headcount_reply(turn: Turn, found: tuple[AnswerPrompt, int]) -> None:
    prompt, n = found
    answer(turn, response=Response.GOING, headcount=n, code=prompt.meeting_id, group_id=prompt.group_id, via="text")


def unclear_answer(turn: Turn) -> tuple[list[Meeting], UnclearAnswer] | None:
    """`น่าจะไปครับ แต่ยังไม่แน่`, `ไปมั้ง` in a chat with an open meeting the person was not asked
    about yet: worth one question with buttons (a second unclear message stays unanswered)."""
    event = turn.event
    if event.type != "message" or event.text is None or turn.command is not None or turn.person is None:
        return None
    unclear = read_unclear_answer(event.text)
    if unclear is None or not event.chat_id:
        return None
    meetings = [m for m in _answerable(turn) if not was_asked(
        turn.session, chat_id=event.chat_id, person_id=turn.person.id, meeting_id=m.id, kind=PromptKind.UNCLEAR)]
    return (meetings, unclear) if meetings else None


def handle_unclear_answer(turn: Turn, found: tuple[list[Meeting], UnclearAnswer]) -> None:
    meetings, unclear = found
    for meeting in meetings:
        remember_prompt(turn.session, chat_id=turn.event.chat_id, person_id=turn.person.id, meeting_id=meeting.id,
                        kind=PromptKind.UNCLEAR, group_id=None, now=turn.now,
                        lifetime=max(meeting.ends_at - turn.now, timedelta(minutes=1)))
    only = meetings[0] if len(meetings) == 1 else None
    headcount = unclear.headcount if unclear.headcount and unclear.headcount > 1 else None
    choices = [(Response.GOING, headcount), (Response.NOT_GOING, None), (Response.MAYBE, None)]
    items = [replies.postback_item(response_button(turn.lang, r), _data(only, r, n, None, False),
                                   display=(response_word(turn.lang, r) + (f" {n}" if n else "")
                                            + (f" {only.code}" if only else "")))
             for r, n in choices]
    what = f" {only.code} {only.title}" if only is not None else ""
    turn.say(replies.text(t(turn.lang, "unclear_answer", what=what), items))


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
        status = status_word(turn.lang, meeting.status if meeting.is_open is False else MeetingStatus.DONE)
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
        turn.say(replies.text(t(turn.lang, "meeting_closed", code=meeting.id, status=status_word(turn.lang, meeting.status))))
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
    words = response_word(turn.lang, response)
    people = (f" {count} people" if turn.lang == "en" else f" {count} คน") if for_group and response != Response.NOT_GOING else ""
    if group is None:
        return f"{words}{people}"
    return f"{group.name} {words}{people}"


def _confirm(turn: Turn, meeting: Meeting, group: FinancialGroup | None, recorded, *, for_group: bool,
             asked_count: bool) -> None:
    person = turn.person
    name = strip_bidi(person.display_name)  # a name stored before bidi controls were stripped
    who = f" คุณ{name}" if name and turn.lang != "en" else (f", {name}" if name else "")
    answer_row = recorded.answer
    what = f"{meeting.code} " + _describe(turn, group, answer_row.response, answer_row.headcount, for_group)
    if not recorded.changed:
        text = t(turn.lang, "answer_same", who=who, what=what)
    elif recorded.previous_response is None:
        text = t(turn.lang, "answer_saved", who=who, what=what)
    else:
        before = response_word(turn.lang, recorded.previous_response)
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
    chat_id = turn.event.chat_id
    if chat_id:
        close_prompts(turn.session, chat_id=chat_id, person_id=person.id, kind=PromptKind.HEADCOUNT, now=turn.now)
    if for_group and answer_row.response == Response.GOING and not asked_count:
        text += t(turn.lang, "how_many")
        quick = cards.answer_quick_replies(meeting.id, group.id if group else None, lang=turn.lang)
        if chat_id:  # a number typed alone next is the answer to this question (handlers.answers.headcount_reply)
            remember_prompt(turn.session, chat_id=chat_id, person_id=person.id, meeting_id=meeting.id,
                            kind=PromptKind.HEADCOUNT, group_id=group.id if group else None, now=turn.now,
                            lifetime=HEADCOUNT_QUESTION_LIFETIME)
    message = replies.text(text)
    if quick:
        message["quickReply"] = quick
    turn.say(message)
