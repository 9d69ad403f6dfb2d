"""Papers made from meetings: the minutes (รายงานการประชุม), the sign-in sheet per group, the roll of
who attended which meetings (for travel allowances and per diems), and calendars (iCalendar).

Pure renderers, Thai by default: data in (`MinutesData`, the rows `attendance_rows` and `roll_rows`
read, meetings), text or bytes out. No Flask, no LINE. The two readers (`attendance_rows`,
`roll_rows`) take a session; every other function only reads what it is given (lazy relationships
of the objects it is given load through their session, so render inside the session).

Times are shown in the zone `tz` (the database keeps UTC); dates the Thai way with the weekday and
the Buddhist-era year (`วันเสาร์ที่ 15 ส.ค. 2569`), times as `09.00 น.`.

What comes from people (titles, notes, names, venues, group names) is never trusted: escaped in
HTML and Markdown so it reads as text, written to CSV and XLSX through `spreadsheet_cell` (never a
live formula), and without bidirectional control characters anywhere (models/safe_text.py); photos
are embedded only when their bytes really are JPEG or PNG (the stored content type is not trusted)
and small enough. See docs/papers.md for the formats and their columns.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.attendance import Attendance, Method, attendance_of, attended_between
from thai.when import BANGKOK, format_thai_date, format_thai_time
from models.line_limits import MAX_MESSAGES_PER_REQUEST, MAX_TEXT_UTF16, split_text, utf16_len
from models.meetings import Answer, Meeting, MeetingStatus, Response
from models.minutes import MinutesData, line_name_beside, meeting_number, person_label
from models.network import FinancialGroup, GroupKind
from models.notes import TAG_PATTERN, Note, NotePhoto, Tag
from models.people import Person, Role
from models.safe_text import spreadsheet_cell, strip_bidi
from models.tally import GroupState, tally

__all__ = [
    "ANSWER_THAI",
    "MAX_EMBED_PHOTO_BYTES",
    "MAX_EMBED_TOTAL_BYTES",
    "attendance_csv",
    "attendance_html",
    "attendance_rows",
    "attendance_xlsx",
    "meeting_ics",
    "meeting_uid",
    "minutes_html",
    "minutes_markdown",
    "minutes_messages",
    "roll_csv",
    "roll_html",
    "roll_rows",
]

MAX_EMBED_PHOTO_BYTES = 3 * 1024 * 1024   # one photo embedded in the minutes' HTML
MAX_EMBED_TOTAL_BYTES = 25 * 1024 * 1024  # all of them together (the file must still open on a phone)
UID_DOMAIN = "meetbot"
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it; without it Thai becomes mojibake

FONT_STACK = '"Sarabun", "TH Sarabun New", "Noto Sans Thai", "Tahoma", sans-serif'
XLSX_FONT = "TH Sarabun New"

ANSWER_THAI = {**Response.THAI, None: "ยังไม่ตอบ"}
STATE_THAI = {GroupState.GOING: "มา", GroupState.MAYBE: "ไม่แน่ใจ", GroupState.NOT_GOING: "ไม่มา",
              GroupState.UNANSWERED: "ยังไม่ตอบ"}
METHOD_THAI = {Method.SELF: "ลงชื่อเอง", Method.BUTTON: "ลงชื่อเอง (ปุ่ม)", Method.PROXY: "คุณอำนวยลงชื่อแทน"}
OTHERS = "ผู้เข้าร่วมอื่น ๆ"  # people checked in or answering outside any invited group
NO_NAME = "(ไม่ระบุชื่อ)"


# --------------------------------------------------------------------------- small helpers


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    return _aware(dt).astimezone(tz)


def _thai_date(value: date | datetime, tz: ZoneInfo) -> str:
    return format_thai_date(_aware(value) if isinstance(value, datetime) else value, tz)


def _thai_time(dt: datetime, tz: ZoneInfo) -> str:
    return format_thai_time(_aware(dt), tz)


def _clock(dt: datetime, tz: ZoneInfo) -> str:
    local = _local(dt, tz)
    return f"{local.hour:02d}.{local.minute:02d}"


def _time_range(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    """`09.00–12.00 น.`; across midnight the end's date is written too."""
    if end is None or end <= start:
        return _thai_time(start, tz)
    if _local(start, tz).date() == _local(end, tz).date():
        return f"{_clock(start, tz)}–{_clock(end, tz)} น."
    return f"{_thai_time(start, tz)} ถึง{_thai_date(end, tz)} {_thai_time(end, tz)}"


def _venue(meeting: Meeting) -> str:
    return " ".join(filter(None, [meeting.venue_name, meeting.venue_address])) or "(ยังไม่ระบุสถานที่)"


_SPACES = re.compile(r"[ \t\u200b]+")


def _note_text(text: str) -> str:
    """A note as it reads in the minutes: without its `#มติ`-style tags, spaces tidied, lines kept."""
    lines = [_SPACES.sub(" ", TAG_PATTERN.sub("", line)).strip() for line in (text or "").splitlines()]
    return "\n".join(line for line in lines if line) or "-"


def _one_line(text: str) -> str:
    return " / ".join((text or "").splitlines())


def _owner_label(note: Note) -> str:
    """An action item's owner; a forgotten owner is not named even if the note kept the name."""
    owner = note.owner
    if owner is not None and owner.forgotten_at is not None:
        return NO_NAME
    return note.owner_name or (person_label(owner) if owner is not None else "") or "-"


def _live_photos(note: Note) -> list[NotePhoto]:
    return [p for p in note.photos if p.deleted_at is None]


def _image_type(data: bytes | None) -> str | None:
    """The image type by its first bytes (never the stored content type): JPEG or PNG, else None."""
    if not data:
        return None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _e(text: Any) -> str:
    return html.escape(strip_bidi("" if text is None else str(text)), quote=True)


def _e_lines(text: str) -> str:
    return "<br>".join(_e(line) for line in (text or "").splitlines())


# --------------------------------------------------------------------------- minutes: one reading


@dataclass
class _NoteLine:
    at: str
    author: str
    text: str
    tags: list[str]
    photos: list[NotePhoto]


@dataclass
class _Action:
    text: str
    owner: str
    due: str


@dataclass
class _Minutes:
    code: str
    number: str  # `1/2569`: the meeting's number in its series and Buddhist-era year (ครั้งที่)
    meeting_id: int
    title: str
    date: str
    time_range: str
    start: str
    end: str
    venue: str
    map_url: str | None
    status: str | None
    agenda: list[str]
    present: list[tuple[str, list[str]]]
    absent: list[str]
    attended: int
    groups_present: int
    groups_invited: int
    proxies: int
    notes: list[_NoteLine]
    resolutions: list[str]
    problems: list[str]
    actions: list[_Action]
    recorders: list[str]
    photo_count: int = 0
    photos: list[NotePhoto] = field(default_factory=list)


