"""People's and chats' commands: help, language, forget me, link, roles, the setup code, real names,
check-in."""

from __future__ import annotations

import re

from handlers.commands.types import (
    Appoint,
    CheckInOther,
    CheckInSelf,
    ClaimCoordinator,
    Command,
    ForgetMe,
    Help,
    Invalid,
    Language,
    Link,
    ListMeetings,
    RealName,
    Unlink,
)
from handlers.commands.normalise import _ONE_FOR_ONE, _TAIL_PUNCT, _trim_free_text
from handlers.commands.pieces import _codes, _meeting_code, _cut, _FLAGS, _is_question, _Msg


_HELP = re.compile(
    r"(?:/help|help|/start|/menu|menu|วิธีใช้(?:งาน)?|ช่วยด้วย|เมนู|คำสั่ง|คู่มือ|ขอดูเมนู|\?+)", _FLAGS
)
_FORGET = re.compile(
    r"(?:/forget[-_]?me|forget\s+me|ลบข้อมูล\s*(?:ของ)?\s*(?:ฉัน|ผม|ดิฉัน|หนู|ตัวเอง)(?:\s*(?:ด้วย|ทั้งหมด|ออก))?"
    r"|ลบ(?:ชื่อ)?(?:ฉัน|ผม|ดิฉัน)ออก(?:จากระบบ)?)",
    _FLAGS,
)
_LANGUAGE = re.compile(
    r"(?:(?:เปลี่ยน(?:เป็น)?|ใช้)\s*)?"
    r"(?:(?P<en>ภาษาอังกฤษ|อังกฤษ|english|eng|/english|/en|/lang(?:uage)?\s+en(?:glish)?)"
    r"|(?P<th>ภาษาไทย|ไทย|thai|/thai|/th|/lang(?:uage)?\s+th(?:ai)?))",
    _FLAGS,
)
_LANG_SLASH = re.compile(r"/lang(?:uage)?(?=\s|$)", _FLAGS)
_LIST = re.compile(
    r"(?:(?:ขอ\s*)?ดู\s*นัด(?:หมาย)?(?:\s*ทั้งหมด)?|นัดหมาย(?:\s*ทั้งหมด)?|นัด\s*ทั้งหมด|มีนัดอะไรบ้าง"
    r"|/meetings|/list|meetings)(?:\s*(?:หน่อย|ด้วย))?",
    _FLAGS,
)


def _simple(m: _Msg) -> Command | None:
    s = m.clean
    if _HELP.fullmatch(s):
        return Help()
    if _FORGET.fullmatch(s):
        return ForgetMe()
    lang = _LANGUAGE.fullmatch(s)
    if lang and not m.asked:
        return Language("en" if lang.group("en") else "th")
    if _LANG_SLASH.match(s):
        return Invalid("invalid_language")
    if _LIST.fullmatch(s):
        return ListMeetings()
    return None



# --------------------------------------------------------------------------- link, roles, claim

_LINK = re.compile(
    r"(?:(?P<en>/link)(?=\s|$)|(?:ผูก|เชื่อม)\s*(?:กลุ่ม|ห้อง)(?:\s*นี้)?(?:\s*(?:เข้า)?กับ|\s*เป็น)?)", _FLAGS
)
_CHATTER_START = ("แล้ว", "ยัง", "ไม่", "ได้", "เสร็จ", "ให้", "ไว้", "ก่อน", "หน่อย", "กัน", "ผิด", "ใหม่")


def _link(m: _Msg) -> Command | None:
    k = _LINK.match(m.clean)
    if not k:
        return None
    name = m.clean[k.end():].strip(" :")
    if not k.group("en") and (_is_question(m, name) or name.startswith(_CHATTER_START)):
        return None  # `ผูกกลุ่มแล้ว`, `ผูกกลุ่มยังไง`
    return Link(name)


_UNLINK = re.compile(
    r"(?:(?P<en>/unlink)(?=\s|$)|(?:ยกเลิก|เลิก|ถอน)\s*(?:การ\s*)?(?:ผูก|เชื่อม)\s*(?:กลุ่ม|ห้อง)(?:\s*นี้)?(?:\s*(?:กับ|ออกจาก))?)",
    _FLAGS,
)


