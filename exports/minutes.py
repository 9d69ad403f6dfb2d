"""The minutes (รายงานการประชุม) as files: Markdown (`minutes_markdown`) and a printable HTML page
(`minutes_html`, exports/templates/minutes.html), in the usual Thai structure. `read_minutes` is
the one reading of `MinutesData` every form of the minutes shares (the LINE messages too:
handlers/minutes.py).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from markupsafe import Markup

from exports.pages import render
from models.attendance import Method
from models.meetings import MeetingStatus
from models.minutes import MinutesData, meeting_number, person_label
from models.notes import TAG_PATTERN, Note, NotePhoto, Tag
from models.paper_words import NO_NAME, OTHERS, group_sort_key, thai_date, thai_time, time_range, venue
from models.safe_text import strip_bidi
from thai.when import BANGKOK

__all__ = ["MAX_EMBED_PHOTO_BYTES", "MAX_EMBED_TOTAL_BYTES", "MinutesReading", "minutes_html", "minutes_markdown",
           "one_line", "read_minutes"]

MAX_EMBED_PHOTO_BYTES = 3 * 1024 * 1024   # one photo embedded in the minutes' HTML
MAX_EMBED_TOTAL_BYTES = 25 * 1024 * 1024  # all of them together (the file must still open on a phone)

_SPACES = re.compile(r"[ \t\u200b]+")


def _note_text(text: str) -> str:
    """A note as it reads in the minutes: without its `#มติ`-style tags, spaces tidied, lines kept."""
    lines = [_SPACES.sub(" ", TAG_PATTERN.sub("", line)).strip() for line in (text or "").splitlines()]
    return "\n".join(line for line in lines if line) or "-"


def one_line(text: str) -> str:
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


# --------------------------------------------------------------------------- one reading


@dataclass
class NoteLine:
    at: str
    author: str
    text: str
    tags: list[str]
    photos: list[NotePhoto]


@dataclass
class ActionLine:
    text: str
    owner: str
    due: str


@dataclass
class MinutesReading:
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
    notes: list[NoteLine]
    resolutions: list[str]
    problems: list[str]
    actions: list[ActionLine]
    recorders: list[str]
    photo_count: int = 0
    photos: list[NotePhoto] = field(default_factory=list)


def _note_lines(data: MinutesData, tz: ZoneInfo) -> list[NoteLine]:
    return [NoteLine(at=thai_time(note.created_at, tz), author=person_label(note.author), text=_note_text(note.text),
                     tags=[Tag.THAI[t] for t in note.tags if t in Tag.THAI], photos=_live_photos(note))
            for note in data.notes]


def read_minutes(data: MinutesData, tz: ZoneInfo) -> MinutesReading:
    """The minutes as every paper says them (Thai): dates, times, groups in the summary's order."""
    m = data.meeting
    notes = _note_lines(data, tz)
    photos = [photo for note in notes for photo in note.photos]
    actions = [ActionLine(text=_note_text(n.text), owner=_owner_label(n),
                          due=thai_date(n.due_date, tz) if n.due_date else "-") for n in data.actions]
    invited_ids = {inv.group_id for inv in m.invitations}
    # Groups in the summary's order (sub-district, village, kind); uninvited ones after, "others" last.
    rank = {g.name: i for i, g in enumerate(sorted((inv.group for inv in m.invitations), key=group_sort_key))}
    last = len(rank)

    def place(name: str) -> int:
        return rank.get(name, last + 1 if name == OTHERS else last)

    present_invited = len({a.group_id for a in data.attendance if a.group_id in invited_ids})
    return MinutesReading(
        code=m.code, number=meeting_number(m, tz), meeting_id=m.id, title=m.title, date=thai_date(m.starts_at, tz),
        time_range=time_range(m.starts_at, m.ends_at, tz), start=thai_time(m.starts_at, tz),
        end=thai_time(m.ends_at, tz), venue=venue(m), map_url=m.map_url,
        status=MeetingStatus.THAI.get(m.status) if m.status in (MeetingStatus.CANCELLED, MeetingStatus.MOVED) else None,
        agenda=[line.rstrip() for line in (m.agenda or "").splitlines() if line.strip()],
        present=sorted(data.present, key=lambda p: place(p[0])), absent=sorted(data.absent_groups, key=place),
        attended=len(data.attendance),
        groups_present=present_invited, groups_invited=len(invited_ids),
        proxies=sum(1 for a in data.attendance if a.method == Method.PROXY),
        notes=notes, resolutions=[_note_text(n.text) for n in data.resolutions],
        problems=[_note_text(n.text) for n in data.problems], actions=actions, recorders=data.recorders,
        photo_count=len(photos), photos=photos)