def _read_minutes(data: MinutesData, tz: ZoneInfo) -> _Minutes:
    m = data.meeting
    notes = []
    photos: list[NotePhoto] = []
    for note in data.notes:
        live = _live_photos(note)
        photos += live
        notes.append(_NoteLine(at=_thai_time(note.created_at, tz), author=person_label(note.author),
                               text=_note_text(note.text), tags=[Tag.THAI[t] for t in note.tags if t in Tag.THAI],
                               photos=live))
    actions = [_Action(text=_note_text(n.text), owner=_owner_label(n),
                       due=_thai_date(n.due_date, tz) if n.due_date else "-") for n in data.actions]
    invited_ids = {inv.group_id for inv in m.invitations}
    # Groups in the summary's order (sub-district, village, kind); uninvited ones after, "others" last.
    rank = {g.name: i for i, g in enumerate(sorted((inv.group for inv in m.invitations), key=_group_sort_key))}
    last = len(rank)

    def place(name: str) -> int:
        return rank.get(name, last + 1 if name == OTHERS else last)

    present_invited = len({a.group_id for a in data.attendance if a.group_id in invited_ids})
    return _Minutes(
        code=m.code, number=meeting_number(m, tz), meeting_id=m.id, title=m.title, date=_thai_date(m.starts_at, tz),
        time_range=_time_range(m.starts_at, m.ends_at, tz), start=_thai_time(m.starts_at, tz),
        end=_thai_time(m.ends_at, tz), venue=_venue(m), map_url=m.map_url,
        status=MeetingStatus.THAI.get(m.status) if m.status in (MeetingStatus.CANCELLED, MeetingStatus.MOVED) else None,
        agenda=[line.rstrip() for line in (m.agenda or "").splitlines() if line.strip()],
        present=sorted(data.present, key=lambda p: place(p[0])), absent=sorted(data.absent_groups, key=place),
        attended=len(data.attendance),
        groups_present=present_invited, groups_invited=len(invited_ids),
        proxies=sum(1 for a in data.attendance if a.method == Method.PROXY),
        notes=notes, resolutions=[_note_text(n.text) for n in data.resolutions],
        problems=[_note_text(n.text) for n in data.problems], actions=actions, recorders=data.recorders,
        photo_count=len(photos), photos=photos)


def _counts_line(mm: _Minutes) -> str:
    text = f"มาประชุม {mm.attended} คน"
    if mm.groups_invited:
        text += f" จาก {mm.groups_present} กลุ่ม (เชิญ {mm.groups_invited} กลุ่ม)"
    if mm.proxies:
        text += f" · คุณอำนวยลงชื่อแทน {mm.proxies} คน"
    return text


# Markdown (and the raw HTML it allows) inside a line: emphasis, code, links, images, tables,
# strike-through, autolinks and tags, entities. Escaped with a backslash, they show as typed.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# At the start of a line: headings, quotes, list items, setext underlines (`===`, `---`).
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d{1,9}(?=[.)]))")


def _md(text: str, *, numbered: bool = False) -> str:
    """User text in a Markdown line, to render as the very text typed: Markdown and HTML are
    escaped, a line break stays a line break. `numbered` keeps a leading `1.` a list number (the
    agenda, typed as a numbered list)."""
    lines = []
    for line in strip_bidi(text).splitlines() or [""]:
        line = _MD_INLINE.sub(r"\\\1", line)
        if not (numbered and re.match(r"\s*\d{1,9}[.)]\s", line)):
            line = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit()
                                                                else m.group(2) + "\\"), line)
        lines.append(line)
    return "  \n  ".join(lines)


def _md_cell(text: str) -> str:
    return _md(_one_line(text))


def minutes_markdown(data: MinutesData, tz: ZoneInfo = BANGKOK) -> str:
    """The minutes in the usual Thai structure, as Markdown (readable as plain text too)."""
    mm = _read_minutes(data, tz)
    out = ["# รายงานการประชุม", "", f"**{_md(mm.title)}**", ""]
    out.append(f"ครั้งที่ {mm.number}  ")
    out.append(f"วันที่ {mm.date}  ")
    out.append(f"เวลา {mm.time_range}  ")
    out.append(f"ณ {_md(mm.venue)}")
    if mm.status:
        out += ["", f"**สถานะ: {mm.status}**"]
    out += ["", "## ผู้มาประชุม", ""]
    if mm.present:
        for group, names in mm.present:
            out.append(f"**{_md(group)}** ({len(names)} คน)")
            out.append("")
            out += [f"{i}. {_md(name)}" for i, name in enumerate(names, 1)]
            out.append("")
    else:
        out += ["(ยังไม่มีผู้ลงชื่อเข้าประชุม)", ""]
    out += ["## ผู้ไม่มาประชุม", ""]
    out += [f"- {_md(g)}" for g in mm.absent] or ["(ไม่มี)"]
    out += ["", "## ผู้เข้าร่วมประชุม", "", _counts_line(mm), "", f"## เริ่มประชุมเวลา {mm.start}", ""]
    if mm.agenda:
        out += ["## ระเบียบวาระ", ""] + [f"{_md(line, numbered=True)}  " for line in mm.agenda] + [""]
    out += ["## บันทึก", ""]
    for n in mm.notes:
        extra = (f" _[{', '.join(n.tags)}]_" if n.tags else "") + (
            f" (ภาพประกอบ {len(n.photos)} ภาพ)" if n.photos else "")
        out.append(f"- **{n.at}** {_md(n.author)}: {_md(n.text)}{extra}")
    if not mm.notes:
        out.append("(ไม่มีบันทึก)")
    out += ["", "## มติที่ประชุม", ""]
    out += [f"{i}. {_md(text)}" for i, text in enumerate(mm.resolutions, 1)] or ["(ไม่มี)"]
    out += ["", "## ปัญหา", ""]
    out += [f"{i}. {_md(text)}" for i, text in enumerate(mm.problems, 1)] or ["(ไม่มี)"]
    out += ["", "## งานที่ต้องทำ", ""]
    if mm.actions:
        out += ["| ลำดับ | งาน | ผู้รับผิดชอบ | กำหนดเสร็จ |", "|---|---|---|---|"]
        out += [f"| {i} | {_md_cell(a.text)} | {_md_cell(a.owner)} | {a.due} |" for i, a in enumerate(mm.actions, 1)]
    else:
        out.append("(ไม่มี)")
    if mm.photo_count:
        out += ["", f"ภาพประกอบ {mm.photo_count} ภาพ (อยู่ในไฟล์ HTML: meetbot export minutes {mm.meeting_id} --format html)"]
    out += ["", f"## ปิดประชุมเวลา {mm.end}", "", "## ผู้บันทึกรายงานการประชุม", ""]
    out += [f"- {_md(name)}" for name in mm.recorders] or ["(ไม่ระบุ)"]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- HTML pages

