"""Inviting and linking on the seed's real network (issue 9), through signed webhooks.

The demo network is the one the issue's users hit: Bang Chak's eleven village funds (every name
ends in `ต.บางจาก`), Tha Rai's six villages with a savings group and a village fund each plus the
community leaders, and Mamuang Song Ton.
"""

from __future__ import annotations

import dataclasses
import shlex
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.postbacks import Action, decode
from models.line_limits import MAX_POSTBACK_DATA, utf16_len
from models.meetings import Invitation, Meeting
from models.network import Chat, FinancialGroup
from models.people import Person, Role, ensure_person, grant
from models.seed import BANG_CHAK, COMMUNITY_LEADERS, MAMUANG, THA_RAI, fund_name, load_demo, savings_group_name
from tests.network import chat_id
from tests.queries import count, one

NOW = datetime(2026, 7, 27, 3, 0, tzinfo=timezone.utc)  # Monday 27 Jul 2026, 10:00 in Bangkok
COORDINATOR = "U" + "c" * 32
LINKER = "U" + "a" * 32  # a facilitator who links chats
OTHER_FACILITATOR = "U" + "b" * 32
NEW_CHAT = chat_id(900)
# Linked in the fixture: Bang Chak funds 1 and 3, Tha Rai villages 1 and 2 (one chat each, shared by
# the savings group and the fund, as in the seed) and the community leaders.
LINKED = {fund_name(1, BANG_CHAK): chat_id(1), fund_name(3, BANG_CHAK): chat_id(3),
          savings_group_name(1, THA_RAI): chat_id(101), fund_name(1, THA_RAI): chat_id(101),
          savings_group_name(2, THA_RAI): chat_id(102), fund_name(2, THA_RAI): chat_id(102),
          COMMUNITY_LEADERS: chat_id(200)}


@pytest.fixture
def demo(db, services):
    services.set_clock(lambda: NOW)
    with db.transaction() as s:
        load_demo(s, year=2026, now=NOW)
        grant(s, ensure_person(s, COORDINATOR, display_name="ผู้ประสานงาน"), Role.COORDINATOR)
        grant(s, ensure_person(s, LINKER, display_name="คุณอำนวยหนึ่ง"), Role.FACILITATOR)
        grant(s, ensure_person(s, OTHER_FACILITATOR, display_name="คุณอำนวยสอง"), Role.FACILITATOR)
        for name, chat in LINKED.items():
            if s.get(Chat, chat) is None:
                s.add(Chat(id=chat, kind="group", member_count=15))
                s.flush()
            s.scalars(select(FinancialGroup).where(FinancialGroup.name == name)).one().chat_id = chat


def group(db, name: str) -> FinancialGroup:
    return one(db, FinancialGroup, FinancialGroup.name == name)


def quotas(db, code: int) -> dict[str, int | None]:
    with db.reading() as s:
        return {i.group.name: i.quota for i in s.scalars(select(Invitation).where(Invitation.meeting_id == code))}


def new_meeting(line, db) -> int:
    line.say("นัด 20 ส.ค. 2569 09:00 วัดบางสะพาน เรื่อง ทดลองเชิญ", user=COORDINATOR)
    with db.reading() as s:
        return s.scalar(select(Meeting.id).where(Meeting.title == "ทดลองเชิญ"))


def pushes(fake_line, since: int) -> list:
    return [r for r in fake_line.deliveries("push") if r.seq > since]


def items(message: dict) -> list[dict]:
    return [i["action"] for i in message.get("quickReply", {}).get("items", [])]


def tap_labelled(line, message: dict, label: str, *, user: str, group: str | None = None) -> list[dict]:
    [action] = [a for a in items(message) if a["label"] == label]
    return line.tap(action["data"], user=user, group=group)


def assert_within_line_limits(message: dict) -> None:
    labels = [a["label"] for a in items(message)]
    assert len(set(labels)) == len(labels), labels
    assert all(utf16_len(label) <= 20 for label in labels), labels
    assert all(len(a["data"]) <= MAX_POSTBACK_DATA for a in items(message))


