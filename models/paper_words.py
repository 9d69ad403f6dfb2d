"""What every paper says about times, places and groups, in Thai: shared by the rows the papers
are made from (models/sign_in.py, models/minutes.py) and the renderers (exports/).

Times are shown in the zone `tz` (the database keeps UTC); dates the Thai way with the weekday and
the Buddhist-era year (`วันเสาร์ที่ 15 ส.ค. 2569`), times as `09.00 น.`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from models.attendance import Method
from models.meetings import Meeting, Response
from models.network import FinancialGroup, GroupKind
from models.tally import GroupState
from thai.when import format_thai_date, format_thai_time

ANSWER_THAI = {**Response.THAI, None: "ยังไม่ตอบ"}
STATE_THAI = {GroupState.GOING: "มา", GroupState.MAYBE: "ไม่แน่ใจ", GroupState.NOT_GOING: "ไม่มา",
              GroupState.UNANSWERED: "ยังไม่ตอบ"}
METHOD_THAI = {Method.SELF: "ลงชื่อเอง", Method.BUTTON: "ลงชื่อเอง (ปุ่ม)", Method.PROXY: "คุณอำนวยลงชื่อแทน"}
OTHERS = "ผู้เข้าร่วมอื่น ๆ"  # people checked in or answering outside any invited group
NO_NAME = "(ไม่ระบุชื่อ)"


def aware(dt: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def local(dt: datetime, tz: ZoneInfo) -> datetime:
    return aware(dt).astimezone(tz)


def thai_date(value: date | datetime, tz: ZoneInfo) -> str:
    return format_thai_date(aware(value) if isinstance(value, datetime) else value, tz)


def thai_time(dt: datetime, tz: ZoneInfo) -> str:
    return format_thai_time(aware(dt), tz)


def _clock(dt: datetime, tz: ZoneInfo) -> str:
    moment = local(dt, tz)
    return f"{moment.hour:02d}.{moment.minute:02d}"


def time_range(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    """`09.00–12.00 น.`; across midnight the end's date is written too."""
    if end is None or end <= start:
        return thai_time(start, tz)
    if local(start, tz).date() == local(end, tz).date():
        return f"{_clock(start, tz)}–{_clock(end, tz)} น."
    return f"{thai_time(start, tz)} ถึง{thai_date(end, tz)} {thai_time(end, tz)}"


def venue(meeting: Meeting) -> str:
    return " ".join(filter(None, [meeting.venue_name, meeting.venue_address])) or "(ยังไม่ระบุสถานที่)"


def group_sort_key(group: FinancialGroup) -> tuple:
    """The summary's order: sub-district, village, kind, name."""
    sub = group.sub_district.name if group.sub_district else "\uffff"
    village = group.village.number if group.village else 10_000
    return (sub, village, GroupKind.ALL.index(group.kind) if group.kind in GroupKind.ALL else 9, group.name)


def village_label(group: FinancialGroup | None) -> str:
    return f"หมู่ {group.village.number}" if group is not None and group.village is not None else ""


def sub_label(group: FinancialGroup | None) -> str:
    return group.sub_district.label if group is not None and group.sub_district is not None else ""