_BASE_CSS = f"""
@page {{ size: A4; margin: 15mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 13pt; line-height: 1.5; color: #000; margin: 0 auto; max-width: 180mm; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 2mm; }}
h2 {{ font-size: 14pt; margin: 5mm 0 1mm; border-bottom: 1px solid #999; }}
h3 {{ font-size: 13pt; margin: 3mm 0 1mm; }}
p {{ margin: 1mm 0; }}
.center {{ text-align: center; }}
.muted {{ color: #444; }}
table {{ width: 100%; border-collapse: collapse; margin: 2mm 0; }}
th, td {{ border: 1px solid #000; padding: 1mm 2mm; vertical-align: top; text-align: left; }}
th {{ background: #eee; font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
figure {{ margin: 2mm 0; break-inside: avoid; }}
figure img {{ max-width: 100%; max-height: 120mm; }}
.status {{ color: #b91c1c; font-weight: bold; text-align: center; }}
@media print {{ a {{ color: #000; text-decoration: none; }} }}
"""


def _page(title: str, body: str, css: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{_BASE_CSS}{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _photo_figures(photos: list[NotePhoto], budget: list[int]) -> str:
    out = []
    for photo in photos:
        kind = _image_type(photo.data)
        if kind is None:
            why = "ยังไม่ได้รับภาพจาก LINE" if photo.data is None else "ไม่ใช่ไฟล์ JPEG/PNG"
            out.append(f"<p class=\"muted\">[ภาพประกอบ: {why}]</p>")
        elif len(photo.data) > MAX_EMBED_PHOTO_BYTES or len(photo.data) > budget[0]:
            out.append(f"<p class=\"muted\">[ภาพประกอบขนาด {len(photo.data) // 1024:,} KB ใหญ่เกินกว่าจะใส่ในไฟล์]</p>")
        else:
            budget[0] -= len(photo.data)
            encoded = base64.b64encode(photo.data).decode("ascii")
            out.append(f"<figure><img src=\"data:{kind};base64,{encoded}\" alt=\"ภาพประกอบ\"></figure>")
    return "".join(out)


def minutes_html(data: MinutesData, tz: ZoneInfo = BANGKOK) -> str:
    """The minutes as one self-contained HTML page (A4 when printed; photos embedded)."""
    mm = _read_minutes(data, tz)
    budget = [MAX_EMBED_TOTAL_BYTES]
    b = ["<h1>รายงานการประชุม</h1>", f"<p class=\"center\"><strong>{_e(mm.title)}</strong></p>",
         f"<p class=\"center\">ครั้งที่ {_e(mm.number)} &nbsp; วันที่ {_e(mm.date)} &nbsp; เวลา {_e(mm.time_range)}</p>",
         f"<p class=\"center\">ณ {_e(mm.venue)}"
         + (f" (<a href=\"{_e(mm.map_url)}\">แผนที่</a>)" if mm.map_url else "") + "</p>"]
    if mm.status:
        b.append(f"<p class=\"status\">สถานะ: {_e(mm.status)}</p>")
    b.append("<h2>ผู้มาประชุม</h2>")
    if mm.present:
        for group, names in mm.present:
            b.append(f"<h3>{_e(group)} ({len(names)} คน)</h3><ol>"
                     + "".join(f"<li>{_e(n)}</li>" for n in names) + "</ol>")
    else:
        b.append("<p>(ยังไม่มีผู้ลงชื่อเข้าประชุม)</p>")
    b.append("<h2>ผู้ไม่มาประชุม</h2>")
    b.append("<ul>" + "".join(f"<li>{_e(g)}</li>" for g in mm.absent) + "</ul>" if mm.absent else "<p>(ไม่มี)</p>")
    b.append(f"<h2>ผู้เข้าร่วมประชุม</h2><p>{_e(_counts_line(mm))}</p>")
    b.append(f"<h2>เริ่มประชุมเวลา {_e(mm.start)}</h2>")
    if mm.agenda:
        b.append("<h2>ระเบียบวาระ</h2>" + "".join(f"<p>{_e(line)}</p>" for line in mm.agenda))
    b.append("<h2>บันทึก</h2>")
    if mm.notes:
        rows = []
        for n in mm.notes:
            tags = f" <em>[{_e(', '.join(n.tags))}]</em>" if n.tags else ""
            rows.append(f"<tr><td>{_e(n.at)}</td><td>{_e(n.author)}</td><td>{_e_lines(n.text)}{tags}"
                        f"{_photo_figures(n.photos, budget)}</td></tr>")
        b.append("<table><thead><tr><th style=\"width:18mm\">เวลา</th><th style=\"width:35mm\">ผู้บันทึก</th>"
                 "<th>บันทึก</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    else:
        b.append("<p>(ไม่มีบันทึก)</p>")
    for heading, items in (("มติที่ประชุม", mm.resolutions), ("ปัญหา", mm.problems)):
        b.append(f"<h2>{heading}</h2>")
        b.append("<ol>" + "".join(f"<li>{_e_lines(t)}</li>" for t in items) + "</ol>" if items else "<p>(ไม่มี)</p>")
    b.append("<h2>งานที่ต้องทำ</h2>")
    if mm.actions:
        b.append("<table><thead><tr><th style=\"width:12mm\">ลำดับ</th><th>งาน</th><th>ผู้รับผิดชอบ</th>"
                 "<th>กำหนดเสร็จ</th></tr></thead><tbody>"
                 + "".join(f"<tr><td>{i}</td><td>{_e_lines(a.text)}</td><td>{_e(a.owner)}</td><td>{_e(a.due)}</td></tr>"
                           for i, a in enumerate(mm.actions, 1)) + "</tbody></table>")
    else:
        b.append("<p>(ไม่มี)</p>")
    if mm.photo_count:
        b.append(f"<p>ภาพประกอบ {mm.photo_count} ภาพ</p>")
    b.append(f"<h2>ปิดประชุมเวลา {_e(mm.end)}</h2>")
    b.append("<h2>ผู้บันทึกรายงานการประชุม</h2>")
    b.append("".join(f"<p>ลงชื่อ ........................................ ({_e(name)})</p>" for name in mm.recorders)
             or "<p>ลงชื่อ ........................................ ผู้บันทึกรายงานการประชุม</p>")
    return _page(f"รายงานการประชุม ครั้งที่ {mm.number} {mm.title}", "\n".join(b))


# --------------------------------------------------------------------------- minutes in LINE


def _text_lines(mm: _Minutes, *, names: bool, say=None) -> list[tuple[str, bool]]:
    """The chat version, line by line; the flag marks note lines (the part cut first).
    `say(key, **fields)`: the catalogue in the reader's language (Thai when not given)."""
    if say is None:
        from handlers.texts import t

        def say(key: str, **fields) -> str:
            return t("th", key, **fields)

    lines: list[tuple[str, bool]] = [(say("minutes_heading", code=mm.code), False), (mm.title, False),
                                     (say("minutes_when", number=mm.number, date=mm.date, time=mm.time_range), False),
                                     (say("minutes_venue", venue=mm.venue), False)]
    if mm.status:
        lines.append((say("minutes_status", status=mm.status), False))
    counts = say("minutes_attended", n=mm.attended)
    if mm.groups_invited:
        counts += say("minutes_attended_groups", present=mm.groups_present, invited=mm.groups_invited)
    if mm.proxies:
        counts += say("minutes_attended_proxies", n=mm.proxies)
    lines += [("", False), (say("minutes_present", counts=counts), False)]
    for group, people in mm.present:
        lines.append((f"• {group} ({len(people)})" + (f": {', '.join(people)}" if names else ""), False))
    if mm.absent:
        lines.append((say("minutes_absent", n=len(mm.absent), names=", ".join(mm.absent)), False))
    if mm.agenda:
        lines += [("", False), (say("minutes_agenda"), False)] + [(line, False) for line in mm.agenda]
    for heading, items in ((say("minutes_resolutions"), mm.resolutions), (say("minutes_problems"), mm.problems)):
        if items:
            lines += [("", False), (heading, False)]
            lines += [(f"{i}. {_one_line(t)}", False) for i, t in enumerate(items, 1)]
    if mm.actions:
        lines += [("", False), (say("minutes_actions"), False)]
        lines += [(f"{i}. {_one_line(a.text)}" + say("minutes_action_owner", owner=a.owner)
                   + (say("minutes_action_due", due=a.due) if a.due != "-" else ""),
                   False) for i, a in enumerate(mm.actions, 1)]
    lines += [("", False), (say("minutes_notes", n=len(mm.notes)), False)]
    for n in mm.notes:
        photo = say("minutes_note_photos", n=len(n.photos)) if n.photos else ""
        lines.append((f"{n.at[:5]} {n.author}: {_one_line(n.text)}{photo}", True))
    if mm.photo_count:
        lines.append((say("minutes_photos", n=mm.photo_count), False))
    lines += [("", False), (say("minutes_start_end", start=mm.start, end=mm.end), False)]
    if mm.recorders:
        lines.append((say("minutes_recorders", names=", ".join(mm.recorders)), False))
    # Plain text in LINE needs no escaping, but a right-to-left override in a name or a note would
    # turn the rest of the message around.
    return [(strip_bidi(line), is_note) for line, is_note in lines]


def _in_language(mm: _Minutes, data: MinutesData, tz: ZoneInfo, lang: str) -> _Minutes:
    """The minutes' dates, times and status in the reader's language (the papers stay Thai)."""
    if lang != "en":
        return mm
    from dataclasses import replace

    from handlers.texts import date_text, status_word, time_text

    m = data.meeting
    start, end = time_text(m.starts_at, tz, lang), time_text(m.ends_at, tz, lang)
    same_day = m.ends_at and _local(m.starts_at, tz).date() == _local(m.ends_at, tz).date()
    return replace(
        mm, date=date_text(m.starts_at, tz, lang), start=start, end=end,
        time_range=f"{start}–{end}" if same_day else f"{start} – {date_text(m.ends_at, tz, lang)} {end}",
        status=status_word(lang, m.status) if mm.status else None,
        venue=" ".join(filter(None, [m.venue_name, m.venue_address])) or "-",
        actions=[replace(a, due=date_text(n.due_date, tz, lang) if n.due_date else "-")
                 for a, n in zip(mm.actions, data.actions)])


def _pack(lines: list[str], limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            if current.strip():
                out.append(current)
            current = line
    if current.strip():
        out.append(current)
    return out


def minutes_messages(data: MinutesData, tz: ZoneInfo = BANGKOK, *, lang: str = "th",
                     max_messages: int = MAX_MESSAGES_PER_REQUEST) -> list[dict[str, Any]]:
    """The minutes as LINE text messages: each at most 5,000 UTF-16 units, at most `max_messages`.

    When the whole does not fit, the attendees' names give way to counts per group, then the notes
    are cut from the end, and the last message says so and names the command that prints it all.
    """
    if max_messages < 1:
        raise ValueError("max_messages must be at least 1")
    from handlers.texts import t

    mm = _in_language(_read_minutes(data, tz), data, tz, lang)
    limit = MAX_TEXT_UTF16

    def say(key: str, **fields) -> str:
        return t(lang, key, **fields)

    def pieces(lines: list[str], room: int) -> list[str]:
        expanded = [p for line in lines for p in (split_text(line, room) if utf16_len(line) > room else [line])]
        return _pack(expanded, room)

    full = [line for line, _ in _text_lines(mm, names=True, say=say)]
    texts = pieces(full, limit)
    if len(texts) <= max_messages:
        return [{"type": "text", "text": t.strip("\n")} for t in texts]

    condensed = _text_lines(mm, names=False, say=say)
    total_notes = sum(1 for _, is_note in condensed if is_note)

    def notice(shown: int) -> str:
        left = total_notes - shown
        return (say("minutes_cut") + (say("minutes_cut_left", n=left) if left > 0 else "")
                + say("minutes_cut_full", code=mm.meeting_id))

    # Room for the notice in the last message (its longest form), then fill line by line.
    room_last = limit - utf16_len(notice(0)) - 2
    out: list[str] = []
    current = ""
    shown = 0
    for line, is_note in condensed:
        room = room_last if len(out) == max_messages - 1 else limit
        parts = split_text(line, room_last) if utf16_len(line) > room_last else [line]
        stop = False
        for part in parts:
            candidate = f"{current}\n{part}" if current else part
            if utf16_len(candidate) <= room:
                current = candidate
                continue
            if len(out) == max_messages - 1:
                stop = True
                break
            out.append(current)
            current = part
            room = room_last if len(out) == max_messages - 1 else limit
        if stop:
            break
        shown += int(is_note)
    tail = notice(shown)
    if current.strip() and utf16_len(current.rstrip()) + 2 + utf16_len(tail) <= limit:
        out.append(current.rstrip() + "\n\n" + tail)
    else:  # only before the last message, so there is a message left for the notice
        out.append(current)
        out.append(tail)
    return [{"type": "text", "text": t.strip("\n")} for t in out if t.strip()]


# --------------------------------------------------------------------------- sign-in sheets


def _group_sort_key(group: FinancialGroup) -> tuple:
    sub = group.sub_district.name if group.sub_district else "\uffff"
    village = group.village.number if group.village else 10_000
    return (sub, village, GroupKind.ALL.index(group.kind) if group.kind in GroupKind.ALL else 9, group.name)


def _village_label(group: FinancialGroup | None) -> str:
    return f"หมู่ {group.village.number}" if group is not None and group.village is not None else ""


def _sub_label(group: FinancialGroup | None) -> str:
    return group.sub_district.label if group is not None and group.sub_district is not None else ""


def _role_thai(person: Person, group_id: int | None, answered_for_group: bool) -> str:
    if person.forgotten_at is not None:
        return ""
    if group_id is not None and (person.has_role(Role.LEADER, group_id) or answered_for_group):
        return Role.THAI[Role.LEADER]
    if group_id is not None and person.has_role(Role.MEMBER, group_id):
        return Role.THAI[Role.MEMBER]
    for role in (Role.COORDINATOR, Role.FACILITATOR):
        if person.has_role(role):
            return Role.THAI[role]
    if person.has_role(Role.LEADER):
        return Role.THAI[Role.LEADER]
    return "ผู้เข้าร่วม"


def attendance_rows(session: Session, meeting: Meeting, tz: ZoneInfo = BANGKOK) -> list[dict[str, Any]]:
    """The sign-in sheet's rows: per group a header row (`"row": "group"`) then its people (`"row": "person"`).

    Groups: every invited group (in the summary's order: sub-district, village, kind), then groups
    someone checked in or answered for without an invitation, then `ผู้เข้าร่วมอื่น ๆ` (no group).
    People: everyone who checked in (under the group they checked in for) and everyone who answered
    without checking in (under each group they answered for), so the officer sees who was expected.
    Within a group, those who checked in come first, in the order they did.
    """
    t = tally(session, meeting)
    answers = list(session.scalars(select(Answer).where(Answer.meeting_id == meeting.id).order_by(Answer.id)))
    attendance = attendance_of(session, meeting.id)
    person_ids = {a.person_id for a in answers} | {a.person_id for a in attendance} | {
        a.by_person_id for a in attendance if a.by_person_id}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids))
                                                .options(selectinload(Person.roles)))} if person_ids else {}
    group_ids = ({inv.group_id for inv in meeting.invitations} | {a.group_id for a in answers if a.group_id}
                 | {a.group_id for a in attendance if a.group_id})
    groups = {g.id: g for g in session.scalars(
        select(FinancialGroup).where(FinancialGroup.id.in_(group_ids))
        .options(selectinload(FinancialGroup.village), selectinload(FinancialGroup.sub_district)))} if group_ids else {}

    order: list[int | None] = [g.group_id for g in t.groups]
    listed = set(order)
    extra = sorted((gid for gid in group_ids if gid not in listed), key=lambda gid: _group_sort_key(groups[gid]))
    order += extra + [None]

    own: dict[tuple[int | None, int], Answer] = {}
    lead: dict[int, Answer] = {}
    for answer in answers:
        own[(answer.group_id, answer.person_id)] = answer
        if answer.for_group and answer.group_id is not None:
            if answer.group_id not in lead or answer.updated_at > lead[answer.group_id].updated_at:
                lead[answer.group_id] = answer
    checked = {a.person_id: a for a in attendance}

    members: dict[int | None, list[tuple[int, Attendance | None]]] = defaultdict(list)
    for a in attendance:
        members[a.group_id if a.group_id in groups else None].append((a.person_id, a))
    for answer in answers:
        if answer.person_id in checked:
            continue
        gid = answer.group_id if answer.group_id in groups else None
        if all(pid != answer.person_id for pid, _ in members[gid]):
            members[gid].append((answer.person_id, None))

    invitations = {inv.group_id: inv for inv in meeting.invitations}
    rows: list[dict[str, Any]] = []
    for gid in order:
        listed = members.get(gid, [])
        if gid is None and not listed:
            continue
        group = groups.get(gid) if gid is not None else None
        gt = t.group(gid) if gid is not None else None
        attended = sum(1 for _, a in listed if a is not None)
        header = {
            "row": "group", "group_id": gid, "group": group.name if group else OTHERS,
            "kind": group.kind if group else None, "village": _village_label(group), "sub_district": _sub_label(group),
            "invited": gid in invitations, "quota": invitations[gid].quota if gid in invitations else None,
            "coming": gt.coming if gt else None, "maybe": gt.maybe if gt else None,
            "not_coming": gt.not_coming if gt else None,
            "state": STATE_THAI[gt.state] if gt else "", "attended": attended, "listed": len(listed),
        }
        rows.append(header)
        for number, (pid, att) in enumerate(listed, 1):
            person = people[pid]
            mine = own.get((gid, pid)) or (own.get((att.group_id, pid)) if att else None)
            if mine is None and gid is None:
                mine = next((a for (g, p), a in own.items() if p == pid), None)
            group_answer = lead.get(gid) if gid is not None else None
            if mine is not None:
                answer_code, source = mine.response, "own"
                answer_text = ANSWER_THAI[mine.response] + (f" {mine.headcount} คน" if mine.for_group
                                                            and mine.response == Response.GOING else "")
            elif group_answer is not None:
                answer_code, source = group_answer.response, "group"
                answer_text = f"{ANSWER_THAI[group_answer.response]} (ตามผู้นำกลุ่ม)"
            else:
                answer_code, source, answer_text = None, None, ANSWER_THAI[None]
            by_person = people.get(att.by_person_id) if att and att.by_person_id else None
            if att is None:
                by = ""
            elif att.method == Method.PROXY:
                by = f"แทนโดย {person_label(by_person)}" if by_person else "คุณอำนวยลงชื่อแทน"
            else:
                by = "ตนเอง"
            rows.append({
                "row": "person", "no": number, "group_id": gid, "group": header["group"],
                "village": header["village"], "sub_district": header["sub_district"],
                "person_id": pid, "name": person_label(person), "line_name": line_name_beside(person),
                "role": _role_thai(person, gid, bool(mine and mine.for_group)),
                "answer": answer_text, "answer_code": answer_code, "answer_source": source,
                "headcount": mine.headcount if mine is not None and mine.for_group else None,
                "checked_in": att is not None,
                "checked_in_at": _thai_time(att.checked_in_at, tz) if att else "",
                "checked_in_at_iso": _local(att.checked_in_at, tz).isoformat(timespec="seconds") if att else "",
                "method": att.method if att else None, "method_th": METHOD_THAI.get(att.method, "") if att else "",
                "by": by, "by_name": person_label(by_person) if by_person else "",
                "signature": "",
                "group_quota": header["quota"], "group_coming": header["coming"], "group_attended": attended,
            })
    return rows


