"""Who was expected and who signed in: the rows of the sign-in sheet (`attendance_rows`) and of the
roll of who attended which meetings (`roll_rows`). Domain queries; the papers made from them are
rendered by exports/ (exports/attendance.py, exports/roll.py, exports/spreadsheet.py).

The rows carry what the papers print, in Thai (names through `person_label`, dates and times in
the zone `tz`); see docs/papers.md for their keys.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.attendance import Attendance, Method, attendance_of, attended_between
from models.meetings import Answer, Meeting, Response
from models.minutes import line_name_beside, person_label
from models.network import FinancialGroup
from models.paper_words import (ANSWER_THAI, METHOD_THAI, OTHERS, STATE_THAI, group_sort_key, local, sub_label,
                                thai_date, thai_time, venue, village_label)
from models.people import Person, Role
from models.tally import tally
from thai.when import BANGKOK

__all__ = ["attendance_rows", "roll_rows"]


def _people(session: Session, person_ids: set[int]) -> dict[int, Person]:
    if not person_ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids))
                                             .options(selectinload(Person.roles)))}


def _groups(session: Session, group_ids: set[int]) -> dict[int, FinancialGroup]:
    if not group_ids:
        return {}
    return {g.id: g for g in session.scalars(
        select(FinancialGroup).where(FinancialGroup.id.in_(group_ids))
        .options(selectinload(FinancialGroup.village), selectinload(FinancialGroup.sub_district)))}


def _role_thai(person: Person, group_id: int | None, answered_for_group: bool) -> str:
    if person.forgotten_at is not None:
        return ""
    if group_id is not None and (person.has_role(Role.LEADER, group_id) or answered_for_group):
        return Role.THAI[Role.LEADER]
    if group_id is not None and person.has_role(Role.MEMBER, group_id):
        return Role.THAI[Role.MEMBER]
    for role in (Role.COORDINATOR, Role.FACILITATOR):
        if person.has_role(role):
            return Role.THAI[role]
    if person.has_role(Role.LEADER):
        return Role.THAI[Role.LEADER]
    return "ผู้เข้าร่วม"


def _signed_by(att: Attendance | None, by_person: Person | None) -> str:
    if att is None:
        return ""
    if att.method == Method.PROXY:
        return f"แทนโดย {person_label(by_person)}" if by_person else "คุณอำนวยลงชื่อแทน"
    return "ตนเอง"


@dataclass
class _Sitting:
    """What one meeting's sheet is made of, read once."""
    meeting: Meeting
    tz: ZoneInfo
    answers: list[Answer]
    attendance: list[Attendance]
    people: dict[int, Person]
    groups: dict[int, FinancialGroup]
    own: dict[tuple[int | None, int], Answer]  # (group, person): the person's own answer
    lead: dict[int, Answer]                     # group: its leader's latest answer for the group


def _read_sitting(session: Session, meeting: Meeting, tz: ZoneInfo) -> _Sitting:
    answers = list(session.scalars(select(Answer).where(Answer.meeting_id == meeting.id).order_by(Answer.id)))
    attendance = attendance_of(session, meeting.id)
    person_ids = {a.person_id for a in answers} | {a.person_id for a in attendance} | {
        a.by_person_id for a in attendance if a.by_person_id}
    group_ids = ({inv.group_id for inv in meeting.invitations} | {a.group_id for a in answers if a.group_id}
                 | {a.group_id for a in attendance if a.group_id})
    own: dict[tuple[int | None, int], Answer] = {}
    lead: dict[int, Answer] = {}
    for answer in answers:
        own[(answer.group_id, answer.person_id)] = answer
        if answer.for_group and answer.group_id is not None:
            if answer.group_id not in lead or answer.updated_at > lead[answer.group_id].updated_at:
                lead[answer.group_id] = answer
    return _Sitting(meeting, tz, answers, attendance, _people(session, person_ids), _groups(session, group_ids),
                    own, lead)


