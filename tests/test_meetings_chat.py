"""Meetings and answers in LINE chats, through signed webhooks and the fake LINE platform."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from handlers.postbacks import Action, decode, encode
from models.line_limits import utf16_len
from models.meetings import Answer, AnswerChange, Invitation, Meeting, MeetingStatus
from models.network import FinancialGroup
from models.people import Person, Role
from tests import network
from tests.conftest import TEST_SECRET
from tests.linechat import nodes, postback_actions, sign, tap_data, texts
from tests.network import COORDINATOR, FACILITATOR, MEMBER, chat_id, leader_id
from tests.queries import count, one

BANGKOK = ZoneInfo("Asia/Bangkok")
BANGKOK_NOW = datetime(2026, 7, 27, 3, 0, tzinfo=timezone.utc)  # Monday 27 Jul 2026, 10:00 in Bangkok
FUND_1 = "กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"
FUND_2 = "กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"
FUND_3 = "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"
SAVINGS_TR = "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
FUND_TR = "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่"


@pytest.fixture
def net(db, services):
    services.set_clock(lambda: BANGKOK_NOW)
    return network.build(db)


def flex_cards(messages):
    return [m for m in messages if m["type"] == "flex"]


def buttons_data(message) -> list[dict]:
    return [decode(action["data"]) for action in postback_actions(message)]


def create_meeting(line, text="นัด 14 ส.ค. 2569 09:00 วัดบางสะพาน เรื่อง ประชุมกองทุนหมู่บ้านตำบลบางจาก",
                   chat=None):
    return line.say(text, user=COORDINATOR, group=chat)


# -- joining and linking -------------------------------------------------------------------------


def test_the_bot_joining_a_group_greets_in_three_lines_and_offers_groups_to_link(line, net, fake_line):
    new_chat = chat_id(999)
    mark = line.last_seq()
    line.send(line.event("join", user=None, group=new_chat))
    [greeting] = line.conversation(new_chat, mark)
    assert len(greeting["text"].splitlines()) == 3
    assert "ผูกกลุ่ม" in greeting["text"]
    items = greeting["quickReply"]["items"]
    assert 1 <= len(items) <= 13
    assert all(utf16_len(i["action"]["label"]) <= 20 for i in items)
    assert all(decode(i["action"]["data"])["a"] == Action.LINK for i in items)


def test_a_coordinator_links_a_chat_with_one_tap_and_a_member_is_politely_refused(line, db, net):
    new_chat = chat_id(998)
    group_id = net.groups["ทีมคุณอำนวย"]
    refused = line.tap(encode(Action.LINK, g=group_id), user=MEMBER, group=new_chat)
    assert "ขออภัย" in refused[0]["text"]
    assert one(db, FinancialGroup, FinancialGroup.id == group_id).chat_id is None
    linked = line.tap(encode(Action.LINK, g=group_id), user=COORDINATOR, group=new_chat)
    assert "ทีมคุณอำนวย" in linked[0]["text"]
    assert one(db, FinancialGroup, FinancialGroup.id == group_id).chat_id == new_chat


def test_link_by_name_in_thai(line, db, net):
    new_chat = chat_id(997)
    answer = line.say("ผูกกลุ่ม ทีมคุณอำนวย", user=FACILITATOR, group=new_chat)
    assert "ผูกห้องนี้กับ ทีมคุณอำนวย แล้ว" in answer[0]["text"]


def test_link_with_an_unknown_name_suggests_groups(line, net):
    answer = line.say("ผูกกลุ่ม กลุ่มปลาทองสีรุ้ง", user=COORDINATOR, group=chat_id(996))
    assert "ไม่พบกลุ่ม" in answer[0]["text"] and answer[0]["quickReply"]["items"]


# -- the first coordinator -----------------------------------------------------------------------


def test_the_first_coordinator_claims_the_role_with_the_setup_code_in_a_direct_chat(line, db, services):
    someone = "U" + "7" * 32
    assert "ไม่ถูกต้อง" in line.say("ผู้ประสานงาน abc123", user=someone)[0]["text"]
    assert "แชทส่วนตัว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=someone, group=chat_id(5))[0]["text"]
    with db.reading() as session:
        assert not session.scalars(select(Person).where(Person.line_user_id == someone)).one().roles
    assert "เป็นผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=someone)[0]["text"]
    latecomer = "U" + "8" * 32
    assert "มีผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=latecomer)[0]["text"]
    with db.reading() as s:
        holders = s.scalars(select(Person).where(Person.line_user_id.in_([someone, latecomer]))).all()
        assert {p.line_user_id: p.is_coordinator for p in holders} == {someone: True, latecomer: False}


# -- creating meetings ---------------------------------------------------------------------------


def test_a_coordinator_creates_a_meeting_in_one_thai_line_and_the_chat_gets_the_card(line, db, net):
    answer = create_meeting(line, chat=net.chats[FUND_1])
    meeting = one(db, Meeting)
    assert meeting.starts_at == datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc)
    assert meeting.venue_name == "วัดบางสะพาน"
    assert meeting.title == "ประชุมกองทุนหมู่บ้านตำบลบางจาก"
    assert "วันศุกร์ที่ 14 ส.ค. 2569" in answer[0]["text"]
    [card] = flex_cards(answer)
    shown = " ".join(texts([card]))
    assert "14 ส.ค. 2569" in shown and "วัดบางสะพาน" in shown
    actions = {d.get("r") for d in buttons_data(card) if d.get("a") == Action.ANSWER}
    assert {"going", "not_going", "maybe"} <= actions
    # The chat it was made in is invited by default.
    with db.reading() as session:
        assert [i.group_id for i in session.scalars(select(Invitation))] == [net.groups[FUND_1]]


def test_a_meeting_date_without_a_time_asks_for_the_time_with_taps(line, db, net):
    answer = line.say("นัด 14 ส.ค. วัดบางสะพาน", user=COORDINATOR)
    assert count(db, Meeting) == 0
    items = answer[0]["quickReply"]["items"]
    nine = next(i for i in items if i["action"]["label"].startswith("09.00"))
    done = line.tap(nine["action"]["data"], user=COORDINATOR)
    meeting = one(db, Meeting)
    assert meeting.starts_at == datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc)
    assert meeting.venue_name == "วัดบางสะพาน"
    assert flex_cards(done)


def test_the_guided_flow_uses_the_date_time_picker(line, db, net):
    answer = line.say("นัดประชุม ทีมคุณอำนวย", user=COORDINATOR)
    picker = next(i["action"] for i in answer[0]["quickReply"]["items"] if i["action"]["type"] == "datetimepicker")
    line.tap(picker["data"], user=COORDINATOR, params={"datetime": "2026-08-08T09:00"})
    meeting = one(db, Meeting)
    assert meeting.starts_at == datetime(2026, 8, 8, 2, 0, tzinfo=timezone.utc)
    assert meeting.title == "ทีมคุณอำนวย"


def test_an_unclear_time_is_asked_not_guessed(line, db, net):
    answer = line.say("นัด 14 ส.ค. 2569 2 โมง วัดบางสะพาน", user=COORDINATOR)
    assert count(db, Meeting) == 0
    labels = [i["action"]["label"] for i in answer[0]["quickReply"]["items"]]
    assert len(labels) >= 3  # 08.00 and 14.00, and the picker


def test_a_leader_cannot_create_a_meeting_and_nothing_changes(line, db, net):
    answer = line.say("นัด 14 ส.ค. 2569 09:00 วัดบางสะพาน", user=leader_id(1), group=net.chats[FUND_1])
    assert "ผู้ประสานงาน" in answer[0]["text"] and "ขออภัย" in answer[0]["text"]
    assert count(db, Meeting) == 0


# -- inviting ------------------------------------------------------------------------------------


def confirm_invite(line, question, user=COORDINATOR, group=None):
    """Tap the confirming button under a sub-district invitation's question."""
    [confirm] = [a for a in postback_actions(question) if decode(a["data"]).get("a") == Action.CONFIRM]
    return line.tap(confirm["data"], user=user, group=group)


