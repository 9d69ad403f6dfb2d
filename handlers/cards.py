"""Meeting cards, summaries and lists: the messages people tap and read.

Pure functions: plain data in (a `Meeting`, a `MeetingTally`), LINE message objects out, in the
wire format (camelCase dicts) that goes straight into a reply or push body. No database session,
no Flask, no SDK.

Who reads them: group leaders, many not young, on phones, in LINE group chats; coordinators who
need to see per sub-district and village who is coming. So: Thai by default (`lang="en"` for
English), big text for the key lines, three big answer buttons, and plain text for the summary
(the most robust and readable message on an old phone).

Every message stays within LINE's limits whatever the data (see `models.line_limits`): long
titles and names are cut at a character boundary (never inside an emoji's surrogate pair, never
leaving a Thai vowel or tone mark without its consonant), the summary of a meeting with a
thousand groups is condensed to fit `max_messages` texts of at most 5,000 UTF-16 units, and a
carousel keeps at most 12 bubbles and 50 KB.

Postback data (`handlers.postbacks`):
- answer buttons: `encode(Action.ANSWER, m=meeting, r=going|not_going|maybe, g=group)`;
- headcount quick replies: the same with `r=going` and `n=1..10`;
- "สรุป": `encode(Action.SUMMARY, m=meeting)`;
- the meetings list's "ดูการ์ด/ตอบ": `encode(Action.SUMMARY, m=meeting, v="card")`, asking the
  summary handler for the meeting's card instead of the summary (see `CARD_VIEW`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from handlers.postbacks import Action, encode
from thai.when import BANGKOK, format_thai_date
from models.line_limits import (
    MAX_ALT_TEXT,
    MAX_CAROUSEL_BUBBLES,
    MAX_CAROUSEL_BYTES,
    MAX_MESSAGES_PER_REQUEST,
    MAX_QUICK_REPLY_ITEMS,
    MAX_TEXT_UTF16,
    json_size,
    utf16_len,
)
from models.meetings import MeetingStatus, Response
from models.network import GroupKind
from models.tally import GroupState, GroupTally, MeetingTally, SubDistrictTally, Totals, VillageTally

if TYPE_CHECKING:
    from models.meetings import Meeting

__all__ = [
    "CARD_VIEW",
    "answer_confirmation",
    "answer_quick_replies",
    "card_request_data",
    "format_date",
    "format_time_range",
    "group_label",
    "group_status",
    "group_tally_line",
    "meeting_card",
    "meetings_list_message",
    "reminder_message",
    "state_mark",
    "summary_messages",
    "truncate",
]

# `encode(Action.SUMMARY, m=12, v=CARD_VIEW)`: "show me the card of #12" (from the meetings list).
CARD_VIEW = "card"

MAX_HEADCOUNT_CHOICES = 10  # quick replies "ไป 1 คน" … "ไป 10 คน"
MAX_URI = 1000  # LINE's limit for a URI action

# Colours: dark enough for white text on a header and for older eyes on white.
GREEN = "#1B7F3B"
AMBER = "#B45309"
RED = "#B91C1C"
GREY = "#4B5563"
TEXT = "#111111"
SUBTLE = "#555555"

_STATUS_COLOUR = {
    MeetingStatus.SCHEDULED: GREEN,
    MeetingStatus.MOVED: AMBER,
    MeetingStatus.CANCELLED: RED,
    MeetingStatus.DONE: GREY,
}
_KIND_SHORT_EN = {GroupKind.VILLAGE_FUND: "fund", GroupKind.SAVINGS_GROUP: "savings", GroupKind.OTHER: ""}
# Side by side in a village line: the savings group first, then the village fund, then the rest.
_KIND_ORDER = {GroupKind.SAVINGS_GROUP: 0, GroupKind.VILLAGE_FUND: 1}

_WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _en(lang: str | None) -> bool:
    return lang == "en"


# --------------------------------------------------------------------------- text helpers


def _is_extending(ch: str) -> bool:
    """A character that belongs to the one before it: a Thai vowel or tone mark above or below,
    a combining mark, a variation selector, a skin tone, a zero-width joiner."""
    o = ord(ch)
    return (
        o == 0x0E31 or 0x0E34 <= o <= 0x0E3A or 0x0E47 <= o <= 0x0E4E
        or o in (0x200D, 0xFE0E, 0xFE0F) or 0x1F3FB <= o <= 0x1F3FF
        or unicodedata.combining(ch) != 0
    )


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` UTF-16 units (as LINE counts), ending with `ellipsis` when cut.

    Never splits a surrogate pair, and never leaves a Thai vowel/tone mark or an emoji modifier
    without the character it belongs to.
    """
    if utf16_len(text) <= limit:
        return text
    budget = max(0, limit - utf16_len(ellipsis))
    units = cut = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            break
        cut = i + 1
    while cut > 0 and cut < len(text) and (_is_extending(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip() + ellipsis


def _aware(dt: datetime) -> datetime:
    """Meeting times are aware UTC; a naive one (from a driver that drops the zone) is UTC too."""
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _local(dt: datetime) -> datetime:
    return _aware(dt).astimezone(BANGKOK)


def format_date(dt: datetime | date, lang: str = "th") -> str:
    """`วันเสาร์ที่ 15 ส.ค. 2569` / `Saturday 15 Aug 2026`, in Bangkok time."""
    if isinstance(dt, datetime):
        dt = _local(dt)
    if _en(lang):
        return f"{_WEEKDAYS_EN[dt.weekday()]} {dt.day} {_MONTHS_EN[dt.month - 1]} {dt.year}"
    return format_thai_date(dt)


def _clock(dt: datetime, lang: str) -> str:
    return f"{dt.hour:02d}:{dt.minute:02d}" if _en(lang) else f"{dt.hour:02d}.{dt.minute:02d}"


def format_time_range(starts_at: datetime, ends_at: datetime | None = None, lang: str = "th") -> str:
    """`09.00–12.00 น.` / `09:00–12:00`; the start alone when the end is unknown or another day."""
    start = _local(starts_at)
    text = _clock(start, lang)
    if ends_at is not None:
        end = _local(ends_at)
        if end > start and end.date() == start.date():
            text += "–" + _clock(end, lang)
    return text if _en(lang) else text + " น."


def _start_time(meeting: Meeting, lang: str) -> str:
    return format_time_range(meeting.starts_at, None, lang)


def _relative_day(starts_at: datetime, now: datetime | None, lang: str) -> str | None:
    """`วันนี้`, `พรุ่งนี้`, `อีก 3 วัน` (within a week), else None."""
    if now is None:
        return None
    days = (_local(starts_at).date() - _local(now).date()).days
    if days == 0:
        return "today" if _en(lang) else "วันนี้"
    if days == 1:
        return "tomorrow" if _en(lang) else "พรุ่งนี้"
    if 2 <= days <= 6:
        return f"in {days} days" if _en(lang) else f"อีก {days} วัน"
    return None


def _status(meeting: Meeting) -> str:
    return meeting.status or MeetingStatus.SCHEDULED


def _ended(meeting: Meeting, now: datetime | None) -> bool:
    if now is None:
        return False
    end = meeting.ends_at or meeting.starts_at
    return _aware(end) <= _aware(now)


def _status_label(status: str, lang: str) -> str:
    from handlers.texts import status_word

    word = status_word(lang, status)
    return word[:1].upper() + word[1:] if _en(lang) else word


def _venue(meeting: Meeting, limit: int = 120) -> str | None:
    return truncate(meeting.venue_name.strip(), limit) if meeting.venue_name and meeting.venue_name.strip() else None


def _map_uri(meeting: Meeting) -> str | None:
    uri = meeting.map_url
    return uri if uri and len(uri) <= MAX_URI else None


# --------------------------------------------------------------------------- group helpers


def state_mark(group: GroupTally) -> str:
    """✅ going, ⚠️ going over quota, ❌ not going, ❔ maybe, ⏳ not answered yet."""
    state = group.state
    if state == GroupState.GOING:
        return "⚠️" if group.over_quota else "✅"
    if state == GroupState.NOT_GOING:
        return "❌"
    if state == GroupState.MAYBE:
        return "❔"
    return "⏳"


def group_label(group: GroupTally, lang: str = "th") -> str:
    """`กองทุนหมู่บ้าน หมู่ 3` / `Village fund, village 3`, or the group's own name."""
    if group.village_number is not None and group.kind in (GroupKind.VILLAGE_FUND, GroupKind.SAVINGS_GROUP):
        if _en(lang):
            return f"{GroupKind.ENGLISH[group.kind].capitalize()}, village {group.village_number}"
        return f"{GroupKind.THAI[group.kind]} หมู่ {group.village_number}"
    return group.name


def _short_label(group: GroupTally, lang: str) -> str:
    """`หมู่ 3 กองทุนฯ` / `Village 3 fund`, or the group's own name."""
    if group.village_number is not None and group.kind in (GroupKind.VILLAGE_FUND, GroupKind.SAVINGS_GROUP):
        if _en(lang):
            return f"Village {group.village_number} {_KIND_SHORT_EN[group.kind]}"
        return f"หมู่ {group.village_number} {GroupKind.SHORT_THAI[group.kind]}"
    return group.name


def group_status(group: GroupTally, lang: str = "th", *, unit: bool = True) -> str:
    """`ไป 3/4 คน`, `ไป 5/4 คน (เกินโควตา)`, `ไม่ไป`, `ไม่แน่ใจ 2 คน`, `ยังไม่ตอบ` (no mark), and
    `· มาจริง 3` once people have checked in at the meeting.

    `unit=False` leaves out `คน` and the over-quota words (the summary's compact form).
    """
    answered = _answer_status(group, lang, unit=unit)
    if group.attended:
        answered += f" · attended {group.attended}" if _en(lang) else f" · มาจริง {group.attended}"
    return answered


def _answer_status(group: GroupTally, lang: str, *, unit: bool) -> str:
    en = _en(lang)
    state = group.state
    if state == GroupState.GOING:
        count = f"{group.coming}/{group.quota}" if group.quota is not None else f"{group.coming}"
        if en:
            text = f"going {count}"
            return text + (" (over quota)" if unit and group.over_quota else "")
        text = f"ไป {count}" + (" คน" if unit else "")
        return text + (" (เกินโควตา)" if unit and group.over_quota else "")
    if state == GroupState.NOT_GOING:
        return "not going" if en else "ไม่ไป"
    if state == GroupState.MAYBE:
        if group.maybe > 1:
            return f"maybe {group.maybe}" if en else f"ไม่แน่ใจ {group.maybe}" + (" คน" if unit else "")
        return "maybe" if en else "ไม่แน่ใจ"
    return "no answer yet" if en else "ยังไม่ตอบ"


def group_tally_line(group: GroupTally, lang: str = "th") -> str:
    """`กองทุนหมู่บ้าน หมู่ 3: ไป 4/4 คน`: a group's answer in one line, for confirmations."""
    return f"{truncate(group_label(group, lang), 120)}: {group_status(group, lang)}"


def _totals_text(totals: Totals, lang: str) -> str:
    """`ตอบแล้ว 9/11 กลุ่ม · ไป 78 คน (โควตา 110) · ไม่ไป 1 กลุ่ม · ไม่แน่ใจ 2 คน`."""
    en = _en(lang)
    if en:
        parts = [f"answered {totals.groups_answered}/{totals.groups} groups",
                 f"going {totals.coming}" + (f" (quota {totals.quota})" if totals.quota else "")]
        if totals.groups_not_going:
            parts.append(f"not going {totals.groups_not_going} group{'s' if totals.groups_not_going != 1 else ''}")
        if totals.maybe:
            parts.append(f"maybe {totals.maybe}")
        return " · ".join(parts)
    parts = [f"ตอบแล้ว {totals.groups_answered}/{totals.groups} กลุ่ม",
             f"ไป {totals.coming} คน" + (f" (โควตา {totals.quota})" if totals.quota else "")]
    if totals.groups_not_going:
        parts.append(f"ไม่ไป {totals.groups_not_going} กลุ่ม")
    if totals.maybe:
        parts.append(f"ไม่แน่ใจ {totals.maybe} คน")
    return " · ".join(parts)


def _overall_line(tally: MeetingTally, lang: str) -> str:
    """The card's `รวม: ไป 45 คน จาก 11 กลุ่ม · ยังไม่ตอบ 2 กลุ่ม`."""
    t = tally.totals
    maybe = t.maybe + tally.individuals_maybe
    if _en(lang):
        parts = [f"going {tally.coming}" + (f" from {t.groups_going} group{'s' if t.groups_going != 1 else ''}"
                                            if t.groups_going else "")]
        if maybe:
            parts.append(f"maybe {maybe}")
        if t.groups_unanswered:
            parts.append(f"no answer yet {t.groups_unanswered} group{'s' if t.groups_unanswered != 1 else ''}")
        return "Total: " + " · ".join(parts)
    parts = [f"ไป {tally.coming} คน" + (f" จาก {t.groups_going} กลุ่ม" if t.groups_going else "")]
    if maybe:
        parts.append(f"ไม่แน่ใจ {maybe} คน")
    if t.groups_unanswered:
        parts.append(f"ยังไม่ตอบ {t.groups_unanswered} กลุ่ม")
    return "รวม: " + " · ".join(parts)


# --------------------------------------------------------------------------- flex building blocks


def _text(text: str, *, size: str = "md", weight: str | None = None, color: str | None = TEXT,
          wrap: bool = True, **extra: Any) -> dict[str, Any]:
    component: dict[str, Any] = {"type": "text", "text": text or " ", "size": size, "wrap": wrap}
    if weight:
        component["weight"] = weight
    if color:
        component["color"] = color
    component.update(extra)
    return component


def _postback(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "postback", "label": label, "data": data}
    if display_text:
        action["displayText"] = truncate(display_text, 300)
    return action


def _button(action: dict[str, Any], style: str, *, height: str = "md", color: str | None = None,
            **extra: Any) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "action": action, "style": style, "height": height}
    if color:
        button["color"] = color
    button.update(extra)
    return button


def _answer_label(response: str, lang: str) -> str:
    from handlers.texts import response_button

    return response_button(lang, response)


def _answer_action(meeting_id: int, response: str, group_id: int | None, lang: str) -> dict[str, Any]:
    label = _answer_label(response, lang)
    return _postback(label, encode(Action.ANSWER, m=meeting_id, r=response, g=group_id), f"{label} #{meeting_id}")


def _headcount_label(n: int, lang: str) -> str:
    if _en(lang):
        return f"Going: {n} {'person' if n == 1 else 'people'}"
    return f"ไป {n} คน"


def answer_quick_replies(meeting_id: int, group_id: int | None = None, lang: str = "th") -> dict[str, Any]:
    """The `quickReply` object: "ไป 1 คน" … "ไป 10 คน", each a postback with the headcount."""
    items = []
    for n in range(1, min(MAX_HEADCOUNT_CHOICES, MAX_QUICK_REPLY_ITEMS) + 1):
        label = _headcount_label(n, lang)
        data = encode(Action.ANSWER, m=meeting_id, r=Response.GOING, n=n, g=group_id)
        items.append({"type": "action", "action": _postback(label, data, f"{label} #{meeting_id}")})
    return {"items": items}


def card_request_data(meeting_id: int) -> str:
    """Postback data asking for a meeting's card (handled with Action.SUMMARY, `v=card`)."""
    return encode(Action.SUMMARY, m=meeting_id, v=CARD_VIEW)


# --------------------------------------------------------------------------- the meeting card


def _alt_text(meeting: Meeting, lang: str, prefix: str | None) -> str:
    en = _en(lang)
    venue = _venue(meeting, 80)
    when = f"{format_date(meeting.starts_at, lang)} {_start_time(meeting, lang)}"
    if en:
        core = f"Meeting #{meeting.id} {when}" + (f" at {venue}" if venue else "")
    else:
        core = f"นัดประชุม #{meeting.id} {when}" + (f" ที่{venue}" if venue else "")
    title = " ".join((meeting.title or "").split())
    text = (f"{prefix} · " if prefix else "") + core + (f" · {title}" if title else "")
    return truncate(" ".join(text.split()), MAX_ALT_TEXT)


def meeting_card(meeting: Meeting, tally: MeetingTally | None, *, lang: str = "th", group_id: int | None = None,
                 notice: str | None = None, now: datetime | None = None,
                 calendar_url: str | None = None) -> dict[str, Any]:
    """The meeting's card: a Flex bubble with the date, time, venue, where the answers stand, and
    the answer buttons (ไป / ไม่ไป / ไม่แน่ใจ, headcounts as quick replies).

    `group_id`: the group the card is for (its quota and answer are shown; taps answer for it).
    `notice`: an optional line at the top ("เลื่อนนัด: …", "เตือน: พรุ่งนี้").
    `now`: adds "พรุ่งนี้"/"อีก 3 วัน" to the date, and a meeting already over gets no answer buttons;
    from an hour before the start to the end, the card has a check-in button (มาแล้ว).
    `calendar_url`: the group's calendar feed, for an "add to calendar" button.
    A cancelled meeting's card has no buttons and no quick replies.
    """
    en = _en(lang)
    status = _status(meeting)
    ended = _ended(meeting, now)
    if ended and status in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED):
        status = MeetingStatus.DONE
    cancelled = status == MeetingStatus.CANCELLED
    answerable = status in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED)
    header_colour = _STATUS_COLOUR.get(status, GREEN)
    notice = " ".join(notice.split()) if notice else None

    # header: the notice, the code and the status
    header: list[dict[str, Any]] = []
    if notice:
        header.append(_text(truncate(notice, 200), size="md", weight="bold", color="#FFFFFF"))
    code_row: list[dict[str, Any]] = [
        _text(f"Meeting #{meeting.id}" if en else f"นัดประชุม #{meeting.id}", size="lg", weight="bold",
              color="#FFFFFF", flex=0, wrap=False)]
    if status != MeetingStatus.SCHEDULED:
        code_row.append(_text(_status_label(status, lang), size="lg", weight="bold", color="#FFFFFF", align="end"))
    header.append({"type": "box", "layout": "horizontal", "spacing": "md", "contents": code_row,
                   **({"margin": "sm"} if notice else {})})

    # body: title, date, time, venue, answers
    strike = {"decoration": "line-through"} if cancelled else {}
    date_line = "📅 " + format_date(meeting.starts_at, lang)
    relative = _relative_day(meeting.starts_at, now, lang) if not ended else None
    if relative:
        date_line += f" ({relative})"
    body: list[dict[str, Any]] = [
        _text(truncate(" ".join((meeting.title or "").split()) or ("Meeting" if en else "ประชุม"), 150),
              size="xl", weight="bold"),
        _text(date_line, size="lg", weight="bold", margin="lg", **strike),
        _text("🕘 " + format_time_range(meeting.starts_at, meeting.ends_at, lang), size="lg", weight="bold",
              margin="sm", **strike),
    ]
    venue = _venue(meeting)
    if venue:
        body.append(_text("📍 " + venue, size="md", margin="sm"))
        if meeting.venue_address and meeting.venue_address.strip():
            body.append(_text(truncate(" ".join(meeting.venue_address.split()), 150), size="sm", color=SUBTLE))
    map_uri = _map_uri(meeting)
    if map_uri and not cancelled:
        body.append(_button({"type": "uri", "label": "Map" if en else "แผนที่", "uri": map_uri}, "secondary",
                            margin="md"))
    if meeting.agenda and meeting.agenda.strip() and not cancelled:
        agenda = truncate(" ".join(meeting.agenda.split()), 200)
        body.append(_text(("Agenda: " if en else "วาระ: ") + agenda, size="sm", color=SUBTLE, margin="md"))

    answers: list[dict[str, Any]] = []
    group = tally.group(group_id) if tally is not None and group_id is not None else None
    if group is not None:
        about = truncate(group_label(group, lang), 80)
        if group.quota is not None:
            about += f" · quota {group.quota} per group" if en else f" · โควตา {group.quota} คน/กลุ่ม"
        answers.append(_text(about, size="md", color=SUBTLE))
        colour = {GroupState.GOING: RED if group.over_quota else GREEN, GroupState.NOT_GOING: RED,
                  GroupState.MAYBE: AMBER}.get(group.state, GREY)
        answers.append(_text(("This group: " if en else "กลุ่มนี้: ") + group_status(group, lang), size="lg",
                             weight="bold", color=colour))
    if tally is not None and (tally.totals.groups or tally.coming or tally.individuals_maybe):
        answers.append(_text(_overall_line(tally, lang), size="md"))
    if answers:
        body.append({"type": "separator", "margin": "lg"})
        body.append({"type": "box", "layout": "vertical", "spacing": "sm", "margin": "lg", "contents": answers})

    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "giga",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": header_colour, "paddingAll": "lg",
                   "contents": header},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }

    # footer: three big answer buttons and the summary
    footer: list[dict[str, Any]] = []
    checking_in = answerable and now is not None and meeting.starts_at - timedelta(hours=1) <= now <= meeting.ends_at
    if checking_in:
        label = "I'm here" if en else "มาแล้ว (เช็คชื่อ)"
        footer.append(_button(_postback(label, encode(Action.CHECK_IN, m=meeting.id), label), "primary", color=GREEN))
    if answerable:
        footer.append(_button(_answer_action(meeting.id, Response.GOING, group_id, lang),
                              "secondary" if checking_in else "primary", color=None if checking_in else GREEN))
        footer.append({"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
            _button(_answer_action(meeting.id, Response.NOT_GOING, group_id, lang), "secondary"),
            _button(_answer_action(meeting.id, Response.MAYBE, group_id, lang), "secondary"),
        ]})
    if not cancelled:
        label = "Summary" if en else "สรุป"
        footer.append(_button(_postback(label, encode(Action.SUMMARY, m=meeting.id), f"{label} #{meeting.id}"),
                              "link"))
    if calendar_url and answerable and len(calendar_url) <= MAX_URI:
        label = "Add to calendar" if en else "เพิ่มในปฏิทิน"
        footer.append(_button({"type": "uri", "label": label, "uri": calendar_url}, "link"))
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}

    prefix = notice or (_status_label(status, lang) if status != MeetingStatus.SCHEDULED else None)
    message: dict[str, Any] = {"type": "flex", "altText": _alt_text(meeting, lang, prefix), "contents": bubble}
    if answerable:
        message["quickReply"] = answer_quick_replies(meeting.id, group_id, lang)
    return message