def _members(sitting: _Sitting) -> dict[int | None, list[tuple[int, Attendance | None]]]:
    """Per group: who checked in for it (in the order they did), then who answered without checking in."""
    checked = {a.person_id for a in sitting.attendance}
    members: dict[int | None, list[tuple[int, Attendance | None]]] = defaultdict(list)
    for a in sitting.attendance:
        members[a.group_id if a.group_id in sitting.groups else None].append((a.person_id, a))
    for answer in sitting.answers:
        if answer.person_id in checked:
            continue
        gid = answer.group_id if answer.group_id in sitting.groups else None
        if all(pid != answer.person_id for pid, _ in members[gid]):
            members[gid].append((answer.person_id, None))
    return members


def _group_header(sitting: _Sitting, gid: int | None, tally_of, listed: list) -> dict[str, Any]:
    group = sitting.groups.get(gid) if gid is not None else None
    gt = tally_of.group(gid) if gid is not None else None
    invitations = {inv.group_id: inv for inv in sitting.meeting.invitations}
    return {
        "row": "group", "group_id": gid, "group": group.name if group else OTHERS,
        "kind": group.kind if group else None, "village": village_label(group), "sub_district": sub_label(group),
        "invited": gid in invitations, "quota": invitations[gid].quota if gid in invitations else None,
        "coming": gt.coming if gt else None, "maybe": gt.maybe if gt else None,
        "not_coming": gt.not_coming if gt else None,
        "state": STATE_THAI[gt.state] if gt else "", "attended": sum(1 for _, a in listed if a is not None),
        "listed": len(listed),
    }


def _answer_of(sitting: _Sitting, gid: int | None, pid: int, att: Attendance | None):
    """(answer row, its code, whose answer it is, its Thai words) for a person on a group's sheet."""
    own = sitting.own
    mine = own.get((gid, pid)) or (own.get((att.group_id, pid)) if att else None)
    if mine is None and gid is None:
        mine = next((a for (g, p), a in own.items() if p == pid), None)
    group_answer = sitting.lead.get(gid) if gid is not None else None
    if mine is not None:
        text = ANSWER_THAI[mine.response] + (f" {mine.headcount} คน" if mine.for_group
                                             and mine.response == Response.GOING else "")
        return mine, mine.response, "own", text
    if group_answer is not None:
        return None, group_answer.response, "group", f"{ANSWER_THAI[group_answer.response]} (ตามผู้นำกลุ่ม)"
    return None, None, None, ANSWER_THAI[None]


def _person_row(sitting: _Sitting, header: dict[str, Any], number: int, pid: int,
                att: Attendance | None) -> dict[str, Any]:
    tz, gid, person = sitting.tz, header["group_id"], sitting.people[pid]
    mine, answer_code, source, answer_text = _answer_of(sitting, gid, pid, att)
    by_person = sitting.people.get(att.by_person_id) if att and att.by_person_id else None
    return {
        "row": "person", "no": number, "group_id": gid, "group": header["group"],
        "village": header["village"], "sub_district": header["sub_district"],
        "person_id": pid, "name": person_label(person), "line_name": line_name_beside(person),
        "role": _role_thai(person, gid, bool(mine and mine.for_group)),
        "answer": answer_text, "answer_code": answer_code, "answer_source": source,
        "headcount": mine.headcount if mine is not None and mine.for_group else None,
        "checked_in": att is not None,
        "checked_in_at": thai_time(att.checked_in_at, tz) if att else "",
        "checked_in_at_iso": local(att.checked_in_at, tz).isoformat(timespec="seconds") if att else "",
        "method": att.method if att else None, "method_th": METHOD_THAI.get(att.method, "") if att else "",
        "by": _signed_by(att, by_person), "by_name": person_label(by_person) if by_person else "",
        "signature": "",
        "group_quota": header["quota"], "group_coming": header["coming"], "group_attended": header["attended"],
    }


