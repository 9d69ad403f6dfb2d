"""What people type, made safe for the places it ends up: papers, spreadsheets and chat replies.

Two dangers, one function each:

- **Bidirectional controls** (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C). A LINE
  display name with a right-to-left override (`\u202e`) shows reversed text after it: a name that
  reads "สมชาย" can make the next column, a signature line or a file name read backwards. Thai
  never needs them, so `strip_bidi` removes them from names and every exported text.
- **Spreadsheet formulas.** A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
  (or their full-width forms `＝＋－＠`, or any of these after leading spaces) is run as a formula
  by Excel and LibreOffice when a CSV or XLSX is opened (CSV injection, OWASP). `spreadsheet_cell`
  neutralises such a cell the way OWASP advises: a leading `'`, the text otherwise intact. Every
  CSV and XLSX export writes its cells through it (exports/spreadsheet.py); the XLSX writer also stores
  them as strings, never formulas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BIDI_CONTROLS", "FORMULA_STARTS", "spreadsheet_cell", "strip_bidi"]

BIDI_CONTROLS = (
    "\u200e\u200f"                       # left-to-right, right-to-left marks
    "\u061c"                             # Arabic letter mark
    "\u202a\u202b\u202c\u202d\u202e"     # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"           # isolates
)
_NO_BIDI = str.maketrans("", "", BIDI_CONTROLS)

# What makes a spreadsheet read a cell as a formula (or a DDE call): OWASP's list, the full-width
# and small forms a Thai keyboard or a phone may type, and the minus sign.
FORMULA_STARTS = frozenset("=+-@\t\r" "\uff1d\uff0b\uff0d\uff20" "\ufe66\ufe62\ufe63\ufe6b" "\u2212")


def strip_bidi(text: str | None) -> str:
    """The text without bidirectional control characters ("" for None)."""
    return text.translate(_NO_BIDI) if text else ""


def spreadsheet_cell(value: Any) -> Any:
    """A value ready for a CSV or XLSX cell: numbers stay numbers, None becomes "", text loses its
    bidi controls and, when a spreadsheet would read it as a formula, gains a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = strip_bidi(str(value))
    if text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text