ATTENDANCE_COLUMNS = [
    ("no", "ลำดับ"), ("sub_district", "ตำบล"), ("village", "หมู่"), ("group", "กลุ่ม"), ("name", "ชื่อ-สกุล"),
    ("role", "บทบาท"), ("answer", "ตอบนัด"), ("present", "มาประชุม"), ("checked_in_at", "เวลาลงชื่อ"),
    ("by", "ลงชื่อโดย"), ("group_quota", "โควตากลุ่ม"), ("group_coming", "กลุ่มตอบว่ามา"),
    ("group_attended", "กลุ่มมาจริง"), ("line_name", "ชื่อใน LINE"), ("signature", "ลายมือชื่อ"),
]


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(v) for v in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
    return BOM + buffer.getvalue()


def _flat_attendance(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """One line per person; a group nobody is listed in still gets one line, so no group is lost."""
    out = []
    for i, row in enumerate(rows):
        if row["row"] == "group":
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if nxt is None or nxt["row"] == "group":
                out.append(["", row["sub_district"], row["village"], row["group"], "(ยังไม่มีรายชื่อ)", "",
                            row["state"] or "", "", "", "", row["quota"], row["coming"], row["attended"], "", ""])
            continue
        values = dict(row, present="มา" if row["checked_in"] else "ไม่ได้ลงชื่อ")
        out.append([values.get(key) for key, _ in ATTENDANCE_COLUMNS])
    return out


def attendance_csv(rows: list[dict[str, Any]]) -> str:
    """The sign-in sheet as CSV: UTF-8 with a BOM (Excel then shows Thai), CRLF, one line per person."""
    return _csv([title for _, title in ATTENDANCE_COLUMNS], _flat_attendance(rows))


def _meeting_lines(meeting: Meeting | None, tz: ZoneInfo) -> list[str]:
    if meeting is None:
        return []
    return [meeting.title,
            f"ครั้งที่ {meeting_number(meeting, tz)} {_thai_date(meeting.starts_at, tz)} เวลา "
            f"{_time_range(meeting.starts_at, meeting.ends_at, tz)}",
            f"ณ {_venue(meeting)}"]


def _group_facts(row: dict[str, Any]) -> str:
    parts = [p for p in (row["sub_district"], row["village"]) if p]
    if row["invited"]:
        parts.append(f"โควตา {row['quota']} คน" if row["quota"] is not None else "ไม่กำหนดโควตา")
        parts.append(f"ตอบว่ามา {row['coming']} คน")
    parts.append(f"มาจริง {row['attended']} คน")
    return " · ".join(parts)


XLSX_LINE_POINTS = 20  # one line of TH Sarabun New 14 in a row's height
XLSX_CHARS_PER_WIDTH = 1.15  # Thai letters of TH Sarabun New 14 per unit of column width (a narrow font)


def _xlsx_put(ws, row: int, column: int, value: Any):
    """Every cell of the workbook is written here: through `spreadsheet_cell` (a formula-like text
    gets its `'`), and text stored as a string (data_type "s"), so openpyxl never writes a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    cell.value = spreadsheet_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _xlsx_lines(value: Any, width: float) -> int:
    """How many lines a wrapped cell of that column width shows: its own line breaks, and long
    lines wrapped (Thai vowels and tone marks above and below take no room)."""
    if value is None or value == "":
        return 1
    room = max(1, int(width * XLSX_CHARS_PER_WIDTH))
    total = 0
    for text in str(value).splitlines() or [""]:
        letters = sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")
        total += max(1, -(-letters // room))
    return total


def _xlsx_height(values: Iterable[Any], widths: Iterable[float], minimum: float) -> float:
    """A row tall enough for its most-lined cell, so no two-line cell is clipped."""
    lines = max((_xlsx_lines(v, w) for v, w in zip(values, widths)), default=1)
    return max(minimum, lines * XLSX_LINE_POINTS + 6)


def attendance_xlsx(rows: list[dict[str, Any]], *, meeting: Meeting | None = None, tz: ZoneInfo = BANGKOK) -> bytes:
    """The sign-in sheet as an Excel workbook: sheet `ลงชื่อ` with a section and a page per group
    (A4, Thai font, a tall signature column), and sheet `ข้อมูล` with the flat table (as the CSV)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    wb = Workbook()
    ws = wb.active
    ws.title = "ลงชื่อ"
    font = Font(name=XLSX_FONT, size=14)
    bold = Font(name=XLSX_FONT, size=14, bold=True)
    big = Font(name=XLSX_FONT, size=18, bold=True)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="center")
    columns = [("ลำดับ", 7), ("ชื่อ-สกุล", 30), ("บทบาท", 13), ("ตอบนัด", 14), ("เวลาลงชื่อ", 11),
               ("ลงชื่อโดย", 22), ("ลายมือชื่อ", 26)]
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last_col = get_column_letter(len(columns))
    widths = [width for _, width in columns]

    def line(text: str, style: Font, *, fill: PatternFill | None = None, height: float | None = None) -> None:
        r = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
        cell = _xlsx_put(ws, r, 1, text)
        cell.font = style
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if fill:
            cell.fill = fill
        ws.merge_cells(f"A{r}:{last_col}{r}")
        if height:  # a long title or venue wraps in the merged cell: make room for every line
            ws.row_dimensions[r].height = _xlsx_height([text], [sum(widths) * style.sz / 14], height)

    breaks = RowBreak()
    groups = [i for i, r in enumerate(rows) if r["row"] == "group"]
    heading = _meeting_lines(meeting, tz)  # once: the meeting's number is counted in the database
    for n, start in enumerate(groups):
        header = rows[start]
        end = groups[n + 1] if n + 1 < len(groups) else len(rows)
        line("บัญชีลงชื่อผู้เข้าร่วมประชุม", big, height=28)
        for text in heading:
            line(text, font, height=22)
        line(f"{header['group']} — {_group_facts(header)}", bold, fill=grey, height=24)
        r = ws.max_row + 1
        for c, (title, _) in enumerate(columns, 1):
            cell = _xlsx_put(ws, r, c, title)
            cell.font, cell.border, cell.fill, cell.alignment = bold, border, grey, wrap
        people = rows[start + 1:end]
        for person in people:
            r = ws.max_row + 1
            name = person["name"] + (f"\n(LINE: {person['line_name']})" if person.get("line_name") else "")
            values = [person["no"], name, person["role"], person["answer"], person["checked_in_at"], person["by"], ""]
            for c, value in enumerate(values, 1):
                cell = _xlsx_put(ws, r, c, value)
                cell.font, cell.border, cell.alignment = font, border, wrap
            ws.row_dimensions[r].height = _xlsx_height(values, widths, 30)
        for k in range(_blank_rows(header, len(people))):
            r = ws.max_row + 1
            for c in range(1, len(columns) + 1):
                cell = _xlsx_put(ws, r, c, len(people) + k + 1 if c == 1 else None)
                cell.font, cell.border = font, border
            ws.row_dimensions[r].height = 30
        line("", font)
        line("ลงชื่อ ............................................ ผู้รับรอง", font, height=26)
        line("(............................................)", font, height=22)
        if n + 1 < len(groups):
            breaks.append(Break(id=ws.max_row))
    ws.row_breaks = breaks
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6

    data = wb.create_sheet("ข้อมูล")
    data_widths = [{"group": 30, "name": 28, "line_name": 20, "by": 22, "answer": 14}.get(key, 12)
                   for key, _ in ATTENDANCE_COLUMNS]
    top = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate([[title for _, title in ATTENDANCE_COLUMNS], *_flat_attendance(rows)], 1):
        for c, value in enumerate(values, 1):
            cell = _xlsx_put(data, r, c, value)
            cell.font, cell.alignment = (bold if r == 1 else font), top
        data.row_dimensions[r].height = _xlsx_height(values, data_widths, XLSX_LINE_POINTS + 6)
    for i, width in enumerate(data_widths, 1):
        data.column_dimensions[get_column_letter(i)].width = width
    data.freeze_panes = "A2"
    data.auto_filter.ref = data.dimensions
    data.page_setup.paperSize = data.PAPERSIZE_A4
    data.page_setup.orientation = "landscape"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _blank_rows(header: dict[str, Any], listed: int) -> int:
    """Empty numbered lines for people not on the list (a substitute, a walk-in): up to the quota, 2 to 10."""
    quota = header.get("quota") or 0
    return max(2, min(10, quota - listed))


