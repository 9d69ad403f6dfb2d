"""Commands carrying free text kept as typed: notes, their corrections, announcements."""

from __future__ import annotations

import re

from handlers.commands.types import Announce, Command, DeleteNote, EditNote, Invalid, MAX_MEETING_DIGITS, Note
from handlers.commands.normalise import _ONE_FOR_ONE, _SPACE_CHARS
from handlers.commands.pieces import _cut, _FLAGS, _is_question, _LEADING_CODE, _Msg


_NOTE = re.compile(
    r"(?:(?P<en>/note)|จดบันทึก|บันทึกการประชุม|บันทึก)(?=[\s:#]|$)", _FLAGS
)
_ANNOUNCE = re.compile(r"(?:(?P<en>/announce)|ประกาศ)(?=[\s:]|$)", _FLAGS)


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
            return Invalid("invalid_code")
        rest = rest[code.end():]
    return Note(rest.strip(_SPACE_CHARS), meeting)


def _announce(m: _Msg) -> Command | None:
    k = _ANNOUNCE.match(m.clean)
    if not k:
        return None
    if not m.clean[k.end():].strip(" :"):
        return Invalid("invalid_announce_text")
    return Announce(_cut(m, k.group(0)).strip(_SPACE_CHARS))


_EDIT_NOTE = re.compile(r"(?:(?P<en>/edit[-_]?note)|แก้\s*(?:ไข\s*)?บันทึก(?:\s*(?:ล่าสุด|เป็น))?)(?=$|[\s:])", _FLAGS)
_DELETE_NOTE = re.compile(
    r"(?:/delete[-_]?note|ลบ\s*บันทึก(?:\s*(?:ล่าสุด|เมื่อกี้|เมื่อสักครู่|นี้|ที่แล้ว))?(?:\s*(?:ให้)?\s*(?:หน่อย|ด้วย))?)",
    _FLAGS,
)


def _note_correction(m: _Msg) -> Command | None:
    """`แก้บันทึก <ข้อความใหม่>`, `ลบบันทึก`: the author's latest note; the Thai keyword alone is talk."""
    if _DELETE_NOTE.fullmatch(m.clean):
        return None if m.asked else DeleteNote()
    k = _EDIT_NOTE.match(m.clean)
    if not k:
        return None
    args = m.clean[k.end():].strip(" :")
    if not k.group("en") and (not args or _is_question(m, args)):
        return None  # `แก้บันทึกยังไง`, `แก้บันทึก` alone
    text = _cut(m, k.group(0)).strip(_SPACE_CHARS) if args else ""
    return EditNote(text) if text else Invalid("invalid_edit_note")