def _counts_line(mm: MinutesReading) -> str:
    text = f"มาประชุม {mm.attended} คน"
    if mm.groups_invited:
        text += f" จาก {mm.groups_present} กลุ่ม (เชิญ {mm.groups_invited} กลุ่ม)"
    if mm.proxies:
        text += f" · คุณอำนวยลงชื่อแทน {mm.proxies} คน"
    return text


# --------------------------------------------------------------------------- Markdown

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
    return _md(one_line(text))


def _md_heading(mm: MinutesReading) -> list[str]:
    out = ["# รายงานการประชุม", "", f"**{_md(mm.title)}**", "", f"ครั้งที่ {mm.number}  ", f"วันที่ {mm.date}  ",
           f"เวลา {mm.time_range}  ", f"ณ {_md(mm.venue)}"]
    if mm.status:
        out += ["", f"**สถานะ: {mm.status}**"]
    out += ["", "## ผู้มาประชุม", ""]
    if mm.present:
        for group, names in mm.present:
            out += [f"**{_md(group)}** ({len(names)} คน)", ""]
            out += [f"{i}. {_md(name)}" for i, name in enumerate(names, 1)]
            out.append("")
    else:
        out += ["(ยังไม่มีผู้ลงชื่อเข้าประชุม)", ""]
    out += ["## ผู้ไม่มาประชุม", ""]
    out += [f"- {_md(g)}" for g in mm.absent] or ["(ไม่มี)"]
    out += ["", "## ผู้เข้าร่วมประชุม", "", _counts_line(mm), "", f"## เริ่มประชุมเวลา {mm.start}", ""]
    if mm.agenda:
        out += ["## ระเบียบวาระ", ""] + [f"{_md(line, numbered=True)}  " for line in mm.agenda] + [""]
    return out


def _md_body(mm: MinutesReading) -> list[str]:
    out = ["## บันทึก", ""]
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
    return out


def minutes_markdown(data: MinutesData, tz: ZoneInfo = BANGKOK) -> str:
    """The minutes in the usual Thai structure, as Markdown (readable as plain text too)."""
    mm = read_minutes(data, tz)
    return "\n".join(_md_heading(mm) + _md_body(mm)).rstrip() + "\n"


# --------------------------------------------------------------------------- HTML


def _photo_figures(photos: list[NotePhoto], budget: list[int]) -> Markup:
    """A note's photos as `<figure>`s with the bytes inline, while the file's budget lasts."""
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
    return Markup("".join(out))  # nothing of a person's text in it: fixed words, a size, base64


def minutes_html(data: MinutesData, tz: ZoneInfo = BANGKOK) -> str:
    """The minutes as one self-contained HTML page (A4 when printed; photos embedded)."""
    mm = read_minutes(data, tz)
    budget = [MAX_EMBED_TOTAL_BYTES]
    notes = [(note, _photo_figures(note.photos, budget)) for note in mm.notes]
    return render("minutes.html", title=f"รายงานการประชุม ครั้งที่ {mm.number} {mm.title}", mm=mm, notes=notes,
                  counts=_counts_line(mm))
