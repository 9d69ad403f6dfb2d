"""A step of a conversation in progress (e.g. a meeting being created with the date picker).

Kept in the database, keyed by chat and person, so a conversation survives a restart and works
across web workers; it expires so a half-finished flow never traps anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, BigId

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


# -- questions the bot asked about an answer (answers slice) ------------------------------------

HEADCOUNT_QUESTION_LIFETIME = timedelta(minutes=15)


class AnswerPrompt(Base):
    """A question the bot asked one person in one chat about one meeting, so that what they say
    next can be read against it: "ไปกี่คนครับ?" (a bare `9` is then the headcount, for a while), or
    "ไป ไม่ไป หรือไม่แน่ใจครับ?" after an unclear answer (asked once, never again for that meeting)."""

    __tablename__ = "answer_prompts"

    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # "headcount" | "unclear"
    group_id: Mapped[int | None] = mapped_column(BigId)
    asked_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class PromptKind:
    HEADCOUNT = "headcount"
    UNCLEAR = "unclear"


def remember_prompt(session: Session, *, chat_id: str, person_id: int, meeting_id: int, kind: str,
                    group_id: int | None, now: datetime, lifetime: timedelta) -> None:
    prompt = session.get(AnswerPrompt, (chat_id, person_id, meeting_id, kind))
    if prompt is None:
        session.add(AnswerPrompt(chat_id=chat_id, person_id=person_id, meeting_id=meeting_id, kind=kind,
                                 group_id=group_id, asked_at=now, expires_at=now + lifetime))
    else:
        prompt.group_id, prompt.asked_at, prompt.expires_at = group_id, now, now + lifetime
    session.flush()


def open_prompt(session: Session, *, chat_id: str, person_id: int, kind: str, now: datetime) -> AnswerPrompt | None:
    """The latest unexpired question of this kind to this person in this chat."""
    from sqlalchemy import select

    return session.scalars(select(AnswerPrompt).where(
        AnswerPrompt.chat_id == chat_id, AnswerPrompt.person_id == person_id, AnswerPrompt.kind == kind,
        AnswerPrompt.expires_at > now).order_by(AnswerPrompt.asked_at.desc()).limit(1)).first()


def was_asked(session: Session, *, chat_id: str, person_id: int, meeting_id: int, kind: str) -> bool:
    return session.get(AnswerPrompt, (chat_id, person_id, meeting_id, kind)) is not None


def close_prompts(session: Session, *, chat_id: str, person_id: int, kind: str, now: datetime) -> None:
    """The question is answered: a later bare number is chatter again."""
    from sqlalchemy import update

    session.execute(update(AnswerPrompt).where(
        AnswerPrompt.chat_id == chat_id, AnswerPrompt.person_id == person_id, AnswerPrompt.kind == kind,
        AnswerPrompt.expires_at > now).values(expires_at=now))
