"""Answers to an invitation: going, not going, maybe, with a headcount, names and the group."""

from __future__ import annotations

import dataclasses
import itertools
import re

from handlers.commands.types import Answer, Command, GOING, Invalid, MAX_HEADCOUNT, MAYBE, NOT_GOING
from handlers.commands.normalise import _PARTICLES_TH, _POLITE_TH
from handlers.commands.pieces import _codes, _FLAGS, _Msg, _number, _one_code, _QUESTION_WORDS, _WORD_NUMBER


_SUBJECT = r"(?:(?:พวกเรา|กลุ่มเรา|ทางกลุ่ม|ทางเรา|เรา|กระผม|ผม|ดิฉัน|ฉัน|หนู)\s*)?(?:จะ\s*)?(?:ขอ\s*(?!ไม่|โทษ|อภัย))?"
_POLITE_MID = r"(?:\s*(?:ครับผม|ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|จ้ะ|นะ|ฮะ))?"
_GOING = re.compile(
    _SUBJECT + r"(?:"
    r"(?:ไป|มา)\s*(?:ร่วมประชุม|ร่วม|ประชุม|ด้วย|แน่นอน|แน่ๆ|แน่|ได้)?(?:\s*(?:ด้วย|แน่นอน|แน่ๆ|แน่))?"
    r"|เข้า\s*ร่วม(?:ประชุม)?|ร่วม(?:ประชุม)?|ยืนยัน(?:ไป|มา|เข้าร่วม)"
    r"|yes|yep|yeah|y|going|coming|attending|i'?m\s+going|we'?re\s+going|will\s+come|we'?ll\s+come"
    r")(?![a-z])",
    _FLAGS,
)
_NOT_ONE = (
    r"(?:ไป\s*ไม่ได้|มา\s*ไม่ได้|ไป\s*ไม่ไหว|ไม่ได้\s*ไป|ไม่ได้\s*มา|ไม่ไป|ไม่มา|ไม่สะดวก|ไม่ว่าง|ไม่เข้าร่วม|ไม่ร่วม"
    r"|ติด\s*ธุระ|ติด\s*ภารกิจ|งด|ขอ\s*(?:งด|ลา|ผ่าน)|ขอตัว"
    r"|not\s+going|not\s+coming|can'?t\s+(?:come|go|make\s+it)|cannot\s+(?:come|go|make\s+it)"
    r"|can\s+not\s+(?:come|go)|won'?t\s+(?:come|go)|nope|no)(?![a-z])"
    r"(?:\s*(?:แน่นอน|แน่ๆ|เลย|จริงๆ|จริง\s*ๆ|จริงๆ\s*นะ|นะ|ด้วย))?"
)
_APOLOGY = r"(?:(?:ต้อง)?(?:ขอโทษ|ขออภัย|เสียใจ)(?:\s*(?:ด้วย|นะ|จริงๆ|มาก))*)"
_THIS_TIME = r"(?:(?:คราวนี้|ครั้งนี้|รอบนี้|นัดนี้|วันนั้น|วันนี้|พรุ่งนี้|งานนี้)\s*)?"
_MAYBE_NOT = r"(?:(?:คง|คงจะ|น่าจะ|ก็)\s*)?"
# A reason people add to a refusal (`ติดธุระ`, `ลูกไม่สบาย`, `เพราะต้องไปนา`): only after a clear
# refusal, so a reason word never makes talk an answer on its own.
_REASON = (
    r"(?:เพราะ|เนื่องจาก|ติด|มี\s*(?:ธุระ|งาน|นัด|ภารกิจ)|ไม่สบาย|ป่วย|ต้อง|ไว้\s*(?:คราว|ครั้ง|โอกาส)|คราวหน้า"
    r"|ครั้งหน้า|ขอโทษ|ขออภัย|เสียใจ|ลูก|แม่|พ่อ|สามี|ภรรยา|เมีย|หลาน|ยาย|ตา|งาน|ธุระ|หมอ|โรงพยาบาล)[^\n]{0,80}"
)
_NOT_GOING = re.compile(
    rf"(?:{_APOLOGY}{_POLITE_MID}[\s,]*)?(?:ติด\s*(?:ธุระ|ภารกิจ|งาน|ประชุม|นัด|สอบ|เวร|ราชการ)\S*{_POLITE_MID}[\s,]+)?"
    rf"{_THIS_TIME}{_SUBJECT}{_MAYBE_NOT}{_NOT_ONE}(?:{_POLITE_MID}\s*{_NOT_ONE})?"
    rf"(?:{_POLITE_MID}[\s,]+{_REASON})?"
    rf"(?:{_POLITE_MID}\s*{_APOLOGY})?",
    _FLAGS,
)
_MAYBE_COUNTABLE = re.compile(_SUBJECT + r"(?:อาจ\s*(?:จะ)?\s*(?:ไป|มา)|อาจจะ|maybe|perhaps)(?![a-z])", _FLAGS)
_MAYBE = re.compile(
    _SUBJECT + r"(?:ยัง\s*ไม่\s*แน่\s*ใจ|ไม่\s*แน่\s*ใจ|ไม่แน่|ยังไม่รู้|ยังไม่ทราบ|ยังไม่ชัวร์|ไม่ชัวร์"
    r"|not\s+sure|unsure)(?![a-z])",
    _FLAGS,
)
_COUNT = re.compile(
    _POLITE_MID + r"[\s,:]*(?:(?:กัน|ทั้งหมด|จำนวน|ครบ)\s*)?"
    rf"(?:(?P<n>[0-9]+)|(?P<w>{_WORD_NUMBER})(?=\s*(?:คน|ท่าน)))"
    r"\s*(?P<unit>คน|ท่าน|people|persons?|pax|ppl)?(?![a-z])(?:\s*(?:แน่นอน|แน่ๆ|แน่))?",
    _FLAGS,
)
# After a count: "that is with me" (`รวมผม`, `(รวมตัวเอง)`, `นับผมด้วย`), which changes nothing.
_INCLUDING_ME = (
    r"[\s,]*\(?\s*(?:รวม|นับ)\s*(?:ทั้ง\s*)?(?:ตัว\s*)?(?:ผม|เอง|ดิฉัน|ฉัน|หนู|เรา|ผู้นำ|กระผม)(?:\s*(?:ด้วย|แล้ว))?\s*\)?"
)
_COUNT_TAIL = re.compile(rf"(?:{_POLITE_MID})*(?:{_INCLUDING_ME})?(?:{_POLITE_MID})*\s*", _FLAGS)
# Between a count and its names; without a count only `:`, `(` or a new line introduce names.
_GROUP_WORD = r"(?:กลุ่ม(?!เรา)|กองทุน|ออมทรัพย์|สัจจะ|หมู่)"
_GROUP_AFTER = re.compile(rf"\s+(?:(?:จาก|ของ|ในนาม)\s*)?(?={_GROUP_WORD})")
_GROUP_BEFORE = re.compile(_GROUP_WORD)
_NAMES_SEP = re.compile(r"[ \t]*(?:\n|[:(\[=]|-(?!\d)|–|—|คือ|ได้แก่|ชื่อ|มี|(?=1[.)]\s*[^\s0-9]))\s*", _FLAGS)
_NAMES_SEP_NO_COUNT = re.compile(r"[ \t]*(?:\n|[:(\[])\s*")
_NAME_SPLIT = re.compile(r"\s*(?:[,、،;/\n]|\s(?:และ|กับ|and)\s|(?:^|\s)[0-9]{1,3}[.)])\s*", _FLAGS)


