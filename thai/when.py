"""Read the date and time out of a meeting command, the way Thai people type them.

Pure text in, typed values out: no Flask, no LINE, no database. The entry point is
`parse_when`; the formatters turn a datetime back into the Thai form the bot echoes.

How it works: the text's Thai digits (and zero-width spaces) are replaced one character for
one, so positions in the normalised text are positions in the original. Every pattern below
is tried at every position; the longest readings win and may not overlap. Dates are resolved
after the time is known, because "no year given" means "the next such date", and today only
counts while the time is still ahead.

Readings are never guessed silently: when a phrase has two plausible readings (`2 โมง`,
`เวลา 9`, `วันที่ 25` without a month) the answer is `Unclear` with the candidates; a number
after a month that can be neither a year nor a count is asked about, never dropped.

Years written with two digits:
- after a Thai month (`15 ส.ค. 69`, `15 ส.ค.48`) they are always พ.ศ. 25xx, as Thai people write
  them: `48` is 2548 (2005), so the caller can say that date has passed rather than guess;
- after a numeric month (`15/8/69`, `15.8.26`) they are whichever of พ.ศ. 25xx and ค.ศ. 20xx lies
  between a year back and five ahead (the two never overlap: 68-74 are พ.ศ., 25-31 ค.ศ.); when
  neither does (`15/8/48`) the year is asked about;
- after an English month, the same, trying ค.ศ. first.

A repeating phrase (`ทุกวันจันทร์`, `ทุกวันที่ 5`, `ทุกเดือน`, `every Monday`) is `Recurring`:
one meeting is never made out of it.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from thai.digits import ASCII_DIGIT_OF

BANGKOK = ZoneInfo("Asia/Bangkok")

__all__ = [
    "BANGKOK",
    "Recurring",
    "Unclear",
    "When",
    "format_choice",
    "format_choice_date",
    "format_thai_date",
    "format_thai_datetime",
    "format_thai_time",
    "parse_date",
    "parse_time",
    "parse_when",
]


@dataclass(frozen=True)
class When:
    start: datetime  # aware, in the given tz
    date_text: str  # the substring that was read as the date (for echoing back)
    time_text: str | None
    has_time: bool


@dataclass(frozen=True)
class Unclear:
    reason: str  # short Thai explanation to show the user
    candidates: list[datetime]  # possible readings, may be empty
    has_time: bool = True  # False: the candidates are days (at 00:00) and the time is still to ask
    # The same explanation in English, for chats that speak English (not part of what was read).
    reason_en: str = field(default="", compare=False)

    def reason_in(self, lang: str | None) -> str:
        """The explanation in the reader's language (Thai unless English is asked for)."""
        return self.reason_en if lang == "en" and self.reason_en else self.reason


@dataclass(frozen=True)
class Recurring:
    """A repeating meeting (`ทุกวันจันทร์`, `every month`): not one date, so nothing is read."""

    phrase: str  # as typed, for echoing back


# --------------------------------------------------------------------------- vocabulary

_THAI = "\u0e01-\u0e4e"  # Thai letters, vowels and tone marks (not digits)
_NOT_THAI_AFTER = rf"(?![{_THAI}])"
# Thai digits to ASCII, zero-width space to a space: one character for one.
_NORMALISE = {**ASCII_DIGIT_OF, ord("\u200b"): ord(" ")}
# A number may not be a piece of a longer number, a phone number, a money amount or `#12`.
_NUM_START = r"(?<![0-9.:/#,\-])"

_UNIT_WORDS = {
    "หนึ่ง": 1, "นึง": 1, "เอ็ด": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5,
    "หก": 6, "เจ็ด": 7, "แปด": 8, "เเปด": 8, "เก้า": 9,
}  # fmt: skip
_TENS_WORDS = {"": 1, "ยี่": 2, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5}
_UNIT = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_NUMWORD = rf"(?:(?:ยี่|สอง|สาม|สี่|ห้า)?สิบ(?:เอ็ด|{_UNIT})?|{_UNIT})"
_NUM = rf"(?:{_NUM_START}[0-9]{{1,2}}(?![0-9])|{_NUMWORD})"

_MONTH_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
               "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]  # fmt: skip
# (pattern, month); tried in order, so a longer spelling comes before its prefix.
_THAI_MONTHS: list[tuple[str, int]] = [
    (r"มกราคม", 1), (r"กุมภาพันธ์?", 2), (r"มีนาคม", 3), (r"เมษายน", 4),
    (r"พฤษภาคม", 5), (r"มิถุนายน", 6), (r"กรก[ฎฏ]าคม", 7), (r"สิงหาคม", 8),
    (r"กันยายน", 9), (r"ตุลาคม", 10), (r"พฤศจิกายน", 11), (r"ธันวาคม", 12),
    (r"มกรา", 1), (r"กุมภา", 2), (r"มีนา", 3), (r"เมษา", 4), (r"พฤษภา", 5),
    (r"มิถุนา", 6), (r"กรก[ฎฏ]า", 7), (r"สิงหา", 8), (r"กันยา", 9), (r"ตุลา", 10),
    (r"พฤศจิกา", 11), (r"ธันวา", 12),
] + [
    # `ส.ค.`, `ส.ค`, `สค.`, `สค`, `ส. ค.`; without the final dot the abbreviation must not run
    # straight into Thai text, so `หมู่ 6 ต.คลองน้อย` (tambon Khlong Noi) is not October.
    (rf"{re.escape(a)}\.?\s?{re.escape(b)}(?:\.|{_NOT_THAI_AFTER})", i + 1)
    for i, (a, b) in enumerate(abbr.rstrip(".").split(".") for abbr in _MONTH_ABBR)
]  # fmt: skip
_EN_MONTHS: list[tuple[str, int]] = [
    (name, i + 1)
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ])
    for name in names
]  # fmt: skip