def test_inviting_a_sub_district_with_a_quota_sends_the_card_to_each_linked_chat(line, db, net, fake_line):
    create_meeting(line)  # in the coordinator's 1:1 chat: nobody invited yet
    mark = line.last_seq()
    question = line.say("เชิญ ต.บางจาก 10 #1", user=COORDINATOR)
    assert count(db, Invitation) == 0 and not fake_line.deliveries("push")  # asked first (issue 9)
    answer = confirm_invite(line, question)
    assert "เชิญ 3 กลุ่ม" in answer[0]["text"] and "โควตา 10" in answer[0]["text"]
    with db.reading() as s:
        quotas = {i.group_id: i.quota for i in s.scalars(select(Invitation))}
    assert quotas == {net.groups[name]: 10 for name in (FUND_1, FUND_2, FUND_3)}
    pushed = [r for r in fake_line.deliveries("push") if r.seq > mark]
    assert sorted(r.body["to"] for r in pushed) == sorted(net.chats[n] for n in (FUND_1, FUND_2, FUND_3))
    card = pushed[0].body["messages"][0]
    assert card["type"] == "flex" and "โควตา 10" in " ".join(texts([card]))
    # Inviting again changes the quota but does not push the card twice.
    confirm_invite(line, line.say("เชิญ ต.บางจาก 12 #1", user=COORDINATOR))
    assert len([r for r in fake_line.deliveries("push") if r.seq > mark]) == 3
    assert count(db, Invitation, Invitation.quota == 12) == 3


# -- answering -----------------------------------------------------------------------------------


@pytest.fixture
def meeting_14(line, net):
    create_meeting(line)
    confirm_invite(line, line.say("เชิญ ต.บางจาก 10 #1", user=COORDINATOR))
    line.say(f"เชิญ {SAVINGS_TR} 4 #1", user=COORDINATOR)
    line.say(f"เชิญ {FUND_TR} 4 #1", user=COORDINATOR)
    return 1