def _names(s: str) -> tuple[str, ...]:
    s = s.strip(" )]")
    if _NAME_SPLIT.search(s):
        parts = _NAME_SPLIT.split(s)
    else:
        parts = s.split()
    names = []
    for part in parts:
        part = re.sub(r"^(?:[0-9]{1,3}[.)]|และ|กับ)\s*", "", part.strip(" ()[]."))
        for p in _POLITE_TH:
            if part.endswith(p) and len(part) > len(p):
                part = part[: -len(p)]
                break
        if part and part not in _PARTICLES_TH:
            names.append(part)
    return tuple(names)


def _answer(m: _Msg) -> Command | None:
    if m.asked:
        return None  # `ไป?`: a question to the others
    s, found, bad = _codes(m.clean)
    if bad or not s or any(w in s for w in _QUESTION_WORDS):
        return None  # `ไป #ทะเล`, `ไปมีอะไร`
    meeting = _one_code(found)
    if isinstance(meeting, Invalid):
        return meeting
    # A group named after the answer: `ไป 4 คน กองทุนหมู่ 3`, `ไม่ไป ของกลุ่มออมทรัพย์`.
    after = _GROUP_AFTER.search(s)
    if after and after.start() and _groupish(s[after.end():]):
        answer = _answer_text(s[: after.start()], meeting)
        if isinstance(answer, Answer):
            return dataclasses.replace(answer, group=s[after.end():])
        if answer is not None:
            return answer
    answer = _answer_text(s, meeting)
    if answer is not None:
        return answer
    # ... or before it: `กองทุนหมู่ 3 ไป 4 คน`, `ออมทรัพย์หมู่ 2: ไม่ไป`.
    if _GROUP_BEFORE.match(s):
        for gap in itertools.islice(re.finditer(r"\s*[:,]?\s+|\s*:\s*", s), 6):
            if not _groupish(s[: gap.start()]):
                break
            answer = _answer_text(s[gap.end():], meeting)
            if isinstance(answer, Answer):
                return dataclasses.replace(answer, group=s[: gap.start()])
            if answer is not None:
                return answer
    return None