def reminder_message(meeting: Meeting, *, lang: str = "th", group_id: int | None = None, notice: str,
                     when: str) -> dict[str, Any]:
    """The short reminder sent on the day: a small bubble with the notice, the title, when, where
    (with the map when known) and the three answer buttons; not the whole card again."""
    from handlers.texts import response_button, t

    body: list[dict[str, Any]] = [
        _text(truncate(" ".join(notice.split()), 200), size="md", weight="bold", color=GREEN),
        _text(truncate(" ".join((meeting.title or "").split()) or meeting.code, 150), size="lg", weight="bold",
              margin="md"),
        _text("🕘 " + truncate(when, 150), size="md", margin="sm"),
    ]
    venue = _venue(meeting)
    if venue:
        body.append(_text("📍 " + venue, size="md", margin="sm"))
    footer: list[dict[str, Any]] = []
    map_uri = _map_uri(meeting)
    if map_uri:
        footer.append(_button({"type": "uri", "label": t(lang, "reminder_map"), "uri": map_uri}, "link",
                              height="sm"))
    labels = {r: response_button(lang, r) for r in Response.ALL}
    footer.append({"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        _button(_postback(labels[r], encode(Action.ANSWER, m=meeting.id, r=r, g=group_id),
                          f"{labels[r]} #{meeting.id}"),
                "primary" if r == Response.GOING else "secondary", height="sm",
                **({"color": GREEN} if r == Response.GOING else {}))
        for r in (Response.GOING, Response.NOT_GOING, Response.MAYBE)]})
    alt = t(lang, "reminder_short_alt", code=meeting.code, title=" ".join((meeting.title or "").split()), when=when)
    return {"type": "flex", "altText": truncate(alt, MAX_ALT_TEXT), "contents": {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}}}