def test_a_leader_taps_going_then_a_headcount_for_the_whole_group(line, db, net, meeting_14):
    chat = net.chats[FUND_1]
    first = line.tap(encode(Action.ANSWER, m=1, r="going"), user=leader_id(1), group=chat)
    assert "ไป" in first[0]["text"] and "กี่คน" in first[0]["text"]
    numbers = first[0]["quickReply"]["items"]
    assert [i["action"]["label"] for i in numbers][:3] == ["ไป 1 คน", "ไป 2 คน", "ไป 3 คน"]
    eight = next(i for i in numbers if i["action"]["label"] == "ไป 8 คน")
    second = line.tap(eight["action"]["data"], user=leader_id(1), group=chat)
    assert "8" in second[0]["text"] and "8/10" in second[0]["text"]
    answer = one(db, Answer)
    assert (answer.for_group, answer.response, answer.headcount) == (True, "going", 8)
    with db.reading() as s:
        history = s.scalars(select(AnswerChange).order_by(AnswerChange.id)).all()
    assert [(h.from_headcount, h.to_headcount) for h in history] == [(None, 1), (1, 8)]


@pytest.mark.parametrize("said, response, headcount", [
    ("ไป 8 คน", "going", 8), ("ไป ๘ คน", "going", 8), ("มา 3 คน", "going", 3), ("yes 4", "going", 4),
    ("ไม่ไป", "not_going", 0), ("ไม่แน่ใจ", "maybe", 1), ("อาจจะ", "maybe", 1), ("ไปครับ", "going", 1),
])
def test_a_leader_answers_for_the_group_by_typing(line, db, net, meeting_14, said, response, headcount):
    answer = line.say(said, user=leader_id(2), group=net.chats[FUND_2])
    assert answer and answer[0]["type"] == "text"
    stored = one(db, Answer)
    assert (stored.group_id, stored.for_group, stored.response, stored.headcount) == (
        net.groups[FUND_2], True, response, headcount)


def test_a_member_answers_for_themselves_and_cannot_answer_for_the_group(line, db, net, meeting_14):
    chat = net.chats[FUND_3]
    refused = line.say("ไป 4 คน", user=MEMBER, group=chat)
    assert "เฉพาะผู้นำกลุ่ม" in refused[0]["text"]
    assert count(db, Answer) == 0
    me_only = refused[0]["quickReply"]["items"][0]["action"]["data"]
    line.tap(me_only, user=MEMBER, group=chat)
    stored = one(db, Answer)
    assert (stored.for_group, stored.headcount, stored.group_id) == (False, 1, net.groups[FUND_3])
    with db.reading() as s:
        member = s.scalars(select(Person).where(Person.line_user_id == MEMBER)).one()
        assert member.has_role(Role.MEMBER, net.groups[FUND_3])


def test_in_a_chat_shared_by_two_groups_each_leader_answers_for_their_own(line, db, net, meeting_14):
    chat = net.chats[SAVINGS_TR]
    assert chat == net.chats[FUND_TR]
    line.say("ไป 4", user=net.leaders[SAVINGS_TR], group=chat)
    line.say("ไป 2", user=net.leaders[FUND_TR], group=chat)
    with db.reading() as s:
        answers = {a.group_id: a.headcount for a in s.scalars(select(Answer))}
    assert answers == {net.groups[SAVINGS_TR]: 4, net.groups[FUND_TR]: 2}


def test_over_quota_is_accepted_and_flagged(line, db, net, meeting_14):
    answer = line.say("ไป 12 คน", user=leader_id(1), group=net.chats[FUND_1])
    assert "เกินโควตา 12/10" in answer[0]["text"]
    assert one(db, Answer).headcount == 12


def test_with_two_meetings_open_the_bot_asks_which_and_the_code_picks_it(line, db, net, meeting_14):
    create_meeting(line, "นัด 20 ส.ค. 2569 13:00 วัดบางสะพาน เรื่อง ประชุมครั้งที่ 2", chat=net.chats[FUND_1])
    chat = net.chats[FUND_1]
    ask = line.say("ไป 5", user=leader_id(1), group=chat)
    assert count(db, Answer) == 0
    choices = ask[0]["quickReply"]["items"]
    assert {decode(i["action"]["data"])["m"] for i in choices} == {"1", "2"}
    line.tap(choices[1]["action"]["data"], user=leader_id(1), group=chat)
    assert one(db, Answer).meeting_id == 2
    line.say("ไม่ไป #1", user=leader_id(1), group=chat)
    assert one(db, Answer, Answer.meeting_id == 1).response == "not_going"


def test_a_pc_user_without_a_user_id_is_asked_to_use_a_phone(line, db, net, meeting_14):
    answer = line.say("ไป", user=None, group=net.chats[FUND_1])
    assert "โทรศัพท์" in answer[0]["text"]
    assert count(db, Answer) == 0


def cancel(line, code: int = 1) -> list[dict]:
    """`ยกเลิกนัด #code` and the confirming tap; what the coordinator saw after the tap."""
    return line.tap(tap_data(line.say(f"ยกเลิกนัด #{code}", user=COORDINATOR), Action.CONFIRM), user=COORDINATOR)