_WEEKDAYS_TH: list[tuple[str, int]] = [
    ("จันทร์", 0), ("อังคาร", 1), ("พุธ", 2), ("พฤหัสบดี", 3), ("พฤหัสฯ", 3), ("พฤหัส", 3),
    ("ศุกร์", 4), ("เสาร์", 5), ("อาทิตย์", 6),
]  # fmt: skip
_WEEKDAYS_EN: list[tuple[str, int]] = [
    ("monday", 0), ("mon", 0), ("tuesday", 1), ("tues", 1), ("tue", 1), ("wednesday", 2),
    ("wed", 2), ("thursday", 3), ("thurs", 3), ("thur", 3), ("thu", 3), ("friday", 4),
    ("fri", 4), ("saturday", 5), ("sat", 5), ("sunday", 6), ("sun", 6),
]  # fmt: skip
# English names, for English chats: the one table of them (handlers/texts.py formats with these).
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_NAMES = ["วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์"]


def _alt(pairs: list[tuple[str, int]]) -> str:
    return "|".join(p for p, _ in pairs)


def _lookup(pairs: list[tuple[str, int]], word: str) -> int:
    for pattern, value in pairs:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return value
    raise LookupError(word)  # unreachable: the word was matched by _alt(pairs)


_WD_TH = _alt(_WEEKDAYS_TH)
_WD_EN = rf"(?<![a-z])(?:{_alt(_WEEKDAYS_EN)})(?![a-z])"
_MON_TH = _alt(_THAI_MONTHS)
_MON_EN = rf"(?<![a-z])(?:{_alt(_EN_MONTHS)})(?![a-z])\.?"
# `วันเสาร์ที่ 15 ส.ค.`, `Sat, 15 Aug`, `วันที่ 15`: an optional weekday, checked against the date.
_WD_PREFIX = rf"(?:(?P<wd>(?:วัน)?(?:{_WD_TH})|{_WD_EN})\s*(?:ที่)?\s*,?\s*)?(?:วันที่\s*)?"
# A year written after a month: `2569`, `69`, `พ.ศ. 2569`, `ค.ศ. 2026`, `, 2026`.
_YEAR = (
    r"(?:,?\s*(?P<era>พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)?\s*"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9:]|\.[0-9]))?"
)
# Words after a number that make it a count or a clock time, not a year: `15 ส.ค. 10 คน`.
_NOT_A_YEAR = re.compile(
    r"\s*(?:คน|ท่าน|บาท|ล้าน|โมง|ทุ่ม|น\.|นาฬิกา|นาที|ชั่วโมง|ชม|ราย|กลุ่ม|กองทุน|หมู่|ครัวเรือน|%|am|pm"
    r"|people|persons?|pax|groups?)",
    re.IGNORECASE,
)


def _num(word: str) -> int:
    """`9` -> 9, `เก้า` -> 9, `สิบเอ็ด` -> 11, `ยี่สิบ` -> 20."""
    if word.isdigit():
        return int(word)
    if "สิบ" in word:
        tens, units = word.split("สิบ", 1)
        return _TENS_WORDS[tens] * 10 + _UNIT_WORDS.get(units, 0)
    return _UNIT_WORDS[word]


# --------------------------------------------------------------------------- hits


@dataclass(frozen=True)
class _Problem:
    reason: str
    dates: tuple[date, ...] = ()
    reason_en: str = ""


# A date phrase is resolved once the time is known: (now in tz, time or None) -> date or problem.
_DateResolver = Callable[[datetime, time | None], "date | _Problem"]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int  # the span removed from the text
    kind: str  # "date" | "time"
    value: _DateResolver | tuple[time, ...] | _Problem  # times: one, or several readings
    text_end: int | None = None  # where the echoed text ends, if before `end`
    hint: str | None = None  # "am"/"pm" carried by `เย็นนี้`, `เช้านี้`


_Builder = Callable[[re.Match[str], str, date], "_Hit | None"]  # (match, text, today)
_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = []


def _pattern(regex: str) -> Callable[[_Builder], _Builder]:
    def register(build: _Builder) -> _Builder:
        _PATTERNS.append((re.compile(regex, re.IGNORECASE), build))
        return build

    return register


def _time_hit(m: re.Match[str], hours: list[int], minute: int = 0) -> _Hit | None:
    if not hours or not 0 <= minute <= 59 or not all(0 <= h <= 23 for h in hours):
        return None
    return _Hit(m.start(), m.end(), "time", tuple(time(h, minute) for h in hours))


def _minutes(m: re.Match[str]) -> int:
    if m.group("half"):
        return 30
    return _num(m.group("mins")) if m.group("mins") else 0


# ----- times

# `เวลา 9 โมง`, `ตอนเย็น 6 โมง`: a lead-in and a part of the day before a time.
_LEAD = r"(?:(?:เวลา|ตอน|ช่วง)\s*)?"
_POD = rf"{_LEAD}(?:(?P<pod>เช้า|สาย|บ่าย|เย็น|ค่ำ)\s*)?{_LEAD}"
_MIN = rf"(?:\s*(?P<half>ครึ่ง)|\s*(?P<mins>{_NUM})\s*นาที)?"
_N = rf"(?:น\.|น{_NOT_THAI_AFTER}|นาฬิกา)"  # `น.` = นาฬิกา, the written 24-hour clock
_NOT_CLOCK_AFTER = r"(?!\s*(?:บาท|ล้าน|%|กม|km|kg|กก|กิโล|เมตร|ไร่|ลิตร))"


