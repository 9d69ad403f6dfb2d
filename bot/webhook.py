"""The door: `POST /callback` (verify, record, hand over, answer 200) and `GET /healthz`."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from bot.signature import signature_is_valid
from handlers import process_event
from models import events as event_store
from models import outbox

log = logging.getLogger("meetbot.webhook")
blueprint = Blueprint("webhook", __name__)


def _services():
    return current_app.extensions["meetbot"]


class MalformedBody(ValueError):
    pass


def _events_of(body: str) -> tuple[list[dict[str, Any]], list[tuple[Any, str]]]:
    """The well-formed events of a body, and the ill-formed ones with the reason."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise MalformedBody(f"not JSON: {exc}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise MalformedBody("no list of events")
    good, bad = [], []
    for event in payload["events"]:
        if not isinstance(event, dict):
            bad.append((event, "an event that is not an object"))
        elif not isinstance(event.get("webhookEventId"), str) or not event["webhookEventId"]:
            bad.append((event, "an event without webhookEventId"))
        elif not isinstance(event.get("type"), str):
            bad.append((event, "an event without a type"))
        elif not isinstance(event.get("timestamp"), (int, float)) or isinstance(event.get("timestamp"), bool):
            bad.append((event, "an event without a numeric timestamp"))
        elif "source" in event and not isinstance(event["source"], dict):
            bad.append((event, "an event whose source is not an object"))
        else:
            good.append(event)
    return good, bad


@blueprint.post("/callback")
def callback():
    services = _services()
    signature = request.headers.get("X-Line-Signature", "")
    raw = request.get_data()
    if not signature or not signature_is_valid(services.settings.line_channel_secret, raw, signature):
        log.warning("webhook with a missing or wrong signature refused")
        return jsonify(error="invalid signature"), 400

    body = raw.decode("utf-8", errors="replace")
    now = services.clock()
    try:
        events, bad = _events_of(body)
    except MalformedBody as exc:
        # Signed by LINE but unreadable: keep it for a person to look at; a 5xx would only make
        # LINE redeliver the same unreadable body.
        log.error("signed webhook body kept for inspection: %s", exc)
        with services.db.transaction() as session:
            event_store.keep_rejected_body(session, raw, str(exc), now=now)
        return jsonify(status="kept for inspection"), 200

    with services.db.transaction() as session:
        for event, why in bad:
            event_store.keep_rejected_body(session, json.dumps(event, ensure_ascii=False).encode(), why, now=now)
        new_ids = event_store.record_events(session, events, received_at=now)

    for event_id in new_ids:  # already in timestamp order
        process_event(services.db, event_id, services.bot_settings, now=now)
    if new_ids and services.delivery is not None:
        services.delivery.poke()
    return jsonify(status="ok"), 200


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
