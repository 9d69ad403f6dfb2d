"""The Flask app factory and the services it wires together."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import Flask

from bot.config import Settings
from bot.delivery import DeliveryThread, Sender
from bot.line_client import LineClient
from handlers.turn import BotSettings
from models.base import utcnow
from models.db import Database

log = logging.getLogger("meetbot")


@dataclass
class Services:
    settings: Settings
    db: Database
    line: LineClient
    sender: Sender
    delivery: DeliveryThread | None
    bot_settings: BotSettings
    # The time as the app sees it: tests and simulations move it; everything else uses real time.
    clock: Callable[[], datetime] = utcnow

    def set_clock(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.sender.clock = clock


# A web worker's background sender sends its own replies as they come: a few at a time is plenty,
# and more threads only compete with the request threads for the GIL (measured in benchmarks/).
WEB_SENDER_CONCURRENCY = 4


def build_services(settings: Settings, *, background_delivery: bool = True, db: Database | None = None,
                   lanes: int = 1) -> Services:
    settings.require("line_channel_secret", "line_channel_access_token")
    db = db or settings.database()
    line = LineClient(settings)
    concurrency = min(settings.sender_concurrency, WEB_SENDER_CONCURRENCY) if background_delivery \
        else settings.sender_concurrency
    sender = Sender(db, line, concurrency=concurrency, lanes=lanes)
    return Services(
        settings=settings,
        db=db,
        line=line,
        sender=sender,
        delivery=DeliveryThread(sender) if background_delivery else None,
        bot_settings=bot_settings(settings),
    )


def bot_settings(settings: Settings) -> BotSettings:
    from functools import partial

    from bot.calendar import calendar_url

    return BotSettings(timezone=settings.timezone, setup_code=settings.setup_code,
                       calendar_link=partial(calendar_url, settings.public_base_url, settings.line_channel_secret))


def create_app(settings: Settings | None = None, *, background_delivery: bool = True,
               services: Services | None = None) -> Flask:
    """Build the web app. Web workers never run the clock; `meetbot clock` does."""
    from bot.calendar import blueprint as calendar_blueprint
    from bot.inbound import MAX_BODY_BYTES
    from bot.webhook import blueprint
    from models.schema import schema_state

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings or Settings.from_env()
    services = services or build_services(settings, background_delivery=background_delivery)
    app = Flask(__name__)
    # No request this app serves has a body larger than a webhook's (bot/inbound.py). A chunked
    # body (no Content-Length) is read at most one byte past the limit, so the webhook can tell
    # "over the limit" (413) from "exactly at it"; Werkzeug itself would silently cut it short.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    app.extensions["meetbot"] = services
    app.register_blueprint(blueprint)
    app.register_blueprint(calendar_blueprint)
    try:
        state = schema_state(services.db)
        if not state["current"]:
            log.error("database schema is %s, the code needs %s: run `meetbot db upgrade`",
                      state["revision"] or "empty", state["head"])
    except Exception as exc:
        log.error("database not reachable at start: %s", exc)
    # Everything loaded so far (the SDK's models, SQLAlchemy's metadata, the routes) lives as long
    # as the process: keep it out of the garbage collector's full passes, which otherwise scan
    # it all and put 50–100 ms pauses into a busy request (measured with benchmarks/summary.py).
    gc.freeze()
    return app