def _groupish(s: str) -> bool:
    """Could this be a group's name? `กองทุนหมู่บ้าน หมู่ 3 ท่าไร่` yes; `กองทุนหมู่ 3 เขาบอกว่า` no."""
    return len(s.split()) <= 5 and not any(w in s for w in ("ว่า", "บอก", "เขา", "ไป", "มา", "ไม่", "คน"))


def _answer_text(s: str, meeting: int | None) -> Command | None:
    if _NOT_GOING.fullmatch(s):
        return Answer(NOT_GOING, None, meeting)
    if _MAYBE.fullmatch(s):
        return Answer(MAYBE, None, meeting)
    for response, head in ((MAYBE, _MAYBE_COUNTABLE), (GOING, _GOING)):
        h = head.match(s)
        if h:
            answer = _answer_rest(response, s[h.end():], meeting)
            if answer is not None:
                return answer
    return None


def _answer_rest(response: str, rest: str, meeting: int | None) -> Command | None:
    """What follows `ไป`: nothing, a particle, a count, names."""
    if re.fullmatch(_POLITE_MID + r"\s*", rest):
        return Answer(response, None, meeting)
    c = _COUNT.match(rest)
    if c is None:
        sep = _NAMES_SEP_NO_COUNT.match(rest)  # `ไป: สมศรี, สมชาย` (no count)
        if not sep or sep.end() == len(rest):
            return None
        names = _names(rest[sep.end():])
        return Answer(response, len(names), meeting, names) if names else None
    n = _number(c.group("n") or c.group("w"))
    if n is None or not 1 <= n <= MAX_HEADCOUNT:
        return Invalid("bad_headcount")
    after = rest[c.end():]
    if not after.strip() or _COUNT_TAIL.fullmatch(after):
        return Answer(response, n, meeting)  # `ไป 4 คนนะครับ รวมผม`: the count includes the speaker
    sep = _NAMES_SEP.match(after)
    if sep:
        return Answer(response, n, meeting, _names(after[sep.end():]))
    words = after.split()
    if c.group("unit") and after[:1].isspace() and len(words) == n and not any(ch.isdigit() for ch in after):
        return Answer(response, n, meeting, _names(after))  # `ไป 2 คน สมศรี สมชาย`
    return None
