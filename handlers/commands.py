"""Read one chat message as one bot command, or as nothing at all.

Pure text in, a typed command out: no Flask, no LINE, no database. `parse_command(text)` is called
once, at the edge; handlers receive the frozen dataclass it returns. `None` means "this is not
for the bot": in a group chat people talk about many things and the bot must stay silent.

How a message is read
---------------------
1. Normalise (`normalise`): Thai digits ๐-๙ become 0-9, full-width letters and odd spaces
   (no-break, ideographic, zero-width) become ASCII, `เเ` (two sara e) becomes `แ`, runs of spaces
   collapse, and the end of the message loses what people add for politeness or mood:
   particles (ครับ ค่ะ คะ คับ ครับผม นะครับ นะคะ จ้า จ้ะ ค่า นะ ...), stretched endings (ครับบบ),
   punctuation, emoji (including LINE emoji, which arrive as `$`), and laughter (`555`).
   English is matched case-insensitively; the case of names and codes is kept.
2. Match the WHOLE message. An answer is a whole-message form (`ไป 4 คน`), never a prefix, so
   `ไปกินข้าวกันไหม` is chatter. Keyword commands (`เชิญ`, `นัด`, `บันทึก` ...) are a keyword
   followed by their arguments.
3. A leading LINE mention (`@meetbot ไป 4`) is skipped only when what follows is a command; one
   or two words are tried, since display names may contain a space.

Slash commands (`/invite`, `/cancel` ...) are unambiguous: with bad arguments they give
`Invalid(reason)` for the bot to show. Thai keywords are also ordinary words, so a Thai keyword
followed by something that reads as conversation gives None instead:
- a message ending in `?`, or whose arguments contain a question word (ไหม มั้ย กี่โมง เมื่อไร
  ยังไง วันไหน ที่ไหน หรือยัง หรือเปล่า เหรอ ใคร ...), is a question, not a command;
- most Thai keywords must be followed by a space, `:`, `#`, a digit or the end of the message
  (`บันทึกไว้ก่อนนะ`, `นัดกันกี่โมง`, `ประกาศแล้วหรือยัง` are talk).

Decisions on ambiguous phrasings
--------------------------------
- `ไป`, `มา`, `ไปนะ`, `มาครับ` alone are answers (going), as the brief asks, although `ไปนะ` can
  also be "bye, I'm off" (the bot's reply, texts.answer_saved, says what it recorded).
  `ไปกัน` ("let's go") and `ไปครบ` count only with a number: `ไปกัน 8 คน`.
  `ไปไม่ได้` / `มาไม่ได้` are not going. `ไม่ไป 2 คน` (a count with a refusal) is None: it may
  mean "2 of us are not coming", which is not a group's answer.
- `ไป 555` is "going, hahaha": trailing laughter (555, 5555+) is removed before reading.
- `ไป 0`, `ไป 9999` are Invalid (1 to 500 people). A question (`ไป?`, `ไปไหม`) is None.
- Names: after a count with a separator (`:`, `(`, `-`, `คือ`, `ได้แก่`) or, without one, when
  the count has `คน`/`ท่าน` and the number of words equals it (`ไป 2 คน สมศรี สมชาย`). Names are split on commas,
  `และ`, `กับ`, `/`, new lines or list numbers when there are any, else on spaces. Names with no
  count (`ไป: สมศรี, สมชาย`) give the headcount `len(names)`.
- A group may be named before or after an answer, for chats that mix several groups' leaders
  (Tha Rai): `กองทุนหมู่ 3 ไป 4 คน`, `ไป 4 คน จากกลุ่มออมทรัพย์` -> `Answer.group` (an addition to
  the original brief). It must start with กลุ่ม/กองทุน/ออมทรัพย์/สัจจะ/หมู่ and look like a name
  (at most 5 words, no ว่า/บอก/เขา ...): `กองทุนหมู่ 3 เขาบอกว่า ไม่ไป` is reported speech, None.
- `มาแล้ว`, `ถึงแล้ว` alone are a check-in; `มาแล้วจ้า ถึงวัดแล้ว` (a sentence) is None: the
  check-in button on the card is the reliable way, and a sentence is just as likely talk.
  `มาแล้ว 3 คน` is None too.
- `ใครไปบ้าง`, `สรุป`, `ยอด` alone are Summary; `ใครไปตลาดบ้าง`, `สรุปว่ายังไง`, `ยอดเยี่ยม` are None.
  Only `สรุป…` and `/summary` are `explicit`: a group gets the summary only for those, since
  `ใครไปบ้าง` there is a question to the others and `ยอด` is also "great!".
- Refusals carry apologies, "this time" and reasons (`ขอโทษครับ ไปไม่ได้ ติดธุระ`, `คราวนี้ไม่สะดวกค่ะ`,
  `ติดงานศพ ไปไม่ได้นะคะ`, `ไม่ไปครับ ลูกไม่สบาย`); `งด`, `ขอลา`, `ไม่ว่าง` are refusals; a reason alone
  (`ติดงานศพ`) is not (read_unclear_answer: the bot asks). `ขอไป 3 คน` is going; a count may be
  followed by `รวมผม` / `(รวมตัวเอง)`, which changes nothing.
- Read only in context, never by parse_command: a number alone (read_headcount; the answer to
  "ไปกี่คนครับ?"), a hedged answer (read_unclear_answer: `ไปมั้ง`, `น่าจะไป แต่ยังไม่แน่`) and
  agreement (is_agreement: 👍, `+1`, `ok`, `โอเค`, for a message quoting a card).
- `เชิญ` alone and `เชิญครับ` ("please, go ahead") are None; `/invite` alone is Invalid. A Thai
  `เชิญ ...` with neither a quota nor a `#code` must name a group-like target (starting with
  ต. ตำบล กลุ่ม กองทุน หมู่ บ้าน ผู้นำ กรรมการ ...), so `เชิญ ทุกท่านร่วมงาน` is None.
  The quota is the final number (optionally `คน`, `คน/กลุ่ม`, `ต่อกลุ่ม`, or `กลุ่มละ 10`); a final
  number right after `หมู่`/`ม.` is part of the name (`เชิญ กองทุนหมู่ 3` has no quota).
  The target is kept as typed: models.network.match_groups reads it (kind, village, sub-district),
  for `เชิญ` and `ผูกกลุ่ม` alike; `เชิญ ม.3 บางจาก`, `เชิญ กทบ. ...`, `เชิญ ออมทรัพย์ ...` start an invitation.
- `ยกเลิกผูกกลุ่ม`, `เลิกผูกกลุ่ม`, `ยกเลิกการผูกห้อง`, `/unlink` [name] are Unlink (read before `ยกเลิก…`
  as Cancel); `ยกเลิกผูกกลุ่มยังไง` is a question, None.
- `นัด` / `นัดประชุม` alone start the guided flow. `นัด <something>` needs something date-like
  (a digit, วัน, พรุ่งนี้, ส.ค. ...): `นัดที่วัดนะ` is talk; `นัดประชุม <title>` needs no date.
  `นัดหมาย` alone lists the meetings; `นัดหมาย <date and place>` creates one.
- `บันทึก <text>` is a Note; `บันทึกไว้ก่อนนะ` (no space after the keyword) is None. `บันทึก`
  alone is `Note("")`: the handler explains, or attaches the next photo. `บันทึกการประชุม`
  alone or with a code is Minutes; `บันทึกการประชุม: <text>` is a Note of that text.
- `ยกเลิก` alone is None (it may be abandoning a step, or talk); `ยกเลิก #12` and `ยกเลิกนัด` are
  Cancel. Meeting codes are `#12`; a bare number is also read after `ยกเลิกนัด`, `สรุป`,
  `บันทึกการประชุม`/`รายงานการประชุม` and slash commands (`/cancel 12`).
- `เลื่อนนัด` needs a code or something date-like (a digit, วัน, พรุ่งนี้, โมง ...):
  `เลื่อนนัดไปก่อน` is None. Bare `เลื่อน` needs a code (`เลื่อน #12 ...`).
- `ผู้ประสานงาน <code>` needs a one-word code with at least one Latin letter or digit (setup
  codes are set by whoever runs the bot); `ผู้ประสานงาน คนใหม่` is None. Trailing punctuation is
  removed from codes, so choose codes of letters and digits.
- `ตั้งผู้นำ ...` (Thai) needs an @mention in the rest (or nothing: the handler asks for one).
- Free text is kept as typed (original characters, Thai digits included, outer whitespace
  stripped): `Announce.text` and `Note.text` exactly; `CreateMeeting.text`, `Move.when_text` and
  `Appoint.rest` lose trailing particles and emoji only (`วัดบางหลวง ครับ` -> `วัดบางหลวง`).
- Remind offsets are returned largest first, without duplicates; 1 minute to 60 days.
- `👍` alone is None: it is a reaction to anything.
- `CheckInOther` splits `<name> <group>`: the group starts at the first word (after the first
  one, or the first two when the first is a title such as นาย, นาง, ยาย) that begins with a group
  marker (กลุ่ม กองทุน หมู่ ม. ออมทรัพย์ สัจจะ ต. ตำบล บ้าน); a lone `กลุ่ม` word is a label and is
  dropped. With no marker the first word (with its title) is the name and the rest the group.
  It also carries an optional `#code` (`meeting`), an addition to the original brief.
- `ชื่อจริง สมชาย ใจดี` (also `ชื่อจริงคือ …`, `ตั้ง/แก้/เปลี่ยนชื่อจริง …`, `ชื่อ-นามสกุลจริง …`,
  `/realname …`) is `RealName`, the name printed on the papers. With a LINE mention in it
  (`ชื่อจริง @ลุงชม ชม ใจดี`) it is someone else's (`for_mentioned`): the mention's characters, as
  LINE marks them (`parse_command(text, mentions=…)`), are not part of the name; without marks a
  leading `@word` is taken as the mention. A Thai keyword glued to more text (`ชื่อจริงๆ`,
  `ชื่อจริงของเขา`), a question, or arguments that start like a sentence (`ชื่อจริง ไม่ใช่…`) are talk.
  `ชื่อจริง` alone is `RealName("")`: the handler says how.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from thai.digits import ASCII_DIGIT_OF

__all__ = [
    "COMMAND_WORDS",
    "MAX_HEADCOUNT",
    "Announce",
    "Answer",
    "Appoint",
    "Cancel",
    "CheckInOther",
    "CheckInSelf",
    "ClaimCoordinator",
    "Command",
    "CreateMeeting",
    "ForgetMe",
    "Help",
    "Invalid",
    "Invite",
    "Language",
    "Link",
    "Unlink",
    "ListMeetings",
    "Minutes",
    "Move",
    "Note",
    "RealName",
    "Remind",
    "Summary",
    "UnclearAnswer",
    "is_agreement",
    "normalise",
    "parse_command",
    "read_headcount",
    "read_unclear_answer",
]

MAX_HEADCOUNT = 500  # also the largest quota
MAX_MEETING_DIGITS = 9
MAX_REMIND = timedelta(days=60)

GOING, NOT_GOING, MAYBE = "going", "not_going", "maybe"  # = models.meetings.Response


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Link:
    name: str  # "" -> the handler offers the groups as quick replies


@dataclass(frozen=True)
class Unlink:
    name: str = ""  # "" -> every group linked to this chat


@dataclass(frozen=True)
class ClaimCoordinator:
    code: str


@dataclass(frozen=True)
class CreateMeeting:
    text: str  # the rest as typed; "" -> guided flow


@dataclass(frozen=True)
class ListMeetings:
    pass


@dataclass(frozen=True)
class Invite:
    target: str  # a group or sub-district name as typed (normalised)
    quota: int | None = None  # people per group
    meeting: int | None = None


@dataclass(frozen=True)
class Answer:
    response: str  # "going" | "not_going" | "maybe"
    headcount: int | None = None
    meeting: int | None = None
    names: tuple[str, ...] = ()
    # The group answered for, when named in the message (`กองทุนหมู่ 3 ไป 4 คน`, `ไป 4 คน กลุ่มออมทรัพย์`):
    # chats that mix several groups' leaders. An addition to the original brief; None when not said.
    group: str | None = None


@dataclass(frozen=True)
class Summary:
    meeting: int | None = None
    # False for a question to the others (`ใครไปบ้าง`) or `ยอด` (also "great!"): in a group chat only
    # `สรุป` / `/summary` post the summary; in a 1:1 chat either does.
    explicit: bool = True


@dataclass(frozen=True)
class Cancel:
    meeting: int | None = None


@dataclass(frozen=True)
class Move:
    meeting: int | None
    when_text: str


@dataclass(frozen=True)
class Language:
    language: str  # "th" | "en"


@dataclass(frozen=True)
class Appoint:
    role: str  # "leader" | "facilitator" | "coordinator"
    duty: str | None  # facilitators: "recorder" | "process" | "coordinator"
    rest: str  # the text after the keyword (mention display text), duty word removed


@dataclass(frozen=True)
class Remind:
    meeting: int | None = None
    offsets: tuple[timedelta, ...] | None = None  # before the start, largest first; None: show the plan
    off: bool = False


@dataclass(frozen=True)
class Announce:
    text: str  # as typed, may be several lines


@dataclass(frozen=True)
class Note:
    text: str  # as typed; tags such as #มติ stay in it
    meeting: int | None = None


@dataclass(frozen=True)
class Minutes:
    meeting: int | None = None


@dataclass(frozen=True)
class CheckInSelf:
    meeting: int | None = None


@dataclass(frozen=True)
class CheckInOther:
    name: str
    group: str  # may be "" when only a name was given
    meeting: int | None = None


@dataclass(frozen=True)
class ForgetMe:
    pass


@dataclass(frozen=True)
class RealName:
    """`ชื่อจริง สมชาย ใจดี`: the real name for the papers; `for_mentioned`: of the person mentioned."""

    name: str  # as typed, outer spaces and a polite tail trimmed; "" -> the handler explains
    for_mentioned: bool = False


@dataclass(frozen=True)
class Invalid:
    """A recognised command with bad arguments: show `reason` (Thai) or `reason_en`."""

    reason: str
    reason_en: str = ""


Command = (
    Help | Link | Unlink | ClaimCoordinator | CreateMeeting | ListMeetings | Invite | Answer | Summary
    | Cancel | Move | Language | Appoint | Remind | Announce | Note | Minutes | CheckInSelf
    | CheckInOther | ForgetMe | RealName | Invalid
)

# Thai keyword -> English alias, one per command (for the help text).
COMMAND_WORDS: dict[str, str] = {
    "วิธีใช้": "/help",
    "ผูกกลุ่ม": "/link",
    "ยกเลิกผูกกลุ่ม": "/unlink",
    "ผู้ประสานงาน": "/coordinator",
    "นัด": "/meet",
    "นัดหมาย": "/meetings",
    "เชิญ": "/invite",
    "ไป": "yes",
    "ไม่ไป": "no",
    "ไม่แน่ใจ": "maybe",
    "สรุป": "/summary",
    "ยกเลิกนัด": "/cancel",
    "เลื่อนนัด": "/move",
    "ภาษาอังกฤษ": "/lang en",
    "ภาษาไทย": "/lang th",
    "ตั้งผู้นำ": "/leader",
    "ตั้งคุณอำนวย": "/facilitator",
    "ตั้งผู้ประสานงาน": "/coordinator-add",
    "เตือน": "/remind",
    "ประกาศ": "/announce",
    "บันทึก": "/note",
    "บันทึกการประชุม": "/minutes",
    "มาแล้ว": "/here",
    "เช็คชื่อ": "/checkin",
    "ลบข้อมูลของฉัน": "/forget-me",
    "ชื่อจริง": "/realname",
}

_REASONS: dict[str, tuple[str, str]] = {
    "headcount": ("จำนวนคนต้องเป็น 1 ถึง 500 ครับ", "The number of people must be 1 to 500."),
    "quota": (
        "โควตาต้องเป็นตัวเลข 1 ถึง 500 คนครับ เช่น เชิญ ต.บางจาก 10",
        "The quota must be a number from 1 to 500, e.g. /invite Bang Chak 10",
    ),
    "invite_target": (
        "บอกชื่อกลุ่มหรือตำบลที่จะเชิญด้วยครับ เช่น เชิญ ต.บางจาก 10",
        "Say which group or sub-district to invite, e.g. /invite Bang Chak 10",
    ),
    "code": ("เลขนัดต้องเป็น # ตามด้วยตัวเลข เช่น #12 ครับ", "A meeting code is # and a number, e.g. #12."),
    "codes": ("ระบุได้ทีละนัดครับ เช่น #12", "One meeting at a time, please, e.g. #12."),
    "remind": (
        "บอกเวลาเตือนล่วงหน้าด้วยครับ เช่น เตือน #12 1 วัน 2 ชม. หรือ เตือน #12 ปิด",
        "Say how long before to remind, e.g. /remind #12 1d 2h, or /remind #12 off",
    ),
    "remind_range": (
        "เตือนล่วงหน้าได้ตั้งแต่ 1 นาทีถึง 60 วันครับ",
        "A reminder can be 1 minute to 60 days before the meeting.",
    ),
    "claim_code": ("พิมพ์ ผู้ประสานงาน ตามด้วยรหัสครับ", "Type /coordinator followed by the code."),
    "announce_text": (
        "พิมพ์ ประกาศ ตามด้วยข้อความที่จะประกาศครับ",
        "Type /announce followed by the message.",
    ),
    "checkin_name": (
        "พิมพ์ เช็คชื่อ ตามด้วยชื่อและกลุ่มครับ เช่น เช็คชื่อ ยายศรี กองทุนหมู่ 3",
        "Type /checkin followed by the name and the group, e.g. /checkin Somsri Village 3 fund",
    ),
    "language": ("เลือกภาษาได้ th (ไทย) หรือ en (อังกฤษ) ครับ", "The language can be th or en."),
}


def _invalid(key: str) -> Invalid:
    thai, english = _REASONS[key]
    return Invalid(thai, english)


# --------------------------------------------------------------------------- normalising

_THAI_LETTER = "\u0e01-\u0e4e"
# One character for one, so that positions in the result are positions in the original text.
_ONE_FOR_ONE = str.maketrans({
    **ASCII_DIGIT_OF,  # Thai digits
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},  # full-width ASCII (＃１２, ？)
    **{c: " " for c in (0x00A0, 0x1680, *range(0x2000, 0x200E), 0x202F, 0x205F, 0x2060, 0x3000,
                        0xFEFF, 0x0009, 0x000B, 0x000C)},
    0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"',
})  # fmt: skip
_SPACE_CHARS = " \t\r\n\u00a0\u200b\u200c\u200d\u2060\u3000\ufeff"

# Politeness and mood particles, removed from the end (glued or after a space), longest first.
_PARTICLES_TH = sorted(
    {
        "ครับผม", "นะครับ", "นะคะ", "นะค่ะ", "ครับ", "คร้าบ", "ครัช", "คับ", "ค่ะ", "คะ", "ค่า",
        "ค้า", "ค๊ะ", "คร่ะ", "จ้า", "จ้ะ", "จ๊ะ", "จ๊า", "จ๋า", "ฮะ", "ฮับ", "นะ", "น้า", "น๊า",
        "เด้อ", "เน้อ",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# Only these are removed when glued to a name or a free text (`สมศรีค่ะ`); `นะ` is not (`มานะ`).
_POLITE_TH = ("ครับผม", "นะครับ", "นะคะ", "นะค่ะ", "ครับ", "คร้าบ", "คับ", "ค่ะ", "คะ")
_PARTICLES_EN = ("please", "pls", "krub", "krab", "kha", "ka", "thanks", "thank you")
_TAIL_PUNCT = set("!.,;:~…。、?·•-_*^'\"$")
_EMOTICONS = (":)", ":-)", ";)", ":d", ":p", "xd", ":(", "t_t", "-_-", "^^")


def _is_junk(ch: str) -> bool:
    return ch in _TAIL_PUNCT or ch in "\ufe0f\ufe0e\u20e3" or unicodedata.category(ch) in ("So", "Sk", "Cf")


def _strip_tail(s: str) -> tuple[str, bool]:
    """Remove trailing particles, emoji, punctuation and laughter; also say whether a `?` went."""
    asked = False
    end = len(s)  # work on s[:end]; slicing once at the end keeps long inputs linear
    while True:
        before = end
        while end and (s[end - 1].isspace() or _is_junk(s[end - 1])):
            asked = asked or s[end - 1] == "?"
            end -= 1
        tail = s[max(0, end - 12):end].lower()
        for emoticon in _EMOTICONS:
            if tail.endswith(emoticon) and (end == len(emoticon) or s[end - len(emoticon) - 1].isspace()):
                end -= len(emoticon)
                break
        # laughter: 555, 5555+ (not a number's tail, not a meeting code)
        j = end
        while j and s[j - 1] == "+":
            j -= 1
        k = j
        while k and s[k - 1] == "5":
            k -= 1
        if j - k >= 3 and (k == 0 or not (s[k - 1].isdigit() or s[k - 1] == "#")):
            end = k
        # stretched ending: ครับบบ, ค่าาา
        if end >= 2 and s[end - 1] == s[end - 2] and "\u0e01" <= s[end - 1] <= "\u0e4e":
            while end >= 2 and s[end - 2] == s[end - 1]:
                end -= 1
        tail = s[max(0, end - 12):end]
        for p in _PARTICLES_TH:
            if tail.endswith(p):
                end -= len(p)
                break
        else:
            tail = tail.lower()
            for p in _PARTICLES_EN:
                if tail.endswith(p) and (end == len(p) or s[end - len(p) - 1].isspace()):
                    end -= len(p)
                    break
        while end and s[end - 1].isspace():
            end -= 1
        if end == before:
            return s[:end], asked


def _squash(s: str) -> str:
    """Collapse spaces within lines, drop empty lines."""
    lines = (" ".join(line.split()) for line in s.splitlines())
    return "\n".join(line for line in lines if line)


def normalise(text: str) -> str:
    """The text as commands are matched: digits, spaces, `เเ` fixed; the polite tail removed."""
    return _clean(text.translate(_ONE_FOR_ONE))[0]


def _clean(light: str) -> tuple[str, bool]:
    s = _squash(light.replace("เเ", "แ").replace("\u0e4d\u0e32", "\u0e33"))
    s, asked = _strip_tail(s)
    return s.strip(), asked


def _trim_free_text(original: str) -> str:
    """Free text as typed, minus outer whitespace and a trailing polite tail (spaced particles,
    glued ครับ/ค่ะ, emoji). Question marks and full stops stay."""
    s = original.strip(_SPACE_CHARS)
    while True:
        before = s
        i = len(s)
        while i and (s[i - 1] in _SPACE_CHARS or s[i - 1] in "\ufe0f\ufe0e\u20e3$"
                     or unicodedata.category(s[i - 1]) in ("So", "Sk", "Cf")):
            i -= 1
        s = s[:i]
        for p in _PARTICLES_TH:
            if s.endswith(p) and (p in _POLITE_TH or len(s) == len(p) or s[-len(p) - 1] in _SPACE_CHARS):
                s = s[: -len(p)]
                break
        if s == before:
            return s.strip(_SPACE_CHARS)


# --------------------------------------------------------------------------- shared pieces


@dataclass(frozen=True)
class _Msg:
    original: str
    light: str  # original with one-for-one replacements: same length, same positions
    clean: str  # normalised for matching
    asked: bool  # ended with a question mark
    mentions: tuple[tuple[int, int], ...] = ()  # (start, end) of LINE mentions in `original`


_NOT = object()  # "not a command" from a helper that can also return None as a value
_FLAGS = re.IGNORECASE
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


def _one_code(found: list[int]) -> int | None | Invalid:
    if not found:
        return None
    if -1 in found:
        return _invalid("code")
    if len(set(found)) > 1:
        return _invalid("codes")
    return found[0]


def _code_only(rest: str, *, strict: bool, bare_number: bool) -> int | None | Invalid | object:
    """The meeting of a command whose only argument is a code. `strict` (slash commands): any
    other argument is Invalid; otherwise it means the message is talk (_NOT)."""
    rest, found, bad = _codes(rest)
    rest = re.sub(r"^(?:หน่อย|ด้วย)\s*|\s*(?:หน่อย|ด้วย)$", "", rest)
    if bad:
        return _invalid("code")
    if rest:
        if bare_number and not found and rest.isascii() and rest.isdigit():
            found = [int(rest) if len(rest) <= MAX_MEETING_DIGITS else -1]
        else:
            return _invalid("code") if strict else _NOT
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


# --------------------------------------------------------------------------- simple commands

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
        return _invalid("language")
    if _LIST.fullmatch(s):
        return ListMeetings()
    return None


# --------------------------------------------------------------------------- meeting-code commands

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


# --------------------------------------------------------------------------- free-text commands

_NOTE = re.compile(
    r"(?:(?P<en>/note)|จดบันทึก|บันทึกการประชุม|บันทึก)(?=[\s:#]|$)", _FLAGS
)
_ANNOUNCE = re.compile(r"(?:(?P<en>/announce)|ประกาศ)(?=[\s:]|$)", _FLAGS)
_LEADING_CODE = re.compile(rf"#\s?([0-9]+)(?![0-9A-Za-z_{_THAI_LETTER}])[\s:]*")
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


def _note(m: _Msg) -> Command | None:
    k = _NOTE.match(m.clean)
    if not k:
        return None
    if not m.clean[k.end():].strip(" :"):
        return Note("")  # `บันทึก` alone: the handler explains (or takes the next photo)
    rest = _cut(m, k.group(0))
    meeting = None
    code = _LEADING_CODE.match(rest.translate(_ONE_FOR_ONE))
    if code:
        digits = code.group(1)
        meeting = int(digits) if len(digits) <= MAX_MEETING_DIGITS else None
        if meeting is None:
            return _invalid("code")
        rest = rest[code.end():]
    return Note(rest.strip(_SPACE_CHARS), meeting)


def _announce(m: _Msg) -> Command | None:
    k = _ANNOUNCE.match(m.clean)
    if not k:
        return None
    if not m.clean[k.end():].strip(" :"):
        return _invalid("announce_text")
    return Announce(_cut(m, k.group(0)).strip(_SPACE_CHARS))


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
    if bad:
        return _invalid("code")
    meeting = _one_code(found)
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
    if bad:
        return _invalid("code")
    meeting = _one_code(found)
    if isinstance(meeting, Invalid):
        return meeting
    if not rest:
        return Remind(meeting, None, False)
    if _REMIND_OFF.fullmatch(rest):
        return Remind(meeting, None, True)
    offsets = _offsets(rest)
    if not offsets:
        return _invalid("remind") if slash or found else None  # `เตือนความจำ`: talk
    if any(not timedelta(minutes=1) <= o <= MAX_REMIND for o in offsets):
        return _invalid("remind_range")
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
    if bad:
        return _invalid("code")
    meeting = _one_code(found)
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
                return _invalid("quota")
    elif _BAD_QUOTA.search(rest):
        return _invalid("quota")
    if not rest:
        return _invalid("invite_target")
    if not slash and quota is None and meeting is None and not _GROUPISH.match(rest):
        return None  # `เชิญ ทุกท่านร่วมงานบุญ`: talk, not an invitation
    return Invite(rest, quota, meeting)


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
        return ClaimCoordinator(code) if code else _invalid("claim_code")
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
        meeting = _invalid("code") if bad else _one_code(found)
        return meeting if isinstance(meeting, Invalid) else CheckInSelf(meeting)
    k = _CHECKIN.match(m.clean)
    if not k:
        return None
    slash, args = bool(k.group("en")), m.clean[k.end():]
    rest, found, bad = _codes(args)
    if not slash and _is_question(m, args):
        return None
    if bad:
        return _invalid("code")
    meeting = _one_code(found)
    if isinstance(meeting, Invalid):
        return meeting
    if not rest:
        return _invalid("checkin_name")
    name, group = _split_name_group(rest)
    return CheckInOther(name, group, meeting)


# --------------------------------------------------------------------------- answers

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
        return _invalid("headcount")
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


# --------------------------------------------------------------------------- answers only in context
#
# These read messages that are answers only where the bot has asked something, so parse_command
# never returns them (in any other place they are chatter): the handlers call them with the context.


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


# --------------------------------------------------------------------------- entry point

_SLASH_WORD = re.compile(r"/[a-z]", _FLAGS)
_PARSERS = (
    _simple, _minutes, _note, _announce, _create, _unlink, _cancel, _move, _remind, _invite, _link,
    _appoint, _claim, _check_in, _real_name, _summary, _answer,
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
