"""One event being handled: its database session, the time, and what the bot will answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.events import ChatEvent
from models import outbox


@dataclass(frozen=True)
class BotSettings:
    """What handlers need to know about the deployment (never the LINE credentials)."""

    timezone: ZoneInfo = ZoneInfo("Asia/Bangkok")
    setup_code: str | None = None


@dataclass
class Turn:
    session: Session
    event: ChatEvent
    now: datetime
    settings: BotSettings = field(default_factory=BotSettings)
    answers: list[dict[str, Any]] = field(default_factory=list)

    def say(self, *messages: dict[str, Any]) -> None:
        """Answer in the chat the event came from; everything said in one turn is one reply."""
        self.answers.extend(messages)

    def finish(self) -> list[outbox.OutboxMessage]:
        """Queue the answer in the outbox (same transaction as the turn's changes)."""
        if not self.answers or self.event.is_standby or not self.event.chat_id:
            return []
        return outbox.enqueue(
            self.session,
            to=self.event.chat_id,
            messages=self.answers,
            reply_token=self.event.reply_token,
            reply_deadline=self.event.reply_deadline,
            event_id=self.event.row_id,
            purpose="reply",
            now=self.now,
        )
