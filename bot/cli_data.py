"""`meetbot demo`, `meetbot import`, `meetbot role …` and `meetbot meeting list|show`.

The commands are defined here and added to the main group by `register(main)` (called at the end of
bot/cli.py, and by tests). Registering twice is harmless; when `main` already has a `role` or
`meeting` group of its own, the subcommands here are added to it.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from zoneinfo import ZoneInfo

import click

from thai.digits import ascii_digits

if TYPE_CHECKING:
    from bot.cli import Context

JSON_SCHEMA_VERSION = 1


def pass_ctx(f):
    """bot.cli's `pass_ctx`, looked up when the command runs: bot/cli.py imports this module at its
    end to register the commands, so importing bot.cli here at import time would be circular (and
    under `python -m bot.cli` would load a second copy of it)."""

    @functools.wraps(f)
    def run(*args, **kwargs):
        from bot.cli import Context

        return f(click.get_current_context().ensure_object(Context), *args, **kwargs)

    return run


def _fail(message: str) -> NoReturn:
    from bot.cli import _fail as fail

    fail(message)
    raise AssertionError("unreachable")  # bot.cli._fail exits


def parse_now(value: str | None) -> datetime | None:
    from bot.cli import parse_now as parse

    return parse(value)


@contextmanager
def _session(ctx: Context, *, write: bool) -> Iterator:
    """A transaction (or a read) on the configured database, whose engine is closed afterwards."""
    from models.schema import require_current

    database = ctx.database()
    try:
        require_current(database)
        with (database.transaction() if write else database.reading()) as session:
            yield session
    finally:
        database.dispose()


def _width(text: str) -> int:
    """Columns a terminal gives `text`: Thai vowels above/below and tone marks take none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- demo ----------------------------------------------------------------------------------------


@click.command("demo")
@click.option("--year", type=int, default=None,
              help="Common Era year of the meetings (default: the year of the next 8 August).")
@pass_ctx
def demo(ctx: Context, year: int | None) -> None:
    """Load the seed's network and meetings (3 sub-districts of อ.เมือง จ.นครศรีธรรมราช, their
    villages, village funds and savings groups, 9 facilitators, and the August meetings).
    Running it again changes nothing."""
    from models.base import utcnow
    from models.seed import DemoReport, load_demo
    from thai.when import format_thai_datetime

    if year is not None and 2400 < year < 2943:
        _fail(f"--year {year} looks like a Buddhist Era year (พ.ศ.): use {year - 543}")
    if year is not None and not 1900 < year < 2400:
        _fail(f"--year {year}: give a Common Era year such as 2026 (พ.ศ. 2569 is 2026)")
    with _session(ctx, write=True) as session:
        report = load_demo(session, year=year, now=utcnow())
    click.echo(f"demo network and meetings for {report.year} (พ.ศ. {report.year + 543}):")
    labels = {"sub_districts": "sub-districts", "villages": "villages", "groups": "groups", "people": "people",
              "roles": "roles", "meetings": "meetings", "invitations": "invitations"}
    rows = [[f"  {labels[kind]}", f"{report.created[kind]} created,", f"{report.existing[kind]} already there"]
            for kind in DemoReport.KINDS]
    for line in _table(rows):
        click.echo(line)
    for meeting_id, title, starts_at, created in report.meetings:
        click.echo(f"  #{meeting_id} {format_thai_datetime(starts_at)}  {title}"
                   f"{'' if created else '  (already there)'}")
    if not report.changed:
        click.echo("nothing new: the demo was already loaded")


# -- import --------------------------------------------------------------------------------------


class _Abort(Exception):
    """Raised inside the transaction so that a failed import leaves no trace."""


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def import_command(ctx: Context, file: Path) -> None:
    """Load a network (sub-districts, villages, groups, leaders) from a .csv, .xlsx or .yaml FILE.

    CSV/Excel: one row per group and leader, columns sub_district, village_number, village_name,
    group_name, group_kind, leader_name, leader_line_user_id, leader_phone. See
    examples/network.csv and examples/network.yaml. Importing again updates and never duplicates;
    with any error nothing is imported and every error is listed with its row."""
    from models.importer import ImportReport, import_network

    report: ImportReport | None = None
    try:
        with _session(ctx, write=True) as session:
            report = import_network(session, file)
            if report.errors:
                raise _Abort()
    except _Abort:
        pass
    assert report is not None
    for warning in report.warnings:
        click.echo(f"meetbot: warning: {warning}", err=True)
    if report.errors:
        click.echo(f"meetbot: {file}: {_plural(len(report.errors), 'problem')}, nothing imported:", err=True)
        for problem in report.errors:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"imported {file}:")
    rows = []
    for kind in report.KINDS:
        rows.append([f"  {kind.replace('_', '-')}", f"{report.created[kind]} created,",
                     f"{report.updated[kind]} updated,", f"{report.unchanged[kind]} unchanged"])
    for line in _table(rows):
        click.echo(line)