def answer_confirmation(meeting: Meeting, group: GroupTally | None, *, response: str, headcount: int | None = None,
                        lang: str = "th") -> dict[str, Any]:
    """A short text confirming an answer, e.g. `✅ บันทึกแล้ว: กองทุนหมู่บ้าน หมู่ 3: ไป 4/4 คน`,
    with the headcount quick replies under it while the answer is "going" (to correct the number).

    `group`: the group's tally after the answer, or None for a personal answer.
    """
    en = _en(lang)
    if group is not None:
        what = f"{state_mark(group)} " + ("Saved: " if en else "บันทึกแล้ว: ") + group_tally_line(group, lang)
    else:
        label = _answer_label(response, lang)
        if response == Response.GOING and headcount and headcount > 1:
            label += f" {headcount}" + ("" if en else " คน")
        what = ("✅ Saved: " if en else "✅ บันทึกแล้ว: ") + label
    when = f"{format_date(meeting.starts_at, lang)} {format_time_range(meeting.starts_at, meeting.ends_at, lang)}"
    lines = [what, f"#{meeting.id} {truncate(' '.join((meeting.title or '').split()), 120)}".rstrip(), when]
    if group is not None and group.over_quota:
        lines.append(f"⚠️ Over the quota of {group.quota}: saved; please talk to the coordinator." if en
                     else f"⚠️ เกินโควตา {group.quota} คน: บันทึกไว้แล้ว โปรดแจ้งผู้ประสานงาน")
    message: dict[str, Any] = {"type": "text", "text": truncate("\n".join(lines), MAX_TEXT_UTF16)}
    if response == Response.GOING and _status(meeting) in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED):
        message["quickReply"] = answer_quick_replies(meeting.id, group.group_id if group else None, lang)
    return message