# -- inviting ------------------------------------------------------------------------------------


def test_a_full_group_name_invites_that_group_alone(line, db, demo, fake_line):
    code = new_meeting(line, db)
    mark = line.last_seq()
    answer = line.say(f"เชิญ กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก 10 #{code}", user=COORDINATOR)
    assert "เชิญ 1 กลุ่ม" in answer[0]["text"]
    assert quotas(db, code) == {fund_name(3, BANG_CHAK): 10}
    assert [r.body["to"] for r in pushes(fake_line, mark)] == [chat_id(3)]


def test_inviting_the_community_leaders_of_tha_rai_changes_no_other_groups_quota(line, db, demo):
    with db.reading() as s:
        code = s.scalar(select(Meeting.id).where(Meeting.title.like("%ท่าไร่ ครั้งที่ 1")))
    before = quotas(db, code)
    assert before[COMMUNITY_LEADERS] is None and sum(1 for q in before.values() if q == 4) == 12
    answer = line.say(f"เชิญ ผู้นำชุมชน ต.ท่าไร่ 10 #{code}", user=COORDINATOR)
    assert "เชิญ 1 กลุ่ม" in answer[0]["text"]
    assert quotas(db, code) == {**before, COMMUNITY_LEADERS: 10}


def test_a_sub_district_invite_says_what_it_will_do_and_sends_cards_only_after_the_confirm_tap(
        line, db, demo, fake_line):
    code = new_meeting(line, db)
    mark = line.last_seq()
    [question] = line.say(f"เชิญ ต.บางจาก 10 #{code}", user=COORDINATOR)
    text = question["text"]
    assert "11 กลุ่ม" in text and "ต.บางจาก" in text and f"#{code}" in text
    assert "โควตา 10 คน/กลุ่ม" in text
    assert "2 ห้อง" in text and "• ม.1 กองทุน" in text and "• ม.3 กองทุน" in text
    assert "9 กลุ่มยังไม่ได้ผูกห้องไลน์" in text
    assert [decode(a["data"])["a"] for a in items(question)] == [Action.CONFIRM, Action.CANCEL_STEP]
    assert_within_line_limits(question)
    assert quotas(db, code) == {} and pushes(fake_line, mark) == []

    done = tap_labelled(line, question, "ยืนยันเชิญ 11 กลุ่ม", user=COORDINATOR)
    assert "เชิญ 11 กลุ่ม" in done[0]["text"]
    assert quotas(db, code) == {fund_name(n, BANG_CHAK): 10 for n in range(1, 12)}
    assert sorted(r.body["to"] for r in pushes(fake_line, mark)) == [chat_id(1), chat_id(3)]

    # It asks once: the same tap again does nothing more.
    again = tap_labelled(line, question, "ยืนยันเชิญ 11 กลุ่ม", user=COORDINATOR)
    assert "ทำไปแล้วหรือหมดเวลา" in again[0]["text"]
    assert len(pushes(fake_line, mark)) == 2


def test_a_cancel_tap_under_a_sub_district_invite_sends_and_changes_nothing(line, db, demo, fake_line):
    code = new_meeting(line, db)
    mark = line.last_seq()
    [question] = line.say(f"เชิญ กองทุน ต.มะม่วงสองต้น 10 #{code}", user=COORDINATOR)
    assert "6 กลุ่ม" in question["text"] and "กองทุนหมู่บ้าน" in question["text"]
    dropped = tap_labelled(line, question, "ยกเลิก", user=COORDINATOR)
    assert "ยกเลิกการเชิญ" in dropped[0]["text"]
    confirm = [a for a in items(question) if decode(a["data"])["a"] == Action.CONFIRM][0]
    late = line.tap(confirm["data"], user=COORDINATOR)  # the question is gone with the cancel
    assert "ทำไปแล้วหรือหมดเวลา" in late[0]["text"]
    assert quotas(db, code) == {} and pushes(fake_line, mark) == []


