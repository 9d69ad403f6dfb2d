"""Issue 9, notes and attendance: a note is never lost or misfiled; in a chat of several groups people
check in (and are appointed) for their own group; two meetings at once are asked about, and a
cancelled meeting counts nowhere. Through signed webhooks and the fake LINE platform."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from handlers.postbacks import Action, decode
from models.attendance import Attendance, attended_counts
from models.meetings import Meeting, cancel_meeting, create_meeting, invite
from models.network import Chat, FinancialGroup, SubDistrict, link_chat
from models.notes import Note
from models.paper_words import OTHERS
from models.sign_in import attendance_rows, roll_rows
from models.people import Person, Role, ensure_person, grant
from tests import network
from tests.linechat import postback_actions
from tests.network import COORDINATOR, FACILITATOR, MEMBER, chat_id, leader_id
from tests.queries import all_of, count, one

UTC = timezone.utc
PREP = datetime(2026, 8, 8, 2, 0, tzinfo=UTC)        # Sat 8 Aug 09:00: the facilitators' preparation
BANG_CHAK = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)  # Fri 14 Aug 09:00 at Wat Bang Saphan
THA_RAI = datetime(2026, 8, 15, 2, 0, tzinfo=UTC)    # Sat 15 Aug 09:00 at Wat Bang Luang
TEAM_CHAT = chat_id(200)
FUND_1 = "กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"
THA_RAI_SAVINGS = "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
THA_RAI_FUND = "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่"
NEWCOMER = "U" + "5" * 32
OTHER_NEWCOMER = "U" + "6" * 32


@pytest.fixture
def august(db, services):
    """The seed's August: the 8 Aug preparation in the facilitators' team chat, Bang Chak on 14 Aug
    (its three funds), Tha Rai on 15 Aug (village 1's savings group and fund, who share one chat)."""
    net = network.build(db)
    with db.transaction() as s:
        team = s.get(FinancialGroup, net.groups["ทีมคุณอำนวย"])
        s.add(Chat(id=TEAM_CHAT, kind="group", member_count=9))
        s.flush()
        link_chat(s, team, TEAM_CHAT)
        grant(s, ensure_person(s, FACILITATOR), Role.MEMBER, group_id=team.id)
        subs = {sub.name: sub.id for sub in s.scalars(select(SubDistrict))}
        prep = create_meeting(s, title="ทีมคุณอำนวยหารือเตรียมการ", starts_at=PREP, created_in_chat=TEAM_CHAT,
                              now=PREP - timedelta(days=7))
        invite(s, prep, team, 9)
        bang_chak = create_meeting(s, title="ประชุม ต.บางจาก", starts_at=BANG_CHAK, sub_district_id=subs["บางจาก"],
                                   now=PREP - timedelta(days=7))
        for n in (1, 2, 3):
            invite(s, bang_chak, s.get(FinancialGroup, net.groups[f"กองทุนหมู่บ้าน หมู่ {n} ต.บางจาก"]), 10)
        tha_rai = create_meeting(s, title="ประชุม ต.ท่าไร่", starts_at=THA_RAI, sub_district_id=subs["ท่าไร่"],
                                 now=PREP - timedelta(days=7))
        for name in (THA_RAI_SAVINGS, THA_RAI_FUND):
            invite(s, tha_rai, s.get(FinancialGroup, net.groups[name]), 4)
        net.meetings = {"prep": prep.id, "bang_chak": bang_chak.id, "tha_rai": tha_rai.id}
    net.at = lambda when: services.set_clock(lambda: when)
    return net


def taps(messages) -> list[dict[str, str]]:
    return [decode(action["data"]) for action in postback_actions(messages)]


def live_notes(db) -> list[Note]:
    return [n for n in all_of(db, Note) if n.deleted_at is None]


# -- notes are never lost ------------------------------------------------------------------------


def test_a_note_in_a_one_to_one_chat_goes_to_the_meeting_in_progress_of_the_facilitators_area(line, db, august):
    august.at(BANG_CHAK + timedelta(hours=1))
    answer = line.say("บันทึก กรรมการต้องซื่อสัตย์", user=FACILITATOR)
    assert answer and answer[0]["text"].startswith(f"📝 บันทึกแล้ว (#{august.meetings['bang_chak']})")
    assert one(db, Note).meeting_id == august.meetings["bang_chak"]


def test_a_note_in_the_team_chat_on_14_august_goes_to_bang_chak_not_to_the_8_august_meeting(line, db, august):
    august.at(BANG_CHAK + timedelta(hours=2))
    line.say("บันทึก #ปัญหา เงินกู้ไม่ชำระคืน", user=FACILITATOR, group=TEAM_CHAT)
    assert one(db, Note).meeting_id == august.meetings["bang_chak"]


def test_a_note_an_hour_and_a_half_before_the_start_goes_to_the_meeting_about_to_start(line, db, august):
    august.at(BANG_CHAK - timedelta(minutes=90))
    line.say("บันทึก เตรียมกระดาษชาร์ต", user=FACILITATOR, group=TEAM_CHAT)
    assert one(db, Note).meeting_id == august.meetings["bang_chak"]


def test_with_no_meeting_in_progress_the_note_is_kept_and_a_tap_files_it_with_the_ones_that_follow(line, db, august):
    evening = BANG_CHAK + timedelta(days=1, hours=10)  # 15 Aug 19:00: after Tha Rai, writing up at home
    august.at(evening)
    asked = line.say("บันทึก สรุปประเด็นจากวงย่อย", user=FACILITATOR)
    assert "นัดไหน" in asked[0]["text"]
    kept = one(db, Note)
    assert kept.meeting_id is None and kept.text == "สรุปประเด็นจากวงย่อย"
    choices = [c for c in taps(asked) if c["a"] == Action.FILE_NOTE]
    # the meetings of her area and her team, recent and upcoming; Tha Rai is not hers
    assert {int(c["m"]) for c in choices} == {august.meetings["prep"], august.meetings["bang_chak"]}
    bang_chak = next(c for c in choices if int(c["m"]) == august.meetings["bang_chak"])
    filed = line.tap(f"a=note&n={bang_chak['n']}&m={bang_chak['m']}", user=FACILITATOR)
    assert "#" + bang_chak["m"] in filed[0]["text"]
    assert one(db, Note).meeting_id == august.meetings["bang_chak"]
    august.at(evening + timedelta(minutes=5))
    line.say("บันทึก ผู้เข้าร่วม 37 คน", user=FACILITATOR)  # the same sitting: no second question
    assert [n.meeting_id for n in live_notes(db)] == [august.meetings["bang_chak"]] * 2


def test_only_its_author_files_a_kept_note(line, db, august):
    august.at(BANG_CHAK + timedelta(days=1, hours=10))
    asked = line.say("บันทึก ประเด็นค้าง", user=FACILITATOR, group=TEAM_CHAT)
    choice = [c for c in taps(asked) if c["a"] == Action.FILE_NOTE][0]
    refused = line.tap(f"a=note&n={choice['n']}&m={choice['m']}", user=COORDINATOR, group=TEAM_CHAT)
    assert "ไม่พบบันทึก" in refused[0]["text"]
    assert one(db, Note).meeting_id is None


def test_a_note_with_no_meeting_near_is_kept_unfiled_and_filed_later_with_the_code(line, db, august):
    august.at(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))  # months after August
    kept = line.say("บันทึก ข้อคิดจากแกนนำ: ปัจจัย 3 ของความสำเร็จ", user=COORDINATOR)
    assert "เก็บบันทึกไว้แล้ว" in kept[0]["text"] and "บันทึก #" in kept[0]["text"]
    assert one(db, Note).meeting_id is None
    code = august.meetings["tha_rai"]
    filed = line.say(f"บันทึก #{code}", user=COORDINATOR)
    assert f"#{code}" in filed[0]["text"]
    assert [(n.meeting_id, n.text) for n in all_of(db, Note)] == [(code, "ข้อคิดจากแกนนำ: ปัจจัย 3 ของความสำเร็จ")]


