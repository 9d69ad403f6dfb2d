"""A small ordered router: the first route whose check accepts the event handles it.

Each route pairs a check (does this event concern me? returns what it parsed, or None) with a
handler that receives the turn and that parse, so text is parsed once, at the edge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from handlers.turn import Turn

log = logging.getLogger("meetbot.handlers")

Check = Callable[[Turn], Any]
Handler = Callable[[Turn, Any], None]


@dataclass(frozen=True)
class Route:
    name: str
    check: Check
    handle: Handler


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, check: Check, name: str | None = None) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(Route(name or handler.__name__, check, handler))
            return handler

        return register

    def dispatch(self, turn: Turn) -> str | None:
        for route in self.routes:
            parsed = route.check(turn)
            if parsed is None or parsed is False:
                continue
            route.handle(turn, parsed)
            return route.name
        log.debug("no route for %s event %s", turn.event.type, turn.event.webhook_event_id)
        return None
