"""The routes, in the order they are tried."""

from __future__ import annotations

from handlers import replies
from handlers.router import Router
from handlers.turn import Turn

router = Router()


@router.route(lambda t: t.event.type == "follow")
def handle_follow(turn: Turn, _) -> None:
    """A person added the bot as a friend: greet and show what they can do."""
    turn.say(replies.text(replies.WELCOME + "\n\n" + replies.HELP))


@router.route(lambda t: t.event.type == "message" and t.event.text is not None and t.event.in_direct_chat)
def handle_direct_text(turn: Turn, _) -> None:
    """Any text in a 1:1 chat that no command took: the help text."""
    turn.say(replies.text(replies.HELP))
