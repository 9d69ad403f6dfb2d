"""What the command readers share: the message being read, meeting codes, numbers in words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.commands.types import Invalid, MAX_MEETING_DIGITS
from handlers.commands.normalise import _squash, _THAI_LETTER


@dataclass(frozen=True)
class _Msg:
    original: str
    light: str  # original with one-for-one replacements: same length, same positions
    clean: str  # normalised for matching
    asked: bool  # ended with a question mark
    mentions: tuple[tuple[int, int], ...] = ()  # (start, end) of LINE mentions in `original`


_NOT = object()  # "not a command" from a helper that can also return None as a value
_FLAGS = re.IGNORECASE
# A code at the start of free text (`บันทึก #12 ...`, `วาระ #12 ...`), with the spaces and `:` after it.
_LEADING_CODE = re.compile(rf"#\s?([0-9]+)(?![0-9A-Za-z_{_THAI_LETTER}])[\s:]*")
_CODE = re.compile(rf"#\s?([0-9]+)(?![0-9A-Za-z_{_THAI_LETTER}])")
_QUESTION_WORDS = (
    "ไหม", "มั้ย", "มั๊ย", "ไม๊", "หรือเปล่า", "รึเปล่า", "หรือป่าว", "กี่โมง", "เมื่อไร", "เมื่อไหร่",
    "ยังไง", "อย่างไรนะ", "วันไหน", "ที่ไหน", "หรือยัง", "รึยัง", "เหรอ", "หรอ", "ใคร", "อะไร",
    "ทำไม", "ได้ป่ะ", "ป่ะ",
)  # fmt: skip


def _is_question(m: _Msg, args: str) -> bool:
    return m.asked or any(w in args for w in _QUESTION_WORDS)


def _codes(s: str) -> tuple[str, list[int], bool]:
    """(text without `#12` codes, the codes (-1: too long), whether a malformed `#...` remains)."""
    found = [int(c) if len(c) <= MAX_MEETING_DIGITS else -1 for c in _CODE.findall(s)]
    rest = _squash(_CODE.sub(" ", s))
    return rest, found, "#" in rest


def _meeting_code(found: list[int], bad: bool) -> int | None | Invalid:
    """The one meeting a command names by `#12` (None: none), or why it cannot be read."""
    return Invalid("invalid_code") if bad else _one_code(found)


def _one_code(found: list[int]) -> int | None | Invalid:
    if not found:
        return None
    if -1 in found:
        return Invalid("invalid_code")
    if len(set(found)) > 1:
        return Invalid("invalid_codes")
    return found[0]


def _code_only(rest: str, *, strict: bool, bare_number: bool) -> int | None | Invalid | object:
    """The meeting of a command whose only argument is a code. `strict` (slash commands): any
    other argument is Invalid; otherwise it means the message is talk (_NOT)."""
    rest, found, bad = _codes(rest)
    rest = re.sub(r"^(?:หน่อย|ด้วย)\s*|\s*(?:หน่อย|ด้วย)$", "", rest)
    if bad:
        return Invalid("invalid_code")
    if rest:
        if bare_number and not found and rest.isascii() and rest.isdigit():
            found = [int(rest) if len(rest) <= MAX_MEETING_DIGITS else -1]
        else:
            return Invalid("invalid_code") if strict else _NOT
    return _one_code(found)


def _cut(m: _Msg, keyword: str) -> str:
    """The original text after `keyword` (as matched in m.clean) and any `:` after it."""
    parts = []
    for ch in keyword:
        if ch.isspace():
            parts.append(r"\s+")
        elif ch == "แ":
            parts.append("(?:แ|เเ)")
        elif ch == "\u0e33":
            parts.append("(?:\u0e33|\u0e4d\u0e32)")
        else:
            parts.append(re.escape(ch))
    found = re.compile(r"\s*" + "".join(parts) + r"[\s:]*", _FLAGS).match(m.light)
    if found is None:  # unreachable: the keyword was matched in the cleaned text
        return ""
    return m.original[found.end():]


_WORD_NUMBERS = {
    "หนึ่ง": 1, "นึง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8,
    "เก้า": 9, "สิบ": 10, "สิบเอ็ด": 11, "ยี่สิบ": 20,
}  # fmt: skip
_UNIT_WORD = "หนึ่ง|นึง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า"
_WORD_NUMBER = rf"(?:(?:ยี่|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)?สิบ(?:เอ็ด|{_UNIT_WORD})?|{_UNIT_WORD})"


def _number(word: str) -> int | None:
    """`12` -> 12, `สี่` -> 4, `สิบเอ็ด` -> 11, `ยี่สิบห้า` -> 25; None when too long."""
    if word.isascii() and word.isdigit():
        return int(word) if len(word) <= 6 else None
    if "สิบ" in word:
        tens, units = word.split("สิบ", 1)
        t = 2 if tens == "ยี่" else _WORD_NUMBERS.get(tens, 1)
        return t * 10 + (1 if units == "เอ็ด" else _WORD_NUMBERS.get(units, 0))
    return _WORD_NUMBERS.get(word)
