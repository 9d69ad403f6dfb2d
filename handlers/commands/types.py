"""The commands a chat message can be: frozen dataclasses, the pure result of parse_command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


MAX_HEADCOUNT = 500  # also the largest quota
MAX_MEETING_DIGITS = 9
MAX_REMIND = timedelta(days=60)

GOING, NOT_GOING, MAYBE = "going", "not_going", "maybe"  # = models.meetings.Response



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
class MeetingSetting:
    """`เตือนส่วนตัว #12 ปิด` / `/nudges #12 off`; `ผู้นำบันทึก #12 เปิด` / `/leader-notes #12 on`."""

    setting: str  # "nudges" | "leader_notes"
    on: bool
    meeting: int


@dataclass(frozen=True)
class Agenda:
    """`วาระ #12 <ข้อความ>` / `/agenda #12 <text>`: the agenda as typed (several lines welcome)."""

    meeting: int
    text: str


@dataclass(frozen=True)
class EditNote:
    """`แก้บันทึก <ข้อความใหม่>` / `/edit-note <text>`: the author's own latest note, as typed."""

    text: str


@dataclass(frozen=True)
class DeleteNote:
    """`ลบบันทึก` / `/delete-note`: the author's own latest note."""


@dataclass(frozen=True)
class Invalid:
    """A recognised command with bad arguments: `reason` is the key of what to say in handlers/texts.py
    (the parser stays pure text; the route says it in the chat's language)."""

    reason: str


Command = (
    Help | Link | Unlink | ClaimCoordinator | CreateMeeting | ListMeetings | Invite | Answer | Summary
    | Cancel | Move | Language | Appoint | Remind | Announce | Note | Minutes | CheckInSelf
    | CheckInOther | ForgetMe | RealName | MeetingSetting | Agenda | EditNote | DeleteNote | Invalid
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
    "เตือนส่วนตัว": "/nudges",
    "ผู้นำบันทึก": "/leader-notes",
    "วาระ": "/agenda",
    "แก้บันทึก": "/edit-note",
    "ลบบันทึก": "/delete-note",
}
