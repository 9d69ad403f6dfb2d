"""Talking to the bot the way LINE does: signed webhook requests with realistic events.

`line.say("ไป 4", user=LEADER, group=CHAT)` sends a text event from that person in that chat,
lets the sender deliver, and returns the messages the bot sent back to that chat (read at the
fake LINE platform, i.e. what the person would see).
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from typing import Any

from bot.signature import sign

USER = "U" + "1" * 32
GROUP = "C" + "a" * 32


def event_id() -> str:
    return uuid.uuid4().hex[:26].upper()  # the shape of a ULID, which is what LINE sends


def source(user: str | None, group: str | None = None, room: str | None = None) -> dict[str, Any]:
    if group:
        return {"type": "group", "groupId": group, **({"userId": user} if user else {})}
    if room:
        return {"type": "room", "roomId": room, **({"userId": user} if user else {})}
    return {"type": "user", "userId": user}


def now_ms() -> int:
    return int(time.time() * 1000)


class LineChat:
    def __init__(self, *, client, services, fake, secret: str):
        self.client = client
        self.services = services
        self.fake = fake
        self.secret = secret

    # -- building events -----------------------------------------------------------------------

    def event(self, kind: str, *, user: str | None = USER, group: str | None = None, room: str | None = None,
              reply: bool = True, at: datetime | None = None, mode: str = "active", **fields) -> dict[str, Any]:
        chat = group or room or user
        body: dict[str, Any] = {
            "type": kind,
            "mode": mode,
            "timestamp": int(at.timestamp() * 1000) if at else now_ms(),
            "source": source(user, group, room),
            "webhookEventId": event_id(),
            "deliveryContext": {"isRedelivery": False},
        }
        if reply and mode == "active":
            body["replyToken"] = self.fake.issue_reply_token(chat)
        body.update(fields)
        return body

    def text_event(self, text: str, **kw) -> dict[str, Any]:
        message = {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text,
                   "quoteToken": uuid.uuid4().hex}
        return self.event("message", message=message, **kw)

    def postback_event(self, data: str, params: dict | None = None, **kw) -> dict[str, Any]:
        return self.event("postback", postback={"data": data, **({"params": params} if params else {})}, **kw)

    # -- sending -------------------------------------------------------------------------------

    def post(self, body: bytes | str | dict, *, signature: str | None = "auto"):
        if isinstance(body, dict):
            body = json.dumps(body, ensure_ascii=False)
        raw = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            headers["X-Line-Signature"] = sign(self.secret, raw)
        elif signature is not None:
            headers["X-Line-Signature"] = signature
        return self.client.post("/callback", data=raw, headers=headers)

    def send(self, *events: dict[str, Any], deliver: bool = True):
        response = self.post({"destination": "U" + "f" * 32, "events": list(events)})
        assert response.status_code == 200, response.get_data(as_text=True)
        if deliver:
            self.deliver()
        return response

    def deliver(self, now: datetime | None = None):
        return self.services.sender.deliver_due(now=now)

    def last_seq(self) -> int:
        return max((r.seq for r in self.fake.requests), default=0)

    def conversation(self, chat: str, since: int) -> list[dict[str, Any]]:
        """Messages delivered to `chat` by requests after sequence number `since`."""
        return [message for r in self.fake.deliveries() if r.seq > since and chat in r.recipients
                for message in r.body.get("messages", [])]

    def say(self, text: str, *, user: str | None = USER, group: str | None = None, **kw) -> list[dict[str, Any]]:
        mark = self.last_seq()
        self.send(self.text_event(text, user=user, group=group, **kw))
        return self.conversation(group or user, mark)

    def tap(self, data: str, *, user: str | None = USER, group: str | None = None, params: dict | None = None,
            **kw) -> list[dict[str, Any]]:
        mark = self.last_seq()
        self.send(self.postback_event(data, params, user=user, group=group, **kw))
        return self.conversation(group or user, mark)


def nodes(obj: Any):
    """Every JSON object in a message (or list of them), parents before their children."""
    if isinstance(obj, dict):
        yield obj
        for value in obj.values():
            yield from nodes(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from nodes(value)


def postback_actions(messages: Any) -> list[dict[str, Any]]:
    """The postback actions of every button and quick reply in these messages, in order."""
    return [node["action"] for node in nodes(messages)
            if isinstance(node.get("action"), dict) and node["action"].get("type") == "postback"]


def tap_data(messages: Any, action: str) -> str:
    """The data of the first postback button or quick reply with this action (`a=...`)."""
    from urllib.parse import parse_qs

    return next(a["data"] for a in postback_actions(messages) if parse_qs(a["data"]).get("a") == [action])


def texts(messages: list[dict[str, Any]]) -> list[str]:
    """Every human-readable string in these messages (texts, alt texts and Flex texts)."""
    return [node[key] for node in nodes(messages) for key in ("text", "altText", "label")
            if isinstance(node.get(key), str)]
