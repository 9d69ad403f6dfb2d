"""Issue 11: every command is read once, by the parser (handlers/commands/), so the meeting settings,
the agenda and note corrections are read the way every other command is: a polite tail, Thai digits
and a mention of the bot change nothing, and a recognised command with bad arguments is answered with
its form, in the chat's language, from the catalogue (handlers/texts.py). Through signed webhooks."""

from __future__ import annotations

from handlers.texts import t
from models.meetings import Meeting
from models.notes import Note
from tests.network import COORDINATOR, FACILITATOR
from tests.queries import all_of, one
from tests.test_notes_chat import live  # noqa: F401  (the fixture: a meeting in progress, invited)


def _meeting(db) -> Meeting:
    return one(db, Meeting)


def test_a_setting_typed_politely_with_thai_digits_is_applied(line, db, live):  # noqa: F811
    answer = line.say("เตือนส่วนตัว #๑ ปิดครับ", user=COORDINATOR)
    assert answer[0]["text"] == t("th", "nudges_set", code="#1", state=t("th", "off"))
    assert _meeting(db).nudges is False
    line.say("อนุญาตให้ผู้นำบันทึก #1 เปิดค่ะ", user=COORDINATOR)
    assert _meeting(db).leaders_may_note is True


def test_a_setting_after_a_mention_of_the_bot_is_applied_in_the_group(line, db, live):  # noqa: F811
    line.say("@meetbot ผู้นำบันทึก #1 เปิด", user=COORDINATOR, group=live.chat)
    assert _meeting(db).leaders_may_note is True


def test_a_setting_without_on_or_off_is_explained_and_changes_nothing(line, db, live):  # noqa: F811
    answer = line.say("/nudges #1", user=COORDINATOR, group=live.chat)
    assert answer[0]["text"] == t("th", "invalid_setting_nudges")
    answer = line.say("เตือนส่วนตัว ปิด", user=COORDINATOR, group=live.chat)  # which meeting?
    assert answer[0]["text"] == t("th", "invalid_setting_nudges")
    assert _meeting(db).nudges is True


def test_a_reason_is_said_in_the_chats_language(line, db, live):  # noqa: F811
    line.say("English", user=COORDINATOR, group=live.chat)
    answer = line.say("/leader-notes #1 maybe", user=COORDINATOR, group=live.chat)
    assert answer[0]["text"] == "Type /leader-notes, the meeting code and on or off, e.g. /leader-notes #12 on"
    answer = line.say("/cancel tomorrow", user=COORDINATOR, group=live.chat)
    assert answer[0]["text"] == t("en", "invalid_code")
    assert line.say("ไป 0", user=COORDINATOR, group=live.chat)[0]["text"] == t("en", "bad_headcount")
    assert _meeting(db).leaders_may_note is False


def test_an_agenda_after_a_mention_of_the_bot_is_set_as_typed(line, db, live):  # noqa: F811
    answer = line.say("@meetbot วาระการประชุม #1: 1. เรื่องแจ้งเพื่อทราบ\n2. งบประมาณ ๒๕๖๙", user=COORDINATOR,
                      group=live.chat)
    assert answer[0]["text"] == t("th", "agenda_set", code="#1")
    assert _meeting(db).agenda == "1. เรื่องแจ้งเพื่อทราบ\n2. งบประมาณ ๒๕๖๙"


def test_an_agenda_without_its_text_is_explained_and_talk_about_the_agenda_is_not_answered(line, db, live):  # noqa: F811
    assert line.say("วาระ #1", user=COORDINATOR, group=live.chat)[0]["text"] == t("th", "invalid_agenda")
    assert line.say("วาระการประชุมมีอะไรบ้างครับ", user=COORDINATOR, group=live.chat) == []
    assert _meeting(db).agenda is None


def test_a_note_is_corrected_and_deleted_the_usual_ways(line, db, live):  # noqa: F811
    line.say("บันทึก สมาชิกมา 37 คน", user=FACILITATOR, group=live.chat)
    answer = line.say("แก้ไขบันทึก สมาชิกมา ๓๘ คน", user=FACILITATOR, group=live.chat)
    assert answer[0]["text"] == t("th", "note_edited")
    assert one(db, Note).text == "สมาชิกมา ๓๘ คน"
    assert line.say("แก้บันทึก", user=FACILITATOR, group=live.chat) == []  # the keyword alone is talk
    assert line.say("/edit-note", user=FACILITATOR, group=live.chat)[0]["text"] == t("th", "invalid_edit_note")
    answer = line.say("ลบบันทึกล่าสุดด้วยครับ", user=FACILITATOR, group=live.chat)
    assert answer[0]["text"] == t("th", "note_deleted")
    assert one(db, Note).deleted_at is not None


def test_editing_a_notes_line_message_keeps_its_code_out_of_the_text(line, db, live):  # noqa: F811
    event = line.text_event("บันทึก #1 ผู้เข้าร่วม 36 คน", user=FACILITATOR, group=live.chat)
    line.send(event)
    edited = line.event("messageEdited", user=FACILITATOR, group=live.chat,
                        message={**event["message"], "text": "บันทึก #1 ผู้เข้าร่วม 37 คน"})
    line.send(edited)
    notes = all_of(db, Note)
    assert [(n.text, n.meeting_id) for n in notes] == [("ผู้เข้าร่วม 37 คน", 1)]