def test_only_a_coordinator_can_confirm_an_invitation(line, db, demo, fake_line):
    code = new_meeting(line, db)
    [question] = line.say(f"เชิญ ต.บางจาก 10 #{code}", user=COORDINATOR)
    confirm = [a for a in items(question) if decode(a["data"])["a"] == Action.CONFIRM][0]
    refused = line.tap(confirm["data"], user=LINKER)
    assert "ผู้ประสานงานเท่านั้น" in refused[0]["text"]
    assert quotas(db, code) == {}


def test_which_group_choices_read_apart_within_line_limits_and_a_tap_completes_the_invitation(
        line, db, demo, fake_line):
    code = new_meeting(line, db)
    mark = line.last_seq()
    [question] = line.say(f"เชิญ หมู่ 1 4 #{code}", user=COORDINATOR)  # village 1 of every sub-district
    labels = [a["label"] for a in items(question)]
    assert labels[:3] == ["ม.1 ท่าไร่ ออมทรัพย์", "ม.1 ท่าไร่ กองทุน", "ม.1 บางจาก กองทุน"]
    assert labels[3].startswith("ม.1 มะม่วง") and labels[3].endswith("กทบ.")
    assert_within_line_limits(question)
    assert quotas(db, code) == {}
    done = tap_labelled(line, question, "ม.1 บางจาก กองทุน", user=COORDINATOR)
    assert "เชิญ 1 กลุ่ม" in done[0]["text"] and "โควตา 4" in done[0]["text"]
    assert quotas(db, code) == {fund_name(1, BANG_CHAK): 4}
    assert [r.body["to"] for r in pushes(fake_line, mark)] == [chat_id(1)]


def test_a_choice_keeps_the_meeting_code_when_several_meetings_are_open(line, db, demo):
    """The tap carries the code typed with the command, not whatever meeting is open."""
    code = new_meeting(line, db)
    [question] = line.say(f"เชิญ กองทุนหมู่ 5 7 #{code}", user=COORDINATOR)
    assert {decode(a["data"])["m"] for a in items(question)} == {str(code)}
    tap_labelled(line, question, "ม.5 ท่าไร่ กองทุน", user=COORDINATOR)
    assert quotas(db, code) == {fund_name(5, THA_RAI): 7}


# -- linking -------------------------------------------------------------------------------------


def test_the_greeting_asks_the_sub_district_then_the_village_and_links_in_two_taps(line, db, demo):
    mark = line.last_seq()
    line.send(line.event("join", user=None, group=NEW_CHAT))
    [greeting] = line.conversation(NEW_CHAT, mark)
    assert [a["label"] for a in items(greeting)] == [f"ต.{THA_RAI}", f"ต.{BANG_CHAK}", f"ต.{MAMUANG}", "กลุ่มอื่นๆ"]
    [villages] = tap_labelled(line, greeting, f"ต.{BANG_CHAK}", user=LINKER, group=NEW_CHAT)
    labels = [a["label"] for a in items(villages)]
    assert labels == ["ม.1 (ผูกแล้ว)", "ม.2", "ม.3 (ผูกแล้ว)"] + [f"ม.{n}" for n in range(4, 12)]
    assert_within_line_limits(villages)
    [linked] = tap_labelled(line, villages, "ม.5", user=LINKER, group=NEW_CHAT)
    assert f"ผูกห้องนี้กับ {fund_name(5, BANG_CHAK)} แล้ว" in linked["text"]
    assert "ยกเลิกผูกกลุ่ม" in linked["text"]  # how to undo it
    fund = group(db, fund_name(5, BANG_CHAK))
    with db.reading() as s:
        linker = s.scalars(select(Person).where(Person.line_user_id == LINKER)).one()
    assert (fund.chat_id, fund.linked_by_id) == (NEW_CHAT, linker.id)