def _unlink(m: _Msg) -> Command | None:
    """`ยกเลิกผูกกลุ่ม`, `เลิกผูกกลุ่ม`, `ยกเลิกการผูกห้อง`, `/unlink` [name]: undo a link."""
    k = _UNLINK.match(m.clean)
    if not k:
        return None
    name = m.clean[k.end():].strip(" :")
    if not k.group("en") and (_is_question(m, name) or name.startswith(_CHATTER_START)):
        return None  # `ยกเลิกผูกกลุ่มยังไง`, `เลิกผูกกลุ่มแล้ว`
    return Unlink(name)


_DUTY_WORDS = r"(?:ผู้|คน)?(?:บันทึก|นำกระบวนการ|ประสานงาน)"
_APPOINT = re.compile(
    r"(?:(?:แต่ง)?ตั้ง\s*(?P<th>ผู้นำ(?:กลุ่ม)?|คุณอำนวย|ผู้ประสานงาน)(?:\s*เป็น)?"
    rf"(?=$|[\s@]|{_DUTY_WORDS})"
    r"|/(?P<en>leader|facilitator|coordinator[-_]add|add[-_]coordinator)(?=$|\s))",
    _FLAGS,
)
_ROLES = {"ผู้นำ": "leader", "ผู้นำกลุ่ม": "leader", "คุณอำนวย": "facilitator", "ผู้ประสานงาน": "coordinator",
          "leader": "leader", "facilitator": "facilitator"}
_DUTY = re.compile(
    r"(?:^|(?<=\s))(?:(?:เป็น|หน้าที่)\s*)?"
    r"(?:(?P<recorder>(?:ผู้|คน)?บันทึก|เลขา(?:นุการ)?|recorder|note-?taker|secretary)"
    r"|(?P<process>(?:ผู้|คน)?นำกระบวนการ|กระบวนกร|process(?:\s+leader)?)"
    r"|(?P<coordinator>(?:ผู้|คน)?ประสานงาน|coordinator))(?=\s|$)",
    _FLAGS,
)


def _appoint(m: _Msg) -> Command | None:
    k = _APPOINT.match(m.clean)
    if not k:
        return None
    word = (k.group("th") or k.group("en")).lower()
    role = _ROLES.get(word, "coordinator")
    args = m.clean[k.end():]
    talk = args.strip() and "@" not in args and not _DUTY.fullmatch(args.strip())
    if k.group("th") and (_is_question(m, args) or talk):
        return None  # `ตั้งผู้นำ ใหม่แล้ว`: talk (a real appointment @mentions someone)
    rest = _cut(m, k.group(0)) if args.strip() else ""
    duty = None
    if role == "facilitator" and rest:
        d = _DUTY.search(rest.translate(_ONE_FOR_ONE))
        if d:
            duty = next(name for name in ("recorder", "process", "coordinator") if d.group(name))
            rest = rest[: d.start()] + " " + rest[d.end():]
    return Appoint(role, duty, _trim_free_text(" ".join(rest.split())))


_CLAIM = re.compile(r"(?:(?P<en>/coordinator)|ผู้ประสานงาน)(?=\s|$)", _FLAGS)


def _claim(m: _Msg) -> Command | None:
    k = _CLAIM.match(m.clean)
    if not k:
        return None
    code = re.sub(r"^(?:รหัส|code)\s*:?\s*", "", m.clean[k.end():].strip(), flags=_FLAGS)
    if k.group("en"):
        return ClaimCoordinator(code) if code else Invalid("invalid_claim_code")
    if not code or m.asked or any(c.isspace() for c in code) or not re.search(r"[0-9A-Za-z]", code):
        return None  # `ผู้ประสานงาน คนใหม่`: talk about the coordinator
    return ClaimCoordinator(code)


# --------------------------------------------------------------------------- real names