def test_answers_after_a_cancellation_are_refused(line, db, net, meeting_14):
    cancel(line)
    answer = line.say("ไป 3", user=leader_id(1), group=net.chats[FUND_1])
    assert count(db, Answer) == 0
    assert answer  # told, politely


def test_several_leaders_answering_at_once_are_all_recorded(app, line, db, net, meeting_14, fake_line, services):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import urllib.request

        leaders = [(leader_id(1), net.chats[FUND_1], 7), (leader_id(2), net.chats[FUND_2], 9),
                   (leader_id(3), net.chats[FUND_3], 10), (net.leaders[SAVINGS_TR], net.chats[SAVINGS_TR], 4),
                   (net.leaders[FUND_TR], net.chats[FUND_TR], 3)]
        barrier = threading.Barrier(len(leaders))
        statuses = []

        def answer(user, chat, n):
            body = json.dumps({"events": [line.text_event(f"ไป {n} คน", user=user, group=chat)]},
                              ensure_ascii=False).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{server.port}/callback", data=body, method="POST",
                                             headers={"X-Line-Signature": sign(TEST_SECRET, body),
                                                      "Content-Type": "application/json"})
            barrier.wait()
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)

        threads = [threading.Thread(target=answer, args=leader) for leader in leaders]
        [t.start() for t in threads]
        [t.join() for t in threads]
    finally:
        server.shutdown()
    assert statuses == [200] * len(leaders)
    line.deliver()
    with db.reading() as s:
        recorded = {a.group_id: a.headcount for a in s.scalars(select(Answer))}
    assert recorded == {net.groups[FUND_1]: 7, net.groups[FUND_2]: 9, net.groups[FUND_3]: 10,
                        net.groups[SAVINGS_TR]: 4, net.groups[FUND_TR]: 3}
    assert len(fake_line.deliveries("reply")) >= len(leaders)


# -- summary, list, cancel, move -----------------------------------------------------------------


def test_the_summary_shows_villages_groups_against_quota_and_who_has_not_answered(line, net, meeting_14):
    line.say("ไป 8 คน", user=leader_id(1), group=net.chats[FUND_1])
    line.say("ไม่ไป", user=leader_id(2), group=net.chats[FUND_2])
    line.say("ไป 4", user=net.leaders[SAVINGS_TR], group=net.chats[SAVINGS_TR])
    summary = line.say("สรุป #1", user=COORDINATOR)
    body = "\n".join(m["text"] for m in summary)
    assert "ต.บางจาก" in body and "ต.ท่าไร่" in body
    assert "8/10" in body and "ยังไม่ตอบ" in body
    assert "หมู่ 3" in body  # fund 3 has not answered
    assert all(utf16_len(m["text"]) <= 5000 for m in summary) and len(summary) <= 5


def test_meetings_lists_upcoming_meetings_for_the_chat(line, net, meeting_14):
    answer = line.say("นัดหมาย", user=leader_id(1), group=net.chats[FUND_1])
    assert answer and "#1" in " ".join(texts(answer))


def test_cancelling_tells_every_invited_chat_once(line, db, net, meeting_14, fake_line):
    mark = line.last_seq()
    answer = cancel(line)
    assert "ยกเลิกนัด #1 แล้ว" in answer[0]["text"]
    assert one(db, Meeting).status == MeetingStatus.CANCELLED
    told = [r.body["to"] for r in fake_line.deliveries("push") if r.seq > mark]
    expected = {net.chats[n] for n in (FUND_1, FUND_2, FUND_3, SAVINGS_TR)}
    assert sorted(told) == sorted(expected)
    again = line.say("ยกเลิกนัด #1", user=COORDINATOR)
    assert "ยกเลิกไปแล้ว" in again[0]["text"]
    assert len([r for r in fake_line.deliveries("push") if r.seq > mark]) == len(expected)


def test_moving_keeps_the_answers_and_tells_the_invited_chats(line, db, net, meeting_14, fake_line):
    line.say("ไป 8 คน", user=leader_id(1), group=net.chats[FUND_1])
    mark = line.last_seq()
    answer = line.say("เลื่อนนัด #1 16 ส.ค. 2569 13:30", user=COORDINATOR)
    assert "เลื่อนนัด #1" in answer[0]["text"]
    meeting = one(db, Meeting)
    assert meeting.starts_at == datetime(2026, 8, 16, 6, 30, tzinfo=timezone.utc)
    assert meeting.status == MeetingStatus.MOVED
    assert one(db, Answer).headcount == 8
    pushes = [r for r in fake_line.deliveries("push") if r.seq > mark]
    assert len(pushes) == 4
    assert "16 ส.ค. 2569" in " ".join(texts(pushes[0].body["messages"]))


def test_unknown_text_is_silent_in_groups_and_answered_with_help_one_to_one(line, net):
    assert line.say("ฝนตกหนักมากวันนี้", user=leader_id(1), group=net.chats[FUND_1]) == []
    assert "วิธีใช้" in line.say("ฝนตกหนักมากวันนี้", user=leader_id(1))[0]["text"]