def test_a_tha_rai_village_asks_which_of_its_two_groups_or_both(line, db, demo):
    [subs] = line.say("ผูกกลุ่ม", user=LINKER, group=NEW_CHAT)
    [villages] = tap_labelled(line, subs, f"ต.{THA_RAI}", user=LINKER, group=NEW_CHAT)
    assert [a["label"] for a in items(villages)][-1] == COMMUNITY_LEADERS
    [which] = tap_labelled(line, villages, "ม.4", user=LINKER, group=NEW_CHAT)
    assert [a["label"] for a in items(which)] == ["ม.4 ออมทรัพย์", "ม.4 กองทุน", "ทั้ง 2 กลุ่ม"]
    [linked] = tap_labelled(line, which, "ทั้ง 2 กลุ่ม", user=LINKER, group=NEW_CHAT)
    assert savings_group_name(4, THA_RAI) in linked["text"] and fund_name(4, THA_RAI) in linked["text"]
    assert {group(db, n).chat_id for n in (savings_group_name(4, THA_RAI), fund_name(4, THA_RAI))} == {NEW_CHAT}


@pytest.mark.parametrize("typed, name", [
    ("กองทุน ม.2 บางจาก", fund_name(2, BANG_CHAK)),
    ("หมู่ 5 บางจาก", fund_name(5, BANG_CHAK)),
    ("ม.๒ บางจาก", fund_name(2, BANG_CHAK)),
    ("กทบ. หมู่ 4 ตำบลบางจาก", fund_name(4, BANG_CHAK)),
    ("กองทุนหมู่บ้าน ม.6 ต.บางจาก", fund_name(6, BANG_CHAK)),
    ("กองทุนหมู่บ้าน หมู่ที่ 7 บางจาก", fund_name(7, BANG_CHAK)),
    ("ม 8 บางจาก กองทุน", fund_name(8, BANG_CHAK)),
    ("กลุ่มออมทรัพย์ หมู่ 3 ท่าไร่", savings_group_name(3, THA_RAI)),
    ("ออมทรัพย์ ม.4 ต.ท่าไร่", savings_group_name(4, THA_RAI)),
    ("กลุ่มสัจจะ หมู่ 5 ตำบลท่าไร่", savings_group_name(5, THA_RAI)),
    ("กองทุน ม.3 มะม่วง 2 ต้น", fund_name(3, MAMUANG)),
    ("ทีมคุณอำนวย", "ทีมคุณอำนวย"),
])
def test_the_usual_ways_of_naming_a_group_link_it(line, db, demo, typed, name):
    [linked] = line.say(f"ผูกกลุ่ม {typed}", user=LINKER, group=NEW_CHAT)
    assert f"ผูกห้องนี้กับ {name}" in linked["text"]
    assert group(db, name).chat_id == NEW_CHAT
    assert count(db, FinancialGroup, FinancialGroup.chat_id == NEW_CHAT) == 1


def test_a_name_that_fits_several_groups_offers_choices_that_read_apart(line, db, demo):
    [which] = line.say("ผูกกลุ่ม หมู่ 6", user=LINKER, group=NEW_CHAT)
    assert_within_line_limits(which)
    assert [a["label"] for a in items(which)][:3] == ["ม.6 ท่าไร่ ออมทรัพย์", "ม.6 ท่าไร่ กองทุน", "ม.6 บางจาก กองทุน"]
    assert count(db, FinancialGroup, FinancialGroup.chat_id == NEW_CHAT) == 0


