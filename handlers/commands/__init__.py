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
- `เตือนส่วนตัว #12 ปิด` / `/nudges #12 off` and `ผู้นำบันทึก #12 เปิด` / `/leader-notes #12 on` are
  `MeetingSetting` (the code and เปิด/ปิด in either order); without a code or a value the Thai keyword
  is talk, and with one of them it is Invalid (the reason says the form).
- `วาระ #12 <ข้อความ>` / `/agenda #12 …` is `Agenda` with the text as typed; `วาระ …` without a code is talk.
- `แก้บันทึก <ข้อความใหม่>` / `/edit-note …` is `EditNote` (text as typed); `ลบบันทึก` (also `ลบบันทึกล่าสุด`)
  / `/delete-note` is `DeleteNote`. `แก้บันทึก` alone or as a question is talk.

Invalid carries the key of its reason in handlers/texts.py (both languages live there).

Where things are: types.py (the command classes), normalise.py, pieces.py (codes, numbers), one file
per family (answers.py, meetings.py, people.py, notes.py), parse.py (parse_command) and context.py
(readers used only where the bot has asked something).
"""

from __future__ import annotations

from handlers.commands.types import (
    COMMAND_WORDS,
    MAX_HEADCOUNT,
    Agenda,
    Announce,
    Answer,
    Appoint,
    Cancel,
    CheckInOther,
    CheckInSelf,
    ClaimCoordinator,
    Command,
    CreateMeeting,
    DeleteNote,
    EditNote,
    ForgetMe,
    Help,
    Invalid,
    Invite,
    Language,
    Link,
    ListMeetings,
    MeetingSetting,
    Minutes,
    Move,
    Note,
    RealName,
    Remind,
    Summary,
    Unlink,
)
from handlers.commands.normalise import (
    normalise,
)
from handlers.commands.parse import (
    parse_command,
)
from handlers.commands.context import (
    UnclearAnswer,
    is_agreement,
    read_headcount,
    read_unclear_answer,
)

__all__ = [
    "COMMAND_WORDS",
    "MAX_HEADCOUNT",
    "Agenda",
    "Announce",
    "Answer",
    "Appoint",
    "Cancel",
    "CheckInOther",
    "CheckInSelf",
    "ClaimCoordinator",
    "Command",
    "CreateMeeting",
    "DeleteNote",
    "EditNote",
    "ForgetMe",
    "Help",
    "Invalid",
    "Invite",
    "Language",
    "Link",
    "ListMeetings",
    "MeetingSetting",
    "Minutes",
    "Move",
    "Note",
    "RealName",
    "Remind",
    "Summary",
    "UnclearAnswer",
    "Unlink",
    "is_agreement",
    "normalise",
    "parse_command",
    "read_headcount",
    "read_unclear_answer",
]
