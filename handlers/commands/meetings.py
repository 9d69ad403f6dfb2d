"""Coordinators' meeting commands: create, move, cancel, invite, remind, a meeting's settings and
agenda; everyone's summary and minutes."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.commands.types import (
    Agenda,
    Cancel,
    Command,
    CreateMeeting,
    Invalid,
    Invite,
    MAX_HEADCOUNT,
    MAX_MEETING_DIGITS,
    MAX_REMIND,
    MeetingSetting,
    Minutes,
    Move,
    Remind,
    Summary,
)
from handlers.commands.normalise import _ONE_FOR_ONE, _SPACE_CHARS, _trim_free_text
from handlers.commands.pieces import (
    _meeting_code,
    _CODE,
    _code_only,
    _codes,
    _cut,
    _FLAGS,
    _is_question,
    _LEADING_CODE,
    _Msg,
    _NOT,
    _number,
    _WORD_NUMBER,
)


_MINUTES = re.compile(
    r"(?:(?:ขอ\s*)?(?:ดู\s*)?(?P<th>บันทึกการประชุม|รายงานการประชุม|สรุปการประชุม)|(?P<en>/minutes|minutes))", _FLAGS
)
_SUMMARY = re.compile(
    r"(?:(?:ขอ|ช่วย)\s*)?(?:ดู\s*)?"
    r"(?:(?P<sum>สรุป(?:ยอด|คำตอบ|ผล)?)|ยอด(?:รวม|คน|คนไป|คนมา|ผู้เข้าร่วม)?|(?:มี)?ใคร\s*(?:จะ\s*)?(?:ไป|มา|ตอบ)(?:\s*แล้ว)?\s*บ้าง"
    r"|(?P<en>/summary|/sum|summary))(?:\s*(?:หน่อย|ด้วย))?",
    _FLAGS,
)
_CANCEL = re.compile(
    r"(?:(?P<en>/cancel)|ยกเลิก(?P<what>\s*(?:นัด(?:ประชุม)?|การประชุม|ประชุม))?)", _FLAGS
)


def _minutes(m: _Msg) -> Command | None | object:
    k = _MINUTES.match(m.clean)
    if not k:
        return None
    meeting = _code_only(m.clean[k.end():], strict=bool(k.group("en")), bare_number=True)
    if meeting is _NOT:
        return None  # `บันทึกการประชุม: ...` is read as a Note
    return meeting if isinstance(meeting, Invalid) else Minutes(meeting)


def _summary(m: _Msg) -> Command | None:
    k = _SUMMARY.match(m.clean)
    if not k:
        return None
    slash = bool(k.group("en"))
    meeting = _code_only(m.clean[k.end():], strict=slash, bare_number=slash or bool(k.group("sum")))
    if meeting is _NOT:
        return None
    return meeting if isinstance(meeting, Invalid) else Summary(meeting, explicit=slash or bool(k.group("sum")))


def _cancel(m: _Msg) -> Command | None:
    k = _CANCEL.match(m.clean)
    if not k:
        return None
    slash, rest = bool(k.group("en")), m.clean[k.end():]
    if not slash and (m.asked or (not k.group("what") and "#" not in rest)):
        return None  # `ยกเลิก` alone, `ยกเลิกแล้ว`: not a meeting's cancellation
    if rest and not slash and not rest[0].isspace() and rest[0] not in "#0123456789":
        return None  # `ยกเลิกนัดพรุ่งนี้เหรอ`
    meeting = _code_only(rest, strict=slash, bare_number=slash or bool(k.group("what")))
    if meeting is _NOT:
        return None
    return meeting if isinstance(meeting, Invalid) else Cancel(meeting)


_CREATE = re.compile(
    r"(?:(?P<en>/meet(?:ing)?)(?=\s|$)"
    r"|นัด\s*ประชุม|นัดหมาย(?=\s)"
    r"|(?P<bare>นัด)(?=$|[\s:0-9]|วัน|พรุ่งนี้|มะรืน|สัปดาห์|อาทิตย์|เดือน|ที่|ทุก|เสาร์|ศุกร์|จันทร์|อังคาร|พุธ|พฤหัส))",
    _FLAGS,
)
_MOVE = re.compile(
    r"(?:(?P<en>/move)(?=[\s#]|$)"
    r"|เลื่อน\s*(?:นัด(?:\s*ประชุม)?|การประชุม|ประชุม)(?=$|[\s#:0-9]|วัน|ไป|เป็น|พรุ่งนี้|มะรืน|จาก|สัปดาห์|อาทิตย์|เดือน)"
    r"|เลื่อน(?=\s*#))",
    _FLAGS,
)
_DATE_LIKE = re.compile(
    r"[0-9]|วัน|พรุ่งนี้|มะรืน|เดือน|สัปดาห์|อาทิตย์|โมง|ทุ่ม|เช้า|บ่าย|เย็น|เที่ยง|จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์"
    r"|ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค",
    _FLAGS,
)



def _create(m: _Msg) -> Command | None:
    k = _CREATE.match(m.clean)
    if not k:
        return None
    args = m.clean[k.end():].strip(" :")
    if not k.group("en") and _is_question(m, args):
        return None  # `นัดวันไหนนะ`, `นัดที่ไหน`, `นัด 15 ส.ค. ไหม`
    if k.group("bare") and args and not _DATE_LIKE.search(args):
        return None  # `นัดที่วัดนะ`: `นัด` with no date is talk (`นัดประชุม <title>` is not)
    return CreateMeeting(_trim_free_text(_cut(m, k.group(0))) if args else "")


def _move(m: _Msg) -> Command | None:
    k = _MOVE.match(m.clean)
    if not k:
        return None
    slash, args = bool(k.group("en")), m.clean[k.end():]
    _, found, bad = _codes(args)
    if not slash and (_is_question(m, args) or (not found and args.strip() and not _DATE_LIKE.search(args))):
        return None  # `เลื่อนนัดไปก่อน`, `เลื่อนนัดอีกแล้วเหรอ`
    meeting = _meeting_code(found, bad)
    if isinstance(meeting, Invalid):
        return meeting
    rest = _cut(m, k.group(0)) if args.strip() else ""
    # Take the codes out of the text as typed (`#๑๒` too), joining what was around them.
    light = rest.translate(_ONE_FOR_ONE)
    pieces, at = [], 0
    for code in _CODE.finditer(light):
        pieces.append(rest[at:code.start()])
        at = code.end()
    pieces.append(rest[at:])
    when_text = " ".join(p.strip(_SPACE_CHARS) for p in pieces if p.strip(_SPACE_CHARS))
    return Move(meeting, _trim_free_text(when_text.lstrip(": ")))


# --------------------------------------------------------------------------- remind

_REMIND = re.compile(
    r"(?:(?P<en>/remind)(?=[\s#]|$)|(?:ตั้ง)?เตือน(?:ก่อน|ล่วงหน้า)?(?=$|[\s#]))", _FLAGS
)
_REMIND_OFF = re.compile(
    r"(?:ปิด(?:การเตือน)?|ไม่ต้อง(?:เตือน)?|ยกเลิก(?:การเตือน)?|หยุด(?:เตือน)?|off|none|stop|cancel)", _FLAGS
)
_OFFSET = re.compile(
    r"\s*(?:(?P<n>[0-9]{1,4})\s*(?P<unit>วัน|สัปดาห์|อาทิตย์|ชั่วโมง|ชม\.?|นาที"
    r"|days?|d|weeks?|wks?|w|hours?|hrs?|h|minutes?|mins?|m)(?![a-z])"
    r"|(?P<sep>,|/|\+|และ|กับ|ก่อน|ล่วงหน้า|before|and(?![a-z])))",
    _FLAGS,
)
_UNITS = {
    "วัน": "days", "d": "days", "day": "days", "days": "days",
    "สัปดาห์": "weeks", "อาทิตย์": "weeks", "w": "weeks", "wk": "weeks", "wks": "weeks",
    "week": "weeks", "weeks": "weeks",
    "ชั่วโมง": "hours", "ชม": "hours", "ชม.": "hours", "h": "hours", "hr": "hours", "hrs": "hours",
    "hour": "hours", "hours": "hours",
    "นาที": "minutes", "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes",
    "minutes": "minutes",
}  # fmt: skip


def _offsets(s: str) -> list[timedelta] | None:
    """`3 วัน 1 วัน 2 ชม.` / `3d, 1d 2h 30m` -> offsets; None when something else is in there."""
    found, at = [], 0
    while at < len(s):
        o = _OFFSET.match(s, at)
        if not o or o.end() == at:
            return None
        if o.group("n"):
            found.append(timedelta(**{_UNITS[o.group("unit").lower()]: int(o.group("n"))}))
        at = o.end()
    return found


def _remind(m: _Msg) -> Command | None:
    k = _REMIND.match(m.clean)
    if not k:
        return None
    slash, args = bool(k.group("en")), m.clean[k.end():]
    rest, found, bad = _codes(args)
    if not slash and _is_question(m, args):
        return None
    meeting = _meeting_code(found, bad)
    if isinstance(meeting, Invalid):
        return meeting
    if not rest:
        return Remind(meeting, None, False)
    if _REMIND_OFF.fullmatch(rest):
        return Remind(meeting, None, True)
    offsets = _offsets(rest)
    if not offsets:
        return Invalid("invalid_remind") if slash or found else None  # `เตือนความจำ`: talk
    if any(not timedelta(minutes=1) <= o <= MAX_REMIND for o in offsets):
        return Invalid("invalid_remind_range")
    return Remind(meeting, tuple(sorted(set(offsets), reverse=True)), False)


# --------------------------------------------------------------------------- invite

_INVITE = re.compile(
    r"(?:(?P<en>/invite)(?=[\s#]|$)"
    r"|เชิญ(?=[\s#]|ต\.|ตำบล|กลุ่ม|กองทุน|กทบ|ออมทรัพย์|สัจจะ|หมู่|ม\.|ทุกกลุ่ม|ทุกกองทุน|ทุกหมู่|ทั้งตำบล|ผู้นำ|กรรมการ"
    r"|คุณอำนวย))",
    _FLAGS,
)
_QUOTA_TAIL = re.compile(
    rf"(?:^|(?<=\s))(?:(?:โควตา|โควต้า|quota|กลุ่มละ|กองทุนละ|หมู่ละ|ละ)\s*)?"
    rf"(?P<n>[0-9]+|{_WORD_NUMBER})\s*(?P<unit>คน|ท่าน|people|persons?|pax)?"
    r"(?:\s*(?:/\s*กลุ่ม|ต่อ\s*กลุ่ม|ต่อ\s*กองทุน|ต่อหมู่|per\s+group|/\s*group|each))?$",
    _FLAGS,
)
_VILLAGE_BEFORE = re.compile(r"(?:หมู่|หมู่ที่|ม\.|moo|village|no\.?)\s*$", _FLAGS)
_BAD_QUOTA = re.compile(
    r"(?:^|\s)(?:-?[0-9]+[.,/x%-][0-9a-z%]*|-[0-9]+|[0-9]+[a-z]+|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)\s*(?:คน|people)?$",
    _FLAGS,
)
_GROUPISH = re.compile(
    r"(?:ต\.|ตำบล|กลุ่ม|กองทุน|กทบ|หมู่|ม\.|บ้าน|ทั้งตำบล|ทุกกลุ่ม|ทุกกองทุน|ทุกหมู่|ผู้นำ|กรรมการ|คณะ|คุณอำนวย|สมาชิก|ชุมชน"
    r"|ออมทรัพย์|สัจจะ|วิสาหกิจ|สหกรณ์)"
)


def _invite(m: _Msg) -> Command | None:
    k = _INVITE.match(m.clean)
    if not k:
        return None
    slash, args = bool(k.group("en")), m.clean[k.end():]
    rest, found, bad = _codes(args)
    rest = " ".join(rest.split())
    if not slash and (not rest or _is_question(m, args)):
        return None  # `เชิญ`, `เชิญครับ`: "please, go ahead"
    meeting = _meeting_code(found, bad)
    if isinstance(meeting, Invalid):
        return meeting
    quota = None
    q = _QUOTA_TAIL.search(rest)
    if q:
        before = rest[: q.start()]
        if q.group("n").isdigit() and not q.group("unit") and _VILLAGE_BEFORE.search(before):
            q = None  # `กองทุนหมู่ 3`: the village's number, not a quota
        else:
            quota = _number(q.group("n"))
            rest = before.rstrip(" ,:")
            if quota is None or not 1 <= quota <= MAX_HEADCOUNT:
                return Invalid("invalid_quota")
    elif _BAD_QUOTA.search(rest):
        return Invalid("invalid_quota")
    if not rest:
        return Invalid("invalid_invite_target")
    if not slash and quota is None and meeting is None and not _GROUPISH.match(rest):
        return None  # `เชิญ ทุกท่านร่วมงานบุญ`: talk, not an invitation
    return Invite(rest, quota, meeting)



# --------------------------------------------------------------------------- a meeting's settings and agenda

_SETTING = re.compile(
    r"(?:(?P<nudges>/nudges|เตือน\s*ส่วนตัว)|(?P<notes>/leader[-_]?notes|(?:อนุญาต\s*(?:ให้\s*)?)?ผู้นำ\s*บันทึก))"
    r"(?=$|[\s#:])",
    _FLAGS,
)
_SETTING_VALUE = re.compile(r"(?P<on>on|เปิด)|off|ปิด", _FLAGS)


def _setting(m: _Msg) -> Command | None:
    """`เตือนส่วนตัว #12 ปิด`, `ผู้นำบันทึก #12 เปิด` (the code and the value in either order)."""
    k = _SETTING.match(m.clean)
    if not k:
        return None
    slash, args = k.group(0).startswith("/"), m.clean[k.end():]
    rest, found, bad = _codes(args)
    value = _SETTING_VALUE.fullmatch(rest.strip(" :"))
    if not slash and (_is_question(m, args) or not (found or bad or value)):
        return None  # `ผู้นำบันทึก ไว้แล้ว`: talk about a leader's notes
    which = "nudges" if k.group("nudges") else "leader_notes"
    meeting = _meeting_code(found, bad)
    if isinstance(meeting, Invalid):
        return meeting
    if meeting is None or value is None:
        return Invalid(f"invalid_setting_{which}")
    return MeetingSetting(which, bool(value.group("on")), meeting)


_AGENDA = re.compile(r"(?:(?P<en>/agenda)|(?:ระเบียบ\s*)?วาระ(?:\s*การประชุม)?)(?=$|[\s#:])", _FLAGS)


def _agenda(m: _Msg) -> Command | None:
    """`วาระ #12 <ข้อความ>`: the text after the code as typed; without a code `วาระ ...` is talk."""
    k = _AGENDA.match(m.clean)
    if not k:
        return None
    rest = _cut(m, k.group(0))
    code = _LEADING_CODE.match(rest.translate(_ONE_FOR_ONE))
    if code is None:
        return Invalid("invalid_agenda") if k.group("en") else None
    if len(code.group(1)) > MAX_MEETING_DIGITS:
        return Invalid("invalid_code")
    text = rest[code.end():].strip(_SPACE_CHARS)
    return Agenda(int(code.group(1)), text) if text else Invalid("invalid_agenda")