def test_a_wrong_link_is_undone_by_whoever_made_it_or_a_coordinator_and_others_are_refused(line, db, demo):
    # A Bang Chak chat tapped onto a Tha Rai fund by mistake.
    line.say("ผูกกลุ่ม กองทุน ม.5 ท่าไร่", user=LINKER, group=NEW_CHAT)
    assert group(db, fund_name(5, THA_RAI)).chat_id == NEW_CHAT

    refused = line.say("ผูกกลุ่ม กองทุน ม.5 บางจาก", user=OTHER_FACILITATOR, group=NEW_CHAT)
    assert "ขออภัย" in refused[0]["text"] and fund_name(5, THA_RAI) in refused[0]["text"]
    assert "ขออภัย" in line.say("ยกเลิกผูกกลุ่ม", user=OTHER_FACILITATOR, group=NEW_CHAT)[0]["text"]
    assert group(db, fund_name(5, THA_RAI)).chat_id == NEW_CHAT
    assert group(db, fund_name(5, BANG_CHAK)).chat_id is None

    # Whoever linked it relinks it by naming the right group.
    [relinked] = line.say("ผูกกลุ่ม กองทุน ม.5 บางจาก", user=LINKER, group=NEW_CHAT)
    assert f"ผูกห้องนี้กับ {fund_name(5, BANG_CHAK)}" in relinked["text"] and fund_name(5, THA_RAI) in relinked["text"]
    assert group(db, fund_name(5, THA_RAI)).chat_id is None
    assert group(db, fund_name(5, BANG_CHAK)).chat_id == NEW_CHAT

    # A coordinator may unlink what someone else linked; the chat is offered the choices again.
    [unlinked] = line.say("/unlink", user=COORDINATOR, group=NEW_CHAT)
    assert fund_name(5, BANG_CHAK) in unlinked["text"] and items(unlinked)
    assert group(db, fund_name(5, BANG_CHAK)).chat_id is None
    assert "ยังไม่ได้ผูก" in line.say("ยกเลิกผูกกลุ่ม", user=COORDINATOR, group=NEW_CHAT)[0]["text"]


def test_the_linker_unlinks_by_typing_and_a_seeded_link_is_only_for_a_coordinator_to_change(line, db, demo):
    line.say("ผูกกลุ่ม ม.๒ บางจาก", user=LINKER, group=NEW_CHAT)
    [done] = line.say("ยกเลิกผูกกลุ่ม", user=LINKER, group=NEW_CHAT)
    assert f"ยกเลิกการผูกห้องนี้กับ {fund_name(2, BANG_CHAK)}" in done["text"]
    assert group(db, fund_name(2, BANG_CHAK)).chat_id is None
    # The chat of Bang Chak village 1 was linked before anyone here (by import): a facilitator
    # cannot swap it for another group; a coordinator can.
    assert "ขออภัย" in line.say("ผูกกลุ่ม กองทุน ม.9 บางจาก", user=LINKER, group=chat_id(1))[0]["text"]
    line.say("ผูกกลุ่ม กองทุน ม.9 บางจาก", user=COORDINATOR, group=chat_id(1))
    assert group(db, fund_name(9, BANG_CHAK)).chat_id == chat_id(1)
    assert group(db, fund_name(1, BANG_CHAK)).chat_id is None


def test_a_second_group_of_the_same_village_joins_a_shared_chat_without_replacing_the_first(line, db, demo):
    line.say("ผูกกลุ่ม ออมทรัพย์ ม.3 ท่าไร่", user=LINKER, group=NEW_CHAT)
    [second] = line.say("ผูกกลุ่ม กองทุน ม.3 ท่าไร่", user=OTHER_FACILITATOR, group=NEW_CHAT)
    assert "ผูกห้องนี้กับ" in second["text"]
    assert {group(db, n).chat_id for n in (savings_group_name(3, THA_RAI), fund_name(3, THA_RAI))} == {NEW_CHAT}


def test_a_member_cannot_start_linking(line, db, demo):
    [greeting_tap] = line.tap("a=link&s=1", user="U" + "9" * 32, group=NEW_CHAT)
    assert "ขออภัย" in greeting_tap["text"]
    assert count(db, FinancialGroup, FinancialGroup.chat_id == NEW_CHAT) == 0


