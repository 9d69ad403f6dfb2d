"""`ชื่อจริง สมชาย ใจดี` / `/realname …`: the name printed on the sign-in sheets and the minutes.

A LINE display name is a nickname (`ลุงชม 🌾`); the budget officer's papers need the real name.
Anyone sets their own, in any chat; a facilitator or coordinator sets someone else's by mentioning
them (`ชื่อจริง @ลุงชม ชม ใจดี`), for people who do not type. `meetbot import` sets leaders' real
names too (models/importer.py). Forget-me clears it (models/people.forget).
"""

from __future__ import annotations

import unicodedata

from handlers import replies
from handlers.texts import t
from handlers.turn import Turn
from models.people import ensure_person
from models.safe_text import strip_bidi

MAX_REAL_NAME = 100  # letters; the column holds 200


def clean_real_name(typed: str) -> str | None:
    """The name as it will be printed, or None when it cannot be a person's name: no bidi or
    other invisible controls, spaces tidied, at least two letters, no digits (a meeting code or a
    phone number typed by mistake), at most MAX_REAL_NAME characters."""
    text = "".join(ch for ch in strip_bidi(typed) if unicodedata.category(ch) not in ("Cc", "Cf") or ch == " ")
    text = " ".join(text.split())
    letters = sum(1 for ch in text if unicodedata.category(ch).startswith("L"))
    if letters < 2 or len(text) > MAX_REAL_NAME or any(ch.isdigit() for ch in text):
        return None
    return text


def handle_real_name(turn: Turn, command) -> None:
    person = turn.person
    if person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    target = person
    if command.for_mentioned:
        if not person.is_facilitator:  # coordinators count as facilitators
            turn.say(replies.text(t(turn.lang, "real_name_for_others")))
            return
        mentioned = list(dict.fromkeys(uid for uid in turn.event.mentioned_others if uid))
        if len(mentioned) != 1:
            turn.say(replies.text(t(turn.lang, "real_name_one_mention")))
            return
        target = ensure_person(turn.session, mentioned[0])
    if not command.name:
        how = t(turn.lang, "real_name_how")
        if target.full_name and target is person:
            how = t(turn.lang, "real_name_now", name=strip_bidi(target.full_name)) + "\n" + how
        turn.say(replies.text(how))
        return
    name = clean_real_name(command.name)
    if name is None:
        turn.say(replies.text(t(turn.lang, "real_name_bad", limit=MAX_REAL_NAME)))
        return
    target.full_name = name
    if target is person:
        turn.say(replies.text(t(turn.lang, "real_name_saved", name=name)))
    else:
        line_name = strip_bidi(target.display_name) or t(turn.lang, "real_name_someone")
        turn.say(replies.text(t(turn.lang, "real_name_saved_for", line_name=line_name, name=name)))