# -- roles ---------------------------------------------------------------------------------------

ROLES = ("coordinator", "facilitator", "leader", "member")
DUTIES = ("coordinator", "process", "recorder")


def _line_user_id(value: str) -> str:
    from models.importer import LINE_USER_ID

    value = value.strip()
    if not LINE_USER_ID.fullmatch(value):
        _fail(f"{value!r} is not a LINE user id: U followed by 32 hex digits (0-9, a-f), as LINE gives it "
              f"to the bot; the LINE ID people choose for themselves cannot be used")
    return value


def _resolve_group(session, text: str):
    from models.network import FinancialGroup, find_groups

    text = text.strip()
    if re.fullmatch(r"#?\d+", text):
        group = session.get(FinancialGroup, int(text.lstrip("#")))
        if group is None:
            _fail(f"no group has id {text.lstrip('#')}")
        return group
    matches = find_groups(session, text, limit=1_000)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        _fail(f"no group matches {text!r}; `meetbot role list` and `meetbot meeting show` name the groups")
    click.echo(f"meetbot: {text!r} matches {_plural(len(matches), 'group')}; give one name or id:", err=True)
    for line in _table([[f"  {g.id}", g.name] for g in matches[:20]]):
        click.echo(line, err=True)
    if len(matches) > 20:
        click.echo(f"  … and {len(matches) - 20} more", err=True)
    sys.exit(2)


def _resolve_sub_district(session, text: str):
    from sqlalchemy import select

    from models.network import SubDistrict, find_sub_district

    sub = find_sub_district(session, text)
    if sub is None:
        known = ", ".join(s.name for s in session.scalars(select(SubDistrict).order_by(SubDistrict.name)))
        _fail(f"no sub-district {text!r}" + (f" (known: {known})" if known else " (none loaded yet)"))
    return sub


def _role_words(role: str) -> str:
    from models.people import Role

    return f"{Role.THAI[role]} ({role})"


def _check_role_options(role: str, group: str | None, duty: str | None, sub_district: str | None) -> None:
    if role in ("leader", "member") and not group:
        _fail(f"a {role} answers for a group: add --group NAME_OR_ID")
    if role not in ("leader", "member") and group:
        _fail(f"--group is for leader and member, not {role}")
    if role != "facilitator" and (duty or sub_district):
        _fail("--duty and --sub-district are for facilitators")


@click.group("role")
def role() -> None:
    """Give, take and list roles: coordinator, facilitator, leader, member."""


@role.command("grant")
@click.argument("user_id")
@click.argument("role_name", metavar="coordinator|facilitator|leader|member", type=click.Choice(ROLES))
@click.option("--group", "group_text", metavar="NAME_OR_ID", help="The group a leader or member belongs to.")
@click.option("--duty", type=click.Choice(DUTIES), help="A facilitator's duty.")
@click.option("--sub-district", "sub_district_text", metavar="NAME", help="A facilitator's sub-district.")
@click.option("--name", "full_name", default=None, help="The person's full name (for sign-in sheets).")
@pass_ctx
def role_grant(ctx: Context, user_id: str, role_name: str, group_text: str | None, duty: str | None,
               sub_district_text: str | None, full_name: str | None) -> None:
    """Give USER_ID (a LINE user id, U + 32 hex digits) a role; creates the person if new."""
    from models.people import Duty, ensure_person, grant, person_by_line_id

    user_id = _line_user_id(user_id)
    _check_role_options(role_name, group_text, duty, sub_district_text)
    with _session(ctx, write=True) as session:
        group = _resolve_group(session, group_text) if group_text else None
        sub = _resolve_sub_district(session, sub_district_text) if sub_district_text else None
        is_new = person_by_line_id(session, user_id) is None
        person = ensure_person(session, user_id)
        if full_name and full_name.strip():
            person.full_name = full_name.strip()
        held = any(r.role == role_name and r.group_id == (group.id if group else None) for r in person.roles)
        grant(session, person, role_name, group_id=group.id if group else None,
              sub_district_id=sub.id if sub else None, duty=duty, by="cli")
        what = _role_words(role_name)
        if group:
            what += f" of {group.name}"
        if sub:
            what += f" in ต.{sub.name}"
        if duty:
            what += f" as {Duty.THAI[duty]} ({duty})"
        name = person.full_name or person.display_name
        who = user_id + (f" {name}" if name else "") + (" (new person)" if is_new else "")
        click.echo(f"{who} already had {what}" + ("; updated" if duty or sub else "") if held
                   else f"granted {what} to {who}")


