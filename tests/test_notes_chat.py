"""Notes, photos, unsend, check-ins and forget-me, through signed webhooks and the fake LINE platform."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from handlers.postbacks import Action, decode, encode
from models.attendance import Attendance, Method
from models.meetings import Answer, Meeting, create_meeting, invite
from models.network import FinancialGroup
from models.notes import Note, NotePhoto, Tag
from models.people import Person
from scheduler.jobs import fetch_photos, run_pass
from tests import network
from tests.linechat import postback_actions, texts
from tests.network import COORDINATOR, FACILITATOR, MEMBER, leader_id
from tests.queries import all_of, one

START = datetime(2026, 7, 26, 2, 0, tzinfo=timezone.utc)  # Sun 26 Jul 2026, 09:00 at Wat Bang Luang
DURING = START + timedelta(hours=1)
FUND_1 = "กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"


@pytest.fixture
def live(db, services):
    """A meeting in progress, invited: fund 1 of Bang Chak (its chat) with a quota of 4."""
    net = network.build(db)
    with db.transaction() as s:
        m = create_meeting(s, title="ประชุมลงพื้นที่สามตำบล", starts_at=START, venue_name="วัดบางหลวง",
                           now=START - timedelta(days=3))
        invite(s, m, s.get(FinancialGroup, net.groups[FUND_1]), 4)
    services.set_clock(lambda: DURING)
    net.chat = net.chats[FUND_1]
    return net


# -- notes ---------------------------------------------------------------------------------------


def test_a_facilitators_note_joins_the_meeting_in_progress_with_its_tags(line, db, live):
    answer = line.say("บันทึก ปัจจัยแห่งความสำเร็จ 3 ข้อ: กรรมการ สมาชิก การจัดการ", user=FACILITATOR, group=live.chat)
    assert answer[0]["text"].startswith("📝 บันทึกแล้ว (#1)")
    line.say("บันทึก #มติ ประชุมครั้งต่อไป 15 ส.ค. และ 6 ก.ย. ที่วัดบางหลวง", user=FACILITATOR, group=live.chat)
    line.say("บันทึก #ปัญหา เงินกู้ไม่ชำระคืน", user=FACILITATOR, group=live.chat)
    notes = all_of(db, Note)
    assert [n.meeting_id for n in notes] == [1, 1, 1]
    assert [n.tags for n in notes] == [[], [Tag.RESOLUTION], [Tag.PROBLEM]]
    assert notes[0].text == "ปัจจัยแห่งความสำเร็จ 3 ข้อ: กรรมการ สมาชิก การจัดการ"


def test_an_action_item_gets_its_owner_from_the_mention_and_a_due_date(line, db, live, fake_line):
    owner = "U" + "3" * 32
    event = line.text_event("บันทึก #งาน @สมชาย เตรียมรายชื่อผู้เข้าร่วม ภายใน 10 ส.ค.", user=FACILITATOR,
                            group=live.chat)
    event["message"]["mention"] = {"mentionees": [{"index": 12, "length": 6, "userId": owner, "type": "user"}]}
    line.send(event)
    note = one(db, Note)
    assert note.tags == [Tag.ACTION] and note.due_date == date(2026, 8, 10)
    with db.reading() as s:
        assert s.get(Person, note.owner_id).line_user_id == owner


def test_a_note_names_its_meeting_with_a_code_and_a_leader_may_not_note_unless_allowed(line, db, live):
    refused = line.say("บันทึก #1 ความเห็นของผู้นำ", user=leader_id(1), group=live.chat)
    assert "คุณอำนวย" in refused[0]["text"]
    assert all_of(db, Note) == []
    with db.transaction() as s:
        s.get(Meeting, 1).leaders_may_note = True
    line.say("บันทึก #1 ความเห็นของผู้นำ", user=leader_id(1), group=live.chat)
    assert one(db, Note).text == "ความเห็นของผู้นำ"


def test_the_author_corrects_or_deletes_their_note(line, db, live):
    line.say("บันทึก สมาชิกมา 37 คน", user=FACILITATOR, group=live.chat)
    assert "แก้บันทึกแล้ว" in line.say("แก้บันทึก สมาชิกมา 38 คน", user=FACILITATOR, group=live.chat)[0]["text"]
    assert one(db, Note).text == "สมาชิกมา 38 คน"
    # someone else cannot: they have no note of their own
    assert "ไม่พบบันทึก" in line.say("ลบบันทึก", user=COORDINATOR, group=live.chat)[0]["text"]
    line.say("ลบบันทึก", user=FACILITATOR, group=live.chat)
    assert one(db, Note).deleted_at is not None


def test_editing_the_line_message_corrects_the_note(line, db, live):
    event = line.text_event("บันทึก ผู้เข้าร่วม 36 คน", user=FACILITATOR, group=live.chat)
    line.send(event)
    edited = line.event("messageEdited", user=FACILITATOR, group=live.chat,
                        message={**event["message"], "text": "บันทึก ผู้เข้าร่วม 37 คน"})
    line.send(edited)
    assert one(db, Note).text == "ผู้เข้าร่วม 37 คน"


def test_unsend_removes_the_note(line, db, live):
    event = line.text_event("บันทึก ข้อความที่ส่งผิด", user=FACILITATOR, group=live.chat)
    line.send(event)
    line.send(line.event("unsend", user=FACILITATOR, group=live.chat, reply=False,
                         unsend={"messageId": event["message"]["id"]}))
    note = one(db, Note)
    assert note.deleted_at is not None and note.text == ""


# -- photos --------------------------------------------------------------------------------------


def image_event(line, message_id: str, user=FACILITATOR, group=None, at=None):
    return line.event("message", user=user, group=group, at=at, reply=False,
                      message={"id": message_id, "type": "image",
                               "contentProvider": {"type": "line"}})


def test_a_photo_sent_within_two_minutes_of_a_note_is_kept_with_it_and_fetched(line, db, live, fake_line, services, context):
    flip_chart = b"\xff\xd8\xff\xe0" + "กระดาษชาร์ต".encode() * 100
    fake_line.add_content("7001", flip_chart, "image/jpeg")
    fake_line.add_content("7002", b"\xff\xd8late", "image/jpeg")
    line.say("บันทึก แผนผังปัญหาหนี้", user=FACILITATOR, group=live.chat)
    line.send(image_event(line, "7001", group=live.chat))
    services.set_clock(lambda: DURING + timedelta(minutes=3))
    line.send(image_event(line, "7002", group=live.chat))  # too late for that note: never fetched
    assert fetch_photos(context, DURING + timedelta(minutes=4)) == 1
    photos = {p.line_message_id: p for p in all_of(db, NotePhoto)}
    assert photos["7001"].data == flip_chart and photos["7001"].content_type == "image/jpeg"
    assert photos["7001"].note_id == one(db, Note).id
    assert photos["7002"].note_id is None and photos["7002"].data is None


def test_a_photo_sent_just_before_its_note_joins_it(line, db, live, fake_line, services, context):
    fake_line.add_content("7003", b"\x89PNG\r\n", "image/png")
    line.send(image_event(line, "7003", group=live.chat))
    line.say("บันทึก ภาพไวท์บอร์ด", user=FACILITATOR, group=live.chat)
    assert one(db, NotePhoto).note_id == one(db, Note).id
    run_pass(context, DURING + timedelta(minutes=1))
    assert one(db, NotePhoto).data == b"\x89PNG\r\n"


def test_photos_from_people_who_take_no_notes_are_not_kept(line, db, live):
    line.send(image_event(line, "7004", user=MEMBER, group=live.chat))
    assert all_of(db, NotePhoto) == []


def test_unsend_removes_a_photo(line, db, live, fake_line, services, context):
    fake_line.add_content("7005", b"\xff\xd8x", "image/jpeg")
    line.say("บันทึก รูปประกอบ", user=FACILITATOR, group=live.chat)
    line.send(image_event(line, "7005", group=live.chat))
    line.send(line.event("unsend", user=FACILITATOR, group=live.chat, reply=False, unsend={"messageId": "7005"}))
    assert fetch_photos(context, DURING + timedelta(minutes=1)) == 0
    photo = one(db, NotePhoto)
    assert photo.deleted_at is not None and photo.data is None


# -- attendance ----------------------------------------------------------------------------------


def test_a_person_checks_in_at_the_meeting_and_the_tally_shows_who_came(line, db, live):
    answer = line.say("มาแล้ว", user=leader_id(1), group=live.chat)
    assert answer[0]["text"].startswith("✅ เช็คชื่อแล้ว")
    again = line.say("มาแล้ว", user=leader_id(1), group=live.chat)
    assert "เช็คชื่อไว้แล้ว" in again[0]["text"]
    row = one(db, Attendance)
    assert (row.method, row.group_id, row.checked_in_at) == (Method.SELF, live.groups[FUND_1], DURING)
    summary = "\n".join(texts(line.say("สรุป #1", user=COORDINATOR)))
    assert "มาจริง 1" in summary


def test_check_in_is_refused_outside_the_hour_before_to_the_end(line, db, live, services):
    services.set_clock(lambda: START - timedelta(hours=2))
    answer = line.say("มาแล้ว", user=leader_id(1), group=live.chat)
    assert "1 ชั่วโมงก่อน" in answer[0]["text"]
    assert all_of(db, Attendance) == []


def test_the_card_has_a_check_in_button_during_the_meeting(line, db, live):
    listing = line.say("นัดหมาย", user=leader_id(1), group=live.chat)
    tap = next(i for i in [decode(a) for a in _postbacks(listing)] if i.get("v") == "card")
    card = line.tap(encode("sum", m=tap["m"], v="card"), user=leader_id(1), group=live.chat)
    here = [d for d in _postbacks(card) if decode(d).get("a") == Action.CHECK_IN]
    assert here
    line.tap(here[0], user=leader_id(1), group=live.chat)
    assert one(db, Attendance).method == Method.BUTTON


def _postbacks(messages):
    return [action["data"] for action in postback_actions(messages)]


def test_a_facilitator_checks_in_an_elder_without_a_phone_by_proxy(line, db, live):
    answer = line.say(f"เช็คชื่อ ยายแดง {FUND_1}", user=FACILITATOR, group=live.chat)
    assert "ยายแดง" in answer[0]["text"]
    row = one(db, Attendance)
    with db.reading() as s:
        elder = s.get(Person, row.person_id)
        by = s.get(Person, row.by_person_id)
    assert (elder.full_name, elder.line_user_id) == ("ยายแดง", None)
    assert (row.method, by.line_user_id, row.group_id) == (Method.PROXY, FACILITATOR, live.groups[FUND_1])


def test_only_facilitators_check_others_in(line, db, live):
    answer = line.say(f"เช็คชื่อ ยายแดง {FUND_1}", user=MEMBER, group=live.chat)
    assert "คุณอำนวย" in answer[0]["text"]
    assert all_of(db, Attendance) == []


# -- forget me -----------------------------------------------------------------------------------


def test_forget_me_anonymises_answers_and_keeps_notes_without_the_name(line, db, live, services):
    services.set_clock(lambda: START - timedelta(days=1))
    line.say("ไป 3", user=leader_id(1), group=live.chat)
    services.set_clock(lambda: DURING)
    line.say("บันทึก ความเห็นของผู้นำ", user=FACILITATOR, group=live.chat)
    ask = line.say("ลบข้อมูลของฉัน", user=FACILITATOR)
    confirm = ask[0]["quickReply"]["items"][0]["action"]["data"]
    done = line.tap(confirm, user=FACILITATOR)
    assert "ลบข้อมูลของคุณแล้ว" in done[0]["text"]
    with db.reading() as s:
        gone = s.scalars(select(Person).where(Person.forgotten_at.is_not(None))).one()
        assert (gone.line_user_id, gone.display_name, gone.roles) == (None, None, [])
        note = s.scalars(select(Note)).one()
        assert note.author_id == gone.id and note.text == "ความเห็นของผู้นำ"
    # The leader's answer still counts.
    assert one(db, Answer).headcount == 3


def test_a_coordinator_lets_leaders_take_notes_for_a_meeting(line, db, live):
    assert "ขออภัย" in line.say("บันทึก #1 ความเห็น", user=leader_id(1), group=live.chat)[0]["text"]
    answer = line.say("/leader-notes #1 on", user=COORDINATOR)
    # The coordinator speaks Thai: the English command is answered in Thai, naming the new state.
    assert answer[0]["text"] == "ให้ผู้นำกลุ่มจดบันทึกนัด #1 ได้: เปิด"
    line.say("บันทึก #1 ความเห็นจากผู้นำ", user=leader_id(1), group=live.chat)
    assert one(db, Note).text == "ความเห็นจากผู้นำ"