@pytest.mark.parametrize("typed, name", [
    ("กทบ. ม.๓ ตำบลบางจาก", fund_name(3, BANG_CHAK)),
    ("กองทุน หมู่ 3 บางจาก", fund_name(3, BANG_CHAK)),
    ("หมู่ที่ 3 ต.บางจาก", fund_name(3, BANG_CHAK)),
    ("กลุ่มสัจจะ ม.1 ท่าไร่", savings_group_name(1, THA_RAI)),
    ("ผู้นำชุมชนท่าไร่", COMMUNITY_LEADERS),
    ("Bang Chak village fund 3", fund_name(3, BANG_CHAK)),
])
def test_the_usual_ways_of_naming_a_group_invite_that_group_alone(line, db, demo, typed, name):
    code = new_meeting(line, db)
    answer = line.say(f"เชิญ {typed} 5 #{code}", user=COORDINATOR)
    assert "เชิญ 1 กลุ่ม" in answer[0]["text"]
    assert quotas(db, code) == {name: 5}


def test_a_sub_district_with_words_that_name_no_group_invites_nothing(line, db, demo, fake_line):
    code = new_meeting(line, db)
    answer = line.say(f"เชิญ ต.บางจาก คณะทำงานพิเศษ 10 #{code}", user=COORDINATOR)
    assert "ไม่พบกลุ่ม" in answer[0]["text"]
    assert quotas(db, code) == {}


# -- the README's "Try it" session, verbatim ---------------------------------------------------


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, setup_code="1234")  # the development code the README types