def test_help_lists_what_this_person_may_do(line, net):
    coordinator_help = line.say("วิธีใช้", user=COORDINATOR)[0]["text"]
    member_help = line.say("วิธีใช้", user=MEMBER)[0]["text"]
    assert "ผู้ประสานงาน" in coordinator_help and "นัด" in coordinator_help
    assert "ผู้ประสานงาน:" not in member_help


def test_english_is_understood_and_a_person_can_switch_to_english(line, db, net, meeting_14):
    line.say("English", user=leader_id(1))
    answer = line.say("/meetings", user=leader_id(1))
    assert answer
    chat = net.chats[FUND_1]
    line.say("/lang en", user=leader_id(1), group=chat)
    reply = line.say("yes 6", user=leader_id(1), group=chat)
    assert reply[0]["text"].startswith("Noted")
    assert one(db, Answer).headcount == 6


def test_a_coordinator_appoints_a_leader_by_mentioning_them(line, db, net):
    chat = net.chats[FUND_3]
    newcomer = "U" + "5" * 32
    event = line.text_event("ตั้งผู้นำ @สมศรี", user=COORDINATOR, group=chat)
    event["message"]["mention"] = {"mentionees": [{"index": 8, "length": 6, "userId": newcomer, "type": "user"}]}
    mark = line.last_seq()
    line.send(event)
    assert "แต่งตั้ง" in line.conversation(chat, mark)[0]["text"]
    with db.reading() as s:
        person = s.scalars(select(Person).where(Person.line_user_id == newcomer)).one()
        assert person.has_role(Role.LEADER, net.groups[FUND_3])


def test_tapping_a_meeting_in_the_list_shows_its_card_to_answer_from(line, net, meeting_14):
    listing = line.say("นัดหมาย", user=leader_id(1), group=net.chats[FUND_1])
    taps = [d for d in buttons_data(listing[0]) if d.get("a") == Action.SUMMARY]
    assert taps
    fields = dict(taps[0])
    card = line.tap(encode(fields.pop("a"), **fields), user=leader_id(1), group=net.chats[FUND_1])
    assert flex_cards(card) and "10" in " ".join(texts(card))


def test_a_coordinator_sharing_a_location_sets_the_map_of_the_meeting_just_made(line, db, net, fake_line):
    chat = net.chats[FUND_1]
    create_meeting(line, chat=chat)
    mark = line.last_seq()
    line.send(line.event("message", user=COORDINATOR, group=chat, message={
        "id": "99", "type": "location", "title": "วัดบางสะพาน", "address": "ต.บางจาก อ.เมือง จ.นครศรีธรรมราช",
        "latitude": 8.4012, "longitude": 99.9887}))
    assert "ตั้งแผนที่ของนัด #1" in line.conversation(chat, mark)[0]["text"]
    meeting = one(db, Meeting)
    assert (meeting.venue_latitude, meeting.venue_longitude) == (8.4012, 99.9887)
    assert meeting.map_url.endswith("query=8.4012,99.9887")
    # A location from anyone else is just chat.
    mark = line.last_seq()
    line.send(line.event("message", user=leader_id(1), group=chat, message={
        "id": "100", "type": "location", "title": "ร้านกาแฟ", "address": "-", "latitude": 1.0, "longitude": 2.0}))
    assert line.conversation(chat, mark) == []


def test_cards_link_to_the_groups_calendar_feed_when_a_public_url_is_set(line, db, net, services, settings, client):
    from bot.app import bot_settings

    services.bot_settings = bot_settings(settings.with_(public_base_url="https://meetbot.example"))
    answer = create_meeting(line, chat=net.chats[FUND_1])
    uris = [b["action"]["uri"] for m in flex_cards(answer) for b in _buttons(m) if b["action"]["type"] == "uri"
            and "/calendar/" in b["action"]["uri"]]
    assert len(uris) == 1 and uris[0].startswith(f"https://meetbot.example/calendar/{net.groups[FUND_1]}/")
    feed = client.get(uris[0].removeprefix("https://meetbot.example"))
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.get_data(as_text=True)
    assert client.get(f"/calendar/{net.groups[FUND_1]}/wrongtoken.ics").status_code == 404


def _buttons(message):
    return [node for node in nodes(message) if node.get("type") == "button"]


def test_a_coordinator_sets_the_agenda_and_the_card_shows_it(line, db, net):
    create_meeting(line)
    answer = line.say("วาระ #1 1. เรื่องแจ้งเพื่อทราบ\n2. ปัญหาหนี้ค้างชำระ", user=COORDINATOR)
    assert "ตั้งวาระของนัด #1 แล้ว" in answer[0]["text"]
    assert one(db, Meeting).agenda == "1. เรื่องแจ้งเพื่อทราบ\n2. ปัญหาหนี้ค้างชำระ"
    listing = line.say("นัดหมาย", user=COORDINATOR)
    card = line.tap(encode(Action.SUMMARY, m=1, v="card"), user=COORDINATOR)
    assert listing and "ปัญหาหนี้ค้างชำระ" in " ".join(texts(card))
    refused = line.say("/agenda #1 อย่างอื่น", user=leader_id(1))
    assert "ผู้ประสานงาน" in refused[0]["text"] and one(db, Meeting).agenda.startswith("1.")