_SHEET_CSS = """
section.sheet { break-after: page; page-break-after: always; }
section.sheet:last-of-type { break-after: auto; page-break-after: auto; }
.sheet td { height: 11mm; vertical-align: middle; }
.sheet td.no { width: 12mm; text-align: center; }
.sheet td.sign, .sheet th.sign { width: 45mm; }
.head p { margin: 0; text-align: center; }
.group { font-size: 14pt; font-weight: bold; margin-top: 3mm; }
.footer { margin-top: 10mm; text-align: right; }
.footer p { margin: 3mm 0; }
"""


def attendance_html(meeting: Meeting, rows: list[dict[str, Any]], tz: ZoneInfo = BANGKOK) -> str:
    """Sign-in sheets to print: one A4 page (or more) per group, numbered rows tall enough to sign,
    empty lines for walk-ins, and the officer's line at the foot."""
    groups = [i for i, r in enumerate(rows) if r["row"] == "group"]
    heading = _meeting_lines(meeting, tz)  # once: the meeting's number is counted in the database
    sections = []
    for n, start in enumerate(groups):
        header = rows[start]
        end = groups[n + 1] if n + 1 < len(groups) else len(rows)
        people = rows[start + 1:end]
        head = ["<div class=\"head\"><h1>บัญชีลงชื่อผู้เข้าร่วมประชุม</h1>"]
        head += [f"<p>{_e(text)}</p>" for text in heading]
        head.append(f"<p class=\"group\">{_e(header['group'])}</p><p class=\"muted\">{_e(_group_facts(header))}</p></div>")
        body = []
        for p in people:
            when = p["checked_in_at"] + (f"<br><small>{_e(p['by'])}</small>" if p["by"] else "")
            line_name = f"<br><small>LINE: {_e(p['line_name'])}</small>" if p.get("line_name") else ""
            body.append(f"<tr><td class=\"no\">{p['no']}</td><td>{_e(p['name'])}{line_name}</td><td>{_e(p['role'])}</td>"
                        f"<td>{_e(p['answer'])}</td><td>{when}</td><td class=\"sign\"></td></tr>")
        for k in range(_blank_rows(header, len(people))):
            body.append(f"<tr><td class=\"no\">{len(people) + k + 1}</td><td></td><td></td><td></td><td></td>"
                        "<td class=\"sign\"></td></tr>")
        table = ("<table><thead><tr><th>ลำดับ</th><th>ชื่อ-สกุล</th><th>บทบาท</th><th>ตอบนัด</th>"
                 "<th>ลงชื่อเข้าประชุม</th><th class=\"sign\">ลายมือชื่อ</th></tr></thead><tbody>"
                 + "".join(body) + "</tbody></table>")
        footer = ("<div class=\"footer\"><p>ลงชื่อ ............................................ ผู้รับรอง</p>"
                  "<p>(............................................)</p>"
                  "<p>ตำแหน่ง ............................................</p></div>")
        sections.append(f"<section class=\"sheet\">{''.join(head)}{table}{footer}</section>")
    if not sections:
        sections.append("<section class=\"sheet\"><h1>บัญชีลงชื่อผู้เข้าร่วมประชุม</h1>"
                        + "".join(f"<p>{_e(t)}</p>" for t in heading)
                        + "<p>(ยังไม่ได้เชิญกลุ่มใด)</p></section>")
    return _page(f"บัญชีลงชื่อ {meeting.code} {meeting.title}", "\n".join(sections), _SHEET_CSS)


