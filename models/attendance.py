"""Who actually came: check-ins by the person themself, by a button, or by a facilitator for
someone without a smartphone (recorded as by proxy: who did it and when).

A check-in is under the group the person came with; in a chat of several groups that is asked
once and remembered as their membership. A cancelled meeting's check-ins never count: every
query here that feeds the summary, the sign-in sheet, the minutes or the roll leaves them out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, BigId, insert_for
from models.meetings import Invitation, Meeting, MeetingStatus
from models.network import FinancialGroup
from models.people import Person, Role, grant

OPENS_BEFORE = timedelta(hours=1)  # check-in opens an hour before the start and closes at the end


class Method:
    SELF = "self"      # มาแล้ว / /here
    BUTTON = "button"  # the check-in button on the card
    PROXY = "proxy"    # a facilitator checked them in


class Attendance(Base):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("financial_groups.id"))
    checked_in_at: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(10))
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    by_person: Mapped[Person | None] = relationship(foreign_keys=[by_person_id])

    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_attendance_meeting_person"),
                      Index("ix_attendance_meeting", "meeting_id"))


class CheckInClosed(ValueError):
    """Check-in is open only from an hour before the start to the end."""


def check_in_open(meeting: Meeting, now: datetime) -> bool:
    return meeting.is_open and meeting.starts_at - OPENS_BEFORE <= now <= meeting.ends_at


def check_in(session: Session, *, meeting: Meeting, person: Person, group_id: int | None, method: str,
             by: Person | None = None, now: datetime) -> tuple[Attendance, bool]:
    """Record attendance once; returns (row, whether it is new). Checking in twice keeps the first."""
    if not check_in_open(meeting, now):
        raise CheckInClosed(meeting.id)
    created = session.execute(insert_for(session, Attendance).values(
        meeting_id=meeting.id, person_id=person.id, group_id=group_id, checked_in_at=now, method=method,
        by_person_id=by.id if by else None,
    ).on_conflict_do_nothing(index_elements=["meeting_id", "person_id"]).returning(Attendance.id))
    new_id = created.scalar_one_or_none()
    row = session.scalar(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                  Attendance.person_id == person.id))
    return row, new_id is not None


# A cancelled meeting took place for nobody: its check-ins stay stored but count nowhere.
_COUNTS = Meeting.status != MeetingStatus.CANCELLED


def attendance_of(session: Session, meeting_id: int) -> list[Attendance]:
    # Every caller lists the people: load them with the rows, not one query each.
    return list(session.scalars(select(Attendance).join(Meeting, Meeting.id == Attendance.meeting_id)
                                .where(Attendance.meeting_id == meeting_id, _COUNTS)
                                .order_by(Attendance.checked_in_at, Attendance.id)
                                .options(selectinload(Attendance.person))))


def attended_counts(session: Session, meeting_id: int) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for (group_id,) in session.execute(select(Attendance.group_id).join(Meeting, Meeting.id == Attendance.meeting_id)
                                       .where(Attendance.meeting_id == meeting_id, _COUNTS)):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


def attended_between(session: Session, lo: datetime, hi: datetime) -> list[tuple[Attendance, Meeting]]:
    """Check-ins at meetings starting in [lo, hi), by start (the roll for travel allowances)."""
    return [tuple(row) for row in session.execute(
        select(Attendance, Meeting).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Meeting.starts_at >= lo, Meeting.starts_at < hi, _COUNTS)
        .order_by(Meeting.starts_at, Meeting.id, Attendance.id))]


def attendance_at(session: Session, meeting_id: int, person_id: int) -> Attendance | None:
    return session.scalar(select(Attendance).where(Attendance.meeting_id == meeting_id,
                                                   Attendance.person_id == person_id))


def came_with(session: Session, row: Attendance, group: FinancialGroup, *, person: Person) -> None:
    """The person checked in for `group`: record it, and remember it as their membership, so they
    are not asked again and their other check-ins that named no group join it where it was invited."""
    row.group_id = group.id
    if group.id not in person.member_group_ids():
        grant(session, person, Role.MEMBER, group_id=group.id, by="checked in for the group")
    invited = select(Invitation.meeting_id).where(Invitation.group_id == group.id)
    for other in session.scalars(select(Attendance).where(
            Attendance.person_id == person.id, Attendance.group_id.is_(None), Attendance.meeting_id.in_(invited))):
        other.group_id = group.id
    session.flush()
