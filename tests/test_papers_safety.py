"""Hostile text on every paper (exports/, `meetbot export …`, the calendar feed, the minutes
in LINE): names, group names, titles, venues, agendas and notes that look like spreadsheet formulas,
HTML, Markdown, or carry bidirectional controls, come out as the text people typed and nothing
more. Also the papers' numbering (ครั้งที่ 1/2570) and the LINE name beside the real name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.calendar import blueprint, calendar_token
from models.attendance import Method, check_in
from models.meetings import Response, cancel_meeting, create_meeting, get_meeting, invite, record_answer
from models.minutes import minutes_data
from models.network import Chat, FinancialGroup, GroupKind, SubDistrict, Village
from models.notes import add_note
from exports.attendance import attendance_csv, attendance_html
from exports.attendance_xlsx import attendance_xlsx
from exports.ical import meeting_ics
from exports.minutes import minutes_html, minutes_markdown
from exports.roll import roll_csv, roll_html
from handlers.minutes import minutes_messages
from models.sign_in import attendance_rows, roll_rows
from models.people import Duty, Person, Role, grant
from tests.conftest import TEST_SECRET

TZ = ZoneInfo("Asia/Bangkok")
CREATED = datetime(2027, 1, 1, 10, 0, tzinfo=TZ)
START = datetime(2027, 1, 20, 9, 0, tzinfo=TZ)  # 2570

# What a spreadsheet runs as a formula (OWASP's list and the full-width forms), written out here
# rather than imported, so the test checks the papers against the rule, not against themselves.
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "  =", "\u3000＋"]
LIVE = tuple("=+-@\t\r＝＋－＠")
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
IMG = "<img src=x onerror=alert(1)>"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
GROUP = '=HYPERLINK("http://evil.example","กองทุน") หมู่ 1'
TITLE = f"@SUM(1+1) {IMG} ประชุม\u202eเครือข่าย"
VENUE = "-2+3 <b>วัด</b> \u2066บางหลวง\u2069"
NOTE = f"{IMG} *เน้น* _ขีด_ `code` [ลิงก์](http://x.example) ~~ขีดฆ่า~~ | ท่อ \u202eกลับด้าน"
AGENDA = "# ไม่ใช่หัวข้อ\n> ไม่ใช่คำพูด\n1. วาระแรก\n=1+1 วาระสอง"
REAL = "สมชาย ใจดี"
NICK = "ลุงชม 🌾"


def hostile_name(prefix: str, i: int) -> str:
    return f'{prefix}HYPERLINK("http://evil.example/{i}","ผู้นำ") คนที่ {i}'


def line_id(n: int) -> str:
    return f"U{n:032x}"


def live_formula(cell: str) -> bool:
    """Whether a spreadsheet would run this cell: it starts with a formula character, also after spaces."""
    return not cell.startswith("'") and (cell.startswith(LIVE) or cell.lstrip().startswith(LIVE))


def no_bidi(text: str) -> bool:
    return not any(ch in text for ch in BIDI)


@dataclass
class Hostile:
    meeting: int = 0
    group: int = 0
    coordinator: str = ""
    names: list[str] = field(default_factory=list)


def build(db) -> Hostile:
    """One group with a formula for a name, a person for each formula prefix, one with HTML for a
    name, one with a right-to-left override in their LINE name, one with a real name and a LINE
    nickname; a meeting whose title, venue, agenda and notes are hostile too."""
    h = Hostile()
    with db.transaction() as s:
        sub = SubDistrict(name="ท่าไร่\u202e", name_en="Tha Rai")
        s.add(sub)
        s.flush()
        village = Village(sub_district_id=sub.id, number=1)
        s.add(village)
        s.flush()
        chat = "C" + "e" * 32
        s.add(Chat(id=chat, kind="group"))
        group = FinancialGroup(name=GROUP, kind=GroupKind.VILLAGE_FUND, sub_district_id=sub.id, village_id=village.id,
                               chat_id=chat)
        s.add(group)
        s.flush()
        h.group = group.id
        coordinator = Person(line_user_id=line_id(1), display_name="วิชัย", full_name="+วิชัย ประสานงาน",
                             created_at=CREATED)
        s.add(coordinator)
        s.flush()
        grant(s, coordinator, Role.COORDINATOR)
        grant(s, coordinator, Role.FACILITATOR, duty=Duty.RECORDER)
        h.coordinator = coordinator.line_user_id
        people = []
        for i, prefix in enumerate(FORMULA_PREFIXES):
            people.append(Person(line_user_id=line_id(100 + i), display_name=f"คน{i}", full_name=hostile_name(prefix, i),
                                 created_at=CREATED))
        people.append(Person(line_user_id=line_id(200), display_name="x", full_name=IMG, created_at=CREATED))
        people.append(Person(line_user_id=line_id(201), display_name="\u202eชม ใจดี\u202c", created_at=CREATED))
        people.append(Person(line_user_id=line_id(202), display_name=NICK, full_name=REAL, created_at=CREATED))
        s.add_all(people)
        s.flush()
        h.names = [p.full_name for p in people[:len(FORMULA_PREFIXES)]]
        for person in people:
            grant(s, person, Role.MEMBER, group_id=group.id)
        meeting = create_meeting(s, title=TITLE, starts_at=START, venue_name=VENUE, agenda=AGENDA,
                                 sub_district_id=sub.id, created_by=coordinator, now=CREATED)
        invite(s, meeting, group, 20, by=coordinator, now=CREATED)
        for i, person in enumerate(people):
            record_answer(s, meeting=meeting, person=person, group=group, response=Response.GOING,
                          now=CREATED + timedelta(hours=1))
            check_in(s, meeting=meeting, person=person, group_id=group.id,
                     method=Method.PROXY if i % 2 else Method.SELF, by=coordinator if i % 2 else None,
                     now=START - timedelta(minutes=30) + timedelta(seconds=i))
        check_in(s, meeting=meeting, person=coordinator, group_id=None, method=Method.SELF, now=START)
        add_note(s, meeting=meeting, author=coordinator, text=NOTE, chat_id=chat, line_message_id=None,
                 now=START + timedelta(minutes=10), tz=TZ)
        add_note(s, meeting=meeting, author=coordinator, text="#มติ =1+1 ให้ทุกกลุ่ม **ส่ง** <b>รายงาน</b>",
                 chat_id=chat, line_message_id=None, now=START + timedelta(minutes=20), tz=TZ)
        add_note(s, meeting=meeting, author=people[-2], text="#งาน -ทำบัญชี | ทุกเดือน", chat_id=chat,
                 line_message_id=None, now=START + timedelta(minutes=30), tz=TZ, owner=people[0])
        h.meeting = meeting.id
    return h


@pytest.fixture
def hostile(db) -> Hostile:
    return build(db)


def csv_cells(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


# -- spreadsheets ----------------------------------------------------------------------------------------


def test_the_attendance_and_roll_csv_exports_hold_no_live_formula(meetbot, hostile):
    sheet = meetbot("export", "attendance", str(hostile.meeting), "--format", "csv")
    roll = meetbot("export", "roll", "--month", "2027-01")
    assert sheet.exit_code == 0 and roll.exit_code == 0, sheet.output + roll.output
    for result in (sheet, roll):
        text = result.stdout_bytes.decode("utf-8")
        assert no_bidi(text)
        cells = [cell for row in csv_cells(text) for cell in row]
        assert [c for c in cells if live_formula(c)] == []
        # Each hostile name is there, intact after its `'`.
        for name in hostile.names:
            assert "'" + name in cells, repr(name)
        assert "ชม ใจดี" in cells  # the right-to-left override is gone, the name is not
    sheet_cells = [c for row in csv_cells(sheet.stdout_bytes.decode("utf-8")) for c in row]
    assert "'" + GROUP in sheet_cells and "ต.ท่าไร่" in sheet_cells
    roll_cells = [c for row in csv_cells(roll.stdout_bytes.decode("utf-8")) for c in row]
    assert "'" + TITLE.replace("\u202e", "") in roll_cells
    assert "'" + VENUE.replace("\u2066", "").replace("\u2069", "") in roll_cells


def test_the_csv_functions_neutralise_every_prefix_the_same_way(db, hostile):
    with db.reading() as s:
        meeting = get_meeting(s, hostile.meeting)
        sheet = attendance_csv(attendance_rows(s, meeting, TZ))
        roll = roll_csv(roll_rows(s, date(2027, 1, 1), date(2027, 1, 31), TZ))
    for text in (sheet, roll):
        for prefix, name in zip(FORMULA_PREFIXES, hostile.names):
            assert any(cell == "'" + name for row in csv_cells(text) for cell in row), repr(prefix)


def test_the_xlsx_sign_in_sheet_stores_hostile_text_as_strings_and_wraps_two_line_cells(meetbot, hostile, tmp_path):
    from openpyxl import load_workbook

    result = meetbot("export", "attendance", str(hostile.meeting), "--format", "xlsx", "-o", "sheet.xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "sheet.xlsx")
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not live_formula(cell.value), (sheet.title, cell.coordinate, cell.value)
                    assert no_bidi(cell.value)
                values.append(cell.value)
    for name in hostile.names:  # XML keeps no carriage return: the workbook reads it back as a line feed
        assert "'" + name.replace("\r", "\n") in values, repr(name)
    assert values.count("'" + GROUP) >= 1 and "'" + TITLE.replace("\u202e", "") in values
    # The real name with the LINE nickname under it: a two-line cell, wrapped, in a row tall enough.
    signing = book["ลงชื่อ"]
    cell = next(c for row in signing.iter_rows() for c in row if c.value == f"{REAL}\n(LINE: {NICK})")
    assert cell.alignment.wrap_text
    assert signing.row_dimensions[cell.row].height >= 2 * 20
    one_line = next(c for row in signing.iter_rows() for c in row if c.value == "ชม ใจดี")
    assert signing.row_dimensions[one_line.row].height == 30
    # A long title in the merged heading wraps and its row grows with it.
    title_cell = next(c for c in signing["A"] if c.value == "'" + TITLE.replace("\u202e", ""))
    assert title_cell.alignment.wrap_text


def test_a_long_venue_makes_its_heading_row_taller_in_the_xlsx(db, hostile):
    from openpyxl import load_workbook

    venue = ("ศาลาอเนกประสงค์ประจำหมู่บ้าน " * 8).strip()  # fits the column (300), needs two lines
    with db.transaction() as s:
        get_meeting(s, hostile.meeting).venue_name = venue
    with db.reading() as s:
        meeting = get_meeting(s, hostile.meeting)
        data = attendance_xlsx(attendance_rows(s, meeting, TZ), meeting=meeting, tz=TZ)
    sheet = load_workbook(io.BytesIO(data))["ลงชื่อ"]
    cell = next(c for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith("ณ ศาลา"))
    assert sheet.row_dimensions[cell.row].height >= 2 * 20


# -- HTML, Markdown, LINE, iCalendar ------------------------------------------------------------------------


def test_html_papers_escape_markup_and_drop_bidi_controls(meetbot, hostile, tmp_path):
    pages = {
        "minutes": meetbot("export", "minutes", str(hostile.meeting), "--format", "html").stdout,
        "sheet": meetbot("export", "attendance", str(hostile.meeting), "--format", "html").stdout,
        "roll": meetbot("export", "roll", "--month", "2027-01", "--format", "html").stdout,
    }
    for what, page in pages.items():
        assert "<img src=x" not in page and "<b>" not in page, what
        assert IMG_ESCAPED in page, what
        assert no_bidi(page), what
    assert "&lt;b&gt;วัด&lt;/b&gt; บางหลวง" in pages["sheet"]
    assert f"{REAL}<br><small>LINE: {NICK}</small>" in pages["sheet"]
    assert f"{REAL} (LINE: {NICK})" in pages["roll"]


def test_markdown_minutes_render_as_the_text_typed(meetbot, hostile):
    from markdown_it import MarkdownIt

    md = meetbot("export", "minutes", str(hostile.meeting), "--format", "md").stdout
    assert no_bidi(md)
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)
    assert "<img" not in rendered and "<b>" not in rendered and 'href="http://x.example"' not in rendered
    assert "<em>เน้น</em>" not in rendered and "<code>code</code>" not in rendered and "<s>" not in rendered
    # What people typed reads back as typed (HTML-escaped once, as any text in a page).
    assert f"{IMG_ESCAPED} *เน้น* _ขีด_ `code` [ลิงก์](http://x.example) ~~ขีดฆ่า~~ | ท่อ กลับด้าน" in rendered
    assert "=1+1 ให้ทุกกลุ่ม **ส่ง** &lt;b&gt;รายงาน&lt;/b&gt;" in rendered
    # A typed `#` or `>` starts no heading or quote; the agenda keeps its numbers.
    assert "<h1>ไม่ใช่หัวข้อ</h1>" not in rendered and "# ไม่ใช่หัวข้อ" in rendered
    assert "<blockquote>" not in rendered and "&gt; ไม่ใช่คำพูด" in rendered
    assert "1. วาระแรก" in md
    # The action item's table keeps its four columns though the task has a `|`.
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 3 and "\\|" in row and "<td>-ทำบัญชี | ทุกเดือน</td>" in rendered


def test_the_minutes_in_line_and_the_calendars_carry_no_bidi_controls(db, meetbot, hostile, services, line, app):
    services.set_clock(lambda: (START + timedelta(hours=4)).astimezone(timezone.utc))
    messages = line.say(f"บันทึกการประชุม #{hostile.meeting}", user=hostile.coordinator)
    text = "\n".join(m["text"] for m in messages)
    assert "ชม ใจดี" in text and "ประชุมเครือข่าย" in text and "กลับด้าน" in text
    assert no_bidi(text)
    with db.reading() as s:
        direct = minutes_messages(minutes_data(s, get_meeting(s, hostile.meeting)), TZ)
        ics = meeting_ics([get_meeting(s, hostile.meeting)], TZ, calendar_name="นัด\u202eประชุม")
    assert no_bidi("".join(m["text"] for m in direct))
    exported = meetbot("export", "ics", str(hostile.meeting)).stdout_bytes
    if "calendar" not in app.blueprints:
        app.register_blueprint(blueprint)
    feed = app.test_client().get(f"/calendar/{hostile.group}/{calendar_token(TEST_SECRET, hostile.group)}.ics")
    assert feed.status_code == 200
    for data in (ics, exported, feed.data):
        unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
        assert no_bidi(unfolded) and "ประชุมเครือข่าย" in unfolded and "บางหลวง" in unfolded


def test_the_minutes_functions_drop_bidi_controls_from_names(db, hostile):
    with db.reading() as s:
        data = minutes_data(s, get_meeting(s, hostile.meeting))
        for paper in (minutes_markdown(data, TZ), minutes_html(data, TZ)):
            assert no_bidi(paper) and "ชม ใจดี" in paper
        rows = attendance_rows(s, get_meeting(s, hostile.meeting), TZ)
        page = attendance_html(get_meeting(s, hostile.meeting), rows, TZ)
        roll = roll_html(roll_rows(s, date(2027, 1, 1), date(2027, 1, 31), TZ), date(2027, 1, 1), date(2027, 1, 31), TZ)
    assert no_bidi(page) and no_bidi(roll)


# -- ครั้งที่ N/พ.ศ. -----------------------------------------------------------------------------------------


def test_papers_number_meetings_by_series_and_buddhist_era_year(db, meetbot):
    """The network committee meets monthly: its meetings are numbered 1, 2 … anew each พ.ศ. year
    (by the local date: 1 Jan 03:00 in Bangkok is 2570 though it is still 2026 in UTC); a
    cancelled meeting is not counted; a training of another title has numbers of its own."""
    with db.transaction() as s:
        def meeting(title, when, cancelled=False):
            m = create_meeting(s, title=title, starts_at=when, venue_name="วัดบางหลวง", now=CREATED - timedelta(days=60))
            if cancelled:
                cancel_meeting(s, m, now=CREATED - timedelta(days=50))
            return m.id

        december = meeting("ประชุมคณะกรรมการเครือข่าย ครั้งที่ 12", datetime(2026, 12, 10, 9, 0, tzinfo=TZ))
        new_year = meeting("ประชุมคณะกรรมการเครือข่าย", datetime(2027, 1, 1, 3, 0, tzinfo=TZ))
        called_off = meeting("ประชุมคณะกรรมการเครือข่าย", datetime(2027, 1, 15, 9, 0, tzinfo=TZ), cancelled=True)
        training = meeting("อบรมการทำบัญชี", datetime(2027, 2, 1, 9, 0, tzinfo=TZ))
        march = meeting("ประชุม คณะกรรมการเครือข่าย  ครั้งที่ ๒", datetime(2027, 3, 5, 9, 0, tzinfo=TZ))
    expected = {december: "1/2569", new_year: "1/2570", called_off: "2/2570", training: "1/2570", march: "2/2570"}
    for meeting_id, number in expected.items():
        md = meetbot("export", "minutes", str(meeting_id)).stdout
        assert f"ครั้งที่ {number}  \n" in md, (meeting_id, md[:300])
        assert f"ครั้งที่ #{meeting_id}" not in md
        sheet = meetbot("export", "attendance", str(meeting_id), "--format", "html").stdout
        assert f"<p>ครั้งที่ {number} " in sheet
    with db.reading() as s:
        messages = minutes_messages(minutes_data(s, get_meeting(s, march)), TZ)
    assert "ครั้งที่ 2/2570 วันศุกร์ที่ 5 มี.ค. 2570" in messages[0]["text"]