def attendance_rows(session: Session, meeting: Meeting, tz: ZoneInfo = BANGKOK) -> list[dict[str, Any]]:
    """The sign-in sheet's rows: per group a header row (`"row": "group"`) then its people (`"row": "person"`).

    Groups: every invited group (in the summary's order: sub-district, village, kind), then groups
    someone checked in or answered for without an invitation, then `ผู้เข้าร่วมอื่น ๆ` (no group).
    People: everyone who checked in (under the group they checked in for) and everyone who answered
    without checking in (under each group they answered for), so the officer sees who was expected.
    Within a group, those who checked in come first, in the order they did.
    """
    tally_of = tally(session, meeting)
    sitting = _read_sitting(session, meeting, tz)
    order: list[int | None] = [g.group_id for g in tally_of.groups]
    listed_ids = set(order)
    order += sorted((gid for gid in sitting.groups if gid not in listed_ids),
                    key=lambda gid: group_sort_key(sitting.groups[gid]))
    order.append(None)
    members = _members(sitting)
    rows: list[dict[str, Any]] = []
    for gid in order:
        listed = members.get(gid, [])
        if gid is None and not listed:
            continue
        header = _group_header(sitting, gid, tally_of, listed)
        rows.append(header)
        rows += [_person_row(sitting, header, number, pid, att) for number, (pid, att) in enumerate(listed, 1)]
    return rows


def _roll_row(n: int, person: Person, group: FinancialGroup | None, count: int, att: Attendance, meeting: Meeting,
              came_for: FinancialGroup | None, by_person: Person | None, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "n": n, "person_id": person.id, "name": person_label(person), "line_name": line_name_beside(person),
        "phone": person.phone or "",
        "group": group.name if group else "", "village": village_label(group), "sub_district": sub_label(group),
        "meetings": count,
        "meeting_id": meeting.id, "code": meeting.code, "date": thai_date(meeting.starts_at, tz),
        "date_iso": local(meeting.starts_at, tz).date().isoformat(), "title": meeting.title,
        "venue": venue(meeting), "status": meeting.status,
        "came_for": came_for.name if came_for else "",
        "checked_in_at": thai_time(att.checked_in_at, tz),
        "checked_in_at_iso": local(att.checked_in_at, tz).isoformat(timespec="seconds"),
        "method": att.method,
        "by": (f"แทนโดย {person_label(by_person)}" if by_person else "คุณอำนวยลงชื่อแทน")
        if att.method == Method.PROXY else "ตนเอง",
    }


def roll_rows(session: Session, date_from: date, date_to: date, tz: ZoneInfo = BANGKOK) -> list[dict[str, Any]]:
    """Who attended which meetings between two local dates (inclusive): one row per person and meeting.

    People are ordered by sub-district, village, group and name; each person's meetings by time.
    `n` numbers the people, `meetings` is the person's count in the period (on every row of theirs).
    """
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    lo = datetime.combine(date_from, time(0), tzinfo=tz).astimezone(timezone.utc)
    hi = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)
    found = attended_between(session, lo, hi)
    people = _people(session, {a.person_id for a, _ in found} | {a.by_person_id for a, _ in found if a.by_person_id})
    groups = _groups(session, {a.group_id for a, _ in found if a.group_id})

    by_person: dict[int, list[tuple[Attendance, Meeting]]] = defaultdict(list)
    for att, meeting in found:
        by_person[att.person_id].append((att, meeting))

    def home(pid: int) -> FinancialGroup | None:
        """The group they came for most recently."""
        return next((groups[a.group_id] for a, _ in reversed(by_person[pid]) if a.group_id in groups), None)

    def key(pid: int) -> tuple:
        group = home(pid)
        return (*(group_sort_key(group) if group else ("\uffff", 10_000, 9, "\uffff")), person_label(people[pid]), pid)

    rows = []
    for n, pid in enumerate(sorted(by_person, key=key), 1):
        for att, meeting in by_person[pid]:
            rows.append(_roll_row(n, people[pid], home(pid), len(by_person[pid]), att, meeting,
                                  groups.get(att.group_id) if att.group_id else None,
                                  people.get(att.by_person_id) if att.by_person_id else None, tz))
    return rows