def test_a_sub_district_typed_with_a_digit_for_a_number_word_is_found(db):
    from models.network import SubDistrict, find_sub_district

    with db.transaction() as s:
        s.add(SubDistrict(name="มะม่วงสองต้น", name_en="Mamuang Song Ton"))
    with db.reading() as s:
        assert find_sub_district(s, "ต.มะม่วง 2 ต้น").name == "มะม่วงสองต้น"
        assert find_sub_district(s, "Mamuang Song Ton").name == "มะม่วงสองต้น"
        assert find_sub_district(s, "มะม่วง 3 ต้น") is None


# -- dates: years, readings on buttons, moves, repeating meetings (issue 9) ------------------------

ON_15_AUGUST = datetime(2026, 8, 15, 1, 0, tzinfo=timezone.utc)  # Saturday 15 Aug 2026, 08:00 in Bangkok


def labels(message) -> list[str]:
    return [i["action"]["label"] for i in message["quickReply"]["items"]]


@pytest.mark.parametrize("said, year", [
    ("นัด 15 ส.ค.48 บ่ายโมงครึ่ง วัดบางหลวง", "2548"),  # the words, said on the 15th of August
    ("นัด 15 ส.ค. 48 บ่ายโมงครึ่ง วัดบางหลวง", "2548"),
    ("นัด 15 สิงหาคม 68 09:00 วัดบางหลวง", "2568"),
    ("นัด 15 ส.ค. 48 วัดบางหลวง", "2548"),  # no time: no point asking for one
])
def test_a_two_digit_buddhist_year_in_the_past_is_said_to_be_past_and_nothing_is_made(line, db, net, services,
                                                                                        said, year):
    services.set_clock(lambda: ON_15_AUGUST)
    answer = line.say(said, user=COORDINATOR)
    assert count(db, Meeting) == 0
    assert "ผ่านมาแล้ว" in answer[0]["text"] and year in answer[0]["text"]


def test_a_year_that_cannot_be_read_is_asked_with_the_picker_never_made_for_today(line, db, net, services):
    services.set_clock(lambda: ON_15_AUGUST)
    answer = line.say("นัด 15 ส.ค. 1234 บ่ายโมงครึ่ง วัดบางหลวง", user=COORDINATOR)
    assert count(db, Meeting) == 0
    assert "1234" in answer[0]["text"]
    picker = next(i["action"] for i in answer[0]["quickReply"]["items"] if i["action"]["type"] == "datetimepicker")
    line.tap(picker["data"], user=COORDINATOR, params={"datetime": "2026-08-20T13:30"})
    meeting = one(db, Meeting)
    assert meeting.starts_at == datetime(2026, 8, 20, 6, 30, tzinfo=timezone.utc)
    assert meeting.venue_name == "วัดบางหลวง"


def test_the_two_readings_of_2_โมง_show_their_times_first_and_the_tap_makes_that_one(line, db, net):
    answer = line.say("นัด 14 ส.ค. 2569 2 โมง วัดบางสะพาน", user=COORDINATOR)
    readings = [i["action"] for i in answer[0]["quickReply"]["items"] if i["action"]["type"] == "postback"]
    assert [a["label"] for a in readings] == ["14:00 ศ. 14 ส.ค.", "08:00 ศ. 14 ส.ค."]
    assert all(utf16_len(label) <= 20 for label in labels(answer[0]))
    line.tap(readings[0]["data"], user=COORDINATOR)
    assert one(db, Meeting).starts_at == datetime(2026, 8, 14, 7, 0, tzinfo=timezone.utc)


def test_a_day_among_several_is_tapped_then_its_time_is_asked_never_midnight(line, db, net):
    answer = line.say("นัด วันที่ 26 วัดบางหลวง", user=COORDINATOR)
    days = [i["action"] for i in answer[0]["quickReply"]["items"] if i["action"]["type"] == "postback"]
    assert [a["label"] for a in days] == ["พ. 26 ส.ค.", "ส. 26 ก.ย."]
    times = line.tap(days[0]["data"], user=COORDINATOR)
    assert count(db, Meeting) == 0
    assert "26 ส.ค. 2569" in times[0]["text"]
    assert labels(times[0])[:2] == ["08.00 น.", "08.30 น."]
    line.say("บ่ายโมงครึ่ง", user=COORDINATOR)  # typed instead of tapped: the day is known
    assert one(db, Meeting).starts_at == datetime(2026, 8, 26, 6, 30, tzinfo=timezone.utc)


def test_a_time_typed_after_being_asked_for_it_completes_the_meeting(line, db, net):
    line.say("นัด 14 ส.ค. วัดบางสะพาน", user=COORDINATOR)
    done = line.say("บ่ายสอง", user=COORDINATOR)
    assert one(db, Meeting).starts_at == datetime(2026, 8, 14, 7, 0, tzinfo=timezone.utc)
    assert flex_cards(done)