# --------------------------------------------------------------------------- the roll


def roll_rows(session: Session, date_from: date, date_to: date, tz: ZoneInfo = BANGKOK) -> list[dict[str, Any]]:
    """Who attended which meetings between two local dates (inclusive): one row per person and meeting.

    People are ordered by sub-district, village, group and name; each person's meetings by time.
    `n` numbers the people, `meetings` is the person's count in the period (on every row of theirs).
    """
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    lo = datetime.combine(date_from, time(0), tzinfo=tz).astimezone(timezone.utc)
    hi = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)
    found = attended_between(session, lo, hi)
    person_ids = {a.person_id for a, _ in found} | {a.by_person_id for a, _ in found if a.by_person_id}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))} if person_ids else {}
    group_ids = {a.group_id for a, _ in found if a.group_id}
    groups = {g.id: g for g in session.scalars(
        select(FinancialGroup).where(FinancialGroup.id.in_(group_ids))
        .options(selectinload(FinancialGroup.village), selectinload(FinancialGroup.sub_district)))} if group_ids else {}

    by_person: dict[int, list[tuple[Attendance, Meeting]]] = defaultdict(list)
    for att, meeting in found:
        by_person[att.person_id].append((att, meeting))

    def home(pid: int) -> FinancialGroup | None:
        """The group they came for most recently."""
        return next((groups[a.group_id] for a, _ in reversed(by_person[pid]) if a.group_id in groups), None)

    def key(pid: int) -> tuple:
        group = home(pid)
        return (*(_group_sort_key(group) if group else ("\uffff", 10_000, 9, "\uffff")), person_label(people[pid]), pid)

    rows = []
    for n, pid in enumerate(sorted(by_person, key=key), 1):
        person = people[pid]
        group = home(pid)
        for att, meeting in by_person[pid]:
            by_person_obj = people.get(att.by_person_id) if att.by_person_id else None
            came_for = groups.get(att.group_id) if att.group_id else None
            rows.append({
                "n": n, "person_id": pid, "name": person_label(person), "line_name": line_name_beside(person),
                "phone": person.phone or "",
                "group": group.name if group else "", "village": _village_label(group), "sub_district": _sub_label(group),
                "meetings": len(by_person[pid]),
                "meeting_id": meeting.id, "code": meeting.code, "date": _thai_date(meeting.starts_at, tz),
                "date_iso": _local(meeting.starts_at, tz).date().isoformat(), "title": meeting.title,
                "venue": _venue(meeting), "status": meeting.status,
                "came_for": came_for.name if came_for else "",
                "checked_in_at": _thai_time(att.checked_in_at, tz),
                "checked_in_at_iso": _local(att.checked_in_at, tz).isoformat(timespec="seconds"),
                "method": att.method,
                "by": (f"แทนโดย {person_label(by_person_obj)}" if by_person_obj else "คุณอำนวยลงชื่อแทน")
                if att.method == Method.PROXY else "ตนเอง",
            })
    return rows