@role.command("revoke")
@click.argument("user_id")
@click.argument("role_name", metavar="coordinator|facilitator|leader|member", type=click.Choice(ROLES))
@click.option("--group", "group_text", metavar="NAME_OR_ID", help="The group (for leader and member).")
@pass_ctx
def role_revoke(ctx: Context, user_id: str, role_name: str, group_text: str | None) -> None:
    """Take a role away from USER_ID (leader and member: of the --group given)."""
    from models.people import person_by_line_id, revoke

    user_id = _line_user_id(user_id)
    _check_role_options(role_name, group_text, None, None)
    with _session(ctx, write=True) as session:
        group = _resolve_group(session, group_text) if group_text else None
        person = person_by_line_id(session, user_id)
        if person is None or not revoke(session, person, role_name, group_id=group.id if group else None):
            click.echo(f"meetbot: {user_id} is not {_role_words(role_name)}"
                       + (f" of {group.name}" if group else "") + ": nothing to revoke", err=True)
            sys.exit(1)
    click.echo(f"revoked {_role_words(role_name)}" + (f" of {group.name}" if group else "") + f" from {user_id}")


@role.command("list")
@click.option("--role", "role_name", type=click.Choice(ROLES), default=None, help="Only this role.")
@pass_ctx
def role_list(ctx: Context, role_name: str | None) -> None:
    """List who holds which role (people without LINE show '-')."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from models.network import FinancialGroup, SubDistrict
    from models.people import Duty, Person, PersonRole, Role

    area = aliased(SubDistrict)
    query = (select(PersonRole, Person, FinancialGroup.name, area.name)
             .join(Person, Person.id == PersonRole.person_id)
             .outerjoin(FinancialGroup, FinancialGroup.id == PersonRole.group_id)
             .outerjoin(area, area.id == PersonRole.sub_district_id)
             .order_by(PersonRole.role, area.name, FinancialGroup.name, Person.id))
    if role_name:
        query = query.where(PersonRole.role == role_name)
    with _session(ctx, write=False) as session:
        rows = session.execute(query).all()
    if not rows:
        click.echo("no roles yet" if not role_name else f"nobody is {_role_words(role_name)}")
        return
    table = []
    for granted, person, group_name, sub_name in rows:
        detail = ", ".join(filter(None, [group_name, f"ต.{sub_name}" if sub_name else None,
                                         f"{Duty.THAI[granted.duty]} ({granted.duty})" if granted.duty else None]))
        table.append([person.line_user_id or "-", person.name, f"{Role.THAI[granted.role]} ({granted.role})", detail])
    for line in _table(table):
        click.echo(line)
    counts = Counter(granted.role for granted, *_ in rows)
    click.echo(", ".join(f"{counts[r]} {r}" for r in ROLES if counts[r]))


# -- meetings ------------------------------------------------------------------------------------


def _meeting_or_exit(session, code: str):
    from models.meetings import Meeting

    meeting_id = _meeting_id(code)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        click.echo(f"meetbot: no meeting #{meeting_id} (`meetbot meeting list --all` lists them)", err=True)
        sys.exit(1)
    return meeting


def _meeting_id(code: str) -> int:
    match = re.fullmatch(r"[#＃]?\s*(\d+)", ascii_digits(code.strip()))
    if not match:
        _fail(f"{code!r} is not a meeting code such as 12 or #12")
    return int(match.group(1))


def _invited_summary(tally) -> str:
    """'13 groups (ต.ท่าไร่: 6 กองทุนหมู่บ้าน, 6 กลุ่มออมทรัพย์, ผู้นำชุมชน ต.ท่าไร่)'."""
    from models.network import GroupKind

    parts = []
    for sub in tally.sub_districts:
        kinds = Counter(g.kind for v in sub.villages for g in v.groups if g.kind != GroupKind.OTHER)
        others = [g.name for v in sub.villages for g in v.groups if g.kind == GroupKind.OTHER]
        words = [f"{n} {GroupKind.THAI[k]}" for k, n in sorted(kinds.items(), key=lambda kv: GroupKind.ALL.index(kv[0]))]
        words += others
        parts.append((f"{sub.label}: " if sub.name else "") + ", ".join(words))
    return f"{_plural(len(tally.groups), 'group')}" + (f" ({'; '.join(parts)})" if parts else "")


def _coming(tally) -> str:
    quota = tally.totals.quota
    text = f"coming {tally.coming}" + (f"/{quota}" if quota else "")
    return text + f", {tally.totals.groups_answered}/{tally.totals.groups} groups answered"


@click.group("meeting")
def meeting() -> None:
    """Meetings and where their answers stand."""


@meeting.command("list")
@click.option("--all", "show_all", is_flag=True, help="Every meeting, past and cancelled ones too.")
@click.option("--now", "now_text", default=None, help="List as if at this ISO 8601 time (default: now).")
@pass_ctx
def meeting_list(ctx: Context, show_all: bool, now_text: str | None) -> None:
    """Upcoming meetings (or all): code, date, title, venue, status, invited groups, coming/quota."""
    from sqlalchemy import select

    from models.base import utcnow
    from models.meetings import Meeting, MeetingStatus, upcoming_meetings
    from models.tally import tally
    from thai.when import format_thai_datetime

    tz = ctx.settings.timezone
    now = parse_now(now_text) or utcnow()
    with _session(ctx, write=False) as session:
        if show_all:
            meetings = list(session.scalars(select(Meeting).order_by(Meeting.starts_at, Meeting.id)))
        else:
            meetings = upcoming_meetings(session, now=now, limit=10_000)
        lines = []
        for m in meetings:
            t = tally(session, m)
            lines.append(f"{m.code}  {format_thai_datetime(m.starts_at, tz)}  "
                         f"[{MeetingStatus.THAI.get(m.status, m.status)}]  {m.title}")
            lines.append(f"    at {m.venue_name or '(no venue yet)'}")
            lines.append(f"    invited {_invited_summary(t)}")
            lines.append(f"    {_coming(t)}")
    if not meetings:
        click.echo("no meetings" if show_all else "no upcoming meetings (`meetbot meeting list --all` shows past ones)")
        return
    for line in lines:
        click.echo(line)


def _iso(dt: datetime, tz: ZoneInfo) -> str:
    return dt.astimezone(tz).isoformat(timespec="seconds")


def _utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _totals(totals) -> dict:
    return {"quota": totals.quota, "coming": totals.coming, "maybe": totals.maybe,
            "not_coming": totals.not_coming, "groups": totals.groups, "groups_answered": totals.groups_answered,
            "groups_going": totals.groups_going, "groups_not_going": totals.groups_not_going,
            "groups_unanswered": totals.groups_unanswered, "attended": totals.attended}


def meeting_json(meeting, tally, sub_district, tz: ZoneInfo) -> dict:
    """The documented shape of `meetbot meeting show --json` (docs/meeting-json.md)."""
    from models.meetings import MeetingStatus

    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "id": meeting.id,
        "code": meeting.code,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "timezone": tz.key,
        "starts_at": _iso(meeting.starts_at, tz),
        "ends_at": _iso(meeting.ends_at, tz),
        "starts_at_utc": _utc(meeting.starts_at),
        "ends_at_utc": _utc(meeting.ends_at),
        "venue": {"name": meeting.venue_name, "address": meeting.venue_address,
                  "latitude": meeting.venue_latitude, "longitude": meeting.venue_longitude,
                  "map_url": meeting.map_url},
        "status": meeting.status,
        "status_th": MeetingStatus.THAI.get(meeting.status),
        "sub_district": {"id": sub_district.id, "name": sub_district.name, "name_en": sub_district.name_en}
        if sub_district else None,
        "totals": _totals(tally.totals),
        "individuals": {"coming": tally.individuals_coming, "maybe": tally.individuals_maybe},
        "coming": tally.coming,
        "sub_districts": [{
            "id": sub.sub_district_id,
            "name": sub.name,
            "totals": _totals(sub.totals),
            "villages": [{
                "number": village.number,
                "name": village.name,
                "totals": _totals(village.totals),
                "groups": [{
                    "id": g.group_id, "name": g.name, "kind": g.kind, "quota": g.quota, "coming": g.coming,
                    "maybe": g.maybe, "not_coming": g.not_coming, "state": g.state, "over_quota": g.over_quota,
                    "chat_linked": g.chat_id is not None, "attended": g.attended,
                } for g in village.groups],
            } for village in sub.villages],
        } for sub in tally.sub_districts],
        "unanswered": [g.name for g in tally.unanswered],
    }


_STATE_WORDS = {"going": "มา", "maybe": "ไม่แน่ใจ", "not_going": "ไม่มา", "unanswered": "ยังไม่ตอบ"}


@meeting.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape (docs/meeting-json.md).")
@pass_ctx
def meeting_show(ctx: Context, code: str, as_json: bool) -> None:
    """A meeting's details and answers per sub-district, village and group (CODE: 12 or #12)."""
    from models.meetings import MeetingStatus
    from models.network import SubDistrict
    from models.tally import tally as tally_of
    from thai.when import format_thai_datetime, format_thai_time

    tz = ctx.settings.timezone
    with _session(ctx, write=False) as session:
        m = _meeting_or_exit(session, code)
        t = tally_of(session, m)
        sub = session.get(SubDistrict, m.sub_district_id) if m.sub_district_id else None
        data = meeting_json(m, t, sub, tz)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = [f"{m.code} {m.title}",
           f"when:    {format_thai_datetime(m.starts_at, tz)} – {format_thai_time(m.ends_at, tz)}",
           f"where:   {', '.join(filter(None, [m.venue_name, m.venue_address])) or '(no venue yet)'}"]
    if m.map_url:
        out.append(f"map:     {m.map_url}")
    out.append(f"status:  {MeetingStatus.THAI.get(m.status, m.status)} ({m.status})")
    if sub:
        out.append(f"for:     ต.{sub.name}")
    if m.agenda:
        out.append("agenda:")
        out += [f"  {line}" for line in m.agenda.splitlines()]
    totals = t.totals
    out.append("")
    out.append(f"coming {t.coming}" + (f" of {totals.quota}" if totals.quota else "")
               + f", maybe {totals.maybe + t.individuals_maybe}, not coming {totals.not_coming}; "
               + f"{totals.groups_answered} of {_plural(totals.groups, 'group')} answered")
    if t.individuals_coming or t.individuals_maybe:
        out.append(f"(of which for themselves, outside the invited groups: coming {t.individuals_coming}, "
                   f"maybe {t.individuals_maybe})")
    rows = [["", "coming/quota", "maybe", "not coming", "state"]]
    for sub_tally in t.sub_districts:
        st = sub_tally.totals
        rows.append([sub_tally.label, f"{st.coming}/{st.quota}", str(st.maybe), str(st.not_coming), ""])
        for village in sub_tally.villages:
            vt = village.totals
            rows.append([f"  {village.label}", f"{vt.coming}/{vt.quota}", str(vt.maybe), str(vt.not_coming), ""])
            for g in village.groups:
                state = _STATE_WORDS.get(g.state, g.state) + (" เกินโควตา (over quota)" if g.over_quota else "")
                rows.append([f"    {g.name}", f"{g.coming}/{g.quota if g.quota is not None else '-'}",
                             str(g.maybe), str(g.not_coming), f"{state} ({g.state})"])
    if t.groups:
        out += _table(rows)
    else:
        out.append("no group invited yet")
    if t.unanswered:
        out.append("")
        out.append(f"not answered yet ({len(t.unanswered)}):")
        out += [f"  {g.name}" for g in t.unanswered]
    for line in out:
        click.echo(line)


# -- registration --------------------------------------------------------------------------------

COMMANDS = (demo, import_command, role, meeting)


def register(main: click.Group, commands=COMMANDS) -> None:
    """Add `commands` to `main` (idempotent; merges into an existing group of the same name)."""
    for command in commands:
        existing = main.commands.get(command.name)
        if existing is None or existing is command:
            main.add_command(command)
        elif isinstance(existing, click.Group) and isinstance(command, click.Group):
            for name, sub in command.commands.items():
                existing.commands.setdefault(name, sub)
        else:
            main.add_command(command)
