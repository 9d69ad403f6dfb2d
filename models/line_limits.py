"""LINE's message limits, checked in one place before anything is written to the outbox.

The figures are from the Messaging API reference ("Message objects", "Flex Message", "Quick
reply"); the OpenAPI file does not encode most of them and the SDK checks only some, so a
message that breaks one would otherwise fail at LINE with a 400 and be lost.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_MESSAGES_PER_REQUEST = 5
MAX_TEXT_UTF16 = 5000
MAX_ALT_TEXT = 400
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_CAROUSEL_BUBBLES = 12
MAX_MULTICAST_RECIPIENTS = 500


class MessageTooLarge(ValueError):
    """A message breaks one of LINE's limits and would be refused."""


def utf16_len(text: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def json_size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def split_text(text: str, limit: int = MAX_TEXT_UTF16) -> list[str]:
    """Split text into pieces of at most `limit` UTF-16 units, preferring line breaks, then spaces.

    Never splits inside a surrogate pair; a Thai base character may be separated from a following
    combining mark only when a single line has no space at all for `limit` units, which real
    messages do not reach.
    """
    if utf16_len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        # Longest prefix that fits, counted in code points.
        units = 0
        cut = 0
        for i, ch in enumerate(rest):
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > limit:
                break
            cut = i + 1
        window = rest[:cut]
        brk = max(window.rfind("\n"), -1)
        if brk < cut // 2:
            brk = max(window.rfind(" "), brk)
        if brk >= cut // 2:
            pieces.append(window[:brk].rstrip())
            rest = rest[brk + 1 :]
        else:
            pieces.append(window)
            rest = rest[cut:]
    if rest.strip():
        pieces.append(rest)
    return [p for p in pieces if p]


def _check_actions(obj: Any, where: str) -> None:
    """Walk a message and check every postback's data."""
    if isinstance(obj, dict):
        if obj.get("type") == "postback" and "data" in obj:
            if len(obj["data"]) > MAX_POSTBACK_DATA:
                raise MessageTooLarge(f"{where}: postback data over {MAX_POSTBACK_DATA} characters")
        for value in obj.values():
            _check_actions(value, where)
    elif isinstance(obj, list):
        for value in obj:
            _check_actions(value, where)


def check_message(message: dict[str, Any]) -> None:
    """Raise MessageTooLarge if LINE would refuse this message object."""
    kind = message.get("type")
    if kind == "text":
        n = utf16_len(message.get("text", ""))
        if n == 0 or n > MAX_TEXT_UTF16:
            raise MessageTooLarge(f"text of {n} UTF-16 units (1..{MAX_TEXT_UTF16})")
    if "altText" in message:
        n = len(message["altText"])
        if n == 0 or n > MAX_ALT_TEXT:
            raise MessageTooLarge(f"altText of {n} characters (1..{MAX_ALT_TEXT})")
    if kind == "flex":
        contents = message.get("contents") or {}
        if contents.get("type") == "carousel":
            bubbles = contents.get("contents") or []
            if len(bubbles) > MAX_CAROUSEL_BUBBLES:
                raise MessageTooLarge(f"carousel of {len(bubbles)} bubbles (max {MAX_CAROUSEL_BUBBLES})")
            for bubble in bubbles:
                if json_size(bubble) > MAX_BUBBLE_BYTES:
                    raise MessageTooLarge(f"bubble of {json_size(bubble)} bytes (max {MAX_BUBBLE_BYTES})")
            if json_size(contents) > MAX_CAROUSEL_BYTES:
                raise MessageTooLarge(f"carousel of {json_size(contents)} bytes (max {MAX_CAROUSEL_BYTES})")
        elif json_size(contents) > MAX_BUBBLE_BYTES:
            raise MessageTooLarge(f"bubble of {json_size(contents)} bytes (max {MAX_BUBBLE_BYTES})")
    quick = (message.get("quickReply") or {}).get("items") or []
    if len(quick) > MAX_QUICK_REPLY_ITEMS:
        raise MessageTooLarge(f"{len(quick)} quick-reply items (max {MAX_QUICK_REPLY_ITEMS})")
    for item in quick:
        label = (item.get("action") or {}).get("label") or ""
        if len(label) > MAX_QUICK_REPLY_LABEL:
            raise MessageTooLarge(f"quick-reply label {label!r} over {MAX_QUICK_REPLY_LABEL} characters")
    _check_actions(message, kind or "message")


def fit_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split over-long plain texts into several text messages and check every message.

    A quick reply stays on the last piece, where LINE shows it.
    """
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.get("type") == "text" and utf16_len(message.get("text", "")) > MAX_TEXT_UTF16:
            pieces = split_text(message["text"])
            extras = {k: v for k, v in message.items() if k not in ("type", "text", "quickReply")}
            for piece in pieces[:-1]:
                out.append({"type": "text", "text": piece, **extras})
            last = {"type": "text", "text": pieces[-1], **extras}
            if "quickReply" in message:
                last["quickReply"] = message["quickReply"]
            out.append(last)
        else:
            out.append(message)
    for message in out:
        check_message(message)
    return out


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# -- ids LINE gives (Messaging API reference, "Source user / group / room"): U, C or R and 32
# lower-case hex digits. Anything else did not come from LINE and must not become a person or chat.
LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")
LINE_GROUP_ID = re.compile(r"C[0-9a-f]{32}")
LINE_ROOM_ID = re.compile(r"R[0-9a-f]{32}")


def is_user_id(value: Any) -> bool:
    return isinstance(value, str) and LINE_USER_ID.fullmatch(value) is not None


def is_group_id(value: Any) -> bool:
    return isinstance(value, str) and LINE_GROUP_ID.fullmatch(value) is not None


def is_room_id(value: Any) -> bool:
    return isinstance(value, str) and LINE_ROOM_ID.fullmatch(value) is not None