# --------------------------------------------------------------------------- the summary

_LINE_MAX = 400  # every summary line is at most this long (UTF-16 units): packing stays predictable
_PREFIX_RESERVE = 60  # room for "สรุป #12 (ต่อ 2/5)" on continuation messages
_UNANSWERED_SHORT = 30  # unanswered groups listed by name once the full list does not fit


def _sub_label(sub: SubDistrictTally, lang: str) -> str:
    if _en(lang):
        return f"{sub.name} sub-district" if sub.name else "Other groups"
    return f"ต.{sub.name}" if sub.name else "กลุ่มอื่น ๆ"


def _village_label(village: VillageTally, lang: str, with_name: bool) -> str:
    if village.number is None:
        return "Other groups" if _en(lang) else "กลุ่มอื่น ๆ"
    label = f"Village {village.number}" if _en(lang) else f"หมู่ {village.number}"
    if with_name and village.name:
        label += " " + truncate(village.name, 40)
    return label


def _piece(group: GroupTally, label: str | None, lang: str) -> str:
    status = f"{state_mark(group)} {group_status(group, lang, unit=False)}"
    return f"{label} {status}" if label else status


def _village_lines(village: VillageTally, lang: str, *, with_name: bool, kinds_mixed: bool) -> list[str]:
    """`หมู่ 3: ออมทรัพย์ ✅ ไป 4/4 · กองทุนฯ ✅ ไป 2/4`: a village's groups side by side."""
    if village.number is None:
        return [truncate(f"• {_piece(g, truncate(g.name, 80) + ':', lang)}", _LINE_MAX) for g in village.groups]
    groups = sorted(village.groups, key=lambda g: _KIND_ORDER.get(g.kind, 2))  # stable: keeps tally order
    kinds = Counter(g.kind for g in groups)
    pieces = []
    for g in groups:
        if g.kind not in _KIND_ORDER or kinds[g.kind] > 1:
            label: str | None = truncate(g.name, 60)
        elif len(groups) > 1 or kinds_mixed:
            label = _KIND_SHORT_EN[g.kind] if _en(lang) else GroupKind.SHORT_THAI[g.kind]
        else:
            label = None
        pieces.append(_piece(g, label, lang))
    head = _village_label(village, lang, with_name)
    line = f"{head}: " + " · ".join(pieces)
    if len(pieces) <= 3 and utf16_len(line) <= _LINE_MAX:
        return [line]
    return [f"{head}:"] + [truncate(f"   - {p}", _LINE_MAX) for p in pieces]


