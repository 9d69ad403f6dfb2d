"""Answers only in context: parse_command never returns them (anywhere else they are chatter),
the handlers call them where the bot has asked something."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.commands.types import MAX_HEADCOUNT
from handlers.commands.normalise import _clean, normalise, _ONE_FOR_ONE
from handlers.commands.pieces import _codes, _FLAGS, _number, _QUESTION_WORDS, _WORD_NUMBER
from handlers.commands.answers import _COUNT_TAIL, _POLITE_MID, _SUBJECT, _THIS_TIME
from handlers.commands.parse import parse_command


@dataclass(frozen=True)
class UnclearAnswer:
    """`น่าจะไปครับ แต่ยังไม่แน่`, `ไปมั้ง`: sounds like an answer, but which? (asked with buttons)"""

    headcount: int | None = None


_BARE_COUNT = re.compile(
    rf"(?:(?:รวม|ทั้งหมด|จำนวน|ไปได้|ได้)\s*)?(?P<n>[0-9]{{1,9}}|{_WORD_NUMBER})\s*(?:คน|ท่าน|people|pax)?"
    rf"(?:{_COUNT_TAIL.pattern})",
    _FLAGS,
)


def read_headcount(text: str) -> int | None:
    """A number given alone (`9`, `9 คน`, `๙`, `เก้าคน`, `สิบสอง`): the answer to "ไปกี่คนครับ?"
    only; the caller decides whether that question is open. Any number, even out of range (the
    handler says why); None when the message is anything else (`9 โมงเจอกัน`)."""
    if not isinstance(text, str):
        return None
    clean, asked = _clean(text.translate(_ONE_FOR_ONE))
    if asked or not clean:
        return None
    found = _BARE_COUNT.fullmatch(clean)
    if not found:
        return None
    n = _number(found.group("n"))
    return n if n is not None else MAX_HEADCOUNT + 1


_HEDGE_BEFORE = (
    r"(?:น่าจะ|คง(?:จะ)?|อาจ(?:จะ)?|(?:ก็)?คิดว่า(?:จะ)?|ว่าจะ|ตั้งใจ(?:ว่า)?(?:จะ)?|พยายาม(?:จะ)?|กะว่า(?:จะ)?"
    r"|ถ้า\s*(?:ว่าง|ไม่ติด\S*|ไม่มีอะไร|ได้)?\s*(?:ก็)?\s*(?:จะ)?)"
)
_GO_WORD = r"(?:ไป|มา|เข้าร่วม|ร่วมประชุม)(?:\s*(?:ได้|ร่วม(?:ประชุม)?|ประชุม|ด้วย))?"
_HEDGE_AFTER = r"(?:มั้ง|มั๊ง|ม้าง|มังค์|แหละมั้ง|นะมั้ง)"
_HEDGE_TAIL = (
    r"(?:[\s,]*(?:แต่|แต่ว่า)?\s*(?:ก็)?\s*(?:ยัง)?\s*(?:ไม่\s*แน่(?:\s*ใจ|นอน)?|ไม่ชัวร์|ไม่รู้|ไม่ทราบ|ต้อง\s*ดู|ขอ\s*ดู"
    r"|เดี๋ยว|จะ\s*(?:บอก|แจ้ง|ยืนยัน)|ถ้า|อาจ)[^\n]{0,60})"
)
_LOOSE_COUNT = rf"\s*(?:[0-9]+|{_WORD_NUMBER}(?=\s*(?:คน|ท่าน)))\s*(?:คน|ท่าน)?"
_COUNT_IN = re.compile(rf"(?P<n>[0-9]+)|(?P<w>{_WORD_NUMBER})(?=\s*(?:คน|ท่าน))")
_UNCLEAR = re.compile(
    rf"{_SUBJECT}(?:{_HEDGE_BEFORE}\s*{_SUBJECT}{_GO_WORD}(?P<a>{_LOOSE_COUNT})?(?:\s*{_HEDGE_AFTER})?"
    rf"|{_GO_WORD}(?P<b>{_LOOSE_COUNT})?\s*{_HEDGE_AFTER}"
    rf"|{_GO_WORD}(?P<c>{_LOOSE_COUNT})?(?:{_POLITE_MID})*(?={_HEDGE_TAIL})"
    # a reason alone (`ติดงานศพค่ะ`, `ไม่สบายครับ`): probably "not coming", but it does not say so
    rf"|{_THIS_TIME}(?:ติด\s*(?:งาน|ประชุม|นัด|สอบ|เวร|ราชการ)\S*|ไม่\s*สบาย|ป่วย))"
    rf"(?:{_POLITE_MID})*{_HEDGE_TAIL}?",
    _FLAGS,
)


def read_unclear_answer(text: str) -> UnclearAnswer | None:
    """A hedged answer (`ไปมั้ง`, `น่าจะไป 3 คน แต่ยังไม่แน่`); None for a clear one or for talk.
    The caller asks with buttons only in a chat with an open meeting."""
    if not isinstance(text, str) or parse_command(text) is not None:
        return None
    clean, asked = _clean(text.translate(_ONE_FOR_ONE))
    rest, found, bad = _codes(clean)
    if asked or bad or not rest or any(w in rest for w in _QUESTION_WORDS if w not in ("มั้ย", "มั๊ย")):
        return None
    if any(w in rest for w in ("มั้ย", "มั๊ย", "ไหม")):
        return None
    match = _UNCLEAR.fullmatch(rest)
    if not match:
        return None
    counted = next((match.group(g) for g in ("a", "b", "c") if match.group(g)), None)
    headcount = None
    if counted:
        number = _COUNT_IN.search(counted)
        if number:
            n = _number(number.group("n") or number.group("w"))
            headcount = n if n is not None and 1 <= n <= MAX_HEADCOUNT else None
    return UnclearAnswer(headcount)


_AGREEMENT_EMOJI = {"\U0001f44d", "\U0001f44c", "\u2705", "\u2714", "\U0001f197", "\U0001f646"}  # 👍 👌 ✅ ✔ 🆗 🙆
_AGREEMENT_WORDS = re.compile(
    r"(?:\+\s*1|ok(?:ay)?|okie|โอ\s*เค(?:ร)?|ตกลง|รับทราบ|ได้เลย|yes|ไปด้วย)(?:\s*(?:ค่ะ|ครับ|คับ|จ้า|จ้ะ))?", _FLAGS
)


def is_agreement(text: str) -> bool:
    """👍, `+1`, `ok`, `โอเค`: agreement with whatever the message quotes (a reaction alone is
    chatter; the caller acts on it only when it quotes a meeting's card)."""
    if not isinstance(text, str) or not text.strip():
        return False
    bare = "".join(ch for ch in text if not ch.isspace() and ch not in "\ufe0f\ufe0e\u200d"
                   and not "\U0001f3fb" <= ch <= "\U0001f3ff")  # skin tones
    if bare and set(bare) <= _AGREEMENT_EMOJI:
        return True
    clean = normalise(text)
    return bool(clean) and _AGREEMENT_WORDS.fullmatch(clean) is not None
