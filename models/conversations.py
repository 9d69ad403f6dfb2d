"""A step of a conversation in progress (e.g. a meeting being created with the date picker).

Kept in the database, keyed by chat and person, so a conversation survives a restart and works
across web workers; it expires so a half-finished flow never traps anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

STEP_LIFETIME = timedelta(minutes=30)


class PendingStep(Base):
    __tablename__ = "pending_steps"

    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict]
    expires_at: Mapped[datetime]


def current_step(session: Session, chat_id: str, user_id: str, *, now: datetime) -> PendingStep | None:
    step = session.get(PendingStep, (chat_id, user_id))
    if step is not None and step.expires_at <= now:
        session.delete(step)
        return None
    return step


def set_step(session: Session, chat_id: str, user_id: str, flow: str, data: dict, *, now: datetime) -> PendingStep:
    step = session.get(PendingStep, (chat_id, user_id))
    if step is None:
        step = PendingStep(chat_id=chat_id, user_id=user_id, flow=flow, data=data, expires_at=now + STEP_LIFETIME)
        session.add(step)
    else:
        step.flow, step.data, step.expires_at = flow, dict(data), now + STEP_LIFETIME
    session.flush()
    return step


def clear_step(session: Session, chat_id: str, user_id: str) -> None:
    session.execute(delete(PendingStep).where(PendingStep.chat_id == chat_id, PendingStep.user_id == user_id))