def _kind_split_line(sub: SubDistrictTally, lang: str) -> str | None:
    """`ออมทรัพย์ รวม ไป 20/24 (ตอบ 6/6 กลุ่ม) · กองทุนฯ รวม ไป 14/24 (ตอบ 5/6 กลุ่ม)` when a
    sub-district has both kinds (Tha Rai): the coordinator compares the two committees."""
    per_kind: dict[str, list[int]] = {}  # kind -> [coming, quota, groups answered, groups]
    for village in sub.villages:
        for g in village.groups:
            if g.kind in _KIND_ORDER:
                sums = per_kind.setdefault(g.kind, [0, 0, 0, 0])
                sums[0] += g.coming
                sums[1] += g.quota or 0
                sums[2] += g.answers > 0
                sums[3] += 1
    if len(per_kind) < 2:
        return None
    pieces = []
    for kind in sorted(per_kind, key=_KIND_ORDER.__getitem__):
        coming, quota, answered, groups = per_kind[kind]
        going = f"{coming}/{quota}" if quota else f"{coming}"
        if _en(lang):
            pieces.append(f"{_KIND_SHORT_EN[kind]}: going {going} (answered {answered}/{groups})")
        else:
            pieces.append(f"{GroupKind.SHORT_THAI[kind]} รวม ไป {going} (ตอบ {answered}/{groups} กลุ่ม)")
    return truncate("   " + " · ".join(pieces), _LINE_MAX)


