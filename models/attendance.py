"""Who actually came: check-ins by the person themself, by a button, or by a facilitator for
someone without a smartphone (recorded as by proxy: who did it and when)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, BigId, insert_for
from models.meetings import Meeting
from models.people import Person

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


def attendance_of(session: Session, meeting_id: int) -> list[Attendance]:
    # Every caller lists the people: load them with the rows, not one query each.
    return list(session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id)
                                .order_by(Attendance.checked_in_at, Attendance.id)
                                .options(selectinload(Attendance.person))))


def attended_counts(session: Session, meeting_id: int) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for (group_id,) in session.execute(select(Attendance.group_id).where(Attendance.meeting_id == meeting_id)):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts
