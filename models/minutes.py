"""The minutes (รายงานการประชุม) of a meeting, gathered once for chat messages and files alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.attendance import Attendance, attendance_of
from models.meetings import Invitation, Meeting
from models.network import FinancialGroup
from models.notes import Note, Tag, notes_of
from models.people import Duty, Person, Role


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
    if person is None or person.forgotten_at is not None:
        return "(ไม่ระบุชื่อ)"
    return person.full_name or person.display_name or "(ไม่ทราบชื่อ)"


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
