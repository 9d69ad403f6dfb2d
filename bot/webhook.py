"""The door: `POST /callback` (verify, record, hand over, answer 200) and `GET /healthz`."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.inbound import MAX_BODY_BYTES, MalformedBody, read_body
from bot.signature import signature_is_valid
from handlers import process_event
from models import events as event_store
from models import outbox

log = logging.getLogger("meetbot.webhook")
blueprint = Blueprint("webhook", __name__)


def _services():
    return current_app.extensions["meetbot"]




@blueprint.post("/callback")
def callback():
    services = _services()
    # Refused before a byte is read: the signature needs the whole body, and a body this large
    # did not come from LINE (bot/inbound.py says why the limit is what it is). A chunked body
    # has no length: Flask's MAX_CONTENT_LENGTH (set in create_app) stops reading it past the limit.
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        log.warning("webhook body of %d bytes refused unread (limit %d)", request.content_length, MAX_BODY_BYTES)
        return _too_large()
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY_BYTES:  # chunked: cut one byte past the limit by MAX_CONTENT_LENGTH
        log.warning("chunked webhook body refused past %d bytes", MAX_BODY_BYTES)
        return _too_large()
    signature = request.headers.get("X-Line-Signature", "")
    if not signature or not signature_is_valid(services.settings.line_channel_secret, raw, signature):
        log.warning("webhook with a missing or wrong signature refused")
        return jsonify(error="invalid signature"), 400

    now = services.clock()
    try:
        body = read_body(raw)
    except MalformedBody as exc:
        # Signed by LINE but unreadable: keep it for a person to look at; a 5xx would only make
        # LINE redeliver the same unreadable body.
        log.error("signed webhook body kept for inspection: %s", exc)
        with services.db.transaction() as session:
            event_store.keep_rejected_body(session, raw, str(exc), now=now)
        return jsonify(status="kept for inspection"), 200

    with services.db.transaction() as session:
        for what, why in body.rejected:
            log.error("signed webhook event kept for inspection: %s", why)
            event_store.keep_rejected_body(session, what, why, now=now)
        new_ids = event_store.record_events(session, body.events, received_at=now)

    for event_id in new_ids:  # already in timestamp order
        process_event(services.db, event_id, services.bot_settings, now=now)
    if new_ids and services.delivery is not None:
        services.delivery.poke()
    return jsonify(status="ok"), 200


def _too_large():
    return jsonify(error=f"body over {MAX_BODY_BYTES} bytes"), 413


@blueprint.app_errorhandler(RequestEntityTooLarge)
def body_too_large(_exc):
    """A chunked body that ran past MAX_CONTENT_LENGTH while being read."""
    log.warning("webhook body refused past %d bytes", MAX_BODY_BYTES)
    return _too_large()


@blueprint.get("/healthz")
def healthz():
    services = _services()
    from models.schema import schema_state

    body: dict[str, Any] = {"status": "ok"}
    try:
        state = schema_state(services.db)
        with services.db.reading() as session:
            counts = outbox.counts(session)
        body["database"] = {"ok": True, "dialect": services.db.engine.dialect.name, **state}
        body["outbox"] = {"pending": counts.get(outbox.Status.PENDING, 0) + counts.get(outbox.Status.SENDING, 0),
                          "dead": counts.get(outbox.Status.DEAD, 0) + counts.get(outbox.Status.UNCERTAIN, 0)}
        if not state["current"]:
            body["status"] = "degraded"
            return jsonify(body), 503
    except Exception as exc:  # the health check reports, it does not crash
        body["status"] = "error"
        body["database"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        return jsonify(body), 503
    return jsonify(body), 200