_REAL_NAME = re.compile(
    r"(?:(?P<en>/(?:real|full)[-_]?name)"
    r"|(?:ตั้ง|แก้|เปลี่ยน|บันทึก|แจ้ง|ใส่)?\s*ชื่อ\s*(?:-?\s*(?:นาม)?สกุล\s*)?จริง(?:\s*-?\s*(?:นาม)?สกุล)?"
    r"(?:\s*(?:คือ|ว่า))?)(?=[\s:]|$)",
    _FLAGS,
)
_NAME_CHATTER = _CHATTER_START + ("ของ", "ก็", "เขา", "ต้อง", "ใช้", "จะ", "อยู่", "หรือ", "เหมือน", "ตาม")
_NAME_LEAD = re.compile(r"^(?:คือ|ว่า|เป็น)\s+")
_LEADING_AT = re.compile(r"\s*@\S+")


def _real_name(m: _Msg) -> Command | None:
    k = _REAL_NAME.match(m.clean)
    if not k:
        return None
    args = m.clean[k.end():].strip(" :")
    if not k.group("en") and (_is_question(m, args) or args.startswith(_NAME_CHATTER)):
        return None  # `ชื่อจริง ไม่ใช่ชื่อเล่น`, `ชื่อจริงคืออะไร`
    rest = _cut(m, k.group(0)) if args else ""
    start = len(m.original) - len(rest)
    inside = sorted((a - start, b - start) for a, b in m.mentions if a >= start)
    for a, b in reversed(inside):
        rest = rest[:a] + " " + rest[b:]
    mentioned = bool(inside)
    if not mentioned and rest.lstrip().startswith("@"):  # no marks from LINE: `@word` is the mention
        rest, mentioned = _LEADING_AT.sub(" ", rest, count=1), True
    name = _NAME_LEAD.sub("", _trim_free_text(" ".join(rest.split())))
    # `ชื่อจริง สมชาย ใจดี ครับ!!`: no name ends in punctuation (a final `.` may: `Jr.`) or a particle.
    while (shorter := _trim_free_text(name.rstrip("".join(_TAIL_PUNCT - {".", "-"}) + " "))) != name:
        name = shorter
    return RealName(name, for_mentioned=mentioned)


# --------------------------------------------------------------------------- check-in

_HERE = re.compile(
    r"(?:(?:ผม|ดิฉัน|ฉัน|หนู|เรา)\s*)?(?:มา\s*(?:ถึง\s*)?แล้ว|ถึง\s*แล้ว|เช็[คก]\s*อิน(?:\s*แล้ว)?)"
    r"|/here|here|i'?m\s+here|/check[-_]?in|check[-_ ]?in",
    _FLAGS,
)
_CHECKIN = re.compile(r"(?:(?P<en>/check[-_]?in)|เช็[คก]\s*ชื่อ|ลงชื่อให้)(?=\s|$)", _FLAGS)
_TITLES = {"นาย", "นาง", "นางสาว", "น.ส.", "ยาย", "ตา", "ลุง", "ป้า", "พี่", "น้า", "คุณ", "กำนัน", "ผญบ.",
           "mr", "mr.", "mrs", "mrs.", "ms", "ms."}
_GROUP_MARKERS = ("กลุ่ม", "กองทุน", "หมู่", "ม.", "ออมทรัพย์", "สัจจะ", "ต.", "ตำบล", "บ้าน")


def _split_name_group(s: str) -> tuple[str, str]:
    """`นายสมศักดิ์ ใจดี กองทุนหมู่ 3` -> (`นายสมศักดิ์ ใจดี`, `กองทุนหมู่ 3`); see the module notes."""
    words = s.split()
    first = 2 if len(words) > 2 and words[0].lower() in _TITLES else 1
    for i in range(first, len(words)):
        if words[i] == "กลุ่ม" and i + 1 < len(words):
            return " ".join(words[:i]), " ".join(words[i + 1:])
        if words[i].startswith(_GROUP_MARKERS):
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words[:first]), " ".join(words[first:])


def _check_in(m: _Msg) -> Command | None:
    rest, found, bad = _codes(m.clean)
    if _HERE.fullmatch(rest):
        if m.asked:
            return None  # `มาแล้ว?`: asking whether someone is here
        meeting = _meeting_code(found, bad)
        return meeting if isinstance(meeting, Invalid) else CheckInSelf(meeting)
    k = _CHECKIN.match(m.clean)
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
        return Invalid("invalid_checkin_name")
    name, group = _split_name_group(rest)
    return CheckInOther(name, group, meeting)
