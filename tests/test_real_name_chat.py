"""`ชื่อจริง …` / `/realname …` through signed webhooks: a person's real name for the papers, set by
themselves or by a facilitator with a mention, shown on the sign-in sheet with the LINE name beside
it, cleared by forget-me; and `meetbot import`'s real-name column."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from handlers.postbacks import Action, encode
from models.attendance import Method, check_in
from models.meetings import create_meeting, get_meeting, invite
from models.network import FinancialGroup
from exports.attendance import attendance_csv
from models.sign_in import attendance_rows
from models.people import Person, ensure_person
from scheduler.jobs import refresh_profiles
from tests import network
from tests.network import COORDINATOR, FACILITATOR, leader_id
from tests.queries import one

FUND_1 = "กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"
START = datetime(2026, 7, 26, 2, 0, tzinfo=timezone.utc)
NEWCOMER = "U" + "5" * 32


@pytest.fixture
def net(db, services):
    built = network.build(db)
    services.set_clock(lambda: START - timedelta(days=1))
    return built


def person(db, line_user_id: str) -> Person:
    with db.reading() as s:
        found = s.scalar(select(Person).where(Person.line_user_id == line_user_id))
        s.expunge(found)
        return found


def mention_event(line, text: str, *, user: str, group: str, mentioned: str, at: int, length: int, bot: bool = False):
    event = line.text_event(text, user=user, group=group)
    mentionees = [{"index": at, "length": length, "userId": mentioned, "type": "user"}]
    if bot:
        mentionees.insert(0, {"index": 0, "length": 8, "userId": "U" + "b" * 32, "type": "user", "isSelf": True})
    event["message"]["mention"] = {"mentionees": mentionees}
    return event


def test_a_leader_sets_their_own_real_name_in_their_group_chat(line, db, net):
    leader = net.leaders[FUND_1]
    answer = line.say("ชื่อจริง นายสมชาย ใจดี ครับ", user=leader, group=net.chats[FUND_1])
    assert answer[0]["text"].startswith("บันทึกชื่อจริงแล้วครับ: นายสมชาย ใจดี")
    assert person(db, leader).full_name == "นายสมชาย ใจดี"
    # In English, in a 1:1 chat, correcting it; a right-to-left override does not survive.
    english = line.say("/realname Somchai \u202eJaidee", user=leader)
    assert english[0]["text"].startswith("บันทึกชื่อจริงแล้วครับ: Somchai Jaidee") and "\u202e" not in english[0]["text"]
    assert person(db, leader).full_name == "Somchai Jaidee"


def test_the_keyword_alone_says_how_and_shows_the_name_on_record(line, db, net):
    leader = net.leaders[FUND_1]
    line.say("ชื่อจริง สมศรี มีสุข", user=leader)
    answer = line.say("ชื่อจริง", user=leader)
    assert answer[0]["text"] == ("ชื่อจริงที่บันทึกไว้: สมศรี มีสุข\n"
                                 "พิมพ์ ชื่อจริง ตามด้วยชื่อและนามสกุลครับ เช่น ชื่อจริง สมชาย ใจดี")


@pytest.mark.parametrize("typed", ["ชื่อจริง #12", "ชื่อจริง 0812345678", "ชื่อจริง ๆ", "ชื่อจริง " + "ก" * 101])
def test_something_that_is_not_a_name_is_refused_and_changes_nothing(line, db, net, typed):
    leader = net.leaders[FUND_1]
    before = person(db, leader).full_name
    answer = line.say(typed, user=leader)
    assert answer[0]["text"] == "ชื่อจริงควรเป็นตัวอักษร 2 ถึง 100 ตัว ไม่มีตัวเลขครับ เช่น ชื่อจริง สมชาย ใจดี"
    assert person(db, leader).full_name == before


def test_talk_about_real_names_in_a_group_gets_no_answer(line, db, net):
    for talk in ("ชื่อจริงๆ ของเขาคือใคร", "ชื่อจริง ไม่ใช่ชื่อเล่นนะ", "ชื่อจริงของผมยาวมาก"):
        assert line.say(talk, user=net.leaders[FUND_1], group=net.chats[FUND_1]) == []


def test_a_facilitator_sets_a_members_real_name_by_mentioning_them(line, db, net):
    chat = net.chats[FUND_1]
    with db.transaction() as s:
        ensure_person(s, NEWCOMER, display_name="ลุง ชม 🌾")
    # "ชื่อจริง @ลุง ชม 🌾 ชม ใจดี": LINE marks the mention (a name with a space and an emoji,
    # counted in UTF-16 units), the rest is the real name.
    text = "ชื่อจริง @ลุง ชม 🌾 ชม ใจดี"
    event = mention_event(line, text, user=FACILITATOR, group=chat, mentioned=NEWCOMER, at=9, length=10)
    mark = line.last_seq()
    line.send(event)
    assert line.conversation(chat, mark)[0]["text"] == "บันทึกชื่อจริงของ ลุง ชม 🌾 แล้วครับ: ชม ใจดี"
    assert person(db, NEWCOMER).full_name == "ชม ใจดี"
    # After a mention of the bot, too (LINE marks it isSelf).
    text = "@meetbot ชื่อจริง @ลุง ชม 🌾 นายชม ใจดี"
    event = mention_event(line, text, user=COORDINATOR, group=chat, mentioned=NEWCOMER, at=18, length=10, bot=True)
    line.send(event)
    assert person(db, NEWCOMER).full_name == "นายชม ใจดี"


def test_only_facilitators_set_someone_elses_real_name(line, db, net):
    chat = net.chats[FUND_1]
    with db.transaction() as s:
        ensure_person(s, NEWCOMER, display_name="ชม")
    event = mention_event(line, "ชื่อจริง @ชม ชม ใจดี", user=net.leaders[FUND_1], group=chat, mentioned=NEWCOMER,
                          at=9, length=3)
    mark = line.last_seq()
    line.send(event)
    assert line.conversation(chat, mark)[0]["text"] == "ขออภัยครับ ตั้งชื่อจริงให้ผู้อื่นได้เฉพาะคุณอำนวยและผู้ประสานงาน"
    assert person(db, NEWCOMER).full_name is None
    # A typed `@` with no mention LINE marked: the facilitator is asked to tag the person.
    asked = line.say("ชื่อจริง @ชม ชม ใจดี", user=FACILITATOR, group=chat)
    assert asked[0]["text"] == "แท็กคนที่จะตั้งชื่อจริงให้ 1 คนครับ เช่น ชื่อจริง @ลุงชม ชม ใจดี"
    assert person(db, NEWCOMER).full_name is None


def test_the_sign_in_sheet_prints_the_real_name_with_the_line_name_and_forget_me_clears_both(line, db, net, services):
    leader = net.leaders[FUND_1]
    with db.transaction() as s:
        s.scalar(select(Person).where(Person.line_user_id == leader)).display_name = "พี่ใหญ่ 🌾"
        meeting = create_meeting(s, title="ประชุมกองทุน", starts_at=START, venue_name="วัดบางหลวง",
                                 now=START - timedelta(days=3))
        invite(s, meeting, s.get(FinancialGroup, net.groups[FUND_1]), 4)
    line.say("ชื่อจริง สมชาย ใจดี", user=leader)
    with db.transaction() as s:
        check_in(s, meeting=get_meeting(s, 1), person=s.scalar(select(Person).where(Person.line_user_id == leader)),
                 group_id=net.groups[FUND_1], method=Method.SELF, now=START)
    with db.reading() as s:
        rows = [r for r in attendance_rows(s, get_meeting(s, 1)) if r["row"] == "person"]
        sheet = attendance_csv(attendance_rows(s, get_meeting(s, 1)))
    assert [(r["name"], r["line_name"]) for r in rows] == [("สมชาย ใจดี", "พี่ใหญ่ 🌾")]
    assert "สมชาย ใจดี" in sheet and "พี่ใหญ่ 🌾" in sheet

    line.say("ลบข้อมูลของฉัน", user=leader)
    line.tap(encode(Action.CONFIRM, f="forget"), user=leader)
    with db.reading() as s:
        forgotten = s.get(Person, rows[0]["person_id"])
        assert (forgotten.full_name, forgotten.display_name, forgotten.forgotten_at is not None) == (None, None, True)
        sheet = attendance_csv(attendance_rows(s, get_meeting(s, 1)))
    assert "สมชาย ใจดี" not in sheet and "พี่ใหญ่" not in sheet and "(ไม่ระบุชื่อ)" in sheet


def test_check_in_by_name_and_replies_carry_no_bidi_controls(line, db, net, services):
    with db.transaction() as s:
        meeting = create_meeting(s, title="ประชุมกองทุน", starts_at=START, venue_name="วัดบางหลวง",
                                 now=START - timedelta(days=3))
        invite(s, meeting, s.get(FinancialGroup, net.groups[FUND_1]), 4)
    services.set_clock(lambda: START + timedelta(minutes=10))
    answer = line.say("เช็คชื่อ \u202eยายแดง กองทุนหมู่บ้าน หมู่ 1", user=FACILITATOR, group=net.chats[FUND_1])
    assert "ยายแดง" in answer[0]["text"] and "\u202e" not in answer[0]["text"]
    assert one(db, Person, Person.line_user_id.is_(None)).full_name == "ยายแดง"


def test_import_reads_a_real_name_column(meetbot, db, tmp_path):
    path = tmp_path / "network.csv"
    path.write_text("ตำบล,หมู่ที่,ชื่อกลุ่ม,ประเภทกลุ่ม,ชื่อจริง,line_user_id\n"
                    f"บางจาก,4,กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก,กองทุนหมู่บ้าน,นางสมศรี \u202eมีสุข,{leader_id(44)}\n",
                    encoding="utf-8")
    result = meetbot("import", str(path))
    assert result.exit_code == 0, result.output
    assert "unknown" not in result.output.lower()
    assert person(db, leader_id(44)).full_name == "นางสมศรี มีสุข"
    yaml_path = tmp_path / "network.yaml"
    yaml_path.write_text("sub_districts:\n  - name: บางจาก\n    villages:\n      - number: 4\n        groups:\n"
                         "          - name: กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก\n"
                         f"            leaders: [{{real_name: นางสมศรี มีสุขใจ, line_user_id: {leader_id(44)}}}]\n",
                         encoding="utf-8")
    again = meetbot("import", str(yaml_path))
    assert again.exit_code == 0, again.output
    assert person(db, leader_id(44)).full_name == "นางสมศรี มีสุขใจ"


def test_a_line_name_with_a_right_to_left_override_is_stored_and_answered_without_it(line, db, net, fake_line, context):
    fake_line.add_profile(NEWCOMER, "\u202eลุงชม\u202c")
    line.say("สวัสดี", user=NEWCOMER)
    refresh_profiles(context, START)
    assert person(db, NEWCOMER).display_name == "ลุงชม"
    # A name stored before (as it came from LINE) is shown without its override too.
    leader = net.leaders[FUND_1]
    with db.transaction() as s:
        s.scalar(select(Person).where(Person.line_user_id == leader)).display_name = "\u202eสมชาย\u202c"
        meeting = create_meeting(s, title="ประชุมกองทุน", starts_at=START, venue_name="วัดบางหลวง",
                                 now=START - timedelta(days=3))
        invite(s, meeting, s.get(FinancialGroup, net.groups[FUND_1]), 4)
    answer = line.say("ไป 4 คน", user=leader, group=net.chats[FUND_1])
    assert "คุณสมชาย" in answer[0]["text"] and "\u202e" not in answer[0]["text"]


def test_the_help_text_tells_everyone_how_to_give_their_real_name(line, net):
    answer = line.say("วิธีใช้", user=net.leaders[FUND_1])
    assert "• ชื่อจริงสำหรับใบลงชื่อ: พิมพ์ ชื่อจริง สมชาย ใจดี" in answer[0]["text"]
