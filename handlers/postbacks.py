"""Postback data: what a button tap carries back to the bot.

A tap must say everything needed to act on it (which meeting, which answer, how many), because a
group chat has many people tapping at once and no conversation state can tell them apart. The
data is a short query string, well under LINE's 300 characters.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from handlers.commands import MAX_HEADCOUNT
from models.base import MAX_ID
from models.line_limits import MAX_POSTBACK_DATA
from models.meetings import Response


class Action:
    ANSWER = "ans"         # m=meeting r=going|not_going|maybe [n=headcount] [g=group]
    LINK = "link"          # s=sub-district (0: groups of none) | v=village [all=1] | g=group: link this chat
    SUMMARY = "sum"        # m=meeting
    INVITE = "inv"         # m=meeting g=group|v=village [q=quota]: the pick under "which group?"
    PICK_DATE = "date"     # the date-time picker of the guided meeting flow (params carry the value)
    CONFIRM = "ok"         # f=flow [m=meeting]: confirm a pending step (an announcement's cost, an invitation)
    CANCEL_STEP = "no"     # f=flow: abandon a pending step
    AUDIENCE = "aud"       # k=kind [m=meeting] [s=sub-district]: an announcement's audience
    CHECK_IN = "here"      # m=meeting
    CALENDAR = "cal"       # m=meeting
    FILE_NOTE = "note"     # n=note m=meeting: file a kept note under that meeting
    CHECK_IN_GROUP = "hg"  # m=meeting g=group [p=person, checked in by proxy]: who they came with
    APPOINT = "appt"       # r=role g=group p=person ids joined by "." : appoint in a chat of several groups


def encode(action: str, **fields) -> str:
    data = urlencode({"a": action, **{k: v for k, v in fields.items() if v is not None}})
    if len(data) > MAX_POSTBACK_DATA:
        raise ValueError(f"postback data over {MAX_POSTBACK_DATA} characters: {data[:60]}…")
    return data


# A tap is an untrusted request: anyone can send any data with a modified client. Each action's
# fields are checked here for their shape (which keys, what values); the handler then checks them
# against what this person may do in this chat (handlers/answers.py, chats.py, meetings.py,
# announce.py, attendance.py). Anything else decodes as INVALID and gets a polite answer.
INVALID = "?"


def _id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


def _one_of(*allowed: str):
    return lambda value: value in allowed


def _headcount(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_HEADCOUNT


def is_minute(value: object) -> bool:
    """`2026-08-15T09:00`, as the date-time picker and our suggested times write it."""
    try:
        return isinstance(value, str) and len(value) == 16 and datetime.strptime(value, "%Y-%m-%dT%H:%M") is not None
    except ValueError:
        return False


def is_day(value: object) -> bool:
    """`2026-08-15`: a day picked among several, its time asked next."""
    try:
        return isinstance(value, str) and len(value) == 10 and datetime.strptime(value, "%Y-%m-%d") is not None
    except ValueError:
        return False


def _moment(value: str) -> bool:
    return is_minute(value) or is_day(value)


def _stamp(value: str) -> bool:
    """A start time as whole seconds since 1970 (a cancel tap carries the start it was shown)."""
    return value.isascii() and value.isdigit() and len(value) <= 12


def _count(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) < 10_000


def _ids(value: str) -> bool:
    """Person ids joined by "." (an appointment of several people)."""
    parts = value.split(".")
    return 0 < len(parts) <= 20 and all(_id(part) for part in parts)


# handlers.meetings.FLOW_*, announce.FLOW, attendance's forget-me
_FLOWS = ("meet", "move", "announce", "forget", "invite", "cancel")
# action → {field: check}, and the fields it cannot do without.
SCHEMA: dict[str, tuple[dict, frozenset]] = {
    Action.ANSWER: ({"m": _id, "r": _one_of(*Response.ALL), "n": _headcount, "g": _id,
                     "s": _one_of("1")}, frozenset({"r"})),
    Action.LINK: ({"g": _id, "s": lambda v: v == "0" or _id(v), "v": _id, "all": _one_of("1"), "p": _count},
                  frozenset()),
    Action.SUMMARY: ({"m": _id, "v": _one_of("card")}, frozenset()),
    Action.INVITE: ({"m": _id, "g": _id, "v": _id, "q": _headcount}, frozenset({"m"})),
    Action.PICK_DATE: ({"f": _one_of(*_FLOWS), "at": _moment}, frozenset({"f"})),
    Action.CONFIRM: ({"f": _one_of(*_FLOWS), "m": _id, "s": _stamp}, frozenset({"f"})),
    Action.CANCEL_STEP: ({"f": _one_of(*_FLOWS), "m": _id}, frozenset()),
    Action.AUDIENCE: ({"k": _one_of("m", "s", "f", "g"), "m": _id, "s": _id}, frozenset({"k"})),
    Action.CHECK_IN: ({"m": _id}, frozenset()),
    Action.FILE_NOTE: ({"n": _id, "m": _id}, frozenset({"n", "m"})),
    Action.CHECK_IN_GROUP: ({"m": _id, "g": _id, "p": _id}, frozenset({"m", "g"})),
    Action.APPOINT: ({"r": _one_of("leader", "member"), "g": _id, "p": _ids}, frozenset({"r", "g", "p"})),
}


def decode(data: str | None) -> dict[str, str]:
    """The fields of one of our postbacks, each of the shape its action allows; else {"a": INVALID}."""
    if not isinstance(data, str) or not data or len(data) > MAX_POSTBACK_DATA:
        return {"a": INVALID}
    try:
        pairs = parse_qsl(data, strict_parsing=True)
    except ValueError:
        return {"a": INVALID}
    fields = dict(pairs)
    if len(fields) != len(pairs) or fields.get("a") not in SCHEMA:  # a key given twice is not ours either
        return {"a": INVALID}
    checks, required = SCHEMA[fields["a"]]
    given = set(fields) - {"a"}
    if not required <= given or not all(name in checks and checks[name](fields[name]) for name in given):
        return {"a": INVALID}
    return fields


def int_field(fields: dict[str, str], name: str) -> int | None:
    value = fields.get(name)
    if value is None or not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        return None
    return int(value)
