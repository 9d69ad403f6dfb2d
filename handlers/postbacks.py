"""Postback data: what a button tap carries back to the bot.

A tap must say everything needed to act on it (which meeting, which answer, how many), because a
group chat has many people tapping at once and no conversation state can tell them apart. The
data is a short query string, well under LINE's 300 characters.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from models.line_limits import MAX_POSTBACK_DATA


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


def decode(data: str | None) -> dict[str, str]:
    """The fields of a postback; {} for anything that is not ours (never raises)."""
    if not data or len(data) > MAX_POSTBACK_DATA:
        return {}
    try:
        fields = dict(parse_qsl(data, strict_parsing=True))
    except ValueError:
        return {}
    return fields if "a" in fields else {}


def int_field(fields: dict[str, str], name: str) -> int | None:
    value = fields.get(name)
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value)
