"""Answers as leaders really type them, read in context: through signed webhooks, the fake LINE
platform and the real database (issue 9, "Answers").

A bare number is an answer only right after the bot asked "ไปกี่คนครับ?", in that chat, from that
person, for a while; a hedged answer is asked about once, with buttons; a 👍 or a sticker is an
answer only when it quotes the meeting's card; a question such as `ใครไปบ้าง` in a group is left to
the people; and every confirmation names the person, never a piece of a LINE user id.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.postbacks import Action, decode
from models.conversations import AnswerPrompt
from models.meetings import Answer
from models.outbox import SentMessage
from models.people import Person, Role
from scheduler.jobs import refresh_profiles
from tests import network
from tests.linechat import postback_actions, texts
from tests.network import COORDINATOR, MEMBER, leader_id
from tests.queries import count, one
from tests.test_meetings_chat import BANGKOK_NOW, FUND_1, FUND_2, FUND_3, FUND_TR, SAVINGS_TR, confirm_invite, create_meeting


@pytest.fixture
def net(db, services):
    services.set_clock(lambda: BANGKOK_NOW)
    return network.build(db)


@pytest.fixture
def meeting_14(line, net):
    create_meeting(line)
    confirm_invite(line, line.say("เชิญ ต.บางจาก 10 #1", user=COORDINATOR))
    line.say(f"เชิญ {SAVINGS_TR} 4 #1", user=COORDINATOR)
    line.say(f"เชิญ {FUND_TR} 4 #1", user=COORDINATOR)
    return 1


def answers(db) -> list[Answer]:
    with db.reading() as s:
        return list(s.scalars(select(Answer).order_by(Answer.id)))


def card_id(fake_line, chat: str) -> str:
    """The id LINE gave the meeting card pushed to `chat` (from the push's `sentMessages`)."""
    for request in fake_line.deliveries("push"):
        if chat in request.recipients:
            for message, sent in zip(request.body["messages"], request.response["sentMessages"]):
                if message["type"] == "flex" and any(decode(a["data"]).get("a") == Action.ANSWER
                                                     for a in postback_actions(message)):
                    return sent["id"]
    raise AssertionError(f"no card was pushed to {chat}")


def quoting(line, text: str | None, quoted: str | None, *, user: str, group: str) -> list[dict]:
    """A text (or, with text None, a sticker) that quotes message `quoted`, as LINE sends it."""
    if text is None:
        message = {"id": str(uuid.uuid4().int)[:18], "type": "sticker", "packageId": "446", "stickerId": "1988",
                   "stickerResourceType": "STATIC", "keywords": ["OK"], "quoteToken": uuid.uuid4().hex}
        event = line.event("message", message=message, user=user, group=group)
    else:
        event = line.text_event(text, user=user, group=group)
        message = event["message"]
    if quoted is not None:
        message["quotedMessageId"] = quoted
    mark = line.last_seq()
    line.send(event)
    return line.conversation(group, mark)


# -- typed answers that used to be ignored ---------------------------------------------------------


@pytest.mark.parametrize("said, response, headcount", [
    ("ขอไป 3 คน", "going", 3),
    ("ไป 4 คนนะครับ รวมผม", "going", 4),
    ("ไป ๕ คน รวมตัวเองด้วยค่ะ", "going", 5),
    ("ขอโทษครับ ไปไม่ได้ ติดธุระ", "not_going", 0),
    ("คราวนี้ไม่สะดวกค่ะ", "not_going", 0),
    ("ไม่ว่างครับ", "not_going", 0),
    ("ติดงานศพ ไปไม่ได้นะคะ", "not_going", 0),
    ("งดค่ะ", "not_going", 0),
    ("ไม่ไปครับ ลูกไม่สบาย ขอโทษด้วยนะครับ", "not_going", 0),
])
def test_a_leaders_everyday_thai_answer_is_recorded_for_the_group(line, db, net, meeting_14, said, response,
                                                                   headcount):
    reply = line.say(said, user=leader_id(2), group=net.chats[FUND_2])
    assert reply and reply[0]["type"] == "text" and "รับทราบ" in reply[0]["text"]
    stored = one(db, Answer)
    assert (stored.group_id, stored.for_group, stored.response, stored.headcount) == (
        net.groups[FUND_2], True, response, headcount)


# -- a bare number answers "ไปกี่คนครับ?" only -------------------------------------------------------


@pytest.mark.parametrize("number", ["9", "9 คน", "๙", "เก้าคน", "9 คนครับ รวมผม"])
def test_a_bare_number_right_after_the_headcount_question_is_the_headcount(line, db, net, meeting_14, number):
    chat = net.chats[FUND_1]
    asked = line.say("ไปครับ", user=leader_id(1), group=chat)
    assert "ไปกี่คนครับ" in asked[0]["text"]
    reply = line.say(number, user=leader_id(1), group=chat)
    assert "9" in reply[0]["text"] and "9/10" in reply[0]["text"]
    assert [(a.response, a.headcount, a.for_group) for a in answers(db)] == [("going", 9, True)]


def test_a_number_after_a_tap_on_going_is_the_headcount_too(line, db, net, meeting_14):
    from handlers.postbacks import encode

    chat = net.chats[FUND_1]
    line.tap(encode(Action.ANSWER, m=1, r="going"), user=leader_id(1), group=chat)
    line.say("สิบสอง", user=leader_id(1), group=chat)
    assert one(db, Answer).headcount == 12


def test_a_bare_number_is_chatter_without_the_question_from_someone_else_elsewhere_or_later(
        line, db, net, meeting_14, services):
    chat = net.chats[FUND_1]
    assert line.say("9", user=leader_id(1), group=chat) == []  # nobody asked
    assert count(db, Answer) == 0
    line.say("ไป", user=leader_id(1), group=chat)  # the bot asks the leader how many
    assert line.say("9", user=MEMBER, group=chat) == []  # someone else
    assert "วิธีใช้" in line.say("9", user=leader_id(1))[0]["text"]  # the leader, in another chat
    assert line.say("9 โมงเจอกัน", user=leader_id(1), group=chat) == []  # a time, not a count
    services.set_clock(lambda: BANGKOK_NOW + timedelta(minutes=16))
    assert line.say("9", user=leader_id(1), group=chat) == []  # too late: talk again
    assert [(a.response, a.headcount) for a in answers(db)] == [("going", 1)]


def test_once_the_headcount_is_given_a_further_number_is_chatter(line, db, net, meeting_14):
    chat = net.chats[FUND_1]
    line.say("ไป", user=leader_id(1), group=chat)
    line.say("6", user=leader_id(1), group=chat)
    assert line.say("7", user=leader_id(1), group=chat) == []
    assert one(db, Answer).headcount == 6


def test_a_headcount_out_of_range_is_refused_politely_and_changes_nothing(line, db, net, meeting_14):
    chat = net.chats[FUND_1]
    line.say("ไป", user=leader_id(1), group=chat)
    refused = line.say("0", user=leader_id(1), group=chat)
    assert "1 ถึง 500" in refused[0]["text"]
    assert one(db, Answer).headcount == 1


# -- unclear answers: one question, with buttons ----------------------------------------------------


@pytest.mark.parametrize("said", ["น่าจะไปครับ แต่ยังไม่แน่", "ไปมั้ง", "คงไปค่ะ", "ถ้าว่างจะไปครับ", "ติดงานศพค่ะ"])
def test_an_unclear_answer_is_asked_about_once_with_three_buttons(line, db, net, meeting_14, said):
    chat = net.chats[FUND_1]
    asked = line.say(said, user=leader_id(1), group=chat)
    assert len(asked) == 1 and "#1" in asked[0]["text"]
    taps = [decode(a["data"]) for a in postback_actions(asked)]
    assert [(d["a"], d["r"], d["m"]) for d in taps] == [
        (Action.ANSWER, "going", "1"), (Action.ANSWER, "not_going", "1"), (Action.ANSWER, "maybe", "1")]
    assert [a["label"] for a in postback_actions(asked)] == ["ไป", "ไม่ไป", "ไม่แน่ใจ"]
    assert count(db, Answer) == 0
    assert line.say("ไปมั้งนะ", user=leader_id(1), group=chat) == []  # asked once, not again
    line.tap(postback_actions(asked)[1]["data"], user=leader_id(1), group=chat)
    assert one(db, Answer).response == "not_going"


def test_an_unclear_answer_with_a_count_carries_it_on_the_going_button(line, db, net, meeting_14):
    chat = net.chats[FUND_1]
    asked = line.say("น่าจะไป 3 คน แต่ยังไม่แน่ใจ", user=leader_id(1), group=chat)
    going = postback_actions(asked)[0]
    assert decode(going["data"])["n"] == "3"
    line.tap(going["data"], user=leader_id(1), group=chat)
    assert one(db, Answer).headcount == 3


def test_an_unclear_answer_where_no_meeting_is_open_stays_unanswered(line, db, net):
    assert line.say("ไปมั้ง", user=leader_id(1), group=net.chats[FUND_1]) == []
    assert count(db, AnswerPrompt) == 0


@pytest.mark.parametrize("said", [
    "ไปกินข้าวกัน", "9 โมงเจอกัน", "ไปไหนมา", "👍", "ok", "โอเค", "+1", "555", "ไปกินข้าวมั้ง", "ไม่ไปไหนหรอก",
    "ไปไหม", "ไม่ไป 2 คน", "ขอโทษครับ", "ขอบคุณครับ 🙏", "งานศพพรุ่งนี้กี่โมง",
])
def test_chatter_in_a_chat_with_an_open_meeting_stays_silent(line, db, net, meeting_14, said):
    assert line.say(said, user=leader_id(1), group=net.chats[FUND_1]) == []
    assert count(db, Answer) == 0


# -- a reply quoting the card ----------------------------------------------------------------------


def test_the_ids_line_gives_sent_messages_are_recorded(line, db, net, meeting_14, fake_line):
    card = card_id(fake_line, net.chats[FUND_1])
    with db.reading() as s:
        assert s.get(SentMessage, card) is not None
        assert s.scalar(select(SentMessage).where(SentMessage.outbox_id.is_not(None)).limit(1)) is not None
    reply = line.say("ไป", user=leader_id(1), group=net.chats[FUND_1])
    assert reply  # replies' ids are kept too
    reply_ids = [sent["id"] for r in fake_line.deliveries("reply") for sent in r.response["sentMessages"]]
    with db.reading() as s:
        assert all(s.get(SentMessage, i) is not None for i in reply_ids)


@pytest.mark.parametrize("said", ["👍", "👍🏻", "+1", "ok", "OK ครับ", "โอเค", "โอเคค่ะ", None])
def test_agreement_quoting_the_card_is_going_for_that_person(line, db, net, meeting_14, fake_line, said):
    chat = net.chats[FUND_3]
    reply = quoting(line, said, card_id(fake_line, chat), user=MEMBER, group=chat)
    assert "รับทราบ" in reply[0]["text"]
    stored = one(db, Answer)
    assert (stored.meeting_id, stored.response, stored.headcount, stored.group_id, stored.for_group) == (
        1, "going", 1, net.groups[FUND_3], False)


def test_a_leader_quoting_the_card_with_a_thumb_answers_for_the_group_and_is_asked_how_many(
        line, db, net, meeting_14, fake_line):
    chat = net.chats[FUND_1]
    reply = quoting(line, "👍", card_id(fake_line, chat), user=leader_id(1), group=chat)
    assert "ไปกี่คนครับ" in reply[0]["text"]
    line.say("๗", user=leader_id(1), group=chat)
    assert (one(db, Answer).for_group, one(db, Answer).headcount) == (True, 7)


def test_quoting_the_card_picks_its_meeting_when_several_are_open(line, db, net, meeting_14, fake_line):
    chat = net.chats[FUND_1]
    card = card_id(fake_line, chat)
    create_meeting(line, "นัด 20 ส.ค. 2569 13:00 วัดบางสะพาน เรื่อง ประชุมครั้งที่ 2", chat=chat)
    quoting(line, "ok", card, user=MEMBER, group=chat)
    assert one(db, Answer).meeting_id == 1
    quoting(line, "ไม่ไป", card, user=leader_id(1), group=chat)
    assert {(a.meeting_id, a.response) for a in answers(db)} == {(1, "going"), (1, "not_going")}


def test_a_thumb_or_sticker_without_a_quote_or_quoting_another_message_is_chatter(line, db, net, meeting_14):
    chat = net.chats[FUND_3]
    assert quoting(line, "👍", None, user=MEMBER, group=chat) == []
    assert quoting(line, None, None, user=MEMBER, group=chat) == []
    assert quoting(line, "👍", "123456789012345678", user=MEMBER, group=chat) == []  # not ours
    line.say("วิธีใช้", user=MEMBER, group=chat)
    with db.reading() as s:
        help_message = s.scalars(select(SentMessage).order_by(SentMessage.sent_at.desc())).first()
    assert quoting(line, "👍", help_message.line_message_id, user=MEMBER, group=chat) == []  # not a card
    assert count(db, Answer) == 0


# -- summaries only when asked for -----------------------------------------------------------------


@pytest.mark.parametrize("said", ["ใครไปบ้าง", "มีใครไปบ้าง", "ใครจะไปบ้าง", "ใครไปบ้างครับ", "ยอด"])
def test_a_question_in_a_group_is_left_to_the_people(line, net, meeting_14, said):
    assert line.say(said, user=leader_id(1), group=net.chats[FUND_1]) == []


def test_an_explicit_summary_in_a_group_and_a_question_in_a_direct_chat_give_the_summary(line, net, meeting_14):
    for said in ("สรุป", "/summary"):
        assert "ยังไม่ตอบ" in " ".join(texts(line.say(said, user=leader_id(1), group=net.chats[FUND_1])))
    assert "ยังไม่ตอบ" in " ".join(texts(line.say("ใครไปบ้าง", user=COORDINATOR)))


# -- confirmations name people ---------------------------------------------------------------------


def _no_id_piece(messages: list[dict], user_id: str) -> None:
    shown = " ".join(texts(messages))
    assert "ไม่ทราบชื่อ" not in shown
    for size in (4, 6, 8):
        assert user_id[-size:] not in shown and user_id[1:1 + size] not in shown


def test_a_check_in_before_line_told_the_name_mentions_the_person_and_later_uses_the_name(
        line, db, net, meeting_14, services, fake_line, context):
    chat = net.chats[FUND_3]
    newcomer = "U" + "7" * 32
    services.set_clock(lambda: BANGKOK_NOW + timedelta(days=18, hours=-2, minutes=30))  # 14 Aug 08:30
    confirmed = line.say("มาแล้ว", user=newcomer, group=chat)
    _no_id_piece(confirmed, newcomer)
    assert confirmed[0]["type"] == "textV2"
    [(key, mention)] = confirmed[0]["substitution"].items()
    assert "{" + key + "}" in confirmed[0]["text"]
    assert mention["mentionee"] == {"type": "user", "userId": newcomer}
    # The clock learns the name from LINE (through the group), and sends nothing about it.
    fake_line.add_group(chat, "กองทุนหมู่ 3", members={newcomer: "ป้าแดง"})
    mark = line.last_seq()
    refresh_profiles(context, BANGKOK_NOW + timedelta(days=18))
    line.deliver()
    assert line.conversation(chat, mark) == []
    again = line.say("มาแล้ว", user=newcomer, group=chat)
    assert again[0]["type"] == "text" and "ป้าแดง" in again[0]["text"]


def test_a_check_in_in_a_direct_chat_without_a_name_says_you(line, db, net, meeting_14, services):
    services.set_clock(lambda: BANGKOK_NOW + timedelta(days=18, hours=-2, minutes=30))
    newcomer = "U" + "8" * 32
    with db.transaction() as s:
        from models.people import grant

        person = Person(line_user_id=newcomer, created_at=BANGKOK_NOW)
        s.add(person)
        s.flush()
        grant(s, person, Role.MEMBER, group_id=net.groups[FUND_3])
    confirmed = line.say("มาแล้ว", user=newcomer)
    assert confirmed[0]["type"] == "text" and "เช็คชื่อแล้ว" in confirmed[0]["text"]
    _no_id_piece(confirmed, newcomer)


def _appointment(line, text: str, mentioned: str, chat: str, *, index: int | None, length: int | None):
    event = line.text_event(text, user=COORDINATOR, group=chat)
    mentionee = {"userId": mentioned, "type": "user"}
    if index is not None:
        mentionee.update(index=index, length=length)
    event["message"]["mention"] = {"mentionees": [mentionee]}
    mark = line.last_seq()
    line.send(event)
    return line.conversation(chat, mark)


def test_an_appointment_names_the_person_as_the_coordinator_typed_them(line, db, net, fake_line, context):
    chat = net.chats[FUND_3]
    newcomer = "U" + "5" * 32
    text = "ตั้งผู้นำ @สมศรี ใจดี"
    said = _appointment(line, text, newcomer, chat, index=text.index("@"), length=len("@สมศรี ใจดี"))
    assert said[0]["text"] == "แต่งตั้ง สมศรี ใจดี เป็นผู้นำกลุ่ม กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก แล้วครับ"
    _no_id_piece(said, newcomer)
    with db.reading() as s:
        person = s.scalars(select(Person).where(Person.line_user_id == newcomer)).one()
        assert (person.display_name, person.last_chat_id) == ("สมศรี ใจดี", chat)
        assert person.has_role(Role.LEADER, net.groups[FUND_3])
    # The clock then reads the name LINE shows, through the group the appointee is in.
    fake_line.add_group(chat, "กองทุนหมู่ 3", members={newcomer: "ศรี 🌸"})
    refresh_profiles(context, BANGKOK_NOW)
    assert one(db, Person, Person.line_user_id == newcomer).display_name == "ศรี 🌸"


def test_an_appointment_without_a_typed_name_mentions_the_person(line, db, net):
    chat = net.chats[FUND_3]
    newcomer = "U" + "3" * 32
    said = _appointment(line, "ตั้งผู้นำ @x", newcomer, chat, index=None, length=None)
    _no_id_piece(said, newcomer)
    assert said[0]["type"] == "textV2"
    assert [m["mentionee"]["userId"] for m in said[0]["substitution"].values()] == [newcomer]


def test_leaders_who_answer_before_line_told_their_name_are_never_shown_an_id(line, net, meeting_14):
    newcomer = leader_id(2)
    reply = line.say("ไป 3 คน", user=newcomer, group=net.chats[FUND_2])
    _no_id_piece(reply, newcomer)


def test_the_headcount_question_is_remembered_per_chat_and_person(line, db, net, meeting_14):
    line.say("ไป", user=leader_id(1), group=net.chats[FUND_1])
    prompt = one(db, AnswerPrompt)
    assert (prompt.chat_id, prompt.meeting_id, prompt.kind) == (net.chats[FUND_1], 1, "headcount")
    assert prompt.expires_at - prompt.asked_at == timedelta(minutes=15)


def test_a_dead_letter_report_names_the_group_not_its_chat_id(line, db, net, context, fake_line):
    from models import outbox as outbox_model
    from models.outbox import OutboxMessage, Status
    from scheduler.reminders import report_dead_letters

    chat = net.chats[FUND_3]
    with db.transaction() as s:
        [row] = outbox_model.enqueue(s, to=chat, messages=[{"type": "text", "text": "เตือน"}], purpose="reminder",
                                     now=BANGKOK_NOW)
        s.get(OutboxMessage, row.id).status = Status.DEAD
    assert report_dead_letters(context, BANGKOK_NOW) == 1
    line.deliver()
    [alert] = [r for r in fake_line.deliveries("push") if r.body["to"] == COORDINATOR]
    shown = alert.body["messages"][0]["text"]
    assert FUND_3 in shown and chat not in shown and chat[-6:] not in shown


def test_an_action_items_owner_is_named_as_typed_in_the_mention(line, db, net, meeting_14):
    from models.notes import Note

    owner = "U" + "3" * 32
    text = "บันทึก #1 #งาน @สมชาย เตรียมรายชื่อ ภายใน 10 ส.ค."
    event = line.text_event(text, user=COORDINATOR, group=net.chats[FUND_1])
    event["message"]["mention"] = {"mentionees": [{"index": text.index("@"), "length": 6, "userId": owner,
                                                   "type": "user"}]}
    line.send(event)
    note = one(db, Note)
    assert note.owner_name == "สมชาย"
    assert one(db, Person, Person.line_user_id == owner).display_name == "สมชาย"
