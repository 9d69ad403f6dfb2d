"""A local fake of the LINE Messaging API.

Tests, benchmarks and ``meetbot serve`` (without LINE credentials) point the real line-bot-sdk v3
client at it::

    from bot.fakeline import FakeLine
    from linebot.v3.messaging import ApiClient, MessagingApi, PushMessageRequest, TextMessage

    with FakeLine() as fake:
        with ApiClient(fake.configuration()) as client:   # Configuration(host=fake.url, access_token=...)
            MessagingApi(client).push_message(
                PushMessageRequest(to="U" + "0" * 32, messages=[TextMessage(text="สวัสดี")]),
                _request_timeout=(2, 5))
        assert fake.delivered_messages()[0][1]["text"] == "สวัสดี"

It answers like LINE at the HTTP level: bearer auth (401), ``x-line-request-id`` on every
response, request bodies validated against the vendored OpenAPI spec (``messaging-api.yml``,
discriminator mappings followed, plus LINE's documented limits the spec lacks), single-use
expiring reply tokens, ``X-Line-Retry-Key`` (409 + ``x-line-accepted-request-id``), the monthly
quota (429), LINE's per-endpoint rate limits (429 past 2,000 replies or pushes, or 200 multicasts,
in any one second; ``peak_per_second`` tells the most it saw), profiles, groups and message content.  Faults (``fail``, ``hang``, ``latency``) can be
injected from Python or over HTTP under ``/_fake/``; ``python -m bot.fakeline`` runs it standalone
and prints ``FAKE_LINE_URL=http://127.0.0.1:PORT``.

Control endpoints (JSON, no auth, not recorded, no latency) for another process::

    GET  /_fake/requests?since=SEQ   recorded requests with seq > SEQ (bodies included)
    GET  /_fake/messages?since=SEQ   delivered messages [{"seq","endpoint","to","message"}]
    GET  /_fake/state                quota, latency, faults, counts, peakPerSecond, rateLimited
    POST /_fake/reply-token  {"chatId", "ttl"?}                      -> {"replyToken"}
    POST /_fake/profile      {"userId", "displayName", "pictureUrl"?, "language"?}
    POST /_fake/group        {"groupId", "name", "members": {userId: displayName}, "pictureUrl"?}
    POST /_fake/content      {"messageId", "dataBase64", "contentType"?}
    POST /_fake/faults       {"action": "fail", "status", "times"?, "ratio"?, "paths"?, "body"?}
                             {"action": "hang", "seconds", "times"?, "ratio"?, "paths"?}
                             {"action": "latency", "seconds"} | {"action": "clear"}
    POST /_fake/quota        {"limit": N | null, "used"?}
    POST /_fake/reset

Endpoint names (``Recorded.endpoint``, fault ``paths``): reply, push, multicast, broadcast,
narrowcast, profile, group_member_profile, group_summary, group_members_count, group_members_ids
(403, as for an unverified account), quota, quota_consumption, content, loading, bot_info, unknown.
"""

from .server import ENDPOINTS, SENDING, FakeLine, Recorded
from .spec import load_spec, utf16_len

__all__ = ["FakeLine", "Recorded", "ENDPOINTS", "SENDING", "load_spec", "utf16_len"]
