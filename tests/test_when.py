"""Reading dates and times as Thai people type them (thai/when.py).

Every case runs against the same clock: Monday 27 July 2026, 10:00 in Bangkok, the day after
the seed's field meeting at Wat Bang Luang and before the August meetings.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from thai.when import (
    Recurring,
    Unclear,
    When,
    format_choice,
    format_choice_date,
    format_thai_date,
    format_thai_datetime,
    format_thai_time,
    parse_date,
    parse_time,
    parse_when,
)

BKK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2026, 7, 27, 10, 0, tzinfo=BKK)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=BKK)


def test_weekday_words_are_read_against_the_fixed_clock_a_monday():
    # The tables below assume NOW is a Monday; this pins the assumption to what the reader does.
    assert NOW.weekday() == 0
    result, _ = parse_when("วันเสาร์ 9 โมง", NOW)
    assert isinstance(result, When) and result.start == at(2026, 8, 1, 9)


# (text, expected start): each is read as one date and one time, with nothing to ask.
READS = [
    # the seed's meetings, typed as a coordinator would
    ("นัด 15 ส.ค. 09:00 วัดบางหลวง เรื่อง หารือความร่วมมือกลุ่มการเงิน", at(2026, 8, 15, 9)),
    ("นัดกรรมการกองทุนทุกกองทุนที่มัสยิดหมู่ 6 วันที่ 17 ส.ค. 9 โมง", at(2026, 8, 17, 9)),
    ("วันที่ 14 ส.ค.ที่วัดบางสะพาน เวลา 9.00 น.", at(2026, 8, 14, 9)),
    ("ประชุมเตรียมการ 8 ส.ค. 13.30 น. สนง.พัฒนาชุมชน", at(2026, 8, 8, 13, 30)),
    ("6 ก.ย. 09.00 น. วัดบางหลวง", at(2026, 9, 6, 9)),
    # day + Thai month, with or without dots and spaces
    ("15 ส.ค. 9:00", at(2026, 8, 15, 9)),
    ("15 สค 9 โมง", at(2026, 8, 15, 9)),
    ("15 ส.ค 9 โมงเช้า", at(2026, 8, 15, 9)),
    ("15ส.ค.69 9โมง", at(2026, 8, 15, 9)),
    ("15 สิงหาคม เก้าโมง", at(2026, 8, 15, 9)),
    ("15 สิงหา บ่าย 2", at(2026, 8, 15, 14)),
    ("วันที่ 15 สิงหาคม เก้าโมงเช้า", at(2026, 8, 15, 9)),
    ("15 กันยา 10 โมง", at(2026, 9, 15, 10)),
    ("15 ก.ย 10 โมง", at(2026, 9, 15, 10)),
    ("6 ต.ค. 9 โมง", at(2026, 10, 6, 9)),
    ("20 กรกฏาคม 2570 9 โมง", at(2027, 7, 20, 9)),  # the common misspelling with ฏ
    # years: Buddhist era, short BE, CE, with or without the era word
    ("15 ส.ค. 2569 บ่ายสองโมง", at(2026, 8, 15, 14)),
    ("15 ส.ค. 69 บ่ายโมงครึ่ง", at(2026, 8, 15, 13, 30)),
    ("15 ส.ค. พ.ศ. 2569 บ่ายสามโมงครึ่ง", at(2026, 8, 15, 15, 30)),
    ("15 ส.ค. 2026 เที่ยง", at(2026, 8, 15, 12)),
    ("15 ส.ค. ค.ศ. 2026 เที่ยงครึ่ง", at(2026, 8, 15, 12, 30)),
    ("1 มี.ค. 2570 9 โมง", at(2027, 3, 1, 9)),
    ("29 ก.พ. 2571 9 โมง", at(2028, 2, 29, 9)),
    ("15 ส.ค. 2568 9 โมง", at(2025, 8, 15, 9)),  # in the past, year given: the caller decides
    # two digits after a Thai month are always พ.ศ. 25xx, even long past (the caller says so)
    ("15 ส.ค.48 บ่ายโมงครึ่ง วัดบางหลวง", at(2005, 8, 15, 13, 30)),
    ("15 ส.ค. 48 บ่ายโมงครึ่ง", at(2005, 8, 15, 13, 30)),
    ("15 ส.ค. 26 9 โมง", at(1983, 8, 15, 9)),  # not ค.ศ. 2026: Thai writing means 2526
    ("15 ส.ค.69 9:00", at(2026, 8, 15, 9)),
    ("15 ส.ค. 70 9:00", at(2027, 8, 15, 9)),
    ("15 สิงหาคม 68 9:00", at(2025, 8, 15, 9)),
    ("15 ส.ค. พ.ศ. 69 9:00", at(2026, 8, 15, 9)),
    ("15 ส.ค. ค.ศ. 26 9:00", at(2026, 8, 15, 9)),  # the era word said: ค.ศ.
    ("๑๕ ส.ค. ๖๙ ๙ โมง", at(2026, 8, 15, 9)),
    # two digits after a numeric month: whichever of พ.ศ. 25xx and ค.ศ. 20xx is near (-1 to +5 years)
    ("15/8/26 9 โมง", at(2026, 8, 15, 9)),
    ("15/08/69 9 โมง", at(2026, 8, 15, 9)),
    ("15.8.69 9 โมง", at(2026, 8, 15, 9)),
    ("15-8-27 9 โมง", at(2027, 8, 15, 9)),
    ("15/8/68 9 โมง", at(2025, 8, 15, 9)),  # a year back: past, the caller says so
    # after an English month the same, trying ค.ศ. first
    ("15 Aug 26 9am", at(2026, 8, 15, 9)),
    ("15 Aug 69 9am", at(2026, 8, 15, 9)),
    # numeric, day first; ISO year first
    ("15/8 สองทุ่ม", at(2026, 8, 15, 20)),
    ("15/08/2569 6 โมงเย็น", at(2026, 8, 15, 18)),
    ("15/8/69 ห้าโมงเย็น", at(2026, 8, 15, 17)),
    ("15-8-2026 เวลา 13.30 น.", at(2026, 8, 15, 13, 30)),
    ("15.08.2569 9 โมง", at(2026, 8, 15, 9)),
    ("วันที่ 15/8 9 โมง", at(2026, 8, 15, 9)),
    ("2026-08-15 13.30", at(2026, 8, 15, 13, 30)),
    ("2026-08-15T09:00", at(2026, 8, 15, 9)),
    # relative days
    ("วันนี้ 1 ทุ่ม", at(2026, 7, 27, 19)),
    ("พรุ่งนี้ ตี 5", at(2026, 7, 28, 5)),
    ("มะรืน 9am", at(2026, 7, 29, 9)),
    ("มะรืนนี้ 2 pm", at(2026, 7, 29, 14)),
    ("เย็นนี้ 6 โมง", at(2026, 7, 27, 18)),  # `เย็น` settles the 6
    ("วันศุกร์ 14h", at(2026, 7, 31, 14)),
    ("วันพฤหัส 9 โมง", at(2026, 7, 30, 9)),
    ("วันจันทร์ 9 โมง", at(2026, 8, 3, 9)),  # said on a Monday: next Monday, not today
    ("วันจันทร์นี้ 11 โมง", at(2026, 7, 27, 11)),  # `นี้`: today counts
    ("ประชุม อาทิตย์ 9 โมง", at(2026, 8, 2, 9)),
    # `ศุกร์หน้า`: the Friday of next week (weeks run Monday to Sunday)
    ("เลื่อนนัด #12 วันศุกร์หน้า บ่ายสอง", at(2026, 8, 7, 14)),
    ("ศุกร์หน้า 9:00", at(2026, 8, 7, 9)),
    ("วันศุกร์สัปดาห์หน้า 9 โมง", at(2026, 8, 7, 9)),
    ("สัปดาห์หน้าวันศุกร์ 9 โมง", at(2026, 8, 7, 9)),
    ("วันอาทิตย์หน้า 9 โมง", at(2026, 8, 9, 9)),
    # English
    ("tomorrow 9am", at(2026, 7, 28, 9)),
    ("today 2 pm", at(2026, 7, 27, 14)),
    ("fri 9am", at(2026, 7, 31, 9)),
    ("friday 10:00", at(2026, 7, 31, 10)),
    ("next friday 10:00", at(2026, 8, 7, 10)),
    ("aug 15 9am", at(2026, 8, 15, 9)),
    ("15 aug 9:30 pm", at(2026, 8, 15, 21, 30)),
    ("15 August 2026 9am", at(2026, 8, 15, 9)),
    ("Sat 15 Aug 2026 noon", at(2026, 8, 15, 12)),
    # Thai digits anywhere
    ("๑๕ ส.ค. ๒๕๖๙ ๐๙.๐๐ น.", at(2026, 8, 15, 9)),
    ("นัด ๑๕/๘ ๙ โมง", at(2026, 8, 15, 9)),
    # the bot's own format, pasted back
    ("วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00 น.", at(2026, 8, 15, 9)),
    # spoken times
    ("พรุ่งนี้ สิบเอ็ดโมง", at(2026, 7, 28, 11)),
    ("พรุ่งนี้ แปดโมงครึ่ง", at(2026, 7, 28, 8, 30)),
    ("พรุ่งนี้ สองโมงเช้า", at(2026, 7, 28, 8)),  # the six-hour clock: two hours into the morning
    ("พรุ่งนี้ ห้าโมงเช้า", at(2026, 7, 28, 11)),
    ("พรุ่งนี้ โมงเช้า", at(2026, 7, 28, 7)),
    ("พรุ่งนี้เช้า 2 โมง", at(2026, 7, 28, 8)),
    ("พรุ่งนี้ ทุ่มครึ่ง", at(2026, 7, 28, 19, 30)),
    ("พรุ่งนี้ ทุ่มนึง", at(2026, 7, 28, 19)),
    ("พรุ่งนี้ 2 ทุ่มครึ่ง", at(2026, 7, 28, 20, 30)),
    ("พรุ่งนี้ ตีห้าครึ่ง", at(2026, 7, 28, 5, 30)),
    ("พรุ่งนี้ เก้าโมงสิบห้านาที", at(2026, 7, 28, 9, 15)),
    ("พรุ่งนี้ 9 โมง 15 นาที", at(2026, 7, 28, 9, 15)),
    ("พรุ่งนี้ 9 น.", at(2026, 7, 28, 9)),
    ("พรุ่งนี้ 13 โมง", at(2026, 7, 28, 13)),
    ("พรุ่งนี้ เวลา 14", at(2026, 7, 28, 14)),
    ("พรุ่งนี้ ตอนบ่าย 2.30", at(2026, 7, 28, 14, 30)),
    ("พรุ่งนี้ 02:00", at(2026, 7, 28, 2)),  # a leading zero is the 24-hour clock
    ("15 ส.ค. 09.00-12.00 น. วัดบางหลวง", at(2026, 8, 15, 9)),  # a range: its start
    # the same date said twice is one date
    ("พรุ่งนี้ 28 ก.ค. 9 โมง", at(2026, 7, 28, 9)),
]


@pytest.mark.parametrize("text, start", READS, ids=[t for t, _ in READS])
def test_reads_the_date_and_time_people_type(text, start):
    result, _ = parse_when(text, NOW)
    assert isinstance(result, When), result
    assert result.start == start
    assert result.start.utcoffset() == start.utcoffset()
    assert result.has_time


# (now, text, expected start): no year, so the next such date; the day of the week moves on.
ROLLING = [
    (at(2026, 12, 20, 10), "15 ม.ค. 9 โมง", at(2027, 1, 15, 9)),  # typed in December
    (at(2026, 12, 20, 10), "15 ม.ค. 70 9 โมง", at(2027, 1, 15, 9)),
    (NOW, "15 ม.ค. 9:00", at(2027, 1, 15, 9)),
    (NOW, "27 ก.ค. 11:00", at(2026, 7, 27, 11)),  # today, the time still ahead
    (NOW, "27 ก.ค. 09:00", at(2027, 7, 27, 9)),  # today, but 09:00 has passed
    (NOW, "26 ก.ค. 9 โมง", at(2027, 7, 26, 9)),  # yesterday: next year
    (at(2026, 7, 31, 10), "วันศุกร์ 9 โมง", at(2026, 8, 7, 9)),  # on a Friday: next week's
    (at(2026, 7, 31, 10), "วันนี้ 9 โมง", at(2026, 7, 31, 9)),
    (at(2026, 7, 31, 10), "ศุกร์หน้า 9 โมง", at(2026, 8, 7, 9)),
    (at(2026, 8, 1, 10), "วันศุกร์ 9 โมง", at(2026, 8, 7, 9)),  # on a Saturday both are
    (at(2026, 8, 1, 10), "ศุกร์หน้า 9 โมง", at(2026, 8, 7, 9)),  # the coming Friday
    # 20:00 UTC on 27 July is 03:00 on the 28th in Bangkok: tomorrow is the 29th
    (datetime(2026, 7, 27, 20, 0, tzinfo=ZoneInfo("UTC")), "พรุ่งนี้ 9 โมง", at(2026, 7, 29, 9)),
]


@pytest.mark.parametrize("now, text, start", ROLLING, ids=[f"{n:%m-%d} {t}" for n, t, _ in ROLLING])
def test_a_date_without_a_year_is_the_next_one(now, text, start):
    result, _ = parse_when(text, now)
    assert isinstance(result, When), result
    assert result.start == start


# (text, words in the reason, candidates): never guessed silently.
UNCLEAR = [
    ("15 ส.ค.", "ยังไม่ได้บอกเวลา", [at(2026, 8, 15)]),
    ("วันที่ 14 ส.ค.ที่วัดบางสะพาน", "ยังไม่ได้บอกเวลา", [at(2026, 8, 14)]),
    ("15/8", "ยังไม่ได้บอกเวลา", [at(2026, 8, 15)]),
    ("31 ก.พ. 9 โมง", "วันที่ 31 ก.พ. ไม่มีจริง", []),
    ("30/2 9:00", "วันที่ 30 ก.พ. ไม่มีจริง", []),
    ("๒๙ ก.พ. ๒๕๗๐ ๙ โมง", "วันที่ 29 ก.พ. 2570 ไม่มีจริง", []),
    ("31 เม.ย. 9 โมง", "ไม่มีจริง", []),
    ("15 ส.ค. 2 โมง", "2 โมง", [at(2026, 8, 15, 14), at(2026, 8, 15, 8)]),
    ("พรุ่งนี้ หกโมง", "หกโมง", [at(2026, 7, 28, 6), at(2026, 7, 28, 18)]),
    ("15 ส.ค. เวลา 9", "เวลา 9", [at(2026, 8, 15, 9), at(2026, 8, 15, 21)]),
    ("พรุ่งนี้ 2:00", "2:00", [at(2026, 7, 28, 14), at(2026, 7, 28, 2)]),
    ("พรุ่งนี้ เที่ยงคืน", "เที่ยงคืน", []),
    ("สัปดาห์หน้า 9:00", "สัปดาห์หน้า", [at(2026, 8, d, 9) for d in range(3, 10)]),
    ("อาทิตย์หน้า 9 โมง", "สัปดาห์หน้า", [at(2026, 8, d, 9) for d in range(3, 10)]),
    ("next week 9am", "สัปดาห์หน้า", [at(2026, 8, d, 9) for d in range(3, 10)]),
    ("วันที่ 26 เวลา 9.00 น.ที่วัดบางหลวง", "เดือนไหน", [at(2026, 8, 26, 9), at(2026, 9, 26, 9)]),
    ("15/8/10 9 โมง", "ปีไหน", []),
    # a number after a month that is neither a year nor a count is asked about, never dropped
    ("15/8/48 9 โมง", "ปี 48 คือปีไหน", []),
    ("15 ส.ค. 1234 9 โมง", "ปี 1234 คือปีไหน", []),
    ("15 Aug 48 9am", "ปี 48 คือปีไหน", []),
    ("วันศุกร์ที่ 15 ส.ค. 2569 เวลา 09.00 น.", "เป็นวันเสาร์ ไม่ใช่วันศุกร์", [at(2026, 8, 15, 9)]),
    (
        "ครั้งแรกวันที่ 15 ส.ค. ครั้งที่ 2 วันที่ 6 ก.ย. ที่วัดบางหลวง",
        "มากกว่าหนึ่งวัน",
        [at(2026, 8, 15), at(2026, 9, 6)],
    ),
    ("พรุ่งนี้ 9 โมง และ 10 โมง", "มากกว่าหนึ่งเวลา", [at(2026, 7, 28, 9), at(2026, 7, 28, 10)]),
]


@pytest.mark.parametrize("text, reason, candidates", UNCLEAR, ids=[t for t, _, _ in UNCLEAR])
def test_asks_rather_than_guesses(text, reason, candidates):
    result, _ = parse_when(text, NOW)
    assert isinstance(result, Unclear), result
    assert reason in result.reason
    assert result.candidates == candidates


# Numbers that are not dates: headcounts, ids, villages, phones, money, house numbers, names.
NOT_DATES = [
    "ไป 4 คน",
    "ไป ๔ คน",
    "#12 10 คน",
    "มัสยิดหมู่ 6",
    "หมู่ 6 ต.คลองน้อย",
    "ต.มะม่วง 2 ต้น",
    "โทร 081-234-5678",
    "5,000 บาท",
    "มา 10-12 คน",
    "บ้านเลขที่ 12/3 หมู่ 6",
    "1/2 ชั่วโมง",
    "บ่ายสองโมง",  # a time but no date
    "จันทร์เพ็ญ 9 โมง",  # a name, not Monday
    "ทุกวันนี้ 9 โมง",  # "nowadays"
    "ส.ค. 9 โมง",  # a month without a day
    "ตอบรับ 8",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_other_numbers_are_not_dates(text):
    assert parse_when(text, NOW) == (None, text)


# (text, rest, date_text, time_text): what is left is the venue and title, tidied.
RESTS = [
    (
        "นัด 15 ส.ค. 09:00 วัดบางหลวง เรื่อง หารือความร่วมมือกลุ่มการเงิน",
        "นัด วัดบางหลวง เรื่อง หารือความร่วมมือกลุ่มการเงิน",
        "15 ส.ค.",
        "09:00",
    ),
    ("เลื่อนนัด #12 วันศุกร์หน้า บ่ายสอง", "เลื่อนนัด #12", "วันศุกร์หน้า", "บ่ายสอง"),
    ("ประชุมที่มัสยิดหมู่ 6 วันที่ 17 ส.ค. 9 โมง", "ประชุมที่มัสยิดหมู่ 6", "วันที่ 17 ส.ค.", "9 โมง"),
    ("นัดประชุมพรุ่งนี้9โมงที่วัด", "นัดประชุม ที่วัด", "พรุ่งนี้", "9โมง"),
    ("15 ส.ค. 09.00 น.ที่วัดบางหลวง", "ที่วัดบางหลวง", "15 ส.ค.", "09.00 น."),
    ("15 ส.ค. 10 คน 9 โมง", "10 คน", "15 ส.ค.", "9 โมง"),  # 10 is a headcount, not the year
    ("15 ส.ค. 27 คน 9 โมง", "27 คน", "15 ส.ค.", "9 โมง"),
    ("15 ส.ค. 20 กองทุน 9 โมง", "20 กองทุน", "15 ส.ค.", "9 โมง"),
    ("15 aug 10 people 9am", "10 people", "15 aug", "9am"),
    ("15 ส.ค.48 บ่ายโมงครึ่ง วัดบางหลวง", "วัดบางหลวง", "15 ส.ค.48", "บ่ายโมงครึ่ง"),  # not "48 วัดบางหลวง"
    ("ไป ๔ คน  ๑๕ ส.ค.   ๙ โมง", "ไป ๔ คน", "๑๕ ส.ค.", "๙ โมง"),  # digits kept as typed
    ("กรรมการต้องเที่ยงตรง พรุ่งนี้ 9 โมง", "กรรมการต้องเที่ยงตรง", "พรุ่งนี้", "9 โมง"),
    ("บ้านเลขที่ 12/3 หมู่ 6 พรุ่งนี้ 9 โมง", "บ้านเลขที่ 12/3 หมู่ 6", "พรุ่งนี้", "9 โมง"),
    ("15 ส.ค. 9 โมง ค่าอาหาร 1.50 บาท", "ค่าอาหาร 1.50 บาท", "15 ส.ค.", "9 โมง"),
    ("2026-08-15T09:00 วัด", "วัด", "2026-08-15", "09:00"),
]


@pytest.mark.parametrize("text, rest, date_text, time_text", RESTS, ids=[r[0] for r in RESTS])
def test_leaves_the_venue_and_title_in_rest(text, rest, date_text, time_text):
    result, left = parse_when(text, NOW)
    assert isinstance(result, When), result
    assert (left, result.date_text, result.time_text) == (rest, date_text, time_text)


def test_several_days_without_a_time_say_the_time_is_still_to_ask():
    result, _ = parse_when("วันที่ 26 ที่วัดบางหลวง", NOW)
    assert result == Unclear("ไม่แน่ใจว่าเดือนไหน", [at(2026, 8, 26), at(2026, 9, 26)], has_time=False)
    result, _ = parse_when("15 ส.ค.", NOW)
    assert isinstance(result, Unclear) and not result.has_time
    result, _ = parse_when("15 ส.ค. 2 โมง", NOW)
    assert isinstance(result, Unclear) and result.has_time


# (text, the phrase echoed): a series is never read as its first date.
RECURRING = [
    ("นัด ทุกวันจันทร์ 09:00 วัดบางหลวง", "ทุกวันจันทร์"),
    ("ทุกจันทร์ 9 โมง", "ทุกจันทร์"),
    ("ทุกๆวันจันทร์ 9 โมง", "ทุกๆวันจันทร์"),
    ("ทุก ๆ วันศุกร์ บ่ายสอง", "ทุก ๆ วันศุกร์"),
    ("ทุกวันที่ 5 09:00", "ทุกวันที่ 5"),
    ("ทุกวันที่ ๕ ๙ โมง", "ทุกวันที่ ๕"),
    ("ทุกวันจันทร์ที่ 5", "ทุกวันจันทร์ที่ 5"),
    ("ทุกเดือน วันที่ 5 9 โมง", "ทุกเดือน"),
    ("ทุกสัปดาห์ วันพุธ 13:00", "ทุกสัปดาห์"),
    ("ทุกอาทิตย์ 9 โมง", "ทุกอาทิตย์"),
    ("ทุกต้นเดือน 9 โมง", "ทุกต้นเดือน"),
    ("ทุก 2 สัปดาห์ 9 โมง", "ทุก 2 สัปดาห์"),
    ("ทุกวัน 9 โมง", "ทุกวัน"),
    ("เดือนละครั้ง วันที่ 5 9 โมง", "เดือนละครั้ง"),
    ("สัปดาห์ละ 2 ครั้ง 9 โมง", "สัปดาห์ละ 2 ครั้ง"),
    ("every Monday 9am", "every Monday"),
    ("every month on the 5th 9am", "every month"),
    ("each week 9am", "each week"),
    ("every other friday 2pm", "every other friday"),
    ("weekly on Monday 9am", "weekly"),
]


@pytest.mark.parametrize("text, phrase", RECURRING, ids=[t for t, _ in RECURRING])
def test_a_repeating_phrase_is_recurring_not_one_date(text, phrase):
    result, _ = parse_when(text, NOW)
    assert result == Recurring(phrase)


@pytest.mark.parametrize("text", [
    "นัดกรรมการกองทุนทุกกองทุนที่มัสยิดหมู่ 6 วันที่ 17 ส.ค. 9 โมง",  # every fund, not a series
    "ทุกวันนี้ฝนตก พรุ่งนี้ 9 โมง",  # nowadays
    "ประชุมประจำเดือน 15 ส.ค. 9 โมง",  # this month's regular meeting: one date
    "ทุกคนมา 15 ส.ค. 9 โมง",
])
def test_one_meeting_that_mentions_ทุก_is_still_one_date(text):
    assert isinstance(parse_when(text, NOW)[0], When)


# (text, expected start): moving a meeting of Friday 14 August, a time alone keeps its day.
ON_THE_DAY = [
    ("บ่ายสอง", at(2026, 8, 14, 14)),
    ("เป็น 13:30", at(2026, 8, 14, 13, 30)),
    ("บ่ายโมงครึ่ง", at(2026, 8, 14, 13, 30)),
    ("2pm", at(2026, 8, 14, 14)),
    ("สิบโมง", at(2026, 8, 14, 10)),
    ("พรุ่งนี้ บ่ายสอง", at(2026, 7, 28, 14)),  # a date said wins over the day given
]


@pytest.mark.parametrize("text, start", ON_THE_DAY, ids=[t for t, _ in ON_THE_DAY])
def test_a_time_alone_is_read_on_the_day_given(text, start):
    result, _ = parse_when(text, NOW, need_time=False, day=date(2026, 8, 14))
    assert isinstance(result, When) and result.start == start and result.has_time


def test_a_time_alone_without_a_day_given_is_no_date():
    assert parse_when("บ่ายสอง", NOW, need_time=False) == (None, "บ่ายสอง")
    assert parse_when("ไป 4 คน", NOW, need_time=False, day=date(2026, 8, 14)) == (None, "ไป 4 คน")
    unclear, _ = parse_when("2 โมง", NOW, need_time=False, day=date(2026, 8, 14))
    assert unclear == Unclear("ไม่แน่ใจว่า 2 โมง คือ 14.00 น. หรือ 08.00 น.", [at(2026, 8, 14, 14), at(2026, 8, 14, 8)])


def test_unclear_keeps_the_rest_too():
    result, rest = parse_when("นัด 15 ส.ค. วัดบางหลวง", NOW)
    assert isinstance(result, Unclear)
    assert rest == "นัด วัดบางหลวง"


def test_a_date_without_a_time_is_enough_when_no_time_is_needed():
    result, rest = parse_when("วันที่ 14 ส.ค.ที่วัดบางสะพาน", NOW, need_time=False)
    assert result == When(at(2026, 8, 14), "วันที่ 14 ส.ค.", None, False)
    assert rest == "ที่วัดบางสะพาน"


def test_an_unclear_time_is_still_unclear_when_no_time_is_needed():
    result, _ = parse_when("15 ส.ค. 2 โมง", NOW, need_time=False)
    assert isinstance(result, Unclear)


def test_the_start_is_in_the_given_time_zone():
    result, _ = parse_when("15 ส.ค. 9 โมง", NOW.astimezone(ZoneInfo("UTC")), ZoneInfo("Asia/Tokyo"))
    assert isinstance(result, When)
    assert result.start == datetime(2026, 8, 15, 9, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_parse_date_ignores_the_time():
    assert parse_date("นัด 15 ส.ค. 2 โมง", NOW) == date(2026, 8, 15)
    assert parse_date("ไป 4 คน", NOW) is None
    unclear = parse_date("สัปดาห์หน้า", NOW)
    assert isinstance(unclear, Unclear) and len(unclear.candidates) == 7


def test_parse_time_gives_every_reading():
    assert parse_time("บ่ายสามโมงครึ่ง") == [time(15, 30)]
    assert parse_time("2 โมง") == [time(14), time(8)]
    assert parse_time("ไป 9 คน") == []


# ----- formatting


@pytest.mark.parametrize(
    "dt, text",
    [
        (at(2026, 8, 15, 9), "วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00 น."),
        (at(2026, 8, 17, 13, 30), "วันจันทร์ที่ 17 ส.ค. 2569 เวลา 13.30 น."),
        (at(2026, 7, 30, 19, 5), "วันพฤหัสบดีที่ 30 ก.ค. 2569 เวลา 19.05 น."),
        (at(2027, 1, 5, 8), "วันอังคารที่ 5 ม.ค. 2570 เวลา 08.00 น."),
        # the database keeps UTC: shown in Bangkok time, here across midnight
        (datetime(2026, 9, 5, 18, 0, tzinfo=ZoneInfo("UTC")), "วันอาทิตย์ที่ 6 ก.ย. 2569 เวลา 01.00 น."),
    ],
)
def test_formats_the_way_thai_notices_write_it(dt, text):
    assert format_thai_datetime(dt) == text


def test_formats_date_and_time_alone():
    assert format_thai_date(at(2026, 8, 15, 9)) == "วันเสาร์ที่ 15 ส.ค. 2569"
    assert format_thai_date(date(2026, 8, 8)) == "วันเสาร์ที่ 8 ส.ค. 2569"
    assert format_thai_time(at(2026, 8, 15, 9)) == "09.00 น."
    assert format_thai_time(time(13, 30)) == "13.30 น."


@pytest.mark.parametrize("dt, lang, text", [
    (at(2026, 8, 14, 14), "th", "14:00 ศ. 14 ส.ค."),
    (at(2026, 8, 14, 8), "th", "08:00 ศ. 14 ส.ค."),
    (at(2026, 8, 13, 9, 30), "th", "09:30 พฤ. 13 ส.ค."),
    (at(2026, 8, 16, 9), "th", "09:00 อา. 16 ส.ค."),
    (at(2026, 8, 14, 14), "en", "14:00 Fri 14 Aug"),
    (datetime(2026, 8, 14, 20, 0, tzinfo=ZoneInfo("UTC")), "th", "03:00 ส. 15 ส.ค."),  # shown in Bangkok
])
def test_a_reading_on_a_button_shows_its_time_first_within_20_characters(dt, lang, text):
    assert format_choice(dt, lang=lang) == text
    assert len(text) <= 20


def test_a_day_on_a_button_is_short():
    assert format_choice_date(date(2026, 9, 26)) == "ส. 26 ก.ย."
    assert format_choice_date(date(2026, 9, 26), lang="en") == "Sat 26 Sep"


def test_what_the_bot_writes_it_reads_back():
    start = at(2026, 8, 14, 9, 30)
    result, rest = parse_when(format_thai_datetime(start), NOW)
    assert isinstance(result, When) and result.start == start and rest == ""