ROLL_COLUMNS = [
    ("n", "ลำดับ"), ("name", "ชื่อ-สกุล"), ("sub_district", "ตำบล"), ("village", "หมู่"), ("group", "กลุ่ม"),
    ("meetings", "จำนวนครั้ง"), ("code", "รหัสนัด"), ("date", "วันที่"), ("date_iso", "วันที่ (ค.ศ.)"),
    ("title", "การประชุม"), ("venue", "สถานที่"), ("checked_in_at", "เวลาลงชื่อ"), ("by", "ลงชื่อโดย"),
    ("line_name", "ชื่อใน LINE"),
]


def roll_csv(rows: list[dict[str, Any]]) -> str:
    """The roll as CSV (UTF-8 with a BOM): one line per person and meeting attended."""
    return _csv([title for _, title in ROLL_COLUMNS], ([row.get(key) for key, _ in ROLL_COLUMNS] for row in rows))


_ROLL_CSS = """
.roll td { vertical-align: top; }
.roll td.sign { width: 35mm; }
.roll td.no, .roll td.count { text-align: center; width: 12mm; }
.roll ul { margin: 0; padding-left: 5mm; }
.footer { margin-top: 10mm; text-align: right; }
"""


def roll_html(rows: list[dict[str, Any]], date_from: date, date_to: date, tz: ZoneInfo = BANGKOK,
              *, title: str = "บัญชีรายชื่อผู้เข้าร่วมประชุม (ประกอบการเบิกค่าเดินทาง)") -> str:
    """The roll to print: one row per person with every meeting they attended, and a signature column."""
    people: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        people.setdefault(row["person_id"], []).append(row)
    total = sum(len(v) for v in people.values())
    body = [f"<h1>{_e(title)}</h1>",
            f"<p class=\"center\">ระหว่าง{_e(_thai_date(date_from, tz))} ถึง{_e(_thai_date(date_to, tz))}</p>",
            f"<p class=\"center muted\">{len(people)} คน เข้าประชุมรวม {total} ครั้ง</p>"]
    trs = []
    for items in people.values():
        first = items[0]
        meetings = "".join(f"<li>{_e(r['code'])} {_e(r['date'])} {_e(r['title'])} ณ {_e(r['venue'])}"
                           f" (ลงชื่อ {_e(r['checked_in_at'])})</li>" for r in items)
        where = " ".join(filter(None, [first["group"], first["sub_district"] if first["sub_district"]
                                       not in first["group"] else ""]))
        line_name = f" (LINE: {_e(first['line_name'])})" if first.get("line_name") else ""
        trs.append(f"<tr><td class=\"no\">{first['n']}</td><td>{_e(first['name'])}{line_name}<br><small>{_e(where)}</small></td>"
                   f"<td class=\"count\">{len(items)}</td><td><ul>{meetings}</ul></td><td class=\"sign\"></td></tr>")
    body.append("<table class=\"roll\"><thead><tr><th>ลำดับ</th><th>ชื่อ-สกุล / กลุ่ม</th><th>จำนวนครั้ง</th>"
                "<th>การประชุมที่เข้าร่วม</th><th>ลายมือชื่อ</th></tr></thead><tbody>"
                + ("".join(trs) or "<tr><td colspan=\"5\">(ไม่มีผู้เข้าประชุมในช่วงนี้)</td></tr>") + "</tbody></table>")
    body.append("<div class=\"footer\"><p>ลงชื่อ ............................................ ผู้รับรอง</p>"
                "<p>(............................................)</p></div>")
    return _page(title, "\n".join(body), _ROLL_CSS)


