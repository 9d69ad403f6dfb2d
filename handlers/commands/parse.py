"""The entry point: one message in, one command (or None) out; a leading mention is skipped."""

from __future__ import annotations

import re

from handlers.commands.types import Command, Help
from handlers.commands.normalise import _clean, _ONE_FOR_ONE
from handlers.commands.pieces import _Msg, _NOT
from handlers.commands.people import _appoint, _check_in, _claim, _link, _real_name, _simple, _unlink
from handlers.commands.meetings import _agenda, _cancel, _create, _invite, _minutes, _move, _remind, _setting, _summary
from handlers.commands.notes import _announce, _note, _note_correction
from handlers.commands.answers import _answer

# Tried in this order; the first that reads the message wins (`บันทึกการประชุม` before `บันทึก`,
# `ยกเลิกผูกกลุ่ม` before `ยกเลิก`, the settings `เตือนส่วนตัว` before `เตือน`).
_PARSERS = (
    _simple, _setting, _agenda, _note_correction, _minutes, _note, _announce, _create, _unlink, _cancel, _move,
    _remind, _invite, _link, _appoint, _claim, _check_in, _real_name, _summary, _answer,
)  # fmt: skip
_MENTION = re.compile(r"\s*@\S+\s+")
_NEXT_WORD = re.compile(r"\S+\s+")


def _parse(original: str, mentions: tuple[tuple[int, int], ...] = ()) -> Command | None:
    light = original.translate(_ONE_FOR_ONE)
    stripped = light.strip()
    if stripped and set(stripped) <= {"?"}:
        return Help()
    clean, asked = _clean(light)
    if not clean:
        return None
    m = _Msg(original, light, clean, asked, mentions)
    for parser in _PARSERS:
        found = parser(m)
        if found is not None and found is not _NOT:
            return found
    return None


def _code_points(text: str, mentions) -> tuple[tuple[int, int], ...]:
    """LINE's mention marks (index, length in UTF-16 code units, as LINE counts text) as
    (start, end) positions in the Python string; marks that do not fit the text are dropped."""
    starts, units = {}, 0
    for i, ch in enumerate(text):
        starts[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    starts[units] = len(text)
    spans = []
    for mark in mentions or ():
        try:
            index, length = (int(v) for v in mark)
        except (TypeError, ValueError):
            continue
        if index in starts and index + length in starts and length > 0:
            spans.append((starts[index], starts[index + length]))
    return tuple(spans)


def parse_command(text: str, mentions=()) -> Command | None:
    """The command in a chat message, or None when the message is not for the bot.

    `mentions`: LINE's mention marks in the text, (index, length) pairs as the webhook gives them
    (only `RealName` uses them, to tell the person mentioned from the name typed)."""
    if not isinstance(text, str) or not text.strip():
        return None
    spans = _code_points(text, mentions)
    found = _parse(text, spans)
    if found is not None:
        return found
    # `@meetbot ไป 4`: skip a leading mention (one or two words) if a command follows.
    light = text.translate(_ONE_FOR_ONE)
    mention = _MENTION.match(light)
    for _ in range(2):
        if mention is None:
            break
        cut = mention.end()
        found = _parse(text[cut:], tuple((a - cut, b - cut) for a, b in spans if a >= cut))
        if found is not None:
            return found
        mention = _NEXT_WORD.match(light, mention.end())
    return None
