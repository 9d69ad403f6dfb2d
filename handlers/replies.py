"""Small message builders shared by handlers (cards and summaries are in handlers/cards.py).

Labels are cut to LINE's 20 characters here, once, so no handler can produce a refused message.
"""

from __future__ import annotations

from typing import Any

from models.line_limits import MAX_QUICK_REPLY_ITEMS, MAX_QUICK_REPLY_LABEL


def label(text: str, limit: int = MAX_QUICK_REPLY_LABEL) -> str:
    """Cut to LINE's label limit (counted in UTF-16 units, like every LINE limit)."""
    out = ""
    for ch in text:
        candidate = out + ch
        if len(candidate.encode("utf-16-le")) // 2 > limit:
            return out[: max(0, len(out) - 1)] + "…" if out else ch
        out = candidate
    return out


def text(body: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "text": body}
    if quick_replies:
        message["quickReply"] = {"items": quick_replies[:MAX_QUICK_REPLY_ITEMS]}
    return message


def postback_item(item_label: str, data: str, display: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "postback", "label": label(item_label), "data": data}
    if display:
        action["displayText"] = display[:300]
    return {"type": "action", "action": action}


def message_item(item_label: str, said: str) -> dict[str, Any]:
    return {"type": "action", "action": {"type": "message", "label": label(item_label), "text": said[:300]}}


def datetime_picker_item(item_label: str, data: str, *, mode: str = "datetime", initial: str | None = None,
                         minimum: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "datetimepicker", "label": label(item_label), "data": data, "mode": mode}
    if initial:
        action["initial"] = initial
    if minimum:
        action["min"] = minimum
    return {"type": "action", "action": action}


MENTION_KEY = "who"


def naming(body: str, user_id: str) -> dict[str, Any]:
    """A text in which `{who}` is the person, as LINE shows them (textV2 with a mention): a group
    chat then reads their display name although the bot has not learnt it yet (the clock fetches
    names afterwards), and never a piece of their user id."""
    return {"type": "textV2", "text": body,
            "substitution": {MENTION_KEY: {"type": "mention", "mentionee": {"type": "user", "userId": user_id}}}}
