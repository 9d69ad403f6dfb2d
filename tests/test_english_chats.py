"""A whole meeting in English: nothing the bot sends to an English chat or person is in Thai.

The script: a coordinator who switched to English in their 1:1 chat, a group chat switched with
`English`, a leader and a member who chose English 1:1. Create, invite, answer, summary, move,
reminders (through the clock), nudges, check-in, notes, minutes, cancel. Every message the fake
LINE platform recorded for those chats is read back, and no Thai letter (U+0E00–U+0E7F) may
appear in it: names and venues here are ASCII, so any Thai is the bot's own words.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from models.meetings import Meeting, MeetingStatus
from models.network import Chat, FinancialGroup, GroupKind, SubDistrict, Village
from models.people import Duty, Role, ensure_person, grant
from scheduler.jobs import run_pass
from tests.linechat import nodes, postback_actions

THAI = re.compile("[\u0e00-\u0e7f]")
COORDINATOR = "U" + "c" * 32
FACILITATOR = "U" + "f" * 32
LEADER_1 = "U" + "1" * 32
LEADER_2 = "U" + "2" * 32
MEMBER = "U" + "9" * 32
GROUP_CHAT = "C" + "e" * 32
CREATED = datetime(2026, 8, 1, 3, 0, tzinfo=timezone.utc)
START = datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc)  # Fri 14 Aug 2026, 09:00 in Bangkok
MOVED = START + timedelta(days=1)                          # Sat 15 Aug, 09:00


def _network(db) -> None:
    with db.transaction() as s:
        sub = SubDistrict(name="Bang Chak", name_en="Bang Chak", district="Mueang", province="Nakhon")
        s.add(sub)
        s.flush()
        groups = []
        for number, leader in ((1, LEADER_1), (2, LEADER_2)):
            village = Village(sub_district_id=sub.id, number=number)
            s.add(village)
            s.flush()
            group = FinancialGroup(name=f"Fund {number}", kind=GroupKind.VILLAGE_FUND, sub_district_id=sub.id,
                                   village_id=village.id)
            groups.append(group)
            s.add(group)
            s.flush()
            grant(s, ensure_person(s, leader, display_name=f"Leader {number}"), Role.LEADER, group_id=group.id)
        s.add(Chat(id=GROUP_CHAT, kind="group", member_count=12))
        s.flush()
        groups[0].chat_id = GROUP_CHAT  # Fund 2 has no chat: its leader hears from the bot 1:1
        grant(s, ensure_person(s, COORDINATOR, display_name="Coordinator"), Role.COORDINATOR)
        grant(s, ensure_person(s, FACILITATOR, display_name="Facilitator"), Role.FACILITATOR,
              sub_district_id=sub.id, duty=Duty.RECORDER)
        ensure_person(s, MEMBER, display_name="Member")


def _strings(messages) -> list[str]:
    """What a person reads: texts, alt texts, button labels and the text a tap puts in the chat."""
    return [node[key] for node in nodes(messages) for key in ("text", "altText", "label", "displayText")
            if isinstance(node.get(key), str)]


def _thai_in(line, chats) -> list[tuple[str, str]]:
    """Every string with Thai in it sent to these chats; the way back to Thai (ภาษาไทย) is Thai on purpose."""
    return [(chat, s) for r in line.fake.deliveries() for chat in r.recipients if chat in chats
            for s in _strings(r.body.get("messages", [])) if THAI.search(s.replace("ภาษาไทย", ""))]


@pytest.mark.slow  # a whole meeting's script: about 3 s
def test_a_whole_meeting_in_english_chats_has_no_thai_in_anything_the_bot_sent(db, line, services, context,
                                                                                fake_line):
    _network(db)
    english = {COORDINATOR, GROUP_CHAT, LEADER_2, MEMBER, FACILITATOR}
    services.set_clock(lambda: CREATED)
    for person in (COORDINATOR, LEADER_2, MEMBER, FACILITATOR):
        line.say("/lang en", user=person)
    line.say("English", user=LEADER_1, group=GROUP_CHAT)
    line.say("/help", user=LEADER_1, group=GROUP_CHAT)
    line.say("/meet 2026-08-14 09:00 Hall about Budget", user=COORDINATOR)
    with db.reading() as s:
        meeting_id = s.scalar(select(Meeting.id).where(Meeting.title == "Budget"))
    code = f"#{meeting_id}"
    line.say(f"/invite Bang Chak 10 {code}", user=COORDINATOR)
    line.say("yes 4", user=LEADER_1, group=GROUP_CHAT)
    line.say("no", user=LEADER_1, group=GROUP_CHAT)
    line.say("yes 4", user=LEADER_1, group=GROUP_CHAT)
    line.say("maybe", user=MEMBER, group=GROUP_CHAT)
    line.say(f"/summary {code}", user=COORDINATOR)
    line.say("/summary", user=LEADER_1, group=GROUP_CHAT)
    line.say("/meetings", user=MEMBER)
    line.say(f"/move {code} 2026-08-15 09:00", user=COORDINATOR)
    line.say(f"/remind {code} 1d 2h", user=COORDINATOR)
    line.deliver(CREATED)

    # The clock: the day before, then two hours before (reminders, nudges, the quota).
    for when in (MOVED - timedelta(days=1), MOVED - timedelta(hours=2)):
        result = run_pass(context, when)
        assert result["reminders"]["sent"] == 1, result
        line.deliver(when)

    services.set_clock(lambda: MOVED + timedelta(minutes=10))
    line.say("/here", user=MEMBER, group=GROUP_CHAT)
    line.say("/checkin Grandma Daeng Fund 1", user=FACILITATOR, group=GROUP_CHAT)
    line.say("/note We agree on the budget #resolution", user=FACILITATOR, group=GROUP_CHAT)
    line.say(f"/minutes {code}", user=COORDINATOR)

    # A second meeting, asked for its date, then cancelled (with whatever confirmation the bot asks for).
    asked = line.say("/meet Hall about Spare", user=COORDINATOR)  # no date: the bot asks for one
    assert postback_actions(asked) or any(n.get("type") == "datetimepicker" for n in nodes(asked))
    line.say("2026-09-01 09:00", user=COORDINATOR)
    with db.reading() as s:
        spare = s.scalar(select(Meeting.id).where(Meeting.title == "Spare"))
    line.say(f"/invite Fund 1 5 #{spare}", user=COORDINATOR)
    answer = line.say(f"/cancel #{spare}", user=COORDINATOR)
    with db.reading() as s:
        if s.get(Meeting, spare).status != MeetingStatus.CANCELLED:
            line.tap(postback_actions(answer)[0]["data"], user=COORDINATOR)
    with db.reading() as s:
        assert s.get(Meeting, spare).status == MeetingStatus.CANCELLED

    # Every step reached the English chats (so the assertion below has something to look at).
    for chat in english - {FACILITATOR}:
        assert line.conversation(chat, 0), f"nothing reached {chat}"
    assert any(LEADER_2 in r.recipients for r in fake_line.deliveries()), "no nudge reached leader 2"
    assert _thai_in(line, english) == []
