"""The sign-in sheet (บัญชีลงชื่อผู้เข้าร่วมประชุม) of a meeting, from `models.sign_in.attendance_rows`:
CSV (`attendance_csv`, one line per person) and pages to print (`attendance_html`,
exports/templates/attendance.html: a page per group). The workbook is exports/attendance_xlsx.py.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from exports.pages import render
from exports.spreadsheet import csv_text
from models.meetings import Meeting
from models.minutes import meeting_number
from models.paper_words import thai_date, time_range, venue
from thai.when import BANGKOK

__all__ = ["ATTENDANCE_COLUMNS", "attendance_csv", "attendance_html"]

ATTENDANCE_COLUMNS = [
    ("no", "ลำดับ"), ("sub_district", "ตำบล"), ("village", "หมู่"), ("group", "กลุ่ม"), ("name", "ชื่อ-สกุล"),
    ("role", "บทบาท"), ("answer", "ตอบนัด"), ("present", "มาประชุม"), ("checked_in_at", "เวลาลงชื่อ"),
    ("by", "ลงชื่อโดย"), ("group_quota", "โควตากลุ่ม"), ("group_coming", "กลุ่มตอบว่ามา"),
    ("group_attended", "กลุ่มมาจริง"), ("line_name", "ชื่อใน LINE"), ("signature", "ลายมือชื่อ"),
]


def flat_attendance(rows: list[dict[str, Any]]) -> list[list[Any]]:
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
    return csv_text([title for _, title in ATTENDANCE_COLUMNS], flat_attendance(rows))


def meeting_lines(meeting: Meeting | None, tz: ZoneInfo) -> list[str]:
    """The meeting under a sheet's title: its title, number, date and time, venue."""
    if meeting is None:
        return []
    return [meeting.title,
            f"ครั้งที่ {meeting_number(meeting, tz)} {thai_date(meeting.starts_at, tz)} เวลา "
            f"{time_range(meeting.starts_at, meeting.ends_at, tz)}",
            f"ณ {venue(meeting)}"]


def group_facts(row: dict[str, Any]) -> str:
    parts = [p for p in (row["sub_district"], row["village"]) if p]
    if row["invited"]:
        parts.append(f"โควตา {row['quota']} คน" if row["quota"] is not None else "ไม่กำหนดโควตา")
        parts.append(f"ตอบว่ามา {row['coming']} คน")
    parts.append(f"มาจริง {row['attended']} คน")
    return " · ".join(parts)


def blank_rows(header: dict[str, Any], listed: int) -> int:
    """Empty numbered lines for people not on the list (a substitute, a walk-in): up to the quota, 2 to 10."""
    quota = header.get("quota") or 0
    return max(2, min(10, quota - listed))


def group_sections(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(the group's header row, its people) for each group of the rows, in order."""
    starts = [i for i, r in enumerate(rows) if r["row"] == "group"]
    ends = starts[1:] + [len(rows)]
    return [(rows[start], rows[start + 1:end]) for start, end in zip(starts, ends)]


def attendance_html(meeting: Meeting, rows: list[dict[str, Any]], tz: ZoneInfo = BANGKOK) -> str:
    """Sign-in sheets to print: one A4 page (or more) per group, numbered rows tall enough to sign,
    empty lines for walk-ins, and the officer's line at the foot."""
    sheets = [{"header": header, "people": people, "facts": group_facts(header),
               "blank_numbers": range(len(people) + 1, len(people) + blank_rows(header, len(people)) + 1)}
              for header, people in group_sections(rows)]
    heading = meeting_lines(meeting, tz)  # once: the meeting's number is counted in the database
    return render("attendance.html", title=f"บัญชีลงชื่อ {meeting.code} {meeting.title}", heading=heading,
                  sheets=sheets)