def test_two_meetings_in_progress_in_one_chat_make_the_note_ask_which(line, db, august):
    with db.transaction() as s:
        other = create_meeting(s, title="ประชุมกรรมการกองทุน", starts_at=BANG_CHAK, created_in_chat=august.chats[FUND_1],
                               now=PREP)
        other_id = other.id
    august.at(BANG_CHAK + timedelta(hours=1))
    asked = line.say("บันทึก มติ: ประชุมครั้งต่อไป 6 ก.ย.", user=FACILITATOR, group=august.chats[FUND_1])
    assert {int(c["m"]) for c in taps(asked)} == {august.meetings["bang_chak"], other_id}
    assert one(db, Note).meeting_id is None


def test_a_member_who_is_not_a_note_taker_is_still_refused_politely(line, db, august):
    august.at(BANG_CHAK + timedelta(hours=1))
    answer = line.say("บันทึก ความเห็น", user=MEMBER)
    assert "คุณอำนวย" in answer[0]["text"]
    assert all_of(db, Note) == []


# -- check-ins in a chat of several groups -------------------------------------------------------


def test_in_a_mixed_chat_a_newcomer_is_asked_their_group_once_and_listed_under_it(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    august.at(THA_RAI - timedelta(minutes=20))
    asked = line.say("มาแล้ว", user=NEWCOMER, group=shared)
    assert "กลุ่มไหน" in asked[0]["text"] and "(-)" not in asked[0]["text"]
    groups = [c for c in taps(asked) if c["a"] == Action.CHECK_IN_GROUP]
    assert {int(c["g"]) for c in groups} == {august.groups[THA_RAI_SAVINGS], august.groups[THA_RAI_FUND]}
    assert one(db, Attendance).checked_in_at == THA_RAI - timedelta(minutes=20)  # checked in at once
    savings = next(c for c in groups if int(c["g"]) == august.groups[THA_RAI_SAVINGS])
    done = line.tap("a=hg&m={m}&g={g}".format(**savings), user=NEWCOMER, group=shared)
    assert THA_RAI_SAVINGS in done[0]["text"]
    assert one(db, Attendance).group_id == august.groups[THA_RAI_SAVINGS]
    with db.reading() as s:
        person = s.scalars(select(Person).where(Person.line_user_id == NEWCOMER)).one()
        assert person.has_role(Role.MEMBER, august.groups[THA_RAI_SAVINGS])
        meeting = s.get(Meeting, august.meetings["tha_rai"])
        rows = attendance_rows(s, meeting)
        listed = {r["person_id"]: r["group"] for r in rows if r["row"] == "person"}
        assert listed == {person.id: THA_RAI_SAVINGS}
        assert OTHERS not in {r["group"] for r in rows}
        headers = {r["group"]: r["attended"] for r in rows if r["row"] == "group"}
        assert headers[THA_RAI_SAVINGS] == 1
        assert attended_counts(s, meeting.id) == {august.groups[THA_RAI_SAVINGS]: 1}
    # the next Tha Rai meeting: remembered, not asked again
    with db.transaction() as s:
        again = create_meeting(s, title="ประชุม ต.ท่าไร่ ครั้งที่ 2", starts_at=THA_RAI + timedelta(days=22), now=THA_RAI)
        for name in (THA_RAI_SAVINGS, THA_RAI_FUND):
            invite(s, again, s.get(FinancialGroup, august.groups[name]), 4)
        again_id = again.id
    august.at(THA_RAI + timedelta(days=22, minutes=5))
    second = line.say("มาแล้ว", user=NEWCOMER, group=shared)
    assert THA_RAI_SAVINGS in second[0]["text"] and not taps(second)
    assert one(db, Attendance, Attendance.meeting_id == again_id).group_id == august.groups[THA_RAI_SAVINGS]


def test_a_check_in_that_named_no_group_joins_the_group_once_the_person_says_it(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    august.at(THA_RAI + timedelta(minutes=5))
    line.say("มาแล้ว", user=NEWCOMER)  # in the 1:1 chat: nobody knows their group yet
    assert one(db, Attendance).group_id is None
    asked = line.say("มาแล้ว", user=NEWCOMER, group=shared)  # already in, but the group is still asked
    fund = next(c for c in taps(asked) if c["a"] == Action.CHECK_IN_GROUP and int(c["g"]) == august.groups[THA_RAI_FUND])
    line.tap("a=hg&m={m}&g={g}".format(**fund), user=NEWCOMER, group=shared)
    assert one(db, Attendance).group_id == august.groups[THA_RAI_FUND]
    with db.reading() as s:
        rows = attendance_rows(s, s.get(Meeting, august.meetings["tha_rai"]))
        assert [r["group"] for r in rows if r["row"] == "person"] == [THA_RAI_FUND]


def test_in_a_mixed_chat_each_leader_checks_in_under_their_own_group_without_a_question(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    august.at(THA_RAI)
    answer = line.say("มาแล้ว", user=august.leaders[THA_RAI_FUND], group=shared)
    assert THA_RAI_FUND in answer[0]["text"] and not taps(answer)
    assert one(db, Attendance).group_id == august.groups[THA_RAI_FUND]


def test_in_a_mixed_chat_a_facilitator_checking_in_an_elder_is_asked_the_elders_group(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    august.at(THA_RAI + timedelta(minutes=10))
    asked = line.say("เช็คชื่อ ยายแดง", user=FACILITATOR, group=shared)
    groups = [c for c in taps(asked) if c["a"] == Action.CHECK_IN_GROUP]
    assert len(groups) == 2 and "ยายแดง" in asked[0]["text"]
    fund = next(c for c in groups if int(c["g"]) == august.groups[THA_RAI_FUND])
    refused = line.tap("a=hg&m={m}&g={g}&p={p}".format(**fund), user=NEWCOMER, group=shared)
    assert "คุณอำนวย" in refused[0]["text"]
    line.tap("a=hg&m={m}&g={g}&p={p}".format(**fund), user=FACILITATOR, group=shared)
    row = one(db, Attendance)
    with db.reading() as s:
        elder = s.get(Person, row.person_id)
        assert elder.full_name == "ยายแดง" and elder.has_role(Role.MEMBER, august.groups[THA_RAI_FUND])
    assert row.group_id == august.groups[THA_RAI_FUND]


# -- appointing in a chat of several groups ------------------------------------------------------


def mention(line, text: str, user_id: str, chat: str, at: int):
    event = line.text_event(text, user=COORDINATOR, group=chat)
    event["message"]["mention"] = {"mentionees": [{"index": at, "length": 7, "userId": user_id, "type": "user"}]}
    mark = line.last_seq()
    line.send(event)
    return line.conversation(chat, mark)


def test_in_a_chat_of_two_groups_the_coordinator_appoints_a_leader_by_tapping_the_group(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    asked = mention(line, "ตั้งผู้นำ @สมศรี", NEWCOMER, shared, 9)
    groups = [c for c in taps(asked) if c["a"] == Action.APPOINT]
    assert {int(c["g"]) for c in groups} == {august.groups[THA_RAI_SAVINGS], august.groups[THA_RAI_FUND]}
    fund = next(c for c in groups if int(c["g"]) == august.groups[THA_RAI_FUND])
    data = "a=appt&r={r}&g={g}&p={p}".format(**fund)
    assert "ขออภัย" in line.tap(data, user=MEMBER, group=shared)[0]["text"]  # coordinators only
    done = line.tap(data, user=COORDINATOR, group=shared)
    assert "แต่งตั้ง" in done[0]["text"] and THA_RAI_FUND in done[0]["text"]
    with db.reading() as s:
        person = s.scalars(select(Person).where(Person.line_user_id == NEWCOMER)).one()
        assert person.led_group_ids() == {august.groups[THA_RAI_FUND]}


def test_in_a_chat_of_two_groups_the_group_can_be_named_in_the_command(line, db, august):
    shared = august.chats[THA_RAI_SAVINGS]
    done = mention(line, "ตั้งผู้นำ @สมหญิง ออมทรัพย์", OTHER_NEWCOMER, shared, 9)
    assert THA_RAI_SAVINGS in done[0]["text"] and not taps(done)
    with db.reading() as s:
        person = s.scalars(select(Person).where(Person.line_user_id == OTHER_NEWCOMER)).one()
        assert person.led_group_ids() == {august.groups[THA_RAI_SAVINGS]}


# -- two meetings at once, and a cancelled one ---------------------------------------------------


@pytest.fixture
def twin(db, august):
    """A second meeting at the same hour as Bang Chak's, for fund 1 of Bang Chak too."""
    with db.transaction() as s:
        other = create_meeting(s, title="ประชุมกรรมการกองทุน หมู่ 1", starts_at=BANG_CHAK, now=PREP)
        invite(s, other, s.get(FinancialGroup, august.groups[FUND_1]), 10)
        august.meetings["twin"] = other.id
    return august


def test_with_two_meetings_open_a_check_in_asks_which_and_the_tap_checks_in_there(line, db, twin):
    chat = twin.chats[FUND_1]
    twin.at(BANG_CHAK + timedelta(minutes=15))
    asked = line.say("มาแล้ว", user=leader_id(1), group=chat)
    choices = [c for c in taps(asked) if c["a"] == Action.CHECK_IN]
    assert {int(c["m"]) for c in choices} == {twin.meetings["bang_chak"], twin.meetings["twin"]}
    assert all_of(db, Attendance) == []
    line.tap(f"a=here&m={twin.meetings['twin']}", user=leader_id(1), group=chat)
    assert one(db, Attendance).meeting_id == twin.meetings["twin"]


def test_with_two_meetings_open_a_proxy_check_in_asks_which_and_the_tap_says_it_with_the_code(line, db, twin):
    chat = twin.chats[FUND_1]
    twin.at(BANG_CHAK + timedelta(minutes=15))
    asked = line.say(f"เช็คชื่อ ยายแดง {FUND_1}", user=FACILITATOR, group=chat)
    said = [i["action"]["text"] for i in asked[0]["quickReply"]["items"]]
    assert f"เช็คชื่อ ยายแดง {FUND_1} #{twin.meetings['twin']}" in said
    assert all_of(db, Attendance) == []
    line.say(f"เช็คชื่อ ยายแดง {FUND_1} #{twin.meetings['twin']}", user=FACILITATOR, group=chat)
    assert one(db, Attendance).meeting_id == twin.meetings["twin"]


def test_a_cancelled_meetings_check_ins_count_in_no_roll_sheet_or_summary(line, db, twin):
    chat = twin.chats[FUND_1]
    twin.at(BANG_CHAK + timedelta(minutes=15))
    for meeting in ("bang_chak", "twin"):
        line.say(f"มาแล้ว #{twin.meetings[meeting]}", user=leader_id(1), group=chat)
    assert count(db, Attendance) == 2
    with db.transaction() as s:
        cancel_meeting(s, s.get(Meeting, twin.meetings["twin"]), now=BANG_CHAK + timedelta(hours=1))
    with db.reading() as s:
        roll = roll_rows(s, date(2026, 8, 14), date(2026, 8, 14))
        assert [(r["meeting_id"], r["meetings"]) for r in roll] == [(twin.meetings["bang_chak"], 1)]
        cancelled = s.get(Meeting, twin.meetings["twin"])
        assert not any(r.get("checked_in") for r in attendance_rows(s, cancelled))
        assert attended_counts(s, cancelled.id) == {}
    summary = " ".join(m.get("text", "") for m in line.say(f"สรุป #{twin.meetings['twin']}", user=COORDINATOR))
    assert "มาจริง 1" not in summary
