"""Meeting cards, summaries and lists (handlers/cards.py): LINE would accept every message, and
they say what the leaders and coordinators need, in Thai and in English."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from bot.fakeline.spec import load_spec
from handlers import cards
from handlers.cards import (
    CARD_VIEW,
    answer_confirmation,
    answer_quick_replies,
    group_tally_line,
    meeting_card,
    meetings_list_message,
    state_mark,
    summary_messages,
    truncate,
)
from handlers.postbacks import Action, decode
from thai.when import format_thai_date
from models.line_limits import MAX_CAROUSEL_BYTES, check_message, json_size, utf16_len
from models.meetings import Meeting, MeetingStatus, Response
from models.network import GroupKind
from models.tally import GroupTally, MeetingTally, SubDistrictTally, Totals, VillageTally
from tests.linechat import nodes

UTC = timezone.utc
START = datetime(2026, 8, 15, 2, 0, tzinfo=UTC)  # 09.00 in Bangkok, Saturday 15 Aug 2026 (พ.ศ. 2569)
SOMEONE = "U" + "0" * 32


# -- building meetings and tallies in memory ------------------------------------------------------


def make_meeting(meeting_id: int = 12, *, title: str = "ประชุมกลุ่มการเงิน ต.ท่าไร่ ครั้งที่ 1",
                 starts_at: datetime = START, hours: int = 3, venue: str | None = "วัดบางหลวง",
                 status: str = MeetingStatus.SCHEDULED, lat: float | None = 8.4304, lon: float | None = 99.9631,
                 **extra) -> Meeting:
    return Meeting(id=meeting_id, title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                   venue_name=venue, venue_latitude=lat, venue_longitude=lon, status=status, **extra)


def group(group_id: int, kind: str, village: int | None, sub: tuple[int, str] | None, quota: int | None,
          *, going: int | None = None, not_going: bool = False, maybe: int = 0, name: str | None = None) -> GroupTally:
    """A group's tally row: going=N (a leader's headcount), not_going, maybe=N, or nothing (no answer)."""
    sub_id, sub_name = sub if sub else (None, None)
    g = GroupTally(group_id=group_id, name=name or f"{GroupKind.THAI[kind]} หมู่ {village} {sub_name}", kind=kind,
                   village_number=village, village_name=None, sub_district_id=sub_id, sub_district_name=sub_name,
                   chat_id=None, quota=quota)
    if going is not None:
        g.coming, g.answers = going, 1
    elif not_going:
        g.not_coming, g.answers = 1, 1
    elif maybe:
        g.maybe, g.answers = maybe, 1
    return g


def make_tally(meeting_id: int, groups: list[GroupTally], *, individuals_coming: int = 0,
               individuals_maybe: int = 0) -> MeetingTally:
    """Groups into sub-districts and villages, ordered the way models.tally.tally() orders them."""
    ordered = sorted(groups, key=lambda g: (
        g.sub_district_name or "\uffff", g.village_number if g.village_number is not None else 10_000,
        GroupKind.ALL.index(g.kind), g.name))
    subs: list[SubDistrictTally] = []
    total = Totals()
    for g in ordered:
        if not subs or subs[-1].sub_district_id != g.sub_district_id:
            subs.append(SubDistrictTally(g.sub_district_id, g.sub_district_name, [], Totals()))
        sub = subs[-1]
        if not sub.villages or sub.villages[-1].number != g.village_number:
            sub.villages.append(VillageTally(g.village_number, None, [], Totals()))
        sub.villages[-1].groups.append(g)
        t = g.totals()
        sub.villages[-1].totals.add(t)
        sub.totals.add(t)
        total.add(t)
    return MeetingTally(meeting_id=meeting_id, groups=ordered, sub_districts=subs, totals=total,
                        individuals_coming=individuals_coming, individuals_maybe=individuals_maybe)


THA_RAI = (1, "ท่าไร่")
SAV, FUND, OTHER = GroupKind.SAVINGS_GROUP, GroupKind.VILLAGE_FUND, GroupKind.OTHER


def tha_rai_tally() -> MeetingTally:
    """15 Aug at Wat Bang Luang: savings group and village fund of 6 villages, 4 each, plus the
    community leaders; the village fund of village 2 and the savings group of village 5 have not answered."""
    groups = [
        group(1, SAV, 1, THA_RAI, 4, going=4), group(2, FUND, 1, THA_RAI, 4, going=3),
        group(3, SAV, 2, THA_RAI, 4, going=4), group(4, FUND, 2, THA_RAI, 4),
        group(5, SAV, 3, THA_RAI, 4, going=4), group(6, FUND, 3, THA_RAI, 4, going=2),
        group(7, SAV, 4, THA_RAI, 4, going=5), group(8, FUND, 4, THA_RAI, 4, not_going=True),
        group(9, SAV, 5, THA_RAI, 4), group(10, FUND, 5, THA_RAI, 4, maybe=2),
        group(11, SAV, 6, THA_RAI, 4, going=3), group(12, FUND, 6, THA_RAI, 4, going=4),
        group(13, OTHER, None, THA_RAI, 8, going=6, name="ผู้นำชุมชน ต.ท่าไร่"),
    ]
    return make_tally(12, groups, individuals_coming=3)


# -- what LINE would accept -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def assert_valid(spec, *messages: dict) -> None:
    """The fake LINE platform's validation (OpenAPI with discriminators, plus the limits the spec
    lacks), models.line_limits, and a few rules LINE enforces that neither checks."""
    assert 1 <= len(messages) <= 5
    errors = spec.validate("push", {"to": SOMEONE, "messages": list(messages)})
    assert errors == [], errors
    for message in messages:
        check_message(message)
        json.dumps(message, ensure_ascii=False).encode("utf-8")  # no lone surrogates
        for node in nodes(message):
            if node.get("type") == "text" and "text" in node:
                assert node["text"].strip(), f"empty text component {node}"
            if node.get("type") in ("postback", "uri", "message") and "label" in node:
                assert 1 <= len(node["label"]) <= 20, node["label"]
            if node.get("type") == "uri":
                assert len(node["uri"]) <= 1000 and node["uri"].startswith("https://")
            if "displayText" in node:
                assert 1 <= len(node["displayText"]) <= 300
        if message["type"] == "flex":
            assert utf16_len(message["altText"]) <= 400


def postbacks(message: dict) -> list[dict]:
    return [n for n in nodes(message) if n.get("type") == "postback"]


def texts(message: dict) -> list[str]:
    return [n["text"] for n in nodes(message) if n.get("type") == "text" and "text" in n]


def buttons(message: dict) -> list[dict]:
    return [n for n in nodes(message) if n.get("type") == "button"]


# -- the card ---------------------------------------------------------------------------------------


def test_card_shows_the_thai_date_time_and_venue(spec):
    card = meeting_card(make_meeting(), None)
    assert_valid(spec, card)
    shown = "\n".join(texts(card))
    assert format_thai_date(START) == "วันเสาร์ที่ 15 ส.ค. 2569"
    assert "วันเสาร์ที่ 15 ส.ค. 2569" in shown
    assert "09.00–12.00 น." in shown
    assert "#12" in shown and "วัดบางหลวง" in shown and "ประชุมกลุ่มการเงิน ต.ท่าไร่ ครั้งที่ 1" in shown
    assert card["altText"].startswith("นัดประชุม #12 วันเสาร์ที่ 15 ส.ค. 2569 09.00 น. ที่วัดบางหลวง")
    # big readable text for the key lines
    sizes = {n["text"]: n.get("size") for n in nodes(card) if n.get("type") == "text"}
    assert sizes["📅 วันเสาร์ที่ 15 ส.ค. 2569"] in ("lg", "xl")
    assert sizes["🕘 09.00–12.00 น."] in ("lg", "xl")
    assert json_size(card["contents"]) < 10_000


def test_card_buttons_answer_with_the_right_postbacks(spec):
    tally = tha_rai_tally()
    card = meeting_card(make_meeting(), tally, group_id=6)
    assert_valid(spec, card)
    answer_buttons = [b for b in buttons(card) if b["action"]["type"] == "postback"]
    decoded = [(b["action"]["label"], decode(b["action"]["data"]), b["style"], b["height"]) for b in answer_buttons]
    assert decoded == [
        ("ไป", {"a": Action.ANSWER, "m": "12", "r": Response.GOING, "g": "6"}, "primary", "md"),
        ("ไม่ไป", {"a": Action.ANSWER, "m": "12", "r": Response.NOT_GOING, "g": "6"}, "secondary", "md"),
        ("ไม่แน่ใจ", {"a": Action.ANSWER, "m": "12", "r": Response.MAYBE, "g": "6"}, "secondary", "md"),
        ("สรุป", {"a": Action.SUMMARY, "m": "12"}, "link", "md"),
    ]
    assert [b["action"]["displayText"] for b in answer_buttons][:3] == ["ไป #12", "ไม่ไป #12", "ไม่แน่ใจ #12"]
    map_button = [b for b in buttons(card) if b["action"]["type"] == "uri"]
    assert map_button and map_button[0]["action"]["label"] == "แผนที่"
    assert map_button[0]["action"]["uri"] == make_meeting().map_url


def test_card_quick_replies_are_headcounts_one_to_ten(spec):
    card = meeting_card(make_meeting(), None, group_id=3)
    items = card["quickReply"]["items"]
    assert len(items) == 10
    assert [i["action"]["label"] for i in items] == [f"ไป {n} คน" for n in range(1, 11)]
    for n, item in enumerate(items, start=1):
        assert item["type"] == "action"
        assert decode(item["action"]["data"]) == {"a": Action.ANSWER, "m": "12", "r": Response.GOING,
                                                  "n": str(n), "g": "3"}
    alone = answer_quick_replies(12)
    assert len(alone["items"]) == 10 and "g" not in decode(alone["items"][0]["action"]["data"])
    assert_valid(spec, {"type": "text", "text": "บันทึกแล้ว", "quickReply": alone})
    english = answer_quick_replies(12, 3, lang="en")
    assert all(len(i["action"]["label"]) <= 20 for i in english["items"])
    assert_valid(spec, {"type": "text", "text": "Saved", "quickReply": english})


def test_card_shows_the_group_quota_and_the_totals(spec):
    tally = tha_rai_tally()
    card = meeting_card(make_meeting(), tally, group_id=2)
    assert_valid(spec, card)
    shown = texts(card)
    assert "กองทุนหมู่บ้าน หมู่ 1 · โควตา 4 คน/กลุ่ม" in shown
    assert "กลุ่มนี้: ไป 3/4 คน" in shown
    t = tally.totals
    assert f"รวม: ไป {tally.coming} คน จาก {t.groups_going} กลุ่ม · ไม่แน่ใจ 2 คน · ยังไม่ตอบ 2 กลุ่ม" in shown
    over = meeting_card(make_meeting(), tally, group_id=7)
    assert "กลุ่มนี้: ไป 5/4 คน (เกินโควตา)" in texts(over)
    unanswered = meeting_card(make_meeting(), tally, group_id=4)
    assert "กลุ่มนี้: ยังไม่ตอบ" in texts(unanswered)


def test_cancelled_card_has_no_buttons_and_no_quick_replies(spec):
    card = meeting_card(make_meeting(status=MeetingStatus.CANCELLED), tha_rai_tally(), group_id=2,
                        notice="ยกเลิกนัด: ขออภัยทุกกลุ่ม")
    assert_valid(spec, card)
    assert "quickReply" not in card
    assert postbacks(card) == [] and buttons(card) == []
    assert "ยกเลิกแล้ว" in texts(card)
    assert card["contents"]["header"]["backgroundColor"] == cards.RED
    assert card["altText"].startswith("ยกเลิกนัด: ขออภัยทุกกลุ่ม · นัดประชุม #12")


def test_moved_card_carries_the_notice_and_the_status(spec):
    notice = "เลื่อนนัด: จากวันศุกร์ที่ 14 ส.ค. 2569 เป็นวันเสาร์ที่ 15 ส.ค. 2569 09.00 น."
    card = meeting_card(make_meeting(status=MeetingStatus.MOVED), None, notice=notice)
    assert_valid(spec, card)
    header = texts(card["contents"]["header"])
    assert header[0] == notice and "เลื่อนแล้ว" in header
    assert card["contents"]["header"]["backgroundColor"] == cards.AMBER
    assert len([p for p in postbacks(card) if decode(p["data"])["a"] == Action.ANSWER]) == 3 + 10
    assert card["altText"].startswith(notice)


def test_card_with_now_says_tomorrow_and_a_past_meeting_takes_no_answers(spec):
    evening_before = datetime(2026, 8, 14, 12, 0, tzinfo=UTC)  # 19.00 in Bangkok
    card = meeting_card(make_meeting(), None, now=evening_before, notice="เตือน: พรุ่งนี้")
    assert_valid(spec, card)
    assert "📅 วันเสาร์ที่ 15 ส.ค. 2569 (พรุ่งนี้)" in texts(card)
    after = meeting_card(make_meeting(), None, now=START + timedelta(hours=4))
    assert_valid(spec, after)
    assert "quickReply" not in after
    assert [decode(p["data"])["a"] for p in postbacks(after)] == [Action.SUMMARY]
    assert "จบแล้ว" in texts(after)


def test_card_without_venue_or_tally_and_without_a_db_status(spec):
    meeting = Meeting(id=3, title="ประชุมเตรียมงานทีมคุณอำนวย", starts_at=datetime(2026, 8, 8, 3, tzinfo=UTC),
                      ends_at=datetime(2026, 8, 8, 5, tzinfo=UTC))  # status not set: never saved
    card = meeting_card(meeting, None)
    assert_valid(spec, card)
    assert not [b for b in buttons(card) if b["action"]["type"] == "uri"]
    assert "📅 วันเสาร์ที่ 8 ส.ค. 2569" in texts(card) and "🕘 10.00–12.00 น." in texts(card)
    assert len(card["quickReply"]["items"]) == 10


def test_english_card(spec):
    card = meeting_card(make_meeting(), tha_rai_tally(), group_id=2, lang="en")
    assert_valid(spec, card)
    shown = texts(card)
    assert "📅 Saturday 15 Aug 2026" in shown and "🕘 09:00–12:00" in shown
    assert "This group: going 3/4" in shown
    assert [b["action"]["label"] for b in buttons(card) if b["action"]["type"] == "postback"] == [
        "Going", "Not going", "Maybe", "Summary"]
    assert [b["action"]["displayText"] for b in buttons(card) if b["action"]["type"] == "postback"][:3] == [
        "Going #12", "Not going #12", "Maybe #12"]
    assert card["altText"].startswith("Meeting #12 Saturday 15 Aug 2026 09:00 at วัดบางหลวง")
    assert not any("ไป" in i["action"]["label"] for i in card["quickReply"]["items"])


def test_a_long_emoji_title_is_cut_by_utf16_units_not_rejected(spec):
    title = "😀" * 600
    meeting = make_meeting(title=title, venue="วัด" + "😀" * 400, venue_address="ที่อยู่ " * 200,
                           agenda="วาระ " * 500)
    card = meeting_card(meeting, tha_rai_tally(), group_id=1, notice="🔔" * 300)
    assert_valid(spec, card)
    shown_title = texts(card["contents"]["body"])[0]
    assert shown_title.endswith("…") and set(shown_title[:-1]) == {"😀"}
    assert utf16_len(shown_title) <= 150
    assert utf16_len(card["altText"]) <= 400
    summary = summary_messages(meeting, tha_rai_tally())
    assert_valid(spec, *summary)
    listing = meetings_list_message([(meeting, None)], now=START - timedelta(days=1))
    assert_valid(spec, listing)


def test_a_long_thai_venue_has_no_map_button_rather_than_an_overlong_uri(spec):
    meeting = make_meeting(venue="ศาลาการเปรียญวัดบางหลวง " * 10, venue_address="หมู่ 3 ต.ท่าไร่ " * 20,
                           lat=None, lon=None)
    assert len(meeting.map_url) > 1000
    card = meeting_card(meeting, None)
    assert_valid(spec, card)
    assert not [b for b in buttons(card) if b["action"]["type"] == "uri"]


def test_truncate_keeps_thai_marks_and_emoji_whole():
    assert truncate("สวัสดี", 10) == "สวัสดี"
    assert truncate("ผู้ใหญ่บ้าน", 4) == "ผู้…"
    assert truncate("ผู้ใหญ่บ้าน", 7) == "ผู้ให…"  # not "ผู้ใหญ…": the tone mark stays with its consonant
    assert truncate("ผู้ใหญ่บ้าน", 3) == "…"
    assert truncate("😀😀😀", 4) == "😀…"
    assert truncate("👍🏽👍🏽", 4) == "…"  # never a thumb without its skin tone
    assert utf16_len(truncate("ก" * 10_000, 5000)) == 5000


# -- helpers for confirmations -----------------------------------------------------------------------


def test_state_marks_and_group_lines():
    tally = tha_rai_tally()
    by_id = {g.group_id: g for g in tally.groups}
    assert [state_mark(by_id[i]) for i in (1, 7, 8, 10, 4)] == ["✅", "⚠️", "❌", "❔", "⏳"]
    assert group_tally_line(by_id[12]) == "กองทุนหมู่บ้าน หมู่ 6: ไป 4/4 คน"
    assert group_tally_line(by_id[8]) == "กองทุนหมู่บ้าน หมู่ 4: ไม่ไป"
    assert group_tally_line(by_id[10]) == "กองทุนหมู่บ้าน หมู่ 5: ไม่แน่ใจ 2 คน"
    assert group_tally_line(by_id[4]) == "กองทุนหมู่บ้าน หมู่ 2: ยังไม่ตอบ"
    assert group_tally_line(by_id[7]) == "กลุ่มออมทรัพย์ หมู่ 4: ไป 5/4 คน (เกินโควตา)"
    assert group_tally_line(by_id[13]) == "ผู้นำชุมชน ต.ท่าไร่: ไป 6/8 คน"
    assert group_tally_line(by_id[12], "en") == "Village fund, village 6: going 4/4"


def test_answer_confirmation(spec):
    tally = tha_rai_tally()
    by_id = {g.group_id: g for g in tally.groups}
    saved = answer_confirmation(make_meeting(), by_id[12], response=Response.GOING, headcount=4)
    assert_valid(spec, saved)
    assert saved["text"].startswith("✅ บันทึกแล้ว: กองทุนหมู่บ้าน หมู่ 6: ไป 4/4 คน")
    assert "วันเสาร์ที่ 15 ส.ค. 2569" in saved["text"] and len(saved["quickReply"]["items"]) == 10
    over = answer_confirmation(make_meeting(), by_id[7], response=Response.GOING, headcount=5)
    assert "เกินโควตา 4 คน" in over["text"]
    declined = answer_confirmation(make_meeting(), by_id[8], response=Response.NOT_GOING, lang="en")
    assert_valid(spec, declined)
    assert "quickReply" not in declined and "not going" in declined["text"]
    personal = answer_confirmation(make_meeting(), None, response=Response.GOING, headcount=1)
    assert personal["text"].startswith("✅ บันทึกแล้ว: ไป")


# -- the summary --------------------------------------------------------------------------------------


def test_tha_rai_summary_puts_savings_groups_and_village_funds_side_by_side(spec):
    messages = summary_messages(make_meeting(), tha_rai_tally())
    assert_valid(spec, *messages)
    assert len(messages) == 1
    text = messages[0]["text"]
    print("\n" + text)
    lines = text.split("\n")
    assert lines[0] == "📋 สรุป #12 ประชุมกลุ่มการเงิน ต.ท่าไร่ ครั้งที่ 1"
    assert "📅 วันเสาร์ที่ 15 ส.ค. 2569 09.00–12.00 น." in lines
    assert "📍 วัดบางหลวง" in lines
    assert "ตอบแล้ว 11/13 กลุ่ม · ไป 35 คน (โควตา 56) · ไม่ไป 1 กลุ่ม · ไม่แน่ใจ 2 คน" in lines
    assert "รายบุคคล: ไป 3 คน" in lines and "รวมไปทั้งหมด 38 คน" in lines
    assert "▪️ ต.ท่าไร่: ตอบแล้ว 11/13 กลุ่ม · ไป 35 คน (โควตา 56) · ไม่ไป 1 กลุ่ม · ไม่แน่ใจ 2 คน" in lines
    # one line per village, the two kinds side by side
    assert "หมู่ 1: ออมทรัพย์ ✅ ไป 4/4 · กองทุนฯ ✅ ไป 3/4" in lines
    assert "หมู่ 2: ออมทรัพย์ ✅ ไป 4/4 · กองทุนฯ ⏳ ยังไม่ตอบ" in lines
    assert "หมู่ 4: ออมทรัพย์ ⚠️ ไป 5/4 · กองทุนฯ ❌ ไม่ไป" in lines
    assert "หมู่ 5: ออมทรัพย์ ⏳ ยังไม่ตอบ · กองทุนฯ ❔ ไม่แน่ใจ 2" in lines
    assert "   ออมทรัพย์ รวม ไป 20/24 (ตอบ 5/6 กลุ่ม) · กองทุนฯ รวม ไป 9/24 (ตอบ 5/6 กลุ่ม)" in lines
    assert "• ผู้นำชุมชน ต.ท่าไร่: ✅ ไป 6/8" in lines
    # then the groups still to chase
    tail = lines[lines.index("⏳ ยังไม่ตอบ 2 กลุ่ม:"):]
    assert tail == ["⏳ ยังไม่ตอบ 2 กลุ่ม:", "• หมู่ 2 กองทุนฯ", "• หมู่ 5 ออมทรัพย์"]


def test_bang_chak_summary_does_not_repeat_the_kind(spec):
    bang_chak = (2, "บางจาก")
    groups = [group(i, FUND, i, bang_chak, 10, going=8 if i % 3 else None) for i in range(1, 12)]
    groups[3] = group(4, FUND, 4, bang_chak, 10, not_going=True)
    messages = summary_messages(make_meeting(14, venue="วัดบางสะพาน"), make_tally(14, groups))
    assert_valid(spec, *messages)
    lines = messages[0]["text"].split("\n")
    assert "หมู่ 1: ✅ ไป 8/10" in lines and "หมู่ 3: ⏳ ยังไม่ตอบ" in lines and "หมู่ 4: ❌ ไม่ไป" in lines
    assert not any("รวม ไป" in line for line in lines)  # one kind: no savings-vs-fund line


def test_english_summary(spec):
    messages = summary_messages(make_meeting(), tha_rai_tally(), lang="en")
    assert_valid(spec, *messages)
    text = messages[0]["text"]
    assert text.startswith("📋 Summary #12 ")
    assert "Answered 11/13 groups · going 35 (quota 56) · not going 1 group · maybe 2" in text
    assert "Village 1: savings ✅ going 4/4 · fund ✅ going 3/4" in text
    assert "⏳ No answer yet: 2 groups" in text and "• Village 2 fund" in text
    for data in ("ประชุมกลุ่มการเงิน ต.ท่าไร่ ครั้งที่ 1", "วัดบางหลวง", "ผู้นำชุมชน ต.ท่าไร่", "ท่าไร่"):
        text = text.replace(data, "")  # names from the data stay as they are
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in text), text


def test_summary_without_answers_or_tally(spec):
    empty = summary_messages(make_meeting(status=MeetingStatus.CANCELLED), make_tally(12, []))
    assert_valid(spec, *empty)
    assert "(ยกเลิกแล้ว)" in empty[0]["text"] and "ยังไม่มีใครตอบ" in empty[0]["text"]
    assert_valid(spec, *summary_messages(make_meeting(), None))


def big_tally(groups: int = 1000, answers: int = 10_000, seed: int = 7) -> MeetingTally:
    """1,000 invited groups in 20 sub-districts of 25 villages (a savings group and a village
    fund each); 10,000 answers spread over them; a few hundred not answered."""
    rng = random.Random(seed)
    rows = []
    for i in range(groups):
        sub_no, rest = divmod(i, 50)
        village, kind = divmod(rest, 2)
        rows.append(group(i + 1, (SAV, FUND)[kind], village + 1, (sub_no + 1, f"ตำบลที่{sub_no + 1:02d}"), 10))
    for _ in range(answers):
        g = rows[rng.randrange(groups)]
        if rng.random() < 0.06:
            continue  # these groups' members stay silent
        g.answers += 1
        roll = rng.random()
        if roll < 0.8:
            g.coming += 1
        elif roll < 0.9:
            g.maybe += 1
        else:
            g.not_coming += 1
    silent = rng.sample(rows, 300)
    for g in silent:
        g.answers = g.coming = g.maybe = g.not_coming = 0
    return make_tally(99, rows)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_summary_of_a_thousand_groups_fits_in_five_messages(spec, lang):
    # How fast: benchmarks/rendering.py, against a baseline in the same run.
    tally = big_tally()
    meeting = make_meeting(99, title="สมัชชาเครือข่ายกลุ่มการเงินชุมชนทั้งจังหวัด 😀")
    messages = summary_messages(meeting, tally, lang=lang)
    assert 1 <= len(messages) <= 5
    assert all(utf16_len(m["text"]) <= 5000 for m in messages)
    assert_valid(spec, *messages)
    text = "\n".join(m["text"] for m in messages)
    unanswered = len(tally.unanswered)
    assert unanswered >= 300
    assert (f"และอีก {unanswered - 30} กลุ่ม" if lang == "th" else f"… and {unanswered - 30} more groups") in text
    # every sub-district's totals are there, whatever was condensed
    for sub in tally.sub_districts:
        assert sub.name in text
    if len(messages) > 1:
        assert messages[1]["text"].startswith("(สรุป #99, 2/" if lang == "th" else "(Summary #99, 2/")
    # condensed: said at the top; the unanswered groups named first are those whose villages are not shown
    assert ("ยาวเกินข้อความ LINE" if lang == "th" else "Too long for LINE") in messages[0]["text"]
    lines = text.split("\n")
    first_unanswered = lines[[i for i, line in enumerate(lines) if line.startswith("⏳")][0] + 1]
    assert first_unanswered.startswith("• ") and "ตำบลที่01" not in first_unanswered
    village_line = ("หมู่ 1: " if lang == "th" else "Village 1: ")
    assert 1 <= sum(line.startswith(village_line) for line in lines) < len(tally.sub_districts)


@pytest.mark.parametrize("max_messages", [1, 2, 3])
def test_summary_respects_max_messages(spec, max_messages):
    messages = summary_messages(make_meeting(), big_tally(), max_messages=max_messages)
    assert 1 <= len(messages) <= max_messages
    assert_valid(spec, *messages)


def test_summary_of_very_many_sub_districts_still_fits(spec):
    rows = [group(i, FUND, 1, (i, f"ตำบลชื่อยาวมากเพื่อทดสอบความยาวข้อความ{i}"), 10, going=i % 7 or None)
            for i in range(1, 2001)]
    messages = summary_messages(make_meeting(), make_tally(12, rows), max_messages=2)
    assert len(messages) <= 2
    assert_valid(spec, *messages)
    text = "\n".join(m["text"] for m in messages)
    assert "และอีก" in text and "ตำบล" in text


def test_summary_of_a_medium_meeting_is_whole_over_several_messages(spec):
    rows = []
    for s in range(1, 4):
        for v in range(1, 31):
            rows.append(group(s * 100 + v, FUND, v, (s, f"ตำบล{s}"), 10, going=(v * s) % 11 or None))
    tally = make_tally(12, rows)
    tally.sub_districts[0].villages[0].name = "บ้านชื่อยาว" * 3
    messages = summary_messages(make_meeting(), tally)
    assert_valid(spec, *messages)
    text = "\n".join(m["text"] for m in messages)
    assert "และอีก" not in text  # nothing condensed: every unanswered group is named
    assert all(f"• หมู่ {g.village_number} กองทุนฯ ต.{g.sub_district_name}" in text for g in tally.unanswered)


# -- the meetings list --------------------------------------------------------------------------------


def test_meetings_list_is_a_carousel_cut_to_twelve_bubbles(spec):
    now = datetime(2026, 8, 1, 1, 0, tzinfo=UTC)
    meetings = [(make_meeting(100 + i, title=f"ประชุมครั้งที่ {i} " + "ยาว" * 60,
                              starts_at=START + timedelta(days=i), venue="วัดบางหลวง " * 20), tha_rai_tally())
                for i in range(15)]
    random.Random(1).shuffle(meetings)
    message = meetings_list_message(meetings, now=now)
    assert_valid(spec, message)
    bubbles = message["contents"]["contents"]
    assert message["contents"]["type"] == "carousel" and len(bubbles) == 12
    assert json_size(message["contents"]) <= MAX_CAROUSEL_BYTES
    assert [b["header"]["contents"][0]["text"] for b in bubbles] == [f"#{100 + i}" for i in range(12)]
    assert "ยังมีอีก 3 นัดหลังจากนี้" in texts(bubbles[-1])
    first = buttons(bubbles[0])[0]["action"]
    assert decode(first["data"]) == {"a": Action.SUMMARY, "m": "100", "v": CARD_VIEW}
    assert first["label"] == "ดูการ์ด/ตอบ"
    assert message["altText"].startswith("นัดหมาย 15 นัด: #100 วันเสาร์ที่ 15 ส.ค. 2569 09.00 น.")


def test_meetings_list_leaves_out_past_meetings_and_says_when_there_are_none(spec):
    now = START + timedelta(days=1)
    past = make_meeting(1)
    empty = meetings_list_message([(past, None)], now=now)
    assert empty == {"type": "text", "text": "ยังไม่มีนัดหมาย"}
    assert meetings_list_message([], now=now, lang="en") == {"type": "text", "text": "No upcoming meetings."}
    moved = make_meeting(2, starts_at=START + timedelta(days=2), status=MeetingStatus.MOVED)
    message = meetings_list_message([(past, None), (moved, None)], now=now, lang="en")
    assert_valid(spec, message)
    bubbles = message["contents"]["contents"]
    assert len(bubbles) == 1 and "Moved" in texts(bubbles[0]) and "📅 Monday 17 Aug 2026 (tomorrow)" in texts(bubbles[0])
    assert buttons(bubbles[0])[0]["action"]["label"] == "Open / answer"


# -- with the real tally from the database -------------------------------------------------------------


def test_card_and_summary_from_a_real_tally(spec, db):
    from models.meetings import create_meeting, invite, record_answer
    from models.network import FinancialGroup, SubDistrict, Village
    from models.people import Role, ensure_person, grant
    from models.tally import tally

    with db.transaction() as session:
        tha_rai = SubDistrict(name="ท่าไร่")
        session.add(tha_rai)
        session.flush()
        groups = {}
        for number in (1, 2):
            village = Village(sub_district_id=tha_rai.id, number=number, name=f"บ้าน{number}")
            session.add(village)
            session.flush()
            for kind in (SAV, FUND):
                g = FinancialGroup(name=f"{GroupKind.THAI[kind]} หมู่ {number} ท่าไร่", kind=kind,
                                   sub_district_id=tha_rai.id, village_id=village.id)
                session.add(g)
                session.flush()
                groups[(number, kind)] = g
        meeting = create_meeting(session, title="ประชุม ต.ท่าไร่ ครั้งที่ 1", starts_at=START, venue_name="วัดบางหลวง",
                                 latitude=8.43, longitude=99.96)
        for g in groups.values():
            invite(session, meeting, g, 4)
        leader = ensure_person(session, "U" + "1" * 32, display_name="ลุงสมชาย")
        grant(session, leader, Role.LEADER, group_id=groups[(1, SAV)].id)
        record_answer(session, meeting=meeting, person=leader, response=Response.GOING, group=groups[(1, SAV)],
                      headcount=4, for_group=True, now=START - timedelta(days=3))
        member = ensure_person(session, "U" + "2" * 32)
        record_answer(session, meeting=meeting, person=member, response=Response.GOING, group=groups[(2, FUND)],
                      now=START - timedelta(days=2))
        current = tally(session, meeting)
        card = meeting_card(meeting, current, group_id=groups[(1, SAV)].id)
        summary = summary_messages(meeting, current)

    assert_valid(spec, card)
    assert "กลุ่มนี้: ไป 4/4 คน" in texts(card)
    assert_valid(spec, *summary)
    text = summary[0]["text"]
    assert "หมู่ 1 บ้าน1: ออมทรัพย์ ✅ ไป 4/4 · กองทุนฯ ⏳ ยังไม่ตอบ" in text
    assert "หมู่ 2 บ้าน2: ออมทรัพย์ ⏳ ยังไม่ตอบ · กองทุนฯ ✅ ไป 1/4" in text
    assert "⏳ ยังไม่ตอบ 2 กลุ่ม:" in text


@pytest.mark.parametrize("seed", range(12))
def test_any_network_gives_a_summary_line_can_send(spec, seed):
    """Random networks: long and emoji names, one huge village, many sub-districts, any max_messages."""
    rng = random.Random(seed)
    rows = []
    n_subs = rng.choice([1, 2, 5, 40, 300])
    for i in range(rng.choice([1, 10, 200, 1500])):
        sub = rng.randrange(n_subs)
        kind = rng.choice([SAV, FUND, FUND, OTHER])
        village = None if kind == OTHER and rng.random() < 0.5 else rng.choice([1, 2, 3, rng.randrange(1, 40)])
        name = rng.choice(["กลุ่ม", "😀", "ผู้ใหญ่บ้าน", "x"]) * rng.choice([1, 5, 60]) + f" {i}"
        answer = rng.choice([{}, {"going": rng.randrange(1, 30)}, {"not_going": True}, {"maybe": 2}])
        rows.append(group(i + 1, kind, village, (sub, "ตำบล😀" * rng.choice([1, 20]) + str(sub)),
                          rng.choice([None, 4, 10]), name=name[:200], **answer))
    tally = make_tally(7, rows, individuals_coming=rng.randrange(3))
    tally.sub_districts[0].villages[0].name = "บ้าน" * rng.choice([1, 50])
    max_messages = rng.randrange(1, 6)
    messages = summary_messages(make_meeting(7, title="😀" * 600), tally, max_messages=max_messages,
                                lang=rng.choice(["th", "en"]))
    assert 1 <= len(messages) <= max_messages
    assert_valid(spec, *messages)
    card = meeting_card(make_meeting(7), tally, group_id=rows[0].group_id)
    assert_valid(spec, card)
