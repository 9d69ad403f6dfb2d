"""`GET /calendar/<group id>/<token>.ics`: a group's meetings as a calendar a phone can subscribe to.

The token is an HMAC-SHA256 of the group id under the LINE channel secret (base32, 26 characters,
130 bits), so only someone given the link can read the feed; it is compared in constant time. A
wrong token and an unknown group both answer 404, never 403, so ids cannot be probed. The feed
holds every meeting the group is invited to from the last year on; cancelled ones stay in it with
STATUS:CANCELLED so calendars that had them remove or strike them.

Links are built with `calendar_url(settings.public_base_url, settings.line_channel_secret, group_id)`
(None when `MEETBOT_PUBLIC_URL` is not set).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import select

blueprint = Blueprint("calendar", __name__)

TOKEN_LENGTH = 26
HISTORY = timedelta(days=365)  # past meetings kept in a feed
TOKEN_PURPOSE = b"meetbot-calendar:"  # the same secret signs webhooks; keep the two uses apart


def calendar_token(secret: str, group_id: int) -> str:
    digest = hmac.new(secret.encode("utf-8"), TOKEN_PURPOSE + str(int(group_id)).encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()[:TOKEN_LENGTH]


def token_is_valid(secret: str | None, group_id: int, token: str) -> bool:
    if not secret or not token:
        return False
    return hmac.compare_digest(calendar_token(secret, group_id).encode("ascii"),
                               token.lower().encode("utf-8", errors="replace"))


def calendar_url(public_base_url: str | None, secret: str | None, group_id: int) -> str | None:
    """The subscription link of a group's calendar, or None without a public URL (or a secret)."""
    if not public_base_url or not secret:
        return None
    return f"{public_base_url.rstrip('/')}/calendar/{int(group_id)}/{calendar_token(secret, group_id)}.ics"


@blueprint.get("/calendar/<int:group_id>/<token>.ics")
def group_calendar(group_id: int, token: str):
    from models.meetings import Invitation, Meeting
    from models.network import FinancialGroup
    from exports.ical import meeting_ics

    services = current_app.extensions["meetbot"]
    if not token_is_valid(services.settings.line_channel_secret, group_id, token):
        abort(404)
    tz = services.settings.timezone
    since = services.clock() - HISTORY
    with services.db.reading() as session:
        group = session.get(FinancialGroup, group_id)
        if group is None:
            abort(404)
        meetings = list(session.scalars(
            select(Meeting).join(Invitation, Invitation.meeting_id == Meeting.id)
            .where(Invitation.group_id == group_id, Meeting.ends_at >= since)
            .order_by(Meeting.starts_at, Meeting.id)))
        body = meeting_ics(meetings, tz, calendar_name=f"นัดประชุม {group.name}")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="meetbot-{group_id}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    response.add_etag()
    return response.make_conditional(request)
