"""One event being handled: its database session, the time, who is speaking, and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.events import ChatEvent
from models import outbox
from models.network import Chat, ensure_chat
from models.people import Person, ensure_person


@dataclass(frozen=True)
class BotSettings:
    """What handlers need to know about the deployment (never the LINE credentials)."""

    timezone: ZoneInfo = ZoneInfo("Asia/Bangkok")
    setup_code: str | None = None
    # A group's calendar subscription link (bot/calendar.py), or None when no public URL is set.
    calendar_link: Callable[[int], str | None] = lambda group_id: None


_UNSET: Any = object()


@dataclass
class Turn:
    session: Session
    event: ChatEvent
    now: datetime
    settings: BotSettings = field(default_factory=BotSettings)
    answers: list[dict[str, Any]] = field(default_factory=list)

    # Looked up on first use and kept on this instance. Deliberately not functools.cached_property:
    # on Python 3.11 its getter runs under one lock shared by every instance of the class, and
    # these getters insert rows, so one turn waiting on a database row lock held every other
    # thread's turn waiting on the Python lock - a deadlock the database cannot see (issue 10).
    # A turn belongs to one thread, so no lock is needed at all.
    _person: Any = field(default=_UNSET, init=False, repr=False)
    _chat: Any = field(default=_UNSET, init=False, repr=False)
    _command: Any = field(default=_UNSET, init=False, repr=False)
    _postback: Any = field(default=_UNSET, init=False, repr=False)

    # -- who and where ----------------------------------------------------------------------------

    @property
    def person(self) -> Person | None:
        """The person speaking (created on first sight); None when LINE did not say (PC clients)."""
        if self._person is _UNSET:
            self._person = self._find_person()
        return self._person

    def _find_person(self) -> Person | None:
        if not self.event.user_id:
            return None
        person = ensure_person(self.session, self.event.user_id)
        if self.event.in_group and person.last_chat_id != self.event.chat_id:
            person.last_chat_id = self.event.chat_id
        return person

    @property
    def chat(self) -> Chat | None:
        if self._chat is _UNSET:
            self._chat = self._find_chat()
        return self._chat

    def _find_chat(self) -> Chat | None:
        if not self.event.chat_id:
            return None
        return ensure_chat(self.session, self.event.chat_id, self.event.source_type or "user", now=self.now)

    @property
    def command(self):
        """The text parsed once into a typed command (None: not a command)."""
        if self._command is _UNSET:
            from handlers.commands import parse_command

            self._command = parse_command(self.event.text, mentions=self.event.mention_spans) if self.event.text else None
        return self._command

    @property
    def postback(self) -> dict[str, str]:
        if self._postback is _UNSET:
            from handlers.postbacks import decode

            self._postback = decode(self.event.postback_data) if self.event.type == "postback" else {}
        return self._postback

    @property
    def lang(self) -> str:
        """English only when asked for: the chat's choice in groups, the person's in 1:1 chats."""
        if self.event.in_group:
            return (self.chat.language if self.chat else None) or "th"
        return (self.person.language if self.person else None) or "th"

    # -- answering ---------------------------------------------------------------------------------

    def say(self, *messages: dict[str, Any]) -> None:
        """Answer in the chat the event came from; everything said in one turn is one reply."""
        self.answers.extend(messages)

    def push(self, chat_id: str, messages: list[dict[str, Any]], *, purpose: str, meeting_id: int | None = None,
             dedupe_key: str | None = None, cost: int = 1) -> list[outbox.OutboxMessage]:
        """Send to another chat (costs quota), in the same transaction as the turn's changes.

        With a dedupe key the message is queued at most once (a card per meeting and chat)."""
        kw = dict(to=chat_id, messages=messages, purpose=purpose, meeting_id=meeting_id, cost_per_request=cost,
                  now=self.now)
        if dedupe_key:
            return outbox.enqueue_once(self.session, dedupe_key=dedupe_key, **kw)
        return outbox.enqueue(self.session, **kw)

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