def _sub_heading(sub: SubDistrictTally, lang: str) -> list[str]:
    lines = [truncate(f"▪️ {_sub_label(sub, lang)}: {_totals_text(sub.totals, lang)}", _LINE_MAX)]
    split = _kind_split_line(sub, lang)
    if split:
        lines.append(split)
    return lines


def _sub_detail(sub: SubDistrictTally, lang: str, with_name: bool) -> list[str]:
    mixed = len({g.kind for v in sub.villages for g in v.groups if g.kind in _KIND_ORDER}) > 1
    lines: list[str] = []
    for village in sub.villages:
        lines.extend(_village_lines(village, lang, with_name=with_name, kinds_mixed=mixed))
    return lines


def _unanswered_head(count: int, lang: str) -> str:
    if _en(lang):
        return f"⏳ No answer yet: {count} group{'s' if count != 1 else ''}"
    return f"⏳ ยังไม่ตอบ {count} กลุ่ม:"


def _unanswered_bullet(group: GroupTally, several_subs: bool, lang: str) -> str:
    label = truncate(_short_label(group, lang), 100)
    if several_subs and group.sub_district_name:
        label += f" ({group.sub_district_name})" if _en(lang) else f" ต.{group.sub_district_name}"
    return truncate(f"• {label}", _LINE_MAX)


def _unanswered_more(rest: int, lang: str) -> str:
    return f"… and {rest} more group{'s' if rest != 1 else ''}" if _en(lang) else f"และอีก {rest} กลุ่ม"


def _unanswered_lines(unanswered: list[GroupTally], several_subs: bool, lang: str, limit: int | None) -> list[str]:
    if not unanswered:
        return []
    shown = unanswered if limit is None else unanswered[:limit]
    lines = [_unanswered_head(len(unanswered), lang)] + [_unanswered_bullet(g, several_subs, lang) for g in shown]
    if len(unanswered) > len(shown):
        lines.append(_unanswered_more(len(unanswered) - len(shown), lang))
    return lines


def _header_lines(meeting: Meeting, tally: MeetingTally | None, lang: str) -> list[str]:
    en = _en(lang)
    status = _status(meeting)
    title = truncate(" ".join((meeting.title or "").split()), 150)
    first = (f"📋 Summary #{meeting.id}" if en else f"📋 สรุป #{meeting.id}") + (f" {title}" if title else "")
    if status != MeetingStatus.SCHEDULED:
        first += f" ({_status_label(status, lang)})"
    lines = [first,
             f"📅 {format_date(meeting.starts_at, lang)} {format_time_range(meeting.starts_at, meeting.ends_at, lang)}"]
    venue = _venue(meeting)
    if venue:
        lines.append(f"📍 {venue}")
    if tally is None:
        return lines
    if tally.totals.groups:
        overall = _totals_text(tally.totals, lang)
        lines.append(overall[0].upper() + overall[1:])
    if tally.individuals_coming or tally.individuals_maybe:
        parts = [f"going {tally.individuals_coming}" if en else f"ไป {tally.individuals_coming} คน"]
        if tally.individuals_maybe:
            parts.append(f"maybe {tally.individuals_maybe}" if en else f"ไม่แน่ใจ {tally.individuals_maybe} คน")
        lines.append(("Individuals: " if en else "รายบุคคล: ") + " · ".join(parts))
        if tally.totals.groups:
            lines.append(f"Total going: {tally.coming}" if en else f"รวมไปทั้งหมด {tally.coming} คน")
    if not tally.totals.groups and not tally.individuals_coming and not tally.individuals_maybe:
        lines.append("No answers yet." if en else "ยังไม่มีใครตอบ")
    return lines


class _Block:
    """Some lines of the summary with their UTF-16 lengths, measured once."""

    __slots__ = ("lines", "lens", "cost")

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.lens = [utf16_len(line) for line in lines]
        self.cost = sum(self.lens) + len(lines)  # with the newlines


