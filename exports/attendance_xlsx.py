"""The sign-in sheet as an Excel workbook (`attendance_xlsx`): sheet `ลงชื่อ` with a section and a
page per group (A4, Thai font, a tall signature column), and sheet `ข้อมูล` with the flat table
(as the CSV). Every cell is written through `exports.spreadsheet.xlsx_put`."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak

from exports.attendance import ATTENDANCE_COLUMNS, blank_rows, flat_attendance, group_facts, group_sections, meeting_lines
from exports.spreadsheet import XLSX_FONT, XLSX_LINE_POINTS, xlsx_height, xlsx_put
from models.meetings import Meeting
from thai.when import BANGKOK

__all__ = ["attendance_xlsx"]

COLUMNS = [("ลำดับ", 7), ("ชื่อ-สกุล", 30), ("บทบาท", 13), ("ตอบนัด", 14), ("เวลาลงชื่อ", 11),
           ("ลงชื่อโดย", 22), ("ลายมือชื่อ", 26)]
WIDTHS = [width for _, width in COLUMNS]
LAST_COLUMN = get_column_letter(len(COLUMNS))


class _Styles:
    font = Font(name=XLSX_FONT, size=14)
    bold = Font(name=XLSX_FONT, size=14, bold=True)
    big = Font(name=XLSX_FONT, size=18, bold=True)
    border = Border(left=Side(style="thin", color="000000"), right=Side(style="thin", color="000000"),
                    top=Side(style="thin", color="000000"), bottom=Side(style="thin", color="000000"))
    grey = PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="center")
    top = Alignment(wrap_text=True, vertical="top")


def _line(ws, text: str, style: Font, *, fill: PatternFill | None = None, height: float | None = None) -> None:
    """A line across the whole sheet (a merged row)."""
    r = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    cell = xlsx_put(ws, r, 1, text)
    cell.font = style
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if fill:
        cell.fill = fill
    ws.merge_cells(f"A{r}:{LAST_COLUMN}{r}")
    if height:  # a long title or venue wraps in the merged cell: make room for every line
        ws.row_dimensions[r].height = xlsx_height([text], [sum(WIDTHS) * style.sz / 14], height)


def _table_row(ws, values: list[Any], style: Font, *, fill: PatternFill | None = None,
               height: float | None = None) -> None:
    r = ws.max_row + 1
    for c, value in enumerate(values, 1):
        cell = xlsx_put(ws, r, c, value)
        cell.font, cell.border = style, _Styles.border
        if fill is not None:
            cell.fill = fill
        cell.alignment = _Styles.wrap
    if height is not None:
        ws.row_dimensions[r].height = height


def _group_section(ws, header: dict[str, Any], people: list[dict[str, Any]], heading: list[str]) -> None:
    s = _Styles
    _line(ws, "บัญชีลงชื่อผู้เข้าร่วมประชุม", s.big, height=28)
    for text in heading:
        _line(ws, text, s.font, height=22)
    _line(ws, f"{header['group']} — {group_facts(header)}", s.bold, fill=s.grey, height=24)
    _table_row(ws, [title for title, _ in COLUMNS], s.bold, fill=s.grey)
    for person in people:
        name = person["name"] + (f"\n(LINE: {person['line_name']})" if person.get("line_name") else "")
        values = [person["no"], name, person["role"], person["answer"], person["checked_in_at"], person["by"], ""]
        _table_row(ws, values, s.font, height=xlsx_height(values, WIDTHS, 30))
    for k in range(blank_rows(header, len(people))):
        r = ws.max_row + 1
        for c in range(1, len(COLUMNS) + 1):
            cell = xlsx_put(ws, r, c, len(people) + k + 1 if c == 1 else None)
            cell.font, cell.border = s.font, s.border
        ws.row_dimensions[r].height = 30
    _line(ws, "", s.font)
    _line(ws, "ลงชื่อ ............................................ ผู้รับรอง", s.font, height=26)
    _line(ws, "(............................................)", s.font, height=22)


def _sign_in_sheet(ws, rows: list[dict[str, Any]], meeting: Meeting | None, tz: ZoneInfo) -> None:
    ws.title = "ลงชื่อ"
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    breaks = RowBreak()
    sections = group_sections(rows)
    heading = meeting_lines(meeting, tz)  # once: the meeting's number is counted in the database
    for n, (header, people) in enumerate(sections):
        _group_section(ws, header, people, heading)
        if n + 1 < len(sections):
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


def _data_sheet(data, rows: list[dict[str, Any]]) -> None:
    widths = [{"group": 30, "name": 28, "line_name": 20, "by": 22, "answer": 14}.get(key, 12)
              for key, _ in ATTENDANCE_COLUMNS]
    for r, values in enumerate([[title for _, title in ATTENDANCE_COLUMNS], *flat_attendance(rows)], 1):
        for c, value in enumerate(values, 1):
            cell = xlsx_put(data, r, c, value)
            cell.font, cell.alignment = (_Styles.bold if r == 1 else _Styles.font), _Styles.top
        data.row_dimensions[r].height = xlsx_height(values, widths, XLSX_LINE_POINTS + 6)
    for i, width in enumerate(widths, 1):
        data.column_dimensions[get_column_letter(i)].width = width
    data.freeze_panes = "A2"
    data.auto_filter.ref = data.dimensions
    data.page_setup.paperSize = data.PAPERSIZE_A4
    data.page_setup.orientation = "landscape"


def attendance_xlsx(rows: list[dict[str, Any]], *, meeting: Meeting | None = None, tz: ZoneInfo = BANGKOK) -> bytes:
    """The sign-in sheet as an Excel workbook: sheet `ลงชื่อ` with a section and a page per group
    (A4, Thai font, a tall signature column), and sheet `ข้อมูล` with the flat table (as the CSV)."""
    wb = Workbook()
    _sign_in_sheet(wb.active, rows, meeting, tz)
    _data_sheet(wb.create_sheet("ข้อมูล"), rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
