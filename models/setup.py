"""The setup code: how the very first coordinator of a network is made, exactly once.

`ผู้ประสานงาน <code>` in a 1:1 chat makes its sender a coordinator if the code is
MEETBOT_SETUP_CODE and nobody has used it yet. Three rules keep that safe:

- Exactly one claim can ever win. The winner inserts the one row of `setup_claim` (primary key 1);
  a second claimer's insert conflicts, whatever the timing (on PostgreSQL it waits for the first
  one's commit and then finds the row). Never read-then-write.
- Once a coordinator exists the code is spent for good, even if that coordinator later uses
  forget-me: more coordinators are appointed with `ตั้งผู้ประสานงาน @ชื่อ`.
- Wrong tries are limited per person and overall, counted in the database so every process shares
  the count; codes are compared in constant time.
"""

from __future__ import annotations

import enum
import hmac
import logging
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, BigId, insert_for

log = logging.getLogger("meetbot.setup")

TRIES_PER_PERSON = 5
TRIES_OVERALL = 50
TRIES_WINDOW = timedelta(hours=1)
_CLAIM_ID = 1
# Any fixed number: wrong tries from every process queue on it for a moment so the counts are exact.
_TRIES_ADVISORY_LOCK = 0x6D656574  # "meet"


class SetupClaim(Base):
    """One row at most: present once the setup code is spent."""

    __tablename__ = "setup_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    claimed_at: Mapped[datetime]
    person_id: Mapped[int | None] = mapped_column(BigId)
    note: Mapped[str | None] = mapped_column(String(200))


class SetupCodeTry(Base):
    """A wrong setup code, kept for an hour to limit guessing."""

    __tablename__ = "setup_code_tries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId)
    tried_at: Mapped[datetime]

    __table_args__ = (Index("ix_setup_code_tries_tried_at", "tried_at"),)


class Claim(enum.Enum):
    WON = "won"                      # the person is the first coordinator now
    ALREADY = "already"              # they were a coordinator already
    SPENT = "spent"                  # someone else claimed it (or a coordinator existed)
    WRONG = "wrong"                  # not the code; `tries_left` more this hour
    LOCKED_PERSON = "locked_person"  # too many wrong tries by this person this hour
    LOCKED_ALL = "locked_all"        # too many wrong tries by everyone this hour


def claim(session: Session, person, given: str, code: str, *, now: datetime) -> tuple[Claim, int]:
    """Try the setup code for `person`; returns the outcome and, for WRONG, the tries left."""
    from models.people import Role, coordinators, grant

    if person.is_coordinator:
        return Claim.ALREADY, 0
    if session.get(SetupClaim, _CLAIM_ID) is not None:
        return Claim.SPENT, 0
    _queue_for_tries(session)
    since = now - TRIES_WINDOW
    session.execute(delete(SetupCodeTry).where(SetupCodeTry.tried_at < since))
    mine = session.scalar(select(func.count()).select_from(SetupCodeTry)
                          .where(SetupCodeTry.person_id == person.id, SetupCodeTry.tried_at >= since))
    if mine >= TRIES_PER_PERSON:
        log.warning("setup code: person %s is locked out after %d wrong tries this hour", person.id, mine)
        return Claim.LOCKED_PERSON, 0
    everyone = session.scalar(select(func.count()).select_from(SetupCodeTry).where(SetupCodeTry.tried_at >= since))
    if everyone >= TRIES_OVERALL:
        log.warning("setup code: locked for everyone after %d wrong tries this hour", everyone)
        return Claim.LOCKED_ALL, 0
    if not hmac.compare_digest(given.strip().encode("utf-8"), code.strip().encode("utf-8")):
        session.add(SetupCodeTry(person_id=person.id, tried_at=now))
        log.warning("setup code: a wrong try by person %s (%d of %d this hour)", person.id, mine + 1,
                    TRIES_PER_PERSON)
        return Claim.WRONG, TRIES_PER_PERSON - mine - 1
    # A coordinator who is or was on LINE spends the code; an officer imported without LINE (the
    # demo's placeholder) cannot use the bot, so the first real coordinator still claims with it.
    existing = [p for p in coordinators(session, on_line=False) if p.line_user_id or p.forgotten_at]
    won = session.execute(
        insert_for(session, SetupClaim)
        .values(id=_CLAIM_ID, claimed_at=now, person_id=None if existing else person.id,
                note="a coordinator existed" if existing else "claimed with the setup code")
        .on_conflict_do_nothing(index_elements=["id"]).returning(SetupClaim.id)
    ).scalar_one_or_none()
    if won is None or existing:
        return Claim.SPENT, 0
    grant(session, person, Role.COORDINATOR, by="setup code")
    log.info("setup code: person %s is the first coordinator", person.id)
    return Claim.WON, 0


def _queue_for_tries(session: Session) -> None:
    """On PostgreSQL, one claimer at a time counts and records tries (SQLite's BEGIN IMMEDIATE
    already serialises every writer). Held until the transaction ends; lock_timeout bounds it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _TRIES_ADVISORY_LOCK})
