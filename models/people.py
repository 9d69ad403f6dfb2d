"""People and what they may do.

A person is usually a LINE user, known by the userId LINE gives per provider, with the display
name LINE shows (cached, refreshed by the clock). Some people have no LINE at all (the elders a
facilitator checks in by name): they have no line_user_id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, BigId, insert_for, utcnow
from models.safe_text import strip_bidi


class Role:
    COORDINATOR = "coordinator"  # ผู้ประสานงาน: creates meetings, invites, broadcasts
    FACILITATOR = "facilitator"  # คุณอำนวย: notes, check-ins
    LEADER = "leader"            # ผู้นำกลุ่ม: answers for a group
    MEMBER = "member"

    ALL = (COORDINATOR, FACILITATOR, LEADER, MEMBER)
    THAI = {COORDINATOR: "ผู้ประสานงาน", FACILITATOR: "คุณอำนวย", LEADER: "ผู้นำกลุ่ม", MEMBER: "สมาชิก"}


class Duty:
    """A facilitator's duty in the working team (CONTEXT.md)."""

    COORDINATOR = "coordinator"  # คนประสานงาน
    PROCESS = "process"          # คนนำกระบวนการ
    RECORDER = "recorder"        # คนบันทึก

    ALL = (COORDINATOR, PROCESS, RECORDER)
    THAI = {COORDINATOR: "คนประสานงาน", PROCESS: "คนนำกระบวนการ", RECORDER: "คนบันทึก"}


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))  # as LINE shows it
    full_name: Mapped[str | None] = mapped_column(String(200))     # as a sign-in sheet needs it
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(5))        # None: Thai
    profile_checked_at: Mapped[datetime | None]
    # The group chat they last spoke in: LINE gives a non-friend's name only through that group.
    last_chat_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    forgotten_at: Mapped[datetime | None]

    roles: Mapped[list["PersonRole"]] = relationship(back_populates="person", cascade="all, delete-orphan")

    @property
    def name(self) -> str:
        """The name to show in chat: the real name first; never a bidi control (models/safe_text.py)."""
        return strip_bidi(self.full_name or self.display_name) or "ไม่ทราบชื่อ"

    def has_role(self, role: str, group_id: int | None = None) -> bool:
        return any(r.role == role and (group_id is None or r.group_id == group_id) for r in self.roles)

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR)

    @property
    def is_facilitator(self) -> bool:
        return self.has_role(Role.FACILITATOR) or self.is_coordinator

    def led_group_ids(self) -> set[int]:
        return {r.group_id for r in self.roles if r.role == Role.LEADER and r.group_id is not None}

    def member_group_ids(self) -> set[int]:
        return {r.group_id for r in self.roles if r.role in (Role.LEADER, Role.MEMBER) and r.group_id is not None}


class PersonRole(Base):
    __tablename__ = "person_roles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("financial_groups.id"))  # leader, member
    sub_district_id: Mapped[int | None] = mapped_column(ForeignKey("sub_districts.id"))  # facilitator's area
    duty: Mapped[str | None] = mapped_column(String(20))  # facilitator's duty
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by: Mapped[str | None] = mapped_column(String(100))

    person: Mapped[Person] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("person_id", "role", "group_id", name="uq_person_roles_person_role_group"),)


def person_by_line_id(session: Session, line_user_id: str) -> Person | None:
    return session.scalar(select(Person).where(Person.line_user_id == line_user_id))


def ensure_person(session: Session, line_user_id: str, *, display_name: str | None = None) -> Person:
    """The person behind a LINE user id, created on first sight (their name is fetched later)."""
    person = person_by_line_id(session, line_user_id)
    display_name = strip_bidi(display_name) or None  # a right-to-left override would turn replies around
    if person is None:
        # Two events from a new person can arrive at once: insert-or-ignore, then read.
        session.execute(insert_for(session, Person)
                        .values(line_user_id=line_user_id, display_name=display_name, created_at=utcnow())
                        .on_conflict_do_nothing(index_elements=["line_user_id"]))
        person = person_by_line_id(session, line_user_id)
    elif display_name and not person.display_name:
        person.display_name = display_name
    return person


def record_person(session: Session, line_user_id: str, *, last_chat_id: str | None) -> None:
    """Insert-or-ignore the person, and note the group chat they spoke in (cheap, hot path)."""
    from sqlalchemy import update

    session.execute(insert_for(session, Person)
                    .values(line_user_id=line_user_id, created_at=utcnow(), last_chat_id=last_chat_id)
                    .on_conflict_do_nothing(index_elements=["line_user_id"]))
    if last_chat_id:
        session.execute(update(Person).where(Person.line_user_id == line_user_id,
                                             (Person.last_chat_id != last_chat_id) | Person.last_chat_id.is_(None))
                        .values(last_chat_id=last_chat_id))


def grant(session: Session, person: Person, role: str, *, group_id: int | None = None,
          sub_district_id: int | None = None, duty: str | None = None, by: str | None = None) -> PersonRole:
    """Give a role (idempotent: granting what is already held changes nothing but the duty)."""
    if role not in Role.ALL:
        raise ValueError(f"unknown role {role!r}")
    if duty is not None and duty not in Duty.ALL:
        raise ValueError(f"unknown duty {duty!r}")
    for existing in person.roles:
        if existing.role == role and existing.group_id == group_id:
            if duty:
                existing.duty = duty
            if sub_district_id:
                existing.sub_district_id = sub_district_id
            return existing
    granted = PersonRole(role=role, group_id=group_id, sub_district_id=sub_district_id, duty=duty, granted_by=by,
                         granted_at=utcnow())
    person.roles.append(granted)
    session.flush()
    return granted


def revoke(session: Session, person: Person, role: str, *, group_id: int | None = None) -> bool:
    for existing in list(person.roles):
        if existing.role == role and (group_id is None or existing.group_id == group_id):
            person.roles.remove(existing)
            return True
    return False


def forget(session: Session, person: Person, *, now: datetime) -> None:
    """`ลบข้อมูลของฉัน`: keep what the network needs (answers, attendance, notes) without the person.

    The row stays so counts and minutes stay true, but nothing in it says who they were: no LINE
    id, no names, no phone, no roles. Their notes remain, shown as written by "(ไม่ระบุชื่อ)".
    """
    person.line_user_id = None
    person.display_name = None
    person.full_name = None  # the real name (ชื่อจริง) too
    person.phone = None
    person.last_chat_id = None
    person.language = None
    person.forgotten_at = now
    person.roles.clear()
    from models.notes import Note  # action items name their owner: that name goes too

    for note in session.scalars(select(Note).where(Note.owner_id == person.id)):
        note.owner_name = None
    session.flush()


def coordinators(session: Session, *, on_line: bool = True) -> list[Person]:
    """Coordinators; by default only those reachable on LINE (an imported officer may not be)."""
    query = select(Person).join(PersonRole).where(PersonRole.role == Role.COORDINATOR)
    if on_line:
        query = query.where(Person.line_user_id.is_not(None), Person.forgotten_at.is_(None))
    return list(session.scalars(query.order_by(Person.id)).unique())


def leaders_of(session: Session, group_id: int) -> list[Person]:
    return list(session.scalars(select(Person).join(PersonRole).where(
        PersonRole.role == Role.LEADER, PersonRole.group_id == group_id).order_by(Person.id)).unique())
