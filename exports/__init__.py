"""The papers made from meetings, one module per paper: the minutes (exports/minutes.py), the
sign-in sheet (exports/attendance.py, its workbook in exports/spreadsheet.py), the roll of who
attended which meetings (exports/roll.py) and calendars (exports/ical.py).

Presentation only: the data comes from models/ (`models.minutes.minutes_data`,
`models.sign_in.attendance_rows` and `roll_rows`); exports/ imports models/ and thai/, never
handlers/, Flask or linebot. The three HTML pages are Jinja2 templates in exports/templates/.

What comes from people (titles, notes, names, venues, group names) is never trusted: escaped in
HTML and Markdown so it reads as text, written to CSV and XLSX through `spreadsheet_cell` (never a
live formula), and without bidirectional control characters anywhere (models/safe_text.py); photos
are embedded only when their bytes really are JPEG or PNG (the stored content type is not trusted)
and small enough. See docs/papers.md for the formats and their columns.
"""