# --------------------------------------------------------------------------- calendars


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's life: a move or a cancellation updates the same event."""
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def _sequence(meeting: Meeting) -> int:
    """Grows with every change of the meeting (a move, a cancellation): seconds since it was created."""
    return max(0, int((_aware(meeting.updated_at) - _aware(meeting.created_at)).total_seconds()))


def _description(meeting: Meeting) -> str:
    parts = [f"นัดประชุม {meeting.code}"]
    if meeting.status == MeetingStatus.CANCELLED:
        parts.append("ยกเลิกแล้ว")
    if meeting.agenda:
        parts.append("ระเบียบวาระ:\n" + meeting.agenda.strip())
    if meeting.map_url:
        parts.append(f"แผนที่: {meeting.map_url}")
    return "\n\n".join(parts)


def meeting_ics(meetings: Iterable[Meeting], tz: ZoneInfo = BANGKOK, *, calendar_name: str = "นัดประชุม") -> bytes:
    """An iCalendar (RFC 5545) calendar with one VEVENT per meeting.

    Times are UTC (`…Z`), so no VTIMEZONE is needed; `tz` only names the calendar's zone for
    clients that show it. Folding at 75 octets never splits a UTF-8 character (icalendar does it
    by octets), and text values are escaped by icalendar.
    """
    from icalendar import Alarm, Calendar, Event

    calendar_name = strip_bidi(calendar_name)
    cal = Calendar()
    cal.add("prodid", "-//meetbot//meetbot//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", calendar_name)
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", getattr(tz, "key", str(tz)))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", _aware(meeting.updated_at).astimezone(timezone.utc))
        event.add("created", _aware(meeting.created_at).astimezone(timezone.utc))
        event.add("last-modified", _aware(meeting.updated_at).astimezone(timezone.utc))
        event.add("sequence", _sequence(meeting))
        event.add("dtstart", _aware(meeting.starts_at).astimezone(timezone.utc))
        event.add("dtend", _aware(meeting.ends_at).astimezone(timezone.utc))
        event.add("summary", strip_bidi(meeting.title))
        venue = strip_bidi(" ".join(filter(None, [meeting.venue_name, meeting.venue_address])))
        if venue:
            event.add("location", venue)
        if meeting.venue_latitude is not None and meeting.venue_longitude is not None:
            event.add("geo", (meeting.venue_latitude, meeting.venue_longitude))
        if meeting.map_url:
            event.add("url", meeting.map_url)
        event.add("description", strip_bidi(_description(meeting)))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        if not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-1))
            alarm.add("description", f"พรุ่งนี้: {strip_bidi(meeting.title)}")
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