def readme_session() -> list[list[str]]:
    """The `meetbot say` lines of the README's "Try it" block, as argument lists ($G expanded)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Try it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    variables, commands = {}, []
    for raw in block.splitlines():
        code = raw.split("  #", 1)[0].strip()
        if "=" in code and not code.startswith("."):
            name, value = code.split("=", 1)
            variables[name] = value
        elif code.startswith(".venv/bin/meetbot say"):
            words = shlex.split(code)[2:]
            commands.append([variables.get(w[1:], w) if w.startswith("$") else w for w in words])
    return commands


def test_the_readme_session_works_as_written(line, db, services, fake_line):
    services.set_clock(lambda: NOW)
    with db.transaction() as s:
        load_demo(s, now=NOW)  # `meetbot demo`
    said = []
    for words in readme_session():
        args = {"user": "U" + "0" * 31 + "1", "group": None}  # `meetbot say`'s default sender
        postback = "--postback" in words
        rest = [w for w in words if w != "--postback"]
        while len(rest) > 1 and rest[-2] in ("--group", "--user", "--name"):
            if rest[-2] != "--name":
                args[rest[-2][2:]] = rest[-1]
            rest = rest[:-2]
        [text] = rest
        answer = line.tap(text, **args) if postback else line.say(text, **args)
        assert answer, text
        said.append((text, answer))
    by_text = dict(said)
    group_chat = "C0000000000000000000000000000000a"
    assert "ยืนยันไหม" in by_text["เชิญ ต.บางจาก 10 #6"][0]["text"]
    assert "เชิญ 11 กลุ่ม" in by_text["a=ok&f=invite&m=6"][0]["text"]
    assert any(r.body["to"] == group_chat and r.body["messages"][0]["type"] == "flex"
               for r in fake_line.deliveries("push"))
    assert quotas(db, 6) == {fund_name(n, BANG_CHAK): 10 for n in range(1, 12)}


def test_a_sub_district_with_more_villages_than_quick_replies_hold_pages_them(line, db, demo):
    from models.network import GroupKind, SubDistrict, Village

    with db.transaction() as s:
        bang_chak = s.scalars(select(SubDistrict).where(SubDistrict.name == BANG_CHAK)).one()
        for number in range(12, 17):
            village = Village(sub_district_id=bang_chak.id, number=number)
            s.add(village)
            s.flush()
            s.add(FinancialGroup(name=fund_name(number, BANG_CHAK), kind=GroupKind.VILLAGE_FUND,
                                 sub_district_id=bang_chak.id, village_id=village.id))
    [subs] = line.say("ผูกกลุ่ม", user=LINKER, group=NEW_CHAT)
    [first] = tap_labelled(line, subs, f"ต.{BANG_CHAK}", user=LINKER, group=NEW_CHAT)
    labels = [a["label"] for a in items(first)]
    assert len(labels) == 12 and labels[-1] == "ถัดไป ›" and labels[-2] == "ม.11"
    [second] = tap_labelled(line, first, "ถัดไป ›", user=LINKER, group=NEW_CHAT)
    assert [a["label"] for a in items(second)] == [f"ม.{n}" for n in range(12, 17)]
    [linked] = tap_labelled(line, second, "ม.16", user=LINKER, group=NEW_CHAT)
    assert fund_name(16, BANG_CHAK) in linked["text"]


def test_other_groups_are_one_tap_under_the_greeting(line, db, demo):
    [subs] = line.say("ผูกกลุ่ม", user=LINKER, group=NEW_CHAT)
    [others] = tap_labelled(line, subs, "กลุ่มอื่นๆ", user=LINKER, group=NEW_CHAT)
    [linked] = tap_labelled(line, others, "ทีมคุณอำนวย", user=LINKER, group=NEW_CHAT)
    assert "ผูกห้องนี้กับ ทีมคุณอำนวย" in linked["text"]


def test_in_english_the_question_and_the_choices_are_english_too(line, db, demo):
    code = new_meeting(line, db)
    line.say("/lang en", user=COORDINATOR)
    [question] = line.say(f"/invite Tha Rai savings 4 #{code}", user=COORDINATOR)
    assert "About to invite 6 groups (savings group) of Tha Rai" in question["text"]
    assert "Quota: 4 per group" in question["text"]
    assert [a["label"] for a in items(question)] == ["Invite 6 groups", "Cancel"]
    [which] = line.say(f"/invite moo 2 4 #{code}", user=COORDINATOR)
    assert [a["label"] for a in items(which)][:3] == ["M2 Tha Rai savings", "M2 Tha Rai fund", "M2 Bang Chak fund"]
    assert_within_line_limits(which)


def test_a_stray_tap_cannot_take_a_group_away_from_its_own_chat(line, db, demo):
    """Bang Chak village 1's fund is linked to its own chat; a facilitator's tap elsewhere is refused,
    its leader (starting a new LINE group) or a coordinator may move it."""
    refused = line.say(f"ผูกกลุ่ม {fund_name(1, BANG_CHAK)}", user=LINKER, group=NEW_CHAT)
    assert "ขออภัย" in refused[0]["text"] and "ห้องไลน์อื่น" in refused[0]["text"]
    assert group(db, fund_name(1, BANG_CHAK)).chat_id == chat_id(1)
    moved = line.say(f"ผูกกลุ่ม {fund_name(1, BANG_CHAK)}", user=COORDINATOR, group=NEW_CHAT)
    assert "ผูกกับห้องอื่น ย้ายมาห้องนี้แล้ว" in moved[0]["text"]
    assert group(db, fund_name(1, BANG_CHAK)).chat_id == NEW_CHAT


def test_one_tap_invites_both_groups_of_a_tha_rai_village_that_share_a_chat(line, db, demo, fake_line):
    code = new_meeting(line, db)
    mark = line.last_seq()
    [which] = line.say(f"เชิญ หมู่ 2 ท่าไร่ 4 #{code}", user=COORDINATOR)
    assert [a["label"] for a in items(which)] == ["ม.2 ท่าไร่ ออมทรัพย์", "ม.2 ท่าไร่ กองทุน", "ทั้ง 2 กลุ่ม"]
    done = tap_labelled(line, which, "ทั้ง 2 กลุ่ม", user=COORDINATOR)
    assert "เชิญ 2 กลุ่ม" in done[0]["text"]
    assert quotas(db, code) == {savings_group_name(2, THA_RAI): 4, fund_name(2, THA_RAI): 4}
    assert [r.body["to"] for r in pushes(fake_line, mark)] == [chat_id(102)]