class _SummaryParts:
    """The summary's pieces, each built once however many layouts are tried."""

    def __init__(self, meeting: Meeting, tally: MeetingTally | None, lang: str):
        self.lang = lang
        self.header = _Block(_header_lines(meeting, tally, lang))
        self.subs = tally.sub_districts if tally is not None else []
        self.unanswered = tally.unanswered if tally is not None else []
        self._headings: dict[int, _Block] = {}
        self._details: dict[tuple[int, bool], _Block] = {}
        self._unanswered: dict[int | None, _Block] = {}

    def heading(self, i: int) -> _Block:
        if i not in self._headings:
            self._headings[i] = _Block([""] + _sub_heading(self.subs[i], self.lang))
        return self._headings[i]

    def detail(self, i: int, with_names: bool) -> _Block:
        sub = self.subs[i]
        if with_names and not any(v.name for v in sub.villages):
            with_names = False  # the same lines either way
        key = (i, with_names)
        if key not in self._details:
            self._details[key] = _Block(_sub_detail(sub, self.lang, with_names))
        return self._details[key]

    def unanswered_block(self, limit: int | None) -> _Block:
        if limit is not None and limit >= len(self.unanswered):
            limit = None
        if limit not in self._unanswered:
            lines = _unanswered_lines(self.unanswered, len(self.subs) > 1, self.lang, limit)
            self._unanswered[limit] = _Block([""] + lines if lines else [])
        return self._unanswered[limit]


def _pack(blocks: list[_Block], limit: int) -> list[list[str]]:
    """Lines into messages of at most `limit` UTF-16 units (joined by newlines), in order.

    A blank line (a section break) is dropped where a message would start or end with it.
    """
    messages: list[list[str]] = []
    current: list[str] = []
    size = 0
    for block in blocks:
        for line, n in zip(block.lines, block.lens):
            if current and size + 1 + n > limit:
                while current and not current[-1]:
                    current.pop()
                messages.append(current)
                current, size = [], 0
            if not current:
                if not line:
                    continue
                current, size = [line], n
            else:
                current.append(line)
                size += 1 + n
    while current and not current[-1]:
        current.pop()
    if current:
        messages.append(current)
    return messages


def summary_messages(meeting: Meeting, tally: MeetingTally | None, *, lang: str = "th",
                     max_messages: int = MAX_MESSAGES_PER_REQUEST) -> list[dict[str, Any]]:
    """The coordinator's summary (`สรุป #12`) as plain text messages.

    The title, date and venue; the overall totals; per sub-district its totals (and, where both
    kinds are invited, savings groups against village funds) and per village the groups against
    their quota, side by side; then the groups that have not answered.

    Always within LINE's limits: at most `max_messages` (1–5) texts of at most 5,000 UTF-16 units.
    When the full detail does not fit, it is condensed step by step: the unanswered list is cut
    to its first 30 ("และอีก 940 กลุ่ม"), village names are dropped, and finally villages are
    listed only for the sub-districts that fit, the others by their totals alone.
    Linear in the number of groups: a thousand groups take a few milliseconds.
    """
    en = _en(lang)
    max_messages = max(1, min(max_messages, MAX_MESSAGES_PER_REQUEST))
    limit = MAX_TEXT_UTF16 - _PREFIX_RESERVE
    parts = _SummaryParts(meeting, tally, lang)

    packed: list[list[str]] | None = None
    for with_names, unanswered_limit in ((True, None), (True, _UNANSWERED_SHORT), (False, _UNANSWERED_SHORT)):
        blocks = [parts.header]
        for i in range(len(parts.subs)):
            blocks.append(parts.heading(i))
            blocks.append(parts.detail(i, with_names))
        blocks.append(parts.unanswered_block(unanswered_limit))
        if sum(b.cost for b in blocks) - 1 > max_messages * limit:
            continue  # cannot fit, whatever the packing
        packed = _pack(blocks, limit)
        if len(packed) <= max_messages:
            break
        packed = None
    if packed is None:
        packed = _condensed(parts, limit, max_messages)

    texts = ["\n".join(lines) for lines in packed]
    if len(texts) > 1:
        total = len(texts)
        cont = "Summary" if en else "สรุป"
        texts = [text if i == 0 else f"({cont} #{meeting.id}, {i + 1}/{total})\n{text}"
                 for i, text in enumerate(texts)]
    return [{"type": "text", "text": truncate(text, MAX_TEXT_UTF16)} for text in texts]