def _morning_or_afternoon(h: int, pod: str | None) -> list[int]:
    """Hour of a spoken `N โมง`, by the part of the day said with it."""
    # The six-hour clock: `สองโมงเช้า` is 08:00 (two hours into the morning), `เก้าโมงเช้า`
    # 09:00; `สี่โมงเย็น` 16:00; `บ่ายสองโมง` 14:00.
    if pod in ("เช้า", "สาย"):
        return [h + 6] if 1 <= h <= 5 else [h] if 6 <= h <= 12 else []
    if pod in ("เย็น", "ค่ำ"):
        return [h + 12] if 1 <= h <= 6 else [h] if 13 <= h <= 18 else []
    if pod == "บ่าย":
        return [h + 12] if 1 <= h <= 5 else [h] if 13 <= h <= 17 else []
    # Bare: 7-12 can only be the morning (evenings are ทุ่ม); 1-5 is said for the afternoon
    # (short for บ่าย) but also for the old morning clock; 6 is 06:00 or 18:00. Ask.
    if 1 <= h <= 5:
        return [h + 12, h + 6]
    if h == 6:
        return [6, 18]
    return [h] if 7 <= h <= 23 else []


@_pattern(rf"{_LEAD}บ่าย\s*(?:(?P<h>{_NUM})\s*(?:โมง)?|โมง)(?:\s*เย็น)?{_MIN}(?:\s*ตรง)?")
def _afternoon(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`บ่ายสอง`, `บ่าย 2`, `บ่ายสองโมง`, `บ่ายโมงครึ่ง`, `บ่ายสามโมงครึ่ง`."""
    h = _num(m.group("h")) if m.group("h") else 1
    return _time_hit(m, _morning_or_afternoon(h, "บ่าย"), _minutes(m))


@_pattern(
    rf"{_POD}(?P<h>{_NUM})\s*โมง(?:\s*(?P<suf>เช้า|เย็น|ตรง))?{_MIN}(?:\s*(?P<suf2>เช้า|เย็น|ตรง))?"
)
def _o_clock(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`9 โมง`, `9 โมงเช้า`, `เก้าโมง`, `6 โมงเย็น`, `ห้าโมงเย็น`, `สิบโมงครึ่ง`."""
    pods = [p for p in (m.group("suf"), m.group("suf2"), m.group("pod")) if p and p != "ตรง"]
    return _time_hit(m, _morning_or_afternoon(_num(m.group("h")), pods[0] if pods else None), _minutes(m))


@_pattern(r"(?<!ชั่ว)โมงเช้า")
def _first_hour(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`โมงเช้า` is the first hour of the morning, 07:00."""
    return _time_hit(m, [7])


@_pattern(
    rf"{_LEAD}(?:(?P<h>{_NUM})\s*ทุ่ม|ทุ่ม\s*(?:นึง|หนึ่ง)|ทุ่ม(?=ครึ่ง|ตรง|[^{_THAI}]|$)){_MIN}"
)
def _evening(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`สองทุ่ม`, `1 ทุ่ม`, `ทุ่มนึง`, `ทุ่มครึ่ง` (19:00 to 23:00; not ทุ่มเท)."""
    h = _num(m.group("h")) if m.group("h") else 1
    return _time_hit(m, [18 + h] if 1 <= h <= 5 else [], _minutes(m))


@_pattern(rf"{_LEAD}ตี\s*(?P<h>{_NUM}){_MIN}")
def _small_hours(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`ตี 5`, `ตีห้า`: 01:00 to 05:00."""
    h = _num(m.group("h"))
    return _time_hit(m, [h] if 1 <= h <= 5 else [], _minutes(m))


@_pattern(rf"{_LEAD}เที่ยง(?!ตรง|ธรรม|แท้)(?:\s*(?P<night>คืน))?(?:\s*วัน)?{_MIN}(?:\s*ตรง)?")
def _noon(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`เที่ยง`, `เที่ยงครึ่ง`; `เที่ยงคืน` is asked about; `เที่ยงตรง` (honest) is not a time."""
    if m.group("night"):
        return _Hit(m.start(), m.end(), "time", _Problem("ไม่แน่ใจว่าเที่ยงคืนของคืนไหน บอกวันและเวลาอีกครั้ง",
                                                           reason_en="Not sure which night's midnight; please say the day and time again"))
    return _time_hit(m, [12], _minutes(m))


@_pattern(r"(?<![a-z])noon(?![a-z])")
def _noon_en(m: re.Match[str], s: str, today: date) -> _Hit | None:
    return _time_hit(m, [12])


def _clock_hours(h: int, *, pod: str | None, ampm: str | None, explicit: bool) -> list[int]:
    if ampm:
        if not 1 <= h <= 12:
            return []
        return [h % 12 + (12 if ampm.lower().startswith("p") else 0)]
    if pod in ("บ่าย", "เย็น", "ค่ำ") and 1 <= h <= 11:
        return [h + 12]
    if explicit or pod in ("เช้า", "สาย") or not 1 <= h <= 5:
        return [h]
    # `2:00` typed without `น.`: the afternoon is far likelier for a meeting, but 02:00 is
    # what it says. Ask.
    return [h + 12, h]


@_pattern(
    rf"{_POD}{_NUM_START}(?P<h>[0-9]{{1,2}})[:.](?P<m>[0-9]{{2}})(?![0-9]){_NOT_CLOCK_AFTER}"
    rf"(?:\s*(?P<n1>{_N}))?"
    rf"(?:\s*(?:-|–|ถึง)\s*[0-9]{{1,2}}[:.][0-9]{{2}}(?![0-9]))?"  # `09.00-12.00 น.`: the start
    rf"(?:\s*(?P<n2>{_N}))?(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
)
def _clock(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`09:00`, `9.00 น.`, `13.30`, `เวลา 13.30 น.`, `9:30pm`, `09.00-12.00 น.`."""
    h_text = m.group("h")
    explicit = bool(m.group("n1") or m.group("n2")) or h_text.startswith("0")
    hours = _clock_hours(int(h_text), pod=m.group("pod"), ampm=m.group("ampm"), explicit=explicit)
    return _time_hit(m, hours, int(m.group("m")))


@_pattern(rf"{_POD}{_NUM_START}(?P<h>[0-9]{{1,2}})\s*(?:น\.(?!\s*ส\.)|นาฬิกา)")
def _hour_n(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`9 น.`, `13 นาฬิกา` (not `น.ส.`, Miss)."""
    return _time_hit(m, _clock_hours(int(m.group("h")), pod=m.group("pod"), ampm=None, explicit=True))


@_pattern(rf"{_NUM_START}(?P<h>[0-9]{{1,2}})(?:[:.](?P<m>[0-9]{{2}}))?\s*(?P<ampm>[ap]\.?m\.?)(?![a-z])")
def _am_pm(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`9am`, `2 pm`, `9:30 p.m.`."""
    hours = _clock_hours(int(m.group("h")), pod=None, ampm=m.group("ampm"), explicit=True)
    return _time_hit(m, hours, int(m.group("m") or 0))


@_pattern(rf"{_NUM_START}(?P<h>[0-9]{{1,2}})h(?P<m>[0-9]{{2}})?(?![a-z0-9])")
def _h24(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`14h`, `14h30`."""
    return _time_hit(m, [int(m.group("h"))], int(m.group("m") or 0))


@_pattern(
    rf"เวลา\s*{_NUM_START}(?P<h>[0-9]{{1,2}})(?![0-9:.])"
    r"(?!\s*(?:ชั่วโมง|ชม|นาที|วัน|คน|เดือน|ปี|ครั้ง|โมง|ทุ่ม|น\.|นาฬิกา|[ap]\.?m))"
)
def _at_hour(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`เวลา 14`; `เวลา 9` could be 09:00 or 21:00, so it comes back with both."""
    h = int(m.group("h"))
    hours = [h + 12, h] if 1 <= h <= 6 else [h, h + 12] if 7 <= h <= 11 else [h]
    return _time_hit(m, hours)


# ----- dates


def _year(text: str, *, prefer_be: bool, today: date, era: str | None = None, thai_month: bool = False) -> int | None:
    """A written year as a CE year; None when it cannot be one.

    Four digits from 2400 up are Buddhist era (พ.ศ. = ค.ศ. + 543), whatever era word is
    written with them. Two digits after a Thai month are พ.ศ. 25xx (so `48` is 2005, in the
    past, and said so), and so are two digits written with `พ.ศ.`; with `ค.ศ.` they are 20xx.
    Otherwise two digits are whichever of พ.ศ. 25xx and ค.ศ. 20xx lies between a year back and
    five ahead, trying first the one the writing suggests (numeric month: พ.ศ.; English: ค.ศ.).
    """
    v = int(text)
    if len(text) == 4:
        ce = v - 543 if v >= 2400 else v
        return ce if 1900 <= ce <= 2200 else None
    be, ce = 2500 + v - 543, 2000 + v
    era_word = re.sub(r"[.\s]", "", era or "")
    if era_word == "คศ":
        return ce
    if thai_month or era_word == "พศ":
        return be
    readings = (be, ce) if prefer_be else (ce, be)
    return next((y for y in readings if today.year - 1 <= y <= today.year + 5), None)


def _weekday_of(word: str | None) -> int | None:
    return _lookup(_WEEKDAYS_TH + _WEEKDAYS_EN, word.removeprefix("วัน")) if word else None


def _calendar_date(d: int, month: int, year: int | None, wd: int | None) -> _DateResolver:
    def resolve(now: datetime, t: time | None) -> date | _Problem:
        if d > monthrange(2024, month)[1]:  # 2024 is a leap year: 29 ก.พ. can exist
            return _Problem(f"วันที่ {d} {_MONTH_ABBR[month - 1]} ไม่มีจริง",
                            reason_en=f"There is no {d} {MONTHS_EN[month - 1]}")
        today, y = now.date(), year
        if y is None:
            # The next such date on or after today; today only while the time is still ahead.
            y = today.year
            if (month, d) < (today.month, today.day) or (
                (month, d) == (today.month, today.day) and t is not None and t <= now.time()
            ):
                y += 1
        try:
            found = date(y, month, d)
        except ValueError:
            return _Problem(f"วันที่ {d} {_MONTH_ABBR[month - 1]} {y + 543} ไม่มีจริง",
                            reason_en=f"There is no {d} {MONTHS_EN[month - 1]} {y}")
        if wd is not None and found.weekday() != wd:
            return _Problem(
                f"{d} {_MONTH_ABBR[month - 1]} {y + 543} เป็น{_WEEKDAY_NAMES[found.weekday()]}"
                f" ไม่ใช่{_WEEKDAY_NAMES[wd]}",
                (found,),
                reason_en=f"{d} {MONTHS_EN[month - 1]} {y} is a {WEEKDAYS_EN[found.weekday()]}, "
                          f"not a {WEEKDAYS_EN[wd]}",
            )
        return found

    return resolve


def _problem(reason: str, dates: tuple[date, ...] = (), reason_en: str = "") -> _DateResolver:
    return lambda now, t: _Problem(reason, dates, reason_en)


def _date_hit(m: re.Match[str], end: int, resolve: _DateResolver, text_end: int | None = None) -> _Hit:
    return _Hit(m.start(), end, "date", resolve, text_end)


@_pattern(
    rf"{_NUM_START}(?P<y>[0-9]{{4}})-(?P<mo>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})(?![0-9])"
    r"(?:T(?=[0-9]{1,2}:[0-9]{2}))?"
)
def _iso(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`2026-08-15`, `2026-08-15T09:00` (the time is read by `_clock`)."""
    d, mo, y = int(m.group("d")), int(m.group("mo")), _year(m.group("y"), prefer_be=False, today=today)
    if y is None or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return _date_hit(m, m.end(), _calendar_date(d, mo, y, None), text_end=m.end("d"))


def _day_month(
    m: re.Match[str], s: str, today: date, month: int, *, prefer_be: bool, thai_month: bool = False
) -> _Hit | None:
    """Day, month name and maybe a year; a count after the month (`15 ส.ค. 10 คน`) stays, and
    a number that can be neither is asked about rather than dropped into the title."""
    d = int(m.group("d"))
    if not 1 <= d <= 31:
        return None
    wd, end, year = _weekday_of(m.group("wd")), m.end(), None
    if m.group("y"):
        if _NOT_A_YEAR.match(s, m.end("y")):
            end = m.end("mon")
        else:
            year = _year(m.group("y"), prefer_be=prefer_be, today=today, era=m.group("era"), thai_month=thai_month)
            if year is None:
                return _date_hit(m, end, _problem(f"ไม่แน่ใจว่าปี {m.group('y')} คือปีไหน",
                                                     reason_en=f"Not sure which year {m.group('y')} is"))
    return _date_hit(m, end, _calendar_date(d, month, year, wd))


@_pattern(rf"{_WD_PREFIX}{_NUM_START}(?P<d>[0-9]{{1,2}})\s*(?P<mon>{_MON_TH}){_YEAR}")
def _thai_month(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`15 ส.ค.`, `15 สค`, `วันที่ 15 สิงหาคม`, `15 สิงหา 69`, `วันเสาร์ที่ 15 ส.ค. 2569`."""
    month = _lookup(_THAI_MONTHS, m.group("mon"))
    return _day_month(m, s, today, month, prefer_be=True, thai_month=True)


@_pattern(rf"{_WD_PREFIX}{_NUM_START}(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?\s*(?P<mon>{_MON_EN}){_YEAR}")
def _english_day_month(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`15 aug`, `15 August 2026`, `Sat 15 Aug`."""
    month = _lookup(_EN_MONTHS, m.group("mon").rstrip("."))
    return _day_month(m, s, today, month, prefer_be=False)


@_pattern(rf"{_WD_PREFIX}(?P<mon>{_MON_EN})\s*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9:.]){_YEAR}")
def _english_month_day(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`aug 15`, `August 15, 2026`."""
    month = _lookup(_EN_MONTHS, m.group("mon").rstrip("."))
    return _day_month(m, s, today, month, prefer_be=False)


def _numeric(m: re.Match[str], today: date) -> _Hit | None:
    d, mo = int(m.group("d")), int(m.group("mo"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    wd, year = _weekday_of(m.group("wd")), None
    if m.group("y"):
        year = _year(m.group("y"), prefer_be=True, today=today)
        if year is None:
            return _date_hit(m, m.end(), _problem(f"ไม่แน่ใจว่าปี {m.group('y')} คือปีไหน",
                                                     reason_en=f"Not sure which year {m.group('y')} is"))
    return _date_hit(m, m.end(), _calendar_date(d, mo, year, wd))


# Day first, always (Thai write day/month). A house number is written the same way: `99/1`,
# `บ้านเลขที่ 12/3 หมู่ 6` is an address, not 12 March.
_ADDRESS_BEFORE = re.compile(r"(?:เลขที่|บ้าน|บ้านเลข)\s*$")


@_pattern(
    rf"{_WD_PREFIX}{_NUM_START}(?P<d>[0-9]{{1,2}})/(?P<mo>[0-9]{{1,2}})(?:/(?P<y>[0-9]{{4}}|[0-9]{{2}}))?"
    r"(?![0-9/])(?!\s*(?:หมู่|ม\.|ถ\.|ถนน|ซ\.|ซอย|ต\.|ตำบล|ชั่วโมง|ชม|กก|กิโล))"
)
def _slashed(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`15/8`, `15/08/2569`, `15/8/69`."""
    if _ADDRESS_BEFORE.search(s, 0, m.start("d")):
        return None
    return _numeric(m, today)


@_pattern(
    rf"{_WD_PREFIX}{_NUM_START}(?P<d>[0-9]{{1,2}})(?P<sep>[-.])(?P<mo>[0-9]{{1,2}})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[-.][0-9])"
)
def _dashed(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`15-8-2026`, `15.08.2569`: only with a year, since `10-12 คน` is a headcount."""
    return _numeric(m, today)


@_pattern(rf"(?:(?P<wd>(?:วัน)?(?:{_WD_TH}))\s*ที่|วันที่)\s*{_NUM_START}(?P<d>[0-9]{{1,2}})(?![0-9/.:\-])")
def _day_only(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`วันที่ 25` with no month: the next two such days are offered, never picked."""
    d, wd = int(m.group("d")), _weekday_of(m.group("wd"))
    if not 1 <= d <= 31:
        return None

    def resolve(now: datetime, t: time | None) -> _Problem:
        found: list[date] = []
        y, mo = now.year, now.month
        for _ in range(48):
            if d <= monthrange(y, mo)[1]:
                day = date(y, mo, d)
                if day >= now.date() and (wd is None or day.weekday() == wd):
                    found.append(day)
                    if len(found) == 2:
                        break
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return _Problem("ไม่แน่ใจว่าเดือนไหน", tuple(found), "Not sure which month")

    return _date_hit(m, m.end(), resolve)


def _in_days(n: int) -> _DateResolver:
    return lambda now, t: now.date() + timedelta(days=n)


@_pattern(r"(?<!ทุก)(?:วันนี้|(?:วัน)?พรุ่งนี้|(?:วัน)?มะรืน(?:นี้)?|(?P<pod>เช้า|บ่าย|เย็น|ค่ำ|คืน)นี้)")
def _thai_relative(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`วันนี้`, `พรุ่งนี้`, `มะรืน(นี้)`, `เย็นนี้` (not `ทุกวันนี้`, nowadays)."""
    word, pod = m.group(), m.group("pod")
    days = 2 if "มะรืน" in word else 1 if "พรุ่งนี้" in word else 0
    hint = None if pod is None else "am" if pod == "เช้า" else "pm"
    return _Hit(m.start(), m.end(), "date", _in_days(days), hint=hint)


@_pattern(r"(?<![a-z])(?:(?P<dat>(?:the\s+)?day\s+after\s+tomorrow)|(?P<tm>tomorrow|tmrw?)|today|(?P<tn>tonight))(?![a-z])")
def _english_relative(m: re.Match[str], s: str, today: date) -> _Hit | None:
    days = 2 if m.group("dat") else 1 if m.group("tm") else 0
    return _Hit(m.start(), m.end(), "date", _in_days(days), hint="pm" if m.group("tn") else None)


def _weekday_date(wd: int, mode: str) -> _DateResolver:
    """mode "after": the next one strictly after today; "this": today or later;
    "next_week": the one in next week (weeks run Monday to Sunday)."""

    def resolve(now: datetime, t: time | None) -> date:
        today = now.date()
        if mode == "next_week":
            return today + timedelta(days=7 - today.weekday() + wd)
        ahead = (wd - today.weekday()) % 7
        return today + timedelta(days=7 if mode == "after" and ahead == 0 else ahead)

    return resolve


# `วันศุกร์` is the next Friday strictly after today (said on a Friday it means next week's:
# today would be `วันนี้`). `วันศุกร์หน้า` / `ศุกร์หน้า` / `วันศุกร์สัปดาห์หน้า` is the Friday
# of next week, weeks running Monday to Sunday, so on Monday 27 July 2026 `วันศุกร์` is 31 July
# and `วันศุกร์หน้า` is 7 August; on a Saturday both are the coming Friday. `วันศุกร์นี้` is
# this coming Friday, today included.
_THIS = r"นี้|ที่จะถึง(?:นี้)?"


@_pattern(
    rf"(?P<wan>วัน)?(?P<wd>{_WD_TH})"
    rf"(?:\s*(?P<next>หน้า|(?:สัปดาห์|อาทิตย์)\s*หน้า)|\s*(?P<this>{_THIS}|(?:สัปดาห์|อาทิตย์)\s*นี้))?"
)
def _thai_weekday(m: re.Match[str], s: str, today: date) -> _Hit | None:
    wd = _weekday_of(m.group("wd"))
    assert wd is not None
    said_day, suffix = m.group("wan"), m.group("next") or m.group("this")
    if not said_day and not suffix:
        # A bare `ศุกร์`/`จันทร์` only as a word of its own: `จันทร์เพ็ญ` is a name.
        before, after = s[m.start() - 1 : m.start()], s[m.end() : m.end() + 1]
        if re.match(f"[{_THAI}]", before) or re.match(f"[{_THAI}]", after):
            return None
    if wd == 6 and not said_day and suffix:
        return None  # `อาทิตย์หน้า` is next week, not next Sunday: see _week
    mode = "next_week" if m.group("next") else "this" if m.group("this") else "after"
    return _date_hit(m, m.end(), _weekday_date(wd, mode))


@_pattern(rf"(?:สัปดาห์|อาทิตย์)\s*หน้า\s*(?:วัน)?(?P<wd>{_WD_TH})")
def _next_week_weekday(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`สัปดาห์หน้าวันศุกร์`, `อาทิตย์หน้า วันศุกร์`."""
    wd = _weekday_of(m.group("wd"))
    assert wd is not None
    return _date_hit(m, m.end(), _weekday_date(wd, "next_week"))


@_pattern(r"(?:สัปดาห์|อาทิตย์)\s*(?:(?P<next>หน้า)|นี้)|(?<![a-z])(?:(?P<en_next>next)|this)\s+week(?![a-z])")
def _week(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`สัปดาห์หน้า` / `อาทิตย์หน้า` alone: which day? Offer the days of that week."""
    monday = today - timedelta(days=today.weekday())
    if m.group("next") or m.group("en_next"):
        days = tuple(monday + timedelta(days=7 + i) for i in range(7))
        return _date_hit(m, m.end(), _problem("สัปดาห์หน้าวันไหน", days, "Which day next week?"))
    days = tuple(monday + timedelta(days=i) for i in range(today.weekday(), 7))
    return _date_hit(m, m.end(), _problem("สัปดาห์นี้วันไหน", days, "Which day this week?"))


@_pattern(rf"(?<![a-z])(?:(?P<nx>next|this)\s+)?(?P<wd>{_WD_EN})")
def _english_weekday(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`fri`, `friday`, `next friday` (like `ศุกร์หน้า`: the Friday of next week)."""
    wd = _weekday_of(m.group("wd"))
    assert wd is not None
    nx = (m.group("nx") or "").lower()
    mode = "next_week" if nx == "next" else "this" if nx == "this" else "after"
    return _date_hit(m, m.end(), _weekday_date(wd, mode))


# ----- repeating meetings

_EVERY_TH = (
    rf"ทุก\s*(?:ๆ\s*)?(?:วัน(?!นี้)(?:\s*(?:{_WD_TH}))?(?:\s*ที่\s*[0-9]{{1,2}})?|(?:{_WD_TH})"
    r"|สัปดาห์|อาทิตย์|เดือน|ปี|ต้นเดือน|กลางเดือน|สิ้นเดือน|ปลายเดือน"
    r"|[0-9]{1,2}\s*(?:วัน|สัปดาห์|อาทิตย์|เดือน))"
    r"|(?:สัปดาห์|อาทิตย์|เดือน|ปี)\s*ละ\s*(?:ครั้ง|หน|[0-9]{1,2}\s*(?:ครั้ง|หน))"
)
_EVERY_EN = (
    rf"(?<![a-z])(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|weekday|(?:{_alt(_WEEKDAYS_EN)})s?"
    r"|[0-9]{1,2}\s*(?:days?|weeks?|months?))(?![a-z])"
    r"|(?<![a-z])(?:daily|weekly|fortnightly|biweekly|monthly)(?![a-z])(?=\s*(?:on|at|[0-9]|$))"
)


@_pattern(rf"{_EVERY_TH}|{_EVERY_EN}")
def _repeating(m: re.Match[str], s: str, today: date) -> _Hit | None:
    """`ทุกวันจันทร์`, `ทุกวันที่ 5`, `ทุกเดือน`, `เดือนละครั้ง`, `every Monday`: a series, not a date
    (`ทุกวันนี้`, nowadays, and `ทุกกองทุน`, every fund, are neither)."""
    return _Hit(m.start(), m.end(), "repeat", _problem("repeat"))


# --------------------------------------------------------------------------- reading


def _scan(s: str, today: date) -> list[_Hit]:
    """Every reading at every position; the longest win, without overlapping."""
    found: list[_Hit] = []
    for rx, build in _PATTERNS:
        pos = 0
        while (m := rx.search(s, pos)) is not None:
            if m.end() > m.start() and (hit := build(m, s, today)) is not None:
                found.append(hit)
            pos = m.start() + 1
    found.sort(key=lambda h: (h.start - h.end, h.start))
    taken: list[_Hit] = []
    for hit in found:
        if all(hit.end <= o.start or hit.start >= o.end for o in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def _local(now: datetime, tz: ZoneInfo) -> datetime:
    return now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)


def _at(day: date, t: time | None, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, t or time(0), tzinfo=tz)


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", " ", text).strip()


def _echo(text: str, hits: list[_Hit]) -> str:
    return " ".join(_squash(text[h.start : h.text_end or h.end]) for h in hits)


def _read_date(hits: list[_Hit], now: datetime, t: time | None) -> date | _Problem:
    read = [h.value(now, t) for h in hits]  # type: ignore[operator]
    for r in read:
        if isinstance(r, _Problem):
            return r
    days = sorted(set(read))
    return days[0] if len(days) == 1 else _Problem("ระบุวันที่มากกว่าหนึ่งวัน", tuple(days), "More than one date was given")


def _read_time(hits: list[_Hit], hint: str | None, said: str) -> tuple[tuple[time, ...], _Problem | None]:
    """(readings, problem): one reading and no problem when the time is clear."""
    for h in hits:
        if isinstance(h.value, _Problem):
            return (), h.value
    readings = [h.value for h in hits]
    times = tuple(dict.fromkeys(t for r in readings for t in r))  # type: ignore[union-attr]
    if len(times) > 1 and hint:  # `เย็นนี้ 6 โมง`
        fits = tuple(t for t in times if (t.hour < 12) == (hint == "am"))
        times = fits if len(fits) == 1 else times
    if len(times) <= 1:
        return times, None
    if len(set(readings)) > 1:
        return times, _Problem("ระบุเวลามากกว่าหนึ่งเวลา", reason_en="More than one time was given")
    return times, _Problem(f"ไม่แน่ใจว่า {said} คือ " + " หรือ ".join(map(format_thai_time, times)),
                           reason_en=f"Not sure whether {said} is " + " or ".join(f"{t:%H:%M}" for t in times))


def parse_when(
    text: str, now: datetime, tz: ZoneInfo = BANGKOK, *, need_time: bool = True, day: date | None = None
) -> tuple[When | Unclear | Recurring | None, str]:
    """Find the date/time in `text`; return (result, rest) where rest is text with the date/time
    words removed and whitespace normalised (the caller uses rest as venue/title).

    None when no date at all is present; with `day` given (moving a meeting: a time alone keeps
    its day), a time alone is read on that day. `Recurring` when the text asks for a series.
    """
    now = _local(now, tz)
    hits = _scan(text.translate(_NORMALISE), now.date())
    bounds = [0] + [i for h in hits for i in (h.start, h.end)] + [len(text)]
    rest = _squash(" ".join(text[a:b] for a, b in zip(bounds[::2], bounds[1::2])))
    repeats = [h for h in hits if h.kind == "repeat"]
    if repeats:
        return Recurring(_echo(text, repeats)), rest
    date_hits = [h for h in hits if h.kind == "date"]
    time_hits = [h for h in hits if h.kind == "time"]
    if not date_hits and (day is None or not time_hits):
        return None, _squash(text)
    date_text, time_text = _echo(text, date_hits), _echo(text, time_hits) or None

    hint = next((h.hint for h in date_hits if h.hint), None)
    times, time_reason = _read_time(time_hits, hint, time_text or "")
    if date_hits or day is None:
        day = _read_date(date_hits, now, times[0] if times else None)
    if isinstance(day, _Problem):
        return Unclear(day.reason, [_at(d, t, tz) for d in day.dates for t in times or (None,)],
                       has_time=bool(times), reason_en=day.reason_en), rest
    if time_reason:
        return Unclear(time_reason.reason, [_at(day, t, tz) for t in times], reason_en=time_reason.reason_en), rest
    if times:
        return When(_at(day, times[0], tz), date_text, time_text, True), rest
    if need_time:
        # The date is known: candidates[0] carries it so the caller can ask for the time only.
        return Unclear(f"ยังไม่ได้บอกเวลา: {format_thai_date(day)} กี่โมง", [_at(day, None, tz)], has_time=False,
                       reason_en=f"No time given: what time on {WEEKDAYS_EN[day.weekday()]} {day.day} "
                                 f"{MONTHS_EN[day.month - 1]} {day.year}?"), rest
    return When(_at(day, None, tz), date_text, None, False), rest


def parse_date(text: str, now: datetime, tz: ZoneInfo = BANGKOK) -> date | Unclear | None:
    """The date in `text`, ignoring any time; Unclear candidates are at 00:00."""
    now = _local(now, tz)
    date_hits = [h for h in _scan(text.translate(_NORMALISE), now.date()) if h.kind == "date"]
    if not date_hits:
        return None
    day = _read_date(date_hits, now, None)
    if isinstance(day, _Problem):
        return Unclear(day.reason, [_at(d, None, tz) for d in day.dates], reason_en=day.reason_en)
    return day


def parse_time(text: str) -> list[time]:
    """The time of day in `text`: [] if none (or unusable), one reading, or several to ask about."""
    # Today only decides whether a two-digit number after a month is a year; times do not
    # depend on it.
    hits = [h for h in _scan(text.translate(_NORMALISE), date.today()) if h.kind == "time"]
    return list(_read_time(hits, None, "")[0])


# --------------------------------------------------------------------------- formatting


def _as_local(dt: date | datetime, tz: ZoneInfo) -> datetime:
    """Aware datetimes (the database keeps UTC) are shown in `tz`; naive ones as they are."""
    if isinstance(dt, datetime):
        return dt.astimezone(tz) if dt.tzinfo else dt
    return datetime.combine(dt, time(0))


def format_thai_date(dt: date | datetime, tz: ZoneInfo = BANGKOK) -> str:
    """`วันเสาร์ที่ 15 ส.ค. 2569`: weekday, day, abbreviated month, พ.ศ. year."""
    from pythainlp.util import (
        thai_strftime,  # here, not at import: pythainlp loads in ~0.1 s
    )

    return thai_strftime(_as_local(dt, tz), "%Aที่ %-d %b %Y")


def format_thai_time(dt: datetime | time, tz: ZoneInfo = BANGKOK) -> str:
    """`09.00 น.`: the 24-hour clock with a dot, as Thai notices write it."""
    t = dt if isinstance(dt, time) else _as_local(dt, tz)
    return f"{t.hour:02d}.{t.minute:02d} น."


_WEEKDAY_ABBR = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")


def format_choice_date(dt: date | datetime, tz: ZoneInfo = BANGKOK, lang: str = "th") -> str:
    """`ศ. 14 ส.ค.`, `Fri 14 Aug`: a day on a button (LINE cuts labels at 20 characters)."""
    local = _as_local(dt, tz)
    if lang == "en":
        return local.strftime("%a %-d %b")
    return f"{_WEEKDAY_ABBR[local.weekday()]} {local.day} {_MONTH_ABBR[local.month - 1]}"


def format_choice(dt: datetime, tz: ZoneInfo = BANGKOK, lang: str = "th") -> str:
    """`14:00 ศ. 14 ส.ค.`: a reading on a button, the time first so two readings of one day
    differ in what shows (at most 18 characters)."""
    local = _as_local(dt, tz)
    return f"{local:%H:%M} {format_choice_date(local, tz, lang)}"


def format_thai_datetime(dt: datetime, tz: ZoneInfo = BANGKOK) -> str:
    """`วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00 น.`"""
    return f"{format_thai_date(dt, tz)} เวลา {format_thai_time(dt, tz)}"
