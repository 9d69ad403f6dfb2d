"""The roll (บัญชีรายชื่อผู้เข้าร่วมประชุม) of who attended which meetings in a period, for travel
allowances and per diems, from `models.sign_in.roll_rows`: CSV (`roll_csv`) and a page to print
(`roll_html`, exports/templates/roll.html)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from exports.pages import render
from exports.spreadsheet import csv_text
from models.paper_words import thai_date
from thai.when import BANGKOK

__all__ = ["ROLL_COLUMNS", "roll_csv", "roll_html"]

ROLL_COLUMNS = [
    ("n", "ลำดับ"), ("name", "ชื่อ-สกุล"), ("sub_district", "ตำบล"), ("village", "หมู่"), ("group", "กลุ่ม"),
    ("meetings", "จำนวนครั้ง"), ("code", "รหัสนัด"), ("date", "วันที่"), ("date_iso", "วันที่ (ค.ศ.)"),
    ("title", "การประชุม"), ("venue", "สถานที่"), ("checked_in_at", "เวลาลงชื่อ"), ("by", "ลงชื่อโดย"),
    ("line_name", "ชื่อใน LINE"),
]


def roll_csv(rows: list[dict[str, Any]]) -> str:
    """The roll as CSV (UTF-8 with a BOM): one line per person and meeting attended."""
    return csv_text([title for _, title in ROLL_COLUMNS], ([row.get(key) for key, _ in ROLL_COLUMNS] for row in rows))


def _person_entry(items: list[dict[str, Any]]) -> dict[str, Any]:
    first = items[0]
    where = " ".join(filter(None, [first["group"], first["sub_district"] if first["sub_district"]
                                   not in first["group"] else ""]))
    return {"first": first, "meetings": items, "where": where}


def roll_html(rows: list[dict[str, Any]], date_from: date, date_to: date, tz: ZoneInfo = BANGKOK,
              *, title: str = "บัญชีรายชื่อผู้เข้าร่วมประชุม (ประกอบการเบิกค่าเดินทาง)") -> str:
    """The roll to print: one row per person with every meeting they attended, and a signature column."""
    people: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        people.setdefault(row["person_id"], []).append(row)
    return render("roll.html", title=title, date_from=thai_date(date_from, tz), date_to=thai_date(date_to, tz),
                  people=[_person_entry(items) for items in people.values()],
                  total=sum(len(v) for v in people.values()))
