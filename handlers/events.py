"""The webhook event as handlers see it: read once, tolerantly, from LINE's JSON.

We do not hand handlers the SDK's event models: the SDK's parser raises on enum values it does not
know (LINE adds them without notice), and one such event must not cost the others. Everything a
handler needs is read here once; anything missing is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from models.line_limits import is_user_id


@dataclass(frozen=True)
class ChatEvent:
    row_id: int
    webhook_event_id: str
    type: str
    mode: str
    source_type: str | None
    chat_id: str | None
    user_id: str | None
    reply_token: str | None
    reply_deadline: datetime | None
    occurred_at: datetime
    message_type: str | None = None
    message_id: str | None = None
    text: str | None = None
    mentioned_user_ids: tuple[str, ...] = ()
    # LINE's (index, length) marks of the people mentioned, and their ids, the bot itself left out:
    # `ชื่อจริง @x สมชาย ใจดี` tells the mention from the name by them.
    mention_spans: tuple[tuple[int, int], ...] = ()
    mentioned_others: tuple[str, ...] = ()
    postback_data: str | None = None
    postback_params: dict[str, Any] = field(default_factory=dict)
    unsent_message_id: str | None = None
    member_user_ids: tuple[str, ...] = ()  # memberJoined / memberLeft
    location: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    # The message this one quotes (LINE's `message.quotedMessageId`, on text and sticker messages).
    quoted_message_id: str | None = None
    # A sticker message: LINE's packageId, stickerId and keywords.
    sticker: dict[str, Any] | None = None
    # Each mentioned user with the name as typed (`@สมศรี` -> "สมศรี", from mentionees' index/length).
    mentions: tuple[tuple[str, str], ...] = ()

    @property
    def in_group(self) -> bool:
        return self.source_type in ("group", "room")

    @property
    def in_direct_chat(self) -> bool:
        return self.source_type == "user"

    @property
    def is_standby(self) -> bool:
        return self.mode == "standby"

    @classmethod
    def from_row(cls, row) -> "ChatEvent":
        payload: dict[str, Any] = row.payload if isinstance(row.payload, dict) else {}
        message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
        postback = payload.get("postback") if isinstance(payload.get("postback"), dict) else {}
        mention = message.get("mention") if isinstance(message.get("mention"), dict) else {}
        mentionees = mention.get("mentionees") if isinstance(mention.get("mentionees"), list) else []
        members = []
        for key in ("joined", "left"):
            block = payload.get(key)
            if isinstance(block, dict) and isinstance(block.get("members"), list):
                members += [m.get("userId") for m in block["members"] if isinstance(m, dict) and is_user_id(m.get("userId"))]
        unsend = payload.get("unsend") if isinstance(payload.get("unsend"), dict) else {}
        text = message.get("text") if message.get("type") == "text" and isinstance(message.get("text"), str) else None
        location = None
        if message.get("type") == "location":
            location = {k: message.get(k) if isinstance(message.get(k), str) else None for k in ("title", "address")}
            location.update({k: _coordinate(message.get(k), limit) for k, limit in (("latitude", 90), ("longitude", 180))})
        sticker = None
        if message.get("type") == "sticker":
            sticker = {k: message.get(k) for k in ("packageId", "stickerId", "keywords")}
        quoted = _message_id(message.get("quotedMessageId"))
        return cls(
            quoted_message_id=str(quoted) if isinstance(quoted, (str, int)) and str(quoted) else None,
            sticker=sticker,
            mentions=_mentions(text, mentionees),
            row_id=row.id,
            webhook_event_id=row.webhook_event_id,
            type=row.event_type,
            mode=row.mode,
            source_type=row.source_type,
            chat_id=row.chat_id,
            user_id=row.user_id,
            reply_token=row.reply_token if row.mode != "standby" else None,
            reply_deadline=row.reply_deadline if row.reply_token else None,
            occurred_at=row.occurred_at,
            message_type=message.get("type") if isinstance(message.get("type"), str) else None,
            message_id=_message_id(message.get("id")),
            text=text,
            # Only ids of LINE's shape: a mention must never create a person from junk.
            mentioned_user_ids=tuple(m.get("userId") for m in mentionees
                                     if isinstance(m, dict) and is_user_id(m.get("userId"))),
            mention_spans=tuple((m.get("index"), m.get("length")) for m in mentionees
                                if isinstance(m, dict) and not m.get("isSelf")
                                and isinstance(m.get("index"), int) and isinstance(m.get("length"), int)),
            mentioned_others=tuple(m.get("userId") for m in mentionees
                                   if isinstance(m, dict) and is_user_id(m.get("userId")) and not m.get("isSelf")),
            postback_data=postback.get("data") if isinstance(postback.get("data"), str) else None,
            postback_params=postback.get("params") if isinstance(postback.get("params"), dict) else {},
            unsent_message_id=_message_id(unsend.get("messageId")),
            member_user_ids=tuple(members),
            location=location,
            raw=payload,
        )


def _mentions(text: str | None, mentionees: list) -> tuple[tuple[str, str], ...]:
    """(user id, name as typed) for each mentioned user; "" when the text does not hold it.

    LINE's index and length count UTF-16 code units, like its text limits."""
    found = []
    encoded = text.encode("utf-16-le") if text else b""
    for m in mentionees:
        if not isinstance(m, dict) or not is_user_id(m.get("userId")):
            continue
        name = ""
        index, length = m.get("index"), m.get("length")
        if isinstance(index, int) and isinstance(length, int) and index >= 0 and length > 0:
            typed = encoded[2 * index:2 * (index + length)].decode("utf-16-le", "ignore")
            name = typed.strip().lstrip("@").strip()
        found.append((m["userId"], name))
    return tuple(found)


def _coordinate(value: Any, limit: float) -> float | None:
    """A latitude or longitude as a number on the globe, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and -limit <= value <= limit:
        return float(value)
    return None


def _message_id(value: Any) -> str | None:
    """LINE's message ids are strings of digits (about 18); anything else names no message of ours."""
    return value if isinstance(value, str) and 0 < len(value) <= 40 else None
