"""Reading a signed webhook body: which events can be understood, and why the others cannot.

A body is signed by LINE, so it is never answered 5xx for its content (LINE would only redeliver
the same bytes): the events we can understand are recorded and handled, each one we cannot is kept
for inspection (a bounded excerpt) with the reason, and nothing is created from it. Everything a
later step trusts is checked here, once: ids are LINE's shape, the timestamp is a real moment,
strings can be stored (no NUL, no lone surrogates), nothing is nested deeper than LINE ever nests.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from models.line_limits import is_group_id, is_room_id, is_user_id

# What LINE documents for a webhook body: none. Its own API refuses request bodies over 2 MB
# (Messaging API reference, "Common specifications"), and a webhook body is a handful of events of
# at most 5,000 characters each (a few tens of kB). 2 MiB doubled leaves room for any real body;
# anything larger is refused with 413 before it is read (bot/webhook.py).
MAX_BODY_BYTES = 4 * 1024 * 1024
# LINE's events nest five levels at most (event → message → mention → mentionees → mentionee).
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 40  # no field of LINE's is longer; Python refuses to read past 4,300 anyway
EARLIEST_MS = 946_684_800_000  # 2000-01-01: LINE did not exist before
LATEST_MS = 4_102_444_800_000  # 2100-01-01: a timestamp past this is not a moment we can use
MAX_EVENT_ID = 64  # the column; a ULID is 26
# Events that only mean something in a chat: without a source that names one they are not understood.
CHAT_EVENTS = frozenset({"message", "postback", "join", "leave", "follow", "unfollow", "memberJoined",
                         "memberLeft", "unsend", "messageEdited", "videoPlayComplete", "beacon",
                         "accountLink", "membership"})


class MalformedBody(ValueError):
    """The body as a whole cannot be read (not JSON, or not LINE's shape)."""


class NotUnderstood(ValueError):
    pass


@dataclass
class Body:
    events: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[tuple[bytes, str]] = field(default_factory=list)  # (what it was, why)


class _NotJson:
    """A token Python's json reads but JSON has not (NaN, Infinity) or one too long to be a field."""

    def __init__(self, text: str) -> None:
        self.text = text[:20]

    def __repr__(self) -> str:
        return self.text


def _number(text: str) -> int | _NotJson:
    return int(text) if len(text) <= MAX_NUMBER_DIGITS else _NotJson(text)


def read_body(raw: bytes) -> Body:
    """The understood events of a signed body (cleaned, ready to record) and the rejected ones."""
    # Bytes that are not UTF-8 are replaced: the events around them stay readable.
    text = raw.decode("utf-8", errors="replace")
    try:
        payload = _loads(text)
    except RecursionError:
        # One event nested past the parser's depth must not cost the others: read each event of
        # the list on its own.
        return _read_events_one_by_one(text)
    except Exception as exc:  # ValueError, UnicodeDecodeError, …: all mean "not JSON"
        raise MalformedBody(f"not JSON: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise MalformedBody("no list of events")
    body = Body()
    for event in payload["events"]:
        _take(body, event)
    return body


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_NotJson, parse_int=_number)


def _take(body: Body, event: Any) -> None:
    try:
        body.events.append(understood(event))
    except NotUnderstood as exc:
        body.rejected.append((excerpt(event), str(exc)))


# Strings (with their escapes) and the characters that give JSON its structure; nothing else matters
# for finding where each element of the events list starts and ends.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _read_events_one_by_one(text: str) -> Body:
    """The body's top-level "events" list split into its elements without recursion, each parsed alone."""
    depth = 0
    key = None  # the last string seen at depth 1 (the top object's keys)
    start = None  # where the current element of the events list starts
    elements: list[str] | None = None
    in_events = False
    for token in _TOKENS.finditer(text):
        t = token.group()
        if t[0] == '"':
            if depth == 1:
                key = t
            continue
        if t in "[{":
            depth += 1
            if depth == 2 and t == "[" and key == '"events"':
                in_events, elements, start = True, [], token.end()
        elif t in "]}":
            if in_events and depth == 2:
                if text[start:token.start()].strip():
                    elements.append(text[start:token.start()])
                in_events = False
            depth -= 1
        elif t == "," and in_events and depth == 2:
            elements.append(text[start:token.start()])
            start = token.end()
    if elements is None:
        raise MalformedBody("not JSON, and no list of events found in it")
    body = Body()
    for element in elements:
        try:
            event = _loads(element)
        except Exception as exc:
            body.rejected.append((element.encode("utf-8", errors="replace"),
                                  f"an event that is not JSON: {type(exc).__name__}"))
            continue
        _take(body, event)
    return body


def understood(event: Any) -> dict[str, Any]:
    """The event, cleaned, if it can be understood; else NotUnderstood with the reason."""
    if not isinstance(event, dict):
        raise NotUnderstood("an event that is not an object")
    event = clean(event)
    event_id = event.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > MAX_EVENT_ID:
        raise NotUnderstood("an event without webhookEventId")
    if not isinstance(event.get("type"), str) or not event["type"]:
        raise NotUnderstood("an event without a type")
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
        raise NotUnderstood("an event without a numeric timestamp")
    if not EARLIEST_MS <= timestamp < LATEST_MS:
        raise NotUnderstood(f"an event whose timestamp is not a moment: {str(timestamp)[:30]}")
    event["timestamp"] = int(timestamp)
    source = event.get("source")
    if source is None:
        if event["type"] in CHAT_EVENTS:
            raise NotUnderstood(f"a {event['type'][:40]} event without a source")
    elif not isinstance(source, dict):
        raise NotUnderstood("an event whose source is not an object")
    else:
        _check_source(source)
    return event


def _check_source(source: dict[str, Any]) -> None:
    kind = source.get("type")
    user_id = source.get("userId")
    if kind == "user":
        if not is_user_id(user_id):
            raise NotUnderstood("a user source without a LINE user id")
    elif kind == "group":
        if not is_group_id(source.get("groupId")):
            raise NotUnderstood("a group source without a LINE group id")
    elif kind == "room":
        if not is_room_id(source.get("roomId")):
            raise NotUnderstood("a room source without a LINE room id")
    elif not isinstance(kind, str):
        raise NotUnderstood("a source without a type")
    else:
        return  # a kind of chat LINE added since: recorded, but it names no chat or person of ours
    if user_id is not None and not is_user_id(user_id):
        raise NotUnderstood(f"a {kind} source whose userId is not a LINE user id")


def clean(value: Any, depth: int = 0) -> Any:
    """A copy that every database can store: NUL and lone surrogates replaced, numbers finite."""
    if depth > MAX_DEPTH:
        raise NotUnderstood("an event nested deeper than LINE nests")
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, depth + 1) for v in value]
    if isinstance(value, _NotJson):
        raise NotUnderstood(f"an event with {value.text!r}, which is not a JSON number")
    if isinstance(value, float) and not math.isfinite(value):
        raise NotUnderstood("an event with a number out of range")
    return value


def storable(text: str) -> str:
    """PostgreSQL text and JSONB hold neither U+0000 nor a lone surrogate; LINE text can carry both."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # only lone surrogates fail to encode
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def excerpt(value: Any) -> bytes:
    """What a rejected event was, written out whatever it holds (the store keeps the first
    models.events.REJECTED_EXCERPT_BYTES of it, and a digest of the whole)."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (ValueError, RecursionError):
        text = "(an event too deeply nested to write out)"
    return text.encode("utf-8", errors="backslashreplace")