def _condensed(parts: _SummaryParts, limit: int, max_messages: int) -> list[list[str]]:
    """Totals per sub-district for all, villages for those that fit, the first unanswered groups.

    Greedy packing wastes less than the longest line per message, so content of at most
    `capacity` units is sure to fit in `max_messages`.
    """
    lang = parts.lang
    en = _en(lang)
    subs = parts.subs
    details = [parts.detail(i, False) for i in range(len(subs))]
    several = len(subs) > 1
    bullets = {g.group_id: _unanswered_bullet(g, several, lang) for g in parts.unanswered}
    bullet_lens = {gid: utf16_len(line) for gid, line in bullets.items()}
    note = _Block(["(Too long for LINE: villages are listed only for some sub-districts; the others show "
                   "their totals.)" if en else
                   "(ยาวเกินข้อความ LINE: แสดงรายหมู่บ้านเฉพาะบางตำบล ตำบลอื่นแสดงเฉพาะยอดรวม)"])
    longest = max([0, *parts.header.lens, *note.lens, *bullet_lens.values(),
                   *(n for i in range(len(subs)) for n in parts.heading(i).lens),
                   *(n for d in details for n in d.lens)])
    longest = max(longest, 60)  # "และอีก … กลุ่ม" and the like
    capacity = max_messages * (limit - longest - 1)
    used = parts.header.cost + note.cost + 1

    # the sub-districts' headings: all of them unless they alone fill most of the room
    shown = 0
    room = capacity * 6 // 10 - used
    for i in range(len(subs)):
        cost = parts.heading(i).cost
        if cost > room:
            break
        room -= cost
        used += cost
        shown += 1
    hidden = len(subs) - shown
    more_subs = _Block([f"… and {hidden} more sub-districts" if en else f"และอีก {hidden} ตำบล"] if hidden else [])
    used += more_subs.cost

    # room for the first unanswered groups: up to 30, within a quarter of what is left; whichever
    # groups are listed, the longest `count` lines bound their cost
    count = 0
    unanswered_room = 0
    if parts.unanswered:
        fixed = 1 + utf16_len(_unanswered_head(len(parts.unanswered), lang)) + 1 + 60 + 1  # blank, head, more
        longest_first = sorted(bullet_lens.values(), reverse=True)
        budget = (capacity - used) // 4 - fixed
        spent = 0
        for n in longest_first[:_UNANSWERED_SHORT]:
            if spent + n + 1 > budget:
                break
            spent += n + 1
            count += 1
        unanswered_room = fixed + spent
        used += unanswered_room

    # villages for the sub-districts that still fit, in order
    body: list[_Block] = []
    complete = hidden == 0
    detailed: set[int | None] = set()
    for i in range(shown):
        body.append(parts.heading(i))
        if used + details[i].cost <= capacity:
            body.append(details[i])
            used += details[i].cost
            detailed.add(subs[i].sub_district_id)
        else:
            complete = False

    # the unanswered groups the villages above do not show come first
    unanswered = _Block([])
    if parts.unanswered:
        ordered = ([g for g in parts.unanswered if g.sub_district_id not in detailed]
                   + [g for g in parts.unanswered if g.sub_district_id in detailed])
        lines = ["", _unanswered_head(len(ordered), lang)] + [bullets[g.group_id] for g in ordered[:count]]
        if len(ordered) > count:
            lines.append(_unanswered_more(len(ordered) - count, lang))
        unanswered = _Block(lines)

    blocks = [parts.header] + ([note] if not complete else []) + body + [more_subs, unanswered]
    packed = _pack(blocks, limit)
    return packed[:max_messages]  # the capacity above makes the cut a no-op; never overflow anyway


# --------------------------------------------------------------------------- the meetings list


def _list_bubble(meeting: Meeting, tally: MeetingTally | None, lang: str, now: datetime | None,
                 more: int) -> dict[str, Any]:
    en = _en(lang)
    status = _status(meeting)
    header: list[dict[str, Any]] = [_text(f"#{meeting.id}", size="lg", weight="bold", color="#FFFFFF", flex=0,
                                          wrap=False)]
    if status != MeetingStatus.SCHEDULED:
        header.append(_text(_status_label(status, lang), size="md", weight="bold", color="#FFFFFF", align="end"))
    date_line = "📅 " + format_date(meeting.starts_at, lang)
    relative = _relative_day(meeting.starts_at, now, lang)
    if relative:
        date_line += f" ({relative})"
    body: list[dict[str, Any]] = [
        _text(truncate(" ".join((meeting.title or "").split()) or ("Meeting" if en else "ประชุม"), 80),
              size="lg", weight="bold", maxLines=3),
        _text(date_line, size="md", weight="bold", margin="md"),
        _text("🕘 " + format_time_range(meeting.starts_at, meeting.ends_at, lang), size="md", weight="bold"),
    ]
    venue = _venue(meeting, 60)
    if venue:
        body.append(_text("📍 " + venue, size="md", maxLines=2))
    if tally is not None and (tally.totals.groups or tally.coming):
        body.append(_text(_overall_line(tally, lang), size="sm", color=SUBTLE, margin="md"))
    if more:
        body.append(_text(f"… {more} more meetings after this" if en else f"ยังมีอีก {more} นัดหลังจากนี้",
                          size="sm", color=SUBTLE, margin="lg"))
    label = "Open / answer" if en else "ดูการ์ด/ตอบ"
    return {
        "type": "bubble",
        "size": "mega",
        "header": {"type": "box", "layout": "horizontal", "spacing": "md", "paddingAll": "lg",
                   "backgroundColor": _STATUS_COLOUR.get(status, GREEN), "contents": header},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            _button(_postback(label, card_request_data(meeting.id), f"{label} #{meeting.id}"), "primary",
                    color=GREEN)]},
    }


def meetings_list_message(meetings_with_tallies: list[tuple[Meeting, MeetingTally | None]], *, lang: str = "th",
                          now: datetime) -> dict[str, Any]:
    """`นัดหมาย`: upcoming meetings as a carousel of compact cards (at most 12, soonest first),
    or a short text when there are none. Meetings already over are left out."""
    en = _en(lang)
    upcoming = sorted(((m, t) for m, t in meetings_with_tallies if not _ended(m, now)),
                      key=lambda mt: (_aware(mt[0].starts_at), mt[0].id or 0))
    if not upcoming:
        return {"type": "text", "text": "No upcoming meetings." if en else "ยังไม่มีนัดหมาย"}
    count = min(len(upcoming), MAX_CAROUSEL_BUBBLES)
    while True:
        shown = upcoming[:count]
        more = len(upcoming) - count
        bubbles = [_list_bubble(m, t, lang, now, more if i == count - 1 else 0) for i, (m, t) in enumerate(shown)]
        carousel = {"type": "carousel", "contents": bubbles}
        if json_size(carousel) <= MAX_CAROUSEL_BYTES or count == 1:
            break
        count -= 1
    pieces = [f"#{m.id} {format_date(m.starts_at, lang)} {_start_time(m, lang)}"
              + (f" {_venue(m, 40)}" if _venue(m, 40) else "") for m, _ in shown]
    head = (f"Upcoming meetings ({len(upcoming)}): " if en else f"นัดหมาย {len(upcoming)} นัด: ")
    alt = truncate(head + " · ".join(pieces), MAX_ALT_TEXT)
    return {"type": "flex", "altText": alt, "contents": carousel}