def test_which_meeting_shows_each_meetings_day_and_time(line, db, net, meeting_14):
    create_meeting(line, "นัด 14 ส.ค. 2569 13:00 วัดบางสะพาน เรื่อง ประชุมบ่าย", chat=net.chats[FUND_1])
    ask = line.say("ไป 5", user=leader_id(1), group=net.chats[FUND_1])
    assert labels(ask[0]) == ["#1 14 ส.ค. 09:00", "#2 14 ส.ค. 13:00"]


@pytest.mark.parametrize("said, local", [
    ("เลื่อนนัด #1 บ่ายสอง", datetime(2026, 8, 14, 14, 0)),  # a time alone keeps the day
    ("เลื่อนนัด #1 เป็น 13:30", datetime(2026, 8, 14, 13, 30)),
    ("เลื่อนนัด #1 บ่ายโมงครึ่ง", datetime(2026, 8, 14, 13, 30)),
    ("/move #1 2pm", datetime(2026, 8, 14, 14, 0)),
    ("เลื่อนนัด #1 พรุ่งนี้", datetime(2026, 7, 28, 9, 0)),  # a day alone keeps the time
    ("เลื่อนนัด #1 16 ส.ค.", datetime(2026, 8, 16, 9, 0)),
    ("เลื่อนนัด #1 16 ส.ค. 69", datetime(2026, 8, 16, 9, 0)),
])
def test_moving_with_a_time_alone_keeps_the_day_and_a_day_alone_keeps_the_time(line, db, net, meeting_14, said,
                                                                                 local):
    answer = line.say(said, user=COORDINATOR)
    assert "เลื่อนนัด #1" in answer[0]["text"]
    assert one(db, Meeting).starts_at == local.replace(tzinfo=BANGKOK).astimezone(timezone.utc)


def test_moving_to_an_unclear_hour_asks_with_the_meetings_own_day(line, db, net, meeting_14):
    answer = line.say("เลื่อนนัด #1 2 โมง", user=COORDINATOR)
    assert [a for a in labels(answer[0]) if ":" in a] == ["14:00 ศ. 14 ส.ค.", "08:00 ศ. 14 ส.ค."]
    assert one(db, Meeting).status == MeetingStatus.SCHEDULED


def test_moving_without_a_time_asks_and_a_time_typed_next_keeps_the_day(line, db, net, meeting_14):
    line.say("เลื่อนนัด #1", user=COORDINATOR)
    answer = line.say("บ่ายสาม", user=COORDINATOR)
    assert "เลื่อนนัด #1" in answer[0]["text"]
    assert one(db, Meeting).starts_at == datetime(2026, 8, 14, 8, 0, tzinfo=timezone.utc)


def test_moving_to_a_past_year_is_refused_and_nothing_changes(line, db, net, meeting_14, fake_line):
    mark = line.last_seq()
    answer = line.say("เลื่อนนัด #1 16 ส.ค. 48 13:30", user=COORDINATOR)
    assert "ผ่านมาแล้ว" in answer[0]["text"] and "2548" in answer[0]["text"]
    meeting = one(db, Meeting)
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.SCHEDULED, datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc))
    assert [r for r in fake_line.deliveries("push") if r.seq > mark] == []


@pytest.mark.parametrize("said", [
    "นัด ทุกวันจันทร์ 09:00 วัดบางหลวง เรื่อง ประชุมประจำสัปดาห์",
    "นัดทุกวันจันทร์ 9 โมง วัดบางหลวง",
    "นัด ทุกวันที่ 5 09:00 วัดบางหลวง",
    "นัด ทุกเดือน วันที่ 5 บ่ายโมง ศาลาหมู่บ้าน",
    "นัด ทุกสัปดาห์ วันพุธ 13:00 วัดบางหลวง",
    "/meet every Monday 9am Wat Bang Luang",
])
def test_a_repeating_meeting_is_politely_refused_and_nothing_is_made(line, db, net, said):
    answer = line.say(said, user=COORDINATOR)
    assert count(db, Meeting) == 0
    assert "ขออภัย" in answer[0]["text"] and "ประจำ" in answer[0]["text"]
    assert "ยังไม่ได้เปลี่ยนแปลง" in answer[0]["text"]


def test_moving_to_a_repeating_time_is_refused_and_nothing_changes(line, db, net, meeting_14):
    answer = line.say("เลื่อนนัด #1 ทุกวันจันทร์ 09:00", user=COORDINATOR)
    assert "ประจำ" in answer[0]["text"]
    meeting = one(db, Meeting)
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.SCHEDULED, datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc))


# -- cancelling after one confirming tap ---------------------------------------------------------


