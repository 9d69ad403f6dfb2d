"""Cells for spreadsheets: every CSV and XLSX cell of the papers is written through here, so each
goes through `spreadsheet_cell` (models/safe_text.py: never a live formula, no bidi controls)."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any, Iterable

from models.safe_text import spreadsheet_cell

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it; without it Thai becomes mojibake
XLSX_FONT = "TH Sarabun New"
XLSX_LINE_POINTS = 20  # one line of TH Sarabun New 14 in a row's height
XLSX_CHARS_PER_WIDTH = 1.15  # Thai letters of TH Sarabun New 14 per unit of column width (a narrow font)


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    """A CSV as Excel opens it with Thai intact: UTF-8 with a BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(v) for v in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
    return BOM + buffer.getvalue()


def xlsx_put(ws, row: int, column: int, value: Any):
    """Every cell of a workbook is written here: through `spreadsheet_cell` (a formula-like text
    gets its `'`), and text stored as a string (data_type "s"), so openpyxl never writes a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    cell.value = spreadsheet_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def xlsx_lines(value: Any, width: float) -> int:
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


def xlsx_height(values: Iterable[Any], widths: Iterable[float], minimum: float) -> float:
    """A row tall enough for its most-lined cell, so no two-line cell is clipped."""
    lines = max((xlsx_lines(v, w) for v, w in zip(values, widths)), default=1)
    return max(minimum, lines * XLSX_LINE_POINTS + 6)
