"""The papers made from meetings (exports/, models/sign_in.py), the minutes command (handlers/minutes.py) and
`meetbot export …` (bot/cli_export.py), on a real meeting: 200 people in 20 groups of two
sub-districts, answers, check-ins (by proxy too), notes with tags, an action item, photos and a
leader who asked to be forgotten."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.events import ChatEvent
from handlers.turn import BotSettings, Turn
from models.attendance import Method, check_in
from models.line_limits import MAX_TEXT_UTF16, check_message, utf16_len
from models.meetings import (
    Meeting,
    Response,
    cancel_meeting,
    create_meeting,
    get_meeting,
    invite,
    move_meeting,
    record_answer,
)
from models.minutes import minutes_data
from models.network import Chat, FinancialGroup, GroupKind, SubDistrict, Village
from models.notes import NotePhoto, add_note
from exports.attendance import ATTENDANCE_COLUMNS, attendance_csv, attendance_html
from exports.attendance_xlsx import attendance_xlsx
from exports.ical import meeting_ics
from exports.minutes import minutes_html, minutes_markdown
from exports.roll import roll_csv, roll_html
from exports.spreadsheet import BOM
from handlers.minutes import minutes_messages
from models.sign_in import attendance_rows, roll_rows
from models.people import Duty, Person, Role, forget, grant

TZ = ZoneInfo("Asia/Bangkok")
CREATED = datetime(2026, 8, 1, 10, 0, tzinfo=TZ)
START = datetime(2026, 8, 15, 9, 0, tzinfo=TZ)  # a Saturday: วันเสาร์ที่ 15 ส.ค. 2569
SECOND = datetime(2026, 9, 6, 9, 0, tzinfo=TZ)
LATER = datetime(2026, 10, 1, 9, 0, tzinfo=TZ)
# The smallest JPEG header is enough: papers look at the first bytes, they do not decode.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")
FIRST = ["สมชาย", "สมศรี", "บุญมี", "ประเสริฐ", "มาลี", "วันดี", "สุนทร", "จันทร์เพ็ญ", "ทองคำ", "สายใจ"]
SURNAMES = ["ใจดี", "รักถิ่น", "ทองแท้", "มั่นคง", "ศรีสุข", "บุญมาก", "แก้วใส", "เพชรงาม", "สุขใจ", "ดีงาม",
            "ปัญญาดี", "ศรีทอง", "คงมั่น", "ทองดี", "รุ่งเรือง", "สมบูรณ์", "บุญเรือง", "แสงทอง", "มีสุข", "ทรัพย์มาก"]
RECORDER = "กานดา บันทึกดี"
COORDINATOR = "วิชัย ประสานงาน"


def line_id(n: int) -> str:
    return f"U{n:032x}"


@dataclass
class Scenario:
    m1: int = 0
    m2: int = 0
    m3: int = 0
    cancelled: int = 0
    groups: list[int] = field(default_factory=list)       # 20 group ids, in the order built
    group_names: list[str] = field(default_factory=list)
    recorder: int = 0
    forgotten: int = 0
    forgotten_name: str = ""
    chat: str = "C" + "a" * 32


def person_name(g: int, j: int) -> str:
    return f"{FIRST[j]} {SURNAMES[g]}"


def build(db) -> Scenario:
    """Tha Rai: villages 1–6, a savings group and a village fund each; Bang Chak: village funds 1–8.
    20 groups of 10 people (the first their leader), three facilitators, four meetings."""
    sc = Scenario()
    with db.transaction() as s:
        tha_rai = SubDistrict(name="ท่าไร่", name_en="Tha Rai", district="เมือง", province="นครศรีธรรมราช")
        bang_chak = SubDistrict(name="บางจาก", name_en="Bang Chak", district="เมือง", province="นครศรีธรรมราช")
        s.add_all([tha_rai, bang_chak])
        s.flush()
        s.add(Chat(id=sc.chat, kind="group"))
        groups: list[FinancialGroup] = []
        for number in range(1, 7):
            village = Village(sub_district_id=tha_rai.id, number=number)
            s.add(village)
            s.flush()
            for kind in (GroupKind.SAVINGS_GROUP, GroupKind.VILLAGE_FUND):
                groups.append(FinancialGroup(name=f"{GroupKind.THAI[kind]} หมู่ {number} ต.ท่าไร่", kind=kind,
                                             sub_district_id=tha_rai.id, village_id=village.id))
        for number in range(1, 9):
            village = Village(sub_district_id=bang_chak.id, number=number)
            s.add(village)
            s.flush()
            groups.append(FinancialGroup(name=f"กองทุนหมู่บ้าน หมู่ {number} ต.บางจาก", kind=GroupKind.VILLAGE_FUND,
                                         sub_district_id=bang_chak.id, village_id=village.id))
        groups[0].chat_id = sc.chat
        s.add_all(groups)
        s.flush()
        sc.groups = [g.id for g in groups]
        sc.group_names = [g.name for g in groups]
        people: list[list[Person]] = []
        for g, group in enumerate(groups):
            row = []
            for j in range(10):
                person = Person(line_user_id=line_id(1000 + g * 10 + j), display_name=FIRST[j],
                                full_name=person_name(g, j), created_at=CREATED)
                s.add(person)
                row.append(person)
            s.flush()
            for j, person in enumerate(row):
                grant(s, person, Role.LEADER if j == 0 else Role.MEMBER, group_id=group.id)
            people.append(row)
        recorder = Person(line_user_id=line_id(1), display_name="กานดา", full_name=RECORDER, created_at=CREATED)
        coordinator = Person(line_user_id=line_id(2), display_name="วิชัย", full_name=COORDINATOR, created_at=CREATED)
        s.add_all([recorder, coordinator])
        s.flush()
        grant(s, recorder, Role.FACILITATOR, sub_district_id=tha_rai.id, duty=Duty.RECORDER)
        grant(s, coordinator, Role.COORDINATOR)
        sc.recorder = recorder.id

        m1 = create_meeting(s, title="ประชุมพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ครั้งที่ 1", starts_at=START,
                            venue_name="วัดบางหลวง", venue_address="ต.ท่าไร่ อ.เมือง จ.นครศรีธรรมราช",
                            latitude=8.4321, longitude=99.9654, sub_district_id=tha_rai.id,
                            agenda="1. ปัจจัยความสำเร็จของกลุ่ม\n2. ปัญหาหนี้ค้างชำระ\n3. นัดครั้งต่อไป",
                            created_by=coordinator, now=CREATED)
        for group in groups:
            invite(s, m1, group, 10, by=coordinator, now=CREATED)
        answered = CREATED + timedelta(days=9)
        for g in range(16):
            record_answer(s, meeting=m1, person=people[g][0], group=groups[g], response=Response.GOING,
                          headcount=8, for_group=True, now=answered)
        for g in (16, 17):
            record_answer(s, meeting=m1, person=people[g][0], group=groups[g], response=Response.NOT_GOING,
                          headcount=0, for_group=True, now=answered)
        record_answer(s, meeting=m1, person=people[18][3], group=groups[18], response=Response.MAYBE, now=answered)
        for j in (1, 2, 3):
            record_answer(s, meeting=m1, person=people[0][j], group=groups[0], response=Response.GOING, now=answered)
        record_answer(s, meeting=m1, person=people[0][9], group=groups[0], response=Response.NOT_GOING, now=answered)

        early = START - timedelta(minutes=30)
        for g in range(16):
            for j in range(7):
                check_in(s, meeting=m1, person=people[g][j], group_id=groups[g].id, method=Method.SELF,
                         now=early + timedelta(minutes=g, seconds=j))
        for g in range(4):
            check_in(s, meeting=m1, person=people[g][7], group_id=groups[g].id, method=Method.PROXY,
                     by=recorder, now=START + timedelta(minutes=5))
        check_in(s, meeting=m1, person=people[16][5], group_id=groups[16].id, method=Method.BUTTON, now=START)
        check_in(s, meeting=m1, person=people[18][2], group_id=groups[18].id, method=Method.SELF, now=START)
        check_in(s, meeting=m1, person=recorder, group_id=None, method=Method.SELF, now=early)
        check_in(s, meeting=m1, person=coordinator, group_id=None, method=Method.SELF, now=early)

        def note(text, at, author=recorder, owner=None, message=None):
            return add_note(s, meeting=m1, author=author, text=text, chat_id=sc.chat, line_message_id=message,
                            now=START + at, tz=TZ, owner=owner)

        factors = note("ปัจจัยความสำเร็จ 3 ประการ คือ กรรมการ สมาชิก และการบริหารจัดการ", timedelta(minutes=10))
        s.add(NotePhoto(note_id=factors.id, line_message_id="photo-1", author_id=recorder.id,
                        content_type="image/jpeg", size=len(JPEG), data=JPEG, received_at=START,
                        fetched_at=START))
        s.add(NotePhoto(note_id=factors.id, line_message_id="photo-2", author_id=recorder.id,
                        content_type="image/jpeg", size=30, data=b"<svg onload=alert(1)></svg>", received_at=START,
                        fetched_at=START))
        note("กรรมการต้องซื่อสัตย์ มีคุณธรรม การบริหารต้องโปร่งใส #มติ", timedelta(minutes=30))
        note("#ปัญหา หนี้ค้างชำระ สมาชิกกู้แล้วไม่ส่งคืน", timedelta(minutes=45))
        note("#งาน ทำทะเบียนลูกหนี้ค้างชำระ ส่งภายใน 31 ส.ค.", timedelta(minutes=60), owner=people[0][0])
        leaving = people[5][0]
        note("ขอให้จัดอบรมการทำบัญชีให้กรรมการ", timedelta(minutes=75), author=leaving)
        note("#มติ ประชุมครั้งต่อไป 6 ก.ย. ที่วัดบางหลวง", timedelta(minutes=90))
        sc.forgotten, sc.forgotten_name = leaving.id, leaving.full_name
        forget(s, leaving, now=START + timedelta(days=3))
        sc.m1 = m1.id

        m2 = create_meeting(s, title="ประชุมกลุ่มการเงิน ต.ท่าไร่ ครั้งที่ 2", starts_at=SECOND, venue_name="วัดบางหลวง",
                            created_by=coordinator, now=CREATED)
        for group in groups[:12]:
            invite(s, m2, group, 4, now=CREATED)
        for g in range(6):
            for j in range(3):
                check_in(s, meeting=m2, person=people[g][j], group_id=groups[g].id, method=Method.SELF,
                         now=SECOND - timedelta(minutes=10))
        sc.m2 = m2.id

        m3 = create_meeting(s, title="ประชุมเดือนตุลาคม", starts_at=LATER, venue_name="สนง.พัฒนาชุมชน", now=CREATED)
        invite(s, m3, groups[0], 4, now=CREATED)
        check_in(s, meeting=m3, person=people[0][0], group_id=groups[0].id, method=Method.SELF, now=LATER)
        sc.m3 = m3.id

        gone = create_meeting(s, title="ประชุมที่ยกเลิก", starts_at=START + timedelta(days=5), venue_name="มัสยิดหมู่ 6",
                              now=CREATED)
        invite(s, gone, groups[0], 4, now=CREATED)
        cancel_meeting(s, gone, now=CREATED + timedelta(days=2))
        sc.cancelled = gone.id
    return sc


@pytest.fixture
def scenario(db) -> Scenario:
    return build(db)


def minutes_of(session, meeting_id: int):
    return minutes_data(session, get_meeting(session, meeting_id))


# -- minutes ---------------------------------------------------------------------------------------


def test_minutes_markdown_has_the_thai_structure(db, scenario):
    with db.reading() as s:
        md = minutes_markdown(minutes_of(s, scenario.m1), TZ)
    assert md.startswith("# รายงานการประชุม\n")
    assert "**ประชุมพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ครั้งที่ 1**" in md
    # Numbered as Thai papers are (the first of its series in 2569), not by the bot's code.
    assert "ครั้งที่ 1/2569  \n" in md and f"#{scenario.m1}" not in md.split("## ผู้มาประชุม")[0]
    assert "วันที่ วันเสาร์ที่ 15 ส.ค. 2569" in md
    assert "เวลา 09.00–12.00 น." in md
    assert "ณ วัดบางหลวง ต.ท่าไร่ อ.เมือง จ.นครศรีธรรมราช" in md
    # Sections in the usual order.
    headings = ["## ผู้มาประชุม", "## ผู้ไม่มาประชุม", "## ผู้เข้าร่วมประชุม", "## เริ่มประชุมเวลา 09.00 น.",
                "## ระเบียบวาระ", "## บันทึก", "## มติที่ประชุม", "## ปัญหา", "## งานที่ต้องทำ",
                "## ปิดประชุมเวลา 12.00 น.", "## ผู้บันทึกรายงานการประชุม"]
    positions = [md.index(h) for h in headings]
    assert positions == sorted(positions)
    present = md[md.index("## ผู้มาประชุม"):md.index("## ผู้ไม่มาประชุม")]
    assert "**กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่** (8 คน)" in present
    assert person_name(0, 7) in present and person_name(12, 6) in present
    assert person_name(0, 9) not in present  # answered "not going" and did not come
    absent = md[md.index("## ผู้ไม่มาประชุม"):md.index("## ผู้เข้าร่วมประชุม")]
    assert scenario.group_names[17] in absent and scenario.group_names[19] in absent
    assert scenario.group_names[16] not in absent  # one of them came after all
    assert "มาประชุม 120 คน จาก 18 กลุ่ม (เชิญ 20 กลุ่ม) · คุณอำนวยลงชื่อแทน 4 คน" in md
    assert "2. ปัญหาหนี้ค้างชำระ" in md
    notes = md[md.index("## บันทึก"):md.index("## มติที่ประชุม")]
    assert f"- **09.10 น.** {RECORDER}: ปัจจัยความสำเร็จ 3 ประการ คือ กรรมการ สมาชิก และการบริหารจัดการ (ภาพประกอบ 2 ภาพ)" in notes
    assert "- **10.15 น.** (ไม่ระบุชื่อ): ขอให้จัดอบรมการทำบัญชีให้กรรมการ" in notes
    assert "#มติ" not in notes and "_[มติ]_" in notes
    assert notes.index("09.10") < notes.index("09.30") < notes.index("10.30")
    assert "1. กรรมการต้องซื่อสัตย์ มีคุณธรรม การบริหารต้องโปร่งใส\n2. ประชุมครั้งต่อไป 6 ก.ย. ที่วัดบางหลวง" in md
    assert "## ปัญหา\n\n1. หนี้ค้างชำระ สมาชิกกู้แล้วไม่ส่งคืน" in md
    # The owner by their full name (as on the sign-in sheet), the due date read from "31 ส.ค.".
    owner = person_name(0, 0)
    assert f"| 1 | ทำทะเบียนลูกหนี้ค้างชำระ ส่งภายใน 31 ส.ค. | {owner} | วันจันทร์ที่ 31 ส.ค. 2569 |" in md
    assert "ภาพประกอบ 2 ภาพ (อยู่ในไฟล์ HTML" in md
    recorders = md[md.index("## ผู้บันทึกรายงานการประชุม"):]
    assert recorders.index(RECORDER) < recorders.index("(ไม่ระบุชื่อ)")
    assert scenario.forgotten_name not in md


def test_minutes_html_embeds_real_photos_only_and_escapes(db, scenario):
    with db.transaction() as s:
        meeting = get_meeting(s, scenario.m1)
        add_note(s, meeting=meeting, author=s.get(Person, scenario.recorder), text="<script>alert('x')</script> & co",
                 chat_id=None, line_message_id=None, now=START + timedelta(hours=2), tz=TZ)
    with db.reading() as s:
        page = minutes_html(minutes_of(s, scenario.m1), TZ)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="th">' in page
    assert "@page { size: A4; margin: 15mm; }" in page
    assert 'font-family: "Sarabun", "TH Sarabun New", "Noto Sans Thai", "Tahoma", sans-serif' in page
    assert "<h1>รายงานการประชุม</h1>" in page and "วันเสาร์ที่ 15 ส.ค. 2569" in page
    assert page.count('src="data:image/jpeg;base64,') == 1  # the SVG posing as a JPEG is not embedded
    assert "ไม่ใช่ไฟล์ JPEG/PNG" in page and "onload" not in page
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    assert "ภาพประกอบ 2 ภาพ" in page and "มติที่ประชุม" in page and "งานที่ต้องทำ" in page
    assert "วันจันทร์ที่ 31 ส.ค. 2569" in page and "(ไม่ระบุชื่อ)" in page
    assert scenario.forgotten_name not in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=8.4321,99.9654" in page


def test_minutes_messages_fit_line(db, scenario):
    with db.reading() as s:
        messages = minutes_messages(minutes_of(s, scenario.m1), TZ)
    assert 1 <= len(messages) <= 5
    for message in messages:
        check_message(message)
    text = "\n".join(m["text"] for m in messages)
    assert text.startswith(f"📝 รายงานการประชุม #{scenario.m1}")
    assert "วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00–12.00 น." in text
    assert person_name(3, 7) in text  # names are there when they fit
    assert "มติที่ประชุม\n1. กรรมการต้องซื่อสัตย์" in text
    assert "ผู้รับผิดชอบ" in text and "กำหนด วันจันทร์ที่ 31 ส.ค. 2569" in text
    assert "meetbot export" not in text  # nothing was cut


def test_minutes_messages_of_300_long_notes_are_cut_within_line_limits(db, scenario):
    sentence = "ที่ประชุมหารือเรื่องการติดตามหนี้ค้างชำระของสมาชิกกลุ่มออมทรัพย์และแนวทางการบริหารจัดการอย่างโปร่งใส "
    with db.transaction() as s:
        meeting = get_meeting(s, scenario.m2)
        recorder = s.get(Person, scenario.recorder)
        for i in range(300):
            add_note(s, meeting=meeting, author=recorder, text=f"ข้อ {i + 1}: " + sentence * 3,
                     chat_id=None, line_message_id=f"long-{i}", now=SECOND + timedelta(seconds=30 * i), tz=TZ)
        add_note(s, meeting=meeting, author=recorder, text="#มติ ให้ทุกกลุ่มส่งรายงานหนี้ภายในสิ้นเดือน",
                 chat_id=None, line_message_id="decision", now=SECOND + timedelta(hours=3), tz=TZ)
    with db.reading() as s:
        data = minutes_of(s, scenario.m2)
        assert len(data.notes) == 301
        for limit in (5, 2, 1):
            messages = minutes_messages(data, TZ, max_messages=limit)
            assert 1 <= len(messages) <= limit
            for message in messages:
                assert message["type"] == "text"
                assert 0 < utf16_len(message["text"]) <= MAX_TEXT_UTF16
                check_message(message)
            assert messages[0]["text"].startswith(f"📝 รายงานการประชุม #{scenario.m2}")
            last = messages[-1]["text"]
            assert f"meetbot export minutes {scenario.m2}" in last and "ไม่ได้แสดง" in last
            shown = sum(m["text"].count(": ข้อ ") for m in messages)
            left = int(re.search(r"บันทึกอีก (\d+) รายการ", last).group(1))
            assert shown + left == 301 and left > 0
            # The decision comes before the notes, so it survives the cut.
            assert "ให้ทุกกลุ่มส่งรายงานหนี้ภายในสิ้นเดือน" in messages[0]["text"]
        five = minutes_messages(data, TZ)
        assert len(five) == 5 and sum(utf16_len(m["text"]) for m in five) > 4 * 4500


# -- sign-in sheets ------------------------------------------------------------------------------------


def rows_of(db, meeting_id: int):
    with db.reading() as s:
        return attendance_rows(s, get_meeting(s, meeting_id), TZ)


def test_attendance_rows_list_who_was_expected_and_who_came(db, scenario):
    rows = rows_of(db, scenario.m1)
    headers = [r for r in rows if r["row"] == "group"]
    # The summary's order: sub-district, village, then the village fund before the savings group.
    assert [h["group"] for h in headers[:20]] == sorted(scenario.group_names, key=lambda n: (
        "ท่าไร่" not in n, int(re.search(r"หมู่ (\d+)", n).group(1)), "กองทุน" not in n))
    assert headers[-1]["group"] == "ผู้เข้าร่วมอื่น ๆ" and len(headers) == 21
    by_group = {}
    current = None
    for r in rows:
        if r["row"] == "group":
            current = r["group"]
            by_group[current] = []
        else:
            by_group[current].append(r)
    assert headers[0]["group"] == "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่"
    first = next(h for h in headers if h["group"] == scenario.group_names[0])
    assert first["group"] == "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
    assert (first["quota"], first["coming"], first["attended"], first["listed"]) == (10, 8, 8, 9)
    assert first["village"] == "หมู่ 1" and first["sub_district"] == "ต.ท่าไร่" and first["state"] == "มา"
    people = {r["name"]: r for r in by_group[first["group"]]}
    leader = people[person_name(0, 0)]
    assert (leader["role"], leader["answer"], leader["by"]) == ("ผู้นำกลุ่ม", "ไป 8 คน", "ตนเอง")
    assert leader["checked_in_at"] == "08.30 น." and leader["checked_in_at_iso"] == "2026-08-15T08:30:00+07:00"
    assert people[person_name(0, 1)]["answer"] == "ไป" and people[person_name(0, 1)]["answer_source"] == "own"
    assert people[person_name(0, 4)]["answer"] == "ไป (ตามผู้นำกลุ่ม)"
    assert people[person_name(0, 4)]["role"] == "สมาชิก"
    proxy = people[person_name(0, 7)]
    assert proxy["method"] == Method.PROXY and proxy["by"] == f"แทนโดย {RECORDER}" and proxy["checked_in_at"] == "09.05 น."
    expected = people[person_name(0, 9)]
    assert (expected["checked_in"], expected["answer"], expected["checked_in_at"]) == (False, "ไม่ไป", "")
    assert [r["no"] for r in by_group[first["group"]]] == list(range(1, 10))
    assert all(r["signature"] == "" for r in rows if r["row"] == "person")
    # Checked in though the leader said "not going"; checked in without any answer.
    came_anyway = {r["name"]: r for r in by_group[scenario.group_names[16]]}
    assert came_anyway[person_name(16, 5)]["answer"] == "ไม่ไป (ตามผู้นำกลุ่ม)"
    assert came_anyway[person_name(16, 0)]["checked_in"] is False
    unanswered = {r["name"]: r for r in by_group[scenario.group_names[18]]}
    assert unanswered[person_name(18, 2)]["answer"] == "ยังไม่ตอบ" and unanswered[person_name(18, 2)]["checked_in"]
    assert unanswered[person_name(18, 3)]["answer"] == "ไม่แน่ใจ"
    nobody = next(h for h in headers if h["group"] == scenario.group_names[19])
    assert (nobody["listed"], nobody["attended"], nobody["state"]) == (0, 0, "ยังไม่ตอบ")
    others = {r["name"]: r for r in by_group["ผู้เข้าร่วมอื่น ๆ"]}
    assert others[RECORDER]["role"] == "คุณอำนวย" and others[COORDINATOR]["role"] == "ผู้ประสานงาน"
    forgotten = [r for r in rows if r.get("person_id") == scenario.forgotten]
    assert forgotten and all(r["name"] == "(ไม่ระบุชื่อ)" and r["role"] == "" for r in forgotten)
    assert sum(1 for r in rows if r["row"] == "person" and r["checked_in"]) == 120


def test_attendance_csv_opens_in_excel(db, scenario):
    text = attendance_csv(rows_of(db, scenario.m1))
    assert text.startswith(BOM) and "\r\n" in text
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [title for _, title in ATTENDANCE_COLUMNS]
    assert table[0][:5] == ["ลำดับ", "ตำบล", "หมู่", "กลุ่ม", "ชื่อ-สกุล"] and table[0][-1] == "ลายมือชื่อ"
    lines = {row[4]: row for row in table[1:]}
    leader = lines[person_name(0, 0)]
    assert leader[:8] == ["1", "ต.ท่าไร่", "หมู่ 1", "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่", person_name(0, 0), "ผู้นำกลุ่ม",
                          "ไป 8 คน", "มา"]
    assert leader[8:13] == ["08.30 น.", "ตนเอง", "10", "8", "8"]
    assert lines[person_name(0, 9)][7] == "ไม่ได้ลงชื่อ"
    empty = [row for row in table[1:] if row[3] == scenario.group_names[19]]
    assert len(empty) == 1 and empty[0][4] == "(ยังไม่มีรายชื่อ)"
    assert len(table) - 1 == sum(1 for r in rows_of(db, scenario.m1) if r["row"] == "person") + 1


def test_attendance_xlsx_reads_back_with_thai_intact(db, scenario):
    from openpyxl import load_workbook

    with db.reading() as s:
        meeting = get_meeting(s, scenario.m1)
        rows = attendance_rows(s, meeting, TZ)
        data = attendance_xlsx(rows, meeting=meeting, tz=TZ)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["ลงชื่อ", "ข้อมูล"]
    sheet = book["ลงชื่อ"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values[0] == "บัญชีลงชื่อผู้เข้าร่วมประชุม"
    assert "ครั้งที่ 1/2569 วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00–12.00 น." in values
    assert person_name(0, 7) in values and f"แทนโดย {RECORDER}" in values and "ไป (ตามผู้นำกลุ่ม)" in values
    assert any(str(v).startswith("กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่ — ต.ท่าไร่ · หมู่ 1 · โควตา 10 คน") for v in values)
    assert sum(1 for v in values if v == "ลายมือชื่อ") == 21
    assert sum(1 for v in values if str(v).startswith("ลงชื่อ ....")) == 21
    assert len(sheet.row_breaks.brk) == 20  # a page per group
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet["A1"].font.name == "TH Sarabun New" and sheet["A1"].font.b
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "ลำดับ")
    assert all(c.font.b for c in header_row) and header_row[6].value == "ลายมือชื่อ"
    assert sheet.column_dimensions["G"].width >= 20
    flat = book["ข้อมูล"]
    assert [c.value for c in flat[1]] == [title for _, title in ATTENDANCE_COLUMNS]
    names = [r[4].value for r in flat.iter_rows(min_row=2)]
    assert person_name(12, 6) in names and "(ไม่ระบุชื่อ)" in names


def test_attendance_html_prints_a_page_per_group(db, scenario):
    with db.reading() as s:
        meeting = get_meeting(s, scenario.m1)
        page = attendance_html(meeting, attendance_rows(s, meeting, TZ), TZ)
    assert "@page { size: A4; margin: 15mm; }" in page
    assert "section.sheet { break-after: page;" in page
    assert page.count('<section class="sheet">') == 21
    assert page.count("<h1>บัญชีลงชื่อผู้เข้าร่วมประชุม</h1>") == 21
    assert page.count("วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00–12.00 น.") == 21
    assert page.count("ลงชื่อ ............................................ ผู้รับรอง") == 21
    for name in scenario.group_names:
        assert f'<p class="group">{name}</p>' in page
    first = next(part for part in page.split('<section class="sheet">')
                 if f'<p class="group">{scenario.group_names[0]}</p>' in part)
    assert "ณ วัดบางหลวง" in first and person_name(0, 7) in first and "ลายมือชื่อ" in first
    assert first.count('<td class="no">') == 9 + 2  # nine listed, two empty lines for walk-ins
    assert 'font-family: "Sarabun", "TH Sarabun New"' in page


# -- the roll ------------------------------------------------------------------------------------------


def test_roll_lists_each_persons_meetings_in_the_period(db, scenario):
    with db.reading() as s:
        rows = roll_rows(s, date(2026, 8, 1), date(2026, 9, 30), TZ)
        october = roll_rows(s, date(2026, 10, 1), date(2026, 10, 31), TZ)
        august = roll_rows(s, date(2026, 8, 1), date(2026, 8, 31), TZ)
    leader = [r for r in rows if r["name"] == person_name(0, 0)]
    assert [(r["meeting_id"], r["date"]) for r in leader] == [
        (scenario.m1, "วันเสาร์ที่ 15 ส.ค. 2569"), (scenario.m2, "วันอาทิตย์ที่ 6 ก.ย. 2569")]
    assert all(r["meetings"] == 2 and r["group"] == "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่" for r in leader)
    assert leader[0]["title"].startswith("ประชุมพัฒนากลุ่มการเงิน") and leader[0]["venue"].startswith("วัดบางหลวง")
    assert leader[0]["checked_in_at"] == "08.30 น." and leader[1]["checked_in_at"] == "08.50 น."
    bang_chak = [r for r in rows if r["name"] == person_name(12, 0)]
    assert [r["meeting_id"] for r in bang_chak] == [scenario.m1]
    assert scenario.m3 not in {r["meeting_id"] for r in rows}
    assert {r["meeting_id"] for r in october} == {scenario.m3}
    assert {r["meeting_id"] for r in august} == {scenario.m1}
    assert len({r["person_id"] for r in rows}) == 120 and len(rows) == 120 + 18
    numbers = [r["n"] for r in rows]
    assert numbers == sorted(numbers) and numbers[-1] == 120
    assert rows[0]["sub_district"] == "ต.ท่าไร่" and rows[-1]["group"] == ""  # facilitators last
    proxy = next(r for r in rows if r["name"] == person_name(1, 7))
    assert proxy["by"] == f"แทนโดย {RECORDER}"

    text = roll_csv(rows)
    assert text.startswith(BOM)
    table = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert table[0][:3] == ["ลำดับ", "ชื่อ-สกุล", "ตำบล"] and "วันที่ (ค.ศ.)" in table[0]
    mine = [line for line in table[1:] if line[1] == person_name(0, 0)]
    assert [line[2:9] for line in mine] == [
        ["ต.ท่าไร่", "หมู่ 1", "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่", "2", f"#{scenario.m1}", "วันเสาร์ที่ 15 ส.ค. 2569", "2026-08-15"],
        ["ต.ท่าไร่", "หมู่ 1", "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่", "2", f"#{scenario.m2}", "วันอาทิตย์ที่ 6 ก.ย. 2569", "2026-09-06"]]

    page = roll_html(rows, date(2026, 8, 1), date(2026, 9, 30), TZ)
    assert "@page { size: A4" in page and "ระหว่างวันเสาร์ที่ 1 ส.ค. 2569 ถึงวันพุธที่ 30 ก.ย. 2569" in page
    assert "120 คน เข้าประชุมรวม 138 ครั้ง" in page and "ลงชื่อ" in page and "ผู้รับรอง" in page
    assert page.count("<tr><td class=\"no\">") == 120


# -- calendars -----------------------------------------------------------------------------------------


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_meeting_ics_parses_with_folded_thai_and_stable_uids(db, scenario):
    from icalendar import Calendar

    long_title = "ประชุมคณะกรรมการกองทุนหมู่บ้านทุกกองทุนของตำบลบางจากเพื่อติดตามหนี้ค้างชำระ, วางแผน; และสรุปบทเรียน"
    with db.transaction() as s:
        s.get(Meeting, scenario.m2).title = long_title
    with db.reading() as s:
        meetings = [get_meeting(s, i) for i in (scenario.m1, scenario.m2, scenario.cancelled)]
        data = meeting_ics(meetings, TZ, calendar_name="นัดประชุม กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่")
        again = meeting_ics(meetings, TZ, calendar_name="นัดประชุม กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่")
    assert data == again
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    physical = data.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # Thai lines were folded
    for line in physical:
        line.decode("utf-8")  # no character split across a fold
    assert f"SUMMARY:{long_title.replace(',', chr(92) + ',').replace(';', chr(92) + ';')}" in unfold(data)

    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "นัดประชุม กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"meeting-{i}@meetbot" for i in (scenario.m1, scenario.m2, scenario.cancelled)}
    first = events[f"meeting-{scenario.m1}@meetbot"]
    assert first.decoded("DTSTART") == START.astimezone(timezone.utc)
    assert first.decoded("DTEND") == (START + timedelta(hours=3)).astimezone(timezone.utc)
    assert "DTSTART:20260815T020000Z" in unfold(data)
    assert str(first["SUMMARY"]) == "ประชุมพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ครั้งที่ 1"
    assert str(first["LOCATION"]) == "วัดบางหลวง ต.ท่าไร่ อ.เมือง จ.นครศรีธรรมราช"
    description = str(first["DESCRIPTION"])
    assert "ระเบียบวาระ:\n1. ปัจจัยความสำเร็จของกลุ่ม\n2. ปัญหาหนี้ค้างชำระ" in description
    assert "https://www.google.com/maps/search/?api=1&query=8.4321,99.9654" in description
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    alarms = first.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == timedelta(days=-1)
    assert str(events[f"meeting-{scenario.m2}@meetbot"]["SUMMARY"]) == long_title
    gone = events[f"meeting-{scenario.cancelled}@meetbot"]
    assert str(gone["STATUS"]) == "CANCELLED" and not gone.walk("VALARM")
    assert int(gone["SEQUENCE"]) > 0

    with db.transaction() as s:
        meeting = get_meeting(s, scenario.m1)
        move_meeting(s, meeting, START + timedelta(days=1), now=CREATED + timedelta(days=3))
    with db.reading() as s:
        moved = Calendar.from_ical(meeting_ics([get_meeting(s, scenario.m1)], TZ, calendar_name="x"))
    event = moved.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{scenario.m1}@meetbot"
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])
    assert event.decoded("DTSTART") == (START + timedelta(days=1)).astimezone(timezone.utc)


# -- the chat command ------------------------------------------------------------------------------------


def turn_for(session, user_id: str, *, text: str, chat_id: str | None = None, now: datetime) -> Turn:
    event = ChatEvent(row_id=0, webhook_event_id="e-minutes", type="message", mode="active",
                      source_type="group" if chat_id else "user", chat_id=chat_id or user_id, user_id=user_id,
                      reply_token=None, reply_deadline=None, occurred_at=now, message_type="text", text=text)
    return Turn(session=session, event=event, now=now, settings=BotSettings(timezone=TZ))


def test_minutes_command_for_facilitators_only(db, scenario):
    from handlers.commands import Minutes
    from handlers.minutes import handle_minutes

    after = START + timedelta(hours=4)
    with db.transaction() as s:
        turn = turn_for(s, line_id(1), text=f"บันทึกการประชุม #{scenario.m1}", now=after)
        handle_minutes(turn, Minutes(scenario.m1))
        assert 1 <= len(turn.answers) <= 5
        assert turn.answers[0]["text"].startswith(f"📝 รายงานการประชุม #{scenario.m1}")
        for message in turn.answers:
            check_message(message)

        member = turn_for(s, line_id(1000 + 3), text="/minutes", now=after)
        handle_minutes(member, Minutes(scenario.m1))
        assert [m["text"] for m in member.answers] == ["ขออภัยครับ บันทึกการประชุมดูได้เฉพาะผู้ประสานงานและคุณอำนวยครับ"]

        missing = turn_for(s, line_id(2), text="/minutes #999", now=after)
        handle_minutes(missing, Minutes(999))
        assert len(missing.answers) == 1 and "999" in missing.answers[0]["text"]

        # In the group chat, without a code: the meeting notes go to (here the one just over).
        in_group = turn_for(s, line_id(2), text="บันทึกการประชุม", chat_id=scenario.chat, now=after)
        handle_minutes(in_group, Minutes(None))
        assert in_group.answers[0]["text"].startswith(f"📝 รายงานการประชุม #{scenario.m1}")

        # In a 1:1 chat, without a code: the latest meeting the recorder took notes in.
        direct = turn_for(s, line_id(1), text="บันทึกการประชุม", now=after + timedelta(days=30))
        handle_minutes(direct, Minutes(None))
        assert direct.answers[0]["text"].startswith(f"📝 รายงานการประชุม #{scenario.m1}")


# -- meetbot export ------------------------------------------------------------------------------------


def test_export_minutes_and_attendance(meetbot, scenario, tmp_path):
    md = meetbot("export", "minutes", str(scenario.m1))
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# รายงานการประชุม") and "วันเสาร์ที่ 15 ส.ค. 2569" in md.stdout
    page = meetbot("export", "minutes", f"#{scenario.m1}", "--format", "html", "--output", "out/minutes.html")
    assert page.exit_code == 0 and "wrote the minutes to out/minutes.html" in page.stderr
    assert "data:image/jpeg;base64," in (tmp_path / "out" / "minutes.html").read_text("utf-8")

    sheet = meetbot("export", "attendance", str(scenario.m1), "--format", "csv")
    assert sheet.exit_code == 0
    assert sheet.stdout_bytes.startswith(b"\xef\xbb\xbf\xe0\xb8\xa5\xe0\xb8\xb3\xe0\xb8\x94\xe0\xb8\xb1\xe0\xb8\x9a")
    assert person_name(0, 7).encode() in sheet.stdout_bytes

    xlsx = meetbot("export", "attendance", str(scenario.m1), "--format", "xlsx")
    assert xlsx.exit_code == 0 and xlsx.stdout == ""
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / f"attendance-{scenario.m1}.xlsx")
    assert book["ลงชื่อ"]["A1"].value == "บัญชีลงชื่อผู้เข้าร่วมประชุม"

    printed = meetbot("export", "attendance", str(scenario.m1), "--format", "html", "-o", "sheet.html")
    assert printed.exit_code == 0
    assert (tmp_path / "sheet.html").read_text("utf-8").count('<section class="sheet">') == 21

    missing = meetbot("export", "attendance", "999")
    assert missing.exit_code == 1 and "no meeting #999" in missing.stderr and missing.stdout == ""
    wrong = meetbot("export", "minutes", "abc")
    assert wrong.exit_code == 2


def test_export_roll_and_ics(meetbot, scenario, tmp_path):
    roll = meetbot("export", "roll", "--from", "2026-08-01", "--to", "2026-09-30")
    assert roll.exit_code == 0, roll.output
    text = roll.stdout_bytes.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ลำดับ,ชื่อ-สกุล") and f"#{scenario.m2}" in text and f"#{scenario.m3}" not in text
    month = meetbot("export", "roll", "--month", "2026-10", "--format", "html")
    assert month.exit_code == 0 and "ประชุมเดือนตุลาคม" in month.stdout and "ระหว่างวันพฤหัสบดีที่ 1 ต.ค. 2569" in month.stdout
    backwards = meetbot("export", "roll", "--from", "2026-09-30", "--to", "2026-08-01")
    assert backwards.exit_code == 2 and "before" in backwards.stderr
    bad = meetbot("export", "roll", "--from", "1 Aug", "--to", "2026-08-31")
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    neither = meetbot("export", "roll")
    assert neither.exit_code == 2

    ics = meetbot("export", "ics", str(scenario.m1), str(scenario.cancelled), "--output", "m.ics")
    assert ics.exit_code == 0
    data = (tmp_path / "m.ics").read_bytes()
    assert f"UID:meeting-{scenario.m1}@meetbot".encode() in data and b"STATUS:CANCELLED" in data
    one = meetbot("export", "ics", f"#{scenario.m1}")
    assert one.exit_code == 0 and one.stdout_bytes.startswith(b"BEGIN:VCALENDAR")
    assert max(len(line) for line in one.stdout_bytes.split(b"\r\n")) <= 75


def test_minutes_through_the_webhook_are_accepted_by_line(db, scenario, services, line):
    """The route (handlers/routes.py) to the handler, the reply through the outbox to the fake LINE
    platform, which refuses anything over LINE's limits: a short report and one of 300 long notes."""
    with db.transaction() as s:
        meeting = get_meeting(s, scenario.m2)
        recorder = s.get(Person, scenario.recorder)
        for i in range(300):
            add_note(s, meeting=meeting, author=recorder, text=f"ข้อ {i + 1}: " + "บันทึกการประชุมที่ยาวมาก " * 40,
                     chat_id=None, line_message_id=f"webhook-{i}", now=SECOND + timedelta(seconds=20 * i), tz=TZ)
    services.set_clock(lambda: (SECOND + timedelta(hours=5)).astimezone(timezone.utc))
    short = line.say(f"บันทึกการประชุม #{scenario.m1}", user=line_id(1))
    assert short and short[0]["text"].startswith(f"📝 รายงานการประชุม #{scenario.m1}")
    long = line.say(f"/minutes #{scenario.m2}", user=line_id(2))
    assert len(long) == 5 and all(utf16_len(m["text"]) <= MAX_TEXT_UTF16 for m in long)
    assert f"meetbot export minutes {scenario.m2}" in long[-1]["text"]
    refused = line.say(f"บันทึกการประชุม #{scenario.m1}", user=line_id(1000 + 5))
    assert [m["text"] for m in refused] == ["ขออภัยครับ บันทึกการประชุมดูได้เฉพาะผู้ประสานงานและคุณอำนวยครับ"]
