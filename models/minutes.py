"""The minutes (รายงานการประชุม) of a meeting, gathered once for chat messages and files alike.

Also what every paper says about a person and a meeting: `person_label` (the real name first),
`line_name_beside` (the LINE name, where it tells the reader more) and `meeting_number`
(ครั้งที่ 1/2570).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from models.attendance import Attendance, attendance_of
from models.meetings import Invitation, Meeting, MeetingStatus
from models.network import FinancialGroup, normalise_name
from models.notes import Note, Tag, notes_of
from models.people import Duty, Person, Role
from models.safe_text import strip_bidi


@dataclass
class MinutesData:
    meeting: Meeting
    present: list[tuple[str, list[str]]]   # (group name, names) of those who checked in, by group
    absent_groups: list[str]               # invited groups with nobody checked in
    notes: list[Note]
    resolutions: list[Note] = field(default_factory=list)
    problems: list[Note] = field(default_factory=list)
    actions: list[Note] = field(default_factory=list)
    recorders: list[str] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)


def person_label(person: Person | None) -> str:
    """The name papers print: the real name (ชื่อจริง) when known, else the LINE name; never a
    bidirectional control character (models/safe_text.py)."""
    if person is None or person.forgotten_at is not None:
        return "(ไม่ระบุชื่อ)"
    return strip_bidi(person.full_name or person.display_name) or "(ไม่ทราบชื่อ)"


def line_name_beside(person: Person | None) -> str:
    """The LINE name to print beside the real name, so the officer can match the paper with the
    chat: "" when there is no real name (the LINE name is then the name), or when the LINE name
    is already part of the real name (`สมชาย` beside `สมชาย ใจดี` says nothing new)."""
    if person is None or person.forgotten_at is not None or not person.full_name or not person.display_name:
        return ""
    line_name = strip_bidi(person.display_name).strip()
    if not line_name or normalise_name(line_name) in normalise_name(strip_bidi(person.full_name)):
        return ""
    return line_name


# `ครั้งที่ 3`, `ครั้งที่ 3/2569`, `#12` typed in a title: the series is the title without them.
_NUMBER_IN_TITLE = re.compile(r"ครั้งที่\s*[0-9๐-๙]+(?:\s*/\s*[0-9๐-๙]+)?|#\s*[0-9]+")
_THAI_DIGITS = str.maketrans({chr(0x0E50 + i): str(i) for i in range(10)})


def series_key(title: str | None) -> str:
    """The series a meeting belongs to, for numbering: its title without a typed meeting number,
    spaces, case, Thai digits and bidi controls aside. Two meetings with the same title are
    meetings of the same kind (`ประชุมคณะกรรมการเครือข่าย ครั้งที่ 2` follows `… ครั้งที่ 1`)."""
    text = strip_bidi(title or "").translate(_THAI_DIGITS)
    return normalise_name(_NUMBER_IN_TITLE.sub(" ", text)).casefold()


def meeting_number(meeting: Meeting, tz: ZoneInfo) -> str:
    """`N/2569` as Thai papers number meetings (ครั้งที่ 1/2569): the meeting is the Nth of its
    series (`series_key`: the same title) in that Buddhist-era year (of its local start date).

    Cancelled meetings were never held and are not counted; a cancelled meeting's own papers show
    the number it would have had. Ties in time go by id, so numbers never change once given,
    unless an earlier meeting of the series is added or cancelled later.
    """
    start = _aware(meeting.starts_at)
    year = start.astimezone(tz).year
    session = object_session(meeting)
    if session is None:
        return f"1/{year + 543}"
    lo = datetime(year, 1, 1, tzinfo=tz).astimezone(timezone.utc)
    hi = datetime(year + 1, 1, 1, tzinfo=tz).astimezone(timezone.utc)
    key = series_key(meeting.title)
    earlier = sum(
        1 for other_id, title, other_start in session.execute(
            select(Meeting.id, Meeting.title, Meeting.starts_at)
            .where(Meeting.starts_at >= lo, Meeting.starts_at < hi, Meeting.status != MeetingStatus.CANCELLED,
                   Meeting.id != meeting.id))
        if series_key(title) == key and (_aware(other_start), other_id) < (start, meeting.id))
    return f"{earlier + 1}/{year + 543}"


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def minutes_data(session: Session, meeting: Meeting) -> MinutesData:
    # The invited groups with their village and sub-district in three queries, not three per group:
    # the minutes name and order every group.
    session.scalars(select(Meeting).where(Meeting.id == meeting.id).options(
        selectinload(Meeting.invitations).selectinload(Invitation.group).options(
            selectinload(FinancialGroup.village), selectinload(FinancialGroup.sub_district)))).all()
    attendance = attendance_of(session, meeting.id)
    by_group: dict[int | None, list[str]] = {}
    for row in attendance:
        by_group.setdefault(row.group_id, []).append(person_label(row.person))
    groups = {inv.group_id: inv.group for inv in meeting.invitations}
    present = []
    for group_id, names in by_group.items():
        group = groups.get(group_id) or (session.get(FinancialGroup, group_id) if group_id else None)
        present.append((group.name if group else "ผู้เข้าร่วมอื่น ๆ", names))
    absent = [g.name for gid, g in groups.items() if gid not in by_group]
    notes = notes_of(session, meeting.id)
    recorders = []
    for note in notes:
        author = note.author
        if author is None:
            continue
        label = person_label(author)
        is_recorder = any(r.role == Role.FACILITATOR and r.duty == Duty.RECORDER for r in author.roles)
        if is_recorder and label not in recorders:
            recorders.insert(0, label)
        elif label not in recorders:
            recorders.append(label)
    return MinutesData(
        meeting=meeting, present=present, absent_groups=absent, notes=notes,
        resolutions=[n for n in notes if Tag.RESOLUTION in n.tags],
        problems=[n for n in notes if Tag.PROBLEM in n.tags],
        actions=[n for n in notes if Tag.ACTION in n.tags],
        recorders=recorders, attendance=attendance)