@pytest.mark.parametrize("said", ["ยกเลิกนัด #1", "/cancel #1"])
def test_cancel_asks_once_showing_the_meeting_and_how_many_chats_will_be_told(line, db, net, meeting_14, fake_line,
                                                                              said):
    mark = line.last_seq()
    asked = line.say(said, user=COORDINATOR)
    assert one(db, Meeting).status == MeetingStatus.SCHEDULED
    assert [r for r in fake_line.deliveries("push") if r.seq > mark] == []
    question = asked[0]["text"]
    assert "ประชุมกองทุนหมู่บ้านตำบลบางจาก" in question and "14 ส.ค. 2569" in question and "4 ห้อง" in question
    assert labels(asked[0]) == ["ยืนยันยกเลิก #1", "ไม่ยกเลิก"]


def test_the_keep_tap_leaves_the_meeting_as_it_was(line, db, net, meeting_14, fake_line):
    mark = line.last_seq()
    kept = line.tap(tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CANCEL_STEP), user=COORDINATOR)
    assert "ยังอยู่ตามเดิม" in kept[0]["text"]
    assert one(db, Meeting).status == MeetingStatus.SCHEDULED
    assert [r for r in fake_line.deliveries("push") if r.seq > mark] == []


def test_a_second_confirming_tap_cancels_nothing_more_and_tells_nobody_again(line, db, net, meeting_14, fake_line):
    confirm = tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CONFIRM)
    mark = line.last_seq()
    line.tap(confirm, user=COORDINATOR)
    told = len([r for r in fake_line.deliveries("push") if r.seq > mark])
    assert told == 4
    again = line.tap(confirm, user=COORDINATOR)
    assert "ยกเลิกไปแล้ว" in again[0]["text"]
    assert len([r for r in fake_line.deliveries("push") if r.seq > mark]) == told


def test_a_confirming_tap_by_someone_not_a_coordinator_is_refused(line, db, net, meeting_14, fake_line):
    confirm = tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CONFIRM)
    mark = line.last_seq()
    refused = line.tap(confirm, user=leader_id(1), group=net.chats[FUND_1])
    assert "ผู้ประสานงาน" in refused[0]["text"]
    assert one(db, Meeting).status == MeetingStatus.SCHEDULED
    assert [r for r in fake_line.deliveries("push") if r.seq > mark] == []


def test_a_confirming_tap_after_the_meeting_moved_asks_again_with_the_new_time(line, db, net, meeting_14):
    confirm = tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CONFIRM)
    line.say("เลื่อนนัด #1 16 ส.ค. 13:30", user=COORDINATOR)
    again = line.tap(confirm, user=COORDINATOR)
    assert one(db, Meeting).status == MeetingStatus.MOVED
    assert "16 ส.ค. 2569" in again[0]["text"]
    line.tap(tap_data(again, Action.CONFIRM), user=COORDINATOR)
    assert one(db, Meeting).status == MeetingStatus.CANCELLED


def test_two_confirming_taps_at_once_cancel_once_and_tell_each_chat_once(app, line, db, net, meeting_14, fake_line):
    confirm = tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CONFIRM)
    mark = line.last_seq()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    statuses = []
    try:
        import urllib.request

        barrier = threading.Barrier(2)

        def tap():
            body = json.dumps({"events": [line.postback_event(confirm, user=COORDINATOR)]}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{server.port}/callback", data=body, method="POST",
                                             headers={"X-Line-Signature": sign(TEST_SECRET, body),
                                                      "Content-Type": "application/json"})
            barrier.wait()
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)

        threads = [threading.Thread(target=tap) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    finally:
        server.shutdown()
    assert statuses == [200, 200]
    line.deliver()
    assert one(db, Meeting).status == MeetingStatus.CANCELLED
    told = sorted(r.body["to"] for r in fake_line.deliveries("push") if r.seq > mark)
    assert told == sorted({net.chats[n] for n in (FUND_1, FUND_2, FUND_3, SAVINGS_TR)})
    said = " ".join(m["text"] for m in line.conversation(COORDINATOR, mark) if m["type"] == "text")
    assert said.count("ยกเลิกนัด #1 แล้ว") == 1 and "ยกเลิกไปแล้ว" in said


def test_moving_to_a_day_of_the_month_taps_the_month_and_keeps_the_time(line, db, net, meeting_14):
    answer = line.say("เลื่อนนัด #1 วันที่ 26", user=COORDINATOR)
    days = [i["action"] for i in answer[0]["quickReply"]["items"] if i["action"]["type"] == "postback"]
    assert [a["label"] for a in days] == ["พ. 26 ส.ค.", "ส. 26 ก.ย."]
    line.tap(days[1]["data"], user=COORDINATOR)
    assert one(db, Meeting).starts_at == datetime(2026, 9, 26, 2, 0, tzinfo=timezone.utc)


def test_an_unclear_date_is_explained_in_english_to_an_english_speaker(line, db, net):
    line.say("/lang en", user=COORDINATOR)
    answer = line.say("/meet 31 Feb 09:00 Wat Bang Luang about planning", user=COORDINATOR)
    text = answer[0]["text"]
    assert "There is no 31 Feb" in text
    assert not re.search("[\u0e00-\u0e7f]", text)  # no Thai in an English chat
    assert count(db, Meeting) == 0
