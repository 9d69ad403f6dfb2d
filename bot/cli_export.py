"""`meetbot export …`: the minutes, the sign-in sheets, the month's roll and calendars as files.

    meetbot export minutes 12 --format md|html [--output FILE]
    meetbot export attendance 12 --format csv|xlsx|html [--output FILE]
    meetbot export roll --from 2026-08-01 --to 2026-08-31 [--format csv|html] [--output FILE]
    meetbot export roll --month 2026-08
    meetbot export ics 12 [13 …] [--output FILE]

Text formats go to standard output unless `--output` is given (always UTF-8; CSV with a BOM);
xlsx is written to `--output` or `attendance-<id>.xlsx` in the current folder. A meeting that does
not exist prints one line to stderr and exits 1; bad arguments exit 2. Added to the main group by
`register(main)` (idempotent). See docs/papers.md.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli_data import _fail, _meeting_or_exit, _session, pass_ctx
from bot.cli_data import register as _register

if TYPE_CHECKING:
    from bot.cli import Context


def _emit(data: bytes, output: Path | None, what: str) -> None:
    if output is None:
        click.echo(data, nl=False)  # bytes go to stdout's binary stream as they are
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    click.echo(f"wrote {what} to {output} ({len(data):,} bytes)", err=True)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} {value!r} is not a date such as 2026-08-31")


@click.group("export")
def export() -> None:
    """Minutes, sign-in sheets, the roll of attendance and calendars as files."""


@export.command("minutes")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@pass_ctx
def export_minutes(ctx: Context, code: str, fmt: str, output: Path | None) -> None:
    """The minutes (รายงานการประชุม) of a meeting: Markdown, or HTML with the photos (CODE: 12 or #12)."""
    from models.minutes import minutes_data
    from exports.minutes import minutes_html, minutes_markdown

    tz = ctx.settings.timezone
    with _session(ctx, write=False) as session:
        data = minutes_data(session, _meeting_or_exit(session, code))
        text = minutes_html(data, tz) if fmt == "html" else minutes_markdown(data, tz)
    _emit(text.encode("utf-8"), output, "the minutes")


@export.command("attendance")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "html"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (xlsx: default attendance-<id>.xlsx).")
@pass_ctx
def export_attendance(ctx: Context, code: str, fmt: str, output: Path | None) -> None:
    """The sign-in sheet per group: who answered, who checked in, and a column to sign."""
    from exports.attendance import attendance_csv, attendance_html
    from exports.attendance_xlsx import attendance_xlsx
    from models.sign_in import attendance_rows

    tz = ctx.settings.timezone
    with _session(ctx, write=False) as session:
        meeting = _meeting_or_exit(session, code)
        rows = attendance_rows(session, meeting, tz)
        if fmt == "csv":
            data = attendance_csv(rows).encode("utf-8")
        elif fmt == "html":
            data = attendance_html(meeting, rows, tz).encode("utf-8")
        else:
            data = attendance_xlsx(rows, meeting=meeting, tz=tz)
            output = output or Path(f"attendance-{meeting.id}.xlsx")
    _emit(data, output, "the sign-in sheet")


@export.command("roll")
@click.option("--from", "date_from", default=None, metavar="YYYY-MM-DD", help="First day (local date).")
@click.option("--to", "date_to", default=None, metavar="YYYY-MM-DD", help="Last day, inclusive.")
@click.option("--month", default=None, metavar="YYYY-MM", help="A whole month instead of --from/--to.")
@click.option("--format", "fmt", type=click.Choice(["csv", "html"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@pass_ctx
def export_roll(ctx: Context, date_from: str | None, date_to: str | None, month: str | None, fmt: str,
                output: Path | None) -> None:
    """Who attended which meetings in a period (for travel allowances): per person, every meeting."""
    from exports.roll import roll_csv, roll_html
    from models.sign_in import roll_rows

    if month is not None:
        if date_from or date_to:
            _fail("give either --month or --from/--to")
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            _fail(f"--month {month!r} is not a month such as 2026-08")
        start, end = first, first.replace(day=monthrange(first.year, first.month)[1])
    else:
        start, end = _date(date_from, "--from"), _date(date_to, "--to")
        if start is None or end is None:
            _fail("give --from and --to (YYYY-MM-DD), or --month YYYY-MM")
    if end < start:
        _fail(f"--to {end} is before --from {start}")
    tz = ctx.settings.timezone
    with _session(ctx, write=False) as session:
        rows = roll_rows(session, start, end, tz)
    text = roll_html(rows, start, end, tz) if fmt == "html" else roll_csv(rows)
    _emit(text.encode("utf-8"), output, "the roll")


@export.command("ics")
@click.argument("codes", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--name", "calendar_name", default=None, help="The calendar's name (default: from the meetings).")
@pass_ctx
def export_ics(ctx: Context, codes: tuple[str, ...], output: Path | None, calendar_name: str | None) -> None:
    """Meetings as an iCalendar file (.ics) to import into a phone's or Google calendar."""
    from exports.ical import meeting_ics

    tz = ctx.settings.timezone
    with _session(ctx, write=False) as session:
        meetings = [_meeting_or_exit(session, code) for code in codes]
        name = calendar_name or (f"{meetings[0].code} {meetings[0].title}" if len(meetings) == 1 else "นัดประชุม")
        data = meeting_ics(meetings, tz, calendar_name=name)
    _emit(data, output, "the calendar")


def register(main: click.Group) -> None:
    """Add `export` to `main` (idempotent; merges into an existing `export` group)."""
    _register(main, (export,))
