"""Hypothesis strategies for LINE webhook bodies, built from LINE's own schema.

`tests/fixtures/line-openapi/webhook.yml` (LINE's OpenAPI file, Apache 2.0) says which event types
exist, their fields, which are required, their types and enums, and which subtype a `type` names
(discriminators). The schema types most ids as plain strings, so the fields whose shape LINE
documents elsewhere (user, group and room ids, event ids, timestamps) get realistic values here; the
mutations then break every one of those promises in turn.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from hypothesis import strategies as st

from handlers.postbacks import Action, encode
from tests.conftest import FIXTURES

SPEC = FIXTURES / "line-openapi" / "webhook.yml"
USERS = ["U" + "1" * 32, "U" + "2" * 32, "U0123456789abcdef0123456789abcdef"]
GROUPS = ["C" + "a" * 32, "C" + "b" * 32]
ROOMS = ["R" + "c" * 32]
# Texts that reach the bot's commands, among the chatter (and a few that once crashed it).
TEXTS = ["ไป", "ไป 4 คน", "ไม่ไป", "ไม่แน่ใจ", "ไป 4 #1", "สรุป", "สรุป #1", "นัดหมาย", "วิธีใช้", "มาแล้ว",
         "English", "ภาษาไทย", "ผูกกลุ่ม กองทุน", "ผู้ประสานงาน 1234", "นัด 15 ส.ค. 09:00 วัด", "บันทึก ทดสอบ",
         "ไป #99999999999999999999", "วาระ #99999999999999999999 x", "เตือนส่วนตัว #99999999999999999999 ปิด",
         "ลบข้อมูลของฉัน", "ตั้งผู้นำ @x", "/help", "yes 4", "สวัสดีครับ"]


@lru_cache(maxsize=1)
def schemas() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = schemas()[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _merged(schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """(properties, required) of a schema with its allOf parts folded in (their discriminators not followed)."""
    schema = _resolve(schema)
    properties: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf", []):
        p, r = _merged(part)
        properties.update(p)
        required |= r
    properties.update(schema.get("properties", {}))
    required |= set(schema.get("required", []))
    return properties, required


def _ulid() -> st.SearchStrategy[str]:
    return st.uuids().map(lambda u: u.hex[:26].upper())


# Fields whose shape LINE documents outside the schema (Messaging API reference).
_NAMED = {
    "userId": st.sampled_from(USERS) | st.text("0123456789abcdef", min_size=32, max_size=32).map(lambda h: "U" + h),
    "groupId": st.sampled_from(GROUPS),
    "roomId": st.sampled_from(ROOMS),
    "webhookEventId": _ulid(),
    "timestamp": st.integers(1_600_000_000_000, 1_900_000_000_000),
    "destination": st.just("U" + "f" * 32),
    "replyToken": st.uuids().map(lambda u: u.hex),
    "id": st.integers(1, 10**18).map(str),
    "messageId": st.integers(1, 10**18).map(str),
    "latitude": st.floats(-90, 90),
    "longitude": st.floats(-180, 180),
}


def _postback_data() -> st.SearchStrategy[str]:
    ours = st.builds(lambda a, m, g, r: encode(a, m=m, g=g, r=r if a == Action.ANSWER else None),
                     st.sampled_from([Action.ANSWER, Action.SUMMARY, Action.CHECK_IN, Action.LINK]),
                     st.integers(1, 5), st.integers(1, 5), st.sampled_from(["going", "not_going", "maybe"]))
    return ours | st.text(max_size=300)


def strategy(schema: dict[str, Any], name: str | None = None, depth: int = 0) -> st.SearchStrategy[Any]:
    if name in _NAMED:
        return _NAMED[name]
    if name == "text":
        return st.sampled_from(TEXTS) | st.text(max_size=50)
    if name == "data":
        return _postback_data()
    schema = _resolve(schema)
    mapping = schema.get("discriminator", {}).get("mapping")
    if mapping:
        return st.sampled_from(sorted(mapping.items())).flatmap(
            lambda kv: _object(schemas()[kv[1].rsplit("/", 1)[-1]], depth, fixed={"type": kv[0]}))
    if "allOf" in schema or schema.get("type") == "object" or "properties" in schema:
        if "additionalProperties" in schema and not schema.get("properties"):
            return st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3)
        return _object(schema, depth)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return st.text(max_size=20)
    if kind == "integer":
        bits = 32 if schema.get("format") == "int32" else 63
        return st.integers(-(2**bits), 2**bits - 1)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(strategy(schema["items"], None, depth + 1), max_size=min(schema.get("maxItems", 3), 3))
    return st.none()


def _object(schema: dict[str, Any], depth: int, fixed: dict[str, Any] | None = None) -> st.SearchStrategy[dict]:
    properties, required = _merged(schema)
    fixed = fixed or {}
    if "source" in properties:
        required = required | {"source"}  # LINE always says where a chat event happened
    build = {k: strategy(v, k, depth + 1) for k, v in properties.items() if k not in fixed}
    return st.fixed_dictionaries({**{k: build[k] for k in build if k in required},
                                  **{k: st.just(v) for k, v in fixed.items()}},
                                 optional={k: build[k] for k in build if k not in required})


def events() -> st.SearchStrategy[dict[str, Any]]:
    """One webhook event of any type LINE documents, as LINE would send it."""
    return strategy(schemas()["Event"]).map(_as_line_sends)


def _as_line_sends(event: dict[str, Any]) -> dict[str, Any]:
    # The schema leaves a group source's id optional in places; LINE sends the id of the chat's kind.
    source = event.get("source")
    if isinstance(source, dict):
        key = {"group": "groupId", "room": "roomId", "user": "userId"}[source["type"]]
        source.setdefault(key, {"group": GROUPS[0], "room": ROOMS[0], "user": USERS[0]}[source["type"]])
    return event


# -- mutations: each breaks one promise of the schema -------------------------------------------------

_WRONG_TYPES = [123, -1, 1.5, True, None, "", "x", [], {}, [1, "a"], {"a": 1}]
_HUGE = "ก" * 100_000
_BAD_NUMBERS = [float("nan"), float("inf"), float("-inf"), 10**30, -(10**30), 1e308, 2**63, -1, 0]
_BAD_STRINGS = ["", _HUGE, "\x00", "a\x00b", "\ud800", "x\udfffy", "\ud83d", "\u202e", "U" * 33, "C" + "a" * 31]
INVALID_UTF8 = "@@bad-utf8@@"  # replaced by bytes that are not UTF-8 after serialising
DEEP = "@@deep@@"  # DEEP + n + DEEP: replaced by n nested lists after serialising


@dataclass
class Mutated:
    event: dict[str, Any]
    how: str


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path into an event (dict keys and list indexes), parents before children."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            found.append(prefix + (k,))
            found += _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.append(prefix + (i,))
            found += _paths(v, prefix + (i,))
    return found


def _set(event: dict, path: tuple, value: Any) -> None:
    target = event
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _delete(event: dict, path: tuple) -> None:
    target = event
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]


@st.composite
def mutated_events(draw) -> Mutated:
    """An event from the schema with one promise broken."""
    event = json.loads(json.dumps(draw(events())))
    event["webhookEventId"] = uuid.uuid4().hex[:26].upper()  # never the id of a good event
    paths = _paths(event)
    how = draw(st.sampled_from(["missing", "wrong type", "unknown enum", "bad number", "bad string",
                                "deep", "invalid utf-8", "unknown field"]))
    path = draw(st.sampled_from(paths))
    if how == "missing":
        _delete(event, path)
    elif how == "wrong type":
        _set(event, path, draw(st.sampled_from(_WRONG_TYPES)))
    elif how == "unknown enum":
        which = draw(st.sampled_from(["type", "mode", "source", "message"]))
        if which in ("type", "mode"):
            event[which] = draw(st.sampled_from(["teleport", "sleepy", "", "MESSAGE"]) | st.text(max_size=50))
        elif isinstance(event.get(which), dict):
            event[which]["type"] = draw(st.sampled_from(["square", "hologram", "", "USER"]))
    elif how == "bad number":
        _set(event, draw(st.sampled_from([p for p in paths if p[-1] == "timestamp"] or paths)),
             draw(st.sampled_from(_BAD_NUMBERS)))
    elif how == "bad string":
        _set(event, path, draw(st.sampled_from(_BAD_STRINGS)))
    elif how == "deep":  # written out by serialise(): json.dumps itself cannot go this deep
        _set(event, path, f"{DEEP}{draw(st.integers(30, 5_000))}{DEEP}")
    elif how == "invalid utf-8":
        _set(event, path, INVALID_UTF8)
    else:
        event[draw(st.text(min_size=1, max_size=20))] = draw(st.sampled_from(_WRONG_TYPES + [_HUGE]))
    return Mutated(event, f"{how} at {'.'.join(map(str, path))}")


def serialise(events_: list[dict[str, Any]], *, ascii_only: bool = False) -> bytes:
    """A body as LINE writes it, plus what a broken writer would: NaN/Infinity literals where a
    float is not finite, lone surrogates as escapes (ascii_only) or as the bytes a broken encoder
    writes, bytes that are not UTF-8, lists nested past any parser's depth."""
    text = json.dumps({"destination": "U" + "f" * 32, "events": events_}, ensure_ascii=ascii_only)
    text = re.sub(rf'"{DEEP}(\d+){DEEP}"', lambda m: "[" * int(m.group(1)) + "0" + "]" * int(m.group(1)), text)
    raw = text.encode("utf-8", errors="surrogatepass")
    return raw.replace(INVALID_UTF8.encode(), b"\xff\xfebad\xc0\x80")
